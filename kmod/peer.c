// SPDX-License-Identifier: GPL-2.0
/* Peer lifetime, session slots and endpoints; the rules are in peer.h. */
#include <linux/slab.h>
#include <linux/jhash.h>
#include <linux/rcupdate.h>
#include <linux/wait_bit.h>
#include <net/ipv6.h>

#include "peer.h"
#include "crypt.h"
#include "addr.h"
#include "addr_derive.h"
#include "send.h"
#include "receive.h"
#include "timers.h"
#include "compat.h"

static struct kmem_cache *kn_peer_cache;

/* Module init/exit (device.c): the slab cache of struct kn_peer. */
int kn_peer_init_cache(void)
{
	kn_peer_cache = KMEM_CACHE(kn_peer, SLAB_ACCOUNT);
	return kn_peer_cache ? 0 : -ENOMEM;
}

void kn_peer_exit_cache(void)
{
	/* Peers are freed with call_rcu(): wait for them. */
	rcu_barrier();
	kmem_cache_destroy(kn_peer_cache);
}

static u32 kn_peer_hash(const u8 *public_key)
{
	return jhash(public_key, KEYNET_KEY_LEN, 0);
}

/*
 * A low-order point gives an all-zero shared secret with every clamped
 * private key, so one fixed key tells them apart even before the device
 * has an identity of its own.
 */
static bool kn_key_is_low_order(const u8 *public_key)
{
	static const u8 probe[KEYNET_KEY_LEN] = {
		0x48, 0x6b, 0x65, 0x79, 0x6e, 0x65, 0x74, 0x20,
		0x6c, 0x6f, 0x77, 0x2d, 0x6f, 0x72, 0x64, 0x65,
		0x72, 0x20, 0x70, 0x72, 0x6f, 0x62, 0x65, 0x20,
		0x6b, 0x65, 0x79, 0x20, 0x20, 0x20, 0x20, 0x40,
	};
	u8 out[KEYNET_KEY_LEN];
	bool low = !kn_dh(out, probe, public_key);

	memzero_explicit(out, sizeof(out));
	return low;
}

struct kn_peer *kn_peer_create(struct kn_device *kn, const u8 *public_key,
			       const u8 *psk, struct netlink_ext_ack *extack)
{
	struct kn_peer *peer;

	lockdep_assert_held(&kn->conf_lock);
	if (kn_key_is_low_order(public_key)) {
		NL_SET_ERR_MSG(extack, "the public key is a low-order point");
		kn_drop(kn, KEYNET_DROP_LOW_ORDER);
		return ERR_PTR(-EINVAL);
	}
	if (kn->has_key && !memcmp(public_key, kn->public_key, KEYNET_KEY_LEN)) {
		NL_SET_ERR_MSG(extack, "the peer's key is the device's own public key");
		return ERR_PTR(-EINVAL);
	}
	peer = kmem_cache_zalloc(kn_peer_cache, GFP_KERNEL);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->kn = kn;
	kref_init(&peer->refcount);
	memcpy(peer->public_key, public_key, KEYNET_KEY_LEN);
	mutex_init(&peer->hs_lock);
	/* The handshake state is made on first use: kn_peer_hs_get(). */
	if (psk)
		memcpy(peer->psk, psk, KEYNET_KEY_LEN);
	peer->has_psk = !!psk;
	spin_lock_init(&peer->keypairs_lock);
	rwlock_init(&peer->endpoint_lock);
	spin_lock_init(&peer->work_lock);
	skb_queue_head_init(&peer->tx_queue);
	/* tx_work's alone: no lock (peer.h). */
	__skb_queue_head_init(&peer->tx_order);
	skb_queue_head_init(&peer->rx_queue);
	skb_queue_head_init(&peer->rx_done);
	INIT_WORK(&peer->rx_work, kn_rx_worker);
	INIT_WORK(&peer->tx_work, kn_tx_worker);
	INIT_WORK(&peer->hs_work, kn_hs_send_worker);
	kn_timers_init(peer);
	kn_lpm_peer_init(&peer->routes4, peer);
	kn_lpm_peer_init(&peer->routes6, peer);
	/* Spread the peers over the device's NAPI contexts. */
	peer->rx_napi = &kn->rx_napi[kn->rx_napi_next++ % kn->n_rx_napi];
	INIT_LIST_HEAD(&peer->rx_node);

	list_add_tail(&peer->list, &kn->peers);
	hash_add_rcu(kn->peer_hash, &peer->hnode, kn_peer_hash(public_key));
	kn->num_peers++;
	kn->peer_gen++;
	kn_peer_update_auto_route(peer);
	return peer;
}

