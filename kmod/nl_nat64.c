// SPDX-License-Identifier: GPL-2.0
/*
 * The NAT64 commands of the keynet family: the translator's settings
 * (nat64 get/set/del), its address mappings (map get/new/del, and
 * map set, which replaces every static map at once) and its dynamic
 * pool (pool get/new/del).
 *
 * Changes take RTNL, then the device's conf_lock (the lock order of
 * device.h); the mappings have their own spinlock below that.  Every
 * request is validated completely before anything changes.  Dumps read
 * under rcu_read_lock(): the translator is freed only after a grace
 * period (kn_nat64_off()), and a dump of mappings is flagged interrupted
 * when the pool's generation moved between two of its parts.
 *
 * Generations (KEYNET_A_GENERATION in every dump message, the cb->seq of
 * genl_dump_check_consistent()): the translator dump uses the namespace's
 * dev_base_seq plus kn_nat64_onoff, which counts translators turned on or
 * off (a change of that set that moves no device); both only grow, so the
 * sum changes when either does.  The map and pool dumps use the pool's
 * gen, which every mapping or range change bumps; it starts at a random
 * value, so turning NAT64 off and on between two parts is seen too, and
 * when the translator is gone the part reports generation 0, which flags
 * the end of the dump (NLMSG_DONE) as interrupted.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "compat.h"
#include "device.h"
#include "nat64.h"
#include "nat64_addr.h"
#include "netlink.h"

#define KN_MSS_MIN_VALUE	88
#define KN_MARTIAN_MSG \
	"not a unicast IPv4 address: 0/8, 127/8, 224/4 and 240/4 are never translated"

/* Translators turned on or off, in any namespace (see above). */
static atomic_t kn_nat64_onoff = ATOMIC_INIT(0);

static u32 kn_nat64_dump_gen(struct net *net)
{
	return READ_ONCE(net->dev_base_seq) + (u32)atomic_read(&kn_nat64_onoff);
}

/* The core's UDP zero-checksum flags as &enum keynet_nat64_udp0, and back. */
static u8 kn_nat64_udp0_mode(u32 flags)
{
	if (flags & KN_NAT64_F_UDP0_FWD)
		return KEYNET_NAT64_UDP0_FORWARD;
	if (flags & KN_NAT64_F_UDP0_DROP)
		return KEYNET_NAT64_UDP0_DROP;
	return KEYNET_NAT64_UDP0_COMPUTE;
}

static u32 kn_nat64_udp0_flags(u32 flags, u8 mode)
{
	flags &= ~(KN_NAT64_F_UDP0_DROP | KN_NAT64_F_UDP0_FWD);
	if (mode == KEYNET_NAT64_UDP0_DROP)
		flags |= KN_NAT64_F_UDP0_DROP;
	else if (mode == KEYNET_NAT64_UDP0_FORWARD)
		flags |= KN_NAT64_F_UDP0_FWD;
	return flags;
}

/*
 * Fill the description of one translator; caller holds rcu_read_lock().
 * @cb is the dump's callback, NULL for a single reply.
 */
