// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of keynet.conf(5)'s [Link] section: one row each (its parse
 * into struct kn_conf and its print for "conf dump"), in the order of the
 * printed file.
 */
#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "conf_keys.h"

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

static int kn_link_mesh(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_bool(v, &ps->c->mesh);

	return e ? kn_conf_err(ps, ps->line, "invalid value", v, "%s", e) : 0;
}

/* Off is the default: printed only when on, as "on" ("link set mesh on"). */
static void kn_link_mesh_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->mesh, false, "on", "off");
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
	{ "Mesh", kn_link_mesh, kn_link_mesh_print, false },
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

static int kn_conf_one(const struct kn_conf *c)
{
	return 1;
}

const struct kn_conf_sect_keys kn_link_sect = {
	kn_link_keys, KN_ARRAY_SIZE(kn_link_keys), kn_conf_one
};
