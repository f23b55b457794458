// SPDX-License-Identifier: GPL-2.0
/*
 * Receive.  kn_udp_encap_rcv() runs in softirq for every datagram on the
 * listen port; it only classifies:
 *  - handshake messages (initiation, response, cookie reply) go to the
 *    device's hs_queue, processed one at a time by hs_work in process
 *    context, where the cookie/rate-limit checks run before any
 *    Curve25519 work;
 *  - data messages go to the receiving session's peer: its rx_queue, in
 *    arrival order, and one of the device's crypt workers, which
 *    decrypts them on several CPUs at once (crypt.c); the peer's rx_work
 *    takes them off the head of rx_queue in order once decrypted, checks
 *    the replay window (only after the tag verified), checks the inner
 *    source against the peer's routes (in mesh mode also against the
 *    FIB: mesh.c) and queues the packet on the peer's rx_done for one of
 *    the device's NAPI contexts, which hands it to GRO.  One serial work
 *    item per peer, and one NAPI context per peer (chosen at its
 *    creation, shared with other peers), keep each peer's packets in
 *    order.  The contexts live in the device, not in the peers, so an
 *    idle peer costs no NAPI state.
 * Everything else is dropped and counted by reason; nothing is logged per
 * packet except rate-limited debug lines.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/udp.h>
#include <linux/timekeeping.h>
#include <net/gro.h>
#include <linux/scatterlist.h>

#include "crypt.h"
#include "events.h"
#include "mesh.h"
#include "peer.h"
#include "receive.h"
#include "send.h"
#include "socket.h"
#include "timers.h"
#include "compat.h"

/*
 * Testing only (66-queue-bounds.sh): while set, the NAPI contexts deliver
 * nothing.  Clearing it schedules every device's contexts again: with
 * the receive bound full no new packet gets as far as rx_work, whose
 * kn_rx_deliver() would otherwise be what schedules them.
 */
static bool debug_rx_hold;

/*
 * Testing only (17-flood-churn.sh, 65-flood-throughput.sh): while set,
 * hs_work leaves hs_queue alone, as a worker that fell behind would, so
 * a test can put a device "under load" however fast its flood generator
 * is (a sanitizer kernel slows the generator as much as the worker).
 * Clearing it queues every device's hs_work again.
 */
static bool debug_hs_hold;

static int kn_hold_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret && !*(bool *)kp->arg)
		kn_device_kick_all();
	return ret;
}

static const struct kernel_param_ops kn_hold_ops = {
	.set = kn_hold_set,
	.get = param_get_bool,
};
module_param_cb(debug_rx_hold, &kn_hold_ops, &debug_rx_hold, 0644);
MODULE_PARM_DESC(debug_rx_hold,
		 "Keep decrypted packets waiting for NAPI, as if it fell behind (testing only; default N)");
module_param_cb(debug_hs_hold, &kn_hold_ops, &debug_hs_hold, 0644);
MODULE_PARM_DESC(debug_hs_hold,
		 "Keep handshake messages queued, as if the handshake worker fell behind (testing only; default N)");

static int kn_rx_drop(struct kn_device *kn, struct sk_buff *skb,
		      enum keynet_drop reason)
{
	kn_drop(kn, reason);
	kfree_skb(skb);
	return 0;
}

/*
 * A data message (its header pulled): onto the receiving session's peer's
 * rx_queue, in arrival order, with a reference to the session (struct
 * kn_crypt_cb), and to a crypt worker, or for rx_work to decrypt itself
 * (INLINE).  The outer headers stay in the headroom: rx_work reads the
 * sender's endpoint from them once the packet proved authentic.
 */
