// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of keynet.conf(5), one row each in the table of its section:
 * how a value is parsed into struct kn_conf (and checked on its own; the
 * checks across keys and sections are conf.c's) and how struct kn_conf
 * prints it back for "conf dump" and the importers.  Adding a key is a
 * parse function, a print function and a row.
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

static const char *kn_conf_bool(const char *v, bool *out)
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
static const char *kn_conf_table(const char *v, bool off_ok, uint32_t *t)
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
static int kn_conf_words(char *s, char **w, int max)
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
static int kn_conf_key_file(struct kn_conf_parser *ps, const char *v, const char *what,
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

/*
 * Endpoint: HOST:PORT or [IPV6%SCOPE]:PORT.  Numeric addresses are parsed
 * now; names only at apply (kn_conf_resolve), so "conf check" needs no DNS.
 */
static int kn_conf_endpoint(struct kn_conf_parser *ps, struct kn_conf_peer *p, const char *v)
{
	static const char expect[] = "expected HOST:PORT or [IPV6]:PORT with a port 1-65535";
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICHOST };
	struct addrinfo *res;
	char host[256];
	const char *colon, *h = v;
	size_t hlen;
	uint32_t port;

	if (v[0] == '[') {
		const char *close = strchr(v, ']');

		if (!close || close[1] != ':')
			return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
		h = v + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
		hints.ai_family = AF_INET6;
	} else {
		colon = strrchr(v, ':');
		if (!colon || strchr(v, ':') != colon)
			return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
		hlen = (size_t)(colon - v);
	}
	if (!hlen || hlen >= sizeof(host) || kn_parse_uint(colon + 1, 65535, &port) || !port)
		return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	free(p->ep_text);
	p->ep_text = strdup(v);
	if (!p->ep_text) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	p->has_ep = true;
	p->ep_line = ps->line;
	p->ep_resolved = false;
	if (getaddrinfo(host, NULL, &hints, &res)) {
		/* Not numeric: a bracketed form must be, a name waits for apply. */
		if (hints.ai_family == AF_INET6)
			return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
		for (const char *c = host; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.' && *c != '_')
				return kn_conf_err(ps, ps->line, "invalid endpoint", v,
						   "expected a host name or address, then :PORT");
		return 0;
	}
	memset(&p->ep, 0, sizeof(p->ep));
	memcpy(&p->ep, res->ai_addr, res->ai_addrlen);
	p->eplen = res->ai_addrlen;
	freeaddrinfo(res);
	if (p->ep.ss_family == AF_INET)
		((struct sockaddr_in *)&p->ep)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&p->ep)->sin6_port = htons(port);
	p->ep_resolved = true;
	return 0;
}

/* Print "KEY = VALUE". */
static void kn_conf_out(const struct kn_conf_printer *pr, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void kn_conf_out(const struct kn_conf_printer *pr, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(pr->f, "%s = ", key);
	va_start(ap, fmt);
	vfprintf(pr->f, fmt, ap);
	va_end(ap);
	fputc('\n', pr->f);
}

static void kn_conf_out_addr(const struct kn_conf_printer *pr, const char *key, int family,
			     const uint8_t *a)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, a, text, sizeof(text));
	kn_conf_out(pr, key, "%s", text);
}

static void kn_conf_out_prefix(const struct kn_conf_printer *pr, const char *key,
			       const struct kn_prefix *p)
{
	char text[INET6_ADDRSTRLEN + 8];

	kn_format_prefix(p->addr, p->alen, p->len, text, sizeof(text));
	kn_conf_out(pr, key, "%s", text);
}

/* A secret key: wiped from the stack once printed. */
static void kn_conf_out_secret(const struct kn_conf_printer *pr, const char *key,
			       const uint8_t k[KEYNET_KEY_LEN])
{
	char b64[45];

	kn_key_to_base64(k, b64);
	kn_conf_out(pr, key, "%s", b64);
	explicit_bzero(b64, sizeof(b64));
}

static void kn_conf_out_bool(const struct kn_conf_printer *pr, const char *key, bool val,
			     bool dflt, const char *yes, const char *no)
{
	if (val != dflt)
		kn_conf_out(pr, key, "%s", val ? yes : no);
}

static void kn_conf_out_u32(const struct kn_conf_printer *pr, const char *key, uint32_t val,
			    uint32_t dflt)
{
	if (val != dflt)
		kn_conf_out(pr, key, "%u", val);
}

static int kn_link_name(struct kn_conf_parser *ps, char *v)
{
	size_t i, n = strlen(v);

	if (!n || n >= IFNAMSIZ || !strcmp(v, ".") || !strcmp(v, ".."))
		return kn_conf_err(ps, ps->line, "invalid device name", v,
				   "expected 1-15 characters");
	for (i = 0; i < n; i++)
		if (v[i] == '/' || v[i] == ':' || isspace((unsigned char)v[i]))
			return kn_conf_err(ps, ps->line, "invalid device name", v,
					   "no '/', ':' or blanks");
	snprintf(ps->c->name, sizeof(ps->c->name), "%s", v);
	ps->c->name_line = ps->line;
	return 0;
}

static void kn_link_name_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->name[0])
		kn_conf_out(pr, key, "%s", pr->c->name);
}

static int kn_link_set_priv(struct kn_conf_parser *ps, const char *key_name)
{
	struct kn_conf *c = ps->c;

	/* PrivateKey and PrivateKeyFile are one setting. */
	if (c->has_priv)
		return kn_conf_err(ps, ps->line, "duplicate key", key_name,
				   "the private key was already given on line %d", c->priv_line);
	c->has_priv = true;
	c->priv_line = ps->line;
	return 0;
}

