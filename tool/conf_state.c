// SPDX-License-Identifier: GPL-2.0
/*
 * "keynet conf": the running configuration of a device, read from the
 * kernel (LINK_GET, peer, route, NAT64, pool and map dumps, plus the
 * device's MTU, addresses and host routes over rtnetlink) into a struct
 * kn_conf, and "conf apply": the difference between a parsed file and
 * that state, sent as the few requests that make them equal.
 *
 * Order of apply: the device is created if missing; then LINK_SET (one
 * request, all or nothing in the kernel: key, socket, addressing, local
 * prefixes, beacons), peers removed / changed / added, routes removed /
 * added (these two pipelined, see struct kn_nl_batch), NAT64 (off, or set,
 * then pool ranges and static maps), MTU and up, addresses, host routes.
 * Peers whose settings did not change get no request, so their sessions
 * carry on.  A refusal
 * by the kernel stops the apply with one error line and exit status 1;
 * what was applied before it stays (a device this apply created is
 * deleted again).  The file was validated completely before the first
 * request, so refusals are rare (a port in use, a race with another
 * configurator).
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "conf.h"


static struct nl_msg *kn_cnl_msg(struct kn_nl *g, uint8_t cmd, int flags, const char *dev)
{
	struct nl_msg *msg = kn_nl_msg(g, cmd, flags);

	if (msg && dev && kn_nl_put_dev(msg, dev)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

typedef int (*kn_attr_cb)(struct nlattr **a, void *arg);

/* Send @msg (consumed; wiped first when it holds a secret), quietly. */
static int kn_cnl_talk(struct kn_nl *g, struct nl_msg *msg, kn_attr_cb cb, void *arg,
		       bool secret)
{
	return kn_nl_call(g, msg, cb, arg, KN_NL_QUIET | (secret ? KN_NL_SECRET : 0));
}

/*
 * Peers by key and routes by (peer key, prefix), sorted, so that comparing
 * a file of thousands of peers with the kernel's state is not quadratic.
 */
struct kn_index {
	const struct kn_conf *c;
	int *ord;
	int n;
};

static int kn_route_cmp3(const struct kn_conf *ca, const struct kn_conf_route *a,
			 const struct kn_conf *cb, const struct kn_conf_route *b)
{
	int d = memcmp(ca->peers[a->peer].key, cb->peers[b->peer].key, KEYNET_KEY_LEN);

	if (d)
		return d;
	if (a->p.alen != b->p.alen)
		return a->p.alen - b->p.alen;
	if (a->p.len != b->p.len)
		return a->p.len - b->p.len;
	return memcmp(a->p.addr, b->p.addr, a->p.alen);
}

static int kn_index_peer_cmp(const void *x, const void *y, void *arg)
{
	const struct kn_conf *c = arg;

	return memcmp(c->peers[*(const int *)x].key, c->peers[*(const int *)y].key,
		      KEYNET_KEY_LEN);
}

static int kn_index_route_cmp(const void *x, const void *y, void *arg)
{
	const struct kn_conf *c = arg;

	return kn_route_cmp3(c, &c->routes[*(const int *)x], c, &c->routes[*(const int *)y]);
}

