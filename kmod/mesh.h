/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mesh mode (KEYNET_LINK_F_MESH, docs/mesh.md): one keynet device that a
 * stock routing daemon (BIRD's Babel, babeld, OSPF) drives.  With the flag
 * set:
 *  - the device carries IFF_MULTICAST (kn_mesh_multicast());
 *  - every peer's key-derived link-local address is routed to it in
 *    routes6, like its automatic /128 (kn_peer_update_auto_route());
 *  - transmit (kn_xmit()): link-local multicast is copied to every peer
 *    with a session (kn_mesh_flood()); a packet whose route has a gateway
 *    goes to the peer the crypto-key table gives for that gateway
 *    (kn_mesh_route());
 *  - receive (kn_rx_data()): a source the crypto-key rule refuses is
 *    still accepted when the FIB routes it back out of this device via a
 *    gateway of the sending peer (kn_mesh_rpf()).
 * With the flag clear none of this runs: transmit tests kn_mesh_on() once
 * per packet, receive once per source the crypto-key rule refused.
 *
 * The flag lives in kn->link_flags: written under RTNL and conf_lock with
 * WRITE_ONCE() (netlink.c), read here locklessly.  A packet in flight
 * while it changes is handled under either rule.
 */
#ifndef _KN_MESH_H
#define _KN_MESH_H

#include "device.h"

struct kn_peer;

static inline bool kn_mesh_on(const struct kn_device *kn)
{
	return READ_ONCE(kn->link_flags) & KEYNET_LINK_F_MESH;
}

int kn_mesh_multicast(struct kn_device *kn, bool mesh,
		      struct netlink_ext_ack *extack);

/* How kn_xmit() sends a packet in mesh mode (kn_mesh_route()). */
enum kn_mesh_way {
	KN_MESH_KEY,	/* crypto-key routing on the destination, as off */
	KN_MESH_GW,	/* crypto-key routing on the route's gateway */
	KN_MESH_FLOOD,	/* link-local multicast: kn_mesh_flood() */
};

enum kn_mesh_way kn_mesh_route(struct kn_device *kn, struct sk_buff *skb,
			       struct kn_lpm_table **table, const u8 **key);
void kn_mesh_flood(struct kn_device *kn, struct sk_buff *skb);
bool kn_mesh_rpf(struct kn_device *kn, struct kn_peer *peer,
		 struct sk_buff *skb);

#endif /* _KN_MESH_H */