static void kn_peer_free_rcu(struct rcu_head *rcu)
{
	struct kn_peer *peer = container_of(rcu, struct kn_peer, rcu);

	kfree_sensitive(peer->hs);
	memzero_explicit(peer->psk, sizeof(peer->psk));
	/*
	 * The only sender of the peer's packets, tx_work, was cancelled for
	 * good in kn_peer_shutdown() (peer.h, step 5c: no crypt worker kicks
	 * it after that); a grace period after the last reference went,
	 * nothing else can reach the peer.
	 * Releasing the cached routes and freeing per-CPU memory is allowed
	 * here, in an RCU callback.  A cache that was never made is a no-op.
	 */
	dst_cache_destroy(&peer->dst_cache);
	kmem_cache_free(kn_peer_cache, peer);
}

static void kn_peer_release(struct kref *ref)
{
	struct kn_peer *peer = container_of(ref, struct kn_peer, refcount);

	/*
	 * kn_peer_shutdown() purged the queues and cancelled the works, and
	 * nothing may queue either after it (peer.h): anything here would
	 * leak with the peer, or run on freed memory.
	 */
	WARN_ON_ONCE(!skb_queue_empty(&peer->tx_queue) ||
		     !skb_queue_empty(&peer->tx_order) ||
		     atomic_read(&peer->crypt_inflight) ||
		     !skb_queue_empty(&peer->rx_queue) ||
		     !skb_queue_empty(&peer->rx_done) ||
		     work_pending(&peer->tx_work) ||
		     work_pending(&peer->rx_work) ||
		     work_pending(&peer->hs_work));
	call_rcu(&peer->rcu, kn_peer_free_rcu);
}

void kn_peer_put(struct kn_peer *peer)
{
	if (peer)
		kref_put(&peer->refcount, kn_peer_release);
}

/*
 * For a peer found under RCU (the caller is still in that read-side
 * section): a reference, or NULL if the peer is already being freed.
 */
struct kn_peer *kn_peer_get_maybe_zero(struct kn_peer *peer)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "a peer reference taken outside an RCU read-side section");
	if (peer && !kref_get_unless_zero(&peer->refcount))
		return NULL;
	return peer;
}

/*
 * Queue @work, one of @peer's work items, unless the peer is dead; false
 * when it is.  For every caller that is not in an RCU section that found
 * the peer alive: the test and the queueing are one step under
 * @work_lock, which kn_peer_unlink() takes to set @dead, so nothing is
 * queued once teardown began (peer.h).  Any context but hard IRQ.
 */
bool kn_peer_queue_work(struct kn_peer *peer, struct work_struct *work)
{
	bool alive;

	spin_lock_bh(&peer->work_lock);
	alive = !peer->dead;
	if (alive)
		queue_work(peer->kn->wq, work);
	spin_unlock_bh(&peer->work_lock);
	return alive;
}

/* Caller holds rcu_read_lock() or the device's conf_lock. */
struct kn_peer *kn_peer_lookup(struct kn_device *kn, const u8 *public_key)
{
	struct kn_peer *peer;

	hash_for_each_possible_rcu(kn->peer_hash, peer, hnode,
				   kn_peer_hash(public_key)) {
		if (!memcmp(peer->public_key, public_key, KEYNET_KEY_LEN))
			return peer;
	}
	return NULL;
}

/*
 * Keep the peer's key-derived /128 routed to it, under the device's
 * current addressing rule, unless the device or the peer turned that off;
 * and in mesh mode the link-local address made from it (mesh.h), whatever
 * those two switches say: a neighbour's link-local address is only ever
 * its own.  Caller holds conf_lock.  A failure to insert (-ENOMEM) leaves
 * a route out; the next change retries.
 */