static int kn_index_build(struct kn_index *ix, const struct kn_conf *c, bool routes)
{
	int i, n = routes ? c->n_routes : c->n_peers;

	ix->c = c;
	ix->n = n;
	ix->ord = malloc(((size_t)n + 1) * sizeof(int));
	if (!ix->ord) {
		kn_err("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		ix->ord[i] = i;
	qsort_r(ix->ord, (size_t)n, sizeof(int), routes ? kn_index_route_cmp : kn_index_peer_cmp,
		(void *)c);
	return 0;
}

static void kn_index_free(struct kn_index *ix)
{
	free(ix->ord);
	ix->ord = NULL;
}

/* The peer of @ix->c with @key, or -1. */
static int kn_index_peer(const struct kn_index *ix, const uint8_t key[KEYNET_KEY_LEN])
{
	int lo = 0, hi = ix->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int d = memcmp(ix->c->peers[ix->ord[mid]].key, key, KEYNET_KEY_LEN);

		if (!d)
			return ix->ord[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The route of @ix->c equal to @r of @c (same peer key and prefix), or -1. */
static int kn_index_route(const struct kn_index *ix, const struct kn_conf *c,
			  const struct kn_conf_route *r)
{
	int lo = 0, hi = ix->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int d = kn_route_cmp3(ix->c, &ix->c->routes[ix->ord[mid]], c, r);

		if (!d)
			return ix->ord[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* ---- reading the running state ---- */

static bool kn_attr_len(struct nlattr *a, int len)
{
	return a && nla_len(a) == len;
}

static int kn_state_link_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	struct nlattr *e;
	uint32_t flags;
	int rem;

	if (a[KEYNET_A_IFNAME])
		snprintf(c->name, sizeof(c->name), "%s", nla_get_string(a[KEYNET_A_IFNAME]));
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
		c->port = nla_get_u16(a[KEYNET_A_LISTEN_PORT]);
	if (kn_attr_len(a[KEYNET_A_LISTEN_ADDR], 4) || kn_attr_len(a[KEYNET_A_LISTEN_ADDR], 16)) {
		c->laddr_len = nla_len(a[KEYNET_A_LISTEN_ADDR]);
		memcpy(c->laddr, nla_data(a[KEYNET_A_LISTEN_ADDR]), c->laddr_len);
	}
	if (a[KEYNET_A_FWMARK])
		c->fwmark = nla_get_u32(a[KEYNET_A_FWMARK]);
	if (kn_attr_len(a[KEYNET_A_ADDR_PREFIX], 16) && a[KEYNET_A_ADDR_PREFIX_LEN]) {
		memcpy(c->aprefix, nla_data(a[KEYNET_A_ADDR_PREFIX]), 16);
		c->aplen = nla_get_u8(a[KEYNET_A_ADDR_PREFIX_LEN]);
	}
	flags = a[KEYNET_A_LINK_FLAGS] ? nla_get_u32(a[KEYNET_A_LINK_FLAGS]) : 0;
	c->auto_address = !(flags & KEYNET_LINK_F_NO_AUTO_ADDR);
	c->peer_routes = !(flags & KEYNET_LINK_F_NO_PEER_ROUTES);
	c->beacon_key_set = flags & KEYNET_LINK_F_HAS_BEACON_KEY;
	if (a[KEYNET_A_BEACON_MODE])
		c->beacon_mode = nla_get_u8(a[KEYNET_A_BEACON_MODE]);
	if (a[KEYNET_A_BEACON_PORT])
		c->beacon_port = nla_get_u16(a[KEYNET_A_BEACON_PORT]);
	if (a[KEYNET_A_BEACON_MAX_PEERS])
		c->beacon_max = nla_get_u32(a[KEYNET_A_BEACON_MAX_PEERS]);
	if (a[KEYNET_A_BEACON_STAMP_WINDOW])
		c->beacon_window = nla_get_u32(a[KEYNET_A_BEACON_STAMP_WINDOW]);
	c->n_beacon_devs = 0;
	if (a[KEYNET_A_BEACON_IFINDEXES]) {
		nla_for_each_nested(e, a[KEYNET_A_BEACON_IFINDEXES], rem) {
			int i = c->n_beacon_devs;

			if (i >= KN_CONF_BEACON_DEVS_MAX || nla_len(e) != sizeof(uint32_t))
				continue;
			c->beacon_ifindex[i] = nla_get_u32(e);
			/* By name in this namespace, as "link show" prints them. */
			if (!if_indextoname(c->beacon_ifindex[i], c->beacon_devs[i]))
				snprintf(c->beacon_devs[i], IFNAMSIZ, "if%u", c->beacon_ifindex[i]);
			c->n_beacon_devs++;
		}
	}
	c->n_local = 0;
	if (a[KEYNET_A_LOCAL_PREFIXES]) {
		nla_for_each_nested(e, a[KEYNET_A_LOCAL_PREFIXES], rem) {
			struct nlattr *tb[KEYNET_A_MAX + 1];
			struct kn_prefix *p;
			int alen;

			if (c->n_local >= KN_CONF_LOCAL_MAX ||
			    nla_parse_nested(tb, KEYNET_A_MAX, e, NULL) ||
			    !tb[KEYNET_A_PREFIX] || !tb[KEYNET_A_PREFIX_LEN])
				continue;
			alen = nla_len(tb[KEYNET_A_PREFIX]);
			if (alen != 4 && alen != 16)
				continue;
			p = &c->local[c->n_local++];
			memset(p, 0, sizeof(*p));
			p->family = alen == 4 ? AF_INET : AF_INET6;
			p->alen = (uint8_t)alen;
			p->len = nla_get_u8(tb[KEYNET_A_PREFIX_LEN]);
			memcpy(p->addr, nla_data(tb[KEYNET_A_PREFIX]), alen);
		}
	}
	return 0;
}

static int kn_state_peer_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	struct kn_conf_peer *p;
	uint32_t flags = a[KEYNET_A_PEER_FLAGS] ? nla_get_u32(a[KEYNET_A_PEER_FLAGS]) : 0;

	if (!kn_attr_len(a[KEYNET_A_PEER_PUBLIC_KEY], KEYNET_KEY_LEN))
		return 0;
	/* Peers a LAN beacon added come and go by themselves: not config. */
	if (flags & KEYNET_PEER_F_AUTO)
		return 0;
	if (kn_conf_add_peer(c, &p))
		return -ENOMEM;
	memcpy(p->key, nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]), KEYNET_KEY_LEN);
	p->flags = flags;
	if (kn_attr_len(a[KEYNET_A_PRESHARED_KEY], KEYNET_KEY_LEN)) {
		memcpy(p->psk, nla_data(a[KEYNET_A_PRESHARED_KEY]), KEYNET_KEY_LEN);
		p->has_psk = true;
	}
	if (a[KEYNET_A_ENDPOINT] &&
	    (size_t)nla_len(a[KEYNET_A_ENDPOINT]) <= sizeof(p->ep) &&
	    (kn_attr_len(a[KEYNET_A_ENDPOINT], sizeof(struct sockaddr_in)) ||
	     kn_attr_len(a[KEYNET_A_ENDPOINT], sizeof(struct sockaddr_in6)))) {
		memcpy(&p->ep, nla_data(a[KEYNET_A_ENDPOINT]), nla_len(a[KEYNET_A_ENDPOINT]));
		p->eplen = (socklen_t)nla_len(a[KEYNET_A_ENDPOINT]);
		p->has_ep = true;
		p->ep_resolved = true;
	}
	if (a[KEYNET_A_KEEPALIVE])
		p->keepalive = nla_get_u16(a[KEYNET_A_KEEPALIVE]);
	if (a[KEYNET_A_PEER_NAME])
		snprintf(p->name, sizeof(p->name), "%s", nla_get_string(a[KEYNET_A_PEER_NAME]));
	p->no_auto_route = flags & KEYNET_PEER_F_NO_AUTO_ROUTE;
	p->transit = a[KEYNET_A_PEER_TRANSIT] && nla_get_u8(a[KEYNET_A_PEER_TRANSIT]);
	if (kn_attr_len(a[KEYNET_A_ADDRESS], 16)) {
		memcpy(p->address, nla_data(a[KEYNET_A_ADDRESS]), 16);
		p->has_address = true;
	}
	return 0;
}

static int kn_state_route_cb(struct nlattr **a, void *arg)
{
	struct kn_index *ix = arg;
	struct kn_conf *c = (struct kn_conf *)ix->c;
	struct kn_prefix p = { 0 };
	int peer, alen;

	if (!a[KEYNET_A_PREFIX] || !a[KEYNET_A_PREFIX_LEN] ||
	    !kn_attr_len(a[KEYNET_A_PEER_PUBLIC_KEY], KEYNET_KEY_LEN))
		return 0;
	alen = nla_len(a[KEYNET_A_PREFIX]);
	if (alen != 4 && alen != 16)
		return 0;
	peer = kn_index_peer(ix, nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]));
	if (peer < 0)
		return 0;	/* a beacon's auto-peer */
	p.family = alen == 4 ? AF_INET : AF_INET6;
	p.alen = (uint8_t)alen;
	p.len = nla_get_u8(a[KEYNET_A_PREFIX_LEN]);
	memcpy(p.addr, nla_data(a[KEYNET_A_PREFIX]), alen);
	if (kn_conf_add_route(c, peer, &p, a[KEYNET_A_METRIC] ? nla_get_u32(a[KEYNET_A_METRIC]) : 0))
		return -ENOMEM;
	c->routes[c->n_routes - 1].is_auto = a[KEYNET_A_ROUTE_FLAGS] &&
		(nla_get_u32(a[KEYNET_A_ROUTE_FLAGS]) & KEYNET_ROUTE_F_AUTO);
	return 0;
}

struct kn_state_nat64 {
	struct kn_conf *c;
	uint32_t ifindex;
};

static int kn_state_nat64_cb(struct nlattr **a, void *arg)
{
	struct kn_state_nat64 *s = arg;
	struct kn_conf_nat64 *n = &s->c->nat64;

	if (!a[KEYNET_A_IFINDEX] || nla_get_u32(a[KEYNET_A_IFINDEX]) != s->ifindex ||
	    !kn_attr_len(a[KEYNET_A_PREFIX], 16) || !a[KEYNET_A_PREFIX_LEN])
		return 0;
	n->on = true;
	memcpy(n->prefix, nla_data(a[KEYNET_A_PREFIX]), 16);
	n->plen = nla_get_u8(a[KEYNET_A_PREFIX_LEN]);
	n->has_v4 = kn_attr_len(a[KEYNET_A_NAT64_IPV4_ADDR], 4);
	if (n->has_v4)
		memcpy(n->v4, nla_data(a[KEYNET_A_NAT64_IPV4_ADDR]), 4);
	n->has_v6 = kn_attr_len(a[KEYNET_A_NAT64_IPV6_ADDR], 16);
	if (n->has_v6)
		memcpy(n->v6, nla_data(a[KEYNET_A_NAT64_IPV6_ADDR]), 16);
	if (a[KEYNET_A_NAT64_MSS_CLAMP])
		n->mss = nla_get_u16(a[KEYNET_A_NAT64_MSS_CLAMP]);
	if (a[KEYNET_A_NAT64_STRICT_WKP])
		n->strict_wkp = nla_get_u8(a[KEYNET_A_NAT64_STRICT_WKP]);
	if (a[KEYNET_A_NAT64_UDP_ZERO_CSUM])
		n->udp0_drop = nla_get_u8(a[KEYNET_A_NAT64_UDP_ZERO_CSUM]);
	if (a[KEYNET_A_NAT64_POOL_TIMEOUT])
		n->timeout = nla_get_u32(a[KEYNET_A_NAT64_POOL_TIMEOUT]);
	if (a[KEYNET_A_NAT64_POOL_PER_64])
		n->per64 = nla_get_u32(a[KEYNET_A_NAT64_POOL_PER_64]);
	return 0;
}

