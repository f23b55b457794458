// SPDX-License-Identifier: GPL-2.0
/*
 * keynet crypto-key routing table: see lpm.h for the contract.
 *
 * Structure.  A path-compressed binary trie over prefixes.  A slot (the
 * root, or a node's child) holds a tagged reference to either
 *  - a node (struct kn_lpm_node): the routes below it share their first
 *    "span" bits; those with one more bit 0 are under child[0], with 1
 *    under child[1].  Its "word" is either the span itself (a plain
 *    branch: both children present) or the position of the prefix of
 *    exactly span bits (a prefix node: at least one child; span is that
 *    prefix's length);
 *  - a position without children: a single route, or a group.
 * A position is one prefix; it holds one route (one peer) or a group: a
 * list of list nodes (struct kn_lpm_gnode) kept sorted by metric, ties in
 * the order the entries got their metric.  Readers take the list order as
 * the preference order and never read metrics.
 *
 * Nodes store no key: a lookup descends by the address bit at each span
 * and checks only the prefixes it meets (every prefix matching an address
 * lies on that address's path, because every node on a prefix's path
 * branches at a bit inside that prefix).  A prefix node whose prefix does
 * not match ends the lookup, since everything below extends that prefix.
 * Writers recover a subtree's shared bits from any route below it.
 *
 * Tags live in the two low bits (all objects are at least 8-byte
 * aligned).  A route's key holds only the bytes its length needs (4 for
 * IPv4; 8 or 16 for IPv6, see kn_lpm_key_bytes()): nothing reads a
 * route's key beyond its length, and walks hand out full-width copies.  A node's word with tag KN_LPM_TAG_BIT encodes the span, so
 * turning a prefix node into a plain branch and back is one store of the
 * word, and a reader sees either form with the same span.
 *
 * Removing one entry leaves its route object on the peer's list, marked
 * dead, because the list is singly linked (8 bytes per route instead of
 * 16).  Dead routes are freed in batches once they exceed a quarter of the
 * peer's live routes, which keeps single removals amortised O(1) and
 * bounds the waste; kn_lpm_remove_peer() frees them all.
 *
 * Nothing recurses: every walk is a loop down one path, at most
 * bits + 1 levels deep.
 */
#include "lpm.h"

#define KN_LPM_TAG_NODE		0UL
#define KN_LPM_TAG_ROUTE	1UL
#define KN_LPM_TAG_GROUP	2UL
#define KN_LPM_TAG_BIT		3UL
#define KN_LPM_TAG_MASK		3UL

/* Dead routes a peer may keep beyond a quarter of its live ones. */
#define KN_LPM_DEAD_SLACK	8

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

/* Where one position lives, as found by kn_lpm_locate(). */
struct kn_lpm_pos {
	struct kn_lpm_ref __rcu **slot;	/* slot holding the leaf or node */
	struct kn_lpm_ref __rcu **pslot;	/* slot holding @pnode */
	struct kn_lpm_node *pnode;	/* node owning @slot; NULL at root */
	struct kn_lpm_node *node;	/* set if the position is its word */
	struct kn_lpm_ref *cur;		/* the route or group ref */
};

#define kn_lpm_deref(t, p) kn_lpm_protected(p, (t)->lock)

static unsigned int kn_lpm_obj_size(enum kn_lpm_kind kind)
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

/* Does @addr start with the @len-bit prefix @key? */
static inline bool kn_lpm_match(const u8 *key, unsigned int len,
				const u8 *addr)
{
	unsigned int n = len >> 3, r = len & 7;

	if (memcmp(key, addr, n))
		return false;
	return !r || !((key[n] ^ addr[n]) & (u8)(0xff00 >> r));
}

