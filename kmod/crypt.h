/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parallel data-message crypto: the device's crypt workers (crypt.c).
 *
 * A data packet is taken in order onto its peer's ordered list (tx_order
 * on transmit, rx_queue on receive), handed to a per-CPU worker, and
 * taken off the list in order again by the peer's serial work (tx_work,
 * rx_work) once it is done: the nonces go out in the order they were
 * assigned, and the replay check and delivery see the packets in the
 * order they arrived.  The state of the packet lives in its skb->cb.
 */
#ifndef _KN_CRYPT_H
#define _KN_CRYPT_H

#include <linux/ptr_ring.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>

struct kn_device;
struct kn_peer;
struct kn_keypair;

/*
 * Entries of each per-CPU ring (each way): 4 KiB a ring on 64-bit, 8 KiB
 * per possible CPU and device.  A full ring costs parallelism, not
 * packets: what does not fit is sealed or opened by the peer's own work.
 */
#define KN_CRYPT_RING		512

/*
 * Where a data packet on an ordered list stands.  PENDING: in a worker's
 * ring (and counted in its peer's crypt_inflight); the serial step waits
 * for it.  INLINE: no worker has it (serial mode, or the ring was full);
 * the serial step does the crypto itself when it gets to it.  DONE and
 * FAILED: the crypto is over (FAILED: @reason says why, the serial step
 * drops it).  Changed only by the owner of the packet (see crypt.c), with
 * kn_crypt_set_state() (a release); read with kn_crypt_state() (an
 * acquire), so what the worker wrote into the packet is visible to the
 * serial step that sees DONE or FAILED.
 */
enum kn_crypt_state {
	KN_CRYPT_PENDING = 1,
	KN_CRYPT_INLINE,
	KN_CRYPT_DONE,
	KN_CRYPT_FAILED,
};

/**
 * struct kn_crypt_cb - a data packet's crypt state, in its skb->cb
 * @peer: the peer whose ordered list holds the packet (not a reference:
 *	the peer's crypt_inflight and its teardown keep it alive, crypt.c)
 * @kp: the session the packet is sealed or opened under: a reference,
 *	owned by whoever holds the packet on the ordered list and dropped
 *	by the serial step (or the purge) when it takes it off
 * @counter: the packet's nonce (transmit: assigned in order by tx_work;
 *	receive: the counter field of the message)
 * @len: transmit: the inner packet's length before encryption (0 = a
 *	keepalive); receive: the message's length
 * @state: &enum kn_crypt_state
 * @reason: &enum keynet_drop of a FAILED packet
 *
 * Data messages only; handshake messages use struct kn_skb_cb (socket.h)
 * and never meet this one.
 */
struct kn_crypt_cb {
	struct kn_peer *peer;
	struct kn_keypair *kp;
	u64 counter;
	u32 len;
	u8 state;
	u8 reason;
};

static inline struct kn_crypt_cb *kn_crypt_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct kn_crypt_cb) > sizeof_field(struct sk_buff, cb));
	return (struct kn_crypt_cb *)skb->cb;
}

static inline u8 kn_crypt_state(struct sk_buff *skb)
{
	/* Pairs with kn_crypt_set_state(): the packet as the worker left it. */
	return smp_load_acquire(&kn_crypt_cb(skb)->state);
}

static inline void kn_crypt_set_state(struct sk_buff *skb, u8 state)
{
	/* Pairs with kn_crypt_state(): everything written before is seen. */
	smp_store_release(&kn_crypt_cb(skb)->state, state);
}

/**
 * struct kn_crypt_cpu - one CPU's crypt worker of a device
 * @tx_ring: packets to seal, from every peer's tx_work
 * @rx_ring: packets to open, from kn_udp_encap_rcv()
 * @tx_work: seals what @tx_ring holds (on this CPU)
 * @rx_work: opens what @rx_ring holds (on this CPU)
 * @kn: the device
 */
struct kn_crypt_cpu {
	struct ptr_ring tx_ring;
	struct ptr_ring rx_ring;
	struct work_struct tx_work;
	struct work_struct rx_work;
	struct kn_device *kn;
};

enum kn_crypt_dir {
	KN_CRYPT_TX,
	KN_CRYPT_RX,
};

int kn_crypt_module_init(void);
void kn_crypt_module_exit(void);
int kn_crypt_init(struct kn_device *kn);
void kn_crypt_uninit(struct kn_device *kn);
u8 kn_crypt_first_state(unsigned int len);
bool kn_crypt_submit(struct kn_peer *peer, struct sk_buff *skb,
		     enum kn_crypt_dir dir);
void kn_crypt_purge(struct sk_buff_head *q, atomic_t *queued);

#endif /* _KN_CRYPT_H */