static int kn_state_pool_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	struct kn_conf_pool *r;

	if (!kn_attr_len(a[KEYNET_A_PREFIX], 4) || !a[KEYNET_A_PREFIX_LEN])
		return 0;
	r = realloc(c->pools, (size_t)(c->n_pools + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	c->pools = r;
	r += c->n_pools++;
	memset(r, 0, sizeof(*r));
	r->p.family = AF_INET;
	r->p.alen = 4;
	r->p.len = nla_get_u8(a[KEYNET_A_PREFIX_LEN]);
	memcpy(r->p.addr, nla_data(a[KEYNET_A_PREFIX]), 4);
	return 0;
}

static int kn_state_map_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	struct kn_conf_map *m;

	if (!kn_attr_len(a[KEYNET_A_NAT64_V4], 4) || !kn_attr_len(a[KEYNET_A_NAT64_V6], 16))
		return 0;
	/* Dynamic mappings are the pool's business, not configuration. */
	if (a[KEYNET_A_NAT64_MAP_FLAGS] &&
	    (nla_get_u32(a[KEYNET_A_NAT64_MAP_FLAGS]) & KEYNET_NAT64_MAP_F_DYNAMIC))
		return 0;
	m = realloc(c->maps, (size_t)(c->n_maps + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	c->maps = m;
	m += c->n_maps++;
	memset(m, 0, sizeof(*m));
	memcpy(m->v4, nla_data(a[KEYNET_A_NAT64_V4]), 4);
	memcpy(m->v6, nla_data(a[KEYNET_A_NAT64_V6]), 16);
	return 0;
}

/* One read of everything; -EINTR when a dump was interrupted. */
static int kn_state_read_once(struct kn_nl *g, struct kn_nl *rt, const char *dev,
			      struct kn_conf *c, struct kn_rt_link *link)
{
	struct kn_state_nat64 sn = { .c = c, .ifindex = link->ifindex };
	struct kn_index ix;
	struct nl_msg *msg;
	int ret, i;

	msg = kn_cnl_msg(g, KEYNET_CMD_LINK_GET, 0, dev);
	if (!msg || nla_put_u32(msg, KEYNET_A_FLAGS, KEYNET_F_WANT_SECRETS))
		goto nomem;
	ret = kn_cnl_talk(g, msg, kn_state_link_cb, c, false);
	if (ret)
		return ret;
	msg = kn_cnl_msg(g, KEYNET_CMD_PEER_GET, NLM_F_DUMP, dev);
	if (!msg || nla_put_u32(msg, KEYNET_A_FLAGS, KEYNET_F_WANT_SECRETS))
		goto nomem;
	ret = kn_cnl_talk(g, msg, kn_state_peer_cb, c, false);
	if (ret)
		return ret;
	msg = kn_cnl_msg(g, KEYNET_CMD_ROUTE_GET, NLM_F_DUMP, dev);
	if (!msg || kn_index_build(&ix, c, false))
		goto nomem;
	ret = kn_cnl_talk(g, msg, kn_state_route_cb, &ix, false);
	kn_index_free(&ix);
	if (ret)
		return ret;
	msg = kn_cnl_msg(g, KEYNET_CMD_NAT64_GET, NLM_F_DUMP, NULL);
	if (!msg)
		goto nomem;
	ret = kn_cnl_talk(g, msg, kn_state_nat64_cb, &sn, false);
	if (ret)
		return ret;
	if (c->nat64.on) {
		msg = kn_cnl_msg(g, KEYNET_CMD_POOL_GET, NLM_F_DUMP, dev);
		if (!msg)
			goto nomem;
		ret = kn_cnl_talk(g, msg, kn_state_pool_cb, c, false);
		if (ret)
			return ret;
		msg = kn_cnl_msg(g, KEYNET_CMD_MAP_GET, NLM_F_DUMP, dev);
		if (!msg)
			goto nomem;
		ret = kn_cnl_talk(g, msg, kn_state_map_cb, c, false);
		if (ret)
			return ret;
	}
	c->mtu = link->mtu;
	ret = kn_rt_addrs(rt, link->ifindex, &c->addrs, &c->n_addrs);
	if (ret)
		return ret;
	/* The derived address is AutoAddress's, not an Address= line. */
	if (c->auto_address && c->has_address) {
		for (i = 0; i < c->n_addrs; i++) {
			if (c->addrs[i].family == AF_INET6 &&
			    !memcmp(c->addrs[i].addr, c->address, 16)) {
				memmove(&c->addrs[i], &c->addrs[i + 1],
					(size_t)(c->n_addrs - i - 1) * sizeof(c->addrs[0]));
				c->n_addrs--;
				i--;
			}
		}
	}
	return kn_rt_routes(rt, link->ifindex, &c->hroutes, &c->n_hroutes);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int kn_state_read(struct kn_nl *g, struct kn_nl *rt, const char *dev,
			 struct kn_conf *c, struct kn_rt_link *link)
{
	int ret = -EINTR, tries;

	for (tries = 0; tries < KN_DUMP_TRIES && ret == -EINTR; tries++) {
		kn_conf_free(c);
		kn_conf_init(c);
		/* What the kernel leaves out of its replies means "off". */
		c->nat64.mss = 0;
		c->nat64.strict_wkp = false;
		c->nat64.timeout = 0;
		/* An older module without the limit: as if it had none. */
		c->nat64.per64 = 0;
		ret = kn_state_read_once(g, rt, dev, c, link);
	}
	if (ret == -EINTR)
		kn_err("the configuration of %s kept changing while it was read; try again", dev);
	else if (ret)
		kn_err("cannot read the configuration of %s: %s%s%s", dev,
		       ret == -ENOMEM ? "out of memory" : kn_nl_why(g)[0] ? kn_nl_why(g) : kn_nl_why(rt),
		       ret == -ENOMEM || kn_nl_why(g)[0] || kn_nl_why(rt)[0] ? ": " : "",
		       strerror(-ret));
	return ret ? KN_EXIT_FAIL : 0;
}

/* The device @dev, which must exist and be a keynet device. */
static int kn_state_link(struct kn_nl *rt, const char *dev, struct kn_rt_link *link)
{
	int ret = kn_rt_link_get(rt, dev, link);

	if (ret == -ENODEV) {
		kn_err("no device '%s'", dev);
		return KN_EXIT_FAIL;
	}
	if (ret) {
		kn_err("cannot read device '%s': %s", dev, strerror(-ret));
		return KN_EXIT_FAIL;
	}
	if (strcmp(link->kind, KEYNET_LINK_KIND)) {
		kn_err("'%s' is not a keynet device (its kind is '%s')", dev,
		       link->kind[0] ? link->kind : "none");
		return KN_EXIT_FAIL;
	}
	return 0;
}

int kn_conf_state_read(const char *dev, struct kn_conf *c, struct kn_rt_link *link)
{
	struct kn_nl *rt;
	struct kn_nl *g = NULL;
	int ret = KN_EXIT_FAIL;

	kn_conf_init(c);
	rt = kn_nl_open_proto(NETLINK_ROUTE);
	if (!rt)
		return KN_EXIT_FAIL;
	ret = kn_state_link(rt, dev, link);
	if (!ret) {
		g = kn_nl_open();
		ret = g ? kn_state_read(g, rt, dev, c, link) : KN_EXIT_FAIL;
	}
	kn_nl_close(g);
	kn_nl_close(rt);
	return ret;
}

/* ---- apply ---- */

struct kn_apply {
	struct kn_conf *want;
	struct kn_conf have;
	const char *dev;
	struct kn_nl *g;
	struct kn_nl *rt;
	struct kn_rt_link link;
	bool created;
	struct kn_nl_batch b;
	struct kn_index hpeers, wpeers, hroutes, wroutes;
	/* what was done, for the summary */
	bool link_changed, mtu_changed, brought_up;
	int peers_added, peers_changed, peers_removed;
	int routes_added, routes_changed, routes_removed;
	int nat64_op;		/* 1 on, 2 changed, 3 off */
	int pools_added, pools_removed, maps_added, maps_removed;
	int addrs_added, addrs_removed, hroutes_added, hroutes_removed;
};

/* keynet: PATH:LINE: the kernel refused <what> '<token>': <why> */
static int kn_apply_err(struct kn_apply *ap, int line, const char *what, const char *token,
			int err, const char *why)
{
	char where[64] = "";

	if (line)
		snprintf(where, sizeof(where), ":%d", line);
	fprintf(stderr, "keynet: %s%s: the kernel refused %s%s%s%s: %s%s%s\n", ap->want->path,
		where, what, token ? " '" : "", token ? token : "", token ? "'" : "",
		why && why[0] ? why : "", why && why[0] ? ": " : "", strerror(-err));
	return KN_EXIT_FAIL;
}

static struct nl_msg *kn_apply_msg(struct kn_apply *ap, uint8_t cmd)
{
	struct nl_msg *msg = kn_cnl_msg(ap->g, cmd, 0, ap->dev);

	if (!msg)
		kn_err("out of memory");
	return msg;
}

static bool kn_local_same(const struct kn_conf *a, const struct kn_conf *b)
{
	int i, j;

	if (a->n_local != b->n_local)
		return false;
	for (i = 0; i < a->n_local; i++) {
		for (j = 0; j < b->n_local; j++)
			if (a->local[i].alen == b->local[j].alen &&
			    a->local[i].len == b->local[j].len &&
			    !memcmp(a->local[i].addr, b->local[j].addr, a->local[i].alen))
				break;
		if (j == b->n_local)
			return false;
	}
	return true;
}

static bool kn_beacon_devs_same(const struct kn_conf *a, const struct kn_conf *b)
{
	int i, j;

	if (a->n_beacon_devs != b->n_beacon_devs)
		return false;
	for (i = 0; i < a->n_beacon_devs; i++) {
		for (j = 0; j < b->n_beacon_devs; j++)
			if (a->beacon_ifindex[i] == b->beacon_ifindex[j])
				break;
		if (j == b->n_beacon_devs)
			return false;
	}
	return true;
}

static int kn_apply_link(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	uint32_t wflags = (w->auto_address ? 0 : KEYNET_LINK_F_NO_AUTO_ADDR) |
			  (w->peer_routes ? 0 : KEYNET_LINK_F_NO_PEER_ROUTES);
	uint32_t hflags = (h->auto_address ? 0 : KEYNET_LINK_F_NO_AUTO_ADDR) |
			  (h->peer_routes ? 0 : KEYNET_LINK_F_NO_PEER_ROUTES);
	bool key = w->has_priv && (w->priv_remove ? h->has_pub :
				   !h->has_pub || memcmp(w->pub, h->pub, KEYNET_KEY_LEN));
	bool port = w->port != h->port;
	bool laddr = w->laddr_len != h->laddr_len || memcmp(w->laddr, h->laddr, w->laddr_len);
	bool fwmark = w->fwmark != h->fwmark;
	bool addressing = w->aplen != h->aplen || memcmp(w->aprefix, h->aprefix, 16);
	bool flags = wflags != hflags;
	bool local = !kn_local_same(w, h);
	bool bmode = w->beacon_mode != h->beacon_mode;
	bool bport = w->beacon_port != h->beacon_port;
	bool bmax = w->beacon_max != h->beacon_max;
	bool bwin = w->beacon_window != h->beacon_window;
	bool bdevs = !kn_beacon_devs_same(w, h);
	/*
	 * The beacon key is never read back: a file that has one sends it
	 * every time (the same key changes nothing); it counts as a change
	 * only when the device had none.
	 */
	bool bkey = w->has_beacon_key && (!w->beacon_key_remove || h->beacon_key_set);
	bool bkey_change = bkey && (w->beacon_key_remove || !h->beacon_key_set);
	uint32_t rflags = (local && !w->n_local ? KEYNET_F_LOCAL_CLEAR : 0) |
			  (bdevs && !w->n_beacon_devs ? KEYNET_F_BEACON_DEVS_CLEAR : 0);
	struct nl_msg *msg;
	int ret, i;

	if (!key && !port && !laddr && !fwmark && !addressing && !flags && !local &&
	    !bmode && !bport && !bmax && !bwin && !bdevs && !bkey)
		return 0;
	msg = kn_apply_msg(ap, KEYNET_CMD_LINK_SET);
	if (!msg)
		return KN_EXIT_FAIL;
	if ((key && nla_put(msg, KEYNET_A_PRIVATE_KEY, w->priv_remove ? 0 : KEYNET_KEY_LEN,
			    w->priv)) ||
	    (port && nla_put_u16(msg, KEYNET_A_LISTEN_PORT, w->port)) ||
	    (laddr && nla_put(msg, KEYNET_A_LISTEN_ADDR, w->laddr_len, w->laddr)) ||
	    (fwmark && nla_put_u32(msg, KEYNET_A_FWMARK, w->fwmark)) ||
	    (addressing && (nla_put(msg, KEYNET_A_ADDR_PREFIX, 16, w->aprefix) ||
			    nla_put_u8(msg, KEYNET_A_ADDR_PREFIX_LEN, w->aplen))) ||
	    (flags && nla_put_u32(msg, KEYNET_A_LINK_FLAGS, wflags)) ||
	    (rflags && nla_put_u32(msg, KEYNET_A_FLAGS, rflags)) ||
	    (bmode && nla_put_u8(msg, KEYNET_A_BEACON_MODE, w->beacon_mode)) ||
	    (bport && nla_put_u16(msg, KEYNET_A_BEACON_PORT, w->beacon_port)) ||
	    (bmax && nla_put_u32(msg, KEYNET_A_BEACON_MAX_PEERS, w->beacon_max)) ||
	    (bwin && nla_put_u32(msg, KEYNET_A_BEACON_STAMP_WINDOW, w->beacon_window)) ||
	    (bkey && nla_put(msg, KEYNET_A_BEACON_KEY, w->beacon_key_remove ? 0 : KEYNET_KEY_LEN,
			     w->beacon_key)))
		goto nomem;
	if (bdevs && w->n_beacon_devs) {
		struct nlattr *nest = nla_nest_start(msg, KEYNET_A_BEACON_IFINDEXES | NLA_F_NESTED);

		if (!nest)
			goto nomem;
		for (i = 0; i < w->n_beacon_devs; i++)
			if (nla_put_u32(msg, KEYNET_A_IFINDEX, w->beacon_ifindex[i]))
				goto nomem;
		nla_nest_end(msg, nest);
	}
	if (local && w->n_local) {
		struct nlattr *nest = nla_nest_start(msg, KEYNET_A_LOCAL_PREFIXES | NLA_F_NESTED);

		if (!nest)
			goto nomem;
		for (i = 0; i < w->n_local; i++) {
			struct nlattr *e = nla_nest_start(msg, KEYNET_A_PREFIX | NLA_F_NESTED);

			if (!e || nla_put(msg, KEYNET_A_PREFIX, w->local[i].alen, w->local[i].addr) ||
			    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, w->local[i].len))
				goto nomem;
			nla_nest_end(msg, e);
		}
		nla_nest_end(msg, nest);
	}
	ret = kn_cnl_talk(ap->g, msg, NULL, NULL, true);
	if (ret)
		return kn_apply_err(ap, key ? w->priv_line : 0, "the [Link] settings of", ap->dev,
				    ret, kn_nl_why(ap->g));
	ap->link_changed = key || port || laddr || fwmark || addressing || flags || local ||
			   bmode || bport || bmax || bwin || bdevs || bkey_change;
	/* The derived address follows the key and the addressing. */
	if (key || addressing) {
		struct kn_conf after;

		kn_conf_init(&after);
		msg = kn_cnl_msg(ap->g, KEYNET_CMD_LINK_GET, 0, ap->dev);
		ret = msg ? kn_cnl_talk(ap->g, msg, kn_state_link_cb, &after, false) : -ENOMEM;
		h->has_address = after.has_address;
		memcpy(h->address, after.address, 16);
		h->has_pub = after.has_pub;
		memcpy(h->pub, after.pub, KEYNET_KEY_LEN);
		kn_conf_free(&after);
		if (ret) {
			kn_err("cannot read %s back: %s", ap->dev, strerror(-ret));
			return KN_EXIT_FAIL;
		}
	}
	return 0;

nomem:
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	kn_err("cannot build the request");
	return KN_EXIT_FAIL;
}

static bool kn_ep_same(const struct kn_conf_peer *a, const struct kn_conf_peer *b)
{
	if (!a->has_ep || !b->has_ep || a->ep.ss_family != b->ep.ss_family)
		return false;
	if (a->ep.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ep, *y = (const void *)&b->ep;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	{
		const struct sockaddr_in6 *x = (const void *)&a->ep, *y = (const void *)&b->ep;

		return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, 16);
	}
}

static int kn_apply_peer_msg(struct kn_apply *ap, uint8_t cmd, const struct kn_conf_peer *w,
			     const struct kn_conf_peer *h)
{
	char key[45], note[96];
	bool ep = w->has_ep && (!h || !kn_ep_same(w, h));
	bool psk = h ? w->has_psk != h->has_psk ||
		       (w->has_psk && memcmp(w->psk, h->psk, KEYNET_KEY_LEN)) : w->has_psk;
	bool ka = h ? w->keepalive != h->keepalive : w->keepalive != 0;
	bool name = h ? strcmp(w->name, h->name) != 0 : w->name[0] != 0;
	bool ar = h ? w->no_auto_route != h->no_auto_route : w->no_auto_route;
	bool tr = h ? w->transit != h->transit : w->transit;
	struct nl_msg *msg;

	if (h && !ep && !psk && !ka && !name && !ar && !tr)
		return 0;
	msg = kn_apply_msg(ap, cmd);
	if (!msg)
		return KN_EXIT_FAIL;
	if (nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, w->key) ||
	    (ep && nla_put(msg, KEYNET_A_ENDPOINT, w->eplen, &w->ep)) ||
	    (psk && nla_put(msg, KEYNET_A_PRESHARED_KEY, w->has_psk ? KEYNET_KEY_LEN : 0,
			    w->psk)) ||
	    (ka && nla_put_u16(msg, KEYNET_A_KEEPALIVE, w->keepalive)) ||
	    (name && nla_put_string(msg, KEYNET_A_PEER_NAME, w->name)) ||
	    (ar && nla_put_u32(msg, KEYNET_A_PEER_FLAGS,
			       w->no_auto_route ? KEYNET_PEER_F_NO_AUTO_ROUTE : 0)) ||
	    (tr && nla_put_u8(msg, KEYNET_A_PEER_TRANSIT, w->transit))) {
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return KN_EXIT_FAIL;
	}
	kn_key_to_base64(w->key, key);
	snprintf(note, sizeof(note), "%s '%s'", h ? "the change of peer" : "the new peer", key);
	if (kn_nl_batch_send(&ap->b, msg, w->line, note))
		return KN_EXIT_FAIL;
	if (h)
		ap->peers_changed++;
	else
		ap->peers_added++;
	return 0;
}

/* The first error of the batch, as one line; 0 when there was none. */
static int kn_apply_batch_done(struct kn_apply *ap)
{
	if (!kn_nl_batch_drain(&ap->b))
		return 0;
	return kn_apply_err(ap, ap->b.err_line, ap->b.err_note, NULL, ap->b.err, ap->b.why);
}

static int kn_apply_peers(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	struct nl_msg *msg;
	char key[45], note[96];
	int i, j, ret;

	for (i = 0; i < h->n_peers; i++) {
		if (kn_index_peer(&ap->wpeers, h->peers[i].key) >= 0)
			continue;
		/* A peer with the device's new key went with the key change. */
		if (w->has_pub && !memcmp(h->peers[i].key, w->pub, KEYNET_KEY_LEN))
			continue;
		msg = kn_apply_msg(ap, KEYNET_CMD_PEER_DEL);
		if (!msg || nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, h->peers[i].key)) {
			nlmsg_free(msg);
			return KN_EXIT_FAIL;
		}
		kn_key_to_base64(h->peers[i].key, key);
		snprintf(note, sizeof(note), "the removal of peer '%s'", key);
		if (kn_nl_batch_send(&ap->b, msg, 0, note))
			return kn_apply_batch_done(ap);
		ap->peers_removed++;
	}
	for (i = 0; i < w->n_peers; i++) {
		j = kn_index_peer(&ap->hpeers, w->peers[i].key);
		ret = kn_apply_peer_msg(ap, j < 0 ? KEYNET_CMD_PEER_NEW : KEYNET_CMD_PEER_SET,
					&w->peers[i], j < 0 ? NULL : &h->peers[j]);
		if (ret)
			return ap->b.err ? kn_apply_batch_done(ap) : ret;
	}
	return kn_apply_batch_done(ap);
}

