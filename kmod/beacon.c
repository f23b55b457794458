// SPDX-License-Identifier: GPL-2.0
/*
 * LAN beacons: auto-peering with the holders of a shared beacon key on
 * the same link.  Contexts and locks are described in beacon.h, the
 * frame in beacon_frame.h, the behaviour in docs/beacons.md; the
 * LINK_SET/LINK_GET attributes are nl_beacon.c's.
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

#include "device.h"
#include "peer.h"
#include "socket.h"
#include "send.h"
#include "timers.h"
#include "events.h"
#include "netlink.h"
#include "beacon.h"
#include "bucket.h"

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
	u64 credit_ns;		/* the bucket (kn_bucket_take()) */
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
bool kn_beacon_active(struct kn_device *kn)
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

/* The first announce after a start or a change: within a moment. */
void kn_beacon_kick_soon(struct kn_device *kn)
{
	kn_beacon_kick(kn, kn_beacon_jiffies(get_random_u32_below(KN_BEACON_FIRST_MS)));
}

static void kn_beacon_rxkey_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct kn_beacon_rxkey, rcu));
}

/* After a grace period: encap_rcv may still be reading it. */
void kn_beacon_rxkey_free(struct kn_beacon_rxkey *k)
{
	if (k)
		call_rcu(&k->rcu, kn_beacon_rxkey_free_rcu);
}

/* ---- Receive (softirq) ------------------------------------------------ */

/*
 * Per-source token bucket (kn_bucket_take()); a new source takes its slot
 * with a full bucket.
 */
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
		s->credit_ns = max;
		s->last_ns = now;
	}
	ok = kn_bucket_take(&s->credit_ns, &s->last_ns, now, cost, max);
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
	int ret;

	ret = kn_udp_sock_create(kn->creating_net, family, port, NULL, 0, kn,
				 kn_beacon_encap_rcv, out);
	if (ret)
		return ret;
	/* Announces go to 255.255.255.255. */
	sock_set_flag((*out)->sk, SOCK_BROADCAST);
	return 0;
}

void kn_beacon_release(struct socket *s4, struct socket *s6)
{
	kn_udp_sock_release(s4);
	kn_udp_sock_release(s6);
}

/* Bind both families to @port in the underlay namespace. */
int kn_beacon_open(struct kn_device *kn, u16 port, struct socket **s4,
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
			kn_udp_sock_release(*s4);
			*s4 = NULL;
		}
	}
	return ret;
}

/*
 * Close the sockets.  Afterwards no datagram reaches rx_queue: the grace
 * period covers an encap_rcv that found the device before the release.
 */
void kn_beacon_close(struct kn_device *kn)
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
void kn_beacon_expire(struct kn_device *kn, bool all)
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
	kn_beacon_kick_soon(kn);
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
