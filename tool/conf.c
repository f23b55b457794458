// SPDX-License-Identifier: GPL-2.0
/*
 * The parser and validator of keynet.conf(5) files and their printer;
 * the keys themselves, each with its parse and print, are the
 * conf_keys*.c files'; the command is conf_cmd.c.  The whole file is read
 * and checked here - syntax, keys, values, peers given twice, routes to
 * peers the file does not have, NAT64 limits - before conf_apply.c sends
 * anything to the kernel.  Nothing here needs
 * the module: "conf check" works on a machine without it.
 *
 * Format: INI.  Sections [Link], [Peer], [Route], [NAT64], [Pool], [Map];
 * "Key = Value" lines; section and key names are case-insensitive; lines
 * whose first non-blank character is '#' or ';' are comments (there are
 * no comments at the end of a line: a peer Name may contain '#').
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "conf_keys.h"

static const char * const kn_sect_names[] = {
	[KN_SECT_LINK] = "Link",
	[KN_SECT_PEER] = "Peer",
	[KN_SECT_ROUTE] = "Route",
	[KN_SECT_NAT64] = "NAT64",
	[KN_SECT_POOL] = "Pool",
	[KN_SECT_MAP] = "Map",
};

int kn_conf_err(struct kn_conf_parser *ps, int line, const char *what,
		const char *token, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "keynet: %s:%d: %s", ps->path, line, what);
	if (token)
		fprintf(stderr, " '%s'", token);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return KN_EXIT_USAGE;
}

void *kn_conf_grow(void *arr, int *n, size_t size)
{
	char *p = realloc(arr, (size_t)(*n + 1) * size);

	if (!p)
		return NULL;
	memset(p + (size_t)*n * size, 0, size);
	(*n)++;
	return p;
}

void kn_conf_init(struct kn_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->port = KEYNET_DEFAULT_PORT;
	kn_default_addressing(c->aprefix, &c->aplen);
	c->auto_address = true;
	c->peer_routes = true;
	c->mtu = KN_CONF_DEFAULT_MTU;
	c->beacon_port = KEYNET_BEACON_DEFAULT_PORT;
	c->beacon_max = KEYNET_BEACON_DEFAULT_MAX_PEERS;
	c->beacon_window = KEYNET_BEACON_DEFAULT_STAMP_WINDOW;
	c->nat64.mss = KEYNET_NAT64_MSS_AUTO;
	c->nat64.strict_wkp = true;
	c->nat64.timeout = KN_CONF_NAT64_TIMEOUT;
	c->nat64.per64 = KN_CONF_NAT64_PER_64;
	c->nat64.offlink_mtu = KN_CONF_NAT64_OFFLINK;
}

void kn_conf_free(struct kn_conf *c)
{
	int i;

	explicit_bzero(c->priv, sizeof(c->priv));
	explicit_bzero(c->beacon_key, sizeof(c->beacon_key));
	for (i = 0; i < c->n_peers; i++) {
		explicit_bzero(c->peers[i].psk, sizeof(c->peers[i].psk));
		free(c->peers[i].ep_text);
	}
	free(c->peers);
	free(c->routes);
	free(c->addrs);
	free(c->hroutes);
	free(c->pools);
	free(c->maps);
	memset(c, 0, sizeof(*c));
}

int kn_conf_add_peer(struct kn_conf *c, struct kn_conf_peer **out)
{
	struct kn_conf_peer *p = kn_conf_grow(c->peers, &c->n_peers, sizeof(*p));

	if (!p) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	c->peers = p;
	*out = &p[c->n_peers - 1];
	return 0;
}

int kn_conf_add_route(struct kn_conf *c, int peer, const struct kn_prefix *p, uint32_t metric)
{
	struct kn_conf_route *r = kn_conf_grow(c->routes, &c->n_routes, sizeof(*r));

	if (!r) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	c->routes = r;
	r += c->n_routes - 1;
	r->p = *p;
	r->metric = metric;
	r->peer = peer;
	return 0;
}

int kn_conf_find_peer(const struct kn_conf *c, const uint8_t key[KEYNET_KEY_LEN])
{
	int i;

	for (i = 0; i < c->n_peers; i++)
		if (!memcmp(c->peers[i].key, key, KEYNET_KEY_LEN))
			return i;
	return -1;
}

/*
 * The low-order points of Curve25519, whose shared secret with any
 * private key is all zero: the kernel refuses them as peers (kmod/peer.c
 * finds them with a Diffie-Hellman probe; the results are these u
 * coordinates: 0, 1, the two points of order 8, p - 1, p and p + 1, with
 * bit 255 ignored as X25519 ignores it).
 */