static int kn_apply_route_msg(struct kn_apply *ap, uint8_t cmd, const uint8_t *key,
			      const struct kn_conf_route *r, int line)
{
	char text[INET6_ADDRSTRLEN + 8], note[96];
	struct nl_msg *msg = kn_apply_msg(ap, cmd);

	if (!msg || nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, key) ||
	    nla_put(msg, KEYNET_A_PREFIX, r->p.alen, r->p.addr) ||
	    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, r->p.len) ||
	    (cmd == KEYNET_CMD_ROUTE_NEW && nla_put_u32(msg, KEYNET_A_METRIC, r->metric))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return KN_EXIT_FAIL;
	}
	kn_format_prefix(r->p.addr, r->p.alen, r->p.len, text, sizeof(text));
	snprintf(note, sizeof(note), "%s '%s'",
		 cmd == KEYNET_CMD_ROUTE_NEW ? "the route" : "the removal of route", text);
	if (kn_nl_batch_send(&ap->b, msg, line, note))
		return kn_apply_batch_done(ap);
	return 0;
}

static int kn_apply_routes(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	int i, j, ret;

	for (i = 0; i < h->n_routes; i++) {
		const struct kn_conf_route *r = &h->routes[i];

		/* Auto routes are the kernel's; a removed peer took its routes. */
		if (r->is_auto || kn_index_peer(&ap->wpeers, h->peers[r->peer].key) < 0)
			continue;
		if (kn_index_route(&ap->wroutes, h, r) >= 0)
			continue;
		ret = kn_apply_route_msg(ap, KEYNET_CMD_ROUTE_DEL, h->peers[r->peer].key, r, 0);
		if (ret)
			return ret;
		ap->routes_removed++;
	}
	for (i = 0; i < w->n_routes; i++) {
		const struct kn_conf_route *r = &w->routes[i];

		j = kn_index_route(&ap->hroutes, w, r);
		if (j >= 0 && h->routes[j].metric == r->metric)
			continue;
		ret = kn_apply_route_msg(ap, KEYNET_CMD_ROUTE_NEW, w->peers[r->peer].key, r,
					 r->line);
		if (ret)
			return ret;
		if (j >= 0)
			ap->routes_changed++;
		else
			ap->routes_added++;
	}
	return kn_apply_batch_done(ap);
}