void kn_peer_update_auto_route(struct kn_peer *peer)
{
	struct kn_device *kn = peer->kn;
	bool want = !(kn->link_flags & KEYNET_LINK_F_NO_PEER_ROUTES) &&
		    !peer->no_auto_route;
	bool want_ll = kn->link_flags & KEYNET_LINK_F_MESH;
	u8 addr[16], ll[16];

	lockdep_assert_held(&kn->conf_lock);
	if (kn_addr_of_key(peer->public_key, kn->addr_prefix, kn->addr_plen,
			   addr))
		return;
	/*
	 * The link-local address takes bits 64-127 of the derived address,
	 * which no addressing prefix (at most /64) changes; compared anyway.
	 */
	kn_addr_linklocal(peer->address, ll);
	if (peer->ll_route && (!want_ll || memcmp(ll + 8, addr + 8, 8))) {
		kn_lpm_remove(&kn->routes6, ll, 128, &peer->routes6);
		peer->ll_route = false;
		kn->peer_gen++;
	}
	if (peer->auto_route && (!want || memcmp(addr, peer->address, 16))) {
		kn_lpm_remove(&kn->routes6, peer->address, 128, &peer->routes6);
		peer->auto_route = false;
		kn->peer_gen++;
	}
	memcpy(peer->address, addr, sizeof(addr));
	if (want && !peer->auto_route &&
	    !kn_lpm_insert(&kn->routes6, addr, 128, &peer->routes6, 0)) {
		peer->auto_route = true;
		kn->peer_gen++;
	}
	kn_addr_linklocal(addr, ll);
	if (want_ll && !peer->ll_route &&
	    !kn_lpm_insert(&kn->routes6, ll, 128, &peer->routes6, 0)) {
		peer->ll_route = true;
		kn->peer_gen++;
	}
}

/*
 * Whether the IPv6 prefix @key/@len is the peer's automatic link-local
 * /128 (mesh mode).  Caller holds conf_lock.
 */
bool kn_peer_is_ll_route(const struct kn_peer *peer, const u8 *key,
			 unsigned int len)
{
	u8 ll[16];

	lockdep_assert_held(&peer->kn->conf_lock);
	if (len != 128 || !peer->ll_route)
		return false;
	kn_addr_linklocal(peer->address, ll);
	return !memcmp(key, ll, sizeof(ll));
}

/* Unlink a peer from everything that can find it; see peer.h. */
static void kn_peer_unlink(struct kn_peer *peer)
{
	struct kn_device *kn = peer->kn;

	lockdep_assert_held(&kn->conf_lock);
	/* From here on kn_peer_queue_work() queues nothing (peer.h, step 1). */
	spin_lock_bh(&peer->work_lock);
	WRITE_ONCE(peer->dead, true);
	spin_unlock_bh(&peer->work_lock);
	kn_lpm_remove_peer(&kn->routes4, &peer->routes4);
	kn_lpm_remove_peer(&kn->routes6, &peer->routes6);
	hash_del_rcu(&peer->hnode);
	list_del(&peer->list);
	kn->num_peers--;
	kn->peer_gen++;
}

/*
 * Stop everything a dead peer runs and drop the list's reference: steps
 * 3-6 of peer.h.  The caller has waited for a grace period after
 * kn_peer_unlink(), so no reader can still queue work or packets to it,
 * and nobody else can either (@dead under @work_lock).
 */
static void kn_peer_shutdown(struct kn_peer *peer)
{
	struct kn_device *kn = peer->kn;

	/* A handshake in progress finishes (and sees @dead) before we go on. */
	mutex_lock(&peer->hs_lock);
	if (peer->hs) {
		kn_index_remove(&kn->index_table, &peer->hs->entry);
		kn_noise_hs_clear(&peer->hs->noise);
		memzero_explicit(peer->hs->noise.psk, KEYNET_KEY_LEN);
	}
	memzero_explicit(peer->psk, sizeof(peer->psk));
	mutex_unlock(&peer->hs_lock);

	/* No timer fires or re-arms after this (timer_shutdown_sync()). */
	kn_timers_shutdown(peer);
	/*
	 * Step 5a: tx_work, the one work that hands packets to the crypt
	 * workers, is not running; a later run (a worker's kick) sees @dead
	 * and hands out nothing.  5b: the workers finish what they have.
	 */
	cancel_work_sync(&peer->rx_work);
	cancel_work_sync(&peer->tx_work);
	wait_var_event(&peer->crypt_inflight,
		       !atomic_read(&peer->crypt_inflight));
	/*
	 * Step 5c.  Each work can only queue those after it, and none of
	 * them queues anything of a dead peer: once these return, no work
	 * runs or will run.
	 */
	cancel_work_sync(&peer->rx_work);
	cancel_work_sync(&peer->tx_work);
	cancel_work_sync(&peer->hs_work);
	/*
	 * Nothing adds to the queues any more.  Its NAPI context may still
	 * list it (with a reference of its own): it finds rx_done empty and
	 * lets go.
	 */
	kn_queue_purge(&peer->tx_queue, &peer->kn->tx_queued);
	kn_crypt_purge(&peer->tx_order, &peer->kn->tx_queued);
	kn_crypt_purge(&peer->rx_queue, &peer->kn->rx_queued);
	kn_queue_purge(&peer->rx_done, &peer->kn->rx_queued);
	kn_peer_clear_keypairs(peer);
	kn_peer_put(peer);
}