static int kn_link_priv_common(struct kn_conf_parser *ps)
{
	struct kn_conf *c = ps->c;

	if (c->priv_remove) {
		c->has_pub = false;
		return 0;
	}
	if (kn_x25519_pub(c->priv, c->pub)) {
		kn_err("cannot compute the public key (OpenSSL X25519 failed)");
		return KN_EXIT_FAIL;
	}
	c->has_pub = true;
	return 0;
}

static int kn_link_privkey(struct kn_conf_parser *ps, char *v)
{
	int ret = kn_link_set_priv(ps, "PrivateKey");

	if (ret)
		return ret;
	if (kn_base64_to_key(v, ps->c->priv) && kn_hex_to_key(v, strlen(v), ps->c->priv))
		return kn_conf_err(ps, ps->line, "invalid private key", "PrivateKey",
				   "expected a 44-character base64 key or 64 hex digits");
	ps->c->has_secrets = true;
	return kn_link_priv_common(ps);
}

/* The public key and address as comments, then the private key. */
static void kn_link_privkey_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf *c = pr->c;
	char b64[45], text[INET6_ADDRSTRLEN];

	if (c->has_pub) {
		uint8_t a[16];

		fprintf(pr->f, "# PublicKey = %s\n", kn_conf_key_text(c->pub, b64));
		if (c->has_address)
			memcpy(a, c->address, 16);
		if (c->has_address || !kn_key_address(c->pub, c->aprefix, c->aplen, a)) {
			inet_ntop(AF_INET6, a, text, sizeof(text));
			fprintf(pr->f, "# its key-derived address: %s\n", text);
		}
	}
	if (c->has_priv && !c->priv_remove)
		kn_conf_out_secret(pr, key, c->priv);
}

static int kn_link_privkeyfile(struct kn_conf_parser *ps, char *v)
{
	int ret = kn_link_set_priv(ps, "PrivateKeyFile");

	if (ret)
		return ret;
	ret = kn_conf_key_file(ps, v, "private key", ps->c->priv, &ps->c->priv_remove);
	return ret ? ret : kn_link_priv_common(ps);
}

static int kn_link_port(struct kn_conf_parser *ps, char *v)
{
	uint32_t port;

	if (kn_parse_uint(v, 65535, &port))
		return kn_conf_err(ps, ps->line, "invalid port", v, "expected 0-65535 (0: random)");
	ps->c->port = (uint16_t)port;
	return 0;
}

static void kn_link_port_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out(pr, key, "%u", pr->c->port);
}

static int kn_link_laddr(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf *c = ps->c;

	if (!strcasecmp(v, "any")) {
		c->laddr_len = 0;
		return 0;
	}
	if (inet_pton(AF_INET, v, c->laddr) == 1)
		c->laddr_len = 4;
	else if (inet_pton(AF_INET6, v, c->laddr) == 1)
		c->laddr_len = 16;
	else
		return kn_conf_err(ps, ps->line, "invalid listen address", v,
				   "expected an IPv4 or IPv6 address (no port) or any");
	return 0;
}

static void kn_link_laddr_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf *c = pr->c;

	if (c->laddr_len)
		kn_conf_out_addr(pr, key, c->laddr_len == 4 ? AF_INET : AF_INET6, c->laddr);
}

static int kn_link_fwmark(struct kn_conf_parser *ps, char *v)
{
	if (!strcasecmp(v, "off"))
		ps->c->fwmark = 0;
	else if (kn_parse_uint(v, UINT32_MAX, &ps->c->fwmark))
		return kn_conf_err(ps, ps->line, "invalid fwmark", v,
				   "expected a 32-bit number (decimal or 0x hex) or off");
	return 0;
}

static void kn_link_fwmark_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->fwmark)
		kn_conf_out(pr, key, "0x%x", pr->c->fwmark);
}

static int kn_link_addressing(struct kn_conf_parser *ps, char *v)
{
	static const char expect[] = "expected an IPv6 PREFIX/LEN with LEN 8-64 and no bits set beyond LEN";
	struct kn_prefix p;

	if (!strchr(v, '/') || kn_conf_parse_prefix(v, &p, false) || p.family != AF_INET6 ||
	    p.len < 8 || p.len > 64)
		return kn_conf_err(ps, ps->line, "invalid addressing prefix", v, expect);
	memcpy(ps->c->aprefix, p.addr, 16);
	ps->c->aplen = p.len;
	return 0;
}

static void kn_link_addressing_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf *c = pr->c;
	struct kn_prefix p = { .family = AF_INET6, .alen = 16, .len = c->aplen };
	uint8_t dp[16], dl;

	kn_default_addressing(dp, &dl);
	if (c->aplen == dl && !memcmp(c->aprefix, dp, 16))
		return;
	memcpy(p.addr, c->aprefix, 16);
	kn_conf_out_prefix(pr, key, &p);
}

static int kn_link_autoaddr(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_bool(v, &ps->c->auto_address);

	return e ? kn_conf_err(ps, ps->line, "invalid value", v, "%s", e) : 0;
}

static void kn_link_autoaddr_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->auto_address, true, "yes", "no");
}

static int kn_link_peerroutes(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_bool(v, &ps->c->peer_routes);

	return e ? kn_conf_err(ps, ps->line, "invalid value", v, "%s", e) : 0;
}

