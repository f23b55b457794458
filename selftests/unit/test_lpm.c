// kn-sources: lpm.c lpm_group.c lpm_walk.c lpm_env.c
// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the crypto-key routing table (kmod/lpm.c): targeted cases and
 * a randomised differential test against a linear reference.  The seed of
 * the random part can be given as KN_LPM_SEED in the environment.
 */
#include <errno.h>
#include <stdint.h>
#include "lpm.h"
#include "kn_test.h"

#define NPEERS 8
#define REF_MAX 1024

static char peer_obj[NPEERS];
static struct kn_lpm_peer heads[NPEERS];
static unsigned int alive_mask;

static bool alive_cb(const void *peer)
{
	return alive_mask >> ((const char *)peer - peer_obj) & 1;
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned int rndn(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

/* ---- the linear reference ---- */

struct ref_ent {
	u8 key[16];
	unsigned int len;
	int peer;
	u32 metric;
	u64 seq;
};

struct ref {
	struct ref_ent e[REF_MAX];
	int n;
	unsigned int bits;
	u64 seq;
};

static void mask_key(u8 *out, const u8 *key, unsigned int len,
		     unsigned int bytes)
{
	unsigned int i;

	memset(out, 0, 16);
	for (i = 0; i < bytes; i++) {
		if (len >= 8 * (i + 1))
			out[i] = key[i];
		else if (len > 8 * i)
			out[i] = key[i] & (u8)(0xff00 >> (len - 8 * i));
		else
			out[i] = 0;
	}
}

static bool ref_match(const u8 *key, unsigned int len, const u8 *addr)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (((key[i / 8] ^ addr[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

static int ref_find(struct ref *r, const u8 *k, unsigned int len, int peer)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (r->e[i].len == len && r->e[i].peer == peer &&
		    !memcmp(r->e[i].key, k, r->bits / 8))
			return i;
	return -1;
}

static void ref_insert(struct ref *r, const u8 *key, unsigned int len,
		       int peer, u32 metric)
{
	u8 k[16];
	int i;

	mask_key(k, key, len, r->bits / 8);
	i = ref_find(r, k, len, peer);
	if (i >= 0) {
		if (r->e[i].metric != metric) {
			r->e[i].metric = metric;
			r->e[i].seq = ++r->seq;
		}
		return;
	}
	i = r->n++;
	memcpy(r->e[i].key, k, 16);
	r->e[i].len = len;
	r->e[i].peer = peer;
	r->e[i].metric = metric;
	r->e[i].seq = ++r->seq;
}

static bool ref_remove(struct ref *r, const u8 *key, unsigned int len,
		       int peer)
{
	u8 k[16];
	int i;

	mask_key(k, key, len, r->bits / 8);
	i = ref_find(r, k, len, peer);
	if (i < 0)
		return false;
	r->e[i] = r->e[--r->n];
	return true;
}

static void ref_remove_peer(struct ref *r, int peer)
{
	int i;

	for (i = 0; i < r->n;) {
		if (r->e[i].peer == peer)
			r->e[i] = r->e[--r->n];
		else
			i++;
	}
}

static bool ref_better(const struct ref_ent *a, const struct ref_ent *b)
{
	return a->metric < b->metric ||
	       (a->metric == b->metric && a->seq < b->seq);
}

static int ref_lookup(struct ref *r, const u8 *addr, unsigned int alive)
{
	const struct ref_ent *best = NULL, *best_alive = NULL;
	int i, blen = -1;

	for (i = 0; i < r->n; i++)
		if (ref_match(r->e[i].key, r->e[i].len, addr) &&
		    (int)r->e[i].len > blen)
			blen = r->e[i].len;
	if (blen < 0)
		return -1;
	for (i = 0; i < r->n; i++) {
		const struct ref_ent *e = &r->e[i];

		if ((int)e->len != blen || !ref_match(e->key, e->len, addr))
			continue;
		if (!best || ref_better(e, best))
			best = e;
		if (alive >> e->peer & 1 &&
		    (!best_alive || ref_better(e, best_alive)))
			best_alive = e;
	}
	return best_alive ? best_alive->peer : best->peer;
}

/* Source binding: @peer has an entry of the longest prefix of @addr. */
static bool ref_allowed(struct ref *r, const u8 *addr, int peer)
{
	int i, blen = -1;

	for (i = 0; i < r->n; i++)
		if (ref_match(r->e[i].key, r->e[i].len, addr) &&
		    (int)r->e[i].len > blen)
			blen = r->e[i].len;
	for (i = 0; i < r->n; i++)
		if (r->e[i].peer == peer && (int)r->e[i].len == blen &&
		    ref_match(r->e[i].key, r->e[i].len, addr))
			return true;
	return false;
}

/* Transit peers: @peer has an entry of any prefix containing @addr. */
static bool ref_covers(struct ref *r, const u8 *addr, int peer)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (r->e[i].peer == peer &&
		    ref_match(r->e[i].key, r->e[i].len, addr))
			return true;
	return false;
}

/* ---- walking ---- */

struct got {
	u8 key[16];
	unsigned int len;
	int peer;
	u32 metric;
};

struct collect {
	struct got g[REF_MAX * 2];
	int n;
	int budget;	/* entries to accept before returning -EMSGSIZE */
	unsigned int bytes;
};

static int collect_cb(void *ctx, const struct kn_lpm_entry *e)
{
	struct collect *c = ctx;

	if (c->budget == 0)
		return -EMSGSIZE;
	if (c->budget > 0)
		c->budget--;
	if (c->n >= REF_MAX * 2)
		return -ENOSPC;
	memset(c->g[c->n].key, 0, 16);
	memcpy(c->g[c->n].key, e->key, c->bytes);
	c->g[c->n].len = e->len;
	c->g[c->n].peer = (int)((char *)e->peer - peer_obj);
	c->g[c->n].metric = e->metric;
	c->n++;
	return 0;
}

static int got_cmp(const void *a, const void *b)
{
	const struct got *x = a, *y = b;
	int d = memcmp(x->key, y->key, 16);

	if (d)
		return d;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->peer != y->peer)
		return x->peer < y->peer ? -1 : 1;
	return x->metric < y->metric ? -1 : x->metric > y->metric;
}

/* Trie order of two prefixes (see kn_lpm_walk()). */
static int trie_cmp(const struct got *x, const struct got *y)
{
	unsigned int i, m = x->len < y->len ? x->len : y->len;
	int bx, by;

	for (i = 0; i < m; i++) {
		bx = x->key[i / 8] >> (7 - i % 8) & 1;
		by = y->key[i / 8] >> (7 - i % 8) & 1;
		if (bx != by)
			return bx - by;
	}
	return (int)x->len - (int)y->len;
}

static void ref_to_got(struct ref *r, struct got *g, int *n, int peer)
{
	int i;

	*n = 0;
	for (i = 0; i < r->n; i++) {
		if (peer >= 0 && r->e[i].peer != peer)
			continue;
		memcpy(g[*n].key, r->e[i].key, 16);
		g[*n].len = r->e[i].len;
		g[*n].peer = r->e[i].peer;
		g[*n].metric = r->e[i].metric;
		(*n)++;
	}
}

static struct collect col;
static struct got want[REF_MAX];

/* Full walk (in one go or with a message budget) against the reference. */
static bool check_walk(struct kn_lpm_table *t, struct ref *r, int budget)
{
	struct kn_lpm_cursor cur;
	bool ok = true;
	int n, i, ret, rounds = 0;

	kn_lpm_cursor_init(&cur);
	col.n = 0;
	col.bytes = t->bits / 8;
	do {
		col.budget = budget;
		ret = kn_lpm_walk(t, &cur, collect_cb, &col);
		if (ret && ret != -EMSGSIZE)
			return false;
		if (++rounds > REF_MAX * 4)
			return false;
	} while (ret);
	/* Trie order; within a prefix, preference order. */
	for (i = 1; i < col.n; i++) {
		int c = trie_cmp(&col.g[i - 1], &col.g[i]);

		if (c > 0)
			ok = false;
	}
	ref_to_got(r, want, &n, -1);
	if (n != col.n || (int)kn_lpm_count(t) != n)
		return false;
	qsort(col.g, col.n, sizeof(col.g[0]), got_cmp);
	qsort(want, n, sizeof(want[0]), got_cmp);
	for (i = 0; i < n; i++)
		if (got_cmp(&col.g[i], &want[i]))
			ok = false;
	return ok;
}

static bool check_peer_walk(struct kn_lpm_table *t, struct ref *r, int peer,
			    int budget)
{
	struct kn_lpm_cursor cur;
	int n, i, ret, rounds = 0;

	kn_lpm_cursor_init(&cur);
	col.n = 0;
	col.bytes = t->bits / 8;
	do {
		col.budget = budget;
		ret = kn_lpm_walk_peer(t, &heads[peer], &cur, collect_cb,
				       &col);
		if (ret && ret != -EMSGSIZE)
			return false;
		if (++rounds > REF_MAX * 4)
			return false;
	} while (ret);
	ref_to_got(r, want, &n, peer);
	if (n != col.n || heads[peer].live != (u32)n)
		return false;
	qsort(col.g, col.n, sizeof(col.g[0]), got_cmp);
	qsort(want, n, sizeof(want[0]), got_cmp);
	for (i = 0; i < n; i++)
		if (got_cmp(&col.g[i], &want[i]))
			return false;
	return true;
}

static void setup(struct kn_lpm_table *t, struct ref *r, unsigned int bits)
{
	int i;

	kn_lpm_init(t, NULL, bits);
	for (i = 0; i < NPEERS; i++)
		kn_lpm_peer_init(&heads[i], &peer_obj[i]);
	if (r) {
		memset(r, 0, sizeof(*r));
		r->bits = bits;
	}
}

static void teardown(struct kn_lpm_table *t)
{
	int i;

	for (i = 0; i < NPEERS; i++)
		kn_lpm_remove_peer(t, &heads[i]);
	KN_CHECK(kn_lpm_count(t) == 0);
	KN_CHECK(!t->root);
	kn_lpm_destroy(t);
	KN_CHECK(kn_lpm_env_objects() == 0, "%lu objects leaked",
		 kn_lpm_env_objects());
	KN_CHECK(kn_lpm_env_bytes() == 0);
}

static void *P(int i)
{
	return &peer_obj[i];
}

static struct kn_lpm_table tab;
static struct ref ref;

/* ---- targeted cases ---- */

static void test_default_and_host(void)
{
	u8 a4[4] = { 10, 1, 2, 3 }, z[16] = { 0 }, a6[16];
	unsigned int i;

	setup(&tab, NULL, 32);
	KN_CHECK(kn_lpm_lookup(&tab, a4, NULL) == NULL);
	KN_CHECK(kn_lpm_insert(&tab, z, 0, &heads[0], 0) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a4, NULL) == P(0));
	KN_CHECK(kn_lpm_allowed(&tab, a4, P(0)));
	KN_CHECK(!kn_lpm_allowed(&tab, a4, P(1)));
	KN_CHECK(kn_lpm_insert(&tab, a4, 32, &heads[1], 0) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a4, NULL) == P(1));
	a4[3] ^= 1;
	KN_CHECK(kn_lpm_lookup(&tab, a4, NULL) == P(0));
	KN_CHECK(!kn_lpm_allowed(&tab, a4, P(1)));
	KN_CHECK(kn_lpm_allowed(&tab, a4, P(0)));
	a4[3] ^= 1;
	/* allowed(): only the longest matching prefix; covers(): any. */
	KN_CHECK(!kn_lpm_allowed(&tab, a4, P(0)));
	KN_CHECK(kn_lpm_allowed(&tab, a4, P(1)));
	KN_CHECK(kn_lpm_covers(&tab, a4, P(0)));
	KN_CHECK(kn_lpm_covers(&tab, a4, P(1)));
	KN_CHECK(!kn_lpm_covers(&tab, a4, P(2)));
	KN_CHECK(kn_lpm_insert(&tab, a4, 33, &heads[1], 0) == -EINVAL);
	KN_CHECK(kn_lpm_remove(&tab, a4, 31, &heads[1]) == -ENOENT);
	KN_CHECK(kn_lpm_remove(&tab, a4, 32, &heads[0]) == -ENOENT);
	KN_CHECK(kn_lpm_remove(&tab, a4, 32, &heads[1]) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a4, NULL) == P(0));
	KN_CHECK(kn_lpm_remove(&tab, z, 0, &heads[0]) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a4, NULL) == NULL);
	KN_CHECK(kn_lpm_count(&tab) == 0);
	teardown(&tab);

	setup(&tab, NULL, 128);
	for (i = 0; i < 16; i++)
		a6[i] = (u8)(0x20 + i);
	KN_CHECK(kn_lpm_insert(&tab, a6, 128, &heads[2], 5) == 0);
	KN_CHECK(kn_lpm_insert(&tab, z, 0, &heads[3], 5) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a6, NULL) == P(2));
	a6[15] ^= 0x80;
	KN_CHECK(kn_lpm_lookup(&tab, a6, NULL) == P(3));
	a6[15] ^= 0x80;
	KN_CHECK(kn_lpm_insert(&tab, a6, 129, &heads[2], 5) == -EINVAL);
	/* Bits beyond the length are ignored. */
	KN_CHECK(kn_lpm_insert(&tab, a6, 64, &heads[4], 5) == 0);
	a6[15] ^= 1;
	KN_CHECK(kn_lpm_lookup(&tab, a6, NULL) == P(4));
	KN_CHECK(kn_lpm_remove(&tab, a6, 64, &heads[4]) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a6, NULL) == P(3));
	teardown(&tab);
}

