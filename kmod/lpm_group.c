// SPDX-License-Identifier: GPL-2.0
/*
 * The entries of one prefix (a position of the trie, lpm.c): a single
 * route, or with several peers a group, a list of list nodes (struct
 * kn_lpm_gnode) kept sorted by metric, ties in the order the entries got
 * their metric.  Readers take the list order as the preference order and
 * never read metrics.  Everything here runs with the table's update mutex
 * held and publishes with rcu_assign_pointer(), so a reader walking the
 * list sees every entry that is neither being added nor removed.  Pure C
 * (pure.h, lpm_env.h).
 */
#include "lpm_int.h"

/*
 * Link @g into the group at @loc (whose first list node is @first) after
 * @pred, or first if @pred is NULL.  @g is not yet visible.
 */
static void kn_lpm_glink(struct kn_lpm_ref __rcu **loc,
			 struct kn_lpm_gnode *first, struct kn_lpm_gnode *pred,
			 struct kn_lpm_gnode *g, struct kn_lpm_table *t)
{
	if (pred) {
		RCU_INIT_POINTER(g->next, kn_lpm_deref(t, pred->next));
		rcu_assign_pointer(pred->next, g);
	} else {
		RCU_INIT_POINTER(g->next, first);
		rcu_assign_pointer(*loc, kn_lpm_mkref(g, KN_LPM_TAG_GROUP));
	}
}

/*
 * The list node after which an entry of @metric goes (NULL: first),
 * ignoring @skip: after every other entry with a metric <= @metric.
 */
static struct kn_lpm_gnode *kn_lpm_gpred(struct kn_lpm_table *t,
					 struct kn_lpm_gnode *g, u32 metric,
					 const struct kn_lpm_gnode *skip)
{
	struct kn_lpm_gnode *pred = NULL;

	for (; g; g = kn_lpm_deref(t, g->next)) {
		if (g == skip)
			continue;
		if (g->route->metric > metric)
			break;
		pred = g;
	}
	return pred;
}

/* Unlink @g from the group at @loc; its first node is @first. */
static void kn_lpm_gunlink(struct kn_lpm_table *t,
			   struct kn_lpm_ref __rcu **loc,
			   struct kn_lpm_gnode *first, struct kn_lpm_gnode *g)
{
	struct kn_lpm_gnode *p;

	if (g == first) {
		rcu_assign_pointer(*loc,
				   kn_lpm_mkref(kn_lpm_deref(t, g->next),
						KN_LPM_TAG_GROUP));
		return;
	}
	for (p = first; kn_lpm_deref(t, p->next) != g;
	     p = kn_lpm_deref(t, p->next))
		;
	RCU_INIT_POINTER(p->next, kn_lpm_deref(t, g->next));
}

/*
 * Move the group entry @g to just after @pred (NULL: first) with @metric.
 * If that is where it already is, only the number changes.  Otherwise a
 * new list node (*@spare when the caller reserved one, else a new one) is
 * linked at the new place before the old one is unlinked, so a reader
 * always finds the entry (possibly twice).
 */
static int kn_lpm_gmove(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
			struct kn_lpm_gnode *first, struct kn_lpm_gnode *g,
			struct kn_lpm_gnode *pred, u32 metric, void **spare)
{
	struct kn_lpm_gnode *old_pred = NULL, *p, *ng;

	for (p = first; p != g; p = kn_lpm_deref(t, p->next))
		old_pred = p;
	if (pred == old_pred) {
		g->route->metric = metric;
		return 0;
	}
	if (spare && *spare) {
		ng = *spare;
		*spare = NULL;
	} else {
		ng = kn_lpm_alloc(KN_LPM_GNODE);
		if (!ng)
			return -ENOMEM;
	}
	ng->route = g->route;
	g->route->metric = metric;
	kn_lpm_glink(loc, first, pred, ng, t);
	if (!pred)
		first = ng;
	kn_lpm_gunlink(t, loc, first, g);
	kn_lpm_free_deferred(&t->gc, KN_LPM_GNODE, g);
	return 0;
}

/*
 * Change an existing group entry's metric: it moves behind the other
 * entries with a metric <= the new one (kn_lpm_gmove()).
 */
static int kn_lpm_gmetric(struct kn_lpm_table *t,
			  struct kn_lpm_ref __rcu **loc,
			  struct kn_lpm_gnode *first, struct kn_lpm_gnode *g,
			  u32 metric)
{
	if (g->route->metric == metric)
		return 0;
	return kn_lpm_gmove(t, loc, first, g,
			    kn_lpm_gpred(t, first, metric, g), metric, NULL);
}

/*
 * At the existing position @cur stored at @loc: if @peer has an entry
 * there, change its metric and return 0 (or -ENOMEM); 1 if it has none.
 */
int kn_lpm_set_metric(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
		      struct kn_lpm_ref *cur, const void *peer, u32 metric)
{
	struct kn_lpm_gnode *first, *g;
	struct kn_lpm_route *r0;

	if (kn_lpm_tag(cur) == KN_LPM_TAG_ROUTE) {
		r0 = kn_lpm_ptr(cur);
		if (r0->peer != peer)
			return 1;
		r0->metric = metric;
		return 0;
	}
	first = kn_lpm_ptr(cur);
	for (g = first; g; g = kn_lpm_deref(t, g->next))
		if (g->route->peer == peer)
			return kn_lpm_gmetric(t, loc, first, g, metric);
	return 1;
}