static const uint8_t kn_low_order[][KEYNET_KEY_LEN] = {
	{ 0 },
	{ 1 },
	{ 0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f,
	  0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16,
	  0x5f, 0x49, 0xb8, 0x00 },
	{ 0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83,
	  0xef, 0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd,
	  0xd0, 0x9f, 0x11, 0x57 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x7f },
	{ 0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x7f },
	{ 0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0x7f },
};

bool kn_conf_key_low_order(const uint8_t key[KEYNET_KEY_LEN])
{
	size_t i;

	for (i = 0; i < KN_ARRAY_SIZE(kn_low_order); i++)
		if (!memcmp(key, kn_low_order[i], KEYNET_KEY_LEN - 1) &&
		    (key[KEYNET_KEY_LEN - 1] & 0x7f) == kn_low_order[i][KEYNET_KEY_LEN - 1])
			return true;
	return false;
}

/* ADDR[/LEN]; host bits beyond LEN refused unless @host_ok. */
const char *kn_conf_parse_prefix(const char *s, struct kn_prefix *p, bool host_ok)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int i, bits;
	uint32_t len;

	memset(p, 0, sizeof(*p));
	if (alen >= INET6_ADDRSTRLEN)
		return "expected an IPv4 or IPv6 address with an optional /LEN";
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
		p->alen = 4;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
		p->alen = 16;
	} else {
		return "expected an IPv4 or IPv6 address with an optional /LEN";
	}
	bits = p->alen * 8u;
	len = bits;
	if (slash && kn_parse_uint(slash + 1, bits, &len))
		return p->family == AF_INET ? "expected ADDR/0-32" : "expected ADDR/0-128";
	p->len = (uint8_t)len;
	if (host_ok)
		return NULL;
	for (i = p->len; i < bits; i++)
		if (p->addr[i / 8] & (0x80 >> (i % 8)))
			return "host bits set beyond the prefix length";
	return NULL;
}

bool kn_conf_prefix_eq(const struct kn_prefix *a, const struct kn_prefix *b)
{
	return a->alen == b->alen && a->len == b->len && !memcmp(a->addr, b->addr, a->alen);
}

