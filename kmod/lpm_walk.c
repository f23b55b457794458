// SPDX-License-Identifier: GPL-2.0
/*
 * Resumable walks of the routing table (lpm.h: struct kn_lpm_cursor) for
 * netlink dumps: every entry in trie order, or one peer's.  They run with
 * the table's update mutex held, which may be dropped between two calls.
 * Pure C (pure.h, lpm_env.h).
 */
#include "lpm_int.h"

/* The first position of subtree @x in trie order, or NULL. */
static struct kn_lpm_ref *kn_lpm_first(struct kn_lpm_table *t,
				       struct kn_lpm_ref *x)
{
	struct kn_lpm_node *n;
	struct kn_lpm_ref *w;

	while (x && kn_lpm_tag(x) == KN_LPM_TAG_NODE) {
		n = kn_lpm_ptr(x);
		w = kn_lpm_deref(t, n->word);
		if (kn_lpm_tag(w) != KN_LPM_TAG_BIT)
			return w;
		x = kn_lpm_deref(t, n->child[0]);
	}
	return x;
}

/*
 * The first position at (if @incl) or after @key/@len in trie order: a
 * prefix comes before the longer prefixes it contains, a 0 bit before a 1
 * bit.  One descent, like kn_lpm_insert(); @cand is the nearest subtree
 * passed on its right, whose first position is the answer when nothing
 * below qualifies.
 */
static struct kn_lpm_ref *kn_lpm_find(struct kn_lpm_table *t, const u8 *key,
				      unsigned int len, bool incl)
{
	struct kn_lpm_ref *x = kn_lpm_deref(t, t->root), *w = NULL, *cand = NULL;
	struct kn_lpm_route *rep;
	struct kn_lpm_node *n;
	unsigned int c, s, b;

	if (!x)
		return NULL;
	rep = kn_lpm_rep(t, key, len);
	c = kn_lpm_common(key, len, rep->key, rep->len);
	for (;;) {
		if (!x)
			return kn_lpm_first(t, cand);
		s = kn_lpm_step(t, x, &n, &w);
		if (c < s) {
			/* All of @x is on one side of @key. */
			if (c == len || !kn_lpm_bit(key, c))
				return kn_lpm_first(t, x);
			return kn_lpm_first(t, cand);
		}
		if (len == s) {
			if (!n)
				return incl ? x : kn_lpm_first(t, cand);
			if (kn_lpm_tag(w) == KN_LPM_TAG_BIT)
				return kn_lpm_first(t, x);
			if (incl)
				return w;
			x = kn_lpm_deref(t, n->child[0]);
			return kn_lpm_first(t, x ? x :
					    kn_lpm_deref(t, n->child[1]));
		}
		if (!n)
			return kn_lpm_first(t, cand);
		b = kn_lpm_bit(key, s);
		if (!b && kn_lpm_deref(t, n->child[1]))
			cand = kn_lpm_deref(t, n->child[1]);
		x = kn_lpm_deref(t, n->child[b]);
	}
}

/* Hand @fn the entry of route @r, whose full-width key is @key. */
static int kn_lpm_report(int (*fn)(void *ctx, const struct kn_lpm_entry *e),
			 void *ctx, const u8 *key, const struct kn_lpm_route *r)
{
	struct kn_lpm_entry e = {
		.key = key,
		.len = r->len,
		.peer = r->peer,
		.metric = r->metric,
	};

	return fn(ctx, &e);
}

/**
 * kn_lpm_walk - report every entry, resumably
 * @t: the table; its update mutex held (between calls it may be dropped)
 * @cur: where to start; updated
 * @fn: called per entry; a non-zero return stops the walk, and the next
 *	call starts with that same entry again
 * @ctx: passed to @fn
 *
 * Entries come in trie order of their prefix, then preference order.
 *
 * Return: 0 when every entry has been reported, else what @fn returned.
 */
