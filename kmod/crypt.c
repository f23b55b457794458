// SPDX-License-Identifier: GPL-2.0
/*
 * The device's crypt workers: data messages of one peer sealed and opened
 * on several CPUs at once, their order restored before they leave.
 *
 * What runs where.
 *  - Transmit: the peer's tx_work (serial) takes packets from tx_queue in
 *    order, assigns each its nonce (the keypair's send counter), appends
 *    it to the peer's tx_order and hands it to the crypt worker of the
 *    next online CPU (round robin per peer).  tx_work sends from the head
 *    of tx_order whatever is sealed, in order, and stops at the first
 *    packet still in a worker (send.c).
 *  - Receive: kn_udp_encap_rcv() (softirq) appends each data message to
 *    its peer's rx_queue, in arrival order, and hands it to a worker the
 *    same way; the peer's rx_work (serial) takes opened packets from the
 *    head of rx_queue, checks the replay window and delivers them, in
 *    order (receive.c).
 *  - The workers (kn_crypt_run()) seal or open each packet of their
 *    ring, mark it DONE or FAILED and kick the peer's serial work.
 * With the parallel_crypto parameter off, or when a worker's ring is
 * full, a packet is not handed out (INLINE) and the serial work does its
 * crypto itself: the serial design, in the same state machine.
 *
 * Ownership of a packet (struct kn_crypt_cb in its cb).
 *  - On an ordered list it belongs to the list's serial step; a worker
 *    has it, read-write, from the ring until it stores DONE or FAILED.
 *    Nobody but the worker touches a PENDING packet's data (the list
 *    operations around it change only its next/prev links, which the
 *    worker never uses; the serial step reads only its state); after
 *    the store the worker touches neither the packet nor its keypair.
 *  - The keypair reference in cb->kp is taken by whoever puts the packet
 *    on the ordered list and dropped by the serial step when it takes
 *    the packet off (or by kn_crypt_purge() at teardown), on every path.
 *    Workers never drop it: a packet's keys outlive its time in a ring
 *    whatever happens to the peer's session slots meanwhile.
 *  - The peer is not referenced by the packet.  A packet in a ring counts
 *    in its peer's crypt_inflight (raised before the ring takes it,
 *    lowered by the worker as its very last access to the peer), and
 *    kn_peer_shutdown() waits for that count to reach zero before it
 *    purges the lists and lets the peer go (peer.h, step 5).  Only two
 *    kinds of code hand packets to workers: kn_udp_encap_rcv(), inside an
 *    RCU-bh section that saw the peer alive (the teardown's grace period
 *    waits for it), and tx_work, which tests @dead before each packet and
 *    is cancelled before the wait; so the count cannot rise again once
 *    the wait saw it at zero.
 *  - The device outlives its peers' packets: kn_crypt_uninit() runs in
 *    ndo_uninit after every peer is gone, so the rings are empty then.
 *
 * Locks.  Each ring has the ptr_ring's own locks: producers (tx_work in
 * process context, encap_rcv in softirq) take the producer lock with BH
 * disabled; the ring's worker is its only consumer.  The per-CPU
 * scatterlists of the crypto (send.c, receive.c) need BH disabled, which
 * the worker does per packet.  rx_queue is the one ordered list shared
 * between contexts (encap_rcv appends, rx_work unlinks): its own lock;
 * tx_order belongs to tx_work alone (no lock, __skb_* helpers) but for
 * the purge after tx_work is cancelled.
 */
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/wait_bit.h>

#include "crypt.h"
#include "keypair.h"
#include "peer.h"
#include "receive.h"
#include "send.h"
#include "compat.h"

/*
 * The workqueue every device's crypt workers run on, one for the module:
 * per-CPU (bound), so a packet is sealed on the CPU it was handed to;
 * CPU-intensive, so long runs of crypto do not hold up the other work
 * items of that CPU's pool; WQ_MEM_RECLAIM, as the devices' own, since
 * transmit may run under memory pressure.  One rescuer thread in all,
 * not one per device.
 */
static struct workqueue_struct *kn_crypt_wq;

static bool parallel_crypto = true;
module_param(parallel_crypto, bool, 0644);
MODULE_PARM_DESC(parallel_crypto,
		 "Seal and open one peer's packets on several CPUs, in order (default Y; N: each peer's own work does its crypto)");

