// SPDX-License-Identifier: GPL-2.0
/*
 * "keynet conf dump" and the first half of "conf apply": the running
 * configuration of a device read into the model (struct kn_conf), from
 * LINK_GET and the peer, route, NAT64, pool and map dumps (decoded by
 * codec.c), plus the device's MTU, addresses and host routes over
 * rtnetlink (conf_rt.c).
 *
 * The whole read starts over when a dump was interrupted by a concurrent
 * change (nl.c returns -EINTR), up to KN_DUMP_TRIES times, so the model
 * is one state, never a mix of two.  What is not configuration is left
 * out: peers a LAN beacon added, the pool's dynamic mappings, the
 * device's derived address (AutoAddress's, not an Address= line).
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>

#include "conf.h"

static struct nl_msg *kn_read_msg(struct kn_nl *g, uint8_t cmd, int flags, const char *dev)
{
	struct nl_msg *msg = kn_nl_msg(g, cmd, flags);

	if (msg && dev && kn_nl_put_dev(msg, dev)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int kn_read_link_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	int i;

	kn_dec_link(a, c, NULL);
	/* By name in this namespace, as "link show" prints them. */
	for (i = 0; i < c->n_beacon_devs; i++)
		if (!if_indextoname(c->beacon_ifindex[i], c->beacon_devs[i]))
			snprintf(c->beacon_devs[i], IFNAMSIZ, "if%u", c->beacon_ifindex[i]);
	return 0;
}

/* LINK_GET of @dev (with its private key) into @c; quiet, -errno. */
int kn_conf_read_link(struct kn_nl *g, const char *dev, struct kn_conf *c)
{
	struct nl_msg *msg = kn_read_msg(g, KEYNET_CMD_LINK_GET, 0, dev);

	if (!msg || nla_put_u32(msg, KEYNET_A_FLAGS, KEYNET_F_WANT_SECRETS)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return kn_nl_call(g, msg, kn_read_link_cb, c, KN_NL_QUIET | KN_NL_SECRET);
}

static int kn_read_peer_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	struct kn_conf_peer peer, *p;

	if (kn_dec_peer(a, &peer))
		return 0;
	/* Peers a LAN beacon added come and go by themselves: not config. */
	if (peer.flags & KEYNET_PEER_F_AUTO) {
		explicit_bzero(peer.psk, sizeof(peer.psk));
		return 0;
	}
	if (kn_conf_add_peer(c, &p)) {
		explicit_bzero(peer.psk, sizeof(peer.psk));
		return -ENOMEM;
	}
	*p = peer;
	explicit_bzero(peer.psk, sizeof(peer.psk));
	return 0;
}

/* The route dump: routes whose peer is one of c's (by @peers). */
struct kn_read_routes {
	struct kn_conf *c;
	struct kn_set peers;
};

static int kn_read_route_cb(struct nlattr **a, void *arg)
{
	struct kn_read_routes *rr = arg;
	struct kn_conf_peer key;
	struct kn_conf_route r;
	int peer;

	if (kn_dec_route(a, key.key, &r))
		return 0;
	peer = kn_set_find(&rr->peers, &key, NULL);
	if (peer < 0)
		return 0;	/* a beacon's auto-peer */
	if (kn_conf_add_route(rr->c, peer, &r.p, r.metric))
		return -ENOMEM;
	rr->c->routes[rr->c->n_routes - 1].is_auto = r.is_auto;
	return 0;
}

struct kn_read_nat64 {
	struct kn_conf *c;
	uint32_t ifindex;
};

static int kn_read_nat64_cb(struct nlattr **a, void *arg)
{
	struct kn_read_nat64 *rn = arg;
	struct kn_conf_nat64 n;
	uint32_t ifindex;

	if (kn_dec_nat64(a, &n, &ifindex) || ifindex != rn->ifindex)
		return 0;
	rn->c->nat64 = n;
	return 0;
}

static int kn_read_pool_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	struct kn_conf_pool r, *arr;

	if (kn_dec_pool(a, &r))
		return 0;
	arr = realloc(c->pools, (size_t)(c->n_pools + 1) * sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	c->pools = arr;
	arr[c->n_pools++] = r;
	return 0;
}

