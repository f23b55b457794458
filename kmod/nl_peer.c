// SPDX-License-Identifier: GPL-2.0
/*
 * The peer and route commands of the keynet family.  Changes take RTNL
 * and then the device's conf_lock (the lock order of device.h); dumps
 * take conf_lock only, one peer or route per message, and flag a dump
 * interrupted (NLM_F_DUMP_INTR) when kn->peer_gen moved between two parts.
 * kn->peer_gen is the generation of both dumps (KEYNET_A_GENERATION in
 * every message): it changes with every peer added, changed or removed
 * and every route added or removed (kn_peer_create(), kn_peer_unlink(),
 * kn_peer_update_auto_route() and the handlers below), always under
 * conf_lock, which the dumps hold while they read it and fill a part.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "device.h"
#include "peer.h"
#include "send.h"
#include "timers.h"
#include "netlink.h"

static int kn_put_endpoint(struct sk_buff *msg, struct kn_peer *peer)
{
	struct kn_endpoint ep;

	if (!kn_peer_get_endpoint(peer, &ep))
		return 0;
	if (ep.addr.sa_family == AF_INET)
		return nla_put(msg, KEYNET_A_ENDPOINT, sizeof(ep.addr4), &ep.addr4);
	return nla_put(msg, KEYNET_A_ENDPOINT, sizeof(ep.addr6), &ep.addr6);
}

static int kn_fill_peer(struct sk_buff *msg, struct kn_peer *peer, u32 portid,
			u32 seq, int flags, bool secrets,
			struct netlink_callback *cb)
{
	u32 pflags = 0;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &kn_genl_family, flags,
			  KEYNET_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb) {
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_u32(msg, KEYNET_A_GENERATION, cb->seq))
			goto err_cancel;
	}
	if (peer->has_psk)
		pflags |= KEYNET_PEER_F_HAS_PSK;
	if (rcu_access_pointer(peer->kp_cur))
		pflags |= KEYNET_PEER_F_HAS_SESSION;
	if (peer->no_auto_route)
		pflags |= KEYNET_PEER_F_NO_AUTO_ROUTE;
	if (kn_peer_alive(peer, ktime_get_boottime_ns()))
		pflags |= KEYNET_PEER_F_ALIVE;
	if (peer->beacon_auto)
		pflags |= KEYNET_PEER_F_AUTO;
	if (nla_put_u32(msg, KEYNET_A_IFINDEX, peer->kn->dev->ifindex) ||
	    nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN,
		    peer->public_key) ||
	    nla_put(msg, KEYNET_A_ADDRESS, 16, peer->address) ||
	    kn_put_endpoint(msg, peer) ||
	    nla_put_u16(msg, KEYNET_A_KEEPALIVE, READ_ONCE(peer->keepalive)) ||
	    (peer->name[0] &&
	     nla_put_string(msg, KEYNET_A_PEER_NAME, peer->name)) ||
	    nla_put_u64_64bit(msg, KEYNET_A_LAST_HANDSHAKE,
			      atomic64_read(&peer->last_handshake_real_ns),
			      KEYNET_A_PAD) ||
	    nla_put_u64_64bit(msg, KEYNET_A_RX_BYTES,
			      atomic64_read(&peer->rx_bytes), KEYNET_A_PAD) ||
	    nla_put_u64_64bit(msg, KEYNET_A_TX_BYTES,
			      atomic64_read(&peer->tx_bytes), KEYNET_A_PAD) ||
	    nla_put_u64_64bit(msg, KEYNET_A_RX_PACKETS,
			      atomic64_read(&peer->rx_packets), KEYNET_A_PAD) ||
	    nla_put_u64_64bit(msg, KEYNET_A_TX_PACKETS,
			      atomic64_read(&peer->tx_packets), KEYNET_A_PAD) ||
	    nla_put_u32(msg, KEYNET_A_PEER_FLAGS, pflags) ||
	    nla_put_u8(msg, KEYNET_A_PEER_TRANSIT, READ_ONCE(peer->transit)))
		goto err_cancel;
	if (secrets && peer->has_psk) {
		int ret;

		mutex_lock(&peer->hs_lock);
		ret = nla_put(msg, KEYNET_A_PRESHARED_KEY, KEYNET_KEY_LEN,
			      peer->psk);
		mutex_unlock(&peer->hs_lock);
		if (ret)
			goto err_cancel;
	}
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* The peer named by KEYNET_A_PEER_PUBLIC_KEY; caller holds conf_lock. */
static struct kn_peer *kn_nl_find_peer(struct kn_device *kn,
				       struct genl_info *info)
{
	struct nlattr *a = info->attrs[KEYNET_A_PEER_PUBLIC_KEY];
	struct kn_peer *peer;

