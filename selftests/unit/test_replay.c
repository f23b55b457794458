// kn-sources: replay.c
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the sliding replay window (replay.c), including a
 * randomized comparison against a naive model: a set of seen counters and
 * the rule "accept iff below the limit, not seen, and less than
 * KN_REPLAY_WINDOW behind the greatest accepted counter".
 */
/* KN_CHECK(cond) without a message expands to fprintf(stderr, ""). */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

#include "kn_test.h"
#include "replay.h"
#include "messages.h"

static void test_in_order(void)
{
	struct kn_replay r;
	u64 i;

	kn_replay_init(&r);
	for (i = 0; i < 20000; i++)
		KN_CHECK(kn_replay_check_and_update(&r, i), "%llu",
			 (unsigned long long)i);
	for (i = 0; i < 20000; i += 7)
		KN_CHECK(!kn_replay_check_and_update(&r, i));
}

static void test_out_of_order(void)
{
	struct kn_replay r;
	u64 i;

	kn_replay_init(&r);
	KN_CHECK(kn_replay_check_and_update(&r, 0));
	KN_CHECK(!kn_replay_check_and_update(&r, 0));
	KN_CHECK(kn_replay_check_and_update(&r, 5000));
	/* everything within the window behind 5000 is still fresh */
	for (i = 1; i < 5000; i += 3)
		KN_CHECK(kn_replay_check_and_update(&r, i));
	for (i = 1; i < 5000; i += 3)
		KN_CHECK(!kn_replay_check_and_update(&r, i));
	KN_CHECK(!kn_replay_check_and_update(&r, 5000));
	KN_CHECK(kn_replay_check_and_update(&r, 4998));
}

static void test_window_edges(void)
{
	struct kn_replay r;
	u64 top = 100000;

	BUILD_BUG_ON(KN_REPLAY_WINDOW < 2048);
	kn_replay_init(&r);
	KN_CHECK(kn_replay_check_and_update(&r, top));
	/* the oldest counter still inside, and the first one outside */
	KN_CHECK(kn_replay_check_and_update(&r, top - (KN_REPLAY_WINDOW - 1)));
	KN_CHECK(!kn_replay_check_and_update(&r, top - KN_REPLAY_WINDOW));
	KN_CHECK(!kn_replay_check_and_update(&r, 0));
	/* a jump by exactly the window and by much more */
	KN_CHECK(kn_replay_check_and_update(&r, top + KN_REPLAY_WINDOW));
	KN_CHECK(!kn_replay_check_and_update(&r, top));
	KN_CHECK(kn_replay_check_and_update(&r, top + 1));
	KN_CHECK(kn_replay_check_and_update(&r, 1ULL << 40));
	KN_CHECK(!kn_replay_check_and_update(&r, top + 2));
	KN_CHECK(kn_replay_check_and_update(&r, (1ULL << 40) - 1));
	KN_CHECK(!kn_replay_check_and_update(&r, 1ULL << 40));
	/* stale bits from an earlier lap of the ring must not survive */
	kn_replay_init(&r);
	KN_CHECK(kn_replay_check_and_update(&r, 10));
	KN_CHECK(kn_replay_check_and_update(&r, 10 + KN_REPLAY_BITS));
	KN_CHECK(kn_replay_check_and_update(&r, 10 + KN_REPLAY_BITS - 64));
	KN_CHECK(kn_replay_check_and_update(&r, 10 + 2 * KN_REPLAY_BITS));
	KN_CHECK(kn_replay_check_and_update(&r, 10 + 2 * KN_REPLAY_BITS - 1));
}

static void test_limits(void)
{
	struct kn_replay r;
	u64 lim = KN_REJECT_AFTER_MESSAGES;

	KN_CHECK(lim == 0xffffffffffffdfffULL);
	kn_replay_init(&r);
	KN_CHECK(!kn_replay_check_and_update(&r, ~0ULL));
	KN_CHECK(!kn_replay_check_and_update(&r, lim));
	KN_CHECK(kn_replay_check_and_update(&r, lim - 1));
	KN_CHECK(!kn_replay_check_and_update(&r, lim - 1));
	KN_CHECK(kn_replay_check_and_update(&r, lim - 2));
	KN_CHECK(!kn_replay_check_and_update(&r, lim));
	KN_CHECK(!kn_replay_check_and_update(&r, 0));
}

/* xorshift64*, fixed seed: reproducible. */
static u64 kn_rng = 0x9e3779b97f4a7c15ULL;

static u64 kn_rand(void)
{
	kn_rng ^= kn_rng >> 12;
	kn_rng ^= kn_rng << 25;
	kn_rng ^= kn_rng >> 27;
	return kn_rng * 2685821657736338717ULL;
}

/* Naive model: a bitmap of every counter below a bound. */
#define KN_MODEL_MAX (1u << 20)
static u8 kn_seen[KN_MODEL_MAX / 8];

static void test_random_vs_model(void)
{
	struct kn_replay r;
	u64 greatest = 0, c;
	bool any = false, want, got;
	int i, round, mism = 0;

	for (round = 0; round < 4; round++) {
		kn_replay_init(&r);
		memset(kn_seen, 0, sizeof(kn_seen));
		greatest = 0;
		any = false;
		for (i = 0; i < 300000; i++) {
			u64 x = kn_rand();

			/* mostly near the top, sometimes far behind/ahead */
			switch (x % 8) {
			case 0:
				c = kn_rand() % KN_MODEL_MAX;
				break;
			case 1:
				c = greatest + 1 + (kn_rand() %
						    (3 * KN_REPLAY_BITS));
				break;
			default:
				c = greatest + 64 -
				    (kn_rand() % (KN_REPLAY_WINDOW + 512));
				break;
			}
			if (c >= KN_MODEL_MAX || c > greatest + 64 * 1024)
				c %= KN_MODEL_MAX;
			if (round & 1)	/* keep it dense in odd rounds */
				c = greatest + 8 - (kn_rand() % 128);
			if (c >= KN_MODEL_MAX)
				continue;
			want = !(kn_seen[c / 8] & (1 << (c % 8))) &&
			       (!any || c > greatest ||
				greatest - c < KN_REPLAY_WINDOW);
			got = kn_replay_check_and_update(&r, c);
			if (want != got && mism++ < 10)
				KN_CHECK(want == got, "counter %llu top %llu",
					 (unsigned long long)c,
					 (unsigned long long)greatest);
			if (got) {
				kn_seen[c / 8] |= 1 << (c % 8);
				if (!any || c > greatest)
					greatest = c;
				any = true;
			}
		}
	}
	KN_CHECK(mism == 0, "%d mismatches", mism);
}

int main(void)
{
	KN_RUN(test_in_order);
	KN_RUN(test_out_of_order);
	KN_RUN(test_window_edges);
	KN_RUN(test_limits);
	KN_RUN(test_random_vs_model);
	return kn_test_done();
}
