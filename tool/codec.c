// SPDX-License-Identifier: GPL-2.0
/*
 * The one translation between the tool's model (model.h) and the keynet
 * generic netlink family: an encoder per object that puts the fields a
 * caller names into a request, and a decoder per object that reads a
 * reply's attributes into the model.  Every keynet attribute the tool
 * writes is put here and every one it reads back is parsed here; the
 * object commands, show, "conf dump" and "conf apply" all come through
 * these functions.
 *
 * Encoders return 0 or -EMSGSIZE (the message is full: a bug, or out of
 * memory); decoders return 0, or -ENOENT for a reply that lacks what
 * identifies the object (skipped by the callers).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "model.h"

static bool kn_attr_len(const struct nlattr *a, int len)
{
	return a && nla_len(a) == len;
}

static uint8_t kn_get_u8(const struct nlattr *a)
{
	return kn_attr_len(a, 1) ? nla_get_u8((struct nlattr *)a) : 0;
}

static uint16_t kn_get_u16(const struct nlattr *a)
{
	return kn_attr_len(a, 2) ? nla_get_u16((struct nlattr *)a) : 0;
}

static uint32_t kn_get_u32(const struct nlattr *a)
{
	return kn_attr_len(a, 4) ? nla_get_u32((struct nlattr *)a) : 0;
}

static uint64_t kn_get_u64(const struct nlattr *a)
{
	return kn_attr_len(a, 8) ? nla_get_u64((struct nlattr *)a) : 0;
}

/* An IPv4 or IPv6 prefix from @addr (4 or 16 bytes) and @len. */
static int kn_dec_prefix(const struct nlattr *addr, const struct nlattr *len,
			 struct kn_prefix *p)
{
	int alen;

	if (!addr || !len)
		return -ENOENT;
	alen = nla_len(addr);
	if (alen != 4 && alen != 16)
		return -ENOENT;
	memset(p, 0, sizeof(*p));
	p->family = alen == 4 ? AF_INET : AF_INET6;
	p->alen = (uint8_t)alen;
	p->len = kn_get_u8(len);
	memcpy(p->addr, nla_data(addr), alen);
	return 0;
}

static int kn_enc_prefix(struct nl_msg *msg, const struct kn_prefix *p)
{
	if (nla_put(msg, KEYNET_A_PREFIX, p->alen, p->addr) ||
	    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, p->len))
		return -EMSGSIZE;
	return 0;
}

/* ---- the device (LINK_SET / LINK_GET) ---- */

uint32_t kn_link_flags(const struct kn_conf *c)
{
	return (c->auto_address ? 0 : KEYNET_LINK_F_NO_AUTO_ADDR) |
	       (c->peer_routes ? 0 : KEYNET_LINK_F_NO_PEER_ROUTES) |
	       (c->mesh ? KEYNET_LINK_F_MESH : 0);
}