/* Does @a contain (or equal) @b? Same family. */
static bool kn_prefix_covers(const struct kn_prefix *a, const struct kn_prefix *b)
{
	unsigned int i;

	if (a->alen != b->alen || a->len > b->len)
		return false;
	for (i = 0; i < a->len; i++)
		if ((a->addr[i / 8] ^ b->addr[i / 8]) & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* "one of A, B or C" for the keys of a section. */
static void kn_conf_key_list(enum kn_conf_sect s, char *buf, size_t size)
{
	const struct kn_conf_sect_keys *k = kn_sect_keys[s];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < k->n && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s", i == 0 ? "" :
				i + 1 == k->n ? " or " : ", ", k->keys[i].name);
}

/* ---- sections ---- */

/* The end of a section: what it must have. */
static int kn_conf_end_section(struct kn_conf_parser *ps)
{
	switch (ps->sect) {
	case KN_SECT_PEER:
		if (!ps->seen[0])
			return kn_conf_err(ps, ps->sect_line, "missing key", "PublicKey",
					   "every [Peer] needs one");
		break;
	case KN_SECT_ROUTE: {
		struct kn_conf_pending_route *r = kn_cur_proute(ps);

		if (!r->has_prefix)
			return kn_conf_err(ps, ps->sect_line, "missing key", "Prefix",
					   "every [Route] needs one");
		if (!r->peer_ref)
			return kn_conf_err(ps, ps->sect_line, "missing key", "Peer",
					   "every [Route] needs one (a PublicKey or the Name of a [Peer])");
		break;
	}
	case KN_SECT_NAT64:
		if (!ps->nat64_prefix)
			return kn_conf_err(ps, ps->sect_line, "missing key", "Prefix",
					   "[NAT64] needs its RFC 6052 prefix");
		break;
	case KN_SECT_MAP:
		if (!ps->map_v4 || !ps->map_v6)
			return kn_conf_err(ps, ps->sect_line, "missing key",
					   ps->map_v4 ? "IPv6" : "IPv4",
					   "every [Map] needs IPv4 and IPv6");
		break;
	default:
		break;
	}
	return 0;
}

static int kn_conf_begin_section(struct kn_conf_parser *ps, const char *name)
{
	struct kn_conf *c = ps->c;
	enum kn_conf_sect s;
	int ret;

	for (s = KN_SECT_LINK; s <= KN_SECT_MAP; s++)
		if (!strcasecmp(name, kn_sect_names[s]))
			break;
	if (s > KN_SECT_MAP)
		return kn_conf_err(ps, ps->line, "unknown section", name,
				   "expected [Link], [Peer], [Route], [NAT64], [Pool] or [Map]");
	ret = kn_conf_end_section(ps);
	if (ret)
		return ret;
	memset(ps->seen, 0, sizeof(ps->seen));
	ps->sect = s;
	ps->sect_line = ps->line;
	switch (s) {
	case KN_SECT_LINK:
		if (ps->link_line)
			return kn_conf_err(ps, ps->line, "duplicate section", "[Link]",
					   "the file has one, on line %d", ps->link_line);
		ps->link_line = ps->line;
		break;
	case KN_SECT_NAT64:
		if (c->nat64.on)
			return kn_conf_err(ps, ps->line, "duplicate section", "[NAT64]",
					   "the file has one, on line %d", c->nat64.line);
		c->nat64.on = true;
		c->nat64.line = ps->line;
		break;
	case KN_SECT_PEER: {
		struct kn_conf_peer *p;

		ret = kn_conf_add_peer(c, &p);
		if (ret)
			return ret;
		p->line = ps->line;
		ps->peer = c->n_peers - 1;
		break;
	}
	case KN_SECT_ROUTE: {
		struct kn_conf_pending_route *r =
			kn_conf_grow(ps->proutes, &ps->n_proutes, sizeof(*r));

		if (!r) {
			kn_err("out of memory");
			return KN_EXIT_FAIL;
		}
		ps->proutes = r;
		kn_cur_proute(ps)->line = ps->line;
		break;
	}
	case KN_SECT_MAP: {
		struct kn_conf_map *m = kn_conf_grow(c->maps, &c->n_maps, sizeof(*m));

		if (!m) {
			kn_err("out of memory");
			return KN_EXIT_FAIL;
		}
		c->maps = m;
		m[c->n_maps - 1].line = ps->line;
		ps->map_v4 = ps->map_v6 = false;
		break;
	}
	default:
		break;
	}
	return 0;
}

static char *kn_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int kn_conf_line(struct kn_conf_parser *ps, char *line)
{
	const struct kn_conf_sect_keys *sk;
	char *s = kn_trim(line), *eq, *key, *val, list[256];
	size_t i;

	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *end = strchr(s, ']');

		if (!end || end[1])
			return kn_conf_err(ps, ps->line, "invalid section header", s,
					   "expected [Name] alone on its line");
		*end = '\0';
		return kn_conf_begin_section(ps, kn_trim(s + 1));
	}
	eq = strchr(s, '=');
	if (!eq)
		return kn_conf_err(ps, ps->line, "invalid line", s, "expected Key = Value");
	*eq = '\0';
	key = kn_trim(s);
	val = kn_trim(eq + 1);
	if (ps->sect == KN_SECT_NONE)
		return kn_conf_err(ps, ps->line, "key outside a section", key,
				   "expected a section header such as [Link] first");
	sk = kn_sect_keys[ps->sect];
	for (i = 0; i < sk->n; i++)
		if (!strcasecmp(key, sk->keys[i].name))
			break;
	if (i == sk->n) {
		kn_conf_key_list(ps->sect, list, sizeof(list));
		return kn_conf_err(ps, ps->line, "unknown key", key, "expected one of %s in [%s]",
				   list, kn_sect_names[ps->sect]);
	}
	if (!sk->keys[i].repeatable) {
		if (ps->seen[i])
			return kn_conf_err(ps, ps->line, "duplicate key", sk->keys[i].name,
					   "already given on line %d", ps->seen[i]);
		ps->seen[i] = ps->line;
	}
	if (!*val)
		return kn_conf_err(ps, ps->line, "missing value of", sk->keys[i].name,
				   "expected Key = Value");
	return sk->keys[i].fn(ps, val);
}

/* ---- validation of the whole file ---- */