static void kn_link_peerroutes_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->peer_routes, true, "yes", "no");
}

static int kn_link_local(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf *c = ps->c;
	const char *e;
	int i;

	if (c->n_local >= KN_CONF_LOCAL_MAX)
		return kn_conf_err(ps, ps->line, "too many local prefixes", v, "at most %d",
				   KN_CONF_LOCAL_MAX);
	e = kn_conf_parse_prefix(v, &c->local[c->n_local], false);
	if (e)
		return kn_conf_err(ps, ps->line, "invalid prefix", v, "%s", e);
	for (i = 0; i < c->n_local; i++)
		if (kn_conf_prefix_eq(&c->local[i], &c->local[c->n_local]))
			return kn_conf_err(ps, ps->line, "duplicate local prefix", v,
					   "give each prefix once");
	c->n_local++;
	return 0;
}

static void kn_link_local_print(const struct kn_conf_printer *pr, const char *key)
{
	for (int i = 0; i < pr->c->n_local; i++)
		kn_conf_out_prefix(pr, key, &pr->c->local[i]);
}

static int kn_link_mtu(struct kn_conf_parser *ps, char *v)
{
	if (kn_parse_uint(v, KN_CONF_MTU_MAX, &ps->c->mtu) || ps->c->mtu < KN_CONF_MTU_MIN)
		return kn_conf_err(ps, ps->line, "invalid MTU", v, "expected %d-%d",
				   KN_CONF_MTU_MIN, KN_CONF_MTU_MAX);
	return 0;
}

static void kn_link_mtu_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->mtu, KN_CONF_DEFAULT_MTU);
}

static int kn_link_table(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_table(v, true, &ps->c->table);

	return e ? kn_conf_err(ps, ps->line, "invalid table", v, "%s", e) : 0;
}

static void kn_link_table_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->table == KN_CONF_TABLE_MAIN)
		kn_conf_out(pr, key, "main");
	else
		kn_conf_out_u32(pr, key, pr->c->table, 0);
}

static int kn_link_address(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf *c = ps->c;
	struct kn_conf_addr *a;
	struct kn_prefix p;
	const char *e = kn_conf_parse_prefix(v, &p, true);
	int i;

	if (e)
		return kn_conf_err(ps, ps->line, "invalid address", v, "%s", e);
	for (i = 0; i < c->n_addrs; i++)
		if (c->addrs[i].family == p.family && !memcmp(c->addrs[i].addr, p.addr, p.alen))
			return kn_conf_err(ps, ps->line, "duplicate address", v,
					   "already given on line %d", c->addrs[i].line);
	a = kn_conf_grow(c->addrs, &c->n_addrs, sizeof(*a));
	if (!a) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	c->addrs = a;
	a += c->n_addrs - 1;
	a->line = ps->line;
	a->family = p.family;
	memcpy(a->addr, p.addr, 16);
	a->plen = p.len;
	return 0;
}

static void kn_link_address_print(const struct kn_conf_printer *pr, const char *key)
{
	for (int i = 0; i < pr->c->n_addrs; i++) {
		const struct kn_conf_addr *a = &pr->c->addrs[i];
		struct kn_prefix p = {
			.family = a->family, .alen = a->family == AF_INET ? 4 : 16, .len = a->plen,
		};

		memcpy(p.addr, a->addr, 16);
		kn_conf_out_prefix(pr, key, &p);
	}
}

/* HostRoute = PREFIX [src ADDR] [metric N] [table T] */
static int kn_link_hostroute(struct kn_conf_parser *ps, char *v)
{
	static const char expect[] = "expected PREFIX [src ADDR] [metric N] [table T]";
	struct kn_conf *c = ps->c;
	struct kn_conf_hroute r = { .line = ps->line, .table = KN_CONF_TABLE_MAIN };
	char *w[8];
	const char *e;
	bool has_metric = false;
	int n, i;

	n = kn_conf_words(v, w, 8);
	if (n < 1 || n % 2 == 0)
		return kn_conf_err(ps, ps->line, "invalid host route", n > 0 ? w[0] : v, expect);
	e = kn_conf_parse_prefix(w[0], &r.p, false);
	if (e)
		return kn_conf_err(ps, ps->line, "invalid prefix", w[0], "%s", e);
	for (i = 1; i < n; i += 2) {
		if (!strcasecmp(w[i], "src")) {
			int fam = r.p.family;

			if (inet_pton(fam, w[i + 1], r.src) != 1)
				return kn_conf_err(ps, ps->line, "invalid source address", w[i + 1],
						   "expected an %s address", fam == AF_INET ? "IPv4" : "IPv6");
			r.has_src = true;
		} else if (!strcasecmp(w[i], "metric")) {
			if (kn_parse_uint(w[i + 1], UINT32_MAX, &r.metric))
				return kn_conf_err(ps, ps->line, "invalid metric", w[i + 1],
						   "expected a number 0-4294967295");
			has_metric = true;
		} else if (!strcasecmp(w[i], "table")) {
			e = kn_conf_table(w[i + 1], false, &r.table);
			if (e)
				return kn_conf_err(ps, ps->line, "invalid table", w[i + 1], "%s", e);
		} else {
			return kn_conf_err(ps, ps->line, "unknown host route option", w[i], expect);
		}
	}
	if (!has_metric && r.p.family == AF_INET6)
		r.metric = KN_CONF_V6_METRIC;
	for (i = 0; i < c->n_hroutes; i++) {
		const struct kn_conf_hroute *o = &c->hroutes[i];

		if (kn_conf_prefix_eq(&o->p, &r.p) && o->table == r.table && o->metric == r.metric)
			return kn_conf_err(ps, ps->line, "duplicate host route", w[0],
					   "already given on line %d", o->line);
	}
	{
		struct kn_conf_hroute *a = kn_conf_grow(c->hroutes, &c->n_hroutes, sizeof(*a));

		if (!a) {
			kn_err("out of memory");
			return KN_EXIT_FAIL;
		}
		c->hroutes = a;
		a[c->n_hroutes - 1] = r;
	}
	return 0;
}

