// SPDX-License-Identifier: GPL-2.0
/*
 * keynet import { cjdns | tayga } FILE [dev NAME]: a keynet.conf(5) on
 * stdout from a cjdroute.conf (import_cjdns.c) or a tayga.conf
 * (import_tayga.c), with a comment for everything that has no keynet
 * equivalent.  The output is parsed back with the conf parser before it
 * is printed, so it is always a file that "keynet conf apply" takes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* ---- output: a conf text in a memory stream ---- */

void kn_imp_warn(struct kn_import *im, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "keynet: warning: %s:%d: ", im->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	im->warnings++;
}

static void kn_imp_vline(const char *file, int line, const char *what, const char *fmt,
			 va_list ap) __attribute__((format(printf, 4, 0)));
static void kn_imp_vline(const char *file, int line, const char *what, const char *fmt,
			 va_list ap)
{
	if (line > 0)
		fprintf(stderr, "keynet: %s line %d: %s", file, line, what);
	else
		fprintf(stderr, "keynet: %s: %s", file, what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void kn_imp_note(struct kn_import *im, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kn_imp_vline(file, line, "note: ", fmt, ap);
	va_end(ap);
	im->warnings++;
}

void kn_imp_error(struct kn_import *im, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kn_imp_vline(file, line, "", fmt, ap);
	va_end(ap);
	if (!im->status)
		im->status = KN_EXIT_USAGE;
}

void kn_imp_comment(struct kn_import *im, const char *fmt, ...)
{
	char buf[1024], *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (c = buf; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	fprintf(im->out, "# %s\n", buf);
}

void kn_imp_clean(char *dst, size_t size, const char *src)
{
	size_t i, o = 0;

	for (i = 0; src[i] && o + 1 < size; i++)
		dst[o++] = (unsigned char)src[i] < 0x20 ? ' ' : src[i];
	dst[o] = '\0';
	while (o && dst[o - 1] == ' ')
		dst[--o] = '\0';
}

int kn_imp_begin(struct kn_import *im, const char *path, const char *dev)
{
	memset(im, 0, sizeof(*im));
	im->path = path;
	im->dev = dev;
	im->out = open_memstream(&im->buf, &im->len);
	if (!im->out) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	return 0;
}

/*
 * Check the generated text with the conf parser, then print it.  A
 * failure here is a bug of the importer: the error names the line of the
 * generated text.
 */
int kn_imp_finish(struct kn_import *im)
{
	struct kn_conf c;
	FILE *f;
	int ret;

	if (fclose(im->out)) {
		kn_err("out of memory");
		ret = KN_EXIT_FAIL;
		goto out;
	}
	im->out = NULL;
	if (im->status) {
		ret = im->status;
		goto out;
	}
	f = fmemopen(im->buf, im->len, "r");
	if (!f) {
		kn_err("out of memory");
		ret = KN_EXIT_FAIL;
		goto out;
	}
	kn_conf_init(&c);
	ret = kn_conf_parse_stream(f, "(imported configuration)", &c);
	fclose(f);
	kn_conf_free(&c);
	if (ret) {
		kn_err("the imported configuration does not parse (a keynet bug): not printed");
#ifdef KN_FUZZ
		abort();	/* selftests/fuzz/fuzz_conf.c: an import always parses */
#endif
		ret = KN_EXIT_FAIL;
		goto out;
	}
	/* Warned as conf dump warns: the output holds a private key. */
	if (im->secret)
		kn_warn_secrets_to_stdout();
	if (fwrite(im->buf, 1, im->len, stdout) != im->len || fflush(stdout)) {
		kn_err("cannot write the configuration: %s", strerror(errno));
		ret = KN_EXIT_FAIL;
	}
out:
	if (im->out)
		fclose(im->out);
	if (im->buf)
		explicit_bzero(im->buf, im->len);
	free(im->buf);
	return ret;
}

/* ---- input ---- */

char *kn_imp_read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		kn_err("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			char *b;

			cap = cap ? cap * 2 : 65536;
			if (cap > (64u << 20)) {
				kn_err("'%s' is too large for a configuration file", path);
				goto fail;
			}
			b = realloc(buf, cap);
			if (!b) {
				kn_err("out of memory");
				goto fail;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		kn_err("cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (f != stdin)
		fclose(f);
	if (buf)
		explicit_bzero(buf, n);
	free(buf);
	return NULL;
}

/* ---- the command ---- */

static void kn_import_help(FILE *f)
{
	fputs("Usage: keynet import cjdns CJDROUTE.CONF [dev NAME]\n"
	      "       keynet import tayga TAYGA.CONF [dev NAME]\n"
	      "Print a keynet.conf(5) made from a cjdns or TAYGA configuration (- for\n"
	      "stdin), with a comment for what has no keynet equivalent; apply it with\n"
	      "'keynet conf apply'.  cjdns: the node key (its derived address must equal\n"
	      "the file's ipv6), the UDP port, connectTo peers, ipTunnel connections as\n"
	      "routes.  TAYGA: every 0.9.6 directive is imported ([NAT64], [Pool], [Map],\n"
	      "the map-file's maps, tun-ip/tun-route), ignored with a note, or refused by\n"
	      "name (exit 2, nothing printed); docs/nat64.md has the table.\n",
	      f);
}

int kn_cmd_import(int argc, char **argv)
{
	const char *dev = NULL;

	if (argc == 0 || kn_matches(argv[0], "help")) {
		kn_import_help(argc ? stdout : stderr);
		return argc ? 0 : kn_usage_err("missing format", NULL, "expected 'cjdns' or 'tayga'");
	}
	if (strcmp(argv[0], "cjdns") && strcmp(argv[0], "tayga")) {
		kn_import_help(stderr);
		return kn_usage_err("unknown format", argv[0], "expected 'cjdns' or 'tayga'");
	}
	if (argc < 2)
		return kn_usage_err("missing file", NULL, "expected a configuration FILE (- for stdin)");
	if (argc == 4 && kn_matches(argv[2], "dev")) {
		dev = argv[3];
		if (!dev[0] || strlen(dev) >= IFNAMSIZ || strpbrk(dev, "/: \t"))
			return kn_usage_err("invalid device name", dev, "expected 1-15 characters");
	} else if (argc != 2) {
		return kn_usage_err("unknown argument", argv[2], "expected 'dev NAME'");
	}
	if (!strcmp(argv[0], "cjdns"))
		return kn_import_cjdns(argv[1], dev);
	return kn_import_tayga(argv[1], dev);
}