static int kn_conf_resolve_routes(struct kn_conf_parser *ps)
{
	struct kn_conf *c = ps->c;
	int i, j;

	for (i = 0; i < ps->n_proutes; i++) {
		struct kn_conf_pending_route *r = &ps->proutes[i];
		uint8_t key[KEYNET_KEY_LEN];
		int peer = -1;

		if (kn_conf_pubkey(r->peer_ref, key)) {
			peer = kn_conf_find_peer(c, key);
		} else {
			for (j = 0; j < c->n_peers; j++) {
				if (strcmp(c->peers[j].name, r->peer_ref))
					continue;
				if (peer >= 0)
					return kn_conf_err(ps, r->peer_line, "ambiguous peer", r->peer_ref,
							   "the [Peer]s on lines %d and %d have this Name: use the PublicKey",
							   c->peers[peer].line, c->peers[j].line);
				peer = j;
			}
		}
		if (peer < 0)
			return kn_conf_err(ps, r->peer_line, "unknown peer", r->peer_ref,
					   "expected the PublicKey or Name of a [Peer] of this file");
		if (kn_conf_add_route(c, peer, &r->p, r->metric))
			return KN_EXIT_FAIL;
		c->routes[c->n_routes - 1].line = r->prefix_line;
	}
	return 0;
}

static uint32_t kn_conf_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static int kn_conf_validate_nat64(struct kn_conf_parser *ps)
{
	struct kn_conf *c = ps->c;
	struct kn_conf_nat64 *n = &c->nat64;
	char text[INET6_ADDRSTRLEN + 64], other[INET6_ADDRSTRLEN + 64];
	uint64_t addrs = 0;
	const char *why;
	int i, j, ret;

	if (!n->on) {
		if (c->n_pools)
			return kn_conf_err(ps, c->pools[0].line, "pool without NAT64", NULL,
					   "a [Pool] needs a [NAT64] section");
		if (c->n_maps)
			return kn_conf_err(ps, c->maps[0].line, "map without NAT64", NULL,
					   "a [Map] needs a [NAT64] section");
		return 0;
	}
	if (c->n_pools > KN_CONF_POOL_RANGES_MAX)
		return kn_conf_err(ps, c->pools[KN_CONF_POOL_RANGES_MAX].line, "too many pool ranges",
				   NULL, "at most %d", KN_CONF_POOL_RANGES_MAX);
	for (i = 0; i < c->n_pools; i++) {
		addrs += 1ULL << (32 - c->pools[i].p.len);
		for (j = 0; j < i; j++) {
			if (kn_prefix_covers(&c->pools[j].p, &c->pools[i].p) ||
			    kn_prefix_covers(&c->pools[i].p, &c->pools[j].p)) {
				kn_format_prefix(c->pools[i].p.addr, 4, c->pools[i].p.len, text,
						 sizeof(text));
				return kn_conf_err(ps, c->pools[i].line, "overlapping pool range", text,
						   "overlaps the range on line %d", c->pools[j].line);
			}
		}
	}
	if (addrs > KN_CONF_POOL_ADDRS_MAX)
		return kn_conf_err(ps, c->pools[c->n_pools - 1].line, "pool too large", NULL,
				   "at most %d addresses in all ranges", KN_CONF_POOL_ADDRS_MAX);
	if (c->n_maps > KN_CONF_MAPS_MAX)
		return kn_conf_err(ps, c->maps[KN_CONF_MAPS_MAX].line, "too many maps", NULL,
				   "at most %d", KN_CONF_MAPS_MAX);
	ret = kn_conf_maps_check(c->maps, c->n_maps, &i, &j, &why);
	if (ret == -2) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	if (ret) {
		kn_conf_map_text(&c->maps[i], text, sizeof(text));
		if (j < 0)
			return kn_conf_err(ps, c->maps[i].line, "invalid map", text, "%s", why);
		kn_conf_map_text(&c->maps[j], other, sizeof(other));
		return kn_conf_err(ps, c->maps[i].line, "overlapping map", text,
				   "it and the [Map] on line %d, %s: %s", c->maps[j].line, other, why);
	}
	for (i = 0; i < c->n_maps; i++) {
		struct kn_conf_map *m = &c->maps[i];
		uint32_t mask = m->len4 ? ~0u << (32 - m->len4) : 0;

		kn_conf_map_text(m, text, sizeof(text));
		if (n->has_v4 && ((kn_conf_be32(n->v4) ^ kn_conf_be32(m->v4)) & mask) == 0)
			return kn_conf_err(ps, m->line, "invalid map", text,
					   "holds the translator's own IPv4Address");
		if (!memcmp(m->v6, n->prefix, n->plen / 8))
			return kn_conf_err(ps, m->line, "invalid map", text,
					   "inside the NAT64 prefix: it would loop");
	}
	return 0;
}

