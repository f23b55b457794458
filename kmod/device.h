/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_DEVICE_H
#define _KN_DEVICE_H

#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/hashtable.h>
#include <linux/workqueue.h>
#include <linux/skbuff.h>
#include <uapi/linux/keynet.h>

#include "noise.h"
#include "cookie.h"
#include "keypair.h"
#include "lpm.h"
#include "ratelimit.h"
#include "stats.h"
#include "beacon.h"

#define KN_PEER_HASH_BITS	11
/* Handshake messages waiting for the handshake worker. */
#define KN_HS_QUEUE_MAX		4096
/* From this many waiting handshakes on, the device is "under load". */
#define KN_HS_QUEUE_LOAD	(KN_HS_QUEUE_MAX / 8)
/*
 * Packets one device may hold in all its peers' transmit queues, and
 * again in their receive queues (waiting for decryption, then for NAPI):
 * 16 busy peers' worth of the per-peer bound, about 40 MB of full-sized
 * packets each way.
 */
#define KN_DEV_QUEUE_MAX	16384

/**
 * struct kn_device - private state of one keynet net_device
 * @dev: the net_device this is embedded in (netdev_priv)
 * @creating_net: the namespace the device was created in; its underlay
 *	sockets live there even when the device moves to another namespace.
 *	Not refcounted: kn_net_pre_exit() closes the sockets and clears it
 *	(under RTNL and @conf_lock) before that namespace is freed.
 * @conf_lock: serialises every configuration change of this device.  Lock
 *	order: RTNL, then @conf_lock, then @static_lock, then a peer's
 *	hs_lock.  The data path never takes it.
 * @list: entry in the global device list, protected by RTNL.
 * @static_lock: protects @local, @cookie_checker, @has_key and
 *	@public_key against the handshake worker (reader); writers also hold
 *	@conf_lock.  The cookie checker's secret is refreshed by the single
 *	handshake worker under the read lock: it is its only writer.
 * @local: our static identity for the Noise handshake.
 * @cookie_checker: mac1/cookie keys for our public key, cookie secret.
 * @has_key: a private key is set.
 * @public_key: the device's Curve25519 public key.
 * @address: the device's key-derived IPv6 address (valid with @has_key).
 * @addr_prefix: the addressing prefix (default fc00::/8), @addr_plen its
 *	length (8-64); changed under @conf_lock.
 * @link_flags: &enum keynet_link_flags (@conf_lock; read locklessly).
 * @mesh_multicast: keynet set IFF_MULTICAST on the device when mesh mode
 *	went on, so it clears it again when mesh mode goes off (RTNL).
 * @listen_port: configured UDP port, host order (0: random).
 * @bound_port: the port the sockets are bound to, 0 when closed.
 * @listen_addr: local address to bind to, @listen_addr_len 0, 4 or 16.
 * @fwmark: mark of the underlay packets.
 * @sock4: IPv4 underlay socket (RCU; changed under @conf_lock).
 * @sock6: IPv6 underlay socket (RCU; changed under @conf_lock).
 * @peers: every peer, in creation order (@conf_lock).
 * @peer_hash: peers by public key; written under @conf_lock, read with RCU.
 * @num_peers: number of peers (@conf_lock).
 * @peer_gen: changes whenever the set of peers or routes changes, for
 *	NLM_F_DUMP_INTR (@conf_lock).
 * @index_table: local indices of handshakes and sessions.
 * @routes4: IPv4 crypto-key routes (updates under @conf_lock, RCU reads).
 * @routes6: IPv6 crypto-key routes (updates under @conf_lock, RCU reads).
 * @rx_napi: the NAPI contexts that hand decrypted packets to GRO, each
 *	serving a fixed share of the peers (receive.c); @n_rx_napi of them,
 *	set up in ndo_init and torn down in ndo_uninit after the peers.
 * @rx_napi_next: the context the next new peer gets (@conf_lock).
 * @wq: this device's workqueue (handshakes and the peers' serial works:
 *	tx_work, rx_work, hs_work).
 * @crypt: the crypt workers, one per possible CPU (crypt.c): rings of
 *	data packets to seal or open in parallel; set up in ndo_init, torn
 *	down in ndo_uninit after the peers (whose packets they carry); they
 *	run on the module's one crypt workqueue.
 * @hs_queue: handshake messages received, waiting for @hs_work.
 * @hs_work: processes @hs_queue; there is exactly one, so handshake
 *	processing of one device is serial.
 * @last_under_load_ns: when @hs_queue was last found long (hs_work only).
 * @ratelimit: per-source-address handshake rate limiter.
 * @drops: drop counters by reason.
 * @tx_queued: packets in all peers' tx_queue and tx_order (a packet to
 *	send counts once, from kn_xmit() until it is sent or dropped),
 *	@rx_queued in all peers' rx_queue and rx_done (a received packet
 *	counts once, from kn_udp_encap_rcv() until NAPI takes it or it is
 *	dropped): each at most %KN_DEV_QUEUE_MAX, on top of the per-peer
 *	bounds, so many busy peers cannot queue peers x 1,024 (or,
 *	received, x 2,048) packets.  Packets enter those queues only
 *	through kn_queue_add() and leave them through kn_queue_take() and
 *	kn_queue_purge(), which keep the counts true; the exceptions are
 *	the serial works' moves, which keep the count and give it back
 *	themselves for what they send, consume or drop: tx_work's from
 *	tx_queue to tx_order (kn_tx_worker()), rx_work's from rx_queue to
 *	rx_done (kn_rx_worker()); and kn_crypt_purge(), which empties the
 *	ordered lists at teardown.
 * @local_set: the local-source filter, NULL when off (RCU, @conf_lock).
 * @beacon: LAN beacons: configuration, sockets, works (beacon.h).
 * @live_work: the liveness worker of the events group (events.c): finds
 *	peers that became alive or lost and reports them; takes @conf_lock.
 * @nat64: the translator's configuration and state, NULL when NAT64 is
 *	off (see nat64.c; RCU, replaced under @conf_lock).
 */
