// SPDX-License-Identifier: GPL-2.0
/*
 * What the keys of keynet.conf(5) share: the value parsers (yes/no,
 * tables, key files, public keys, words) and the "Key = Value" printers
 * of conf dump, and the index of the sections' key tables.  Each
 * section's keys are one file: conf_keys_link.c, conf_keys_peer.c
 * ([Peer], [Route]) and conf_keys_nat64.c ([NAT64], [Pool], [Map]).  Adding
 * a key is a parse function, a print function and a row there.
 */
#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "conf_keys.h"

/* ---- value parsers: return NULL or what was expected ---- */

const char *kn_conf_bool(const char *v, bool *out)
{
	static const char * const yes[] = { "yes", "on", "true", "1" };
	static const char * const no[] = { "no", "off", "false", "0" };
	size_t i;

	for (i = 0; i < KN_ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return NULL;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return NULL;
		}
	}
	return "expected yes or no";
}

/* A table: off (0, only if @off_ok), main, auto (= main) or a number. */
const char *kn_conf_table(const char *v, bool off_ok, uint32_t *t)
{
	if (off_ok && !strcasecmp(v, "off")) {
		*t = 0;
		return NULL;
	}
	if (!strcasecmp(v, "main") || !strcasecmp(v, "auto")) {
		*t = KN_CONF_TABLE_MAIN;
		return NULL;
	}
	if (kn_parse_uint(v, UINT32_MAX, t) || !*t || *t == KN_CONF_TABLE_LOCAL)
		return off_ok ? "expected off, main or a table number 1-4294967295 other than 255" :
				"expected main or a table number 1-4294967295 other than 255";
	return NULL;
}

const char *kn_conf_key_text(const uint8_t key[KEYNET_KEY_LEN], char buf[45])
{
	kn_key_to_base64(key, buf);
	return buf;
}

/* A public key: base64 or cjdns' .k form. */
bool kn_conf_pubkey(const char *v, uint8_t key[KEYNET_KEY_LEN])
{
	return !kn_base64_to_key(v, key) || !kn_cjdns_to_key(v, key);
}

/* Split @s into at most @max blank-separated words (in place). */
int kn_conf_words(char *s, char **w, int max)
{
	int n = 0;

	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (n == max)
			return -1;
		w[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* A key file named in the configuration: relative to the file's directory. */
int kn_conf_key_file(struct kn_conf_parser *ps, const char *v, const char *what,
		     uint8_t key[KEYNET_KEY_LEN], bool *empty)
{
	char path[PATH_MAX];

	if (v[0] != '/' && strcmp(v, "-") && ps->dir[0]) {
		if (snprintf(path, sizeof(path), "%s/%s", ps->dir, v) >= (int)sizeof(path))
			return kn_conf_err(ps, ps->line, "path too long", v, "expected a shorter path");
		v = path;
	}
	if (!strcmp(v, "-"))
		return kn_conf_err(ps, ps->line, "invalid key file", v,
				   "the configuration may come from stdin: name a file");
	return kn_read_key_file(v, what, key, empty);
}


/* Print "KEY = VALUE". */
void kn_conf_out(const struct kn_conf_printer *pr, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(pr->f, "%s = ", key);
	va_start(ap, fmt);
	vfprintf(pr->f, fmt, ap);
	va_end(ap);
	fputc('\n', pr->f);
}

void kn_conf_out_addr(const struct kn_conf_printer *pr, const char *key, int family,
		      const uint8_t *a)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, a, text, sizeof(text));
	kn_conf_out(pr, key, "%s", text);
}

void kn_conf_out_prefix(const struct kn_conf_printer *pr, const char *key,
			const struct kn_prefix *p)
{
	char text[INET6_ADDRSTRLEN + 8];

	kn_format_prefix(p->addr, p->alen, p->len, text, sizeof(text));
	kn_conf_out(pr, key, "%s", text);
}

/* A secret key: wiped from the stack once printed. */
void kn_conf_out_secret(const struct kn_conf_printer *pr, const char *key,
			const uint8_t k[KEYNET_KEY_LEN])
{
	char b64[45];

	kn_key_to_base64(k, b64);
	kn_conf_out(pr, key, "%s", b64);
	explicit_bzero(b64, sizeof(b64));
}

void kn_conf_out_bool(const struct kn_conf_printer *pr, const char *key, bool val,
		      bool dflt, const char *yes, const char *no)
{
	if (val != dflt)
		kn_conf_out(pr, key, "%s", val ? yes : no);
}

void kn_conf_out_u32(const struct kn_conf_printer *pr, const char *key, uint32_t val,
		     uint32_t dflt)
{
	if (val != dflt)
		kn_conf_out(pr, key, "%u", val);
}

/* Indexed by enum kn_conf_sect. */
const struct kn_conf_sect_keys *const kn_sect_keys[] = {
	[KN_SECT_LINK] = &kn_link_sect,
	[KN_SECT_PEER] = &kn_peer_sect,
	[KN_SECT_ROUTE] = &kn_route_sect,
	[KN_SECT_NAT64] = &kn_nat64_sect,
	[KN_SECT_POOL] = &kn_pool_sect,
	[KN_SECT_MAP] = &kn_map_sect,
};
