// SPDX-License-Identifier: GPL-2.0
/*
 * The "keynet" generic netlink family.
 *
 * Every request acts on the network namespace of the requesting socket
 * (netnsok) and needs CAP_NET_ADMIN there (GENL_UNS_ADMIN_PERM).  Doit
 * handlers run with the genl mutex held; a handler that changes a device
 * additionally takes that device's conf_lock.  Dumps send one message per
 * object and mark the dump interrupted (NLM_F_DUMP_INTR) when the set of
 * devices changed between two messages of the dump.
 *
 * Dump generations.  Every message of every dump of the family carries
 * KEYNET_A_GENERATION, the cb->seq that dump part compared with
 * genl_dump_check_consistent(): a number that changes with every change
 * of the set being dumped, so equal numbers in all messages of a dump
 * mean one consistent snapshot, and a change sets NLM_F_DUMP_INTR (on a
 * message or on NLMSG_DONE) and the client starts over.  The sources:
 *  - links (here): the namespace's dev_base_seq (devices added, removed,
 *    renamed, moved);
 *  - peers and routes (nl_peer.c): kn->peer_gen, bumped under conf_lock
 *    by every peer add/change/removal and every route change, automatic
 *    /128 routes included;
 *  - translators (nl_nat64.c): dev_base_seq plus a counter of NAT64
 *    being turned on or off;
 *  - mappings and pool ranges (nl_nat64.c): the pool's gen, bumped under
 *    the pool lock by every mapping made, expired or removed and every
 *    range change, and started at a random value per translator.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include <linux/slab.h>
#include <linux/rtnetlink.h>

#include "device.h"
#include "peer.h"
#include "socket.h"
#include "addr.h"
#include "addr_derive.h"
#include "netlink.h"
#include "version.h"
#include "events.h"
#include "mesh.h"

/*
 * NLA_POLICY_RANGE() keeps its bounds in s16: 65535 would wrap to -1 (and
 * make the core WARN on every message carrying the attribute).  Not const:
 * 6.1's policy points at it without const (later kernels add it).
 */
static struct netlink_range_validation kn_offlink_mtu_range = {
	.min = 1280,
	.max = 65535,
};

/*
 * One entry of KEYNET_A_ROUTES, ROUTE_NEW's list (nl_routes.c): each
 * attribute checked as in kn_policy; any other is refused.
 */
const struct nla_policy kn_route_policy[KEYNET_A_MAX + 1] = {
	[KEYNET_A_PEER_PUBLIC_KEY] = NLA_POLICY_EXACT_LEN(KEYNET_KEY_LEN),
	[KEYNET_A_PREFIX]	= { .type = NLA_BINARY, .len = 16 },
	[KEYNET_A_PREFIX_LEN]	= { .type = NLA_U8 },
	[KEYNET_A_METRIC]	= { .type = NLA_U32 },
};

