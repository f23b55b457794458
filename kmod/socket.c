// SPDX-License-Identifier: GPL-2.0
/*
 * The underlay: one IPv4 and one IPv6 UDP socket per device, created in
 * the namespace the device was created in (kn->creating_net), so the
 * device can be moved to another namespace while its packets still leave
 * through the first one.
 *
 * The sockets are replaced as a pair under conf_lock and published with
 * RCU; senders use them under rcu_read_lock_bh().  Closing waits for a
 * grace period (synchronize_net()) before releasing them, so a sender that
 * found a socket may finish with it.
 *
 * Routes.  Sending to a peer's endpoint costs a FIB lookup, so the peer
 * keeps the route it got, and the source address the lookup chose, in a
 * per-CPU dst_cache (peer->dst_cache, include/net/dst_cache.h), as the
 * kernel's UDP tunnels do.  What the lookup depends on, and what voids
 * the cached route when it changes:
 *  - the endpoint: remote address and port, IPv6 scope, the source
 *    address the peer last reached us on, the interface it came in on
 *    (the loop guard's fallback below).  kn_peer_set_endpoint() resets
 *    the cache under the write side of the peer's endpoint_lock; a sender
 *    uses the cache only under the read side and only if the endpoint it
 *    was given is still the peer's (kn_route_cached()), so no route for
 *    an old endpoint is stored after the reset;
 *  - the sockets (their port, the listen address a bound socket sends
 *    from, their namespace) and the fwmark: changed under conf_lock, then
 *    a grace period, then kn_socket_flush_routes();
 *  - the FIB: rules, routes, addresses, nexthops, interfaces going down,
 *    IPsec policies.  The cache's getters hand out a route only if
 *    dst_check() still accepts it, and both families make their routes
 *    DST_OBSOLETE_FORCE_CHK so that it is always asked (6.1 and 6.12
 *    alike).  IPv4: ipv4_dst_check() fails once the namespace's rt_genid
 *    moved, which rt_cache_flush() bumps on every route insert and delete
 *    (addresses come with their routes), rule change and device event,
 *    and xfrm_policy_insert() too; PMTU and redirect updates kill the
 *    routes they affect (DST_OBSOLETE_KILL).  IPv6: the cache keeps the
 *    route's cookie (rt6_get_cookie(), the serial number of its fib6
 *    node) and ip6_dst_check() compares it: inserting a route renumbers
 *    every node from it up to its table's root, so a new, more specific
 *    route voids the routes of its ancestors; a deleted route is unlinked
 *    and has no cookie to match; rule changes, address removals, an
 *    address finishing DAD and IPsec policy inserts renumber every node
 *    (rt_genid_bump_ipv6()); PMTU exceptions renumber their route's node.
 *    Not renumbered: the cached route's table when a route is added to
 *    another table that a rule consults first; like every cached IPv6
 *    route in the kernel (connected sockets, other tunnels), ours then
 *    stays until one of the events above.  It is the older route, which
 *    passed the loop guard.
 *    A route whose device goes away is DST_OBSOLETE_DEAD and fails too.
 * The loop guard (a route into a keynet device is never used) is applied
 * before a route is stored, so a cached route passed it; a route change
 * that would make it fail voids the cached route first (above).
 */
#include <linux/net.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/udp_tunnel.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/addrconf.h>

#include "socket.h"
#include "receive.h"
#include "stats.h"
#include "compat.h"

/*
 * A UDP tunnel socket of @family in @net, bound to @port (0: a random one)
 * and, with @alen 4 or 16 matching @family, to @addr; datagrams go to
 * @encap_rcv in softirq with @user_data as the socket's sk_user_data.
 * IPv6 sockets are v6-only.  Shared by the underlay (below) and the
 * beacon sockets (beacon.c).  Released with kn_udp_sock_release().
 */
