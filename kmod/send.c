// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit into the tunnel (what the device's transmit, kn_dev_xmit(),
 * leaves after NAT64 took its packets): crypto-key routing picks the
 * peer, packets wait in the peer's tx_queue (in order), and the peer's
 * tx_work gives them their nonces under its current session, in order,
 * has the device's crypt workers seal them on several CPUs (crypt.c) and
 * sends them in nonce order once sealed.  One work item per peer keeps
 * a peer's nonces and sends in order (a work item never runs on two CPUs
 * at once), while the device's unbound workqueue runs different peers on
 * different CPUs.
 * With no usable session the queue waits (bounded) and a handshake is
 * started; its completion kicks tx_work again.
 *
 * Handshake initiations are built in hs_work (process context: it takes
 * the peer's hs_lock mutex), never in the transmit path or a timer.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/timekeeping.h>
#include <net/icmp.h>
#include <net/ip.h>

#include "crypt.h"
#include "mesh.h"
#include "peer.h"
#include "send.h"
#include "socket.h"
#include "timers.h"
#include "compat.h"

static bool kn_route_alive(const void *p)
{
	return kn_peer_alive(p, ktime_get_boottime_ns());
}

/* Tell the sender its destination is unreachable through this device. */
static void kn_icmp_unreach(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	else if (skb->protocol == htons(ETH_P_IPV6))
		icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
}

/*
 * Start a handshake unless one was sent less than REKEY_TIMEOUT ago.  Any
 * context but hard IRQ; a dead peer starts none (kn_peer_queue_work()).
 */
void kn_peer_initiate(struct kn_peer *peer, bool retry)
{
	u64 now = ktime_get_boottime_ns();

	if (READ_ONCE(peer->dead))
		return;
	if (!retry) {
		u64 last = READ_ONCE(peer->hs_last_sent_ns);

		if (last && now - last < kn_time(KN_REKEY_TIMEOUT_NS))
			return;
		if (!READ_ONCE(peer->hs_first_attempt_ns))
			WRITE_ONCE(peer->hs_first_attempt_ns, now);
	}
	kn_peer_queue_work(peer, &peer->hs_work);
}

/* Have tx_work send what waits; nothing for a dead peer. */
void kn_tx_kick(struct kn_peer *peer)
{
	if (!READ_ONCE(peer->dead))
		kn_peer_queue_work(peer, &peer->tx_work);
}

/*
 * Queue @skb on the peer's tx_queue, or drop it (nomem) if a queue bound
 * is reached; the caller kicks tx_work.  Only under one of the guarantees
 * of peer.h, step 1.  The peer's bound covers tx_order too: what tx_work
 * took on is still the peer's to send (a lockless read of its length: off
 * by the one packet tx_work may be moving, as the bound is by the packets
 * other CPUs are adding).
 */
void kn_tx_enqueue(struct kn_peer *peer, struct sk_buff *skb)
{
	struct kn_device *kn = peer->kn;
	unsigned int busy = skb_queue_len_lockless(&peer->tx_order);

	if (busy >= KN_PEER_TX_QUEUE_MAX ||
	    !kn_queue_add(&peer->tx_queue, KN_PEER_TX_QUEUE_MAX - busy,
			  &kn->tx_queued, skb)) {
		kn_drop(kn, KEYNET_DROP_NOMEM);
		kfree_skb(skb);
	}
}

/* The local-source filter; caller holds rcu_read_lock_bh(). */
static bool kn_xmit_local_ok(struct kn_device *kn, struct sk_buff *skb)
{
	const struct kn_local_set *set = rcu_dereference_bh(kn->local_set);

	if (!set)
		return true;
	if (skb->protocol == htons(ETH_P_IP))
		return kn_local_allowed(set, (u8 *)&ip_hdr(skb)->saddr, 4);
	return kn_local_allowed(set, ipv6_hdr(skb)->saddr.s6_addr, 16);
}

/*
 * Choose the peer of @skb by crypto-key routing on its destination and
 * queue the packet for it.  In mesh mode (mesh.h) the key may be the
 * route's gateway instead, and link-local multicast goes to every peer
 * with a session; with mesh mode off that costs one test of the flag.
 */
netdev_tx_t kn_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);
	enum kn_mesh_way way = KN_MESH_KEY;
	struct kn_lpm_table *table;
	struct sk_buff *segs, *next;
	struct kn_peer *peer = NULL;
	const u8 *key;

	rcu_read_lock_bh();
	if (skb->protocol == htons(ETH_P_IP) &&
	    pskb_network_may_pull(skb, sizeof(struct iphdr)) &&
	    ip_hdr(skb)->version == 4) {
		table = &kn->routes4;
		key = (u8 *)&ip_hdr(skb)->daddr;
	} else if (skb->protocol == htons(ETH_P_IPV6) &&
		   pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) &&
		   ipv6_hdr(skb)->version == 6) {
		table = &kn->routes6;
		key = ipv6_hdr(skb)->daddr.s6_addr;
	} else {
		goto drop_bad;
	}
	if (unlikely(kn_mesh_on(kn))) {
		/* May make @table and @key the gateway's (a dst field). */
		way = kn_mesh_route(kn, skb, &table, &key);
		if (way == KN_MESH_FLOOD)
			goto flood;
	}
	peer = kn_lpm_lookup(table, key, kn_route_alive);
	if (peer && unlikely(rcu_access_pointer(kn->local_set)) &&
	    !kn_xmit_local_ok(kn, skb)) {
		kn_drop(kn, KEYNET_DROP_LOCAL_FILTER);
		goto drop;
	}
	if (!peer || READ_ONCE(peer->dead)) {
		kn_drop(kn, way == KN_MESH_GW ? KEYNET_DROP_NO_NEXTHOP :
			KEYNET_DROP_NO_ROUTE);
		kn_icmp_unreach(skb);
		goto drop;
	}
	if (READ_ONCE(peer->endpoint.addr.sa_family) == AF_UNSPEC) {
		kn_drop(kn, KEYNET_DROP_UNDERLAY);
		kn_icmp_unreach(skb);
		goto drop;
	}
	/* Nothing of the overlay's routing decision is needed any more. */
	skb_dst_drop(skb);
	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			kn_drop(kn, KEYNET_DROP_NOMEM);
			goto drop;
		}
		consume_skb(skb);
		skb = segs;
	}
	skb_list_walk_safe(skb, skb, next) {
		skb_mark_not_on_list(skb);
		kn_tx_enqueue(peer, skb);
	}
	/*
	 * Without kn_peer_queue_work()'s lock: this RCU-bh section found the
	 * peer alive, and kn_peer_remove() waits for it before it cancels
	 * tx_work and purges tx_queue (peer.h, step 2).
	 */
	queue_work(kn->wq, &peer->tx_work);
	rcu_read_unlock_bh();
	return NETDEV_TX_OK;

