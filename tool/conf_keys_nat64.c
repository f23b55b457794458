// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of keynet.conf(5)'s [NAT64], [Pool] and [Map] sections: one
 * row each (its parse into struct kn_conf and its print for "conf dump"),
 * in the order of the printed file.
 */
#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "conf_keys.h"

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

static int kn_nat64_clat(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_bool(v, &ps->c->nat64.clat);

	return e ? kn_conf_err(ps, ps->line, "invalid value", v, "%s", e) : 0;
}

static void kn_nat64_clat_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->nat64.clat, false, "yes", "no");
}

static const char * const kn_udp0_names[] = {
	[KEYNET_NAT64_UDP0_COMPUTE] = "compute",
	[KEYNET_NAT64_UDP0_DROP] = "drop",
	[KEYNET_NAT64_UDP0_FORWARD] = "forward",
};

static int kn_nat64_udp0(struct kn_conf_parser *ps, char *v)
{
	for (unsigned int i = 0; i < KN_ARRAY_SIZE(kn_udp0_names); i++) {
		if (!strcasecmp(v, kn_udp0_names[i])) {
			ps->c->nat64.udp0 = (uint8_t)i;
			return 0;
		}
	}
	return kn_conf_err(ps, ps->line, "invalid value", v, "expected compute, drop or forward");
}

static void kn_nat64_udp0_print(const struct kn_conf_printer *pr, const char *key)
{
	uint8_t m = pr->c->nat64.udp0;

	if (m != KEYNET_NAT64_UDP0_COMPUTE && m < KN_ARRAY_SIZE(kn_udp0_names))
		kn_conf_out(pr, key, "%s", kn_udp0_names[m]);
}

static int kn_nat64_offlink(struct kn_conf_parser *ps, char *v)
{
	if (kn_parse_uint(v, 65535, &ps->c->nat64.offlink_mtu) ||
	    ps->c->nat64.offlink_mtu < 1280)
		return kn_conf_err(ps, ps->line, "invalid OfflinkMTU", v,
				   "expected an MTU of 1280-65535");
	return 0;
}

static void kn_nat64_offlink_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->nat64.offlink_mtu, KN_CONF_NAT64_OFFLINK);
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
	{ "OfflinkMTU", kn_nat64_offlink, kn_nat64_offlink_print, false },
	{ "PoolTimeout", kn_nat64_timeout, kn_nat64_timeout_print, false },
	{ "PoolPer64", kn_nat64_per64, kn_nat64_per64_print, false },
	{ "CLAT", kn_nat64_clat, kn_nat64_clat_print, false },
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

/*
 * [Map] IPv4 and IPv6: an address (a single-address map) or, for an RFC
 * 7757 prefix map, a prefix; the lengths are matched in conf.c.
 */
static int kn_map_v4(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_map *m = &ps->c->maps[ps->c->n_maps - 1];
	struct kn_prefix p;

	if (kn_conf_parse_prefix(v, &p, false) || p.family != AF_INET)
		return kn_conf_err(ps, ps->line, "invalid IPv4 address", v,
				   "expected a dotted quad or an IPv4 prefix with no host bits");
	memcpy(m->v4, p.addr, 4);
	m->len4 = p.len;
	ps->map_v4 = true;
	return 0;
}

/* A single address as it is, a prefix with its length. */
static void kn_map_side_print(const struct kn_conf_printer *pr, const char *key, int family,
			      const uint8_t *addr, uint8_t len)
{
	struct kn_prefix p = { .family = family, .alen = family == AF_INET ? 4 : 16, .len = len };

	if (len == p.alen * 8) {
		kn_conf_out_addr(pr, key, family, addr);
		return;
	}
	memcpy(p.addr, addr, p.alen);
	kn_conf_out_prefix(pr, key, &p);
}

static void kn_map_v4_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_map *m = &pr->c->maps[pr->i];

	kn_map_side_print(pr, key, AF_INET, m->v4, m->len4);
}

static int kn_map_v6(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_map *m = &ps->c->maps[ps->c->n_maps - 1];
	struct kn_prefix p;

	if (kn_conf_parse_prefix(v, &p, false) || p.family != AF_INET6)
		return kn_conf_err(ps, ps->line, "invalid IPv6 address", v,
				   "expected an IPv6 address or an IPv6 prefix with no host bits");
	memcpy(m->v6, p.addr, 16);
	m->len6 = p.len;
	ps->map_v6 = true;
	return 0;
}

static void kn_map_v6_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_map *m = &pr->c->maps[pr->i];

	kn_map_side_print(pr, key, AF_INET6, m->v6, m->len6);
}

static const struct kn_conf_key kn_map_keys[] = {
	{ "IPv4", kn_map_v4, kn_map_v4_print, false },
	{ "IPv6", kn_map_v6, kn_map_v6_print, false },
};

static int kn_conf_nat64_on(const struct kn_conf *c)
{
	return c->nat64.on;
}

const struct kn_conf_sect_keys kn_nat64_sect = {
	kn_nat64_keys, KN_ARRAY_SIZE(kn_nat64_keys), kn_conf_nat64_on
};

static int kn_conf_has_pools(const struct kn_conf *c)
{
	return c->nat64.on && c->n_pools;
}

const struct kn_conf_sect_keys kn_pool_sect = {
	kn_pool_keys, KN_ARRAY_SIZE(kn_pool_keys), kn_conf_has_pools
};

static int kn_conf_n_maps(const struct kn_conf *c)
{
	return c->nat64.on ? c->n_maps : 0;
}

const struct kn_conf_sect_keys kn_map_sect = {
	kn_map_keys, KN_ARRAY_SIZE(kn_map_keys), kn_conf_n_maps
};
