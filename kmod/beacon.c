// SPDX-License-Identifier: GPL-2.0
/*
 * LAN beacons: auto-peering with the holders of a shared beacon key on
 * the same link.  Contexts and locks are described in beacon.h, the
 * frame in beacon_frame.h, the behaviour in docs/beacons.md.
 *
 * Who talks first.  A node in mode send broadcasts an announce on each
 * beacon interface (IPv4 255.255.255.255 and IPv6 ff02::1).  A receiver
 * that has no working session with the announcer (the key is new to it,
 * or the auto-peer is not alive) adds it if need be and answers with a
 * unicast reply; the announcer, on a reply from a node it has no working
 * session with, adds it if need be and starts the handshake.  So the
 * handshake initiation always comes from a node the responder already
 * knows, and a node in mode accept (which never announces) is found by
 * answering.  Both sides derive the same preshared key from the beacon
 * key, so the handshake itself proves that each holds the key.
 */
#include <linux/inetdevice.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/timekeeping.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/udp_tunnel.h>

#include "device.h"
#include "peer.h"
#include "socket.h"
#include "send.h"
#include "timers.h"
#include "events.h"
#include "netlink.h"
#include "compat.h"
#include "beacon.h"

/* Announce every 10 s +- 20 %; forget an auto-peer silent for 180 s. */
#define KN_BEACON_INTERVAL_MS	10000U
#define KN_BEACON_JITTER_MS	(KN_BEACON_INTERVAL_MS / 5)
#define KN_BEACON_EXPIRY_NS	(180ULL * NSEC_PER_SEC)
/*
 * A node in mode accept announces nothing: to the announcers it has a
 * working session with, it answers an announce this often, so that they
 * do not expire it (three chances per expiry period).
 */
#define KN_BEACON_REFRESH_NS	(KN_BEACON_EXPIRY_NS / 3)
/* The first announce after a start: within this much. */
#define KN_BEACON_FIRST_MS	250U
/*
 * Frames waiting for rx_work, and how many it takes per run.  Only frames
 * whose MAC verified are queued (kn_beacon_encap_rcv()), so the queue is
 * shared by the holders of the beacon key only.
 */
#define KN_BEACON_QUEUE_MAX	256
#define KN_BEACON_BATCH		64
/*
 * Per-source limit on frames that verified: one frame per second (scaled
 * like every timer), bursts of 10.
 */
#define KN_BEACON_RL_SLOTS	256
#define KN_BEACON_RL_BURST	10
/*
 * Keys whose last stamp is remembered (struct kn_beacon_stamp, about 100
 * bytes each with the slab's rounding: at most about 100 KiB a device,
 * charged to the memory cgroup of whoever turned beacons on).  When full,
 * the key seen least recently is forgotten.
 */
#define KN_BEACON_STAMPS_MAX	1024

struct kn_beacon_rl_slot {
	u8 addr[16];		/* IPv4 (first 4 bytes) or IPv6 source */
	u16 family;
	u64 tokens_ns;		/* credit, in nanoseconds of rate */
	u64 last_ns;
};

/*
 * The last stamp accepted from a key.  Kept after the key's auto-peer
 * expired (or when none was made: over the cap, a manual peer), so that a
 * captured frame replayed later is still known as old; the stamp window
 * covers the keys this bounded table had to forget.
 */
struct kn_beacon_stamp {
	struct hlist_node hnode;	/* kn_beacon.stamps */
	struct list_head lru;		/* kn_beacon.stamp_lru */
	u8 key[KN_BEACON_KEY_LEN];
	u64 stamp;
};

static const struct in6_addr kn_all_nodes = IN6ADDR_LINKLOCAL_ALLNODES_INIT;

static struct kn_device *kn_beacon_dev(struct kn_beacon *b)
{
	return container_of(b, struct kn_device, beacon);
}

static void kn_beacon_count(struct kn_beacon *b, enum keynet_beacon_stat s)
{
	atomic64_inc(&b->stats[s]);
}

/* Beacons run: the device is up and the mode is not off (conf_lock). */
static bool kn_beacon_active(struct kn_device *kn)
{
	return kn->beacon.up && kn->beacon.mode != KEYNET_BEACON_OFF;
}