static void kn_link_hostroute_print(const struct kn_conf_printer *pr, const char *key)
{
	char text[INET6_ADDRSTRLEN + 8];

	for (int i = 0; i < pr->c->n_hroutes; i++) {
		const struct kn_conf_hroute *r = &pr->c->hroutes[i];

		kn_format_prefix(r->p.addr, r->p.alen, r->p.len, text, sizeof(text));
		fprintf(pr->f, "%s = %s", key, text);
		if (r->has_src) {
			inet_ntop(r->p.family, r->src, text, sizeof(text));
			fprintf(pr->f, " src %s", text);
		}
		if (r->metric != (r->p.family == AF_INET6 ? KN_CONF_V6_METRIC : 0))
			fprintf(pr->f, " metric %u", r->metric);
		if (r->table != KN_CONF_TABLE_MAIN)
			fprintf(pr->f, " table %u", r->table);
		fputc('\n', pr->f);
	}
}

static const char * const kn_beacon_modes[] = {
	[KEYNET_BEACON_OFF] = "off",
	[KEYNET_BEACON_ACCEPT] = "accept",
	[KEYNET_BEACON_SEND] = "send",
};

static int kn_link_beacon(struct kn_conf_parser *ps, char *v)
{
	uint8_t m;

	for (m = 0; m < KN_ARRAY_SIZE(kn_beacon_modes); m++) {
		if (!strcasecmp(v, kn_beacon_modes[m])) {
			ps->c->beacon_mode = m;
			return 0;
		}
	}
	return kn_conf_err(ps, ps->line, "invalid beacon mode", v, "expected off, accept or send");
}

static void kn_link_beacon_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->beacon_mode != KEYNET_BEACON_OFF)
		kn_conf_out(pr, key, "%s", kn_beacon_modes[pr->c->beacon_mode]);
}

static int kn_link_beacondev(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf *c = ps->c;
	size_t n = strlen(v);
	int i;

	if (!n || n >= IFNAMSIZ || strpbrk(v, "/: \t"))
		return kn_conf_err(ps, ps->line, "invalid interface name", v,
				   "expected 1-15 characters, no '/', ':' or blanks");
	if (c->n_beacon_devs >= KN_CONF_BEACON_DEVS_MAX)
		return kn_conf_err(ps, ps->line, "too many beacon interfaces", v, "at most %d",
				   KN_CONF_BEACON_DEVS_MAX);
	for (i = 0; i < c->n_beacon_devs; i++)
		if (!strcmp(c->beacon_devs[i], v))
			return kn_conf_err(ps, ps->line, "duplicate beacon interface", v,
					   "already given on line %d", c->beacon_dev_line[i]);
	snprintf(c->beacon_devs[c->n_beacon_devs], IFNAMSIZ, "%s", v);
	c->beacon_dev_line[c->n_beacon_devs++] = ps->line;
	return 0;
}

static void kn_link_beacondev_print(const struct kn_conf_printer *pr, const char *key)
{
	for (int i = 0; i < pr->c->n_beacon_devs; i++)
		kn_conf_out(pr, key, "%s", pr->c->beacon_devs[i]);
}

static int kn_link_beaconport(struct kn_conf_parser *ps, char *v)
{
	uint32_t port;

	if (kn_parse_uint(v, 65535, &port) || !port)
		return kn_conf_err(ps, ps->line, "invalid port", v, "expected 1-65535");
	ps->c->beacon_port = (uint16_t)port;
	return 0;
}

static void kn_link_beaconport_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->beacon_port, KEYNET_BEACON_DEFAULT_PORT);
}

static int kn_link_beaconmax(struct kn_conf_parser *ps, char *v)
{
	if (kn_parse_uint(v, KN_CONF_BEACON_PEERS_MAX, &ps->c->beacon_max))
		return kn_conf_err(ps, ps->line, "invalid number of peers", v, "expected 0-%d",
				   KN_CONF_BEACON_PEERS_MAX);
	return 0;
}

static void kn_link_beaconmax_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->beacon_max, KEYNET_BEACON_DEFAULT_MAX_PEERS);
}

static int kn_link_beaconwindow(struct kn_conf_parser *ps, char *v)
{
	if (kn_parse_uint(v, KN_CONF_BEACON_WINDOW_MAX, &ps->c->beacon_window))
		return kn_conf_err(ps, ps->line, "invalid beacon stamp window", v,
				   "expected 0-%d seconds", KN_CONF_BEACON_WINDOW_MAX);
	return 0;
}

static void kn_link_beaconwindow_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->beacon_window, KEYNET_BEACON_DEFAULT_STAMP_WINDOW);
}

static int kn_link_beacon_key_once(struct kn_conf_parser *ps, const char *key_name)
{
	if (ps->c->has_beacon_key)
		return kn_conf_err(ps, ps->line, "duplicate key", key_name,
				   "the beacon key was already given on line %d",
				   ps->c->beacon_key_line);
	ps->c->has_beacon_key = true;
	ps->c->beacon_key_line = ps->line;
	return 0;
}

