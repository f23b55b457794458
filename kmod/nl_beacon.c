// SPDX-License-Identifier: GPL-2.0
/*
 * The beacon attributes of the keynet family (docs/beacons.md): a
 * LINK_SET request's beacon part is parsed without a lock
 * (kn_beacon_parse()), prepared with RTNL and conf_lock held (the steps
 * that can fail), then committed (cannot fail) or released; LINK_GET
 * fills them locklessly (READ_ONCE, the interfaces under RCU).  The
 * sockets, works and auto-peers these start and stop are beacon.c's.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "device.h"
#include "netlink.h"
#include "beacon.h"

static bool kn_beacon_req_empty(const struct kn_beacon_req *r)
{
	return !r->has_mode && !r->has_port && !r->has_max && !r->has_key &&
	       !r->has_devs && !r->has_window;
}

/* KEYNET_A_BEACON_IFINDEXES into a list (NULL when empty), no duplicates. */
static int kn_beacon_parse_devs(struct nlattr *nest, struct kn_beacon_devs **out,
				struct netlink_ext_ack *extack)
{
	struct kn_beacon_devs *devs;
	struct nlattr *e;
	int rem, n = 0;
	u32 i;

	*out = NULL;
	nla_for_each_nested(e, nest, rem) {
		if (nla_type(e) != KEYNET_A_IFINDEX || nla_len(e) != sizeof(u32) ||
		    !nla_get_u32(e) || nla_get_u32(e) > INT_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, e,
					    "expected KEYNET_A_IFINDEX entries (u32, not 0)");
			return -EINVAL;
		}
		n++;
	}
	if (!n)
		return 0;
	if (n > KN_BEACON_DEVS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "at most 32 beacon interfaces");
		return -E2BIG;
	}
	devs = kzalloc(struct_size(devs, ifindex, n), GFP_KERNEL_ACCOUNT);
	if (!devs)
		return -ENOMEM;
	nla_for_each_nested(e, nest, rem) {
		int ifindex = nla_get_u32(e);

		for (i = 0; i < devs->n && devs->ifindex[i] != ifindex; i++)
			;
		if (i == devs->n)
			devs->ifindex[devs->n++] = ifindex;
	}
	*out = devs;
	return 0;
}

/* The beacon attributes of a LINK_SET request; nothing is changed. */
int kn_beacon_parse(const struct sk_buff *nlskb, struct nlattr **a,
		    struct kn_beacon_req *r, struct netlink_ext_ack *extack)
{
	bool clear = kn_nl_flags(a) & KEYNET_F_BEACON_DEVS_CLEAR;
	u8 key[KEYNET_KEY_LEN];
	int ret;

	memset(r, 0, sizeof(*r));
	r->nlskb = nlskb;
	if (a[KEYNET_A_BEACON_MODE]) {
		r->has_mode = true;
		r->mode = nla_get_u8(a[KEYNET_A_BEACON_MODE]);
	}
	if (a[KEYNET_A_BEACON_PORT]) {
		r->has_port = true;
		r->port = nla_get_u16(a[KEYNET_A_BEACON_PORT]);
	}
	if (a[KEYNET_A_BEACON_MAX_PEERS]) {
		r->has_max = true;
		r->max_peers = nla_get_u32(a[KEYNET_A_BEACON_MAX_PEERS]);
		if (r->max_peers > KN_BEACON_MAX_PEERS_LIMIT) {
			NL_SET_ERR_MSG_ATTR(extack, a[KEYNET_A_BEACON_MAX_PEERS],
					    "at most 4096 beacon auto-peers");
			return -EINVAL;
		}
	}
	if (a[KEYNET_A_BEACON_STAMP_WINDOW]) {
		r->has_window = true;
		r->window = nla_get_u32(a[KEYNET_A_BEACON_STAMP_WINDOW]);
		if (r->window > KN_BEACON_STAMP_WINDOW_LIMIT) {
			NL_SET_ERR_MSG_ATTR(extack, a[KEYNET_A_BEACON_STAMP_WINDOW],
					    "the beacon stamp window is at most 86400 s");
			return -EINVAL;
		}
	}
	if (a[KEYNET_A_BEACON_KEY]) {
		int len = nla_len(a[KEYNET_A_BEACON_KEY]);

		if (len != 0 && len != KEYNET_KEY_LEN) {
			NL_SET_ERR_MSG_ATTR(extack, a[KEYNET_A_BEACON_KEY],
					    "a beacon key is 32 bytes (or 0 to remove it)");
			return -EINVAL;
		}
		r->has_key = true;
		r->key_set = len;
		if (len) {
			r->rxkey = kzalloc(sizeof(*r->rxkey), GFP_KERNEL_ACCOUNT);
			if (!r->rxkey)
				return -ENOMEM;
			memcpy(key, nla_data(a[KEYNET_A_BEACON_KEY]), sizeof(key));
			kn_beacon_derive_keys(&r->keys, key);
			memzero_explicit(key, sizeof(key));
			memcpy(r->rxkey->mac_key, r->keys.mac_key,
			       sizeof(r->rxkey->mac_key));
		}
	}
	if (a[KEYNET_A_BEACON_IFINDEXES] && clear) {
		NL_SET_ERR_MSG(extack, "beacon interfaces and their removal in one request");
		kn_beacon_req_release(r);
		return -EINVAL;
	}
	if (a[KEYNET_A_BEACON_IFINDEXES]) {
		ret = kn_beacon_parse_devs(a[KEYNET_A_BEACON_IFINDEXES],
					   &r->devs, extack);
		if (ret) {
			kn_beacon_req_release(r);
			return ret;
		}
	}
	r->has_devs = a[KEYNET_A_BEACON_IFINDEXES] || clear;
	return 0;
}

