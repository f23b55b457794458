/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the routing table: the objects and tagged references of the
 * trie (described in lpm.c), shared by lpm.c, lpm_group.c, lpm_walk.c
 * and lpm_env.c.  Pure (pure.h, lpm_env.h); not for other files.
 */
#ifndef _KN_LPM_INT_H
#define _KN_LPM_INT_H

#include "lpm.h"

#define KN_LPM_TAG_NODE		0UL
#define KN_LPM_TAG_ROUTE	1UL
#define KN_LPM_TAG_GROUP	2UL
#define KN_LPM_TAG_BIT		3UL
#define KN_LPM_TAG_MASK		3UL

/**
 * struct kn_lpm_node - a branch of the trie
 * @child: the subtrees whose next bit (at the span) is 0 and 1
 * @word: a position ref (prefix node) or the span tagged KN_LPM_TAG_BIT
 */
struct kn_lpm_node {
	struct kn_lpm_ref __rcu *child[2];
	struct kn_lpm_ref __rcu *word;
};

/**
 * struct kn_lpm_gnode - one entry of a prefix with several peers
 * @route: the entry; never changes after the list node is published
 * @next: the next entry in preference order
 */
struct kn_lpm_gnode {
	struct kn_lpm_route *route;
	struct kn_lpm_gnode __rcu *next;
};

/**
 * struct kn_lpm_route - one (prefix, peer) entry
 * @peer: the peer; read by lookups
 * @peer_next: next route of the same peer (update side only)
 * @metric: lower is preferred (update side only: readers use list order)
 * @len: prefix length; read by lookups
 * @dead: removed from the trie, waiting on the peer's list to be freed
 * @key: the prefix, bits beyond @len zero; 4 or 16 bytes; read by lookups
 *
 * @peer, @len and @key never change while the route is in the trie.
 */
struct kn_lpm_route {
	void *peer;
	struct kn_lpm_route *peer_next;
	u32 metric;
	u8 len;
	u8 dead;
	u8 key[];
};

#define kn_lpm_deref(t, p) kn_lpm_protected(p, (t)->lock)

static inline unsigned int kn_lpm_obj_size(enum kn_lpm_kind kind)
{
	unsigned int hdr = offsetof(struct kn_lpm_route, key);

	switch (kind) {
	case KN_LPM_NODE:
		return sizeof(struct kn_lpm_node);
	case KN_LPM_ROUTE4:
		return (hdr + 4 + 7) & ~7U;
	case KN_LPM_ROUTE6S:
		return (hdr + 8 + 7) & ~7U;
	case KN_LPM_ROUTE6:
		return (hdr + 16 + 7) & ~7U;
	default:
		return sizeof(struct kn_lpm_gnode);
	}
}

static inline unsigned long kn_lpm_tag(const struct kn_lpm_ref *ref)
{
	return (unsigned long)ref & KN_LPM_TAG_MASK;
}

static inline void *kn_lpm_ptr(const struct kn_lpm_ref *ref)
{
	return (void *)((unsigned long)ref & ~KN_LPM_TAG_MASK);
}

static inline struct kn_lpm_ref *kn_lpm_mkref(const void *p,
					      unsigned long tag)
{
	return (struct kn_lpm_ref *)((unsigned long)p | tag);
}

static inline struct kn_lpm_ref *kn_lpm_bitref(unsigned int span)
{
	return (struct kn_lpm_ref *)((unsigned long)span << 2 |
				     KN_LPM_TAG_BIT);
}

/* The first route of a position ref (route or group). */
static inline struct kn_lpm_route *kn_lpm_head(const struct kn_lpm_ref *ref)
{
	if (kn_lpm_tag(ref) == KN_LPM_TAG_GROUP)
		return ((struct kn_lpm_gnode *)kn_lpm_ptr(ref))->route;
	return kn_lpm_ptr(ref);
}