static int kn_nat64_fill(struct sk_buff *msg, struct net_device *dev,
			 struct kn_nat64_dev *nd, u32 portid, u32 seq,
			 int flags, bool stats, struct netlink_callback *cb)
{
	const struct kn_nat64_conf *conf = rcu_dereference(nd->conf);
	const struct kn_nat64_ranges *rs = rcu_dereference(nd->pool.ranges);
	struct nlattr *nest;
	void *hdr;
	int s;

	hdr = genlmsg_put(msg, portid, seq, &kn_genl_family, flags,
			  KEYNET_CMD_NAT64_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb) {
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u32(msg, KEYNET_A_GENERATION, cb->seq))
			goto err_cancel;
	}
	if (nla_put_u32(msg, KEYNET_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, KEYNET_A_IFNAME, dev->name) ||
	    nla_put(msg, KEYNET_A_PREFIX, 16, conf->cfg.prefix) ||
	    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, conf->cfg.prefix_len) ||
	    (conf->has_ipv4_addr &&
	     nla_put_in_addr(msg, KEYNET_A_NAT64_IPV4_ADDR,
			     conf->cfg.ipv4_addr)) ||
	    (conf->has_ipv6_addr &&
	     nla_put(msg, KEYNET_A_NAT64_IPV6_ADDR, 16, conf->cfg.ipv6_addr)) ||
	    nla_put_u16(msg, KEYNET_A_NAT64_MSS_CLAMP, conf->mss_clamp) ||
	    nla_put_u8(msg, KEYNET_A_NAT64_STRICT_WKP,
		       !!(conf->cfg.flags & KN_NAT64_F_STRICT_WKP)) ||
	    nla_put_u8(msg, KEYNET_A_NAT64_UDP_ZERO_CSUM,
		       kn_nat64_udp0_mode(conf->cfg.flags)) ||
	    nla_put_u32(msg, KEYNET_A_NAT64_OFFLINK_MTU,
			conf->cfg.offlink_mtu) ||
	    nla_put_u8(msg, KEYNET_A_NAT64_CLAT, conf->clat) ||
	    nla_put_u32(msg, KEYNET_A_NAT64_POOL_TIMEOUT, conf->pool_timeout) ||
	    nla_put_u32(msg, KEYNET_A_NAT64_POOL_PER_64, conf->pool_per_64) ||
	    nla_put_u32(msg, KEYNET_A_NAT64_POOL_SIZE, rs ? rs->total : 0) ||
	    nla_put_u32(msg, KEYNET_A_NAT64_POOL_USED,
			READ_ONCE(nd->pool.n_dynamic)))
		goto err_cancel;
	if (stats) {
		nest = nla_nest_start(msg, KEYNET_A_NAT64_STATS);
		if (!nest)
			goto err_cancel;
		for (s = KEYNET_NAT64_STAT_UNSPEC + 1;
		     s < __KEYNET_NAT64_STAT_MAX; s++)
			if (nla_put_u64_64bit(msg, s, kn_nat64_stat_sum(nd, s),
					      KEYNET_NAT64_STAT_UNSPEC))
				goto err_cancel;
		nla_nest_end(msg, nest);
	}
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static bool kn_want_stats(struct nlattr **attrs)
{
	return kn_nl_flags(attrs) & KEYNET_F_WANT_STATS;
}

int kn_nl_nat64_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev = kn_genl_get_dev(info);
	struct kn_device *kn;
	struct kn_nat64_dev *nd;
	struct sk_buff *msg;
	int ret;

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	kn = netdev_priv(dev);
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	rcu_read_lock();
	nd = rcu_dereference(kn->nat64);
	if (!nd) {
		NL_SET_ERR_MSG(info->extack, "NAT64 is off on this device");
		ret = -ENOENT;
	} else {
		ret = kn_nat64_fill(msg, dev, nd, info->snd_portid,
				    info->snd_seq, 0, kn_want_stats(info->attrs),
				    NULL);
	}
	rcu_read_unlock();
	if (ret)
		nlmsg_free(msg);
	else
		ret = genlmsg_reply(msg, info);
out_put:
	dev_put(dev);
	return ret;
}

/* Every device of the namespace with NAT64 on, as the link dump. */
int kn_nl_nat64_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct nlattr *attrs[KEYNET_A_MAX + 1];
	struct kn_nat64_dev *nd;
	struct net_device *dev;
	long idx = 0, start = cb->args[0];
	bool stats = false;

	if (!nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, KEYNET_A_MAX,
			 kn_genl_family.policy, NULL))
		stats = kn_want_stats(attrs);
	rcu_read_lock();
	cb->seq = kn_nat64_dump_gen(net);
	for_each_netdev_rcu(net, dev) {
		if (!kn_is_keynet_dev(dev))
			continue;
		nd = rcu_dereference(((struct kn_device *)netdev_priv(dev))->nat64);
		if (!nd)
			continue;
		if (idx++ < start)
			continue;
		if (kn_nat64_fill(skb, dev, nd, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, stats, cb)) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

/* Validate an optional 0-or-@len-byte address attribute. */
static int kn_nl_opt_addr(struct genl_info *info, int type, int len)
{
	struct nlattr *a = info->attrs[type];

	if (!a || nla_len(a) == 0 || nla_len(a) == len)
		return 0;
	if (len == 4)
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "an IPv4 address is 4 bytes (or 0 to unset)");
	else
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "an IPv6 address is 16 bytes (or 0 to unset)");
	return -EINVAL;
}