static int kn_apply_nat64_set(struct kn_apply *ap)
{
	struct kn_conf_nat64 *w = &ap->want->nat64, *h = &ap->have.nat64;
	bool on = !h->on;
	bool prefix = on || w->plen != h->plen || memcmp(w->prefix, h->prefix, 16);
	bool v4 = w->has_v4 != h->has_v4 || (w->has_v4 && memcmp(w->v4, h->v4, 4));
	bool v6 = w->has_v6 != h->has_v6 || (w->has_v6 && memcmp(w->v6, h->v6, 16));
	bool mss = on || w->mss != h->mss;
	bool wkp = on || w->strict_wkp != h->strict_wkp;
	bool udp0 = on || w->udp0_drop != h->udp0_drop;
	bool timeout = on || w->timeout != h->timeout;
	bool per64 = on || w->per64 != h->per64;
	struct nl_msg *msg;
	int ret;

	if (!prefix && !v4 && !v6 && !mss && !wkp && !udp0 && !timeout && !per64)
		return 0;
	msg = kn_apply_msg(ap, KEYNET_CMD_NAT64_SET);
	if (!msg || (prefix && (nla_put(msg, KEYNET_A_PREFIX, 16, w->prefix) ||
				nla_put_u8(msg, KEYNET_A_PREFIX_LEN, w->plen))) ||
	    (v4 && nla_put(msg, KEYNET_A_NAT64_IPV4_ADDR, w->has_v4 ? 4 : 0, w->v4)) ||
	    (v6 && nla_put(msg, KEYNET_A_NAT64_IPV6_ADDR, w->has_v6 ? 16 : 0, w->v6)) ||
	    (mss && nla_put_u16(msg, KEYNET_A_NAT64_MSS_CLAMP, w->mss)) ||
	    (wkp && nla_put_u8(msg, KEYNET_A_NAT64_STRICT_WKP, w->strict_wkp)) ||
	    (udp0 && nla_put_u8(msg, KEYNET_A_NAT64_UDP_ZERO_CSUM, w->udp0_drop)) ||
	    (timeout && nla_put_u32(msg, KEYNET_A_NAT64_POOL_TIMEOUT, w->timeout)) ||
	    (per64 && nla_put_u32(msg, KEYNET_A_NAT64_POOL_PER_64, w->per64))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return KN_EXIT_FAIL;
	}
	ret = kn_cnl_talk(ap->g, msg, NULL, NULL, false);
	if (ret)
		return kn_apply_err(ap, w->line, "the [NAT64] settings of", ap->dev, ret,
				    kn_nl_why(ap->g));
	ap->nat64_op = on ? 1 : 2;
	return 0;
}