	if (!a) {
		NL_SET_ERR_MSG(info->extack, "a peer public key is required");
		return ERR_PTR(-EINVAL);
	}
	peer = kn_peer_lookup(kn, nla_data(a));
	if (!peer) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "no such peer");
		return ERR_PTR(-ENOENT);
	}
	return peer;
}

int kn_nl_peer_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev = kn_genl_get_dev(info);
	struct kn_device *kn;
	struct kn_peer *peer;
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
	mutex_lock(&kn->conf_lock);
	peer = kn_nl_find_peer(kn, info);
	ret = IS_ERR(peer) ? PTR_ERR(peer) :
	      kn_fill_peer(msg, peer, info->snd_portid, info->snd_seq, 0,
			   kn_nl_flags(info->attrs) & KEYNET_F_WANT_SECRETS, NULL);
	mutex_unlock(&kn->conf_lock);
	if (ret)
		nlmsg_free(msg);
	else
		ret = genlmsg_reply(msg, info);
out_put:
	dev_put(dev);
	return ret;
}

int kn_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kn_dump *d = kn_dump_state(cb);
	struct kn_device *kn = netdev_priv(d->dev);
	struct kn_peer *peer;
	u64 idx = 0;

	mutex_lock(&kn->conf_lock);
	cb->seq = kn->peer_gen;
	list_for_each_entry(peer, &kn->peers, list) {
		if (idx < d->pos) {
			idx++;
			continue;
		}
		if (d->has_peer_key &&
		    memcmp(peer->public_key, d->peer_key, KEYNET_KEY_LEN)) {
			idx++;
			continue;
		}
		if (kn_fill_peer(skb, peer, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI,
				 d->want_secrets, cb))
			break;
		idx++;
	}
	mutex_unlock(&kn->conf_lock);
	d->pos = idx;
	return skb->len;
}

/* Validate KEYNET_A_ENDPOINT into @ep; 0 if absent, 1 if present. */
static int kn_nl_endpoint(struct genl_info *info, struct kn_endpoint *ep)
{
	struct nlattr *a = info->attrs[KEYNET_A_ENDPOINT];
	const struct sockaddr *sa;

	if (!a)
		return 0;
	sa = nla_data(a);
	memset(ep, 0, sizeof(*ep));
	if (nla_len(a) == sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		memcpy(&ep->addr4, sa, sizeof(ep->addr4));
		return 1;
	}
	if (nla_len(a) == sizeof(struct sockaddr_in6) &&
	    sa->sa_family == AF_INET6) {
		memcpy(&ep->addr6, sa, sizeof(ep->addr6));
		return 1;
	}
	NL_SET_ERR_MSG_ATTR(info->extack, a,
			    "an endpoint is a sockaddr_in or sockaddr_in6");
	return -EINVAL;
}

/* Validate a KEYNET_A_PRESHARED_KEY: 1 set (@psk), 2 remove, 0 absent. */
static int kn_nl_psk(struct genl_info *info, const u8 **psk)
{
	struct nlattr *a = info->attrs[KEYNET_A_PRESHARED_KEY];

	if (!a)
		return 0;
	if (nla_len(a) == KEYNET_KEY_LEN) {
		*psk = nla_data(a);
		return 1;
	}
	if (nla_len(a) == 0)
		return 2;
	NL_SET_ERR_MSG_ATTR(info->extack, a,
			    "a preshared key is 32 bytes (or 0 to remove it)");
	return -EINVAL;
}

/* Apply the optional peer attributes that cannot fail any more. */
static void kn_nl_peer_apply(struct kn_peer *peer, struct genl_info *info,
			     int has_ep, const struct kn_endpoint *ep,
			     int psk_op, const u8 *psk)
{
	struct nlattr **a = info->attrs;

	if (has_ep)
		kn_peer_set_endpoint(peer, ep);
	if (psk_op)
		kn_peer_set_psk(peer, psk_op == 1 ? psk : NULL);
	if (a[KEYNET_A_PEER_NAME])
		nla_strscpy(peer->name, a[KEYNET_A_PEER_NAME], sizeof(peer->name));
	if (a[KEYNET_A_PEER_FLAGS]) {
		peer->no_auto_route = !!(nla_get_u32(a[KEYNET_A_PEER_FLAGS]) &
					 KEYNET_PEER_F_NO_AUTO_ROUTE);
		kn_peer_update_auto_route(peer);
	}
	if (a[KEYNET_A_PEER_TRANSIT])
		WRITE_ONCE(peer->transit, !!nla_get_u8(a[KEYNET_A_PEER_TRANSIT]));
	if (a[KEYNET_A_KEEPALIVE]) {
		WRITE_ONCE(peer->keepalive, nla_get_u16(a[KEYNET_A_KEEPALIVE]));
		if (peer->kn->dev->flags & IFF_UP)
			kn_timers_persistent_changed(peer);
	}
}

