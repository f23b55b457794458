/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_RECEIVE_H
#define _KN_RECEIVE_H

struct sock;
struct sk_buff;
struct napi_struct;
struct work_struct;

int kn_udp_encap_rcv(struct sock *sk, struct sk_buff *skb);
int kn_napi_poll(struct napi_struct *napi, int budget);
void kn_rx_worker(struct work_struct *work);
void kn_hs_worker(struct work_struct *work);

#endif /* _KN_RECEIVE_H */