/* Length of the common prefix of @a (@alen bits) and @b (@blen bits). */
static unsigned int kn_lpm_common(const u8 *a, unsigned int alen,
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
static void kn_lpm_mask(u8 *out, const u8 *key, unsigned int len,
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

static struct kn_lpm_route *kn_lpm_new_route(struct kn_lpm_table *t,
					     const u8 *key, unsigned int len,
					     struct kn_lpm_peer *head,
					     u32 metric)
{
	struct kn_lpm_route *r = kn_lpm_alloc(kn_lpm_route_kind(t, len));

	if (!r)
		return NULL;
	r->peer = head->peer;
	r->peer_next = NULL;
	r->metric = metric;
	r->len = len;
	r->dead = 0;
	memcpy(r->key, key, kn_lpm_key_bytes(t, len));
	return r;
}

/* @lock is the mutex every update of @t will hold; @bits is 32 or 128. */
void kn_lpm_init(struct kn_lpm_table *t, struct mutex *lock,
		 unsigned int bits)
{
	memset(t, 0, sizeof(*t));
	RCU_INIT_POINTER(t->root, NULL);
	t->lock = lock;
	t->bits = bits == 32 ? 32 : 128;
}

/*
 * The table must be empty of live and dead routes (every peer went
 * through kn_lpm_remove_peer()): routes are owned by the peers' lists.
 */
void kn_lpm_destroy(struct kn_lpm_table *t)
{
	WARN_ON(t->count || t->dead || rcu_access_pointer(t->root));
	kn_lpm_gc_flush(&t->gc);
}

void kn_lpm_peer_init(struct kn_lpm_peer *head, void *peer)
{
	head->first = NULL;
	head->peer = peer;
	head->live = 0;
	head->dead = 0;
}

/*
 * Any route in the subtree @x (not NULL): the word of the first prefix
 * node met, or a leaf.  Plain branches always have two children.
 */
static struct kn_lpm_route *kn_lpm_any(struct kn_lpm_table *t,
				       struct kn_lpm_ref *x)
{
	struct kn_lpm_node *n;
	struct kn_lpm_ref *w;

	while (kn_lpm_tag(x) == KN_LPM_TAG_NODE) {
		n = kn_lpm_ptr(x);
		w = kn_lpm_deref(t, n->word);
		if (kn_lpm_tag(w) != KN_LPM_TAG_BIT)
			return kn_lpm_head(w);
		x = kn_lpm_deref(t, n->child[0]);
	}
	return kn_lpm_head(x);
}

/*
 * A route sharing the longest possible prefix with @key/@len among the
 * subtrees on @key's path: descend by @key's bits while the span is shorter
 * than @len, then take any route below.  The table must not be empty.
 */
static struct kn_lpm_route *kn_lpm_rep(struct kn_lpm_table *t, const u8 *key,
				       unsigned int len)
{
	struct kn_lpm_ref *x = kn_lpm_deref(t, t->root), *nx;
	struct kn_lpm_node *n;
	unsigned int s;

	while (kn_lpm_tag(x) == KN_LPM_TAG_NODE) {
		n = kn_lpm_ptr(x);
		s = kn_lpm_span(kn_lpm_deref(t, n->word));
		if (s >= len)
			break;
		nx = kn_lpm_deref(t, n->child[kn_lpm_bit(key, s)]);
		if (!nx)
			break;
		x = nx;
	}
	return kn_lpm_any(t, x);
}

/* The span of the subtree @x (not NULL): of its node *@n, else its leaf. */
static unsigned int kn_lpm_step(struct kn_lpm_table *t, struct kn_lpm_ref *x,
				struct kn_lpm_node **n, struct kn_lpm_ref **w)
{
	if (kn_lpm_tag(x) == KN_LPM_TAG_NODE) {
		*n = kn_lpm_ptr(x);
		*w = kn_lpm_deref(t, (*n)->word);
		return kn_lpm_span(*w);
	}
	*n = NULL;
	return kn_lpm_head(x)->len;
}

/* Find the position of exactly @key/@len; false if there is none. */
static bool kn_lpm_locate(struct kn_lpm_table *t, const u8 *key,
			  unsigned int len, struct kn_lpm_pos *pos)
{
	struct kn_lpm_ref *x, *w = NULL;
	struct kn_lpm_node *n;
	unsigned int s;

	pos->slot = &t->root;
	pos->pslot = NULL;
	pos->pnode = NULL;
	for (;;) {
		x = kn_lpm_deref(t, *pos->slot);
		if (!x)
			return false;
		s = kn_lpm_step(t, x, &n, &w);
		if (s >= len)
			break;
		if (!n)
			return false;
		pos->pslot = pos->slot;
		pos->pnode = n;
		pos->slot = &n->child[kn_lpm_bit(key, s)];
	}
	if (s != len)
		return false;
	if (n) {
		if (kn_lpm_tag(w) == KN_LPM_TAG_BIT)
			return false;
		pos->node = n;
		pos->cur = w;
	} else {
		pos->node = NULL;
		pos->cur = x;
	}
	return kn_lpm_common(kn_lpm_head(pos->cur)->key, len, key, len) == len;
}

/* The slot a position's ref is stored in. */
static inline struct kn_lpm_ref __rcu **kn_lpm_loc(struct kn_lpm_pos *pos)
{
	return pos->node ? &pos->node->word : pos->slot;
}

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
 * Change an existing group entry's metric.  It moves behind the other
 * entries with a metric <= the new one; if that is where it already is,
 * only the number changes.  Otherwise a new list node is linked at the
 * new place before the old one is unlinked, so a reader always finds the
 * entry (possibly twice).
 */
static int kn_lpm_gmetric(struct kn_lpm_table *t,
			  struct kn_lpm_ref __rcu **loc,
			  struct kn_lpm_gnode *first, struct kn_lpm_gnode *g,
			  u32 metric)
{
	struct kn_lpm_gnode *pred, *old_pred = NULL, *p, *ng;

	if (g->route->metric == metric)
		return 0;
	for (p = first; p != g; p = kn_lpm_deref(t, p->next))
		old_pred = p;
	pred = kn_lpm_gpred(t, first, metric, g);
	if (pred == old_pred) {
		g->route->metric = metric;
		return 0;
	}
	ng = kn_lpm_alloc(KN_LPM_GNODE);
	if (!ng)
		return -ENOMEM;
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
 * At the existing position @cur stored at @loc: if @peer has an entry
 * there, change its metric and return 0 (or -ENOMEM); 1 if it has none.
 */
static int kn_lpm_set_metric(struct kn_lpm_table *t,
			     struct kn_lpm_ref __rcu **loc,
			     struct kn_lpm_ref *cur, const void *peer,
			     u32 metric)
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
static int kn_lpm_group_add(struct kn_lpm_table *t,
			    struct kn_lpm_ref __rcu **loc,
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

/* Where a new prefix goes in the trie, as found by kn_lpm_find_place(). */
enum kn_lpm_place_kind {
	KN_LPM_AT_EMPTY,	/* the empty @slot (root or a prefix node's side) */
	KN_LPM_AT_POS,		/* the existing position @cur stored at @loc */
	KN_LPM_AT_WORD,		/* the plain branch @n splits at exactly @len */
	KN_LPM_BELOW,		/* under the leaf @x, a proper prefix of @key */
	KN_LPM_ABOVE,		/* above the subtree @x, which @key leaves */
};

struct kn_lpm_place {
	enum kn_lpm_place_kind kind;
	struct kn_lpm_ref __rcu **slot;	/* where @x (or nothing) is stored */
	struct kn_lpm_ref __rcu **loc;	/* AT_POS */
	struct kn_lpm_ref *cur;		/* AT_POS */
	struct kn_lpm_ref *x;		/* BELOW, ABOVE */
	struct kn_lpm_node *n;		/* AT_WORD */
	struct kn_lpm_route *rep;	/* ABOVE: a route in @x */
	unsigned int bit;		/* BELOW: @x's length; ABOVE: where @key leaves */
};

/* Find where @key/@len (masked) goes; changes nothing, allocates nothing. */
static void kn_lpm_find_place(struct kn_lpm_table *t, const u8 *key,
			      unsigned int len, struct kn_lpm_place *pl)
{
	struct kn_lpm_ref *x, *w = NULL;
	struct kn_lpm_route *rep;
	struct kn_lpm_node *n;
	unsigned int c, s;

	pl->slot = &t->root;
	if (!kn_lpm_deref(t, t->root)) {
		pl->kind = KN_LPM_AT_EMPTY;
		return;
	}
	/*
	 * Every subtree on the way down from the root along @key contains
	 * @rep, so its shared prefix agrees with @key on min(c, span) bits.
	 */
	rep = kn_lpm_rep(t, key, len);
	c = kn_lpm_common(key, len, rep->key, rep->len);
	for (;;) {
		x = kn_lpm_deref(t, *pl->slot);
		if (!x) {
			/* An empty side of a prefix node. */
			pl->kind = KN_LPM_AT_EMPTY;
			return;
		}
		s = kn_lpm_step(t, x, &n, &w);
		if (c < s) {
			/* @key leaves the subtree @x after c bits. */
			pl->kind = KN_LPM_ABOVE;
			pl->x = x;
			pl->rep = rep;
			pl->bit = c;
			return;
		}
		if (len == s) {
			if (!n || kn_lpm_tag(w) != KN_LPM_TAG_BIT) {
				pl->kind = KN_LPM_AT_POS;
				pl->loc = n ? &n->word : pl->slot;
				pl->cur = n ? w : x;
			} else {
				pl->kind = KN_LPM_AT_WORD;
				pl->n = n;
			}
			return;
		}
		if (!n) {
			/* The leaf is a proper prefix of @key. */
			pl->kind = KN_LPM_BELOW;
			pl->x = x;
			pl->bit = s;
			return;
		}
		pl->slot = &n->child[kn_lpm_bit(key, s)];
	}
}

/**
 * kn_lpm_insert - route @key/@len to @head's peer with @metric
 * @t: the table; its update mutex held
 * @key: the prefix, t->bits / 8 bytes; bits beyond @len are ignored
 * @len: prefix length, 0..t->bits
 * @head: the peer's route list in this table
 * @metric: lower is preferred among peers of the same prefix
 *
 * If the peer already has this prefix, only its metric changes.  A new
 * or changed metric ranks the entry behind the other entries with an
 * equal metric.
 *
 * Return: 0, -EINVAL for a bad length or peer, -ENOMEM (table unchanged).
 */
int kn_lpm_insert(struct kn_lpm_table *t, const u8 *key, unsigned int len,
		  struct kn_lpm_peer *head, u32 metric)
{
	struct kn_lpm_place pl = { };
	struct kn_lpm_node *n = NULL;
	struct kn_lpm_route *r;
	u8 k[KN_LPM_MAX_KEY];
	unsigned int b;
	bool node;
	int ret;

	KN_LPM_ASSERT_LOCKED(t->lock);
	if (len > t->bits || !head->peer)
		return -EINVAL;
	kn_lpm_mask(k, key, len, t->bits / 8);
	kn_lpm_find_place(t, k, len, &pl);
	if (pl.kind == KN_LPM_AT_POS) {
		ret = kn_lpm_set_metric(t, pl.loc, pl.cur, head->peer, metric);
		if (ret <= 0) {
			if (!ret)
				t->gen++;
			kn_lpm_gc_flush(&t->gc);
			return ret;
		}
	}

	/* A new entry: one route, and a node where the trie grows one. */
	node = pl.kind == KN_LPM_BELOW || pl.kind == KN_LPM_ABOVE;
	r = kn_lpm_new_route(t, k, len, head, metric);
	if (node)
		n = kn_lpm_alloc(KN_LPM_NODE);
	if (!r || (node && !n))
		goto nomem;

	switch (pl.kind) {
	case KN_LPM_AT_EMPTY:
		rcu_assign_pointer(*pl.slot, kn_lpm_mkref(r, KN_LPM_TAG_ROUTE));
		break;
	case KN_LPM_AT_POS:
		if (kn_lpm_group_add(t, pl.loc, pl.cur, r))
			goto nomem;
		break;
	case KN_LPM_AT_WORD:
		/* A plain branch at exactly @len becomes a prefix node. */
		rcu_assign_pointer(pl.n->word, kn_lpm_mkref(r, KN_LPM_TAG_ROUTE));
		break;
	case KN_LPM_BELOW:
		/* The leaf gets @r as a child. */
		b = kn_lpm_bit(k, pl.bit);
		RCU_INIT_POINTER(n->word, pl.x);
		RCU_INIT_POINTER(n->child[b], kn_lpm_mkref(r, KN_LPM_TAG_ROUTE));
		RCU_INIT_POINTER(n->child[!b], NULL);
		rcu_assign_pointer(*pl.slot, kn_lpm_mkref(n, KN_LPM_TAG_NODE));
		break;
	case KN_LPM_ABOVE:
		if (pl.bit == len) {
			/* @k is a proper prefix of everything in @x. */
			b = kn_lpm_bit(pl.rep->key, len);
			RCU_INIT_POINTER(n->word,
					 kn_lpm_mkref(r, KN_LPM_TAG_ROUTE));
			RCU_INIT_POINTER(n->child[b], pl.x);
			RCU_INIT_POINTER(n->child[!b], NULL);
		} else {
			b = kn_lpm_bit(k, pl.bit);
			RCU_INIT_POINTER(n->word, kn_lpm_bitref(pl.bit));
			RCU_INIT_POINTER(n->child[b],
					 kn_lpm_mkref(r, KN_LPM_TAG_ROUTE));
			RCU_INIT_POINTER(n->child[!b], pl.x);
		}
		rcu_assign_pointer(*pl.slot, kn_lpm_mkref(n, KN_LPM_TAG_NODE));
		break;
	}
	r->peer_next = head->first;
	head->first = r;
	head->live++;
	t->count++;
	t->gen++;
	return 0;
nomem:
	if (r)
		kn_lpm_free_now(kn_lpm_route_kind(t, r->len), r);
	if (n)
		kn_lpm_free_now(KN_LPM_NODE, n);
	return -ENOMEM;
}

/*
 * Take route @r out of the trie at @pos; restructure and free what is no
 * longer needed, but not @r itself.  Never allocates.
 */
static void kn_lpm_detach(struct kn_lpm_table *t, struct kn_lpm_pos *pos,
			  struct kn_lpm_route *r)
{
	struct kn_lpm_ref __rcu **loc = kn_lpm_loc(pos);
	struct kn_lpm_gnode *first, *g, *g2;
	struct kn_lpm_ref *c0, *c1, *w;
	struct kn_lpm_node *p;
	unsigned int dir;

	if (kn_lpm_tag(pos->cur) == KN_LPM_TAG_GROUP) {
		first = kn_lpm_ptr(pos->cur);
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
		return;
	}
	if (pos->node) {
		/* The prefix of a node goes away. */
		p = pos->node;
		c0 = kn_lpm_deref(t, p->child[0]);
		c1 = kn_lpm_deref(t, p->child[1]);
		if (c0 && c1) {
			RCU_INIT_POINTER(p->word, kn_lpm_bitref(r->len));
			return;
		}
		/* Already published objects: no ordering needed. */
		RCU_INIT_POINTER(*pos->slot, c0 ? c0 : c1);
		kn_lpm_free_deferred(&t->gc, KN_LPM_NODE, p);
		return;
	}
	p = pos->pnode;
	if (!p) {
		RCU_INIT_POINTER(*pos->slot, NULL);
		return;
	}
	dir = pos->slot == &p->child[1];
	c0 = kn_lpm_deref(t, p->child[!dir]);
	w = kn_lpm_deref(t, p->word);
	if (kn_lpm_tag(w) == KN_LPM_TAG_BIT) {
		/* A plain branch left with one child is bypassed. */
		RCU_INIT_POINTER(*pos->pslot, c0);
		kn_lpm_free_deferred(&t->gc, KN_LPM_NODE, p);
	} else if (c0) {
		RCU_INIT_POINTER(p->child[dir], NULL);
	} else {
		/* A prefix node left without children becomes a leaf. */
		RCU_INIT_POINTER(*pos->pslot, w);
		kn_lpm_free_deferred(&t->gc, KN_LPM_NODE, p);
	}
}

/* Free @head's dead routes (amortised over the removals that made them). */
static void kn_lpm_compact(struct kn_lpm_table *t, struct kn_lpm_peer *head)
{
	struct kn_lpm_route **pp = &head->first, *r;

	while ((r = *pp)) {
		if (!r->dead) {
			pp = &r->peer_next;
			continue;
		}
		*pp = r->peer_next;
		kn_lpm_free_deferred(&t->gc, kn_lpm_route_kind(t, r->len), r);
		head->dead--;
		t->dead--;
	}
}

/**
 * kn_lpm_remove - remove @head's entry for @key/@len
 * @t: the table; its update mutex held
 * @key: the prefix (bits beyond @len ignored)
 * @len: prefix length
 * @head: the peer's route list in this table
 *
 * Return: 0, -EINVAL for a bad length, -ENOENT if there is no such entry.
 * Never fails for lack of memory.
 */
int kn_lpm_remove(struct kn_lpm_table *t, const u8 *key, unsigned int len,
		  struct kn_lpm_peer *head)
{
	struct kn_lpm_route *r = NULL;
	struct kn_lpm_pos pos;
	struct kn_lpm_gnode *g;
	u8 k[KN_LPM_MAX_KEY];

	KN_LPM_ASSERT_LOCKED(t->lock);
	if (len > t->bits)
		return -EINVAL;
	kn_lpm_mask(k, key, len, t->bits / 8);
	if (!kn_lpm_locate(t, k, len, &pos))
		return -ENOENT;
	if (kn_lpm_tag(pos.cur) == KN_LPM_TAG_GROUP) {
		for (g = kn_lpm_ptr(pos.cur); g; g = kn_lpm_deref(t, g->next))
			if (g->route->peer == head->peer) {
				r = g->route;
				break;
			}
	} else if (kn_lpm_head(pos.cur)->peer == head->peer) {
		r = kn_lpm_head(pos.cur);
	}
	if (!r)
		return -ENOENT;
	kn_lpm_detach(t, &pos, r);
	r->dead = 1;
	head->live--;
	head->dead++;
	t->count--;
	t->dead++;
	t->gen++;
	if (head->dead > head->live / 4 + KN_LPM_DEAD_SLACK)
		kn_lpm_compact(t, head);
	kn_lpm_gc_flush(&t->gc);
	return 0;
}

/**
 * kn_lpm_remove_peer - remove and free every entry of @head's peer
 * @t: the table; its update mutex held
 * @head: the peer's route list in this table; empty afterwards
 *
 * Time proportional to the peer's own routes (times the trie depth).
 */
void kn_lpm_remove_peer(struct kn_lpm_table *t, struct kn_lpm_peer *head)
{
	struct kn_lpm_route *r, *next;
	struct kn_lpm_pos pos;

	KN_LPM_ASSERT_LOCKED(t->lock);
	for (r = head->first; r; r = next) {
		next = r->peer_next;
		if (r->dead) {
			t->dead--;
		} else {
			if (!WARN_ON(!kn_lpm_locate(t, r->key, r->len, &pos)))
				kn_lpm_detach(t, &pos, r);
			t->count--;
		}
		kn_lpm_free_deferred(&t->gc, kn_lpm_route_kind(t, r->len), r);
	}
	head->first = NULL;
	head->live = 0;
	head->dead = 0;
	t->gen++;
	kn_lpm_gc_flush(&t->gc);
}

/*
 * The position of the longest prefix containing @addr, or NULL.  RCU read
 * side: the reference stays valid until the caller's read-side critical
 * section ends.
 */
static struct kn_lpm_ref *kn_lpm_longest(const struct kn_lpm_table *t,
					 const u8 *addr)
{
	struct kn_lpm_ref *x = kn_lpm_rcu(t->root), *w, *best = NULL;
	struct kn_lpm_node *n;
	struct kn_lpm_route *r;
	unsigned int s;

	while (x) {
		if (kn_lpm_tag(x) != KN_LPM_TAG_NODE) {
			r = kn_lpm_head(x);
			if (kn_lpm_match(r->key, r->len, addr))
				best = x;
			break;
		}
		n = kn_lpm_ptr(x);
		w = kn_lpm_rcu(n->word);
		if (kn_lpm_tag(w) == KN_LPM_TAG_BIT) {
			s = (unsigned long)w >> 2;
		} else {
			r = kn_lpm_head(w);
			s = r->len;
			if (!kn_lpm_match(r->key, s, addr))
				break;
			best = w;
		}
		x = kn_lpm_rcu(n->child[kn_lpm_bit(addr, s)]);
	}
	return best;
}

/**
 * kn_lpm_lookup - the peer to send to @addr
 * @t: the table; caller in an RCU read-side critical section
 * @addr: destination address, t->bits / 8 bytes, network order
 * @alive: says whether a peer is usable (e.g. has a session); NULL: all
 *
 * Among the entries of the longest prefix matching @addr, the first in
 * preference order (metric, then age) whose peer is alive, or the first
 * one if none is.
 *
 * Return: the peer pointer, or NULL if no prefix matches.  The peer is
 * only protected by RCU: the caller must take a reference if it keeps it.
 */
void *kn_lpm_lookup(const struct kn_lpm_table *t, const u8 *addr,
		    bool (*alive)(const void *peer))
{
	struct kn_lpm_ref *best = kn_lpm_longest(t, addr);
	struct kn_lpm_gnode *g;
	struct kn_lpm_route *r;

	if (!best)
		return NULL;
	if (kn_lpm_tag(best) == KN_LPM_TAG_ROUTE)
		return ((struct kn_lpm_route *)kn_lpm_ptr(best))->peer;
	g = kn_lpm_ptr(best);
	r = g->route;
	for (; g; g = kn_lpm_rcu(g->next))
		if (!alive || alive(g->route->peer))
			return g->route->peer;
	return r->peer;
}

/* Has the position @ref an entry of @peer?  RCU read side. */
static bool kn_lpm_has_peer(struct kn_lpm_ref *ref, const void *peer)
{
	struct kn_lpm_gnode *g;

	if (kn_lpm_tag(ref) == KN_LPM_TAG_ROUTE)
		return ((struct kn_lpm_route *)kn_lpm_ptr(ref))->peer == peer;
	for (g = kn_lpm_ptr(ref); g; g = kn_lpm_rcu(g->next))
		if (g->route->peer == peer)
			return true;
	return false;
}

/**
 * kn_lpm_allowed - may @peer send from source @addr?  (source binding)
 * @t: the table; caller in an RCU read-side critical section
 * @addr: source address, t->bits / 8 bytes
 * @peer: the peer the packet came from
 *
 * Crypto-key routing's rule: the source must be one that a lookup of it
 * would send back to @peer.  The peers of the longest prefix containing
 * @addr are all accepted, alive or not, in any metric order: a failover
 * group's standby may relay replies while the preferred peer is still
 * considered alive, and the alive state may differ between the two ends.
 * A covering prefix of @peer does not admit a source for which another
 * peer has a longer prefix (kn_lpm_covers() does).
 *
 * Return: true if @peer has an entry for the longest prefix containing
 * @addr.
 */
bool kn_lpm_allowed(const struct kn_lpm_table *t, const u8 *addr,
		    const void *peer)
{
	struct kn_lpm_ref *best = kn_lpm_longest(t, addr);

	return best && kn_lpm_has_peer(best, peer);
}

/**
 * kn_lpm_covers - has @peer any prefix containing @addr?
 * @t: the table; caller in an RCU read-side critical section
 * @addr: source address, t->bits / 8 bytes
 * @peer: the peer the packet came from
 *
 * The weaker source check of transit peers (nodes that relay other
 * nodes' packets): any prefix of @peer containing @addr admits it, even
 * where another peer has a longer prefix.  A superset of
 * kn_lpm_allowed().
 *
 * Return: true if @peer has an entry for any prefix containing @addr.
 */
bool kn_lpm_covers(const struct kn_lpm_table *t, const u8 *addr,
		   const void *peer)
{
	struct kn_lpm_ref *x = kn_lpm_rcu(t->root), *w;
	struct kn_lpm_node *n;
	struct kn_lpm_route *r;
	unsigned int s;

	while (x) {
		if (kn_lpm_tag(x) != KN_LPM_TAG_NODE) {
			r = kn_lpm_head(x);
			return kn_lpm_match(r->key, r->len, addr) &&
			       kn_lpm_has_peer(x, peer);
		}
		n = kn_lpm_ptr(x);
		w = kn_lpm_rcu(n->word);
		if (kn_lpm_tag(w) == KN_LPM_TAG_BIT) {
			s = (unsigned long)w >> 2;
		} else {
			r = kn_lpm_head(w);
			s = r->len;
			if (!kn_lpm_match(r->key, s, addr))
				return false;
			if (kn_lpm_has_peer(w, peer))
				return true;
		}
		x = kn_lpm_rcu(n->child[kn_lpm_bit(addr, s)]);
	}
	return false;
}

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
	struct kn_lpm_entry e;
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
				e.key = key;
				e.len = r->len;
				e.peer = r->peer;
				e.metric = r->metric;
				ret = fn(ctx, &e);
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
	struct kn_lpm_entry e;
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
		e.key = key;
		e.len = r->len;
		e.peer = r->peer;
		e.metric = r->metric;
		ret = fn(ctx, &e);
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

#ifdef __KERNEL__

#include <linux/slab.h>
#include <linux/mm.h>

static struct kmem_cache *kn_lpm_caches[KN_LPM_NKINDS];
static const char * const kn_lpm_cache_names[KN_LPM_NKINDS] = {
	[KN_LPM_NODE] = "kn_lpm_node",
	[KN_LPM_ROUTE4] = "kn_lpm_route4",
	[KN_LPM_ROUTE6S] = "kn_lpm_route6s",
	[KN_LPM_ROUTE6] = "kn_lpm_route6",
	[KN_LPM_GNODE] = "kn_lpm_gnode",
};

/**
 * struct kn_lpm_gc_batch - objects freed together after one grace period
 * @rcu: for call_rcu()
 * @n: used entries of @obj
 * @obj: object pointers, each or'ed with its enum kn_lpm_kind
 */
struct kn_lpm_gc_batch {
	struct rcu_head rcu;
	unsigned int n;
	unsigned long obj[];
};

#define KN_LPM_GC_SLOTS \
	((PAGE_SIZE - sizeof(struct kn_lpm_gc_batch)) / sizeof(unsigned long))

int kn_lpm_init_caches(void)
{
	int i;

	for (i = 0; i < KN_LPM_NKINDS; i++) {
		kn_lpm_caches[i] = kmem_cache_create(kn_lpm_cache_names[i],
						     kn_lpm_obj_size(i), 0,
						     SLAB_ACCOUNT, NULL);
		if (!kn_lpm_caches[i])
			goto err;
	}
	return 0;
err:
	while (i--)
		kmem_cache_destroy(kn_lpm_caches[i]);
	return -ENOMEM;
}

void kn_lpm_exit_caches(void)
{
	int i;

	/* Wait for every batch handed to call_rcu() to be freed. */
	rcu_barrier();
	for (i = 0; i < KN_LPM_NKINDS; i++)
		kmem_cache_destroy(kn_lpm_caches[i]);
}

void *kn_lpm_alloc(enum kn_lpm_kind kind)
{
	return kmem_cache_alloc(kn_lpm_caches[kind], GFP_KERNEL);
}

void kn_lpm_free_now(enum kn_lpm_kind kind, void *obj)
{
	kmem_cache_free(kn_lpm_caches[kind], obj);
}

static void kn_lpm_gc_rcu(struct rcu_head *rcu)
{
	struct kn_lpm_gc_batch *b = container_of(rcu, struct kn_lpm_gc_batch,
						 rcu);
	unsigned int i;

	for (i = 0; i < b->n; i++)
		kmem_cache_free(kn_lpm_caches[b->obj[i] & KN_LPM_KIND_MASK],
				(void *)(b->obj[i] & ~KN_LPM_KIND_MASK));
	kfree(b);
}

void kn_lpm_free_deferred(struct kn_lpm_gc *gc, enum kn_lpm_kind kind,
			  void *obj)
{
	struct kn_lpm_gc_batch *b = gc->batch;

	if (!b) {
		b = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!b) {
			/* Rare: wait for the readers instead of batching. */
			synchronize_rcu();
			kmem_cache_free(kn_lpm_caches[kind], obj);
			return;
		}
		b->n = 0;
		gc->batch = b;
	}
	b->obj[b->n++] = (unsigned long)obj | kind;
	if (b->n == KN_LPM_GC_SLOTS)
		kn_lpm_gc_flush(gc);
}

void kn_lpm_gc_flush(struct kn_lpm_gc *gc)
{
	if (gc->batch) {
		call_rcu(&gc->batch->rcu, kn_lpm_gc_rcu);
		gc->batch = NULL;
	}
}

#else /* userspace */

static size_t kn_lpm_user_bytes;
static unsigned long kn_lpm_user_objects;
static unsigned long kn_lpm_user_fail;

int kn_lpm_init_caches(void)
{
	return 0;
}

void kn_lpm_exit_caches(void)
{
}

void *kn_lpm_alloc(enum kn_lpm_kind kind)
{
	void *p;

	if (kn_lpm_user_fail && !--kn_lpm_user_fail)
		return NULL;
	p = malloc(kn_lpm_obj_size(kind));
	if (p) {
		kn_lpm_user_bytes += kn_lpm_obj_size(kind);
		kn_lpm_user_objects++;
	}
	return p;
}

void kn_lpm_free_now(enum kn_lpm_kind kind, void *obj)
{
	kn_lpm_user_bytes -= kn_lpm_obj_size(kind);
	kn_lpm_user_objects--;
	free(obj);
}

void kn_lpm_free_deferred(struct kn_lpm_gc *gc, enum kn_lpm_kind kind,
			  void *obj)
{
	(void)gc;
	kn_lpm_free_now(kind, obj);
}

void kn_lpm_gc_flush(struct kn_lpm_gc *gc)
{
	(void)gc;
}

size_t kn_lpm_env_bytes(void)
{
	return kn_lpm_user_bytes;
}

unsigned long kn_lpm_env_objects(void)
{
	return kn_lpm_user_objects;
}

void kn_lpm_env_fail_nth(unsigned long n)
{
	kn_lpm_user_fail = n;
}

#endif /* __KERNEL__ */