int kn_udp_sock_create(struct net *net, int family, u16 port,
		       const u8 *addr, unsigned int alen, void *user_data,
		       int (*encap_rcv)(struct sock *sk, struct sk_buff *skb),
		       struct socket **out)
{
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(port),
		.ipv6_v6only = 1,
	};
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = user_data,
		.encap_type = 1,
		.encap_rcv = encap_rcv,
	};
	struct socket *sock;
	int ret;

	if (family == AF_INET && alen == 4)
		memcpy(&cfg.local_ip, addr, 4);
	else if (family == AF_INET6 && alen == 16)
		memcpy(&cfg.local_ip6, addr, 16);
	ret = udp_sock_create(net, &cfg, &sock);
	if (ret)
		return ret;
	kn_compat_setup_udp_tunnel_sock(net, sock, &tcfg);
	*out = sock;
	return 0;
}

/* Release a socket of kn_udp_sock_create(); NULL is allowed. */
void kn_udp_sock_release(struct socket *sock)
{
	if (sock)
		kn_compat_udp_tunnel_sock_release(sock);
}

static int kn_sock_create(struct kn_device *kn, int family, u16 port,
			  const u8 *addr, unsigned int alen,
			  struct socket **out)
{
	return kn_udp_sock_create(kn->creating_net, family, port, addr, alen,
				  kn, kn_udp_encap_rcv, out);
}

static u16 kn_sock_port(struct socket *sock)
{
	return ntohs(inet_sk(sock->sk)->inet_sport);
}

static void kn_sock_release(struct sock *sk)
{
	if (sk)
		kn_compat_udp_tunnel_sock_release(sk->sk_socket);
}

/*
 * (Re)open the sockets on @port (0: a random one) and @addr (alen 0: every
 * address; 4 or 16: only that address and hence only that family).  On
 * failure the old sockets stay in place.  Caller holds conf_lock.
 */
static int kn_socket_open_once(struct kn_device *kn, u16 port,
			       const u8 *addr, unsigned int alen)
{
	struct socket *s4 = NULL, *s6 = NULL;
	struct sock *old4, *old6;
	int ret = 0, tries;

	lockdep_assert_held(&kn->conf_lock);
	if (!kn->creating_net)
		return -ENETDOWN;
	for (tries = 0; tries < (port ? 1 : 16); tries++) {
		u16 p = port;

		if (alen != 16) {
			ret = kn_sock_create(kn, AF_INET, p, addr, alen, &s4);
			if (ret)
				return ret;
			p = kn_sock_port(s4);
		}
		if (alen != 4 && ipv6_mod_enabled()) {
			ret = kn_sock_create(kn, AF_INET6, p, addr, alen, &s6);
			/* A random v4 port may be taken in v6: try another. */
			if (ret == -EADDRINUSE && !port && alen != 16) {
				kn_compat_udp_tunnel_sock_release(s4);
				s4 = NULL;
				continue;
			}
			if (ret == -EAFNOSUPPORT && alen != 16)
				ret = 0;
			if (ret) {
				if (s4)
					kn_compat_udp_tunnel_sock_release(s4);
				return ret;
			}
		}
		break;
	}
	if (ret)
		return ret;
	old4 = rcu_dereference_protected(kn->sock4, lockdep_is_held(&kn->conf_lock));
	old6 = rcu_dereference_protected(kn->sock6, lockdep_is_held(&kn->conf_lock));
	rcu_assign_pointer(kn->sock4, s4 ? s4->sk : NULL);
	rcu_assign_pointer(kn->sock6, s6 ? s6->sk : NULL);
	kn->bound_port = s4 ? kn_sock_port(s4) : kn_sock_port(s6);
	synchronize_net();
	kn_socket_flush_routes(kn);
	kn_sock_release(old4);
	kn_sock_release(old6);
	return 0;
}

int kn_socket_open(struct kn_device *kn, u16 port, const u8 *addr,
		   unsigned int alen)
{
	u16 old_port = kn->bound_port;
	int ret;

	ret = kn_socket_open_once(kn, port, addr, alen);
	if (ret != -EADDRINUSE || !old_port || (port && port != old_port))
		return ret;
	/*
	 * Our own sockets hold the port (same port, another address): close
	 * them first, and put the old binding back if the new one fails.
	 */
	kn_socket_close(kn);
	ret = kn_socket_open_once(kn, port, addr, alen);
	if (ret && kn_socket_open_once(kn, old_port, kn->listen_addr,
				       kn->listen_addr_len))
		net_warn_ratelimited("%s: lost the underlay socket on port %u\n",
				     kn->dev->name, old_port);
	return ret;
}