static int kn_rx_enqueue(struct kn_device *kn, struct sk_buff *skb)
{
	struct kn_crypt_cb *cb = kn_crypt_cb(skb);
	struct kn_index_entry *e;
	struct kn_keypair *kp;
	struct kn_peer *peer;
	u8 state;

	rcu_read_lock_bh();
	e = kn_index_lookup(&kn->index_table, kn_get_le32(skb->data + 4),
			    KN_INDEX_KEYPAIR);
	peer = e ? e->peer : NULL;
	if (!peer || READ_ONCE(peer->dead)) {
		rcu_read_unlock_bh();
		return kn_rx_drop(kn, skb, KEYNET_DROP_UNKNOWN_PEER);
	}
	/* Being freed: retired, as if the lookup had missed it. */
	kp = kn_keypair_get_maybe_zero(container_of(e, struct kn_keypair,
						    entry));
	if (!kp) {
		rcu_read_unlock_bh();
		return kn_rx_drop(kn, skb, KEYNET_DROP_UNKNOWN_PEER);
	}
	/* By the inner packet's (padded) size, as on transmit. */
	state = kn_crypt_first_state(skb->len - KN_MSG_DATA_MIN_LEN);
	cb->peer = peer;
	cb->kp = kp;
	cb->counter = kn_get_le64(skb->data + 8);
	cb->len = skb->len;
	cb->reason = 0;
	cb->state = state;
	if (!kn_queue_add(&peer->rx_queue, KN_PEER_RX_QUEUE_MAX,
			  &kn->rx_queued, skb)) {
		rcu_read_unlock_bh();
		kn_keypair_put(kp);
		return kn_rx_drop(kn, skb, KEYNET_DROP_NOMEM);
	}
	/*
	 * From here on rx_work may take an INLINE @skb: not touched again.
	 * Not kn_peer_queue_work(): this RCU-bh section saw the peer alive,
	 * and kn_peer_remove() waits for it before cancelling rx_work and
	 * purging rx_queue (peer.h).
	 */
	if (state != KN_CRYPT_PENDING ||
	    !kn_crypt_submit(peer, skb, KN_CRYPT_RX))
		queue_work(kn->wq, &peer->rx_work);
	rcu_read_unlock_bh();
	return 0;
}

int kn_udp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct kn_device *kn = rcu_dereference_sk_user_data(sk);
	unsigned int want;
	u8 type;

	if (unlikely(!kn)) {
		kfree_skb(skb);
		return 0;
	}
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + 4))
		return kn_rx_drop(kn, skb, KEYNET_DROP_TOO_SHORT);
	__skb_pull(skb, sizeof(struct udphdr));
	type = kn_msg_type(skb->data, skb->len);
	switch (type) {
	case KN_MSG_INITIATION:
	case KN_MSG_RESPONSE:
	case KN_MSG_COOKIE_REPLY:
		want = type == KN_MSG_INITIATION ? KN_MSG_INITIATION_LEN :
		       type == KN_MSG_RESPONSE ? KN_MSG_RESPONSE_LEN :
		       KN_MSG_COOKIE_REPLY_LEN;
		if (skb->len != want)
			return kn_rx_drop(kn, skb, skb->len < want ?
					  KEYNET_DROP_TOO_SHORT :
					  KEYNET_DROP_BAD_TYPE);
		if (skb_queue_len(&kn->hs_queue) >= KN_HS_QUEUE_MAX)
			return kn_rx_drop(kn, skb, KEYNET_DROP_RATE_LIMITED);
		/* Handshakes only: data messages use the cb for crypt.h's. */
		kn_endpoint_from_skb(&KN_CB(skb)->src, skb);
		skb_queue_tail(&kn->hs_queue, skb);
		queue_work(kn->wq, &kn->hs_work);
		return 0;
	case KN_MSG_DATA:
		if (skb->len < KN_MSG_DATA_MIN_LEN)
			return kn_rx_drop(kn, skb, KEYNET_DROP_TOO_SHORT);
		if (!pskb_may_pull(skb, KN_MSG_DATA_HDR_LEN))
			return kn_rx_drop(kn, skb, KEYNET_DROP_TOO_SHORT);
		return kn_rx_enqueue(kn, skb);
	default:
		return kn_rx_drop(kn, skb, skb->len < 4 ? KEYNET_DROP_TOO_SHORT :
				  KEYNET_DROP_BAD_TYPE);
	}
}

/*
 * Check the decrypted inner packet and trim the padding.  Returns the
 * route table and the source address to check, or NULL when the payload
 * is not a sane IP packet.
 */
static struct kn_lpm_table *kn_rx_inner(struct kn_device *kn,
					struct sk_buff *skb, const u8 **src)
{
	unsigned int len = skb->len, tot;
	const u8 *p = skb->data;

	if (len >= sizeof(struct iphdr) && p[0] >> 4 == 4) {
		unsigned int ihl = (p[0] & 0xf) * 4;

		tot = kn_get_be16(p + 2);
		if (ihl < sizeof(struct iphdr) || tot < ihl || tot > len ||
		    pskb_trim(skb, tot))
			return NULL;
		skb->protocol = htons(ETH_P_IP);
		*src = skb->data + 12;
		return &kn->routes4;
	}
	if (len >= sizeof(struct ipv6hdr) && p[0] >> 4 == 6) {
		tot = sizeof(struct ipv6hdr) + kn_get_be16(p + 4);
		if (tot > len || pskb_trim(skb, tot))
			return NULL;
		skb->protocol = htons(ETH_P_IPV6);
		*src = skb->data + 8;
		return &kn->routes6;
	}
	return NULL;
}

