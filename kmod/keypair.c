// SPDX-License-Identifier: GPL-2.0
/* Local indices and keypairs; the rules are in keypair.h. */
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/timekeeping.h>

#include "keypair.h"

void kn_index_table_init(struct kn_index_table *t)
{
	spin_lock_init(&t->lock);
	hash_init(t->buckets);
}

/*
 * Give @e a fresh random index not in use by any entry of the table and
 * hash it; returns the index.  Random (not sequential) indices keep a
 * peer from learning how many sessions we hold.
 */
u32 kn_index_insert(struct kn_index_table *t, struct kn_index_entry *e,
		    struct kn_peer *peer, enum kn_index_type type)
{
	struct kn_index_entry *other;
	u32 index;

	e->peer = peer;
	e->type = type;
	spin_lock_bh(&t->lock);
retry:
	index = get_random_u32();
	hash_for_each_possible(t->buckets, other, node, index) {
		if (other->index == index)
			goto retry;
	}
	e->index = index;
	hash_add_rcu(t->buckets, &e->node, index);
	e->hashed = true;
	spin_unlock_bh(&t->lock);
	return index;
}

void kn_index_remove(struct kn_index_table *t, struct kn_index_entry *e)
{
	spin_lock_bh(&t->lock);
	if (e->hashed) {
		hash_del_rcu(&e->node);
		e->hashed = false;
	}
	spin_unlock_bh(&t->lock);
}

/*
 * Caller holds rcu_read_lock_bh() (or rcu_read_lock()); the entry is
 * valid until it drops it.
 */
struct kn_index_entry *kn_index_lookup(struct kn_index_table *t, u32 index,
				       enum kn_index_type type)
{
	struct kn_index_entry *e;

	hash_for_each_possible_rcu(t->buckets, e, node, index) {
		if (e->index == index && e->type == type)
			return e;
	}
	return NULL;
}

/*
 * A completed handshake's index becomes its session's: the peer addresses
 * data to the index we announced in the handshake.  @new takes @old's
 * place (and index) in one RCU-safe step, so no lookup misses both.
 */
void kn_index_replace(struct kn_index_table *t, struct kn_index_entry *old,
		      struct kn_index_entry *new, enum kn_index_type type)
{
	spin_lock_bh(&t->lock);
	new->peer = old->peer;
	new->index = old->index;
	new->type = type;
	if (old->hashed) {
		hlist_replace_rcu(&old->node, &new->node);
		old->hashed = false;
		new->hashed = true;
	}
	spin_unlock_bh(&t->lock);
}

/*
 * Make the session of a completed handshake; it takes over the
 * handshake's index entry @hs_entry.  Called from hs_work with the
 * peer's handshake mutex held; the allocation is GFP_ATOMIC all the same.
 */
struct kn_keypair *kn_keypair_create(struct kn_index_table *t,
				     struct kn_index_entry *hs_entry,
				     const struct kn_noise_keypair *keys)
{
	struct kn_keypair *kp = kzalloc(sizeof(*kp), GFP_ATOMIC);

	if (!kp)
		return NULL;
	kp->keys = *keys;
	kref_init(&kp->refcount);	/* the slot's reference */
	atomic64_set(&kp->send_counter, 0);
	spin_lock_init(&kp->replay_lock);
	kn_replay_init(&kp->replay);
	kp->birth_ns = ktime_get_boottime_ns();
	kp->valid = true;
	kn_index_replace(t, hs_entry, &kp->entry, KN_INDEX_KEYPAIR);
	kp->keys.local_index = kp->entry.index;
	return kp;
}

static void kn_keypair_free_rcu(struct rcu_head *rcu)
{
	struct kn_keypair *kp = container_of(rcu, struct kn_keypair, rcu);

	kfree_sensitive(kp);
}

/*
 * The last reference went: free after a grace period (readers without a
 * reference may still look at it); the keys are zeroed on free.  Any
 * context: the last put may come from a timer or a worker.
 */
static void kn_keypair_release(struct kref *ref)
{
	struct kn_keypair *kp = container_of(ref, struct kn_keypair, refcount);

	WARN_ON_ONCE(kp->entry.hashed);
	call_rcu(&kp->rcu, kn_keypair_free_rcu);
}

void kn_keypair_put(struct kn_keypair *kp)
{
	if (kp)
		kref_put(&kp->refcount, kn_keypair_release);
}

/*
 * For a keypair found under rcu_read_lock_bh() (the caller is still in
 * that section): a reference, or NULL if it is being freed.
 */
struct kn_keypair *kn_keypair_get_maybe_zero(struct kn_keypair *kp)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "a keypair reference taken outside an RCU read-side section");
	if (kp && !kref_get_unless_zero(&kp->refcount))
		return NULL;
	return kp;
}

/*
 * The keypair left its slot (caller holds the peer's keypairs_lock):
 * retire it, so packets still holding it see it invalid, unhash it and
 * drop the slot's reference.
 */
void kn_keypair_destroy(struct kn_index_table *t, struct kn_keypair *kp)
{
	if (!kp)
		return;
	WRITE_ONCE(kp->valid, false);
	kn_index_remove(t, &kp->entry);
	kn_keypair_put(kp);
}
