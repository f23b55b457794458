/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels keynet supports (6.1 to 7.x), in one
 * place.  Where the difference is visible to the preprocessor it is tested
 * directly; otherwise Kbuild probes the target tree's headers and defines
 * KN_HAVE_* (see the "feature probes" block in Kbuild).  No version number
 * tests where a probe is possible: distributions backport.
 */
#ifndef _KN_COMPAT_H
#define _KN_COMPAT_H

#include <linux/netdevice.h>
#include <net/rtnetlink.h>

/* 6.12 replaced the NETIF_F_LLTX feature bit by a plain dev->lltx flag. */
static inline void kn_compat_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/*
 * Per-CPU tunnel stats (dev->tstats).  Since 6.7 (and in 6.1.y, where it
 * was backported) the core can own them: the driver names their type in
 * dev->pcpu_stat_type from its setup callback, register_netdevice()
 * allocates them right after ndo_init and netdev_run_todo() frees them once
 * the last reference is gone, i.e. after ndo_uninit.  6.12's
 * iptunnel_xmit_stats() WARNs unless the type says TSTATS, so where the
 * field exists keynet leaves the stats to the core.  Without it
 * (KN_HAVE_PCPU_STAT_TYPE unset) they are allocated in ndo_init and freed
 * in ndo_uninit.
 */
static inline void kn_compat_tstats_setup(struct net_device *dev)
{
#ifdef KN_HAVE_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
#endif
}

static inline int kn_compat_tstats_alloc(struct net_device *dev)
{
#ifndef KN_HAVE_PCPU_STAT_TYPE
	dev->tstats = __netdev_alloc_pcpu_stats(struct pcpu_sw_netstats,
						 GFP_KERNEL_ACCOUNT);
	if (!dev->tstats)
		return -ENOMEM;
#endif
	return 0;
}

static inline void kn_compat_tstats_free(struct net_device *dev)
{
#ifndef KN_HAVE_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
#endif
}

/*
 * The flags as a user would set them (IFF_PROMISC and IFF_ALLMULTI as
 * requested, not as counted), the form dev_change_flags() takes.  Kernels
 * after 6.12 renamed dev_get_flags() to netif_get_flags()
 * (KN_HAVE_NETIF_GET_FLAGS).
 */
static inline unsigned int kn_compat_dev_get_flags(const struct net_device *dev)
{
#ifdef KN_HAVE_NETIF_GET_FLAGS
	return netif_get_flags(dev);
#else
	return dev_get_flags(dev);
#endif
}

/* 6.6 made dev->stats updates atomic with DEV_STATS_INC(). */
#ifdef DEV_STATS_INC
#define KN_DEV_STATS_INC(dev, field) DEV_STATS_INC(dev, field)
#else
#define KN_DEV_STATS_INC(dev, field) ((dev)->stats.field++) /* racy, as 6.1 */
#endif

/*
 * rtnl_link_ops.newlink took (src_net, dev, tb, data, extack) until the
 * kernel grouped its arguments in struct rtnl_newlink_params
 * (KN_HAVE_NEWLINK_PARAMS); device.c has one wrapper for each form.
 */

/* netif_napi_add() lost its weight argument in 6.1; keep one spelling. */
static inline void kn_compat_napi_add(struct net_device *dev,
				      struct napi_struct *napi,
				      int (*poll)(struct napi_struct *, int))
{
	netif_napi_add(dev, napi, poll);
}

/* 6.4 moved skb_gso_segment() and friends out of netdevice.h. */
#ifdef KN_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/*
 * IPv6 route lookups: while IPv6 could be a module, code outside it went
 * through ipv6_stub (net/ipv6_stubs.h).  Kernels without that header
 * (7.x) call ip6_dst_lookup_flow() directly; it is also exported on the
 * older ones, but the stub keeps working where IPv6 is modular.
 */
#include <net/ipv6.h>
#ifdef KN_HAVE_IPV6_STUBS_H
#include <net/ipv6_stubs.h>
#endif

static inline struct dst_entry *kn_compat_ip6_dst_lookup(struct net *net,
							 const struct sock *sk,
							 struct flowi6 *fl6)
{
#ifdef KN_HAVE_IPV6_STUBS_H
	return ipv6_stub->ipv6_dst_lookup_flow(net, sk, fl6, NULL);
#else
	return ip6_dst_lookup_flow(net, sk, fl6, NULL);
#endif
}

/*
 * Workqueues bound to CPUs: newer kernels name them with WQ_PERCPU
 * (KN_HAVE_WQ_PERCPU), ahead of making unbound the default; before it,
 * a workqueue without WQ_UNBOUND is per-CPU.
 */
#include <linux/workqueue.h>
#ifdef KN_HAVE_WQ_PERCPU
#define KN_WQ_PERCPU	WQ_PERCPU
#else
#define KN_WQ_PERCPU	0
#endif

/* 6.16 renamed from_timer() to timer_container_of(). */
#include <linux/timer.h>
#ifndef timer_container_of
#define timer_container_of(var, t, field) from_timer(var, t, field)
#endif