/* Peers with the same key. */
static int kn_conf_peer_key_cmp(const void *a, const void *b)
{
	const struct kn_conf_peer *x = a, *y = b;

	return memcmp(x->key, y->key, KEYNET_KEY_LEN);
}

/* Routes of the same peer to the same prefix. */
static int kn_conf_route_key_cmp(const void *a, const void *b)
{
	const struct kn_conf_route *x = a, *y = b;

	if (x->peer != y->peer)
		return x->peer < y->peer ? -1 : 1;
	if (x->p.alen != y->p.alen)
		return x->p.alen < y->p.alen ? -1 : 1;
	if (x->p.len != y->p.len)
		return x->p.len < y->p.len ? -1 : 1;
	return memcmp(x->p.addr, y->p.addr, x->p.alen);
}

struct kn_conf_dup_sort {
	int (*keycmp)(const void *a, const void *b);
	size_t line_off;	/* of the element's int line */
};

static int kn_conf_elem_line(const void *e, size_t line_off)
{
	return *(const int *)((const char *)e + line_off);
}

/* By key, then by line: a key's first mention leads its group. */
static int kn_conf_dup_cmp(const void *a, const void *b, void *arg)
{
	const struct kn_conf_dup_sort *s = arg;
	const void *x = *(const void * const *)a, *y = *(const void * const *)b;
	int r = s->keycmp(x, y), lx, ly;

	if (r)
		return r;
	lx = kn_conf_elem_line(x, s->line_off);
	ly = kn_conf_elem_line(y, s->line_off);
	return (lx > ly) - (lx < ly);
}

/*
 * Of @n elements of @size bytes at @base, the one whose key (@keycmp) an
 * element on an earlier line has, the repeat with the lowest line if
 * there are several, and in *first the element that gave the key first.
 * Sorting makes this O(n log n): a 100,000-peer or 100,000-route file
 * checks in milliseconds.  Returns an index or -1; -2 out of memory.
 */
static int kn_conf_first_dup(const void *base, int n, size_t size,
			     int (*keycmp)(const void *a, const void *b), size_t line_off,
			     int *first)
{
	struct kn_conf_dup_sort s = { keycmp, line_off };
	const char **v;
	int i, g = 0, best = -1, best_line = 0;

	if (n < 2)
		return -1;
	v = malloc(sizeof(*v) * (size_t)n);
	if (!v)
		return -2;
	for (i = 0; i < n; i++)
		v[i] = (const char *)base + (size_t)i * size;
	qsort_r(v, (size_t)n, sizeof(*v), kn_conf_dup_cmp, &s);
	for (i = 1; i < n; i++) {
		int line = kn_conf_elem_line(v[i], line_off);

		if (keycmp(v[i], v[g])) {
			g = i;
			continue;
		}
		if (best < 0 || line < best_line) {
			best = (int)((size_t)(v[i] - (const char *)base) / size);
			best_line = line;
			*first = (int)((size_t)(v[g] - (const char *)base) / size);
		}
	}
	free(v);
	return best;
}

static int kn_conf_validate(struct kn_conf_parser *ps)
{
	struct kn_conf *c = ps->c;
	char key[45];
	int i, j = 0, ret;

	for (i = 0; i < c->n_peers; i++) {
		const struct kn_conf_peer *p = &c->peers[i];

		if (c->has_pub && !memcmp(p->key, c->pub, KEYNET_KEY_LEN))
			return kn_conf_err(ps, p->line, "invalid key", kn_conf_key_text(p->key, key),
					   "the device's own public key cannot be a peer");
	}
	i = kn_conf_first_dup(c->peers, c->n_peers, sizeof(*c->peers), kn_conf_peer_key_cmp,
			      offsetof(struct kn_conf_peer, line), &j);
	if (i == -2) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	if (i >= 0)
		return kn_conf_err(ps, c->peers[i].line, "duplicate peer",
				   kn_conf_key_text(c->peers[i].key, key),
				   "already in the [Peer] on line %d", c->peers[j].line);
	ret = kn_conf_resolve_routes(ps);
	if (ret)
		return ret;
	i = kn_conf_first_dup(c->routes, c->n_routes, sizeof(*c->routes), kn_conf_route_key_cmp,
			      offsetof(struct kn_conf_route, line), &j);
	if (i == -2) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	if (i >= 0) {
		const struct kn_conf_route *r = &c->routes[i];
		char text[INET6_ADDRSTRLEN + 4];

		kn_format_prefix(r->p.addr, r->p.alen, r->p.len, text, sizeof(text));
		return kn_conf_err(ps, r->line, "duplicate route", text,
				   "the peer on line %d has this prefix already (line %d)",
				   c->peers[r->peer].line, c->routes[j].line);
	}
	return kn_conf_validate_nat64(ps);
}