static bool kn_beacon_devs_equal(const struct kn_beacon_devs *a,
				 const struct kn_beacon_devs *b)
{
	if (!a || !b)
		return a == b;
	return a->n == b->n &&
	       !memcmp(a->ifindex, b->ifindex, a->n * sizeof(a->ifindex[0]));
}

/*
 * The namespace rule.  The beacon sockets live in the device's underlay
 * namespace (kn->creating_net), fixed when the device was created, like
 * the data sockets.  A device moved into another namespace (a container)
 * is configured by that namespace's admin (GENL_UNS_ADMIN_PERM), but what
 * binds ports and picks interfaces in the underlay namespace is not that
 * admin's to change: changing the beacon mode (which opens or closes the
 * sockets), the beacon port or the beacon interfaces needs CAP_NET_ADMIN
 * in the user namespace owning the underlay namespace.  The beacon key,
 * the cap and the stamp window only decide which peers this device (the
 * container's) takes, and stay the namespace admin's.  A request that
 * repeats the current values changes nothing and needs nothing more, so
 * re-applying a configuration inside the container works.
 */
static int kn_beacon_check_owner(struct kn_device *kn,
				 const struct kn_beacon_req *r,
				 struct netlink_ext_ack *extack)
{
	const struct kn_beacon *b = &kn->beacon;
	const struct kn_beacon_devs *devs;

	lockdep_assert_held(&kn->conf_lock);
	devs = rcu_dereference_protected(b->devs,
					 lockdep_is_held(&kn->conf_lock));
	if (!kn->creating_net)
		return 0;	/* nothing of the underlay left to change */
	if ((!r->has_mode || r->mode == b->mode) &&
	    (!r->has_port || r->port == b->port) &&
	    (!r->has_devs || kn_beacon_devs_equal(r->devs, devs)))
		return 0;
	if (r->nlskb &&
	    netlink_ns_capable(r->nlskb, kn->creating_net->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack,
		       "the beacon mode, port and interfaces belong to the device's underlay namespace: changing them needs CAP_NET_ADMIN there");
	return -EPERM;
}

/*
 * The steps of a beacon change that can fail, with RTNL and conf_lock
 * held: the namespace rule, the interfaces must exist in the underlay
 * namespace and not be keynet devices, and a new beacon port is bound
 * before anything changes.
 */
int kn_beacon_prepare(struct kn_device *kn, struct kn_beacon_req *r,
		      struct netlink_ext_ack *extack)
{
	struct kn_beacon *b = &kn->beacon;
	u8 mode = r->has_mode ? r->mode : b->mode;
	u16 port = r->has_port ? r->port : b->port;
	bool was = kn_beacon_active(kn);
	bool will = b->up && mode != KEYNET_BEACON_OFF;
	struct net_device *dev;
	int ret = 0;
	u32 i;