/*
 * Inner packets below this many bytes cost less to seal or open than to
 * hand to another CPU and back (a ring, a wake-up, the kick of the
 * serial work), so they stay INLINE.  Measured on the 2-vCPU TCG bench
 * (bench/RESULTS.md, case crypt), with every packet handed out: 64-byte
 * packets went out at 0.4x the serial rate, 1,392-byte ones at 1.14x.
 * 0: hand out every packet.
 */
static unsigned int parallel_crypto_min = 256;
module_param(parallel_crypto_min, uint, 0644);
MODULE_PARM_DESC(parallel_crypto_min,
		 "Smallest inner packet (bytes) handed to the parallel crypt workers; smaller ones are sealed or opened by their peer's own work (default 256)");

/*
 * The state a data packet of @len bytes enters its ordered list in:
 * PENDING when it is to go to a worker, INLINE in serial mode or when it
 * is small.  Read at each packet, so the parameters may change at any
 * time: the serial steps handle both states.
 */
u8 kn_crypt_first_state(unsigned int len)
{
	return READ_ONCE(parallel_crypto) &&
	       len >= READ_ONCE(parallel_crypto_min) ? KN_CRYPT_PENDING :
						       KN_CRYPT_INLINE;
}

/* Next online CPU after the peer's last one (racy updates are fine). */
static int kn_crypt_next_cpu(struct kn_peer *peer)
{
	int cpu = cpumask_next(READ_ONCE(peer->crypt_cpu), cpu_online_mask);

	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	WRITE_ONCE(peer->crypt_cpu, cpu);
	return cpu;
}

/* A packet of @peer left a ring for good; wake kn_peer_shutdown(). */
static void kn_crypt_inflight_dec(struct kn_peer *peer)
{
	if (atomic_dec_and_test(&peer->crypt_inflight))
		wake_up_var(&peer->crypt_inflight);
}

/*
 * Hand @skb, PENDING and already on @peer's ordered list of direction
 * @dir, to a crypt worker.  False when the worker's ring is full: the
 * packet is then INLINE, for the serial step, and the caller must make
 * sure that step runs.  After a true return the caller must not touch
 * @skb (a worker has it, and then the serial step).  Caller: tx_work, or
 * kn_udp_encap_rcv() in its RCU-bh section that saw the peer alive.
 */
bool kn_crypt_submit(struct kn_peer *peer, struct sk_buff *skb,
		     enum kn_crypt_dir dir)
{
	struct kn_device *kn = peer->kn;
	int cpu = kn_crypt_next_cpu(peer);
	struct kn_crypt_cpu *c = per_cpu_ptr(kn->crypt, cpu);
	bool tx = dir == KN_CRYPT_TX;

	WARN_ON_ONCE(kn_crypt_state(skb) != KN_CRYPT_PENDING);
	atomic_inc(&peer->crypt_inflight);
	if (unlikely(ptr_ring_produce_bh(tx ? &c->tx_ring : &c->rx_ring, skb))) {
		/* Not in a ring after all: INLINE first, then uncounted. */
		kn_crypt_set_state(skb, KN_CRYPT_INLINE);
		kn_crypt_inflight_dec(peer);
		return false;
	}
	queue_work_on(cpu, kn_crypt_wq, tx ? &c->tx_work : &c->rx_work);
	return true;
}

/*
 * The crypto of @skb is over: publish @state, kick the peer's serial
 * work, and let go of the peer.  The peer is alive until the decrement
 * (crypt_inflight); its serial work may free @skb as soon as the state
 * is stored.  A kick of a dead peer's work is fine: kn_peer_shutdown()
 * cancels the works again after the wait.
 */
static void kn_crypt_done(struct kn_peer *peer, struct sk_buff *skb, u8 state,
			  struct work_struct *serial)
{
	struct kn_device *kn = peer->kn;

	kn_crypt_set_state(skb, state);
	queue_work(kn->wq, serial);
	kn_crypt_inflight_dec(peer);
}

static void kn_crypt_run(struct kn_crypt_cpu *c, struct ptr_ring *ring,
			 enum kn_crypt_dir dir)
{
	struct sk_buff *skb;
	unsigned int n = 0;