static void test_metrics_failover(void)
{
	u8 p[4] = { 192, 168, 0, 0 }, a[4] = { 192, 168, 7, 9 };

	setup(&tab, NULL, 32);
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[0], 20) == 0);
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[1], 10) == 0);
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[2], 10) == 0);
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[3], 30) == 0);
	KN_CHECK(kn_lpm_count(&tab) == 4);
	/* Lowest metric, ties to the first added. */
	alive_mask = 0xff;
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(1));
	KN_CHECK(kn_lpm_lookup(&tab, a, NULL) == P(1));
	/* Failover. */
	alive_mask = 0xff & ~(1u << 1);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(2));
	alive_mask = 1u << 3;
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(3));
	/* Nobody alive: the best entry anyway. */
	alive_mask = 0;
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(1));
	/* A more specific prefix wins even when its peer is dead. */
	KN_CHECK(kn_lpm_insert(&tab, a, 24, &heads[4], 99) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(4));
	KN_CHECK(kn_lpm_remove(&tab, a, 24, &heads[4]) == 0);
	/* Metric update: same value keeps the place. */
	alive_mask = 0xff;
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[1], 10) == 0);
	KN_CHECK(kn_lpm_count(&tab) == 4);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(1));
	/* A changed metric ranks behind equal ones. */
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[1], 11) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(2));
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[1], 10) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(2));
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[3], 1) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(3));
	KN_CHECK(kn_lpm_count(&tab) == 4);
	/* Remove down to one entry and re-insert. */
	KN_CHECK(kn_lpm_remove(&tab, p, 16, &heads[3]) == 0);
	KN_CHECK(kn_lpm_remove(&tab, p, 16, &heads[2]) == 0);
	KN_CHECK(kn_lpm_remove(&tab, p, 16, &heads[2]) == -ENOENT);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(1));
	KN_CHECK(kn_lpm_remove(&tab, p, 16, &heads[1]) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(0));
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[1], 0) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a, alive_cb) == P(1));
	/* Every member of the failover group may send, alive or not. */
	alive_mask = 0;
	KN_CHECK(kn_lpm_allowed(&tab, a, P(0)));
	KN_CHECK(kn_lpm_allowed(&tab, a, P(1)));
	KN_CHECK(!kn_lpm_allowed(&tab, a, P(2)));
	/* A more specific prefix of another peer takes its part away. */
	KN_CHECK(kn_lpm_insert(&tab, a, 24, &heads[4], 0) == 0);
	KN_CHECK(!kn_lpm_allowed(&tab, a, P(0)));
	KN_CHECK(!kn_lpm_allowed(&tab, a, P(1)));
	KN_CHECK(kn_lpm_allowed(&tab, a, P(4)));
	KN_CHECK(kn_lpm_covers(&tab, a, P(0)));
	KN_CHECK(kn_lpm_covers(&tab, a, P(1)));
	/* ...and a group on it lets each of its members send. */
	KN_CHECK(kn_lpm_insert(&tab, a, 24, &heads[0], 10) == 0);
	KN_CHECK(kn_lpm_allowed(&tab, a, P(0)));
	KN_CHECK(kn_lpm_allowed(&tab, a, P(4)));
	KN_CHECK(!kn_lpm_allowed(&tab, a, P(1)));
	KN_CHECK(kn_lpm_remove(&tab, a, 24, &heads[0]) == 0);
	KN_CHECK(kn_lpm_remove(&tab, a, 24, &heads[4]) == 0);
	KN_CHECK(kn_lpm_allowed(&tab, a, P(0)));
	/* Single route metric update. */
	KN_CHECK(kn_lpm_remove(&tab, p, 16, &heads[0]) == 0);
	KN_CHECK(kn_lpm_insert(&tab, p, 16, &heads[1], 7) == 0);
	KN_CHECK(kn_lpm_count(&tab) == 1);
	teardown(&tab);
}