	ASSERT_RTNL();
	lockdep_assert_held(&kn->conf_lock);
	if (kn_beacon_req_empty(r))
		return 0;
	ret = kn_beacon_check_owner(kn, r, extack);
	if (ret)
		return ret;
	if (r->devs && !kn->creating_net) {
		NL_SET_ERR_MSG(extack, "the device's underlay namespace is gone");
		return -ENETDOWN;
	}
	for (i = 0; r->devs && i < r->devs->n; i++) {
		dev = __dev_get_by_index(kn->creating_net, r->devs->ifindex[i]);
		if (!dev) {
			NL_SET_ERR_MSG(extack,
				       "no such beacon interface in the device's underlay namespace");
			return -ENODEV;
		}
		if (kn_is_keynet_dev(dev)) {
			NL_SET_ERR_MSG(extack, "a keynet device cannot carry beacons");
			return -EINVAL;
		}
	}
	if (will && (!was || port != b->port || (!b->sock4 && !b->sock6))) {
		ret = kn_beacon_open(kn, port, &r->sock4, &r->sock6);
		if (ret == -ENETDOWN)
			NL_SET_ERR_MSG(extack, "the device's underlay namespace is gone");
		else if (ret)
			NL_SET_ERR_MSG(extack, "cannot bind the UDP socket to the beacon port");
		if (ret)
			return ret;
		r->new_socks = true;
	}
	return 0;
}

/* Apply a prepared change (RTNL and conf_lock held); cannot fail. */
void kn_beacon_commit(struct kn_device *kn, struct kn_beacon_req *r)
{
	struct kn_beacon *b = &kn->beacon;
	bool was = kn_beacon_active(kn), drop = false;

	ASSERT_RTNL();
	lockdep_assert_held(&kn->conf_lock);
	if (kn_beacon_req_empty(r))
		return;
	if (r->has_key) {
		/* Auto-peers hold the old key's PSK: they go with it. */
		if (b->has_key && (!r->key_set ||
				   memcmp(r->keys.mac_key, b->keys.mac_key,
					  sizeof(b->keys.mac_key))))
			drop = true;
		if (r->key_set)
			b->keys = r->keys;
		else
			memzero_explicit(&b->keys, sizeof(b->keys));
		WRITE_ONCE(b->has_key, r->key_set);
		/* @r takes the old one, freed after a grace period. */
		r->rxkey = rcu_replace_pointer(b->rxkey, r->rxkey,
					       lockdep_is_held(&kn->conf_lock));
	}
	if (r->has_mode) {
		if (r->mode == KEYNET_BEACON_OFF && b->mode != KEYNET_BEACON_OFF)
			drop = true;
		WRITE_ONCE(b->mode, r->mode);
	}
	if (r->has_port)
		WRITE_ONCE(b->port, r->port);
	if (r->has_max)
		WRITE_ONCE(b->max_peers, r->max_peers);
	if (r->has_window)
		WRITE_ONCE(b->stamp_window, r->window);
	if (r->has_devs)	/* @r takes the old list, to free it */
		r->devs = rcu_replace_pointer(b->devs, r->devs,
					      lockdep_is_held(&kn->conf_lock));
	if (r->new_socks) {
		kn_beacon_close(kn);
		b->sock4 = r->sock4;
		b->sock6 = r->sock6;
		r->sock4 = NULL;
		r->sock6 = NULL;
	} else if (!kn_beacon_active(kn)) {
		kn_beacon_close(kn);
	}
	if (drop)
		kn_beacon_expire(kn, true);
	if (kn_beacon_active(kn) && (!was || r->has_devs || r->new_socks ||
				     r->has_key))
		kn_beacon_kick_soon(kn);
}

/* Free what a request still holds (after commit: the old list). */
void kn_beacon_req_release(struct kn_beacon_req *r)
{
	kn_beacon_release(r->sock4, r->sock6);
	r->sock4 = NULL;
	r->sock6 = NULL;
	if (r->devs)
		kfree_rcu(r->devs, rcu);
	r->devs = NULL;
	kn_beacon_rxkey_free(r->rxkey);
	r->rxkey = NULL;
	memzero_explicit(&r->keys, sizeof(r->keys));
}

/* LINK_GET: the beacon attributes (the key only as a link flag). */
int kn_beacon_fill(struct sk_buff *msg, struct kn_device *kn, bool stats)
{
	struct kn_beacon *b = &kn->beacon;
	const struct kn_beacon_devs *devs;
	struct nlattr *nest;
	int ret = 0, s;
	u32 i;

	if (nla_put_u8(msg, KEYNET_A_BEACON_MODE, READ_ONCE(b->mode)) ||
	    nla_put_u16(msg, KEYNET_A_BEACON_PORT, READ_ONCE(b->port)) ||
	    nla_put_u32(msg, KEYNET_A_BEACON_MAX_PEERS, READ_ONCE(b->max_peers)) ||
	    nla_put_u32(msg, KEYNET_A_BEACON_STAMP_WINDOW,
			READ_ONCE(b->stamp_window)))
		return -EMSGSIZE;
	rcu_read_lock();
	devs = rcu_dereference(b->devs);
	if (devs) {
		nest = nla_nest_start(msg, KEYNET_A_BEACON_IFINDEXES);
		for (i = 0; nest && i < devs->n; i++)
			if (nla_put_u32(msg, KEYNET_A_IFINDEX, devs->ifindex[i]))
				nest = NULL;
		if (nest)
			nla_nest_end(msg, nest);
		else
			ret = -EMSGSIZE;
	}
	rcu_read_unlock();
	if (ret || !stats)
		return ret;
	nest = nla_nest_start(msg, KEYNET_A_BEACON_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (s = KEYNET_BEACON_STAT_UNSPEC + 1; s < __KEYNET_BEACON_STAT_MAX; s++)
		if (nla_put_u64_64bit(msg, s, atomic64_read(&b->stats[s]),
				      KEYNET_BEACON_STAT_UNSPEC))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}