/* One scatterlist per CPU; used with bottom halves disabled. */
static DEFINE_PER_CPU(struct scatterlist [KN_MAX_SG], kn_rx_sg);

/*
 * Decrypt the @len bytes after the data header in place (without
 * linearizing) and drop the header; the tag stays at the tail for the
 * caller to trim.  False if the tag does not verify.  Bottom halves
 * disabled (the per-CPU scatterlist).
 */
static bool kn_decrypt(struct sk_buff *skb, unsigned int len, u64 counter,
		       const u8 *key)
{
	struct scatterlist *sg = *this_cpu_ptr(&kn_rx_sg);
	struct sk_buff *trailer;
	int nsg;

	lockdep_assert_in_softirq();	/* BH disabled: the per-CPU sg */
	__skb_pull(skb, KN_MSG_DATA_HDR_LEN);
	nsg = skb_cow_data(skb, 0, &trailer);
	if (nsg <= 0 || nsg > KN_MAX_SG)
		return false;
	sg_init_table(sg, nsg);
	if (skb_to_sgvec(skb, sg, 0, len) <= 0)
		return false;
	return kn_aead_open_sg(sg, len, counter, key);
}

/*
 * Open @skb, a data message of rx_queue, under the session in its crypt
 * cb: a crypt worker's job, or rx_work's for an INLINE packet.  Bottom
 * halves disabled.  KN_CRYPT_DONE (the payload at skb->data, the tag
 * still at the tail), or KN_CRYPT_FAILED with the reason in the cb; the
 * caller publishes the state.  The replay window is not touched: rx_work
 * checks it, in order, after this.
 */
u8 kn_rx_open(struct sk_buff *skb)
{
	struct kn_crypt_cb *cb = kn_crypt_cb(skb);
	struct kn_keypair *kp = cb->kp;
	u64 now = ktime_get_boottime_ns();

	/* Retired since it arrived: as unknown as a lookup miss (before). */
	if (!READ_ONCE(kp->valid)) {
		cb->reason = KEYNET_DROP_UNKNOWN_PEER;
		return KN_CRYPT_FAILED;
	}
	if (now - kp->birth_ns >= kn_time(KN_REJECT_AFTER_TIME_NS) ||
	    cb->counter >= KN_REJECT_AFTER_MESSAGES) {
		cb->reason = KEYNET_DROP_NO_KEY;
		return KN_CRYPT_FAILED;
	}
	if (!kn_decrypt(skb, skb->len - KN_MSG_DATA_HDR_LEN, cb->counter,
			kp->keys.recv_key)) {
		cb->reason = KEYNET_DROP_BAD_MAC;
		return KN_CRYPT_FAILED;
	}
	return KN_CRYPT_DONE;
}

/*
 * The rest of a decrypted data message of @peer, in order (rx_work): the
 * replay check, the session's confirmation, roaming, the timers and the
 * inner packet's checks; then queue it on rx_done.  True when it was
 * queued there: it stays counted in the device's rx_queued until NAPI
 * takes it; false when it was consumed or dropped.  The caller holds the
 * packet's keypair reference and drops it afterwards.
 */
static bool kn_rx_data(struct kn_device *kn, struct kn_peer *peer,
		       struct sk_buff *skb)
{
	struct kn_crypt_cb *cb = kn_crypt_cb(skb);
	struct kn_keypair *kp = cb->kp;
	struct kn_lpm_table *table;
	struct kn_endpoint src;
	unsigned int len;
	const u8 *src_addr;
	bool confirmed, fresh, src_ok;
	u64 now = ktime_get_boottime_ns();
	enum keynet_drop reason;

	spin_lock_bh(&kp->replay_lock);
	fresh = kn_replay_check_and_update(&kp->replay, cb->counter);
	spin_unlock_bh(&kp->replay_lock);
	if (!fresh) {
		reason = KEYNET_DROP_REPLAY;
		goto drop;
	}
	/*
	 * The sender, from the outer headers the UDP layer left in the
	 * headroom: their offsets survive the decryption (skb_cow_data()
	 * and pskb_expand_head() move the head with the headroom), and
	 * nothing below resets them before this.
	 */
	kn_endpoint_from_skb(&src, skb);
	confirmed = kn_peer_confirm_keypair(peer, kp);