static void test_nested(void)
{
	u8 k[4] = { 10, 20, 30, 40 }, a[4] = { 10, 20, 30, 41 };
	u8 o[4] = { 10, 21, 0, 0 };
	unsigned int len;

	setup(&tab, NULL, 32);
	for (len = 0; len <= 32; len += 4)
		KN_CHECK(kn_lpm_insert(&tab, k, len, &heads[len % NPEERS],
				       len) == 0);
	/* a differs from k in the last bit: longest match is /28. */
	KN_CHECK(kn_lpm_lookup(&tab, a, NULL) == P(28 % NPEERS));
	KN_CHECK(kn_lpm_lookup(&tab, k, NULL) == P(32 % NPEERS));
	KN_CHECK(kn_lpm_lookup(&tab, o, NULL) == P(12 % NPEERS));
	/* Remove from the middle of the chain. */
	KN_CHECK(kn_lpm_remove(&tab, k, 28, &heads[28 % NPEERS]) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, a, NULL) == P(24 % NPEERS));
	KN_CHECK(kn_lpm_remove(&tab, k, 0, &heads[0]) == 0);
	KN_CHECK(kn_lpm_remove(&tab, k, 32, &heads[0]) == 0);
	KN_CHECK(kn_lpm_lookup(&tab, k, NULL) == P(24 % NPEERS));
	KN_CHECK(kn_lpm_count(&tab) == 6);
	teardown(&tab);
}

