/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state of one "keynet conf apply" (conf_apply.c), shared with its
 * rtnetlink half (conf_apply_rt.c: addresses, mesh's link-local address,
 * host routes).
 */
#ifndef KN_CONF_APPLY_H
#define KN_CONF_APPLY_H

#include "conf.h"

struct kn_apply {
	struct kn_conf *want;
	struct kn_conf have;
	const char *dev;
	struct kn_nl *g;
	struct kn_nl *rt;
	struct kn_rt_link link;
	bool created;
	struct kn_nl_batch b;
	struct kn_diff peers;
	bool *peer_gone;	/* per have peer: removed by this apply */
	bool had_ll;		/* mesh's link-local address before the apply */
	uint8_t old_ll[16];
	/* what was done, for the summary */
	bool link_changed, mtu_changed, brought_up;
	int peers_added, peers_changed, peers_removed;
	int routes_added, routes_changed, routes_removed;
	int nat64_op;		/* 1 on, 2 changed, 3 off */
	int pools_added, pools_removed, maps_added, maps_removed;
	int addrs_added, addrs_removed, hroutes_added, hroutes_removed;
};

int kn_apply_err(struct kn_apply *ap, int line, const char *what, const char *token,
		 int err, const char *why);
int kn_apply_addrs(struct kn_apply *ap);
int kn_apply_linklocal(struct kn_apply *ap);
int kn_apply_hroutes(struct kn_apply *ap);

#endif