int kn_conf_parse_stream(FILE *f, const char *path, struct kn_conf *c)
{
	struct kn_conf_parser ps = { .c = c, .path = path };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0, i;

	c->path = path;
	if (strcmp(path, "-")) {
		const char *slash = strrchr(path, '/');

		if (slash)
			snprintf(ps.dir, sizeof(ps.dir), "%.*s", (int)(slash - path + (slash == path)),
				 path);
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		ps.line++;
		if (memchr(line, '\0', (size_t)n)) {
			ret = kn_conf_err(&ps, ps.line, "invalid line", NULL,
					  "a NUL byte: is this a text file?");
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		ret = kn_conf_line(&ps, line);
		if (ret)
			break;
	}
	if (line)
		explicit_bzero(line, cap);
	free(line);
	if (!ret && ferror(f)) {
		kn_err("cannot read '%s': %s", path, strerror(errno));
		ret = KN_EXIT_FAIL;
	}
	if (!ret)
		ret = kn_conf_end_section(&ps);
	if (!ret)
		ret = kn_conf_validate(&ps);
	for (i = 0; i < ps.n_proutes; i++)
		free(ps.proutes[i].peer_ref);
	free(ps.proutes);
	return ret;
}

/* Secrets in a file others can read: warn, as for key files. */
static void kn_conf_warn_mode(int fd, const struct kn_conf *c)
{
	struct stat st;

	if (c->has_secrets && !fstat(fd, &st) && S_ISREG(st.st_mode) && (st.st_mode & 077))
		kn_err("warning: '%s' holds secret keys and is accessible by group or others: chmod 600 it",
		       c->path);
}

int kn_conf_parse_file(const char *path, struct kn_conf *c)
{
	FILE *f;
	int ret;

	kn_conf_init(c);
	if (!strcmp(path, "-"))
		return kn_conf_parse_stream(stdin, "-", c);
	f = fopen(path, "re");
	if (!f) {
		kn_err("cannot open '%s': %s", path, strerror(errno));
		return KN_EXIT_FAIL;
	}
	ret = kn_conf_parse_stream(f, path, c);
	if (!ret)
		kn_conf_warn_mode(fileno(f), c);
	fclose(f);
	return ret;
}

/* A peer's endpoint: the address @sa with @port, resolved. */
void kn_conf_peer_set_ep(struct kn_conf_peer *p, const struct sockaddr *sa, socklen_t len,
			 uint32_t port)
{
	memset(&p->ep, 0, sizeof(p->ep));
	memcpy(&p->ep, sa, len);
	p->eplen = len;
	if (p->ep.ss_family == AF_INET)
		((struct sockaddr_in *)&p->ep)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&p->ep)->sin6_port = htons(port);
	p->ep_resolved = true;
}

/* Resolve the endpoints given as names; exit 1 when one does not. */
int kn_conf_resolve(struct kn_conf *c)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
	int i, ret;

	for (i = 0; i < c->n_peers; i++) {
		struct kn_conf_peer *p = &c->peers[i];
		char host[256];
		const char *colon;
		uint32_t port;

		if (!p->has_ep || p->ep_resolved)
			continue;
		colon = strrchr(p->ep_text, ':');
		snprintf(host, sizeof(host), "%.*s", (int)(colon - p->ep_text), p->ep_text);
		kn_parse_uint(colon + 1, 65535, &port);
		ret = getaddrinfo(host, NULL, &hints, &res);
		if (ret) {
			fprintf(stderr, "keynet: %s:%d: cannot resolve '%s': %s\n", c->path,
				p->ep_line, host, gai_strerror(ret));
			return KN_EXIT_FAIL;
		}
		/* A name may resolve to several addresses: the first, as wg. */
		kn_conf_peer_set_ep(p, res->ai_addr, res->ai_addrlen, port);
		freeaddrinfo(res);
	}
	/* Beacon interfaces by name, in this namespace (as "link set"). */
	for (i = 0; i < c->n_beacon_devs; i++) {
		c->beacon_ifindex[i] = if_nametoindex(c->beacon_devs[i]);
		if (!c->beacon_ifindex[i]) {
			fprintf(stderr, "keynet: %s:%d: no interface '%s': expected an interface for BeaconDevice\n",
				c->path, c->beacon_dev_line[i], c->beacon_devs[i]);
			return KN_EXIT_FAIL;
		}
	}
	return 0;
}