/*
 * Add the new route @r (another peer's) to the existing position @cur
 * stored at @loc, ranked by its metric: a single route becomes a group of
 * two, a group gets one more list node.
 */
int kn_lpm_group_add(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
		     struct kn_lpm_ref *cur, struct kn_lpm_route *r)
{
	struct kn_lpm_gnode *first, *g, *g2 = NULL;
	struct kn_lpm_route *r0;

	g = kn_lpm_alloc(KN_LPM_GNODE);
	if (kn_lpm_tag(cur) == KN_LPM_TAG_ROUTE) {
		r0 = kn_lpm_ptr(cur);
		g2 = kn_lpm_alloc(KN_LPM_GNODE);
		if (!g || !g2)
			goto nomem;
		/* Ties go to the older entry. */
		g->route = r->metric < r0->metric ? r : r0;
		g2->route = r->metric < r0->metric ? r0 : r;
		RCU_INIT_POINTER(g->next, g2);
		RCU_INIT_POINTER(g2->next, NULL);
		rcu_assign_pointer(*loc, kn_lpm_mkref(g, KN_LPM_TAG_GROUP));
		return 0;
	}
	if (!g)
		return -ENOMEM;
	first = kn_lpm_ptr(cur);
	g->route = r;
	kn_lpm_glink(loc, first, kn_lpm_gpred(t, first, r->metric, NULL), g, t);
	return 0;
nomem:
	if (g)
		kn_lpm_free_now(KN_LPM_GNODE, g);
	if (g2)
		kn_lpm_free_now(KN_LPM_GNODE, g2);
	return -ENOMEM;
}

/*
 * Take route @r out of the group @cur stored at @loc; a group left with
 * one entry becomes a single route.  Never allocates.
 */
void kn_lpm_group_remove(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
			 struct kn_lpm_ref *cur, struct kn_lpm_route *r)
{
	struct kn_lpm_gnode *first = kn_lpm_ptr(cur), *g, *g2;

	g2 = kn_lpm_deref(t, first->next);
	if (!kn_lpm_deref(t, g2->next)) {
		/* Two entries: the other one becomes a single route. */
		g = first->route == r ? g2 : first;
		rcu_assign_pointer(*loc, kn_lpm_mkref(g->route,
						      KN_LPM_TAG_ROUTE));
		kn_lpm_free_deferred(&t->gc, KN_LPM_GNODE, first);
		kn_lpm_free_deferred(&t->gc, KN_LPM_GNODE, g2);
		return;
	}
	for (g = first; g->route != r; g = kn_lpm_deref(t, g->next))
		;
	kn_lpm_gunlink(t, loc, first, g);
	kn_lpm_free_deferred(&t->gc, KN_LPM_GNODE, g);
}

/* @peer's route at the position @cur, or NULL.  Update side. */
struct kn_lpm_route *kn_lpm_pos_route(struct kn_lpm_table *t,
				      struct kn_lpm_ref *cur, const void *peer)
{
	struct kn_lpm_gnode *g;

	if (kn_lpm_tag(cur) == KN_LPM_TAG_ROUTE)
		return kn_lpm_head(cur)->peer == peer ? kn_lpm_head(cur) : NULL;
	for (g = kn_lpm_ptr(cur); g; g = kn_lpm_deref(t, g->next))
		if (g->route->peer == peer)
			return g->route;
	return NULL;
}

/* The place of @peer's entry in the preference order of @cur (0: first). */
u32 kn_lpm_pos_rank(struct kn_lpm_table *t, struct kn_lpm_ref *cur,
		    const void *peer)
{
	struct kn_lpm_gnode *g;
	u32 rank = 0;

	if (kn_lpm_tag(cur) == KN_LPM_TAG_ROUTE)
		return 0;
	for (g = kn_lpm_ptr(cur); g; g = kn_lpm_deref(t, g->next), rank++)
		if (g->route->peer == peer)
			break;
	return rank;
}

/*
 * Give @peer's entry at the position @cur stored at @loc @metric and the
 * place @rank of the preference order (what kn_lpm_pos_rank() said before
 * a change), taking back a metric change exactly, ties included.  A move
 * uses *@spare, which kn_lpm_insert_undo() reserved; should there be none
 * and no memory either, only the metric is restored (WARN).  Never fails.
 */
void kn_lpm_set_rank(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
		     struct kn_lpm_ref *cur, const void *peer, u32 metric,
		     u32 rank, void **spare)
{
	struct kn_lpm_gnode *first, *g, *p, *pred = NULL;
	struct kn_lpm_route *r = kn_lpm_pos_route(t, cur, peer);
	u32 i = 0;

	if (WARN_ON(!r))
		return;
	if (kn_lpm_tag(cur) == KN_LPM_TAG_ROUTE) {
		r->metric = metric;
		return;
	}
	first = kn_lpm_ptr(cur);
	for (g = first; g->route != r; g = kn_lpm_deref(t, g->next))
		;
	/* The entry goes after the first @rank others. */
	for (p = first; p && i < rank; p = kn_lpm_deref(t, p->next)) {
		if (p == g)
			continue;
		pred = p;
		i++;
	}
	if (WARN_ON(kn_lpm_gmove(t, loc, first, g, pred, metric, spare)))
		r->metric = metric;
}