/*
 * Source binding as receive.c uses it: a hub routed a covering prefix, an
 * exit peer routed the default route, and peers with more specific
 * prefixes inside them (key-derived /128s, LAN prefixes, a /24).
 */
static void test_source_binding(void)
{
	u8 fc[16] = { 0xfc }, z[16] = { 0 };
	u8 b_addr[16] = { 0xfc, 0x12, 0x34, 0x56, 0, 0, 0, 0,
			  0, 0, 0, 0, 0, 0, 0xbb, 0x01 };
	u8 b_lan[16] = { 0xfd, 0xd7, 0x59, 0x38, 0xe2, 0xe6, 0x6c, 0x8d };
	u8 hub_addr[16] = { 0xfc, 0x99, 0, 0, 0, 0, 0, 0,
			    0, 0, 0, 0, 0, 0, 0xaa, 0x01 };
	u8 other[16] = { 0xfc, 0x77, 1, 2, 3, 4, 5, 6,
			 7, 8, 9, 10, 11, 12, 13, 14 };
	u8 a[16], v4[4] = { 192, 0, 2, 0 }, s4[4] = { 192, 0, 2, 77 };
	u8 w4[4] = { 198, 51, 100, 7 };
	enum { HUB, B, C, EXIT };

	/* IPv6: hub has fc00::/8 and its own /128; B its /128 and LAN /64. */
	setup(&tab, NULL, 128);
	KN_CHECK(kn_lpm_insert(&tab, fc, 8, &heads[HUB], 0) == 0);
	KN_CHECK(kn_lpm_insert(&tab, hub_addr, 128, &heads[HUB], 0) == 0);
	KN_CHECK(kn_lpm_insert(&tab, b_addr, 128, &heads[B], 0) == 0);
	KN_CHECK(kn_lpm_insert(&tab, b_lan, 64, &heads[B], 0) == 0);
	/* B's address and LAN: B only, never the hub (unless transit). */
	KN_CHECK(kn_lpm_allowed(&tab, b_addr, P(B)));
	KN_CHECK(!kn_lpm_allowed(&tab, b_addr, P(HUB)));
	KN_CHECK(kn_lpm_covers(&tab, b_addr, P(HUB)));
	memcpy(a, b_lan, 16);
	a[15] = 0x80;
	KN_CHECK(kn_lpm_allowed(&tab, a, P(B)));
	KN_CHECK(!kn_lpm_allowed(&tab, a, P(HUB)));
	/* B's LAN is outside fc00::/8: not even transit lets the hub. */
	KN_CHECK(!kn_lpm_covers(&tab, a, P(HUB)));
	/* A neighbour of B's address: only the /8 covers it. */
	memcpy(a, b_addr, 16);
	a[15] ^= 0x02;
	KN_CHECK(kn_lpm_allowed(&tab, a, P(HUB)));
	KN_CHECK(!kn_lpm_allowed(&tab, a, P(B)));
	KN_CHECK(!kn_lpm_covers(&tab, a, P(B)));
	KN_CHECK(kn_lpm_allowed(&tab, other, P(HUB)));
	KN_CHECK(kn_lpm_allowed(&tab, hub_addr, P(HUB)));
	KN_CHECK(!kn_lpm_allowed(&tab, hub_addr, P(B)));
	/* B may not use the hub's address either, nor an unrouted one. */
	KN_CHECK(!kn_lpm_covers(&tab, hub_addr, P(B)));
	KN_CHECK(!kn_lpm_allowed(&tab, z, P(HUB)));
	/* B reachable through the hub as well (a failover group). */
	KN_CHECK(kn_lpm_insert(&tab, b_addr, 128, &heads[HUB], 10) == 0);
	KN_CHECK(kn_lpm_allowed(&tab, b_addr, P(HUB)));
	KN_CHECK(kn_lpm_allowed(&tab, b_addr, P(B)));
	KN_CHECK(!kn_lpm_allowed(&tab, b_addr, P(C)));
	KN_CHECK(kn_lpm_remove(&tab, b_addr, 128, &heads[HUB]) == 0);
	KN_CHECK(!kn_lpm_allowed(&tab, b_addr, P(HUB)));
	/* An exit peer with ::/0: everything not routed more specifically. */
	KN_CHECK(kn_lpm_insert(&tab, z, 0, &heads[EXIT], 0) == 0);
	a[0] = 0x20;
	KN_CHECK(kn_lpm_allowed(&tab, a, P(EXIT)));
	KN_CHECK(!kn_lpm_allowed(&tab, a, P(HUB)));
	KN_CHECK(!kn_lpm_allowed(&tab, other, P(EXIT)));
	KN_CHECK(!kn_lpm_allowed(&tab, b_addr, P(EXIT)));
	KN_CHECK(kn_lpm_covers(&tab, b_addr, P(EXIT)));
	KN_CHECK(kn_lpm_covers(&tab, other, P(EXIT)));
	teardown(&tab);

	/* IPv4: an exit peer with 0.0.0.0/0, C with 192.0.2.0/24. */
	setup(&tab, NULL, 32);
	KN_CHECK(kn_lpm_insert(&tab, z, 0, &heads[EXIT], 0) == 0);
	KN_CHECK(kn_lpm_insert(&tab, v4, 24, &heads[C], 0) == 0);
	KN_CHECK(kn_lpm_allowed(&tab, s4, P(C)));
	KN_CHECK(!kn_lpm_allowed(&tab, s4, P(EXIT)));
	KN_CHECK(kn_lpm_covers(&tab, s4, P(EXIT)));
	KN_CHECK(kn_lpm_allowed(&tab, w4, P(EXIT)));
	KN_CHECK(!kn_lpm_allowed(&tab, w4, P(C)));
	KN_CHECK(!kn_lpm_covers(&tab, w4, P(C)));
	/* Two exit peers (a failover group on /0): both may send. */
	KN_CHECK(kn_lpm_insert(&tab, z, 0, &heads[HUB], 5) == 0);
	KN_CHECK(kn_lpm_allowed(&tab, w4, P(HUB)));
	KN_CHECK(kn_lpm_allowed(&tab, w4, P(EXIT)));
	KN_CHECK(!kn_lpm_allowed(&tab, s4, P(HUB)));
	/* The /24 gone: the exit peers get those sources back. */
	KN_CHECK(kn_lpm_remove(&tab, v4, 24, &heads[C]) == 0);
	KN_CHECK(kn_lpm_allowed(&tab, s4, P(EXIT)));
	KN_CHECK(kn_lpm_allowed(&tab, s4, P(HUB)));
	KN_CHECK(!kn_lpm_allowed(&tab, s4, P(C)));
	teardown(&tab);
}