	/* Authenticated: the peer may roam to where this came from. */
	if (kn_peer_set_endpoint(peer, &src))
		kn_event_peer(kn, KEYNET_EVENT_ENDPOINT, peer);
	if (confirmed) {
		kn_timers_handshake_complete(peer);
		kn_tx_kick(peer);
	}
	kn_timers_any_authenticated_received(peer);
	if (confirmed)
		kn_event_handshake(peer);
	kn_timers_traversal(peer);
	if (kp->keys.is_initiator &&
	    now - kp->birth_ns > kn_time(KN_REJECT_AFTER_TIME_NS -
					 KN_KEEPALIVE_TIMEOUT_NS -
					 KN_REKEY_TIMEOUT_NS))
		kn_peer_initiate(peer, false);

	len = skb->len - KN_AEAD_TAG_LEN;
	if (!len) {		/* a keepalive */
		consume_skb(skb);
		return false;
	}
	kn_timers_data_received(peer);
	if (pskb_trim(skb, len) ||
	    !pskb_may_pull(skb, min_t(unsigned int, len, sizeof(struct ipv6hdr)))) {
		reason = KEYNET_DROP_NOMEM;
		goto drop;
	}
	table = kn_rx_inner(kn, skb, &src_addr);
	if (!table) {
		reason = KEYNET_DROP_BAD_PACKET;
		goto drop;
	}
	/*
	 * Source binding: the source must be routed to this peer by the
	 * longest prefix containing it (any member of a failover group
	 * qualifies); a transit peer may use any source one of its own
	 * prefixes covers.  Either way a failure is a bad-source drop, except
	 * in mesh mode, where the FIB may still route the source back via
	 * this peer (kn_mesh_rpf(); its own counter).
	 */
	rcu_read_lock_bh();
	src_ok = READ_ONCE(peer->transit) ?
		 kn_lpm_covers(table, src_addr, peer) :
		 kn_lpm_allowed(table, src_addr, peer);
	rcu_read_unlock_bh();
	if (!src_ok) {
		reason = KEYNET_DROP_BAD_SOURCE;
		if (!kn_mesh_on(kn))
			goto drop;
		reason = KEYNET_DROP_MESH_RPF;
		if (!kn_mesh_rpf(kn, peer, skb))
			goto drop;
	}
	/*
	 * rx_work hands rx_done to NAPI every 32 packets; this bounds it per
	 * peer should NAPI fall behind.  Device-wide, its packets still
	 * count in rx_queued, as they did in rx_queue (device.h).
	 */
	if (skb_queue_len(&peer->rx_done) >= KN_PEER_RX_QUEUE_MAX) {
		reason = KEYNET_DROP_NOMEM;
		goto drop;
	}

	len = skb->len;
	skb_scrub_packet(skb, true);
	skb->dev = kn->dev;
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_mac_len(skb);
	skb_probe_transport_header(skb);
	atomic64_add(len, &peer->rx_bytes);
	atomic64_inc(&peer->rx_packets);
	dev_sw_netstats_rx_add(kn->dev, len);
	skb_queue_tail(&peer->rx_done, skb);
	return true;

drop:
	kn_drop(kn, reason);
	KN_DEV_STATS_INC(kn->dev, rx_dropped);
	kfree_skb(skb);
	return false;
}

/*
 * Make sure the peer's NAPI context will deliver what is in rx_done: list
 * the peer there (taking a reference for the list) unless it already is,
 * and schedule the context.  The check runs under the context's lock after
 * the packets were queued, and the poll function unlists a peer only when
 * it finds rx_done empty under that lock, so no packet is left behind.
 * Called from the peer's rx_work, which holds the peer alive.
 */
static void kn_rx_deliver(struct kn_peer *peer)
{
	struct kn_rx_napi *rxn = peer->rx_napi;

	local_bh_disable();
	spin_lock(&rxn->lock);
	if (list_empty(&peer->rx_node) && !skb_queue_empty(&peer->rx_done)) {
		kref_get(&peer->refcount);
		list_add_tail(&peer->rx_node, &rxn->peers);
	}
	spin_unlock(&rxn->lock);
	napi_schedule(&rxn->napi);
	local_bh_enable();
}

/*
 * Take the head of the peer's rx_queue unless a crypt worker still has it
 * (or the queue is empty): NULL then, and that worker kicks rx_work when
 * it is done.  *@state: the packet's state when taken (not PENDING).
 */
static struct sk_buff *kn_rx_next(struct kn_peer *peer, u8 *state)
{
	struct sk_buff *skb;