static unsigned long kn_beacon_jiffies(u64 ms)
{
	return max_t(unsigned long, 1,
		     nsecs_to_jiffies(kn_time(ms * NSEC_PER_MSEC)));
}

static void kn_beacon_kick(struct kn_device *kn, unsigned long delay)
{
	mod_delayed_work(system_power_efficient_wq, &kn->beacon.tick, delay);
}

static void kn_beacon_rxkey_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct kn_beacon_rxkey, rcu));
}

/* After a grace period: encap_rcv may still be reading it. */
static void kn_beacon_rxkey_free(struct kn_beacon_rxkey *k)
{
	if (k)
		call_rcu(&k->rcu, kn_beacon_rxkey_free_rcu);
}

/* ---- Receive (softirq) ------------------------------------------------ */

/* Per-source token bucket; a new source takes its slot with a full bucket. */
static bool kn_beacon_rl_allow(struct kn_beacon *b,
			       const struct kn_endpoint *src)
{
	u64 now = ktime_get_boottime_ns(), cost = kn_time(NSEC_PER_SEC);
	u64 max = cost * KN_BEACON_RL_BURST;
	u16 family = src->addr.sa_family;
	struct kn_beacon_rl_slot *s;
	u8 addr[16] = { };
	bool ok;

	if (family == AF_INET)
		memcpy(addr, &src->addr4.sin_addr, 4);
	else
		memcpy(addr, &src->addr6.sin6_addr, 16);
	s = &b->rl[(siphash(addr, sizeof(addr), &b->rl_key) ^ family) %
		   KN_BEACON_RL_SLOTS];
	spin_lock_bh(&b->rl_lock);
	if (s->family != family || memcmp(s->addr, addr, sizeof(addr))) {
		memcpy(s->addr, addr, sizeof(addr));
		s->family = family;
		s->tokens_ns = max;
	} else {
		s->tokens_ns = min(max, s->tokens_ns + (now - s->last_ns));
	}
	s->last_ns = now;
	ok = s->tokens_ns >= cost;
	if (ok)
		s->tokens_ns -= cost;
	spin_unlock_bh(&b->rl_lock);
	return ok;
}

/*
 * A datagram on the beacon port, in softirq (under RCU).  The frame is
 * parsed and its MAC verified here, before anything is queued; only then
 * do the per-source rate limit and the queue bound apply.
 *
 * Why verify here and not in rx_work.  Anyone on the LAN can send beacons
 * from any source address, IP and MAC alike, so before the MAC nothing
 * about a frame is a sound key for a limiter or for a fair share of the
 * queue: a per-source limiter lets a spoofer exhaust the bucket of a real
 * node's address (silencing that node for the price of a few frames a
 * second), and a spoofer rotating addresses fills any queue of unverified
 * frames, whatever the buckets or the drop policy (drop-oldest only
 * shortens how long a real frame survives, drop-newest turns it away).
 * The MAC is the one thing a spoofer cannot produce, and checking it is
 * cheap next to what the frame already cost: one keyed BLAKE2s over 48
 * bytes (two compressions, well under a microsecond) on top of the UDP
 * receive path the datagram went through anyway.  So a flood without the
 * beacon key costs each datagram that and is counted bad_mac; it never
 * reaches the queue, the limiter or RTNL, and cannot displace a real
 * frame.  What remains for a flood is the CPU of the softirq itself, as
 * for any UDP flood.  The frame is checked again in rx_work under
 * conf_lock (the key may have changed meanwhile): only frames that
 * verified pay twice.
 */