struct kn_nat64_dev;
struct kn_rx_napi;
struct kn_crypt_cpu;

/*
 * Queue @skb on a peer's @q unless @q holds @peer_max packets or all the
 * device's queues of that direction (@queued) are full; false: the caller
 * drops it.
 */
static inline bool kn_queue_add(struct sk_buff_head *q, unsigned int peer_max,
				atomic_t *queued, struct sk_buff *skb)
{
	if (skb_queue_len(q) >= peer_max)
		return false;
	if (atomic_inc_return(queued) > KN_DEV_QUEUE_MAX) {
		atomic_dec(queued);
		return false;
	}
	skb_queue_tail(q, skb);
	return true;
}

static inline struct sk_buff *kn_queue_take(struct sk_buff_head *q,
					    atomic_t *queued)
{
	struct sk_buff *skb = skb_dequeue(q);

	if (skb)
		atomic_dec(queued);
	return skb;
}

/* Free what waits in @q, uncounted (its device or peer goes away). */
static inline void kn_queue_purge(struct sk_buff_head *q, atomic_t *queued)
{
	struct sk_buff *skb;

	while ((skb = kn_queue_take(q, queued)))
		kfree_skb(skb);
}

/* Longest list of local prefixes a device accepts. */
#define KN_LOCAL_PREFIXES_MAX	64

/*
 * The local-source filter: when set, only packets whose source lies in
 * one of these prefixes enter the tunnel.  Immutable once published; a
 * change replaces the whole set (RCU), so it is all or nothing.
 */
struct kn_local_set {
	struct rcu_head rcu;
	u32 n;
	struct {
		u8 addr[16];
		u8 len;
		u8 alen;	/* 4 or 16 */
	} e[];
};

struct kn_device {
	struct net_device *dev;
	struct net *creating_net;
	struct mutex conf_lock;	/* see above */
	struct list_head list;

	struct rw_semaphore static_lock;
	struct kn_noise_local local;
	struct kn_cookie_checker cookie_checker;
	bool has_key;
	u8 public_key[KEYNET_KEY_LEN];
	u8 address[16];
	u8 addr_prefix[16];
	u8 addr_plen;
	u32 link_flags;
	bool mesh_multicast;

	u16 listen_port;
	u16 bound_port;
	u8 listen_addr[16];
	u8 listen_addr_len;
	u32 fwmark;
	struct sock __rcu *sock4;
	struct sock __rcu *sock6;

	struct list_head peers;
	DECLARE_HASHTABLE(peer_hash, KN_PEER_HASH_BITS);
	u32 num_peers;
	u32 peer_gen;

	struct kn_index_table index_table;
	struct kn_lpm_table routes4;
	struct kn_lpm_table routes6;
	struct kn_rx_napi *rx_napi;
	unsigned int n_rx_napi;
	unsigned int rx_napi_next;

	struct workqueue_struct *wq;
	struct kn_crypt_cpu __percpu *crypt;
	struct sk_buff_head hs_queue;
	struct work_struct hs_work;
	u64 last_under_load_ns;
	struct kn_ratelimit ratelimit;
	struct kn_drop_stats __percpu *drops;
	atomic_t tx_queued;
	atomic_t rx_queued;
	struct kn_nat64_dev __rcu *nat64;
	struct kn_local_set __rcu *local_set;
	struct delayed_work live_work;
	struct kn_beacon beacon;
};

int kn_device_init(void);
void kn_device_uninit(void);
void kn_device_kick_all(void);

bool kn_is_keynet_dev(const struct net_device *dev);
bool kn_local_allowed(const struct kn_local_set *set, const u8 *addr,
		      unsigned int alen);

static inline void kn_drop(struct kn_device *kn, enum keynet_drop reason)
{
	kn_drop_count(kn->drops, reason);
}

#endif /* _KN_DEVICE_H */