	/* The ring's only consumer, never in softirq: the plain lock will do. */
	while ((skb = ptr_ring_consume(ring))) {
		struct kn_peer *peer = kn_crypt_cb(skb)->peer;
		u8 state;

		WARN_ON_ONCE(peer->kn != c->kn ||
			     kn_crypt_state(skb) != KN_CRYPT_PENDING);
		local_bh_disable();
		state = dir == KN_CRYPT_TX ? kn_tx_seal(skb) : kn_rx_open(skb);
		local_bh_enable();
		kn_crypt_done(peer, skb, state, dir == KN_CRYPT_TX ?
			      &peer->tx_work : &peer->rx_work);
		if (++n % 32 == 0)
			cond_resched();
	}
}

static void kn_crypt_tx_worker(struct work_struct *work)
{
	struct kn_crypt_cpu *c = container_of(work, struct kn_crypt_cpu,
					      tx_work);

	kn_crypt_run(c, &c->tx_ring, KN_CRYPT_TX);
}

static void kn_crypt_rx_worker(struct work_struct *work)
{
	struct kn_crypt_cpu *c = container_of(work, struct kn_crypt_cpu,
					      rx_work);

	kn_crypt_run(c, &c->rx_ring, KN_CRYPT_RX);
}

/*
 * Drop the packets on an ordered list @q (a dead peer's, after its works
 * are cancelled and crypt_inflight reached zero: nobody else touches the
 * list, hence no lock): each gives back its keypair reference and its
 * count in the device's @queued.
 */
void kn_crypt_purge(struct sk_buff_head *q, atomic_t *queued)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q))) {
		WARN_ON_ONCE(kn_crypt_state(skb) == KN_CRYPT_PENDING);
		kn_keypair_put(kn_crypt_cb(skb)->kp);
		atomic_dec(queued);
		kfree_skb(skb);
	}
}

/*
 * Free the rings.  They are empty by now (every peer is gone, and with it
 * every packet it had in a ring); should one not be, its packets are
 * leaked with a warning rather than freed with references nobody can
 * vouch for.  A ring that was never set up is all zero: nothing to free.
 */
static void kn_crypt_free_rings(struct kn_device *kn)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct kn_crypt_cpu *c = per_cpu_ptr(kn->crypt, cpu);

		WARN_ON_ONCE(!__ptr_ring_empty(&c->tx_ring) ||
			     !__ptr_ring_empty(&c->rx_ring));
		ptr_ring_cleanup(&c->tx_ring, NULL);
		ptr_ring_cleanup(&c->rx_ring, NULL);
	}
}


int __init kn_crypt_module_init(void)
{
	kn_crypt_wq = alloc_workqueue("keynet-crypt", KN_WQ_PERCPU |
				      WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	return kn_crypt_wq ? 0 : -ENOMEM;
}

/* Module exit: every device, and so every crypt work, is gone. */
void kn_crypt_module_exit(void)
{
	destroy_workqueue(kn_crypt_wq);
}

/* ndo_init: the rings and works of every possible CPU. */
int kn_crypt_init(struct kn_device *kn)
{
	int cpu, ret = -ENOMEM;

	kn->crypt = alloc_percpu_gfp(struct kn_crypt_cpu, GFP_KERNEL_ACCOUNT);
	if (!kn->crypt)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct kn_crypt_cpu *c = per_cpu_ptr(kn->crypt, cpu);

		c->kn = kn;
		INIT_WORK(&c->tx_work, kn_crypt_tx_worker);
		INIT_WORK(&c->rx_work, kn_crypt_rx_worker);
		ret = ptr_ring_init(&c->tx_ring, KN_CRYPT_RING,
				    GFP_KERNEL_ACCOUNT);
		if (ret)
			goto err_rings;
		ret = ptr_ring_init(&c->rx_ring, KN_CRYPT_RING,
				    GFP_KERNEL_ACCOUNT);
		if (ret)
			goto err_rings;
	}
	return 0;

err_rings:
	kn_crypt_free_rings(kn);
	free_percpu(kn->crypt);
	kn->crypt = NULL;
	return ret;
}

/*
 * ndo_uninit, after every peer was shut down: no packet is in a ring and
 * none can be handed out, but a worker may still be queued or finishing
 * its last (empty) run: wait for each before the rings go.
 */
void kn_crypt_uninit(struct kn_device *kn)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct kn_crypt_cpu *c = per_cpu_ptr(kn->crypt, cpu);

		cancel_work_sync(&c->tx_work);
		cancel_work_sync(&c->rx_work);
	}
	kn_crypt_free_rings(kn);
	free_percpu(kn->crypt);
	kn->crypt = NULL;
}
