// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace micro-benchmark of the routing table (kmod/lpm.c).
 *
 * Build and run (from the top of the tree):
 *   cc -std=gnu11 -O2 -I kmod -I include -o build/bench_lpm \
 *	bench/bench_lpm.c kmod/lpm.c kmod/lpm_group.c kmod/lpm_walk.c \
 *	kmod/lpm_env.c && build/bench_lpm [-q]
 *
 * For 1,000 and 1,000,000 routes of each family it prints insert time,
 * lookup time for addresses inside a random route ("hit") and for
 * uniformly random addresses ("random"), remove-all time, and the bytes
 * the table allocated per route (every trie node, route and list node;
 * the objects are the kernel's kmem_cache object sizes).  Two route sets:
 * "mixed" has random bits and uniform lengths 8..32 / 16..128; "host" has
 * only /32 or /128 routes (keynet's key-derived addresses).  Routes go to
 * 1,024 peers at random.  -q runs 100,000 instead of 1,000,000.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lpm.h"

#define NPEERS 1024
#define NLOOKUPS 1000000

static struct kn_lpm_peer heads[NPEERS];
static char peer_obj[NPEERS];
static u64 rng = 0x2545f4914f6cdd1dULL;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static bool all_alive(const void *peer)
{
	return peer != NULL;
}

static volatile unsigned long sink;

static double bench_lookups(struct kn_lpm_table *t, const u8 *addrs,
			    unsigned int bytes)
{
	double t0 = now_ns();
	unsigned long acc = 0;
	int i;

	for (i = 0; i < NLOOKUPS; i++)
		acc += (unsigned long)kn_lpm_lookup(t, addrs + (size_t)i * bytes,
						    all_alive);
	sink = acc;
	return (now_ns() - t0) / NLOOKUPS;
}

static void run(unsigned int bits, unsigned int n, bool host)
{
	unsigned int bytes = bits / 8, minlen = bits == 32 ? 8 : 16;
	u8 *keys = malloc((size_t)n * bytes), *lens = malloc(n);
	u8 *hit = malloc((size_t)NLOOKUPS * bytes);
	u8 *miss = malloc((size_t)NLOOKUPS * bytes);
	double t0, ins, lh, lr, rm;
	struct kn_lpm_table t;
	unsigned int i, j, r, len;
	u32 count;
	size_t mem;

	for (i = 0; i < (size_t)n * bytes; i++)
		keys[i] = (u8)rnd();
	for (i = 0; i < n; i++)
		lens[i] = host ? bits : minlen + rnd() % (bits - minlen + 1);
	for (i = 0; i < NLOOKUPS; i++) {
		r = rnd() % n;
		len = lens[r];
		for (j = 0; j < bytes; j++) {
			u8 m = len >= 8 * (j + 1) ? 0xff :
			       len > 8 * j ? (u8)(0xff00 >> (len - 8 * j)) : 0;
			hit[i * bytes + j] = (keys[r * bytes + j] & m) |
					     ((u8)rnd() & ~m);
			miss[i * bytes + j] = (u8)rnd();
		}
	}
	for (i = 0; i < NPEERS; i++)
		kn_lpm_peer_init(&heads[i], &peer_obj[i]);
	kn_lpm_init(&t, NULL, bits);

	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (kn_lpm_insert(&t, keys + (size_t)i * bytes, lens[i],
				  &heads[rnd() % NPEERS], 0)) {
			fprintf(stderr, "insert failed\n");
			exit(1);
		}
	ins = (now_ns() - t0) / n;
	count = kn_lpm_count(&t);
	mem = kn_lpm_env_bytes();
	lh = bench_lookups(&t, hit, bytes);
	lr = bench_lookups(&t, miss, bytes);
	t0 = now_ns();
	for (i = 0; i < NPEERS; i++)
		kn_lpm_remove_peer(&t, &heads[i]);
	rm = (now_ns() - t0) / count;
	kn_lpm_destroy(&t);
	printf("IPv%u %-5s %8u %8u %9.1f %9.1f %9.1f %9.1f %9.1f\n",
	       bits == 32 ? 4 : 6, host ? "host" : "mixed", n, count, ins, lh,
	       lr, rm, (double)mem / count);
	free(keys);
	free(lens);
	free(hit);
	free(miss);
}

int main(int argc, char **argv)
{
	unsigned int big = argc > 1 && !strcmp(argv[1], "-q") ? 100000 :
			   1000000;
	int h;

	printf("# ns per operation; bytes per route counts every object\n");
	printf("%-10s %8s %8s %9s %9s %9s %9s %9s\n", "family", "routes",
	       "entries", "insert", "look-hit", "look-rnd", "remove",
	       "B/route");
	for (h = 0; h < 2; h++) {
		run(32, 1000, h);
		run(32, big, h);
		run(128, 1000, h);
		run(128, big, h);
	}
	return 0;
}
