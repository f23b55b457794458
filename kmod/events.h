/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_EVENTS_H
#define _KN_EVENTS_H

#include <net/genetlink.h>
#include <uapi/linux/keynet.h>

struct kn_device;
struct kn_peer;

/* The family's multicast groups (index 0: KEYNET_MCGRP_EVENTS). */
extern const struct genl_multicast_group kn_mcgrps[];
#define KN_N_MCGRPS 1

/*
 * Notify the "events" group of the device's namespace.  Callable from any
 * context (atomic allocation); costs one check when nobody listens.  An
 * event that cannot be allocated is lost, as netlink multicast may lose
 * messages anyway: listeners see ENOBUFS and re-read the state.
 */
void kn_event_peer(struct kn_device *kn, enum keynet_event ev,
		   struct kn_peer *peer);

#endif /* _KN_EVENTS_H */
