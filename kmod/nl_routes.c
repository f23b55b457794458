// SPDX-License-Identifier: GPL-2.0
/*
 * KEYNET_CMD_ROUTE_NEW with a list (KEYNET_A_ROUTES): many routes in one
 * request, all or nothing.  The one-route form stays in nl_peer.c.
 *
 * Checking.  Before the handler runs, the genetlink core has checked
 * every entry against kn_route_policy (NLA_POLICY_NESTED_ARRAY, strict:
 * an attribute the policy does not list is refused).  What the policy
 * cannot say (an entry holds a prefix and its length, no host bits, the
 * peer exists) is checked entry by entry as the entries are added.
 *
 * Locking and atomicity.  One hold of RTNL and the device's conf_lock
 * (the lock order of device.h, as the one-route form) covers the whole
 * list.  The entries are added in order with kn_lpm_insert_undo(); the
 * first entry that fails has every entry before it taken back in reverse
 * order (kn_lpm_undo(), which cannot fail), so the tables hold exactly
 * what they held before the request, metrics and the order of equal
 * metrics included.  Readers (the data path, under RCU) may see some
 * entries of a list that is then taken back, as they may see a route
 * added and removed by two requests.  kn->peer_gen moves once per
 * request that changed anything, taken back or not: a dump spanning it
 * starts over.  The extended ack of a refused list names the entry: its
 * bad attribute lies inside it (all kernels), and from 6.2 the message
 * starts with its position ("route 7: no such peer").
 *
 * Time and memory.  RTNL and conf_lock are held for the whole list, at
 * most 3,276 entries (what fits in the attribute, see the UAPI): on the
 * order of milliseconds; the loop yields the CPU now and then.  For the
 * request's duration each entry has a struct kn_nl_route_step (32 bytes,
 * kvmalloc'ed and charged to the caller); the routes themselves cost what
 * one-route requests make them cost (lpm.h).
 *
 * Events.  None, as for one route: configuration changes are not echoed
 * (events.c), neither per route of a list nor as a summary.
 */
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <net/genetlink.h>

#include "compat.h"
#include "device.h"
#include "peer.h"
#include "netlink.h"

/* What taking back an added entry needs: lists cannot be walked backwards. */
struct kn_nl_route_step {
	const struct nlattr *e;
	struct kn_lpm_undo u;
};

/* One entry of a list, read from its attributes. */
struct kn_nl_route_ent {
	struct kn_lpm_table *t;
	struct kn_lpm_peer *head;
	const u8 *key;
	u32 metric;
	u8 len;
};

/*
 * Read the entry @e: its peer (or @dflt), prefix and metric (or @metric).
 * Caller holds conf_lock.  0, or -errno with the reason in @extack.
 */
static int kn_nl_route_ent(struct kn_device *kn, const struct nlattr *e,
			   struct kn_peer *dflt, u32 metric,
			   struct kn_nl_route_ent *r,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KEYNET_A_MAX + 1];
	struct kn_peer *peer = dflt;
	int alen, ret;

	lockdep_assert_held(&kn->conf_lock);
	ret = nla_parse_nested(tb, KEYNET_A_MAX, e, kn_route_policy, extack);
	if (ret)
		return ret;
	if (tb[KEYNET_A_PEER_PUBLIC_KEY]) {
		peer = kn_peer_lookup(kn, nla_data(tb[KEYNET_A_PEER_PUBLIC_KEY]));
		if (!peer) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KEYNET_A_PEER_PUBLIC_KEY],
					    "no such peer");
			return -ENOENT;
		}
	} else if (!peer) {
		NL_SET_ERR_MSG(extack, "neither the entry nor the request names a peer");
		return -EINVAL;
	}
	alen = kn_nl_parse_prefix(tb[KEYNET_A_PREFIX], tb[KEYNET_A_PREFIX_LEN],
				  &r->key, &r->len, extack);
	if (alen < 0)
		return alen;
	r->t = alen == 4 ? &kn->routes4 : &kn->routes6;
	r->head = alen == 4 ? &peer->routes4 : &peer->routes6;
	r->metric = tb[KEYNET_A_METRIC] ? nla_get_u32(tb[KEYNET_A_METRIC]) :
		    metric;
	return 0;
}