void kn_peer_remove(struct kn_peer *peer)
{
	kn_peer_unlink(peer);
	synchronize_net();
	kn_peer_shutdown(peer);
}

/*
 * Removal in a batch, with one grace period for all: kn_peer_unlink_to()
 * unlinks a peer and moves it (by its @list entry) to the caller's list
 * @dead; kn_peer_remove_list() waits for the grace period and shuts down
 * every peer on @dead.  Both under conf_lock, without dropping it between
 * them: until the second, the peers are dead but their works still exist.
 */
void kn_peer_unlink_to(struct kn_peer *peer, struct list_head *dead)
{
	kn_peer_unlink(peer);
	list_add_tail(&peer->list, dead);
}

void kn_peer_remove_list(struct kn_device *kn, struct list_head *dead)
{
	struct kn_peer *peer, *tmp;

	lockdep_assert_held(&kn->conf_lock);
	if (list_empty(dead))
		return;
	synchronize_net();
	list_for_each_entry_safe(peer, tmp, dead, list)
		kn_peer_shutdown(peer);
	INIT_LIST_HEAD(dead);
}

/* Remove every peer with one grace period for all of them. */
void kn_peer_remove_all(struct kn_device *kn)
{
	struct kn_peer *peer, *tmp;
	LIST_HEAD(dead);

	lockdep_assert_held(&kn->conf_lock);
	list_for_each_entry_safe(peer, tmp, &kn->peers, list)
		kn_peer_unlink_to(peer, &dead);
	kn_peer_remove_list(kn, &dead);
}

int kn_peer_set_psk(struct kn_peer *peer, const u8 *psk)
{
	mutex_lock(&peer->hs_lock);
	if (psk)
		memcpy(peer->psk, psk, KEYNET_KEY_LEN);
	else
		memzero_explicit(peer->psk, KEYNET_KEY_LEN);
	if (peer->hs)
		memcpy(peer->hs->noise.psk, peer->psk, KEYNET_KEY_LEN);
	peer->has_psk = !!psk;
	mutex_unlock(&peer->hs_lock);
	return 0;
}

/*
 * Make the per-CPU storage of the peer's underlay route cache (peer.h,
 * @dst_cache).  It is built aside and copied in under the write side of
 * @endpoint_lock, which no user of the cache holds, so a sender sees
 * either no storage (the uncached path) or a complete, empty cache.
 * Caller holds @hs_lock, which serialises the makers: the test of the
 * storage pointer is against the only writer.  On failure the peer goes
 * on uncached and the next handshake tries again.
 */
static void kn_peer_dst_cache_make(struct kn_peer *peer)
{
	struct dst_cache fresh;

	lockdep_assert_held(&peer->hs_lock);
	if (peer->dst_cache.cache || dst_cache_init(&fresh, GFP_KERNEL_ACCOUNT))
		return;
	write_lock_bh(&peer->endpoint_lock);
	peer->dst_cache = fresh;
	write_unlock_bh(&peer->endpoint_lock);
}

/*
 * The peer's handshake state, made on its first use, and with it the
 * underlay route cache: only a peer that makes handshakes has sessions
 * and so sends through it.  Caller holds the peer's hs_lock and the
 * device's static_lock (the identity is read); NULL when out of memory.
 * Once made it stays until the peer is freed.
 */
struct kn_peer_hs *kn_peer_hs_get(struct kn_peer *peer)
{
	struct kn_device *kn = peer->kn;
	struct kn_peer_hs *hs = peer->hs;

