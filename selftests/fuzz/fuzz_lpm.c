// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the routing table (kmod/lpm.c): the input drives
 * inserts, removals, peer removals, failed allocations, lookups, allowed()
 * and covers() checks and interrupted walks against a linear reference; any
 * disagreement aborts.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kmod -I include \
 *	-o build/fuzz_lpm selftests/fuzz/fuzz_lpm.c kmod/lpm.c
 *   build/fuzz_lpm -max_total_time=60 selftests/fuzz/corpus/lpm
 *
 * Input: byte 0 picks the family (bit 0) and the key pattern; then per
 * operation one opcode byte and up to 5 argument bytes.  Keys are a fixed
 * pattern with two input bytes mixed in, so prefixes share long parts.
 */
#include <errno.h>
#include <stdlib.h>
#include "lpm.h"

#define NPEERS 4
#define REF_MAX 256

struct fz_ent {
	u8 key[16];
	unsigned int len;
	int peer;
	u32 metric;
	u32 seq;
};

static struct fz_ent ref[REF_MAX];
static int nref;
static u32 seq;
static unsigned int bits;
static char peer_obj[NPEERS];
static struct kn_lpm_peer heads[NPEERS];
static struct kn_lpm_table tab;
static unsigned int alive_mask;

#define FZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static bool fz_alive(const void *p)
{
	return alive_mask >> ((const char *)p - peer_obj) & 1;
}

static bool fz_match(const u8 *key, unsigned int len, const u8 *a)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if ((key[i / 8] ^ a[i / 8]) >> (7 - i % 8) & 1)
			return false;
	return true;
}

static void fz_mask(u8 *k, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		if (i >= bits / 8 || len <= 8 * i)
			k[i] = 0;
		else if (len < 8 * (i + 1))
			k[i] &= (u8)(0xff00 >> (len - 8 * i));
	}
}

static int fz_find(const u8 *k, unsigned int len, int peer)
{
	int i;

	for (i = 0; i < nref; i++)
		if (ref[i].len == len && ref[i].peer == peer &&
		    !memcmp(ref[i].key, k, 16))
			return i;
	return -1;
}

static bool fz_better(const struct fz_ent *a, const struct fz_ent *b)
{
	return a->metric < b->metric ||
	       (a->metric == b->metric && a->seq < b->seq);
}

static void *fz_lookup(const u8 *a)
{
	const struct fz_ent *best = NULL, *live = NULL;
	int i, blen = -1;

	for (i = 0; i < nref; i++)
		if (fz_match(ref[i].key, ref[i].len, a) &&
		    (int)ref[i].len > blen)
			blen = ref[i].len;
	for (i = 0; i < nref; i++) {
		if ((int)ref[i].len != blen ||
		    !fz_match(ref[i].key, ref[i].len, a))
			continue;
		if (!best || fz_better(&ref[i], best))
			best = &ref[i];
		if (alive_mask >> ref[i].peer & 1 &&
		    (!live || fz_better(&ref[i], live)))
			live = &ref[i];
	}
	if (live)
		best = live;
	return best ? &peer_obj[best->peer] : NULL;
}

/* Source binding: @peer has an entry of the longest prefix of @a. */
static bool fz_allowed(const u8 *a, int peer)
{
	int i, blen = -1;

	for (i = 0; i < nref; i++)
		if (fz_match(ref[i].key, ref[i].len, a) && (int)ref[i].len > blen)
			blen = ref[i].len;
	for (i = 0; i < nref; i++)
		if (ref[i].peer == peer && (int)ref[i].len == blen &&
		    fz_match(ref[i].key, ref[i].len, a))
			return true;
	return false;
}

/* Transit peers: @peer has an entry of any prefix containing @a. */
static bool fz_covers(const u8 *a, int peer)
{
	int i;

	for (i = 0; i < nref; i++)
		if (ref[i].peer == peer && fz_match(ref[i].key, ref[i].len, a))
			return true;
	return false;
}

struct fz_walk {
	int n;
	int budget;
	unsigned char seen[REF_MAX];
};

static int fz_cb(void *ctx, const struct kn_lpm_entry *e)
{
	struct fz_walk *w = ctx;
	u8 k[16] = { 0 };
	int i;

	if (w->budget-- == 0)
		return -EMSGSIZE;
	memcpy(k, e->key, bits / 8);
	i = fz_find(k, e->len, (int)((char *)e->peer - peer_obj));
	FZ_ASSERT(i >= 0 && ref[i].metric == e->metric);
	FZ_ASSERT(!w->seen[i]);
	w->seen[i] = 1;
	w->n++;
	return 0;
}