/*
 * Name the refused entry @e, at position @pos (from 1), in @extack: the
 * bad attribute is the entry itself unless the reason named one inside
 * it.
 */
static void kn_nl_route_refused(struct netlink_ext_ack *extack,
				const struct nlattr *e, u32 pos)
{
	if (!extack)
		return;
	if (!extack->bad_attr)
		NL_SET_BAD_ATTR(extack, e);
	kn_compat_extack_entry(extack, "route", pos);
}

/*
 * KEYNET_CMD_ROUTE_NEW with KEYNET_A_ROUTES on the device @kn (a
 * reference held by the caller).  Takes RTNL and conf_lock itself.
 */
int kn_nl_route_list(struct kn_device *kn, struct genl_info *info)
{
	struct nlattr **a = info->attrs, *list = a[KEYNET_A_ROUTES];
	struct netlink_ext_ack *extack = info->extack;
	struct kn_nl_route_step *steps;
	struct kn_nl_route_ent r;
	struct kn_peer *dflt = NULL;
	const struct nlattr *e;
	u32 metric, n = 0, done = 0, i;
	int rem, ret = 0;

	if (a[KEYNET_A_PREFIX] || a[KEYNET_A_PREFIX_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, list,
				    "a prefix and a route list in one request");
		return -EINVAL;
	}
	metric = a[KEYNET_A_METRIC] ? nla_get_u32(a[KEYNET_A_METRIC]) : 0;
	nla_for_each_nested(e, list, rem) {
		if (nla_type(e) != KEYNET_A_ROUTES) {
			NL_SET_ERR_MSG_ATTR(extack, e, "expected a route entry");
			kn_compat_extack_entry(extack, "route", n + 1);
			return -EINVAL;
		}
		if (++n > KN_ROUTES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, e, "too many entries in a route list");
			return -E2BIG;
		}
	}
	steps = kvmalloc_array(n ?: 1, sizeof(*steps), GFP_KERNEL_ACCOUNT);
	if (!steps)
		return -ENOMEM;

	rtnl_lock();
	mutex_lock(&kn->conf_lock);
	if (a[KEYNET_A_PEER_PUBLIC_KEY]) {
		dflt = kn_peer_lookup(kn, nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]));
		if (!dflt) {
			NL_SET_ERR_MSG_ATTR(extack, a[KEYNET_A_PEER_PUBLIC_KEY],
					    "no such peer");
			ret = -ENOENT;
			goto out;
		}
	}
	nla_for_each_nested(e, list, rem) {
		ret = kn_nl_route_ent(kn, e, dflt, metric, &r, extack);
		if (!ret) {
			ret = kn_lpm_insert_undo(r.t, r.key, r.len, r.head,
						 r.metric, &steps[done].u);
			if (ret == -ENOMEM)
				NL_SET_ERR_MSG(extack, "out of memory");
		}
		if (ret) {
			kn_nl_route_refused(extack, e, done + 1);
			break;
		}
		steps[done++].e = e;
		if (!(done % 256))
			cond_resched();
	}
	/* Kept: forget the notes.  Refused: take back, last first. */
	for (i = done; i--; ) {
		/* The entry was read the same way a moment ago: cannot fail. */
		if (ret && !WARN_ON(kn_nl_route_ent(kn, steps[i].e, dflt,
						    metric, &r, NULL)))
			kn_lpm_undo(r.t, r.key, r.len, r.head, &steps[i].u);
		else
			kn_lpm_undo_done(&steps[i].u);
	}
	if (done)
		kn->peer_gen++;
out:
	mutex_unlock(&kn->conf_lock);
	rtnl_unlock();
	kvfree(steps);
	return ret;
}