flood:
	if (unlikely(rcu_access_pointer(kn->local_set)) &&
	    !kn_xmit_local_ok(kn, skb)) {
		kn_drop(kn, KEYNET_DROP_LOCAL_FILTER);
		goto drop;
	}
	skb_dst_drop(skb);
	kn_mesh_flood(kn, skb);
	rcu_read_unlock_bh();
	return NETDEV_TX_OK;

drop_bad:
	kn_drop(kn, KEYNET_DROP_BAD_PACKET);
drop:
	rcu_read_unlock_bh();
	KN_DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* A session may carry traffic: not retired, not too old, not worn out. */
static bool kn_keypair_usable(struct kn_keypair *kp, u64 now)
{
	return kp && READ_ONCE(kp->valid) &&
	       now - kp->birth_ns < kn_time(KN_REJECT_AFTER_TIME_NS) &&
	       atomic64_read(&kp->send_counter) < KN_REJECT_AFTER_MESSAGES;
}

static bool kn_keypair_wants_rekey(struct kn_keypair *kp, u64 now)
{
	return kp->keys.is_initiator &&
	       (now - kp->birth_ns > kn_time(KN_REKEY_AFTER_TIME_NS) ||
		atomic64_read(&kp->send_counter) > KN_REKEY_AFTER_MESSAGES);
}

