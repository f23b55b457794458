// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace micro-benchmark of the RFC 7757 EAM table (kmod/nat64_eam.c):
 * build time and lookup cost in each direction with 1, 100 and 10,000
 * maps (issue 22: "sized for thousands of maps").  Maps are disjoint
 * prefixes of lengths 24..32 (IPv4) <-> /120../128 (IPv6), so lookups try
 * up to 9 lengths; "hit" looks up addresses inside a random map, "miss"
 * addresses outside every map (the worst case: every length is tried).
 *
 *   cc -std=gnu11 -O2 -I kmod -I include -o build/bench_eam \
 *	bench/bench_eam.c kmod/nat64_eam.c && build/bench_eam [-q]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "nat64_eam.h"

#define NLOOKUPS 2000000

static u64 rng = 0x9e3779b97f4a7c15ULL;

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

static void run(u32 n, u32 lookups)
{
	struct kn_eam *e = calloc(n, sizeof(*e));
	struct kn_eam_ix *ix = calloc(n, sizeof(*ix));
	u32 *keys = calloc(lookups, sizeof(*keys));
	struct kn_eam_table t;
	struct kn_eam_conflict why;
	volatile u32 sink = 0;
	double t0, build, hit4, miss4, hit6;
	u32 i;

	for (i = 0; i < n; i++) {
		unsigned int len = 24 + rnd() % 9;
		u32 v4 = (10u << 24) | (i << 8);	/* a /24 of 10/8 each */

		e[i].len4 = len;
		e[i].v4 = v4 & (~0u << (32 - len));
		e[i].v6[0] = 0x20;
		e[i].v6[1] = 0x01;
		kn_put_be32(e[i].v6 + 8, i);
		e[i].id = i;
	}
	t0 = now_ns();
	if (kn_eam_build(&t, e, ix, n, false, &why)) {
		fprintf(stderr, "build: %s\n", kn_eam_strerror(why.err));
		exit(1);
	}
	build = now_ns() - t0;

	for (i = 0; i < lookups; i++)
		keys[i] = e[rnd() % n].v4;
	t0 = now_ns();
	for (i = 0; i < lookups; i++)
		sink += kn_eam_find4(&t, cpu_to_be32(keys[i]))->id;
	hit4 = (now_ns() - t0) / lookups;

	for (i = 0; i < lookups; i++)
		keys[i] = (11u << 24) | (u32)rnd();
	t0 = now_ns();
	for (i = 0; i < lookups; i++)
		sink += kn_eam_find4(&t, cpu_to_be32(keys[i])) != NULL;
	miss4 = (now_ns() - t0) / lookups;

	t0 = now_ns();
	for (i = 0; i < lookups; i++) {
		const struct kn_eam *m = &e[keys[i] % n];

		sink += kn_eam_find6(&t, m->v6)->id;
	}
	hit6 = (now_ns() - t0) / lookups;

	printf("%6u maps: build %8.1f us, IPv4 hit %5.1f ns, IPv4 miss %5.1f ns, IPv6 hit %5.1f ns \n",
	       n, build / 1e3, hit4, miss4, hit6);
	(void)sink;
	free(keys);
	free(ix);
	free(e);
}

int main(int argc, char **argv)
{
	u32 lookups = argc > 1 && !strcmp(argv[1], "-q") ? NLOOKUPS / 10 : NLOOKUPS;

	run(1, lookups);
	run(100, lookups);
	run(10000, lookups);
	return 0;
}