static int kn_link_beaconkey(struct kn_conf_parser *ps, char *v)
{
	int ret = kn_link_beacon_key_once(ps, "BeaconKey");

	if (ret)
		return ret;
	if (kn_base64_to_key(v, ps->c->beacon_key))
		return kn_conf_err(ps, ps->line, "invalid beacon key", "BeaconKey",
				   "expected a 44-character base64 key (keynet genpsk)");
	ps->c->has_secrets = true;
	return 0;
}

static void kn_link_beaconkey_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf *c = pr->c;

	if (c->has_beacon_key && !c->beacon_key_remove)
		kn_conf_out_secret(pr, key, c->beacon_key);
	else if (c->beacon_key_set)
		fputs("# A beacon key is set; the kernel never gives it back, so it is not here:\n"
		      "# without BeaconKey= it stays as it is.\n", pr->f);
}

static int kn_link_beaconkeyfile(struct kn_conf_parser *ps, char *v)
{
	int ret = kn_link_beacon_key_once(ps, "BeaconKeyFile");

	return ret ? ret : kn_conf_key_file(ps, v, "beacon key", ps->c->beacon_key,
					    &ps->c->beacon_key_remove);
}

static const struct kn_conf_key kn_link_keys[] = {
	{ "Name", kn_link_name, kn_link_name_print, false },
	{ "PrivateKey", kn_link_privkey, kn_link_privkey_print, false },
	{ "PrivateKeyFile", kn_link_privkeyfile, NULL, false },
	{ "ListenPort", kn_link_port, kn_link_port_print, false },
	{ "ListenAddress", kn_link_laddr, kn_link_laddr_print, false },
	{ "FwMark", kn_link_fwmark, kn_link_fwmark_print, false },
	{ "Addressing", kn_link_addressing, kn_link_addressing_print, false },
	{ "AutoAddress", kn_link_autoaddr, kn_link_autoaddr_print, false },
	{ "PeerRoutes", kn_link_peerroutes, kn_link_peerroutes_print, false },
	{ "LocalPrefix", kn_link_local, kn_link_local_print, true },
	{ "MTU", kn_link_mtu, kn_link_mtu_print, false },
	{ "Table", kn_link_table, kn_link_table_print, false },
	{ "Address", kn_link_address, kn_link_address_print, true },
	{ "HostRoute", kn_link_hostroute, kn_link_hostroute_print, true },
	{ "Beacon", kn_link_beacon, kn_link_beacon_print, false },
	{ "BeaconDevice", kn_link_beacondev, kn_link_beacondev_print, true },
	{ "BeaconPort", kn_link_beaconport, kn_link_beaconport_print, false },
	{ "BeaconMaxPeers", kn_link_beaconmax, kn_link_beaconmax_print, false },
	{ "BeaconStampWindow", kn_link_beaconwindow, kn_link_beaconwindow_print, false },
	{ "BeaconKey", kn_link_beaconkey, kn_link_beaconkey_print, false },
	{ "BeaconKeyFile", kn_link_beaconkeyfile, NULL, false },
};

static struct kn_conf_peer *kn_cur_peer(struct kn_conf_parser *ps)
{
	return &ps->c->peers[ps->peer];
}

static int kn_peer_pubkey(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_peer *p = kn_cur_peer(ps);

	if (!kn_conf_pubkey(v, p->key))
		return kn_conf_err(ps, ps->line, "invalid key", v,
				   "expected a 44-character base64 public key (or cjdns' .k form)");
	if (kn_conf_key_low_order(p->key))
		return kn_conf_err(ps, ps->line, "invalid key", v,
				   "a low-order point, which no peer can have");
	return 0;
}

/* The key-derived address as a comment: the kernel's if it gave one. */
static void kn_peer_pubkey_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_peer *p = &pr->c->peers[pr->i];
	char b64[45], text[INET6_ADDRSTRLEN];
	uint8_t a[16];

	if (p->has_address)
		memcpy(a, p->address, 16);
	if (p->has_address || !kn_key_address(p->key, pr->c->aprefix, pr->c->aplen, a)) {
		inet_ntop(AF_INET6, a, text, sizeof(text));
		fprintf(pr->f, "# key-derived address: %s\n", text);
	}
	kn_conf_out(pr, key, "%s", kn_conf_key_text(p->key, b64));
}

static int kn_peer_psk(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_peer *p = kn_cur_peer(ps);

	if (p->has_psk)
		return kn_conf_err(ps, ps->line, "duplicate key", "PresharedKey",
				   "the preshared key was already given");
	if (kn_base64_to_key(v, p->psk))
		return kn_conf_err(ps, ps->line, "invalid preshared key", "PresharedKey",
				   "expected a 44-character base64 key (keynet genpsk)");
	p->has_psk = true;
	ps->c->has_secrets = true;
	return 0;
}

static void kn_peer_psk_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_peer *p = &pr->c->peers[pr->i];

	if (p->has_psk)
		kn_conf_out_secret(pr, key, p->psk);
}

static int kn_peer_pskfile(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_peer *p = kn_cur_peer(ps);
	bool empty;
	int ret;

	if (p->has_psk)
		return kn_conf_err(ps, ps->line, "duplicate key", "PresharedKeyFile",
				   "the preshared key was already given");
	ret = kn_conf_key_file(ps, v, "preshared key", p->psk, &empty);
	if (ret)
		return ret;
	p->has_psk = !empty;
	return 0;
}