static int kn_beacon_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct kn_device *kn = rcu_dereference_sk_user_data(sk);
	const struct kn_beacon_rxkey *key;
	struct kn_beacon_info info;
	u8 f[KN_BEACON_LEN];
	struct kn_beacon *b;
	char b64[45];

	if (unlikely(!kn))
		goto free;
	b = &kn->beacon;
	if (skb->len != sizeof(struct udphdr) + KN_BEACON_LEN ||
	    skb_copy_bits(skb, sizeof(struct udphdr), f, sizeof(f)) ||
	    kn_beacon_frame_parse(f, sizeof(f), &info)) {
		kn_beacon_count(b, KEYNET_BEACON_STAT_MALFORMED);
		goto free;
	}
	key = rcu_dereference(b->rxkey);
	if (!key) {
		kn_beacon_count(b, KEYNET_BEACON_STAT_NO_KEY);
		if (net_ratelimit()) {
			kn_beacon_key_b64(info.public_key, b64);
			netdev_info(kn->dev, "beacon from %s seen, no beacon key set\n",
				    b64);
		}
		goto free;
	}
	if (!kn_beacon_frame_mac_ok(f, key->mac_key)) {
		kn_beacon_count(b, KEYNET_BEACON_STAT_BAD_MAC);
		goto free;
	}
	kn_endpoint_from_skb(&KN_CB(skb)->src, skb);
	if (!kn_beacon_rl_allow(b, &KN_CB(skb)->src) ||
	    skb_queue_len(&b->rx_queue) >= KN_BEACON_QUEUE_MAX) {
		kn_beacon_count(b, KEYNET_BEACON_STAT_RATE_LIMITED);
		goto free;
	}
	__skb_pull(skb, sizeof(struct udphdr));
	skb_queue_tail(&b->rx_queue, skb);
	queue_delayed_work(system_wq, &b->rx_work, 0);
	return 0;
free:
	kfree_skb(skb);
	return 0;
}

/* ---- Sockets (conf_lock) ---------------------------------------------- */

static int kn_beacon_sock(struct kn_device *kn, int family, u16 port,
			  struct socket **out)
{
	struct udp_port_cfg cfg = {
		.family = family,
		.local_udp_port = htons(port),
		.ipv6_v6only = 1,
	};
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = kn,
		.encap_type = 1,
		.encap_rcv = kn_beacon_encap_rcv,
	};
	struct socket *sock;
	int ret;

	ret = udp_sock_create(kn->creating_net, &cfg, &sock);
	if (ret)
		return ret;
	/* Announces go to 255.255.255.255. */
	sock_set_flag(sock->sk, SOCK_BROADCAST);
	kn_compat_setup_udp_tunnel_sock(kn->creating_net, sock, &tcfg);
	*out = sock;
	return 0;
}

static void kn_beacon_release(struct socket *s4, struct socket *s6)
{
	if (s4)
		kn_compat_udp_tunnel_sock_release(s4);
	if (s6)
		kn_compat_udp_tunnel_sock_release(s6);
}

/* Bind both families to @port in the underlay namespace. */
static int kn_beacon_open(struct kn_device *kn, u16 port, struct socket **s4,
			  struct socket **s6)
{
	int ret;

	*s4 = NULL;
	*s6 = NULL;
	if (!kn->creating_net)
		return -ENETDOWN;
	ret = kn_beacon_sock(kn, AF_INET, port, s4);
	if (ret)
		return ret;
	if (ipv6_mod_enabled()) {
		ret = kn_beacon_sock(kn, AF_INET6, port, s6);
		if (ret == -EAFNOSUPPORT || ret == -EPFNOSUPPORT)
			ret = 0;
		if (ret) {
			kn_compat_udp_tunnel_sock_release(*s4);
			*s4 = NULL;
		}
	}
	return ret;
}

/*
 * Close the sockets.  Afterwards no datagram reaches rx_queue: the grace
 * period covers an encap_rcv that found the device before the release.
 */
static void kn_beacon_close(struct kn_device *kn)
{
	struct kn_beacon *b = &kn->beacon;

	lockdep_assert_held(&kn->conf_lock);
	if (!b->sock4 && !b->sock6)
		return;
	kn_beacon_release(b->sock4, b->sock6);
	b->sock4 = NULL;
	b->sock6 = NULL;
	synchronize_net();
	skb_queue_purge(&b->rx_queue);
}

/* ---- Sending (process context, conf_lock) ----------------------------- */

/* A fresh frame of @type about us, with a stamp above every earlier one. */
static void kn_beacon_make(struct kn_device *kn, u8 type,
			   u8 out[KN_BEACON_LEN])
{
	struct kn_beacon *b = &kn->beacon;
	struct kn_beacon_info info = { .type = type };

	lockdep_assert_held(&kn->conf_lock);
	b->last_stamp = max(ktime_get_real_ns(), b->last_stamp + 1);
	info.stamp = b->last_stamp;
	info.port = kn->bound_port ?: kn->listen_port;
	memcpy(info.public_key, kn->public_key, KEYNET_KEY_LEN);
	kn_beacon_frame_encode(out, b->keys.mac_key, &info);
}