/* Interrupt the walks at every position, then at every entry. */
static void test_cursor(void)
{
	u8 k[16];
	int i, j, n, ret, total;
	struct kn_lpm_cursor cur;

	setup(&tab, &ref, 128);
	for (i = 0; i < 150; i++) {
		for (j = 0; j < 16; j++)
			k[j] = (u8)rnd();
		k[0] = 0x20;
		k[1] = (u8)(i % 3);
		n = (int)rndn(129);
		j = (int)rndn(NPEERS);
		KN_CHECK(kn_lpm_insert(&tab, k, n, &heads[j], i % 4) == 0);
		ref_insert(&ref, k, n, j, i % 4);
		/* And some shared prefixes. */
		if (i % 5 == 0) {
			j = (j + 1) % NPEERS;
			KN_CHECK(kn_lpm_insert(&tab, k, n, &heads[j], 0) == 0);
			ref_insert(&ref, k, n, j, 0);
		}
	}
	total = ref.n;
	KN_CHECK(total == (int)kn_lpm_count(&tab));
	for (i = 0; i <= total; i++) {
		/* Stop after i entries, then continue one entry per call. */
		kn_lpm_cursor_init(&cur);
		col.n = 0;
		col.bytes = 16;
		col.budget = i;
		ret = kn_lpm_walk(&tab, &cur, collect_cb, &col);
		KN_CHECK((ret == 0) == (i == total));
		while (ret) {
			col.budget = 1;
			ret = kn_lpm_walk(&tab, &cur, collect_cb, &col);
			KN_CHECK(ret == 0 || ret == -EMSGSIZE);
		}
		KN_CHECK(col.n == total, "stop at %d: %d entries", i, col.n);
	}
	for (i = 1; i < 40; i++)
		KN_CHECK(check_walk(&tab, &ref, i), "budget %d", i);
	for (j = 0; j < NPEERS; j++)
		for (i = 1; i < 5; i++)
			KN_CHECK(check_peer_walk(&tab, &ref, j, i));
	/* A walk that is done stays done. */
	KN_CHECK(kn_lpm_walk(&tab, &cur, collect_cb, &col) == 0);
	teardown(&tab);
}