static int kn_peer_endpoint(struct kn_conf_parser *ps, char *v)
{
	return kn_conf_endpoint(ps, kn_cur_peer(ps), v);
}

static void kn_peer_endpoint_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_peer *p = &pr->c->peers[pr->i];
	char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];

	if (p->has_ep && p->ep_resolved) {
		kn_format_endpoint(&p->ep, p->eplen, ep, sizeof(ep));
		kn_conf_out(pr, key, "%s", ep);
	} else if (p->has_ep) {
		/* A host name as written: up to 255 bytes, never cut. */
		kn_conf_out(pr, key, "%s", p->ep_text);
	}
}

static int kn_peer_keepalive(struct kn_conf_parser *ps, char *v)
{
	uint32_t ka = 0;

	if (strcasecmp(v, "off") && kn_parse_uint(v, 65535, &ka))
		return kn_conf_err(ps, ps->line, "invalid keepalive", v,
				   "expected seconds 0-65535 or off");
	kn_cur_peer(ps)->keepalive = (uint16_t)ka;
	return 0;
}

static void kn_peer_keepalive_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->peers[pr->i].keepalive, 0);
}

static int kn_peer_name(struct kn_conf_parser *ps, char *v)
{
	if (strlen(v) >= KEYNET_PEER_NAME_LEN)
		return kn_conf_err(ps, ps->line, "name too long", v, "expected at most %d bytes",
				   KEYNET_PEER_NAME_LEN - 1);
	snprintf(kn_cur_peer(ps)->name, KEYNET_PEER_NAME_LEN, "%s", v);
	return 0;
}

static void kn_peer_name_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->peers[pr->i].name[0])
		kn_conf_out(pr, key, "%s", pr->c->peers[pr->i].name);
}

static int kn_peer_autoroute(struct kn_conf_parser *ps, char *v)
{
	bool on;
	const char *e = kn_conf_bool(v, &on);

	if (e)
		return kn_conf_err(ps, ps->line, "invalid value", v, "%s", e);
	kn_cur_peer(ps)->no_auto_route = !on;
	return 0;
}

static void kn_peer_autoroute_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, !pr->c->peers[pr->i].no_auto_route, true, "yes", "no");
}

static int kn_peer_transit(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_bool(v, &kn_cur_peer(ps)->transit);

	return e ? kn_conf_err(ps, ps->line, "invalid value", v, "%s", e) : 0;
}

static void kn_peer_transit_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->peers[pr->i].transit, false, "on", "off");
}

/* Route = PREFIX [metric N] */
static int kn_peer_route(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf *c = ps->c;
	struct kn_prefix p;
	uint32_t metric = 0;
	const char *e;
	char *w[3];
	int n;

	n = kn_conf_words(v, w, 3);
	if (n != 1 && !(n == 3 && !strcasecmp(w[1], "metric")))
		return kn_conf_err(ps, ps->line, "invalid route", n > 0 ? w[n > 1 ? 1 : 0] : v,
				   "expected PREFIX [metric N]");
	e = kn_conf_parse_prefix(w[0], &p, false);
	if (e)
		return kn_conf_err(ps, ps->line, "invalid prefix", w[0], "%s", e);
	if (n == 3 && kn_parse_uint(w[2], UINT32_MAX, &metric))
		return kn_conf_err(ps, ps->line, "invalid metric", w[2],
				   "expected a number 0-4294967295");
	/* Duplicates are found for the whole file by kn_conf_first_dup(). */
	if (kn_conf_add_route(c, ps->peer, &p, metric))
		return KN_EXIT_FAIL;
	c->routes[c->n_routes - 1].line = ps->line;
	return 0;
}

/* The peer's routes but those the kernel added itself (auto). */
static void kn_peer_route_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf *c = pr->c;
	char text[INET6_ADDRSTRLEN + 8];
	int k, end = pr->first ? pr->first[pr->i + 1] : c->n_routes;

	for (k = pr->first ? pr->first[pr->i] : 0; k < end; k++) {
		const struct kn_conf_route *r = &c->routes[pr->first ? pr->ord[k] : k];

		if (r->peer != pr->i || r->is_auto)
			continue;
		kn_format_prefix(r->p.addr, r->p.alen, r->p.len, text, sizeof(text));
		if (r->metric)
			kn_conf_out(pr, key, "%s metric %u", text, r->metric);
		else
			kn_conf_out(pr, key, "%s", text);
	}
}

/* PublicKey first: kn_conf_end_section() checks seen[0]. */
static const struct kn_conf_key kn_peer_keys[] = {
	{ "PublicKey", kn_peer_pubkey, kn_peer_pubkey_print, false },
	{ "PresharedKey", kn_peer_psk, kn_peer_psk_print, false },
	{ "PresharedKeyFile", kn_peer_pskfile, NULL, false },
	{ "Endpoint", kn_peer_endpoint, kn_peer_endpoint_print, false },
	{ "PersistentKeepalive", kn_peer_keepalive, kn_peer_keepalive_print, false },
	{ "Name", kn_peer_name, kn_peer_name_print, false },
	{ "AutoRoute", kn_peer_autoroute, kn_peer_autoroute_print, false },
	{ "Transit", kn_peer_transit, kn_peer_transit_print, false },
	{ "Route", kn_peer_route, kn_peer_route_print, true },
};