	spin_lock_bh(&peer->rx_queue.lock);
	skb = skb_peek(&peer->rx_queue);
	if (skb) {
		*state = kn_crypt_state(skb);
		if (*state == KN_CRYPT_PENDING)
			skb = NULL;
		else
			__skb_unlink(skb, &peer->rx_queue);
	}
	spin_unlock_bh(&peer->rx_queue.lock);
	return skb;
}

/*
 * A peer's serial receive work, in process context on the device's
 * unbound workqueue: takes the data messages off the head of rx_queue in
 * arrival order once decrypted (by a crypt worker, or here for an INLINE
 * one), and does what must stay in order: the replay check, delivery to
 * rx_done for NAPI and GRO.  A dead peer's run does nothing: its teardown
 * purges rx_queue (peer.h).
 */
void kn_rx_worker(struct work_struct *work)
{
	struct kn_peer *peer = container_of(work, struct kn_peer, rx_work);
	struct kn_device *kn = peer->kn;
	struct kn_keypair *kp;
	struct sk_buff *skb;
	unsigned int n = 0;
	bool queued;
	u8 state;

	/*
	 * Not kn_queue_take(): a packet moved to rx_done stays counted in
	 * rx_queued until NAPI takes it; only what kn_rx_data() consumed or
	 * dropped gives its count back here.
	 */
	while (!READ_ONCE(peer->dead) && (skb = kn_rx_next(peer, &state))) {
		/* Off the list: ours, with its keypair reference (crypt.h). */
		kp = kn_crypt_cb(skb)->kp;
		if (state == KN_CRYPT_INLINE) {
			local_bh_disable();
			state = kn_rx_open(skb);
			local_bh_enable();
		}
		if (state == KN_CRYPT_DONE) {
			queued = kn_rx_data(kn, peer, skb);
		} else {
			WARN_ON_ONCE(state != KN_CRYPT_FAILED);
			kn_drop(kn, kn_crypt_cb(skb)->reason);
			KN_DEV_STATS_INC(kn->dev, rx_dropped);
			kfree_skb(skb);
			queued = false;
		}
		kn_keypair_put(kp);
		if (!queued)
			atomic_dec(&kn->rx_queued);
		if (++n % 32 == 0) {
			kn_rx_deliver(peer);
			cond_resched();
		}
	}
	if (n % 32)
		kn_rx_deliver(peer);
}

/* Packets of one peer per turn before the poll moves to the next peer. */
#define KN_RX_NAPI_PEER_QUOTA	32

/*
 * Hand decrypted packets to GRO, each peer's in the order they were
 * decrypted, taking the listed peers in turns.  The context stays
 * scheduled while any peer is listed.
 */
static int kn_napi_poll(struct napi_struct *napi, int budget)
{
	struct kn_rx_napi *rxn = container_of(napi, struct kn_rx_napi, napi);
	struct kn_peer *peer;
	struct sk_buff *skb;
	int work = 0, n;
	bool done;

	/*
	 * Testing only: deliver nothing, so packets pile up in rx_done as
	 * when this context falls behind.  The peers stay listed; the next
	 * kn_rx_deliver() after the parameter is cleared schedules us again.
	 */
	if (unlikely(READ_ONCE(debug_rx_hold))) {
		napi_complete_done(napi, 0);
		return 0;
	}
	while (work < budget) {
		spin_lock(&rxn->lock);
		peer = list_first_entry_or_null(&rxn->peers, struct kn_peer,
						rx_node);
		spin_unlock(&rxn->lock);
		if (!peer)
			break;
		/* Only this function unlists: @peer stays listed and alive. */
		n = min(budget - work, KN_RX_NAPI_PEER_QUOTA);
		while (n-- && (skb = kn_queue_take(&peer->rx_done,
						   &peer->kn->rx_queued))) {
			napi_gro_receive(napi, skb);
			work++;
		}
		spin_lock(&rxn->lock);
		done = skb_queue_empty(&peer->rx_done);
		if (done)
			list_del_init(&peer->rx_node);
		else
			list_move_tail(&peer->rx_node, &rxn->peers);
		spin_unlock(&rxn->lock);
		if (done)
			kn_peer_put(peer);
	}
	if (work < budget)
		napi_complete_done(napi, work);
	return work;
}

/* Schedule every NAPI context of @kn (RTNL held: they stay set up). */
void kn_rx_napi_kick(struct kn_device *kn)
{
	unsigned int i;

	ASSERT_RTNL();
	local_bh_disable();
	for (i = 0; i < kn->n_rx_napi; i++)
		napi_schedule(&kn->rx_napi[i].napi);
	local_bh_enable();
}

