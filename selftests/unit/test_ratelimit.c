// kn-sources:
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the handshake limiter's table of shared buckets
 * (kmod/bucket.h, used by ratelimit.c): sources that collide on a slot
 * share its credit, and with more sources than slots, each sending far
 * above the rate, the table as a whole accepts no more than
 * slots x (burst + rate x time).
 */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

#include "kn_test.h"
#include "bucket.h"

#define NS	1000000000ULL
#define T0	(10 * NS)	/* boot time of the first message */

static struct kn_rl_bucket slots[KN_RATELIMIT_SLOTS];

/* The most a bucket may grant over @secs seconds from full. */
static unsigned long bound(u64 nbuckets, u64 secs)
{
	return nbuckets * (KN_RATELIMIT_BURST + KN_RATELIMIT_PER_SEC * secs);
}

/* One source alone: its burst, then its rate. */
static void test_one_source(void)
{
	unsigned long ok = 0;
	u64 t;

	memset(slots, 0, sizeof(slots));
	/* 1,000 messages a second for 2 s. */
	for (t = 0; t < 2 * NS; t += NS / 1000)
		ok += kn_rl_table_take(slots, KN_RATELIMIT_SLOTS, 7, T0 + t);
	KN_CHECK(ok >= KN_RATELIMIT_BURST + KN_RATELIMIT_PER_SEC * 2 - 1 &&
		 ok <= bound(1, 2), "%lu accepted", ok);
	/* A quiet second later it has its burst back. */
	ok = 0;
	for (t = 0; t < KN_RATELIMIT_BURST + 3; t++)
		ok += kn_rl_table_take(slots, KN_RATELIMIT_SLOTS, 7, T0 + 4 * NS + t);
	KN_CHECK(ok == KN_RATELIMIT_BURST, "%lu accepted after a pause", ok);
}

/*
 * Two sources on one slot (hashes that differ by the table size), taking
 * turns: they share one bucket's credit, so together they get what one
 * source alone would.
 */
static void test_collision_shares(void)
{
	unsigned long ok = 0, n = 0;
	u64 t;

	memset(slots, 0, sizeof(slots));
	for (t = 0; t < 2 * NS; t += NS / 1000, n++)
		ok += kn_rl_table_take(slots, KN_RATELIMIT_SLOTS,
				       n & 1 ? 3 : 3 + KN_RATELIMIT_SLOTS, T0 + t);
	KN_CHECK(ok <= bound(1, 2), "%lu of %lu accepted for two colliding sources",
		 ok, n);
	/* The other slots were not touched. */
	KN_CHECK(kn_rl_table_take(slots, KN_RATELIMIT_SLOTS, 4, T0 + 2 * NS));
}

/* A keyed-hash stand-in: a fixed permutation of the 64-bit sources. */
static u64 mix(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/*
 * Three times as many sources as slots, round-robin, each source sending
 * 100 messages a second (1.2 million a second in all) for 3 s: the table
 * accepts at most its bound, whoever sends.
 */
static void test_more_sources_than_slots(void)
{
	const u64 nsrc = 3 * KN_RATELIMIT_SLOTS, per_src = 100, secs = 3;
	const u64 step = NS / (per_src * nsrc);
	unsigned long ok = 0, n = 0;
	u64 t;

	memset(slots, 0, sizeof(slots));
	for (t = 0; t < secs * NS; t += step, n++)
		ok += kn_rl_table_take(slots, KN_RATELIMIT_SLOTS, mix(n % nsrc),
				       T0 + t);
	KN_CHECK(ok <= bound(KN_RATELIMIT_SLOTS, secs),
		 "%lu of %lu accepted, bound %lu", ok, n,
		 bound(KN_RATELIMIT_SLOTS, secs));
	/* ...and it did accept: the limit is not a wall. */
	KN_CHECK(ok >= KN_RATELIMIT_SLOTS, "%lu accepted", ok);
	printf("# %lu sources: %lu of %lu accepted (bound %lu)\n",
	       (unsigned long)nsrc, ok, n, bound(KN_RATELIMIT_SLOTS, secs));
}

int main(void)
{
	KN_RUN(test_one_source);
	KN_RUN(test_collision_shares);
	KN_RUN(test_more_sources_than_slots);
	return kn_test_done();
}