/* KEYNET_A_LOCAL_PREFIXES: a nest of (PREFIX, PREFIX_LEN) nests. */
static int kn_enc_local(struct nl_msg *msg, const struct kn_conf *c)
{
	struct nlattr *nest = nla_nest_start(msg, KEYNET_A_LOCAL_PREFIXES | NLA_F_NESTED);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < c->n_local; i++) {
		struct nlattr *e = nla_nest_start(msg, KEYNET_A_PREFIX | NLA_F_NESTED);

		if (!e || kn_enc_prefix(msg, &c->local[i]))
			return -EMSGSIZE;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* KEYNET_A_BEACON_IFINDEXES: a nest of KEYNET_A_IFINDEX. */
static int kn_enc_beacon_devs(struct nl_msg *msg, const struct kn_conf *c)
{
	struct nlattr *nest = nla_nest_start(msg, KEYNET_A_BEACON_IFINDEXES | NLA_F_NESTED);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < c->n_beacon_devs; i++)
		if (nla_put_u32(msg, KEYNET_A_IFINDEX, c->beacon_ifindex[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * The @fields (enum kn_link_field) of @c, for LINK_SET.  An empty local
 * prefix or beacon device list is sent as its clear flag; a removed
 * private or beacon key as an empty attribute.
 */
int kn_enc_link(struct nl_msg *msg, const struct kn_conf *c, unsigned int fields)
{
	uint32_t rflags = 0;

	if ((fields & KN_LINK_LOCAL) && !c->n_local)
		rflags |= KEYNET_F_LOCAL_CLEAR;
	if ((fields & KN_LINK_BEACON_DEVS) && !c->n_beacon_devs)
		rflags |= KEYNET_F_BEACON_DEVS_CLEAR;
	if (((fields & KN_LINK_KEY) &&
	     nla_put(msg, KEYNET_A_PRIVATE_KEY, c->priv_remove ? 0 : KEYNET_KEY_LEN, c->priv)) ||
	    ((fields & KN_LINK_PORT) && nla_put_u16(msg, KEYNET_A_LISTEN_PORT, c->port)) ||
	    ((fields & KN_LINK_LISTEN_ADDR) &&
	     nla_put(msg, KEYNET_A_LISTEN_ADDR, c->laddr_len, c->laddr)) ||
	    ((fields & KN_LINK_FWMARK) && nla_put_u32(msg, KEYNET_A_FWMARK, c->fwmark)) ||
	    ((fields & KN_LINK_ADDRESSING) &&
	     (nla_put(msg, KEYNET_A_ADDR_PREFIX, 16, c->aprefix) ||
	      nla_put_u8(msg, KEYNET_A_ADDR_PREFIX_LEN, c->aplen))) ||
	    ((fields & KN_LINK_FLAGS) && nla_put_u32(msg, KEYNET_A_LINK_FLAGS, kn_link_flags(c))) ||
	    ((fields & KN_LINK_LOCAL) && c->n_local && kn_enc_local(msg, c)) ||
	    (rflags && nla_put_u32(msg, KEYNET_A_FLAGS, rflags)) ||
	    ((fields & KN_LINK_BEACON_MODE) &&
	     nla_put_u8(msg, KEYNET_A_BEACON_MODE, c->beacon_mode)) ||
	    ((fields & KN_LINK_BEACON_PORT) &&
	     nla_put_u16(msg, KEYNET_A_BEACON_PORT, c->beacon_port)) ||
	    ((fields & KN_LINK_BEACON_MAX) &&
	     nla_put_u32(msg, KEYNET_A_BEACON_MAX_PEERS, c->beacon_max)) ||
	    ((fields & KN_LINK_BEACON_WINDOW) &&
	     nla_put_u32(msg, KEYNET_A_BEACON_STAMP_WINDOW, c->beacon_window)) ||
	    ((fields & KN_LINK_BEACON_DEVS) && c->n_beacon_devs && kn_enc_beacon_devs(msg, c)) ||
	    ((fields & KN_LINK_BEACON_KEY) &&
	     nla_put(msg, KEYNET_A_BEACON_KEY, c->beacon_key_remove ? 0 : KEYNET_KEY_LEN,
		     c->beacon_key)))
		return -EMSGSIZE;
	return 0;
}

static void kn_dec_drops(const struct nlattr *stats, struct kn_link_stats *st)
{
	struct nlattr *a;
	int rem;

	st->has_drops = true;
	nla_for_each_nested(a, (struct nlattr *)stats, rem) {
		int t = nla_type(a);

		if (nla_len(a) != sizeof(uint64_t))
			continue;
		if (t > KEYNET_DROP_UNSPEC && t < __KEYNET_DROP_MAX)
			st->drops[t] = nla_get_u64(a);
		else if (t >= __KEYNET_DROP_MAX && st->n_extra < KN_LINK_EXTRA_DROPS) {
			st->extra[st->n_extra].reason = t;
			st->extra[st->n_extra++].count = nla_get_u64(a);
		}
	}
}

static void kn_dec_beacon_stats(const struct nlattr *stats, struct kn_link_stats *st)
{
	struct nlattr *a;
	int rem;

	st->has_beacon = true;
	nla_for_each_nested(a, (struct nlattr *)stats, rem) {
		int t = nla_type(a);

		if (t > KEYNET_BEACON_STAT_UNSPEC && t < __KEYNET_BEACON_STAT_MAX)
			st->beacon[t] = kn_get_u64(a);
	}
}

/*
 * A LINK_GET reply into @c (and @st, the counters, when not NULL).
 */
void kn_dec_link(struct nlattr **a, struct kn_conf *c, struct kn_link_stats *st)
{
	struct nlattr *e;
	int rem;

	if (a[KEYNET_A_IFNAME])
		snprintf(c->name, sizeof(c->name), "%s", nla_get_string(a[KEYNET_A_IFNAME]));
	c->ifindex = kn_get_u32(a[KEYNET_A_IFINDEX]);
	c->peer_count = kn_get_u32(a[KEYNET_A_PEER_COUNT]);
	if (kn_attr_len(a[KEYNET_A_PRIVATE_KEY], KEYNET_KEY_LEN)) {
		memcpy(c->priv, nla_data(a[KEYNET_A_PRIVATE_KEY]), KEYNET_KEY_LEN);
		c->has_priv = true;
	}
	if (kn_attr_len(a[KEYNET_A_PUBLIC_KEY], KEYNET_KEY_LEN)) {
		memcpy(c->pub, nla_data(a[KEYNET_A_PUBLIC_KEY]), KEYNET_KEY_LEN);
		c->has_pub = true;
	}
	if (kn_attr_len(a[KEYNET_A_ADDRESS], 16)) {
		memcpy(c->address, nla_data(a[KEYNET_A_ADDRESS]), 16);
		c->has_address = true;
	}
	if (a[KEYNET_A_LISTEN_PORT])
		c->port = kn_get_u16(a[KEYNET_A_LISTEN_PORT]);
	c->laddr_len = 0;
	if (kn_attr_len(a[KEYNET_A_LISTEN_ADDR], 4) || kn_attr_len(a[KEYNET_A_LISTEN_ADDR], 16)) {
		c->laddr_len = nla_len(a[KEYNET_A_LISTEN_ADDR]);
		memcpy(c->laddr, nla_data(a[KEYNET_A_LISTEN_ADDR]), c->laddr_len);
	}
	if (a[KEYNET_A_FWMARK])
		c->fwmark = kn_get_u32(a[KEYNET_A_FWMARK]);
	c->has_addressing = kn_attr_len(a[KEYNET_A_ADDR_PREFIX], 16) && a[KEYNET_A_ADDR_PREFIX_LEN];
	if (c->has_addressing) {
		memcpy(c->aprefix, nla_data(a[KEYNET_A_ADDR_PREFIX]), 16);
		c->aplen = kn_get_u8(a[KEYNET_A_ADDR_PREFIX_LEN]);
	}
	c->has_link_flags = a[KEYNET_A_LINK_FLAGS] != NULL;
	c->link_flags = kn_get_u32(a[KEYNET_A_LINK_FLAGS]);
	c->auto_address = !(c->link_flags & KEYNET_LINK_F_NO_AUTO_ADDR);
	c->peer_routes = !(c->link_flags & KEYNET_LINK_F_NO_PEER_ROUTES);
	c->mesh = c->link_flags & KEYNET_LINK_F_MESH;
	c->beacon_key_set = c->link_flags & KEYNET_LINK_F_HAS_BEACON_KEY;
	/* What an older kernel does not report keeps the caller's default. */
	c->has_beacon = a[KEYNET_A_BEACON_MODE] != NULL;
	if (a[KEYNET_A_BEACON_MODE])
		c->beacon_mode = kn_get_u8(a[KEYNET_A_BEACON_MODE]);
	if (a[KEYNET_A_BEACON_PORT])
		c->beacon_port = kn_get_u16(a[KEYNET_A_BEACON_PORT]);
	if (a[KEYNET_A_BEACON_MAX_PEERS])
		c->beacon_max = kn_get_u32(a[KEYNET_A_BEACON_MAX_PEERS]);
	if (a[KEYNET_A_BEACON_STAMP_WINDOW])
		c->beacon_window = kn_get_u32(a[KEYNET_A_BEACON_STAMP_WINDOW]);
	/* By index: the caller names them (conf_read.c, link.c). */
	c->n_beacon_devs = 0;
	c->has_beacon_devs = a[KEYNET_A_BEACON_IFINDEXES] != NULL;
	if (a[KEYNET_A_BEACON_IFINDEXES]) {
		nla_for_each_nested(e, a[KEYNET_A_BEACON_IFINDEXES], rem) {
			if (c->n_beacon_devs >= KN_CONF_BEACON_DEVS_MAX ||
			    nla_type(e) != KEYNET_A_IFINDEX || nla_len(e) != sizeof(uint32_t))
				continue;
			c->beacon_ifindex[c->n_beacon_devs++] = nla_get_u32(e);
		}
	}
	c->n_local = 0;
	if (a[KEYNET_A_LOCAL_PREFIXES]) {
		nla_for_each_nested(e, a[KEYNET_A_LOCAL_PREFIXES], rem) {
			struct nlattr *tb[KEYNET_A_MAX + 1];

			if (c->n_local >= KN_CONF_LOCAL_MAX ||
			    nla_parse_nested(tb, KEYNET_A_MAX, e, NULL) ||
			    kn_dec_prefix(tb[KEYNET_A_PREFIX], tb[KEYNET_A_PREFIX_LEN],
					  &c->local[c->n_local]))
				continue;
			c->n_local++;
		}
	}
	if (st) {
		memset(st, 0, sizeof(*st));
		if (a[KEYNET_A_STATS])
			kn_dec_drops(a[KEYNET_A_STATS], st);
		if (a[KEYNET_A_BEACON_STATS])
			kn_dec_beacon_stats(a[KEYNET_A_BEACON_STATS], st);
	}
}

/* ---- peers (PEER_NEW / PEER_SET / PEER_DEL / PEER_GET) ---- */

/* The key of @p, and its @fields (enum kn_peer_field). */
int kn_enc_peer(struct nl_msg *msg, const struct kn_conf_peer *p, unsigned int fields)
{
	if (nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, p->key) ||
	    ((fields & KN_PEER_ENDPOINT) && nla_put(msg, KEYNET_A_ENDPOINT, p->eplen, &p->ep)) ||
	    ((fields & KN_PEER_PSK) &&
	     nla_put(msg, KEYNET_A_PRESHARED_KEY, p->has_psk ? KEYNET_KEY_LEN : 0, p->psk)) ||
	    ((fields & KN_PEER_KEEPALIVE) && nla_put_u16(msg, KEYNET_A_KEEPALIVE, p->keepalive)) ||
	    ((fields & KN_PEER_NAME) && nla_put_string(msg, KEYNET_A_PEER_NAME, p->name)) ||
	    ((fields & KN_PEER_AUTO_ROUTE) &&
	     nla_put_u32(msg, KEYNET_A_PEER_FLAGS,
			 p->no_auto_route ? KEYNET_PEER_F_NO_AUTO_ROUTE : 0)) ||
	    ((fields & KN_PEER_TRANSIT) && nla_put_u8(msg, KEYNET_A_PEER_TRANSIT, p->transit)))
		return -EMSGSIZE;
	return 0;
}

/* A PEER_GET reply into @p (zeroed first; -ENOENT without a key). */
int kn_dec_peer(struct nlattr **a, struct kn_conf_peer *p)
{
	struct nlattr *ep = a[KEYNET_A_ENDPOINT];

	memset(p, 0, sizeof(*p));
	if (!kn_attr_len(a[KEYNET_A_PEER_PUBLIC_KEY], KEYNET_KEY_LEN))
		return -ENOENT;
	memcpy(p->key, nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]), KEYNET_KEY_LEN);
	p->flags = kn_get_u32(a[KEYNET_A_PEER_FLAGS]);
	if (kn_attr_len(a[KEYNET_A_PRESHARED_KEY], KEYNET_KEY_LEN)) {
		memcpy(p->psk, nla_data(a[KEYNET_A_PRESHARED_KEY]), KEYNET_KEY_LEN);
		p->has_psk = true;
	}
	if (kn_attr_len(ep, sizeof(struct sockaddr_in)) ||
	    kn_attr_len(ep, sizeof(struct sockaddr_in6))) {
		memcpy(&p->ep, nla_data(ep), nla_len(ep));
		p->eplen = (socklen_t)nla_len(ep);
		p->has_ep = true;
		p->ep_resolved = true;
	}
	p->keepalive = kn_get_u16(a[KEYNET_A_KEEPALIVE]);
	if (a[KEYNET_A_PEER_NAME])
		snprintf(p->name, sizeof(p->name), "%s", nla_get_string(a[KEYNET_A_PEER_NAME]));
	p->no_auto_route = p->flags & KEYNET_PEER_F_NO_AUTO_ROUTE;
	p->transit = kn_get_u8(a[KEYNET_A_PEER_TRANSIT]);
	if (kn_attr_len(a[KEYNET_A_ADDRESS], 16)) {
		memcpy(p->address, nla_data(a[KEYNET_A_ADDRESS]), 16);
		p->has_address = true;
	}
	p->stats.last_handshake = kn_get_u64(a[KEYNET_A_LAST_HANDSHAKE]);
	p->stats.rx_bytes = kn_get_u64(a[KEYNET_A_RX_BYTES]);
	p->stats.tx_bytes = kn_get_u64(a[KEYNET_A_TX_BYTES]);
	p->stats.rx_packets = kn_get_u64(a[KEYNET_A_RX_PACKETS]);
	p->stats.tx_packets = kn_get_u64(a[KEYNET_A_TX_PACKETS]);
	return 0;
}

/* ---- routes (ROUTE_NEW / ROUTE_DEL / ROUTE_GET) ---- */

/* The peer @key, and the prefix and metric when not NULL. */
int kn_enc_route(struct nl_msg *msg, const uint8_t key[KEYNET_KEY_LEN],
		 const struct kn_prefix *p, const uint32_t *metric)
{
	if (nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, key) ||
	    (p && kn_enc_prefix(msg, p)) ||
	    (metric && nla_put_u32(msg, KEYNET_A_METRIC, *metric)))
		return -EMSGSIZE;
	return 0;
}