static const struct nla_policy kn_policy[KEYNET_A_MAX + 1] = {
	[KEYNET_A_VERSION]	= { .type = NLA_NUL_STRING },
	[KEYNET_A_UAPI_VERSION]	= { .type = NLA_U32 },
	[KEYNET_A_IFINDEX]	= { .type = NLA_U32 },
	[KEYNET_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[KEYNET_A_LISTEN_PORT]	= { .type = NLA_U16 },
	[KEYNET_A_PUBLIC_KEY]	= NLA_POLICY_EXACT_LEN(KEYNET_KEY_LEN),
	[KEYNET_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KEYNET_F_WANT_SECRETS |
						  KEYNET_F_WANT_STATS |
						  KEYNET_F_FLUSH |
						  KEYNET_F_LOCAL_CLEAR |
						  KEYNET_F_BEACON_DEVS_CLEAR),
	[KEYNET_A_PRIVATE_KEY]	= { .type = NLA_BINARY, .len = KEYNET_KEY_LEN },
	[KEYNET_A_LISTEN_ADDR]	= { .type = NLA_BINARY, .len = 16 },
	[KEYNET_A_FWMARK]	= { .type = NLA_U32 },
	[KEYNET_A_PEER_PUBLIC_KEY] = NLA_POLICY_EXACT_LEN(KEYNET_KEY_LEN),
	[KEYNET_A_PRESHARED_KEY] = { .type = NLA_BINARY, .len = KEYNET_KEY_LEN },
	[KEYNET_A_ENDPOINT]	= NLA_POLICY_MIN_LEN(sizeof(struct sockaddr_in)),
	[KEYNET_A_KEEPALIVE]	= { .type = NLA_U16 },
	[KEYNET_A_PEER_NAME]	= { .type = NLA_NUL_STRING,
				    .len = KEYNET_PEER_NAME_LEN - 1 },
	[KEYNET_A_PREFIX]	= { .type = NLA_BINARY, .len = 16 },
	[KEYNET_A_PREFIX_LEN]	= { .type = NLA_U8 },
	[KEYNET_A_METRIC]	= { .type = NLA_U32 },
	[KEYNET_A_PEER_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KEYNET_PEER_F_NO_AUTO_ROUTE),
	[KEYNET_A_ADDR_PREFIX]	= NLA_POLICY_EXACT_LEN(16),
	[KEYNET_A_LOCAL_PREFIXES] = { .type = NLA_NESTED },
	[KEYNET_A_ADDR_PREFIX_LEN] = NLA_POLICY_RANGE(NLA_U8, 8, 64),
	/* HAS_BEACON_KEY is reply-only: accepted (read-modify-write) and ignored. */
	[KEYNET_A_LINK_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KEYNET_LINK_F_NO_AUTO_ADDR |
						  KEYNET_LINK_F_NO_PEER_ROUTES |
						  KEYNET_LINK_F_HAS_BEACON_KEY |
						  KEYNET_LINK_F_MESH),
	[KEYNET_A_NAT64_IPV4_ADDR] = { .type = NLA_BINARY, .len = 4 },
	[KEYNET_A_NAT64_IPV6_ADDR] = { .type = NLA_BINARY, .len = 16 },
	[KEYNET_A_NAT64_MSS_CLAMP] = { .type = NLA_U16 },
	[KEYNET_A_NAT64_STRICT_WKP] = NLA_POLICY_MAX(NLA_U8, 1),
	[KEYNET_A_NAT64_UDP_ZERO_CSUM] = NLA_POLICY_MAX(NLA_U8,
							KEYNET_NAT64_UDP0_FORWARD),
	[KEYNET_A_NAT64_OFFLINK_MTU] = NLA_POLICY_FULL_RANGE(NLA_U32,
							     &kn_offlink_mtu_range),
	[KEYNET_A_NAT64_POOL_TIMEOUT] = NLA_POLICY_MIN(NLA_U32, 1),
	[KEYNET_A_NAT64_POOL_PER_64] = { .type = NLA_U32 },
	[KEYNET_A_NAT64_V4]	= NLA_POLICY_EXACT_LEN(4),
	[KEYNET_A_NAT64_V6]	= NLA_POLICY_EXACT_LEN(16),
	[KEYNET_A_NAT64_MAP_FLAGS] = NLA_POLICY_MASK(NLA_U32,
						     KEYNET_NAT64_MAP_F_DYNAMIC),
	[KEYNET_A_NAT64_IDLE]	= { .type = NLA_U32 },
	[KEYNET_A_BEACON_MODE]	= NLA_POLICY_MAX(NLA_U8, KEYNET_BEACON_SEND),
	[KEYNET_A_BEACON_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[KEYNET_A_BEACON_KEY]	= { .type = NLA_BINARY, .len = KEYNET_KEY_LEN },
	[KEYNET_A_BEACON_IFINDEXES] = { .type = NLA_NESTED },
	[KEYNET_A_BEACON_MAX_PEERS] = { .type = NLA_U32 },
	[KEYNET_A_BEACON_STAMP_WINDOW] = { .type = NLA_U32 },
	[KEYNET_A_PEER_TRANSIT]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KEYNET_A_NAT64_MAP_PLEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[KEYNET_A_NAT64_CLAT]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KEYNET_A_NAT64_MAPS]	= { .type = NLA_NESTED },
	[KEYNET_A_ROUTES]	= NLA_POLICY_NESTED_ARRAY(kn_route_policy),
};

/*
 * Find the keynet device named by KEYNET_A_IFINDEX or KEYNET_A_IFNAME in
 * the requester's namespace.  Returns it with a reference held
 * (dev_put() it) or an ERR_PTR with the reason in extack.
 */
static struct net_device *kn_get_dev(struct net *net, struct nlattr **attrs,
				     struct netlink_ext_ack *extack)
{
	struct net_device *dev = NULL;

	if (attrs[KEYNET_A_IFINDEX]) {
		dev = dev_get_by_index(net, nla_get_u32(attrs[KEYNET_A_IFINDEX]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[KEYNET_A_IFINDEX],
					    "no device with this index");
			return ERR_PTR(-ENODEV);
		}
	} else if (attrs[KEYNET_A_IFNAME]) {
		dev = dev_get_by_name(net, nla_data(attrs[KEYNET_A_IFNAME]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[KEYNET_A_IFNAME],
					    "no device with this name");
			return ERR_PTR(-ENODEV);
		}
	} else {
		NL_SET_ERR_MSG(extack, "a device (ifindex or ifname) is required");
		return ERR_PTR(-EINVAL);
	}
	if (!kn_is_keynet_dev(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG(extack, "not a keynet device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

/*
 * Validate a prefix given as KEYNET_A_PREFIX + KEYNET_A_PREFIX_LEN: 4 or
 * 16 bytes, a length within them and no host bits set.  Returns the
 * address length, or -EINVAL with the reason in @extack.
 */
int kn_nl_parse_prefix(struct nlattr *p, struct nlattr *l, const u8 **key,
		       u8 *len, struct netlink_ext_ack *extack)
{
	unsigned int bits, i;
	const u8 *k;

	if (!p || !l) {
		NL_SET_ERR_MSG(extack, "a prefix and its length are required");
		return -EINVAL;
	}
	if (nla_len(p) != 4 && nla_len(p) != 16) {
		NL_SET_ERR_MSG_ATTR(extack, p, "a prefix is 4 or 16 bytes");
		return -EINVAL;
	}
	bits = nla_len(p) * 8;
	*len = nla_get_u8(l);
	if (*len > bits) {
		NL_SET_ERR_MSG_ATTR(extack, l, "prefix length too long");
		return -EINVAL;
	}
	k = nla_data(p);
	for (i = *len; i < bits; i++) {
		if (k[i / 8] & (0x80 >> (i % 8))) {
			NL_SET_ERR_MSG_ATTR(extack, p,
					    "host bits set beyond the prefix length");
			return -EINVAL;
		}
	}
	*key = k;
	return nla_len(p);
}

/*
 * Parse KEYNET_A_LOCAL_PREFIXES into a new set (NULL for an empty list,
 * which turns the filter off).  Returns 0 or -errno; nothing is changed.
 */
static int kn_nl_parse_local(struct nlattr *nest, struct kn_local_set **out,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KEYNET_A_MAX + 1];
	struct kn_local_set *set;
	struct nlattr *e;
	int rem, n = 0, ret;

	nla_for_each_nested(e, nest, rem)
		n++;
	*out = NULL;
	if (!n)
		return 0;
	if (n > KN_LOCAL_PREFIXES_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many local prefixes");
		return -E2BIG;
	}
	set = kzalloc(struct_size(set, e, n), GFP_KERNEL_ACCOUNT);
	if (!set)
		return -ENOMEM;
	nla_for_each_nested(e, nest, rem) {
		const u8 *key;
		u8 len;

		ret = -EINVAL;
		if (nla_type(e) != KEYNET_A_PREFIX) {
			NL_SET_ERR_MSG_ATTR(extack, e, "expected a prefix entry");
			goto err;
		}
		ret = nla_parse_nested(tb, KEYNET_A_MAX, e, kn_policy, extack);
		if (ret)
			goto err;
		ret = kn_nl_parse_prefix(tb[KEYNET_A_PREFIX],
					 tb[KEYNET_A_PREFIX_LEN], &key, &len,
					 extack);
		if (ret < 0)
			goto err;
		memcpy(set->e[set->n].addr, key, ret);
		set->e[set->n].alen = ret;
		set->e[set->n].len = len;
		set->n++;
	}
	*out = set;
	return 0;
err:
	kfree(set);
	return ret;
}

static int kn_put_local(struct sk_buff *msg, struct kn_device *kn)
{
	const struct kn_local_set *set;
	struct nlattr *nest, *e;
	int ret = 0;
	u32 i;

	rcu_read_lock();
	set = rcu_dereference(kn->local_set);
	if (!set)
		goto out;
	ret = -EMSGSIZE;
	nest = nla_nest_start(msg, KEYNET_A_LOCAL_PREFIXES);
	if (!nest)
		goto out;
	for (i = 0; i < set->n; i++) {
		e = nla_nest_start(msg, KEYNET_A_PREFIX);
		if (!e || nla_put(msg, KEYNET_A_PREFIX, set->e[i].alen,
				  set->e[i].addr) ||
		    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, set->e[i].len))
			goto out;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, nest);
	ret = 0;
out:
	rcu_read_unlock();
	return ret;
}

struct net_device *kn_genl_get_dev(struct genl_info *info)
{
	return kn_get_dev(genl_info_net(info), info->attrs, info->extack);
}

struct kn_dump *kn_dump_state(struct netlink_callback *cb)
{
	return (struct kn_dump *)cb->args[0];
}

/*
 * .start of the per-device dumps (peers, routes): parse the request
 * ourselves (the genl dumpit info changed shape between kernels), find
 * the device and keep a reference to it until .done.
 */
int kn_dump_start_dev(struct netlink_callback *cb)
{
	struct nlattr *attrs[KEYNET_A_MAX + 1];
	struct net_device *dev;
	struct kn_dump *d;
	int ret;

	ret = nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, KEYNET_A_MAX, kn_policy,
			  cb->extack);
	if (ret)
		return ret;
	dev = kn_get_dev(sock_net(cb->skb->sk), attrs, cb->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	d = kzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d) {
		dev_put(dev);
		return -ENOMEM;
	}
	d->dev = dev;
	if (attrs[KEYNET_A_PEER_PUBLIC_KEY]) {
		memcpy(d->peer_key, nla_data(attrs[KEYNET_A_PEER_PUBLIC_KEY]),
		       KEYNET_KEY_LEN);
		d->has_peer_key = true;
	}
	if (kn_nl_flags(attrs) & KEYNET_F_WANT_SECRETS)
		d->want_secrets = true;
	cb->args[0] = (long)d;
	return 0;
}

int kn_dump_done(struct netlink_callback *cb)
{
	struct kn_dump *d = kn_dump_state(cb);

	if (d) {
		dev_put(d->dev);
		kfree(d->cursor);
		kfree(d);
	}
	return 0;
}

static int kn_genl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kn_genl_family, 0,
				KEYNET_CMD_GET_INFO);
	if (!hdr)
		goto err_put;
	if (nla_put_string(msg, KEYNET_A_VERSION, KN_VERSION) ||
	    nla_put_u32(msg, KEYNET_A_UAPI_VERSION, KEYNET_UAPI_VERSION))
		goto err_put;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_put:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int kn_put_stats(struct sk_buff *msg, struct kn_device *kn)
{
	struct nlattr *nest = nla_nest_start(msg, KEYNET_A_STATS);
	int r;

	if (!nest)
		return -EMSGSIZE;
	for (r = KEYNET_DROP_UNSPEC + 1; r < __KEYNET_DROP_MAX; r++) {
		if (nla_put_u64_64bit(msg, r, kn_drop_sum(kn->drops, r),
				      KEYNET_DROP_UNSPEC))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * Fill one KEYNET_CMD_LINK_GET message describing @dev.  Reads the
 * configuration without conf_lock: each field is read once and may be
 * a moment old, which a status display tolerates; the private key is
 * read under static_lock so it is never torn.
 */
static int kn_genl_fill_link(struct sk_buff *msg, struct net_device *dev,
			     u32 portid, u32 seq, int flags, u32 want,
			     struct netlink_callback *cb)
{
	struct kn_device *kn = netdev_priv(dev);
	u8 len = READ_ONCE(kn->listen_addr_len);
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &kn_genl_family, flags,
			  KEYNET_CMD_LINK_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if ((cb && nla_put_u32(msg, KEYNET_A_GENERATION, cb->seq)) ||
	    nla_put_u32(msg, KEYNET_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, KEYNET_A_IFNAME, dev->name) ||
	    nla_put_u16(msg, KEYNET_A_LISTEN_PORT, READ_ONCE(kn->bound_port) ?:
			READ_ONCE(kn->listen_port)))
		goto err_cancel;
	if (READ_ONCE(kn->has_key) &&
	    nla_put(msg, KEYNET_A_PUBLIC_KEY, KEYNET_KEY_LEN, kn->public_key))
		goto err_cancel;
	if ((len == 4 || len == 16) &&
	    nla_put(msg, KEYNET_A_LISTEN_ADDR, len, kn->listen_addr))
		goto err_cancel;
	if (READ_ONCE(kn->fwmark) &&
	    nla_put_u32(msg, KEYNET_A_FWMARK, READ_ONCE(kn->fwmark)))
		goto err_cancel;
	if (nla_put_u32(msg, KEYNET_A_PEER_COUNT, READ_ONCE(kn->num_peers)) ||
	    nla_put(msg, KEYNET_A_ADDR_PREFIX, 16, kn->addr_prefix) ||
	    nla_put_u8(msg, KEYNET_A_ADDR_PREFIX_LEN, READ_ONCE(kn->addr_plen)) ||
	    nla_put_u32(msg, KEYNET_A_LINK_FLAGS, READ_ONCE(kn->link_flags) |
			(READ_ONCE(kn->beacon.has_key) ?
			 KEYNET_LINK_F_HAS_BEACON_KEY : 0)) ||
	    (READ_ONCE(kn->has_key) &&
	     nla_put(msg, KEYNET_A_ADDRESS, 16, kn->address)) ||
	    kn_put_local(msg, kn) ||
	    kn_beacon_fill(msg, kn, want & KEYNET_F_WANT_STATS))
		goto err_cancel;
	if (want & KEYNET_F_WANT_STATS && kn_put_stats(msg, kn))
		goto err_cancel;
	if (want & KEYNET_F_WANT_SECRETS) {
		int ret = 0;

		down_read(&kn->static_lock);
		if (kn->has_key)
			ret = nla_put(msg, KEYNET_A_PRIVATE_KEY, KEYNET_KEY_LEN,
				      kn->local.static_private);
		up_read(&kn->static_lock);
		if (ret)
			goto err_cancel;
	}
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static int kn_genl_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int ret;

	dev = kn_genl_get_dev(info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = kn_genl_fill_link(msg, dev, info->snd_portid, info->snd_seq, 0,
				kn_nl_flags(info->attrs), NULL);
	if (ret) {
		nlmsg_free(msg);
		goto out_put;
	}
	ret = genlmsg_reply(msg, info);
out_put:
	dev_put(dev);
	return ret;
}

/*
 * Dump every keynet device of the namespace.  cb->args[0] holds the
 * position (in for_each_netdev order) to resume from; cb->seq follows
 * dev_base_seq so a change of the device list between two parts of the
 * dump sets NLM_F_DUMP_INTR and the client starts over.
 */
static int kn_genl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct nlattr *attrs[KEYNET_A_MAX + 1];
	struct net_device *dev;
	long idx = 0, start = cb->args[0];
	u32 want = 0;

	/* A stats or secrets request applies to every device of the dump. */
	if (!nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, KEYNET_A_MAX, kn_policy,
			 NULL))
		want = kn_nl_flags(attrs);

	/*
	 * RTNL, not RCU: filling a link with secrets takes the device's
	 * static_lock (a rwsem, which sleeps); RTNL keeps the device list
	 * and every device on it alive meanwhile (lock order RTNL >
	 * static_lock).  The debug kernel's DEBUG_ATOMIC_SLEEP caught the
	 * sleep under rcu_read_lock() here.
	 */
	rtnl_lock();
	cb->seq = net->dev_base_seq;
	for_each_netdev(net, dev) {
		if (!kn_is_keynet_dev(dev))
			continue;
		if (idx++ < start)
			continue;
		if (kn_genl_fill_link(skb, dev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI, want, cb)) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

/* Set a new private key (32 bytes) or remove it (@key NULL). */
static int kn_link_set_key(struct kn_device *kn, const u8 *key,
			   struct netlink_ext_ack *extack)
{
	struct kn_noise_local local = { };
	struct kn_peer *peer;
	int ret = 0;

	lockdep_assert_held(&kn->conf_lock);
	if (key) {
		ret = kn_noise_local_init(&local, key);
		if (ret) {
			NL_SET_ERR_MSG(extack, "unusable private key");
			goto out;
		}
		if (kn->has_key &&
		    !memcmp(local.static_public, kn->public_key, KEYNET_KEY_LEN))
			goto out;	/* unchanged */
		/* A peer with our own new public key cannot be a peer. */
		peer = kn_peer_lookup(kn, local.static_public);
		if (peer)
			kn_peer_remove(peer);
	}
	down_write(&kn->static_lock);
	if (key) {
		kn->local = local;
		memcpy(kn->public_key, local.static_public, KEYNET_KEY_LEN);
		kn_addr_of_key(kn->public_key, kn->addr_prefix, kn->addr_plen,
			       kn->address);
		kn_cookie_checker_init(&kn->cookie_checker, kn->public_key);
		kn->has_key = true;
	} else {
		kn_noise_local_clear(&kn->local);
		memzero_explicit(kn->public_key, KEYNET_KEY_LEN);
		kn->has_key = false;
	}
	up_write(&kn->static_lock);
	kn_peer_rekey_identity(kn);
out:
	kn_noise_local_clear(&local);
	return ret;
}

/*
 * Change the addressing rule or the link flags: the device's own address
 * and every peer's automatic /128 follow, and so, with mesh mode turning
 * on or off, every peer's link-local /128 (peer.c).  Caller holds
 * conf_lock.
 */
static void kn_link_set_addressing(struct kn_device *kn, const u8 *prefix,
				   u8 plen, u32 flags)
{
	struct kn_peer *peer;

	lockdep_assert_held(&kn->conf_lock);
	memcpy(kn->addr_prefix, prefix, sizeof(kn->addr_prefix));
	WRITE_ONCE(kn->addr_plen, plen);
	WRITE_ONCE(kn->link_flags, flags);
	down_write(&kn->static_lock);
	if (kn->has_key)
		kn_addr_of_key(kn->public_key, prefix, plen, kn->address);
	up_write(&kn->static_lock);
	list_for_each_entry(peer, &kn->peers, list)
		kn_peer_update_auto_route(peer);
}

/*
 * KEYNET_CMD_LINK_SET: everything is validated, then the one step that
 * can fail (binding new sockets) runs before anything is changed, so an
 * error leaves the device as it was.  Mesh mode turning on or off changes
 * the device's IFF_MULTICAST just before that step (it needs RTNL, held
 * here) and changes it back if the step fails.
 */
static int kn_genl_link_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct net_device *dev;
	struct kn_device *kn;
	struct kn_local_set *local = NULL;
	struct kn_beacon_req breq = { };
	bool clear_local, mesh_change;
	const u8 *key = NULL, *addr;
	u32 lflags;
	u8 aprefix[16], aplen;
	u16 port;
	u8 alen;
	int ret = 0;

	dev = kn_genl_get_dev(info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	kn = netdev_priv(dev);
	if (a[KEYNET_A_PRIVATE_KEY]) {
		int len = nla_len(a[KEYNET_A_PRIVATE_KEY]);

		if (len != 0 && len != KEYNET_KEY_LEN) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_PRIVATE_KEY],
					    "a private key is 32 bytes (or 0 to remove it)");
			ret = -EINVAL;
			goto out_put;
		}
		key = len ? nla_data(a[KEYNET_A_PRIVATE_KEY]) : NULL;
	}
	if (a[KEYNET_A_LISTEN_ADDR]) {
		alen = nla_len(a[KEYNET_A_LISTEN_ADDR]);
		if (alen != 0 && alen != 4 && alen != 16) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_LISTEN_ADDR],
					    "a listen address is 4 or 16 bytes (or 0)");
			ret = -EINVAL;
			goto out_put;
		}
	}

	ret = kn_beacon_parse(skb, a, &breq, info->extack);
	if (ret)
		goto out_put;

	clear_local = kn_nl_flags(a) & KEYNET_F_LOCAL_CLEAR;
	if (a[KEYNET_A_LOCAL_PREFIXES] && clear_local) {
		NL_SET_ERR_MSG(info->extack,
			       "local prefixes and their removal in one request");
		ret = -EINVAL;
		goto out_put;
	}
	if (a[KEYNET_A_LOCAL_PREFIXES]) {
		ret = kn_nl_parse_local(a[KEYNET_A_LOCAL_PREFIXES], &local,
					info->extack);
		if (ret)
			goto out_put;
	}

	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	memcpy(aprefix, a[KEYNET_A_ADDR_PREFIX] ? nla_data(a[KEYNET_A_ADDR_PREFIX]) :
	       kn->addr_prefix, sizeof(aprefix));
	aplen = a[KEYNET_A_ADDR_PREFIX_LEN] ?
		nla_get_u8(a[KEYNET_A_ADDR_PREFIX_LEN]) : kn->addr_plen;
	if (!kn_addr_prefix_valid(aprefix, aplen)) {
		NL_SET_ERR_MSG(info->extack,
			       "the addressing prefix has bits set beyond its length");
		ret = -EINVAL;
		goto out_unlock;
	}
	port = a[KEYNET_A_LISTEN_PORT] ? nla_get_u16(a[KEYNET_A_LISTEN_PORT]) :
	       kn->listen_port;
	addr = a[KEYNET_A_LISTEN_ADDR] ? nla_data(a[KEYNET_A_LISTEN_ADDR]) :
	       kn->listen_addr;
	alen = a[KEYNET_A_LISTEN_ADDR] ? nla_len(a[KEYNET_A_LISTEN_ADDR]) :
	       kn->listen_addr_len;
	lflags = a[KEYNET_A_LINK_FLAGS] ? nla_get_u32(a[KEYNET_A_LINK_FLAGS]) &
		 ~KEYNET_LINK_F_HAS_BEACON_KEY : kn->link_flags;
	mesh_change = (lflags ^ kn->link_flags) & KEYNET_LINK_F_MESH;
	ret = kn_beacon_prepare(kn, &breq, info->extack);
	if (ret)
		goto out_unlock;
	/* Undone below if the sockets cannot be bound. */
	if (mesh_change) {
		ret = kn_mesh_multicast(kn, lflags & KEYNET_LINK_F_MESH,
					info->extack);
		if (ret)
			goto out_unlock;
	}
	if ((a[KEYNET_A_LISTEN_PORT] || a[KEYNET_A_LISTEN_ADDR]) &&
	    (dev->flags & IFF_UP)) {
		ret = kn_socket_open(kn, port, addr, alen);
		if (ret) {
			if (mesh_change)
				kn_mesh_multicast(kn, kn->link_flags &
						  KEYNET_LINK_F_MESH, NULL);
			NL_SET_ERR_MSG(info->extack,
				       "cannot bind the UDP socket to this port or address");
			goto out_unlock;
		}
	}
	if (a[KEYNET_A_LISTEN_PORT])
		WRITE_ONCE(kn->listen_port, port);
	if (a[KEYNET_A_LISTEN_ADDR]) {
		memcpy(kn->listen_addr, addr, alen);
		WRITE_ONCE(kn->listen_addr_len, alen);
	}
	if (a[KEYNET_A_FWMARK] &&
	    nla_get_u32(a[KEYNET_A_FWMARK]) != kn->fwmark) {
		WRITE_ONCE(kn->fwmark, nla_get_u32(a[KEYNET_A_FWMARK]));
		/* Routes looked up under the old mark: socket.c. */
		synchronize_net();
		kn_socket_flush_routes(kn);
	}
	if (a[KEYNET_A_ADDR_PREFIX] || a[KEYNET_A_ADDR_PREFIX_LEN] ||
	    a[KEYNET_A_LINK_FLAGS])
		kn_link_set_addressing(kn, aprefix, aplen, lflags);
	if (a[KEYNET_A_LOCAL_PREFIXES] || clear_local) {
		local = rcu_replace_pointer(kn->local_set, local,
					    lockdep_is_held(&kn->conf_lock));
		/* @local now holds the old set, freed below. */
	}
	kn_beacon_commit(kn, &breq);
	if (a[KEYNET_A_PRIVATE_KEY])
		ret = kn_link_set_key(kn, key, info->extack);