static int kn_nl_nat64_validate(struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	u16 mss;
	int ret;

	if (a[KEYNET_A_PREFIX]) {
		if (nla_len(a[KEYNET_A_PREFIX]) != 16 || !a[KEYNET_A_PREFIX_LEN]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_PREFIX],
					    "the NAT64 prefix is an IPv6 prefix with a length");
			return -EINVAL;
		}
		if (kn_nat64_prefix_check(nla_data(a[KEYNET_A_PREFIX]),
					  nla_get_u8(a[KEYNET_A_PREFIX_LEN]))) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_PREFIX],
					    "not an RFC 6052 prefix: length 32, 40, 48, 56, 64 or 96, no host bits, bits 64-71 zero, not ::, link-local or multicast");
			return -EINVAL;
		}
	}
	ret = kn_nl_opt_addr(info, KEYNET_A_NAT64_IPV4_ADDR, 4);
	if (!ret)
		ret = kn_nl_opt_addr(info, KEYNET_A_NAT64_IPV6_ADDR, 16);
	if (ret)
		return ret;
	/* The source of our ICMPv4 errors must be a unicast host address. */
	if (a[KEYNET_A_NAT64_IPV4_ADDR] &&
	    nla_len(a[KEYNET_A_NAT64_IPV4_ADDR]) == 4 &&
	    kn_nat64_v4_is_martian(nla_data(a[KEYNET_A_NAT64_IPV4_ADDR]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_NAT64_IPV4_ADDR],
				    KN_MARTIAN_MSG);
		return -EINVAL;
	}
	if (a[KEYNET_A_NAT64_MSS_CLAMP]) {
		mss = nla_get_u16(a[KEYNET_A_NAT64_MSS_CLAMP]);
		if (mss && mss != KEYNET_NAT64_MSS_AUTO && mss < KN_MSS_MIN_VALUE) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_NAT64_MSS_CLAMP],
					    "an MSS clamp is at least 88");
			return -EINVAL;
		}
	}
	return 0;
}

static void kn_nl_nat64_apply(struct genl_info *info, struct kn_nat64_conf *c)
{
	struct nlattr **a = info->attrs;
	struct nlattr *v4 = a[KEYNET_A_NAT64_IPV4_ADDR];
	struct nlattr *v6 = a[KEYNET_A_NAT64_IPV6_ADDR];

	if (a[KEYNET_A_PREFIX]) {
		memcpy(c->cfg.prefix, nla_data(a[KEYNET_A_PREFIX]), 16);
		c->cfg.prefix_len = nla_get_u8(a[KEYNET_A_PREFIX_LEN]);
	}
	if (v4) {
		c->has_ipv4_addr = nla_len(v4) == 4;
		c->cfg.ipv4_addr = c->has_ipv4_addr ? nla_get_in_addr(v4) : 0;
	}
	if (v6) {
		c->has_ipv6_addr = nla_len(v6) == 16;
		if (c->has_ipv6_addr)
			memcpy(c->cfg.ipv6_addr, nla_data(v6), 16);
	}
	/* Errors need a source: the prefix with our IPv4 address in it. */
	if (!c->has_ipv6_addr) {
		memset(c->cfg.ipv6_addr, 0, 16);
		if (c->has_ipv4_addr)
			kn_nat64_embed(c->cfg.prefix, c->cfg.prefix_len,
				       (const u8 *)&c->cfg.ipv4_addr,
				       c->cfg.ipv6_addr);
	}
	if (a[KEYNET_A_NAT64_MSS_CLAMP])
		c->mss_clamp = nla_get_u16(a[KEYNET_A_NAT64_MSS_CLAMP]);
	if (a[KEYNET_A_NAT64_STRICT_WKP]) {
		if (nla_get_u8(a[KEYNET_A_NAT64_STRICT_WKP]))
			c->cfg.flags |= KN_NAT64_F_STRICT_WKP;
		else
			c->cfg.flags &= ~KN_NAT64_F_STRICT_WKP;
	}
	if (a[KEYNET_A_NAT64_UDP_ZERO_CSUM])
		c->cfg.flags = kn_nat64_udp0_flags(c->cfg.flags,
						   nla_get_u8(a[KEYNET_A_NAT64_UDP_ZERO_CSUM]));
	if (a[KEYNET_A_NAT64_OFFLINK_MTU])
		c->cfg.offlink_mtu = nla_get_u32(a[KEYNET_A_NAT64_OFFLINK_MTU]);
	if (a[KEYNET_A_NAT64_POOL_TIMEOUT])
		c->pool_timeout = nla_get_u32(a[KEYNET_A_NAT64_POOL_TIMEOUT]);
	if (a[KEYNET_A_NAT64_POOL_PER_64])
		c->pool_per_64 = nla_get_u32(a[KEYNET_A_NAT64_POOL_PER_64]);
	if (a[KEYNET_A_NAT64_CLAT])
		c->clat = nla_get_u8(a[KEYNET_A_NAT64_CLAT]);
}