static void fz_check_walk(unsigned int step, int peer)
{
	static struct fz_walk w;
	struct kn_lpm_cursor cur;
	int ret, rounds = 0, want = 0, i;

	memset(&w, 0, sizeof(w));
	kn_lpm_cursor_init(&cur);
	do {
		w.budget = step;
		if (peer < 0)
			ret = kn_lpm_walk(&tab, &cur, fz_cb, &w);
		else
			ret = kn_lpm_walk_peer(&tab, &heads[peer], &cur, fz_cb,
					       &w);
		FZ_ASSERT(ret == 0 || ret == -EMSGSIZE);
		FZ_ASSERT(++rounds <= 2 * REF_MAX + 2);
	} while (ret);
	for (i = 0; i < nref; i++)
		want += peer < 0 || ref[i].peer == peer;
	FZ_ASSERT(w.n == want);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u8 pat[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xa5, 0x5a, 0xff,
				    0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
				    0xde, 0xf0 };
	size_t p = 1;
	unsigned int len, op, i;
	u8 k[16], a[16];
	int peer, ret, j;
	u32 metric;

	if (size < 1)
		return 0;
	bits = data[0] & 1 ? 128 : 32;
	nref = 0;
	seq = 0;
	kn_lpm_init(&tab, NULL, bits);
	for (i = 0; i < NPEERS; i++)
		kn_lpm_peer_init(&heads[i], &peer_obj[i]);
	while (p + 6 <= size) {
		op = data[p] % 8;
		memcpy(k, pat, 16);
		/* Two input bytes land at a position chosen by the input. */
		j = (data[p + 1] >> 4) % (bits / 8);
		k[j] ^= data[p + 2];
		k[(j + 1) % (bits / 8)] ^= data[p + 3];
		len = data[p + 4] % (bits + 1);
		peer = data[p + 5] % NPEERS;
		metric = (data[p + 5] >> 2) % 4;
		p += 6;
		switch (op) {
		case 0:
		case 1:
		case 2:
			if (op == 2)
				kn_lpm_env_fail_nth(1 + (data[p - 1] >> 4) % 4);
			ret = kn_lpm_insert(&tab, k, len, &heads[peer],
					    metric);
			kn_lpm_env_fail_nth(0);
			if (ret == -ENOMEM && op == 2)
				break;
			FZ_ASSERT(ret == 0);
			fz_mask(k, len);
			j = fz_find(k, len, peer);
			if (j >= 0) {
				if (ref[j].metric != metric) {
					ref[j].metric = metric;
					ref[j].seq = ++seq;
				}
			} else if (nref < REF_MAX) {
				memcpy(ref[nref].key, k, 16);
				ref[nref].len = len;
				ref[nref].peer = peer;
				ref[nref].metric = metric;
				ref[nref++].seq = ++seq;
			} else {
				FZ_ASSERT(!kn_lpm_remove(&tab, k, len,
							 &heads[peer]));
			}
			break;
		case 3:
			ret = kn_lpm_remove(&tab, k, len, &heads[peer]);
			fz_mask(k, len);
			j = fz_find(k, len, peer);
			FZ_ASSERT(ret == (j >= 0 ? 0 : -ENOENT));
			if (j >= 0)
				ref[j] = ref[--nref];
			break;
		case 4:
			kn_lpm_remove_peer(&tab, &heads[peer]);
			for (j = 0; j < nref;) {
				if (ref[j].peer == peer)
					ref[j] = ref[--nref];
				else
					j++;
			}
			break;
		case 5:
			fz_check_walk(1 + data[p - 2] % 5,
				      data[p - 1] & 0x80 ? peer : -1);
			break;
		default:
			/* Lookups: the key as an address, tail varied. */
			memcpy(a, k, 16);
			for (i = len; i < bits && i < len + 8; i++)
				a[i / 8] ^= (data[p - 1] >> (i % 8) & 1) <<
					    (7 - i % 8);
			alive_mask = data[p - 3];
			FZ_ASSERT(kn_lpm_lookup(&tab, a, fz_alive) ==
				  fz_lookup(a));
			FZ_ASSERT(kn_lpm_allowed(&tab, a, &peer_obj[peer]) ==
				  fz_allowed(a, peer));
			FZ_ASSERT(kn_lpm_covers(&tab, a, &peer_obj[peer]) ==
				  fz_covers(a, peer));
			break;
		}
		FZ_ASSERT(kn_lpm_count(&tab) == (u32)nref);
	}
	fz_check_walk(3, -1);
	for (i = 0; i < NPEERS; i++)
		kn_lpm_remove_peer(&tab, &heads[i]);
	kn_lpm_destroy(&tab);
	FZ_ASSERT(kn_lpm_env_objects() == 0);
	return 0;
}