/*
 * Send a frame of @type to @sa out of interface @ifindex (IP_PKTINFO /
 * IPV6_PKTINFO, so neither a broadcast nor a reply takes another way).
 */
static int kn_beacon_send(struct kn_device *kn, struct socket *sock,
			  const struct sockaddr *sa, int salen, int ifindex,
			  u8 type)
{
	struct msghdr msg = {
		.msg_name = (void *)sa,
		.msg_namelen = salen,
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL,
	};
	union {
		struct cmsghdr hdr;
		u8 buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;
	struct cmsghdr *cm = &ctl.hdr;
	u8 frame[KN_BEACON_LEN];
	struct kvec iov = { .iov_base = frame, .iov_len = sizeof(frame) };
	int ret;

	memset(&ctl, 0, sizeof(ctl));
	if (sa->sa_family == AF_INET) {
		struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(cm);

		cm->cmsg_level = SOL_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi->ipi_ifindex = ifindex;
		msg.msg_controllen = CMSG_SPACE(sizeof(*pi));
	} else {
		struct in6_pktinfo *pi = (struct in6_pktinfo *)CMSG_DATA(cm);

		cm->cmsg_level = SOL_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi->ipi6_ifindex = ifindex;
		msg.msg_controllen = CMSG_SPACE(sizeof(*pi));
	}
	msg.msg_control = &ctl;
	WRITE_ONCE(sock->sk->sk_mark, READ_ONCE(kn->fwmark));
	kn_beacon_make(kn, type, frame);
	ret = kernel_sendmsg(sock, &msg, &iov, 1, sizeof(frame));
	if (ret == sizeof(frame)) {
		kn_beacon_count(&kn->beacon, KEYNET_BEACON_STAT_SENT);
		return 0;
	}
	return ret < 0 ? ret : -EIO;
}

/* Whether @ifindex is up and has an IPv4 address to broadcast from. */
static bool kn_beacon_dev_v4(struct net *net, int ifindex)
{
	struct net_device *dev;
	bool ok;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	ok = dev && (dev->flags & IFF_UP) &&
	     inet_select_addr(dev, 0, RT_SCOPE_LINK);
	rcu_read_unlock();
	return ok;
}

/*
 * An announce on every beacon interface, both families.  Failures (an
 * interface gone or down, IPv6 link-local address still tentative) are
 * not counted: the next round tries again.
 */
static void kn_beacon_announce(struct kn_device *kn)
{
	struct kn_beacon *b = &kn->beacon;
	const struct kn_beacon_devs *devs;
	u32 i;

	lockdep_assert_held(&kn->conf_lock);
	devs = rcu_dereference_protected(b->devs,
					 lockdep_is_held(&kn->conf_lock));
	if (!devs || !b->has_key || !kn->has_key)
		return;
	for (i = 0; i < devs->n; i++) {
		int ifindex = devs->ifindex[i];

		if (b->sock4 && kn_beacon_dev_v4(sock_net(b->sock4->sk), ifindex)) {
			struct sockaddr_in sin = {
				.sin_family = AF_INET,
				.sin_port = htons(b->port),
				.sin_addr.s_addr = htonl(INADDR_BROADCAST),
			};

			kn_beacon_send(kn, b->sock4, (struct sockaddr *)&sin,
				       sizeof(sin), ifindex, KN_BEACON_ANNOUNCE);
		}
		if (b->sock6) {
			struct sockaddr_in6 sin6 = {
				.sin6_family = AF_INET6,
				.sin6_port = htons(b->port),
				.sin6_addr = kn_all_nodes,
				.sin6_scope_id = ifindex,
			};

			kn_beacon_send(kn, b->sock6, (struct sockaddr *)&sin6,
				       sizeof(sin6), ifindex, KN_BEACON_ANNOUNCE);
		}
	}
}

/* Answer @peer's announce: unicast, back to where it came from. */
static void kn_beacon_reply(struct kn_device *kn, struct kn_peer *peer,
			    const struct kn_endpoint *src)
{
	struct kn_beacon *b = &kn->beacon;
	bool v4 = src->addr.sa_family == AF_INET;
	struct socket *sock = v4 ? b->sock4 : b->sock6;

	if (!sock || !kn->has_key)
		return;
	if (!kn_beacon_send(kn, sock, &src->addr, v4 ? sizeof(src->addr4) :
			    sizeof(src->addr6), src->ifindex, KN_BEACON_REPLY))
		peer->beacon_replied_ns = ktime_get_boottime_ns();
}

/* ---- Auto-peers (RTNL and conf_lock) ---------------------------------- */

static u32 kn_beacon_auto_count(struct kn_device *kn)
{
	struct kn_peer *peer;
	u32 n = 0;

	list_for_each_entry(peer, &kn->peers, list)
		n += peer->beacon_auto;
	return n;
}

/*
 * Remove the auto-peers silent for KN_BEACON_EXPIRY_NS (no fresh beacon,
 * no completed handshake), or all of them (@all: the mode went off or
 * the beacon key changed).  Each goes with an AUTO_PEER_EXPIRED event.
 * They are removed in one batch (kn_peer_remove_list()): one grace period
 * for all of them, not one each, since this runs under RTNL and a LAN
 * that lost many nodes at once would otherwise hold it for a grace period
 * per node.
 */
static void kn_beacon_expire(struct kn_device *kn, bool all)
{
	u64 now = ktime_get_boottime_ns(), limit = kn_time(KN_BEACON_EXPIRY_NS);
	struct kn_peer *peer, *tmp;
	LIST_HEAD(dead);

	ASSERT_RTNL();
	lockdep_assert_held(&kn->conf_lock);
	list_for_each_entry_safe(peer, tmp, &kn->peers, list) {
		u64 last = max(peer->beacon_seen_ns, READ_ONCE(peer->last_hs_ns));

		if (!peer->beacon_auto || (!all && now - last <= limit))
			continue;
		if (!all)
			kn_beacon_count(&kn->beacon,
					KEYNET_BEACON_STAT_PEERS_EXPIRED);
		kn_event_peer(kn, KEYNET_EVENT_AUTO_PEER_EXPIRED, peer);
		kn_peer_unlink_to(peer, &dead);
	}
	kn_peer_remove_list(kn, &dead);
}

/*
 * An auto-peer's endpoint: the beacon's source address (with its scope
 * for IPv6 link-local) and the port the frame announces.  False for a
 * source no reply could reach.
 */
static bool kn_beacon_endpoint(struct kn_endpoint *ep,
			       const struct kn_endpoint *src, u16 port)
{
	*ep = *src;
	if (ep->addr.sa_family == AF_INET) {
		__be32 a = ep->addr4.sin_addr.s_addr;

		if (ipv4_is_zeronet(a) || ipv4_is_multicast(a) ||
		    ipv4_is_lbcast(a))
			return false;
		ep->addr4.sin_port = htons(port);
		ep->src4 = 0;
	} else {
		int type = ipv6_addr_type(&ep->addr6.sin6_addr);

		if (type == IPV6_ADDR_ANY || (type & IPV6_ADDR_MULTICAST))
			return false;
		ep->addr6.sin6_port = htons(port);
		ep->src6 = in6addr_any;
	}
	return true;
}

/* ---- Last stamps (conf_lock) ------------------------------------------ */

static u32 kn_beacon_stamp_hash(struct kn_beacon *b, const u8 *key)
{
	return (u32)siphash(key, KN_BEACON_KEY_LEN, &b->rl_key);
}

static struct kn_beacon_stamp *kn_beacon_stamp_find(struct kn_device *kn,
						    const u8 *key)
{
	struct kn_beacon *b = &kn->beacon;
	struct kn_beacon_stamp *st;

	lockdep_assert_held(&kn->conf_lock);
	hash_for_each_possible(b->stamps, st, hnode, kn_beacon_stamp_hash(b, key))
		if (!memcmp(st->key, key, KN_BEACON_KEY_LEN))
			return st;
	return NULL;
}

/*
 * Remember @stamp as @key's last (@st: its entry, NULL when it has none).
 * A new key takes a new entry or, with KN_BEACON_STAMPS_MAX of them, the
 * entry of the key seen least recently.  Out of memory it is not
 * remembered: the stamp window still bounds a replay of its frames.
 */
static void kn_beacon_stamp_note(struct kn_device *kn,
				 struct kn_beacon_stamp *st, const u8 *key,
				 u64 stamp)
{
	struct kn_beacon *b = &kn->beacon;

	lockdep_assert_held(&kn->conf_lock);
	if (!st) {
		if (b->n_stamps >= KN_BEACON_STAMPS_MAX) {
			st = list_first_entry(&b->stamp_lru,
					      struct kn_beacon_stamp, lru);
			hash_del(&st->hnode);
		} else {
			st = kmalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
			if (!st)
				return;
			list_add_tail(&st->lru, &b->stamp_lru);
			b->n_stamps++;
		}
		memcpy(st->key, key, KN_BEACON_KEY_LEN);
		hash_add(b->stamps, &st->hnode, kn_beacon_stamp_hash(b, key));
	}
	list_move_tail(&st->lru, &b->stamp_lru);
	st->stamp = stamp;
}

static void kn_beacon_stamps_free(struct kn_beacon *b)
{
	struct kn_beacon_stamp *st, *tmp;

	list_for_each_entry_safe(st, tmp, &b->stamp_lru, lru)
		kfree(st);
	INIT_LIST_HEAD(&b->stamp_lru);
	hash_init(b->stamps);
	b->n_stamps = 0;
}

/*
 * Whether a verified frame's stamp is fresh (beacon_frame.h): within the
 * stamp window of our wall clock, and above the last one remembered for
 * its key (in the table, or on its auto-peer if the table forgot it).
 * A fresh stamp becomes the key's last.  The window is a clock
 * tolerance: unlike the timers it is not scaled by debug_timer_div.
 */
static bool kn_beacon_stamp_fresh(struct kn_device *kn,
				  const struct kn_beacon_info *info,
				  const struct kn_peer *peer)
{
	struct kn_beacon *b = &kn->beacon;
	struct kn_beacon_stamp *st = kn_beacon_stamp_find(kn, info->public_key);
	const u64 *last = st ? &st->stamp : NULL;

	if (!last && peer && peer->beacon_auto)
		last = &peer->beacon_stamp;
	switch (kn_beacon_stamp_check(info->stamp, ktime_get_real_ns(),
				      (u64)b->stamp_window * NSEC_PER_SEC, last)) {
	case KN_BEACON_STAMP_STALE:
		kn_beacon_count(b, KEYNET_BEACON_STAT_STALE);
		return false;
	case KN_BEACON_STAMP_REPLAYED:
		kn_beacon_count(b, KEYNET_BEACON_STAT_REPLAYED);
		return false;
	case KN_BEACON_STAMP_OK:
		break;
	}
	kn_beacon_stamp_note(kn, st, info->public_key, info->stamp);
	return true;
}

/* A verified frame from another holder of the beacon key. */
static void kn_beacon_from(struct kn_device *kn,
			   const struct kn_beacon_info *info,
			   const struct kn_endpoint *src)
{
	struct kn_beacon *b = &kn->beacon;
	u64 now = ktime_get_boottime_ns();
	struct kn_endpoint ep;
	struct kn_peer *peer;

	ASSERT_RTNL();
	lockdep_assert_held(&kn->conf_lock);
	if (!kn_beacon_endpoint(&ep, src, info->port))
		return;
	peer = kn_peer_lookup(kn, info->public_key);
	if (!kn_beacon_stamp_fresh(kn, info, peer))
		return;
	if (peer && !peer->beacon_auto)
		return;		/* the operator's peer: never touched */
	if (!peer) {
		if (kn_beacon_auto_count(kn) >= b->max_peers) {
			kn_beacon_count(b, KEYNET_BEACON_STAT_OVER_CAP);
			return;
		}
		peer = kn_peer_create(kn, info->public_key, b->keys.psk, NULL);
		if (IS_ERR(peer))
			return;	/* a low-order key: counted as such */
		peer->beacon_auto = true;
		peer->beacon_seen_ns = now;
		peer->beacon_stamp = info->stamp;
		kn_peer_set_endpoint(peer, &ep);
		kn_beacon_count(b, KEYNET_BEACON_STAT_PEERS_ADDED);
		kn_event_peer(kn, KEYNET_EVENT_AUTO_PEER_ADDED, peer);
	} else {
		peer->beacon_stamp = info->stamp;
		peer->beacon_seen_ns = now;
		/* While a session works, roaming owns the endpoint. */
		if (kn_peer_alive(peer, now)) {
			if (info->type == KN_BEACON_ANNOUNCE &&
			    b->mode == KEYNET_BEACON_ACCEPT &&
			    now - peer->beacon_replied_ns >=
			    kn_time(KN_BEACON_REFRESH_NS))
				kn_beacon_reply(kn, peer, src);
			return;
		}
		kn_peer_set_endpoint(peer, &ep);
	}
	/* No working session with this node: make one. */
	if (info->type == KN_BEACON_REPLY)
		kn_peer_initiate(peer, false);
	else
		kn_beacon_reply(kn, peer, src);
}

static bool kn_beacon_dev_listed(struct kn_device *kn, int ifindex)
{
	const struct kn_beacon_devs *devs;
	u32 i;

	devs = rcu_dereference_protected(kn->beacon.devs,
					 lockdep_is_held(&kn->conf_lock));
	if (!devs)
		return true;	/* none listed: every interface */
	for (i = 0; i < devs->n; i++)
		if (devs->ifindex[i] == ifindex)
			return true;
	return false;
}

static void kn_beacon_rx(struct kn_device *kn, struct sk_buff *skb)
{
	struct kn_beacon *b = &kn->beacon;
	const struct kn_endpoint *src = &KN_CB(skb)->src;
	struct kn_beacon_info info;
	u8 f[KN_BEACON_LEN];

	if (!kn_beacon_dev_listed(kn, src->ifindex))
		return;
	/*
	 * It verified in encap_rcv; the key may have been removed or changed
	 * since (a frame under the old key is then bad_mac after all).
	 */
	if (skb_copy_bits(skb, 0, f, sizeof(f)) ||
	    kn_beacon_frame_parse(f, sizeof(f), &info) || !b->has_key)
		return;
	if (!kn_beacon_frame_mac_ok(f, b->keys.mac_key)) {
		kn_beacon_count(b, KEYNET_BEACON_STAT_BAD_MAC);
		return;
	}
	if (kn->has_key && !memcmp(info.public_key, kn->public_key,
				   KEYNET_KEY_LEN))
		return;		/* our own announce, looped back */
	kn_beacon_count(b, KEYNET_BEACON_STAT_RECEIVED);
	kn_beacon_from(kn, &info, src);
}

/* ---- Works ------------------------------------------------------------- */

static void kn_beacon_rx_worker(struct work_struct *work)
{
	struct kn_beacon *b = container_of(to_delayed_work(work),
					   struct kn_beacon, rx_work);
	struct kn_device *kn = kn_beacon_dev(b);
	struct sk_buff *skb;
	int n;

	/* ndo_stop and ndo_uninit hold RTNL while they cancel us. */
	if (!rtnl_trylock()) {
		queue_delayed_work(system_wq, &b->rx_work, 1);
		return;
	}
	mutex_lock(&kn->conf_lock);
	for (n = 0; n < KN_BEACON_BATCH; n++) {
		skb = skb_dequeue(&b->rx_queue);
		if (!skb)
			break;
		if (kn_beacon_active(kn))
			kn_beacon_rx(kn, skb);
		consume_skb(skb);
	}
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
	if (!skb_queue_empty(&b->rx_queue))
		queue_delayed_work(system_wq, &b->rx_work, 0);
}

static void kn_beacon_tick(struct work_struct *work)
{
	struct kn_beacon *b = container_of(to_delayed_work(work),
					   struct kn_beacon, tick);
	struct kn_device *kn = kn_beacon_dev(b);
	unsigned long next;

	if (!rtnl_trylock()) {
		queue_delayed_work(system_power_efficient_wq, &b->tick, 1);
		return;
	}
	mutex_lock(&kn->conf_lock);
	if (kn_beacon_active(kn)) {
		if (b->mode == KEYNET_BEACON_SEND)
			kn_beacon_announce(kn);
		kn_beacon_expire(kn, false);
		next = kn_beacon_jiffies(KN_BEACON_INTERVAL_MS - KN_BEACON_JITTER_MS +
					 get_random_u32_below(2 * KN_BEACON_JITTER_MS));
		queue_delayed_work(system_power_efficient_wq, &b->tick, next);
	}
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
}

/* ---- Lifetime ---------------------------------------------------------- */

/* ndo_init. */
int kn_beacon_init(struct kn_device *kn)
{
	struct kn_beacon *b = &kn->beacon;

	b->mode = KEYNET_BEACON_OFF;
	b->port = KEYNET_BEACON_DEFAULT_PORT;
	b->max_peers = KEYNET_BEACON_DEFAULT_MAX_PEERS;
	b->stamp_window = KEYNET_BEACON_DEFAULT_STAMP_WINDOW;
	hash_init(b->stamps);
	INIT_LIST_HEAD(&b->stamp_lru);
	INIT_DELAYED_WORK(&b->tick, kn_beacon_tick);
	INIT_DELAYED_WORK(&b->rx_work, kn_beacon_rx_worker);
	skb_queue_head_init(&b->rx_queue);
	spin_lock_init(&b->rl_lock);
	get_random_bytes(&b->rl_key, sizeof(b->rl_key));
	b->rl = kcalloc(KN_BEACON_RL_SLOTS, sizeof(*b->rl), GFP_KERNEL_ACCOUNT);
	return b->rl ? 0 : -ENOMEM;
}

/*
 * ndo_open, with RTNL and conf_lock held, once the underlay is bound.  A
 * beacon port that cannot be bound does not keep the device down: it
 * runs without beacons (logged) until the next beacon change.
 */
void kn_beacon_start(struct kn_device *kn)
{
	struct kn_beacon *b = &kn->beacon;
	int ret;

	ASSERT_RTNL();
	lockdep_assert_held(&kn->conf_lock);
	b->up = true;
	if (b->mode == KEYNET_BEACON_OFF)
		return;
	ret = kn_beacon_open(kn, b->port, &b->sock4, &b->sock6);
	if (ret)
		netdev_warn(kn->dev, "cannot bind beacon port %u (%d): no beacons\n",
			    b->port, ret);
	kn_beacon_kick(kn, kn_beacon_jiffies(get_random_u32_below(KN_BEACON_FIRST_MS)));
}

/*
 * ndo_stop and ndo_uninit, with RTNL held and conf_lock not: after this
 * no socket, work or queued frame is left.  Auto-peers stay (a device
 * that comes back up expires the silent ones on its first tick).
 */
void kn_beacon_stop(struct kn_device *kn)
{
	struct kn_beacon *b = &kn->beacon;

	ASSERT_RTNL();
	mutex_lock(&kn->conf_lock);
	b->up = false;
	kn_beacon_close(kn);
	mutex_unlock(&kn->conf_lock);
	cancel_delayed_work_sync(&b->tick);
	cancel_delayed_work_sync(&b->rx_work);
	skb_queue_purge(&b->rx_queue);
}

/* ndo_uninit (RTNL held): what kn_beacon_init() and the config made. */
void kn_beacon_uninit(struct kn_device *kn)
{
	struct kn_beacon *b = &kn->beacon;
	struct kn_beacon_devs *devs;

	kn_beacon_stop(kn);
	devs = rcu_replace_pointer(b->devs, NULL, true);
	if (devs)
		kfree_rcu(devs, rcu);
	memzero_explicit(&b->keys, sizeof(b->keys));
	b->has_key = false;
	kn_beacon_rxkey_free(rcu_replace_pointer(b->rxkey, NULL, true));
	kn_beacon_stamps_free(b);
	kfree(b->rl);
	b->rl = NULL;
}

/* The underlay namespace is going away (RTNL and conf_lock held). */
void kn_beacon_net_exit(struct kn_device *kn)
{
	kn_beacon_close(kn);
}

/* ---- Configuration ----------------------------------------------------- */

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
		kn_beacon_kick(kn, kn_beacon_jiffies(get_random_u32_below(KN_BEACON_FIRST_MS)));
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