int kn_nl_nat64_set(struct sk_buff *skb, struct genl_info *info)
{
	struct kn_nat64_conf *conf;
	struct kn_nat64_dev *nd;
	struct net_device *dev;
	struct kn_device *kn;
	int ret;

	ret = kn_nl_nat64_validate(info);
	if (ret)
		return ret;
	dev = kn_genl_get_dev(info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	kn = netdev_priv(dev);
	conf = kzalloc(sizeof(*conf), GFP_KERNEL_ACCOUNT);
	if (!conf) {
		ret = -ENOMEM;
		goto out_put;
	}
	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	nd = kn_nat64_get(kn);
	if (nd) {
		memcpy(conf, rcu_dereference_protected(nd->conf,
			lockdep_is_held(&kn->conf_lock)),
		       offsetof(struct kn_nat64_conf, rcu));
	} else if (!info->attrs[KEYNET_A_PREFIX]) {
		NL_SET_ERR_MSG(info->extack,
			       "NAT64 is off on this device: a prefix is needed to turn it on");
		kfree(conf);
		ret = -EINVAL;
		goto out_unlock;
	} else {
		conf->cfg.flags = KN_NAT64_F_STRICT_WKP;
		conf->mss_clamp = KEYNET_NAT64_MSS_AUTO;
		conf->pool_timeout = KN_NAT64_DEFAULT_TIMEOUT;
		conf->pool_per_64 = KN_NAT64_DEFAULT_PER_64;
		conf->cfg.offlink_mtu = KN_NAT64_DEFAULT_OFFLINK_MTU;
	}
	kn_nl_nat64_apply(info, conf);
	if (nd) {
		kn_nat64_set_conf(kn, conf);
	} else {
		ret = kn_nat64_on(kn, conf);
		/* After publishing: a dump part that missed it sees the bump. */
		if (!ret)
			atomic_inc_return(&kn_nat64_onoff);
	}
out_unlock:
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
out_put:
	dev_put(dev);
	return ret;
}

int kn_nl_nat64_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev = kn_genl_get_dev(info);
	struct kn_device *kn;
	int ret = 0;

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	kn = netdev_priv(dev);
	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	if (kn_nat64_get(kn)) {
		kn_nat64_off(kn);
		atomic_inc_return(&kn_nat64_onoff);
	} else {
		NL_SET_ERR_MSG(info->extack, "NAT64 is already off on this device");
		ret = -ENOENT;
	}
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
	dev_put(dev);
	return ret;
}

/* ---- mappings ---- */

struct kn_map_dump_arg {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	int ifindex;
};

/* The attributes every mapping message starts with. */
static void *kn_map_start(struct kn_map_dump_arg *d)
{
	void *hdr;

	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &kn_genl_family, NLM_F_MULTI,
			  KEYNET_CMD_MAP_GET);
	if (!hdr)
		return NULL;
	genl_dump_check_consistent(d->cb, hdr);
	if (nla_put_u32(d->skb, KEYNET_A_GENERATION, d->cb->seq) ||
	    nla_put_u32(d->skb, KEYNET_A_IFINDEX, d->ifindex)) {
		genlmsg_cancel(d->skb, hdr);
		return NULL;
	}
	return hdr;
}

