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
#include <net/ip_fib.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/nexthop.h>
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
	unsigned int flags;
	int ret = 0;

	ASSERT_RTNL();
	flags = kn_compat_dev_get_flags(dev);
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

/*
 * The reverse-path check of kn_mesh_rpf() for IPv4: the FIB's route to
 * the source (from the destination, as for a reply this node originates)
 * leaves this device through a gateway the crypto-key table gives to
 * @peer.  Every path of a multipath route counts, so equal-cost routes
 * through several neighbours accept each of them.  The gateway may be
 * IPv4 or IPv6 (v4-via-v6).
 */
static bool kn_mesh_rpf4(struct kn_device *kn, struct kn_peer *peer,
			 const struct iphdr *iph)
{
	struct flowi4 fl4 = {
		.daddr = iph->saddr,
		.saddr = iph->daddr,
		.flowi4_iif = LOOPBACK_IFINDEX,
	};
	const struct fib_nh_common *nhc;
	struct fib_result res;
	unsigned int i, n;
	bool ok = false;

	/* fib_lookup() results hold no reference: valid in this section. */
	rcu_read_lock();
	if (fib_lookup(dev_net(kn->dev), &fl4, &res, 0) ||
	    res.type != RTN_UNICAST)
		goto out;
	n = fib_info_num_path(res.fi);
	for (i = 0; i < n && !ok; i++) {
		nhc = fib_info_nhc(res.fi, i);
		if (nhc->nhc_dev != kn->dev || nhc->nhc_flags & RTNH_F_DEAD)
			continue;
		if (nhc->nhc_gw_family == AF_INET)
			ok = kn_lpm_allowed(&kn->routes4,
					    (const u8 *)&nhc->nhc_gw.ipv4, peer);
		else if (nhc->nhc_gw_family == AF_INET6)
			ok = kn_lpm_allowed(&kn->routes6,
					    nhc->nhc_gw.ipv6.s6_addr, peer);
	}
out:
	rcu_read_unlock();
	return ok;
}

/*
 * The same for IPv6, through ip6_route_output() (exported on every kernel
 * keynet supports, unlike fib6_lookup()): it follows the path the kernel
 * would pick for such a reply, so of an equal-cost multipath route only
 * that one path counts (docs/mesh.md, limits).  Nothing to check when the
 * host runs without IPv6 (ipv6.disable=1): no route leads anywhere.
 */
static bool kn_mesh_rpf6(struct kn_device *kn, struct kn_peer *peer,
			 const struct ipv6hdr *ip6h)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct flowi6 fl6 = {
		.daddr = ip6h->saddr,
		.saddr = ip6h->daddr,
	};
	const struct rt6_info *rt;
	struct dst_entry *dst;
	bool ok = false;

	if (!ipv6_mod_enabled())
		return false;
	dst = ip6_route_output(dev_net(kn->dev), NULL, &fl6);
	rt = container_of(dst, struct rt6_info, dst);
	if (!dst->error && dst->dev == kn->dev &&
	    rt->rt6i_flags & RTF_GATEWAY) {
		rcu_read_lock();
		ok = kn_lpm_allowed(&kn->routes6, rt->rt6i_gateway.s6_addr,
				    peer);
		rcu_read_unlock();
	}
	dst_release(dst);
	return ok;
#else
	return false;
#endif
}

/*
 * Mesh mode's second chance for a decrypted packet from @peer whose
 * source the crypto-key rule refused (a source relayed by the neighbour):
 * accept it when the FIB of the device's namespace routes the source back
 * out of this device via a gateway that the crypto-key table maps to
 * @peer, i.e. when the routing protocol made @peer the way to that
 * source.  This is the reverse-path check rp_filter cannot make when all
 * neighbours share one interface.
 *
 * Cost: one FIB lookup (IPv6: plus a dst reference) per packet, paid only
 * in mesh mode and only for sources the crypto-key rule refused: a
 * neighbour's own addresses pass that rule first.
 *
 * Caller: the peer's rx_work (process context, no lock held), with the
 * inner packet at skb->data, its header linear and skb->protocol set
 * (kn_rx_inner()).  Takes rcu_read_lock() itself; does not sleep.
 */
bool kn_mesh_rpf(struct kn_device *kn, struct kn_peer *peer,
		 struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return kn_mesh_rpf4(kn, peer, (const struct iphdr *)skb->data);
	return kn_mesh_rpf6(kn, peer, (const struct ipv6hdr *)skb->data);
}