/* Span of a node given its word. */
static inline unsigned int kn_lpm_span(const struct kn_lpm_ref *word)
{
	if (kn_lpm_tag(word) == KN_LPM_TAG_BIT)
		return (unsigned long)word >> 2;
	return kn_lpm_head(word)->len;
}

static inline unsigned int kn_lpm_bit(const u8 *key, unsigned int i)
{
	return (key[i >> 3] >> (7 - (i & 7))) & 1;
}

/* Length of the common prefix of @a (@alen bits) and @b (@blen bits). */
static inline unsigned int kn_lpm_common(const u8 *a, unsigned int alen,
					 const u8 *b, unsigned int blen)
{
	unsigned int max = min_t(unsigned int, alen, blen), i;
	u8 x;

	for (i = 0; i < max; i += 8) {
		x = a[i >> 3] ^ b[i >> 3];
		if (x) {
			while (!(x & 0x80)) {
				x <<= 1;
				i++;
			}
			return min_t(unsigned int, i, max);
		}
	}
	return max;
}

/* Copy the first @len bits of @key to @out (@bytes long), zeroing the rest. */
static inline void kn_lpm_mask(u8 *out, const u8 *key, unsigned int len,
			       unsigned int bytes)
{
	unsigned int n = len >> 3;

	memset(out, 0, bytes);
	memcpy(out, key, n);
	if (len & 7)
		out[n] = key[n] & (u8)(0xff00 >> (len & 7));
}

/* The object kind of a route of @len bits in @t (a route's len is fixed). */
static inline enum kn_lpm_kind kn_lpm_route_kind(const struct kn_lpm_table *t,
						 unsigned int len)
{
	if (t->bits == 32)
		return KN_LPM_ROUTE4;
	return len <= 64 ? KN_LPM_ROUTE6S : KN_LPM_ROUTE6;
}

/* Bytes of key a route of @len bits in @t carries. */
static inline unsigned int kn_lpm_key_bytes(const struct kn_lpm_table *t,
					    unsigned int len)
{
	if (t->bits == 32)
		return 4;
	return len <= 64 ? 8 : 16;
}

/* Has the position @ref an entry of @peer?  RCU read side. */
static inline bool kn_lpm_has_peer(struct kn_lpm_ref *ref, const void *peer)
{
	struct kn_lpm_gnode *g;

	if (kn_lpm_tag(ref) == KN_LPM_TAG_ROUTE)
		return ((struct kn_lpm_route *)kn_lpm_ptr(ref))->peer == peer;
	for (g = kn_lpm_ptr(ref); g; g = kn_lpm_rcu(g->next))
		if (g->route->peer == peer)
			return true;
	return false;
}

/* lpm.c */
struct kn_lpm_route *kn_lpm_rep(struct kn_lpm_table *t, const u8 *key,
				unsigned int len);
unsigned int kn_lpm_step(struct kn_lpm_table *t, struct kn_lpm_ref *x,
			 struct kn_lpm_node **n, struct kn_lpm_ref **w);

/* lpm_group.c: the entries of one position (update side). */
int kn_lpm_set_metric(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
		      struct kn_lpm_ref *cur, const void *peer, u32 metric);
int kn_lpm_group_add(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
		     struct kn_lpm_ref *cur, struct kn_lpm_route *r);
void kn_lpm_group_remove(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
			 struct kn_lpm_ref *cur, struct kn_lpm_route *r);
struct kn_lpm_route *kn_lpm_pos_route(struct kn_lpm_table *t,
				      struct kn_lpm_ref *cur, const void *peer);
u32 kn_lpm_pos_rank(struct kn_lpm_table *t, struct kn_lpm_ref *cur,
		    const void *peer);
void kn_lpm_set_rank(struct kn_lpm_table *t, struct kn_lpm_ref __rcu **loc,
		     struct kn_lpm_ref *cur, const void *peer, u32 metric,
		     u32 rank, void **spare);

#endif /* _KN_LPM_INT_H */