/* A dynamic mapping (kn_nat64_map_walk() callback). */
static int kn_map_fill(const struct kn_nat64_map *m, void *arg)
{
	struct kn_map_dump_arg *d = arg;
	unsigned long now = jiffies;
	void *hdr = kn_map_start(d);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_in_addr(d->skb, KEYNET_A_NAT64_V4, m->v4) ||
	    nla_put_in6_addr(d->skb, KEYNET_A_NAT64_V6, &m->v6) ||
	    nla_put_u32(d->skb, KEYNET_A_NAT64_MAP_FLAGS,
			KEYNET_NAT64_MAP_F_DYNAMIC) ||
	    nla_put_u32(d->skb, KEYNET_A_NAT64_AGE, (now - m->created) / HZ) ||
	    nla_put_u32(d->skb, KEYNET_A_NAT64_IDLE,
			(now - READ_ONCE(m->last_used)) / HZ)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/* A static map of @st. */
static int kn_static_fill(const struct kn_nat64_statics *st,
			  const struct kn_eam *m, struct kn_map_dump_arg *d)
{
	void *hdr = kn_map_start(d);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_in_addr(d->skb, KEYNET_A_NAT64_V4, htonl(m->v4)) ||
	    nla_put(d->skb, KEYNET_A_NAT64_V6, 16, m->v6) ||
	    nla_put_u8(d->skb, KEYNET_A_NAT64_MAP_PLEN, m->len4) ||
	    nla_put_u32(d->skb, KEYNET_A_NAT64_MAP_FLAGS, 0) ||
	    nla_put_u32(d->skb, KEYNET_A_NAT64_AGE,
			(jiffies - st->created[m->id]) / HZ) ||
	    nla_put_u32(d->skb, KEYNET_A_NAT64_IDLE, 0)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/*
 * The static maps (in IPv4 order), then the dynamic mappings; a position
 * counts both.  A change between two parts moves the pool's generation.
 */
int kn_nl_map_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kn_dump *d = kn_dump_state(cb);
	struct kn_device *kn = netdev_priv(d->dev);
	struct kn_map_dump_arg arg = {
		.skb = skb, .cb = cb, .ifindex = d->dev->ifindex,
	};
	const struct kn_nat64_statics *st;
	struct kn_nat64_dev *nd;
	u32 n;

	rcu_read_lock();
	nd = rcu_dereference(kn->nat64);
	cb->seq = nd ? READ_ONCE(nd->pool.gen) : 0;
	if (!nd)
		goto out;
	st = kn_nat64_statics_rcu(&nd->pool);
	n = st ? st->n : 0;
	for (; d->pos < n; d->pos++)
		if (kn_static_fill(st, &st->e[d->pos], &arg))
			goto out;
	d->pos = n + kn_nat64_map_walk(&nd->pool, d->pos - n, kn_map_fill, &arg);
out:
	rcu_read_unlock();
	return skb->len;
}

/* The device and its translator for a change; conf_lock taken on success. */
static struct kn_nat64_dev *kn_nl_nat64_lock(struct genl_info *info,
					     struct net_device **devp)
{
	struct net_device *dev = kn_genl_get_dev(info);
	struct kn_nat64_dev *nd;
	struct kn_device *kn;

	if (IS_ERR(dev))
		return ERR_CAST(dev);
	kn = netdev_priv(dev);
	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	nd = kn_nat64_get(kn);
	if (!nd) {
		mutex_unlock(&kn->conf_lock);
		rtnl_unlock();
		dev_put(dev);
		NL_SET_ERR_MSG(info->extack,
			       "NAT64 is off on this device: 'keynet nat64 set' first");
		return ERR_PTR(-ENOENT);
	}
	*devp = dev;
	return nd;
}

static void kn_nl_nat64_unlock(struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);

	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
	dev_put(dev);
}

/*
 * One mapping from @tb (KEYNET_A_NAT64_V4, _V6 and the optional
 * _MAP_PLEN) into @m, checked on its own and against the settings @conf:
 * the RFC 7757 shape (IPv6 length 96 + IPv4 length, no host bits), no
 * address that is never translated on either side, the IPv6 prefix
 * outside the NAT64 prefix (it would loop) and the translator's own IPv4
 * address outside the IPv4 prefix.  Caller holds conf_lock.
 */
static int kn_nl_map_parse(struct nlattr **tb, const struct kn_nat64_conf *conf,
			   struct kn_eam *m, struct netlink_ext_ack *extack)
{
	struct nlattr *a4 = tb[KEYNET_A_NAT64_V4], *a6 = tb[KEYNET_A_NAT64_V6];
	u8 len4 = tb[KEYNET_A_NAT64_MAP_PLEN] ?
		  nla_get_u8(tb[KEYNET_A_NAT64_MAP_PLEN]) : 32;
	u32 mask = len4 ? ~0U << (32 - len4) : 0;
	__be32 v4;

