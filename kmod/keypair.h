/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sessions (keypairs) and the table of our local 32-bit indices.
 *
 * Every handshake in progress and every keypair owns one random local
 * index; the peer puts it in the "receiver" field of what it sends us, so
 * an incoming response, cookie reply or data message finds its handshake
 * or keypair in O(1).  The index table is an RCU hash table: readers
 * (kn_udp_encap_rcv() in softirq, hs_work) use RCU only; insertions and
 * removals take kn_index_table.lock.  Most of them run in process context
 * (hs_work makes sessions, a peer's rx_work retires the previous one when
 * it confirms the next, the control path clears them), but the zero_keys
 * timer clears a peer's sessions in softirq, so the lock disables BH.
 *
 * Keypair lifetime: a keypair is found through its peer's cur/prev/next
 * slots (RCU pointers, changed under peer->keypairs_lock) and the index
 * table (RCU), and counted by @refcount: one reference for the slot that
 * holds it (taken at creation), one for every data packet under it that
 * sits on a peer's ordered list (crypt.h: a packet in a crypt worker's
 * ring must find its keys alive whatever happens to the slots).  When it
 * leaves the slots, kn_keypair_destroy() marks it invalid, unhashes it
 * and drops the slot's reference; the last reference frees it after an
 * RCU grace period (kfree_sensitive of the keys via call_rcu), so a
 * reader that found it under rcu_read_lock() and took no reference may
 * still finish using it.  The data path takes its references with
 * kn_keypair_get_maybe_zero() on a keypair found under rcu_read_lock_bh():
 * the count may already have reached zero (destroyed, waiting for the
 * grace period), and such a keypair is no usable session.
 */
#ifndef _KN_KEYPAIR_H
#define _KN_KEYPAIR_H

#include <linux/spinlock.h>
#include <linux/kref.h>
#include <linux/hashtable.h>
#include <linux/atomic.h>
#include <linux/rcupdate.h>

#include "noise.h"
#include "replay.h"

struct kn_peer;

enum kn_index_type {
	KN_INDEX_HANDSHAKE,
	KN_INDEX_KEYPAIR,
};

struct kn_index_entry {
	struct hlist_node node;
	struct kn_peer *peer;	/* not refcounted: entries die before peers */
	u32 index;
	enum kn_index_type type;
	bool hashed;
};

#define KN_INDEX_HASH_BITS 13

struct kn_index_table {
	spinlock_t lock;
	DECLARE_HASHTABLE(buckets, KN_INDEX_HASH_BITS);
};

struct kn_keypair {
	struct kn_index_entry entry;
	struct rcu_head rcu;
	struct kref refcount;		/* see above */
	struct kn_noise_keypair keys;
	atomic64_t send_counter;	/* next counter to use */
	spinlock_t replay_lock;		/* protects @replay */
	struct kn_replay replay;
	u64 birth_ns;			/* ktime_get_boottime_ns() */
	bool valid;			/* cleared when retired */
};

void kn_index_table_init(struct kn_index_table *t);
u32 kn_index_insert(struct kn_index_table *t, struct kn_index_entry *e,
		    struct kn_peer *peer, enum kn_index_type type);
void kn_index_remove(struct kn_index_table *t, struct kn_index_entry *e);
struct kn_index_entry *kn_index_lookup(struct kn_index_table *t, u32 index,
				       enum kn_index_type type);

void kn_index_replace(struct kn_index_table *t, struct kn_index_entry *old,
		      struct kn_index_entry *new, enum kn_index_type type);

struct kn_keypair *kn_keypair_create(struct kn_index_table *t,
				     struct kn_index_entry *hs_entry,
				     const struct kn_noise_keypair *keys);
void kn_keypair_destroy(struct kn_index_table *t, struct kn_keypair *kp);
struct kn_keypair *kn_keypair_get_maybe_zero(struct kn_keypair *kp);
void kn_keypair_put(struct kn_keypair *kp);

#endif /* _KN_KEYPAIR_H */