/* A ROUTE_GET reply: its peer's @key and @r (r->peer is the caller's). */
int kn_dec_route(struct nlattr **a, uint8_t key[KEYNET_KEY_LEN], struct kn_conf_route *r)
{
	memset(r, 0, sizeof(*r));
	if (!kn_attr_len(a[KEYNET_A_PEER_PUBLIC_KEY], KEYNET_KEY_LEN) ||
	    kn_dec_prefix(a[KEYNET_A_PREFIX], a[KEYNET_A_PREFIX_LEN], &r->p))
		return -ENOENT;
	memcpy(key, nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]), KEYNET_KEY_LEN);
	r->metric = kn_get_u32(a[KEYNET_A_METRIC]);
	r->is_auto = kn_get_u32(a[KEYNET_A_ROUTE_FLAGS]) & KEYNET_ROUTE_F_AUTO;
	return 0;
}

/*
 * A route list (ROUTE_NEW's KEYNET_A_ROUTES): kn_enc_routes_start(), then
 * one kn_enc_route_entry() per route, then kn_enc_routes_end().  An entry
 * names its peer (@key) and @metric only when they are not the request's
 * (KEYNET_A_PEER_PUBLIC_KEY and KEYNET_A_METRIC, default 0), NULL
 * otherwise.  The list must stay within KN_ENC_ROUTES_MAX bytes: the
 * caller adds up kn_enc_route_entry_size().
 */
