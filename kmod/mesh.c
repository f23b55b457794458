// SPDX-License-Identifier: GPL-2.0
/*
 * Mesh mode: the device's multicast flag, link-local multicast copies,
 * next hop to peer, and the per-peer reverse-path check.  What the mode
 * changes, and where, is listed in mesh.h; the design and its guarantees
 * are in docs/mesh.md.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/timekeeping.h>
#include <net/dst.h>
#include <net/ip6_fib.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "mesh.h"
#include "peer.h"
#include "send.h"
#include "compat.h"

/*
 * Mesh mode goes on (@mesh) or off: routing daemons send their hellos
 * only on multicast-capable interfaces, so mesh mode sets IFF_MULTICAST.
 * keynet clears it again only if it set it: a flag the administrator set
 * stays.  Caller holds RTNL; changing only IFF_MULTICAST does not fail on
 * the kernels keynet supports, but an error is passed on unchanged.
 */
int kn_mesh_multicast(struct kn_device *kn, bool mesh,
		      struct netlink_ext_ack *extack)
{
	struct net_device *dev = kn->dev;
	unsigned int flags = kn_compat_dev_get_flags(dev);
	int ret = 0;

	ASSERT_RTNL();
	if (mesh && !(flags & IFF_MULTICAST)) {
		ret = dev_change_flags(dev, flags | IFF_MULTICAST, extack);
		if (!ret)
			kn->mesh_multicast = true;
	} else if (!mesh && kn->mesh_multicast) {
		if (flags & IFF_MULTICAST)
			ret = dev_change_flags(dev, flags & ~IFF_MULTICAST,
					       extack);
		if (!ret)
			kn->mesh_multicast = false;
	}
	return ret;
}

/*
 * The gateway of @skb's route, if it has one and the route is one of
 * this device's: IPv6 routes (RTF_GATEWAY), IPv4 routes with an IPv4
 * gateway or an IPv6 one (RFC 8950 / RFC 9229, "v4-via-v6").  The address
 * lives in the dst, which @skb holds (the device keeps dsts until
 * kn_xmit(): netif_keep_dst()).  A dst of another device (a packet
 * redirected here by tc) or of an xfrm bundle tells nothing about our
 * peers: no gateway.  NULL, or the address and its table in @table.
 */
static const u8 *kn_mesh_gateway(struct kn_device *kn, struct sk_buff *skb,
				 struct kn_lpm_table **table)
{
	const struct dst_entry *dst = skb_dst(skb);

	if (!dst || dst->dev != kn->dev || dst_xfrm(dst))
		return NULL;
	if (dst->ops->family == AF_INET6) {
		const struct rt6_info *rt = container_of(dst, struct rt6_info,
							 dst);

		if (!(rt->rt6i_flags & RTF_GATEWAY))
			return NULL;
		*table = &kn->routes6;
		return rt->rt6i_gateway.s6_addr;
	}
	if (dst->ops->family == AF_INET) {
		const struct rtable *rt = container_of(dst, struct rtable, dst);

		if (rt->rt_gw_family == AF_INET) {
			*table = &kn->routes4;
			return (const u8 *)&rt->rt_gw4;
		}
		if (rt->rt_gw_family == AF_INET6) {
			*table = &kn->routes6;
			return rt->rt_gw6.s6_addr;
		}
	}
	return NULL;
}

/*
 * How kn_xmit() sends @skb in mesh mode: link-local multicast (ffx2::/16,
 * 224.0.0.0/24) to every peer (KN_MESH_FLOOD); along a route with a
 * gateway to the peer the crypto-key table gives for the gateway
 * (KN_MESH_GW: @table and @key become the gateway's); otherwise by the
 * destination, as with mesh mode off (KN_MESH_KEY).  Other multicast is
 * routed by the destination too, as with mesh mode off.  Caller: kn_xmit()
 * under rcu_read_lock_bh(), the network header pulled and its version
 * checked.
 */
enum kn_mesh_way kn_mesh_route(struct kn_device *kn, struct sk_buff *skb,
			       struct kn_lpm_table **table, const u8 **key)
{
	const u8 *gw;

	if (skb->protocol == htons(ETH_P_IP)) {
		if (ipv4_is_local_multicast(ip_hdr(skb)->daddr))
			return KN_MESH_FLOOD;
	} else if (ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr) &&
		   IPV6_ADDR_MC_SCOPE(&ipv6_hdr(skb)->daddr) ==
		   IPV6_ADDR_SCOPE_LINKLOCAL) {
		return KN_MESH_FLOOD;
	}
	gw = kn_mesh_gateway(kn, skb, table);
	if (!gw)
		return KN_MESH_KEY;
	*key = gw;
	return KN_MESH_GW;
}

/*
 * Send a copy of @skb (link-local multicast, its dst dropped) to every
 * peer with a session, each on that peer's transmit path, so each
 * copy is encrypted for its peer.  The copies are clones: tx_work's
 * encryption unshares the data before it writes (skb_cow_data()).  Each
 * copy counts against its peer's and the device's transmit bound like any
 * packet; one that does not fit is dropped as nomem.  A peer without a
 * session gets no copy (a hello is not worth a queue slot while a
 * handshake may take seconds, or never complete) but, if it has an
 * endpoint, a handshake, so that neighbours configured with keys and
 * endpoints only come up for the routing daemon's next hello.  @skb is
 * consumed.
 *
 * Caller: kn_xmit() under rcu_read_lock_bh(), which found every peer it
 * queues to alive (peer.h, step 1).  The walk covers the peer hash's
 * 2,048 buckets and clones once per peer: a cost per link-local multicast
 * packet (hellos every few seconds), not per unicast packet.
 */
void kn_mesh_flood(struct kn_device *kn, struct sk_buff *skb)
{
	u64 now = ktime_get_boottime_ns();
	struct sk_buff *segs, *seg, *next, *copy;
	struct kn_peer *peer;
	unsigned int bkt;
	bool queued;

	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			kn_drop(kn, KEYNET_DROP_NOMEM);
			KN_DEV_STATS_INC(kn->dev, tx_dropped);
			kfree_skb(skb);
			return;
		}
		consume_skb(skb);
		skb = segs;
	}
	hash_for_each_rcu(kn->peer_hash, bkt, peer, hnode) {
		if (READ_ONCE(peer->dead))
			continue;
		if (!kn_peer_has_session(peer, now)) {
			if (READ_ONCE(peer->endpoint.addr.sa_family) !=
			    AF_UNSPEC)
				kn_peer_initiate(peer, false);
			continue;
		}
		queued = false;
		for (seg = skb; seg; seg = seg->next) {
			copy = skb_clone(seg, GFP_ATOMIC);
			if (!copy) {
				kn_drop(kn, KEYNET_DROP_NOMEM);
				continue;
			}
			kn_tx_enqueue(peer, copy);
			queued = true;
		}
		/* As in kn_xmit(): this section found the peer alive. */
		if (queued)
			queue_work(kn->wq, &peer->tx_work);
	}
	skb_list_walk_safe(skb, seg, next) {
		skb_mark_not_on_list(seg);
		consume_skb(seg);
	}
}