static int kn_nl_peer_change(struct genl_info *info, bool create)
{
	struct net_device *dev = kn_genl_get_dev(info);
	struct kn_endpoint ep;
	struct kn_device *kn;
	struct kn_peer *peer;
	const u8 *psk = NULL;
	int has_ep, psk_op, ret = 0;

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	kn = netdev_priv(dev);
	has_ep = kn_nl_endpoint(info, &ep);
	psk_op = kn_nl_psk(info, &psk);
	if (has_ep < 0 || psk_op < 0) {
		ret = -EINVAL;
		goto out_put;
	}
	if (!info->attrs[KEYNET_A_PEER_PUBLIC_KEY]) {
		NL_SET_ERR_MSG(info->extack, "a peer public key is required");
		ret = -EINVAL;
		goto out_put;
	}
	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	peer = kn_peer_lookup(kn, nla_data(info->attrs[KEYNET_A_PEER_PUBLIC_KEY]));
	if (create && peer && peer->beacon_auto) {
		/* Adding a beacon's auto-peer makes it the operator's. */
		peer->beacon_auto = false;
	} else if (create) {
		if (peer) {
			NL_SET_ERR_MSG(info->extack, "the peer exists already");
			ret = -EEXIST;
			goto out_unlock;
		}
		peer = kn_peer_create(kn,
				      nla_data(info->attrs[KEYNET_A_PEER_PUBLIC_KEY]),
				      psk_op == 1 ? psk : NULL, info->extack);
		if (IS_ERR(peer)) {
			ret = PTR_ERR(peer);
			goto out_unlock;
		}
	} else if (!peer) {
		NL_SET_ERR_MSG(info->extack, "no such peer");
		ret = -ENOENT;
		goto out_unlock;
	}
	kn_nl_peer_apply(peer, info, has_ep, &ep, psk_op, psk);
	kn->peer_gen++;
out_unlock:
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
out_put:
	dev_put(dev);
	return ret;
}

int kn_nl_peer_new(struct sk_buff *skb, struct genl_info *info)
{
	return kn_nl_peer_change(info, true);
}

int kn_nl_peer_set(struct sk_buff *skb, struct genl_info *info)
{
	return kn_nl_peer_change(info, false);
}

int kn_nl_peer_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev = kn_genl_get_dev(info);
	struct kn_device *kn;
	struct kn_peer *peer;
	int ret = 0;

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	kn = netdev_priv(dev);
	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	peer = kn_nl_find_peer(kn, info);
	if (IS_ERR(peer))
		ret = PTR_ERR(peer);
	else
		kn_peer_remove(peer);
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
	dev_put(dev);
	return ret;
}

/*
 * Parse KEYNET_A_PREFIX / KEYNET_A_PREFIX_LEN: the table of its family,
 * with host bits checked to be zero.
 */
static struct kn_lpm_table *kn_nl_prefix(struct kn_device *kn,
					 struct genl_info *info,
					 const u8 **key, u8 *len)
{
	int alen = kn_nl_parse_prefix(info->attrs[KEYNET_A_PREFIX],
				      info->attrs[KEYNET_A_PREFIX_LEN], key, len,
				      info->extack);

	if (alen < 0)
		return NULL;
	return alen == 4 ? &kn->routes4 : &kn->routes6;
}

static int kn_nl_route_change(struct genl_info *info, bool add)
{
	struct net_device *dev = kn_genl_get_dev(info);
	struct kn_lpm_table *table = NULL;
	struct kn_device *kn;
	struct kn_peer *peer;
	const u8 *key = NULL;
	u8 len = 0;
	int ret;

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	kn = netdev_priv(dev);
	if (info->attrs[KEYNET_A_ROUTES]) {
		/* Many routes at once: nl_routes.c. */
		if (add) {
			ret = kn_nl_route_list(kn, info);
		} else {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KEYNET_A_ROUTES],
					    "only route-new takes a route list");
			ret = -EOPNOTSUPP;
		}
		dev_put(dev);
		return ret;
	}
	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	peer = kn_nl_find_peer(kn, info);
	if (IS_ERR(peer)) {
		ret = PTR_ERR(peer);
		goto out;
	}
	if (!add && kn_nl_flags(info->attrs) & KEYNET_F_FLUSH &&
	    !info->attrs[KEYNET_A_PREFIX]) {
		kn_lpm_remove_peer(&kn->routes4, &peer->routes4);
		kn_lpm_remove_peer(&kn->routes6, &peer->routes6);
		peer->ll_route = false;
		kn->peer_gen++;
		ret = 0;
		goto out;
	}
	table = kn_nl_prefix(kn, info, &key, &len);
	if (!table) {
		ret = -EINVAL;
		goto out;
	}
	if (add)
		ret = kn_lpm_insert(table, key, len,
				    table == &kn->routes4 ? &peer->routes4 :
				    &peer->routes6,
				    info->attrs[KEYNET_A_METRIC] ?
				    nla_get_u32(info->attrs[KEYNET_A_METRIC]) : 0);
	else
		ret = kn_lpm_remove(table, key, len,
				    table == &kn->routes4 ? &peer->routes4 :
				    &peer->routes6);
	/* Deleting an automatic /128 by hand is allowed; it stays deleted. */
	if (!ret && !add && len == 128 && peer->auto_route &&
	    !memcmp(key, peer->address, 16))
		peer->auto_route = false;
	else if (!ret && !add && kn_peer_is_ll_route(peer, key, len))
		peer->ll_route = false;
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "the peer has no such route");
	if (!ret)
		kn->peer_gen++;
