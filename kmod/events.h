/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_EVENTS_H
#define _KN_EVENTS_H

#include <linux/in6.h>
#include <net/genetlink.h>
#include <uapi/linux/keynet.h>

struct kn_device;
struct kn_peer;

/* The family's multicast groups (index 0: KEYNET_MCGRP_EVENTS). */
extern const struct genl_multicast_group kn_mcgrps[];
#define KN_N_MCGRPS 1

/*
 * Most routes of one peer examined for FAILOVER events per liveness
 * transition of that peer (the first ones of its route list); a peer with
 * more routes gets events for those only.  Bounds the work a single
 * transition does under conf_lock.
 */
#define KN_EVENT_FAILOVER_MAX_ROUTES	1024

/*
 * Notify the "events" group of the device's namespace.  Callable from any
 * context (atomic allocation); costs one check when nobody listens.  An
 * event that cannot be allocated is lost, as netlink multicast may lose
 * messages anyway: listeners see ENOBUFS and re-read the state.
 */
void kn_event_peer(struct kn_device *kn, enum keynet_event ev,
		   struct kn_peer *peer);
void kn_event_map(struct kn_device *kn, enum keynet_event ev, __be32 v4,
		  const struct in6_addr *v6);
struct kn_eam;
/* MAP_ADDED / MAP_REMOVED of a static map (prefixes and length). */
void kn_event_static_map(struct kn_device *kn, enum keynet_event ev,
			 const struct kn_eam *m);

/*
 * Liveness tracking (PEER_ALIVE, PEER_LOST, FAILOVER).  kn_peer_alive() is
 * computed lazily by the data path; the transitions are found by one work
 * item per device, the liveness worker, which compares each peer's
 * kn_peer_alive() with what it last reported (peer->alive_reported, under
 * conf_lock).  It runs when kicked (a handshake completed, a handshake
 * failed) and, while some peer has completed a handshake within the last
 * REJECT_AFTER_TIME, once a second (divided by debug_timer_div) to see
 * silences and the 180 s expiry, for which no timer fires.  Nothing is
 * added to the per-packet paths.
 */
void kn_events_init(struct kn_device *kn);
void kn_events_stop(struct kn_device *kn);
void kn_event_handshake(struct kn_peer *peer);
void kn_event_liveness_kick(struct kn_peer *peer);

#endif /* _KN_EVENTS_H */