/*
 * The routes of the host's table the configuration asks for: HostRoute=
 * lines, and with Table= every prefix routed to a peer, the NAT64 prefix
 * and the pool ranges (explicit HostRoute= lines win).  @out: free() it.
 */
void kn_conf_host_routes(const struct kn_conf *c, struct kn_conf_hroute **out, int *n)
{
	int cap = c->n_hroutes + (c->table ? c->n_routes + c->n_pools + 1 : 0), i, j, k = 0;
	struct kn_conf_hroute *r = calloc(cap ? cap : 1, sizeof(*r));

	*out = r;
	*n = 0;
	if (!r)
		return;
	for (i = 0; i < c->n_hroutes; i++)
		r[k++] = c->hroutes[i];
	for (i = 0; c->table && i < c->n_routes + c->n_pools + 1; i++) {
		struct kn_conf_hroute h = { .table = c->table };

		if (i < c->n_routes) {
			h.p = c->routes[i].p;
			h.line = c->routes[i].line;
		} else if (i < c->n_routes + c->n_pools) {
			h.p = c->pools[i - c->n_routes].p;
			h.line = c->pools[i - c->n_routes].line;
		} else if (c->nat64.on) {
			h.p.family = AF_INET6;
			h.p.alen = 16;
			h.p.len = c->nat64.plen;
			memcpy(h.p.addr, c->nat64.prefix, 16);
			h.line = c->nat64.line;
		} else {
			continue;
		}
		h.metric = h.p.family == AF_INET6 ? KN_CONF_V6_METRIC : 0;
		for (j = 0; j < k; j++)
			if (kn_conf_prefix_eq(&r[j].p, &h.p) && r[j].table == h.table)
				break;
		if (j == k)
			r[k++] = h;
	}
	*n = k;
}

/* ---- printing (conf dump, import) ---- */

/*
 * Each section as many times as the configuration has it, each key by its
 * row's printer, in the order of the tables.
 */
void kn_conf_print(FILE *f, const struct kn_conf *c)
{
	struct kn_conf_printer pr = { .f = f, .c = c };
	int *first = NULL, *ord = NULL;
	enum kn_conf_sect s;
	size_t k;
	int i, j;

	/* Each peer's routes, in their order, without a walk per peer. */
	first = calloc((size_t)c->n_peers + 1, sizeof(*first));
	ord = malloc(((size_t)c->n_routes + 1) * sizeof(*ord));
	if (!first || !ord) {
		free(first);
		free(ord);
		first = ord = NULL;
	} else {
		for (j = 0; j < c->n_routes; j++)
			first[c->routes[j].peer + 1]++;
		for (i = 0; i < c->n_peers; i++)
			first[i + 1] += first[i];
		for (j = 0; j < c->n_routes; j++)
			ord[first[c->routes[j].peer]++] = j;
		/* first[i] now ends peer i's routes: shift back to the starts. */
		memmove(first + 1, first, (size_t)c->n_peers * sizeof(*first));
		first[0] = 0;
	}
	pr.first = first;
	pr.ord = ord;
	for (s = KN_SECT_LINK; s <= KN_SECT_MAP; s++) {
		const struct kn_conf_sect_keys *sk = kn_sect_keys[s];
		int n = sk->count(c);

		for (pr.i = 0; pr.i < n; pr.i++) {
			fprintf(f, "%s[%s]\n", s == KN_SECT_LINK ? "" : "\n", kn_sect_names[s]);
			for (k = 0; k < sk->n; k++)
				if (sk->keys[k].print)
					sk->keys[k].print(&pr, sk->keys[k].name);
		}
	}
	free(first);
	free(ord);
}