out:
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
	dev_put(dev);
	return ret;
}

int kn_nl_route_new(struct sk_buff *skb, struct genl_info *info)
{
	return kn_nl_route_change(info, true);
}

int kn_nl_route_del(struct sk_buff *skb, struct genl_info *info)
{
	return kn_nl_route_change(info, false);
}

struct kn_route_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct kn_device *kn;
	unsigned int alen;
};

static int kn_route_dump_one(void *arg, const struct kn_lpm_entry *e)
{
	struct kn_route_dump_ctx *c = arg;
	struct kn_peer *peer = e->peer;
	u32 rflags = 0;
	void *hdr;

	/* The peer's derived /128 and, in mesh mode, its link-local /128. */
	if (c->alen == 16 && e->len == 128 &&
	    ((peer->auto_route && !memcmp(e->key, peer->address, 16)) ||
	     kn_peer_is_ll_route(peer, e->key, e->len)))
		rflags |= KEYNET_ROUTE_F_AUTO;
	hdr = genlmsg_put(c->skb, NETLINK_CB(c->cb->skb).portid,
			  c->cb->nlh->nlmsg_seq, &kn_genl_family, NLM_F_MULTI,
			  KEYNET_CMD_ROUTE_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(c->cb, hdr);
	if (nla_put_u32(c->skb, KEYNET_A_GENERATION, c->cb->seq) ||
	    nla_put_u32(c->skb, KEYNET_A_IFINDEX, c->kn->dev->ifindex) ||
	    nla_put(c->skb, KEYNET_A_PREFIX, c->alen, e->key) ||
	    nla_put_u8(c->skb, KEYNET_A_PREFIX_LEN, e->len) ||
	    nla_put(c->skb, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN,
		    peer->public_key) ||
	    nla_put_u32(c->skb, KEYNET_A_METRIC, e->metric) ||
	    nla_put_u32(c->skb, KEYNET_A_ROUTE_FLAGS, rflags)) {
		genlmsg_cancel(c->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(c->skb, hdr);
	return 0;
}

/* Routes of a device: the IPv4 table (phase 0), then IPv6 (phase 1). */
int kn_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kn_dump *d = kn_dump_state(cb);
	struct kn_device *kn = netdev_priv(d->dev);
	struct kn_route_dump_ctx c = { .skb = skb, .cb = cb, .kn = kn };
	struct kn_peer *peer = NULL;
	int ret = 0;

	if (!d->cursor) {
		d->cursor = kzalloc(sizeof(*d->cursor), GFP_KERNEL_ACCOUNT);
		if (!d->cursor)
			return -ENOMEM;
		kn_lpm_cursor_init(d->cursor);
	}
	mutex_lock(&kn->conf_lock);
	cb->seq = kn->peer_gen;
	if (d->has_peer_key) {
		peer = kn_peer_lookup(kn, d->peer_key);
		if (!peer)
			d->phase = 2;
	}
	while (d->phase < 2) {
		struct kn_lpm_table *t = d->phase ? &kn->routes6 : &kn->routes4;

		c.alen = d->phase ? 16 : 4;
		if (peer)
			ret = kn_lpm_walk_peer(t, d->phase ? &peer->routes6 :
					       &peer->routes4, d->cursor,
					       kn_route_dump_one, &c);
		else
			ret = kn_lpm_walk(t, d->cursor, kn_route_dump_one, &c);
		if (ret)
			break;
		d->phase++;
		kn_lpm_cursor_init(d->cursor);
	}
	mutex_unlock(&kn->conf_lock);
	return skb->len;
}