/* Dead routes are freed in batches and never resurface. */
static void test_dead_routes(void)
{
	u8 k[4] = { 10, 0, 0, 0 };
	unsigned long objs;
	int i;

	setup(&tab, &ref, 32);
	for (i = 0; i < 200; i++) {
		k[2] = (u8)i;
		KN_CHECK(kn_lpm_insert(&tab, k, 24, &heads[0], 0) == 0);
	}
	objs = kn_lpm_env_objects();
	for (i = 0; i < 200; i++) {
		k[2] = (u8)i;
		KN_CHECK(kn_lpm_remove(&tab, k, 24, &heads[0]) == 0);
		KN_CHECK(heads[0].dead <= heads[0].live / 4 + 9);
		KN_CHECK(kn_lpm_lookup(&tab, k, NULL) == NULL);
	}
	KN_CHECK(kn_lpm_env_objects() < objs);
	KN_CHECK(check_peer_walk(&tab, &ref, 0, 1));
	/* Re-insert what is (maybe) still a dead route. */
	k[2] = 199;
	KN_CHECK(kn_lpm_insert(&tab, k, 24, &heads[0], 0) == 0);
	ref_insert(&ref, k, 24, 0, 0);
	KN_CHECK(check_peer_walk(&tab, &ref, 0, 1));
	KN_CHECK(check_walk(&tab, &ref, -1));
	teardown(&tab);
}

/* Every allocation of every kind of insert fails once: no change. */
static void test_enomem_targeted(void)
{
	static const struct {
		u8 k[4];
		u8 len;
		u8 peer;
		u8 metric;
	} ops[] = {
		{ { 10, 0, 0, 0 }, 8, 0, 5 },	/* root leaf */
		{ { 10, 1, 0, 0 }, 16, 0, 5 },	/* leaf under a leaf */
		{ { 10, 2, 0, 0 }, 16, 0, 5 },	/* split */
		{ { 10, 0, 0, 0 }, 8, 1, 5 },	/* group of two */
		{ { 10, 0, 0, 0 }, 8, 2, 1 },	/* group insert */
		{ { 10, 0, 0, 0 }, 8, 1, 0 },	/* metric move */
		{ { 0, 0, 0, 0 }, 0, 3, 0 },	/* prefix above all */
		{ { 10, 0, 0, 0 }, 14, 3, 0 },	/* prefix into a branch */
		{ { 10, 0, 0, 0 }, 14, 4, 0 },	/* group at a node */
		{ { 10, 0, 0, 0 }, 14, 3, 9 },	/* metric move at node */
	};
	unsigned long objs;
	unsigned int i, n;
	int ret;

	setup(&tab, &ref, 32);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		for (n = 1; n <= 4; n++) {
			objs = kn_lpm_env_objects();
			kn_lpm_env_fail_nth(n);
			ret = kn_lpm_insert(&tab, ops[i].k, ops[i].len,
					    &heads[ops[i].peer],
					    ops[i].metric);
			kn_lpm_env_fail_nth(0);
			if (ret == 0) {
				ref_insert(&ref, ops[i].k, ops[i].len,
					   ops[i].peer, ops[i].metric);
				break;
			}
			KN_CHECK(ret == -ENOMEM);
			KN_CHECK(kn_lpm_env_objects() == objs);
			KN_CHECK(check_walk(&tab, &ref, -1), "op %u n %u",
				 i, n);
		}
		KN_CHECK(n > 1 || i == 5 || i == 9, "op %u never failed", i);
		KN_CHECK(check_walk(&tab, &ref, -1), "op %u", i);
	}
	teardown(&tab);
}