	lockdep_assert_held(&peer->hs_lock);
	lockdep_assert_held(&kn->static_lock);
	kn_peer_dst_cache_make(peer);
	if (hs)
		return hs;
	hs = kzalloc(sizeof(*hs), GFP_KERNEL_ACCOUNT);
	if (!hs)
		return NULL;
	/* Without an identity this only records the keys (-EINVAL). */
	kn_noise_hs_init(&hs->noise, &kn->local, peer->public_key,
			 peer->has_psk ? peer->psk : NULL);
	kn_cookie_maker_init(&hs->cookie, peer->public_key);
	peer->hs = hs;
	return hs;
}

/*
 * The device's identity changed (conf_lock and static_lock held for
 * writing): recompute every peer's static-static secret and end the
 * sessions made under the old identity.
 */
void kn_peer_rekey_identity(struct kn_device *kn)
{
	struct kn_peer *peer;

	lockdep_assert_held(&kn->conf_lock);
	list_for_each_entry(peer, &kn->peers, list) {
		mutex_lock(&peer->hs_lock);
		/* A peer that never made a handshake has nothing to redo. */
		if (peer->hs) {
			kn_index_remove(&kn->index_table, &peer->hs->entry);
			kn_noise_hs_init(&peer->hs->noise, &kn->local,
					 peer->public_key,
					 peer->has_psk ? peer->psk : NULL);
		}
		mutex_unlock(&peer->hs_lock);
		kn_peer_clear_keypairs(peer);
	}
}

/* Same remote address and port (and IPv6 scope)? */
static bool kn_endpoint_same_addr(const struct kn_endpoint *a,
				  const struct kn_endpoint *b)
{
	if (a->addr.sa_family != b->addr.sa_family)
		return false;
	if (a->addr.sa_family == AF_INET)
		return a->addr4.sin_addr.s_addr == b->addr4.sin_addr.s_addr &&
		       a->addr4.sin_port == b->addr4.sin_port;
	if (a->addr.sa_family == AF_INET6)
		return ipv6_addr_equal(&a->addr6.sin6_addr,
				       &b->addr6.sin6_addr) &&
		       a->addr6.sin6_port == b->addr6.sin6_port &&
		       a->addr6.sin6_scope_id == b->addr6.sin6_scope_id;
	return true;
}

/*
 * Returns true when the remote address or port changed (roaming, or the
 * first one learnt), false when only our local side did or nothing.
 */
bool kn_peer_set_endpoint(struct kn_peer *peer, const struct kn_endpoint *ep)
{
	bool same, moved;

	read_lock_bh(&peer->endpoint_lock);
	same = !memcmp(&peer->endpoint, ep, sizeof(*ep));
	read_unlock_bh(&peer->endpoint_lock);
	if (same)
		return false;
	write_lock_bh(&peer->endpoint_lock);
	moved = !kn_endpoint_same_addr(&peer->endpoint, ep);
	peer->endpoint = *ep;
	/*
	 * Any change (address, port, scope, our source address, the
	 * interface it came in on) changes the route lookup: the cached
	 * route is void.  The lazy reset is O(1) (each CPU drops its entry on
	 * its next lookup), which matters when the endpoint flips often;
	 * under the write side no sender is between its lookup and storing
	 * the result, so nothing looked up for the old endpoint is stored
	 * after this (socket.c).
	 */
	dst_cache_reset(&peer->dst_cache);
	write_unlock_bh(&peer->endpoint_lock);
	return moved;
}

/*
 * Whether @peer may carry traffic of a prefix routed to several peers:
 * a handshake completed within REJECT_AFTER_TIME (180 s), no initiation
 * has gone unanswered since, and the peer is not silent: with persistent
 * keepalive (which operators set on both ends of failover links) silence
 * means three intervals without an authenticated packet; without it,
 * data sent and nothing heard back for KEEPALIVE + REKEY_TIMEOUT (15 s),
 * the point where the protocol itself starts a new handshake.
 */