/*
 * The UDP tunnel helpers.  7.x takes the struct sock in
 * setup_udp_tunnel_sock() and udp_tunnel_sock_release()
 * (KN_HAVE_UDP_TUNNEL_SK) and gave the xmit helpers a last IPCB/IP6CB
 * flags argument (KN_HAVE_UDP_TUNNEL_IPCB, KN_HAVE_UDP_TUNNEL6_IPCB;
 * keynet sets no flags).  keynet keeps the struct socket that
 * udp_sock_create() returns and calls these wrappers.
 */
#include <net/udp_tunnel.h>

static inline void kn_compat_setup_udp_tunnel_sock(struct net *net,
						   struct socket *sock,
						   struct udp_tunnel_sock_cfg *cfg)
{
#ifdef KN_HAVE_UDP_TUNNEL_SK
	setup_udp_tunnel_sock(net, sock->sk, cfg);
#else
	setup_udp_tunnel_sock(net, sock, cfg);
#endif
}

static inline void kn_compat_udp_tunnel_sock_release(struct socket *sock)
{
#ifdef KN_HAVE_UDP_TUNNEL_SK
	udp_tunnel_sock_release(sock->sk);
#else
	udp_tunnel_sock_release(sock);
#endif
}

#ifdef KN_HAVE_UDP_TUNNEL_IPCB
#define kn_compat_udp_tunnel_xmit_skb(...) udp_tunnel_xmit_skb(__VA_ARGS__, 0)
#else
#define kn_compat_udp_tunnel_xmit_skb(...) udp_tunnel_xmit_skb(__VA_ARGS__)
#endif

#if IS_ENABLED(CONFIG_IPV6)
#ifdef KN_HAVE_UDP_TUNNEL6_IPCB
#define kn_compat_udp_tunnel6_xmit_skb(...) udp_tunnel6_xmit_skb(__VA_ARGS__, 0)
#else
#define kn_compat_udp_tunnel6_xmit_skb(...) udp_tunnel6_xmit_skb(__VA_ARGS__)
#endif
#endif

/*
 * The per-peer underlay route cache (socket.c) uses include/net/dst_cache.h
 * as it is from 6.1 to 6.12 and after: dst_cache_init() with a gfp,
 * dst_cache_{get,set}_ip4/ip6() returning and storing the source address,
 * the lazy dst_cache_reset() and dst_cache_reset_now() (older than 6.1,
 * so on every kernel keynet supports).  The one difference, 6.12's
 * WRITE_ONCE() of reset_ts in dst_cache_reset(), needs nothing here:
 * keynet resets only under the write side of the lock its readers hold.
 * CONFIG_DST_CACHE, a bool, is selected by NET_UDP_TUNNEL (through
 * NET_IP_TUNNEL), which keynet needs anyway; without it the symbols would
 * be missing at load, so say it at build time.
 */
#include <net/dst_cache.h>
#if !IS_ENABLED(CONFIG_DST_CACHE)
#error "keynet needs CONFIG_DST_CACHE (selected by CONFIG_NET_UDP_TUNNEL)"
#endif

/*
 * Who may join the events multicast group.  Events carry peer keys,
 * endpoints and NAT64 mappings, so joining takes CAP_NET_ADMIN in the user
 * namespace that owns the socket's network namespace.  The kernel checks
 * that on bind (genl_bind()) for groups flagged GENL_MCAST_CAP_NET_ADMIN:
 * 6.7 and later, and the 6.1.y and 6.6.y stable updates that took the fix
 * (the 6.1 kernel the selftests boot has it).  6.1 has no per-family bind
 * callback to do the check ourselves, so an older kernel leaves the group
 * open to every local user: KN_COMPAT_MCAST_OPEN, reported once at load.
 */
#include <net/genetlink.h>
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define KN_COMPAT_MCAST_ADMIN	GENL_MCAST_CAP_NET_ADMIN
#else
#define KN_COMPAT_MCAST_ADMIN	0
#define KN_COMPAT_MCAST_OPEN	1
#endif

/*
 * 6.2 added formatted extack messages (at most 79 characters); before
 * them the fixed @fallback is reported instead.
 */
#include <linux/netlink.h>
#ifdef NL_SET_ERR_MSG_FMT
#define KN_NL_SET_ERR_MSG_FMT(extack, fallback, fmt, args...) \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##args)
#else
/* no_printk(): the arguments stay used and the format checked. */
#define KN_NL_SET_ERR_MSG_FMT(extack, fallback, fmt, args...) do { \
	no_printk(fmt, ##args); \
	NL_SET_ERR_MSG(extack, fallback); \
} while (0)
#endif

/*
 * Prefix the reason a list entry was refused, already in @extack, with
 * the entry's position from 1: "route 7: no such peer" (6.2 on).  Before
 * formatted messages the reason stays alone; the bad attribute's offset
 * still names the entry.
 */
static inline void kn_compat_extack_entry(struct netlink_ext_ack *extack,
					  const char *what, u32 pos)
{
#ifdef NL_SET_ERR_MSG_FMT
	char why[NETLINK_MAX_FMTMSG_LEN];

	if (!extack || !extack->_msg)
		return;
	/* The reason may be in _msg_buf itself, which the format rewrites. */
	strscpy(why, extack->_msg, sizeof(why));
	NL_SET_ERR_MSG_FMT(extack, "%s %u: %s", what, pos, why);
#endif
}

#endif /* _KN_COMPAT_H */