struct nlattr *kn_enc_routes_start(struct nl_msg *msg)
{
	return nla_nest_start(msg, KEYNET_A_ROUTES | NLA_F_NESTED);
}

size_t kn_enc_route_entry_size(const struct kn_prefix *p, bool own_key, bool own_metric)
{
	return NLA_HDRLEN + nla_total_size(p->alen) + nla_total_size(1) +
	       (own_metric ? nla_total_size(4) : 0) +
	       (own_key ? nla_total_size(KEYNET_KEY_LEN) : 0);
}

int kn_enc_route_entry(struct nl_msg *msg, const uint8_t *key, const struct kn_prefix *p,
		       const uint32_t *metric)
{
	struct nlattr *e = nla_nest_start(msg, KEYNET_A_ROUTES | NLA_F_NESTED);

	if (!e || kn_enc_prefix(msg, p) ||
	    (metric && nla_put_u32(msg, KEYNET_A_METRIC, *metric)) ||
	    (key && nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, key)) ||
	    nla_nest_end(msg, e) < 0)
		return -EMSGSIZE;
	return 0;
}

/* Fails (-EMSGSIZE) on a list over 65,535 bytes, which libnl cannot close. */
int kn_enc_routes_end(struct nl_msg *msg, struct nlattr *list)
{
	return nla_nest_end(msg, list) < 0 ? -EMSGSIZE : 0;
}