/* ---- randomised differential test ---- */

static u8 bases[6][16];
static void gen_prefix(unsigned int bits, u8 *k, unsigned int *len);

/*
 * Resume after changes: prefixes nobody touched while the walk was
 * interrupted are reported exactly once, and the order stays monotonic.
 */
static struct got touched[REF_MAX];

static bool is_touched(int nt, const struct got *g)
{
	int i;

	for (i = 0; i < nt; i++)
		if (touched[i].len == g->len &&
		    !memcmp(touched[i].key, g->key, 16))
			return true;
	return false;
}

static void churn_walk(unsigned int bits)
{
	struct kn_lpm_cursor cur;
	struct got snap[REF_MAX];
	int i, j, n, nt, ret, peer, seen;
	unsigned int len;
	u8 k[16];

	setup(&tab, &ref, bits);
	for (i = 0; i < 6; i++)
		for (j = 0; j < 16; j++)
			bases[i][j] = (u8)rnd();
	for (i = 0; i < 120; i++) {
		gen_prefix(bits, k, &len);
		peer = (int)rndn(NPEERS);
		KN_CHECK(kn_lpm_insert(&tab, k, len, &heads[peer], 0) == 0);
		ref_insert(&ref, k, len, peer, 0);
	}
	ref_to_got(&ref, snap, &n, -1);
	i = 0;
	kn_lpm_cursor_init(&cur);
	col.n = 0;
	col.bytes = bits / 8;
	nt = 0;
	do {
		if (++i > 4 * REF_MAX) {
			KN_CHECK(0, "walk does not end");
			break;
		}
		col.budget = 1 + (int)rndn(4);
		ret = kn_lpm_walk(&tab, &cur, collect_cb, &col);
		for (j = rndn(4); j > 0 && nt < REF_MAX; j--) {
			memset(k, 0, sizeof(k));
			gen_prefix(bits, k, &len);
			peer = (int)rndn(NPEERS);
			mask_key(touched[nt].key, k, len, bits / 8);
			touched[nt++].len = len;
			if (rndn(2)) {
				ref_insert(&ref, k, len, peer, 0);
				KN_CHECK(!kn_lpm_insert(&tab, k, len,
							&heads[peer], 0));
			} else {
				ref_remove(&ref, k, len, peer);
				kn_lpm_remove(&tab, k, len, &heads[peer]);
			}
		}
	} while (ret);
	for (i = 1; i < col.n; i++)
		KN_CHECK(trie_cmp(&col.g[i - 1], &col.g[i]) <= 0,
			 "order at %d", i);
	for (i = 0; i < n; i++) {
		if (is_touched(nt, &snap[i]))
			continue;
		seen = 0;
		for (j = 0; j < col.n; j++)
			seen += !got_cmp(&snap[i], &col.g[j]);
		KN_CHECK(seen == 1, "entry %d seen %d times", i, seen);
	}
	teardown(&tab);
}

static void test_churn_walk(void)
{
	int i;

	for (i = 0; i < 150; i++)
		churn_walk(i & 1 ? 128 : 32);
}

static void gen_prefix(unsigned int bits, u8 *k, unsigned int *len)
{
	unsigned int i, keep, mode = rndn(10);

	for (i = 0; i < bits / 8; i++)
		k[i] = (u8)rnd();
	if (mode < 3 && ref.n) {
		/* An existing prefix (for updates, groups, removals). */
		const struct ref_ent *e = &ref.e[rndn(ref.n)];

		memcpy(k, e->key, 16);
		*len = rndn(4) ? e->len : rndn(bits + 1);
		return;
	}
	if (mode < 8) {
		/* Clustered: a base with a random tail. */
		keep = rndn(bits + 1);
		for (i = 0; i < keep; i++) {
			u8 m = 0x80 >> (i % 8);

			k[i / 8] = (u8)((k[i / 8] & ~m) |
					(bases[mode % 6][i / 8] & m));
		}
		*len = keep + rndn(bits - keep + 1);
		if (rndn(3) == 0)
			*len = bits - rndn(3);
		return;
	}
	*len = rndn(bits + 1);
}

