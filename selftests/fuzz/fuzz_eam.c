// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the RFC 7757 EAM table (kmod/nat64_eam.c): the
 * input is a set of mappings (up to 64) and then addresses to look up.
 * Building must either succeed or refuse with two real entries' ids; on
 * success every lookup must agree with a linear longest-match scan, and
 * with disjoint maps every translation must come back to the same address.
 *
 * Input: byte 0 bit 0: nested maps allowed; byte 1: entry count (mod 65);
 * per entry 4 bytes IPv4, 1 byte length, 2 bytes that vary the IPv6
 * prefix (the rest is fixed so prefixes collide often); then 4-byte
 * IPv4 / 6-byte IPv6-tail lookup keys until the input ends.
 */
#include <stdlib.h>
#include "nat64_eam.h"

#define FZ_MAX 64
#define FZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static u32 fz_mask(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

static const struct kn_eam *scan4(const struct kn_eam *e, u32 n, u32 h)
{
	const struct kn_eam *best = NULL;

	for (u32 i = 0; i < n; i++)
		if ((h & fz_mask(e[i].len4)) == e[i].v4 && (!best || e[i].len4 > best->len4))
			best = &e[i];
	return best;
}

static const struct kn_eam *scan6(const struct kn_eam *e, u32 n, const u8 *a)
{
	const struct kn_eam *best = NULL;

	for (u32 i = 0; i < n; i++)
		if (!memcmp(a, e[i].v6, 12) &&
		    (kn_get_be32(a + 12) & fz_mask(e[i].len4)) == kn_get_be32(e[i].v6 + 12) &&
		    (!best || e[i].len4 > best->len4))
			best = &e[i];
	return best;
}

int LLVMFuzzerTestOneInput(const u8 *d, size_t size)
{
	static struct kn_eam e[FZ_MAX];
	static struct kn_eam_ix ix[FZ_MAX];
	struct kn_eam_table t;
	struct kn_eam_conflict why;
	bool nested;
	size_t p = 2;
	u32 n, i;

	if (size < 2)
		return 0;
	nested = d[0] & 1;
	n = d[1] % (FZ_MAX + 1);
	if (size < p + 7 * (size_t)n)
		return 0;
	for (i = 0; i < n; i++, p += 7) {
		unsigned int len = d[p + 4] % 34;	/* 33: a bad length */

		memset(&e[i], 0, sizeof(e[i]));
		e[i].len4 = len;
		e[i].v4 = kn_get_be32(d + p) & (len <= 32 ? fz_mask(len) : ~0u);
		e[i].v6[0] = 0x20;
		e[i].v6[1] = 0x01;
		e[i].v6[10] = d[p + 5];
		kn_put_be32(e[i].v6 + 12, (u32)d[p + 6] << 24 & (len <= 32 ? fz_mask(len) : ~0u));
		e[i].id = i;
	}
	if (kn_eam_build(&t, e, ix, n, nested, &why)) {
		FZ_ASSERT(why.err != KN_EAM_OK && why.a < n);
		if (why.err >= KN_EAM_DUP4)
			FZ_ASSERT(why.b < n && why.a != why.b);
		FZ_ASSERT(kn_eam_strerror(why.err)[0]);
		return 0;
	}
	for (; p + 6 <= size; p += 6) {
		u32 h = kn_get_be32(d + p);
		const struct kn_eam *a = kn_eam_find4(&t, cpu_to_be32(h));
		const struct kn_eam *b = scan4(e, n, h);
		u8 a6[16], q6[16];
		__be32 back;

		FZ_ASSERT(a == b);
		if (a) {
			FZ_ASSERT(kn_eam_4to6(&t, cpu_to_be32(h), a6));
			FZ_ASSERT(kn_eam_6to4(&t, a6, &back));
			if (!nested)
				FZ_ASSERT(be32_to_cpu(back) == h);
		}
		/* An IPv6 key: a map's prefix with two input bytes mixed in. */
		memset(q6, 0, sizeof(q6));
		q6[0] = 0x20;
		q6[1] = 0x01;
		q6[10] = d[p + 4];
		kn_put_be32(q6 + 12, h ^ ((u32)d[p + 5] << 24));
		FZ_ASSERT(kn_eam_find6(&t, q6) == scan6(e, n, q6));
	}
	return 0;
}