void kn_socket_close(struct kn_device *kn)
{
	struct sock *old4, *old6;

	lockdep_assert_held(&kn->conf_lock);
	old4 = rcu_dereference_protected(kn->sock4, lockdep_is_held(&kn->conf_lock));
	old6 = rcu_dereference_protected(kn->sock6, lockdep_is_held(&kn->conf_lock));
	RCU_INIT_POINTER(kn->sock4, NULL);
	RCU_INIT_POINTER(kn->sock6, NULL);
	kn->bound_port = 0;
	if (!old4 && !old6)
		return;
	synchronize_net();
	/*
	 * Released now, not lazily: when the sockets' namespace is going
	 * away (kn_net_pre_exit()) the cached routes must not pin its devices.
	 */
	kn_socket_flush_routes(kn);
	kn_sock_release(old4);
	kn_sock_release(old6);
}

/*
 * Empty every peer's route cache and release the routes in it.  For a
 * change of what every lookup depends on (the sockets, the fwmark): the
 * caller made the change under conf_lock and then waited for a grace
 * period, so every sender that may have looked a route up the old way
 * (under rcu_read_lock_bh()) has stored it by now, and the flush removes
 * it; a sender after the grace period sees the new state.  The write side
 * of each peer's endpoint_lock keeps its cache's users out, which
 * dst_cache_reset_now() requires.
 */
void kn_socket_flush_routes(struct kn_device *kn)
{
	struct kn_peer *peer;

	lockdep_assert_held(&kn->conf_lock);
	list_for_each_entry(peer, &kn->peers, list) {
		write_lock_bh(&peer->endpoint_lock);
		dst_cache_reset_now(&peer->dst_cache);
		write_unlock_bh(&peer->endpoint_lock);
	}
}

/*
 * Whether @peer's route cache may serve or store a route to @ep: only for
 * the peer's current endpoint, compared whole as kn_peer_set_endpoint()
 * does.  A sender's copy of the endpoint may be older than the peer's
 * (it roamed meanwhile): such a packet goes out uncached.  Caller holds
 * the read side of the peer's endpoint_lock, and BH is off.
 */
static bool kn_route_cached(struct kn_peer *peer, const struct kn_endpoint *ep)
{
	lockdep_assert_held(&peer->endpoint_lock);
	return !memcmp(&peer->endpoint, ep, sizeof(*ep));
}

/*
 * The route for @fl (@fl->saddr becomes the source address it chose), or
 * an ERR_PTR: -ELOOP when it would lead into a keynet device.
 */
static struct rtable *kn_route4(struct sock *sk, const struct kn_endpoint *ep,
				struct flowi4 *fl)
{
	struct rtable *rt;

	rt = ip_route_output_flow(sock_net(sk), fl, sk);
	if (IS_ERR(rt) && fl->saddr) {
		/* The address the peer last reached us on is gone. */
		fl->saddr = 0;
		rt = ip_route_output_flow(sock_net(sk), fl, sk);
	}
	if (!IS_ERR(rt) && unlikely(kn_is_keynet_dev(rt->dst.dev))) {
		/*
		 * The route to the peer's endpoint leads into a keynet device
		 * (an overlay route covers the underlay address): never let
		 * the tunnel capture its own traffic.  Go out where the peer
		 * was last heard from, if we know, or drop.
		 */
		ip_rt_put(rt);
		rt = ERR_PTR(-ELOOP);
		if (ep->ifindex) {
			fl->flowi4_oif = ep->ifindex;
			rt = ip_route_output_flow(sock_net(sk), fl, sk);
			if (!IS_ERR(rt) && kn_is_keynet_dev(rt->dst.dev)) {
				ip_rt_put(rt);
				rt = ERR_PTR(-ELOOP);
			}
		}
	}
	return rt;
}

