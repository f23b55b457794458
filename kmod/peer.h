/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peers: the remote ends of the tunnel, each named by its public key.
 *
 * Lifetime.  A peer is created and destroyed under its device's conf_lock.
 * It is reachable from kn->peers and kn->peer_hash (RCU), from the route
 * tables (RCU) and from index entries (RCU).  The data path finds it under
 * rcu_read_lock() and takes a reference with kn_peer_get_maybe_zero() when
 * it must keep it beyond that section.  kn_peer_remove() unlinks it from
 * everything, waits for a grace period, stops its timers and works, and
 * drops the list's reference; the memory is freed after another grace
 * period once the last reference is gone, and with it the underlay route
 * cache, whose only user, tx_work, is gone since step 5c.  While a peer
 * has decrypted packets waiting for its device's NAPI context it is on
 * that context's list, which holds a reference of its own (receive.c).
 *
 * Teardown, in order (kn_peer_unlink(), then kn_peer_shutdown()):
 *  1. @dead is set under conf_lock and @work_lock.  Work items and
 *     packets are queued to a peer only under one of two guarantees:
 *     - an RCU-bh section that found the peer through a table and saw
 *       !@dead (kn_xmit() and its tx_work, kn_udp_encap_rcv() and its
 *       rx_work): the grace period of step 2 waits for it;
 *     - anywhere else (the peer's own workers and timers, the device's
 *       handshake worker holding a reference): kn_peer_queue_work() and
 *       kn_send_keepalive() test @dead and queue under @work_lock, so
 *       once step 1 released it they queue nothing.
 *     The one exception: the device's crypt workers (crypt.c) kick
 *     tx_work and rx_work with a plain queue_work() when they finish one
 *     of the peer's packets, dead or not; step 5 copes with it.
 *     Work items hold no reference: they are cancelled before the list's
 *     reference is dropped, and nothing can queue them after step 5.
 *     Neither do packets in crypt workers' rings: they count in
 *     @crypt_inflight, which step 5 waits to see at zero.
 *  2. A grace period: no reader queues any more.
 *  3. Under hs_lock: a handshake in progress ends, the handshake state
 *     is wiped; later handshake messages see @dead under hs_lock.
 *  4. The timers are shut down for good (timer_shutdown_sync(): a later
 *     mod_timer() does nothing), so none fires or re-arms.
 *  5. The works and the crypt workers stop:
 *     a. rx_work and tx_work are cancelled.  tx_work is the only code
 *        besides kn_udp_encap_rcv() (which step 2 waited for) that hands
 *        the peer's packets to crypt workers, and a run of either work
 *        that starts now (a worker's kick) sees @dead and does nothing.
 *     b. Wait until @crypt_inflight is zero: no packet of the peer is in
 *        a ring, and no crypt worker will touch the peer again (its last
 *        access is that decrement; its kicks come before it).
 *     c. rx_work, tx_work, hs_work are cancelled again, in that order
 *        (the workers' last kicks may have queued the first two): each
 *        can only queue those after it (rx_work kicks tx_work and starts
 *        handshakes, tx_work starts handshakes, hs_work queues nothing),
 *        and for a dead peer none of them does.
 *  6. With no worker left and no way to queue, the queues are purged
 *     (with the device's counts; the ordered lists @tx_order and
 *     @rx_queue also with their packets' keypair references) and the
 *     sessions cleared; the list's reference is dropped.
 *     kn_peer_release() checks that the queues stayed empty and nothing
 *     was in flight until the last reference went.
 *
 * Locks of a peer: @hs_lock (mutex, process context: @hs and @psk),
 * @keypairs_lock (BH spinlock: the cur/prev/next slots), @endpoint_lock
 * (BH rwlock: the endpoint and its route cache).  Counters are atomics.
 *
 * Memory: peers come from their own slab cache (no kmalloc rounding), and
 * what only a peer that talks needs is not part of struct kn_peer: the
 * handshake state (struct kn_peer_hs) is allocated on the first handshake
 * and the NAPI contexts belong to the device.  A configured, idle peer
 * costs sizeof(struct kn_peer) plus its automatic /128 route (in mesh
 * mode, two: its link-local address's too).  The cache
 * is SLAB_ACCOUNT, as are the route caches: peers and routes are charged
 * to the memory cgroup of the process that adds them (a beacon auto-peer,
 * added by a worker, to none; their number is capped by max-peers).  The
 * per-CPU storage of the underlay route cache (@dst_cache, about 40 bytes
 * a possible CPU) comes with the handshake state; both are made by a
 * worker, so neither is charged to a cgroup.
 */
#ifndef _KN_PEER_H
#define _KN_PEER_H

#include <linux/kref.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/timer.h>
#include <net/dst_cache.h>

#include "device.h"

struct kn_endpoint {
	union {
		struct sockaddr addr;
		struct sockaddr_in addr4;
		struct sockaddr_in6 addr6;
	};
	/* Our local address the peer last reached us on (0 = any). */
	union {
		__be32 src4;
		struct in6_addr src6;
	};
	/* The underlay interface the peer was last heard on (0: unknown). */
	int ifindex;
};

/*
 * What a peer needs to make handshakes: allocated by kn_peer_hs_get() on
 * its first handshake (sent or received) and kept, for the replay
 * protection of initiations in @noise, until the peer is freed.  Under the
 * peer's hs_lock; @entry is also reached by the index table's readers
 * (RCU), which is why the whole object is freed only with the peer.
 */
struct kn_peer_hs {
	struct kn_noise_hs noise;
	struct kn_cookie_maker cookie;
	struct kn_index_entry entry;
};

struct kn_rx_napi;

/* Packets a peer may hold while it waits for a session. */
#define KN_PEER_TX_QUEUE_MAX	1024
#define KN_PEER_RX_QUEUE_MAX	1024

struct kn_peer {
	struct kn_device *kn;
	struct kref refcount;
	/* Being torn down: written under conf_lock and @work_lock, see above. */
	bool dead;
	bool has_psk;
	bool no_auto_route;		/* KEYNET_PEER_F_NO_AUTO_ROUTE */
	bool auto_route;		/* @address/128 is routed to us by us */
	/*
	 * Mesh mode: the link-local address of @address (kn_addr_linklocal())
	 * is routed to us by us, a /128 like @auto_route (conf_lock).
	 */
	bool ll_route;
	/*
	 * KEYNET_A_PEER_TRANSIT: the peer relays other nodes' packets, so
	 * its sources are checked with kn_lpm_covers() (any prefix of its
	 * own contains the source) instead of kn_lpm_allowed() (the longest
	 * prefix is its own).  Written under conf_lock with WRITE_ONCE(),
	 * read by the receive path with READ_ONCE(): a packet decrypted
	 * while it changes is checked under either rule.
	 */
	bool transit;
	struct rcu_head rcu;
	struct list_head list;		/* kn->peers (conf_lock) */
	struct hlist_node hnode;	/* kn->peer_hash (conf_lock / RCU) */

	u8 public_key[KEYNET_KEY_LEN];
	u8 address[16];			/* key-derived, under the device's rule */
	char name[KEYNET_PEER_NAME_LEN];
	u16 keepalive;			/* persistent keepalive, seconds */
	bool keepalive_again;
	/* kn_peer_alive() as last reported: see @alive_reported below. */
	bool alive_reported;
	/* LAN beacons: see @beacon_seen_ns below. */
	bool beacon_auto;

	struct mutex hs_lock;		/* protects hs and psk */
	struct kn_peer_hs *hs;		/* NULL until the first handshake */
	u8 psk[KEYNET_KEY_LEN];		/* all zero when !has_psk */
	u64 hs_last_sent_ns;		/* boottime of the last initiation */
	u64 hs_first_attempt_ns;	/* 0: no handshake being attempted */

	spinlock_t keypairs_lock;	/* protects writes to the slots */
	struct kn_keypair __rcu *kp_cur;
	struct kn_keypair __rcu *kp_prev;
	struct kn_keypair __rcu *kp_next;

	rwlock_t endpoint_lock;		/* protects endpoint, dst_cache */
	struct kn_endpoint endpoint;
	/*
	 * The underlay route to @endpoint and the source address it leaves
	 * from (socket.c), per CPU.  Used only with @endpoint_lock held for
	 * reading and BH off; reset whenever @endpoint changes and, by
	 * socket.c, when the sockets or the fwmark do.  Its per-CPU storage
	 * is made with the handshake state (kn_peer_hs_get(): a peer sends
	 * only under a session), installed under the write side; until then,
	 * or if that allocation failed, the dst_cache_*() calls find no
	 * storage and every packet takes the uncached path.  Destroyed with
	 * the peer's memory (kn_peer_free_rcu()), when no sender is left.
	 */
	struct dst_cache dst_cache;

	/*
	 * The work items and their queues; who may queue them, and when,
	 * is in the teardown rules above.  @work_lock (BH spinlock) makes
	 * "test @dead, queue" one step for queuers outside an RCU section;
	 * a queue's own lock nests inside it.  @tx_queue and @tx_order count
	 * in the device's tx_queued; @rx_queue and @rx_done both count in
	 * its rx_queued: a received packet from its arrival until NAPI takes
	 * it (device.h).  @tx_queue and @tx_order together hold at most
	 * 1,024 of the peer's packets, @rx_queue and @rx_done each as many.
	 *
	 * Parallel crypto (crypt.c): @tx_order holds the packets tx_work
	 * took from @tx_queue, with their nonces, in order, until they are
	 * sealed and sent; only tx_work touches it (no lock: the __skb_*
	 * helpers), and step 6's purge once tx_work is cancelled.  @rx_queue
	 * is the receive side's ordered list: data messages in arrival order
	 * until rx_work takes them, decrypted, off its head (its own lock:
	 * encap_rcv appends in softirq).  Every packet on the two holds a
	 * reference to its keypair (struct kn_crypt_cb).  @crypt_inflight:
	 * the peer's packets in crypt workers' rings (step 5).  @crypt_cpu:
	 * the CPU the last one went to (round robin; racy, a hint).
	 */
	spinlock_t work_lock;
	struct sk_buff_head tx_queue;	/* in order, waiting to be sent */
	struct sk_buff_head tx_order;	/* nonce assigned, being sealed */
	struct work_struct tx_work;
	struct work_struct hs_work;	/* send a handshake initiation */
	struct sk_buff_head rx_queue;	/* data messages, in order */
	struct work_struct rx_work;	/* takes rx_queue's head, in order */
	struct sk_buff_head rx_done;	/* decrypted, waiting for NAPI */
	atomic_t crypt_inflight;
	int crypt_cpu;
	/*
	 * The device's NAPI context that delivers this peer's packets (fixed
	 * at creation, so they stay in order), and the entry on its list of
	 * peers with packets in @rx_done (that context's lock; empty when
	 * not listed).
	 */
	struct kn_rx_napi *rx_napi;
	struct list_head rx_node;

	struct timer_list t_retransmit;	/* no response to our initiation */
	struct timer_list t_keepalive;	/* we received data, owe a reply */
	struct timer_list t_new_handshake; /* we sent data, got no reply */
	struct timer_list t_zero_keys;	/* no new session for too long */
	struct timer_list t_persistent;	/* persistent keepalive */

	atomic64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	atomic64_t last_handshake_real_ns;	/* wall clock, 0 = never */

	/*
	 * Liveness, for failover (boottime ns, written locklessly with
	 * WRITE_ONCE; a stale read only delays a failover decision by one
	 * packet): the last completed handshake, the last initiation that
	 * went unanswered, the last authenticated packet received, and when
	 * data was first sent with nothing received since (0: none).
	 * @alive_reported is kn_peer_alive() as the events group last
	 * reported it: written by the liveness worker under conf_lock
	 * (events.c); timers read it locklessly as a hint.
	 */
	u64 last_hs_ns;
	u64 hs_failed_ns;
	u64 last_rx_ns;
	u64 tx_unanswered_ns;

	struct kn_lpm_peer routes4;
	struct kn_lpm_peer routes6;

	/*
	 * LAN beacons (beacon.c, under the device's conf_lock): added by a
	 * beacon (@beacon_auto, KEYNET_PEER_F_AUTO) and so expiring when
	 * silent; the boottime of its last fresh beacon, that beacon's stamp,
	 * and when we last sent it a reply.
	 */
	u64 beacon_seen_ns;
	u64 beacon_stamp;
	u64 beacon_replied_ns;
};

int kn_peer_init_cache(void);
void kn_peer_exit_cache(void);

struct kn_peer *kn_peer_create(struct kn_device *kn, const u8 *public_key,
			       const u8 *psk, struct netlink_ext_ack *extack);
void kn_peer_remove(struct kn_peer *peer);
void kn_peer_remove_all(struct kn_device *kn);
void kn_peer_unlink_to(struct kn_peer *peer, struct list_head *dead);
void kn_peer_remove_list(struct kn_device *kn, struct list_head *dead);
struct kn_peer *kn_peer_lookup(struct kn_device *kn, const u8 *public_key);
struct kn_peer *kn_peer_get_maybe_zero(struct kn_peer *peer);
void kn_peer_put(struct kn_peer *peer);
bool kn_peer_queue_work(struct kn_peer *peer, struct work_struct *work);
int kn_peer_set_psk(struct kn_peer *peer, const u8 *psk);
struct kn_peer_hs *kn_peer_hs_get(struct kn_peer *peer);
void kn_peer_rekey_identity(struct kn_device *kn);

bool kn_peer_set_endpoint(struct kn_peer *peer, const struct kn_endpoint *ep);
bool kn_peer_get_endpoint(struct kn_peer *peer, struct kn_endpoint *ep);
bool kn_peer_alive(const struct kn_peer *peer, u64 now);
void kn_peer_update_auto_route(struct kn_peer *peer);
bool kn_peer_is_ll_route(const struct kn_peer *peer, const u8 *key,
			 unsigned int len);

/* Sessions (keypair slots). */
struct kn_keypair *kn_peer_current_keypair(struct kn_peer *peer);
void kn_peer_install_keypair(struct kn_peer *peer, struct kn_keypair *kp,
			     bool initiator);
bool kn_peer_confirm_keypair(struct kn_peer *peer, struct kn_keypair *kp);
void kn_peer_clear_keypairs(struct kn_peer *peer);

#endif /* _KN_PEER_H */
