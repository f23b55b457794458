// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the tool's file parsers: keynet.conf(5) and the
 * cjdroute.conf / tayga.conf importers.  Byte 0 picks the parser:
 *   0-1  keynet.conf: parse; if accepted, print it, parse the print and
 *        print again: the two prints must be identical (what "conf dump"
 *        prints, "conf apply" reads back unchanged)
 *   2    "keynet import cjdns" of the rest as a file
 *   3    "keynet import tayga" of the rest as a file
 * An import whose output the conf parser refuses aborts (KN_FUZZ in
 * tool/import.c): the importers must only ever print what applies.
 * Links the whole tool (selftests/fuzz/run builds it with -Dmain=...).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

static char kn_fz_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/*
	 * The importers print on stdout; the parsers' messages on stderr are
	 * silenced by the runner (-close_fd_mask=2, libFuzzer keeps a copy).
	 */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	snprintf(kn_fz_path, sizeof(kn_fz_path), "/tmp/kn-fuzz-conf-%d", (int)getpid());
	return 0;
}

static char *kn_fz_print(const struct kn_conf *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	kn_conf_print(f, c);
	fclose(f);
	return buf;
}

static void kn_fz_conf(const uint8_t *data, size_t size)
{
	struct kn_conf a, b;
	char *p1, *p2;
	size_t l1, l2;
	FILE *f = fmemopen((void *)data, size, "r");

	if (!f)
		return;
	kn_conf_init(&a);
	if (kn_conf_parse_stream(f, "fuzz.conf", &a)) {
		fclose(f);
		kn_conf_free(&a);
		return;
	}
	fclose(f);
	p1 = kn_fz_print(&a, &l1);
	kn_conf_init(&b);
	f = fmemopen(p1, l1, "r");
	if (!f || kn_conf_parse_stream(f, "print.conf", &b)) {
		fprintf(stdout, "%s", p1);
		abort();	/* the printer wrote what the parser refuses */
	}
	fclose(f);
	p2 = kn_fz_print(&b, &l2);
	if (l1 != l2 || memcmp(p1, p2, l1))
		abort();	/* not a fixed point */
	free(p1);
	free(p2);
	kn_conf_free(&a);
	kn_conf_free(&b);
}

static void kn_fz_import(const char *what, const uint8_t *data, size_t size)
{
	char *argv[] = { "import", (char *)what, kn_fz_path, NULL };
	FILE *f = fopen(kn_fz_path, "w");

	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	kn_cmd_import(3, argv);
	unlink(kn_fz_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] & 3) {
	case 0:
	case 1:
		kn_fz_conf(data + 1, size - 1);
		break;
	case 2:
		kn_fz_import("cjdns", data + 1, size - 1);
		break;
	default:
		kn_fz_import("tayga", data + 1, size - 1);
	}
	return 0;
}