static bool kn_pool_has(const struct kn_conf *c, const struct kn_prefix *p)
{
	int i;

	for (i = 0; i < c->n_pools; i++)
		if (c->pools[i].p.len == p->len && !memcmp(c->pools[i].p.addr, p->addr, 4))
			return true;
	return false;
}

static bool kn_map_has(const struct kn_conf *c, const struct kn_conf_map *m)
{
	int i;

	for (i = 0; i < c->n_maps; i++)
		if (!memcmp(c->maps[i].v4, m->v4, 4) && !memcmp(c->maps[i].v6, m->v6, 16))
			return true;
	return false;
}

static int kn_apply_nat64(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	char text[INET6_ADDRSTRLEN + 8];
	struct nl_msg *msg;
	int i, ret;

	if (!w->nat64.on) {
		if (!h->nat64.on)
			return 0;
		msg = kn_apply_msg(ap, KEYNET_CMD_NAT64_DEL);
		ret = msg ? kn_cnl_talk(ap->g, msg, NULL, NULL, false) : -ENOMEM;
		if (ret)
			return kn_apply_err(ap, 0, "turning NAT64 off on", ap->dev, ret, kn_nl_why(ap->g));
		ap->nat64_op = 3;
		return 0;
	}
	ret = kn_apply_nat64_set(ap);
	if (ret)
		return ret;
	for (i = 0; i < h->n_pools; i++) {
		if (kn_pool_has(w, &h->pools[i].p))
			continue;
		msg = kn_apply_msg(ap, KEYNET_CMD_POOL_DEL);
		if (!msg || nla_put(msg, KEYNET_A_PREFIX, 4, h->pools[i].p.addr) ||
		    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, h->pools[i].p.len)) {
			nlmsg_free(msg);
			return KN_EXIT_FAIL;
		}
		ret = kn_cnl_talk(ap->g, msg, NULL, NULL, false);
		if (ret) {
			kn_format_prefix(h->pools[i].p.addr, 4, h->pools[i].p.len, text, sizeof(text));
			return kn_apply_err(ap, 0, "the removal of pool range", text, ret, kn_nl_why(ap->g));
		}
		ap->pools_removed++;
	}
	for (i = 0; i < h->n_maps; i++) {
		if (kn_map_has(w, &h->maps[i]))
			continue;
		msg = kn_apply_msg(ap, KEYNET_CMD_MAP_DEL);
		if (!msg || nla_put(msg, KEYNET_A_NAT64_V4, 4, h->maps[i].v4)) {
			nlmsg_free(msg);
			return KN_EXIT_FAIL;
		}
		ret = kn_cnl_talk(ap->g, msg, NULL, NULL, false);
		if (ret) {
			inet_ntop(AF_INET, h->maps[i].v4, text, sizeof(text));
			return kn_apply_err(ap, 0, "the removal of map", text, ret, kn_nl_why(ap->g));
		}
		ap->maps_removed++;
	}
	for (i = 0; i < w->n_pools; i++) {
		if (kn_pool_has(h, &w->pools[i].p))
			continue;
		msg = kn_apply_msg(ap, KEYNET_CMD_POOL_NEW);
		if (!msg || nla_put(msg, KEYNET_A_PREFIX, 4, w->pools[i].p.addr) ||
		    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, w->pools[i].p.len)) {
			nlmsg_free(msg);
			return KN_EXIT_FAIL;
		}
		ret = kn_cnl_talk(ap->g, msg, NULL, NULL, false);
		if (ret) {
			kn_format_prefix(w->pools[i].p.addr, 4, w->pools[i].p.len, text, sizeof(text));
			return kn_apply_err(ap, w->pools[i].line, "the pool range", text, ret,
					    kn_nl_why(ap->g));
		}
		ap->pools_added++;
	}
	for (i = 0; i < w->n_maps; i++) {
		if (kn_map_has(h, &w->maps[i]))
			continue;
		msg = kn_apply_msg(ap, KEYNET_CMD_MAP_NEW);
		if (!msg || nla_put(msg, KEYNET_A_NAT64_V4, 4, w->maps[i].v4) ||
		    nla_put(msg, KEYNET_A_NAT64_V6, 16, w->maps[i].v6)) {
			nlmsg_free(msg);
			return KN_EXIT_FAIL;
		}
		ret = kn_cnl_talk(ap->g, msg, NULL, NULL, false);
		if (ret) {
			inet_ntop(AF_INET, w->maps[i].v4, text, sizeof(text));
			return kn_apply_err(ap, w->maps[i].line, "the map", text, ret, kn_nl_why(ap->g));
		}
		ap->maps_added++;
	}
	return 0;
}