out_unlock:
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
	if (local)
		kfree_rcu(local, rcu);
out_put:
	kn_beacon_req_release(&breq);
	dev_put(dev);
	return ret;
}

static const struct genl_ops kn_genl_ops[] = {
	{
		.cmd = KEYNET_CMD_GET_INFO,
		.doit = kn_genl_get_info,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_LINK_GET,
		.doit = kn_genl_link_get,
		.dumpit = kn_genl_link_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_LINK_SET,
		.doit = kn_genl_link_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_PEER_GET,
		.start = kn_dump_start_dev,
		.doit = kn_nl_peer_get,
		.dumpit = kn_nl_peer_dump,
		.done = kn_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_PEER_NEW,
		.doit = kn_nl_peer_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_PEER_SET,
		.doit = kn_nl_peer_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_PEER_DEL,
		.doit = kn_nl_peer_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_ROUTE_GET,
		.start = kn_dump_start_dev,
		.dumpit = kn_nl_route_dump,
		.done = kn_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_ROUTE_NEW,
		.doit = kn_nl_route_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_ROUTE_DEL,
		.doit = kn_nl_route_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_NAT64_GET,
		.doit = kn_nl_nat64_get,
		.dumpit = kn_nl_nat64_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_NAT64_SET,
		.doit = kn_nl_nat64_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_NAT64_DEL,
		.doit = kn_nl_nat64_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_MAP_GET,
		.start = kn_dump_start_dev,
		.dumpit = kn_nl_map_dump,
		.done = kn_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_MAP_NEW,
		.doit = kn_nl_map_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_MAP_DEL,
		.doit = kn_nl_map_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_MAP_SET,
		.doit = kn_nl_map_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_POOL_GET,
		.start = kn_dump_start_dev,
		.dumpit = kn_nl_pool_dump,
		.done = kn_dump_done,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_POOL_NEW,
		.doit = kn_nl_pool_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_POOL_DEL,
		.doit = kn_nl_pool_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family kn_genl_family __ro_after_init = {
	.name		= KEYNET_GENL_NAME,
	.version	= KEYNET_GENL_VERSION,
	.maxattr	= KEYNET_A_MAX,
	.policy		= kn_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= kn_genl_ops,
	.n_ops		= ARRAY_SIZE(kn_genl_ops),
	.mcgrps		= kn_mcgrps,
	.n_mcgrps	= KN_N_MCGRPS,
	.resv_start_op	= KEYNET_CMD_MAX + 1,
};

int __init kn_genl_init(void)
{
	return genl_register_family(&kn_genl_family);
}

void kn_genl_uninit(void)
{
	genl_unregister_family(&kn_genl_family);
}