/* ndo_init (RTNL held): the device's NAPI contexts, enabled. */
int kn_rx_napi_init(struct kn_device *kn)
{
	unsigned int i, n = min_t(unsigned int, 2 * num_possible_cpus(),
				  KN_RX_NAPI_MAX);

	kn->rx_napi = kcalloc(n, sizeof(*kn->rx_napi), GFP_KERNEL_ACCOUNT);
	if (!kn->rx_napi)
		return -ENOMEM;
	kn->n_rx_napi = n;
	for (i = 0; i < n; i++) {
		struct kn_rx_napi *rxn = &kn->rx_napi[i];

		spin_lock_init(&rxn->lock);
		INIT_LIST_HEAD(&rxn->peers);
		kn_compat_napi_add(kn->dev, &rxn->napi, kn_napi_poll);
		napi_enable(&rxn->napi);
	}
	return 0;
}

/*
 * ndo_uninit (RTNL held), after every peer was shut down (no rx_work can
 * list a peer any more): stop the contexts, then let go of the peers they
 * still list and of their packets.
 */
void kn_rx_napi_uninit(struct kn_device *kn)
{
	struct kn_peer *peer;
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < kn->n_rx_napi; i++) {
		struct kn_rx_napi *rxn = &kn->rx_napi[i];

		napi_disable(&rxn->napi);
		for (;;) {
			spin_lock_bh(&rxn->lock);
			peer = list_first_entry_or_null(&rxn->peers,
							struct kn_peer, rx_node);
			if (peer)
				list_del_init(&peer->rx_node);
			spin_unlock_bh(&rxn->lock);
			if (!peer)
				break;
			kn_queue_purge(&peer->rx_done, &kn->rx_queued);
			kn_peer_put(peer);
		}
		netif_napi_del(&rxn->napi);
	}
	kfree(kn->rx_napi);
	kn->rx_napi = NULL;
	kn->n_rx_napi = 0;
}

/* Peer that owns the handshake index @receiver, with a reference. */
static struct kn_peer *kn_hs_peer_by_index(struct kn_device *kn, u32 receiver)
{
	struct kn_index_entry *e;
	struct kn_peer *peer = NULL;

	rcu_read_lock_bh();
	e = kn_index_lookup(&kn->index_table, receiver, KN_INDEX_HANDSHAKE);
	if (e)
		peer = kn_peer_get_maybe_zero(e->peer);
	rcu_read_unlock_bh();
	return peer;
}

static enum keynet_drop kn_noise_err_reason(int err)
{
	switch (err) {
	case -EPROTO:
		return KEYNET_DROP_LOW_ORDER;
	case -ESTALE:
	case -EBUSY:
		return KEYNET_DROP_REPLAY;
	case -ENOENT:
		return KEYNET_DROP_UNKNOWN_PEER;
	default:
		return KEYNET_DROP_BAD_MAC;
	}
}

/* Caller holds kn->static_lock for reading. */
static void kn_rx_initiation(struct kn_device *kn, struct sk_buff *skb,
			     u64 now)
{
	struct kn_noise_init_scratch scratch;
	struct kn_noise_keypair keys;
	struct kn_msg_response resp;
	struct kn_keypair *kp = NULL;
	struct kn_peer_hs *hs;
	struct kn_peer *peer;
	u32 index;
	int ret;

	ret = kn_noise_consume_initiation_begin(&kn->local, skb->data, skb->len,
						&scratch);
	if (ret) {
		kn_drop(kn, kn_noise_err_reason(ret));
		goto out;
	}
	rcu_read_lock_bh();
	peer = kn_peer_get_maybe_zero(kn_peer_lookup(kn, scratch.remote_static));
	rcu_read_unlock_bh();
	if (!peer) {
		kn_drop(kn, KEYNET_DROP_UNKNOWN_PEER);
		goto out;
	}
	mutex_lock(&peer->hs_lock);
	if (READ_ONCE(peer->dead)) {
		ret = -ENOENT;
		goto unlock;
	}
	hs = kn_peer_hs_get(peer);
	if (!hs) {
		ret = -ENOMEM;
		goto unlock;
	}
	ret = kn_noise_consume_initiation_finish(&scratch, &hs->noise, now);
	if (ret)
		goto unlock;
	kn_index_remove(&kn->index_table, &hs->entry);
	index = kn_index_insert(&kn->index_table, &hs->entry, peer,
				KN_INDEX_HANDSHAKE);
	ret = kn_noise_create_response(&hs->noise, index, &resp);
	if (ret)
		goto unlock;
	kn_cookie_add_macs(&hs->cookie, &resp, sizeof(resp), now);
	ret = kn_noise_derive_keypair(&hs->noise, &keys, now);
	if (ret)
		goto unlock;
	kp = kn_keypair_create(&kn->index_table, &hs->entry, &keys);
	memzero_explicit(&keys, sizeof(keys));
	if (!kp)
		ret = -ENOMEM;
	else
		kn_peer_install_keypair(peer, kp, false);
unlock:
	mutex_unlock(&peer->hs_lock);
	if (ret) {
		kn_drop(kn, ret == -ENOMEM ? KEYNET_DROP_NOMEM :
			kn_noise_err_reason(ret));
	} else {
		if (kn_peer_set_endpoint(peer, &KN_CB(skb)->src))
			kn_event_peer(kn, KEYNET_EVENT_ENDPOINT, peer);
		if (!kn_socket_send_buf(kn, &KN_CB(skb)->src, &resp,
					sizeof(resp)))
			kn_timers_any_authenticated_sent(peer);
		kn_timers_any_authenticated_received(peer);
		kn_timers_traversal(peer);
		kn_timers_session_derived(peer);
	}
	kn_peer_put(peer);
out:
	memzero_explicit(&scratch, sizeof(scratch));
}

