/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_SOCKET_H
#define _KN_SOCKET_H

#include <linux/skbuff.h>
#include "peer.h"

/*
 * Room for the outer headers in front of a data message: the UDP tunnel
 * code grows the head itself if the underlay's link layer needs more, so
 * only our own headers must fit without a reallocation.
 */
#define KN_UNDERLAY_HEADROOM	(NET_SKB_PAD + sizeof(struct ipv6hdr) + \
				 sizeof(struct udphdr))
/* Scatterlist entries an skb may need for in-place crypto. */
#define KN_MAX_SG		(MAX_SKB_FRAGS + 8)

/* What the receive path remembers of an underlay datagram. */
struct kn_skb_cb {
	struct kn_endpoint src;	/* the sender, and our address it hit */
};

#define KN_CB(skb) ((struct kn_skb_cb *)(skb)->cb)

int kn_udp_sock_create(struct net *net, int family, u16 port,
		       const u8 *addr, unsigned int alen, void *user_data,
		       int (*encap_rcv)(struct sock *sk, struct sk_buff *skb),
		       struct socket **out);
void kn_udp_sock_release(struct socket *sock);
int kn_socket_open(struct kn_device *kn, u16 port, const u8 *addr,
		   unsigned int alen);
void kn_socket_close(struct kn_device *kn);
void kn_socket_flush_routes(struct kn_device *kn);
int kn_socket_send_skb(struct kn_device *kn, struct sk_buff *skb,
		       const struct kn_endpoint *ep, struct kn_peer *peer);
int kn_socket_send_buf(struct kn_device *kn, const struct kn_endpoint *ep,
		       const void *buf, size_t len);
void kn_endpoint_from_skb(struct kn_endpoint *ep, struct sk_buff *skb);

#endif /* _KN_SOCKET_H */
