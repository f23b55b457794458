// kn-sources: lpm.c lpm_group.c lpm_walk.c lpm_env.c
// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of taking inserts back (kmod/lpm.c: kn_lpm_insert_undo(),
 * kn_lpm_undo()), what a netlink route list does when one of its entries
 * fails: random tables with groups of equal metrics, random batches of
 * new routes, metric changes, new group members and repeated entries,
 * each batch either kept or taken back in reverse order, with and
 * without an allocation failing midway.  Taken back, the table must be
 * exactly as before (entries, metrics, and the order within each prefix,
 * ties included) and hold no extra object; kept, it must equal the same
 * inserts made with kn_lpm_insert() on a twin table.  The seed can be
 * given as KN_LPM_SEED.
 */
#include <errno.h>
#include <stdint.h>
#include "lpm.h"
#include "kn_test.h"

#define NPEERS 6
#define SNAP_MAX 4096
#define BATCH_MAX 64

static char peer_obj[NPEERS];
static struct kn_lpm_peer heads[NPEERS], twin_heads[NPEERS];
static u64 rng_state = 0x51ed270b27c5f1d3ULL;

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

/* One entry as a walk reports it, in walk order (the preference order). */
struct ent {
	u8 key[16];
	u8 len;
	int peer;
	u32 metric;
};

struct snap {
	struct ent e[SNAP_MAX];
	int n;
	unsigned int bytes;
	bool overflow;
};

static int snap_cb(void *ctx, const struct kn_lpm_entry *e)
{
	struct snap *s = ctx;

	if (s->n >= SNAP_MAX) {
		s->overflow = true;
		return -ENOSPC;
	}
	memset(s->e[s->n].key, 0, 16);
	memcpy(s->e[s->n].key, e->key, s->bytes);
	s->e[s->n].len = e->len;
	s->e[s->n].peer = (int)((char *)e->peer - peer_obj);
	s->e[s->n].metric = e->metric;
	s->n++;
	return 0;
}

static void take(struct kn_lpm_table *t, struct snap *s)
{
	struct kn_lpm_cursor cur;

	s->n = 0;
	s->overflow = false;
	s->bytes = t->bits / 8;
	kn_lpm_cursor_init(&cur);
	kn_lpm_walk(t, &cur, snap_cb, s);
}

static bool same(const struct snap *a, const struct snap *b)
{
	return !a->overflow && !b->overflow && a->n == b->n &&
	       !memcmp(a->e, b->e, sizeof(a->e[0]) * (size_t)a->n);
}

/*
 * A prefix of a small space, mostly one of a pool of 24, so that batches
 * meet existing prefixes and groups of several peers are common.
 */
static u8 pool_key[24][16];
static unsigned int pool_len[24];

static void gen_fresh(unsigned int bits, u8 *k, unsigned int *len)
{
	unsigned int bytes = bits / 8;

	memset(k, 0, 16);
	k[0] = 10;
	k[1] = (u8)rndn(4);
	k[bytes - 1] |= (u8)rndn(4);
	*len = bits == 32 ? 16 + rndn(17) : 16 + rndn(113);
	if (rndn(8) == 0)
		*len = 8;
}

static void gen_prefix(unsigned int bits, u8 *k, unsigned int *len)
{
	unsigned int i;

	if (rndn(4) == 0) {
		gen_fresh(bits, k, len);
		return;
	}
	i = rndn(24);
	memcpy(k, pool_key[i], 16);
	*len = pool_len[i];
}

struct op {
	u8 key[16];
	unsigned int len;
	int peer;
	u32 metric;
};

static struct kn_lpm_table tab, twin;
static struct snap before, after, want;

static void init(unsigned int bits)
{
	int i;

	kn_lpm_init(&tab, NULL, bits);
	kn_lpm_init(&twin, NULL, bits);
	for (i = 0; i < 24; i++)
		gen_fresh(bits, pool_key[i], &pool_len[i]);
	for (i = 0; i < NPEERS; i++) {
		kn_lpm_peer_init(&heads[i], &peer_obj[i]);
		kn_lpm_peer_init(&twin_heads[i], &peer_obj[i]);
	}
}