static void kn_rx_response(struct kn_device *kn, struct sk_buff *skb, u64 now)
{
	struct kn_noise_keypair keys;
	struct kn_keypair *kp;
	struct kn_peer_hs *hs;
	struct kn_peer *peer;
	u32 receiver;
	int ret;

	if (kn_noise_response_receiver(skb->data, skb->len, &receiver)) {
		kn_drop(kn, KEYNET_DROP_BAD_TYPE);
		return;
	}
	peer = kn_hs_peer_by_index(kn, receiver);
	if (!peer) {
		kn_drop(kn, KEYNET_DROP_UNKNOWN_PEER);
		return;
	}
	mutex_lock(&peer->hs_lock);
	/* Found by its handshake index, so the peer has its hs. */
	hs = peer->hs;
	ret = READ_ONCE(peer->dead) || !hs ? -ENOENT :
	      kn_noise_consume_response(&kn->local, &hs->noise, skb->data,
					skb->len);
	if (!ret)
		ret = kn_noise_derive_keypair(&hs->noise, &keys, now);
	if (!ret) {
		kp = kn_keypair_create(&kn->index_table, &hs->entry, &keys);
		memzero_explicit(&keys, sizeof(keys));
		if (kp)
			kn_peer_install_keypair(peer, kp, true);
		else
			ret = -ENOMEM;
	}
	mutex_unlock(&peer->hs_lock);
	if (ret) {
		kn_drop(kn, ret == -ENOMEM ? KEYNET_DROP_NOMEM :
			kn_noise_err_reason(ret));
		goto out;
	}
	if (kn_peer_set_endpoint(peer, &KN_CB(skb)->src))
		kn_event_peer(kn, KEYNET_EVENT_ENDPOINT, peer);
	kn_timers_handshake_complete(peer);
	kn_timers_session_derived(peer);
	kn_timers_any_authenticated_received(peer);
	kn_timers_traversal(peer);
	kn_event_handshake(peer);
	/* Send what waited, or a keepalive so the responder can confirm. */
	kn_send_keepalive(peer);
out:
	kn_peer_put(peer);
}

/*
 * Peer that a cookie reply addressed to our index @receiver is for, with a
 * reference.  A cookie reply answers the last handshake message we sent
 * the peer: an initiation, whose index is still a handshake index, or a
 * response, whose index became its keypair's the moment we sent it
 * (kn_rx_initiation() makes the session before it answers).  So both
 * kinds of entry are looked up; kn_cookie_consume_reply() then accepts
 * only a reply that authenticates against the mac1 we last sent.
 */
static struct kn_peer *kn_cookie_peer_by_index(struct kn_device *kn,
					       u32 receiver)
{
	struct kn_index_entry *e;
	struct kn_peer *peer = NULL;

	rcu_read_lock_bh();
	e = kn_index_lookup(&kn->index_table, receiver, KN_INDEX_HANDSHAKE);
	if (!e)
		e = kn_index_lookup(&kn->index_table, receiver,
				    KN_INDEX_KEYPAIR);
	if (e)
		peer = kn_peer_get_maybe_zero(e->peer);
	rcu_read_unlock_bh();
	return peer;
}