	if (!a4 || !a6) {
		NL_SET_ERR_MSG(extack, "a mapping needs an IPv4 and an IPv6 address");
		return -EINVAL;
	}
	memset(m, 0, sizeof(*m));
	v4 = nla_get_in_addr(a4);
	m->v4 = ntohl(v4);
	m->len4 = len4;
	nla_memcpy(m->v6, a6, sizeof(m->v6));
	if (m->v4 & ~mask) {
		NL_SET_ERR_MSG_ATTR(extack, a4, "host bits set beyond the IPv4 prefix length");
		return -EINVAL;
	}
	if (kn_get_be32(m->v6 + 12) & ~mask) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "host bits set beyond the IPv6 prefix length (96 + the IPv4 length)");
		return -EINVAL;
	}
	if (kn_nat64_v4_range_martian((const u8 *)&v4, len4)) {
		NL_SET_ERR_MSG_ATTR(extack, a4, KN_MARTIAN_MSG);
		return -EINVAL;
	}
	if (kn_nat64_v6_is_martian(m->v6)) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "::, ::1, fe80::/10 and ff00::/8 are never translated");
		return -EINVAL;
	}
	if (!memcmp(m->v6, conf->cfg.prefix, conf->cfg.prefix_len / 8)) {
		NL_SET_ERR_MSG_ATTR(extack, a6,
				    "the IPv6 address is inside the NAT64 prefix: it would loop");
		return -EINVAL;
	}
	if (conf->has_ipv4_addr && (ntohl(conf->cfg.ipv4_addr) & mask) == m->v4) {
		NL_SET_ERR_MSG_ATTR(extack, a4,
				    "this is (or holds) the translator's own IPv4 address");
		return -EINVAL;
	}
	return 0;
}

/*
 * A refused set of static maps: name the map the request collides with.
 * @pos: the request's map was given alone (MAP_NEW, which names only the
 * other one) or in a list (MAP_SET: both, by position from 1).
 */
static void kn_nl_map_conflict(struct netlink_ext_ack *extack,
			       const struct kn_nat64_conflict *why, bool list,
			       u32 new_id)
{
	const struct kn_eam *o = why->a.id == new_id ? &why->b : &why->a;
	bool six = why->err == KN_EAM_DUP6 || why->err == KN_EAM_NEST6;
	__be32 v4 = htonl(o->v4);

	if (list && six)
		KN_NL_SET_ERR_MSG_FMT(extack, "two maps overlap on the IPv6 side",
				      "map %u overlaps map %u (IPv6 %pI6c/%u)",
				      why->b.id + 1, why->a.id + 1, why->a.v6,
				      96 + why->a.len4);
	else if (list)
		KN_NL_SET_ERR_MSG_FMT(extack, "two maps overlap on the IPv4 side",
				      "map %u overlaps map %u (IPv4 %pI4/%u)",
				      why->b.id + 1, why->a.id + 1, &v4, o->len4);
	else
		KN_NL_SET_ERR_MSG_FMT(extack, "the map overlaps a static map",
				      "overlaps map %pI4/%u %pI6c/%u", &v4,
				      o->len4, o->v6, 96 + o->len4);
}

/* Dynamic mappings dropped by new static maps (process context). */
static void kn_nl_count_evicted(struct kn_nat64_dev *nd, u32 n)
{
	if (!n)
		return;
	local_bh_disable();
	this_cpu_add(nd->stats->c[KEYNET_NAT64_STAT_MAP_EVICTED], n);
	local_bh_enable();
}

int kn_nl_map_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	const struct kn_nat64_conf *conf;
	struct kn_nat64_conflict why;
	struct kn_nat64_dev *nd;
	struct net_device *dev;
	struct in6_addr v6;
	struct kn_eam m;
	u32 evicted = 0;
	bool dynamic;
	int ret;

	dynamic = a[KEYNET_A_NAT64_MAP_FLAGS] &&
		  nla_get_u32(a[KEYNET_A_NAT64_MAP_FLAGS]) &
		  KEYNET_NAT64_MAP_F_DYNAMIC;
	if (dynamic && a[KEYNET_A_NAT64_MAP_PLEN] &&
	    nla_get_u8(a[KEYNET_A_NAT64_MAP_PLEN]) != 32) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_NAT64_MAP_PLEN],
				    "a dynamic mapping is a single address");
		return -EINVAL;
	}
	nd = kn_nl_nat64_lock(info, &dev);
	if (IS_ERR(nd))
		return PTR_ERR(nd);
	conf = rcu_dereference_protected(nd->conf, true);
	ret = kn_nl_map_parse(a, conf, &m, info->extack);
	if (ret)
		goto out;
	if (dynamic) {
		memcpy(&v6, m.v6, sizeof(v6));
		ret = kn_nat64_map_restore(&nd->pool, htonl(m.v4), &v6,
					   a[KEYNET_A_NAT64_IDLE] ?
					   nla_get_u32(a[KEYNET_A_NAT64_IDLE]) : 0);
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(info->extack,
				       "a mapping already holds this IPv4 or IPv6 address");
		else if (ret == -ERANGE)
			NL_SET_ERR_MSG(info->extack,
				       "a dynamic mapping must be inside the pool");
		goto out;
	}
	m.id = KN_EAM_NONE;
	ret = kn_nat64_static_add(&nd->pool, &m, &why, &evicted);
	if (ret == -EEXIST)
		kn_nl_map_conflict(info->extack, &why, false,
				   why.a.len4 == m.len4 && why.a.v4 == m.v4 &&
				   !memcmp(why.a.v6, m.v6, 16) ? why.a.id : why.b.id);
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG(info->extack, "too many static maps: at most 4096");
	kn_nl_count_evicted(nd, evicted);
