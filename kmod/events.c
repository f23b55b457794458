// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group of the keynet family: KEYNET_CMD_EVENT
 * notifications of what changed by itself (handshakes, roaming, failover,
 * NAT64 mappings, beacon auto-peers).  Configuration changes made through
 * the family are not echoed: the requester already knows.
 */
#include <net/genetlink.h>

#include "device.h"
#include "peer.h"
#include "netlink.h"
#include "events.h"

const struct genl_multicast_group kn_mcgrps[KN_N_MCGRPS] = {
	{ .name = KEYNET_MCGRP_EVENTS },
};

static bool kn_event_wanted(struct kn_device *kn)
{
	return genl_has_listeners(&kn_genl_family, dev_net(kn->dev), 0);
}

/* Start an event message with its type and the device; NULL on failure. */
static struct sk_buff *kn_event_start(struct kn_device *kn,
				      enum keynet_event ev, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &kn_genl_family, 0, KEYNET_CMD_EVENT);
	if (!*hdr ||
	    nla_put_u32(msg, KEYNET_A_EVENT, ev) ||
	    nla_put_u32(msg, KEYNET_A_IFINDEX, kn->dev->ifindex) ||
	    nla_put_string(msg, KEYNET_A_IFNAME, kn->dev->name)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void kn_event_send(struct kn_device *kn, struct sk_buff *msg,
			  void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&kn_genl_family, dev_net(kn->dev), msg, 0, 0,
				GFP_ATOMIC);
}

void kn_event_peer(struct kn_device *kn, enum keynet_event ev,
		   struct kn_peer *peer)
{
	struct kn_endpoint ep;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!kn_event_wanted(kn))
		return;
	msg = kn_event_start(kn, ev, &hdr);
	if (!msg)
		return;
	ret = nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN,
		      peer->public_key);
	if (!ret && kn_peer_get_endpoint(peer, &ep)) {
		if (ep.addr.sa_family == AF_INET)
			ret = nla_put(msg, KEYNET_A_ENDPOINT, sizeof(ep.addr4),
				      &ep.addr4);
		else
			ret = nla_put(msg, KEYNET_A_ENDPOINT, sizeof(ep.addr6),
				      &ep.addr6);
	}
	if (ret) {
		nlmsg_free(msg);
		return;
	}
	kn_event_send(kn, msg, hdr);
}