/* ---- NAT64 (NAT64_SET / NAT64_GET), pool ranges, static maps ---- */

/*
 * The @fields (enum kn_nat64_field) of @n.  An IPv4 or IPv6 address that
 * is not set (has_v4, has_v6 false) is sent empty: it is removed.
 */
int kn_enc_nat64(struct nl_msg *msg, const struct kn_conf_nat64 *n, unsigned int fields)
{
	if (((fields & KN_NAT64_PREFIX) &&
	     (nla_put(msg, KEYNET_A_PREFIX, 16, n->prefix) ||
	      nla_put_u8(msg, KEYNET_A_PREFIX_LEN, n->plen))) ||
	    ((fields & KN_NAT64_V4) &&
	     nla_put(msg, KEYNET_A_NAT64_IPV4_ADDR, n->has_v4 ? 4 : 0, n->v4)) ||
	    ((fields & KN_NAT64_V6) &&
	     nla_put(msg, KEYNET_A_NAT64_IPV6_ADDR, n->has_v6 ? 16 : 0, n->v6)) ||
	    ((fields & KN_NAT64_MSS) && nla_put_u16(msg, KEYNET_A_NAT64_MSS_CLAMP, n->mss)) ||
	    ((fields & KN_NAT64_STRICT_WKP) &&
	     nla_put_u8(msg, KEYNET_A_NAT64_STRICT_WKP, n->strict_wkp)) ||
	    ((fields & KN_NAT64_UDP0) &&
	     nla_put_u8(msg, KEYNET_A_NAT64_UDP_ZERO_CSUM, n->udp0)) ||
	    ((fields & KN_NAT64_OFFLINK) &&
	     nla_put_u32(msg, KEYNET_A_NAT64_OFFLINK_MTU, n->offlink_mtu)) ||
	    ((fields & KN_NAT64_TIMEOUT) &&
	     nla_put_u32(msg, KEYNET_A_NAT64_POOL_TIMEOUT, n->timeout)) ||
	    ((fields & KN_NAT64_PER64) && nla_put_u32(msg, KEYNET_A_NAT64_POOL_PER_64, n->per64)) ||
	    ((fields & KN_NAT64_CLAT) && nla_put_u8(msg, KEYNET_A_NAT64_CLAT, n->clat)))
		return -EMSGSIZE;
	return 0;
}