out:
	kn_nl_nat64_unlock(dev);
	return ret;
}

int kn_nl_map_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	const struct kn_eam *f;
	struct kn_nat64_dev *nd;
	struct net_device *dev;
	struct in6_addr v6 = { };
	struct kn_eam m;
	__be32 v4 = 0;
	u8 len4;
	int ret;

	if (!a[KEYNET_A_NAT64_V4] && !a[KEYNET_A_NAT64_V6]) {
		NL_SET_ERR_MSG(info->extack, "name a mapping by its IPv4 or IPv6 address");
		return -EINVAL;
	}
	if (a[KEYNET_A_NAT64_V4])
		v4 = nla_get_in_addr(a[KEYNET_A_NAT64_V4]);
	else
		v6 = nla_get_in6_addr(a[KEYNET_A_NAT64_V6]);
	len4 = a[KEYNET_A_NAT64_MAP_PLEN] ? nla_get_u8(a[KEYNET_A_NAT64_MAP_PLEN]) : 32;
	nd = kn_nl_nat64_lock(info, &dev);
	if (IS_ERR(nd))
		return PTR_ERR(nd);
	f = kn_nat64_static_find(kn_nat64_statics_cfg(&nd->pool),
				 a[KEYNET_A_NAT64_V4] ? &v4 : NULL, &v6, len4);
	if (f) {
		m = *f;
		ret = kn_nat64_static_del(&nd->pool, &m);
	} else if (len4 == 32) {
		ret = kn_nat64_map_del(&nd->pool, a[KEYNET_A_NAT64_V4] ? &v4 : NULL,
				       &v6);
	} else {
		ret = -ENOENT;
	}
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such mapping");
	kn_nl_nat64_unlock(dev);
	return ret;
}

/*
 * Replace every static map at once (see KEYNET_CMD_MAP_SET): the list is
 * checked and built into a new table before anything changes, and the
 * table is published in one step.
 */
int kn_nl_map_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[KEYNET_A_NAT64_MAPS];
	struct nlattr *tb[KEYNET_A_MAX + 1];
	struct kn_nat64_statics *s = NULL;
	const struct kn_nat64_conf *conf;
	struct kn_nat64_conflict why;
	struct kn_nat64_dev *nd;
	struct net_device *dev;
	struct nlattr *e;
	int rem, ret;
	u32 n = 0;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack,
			       "the static maps (nat64-maps) are needed, empty to remove them all");
		return -EINVAL;
	}
	nla_for_each_nested(e, nest, rem) {
		if (nla_type(e) != KEYNET_A_NAT64_MAPS) {
			NL_SET_ERR_MSG_ATTR(info->extack, e, "expected a map entry");
			return -EINVAL;
		}
		if (++n > KN_NAT64_STATIC_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, e,
					    "too many static maps: at most 4096");
			return -ENOSPC;
		}
	}
	s = kn_nat64_statics_alloc(n);
	if (!s)
		return -ENOMEM;
	nd = kn_nl_nat64_lock(info, &dev);
	if (IS_ERR(nd)) {
		kvfree(s);
		return PTR_ERR(nd);
	}
	conf = rcu_dereference_protected(nd->conf, true);
	n = 0;
	nla_for_each_nested(e, nest, rem) {
		ret = nla_parse_nested(tb, KEYNET_A_MAX, e, kn_genl_family.policy,
				       info->extack);
		if (!ret)
			ret = kn_nl_map_parse(tb, conf, &s->e[n], info->extack);
		if (ret)
			goto out;
		s->e[n].id = n;
		n++;
	}
	ret = kn_nat64_statics_build(s, kn_nat64_statics_cfg(&nd->pool), &why);
	if (ret) {
		kn_nl_map_conflict(info->extack, &why, true, KN_EAM_NONE);
		goto out;
	}
	kn_nl_count_evicted(nd, kn_nat64_statics_publish(&nd->pool, s));
	s = NULL;