/* kn_route4() through @peer's route cache, when it may be used (above). */
static struct rtable *kn_route4_cached(struct sock *sk,
				       const struct kn_endpoint *ep,
				       struct kn_peer *peer, struct flowi4 *fl)
{
	struct rtable *rt = NULL;
	bool cached;

	if (!peer)
		return kn_route4(sk, ep, fl);
	read_lock(&peer->endpoint_lock);
	cached = kn_route_cached(peer, ep);
	if (cached)
		rt = dst_cache_get_ip4(&peer->dst_cache, &fl->saddr);
	if (!rt) {
		rt = kn_route4(sk, ep, fl);
		if (cached && !IS_ERR(rt))
			dst_cache_set_ip4(&peer->dst_cache, &rt->dst, fl->saddr);
	}
	read_unlock(&peer->endpoint_lock);
	return rt;
}

static int kn_send4(struct kn_device *kn, struct sock *sk, struct sk_buff *skb,
		    const struct kn_endpoint *ep, struct kn_peer *peer)
{
	struct flowi4 fl = {
		.saddr = ep->src4,
		.daddr = ep->addr4.sin_addr.s_addr,
		.fl4_dport = ep->addr4.sin_port,
		.fl4_sport = inet_sk(sk)->inet_sport,
		.flowi4_mark = READ_ONCE(kn->fwmark),
		.flowi4_proto = IPPROTO_UDP,
	};
	struct rtable *rt;

	/* A socket bound to one address sends from it, whatever we cached. */
	if (inet_sk(sk)->inet_rcv_saddr)
		fl.saddr = inet_sk(sk)->inet_rcv_saddr;
	rt = kn_route4_cached(sk, ep, peer, &fl);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb->ignore_df = 1;
	kn_compat_udp_tunnel_xmit_skb(rt, sk, skb, fl.saddr, fl.daddr, 0,
				      ip4_dst_hoplimit(&rt->dst), 0,
				      fl.fl4_sport, fl.fl4_dport,
				      !net_eq(sock_net(sk), dev_net(kn->dev)),
				      false);
	return 0;
}

#if IS_ENABLED(CONFIG_IPV6)
/* As kn_route4(), for IPv6. */
static struct dst_entry *kn_route6(struct sock *sk,
				   const struct kn_endpoint *ep,
				   struct flowi6 *fl)
{
	struct dst_entry *dst;

	dst = kn_compat_ip6_dst_lookup(sock_net(sk), sk, fl);
	if (IS_ERR(dst) && !ipv6_addr_any(&fl->saddr)) {
		fl->saddr = in6addr_any;
		dst = kn_compat_ip6_dst_lookup(sock_net(sk), sk, fl);
	}
	if (!IS_ERR(dst) && unlikely(kn_is_keynet_dev(dst->dev))) {
		/* As for IPv4: never route the underlay into the overlay. */
		dst_release(dst);
		dst = ERR_PTR(-ELOOP);
		if (ep->ifindex && !fl->flowi6_oif) {
			fl->flowi6_oif = ep->ifindex;
			dst = kn_compat_ip6_dst_lookup(sock_net(sk), sk, fl);
			if (!IS_ERR(dst) && kn_is_keynet_dev(dst->dev)) {
				dst_release(dst);
				dst = ERR_PTR(-ELOOP);
			}
		}
	}
	return dst;
}

static struct dst_entry *kn_route6_cached(struct sock *sk,
					  const struct kn_endpoint *ep,
					  struct kn_peer *peer,
					  struct flowi6 *fl)
{
	struct dst_entry *dst = NULL;
	bool cached;

	if (!peer)
		return kn_route6(sk, ep, fl);
	read_lock(&peer->endpoint_lock);
	cached = kn_route_cached(peer, ep);
	if (cached)
		dst = dst_cache_get_ip6(&peer->dst_cache, &fl->saddr);
	if (!dst) {
		dst = kn_route6(sk, ep, fl);
		if (cached && !IS_ERR(dst))
			dst_cache_set_ip6(&peer->dst_cache, dst, &fl->saddr);
	}
	read_unlock(&peer->endpoint_lock);
	return dst;
}