bool kn_peer_alive(const struct kn_peer *peer, u64 now)
{
	u64 hs = READ_ONCE(peer->last_hs_ns);
	u64 unanswered = READ_ONCE(peer->tx_unanswered_ns);
	u16 ka = READ_ONCE(peer->keepalive);

	if (!hs || now - hs > kn_time(KN_REJECT_AFTER_TIME_NS) ||
	    READ_ONCE(peer->hs_failed_ns) > hs)
		return false;
	if (ka && now - READ_ONCE(peer->last_rx_ns) >
	    kn_time(3ULL * ka * KN_NSEC_PER_SEC))
		return false;
	if (unanswered && now - unanswered > kn_time(15 * KN_NSEC_PER_SEC))
		return false;
	return true;
}

/* Copy the endpoint out; false when the peer has none. */
bool kn_peer_get_endpoint(struct kn_peer *peer, struct kn_endpoint *ep)
{
	read_lock_bh(&peer->endpoint_lock);
	*ep = peer->endpoint;
	read_unlock_bh(&peer->endpoint_lock);
	return ep->addr.sa_family == AF_INET || ep->addr.sa_family == AF_INET6;
}

#define kn_kp_protected(peer, p) \
	rcu_dereference_protected(p, lockdep_is_held(&(peer)->keypairs_lock))

/* Caller holds rcu_read_lock_bh(); the keypair may be invalid or old. */
struct kn_keypair *kn_peer_current_keypair(struct kn_peer *peer)
{
	return rcu_dereference_bh(peer->kp_cur);
}

/*
 * A handshake completed.  The initiator may use the new session at once;
 * the responder keeps it in "next" until the initiator proves it has it
 * (its first data message), because until then the initiator may not.
 */
void kn_peer_install_keypair(struct kn_peer *peer, struct kn_keypair *kp,
			     bool initiator)
{
	struct kn_index_table *t = &peer->kn->index_table;
	struct kn_keypair *old_prev, *old_cur, *old_next;

	spin_lock_bh(&peer->keypairs_lock);
	old_prev = kn_kp_protected(peer, peer->kp_prev);
	old_cur = kn_kp_protected(peer, peer->kp_cur);
	old_next = kn_kp_protected(peer, peer->kp_next);
	if (initiator) {
		if (old_next) {
			/* An unconfirmed responder session is kept as previous. */
			rcu_assign_pointer(peer->kp_prev, old_next);
			RCU_INIT_POINTER(peer->kp_next, NULL);
			kn_keypair_destroy(t, old_cur);
		} else {
			rcu_assign_pointer(peer->kp_prev, old_cur);
		}
		kn_keypair_destroy(t, old_prev);
		rcu_assign_pointer(peer->kp_cur, kp);
	} else {
		rcu_assign_pointer(peer->kp_next, kp);
		kn_keypair_destroy(t, old_next);
	}
	spin_unlock_bh(&peer->keypairs_lock);
}

/*
 * Data arrived under @kp: if it is the pending responder session, it
 * becomes current.  Returns true when this confirmed a new session.
 */
bool kn_peer_confirm_keypair(struct kn_peer *peer, struct kn_keypair *kp)
{
	struct kn_keypair *old_prev;

	if (likely(rcu_access_pointer(peer->kp_next) != kp))
		return false;
	spin_lock_bh(&peer->keypairs_lock);
	if (kn_kp_protected(peer, peer->kp_next) != kp) {
		spin_unlock_bh(&peer->keypairs_lock);
		return false;
	}
	old_prev = kn_kp_protected(peer, peer->kp_prev);
	rcu_assign_pointer(peer->kp_prev, kn_kp_protected(peer, peer->kp_cur));
	rcu_assign_pointer(peer->kp_cur, kp);
	RCU_INIT_POINTER(peer->kp_next, NULL);
	kn_keypair_destroy(&peer->kn->index_table, old_prev);
	spin_unlock_bh(&peer->keypairs_lock);
	return true;
}

void kn_peer_clear_keypairs(struct kn_peer *peer)
{
	struct kn_index_table *t = &peer->kn->index_table;

	spin_lock_bh(&peer->keypairs_lock);
	kn_keypair_destroy(t, kn_kp_protected(peer, peer->kp_prev));
	kn_keypair_destroy(t, kn_kp_protected(peer, peer->kp_cur));
	kn_keypair_destroy(t, kn_kp_protected(peer, peer->kp_next));
	RCU_INIT_POINTER(peer->kp_prev, NULL);
	RCU_INIT_POINTER(peer->kp_cur, NULL);
	RCU_INIT_POINTER(peer->kp_next, NULL);
	spin_unlock_bh(&peer->keypairs_lock);
}