static bool kn_addr_eq(const struct kn_conf_addr *a, const struct kn_conf_addr *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

static int kn_apply_addrs(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	struct kn_conf_addr *want, *cur = NULL;
	char text[INET6_ADDRSTRLEN + 8];
	int nwant = w->n_addrs, ncur = 0, i, j, ret;

	want = calloc((size_t)nwant + 1, sizeof(*want));
	if (!want) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	memcpy(want, w->addrs, (size_t)nwant * sizeof(*want));
	/* AutoAddress: the key-derived address, with the addressing's length. */
	if (w->auto_address && h->has_address) {
		want[nwant].family = AF_INET6;
		memcpy(want[nwant].addr, h->address, 16);
		want[nwant].plen = w->aplen;
		for (j = 0; j < nwant; j++)
			if (want[j].family == AF_INET6 && !memcmp(want[j].addr, h->address, 16))
				break;
		if (j == nwant)
			nwant++;
	}
	ret = kn_rt_addrs(ap->rt, ap->link.ifindex, &cur, &ncur);
	if (ret) {
		kn_err("cannot read the addresses of %s: %s", ap->dev, strerror(-ret));
		ret = KN_EXIT_FAIL;
		goto out;
	}
	/* Remove first: the same address with another length is a new one. */
	for (i = 0; i < ncur; i++) {
		for (j = 0; j < nwant; j++)
			if (kn_addr_eq(&cur[i], &want[j]))
				break;
		if (j < nwant)
			continue;
		ret = kn_rt_addr(ap->rt, false, ap->link.ifindex, &cur[i]);
		if (ret && ret != -EADDRNOTAVAIL) {
			kn_format_prefix(cur[i].addr, cur[i].family == AF_INET ? 4 : 16, cur[i].plen,
					 text, sizeof(text));
			ret = kn_apply_err(ap, 0, "the removal of address", text, ret,
					   kn_nl_why(ap->rt));
			goto out;
		}
		ap->addrs_removed++;
	}
	for (j = 0; j < nwant; j++) {
		for (i = 0; i < ncur; i++)
			if (kn_addr_eq(&cur[i], &want[j]))
				break;
		if (i < ncur)
			continue;
		ret = kn_rt_addr(ap->rt, true, ap->link.ifindex, &want[j]);
		if (ret) {
			kn_format_prefix(want[j].addr, want[j].family == AF_INET ? 4 : 16,
					 want[j].plen, text, sizeof(text));
			ret = kn_apply_err(ap, want[j].line, "the address", text, ret,
					   kn_nl_why(ap->rt));
			goto out;
		}
		ap->addrs_added++;
	}
	ret = 0;
out:
	free(cur);
	free(want);
	return ret;
}

static bool kn_hroute_eq(const struct kn_conf_hroute *a, const struct kn_conf_hroute *b)
{
	return a->p.alen == b->p.alen && a->p.len == b->p.len &&
	       !memcmp(a->p.addr, b->p.addr, a->p.alen) && a->table == b->table &&
	       a->metric == b->metric && a->has_src == b->has_src &&
	       (!a->has_src || !memcmp(a->src, b->src, a->p.alen));
}

static int kn_apply_hroutes(struct kn_apply *ap)
{
	struct kn_conf_hroute *want = NULL, *cur = NULL;
	char text[INET6_ADDRSTRLEN + 8];
	int nwant = 0, ncur = 0, i, j, ret;

	kn_conf_host_routes(ap->want, &want, &nwant);
	if (!want) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	ret = kn_rt_routes(ap->rt, ap->link.ifindex, &cur, &ncur);
	if (ret) {
		kn_err("cannot read the routes of %s: %s", ap->dev, strerror(-ret));
		ret = KN_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < ncur; i++) {
		for (j = 0; j < nwant; j++)
			if (kn_hroute_eq(&cur[i], &want[j]))
				break;
		if (j < nwant)
			continue;
		ret = kn_rt_route(ap->rt, false, ap->link.ifindex, &cur[i]);
		if (ret && ret != -ESRCH) {
			kn_format_prefix(cur[i].p.addr, cur[i].p.alen, cur[i].p.len, text,
					 sizeof(text));
			ret = kn_apply_err(ap, 0, "the removal of host route", text, ret,
					   kn_nl_why(ap->rt));
			goto out;
		}
		ap->hroutes_removed++;
	}
	for (j = 0; j < nwant; j++) {
		for (i = 0; i < ncur; i++)
			if (kn_hroute_eq(&cur[i], &want[j]))
				break;
		if (i < ncur)
			continue;
		ret = kn_rt_route(ap->rt, true, ap->link.ifindex, &want[j]);
		if (ret) {
			kn_format_prefix(want[j].p.addr, want[j].p.alen, want[j].p.len, text,
					 sizeof(text));
			ret = kn_apply_err(ap, want[j].line, "the host route", text, ret,
					   ret == -EEXIST ?
					   "the table has a route to this prefix with this metric, not made by keynet conf" :
					   kn_nl_why(ap->rt));
			goto out;
		}
		ap->hroutes_added++;
	}
	ret = 0;
out:
	free(cur);
	free(want);
	return ret;
}

/* Checks against the running state, before anything is sent. */
static int kn_apply_precheck(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	char key[45];
	int i;

	if (w->has_priv || !h->has_pub)
		return 0;
	for (i = 0; i < w->n_peers; i++) {
		if (memcmp(w->peers[i].key, h->pub, KEYNET_KEY_LEN))
			continue;
		kn_key_to_base64(w->peers[i].key, key);
		fprintf(stderr, "keynet: %s:%d: invalid key '%s': it is the public key of %s itself\n",
			w->path, w->peers[i].line, key, ap->dev);
		return KN_EXIT_USAGE;
	}
	return 0;
}

#define KN_SUM(cond, ...) do {						\
	if (cond) {							\
		off += snprintf(buf + off, sizeof(buf) - off, "%s", off ? ", " : ""); \
		off += snprintf(buf + off, sizeof(buf) - off, __VA_ARGS__);	\
	}								\
} while (0)