/*
 * A NAT64_GET reply into @n and its device's index into @ifindex;
 * -ENOENT for a reply without a prefix.  What the kernel leaves out
 * means off (0).
 */
int kn_dec_nat64(struct nlattr **a, struct kn_conf_nat64 *n, uint32_t *ifindex)
{
	memset(n, 0, sizeof(*n));
	*ifindex = kn_get_u32(a[KEYNET_A_IFINDEX]);
	if (!kn_attr_len(a[KEYNET_A_PREFIX], 16) || !a[KEYNET_A_PREFIX_LEN])
		return -ENOENT;
	n->on = true;
	memcpy(n->prefix, nla_data(a[KEYNET_A_PREFIX]), 16);
	n->plen = kn_get_u8(a[KEYNET_A_PREFIX_LEN]);
	n->has_v4 = kn_attr_len(a[KEYNET_A_NAT64_IPV4_ADDR], 4);
	if (n->has_v4)
		memcpy(n->v4, nla_data(a[KEYNET_A_NAT64_IPV4_ADDR]), 4);
	n->has_v6 = kn_attr_len(a[KEYNET_A_NAT64_IPV6_ADDR], 16);
	if (n->has_v6)
		memcpy(n->v6, nla_data(a[KEYNET_A_NAT64_IPV6_ADDR]), 16);
	n->mss = kn_get_u16(a[KEYNET_A_NAT64_MSS_CLAMP]);
	n->strict_wkp = kn_get_u8(a[KEYNET_A_NAT64_STRICT_WKP]);
	n->udp0 = kn_get_u8(a[KEYNET_A_NAT64_UDP_ZERO_CSUM]);
	/* A module without the setting fragments at 1280, the default. */
	n->offlink_mtu = a[KEYNET_A_NAT64_OFFLINK_MTU] ?
			 kn_get_u32(a[KEYNET_A_NAT64_OFFLINK_MTU]) : KN_CONF_NAT64_OFFLINK;
	n->timeout = kn_get_u32(a[KEYNET_A_NAT64_POOL_TIMEOUT]);
	n->per64 = kn_get_u32(a[KEYNET_A_NAT64_POOL_PER_64]);
	/* A module without the setting has no CLAT: off. */
	n->clat = kn_get_u8(a[KEYNET_A_NAT64_CLAT]);
	return 0;
}