static void fini(void)
{
	int i;

	for (i = 0; i < NPEERS; i++) {
		kn_lpm_remove_peer(&tab, &heads[i]);
		kn_lpm_remove_peer(&twin, &twin_heads[i]);
	}
	kn_lpm_destroy(&tab);
	kn_lpm_destroy(&twin);
	KN_CHECK(kn_lpm_env_objects() == 0, "%lu objects leaked",
		 kn_lpm_env_objects());
}

/* Both tables get the same random routes; metrics 0-2 make many ties. */
static void fill(unsigned int bits, int n)
{
	struct op o;
	int i;

	for (i = 0; i < n; i++) {
		gen_prefix(bits, o.key, &o.len);
		o.peer = (int)rndn(NPEERS);
		o.metric = rndn(3);
		KN_CHECK(kn_lpm_insert(&tab, o.key, o.len, &heads[o.peer],
				       o.metric) == 0);
		KN_CHECK(kn_lpm_insert(&twin, o.key, o.len, &twin_heads[o.peer],
				       o.metric) == 0);
	}
}

/*
 * One batch: entries that repeat an earlier one of the batch or meet an
 * existing prefix are frequent.  @fail_at: the n-th allocation fails (0:
 * none); @keep: a batch that fully succeeded is kept, else taken back.
 */
static void batch(unsigned int bits, unsigned long fail_at, bool keep)
{
	static struct kn_lpm_undo u[BATCH_MAX];
	static struct op ops[BATCH_MAX];
	int n = 1 + (int)rndn(BATCH_MAX), i, done, ret = 0;
	unsigned long objs, dead;

	for (i = 0; i < n; i++) {
		if (i && rndn(4) == 0) {
			ops[i] = ops[rndn((unsigned int)i)];
			if (rndn(2))
				ops[i].peer = (int)rndn(NPEERS);
		} else {
			gen_prefix(bits, ops[i].key, &ops[i].len);
			ops[i].peer = (int)rndn(NPEERS);
		}
		ops[i].metric = rndn(3);
	}
	take(&tab, &before);
	objs = kn_lpm_env_objects();
	dead = tab.dead;
	kn_lpm_env_fail_nth(fail_at);
	for (done = 0; done < n; done++) {
		ret = kn_lpm_insert_undo(&tab, ops[done].key, ops[done].len,
					 &heads[ops[done].peer],
					 ops[done].metric, &u[done]);
		if (ret)
			break;
	}
	kn_lpm_env_fail_nth(0);
	KN_CHECK(ret == 0 || ret == -ENOMEM, "ret %d", ret);
	if (ret)
		KN_CHECK(u[done].op == KN_LPM_UNDO_NONE && !u[done].spare);
	if (!ret && keep) {
		for (i = 0; i < n; i++) {
			kn_lpm_undo_done(&u[i]);
			KN_CHECK(kn_lpm_insert(&twin, ops[i].key, ops[i].len,
					       &twin_heads[ops[i].peer],
					       ops[i].metric) == 0);
		}
		take(&tab, &after);
		take(&twin, &want);
		KN_CHECK(same(&after, &want), "kept batch of %d differs", n);
		return;
	}
	for (i = done - 1; i >= 0; i--)
		kn_lpm_undo(&tab, ops[i].key, ops[i].len, &heads[ops[i].peer],
			    &u[i]);
	take(&tab, &after);
	KN_CHECK(same(&before, &after),
		 "batch of %d (failed at %d, alloc %lu) not taken back exactly",
		 n, done, fail_at);
	/*
	 * The same prefixes make the same trie: the objects are as many as
	 * before, but for removed routes waiting dead on the peers' lists.
	 */
	KN_CHECK(kn_lpm_env_objects() - tab.dead == objs - dead,
		 "%lu objects (%u dead), before %lu (%lu dead)",
		 kn_lpm_env_objects(), tab.dead, objs, dead);
}