static int kn_read_map_cb(struct nlattr **a, void *arg)
{
	struct kn_conf *c = arg;
	struct kn_conf_map m, *arr;
	bool dynamic;

	/* Dynamic mappings are the pool's business, not configuration. */
	if (kn_dec_map(a, &m, &dynamic) || dynamic)
		return 0;
	arr = realloc(c->maps, (size_t)(c->n_maps + 1) * sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	c->maps = arr;
	arr[c->n_maps++] = m;
	return 0;
}

/* A dump of @cmd for @dev (NULL: every device) into @cb, quietly. */
static int kn_read_dump(struct kn_nl *g, uint8_t cmd, const char *dev, uint32_t flags,
			kn_nl_cb cb, void *arg)
{
	struct nl_msg *msg = kn_read_msg(g, cmd, NLM_F_DUMP, dev);

	if (!msg || (flags && nla_put_u32(msg, KEYNET_A_FLAGS, flags))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return kn_nl_call(g, msg, cb, arg, KN_NL_QUIET | KN_NL_SECRET);
}

/* One read of everything; -EINTR when a dump was interrupted. */
static int kn_read_once(struct kn_nl *g, struct kn_nl *rt, const char *dev,
			struct kn_conf *c, struct kn_rt_link *link)
{
	struct kn_read_nat64 rn = { .c = c, .ifindex = link->ifindex };
	struct kn_read_routes rr = { .c = c };
	int ret, i;

	ret = kn_conf_read_link(g, dev, c);
	if (!ret)
		ret = kn_read_dump(g, KEYNET_CMD_PEER_GET, dev, KEYNET_F_WANT_SECRETS,
				   kn_read_peer_cb, c);
	if (ret)
		return ret;
	rr.peers = KN_SET(c->peers, c->n_peers, kn_conf_peer_cmp, NULL);
	ret = kn_set_sort(&rr.peers);
	if (!ret)
		ret = kn_read_dump(g, KEYNET_CMD_ROUTE_GET, dev, 0, kn_read_route_cb, &rr);
	kn_set_free(&rr.peers);
	if (!ret)
		ret = kn_read_dump(g, KEYNET_CMD_NAT64_GET, NULL, 0, kn_read_nat64_cb, &rn);
	if (!ret && c->nat64.on)
		ret = kn_read_dump(g, KEYNET_CMD_POOL_GET, dev, 0, kn_read_pool_cb, c);
	if (!ret && c->nat64.on)
		ret = kn_read_dump(g, KEYNET_CMD_MAP_GET, dev, 0, kn_read_map_cb, c);
	if (ret)
		return ret;
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
}

/*
 * The running configuration of @dev (whose rtnetlink view is @link) into
 * @c, on the open sockets @g (keynet) and @rt (rtnetlink).  Returns 0 or
 * KN_EXIT_FAIL after printing one line.
 */
int kn_conf_read(struct kn_nl *g, struct kn_nl *rt, const char *dev, struct kn_conf *c,
		 struct kn_rt_link *link)
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
		ret = kn_read_once(g, rt, dev, c, link);
	}
	if (ret == -EINTR)
		kn_err("the configuration of %s kept changing while it was read; try again", dev);
	else if (ret)
		kn_err("cannot read the configuration of %s: %s%s%s", dev,
		       ret == -ENOMEM ? "out of memory" :
		       kn_nl_why(g)[0] ? kn_nl_why(g) : kn_nl_why(rt),
		       ret == -ENOMEM || kn_nl_why(g)[0] || kn_nl_why(rt)[0] ? ": " : "",
		       strerror(-ret));
	return ret ? KN_EXIT_FAIL : 0;
}

/* The device @dev, which must exist and be a keynet device. */
int kn_conf_link_check(struct kn_nl *rt, const char *dev, struct kn_rt_link *link)
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

/* The running configuration of @dev into @c ("conf dump", "export"). */
int kn_conf_state_read(const char *dev, struct kn_conf *c, struct kn_rt_link *link)
{
	struct kn_nl *rt, *g = NULL;
	int ret;

	kn_conf_init(c);
	rt = kn_nl_open_proto(NETLINK_ROUTE);
	if (!rt)
		return KN_EXIT_FAIL;
	ret = kn_conf_link_check(rt, dev, link);
	if (!ret) {
		g = kn_nl_open();
		ret = g ? kn_conf_read(g, rt, dev, c, link) : KN_EXIT_FAIL;
	}
	kn_nl_close(g);
	kn_nl_close(rt);
	return ret;
}