static int kn_route_prefix(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_pending_route *r = kn_cur_proute(ps);
	const char *e = kn_conf_parse_prefix(v, &r->p, false);

	if (e)
		return kn_conf_err(ps, ps->line, "invalid prefix", v, "%s", e);
	r->has_prefix = true;
	r->prefix_line = ps->line;
	return 0;
}

static int kn_route_peer(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_pending_route *r = kn_cur_proute(ps);

	r->peer_ref = strdup(v);
	if (!r->peer_ref) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	r->peer_line = ps->line;
	return 0;
}

static int kn_route_metric(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_pending_route *r = kn_cur_proute(ps);

	if (kn_parse_uint(v, UINT32_MAX, &r->metric))
		return kn_conf_err(ps, ps->line, "invalid metric", v, "expected a number 0-4294967295");
	r->has_metric = true;
	return 0;
}

/* Printed as their peer's Route= lines: a [Route] is never printed. */
static const struct kn_conf_key kn_route_keys[] = {
	{ "Prefix", kn_route_prefix, NULL, false },
	{ "Peer", kn_route_peer, NULL, false },
	{ "Metric", kn_route_metric, NULL, false },
};

static int kn_nat64_prefix(struct kn_conf_parser *ps, char *v)
{
	static const char expect[] =
		"expected an RFC 6052 IPv6 PREFIX/LEN: LEN 32, 40, 48, 56, 64 or 96, bits 64-71 zero, no host bits";
	struct kn_conf_nat64 *n = &ps->c->nat64;
	struct kn_prefix p;

	if (!strchr(v, '/') || kn_conf_parse_prefix(v, &p, false) || p.family != AF_INET6 ||
	    (p.len != 32 && p.len != 40 && p.len != 48 && p.len != 56 && p.len != 64 &&
	     p.len != 96) || p.addr[8])
		return kn_conf_err(ps, ps->line, "invalid NAT64 prefix", v, expect);
	memcpy(n->prefix, p.addr, 16);
	n->plen = p.len;
	ps->nat64_prefix = true;
	return 0;
}

static void kn_nat64_prefix_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_nat64 *n = &pr->c->nat64;
	struct kn_prefix p = { .family = AF_INET6, .alen = 16, .len = n->plen };

	memcpy(p.addr, n->prefix, 16);
	kn_conf_out_prefix(pr, key, &p);
}

static int kn_nat64_v4(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_nat64 *n = &ps->c->nat64;

	n->has_v4 = strcasecmp(v, "none");
	if (n->has_v4 && inet_pton(AF_INET, v, n->v4) != 1)
		return kn_conf_err(ps, ps->line, "invalid IPv4 address", v,
				   "expected a dotted quad or none");
	return 0;
}

static void kn_nat64_v4_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->nat64.has_v4)
		kn_conf_out_addr(pr, key, AF_INET, pr->c->nat64.v4);
}

static int kn_nat64_v6(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_nat64 *n = &ps->c->nat64;

	n->has_v6 = strcasecmp(v, "none");
	if (n->has_v6 && inet_pton(AF_INET6, v, n->v6) != 1)
		return kn_conf_err(ps, ps->line, "invalid IPv6 address", v,
				   "expected an IPv6 address or none");
	return 0;
}

static void kn_nat64_v6_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->nat64.has_v6)
		kn_conf_out_addr(pr, key, AF_INET6, pr->c->nat64.v6);
}

static int kn_nat64_mss(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_nat64 *n = &ps->c->nat64;
	uint32_t m;

	if (!strcasecmp(v, "on") || !strcasecmp(v, "auto") || !strcasecmp(v, "yes"))
		n->mss = KEYNET_NAT64_MSS_AUTO;
	else if (!strcasecmp(v, "off") || !strcasecmp(v, "no"))
		n->mss = 0;
	else if (kn_parse_uint(v, 65534, &m) || m < KN_CONF_MSS_MIN)
		return kn_conf_err(ps, ps->line, "invalid MSS clamp", v,
				   "expected on, off or %d-65534", KN_CONF_MSS_MIN);
	else
		n->mss = (uint16_t)m;
	return 0;
}

static void kn_nat64_mss_print(const struct kn_conf_printer *pr, const char *key)
{
	uint16_t mss = pr->c->nat64.mss;

	if (mss == 0)
		kn_conf_out(pr, key, "off");
	else if (mss != KEYNET_NAT64_MSS_AUTO)
		kn_conf_out(pr, key, "%u", mss);
}

static int kn_nat64_wkp(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_bool(v, &ps->c->nat64.strict_wkp);

	return e ? kn_conf_err(ps, ps->line, "invalid value", v, "%s", e) : 0;
}

static void kn_nat64_wkp_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->nat64.strict_wkp, true, "yes", "no");
}

static int kn_nat64_udp0(struct kn_conf_parser *ps, char *v)
{
	if (!strcasecmp(v, "compute"))
		ps->c->nat64.udp0_drop = false;
	else if (!strcasecmp(v, "drop"))
		ps->c->nat64.udp0_drop = true;
	else
		return kn_conf_err(ps, ps->line, "invalid value", v, "expected compute or drop");
	return 0;
}

static void kn_nat64_udp0_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->nat64.udp0_drop, false, "drop", "compute");
}

static int kn_nat64_timeout(struct kn_conf_parser *ps, char *v)
{
	if (kn_parse_uint(v, UINT32_MAX, &ps->c->nat64.timeout) || !ps->c->nat64.timeout)
		return kn_conf_err(ps, ps->line, "invalid pool timeout", v,
				   "expected seconds 1-4294967295");
	return 0;
}