static void gen_addr(unsigned int bits, u8 *a)
{
	unsigned int i, mode = rndn(4);
	u8 b;

	for (i = 0; i < bits / 8; i++)
		a[i] = (u8)rnd();
	if (mode == 0 || !ref.n)
		return;
	/* Inside (or just beside) an existing prefix. */
	{
		const struct ref_ent *e = &ref.e[rndn(ref.n)];
		unsigned int len = e->len;

		for (i = 0; i < len; i++) {
			b = 0x80 >> (i % 8);
			a[i / 8] = (u8)((a[i / 8] & ~b) | (e->key[i / 8] & b));
		}
		if (mode == 1 && len)
			a[(len - 1) / 8] ^= 0x80 >> ((len - 1) % 8);
	}
}

static void random_run(unsigned int bits, int nops)
{
	unsigned int len, lim = bits == 32 ? 300 : 400;
	int op, peer, i, ret, ok_ops = 0, nomem = 0;
	bool armed, exp;
	u8 k[16], a[16];
	void *got;
	int want_peer;

	setup(&tab, &ref, bits);
	for (i = 0; i < 6; i++)
		for (len = 0; len < 16; len++)
			bases[i][len] = (u8)rnd();
	for (op = 0; op < nops; op++) {
		unsigned int c = rndn(100);

		memset(k, 0, sizeof(k));
		gen_prefix(bits, k, &len);
		peer = (int)rndn(NPEERS);
		if (c < 45 && ref.n < (int)lim) {
			u32 metric = rndn(4);

			armed = rndn(16) == 0;
			if (armed)
				kn_lpm_env_fail_nth(1 + rndn(3));
			ret = kn_lpm_insert(&tab, k, len, &heads[peer], metric);
			kn_lpm_env_fail_nth(0);
			if (ret == -ENOMEM && armed) {
				nomem++;
			} else {
				KN_CHECK(ret == 0, "insert: %d", ret);
				ref_insert(&ref, k, len, peer, metric);
			}
		} else if (c < 90) {
			exp = ref_remove(&ref, k, len, peer);
			ret = kn_lpm_remove(&tab, k, len, &heads[peer]);
			KN_CHECK(ret == (exp ? 0 : -ENOENT), "remove: %d", ret);
		} else if (c < 91) {
			ref_remove_peer(&ref, peer);
			kn_lpm_remove_peer(&tab, &heads[peer]);
		} else {
			/* Lookups only. */
		}
		KN_CHECK(kn_lpm_count(&tab) == (u32)ref.n);
		for (i = 0; i < 4; i++) {
			gen_addr(bits, a);
			alive_mask = (unsigned int)rnd() & 0xff;
			if (rndn(4) == 0)
				alive_mask = 0xff;
			want_peer = ref_lookup(&ref, a, alive_mask);
			got = kn_lpm_lookup(&tab, a, alive_cb);
			KN_CHECK(got == (want_peer < 0 ? NULL : P(want_peer)),
				 "lookup op %d: want %d got %d", op, want_peer,
				 got ? (int)((char *)got - peer_obj) : -1);
			peer = (int)rndn(NPEERS);
			KN_CHECK(kn_lpm_allowed(&tab, a, P(peer)) ==
				 ref_allowed(&ref, a, peer), "allowed op %d",
				 op);
			KN_CHECK(kn_lpm_covers(&tab, a, P(peer)) ==
				 ref_covers(&ref, a, peer), "covers op %d",
				 op);
			/* The peer a lookup picks may always send. */
			if (got)
				KN_CHECK(kn_lpm_allowed(&tab, a, got),
					 "lookup/allowed op %d", op);
		}
		if (op % 257 == 0) {
			KN_CHECK(check_walk(&tab, &ref, (int)rndn(20) ? : -1),
				 "walk op %d", op);
			peer = (int)rndn(NPEERS);
			KN_CHECK(check_peer_walk(&tab, &ref, peer,
						 (int)rndn(5) ? : -1));
		}
		if (kn_test_fails > 20)
			break;
		ok_ops++;
	}
	KN_CHECK(check_walk(&tab, &ref, -1));
	KN_CHECK(nomem > 0);
	printf("# %u-bit: %d ops, %d injected ENOMEM, %d entries at end\n",
	       bits, ok_ops, nomem, ref.n);
	teardown(&tab);
}

static void test_random_v4(void)
{
	random_run(32, 120000);
}

static void test_random_v6(void)
{
	random_run(128, 120000);
}

int main(void)
{
	const char *seed = getenv("KN_LPM_SEED");

	if (seed)
		rng_state = strtoull(seed, NULL, 0) | 1;
	printf("# seed 0x%llx\n", (unsigned long long)rng_state);
	KN_RUN(test_default_and_host);
	KN_RUN(test_metrics_failover);
	KN_RUN(test_nested);
	KN_RUN(test_source_binding);
	KN_RUN(test_cursor);
	KN_RUN(test_dead_routes);
	KN_RUN(test_enomem_targeted);
	KN_RUN(test_churn_walk);
	KN_RUN(test_random_v4);
	KN_RUN(test_random_v6);
	return kn_test_done();
}