/* An IPv4 pool range (POOL_NEW / POOL_DEL). */
int kn_enc_pool(struct nl_msg *msg, const struct kn_conf_pool *r)
{
	return kn_enc_prefix(msg, &r->p);
}

int kn_dec_pool(struct nlattr **a, struct kn_conf_pool *r)
{
	memset(r, 0, sizeof(*r));
	if (!kn_attr_len(a[KEYNET_A_PREFIX], 4))
		return -ENOENT;
	return kn_dec_prefix(a[KEYNET_A_PREFIX], a[KEYNET_A_PREFIX_LEN], &r->p);
}

/*
 * A static map: both sides for MAP_NEW, the one that names it for
 * MAP_DEL; the length only for a prefix map (a module older than prefix
 * maps still takes single ones).
 */
int kn_enc_map(struct nl_msg *msg, const struct kn_conf_map *m, bool v4, bool v6)
{
	if ((v4 && nla_put(msg, KEYNET_A_NAT64_V4, 4, m->v4)) ||
	    (v6 && nla_put(msg, KEYNET_A_NAT64_V6, 16, m->v6)) ||
	    (m->len4 != 32 && nla_put_u8(msg, KEYNET_A_NAT64_MAP_PLEN, m->len4)))
		return -EMSGSIZE;
	return 0;
}

/* The whole static set, for MAP_SET (the message sized KN_ENC_MAPS_SIZE). */
int kn_enc_maps(struct nl_msg *msg, const struct kn_conf_map *maps, int n)
{
	struct nlattr *nest, *e;

	/*
	 * No maps: an empty attribute, written by hand because libnl's
	 * nla_nest_end() drops an empty nest (and the kernel then sees no
	 * list at all, which it refuses: only an empty one removes them).
	 */
	if (!n)
		return nla_put(msg, KEYNET_A_NAT64_MAPS | NLA_F_NESTED, 0, NULL) ?
		       -EMSGSIZE : 0;
	nest = nla_nest_start(msg, KEYNET_A_NAT64_MAPS);
	if (!nest)
		return -EMSGSIZE;
	for (int i = 0; i < n; i++) {
		e = nla_nest_start(msg, KEYNET_A_NAT64_MAPS);
		if (!e || kn_enc_map(msg, &maps[i], true, true))
			return -EMSGSIZE;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* A MAP_GET reply; @dynamic: a mapping of the pool, not configuration. */
int kn_dec_map(struct nlattr **a, struct kn_conf_map *m, bool *dynamic)
{
	memset(m, 0, sizeof(*m));
	if (!kn_attr_len(a[KEYNET_A_NAT64_V4], 4) || !kn_attr_len(a[KEYNET_A_NAT64_V6], 16))
		return -ENOENT;
	memcpy(m->v4, nla_data(a[KEYNET_A_NAT64_V4]), 4);
	memcpy(m->v6, nla_data(a[KEYNET_A_NAT64_V6]), 16);
	/* A module older than prefix maps sends no length: single addresses. */
	m->len4 = a[KEYNET_A_NAT64_MAP_PLEN] ? nla_get_u8(a[KEYNET_A_NAT64_MAP_PLEN]) : 32;
	if (m->len4 > 32)
		return -EINVAL;
	m->len6 = 96 + m->len4;
	*dynamic = kn_get_u32(a[KEYNET_A_NAT64_MAP_FLAGS]) & KEYNET_NAT64_MAP_F_DYNAMIC;
	return 0;
}