static void kn_apply_summary(struct kn_apply *ap)
{
	static const char * const nat64[] = { "", "nat64 on", "nat64 changed", "nat64 off" };
	char buf[1024];
	size_t off = 0;

	buf[0] = '\0';
	KN_SUM(ap->created, "created");
	KN_SUM(ap->link_changed, "link changed");
	KN_SUM(ap->peers_added, "%d peer%s added", ap->peers_added, ap->peers_added == 1 ? "" : "s");
	KN_SUM(ap->peers_changed, "%d peer%s changed", ap->peers_changed,
	       ap->peers_changed == 1 ? "" : "s");
	KN_SUM(ap->peers_removed, "%d peer%s removed", ap->peers_removed,
	       ap->peers_removed == 1 ? "" : "s");
	KN_SUM(ap->routes_added, "%d route%s added", ap->routes_added,
	       ap->routes_added == 1 ? "" : "s");
	KN_SUM(ap->routes_changed, "%d route%s changed", ap->routes_changed,
	       ap->routes_changed == 1 ? "" : "s");
	KN_SUM(ap->routes_removed, "%d route%s removed", ap->routes_removed,
	       ap->routes_removed == 1 ? "" : "s");
	KN_SUM(ap->nat64_op, "%s", nat64[ap->nat64_op]);
	KN_SUM(ap->pools_added, "%d pool range%s added", ap->pools_added,
	       ap->pools_added == 1 ? "" : "s");
	KN_SUM(ap->pools_removed, "%d pool range%s removed", ap->pools_removed,
	       ap->pools_removed == 1 ? "" : "s");
	KN_SUM(ap->maps_added, "%d map%s added", ap->maps_added, ap->maps_added == 1 ? "" : "s");
	KN_SUM(ap->maps_removed, "%d map%s removed", ap->maps_removed,
	       ap->maps_removed == 1 ? "" : "s");
	KN_SUM(ap->mtu_changed, "mtu %u", ap->want->mtu);
	KN_SUM(ap->brought_up, "up");
	KN_SUM(ap->addrs_added, "%d address%s added", ap->addrs_added,
	       ap->addrs_added == 1 ? "" : "es");
	KN_SUM(ap->addrs_removed, "%d address%s removed", ap->addrs_removed,
	       ap->addrs_removed == 1 ? "" : "es");
	KN_SUM(ap->hroutes_added, "%d host route%s added", ap->hroutes_added,
	       ap->hroutes_added == 1 ? "" : "s");
	KN_SUM(ap->hroutes_removed, "%d host route%s removed", ap->hroutes_removed,
	       ap->hroutes_removed == 1 ? "" : "s");
	printf("%s: %s\n", ap->dev, off ? buf : "up to date");
}

int kn_conf_apply(struct kn_conf *want, const char *dev, bool quiet)
{
	struct kn_apply ap = { .want = want, .dev = dev };
	int ret = KN_EXIT_FAIL;

	kn_conf_init(&ap.have);
	ap.rt = kn_nl_open_proto(NETLINK_ROUTE);
	if (!ap.rt)
		goto out;
	ret = kn_rt_link_get(ap.rt, dev, &ap.link);
	if (ret == -ENODEV) {
		ret = kn_rt_link_create(ap.rt, dev);
		if (ret) {
			kn_err("cannot create %s: %s%s%s", dev, kn_nl_why(ap.rt),
			       kn_nl_why(ap.rt)[0] ? ": " : "",
			       ret == -EOPNOTSUPP ? "the keynet module is not loaded" : strerror(-ret));
			ret = KN_EXIT_FAIL;
			goto out;
		}
		ap.created = true;
	} else if (ret) {
		kn_err("cannot read device '%s': %s", dev, strerror(-ret));
		ret = KN_EXIT_FAIL;
		goto out;
	}
	ret = kn_state_link(ap.rt, dev, &ap.link);
	if (ret)
		goto out;
	ap.g = kn_nl_open();
	ret = ap.g ? kn_state_read(ap.g, ap.rt, dev, &ap.have, &ap.link) : KN_EXIT_FAIL;
	if (!ret)
		ret = kn_apply_precheck(&ap);
	if (!ret && (kn_nl_batch_init(&ap.b, ap.g) ||
		     kn_index_build(&ap.hpeers, &ap.have, false) ||
		     kn_index_build(&ap.wpeers, want, false) ||
		     kn_index_build(&ap.hroutes, &ap.have, true) ||
		     kn_index_build(&ap.wroutes, want, true)))
		ret = KN_EXIT_FAIL;
	if (!ret)
		ret = kn_apply_link(&ap);
	if (!ret)
		ret = kn_apply_peers(&ap);
	if (!ret)
		ret = kn_apply_routes(&ap);
	if (!ret)
		ret = kn_apply_nat64(&ap);
	if (!ret && (want->mtu != ap.link.mtu || !ap.link.up)) {
		ret = kn_rt_link_set(ap.rt, ap.link.ifindex,
				     want->mtu != ap.link.mtu ? want->mtu : 0, true);
		if (ret)
			ret = kn_apply_err(&ap, 0, "the MTU or up state of", dev, ret,
					   kn_nl_why(ap.rt));
		ap.mtu_changed = want->mtu != ap.link.mtu;
		ap.brought_up = !ap.link.up;
	}
	if (!ret)
		ret = kn_apply_addrs(&ap);
	if (!ret)
		ret = kn_apply_hroutes(&ap);
	if (ret && ap.created) {
		/* All or nothing for a device this apply made. */
		if (kn_rt_link_delete(ap.rt, ap.link.ifindex))
			kn_err("could not delete the half-configured %s again", dev);
	}
	if (!ret && !quiet)
		kn_apply_summary(&ap);
out:
	if (ap.b.cb)
		kn_nl_batch_free(&ap.b);
	kn_index_free(&ap.hpeers);
	kn_index_free(&ap.wpeers);
	kn_index_free(&ap.hroutes);
	kn_index_free(&ap.wroutes);
	kn_conf_free(&ap.have);
	kn_nl_close(ap.g);
	kn_nl_close(ap.rt);
	return ret;
}