static int kn_send6(struct kn_device *kn, struct sock *sk, struct sk_buff *skb,
		    const struct kn_endpoint *ep, struct kn_peer *peer)
{
	struct flowi6 fl = {
		.saddr = ep->src6,
		.daddr = ep->addr6.sin6_addr,
		.fl6_dport = ep->addr6.sin6_port,
		.fl6_sport = inet_sk(sk)->inet_sport,
		.flowi6_mark = READ_ONCE(kn->fwmark),
		.flowi6_oif = ep->addr6.sin6_scope_id,
		.flowi6_proto = IPPROTO_UDP,
	};
	struct dst_entry *dst;

	if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		fl.saddr = sk->sk_v6_rcv_saddr;
	dst = kn_route6_cached(sk, ep, peer, &fl);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	skb->ignore_df = 1;
	kn_compat_udp_tunnel6_xmit_skb(dst, sk, skb, skb->dev, &fl.saddr,
				       &fl.daddr, 0, ip6_dst_hoplimit(dst), 0,
				       fl.fl6_sport, fl.fl6_dport, false);
	return 0;
}
#endif

/*
 * Send a finished keynet message in @skb (consumed) to @ep.  With @peer
 * (a reference or a running work item of its keeps it alive), the route
 * comes from its route cache while @ep is its endpoint; NULL: looked up.
 */
int kn_socket_send_skb(struct kn_device *kn, struct sk_buff *skb,
		       const struct kn_endpoint *ep, struct kn_peer *peer)
{
	struct sock *sk;
	int ret = -ENETUNREACH;

	skb_mark_not_on_list(skb);
	skb->dev = kn->dev;
	skb->mark = READ_ONCE(kn->fwmark);
	rcu_read_lock_bh();
	if (ep->addr.sa_family == AF_INET) {
		sk = rcu_dereference_bh(kn->sock4);
		if (sk)
			ret = kn_send4(kn, sk, skb, ep, peer);
#if IS_ENABLED(CONFIG_IPV6)
	} else if (ep->addr.sa_family == AF_INET6) {
		sk = rcu_dereference_bh(kn->sock6);
		if (sk)
			ret = kn_send6(kn, sk, skb, ep, peer);
#endif
	}
	rcu_read_unlock_bh();
	if (ret) {
		kn_drop(kn, ret == -ELOOP ? KEYNET_DROP_LOOP :
			KEYNET_DROP_UNDERLAY);
		kfree_skb(skb);
	}
	return ret;
}

int kn_socket_send_buf(struct kn_device *kn, const struct kn_endpoint *ep,
		       const void *buf, size_t len)
{
	struct sk_buff *skb = alloc_skb(KN_UNDERLAY_HEADROOM + len, GFP_ATOMIC);

	if (!skb) {
		kn_drop(kn, KEYNET_DROP_NOMEM);
		return -ENOMEM;
	}
	skb_reserve(skb, KN_UNDERLAY_HEADROOM);
	skb_put_data(skb, buf, len);
	/* Handshake messages and cookie replies are rare: no route cache. */
	return kn_socket_send_skb(kn, skb, ep, NULL);
}

/*
 * The sender of an underlay datagram, and our address it was sent to, as
 * an endpoint; @skb still has its IP and UDP headers set.
 */
void kn_endpoint_from_skb(struct kn_endpoint *ep, struct sk_buff *skb)
{
	const struct udphdr *uh = udp_hdr(skb);

	memset(ep, 0, sizeof(*ep));
	if (ip_hdr(skb)->version == 4) {
		ep->addr4.sin_family = AF_INET;
		ep->addr4.sin_addr.s_addr = ip_hdr(skb)->saddr;
		ep->addr4.sin_port = uh->source;
		ep->src4 = ip_hdr(skb)->daddr;
		ep->ifindex = skb->skb_iif;
	} else {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		ep->addr6.sin6_family = AF_INET6;
		ep->addr6.sin6_addr = ip6->saddr;
		ep->addr6.sin6_port = uh->source;
		ep->addr6.sin6_scope_id =
			ipv6_iface_scope_id(&ip6->saddr, skb->skb_iif);
		ep->src6 = ip6->daddr;
		ep->ifindex = skb->skb_iif;
	}
}