static void kn_rx_cookie_reply(struct kn_device *kn, struct sk_buff *skb,
			       u64 now)
{
	struct kn_peer *peer;
	u32 receiver;
	int ret;

	if (kn_cookie_reply_receiver(skb->data, skb->len, &receiver)) {
		kn_drop(kn, KEYNET_DROP_BAD_TYPE);
		return;
	}
	peer = kn_cookie_peer_by_index(kn, receiver);
	if (!peer) {
		kn_drop(kn, KEYNET_DROP_UNKNOWN_PEER);
		return;
	}
	mutex_lock(&peer->hs_lock);
	ret = peer->hs ? kn_cookie_consume_reply(&peer->hs->cookie, skb->data,
						 skb->len, now) : -ENOENT;
	mutex_unlock(&peer->hs_lock);
	if (ret)
		kn_drop(kn, KEYNET_DROP_BAD_MAC);
	kn_peer_put(peer);
}

static void kn_rx_handshake(struct kn_device *kn, struct sk_buff *skb,
			    bool under_load)
{
	const struct kn_endpoint *src = &KN_CB(skb)->src;
	struct kn_msg_cookie_reply reply;
	const u8 *addr;
	unsigned int alen;
	__be16 port;
	u8 type = skb->data[0];
	u64 now = ktime_get_boottime_ns();
	enum kn_cookie_mac_state mac;

	if (src->addr.sa_family == AF_INET) {
		addr = (const u8 *)&src->addr4.sin_addr;
		alen = 4;
		port = src->addr4.sin_port;
	} else {
		addr = src->addr6.sin6_addr.s6_addr;
		alen = 16;
		port = src->addr6.sin6_port;
	}
	down_read(&kn->static_lock);
	if (!kn->has_key) {
		kn_drop(kn, KEYNET_DROP_NO_KEY);
		goto out;
	}
	if (type == KN_MSG_COOKIE_REPLY) {
		kn_rx_cookie_reply(kn, skb, now);
		goto out;
	}
	/* The only writer of the secret: this worker, see device.h. */
	kn_cookie_checker_refresh(&kn->cookie_checker, now);
	mac = kn_cookie_validate(&kn->cookie_checker, skb->data, skb->len,
				 addr, alen, port, under_load, now);
	if (mac == KN_COOKIE_INVALID_MAC1) {
		kn_drop(kn, KEYNET_DROP_BAD_MAC);
		goto out;
	}
	if (under_load && mac != KN_COOKIE_VALID_MAC1_MAC2) {
		/* Prove your address first: answer with a cookie, no DH. */
		if (!kn_cookie_create_reply(&kn->cookie_checker, &reply,
					    skb->data, skb->len, addr, alen,
					    port))
			kn_socket_send_buf(kn, src, &reply, sizeof(reply));
		kn_drop(kn, KEYNET_DROP_RATE_LIMITED);
		goto out;
	}
	/*
	 * The per-source limiter only under load, as the protocol intends:
	 * a quiet device answers every handshake, so many peers behind one
	 * NAT address (a hub's spokes after a restart) all get through.
	 */
	if (under_load && !kn_ratelimit_allow(&kn->ratelimit, addr, alen, now)) {
		kn_drop(kn, KEYNET_DROP_RATE_LIMITED);
		goto out;
	}
	if (type == KN_MSG_INITIATION)
		kn_rx_initiation(kn, skb, now);
	else
		kn_rx_response(kn, skb, now);
out:
	up_read(&kn->static_lock);
}

void kn_hs_worker(struct work_struct *work)
{
	struct kn_device *kn = container_of(work, struct kn_device, hs_work);
	struct sk_buff *skb;

	/* Testing only: the queue fills; clearing the parameter requeues us. */
	if (unlikely(READ_ONCE(debug_hs_hold)))
		return;
	while ((skb = skb_dequeue(&kn->hs_queue))) {
		bool under_load = skb_queue_len(&kn->hs_queue) >= KN_HS_QUEUE_LOAD;
		u64 now = ktime_get_boottime_ns();

		/* Stay "under load" for a second after the queue drained. */
		if (under_load)
			kn->last_under_load_ns = now;
		else if (kn->last_under_load_ns &&
			 now - kn->last_under_load_ns < NSEC_PER_SEC)
			under_load = true;
		if (skb_linearize(skb))
			kn_drop(kn, KEYNET_DROP_NOMEM);
		else
			kn_rx_handshake(kn, skb, under_load);
		consume_skb(skb);
		cond_resched();
	}
}