out:
	kn_nl_nat64_unlock(dev);
	kvfree(s);
	return ret;
}

/* ---- pool ---- */

int kn_nl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kn_dump *d = kn_dump_state(cb);
	struct kn_device *kn = netdev_priv(d->dev);
	const struct kn_nat64_ranges *rs;
	struct kn_nat64_dev *nd;
	void *hdr;

	rcu_read_lock();
	nd = rcu_dereference(kn->nat64);
	cb->seq = nd ? READ_ONCE(nd->pool.gen) : 0;
	rs = nd ? rcu_dereference(nd->pool.ranges) : NULL;
	for (; rs && d->pos < rs->nr; d->pos++) {
		const struct kn_nat64_range *r = &rs->r[d->pos];

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &kn_genl_family,
				  NLM_F_MULTI, KEYNET_CMD_POOL_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u32(skb, KEYNET_A_GENERATION, cb->seq) ||
		    nla_put_u32(skb, KEYNET_A_IFINDEX, d->dev->ifindex) ||
		    nla_put_in_addr(skb, KEYNET_A_PREFIX, htonl(r->base)) ||
		    nla_put_u8(skb, KEYNET_A_PREFIX_LEN, r->plen)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	return skb->len;
}

/* KEYNET_A_PREFIX/KEYNET_A_PREFIX_LEN as an IPv4 pool range. */
static int kn_nl_pool_range(struct genl_info *info, __be32 *base, u8 *plen)
{
	struct nlattr **a = info->attrs;
	const u8 *key;
	int ret;

	if (!a[KEYNET_A_PREFIX] || nla_len(a[KEYNET_A_PREFIX]) != 4 ||
	    !a[KEYNET_A_PREFIX_LEN]) {
		NL_SET_ERR_MSG(info->extack, "a pool range is an IPv4 prefix with a length");
		return -EINVAL;
	}
	*plen = nla_get_u8(a[KEYNET_A_PREFIX_LEN]);
	if (*plen < 16 || *plen > 32) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[KEYNET_A_PREFIX_LEN],
				    "a pool range is /16 to /32");
		return -EINVAL;
	}
	/* Host bits: the same check as every other prefix of the family. */
	ret = kn_nl_parse_prefix(a[KEYNET_A_PREFIX], a[KEYNET_A_PREFIX_LEN],
				 &key, plen, info->extack);
	if (ret < 0)
		return ret;
	memcpy(base, key, sizeof(*base));
	return 0;
}

int kn_nl_pool_new(struct sk_buff *skb, struct genl_info *info)
{
	struct kn_nat64_dev *nd;
	struct net_device *dev;
	__be32 base;
	u8 plen;
	int ret;

	ret = kn_nl_pool_range(info, &base, &plen);
	if (ret)
		return ret;
	if (kn_nat64_v4_range_martian((const u8 *)&base, plen)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KEYNET_A_PREFIX],
				    "the range holds addresses that are never translated (0/8, 127/8, 224/4, 240/4)");
		return -EINVAL;
	}
	nd = kn_nl_nat64_lock(info, &dev);
	if (IS_ERR(nd))
		return PTR_ERR(nd);
	ret = kn_nat64_range_add(&nd->pool, base, plen);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(info->extack, "the range overlaps a range of the pool");
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG(info->extack,
			       "the pool is limited to 8 ranges and 65536 addresses");
	kn_nl_nat64_unlock(dev);
	return ret;
}

int kn_nl_pool_del(struct sk_buff *skb, struct genl_info *info)
{
	struct kn_nat64_dev *nd;
	struct net_device *dev;
	__be32 base;
	u8 plen;
	int ret;

	ret = kn_nl_pool_range(info, &base, &plen);
	if (ret)
		return ret;
	nd = kn_nl_nat64_lock(info, &dev);
	if (IS_ERR(nd))
		return PTR_ERR(nd);
	ret = kn_nat64_range_del(&nd->pool, base, plen);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such range in the pool");
	kn_nl_nat64_unlock(dev);
	return ret;
}