/* One scatterlist per CPU; used with bottom halves disabled. */
static DEFINE_PER_CPU(struct scatterlist [KN_MAX_SG], kn_tx_sg);

/*
 * Turn @skb (an inner packet, or empty for a keepalive) into a data
 * message under @kp with nonce @counter, in place: padding and tag room
 * are added at the tail (skb_cow_data makes the data writable without
 * linearizing) and the payload is encrypted through a scatterlist.
 * Called with bottom halves disabled.  Returns 0 or a negative errno;
 * @skb is left for the caller to free on error.
 */
static int kn_encrypt(struct kn_device *kn, struct kn_keypair *kp,
		      struct sk_buff *skb, u64 counter)
{
	struct scatterlist *sg = *this_cpu_ptr(&kn_tx_sg);
	unsigned int plen = skb->len, padded, trailer_len;
	struct sk_buff *trailer;
	int nsg;
	u8 *hdr;

	lockdep_assert_in_softirq();	/* BH disabled: the per-CPU sg */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;
	padded = kn_data_padded_len(plen, READ_ONCE(kn->dev->mtu));
	trailer_len = padded - plen + KN_AEAD_TAG_LEN;
	if (skb_cow_head(skb, KN_MSG_DATA_HDR_LEN + KN_UNDERLAY_HEADROOM))
		return -ENOMEM;
	nsg = skb_cow_data(skb, trailer_len, &trailer);
	if (nsg < 0 || nsg > KN_MAX_SG)
		return -ENOMEM;
	memset(pskb_put(skb, trailer, trailer_len), 0, trailer_len);
	sg_init_table(sg, nsg);
	if (skb_to_sgvec(skb, sg, 0, skb->len) <= 0)
		return -ENOMEM;
	if (!kn_aead_seal_sg(sg, padded, counter, kp->keys.send_key))
		return -ENOMEM;
	hdr = skb_push(skb, KN_MSG_DATA_HDR_LEN);
	kn_put_le32(hdr, KN_MSG_DATA);
	kn_put_le32(hdr + 4, kp->keys.remote_index);
	kn_put_le64(hdr + 8, counter);
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/*
 * Whether @peer has a session to send under now (mesh flood copies).
 * Caller holds rcu_read_lock_bh().
 */
bool kn_peer_has_session(struct kn_peer *peer, u64 now)
{
	return kn_keypair_usable(kn_peer_current_keypair(peer), now);
}

/*
 * Seal @skb, a packet of tx_order, as its crypt cb says: a crypt worker's
 * job, or tx_work's for an INLINE packet.  Bottom halves disabled (the
 * per-CPU scatterlist).  KN_CRYPT_DONE, or KN_CRYPT_FAILED with the
 * reason in the cb; the caller publishes the state.
 */
u8 kn_tx_seal(struct sk_buff *skb)
{
	struct kn_crypt_cb *cb = kn_crypt_cb(skb);
	int ret = kn_encrypt(cb->peer->kn, cb->kp, skb, cb->counter);

	if (!ret)
		return KN_CRYPT_DONE;
	cb->reason = ret == -ENOMEM ? KEYNET_DROP_NOMEM : KEYNET_DROP_NO_KEY;
	return KN_CRYPT_FAILED;
}

/* Packets tx_work hands out per turn before it sends what is sealed. */
#define KN_TX_BATCH	64

/*
 * tx_work's send step: take the sealed packets off the head of tx_order
 * and send them, in nonce order, sealing INLINE ones here; stop at the
 * first packet still in a crypt worker (its worker kicks us when done).
 * Each packet taken off gives back its keypair reference and its count
 * in the device's tx_queued, whatever becomes of it.
 */
static void kn_tx_send_ready(struct kn_peer *peer, unsigned int *n)
{
	struct kn_device *kn = peer->kn;
	struct kn_crypt_cb *cb;
	struct kn_endpoint ep;
	struct sk_buff *skb;
	unsigned int len;
	u8 state;

	while ((skb = skb_peek(&peer->tx_order))) {
		cb = kn_crypt_cb(skb);
		state = kn_crypt_state(skb);
		if (state == KN_CRYPT_PENDING)
			return;
		if (state == KN_CRYPT_INLINE) {
			local_bh_disable();
			state = kn_tx_seal(skb);
			local_bh_enable();
		}
		__skb_unlink(skb, &peer->tx_order);
		atomic_dec(&kn->tx_queued);
		kn_keypair_put(cb->kp);
		len = cb->len;
		if (++*n % 64 == 0)
			cond_resched();
		if (state != KN_CRYPT_DONE) {
			WARN_ON_ONCE(state != KN_CRYPT_FAILED);
			kn_drop(kn, cb->reason);
			kfree_skb(skb);
			continue;
		}
		if (!kn_peer_get_endpoint(peer, &ep)) {
			kn_drop(kn, KEYNET_DROP_UNDERLAY);
			kfree_skb(skb);
			continue;
		}
		if (kn_socket_send_skb(kn, skb, &ep, peer))
			continue;
		kn_timers_any_authenticated_sent(peer);
		kn_timers_traversal(peer);
		if (len) {	/* not a keepalive */
			atomic64_add(len, &peer->tx_bytes);
			atomic64_inc(&peer->tx_packets);
			dev_sw_netstats_tx_add(kn->dev, 1, len);
			kn_timers_data_sent(peer);
		}
	}
}

/*
 * tx_work's dispatch step: move up to KN_TX_BATCH packets from tx_queue
 * to tx_order under the current session, each with the next nonce and a
 * reference to the session, and hand them to crypt workers (or leave
 * them INLINE, for the send step).  They stay counted in tx_queued.
 * True when it moved a whole batch (there may be more).
 */
static bool kn_tx_dispatch(struct kn_peer *peer)
{
	struct kn_device *kn = peer->kn;
	unsigned int i;

	for (i = 0; i < KN_TX_BATCH; i++) {
		u64 counter, now = ktime_get_boottime_ns();
		struct kn_crypt_cb *cb;
		struct kn_keypair *kp;
		struct sk_buff *skb;
		u8 state;

		/* Checked before each packet: see peer.h, step 5a. */
		if (READ_ONCE(peer->dead) ||
		    skb_queue_len(&peer->tx_order) >= KN_PEER_TX_QUEUE_MAX)
			return false;
		rcu_read_lock_bh();
		kp = kn_peer_current_keypair(peer);
		/*
		 * A session being freed is as unusable as none; whatever
		 * replaces it kicks us (handshake completion, confirmation).
		 */
		if (!kn_keypair_usable(kp, now) ||
		    !kn_keypair_get_maybe_zero(kp)) {
			rcu_read_unlock_bh();
			if (!skb_queue_empty(&peer->tx_queue))
				kn_peer_initiate(peer, false);
			return false;
		}
		rcu_read_unlock_bh();
		if (kn_keypair_wants_rekey(kp, now))
			kn_peer_initiate(peer, false);
		/* Not kn_queue_take(): it stays counted until sent or dropped. */
		skb = skb_dequeue(&peer->tx_queue);
		if (!skb) {
			kn_keypair_put(kp);
			return false;
		}
		/* tx_work is the only one to take nonces: in tx_order order. */
		counter = atomic64_inc_return(&kp->send_counter) - 1;
		if (counter >= KN_REJECT_AFTER_MESSAGES) {
			kn_keypair_put(kp);
			atomic_dec(&kn->tx_queued);
			kn_drop(kn, KEYNET_DROP_NO_KEY);
			kfree_skb(skb);
			continue;
		}
		state = kn_crypt_first_state(skb->len);
		cb = kn_crypt_cb(skb);
		cb->peer = peer;
		cb->kp = kp;
		cb->counter = counter;
		cb->len = skb->len;
		cb->reason = 0;
		cb->state = state;
		__skb_queue_tail(&peer->tx_order, skb);
		/* Ring full: it stays INLINE; the send step seals it. */
		if (state == KN_CRYPT_PENDING)
			kn_crypt_submit(peer, skb, KN_CRYPT_TX);
	}
	return true;
}

/*
 * A peer's serial transmit work: hand packets out in batches and send
 * what is sealed in between, until nothing more can be handed out; then
 * send what is sealed once more.  What is still being sealed when it
 * returns is sent by the run its worker kicks.  A dead peer's run does
 * nothing: its teardown purges the lists (peer.h).
 */
void kn_tx_worker(struct work_struct *work)
{
	struct kn_peer *peer = container_of(work, struct kn_peer, tx_work);
	unsigned int n = 0;
	bool more = true;

	while (!READ_ONCE(peer->dead)) {
		kn_tx_send_ready(peer, &n);
		if (!more)
			break;
		more = kn_tx_dispatch(peer);
	}
}

/*
 * An empty data message: proves liveness and confirms a new session.
 * Called from timers and from the device's handshake worker, outside any
 * RCU section that found the peer: the keepalive is queued, like the
 * kick, under @work_lock and only while the peer lives, so none lands on
 * a tx_queue that kn_peer_shutdown() already purged (peer.h).
 */
void kn_send_keepalive(struct kn_peer *peer)
{
	struct sk_buff *skb = NULL;

	if (READ_ONCE(peer->dead))
		return;
	if (skb_queue_empty(&peer->tx_queue)) {
		skb = alloc_skb(KN_MSG_DATA_HDR_LEN + KN_UNDERLAY_HEADROOM +
				KN_AEAD_TAG_LEN, GFP_ATOMIC);
		if (!skb) {
			kn_drop(peer->kn, KEYNET_DROP_NOMEM);
			return;
		}
		skb_reserve(skb, KN_MSG_DATA_HDR_LEN + KN_UNDERLAY_HEADROOM);
	}
	spin_lock_bh(&peer->work_lock);
	if (!peer->dead) {
		if (skb)
			kn_tx_enqueue(peer, skb);
		skb = NULL;
		queue_work(peer->kn->wq, &peer->tx_work);
	}
	spin_unlock_bh(&peer->work_lock);
	/* The peer died meanwhile: the keepalive was never queued. */
	kfree_skb(skb);
}

/* Handshake attempts gave up: what waited for a session is dropped. */
void kn_tx_drop_queued(struct kn_peer *peer)
{
	struct sk_buff *skb;

	while ((skb = kn_queue_take(&peer->tx_queue, &peer->kn->tx_queued))) {
		kn_drop(peer->kn, KEYNET_DROP_NO_KEY);
		kfree_skb(skb);
	}
}

void kn_hs_send_worker(struct work_struct *work)
{
	struct kn_peer *peer = container_of(work, struct kn_peer, hs_work);
	struct kn_device *kn = peer->kn;
	struct kn_msg_initiation msg;
	struct kn_endpoint ep;
	struct kn_peer_hs *hs = NULL;
	struct timespec64 ts;
	u8 tai[KN_TAI64N_LEN];
	u64 now;
	u32 index;
	int ret = -EINVAL;

	if (READ_ONCE(peer->dead) || !kn_peer_get_endpoint(peer, &ep))
		return;
	ktime_get_real_ts64(&ts);
	kn_noise_tai64n(tai, ts.tv_sec, ts.tv_nsec);
	down_read(&kn->static_lock);
	mutex_lock(&peer->hs_lock);
	if (kn->has_key && !READ_ONCE(peer->dead)) {
		hs = kn_peer_hs_get(peer);
		if (!hs)
			kn_drop(kn, KEYNET_DROP_NOMEM);
	}
	if (hs) {
		now = ktime_get_boottime_ns();
		kn_index_remove(&kn->index_table, &hs->entry);
		index = kn_index_insert(&kn->index_table, &hs->entry, peer,
					KN_INDEX_HANDSHAKE);
		ret = kn_noise_create_initiation(&kn->local, &hs->noise, tai,
						 index, &msg);
		if (!ret) {
			kn_cookie_add_macs(&hs->cookie, &msg, sizeof(msg), now);
			WRITE_ONCE(peer->hs_last_sent_ns, now);
		}
	}
	mutex_unlock(&peer->hs_lock);
	up_read(&kn->static_lock);
	if (ret)
		return;
	if (!kn_socket_send_buf(kn, &ep, &msg, sizeof(msg))) {
		kn_timers_any_authenticated_sent(peer);
		kn_timers_traversal(peer);
	}
	kn_timers_handshake_initiated(peer);
}
