/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_RECEIVE_H
#define _KN_RECEIVE_H

#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/list.h>

struct sock;
struct sk_buff;
struct work_struct;
struct kn_device;

/*
 * Most NAPI contexts a device has: twice the possible CPUs, at most this
 * many.  Each peer is served by one of them, fixed at its creation.
 */
#define KN_RX_NAPI_MAX		64

/**
 * struct kn_rx_napi - one of a device's NAPI contexts (receive.c)
 * @napi: polls the peers on @peers, handing their packets to GRO
 * @lock: BH spinlock; protects @peers and the rx_node of every peer
 * @peers: peers with decrypted packets in their rx_done; each entry holds
 *	a reference to its peer.  Only the poll function removes entries.
 */
struct kn_rx_napi {
	struct napi_struct napi;
	spinlock_t lock;
	struct list_head peers;
};

int kn_rx_napi_init(struct kn_device *kn);
void kn_rx_napi_uninit(struct kn_device *kn);
void kn_rx_napi_kick(struct kn_device *kn);

int kn_udp_encap_rcv(struct sock *sk, struct sk_buff *skb);
void kn_rx_worker(struct work_struct *work);
u8 kn_rx_open(struct sk_buff *skb);
void kn_hs_worker(struct work_struct *work);

#endif /* _KN_RECEIVE_H */