static void run(unsigned int bits, int rounds)
{
	int r;

	init(bits);
	fill(bits, 200);
	for (r = 0; r < rounds; r++) {
		switch (rndn(3)) {
		case 0:
			batch(bits, 0, true);
			break;
		case 1:
			batch(bits, 0, false);
			break;
		default:
			batch(bits, 1 + rndn(40), false);
			break;
		}
		if (kn_test_fails)
			break;
	}
	fini();
}

/* A metric change inside a group of ties, taken back: the old order. */
static void test_group_ties(void)
{
	u8 k[16] = { 10, 1, 0, 0 };
	struct kn_lpm_undo u[3];
	int p;

	init(32);
	for (p = 0; p < 4; p++)
		KN_CHECK(kn_lpm_insert(&tab, k, 16, &heads[p], 5) == 0);
	take(&tab, &before);
	/* Peer 1 leaves its place among the 5s, peer 0 goes last, peer 4 joins. */
	KN_CHECK(kn_lpm_insert_undo(&tab, k, 16, &heads[1], 1, &u[0]) == 0);
	KN_CHECK(u[0].op == KN_LPM_UNDO_METRIC && u[0].rank == 1 &&
		 u[0].metric == 5 && u[0].spare);
	KN_CHECK(kn_lpm_insert_undo(&tab, k, 16, &heads[0], 7, &u[1]) == 0);
	KN_CHECK(kn_lpm_insert_undo(&tab, k, 16, &heads[4], 5, &u[2]) == 0);
	KN_CHECK(u[2].op == KN_LPM_UNDO_REMOVE);
	take(&tab, &after);
	KN_CHECK(after.n == 5 && after.e[0].peer == 1 && after.e[4].peer == 0);
	kn_lpm_undo(&tab, k, 16, &heads[4], &u[2]);
	kn_lpm_undo(&tab, k, 16, &heads[0], &u[1]);
	kn_lpm_undo(&tab, k, 16, &heads[1], &u[0]);
	take(&tab, &after);
	KN_CHECK(same(&before, &after));
	KN_CHECK(after.e[0].peer == 0 && after.e[1].peer == 1 &&
		 after.e[2].peer == 2 && after.e[3].peer == 3);
	fini();
}

/* The same metric again notes nothing; the spare of a kept change is freed. */
static void test_noop_and_done(void)
{
	u8 k[16] = { 10, 2, 0, 0 };
	struct kn_lpm_undo u;

	init(32);
	KN_CHECK(kn_lpm_insert(&tab, k, 16, &heads[0], 3) == 0);
	KN_CHECK(kn_lpm_insert(&tab, k, 16, &heads[1], 3) == 0);
	KN_CHECK(kn_lpm_insert_undo(&tab, k, 16, &heads[1], 3, &u) == 0);
	KN_CHECK(u.op == KN_LPM_UNDO_NONE && !u.spare);
	KN_CHECK(kn_lpm_insert_undo(&tab, k, 16, &heads[1], 0, &u) == 0);
	KN_CHECK(u.op == KN_LPM_UNDO_METRIC && u.spare);
	kn_lpm_undo_done(&u);
	KN_CHECK(!u.spare);
	take(&tab, &after);
	KN_CHECK(after.n == 2 && after.e[0].peer == 1 && after.e[0].metric == 0);
	/* The spare's allocation failing refuses the change. */
	kn_lpm_env_fail_nth(1);
	KN_CHECK(kn_lpm_insert_undo(&tab, k, 16, &heads[0], 0, &u) == -ENOMEM);
	kn_lpm_env_fail_nth(0);
	KN_CHECK(u.op == KN_LPM_UNDO_NONE && !u.spare);
	take(&tab, &before);
	KN_CHECK(same(&before, &after));
	fini();
}

static void test_random_v4(void)
{
	run(32, 2000);
}

static void test_random_v6(void)
{
	run(128, 2000);
}

int main(void)
{
	const char *seed = getenv("KN_LPM_SEED");

	if (seed)
		rng_state = strtoull(seed, NULL, 0) | 1;
	printf("# seed 0x%llx\n", (unsigned long long)rng_state);
	KN_RUN(test_group_ties);
	KN_RUN(test_noop_and_done);
	KN_RUN(test_random_v4);
	KN_RUN(test_random_v6);
	return kn_test_done();
}
