/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_SEND_H
#define _KN_SEND_H

#include <linux/netdevice.h>

struct kn_peer;
struct work_struct;

netdev_tx_t kn_xmit(struct sk_buff *skb, struct net_device *dev);
void kn_tx_worker(struct work_struct *work);
void kn_hs_send_worker(struct work_struct *work);
void kn_send_keepalive(struct kn_peer *peer);
void kn_peer_initiate(struct kn_peer *peer, bool retry);
void kn_tx_drop_queued(struct kn_peer *peer);
void kn_tx_kick(struct kn_peer *peer);
void kn_tx_enqueue(struct kn_peer *peer, struct sk_buff *skb);
bool kn_peer_has_session(struct kn_peer *peer, u64 now);
u8 kn_tx_seal(struct sk_buff *skb);

#endif /* _KN_SEND_H */