static void kn_nat64_timeout_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->nat64.timeout, KN_CONF_NAT64_TIMEOUT);
}

static int kn_nat64_per64(struct kn_conf_parser *ps, char *v)
{
	if (kn_parse_uint(v, UINT32_MAX, &ps->c->nat64.per64))
		return kn_conf_err(ps, ps->line, "invalid PoolPer64", v,
				   "expected mappings per /64, 0-4294967295 (0: no limit)");
	return 0;
}

static void kn_nat64_per64_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->nat64.per64, KN_CONF_NAT64_PER_64);
}

static const struct kn_conf_key kn_nat64_keys[] = {
	{ "Prefix", kn_nat64_prefix, kn_nat64_prefix_print, false },
	{ "IPv4Address", kn_nat64_v4, kn_nat64_v4_print, false },
	{ "IPv6Address", kn_nat64_v6, kn_nat64_v6_print, false },
	{ "MSSClamp", kn_nat64_mss, kn_nat64_mss_print, false },
	{ "StrictWKP", kn_nat64_wkp, kn_nat64_wkp_print, false },
	{ "UDPZeroChecksum", kn_nat64_udp0, kn_nat64_udp0_print, false },
	{ "PoolTimeout", kn_nat64_timeout, kn_nat64_timeout_print, false },
	{ "PoolPer64", kn_nat64_per64, kn_nat64_per64_print, false },
};

static int kn_pool_range(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf *c = ps->c;
	struct kn_conf_pool *r;
	struct kn_prefix p;

	if (kn_conf_parse_prefix(v, &p, false) || p.family != AF_INET || p.len < 16)
		return kn_conf_err(ps, ps->line, "invalid pool range", v,
				   "expected an IPv4 prefix /16 to /32 with no host bits");
	r = kn_conf_grow(c->pools, &c->n_pools, sizeof(*r));
	if (!r) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	c->pools = r;
	r[c->n_pools - 1].line = ps->line;
	r[c->n_pools - 1].p = p;
	return 0;
}

/* Every range in one [Pool]. */
static void kn_pool_range_print(const struct kn_conf_printer *pr, const char *key)
{
	char text[INET_ADDRSTRLEN + 4];

	for (int i = 0; i < pr->c->n_pools; i++) {
		kn_format_prefix(pr->c->pools[i].p.addr, 4, pr->c->pools[i].p.len, text,
				 sizeof(text));
		kn_conf_out(pr, key, "%s", text);
	}
}

static const struct kn_conf_key kn_pool_keys[] = {
	{ "Range", kn_pool_range, kn_pool_range_print, true },
};

static int kn_map_v4(struct kn_conf_parser *ps, char *v)
{
	if (inet_pton(AF_INET, v, ps->c->maps[ps->c->n_maps - 1].v4) != 1)
		return kn_conf_err(ps, ps->line, "invalid IPv4 address", v, "expected a dotted quad");
	ps->map_v4 = true;
	return 0;
}

static void kn_map_v4_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_addr(pr, key, AF_INET, pr->c->maps[pr->i].v4);
}

static int kn_map_v6(struct kn_conf_parser *ps, char *v)
{
	if (inet_pton(AF_INET6, v, ps->c->maps[ps->c->n_maps - 1].v6) != 1)
		return kn_conf_err(ps, ps->line, "invalid IPv6 address", v, "expected an IPv6 address");
	ps->map_v6 = true;
	return 0;
}

static void kn_map_v6_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_addr(pr, key, AF_INET6, pr->c->maps[pr->i].v6);
}

static const struct kn_conf_key kn_map_keys[] = {
	{ "IPv4", kn_map_v4, kn_map_v4_print, false },
	{ "IPv6", kn_map_v6, kn_map_v6_print, false },
};

/* How many of a section "conf dump" prints. */
static int kn_conf_one(const struct kn_conf *c)
{
	return 1;
}

static int kn_conf_n_peers(const struct kn_conf *c)
{
	return c->n_peers;
}

static int kn_conf_none(const struct kn_conf *c)
{
	return 0;
}

static int kn_conf_nat64_on(const struct kn_conf *c)
{
	return c->nat64.on;
}

static int kn_conf_has_pools(const struct kn_conf *c)
{
	return c->nat64.on && c->n_pools;
}

static int kn_conf_n_maps(const struct kn_conf *c)
{
	return c->nat64.on ? c->n_maps : 0;
}

const struct kn_conf_sect_keys kn_sect_keys[] = {
	[KN_SECT_LINK] = { kn_link_keys, KN_ARRAY_SIZE(kn_link_keys), kn_conf_one },
	[KN_SECT_PEER] = { kn_peer_keys, KN_ARRAY_SIZE(kn_peer_keys), kn_conf_n_peers },
	[KN_SECT_ROUTE] = { kn_route_keys, KN_ARRAY_SIZE(kn_route_keys), kn_conf_none },
	[KN_SECT_NAT64] = { kn_nat64_keys, KN_ARRAY_SIZE(kn_nat64_keys), kn_conf_nat64_on },
	[KN_SECT_POOL] = { kn_pool_keys, KN_ARRAY_SIZE(kn_pool_keys), kn_conf_has_pools },
	[KN_SECT_MAP] = { kn_map_keys, KN_ARRAY_SIZE(kn_map_keys), kn_conf_n_maps },
};
