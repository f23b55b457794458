// SPDX-License-Identifier: GPL-2.0
/*
 * keynet crypto-key routing table: see lpm.h for the contract.  This
 * file is the trie (insert, remove, lookup); lpm_group.c keeps the
 * entries of a prefix with several peers, lpm_walk.c the resumable walks
 * of netlink dumps, lpm_env.c the allocator, lpm_int.h what they share.
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
#include "lpm_int.h"

/* Dead routes a peer may keep beyond a quarter of its live ones. */
#define KN_LPM_DEAD_SLACK	8

/* Where one position lives, as found by kn_lpm_locate(). */
struct kn_lpm_pos {
	struct kn_lpm_ref __rcu **slot;	/* slot holding the leaf or node */
	struct kn_lpm_ref __rcu **pslot;	/* slot holding @pnode */
	struct kn_lpm_node *pnode;	/* node owning @slot; NULL at root */
	struct kn_lpm_node *node;	/* set if the position is its word */
	struct kn_lpm_ref *cur;		/* the route or group ref */
};

/* Does @addr start with the @len-bit prefix @key? */
static inline bool kn_lpm_match(const u8 *key, unsigned int len,
				const u8 *addr)
{
	unsigned int n = len >> 3, r = len & 7;

	if (memcmp(key, addr, n))
		return false;
	return !r || !((key[n] ^ addr[n]) & (u8)(0xff00 >> r));
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
struct kn_lpm_route *kn_lpm_rep(struct kn_lpm_table *t, const u8 *key,
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
unsigned int kn_lpm_step(struct kn_lpm_table *t, struct kn_lpm_ref *x,
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

/*
 * Before @peer's existing entry at the position @cur gets @metric, note
 * in @u how to take that back, reserving the list node a move back may
 * need.  Nothing to note when @peer has no entry there (the insert adds
 * one) or the metric stays.  0, or -ENOMEM with nothing reserved.
 */
static int kn_lpm_undo_note(struct kn_lpm_table *t, struct kn_lpm_ref *cur,
			    const void *peer, u32 metric,
			    struct kn_lpm_undo *u)
{
	struct kn_lpm_route *r = kn_lpm_pos_route(t, cur, peer);

	if (!r || r->metric == metric)
		return 0;
	if (kn_lpm_tag(cur) == KN_LPM_TAG_GROUP) {
		u->spare = kn_lpm_alloc(KN_LPM_GNODE);
		if (!u->spare)
			return -ENOMEM;
	}
	u->metric = r->metric;
	u->rank = kn_lpm_pos_rank(t, cur, peer);
	u->op = KN_LPM_UNDO_METRIC;
	return 0;
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
	return kn_lpm_insert_undo(t, key, len, head, metric, NULL);
}

/**
 * kn_lpm_insert_undo - kn_lpm_insert(), noting how to take it back
 * @t: the table; its update mutex held
 * @key: the prefix, t->bits / 8 bytes; bits beyond @len are ignored
 * @len: prefix length, 0..t->bits
 * @head: the peer's route list in this table
 * @metric: lower is preferred among peers of the same prefix
 * @u: filled with what to take back (NULL: kn_lpm_insert()); after a
 *	success the caller passes it to kn_lpm_undo() or kn_lpm_undo_done()
 *
 * Return: as kn_lpm_insert(); on an error nothing changed and @u holds
 * nothing to take back or free.
 */
int kn_lpm_insert_undo(struct kn_lpm_table *t, const u8 *key,
		       unsigned int len, struct kn_lpm_peer *head, u32 metric,
		       struct kn_lpm_undo *u)
{
	struct kn_lpm_place pl = { };
	struct kn_lpm_node *n = NULL;
	struct kn_lpm_route *r;
	u8 k[KN_LPM_MAX_KEY];
	unsigned int b;
	bool node;
	int ret;

	KN_LPM_ASSERT_LOCKED(t->lock);
	if (u) {
		u->spare = NULL;
		u->op = KN_LPM_UNDO_NONE;
	}
	if (len > t->bits || !head->peer)
		return -EINVAL;
	kn_lpm_mask(k, key, len, t->bits / 8);
	kn_lpm_find_place(t, k, len, &pl);
	if (pl.kind == KN_LPM_AT_POS) {
		if (u && kn_lpm_undo_note(t, pl.cur, head->peer, metric, u))
			return -ENOMEM;
		ret = kn_lpm_set_metric(t, pl.loc, pl.cur, head->peer, metric);
		if (ret <= 0) {
			if (!ret)
				t->gen++;
			else if (u)
				kn_lpm_undo_done(u);
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
	if (u)
		u->op = KN_LPM_UNDO_REMOVE;
	return 0;
nomem:
	if (r)
		kn_lpm_free_now(kn_lpm_route_kind(t, r->len), r);
	if (n)
		kn_lpm_free_now(KN_LPM_NODE, n);
	return -ENOMEM;
}

/**
 * kn_lpm_undo - take back one kn_lpm_insert_undo()
 * @t: the table; its update mutex held since that insert
 * @key: the insert's prefix
 * @len: the insert's prefix length
 * @head: the insert's peer
 * @u: what the insert noted; released (kn_lpm_undo_done())
 *
 * Inserts taken back in the reverse order of their making leave the
 * table as it was before the first: entries, metrics and the order of
 * equal metrics.  Never fails: removing allocates nothing, and a metric
 * moved back uses the list node the insert reserved.
 */
void kn_lpm_undo(struct kn_lpm_table *t, const u8 *key, unsigned int len,
		 struct kn_lpm_peer *head, struct kn_lpm_undo *u)
{
	struct kn_lpm_pos pos;
	u8 k[KN_LPM_MAX_KEY];

	KN_LPM_ASSERT_LOCKED(t->lock);
	if (u->op == KN_LPM_UNDO_REMOVE) {
		WARN_ON(kn_lpm_remove(t, key, len, head));
	} else if (u->op == KN_LPM_UNDO_METRIC) {
		kn_lpm_mask(k, key, len, t->bits / 8);
		if (!WARN_ON(!kn_lpm_locate(t, k, len, &pos)))
			kn_lpm_set_rank(t, kn_lpm_loc(&pos), pos.cur, head->peer,
					u->metric, u->rank, &u->spare);
		t->gen++;
		kn_lpm_gc_flush(&t->gc);
	}
	kn_lpm_undo_done(u);
}

/* Forget @u: the insert it noted stays.  Frees the list node it reserved. */
void kn_lpm_undo_done(struct kn_lpm_undo *u)
{
	if (u->spare)
		kn_lpm_free_now(KN_LPM_GNODE, u->spare);
	u->spare = NULL;
	u->op = KN_LPM_UNDO_NONE;
}

/*
 * Take route @r out of the trie at @pos; restructure and free what is no
 * longer needed, but not @r itself.  Never allocates.
 */
static void kn_lpm_detach(struct kn_lpm_table *t, struct kn_lpm_pos *pos,
			  struct kn_lpm_route *r)
{
	struct kn_lpm_ref *c0, *c1, *w;
	struct kn_lpm_node *p;
	unsigned int dir;

	if (kn_lpm_tag(pos->cur) == KN_LPM_TAG_GROUP) {
		kn_lpm_group_remove(t, kn_lpm_loc(pos), pos->cur, r);
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
	struct kn_lpm_route *r;
	struct kn_lpm_pos pos;
	u8 k[KN_LPM_MAX_KEY];

	KN_LPM_ASSERT_LOCKED(t->lock);
	if (len > t->bits)
		return -EINVAL;
	kn_lpm_mask(k, key, len, t->bits / 8);
	if (!kn_lpm_locate(t, k, len, &pos))
		return -ENOENT;
	r = kn_lpm_pos_route(t, pos.cur, head->peer);
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