int kn_lpm_walk(struct kn_lpm_table *t, struct kn_lpm_cursor *cur,
		int (*fn)(void *ctx, const struct kn_lpm_entry *e), void *ctx)
{
	struct kn_lpm_ref *x;
	struct kn_lpm_gnode *g;
	struct kn_lpm_route *r;
	unsigned int idx, i, bytes = t->bits / 8;
	u8 key[KN_LPM_MAX_KEY];
	int ret;

	KN_LPM_ASSERT_LOCKED(t->lock);
	if (cur->state == KN_LPM_CUR_DONE)
		return 0;
	if (cur->state == KN_LPM_CUR_START) {
		x = kn_lpm_first(t, kn_lpm_deref(t, t->root));
		idx = 0;
	} else {
		x = kn_lpm_find(t, cur->key, cur->len, true);
		idx = 0;
		if (x && kn_lpm_head(x)->len == cur->len &&
		    kn_lpm_common(kn_lpm_head(x)->key, cur->len, cur->key,
				  cur->len) == cur->len)
			idx = cur->idx;
	}
	while (x) {
		g = kn_lpm_tag(x) == KN_LPM_TAG_GROUP ? kn_lpm_ptr(x) : NULL;
		r = kn_lpm_head(x);
		/* Every entry here has the same prefix: one full-width copy. */
		kn_lpm_mask(key, r->key, r->len, bytes);
		for (i = 0; r; i++) {
			if (i >= idx) {
				ret = kn_lpm_report(fn, ctx, key, r);
				if (ret) {
					memcpy(cur->key, key, bytes);
					cur->len = r->len;
					cur->idx = i;
					cur->state = KN_LPM_CUR_MID;
					return ret;
				}
			}
			g = g ? kn_lpm_deref(t, g->next) : NULL;
			r = g ? g->route : NULL;
		}
		r = kn_lpm_head(x);
		x = kn_lpm_find(t, r->key, r->len, false);
		idx = 0;
	}
	cur->state = KN_LPM_CUR_DONE;
	return 0;
}

/**
 * kn_lpm_walk_peer - report every entry of one peer, resumably
 * @t: the table; its update mutex held (between calls it may be dropped)
 * @head: the peer's route list in this table
 * @cur: where to start; updated
 * @fn: as for kn_lpm_walk()
 * @ctx: passed to @fn
 *
 * If the table changed since the walk stopped, it resumes by skipping as
 * many entries as were reported; new entries are added at the front of
 * the list, so they may be missed or shift others (callers flag such
 * dumps as interrupted).
 *
 * Return: 0 when every entry has been reported, else what @fn returned.
 */
int kn_lpm_walk_peer(struct kn_lpm_table *t, struct kn_lpm_peer *head,
		     struct kn_lpm_cursor *cur,
		     int (*fn)(void *ctx, const struct kn_lpm_entry *e),
		     void *ctx)
{
	struct kn_lpm_route *r = head->first;
	u8 key[KN_LPM_MAX_KEY];
	u32 n = 0;
	int ret;

	KN_LPM_ASSERT_LOCKED(t->lock);
	if (cur->state == KN_LPM_CUR_DONE)
		return 0;
	if (cur->state == KN_LPM_CUR_MID) {
		if (cur->gen == t->gen) {
			r = cur->next;
			n = cur->count;
		} else {
			for (; r && n < cur->count; r = r->peer_next)
				n += !r->dead;
		}
	}
	for (; r; r = r->peer_next) {
		if (r->dead)
			continue;
		kn_lpm_mask(key, r->key, r->len, t->bits / 8);
		ret = kn_lpm_report(fn, ctx, key, r);
		if (ret) {
			cur->next = r;
			cur->count = n;
			cur->gen = t->gen;
			cur->state = KN_LPM_CUR_MID;
			return ret;
		}
		n++;
	}
	cur->state = KN_LPM_CUR_DONE;
	return 0;
}
