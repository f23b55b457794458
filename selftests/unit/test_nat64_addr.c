// kn-sources: nat64_addr.c csum.c
// SPDX-License-Identifier: GPL-2.0
/* RFC 6052 address embedding/extraction and the checksum primitives. */
#include <stdint.h>
#include "kn_test.h"
#include "nat64_addr.h"
#include "csum.h"

static const uint8_t P[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22, 0x03,
			       0x44 };

/* RFC 6052 section 2.4 examples for 192.0.2.33 with 2001:db8:122:344::/n */
static void test_rfc6052_examples(void)
{
	static const struct {
		uint8_t plen;
		uint8_t v6[16];
	} ex[] = {
		{ 32, { 0x20, 1, 0xd, 0xb8, 0xc0, 0, 2, 0x21 } },
		{ 40, { 0x20, 1, 0xd, 0xb8, 1, 0xc0, 0, 2, 0, 0x21 } },
		{ 48, { 0x20, 1, 0xd, 0xb8, 1, 0x22, 0xc0, 0, 0, 2, 0x21 } },
		{ 56, { 0x20, 1, 0xd, 0xb8, 1, 0x22, 3, 0xc0, 0, 0, 2, 0x21 } },
		{ 64, { 0x20, 1, 0xd, 0xb8, 1, 0x22, 3, 0x44, 0, 0xc0, 0, 2,
			0x21 } },
		{ 96, { 0x20, 1, 0xd, 0xb8, 1, 0x22, 3, 0x44, 0, 0, 0, 0,
			0xc0, 0, 2, 0x21 } },
	};
	const uint8_t v4[4] = { 192, 0, 2, 33 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ex); i++) {
		uint8_t pfx[16] = { 0 }, v6[16], back[4];

		memcpy(pfx, P, ex[i].plen / 8);
		KN_CHECK(kn_nat64_prefix_check(pfx, ex[i].plen) == 0);
		KN_CHECK(kn_nat64_embed(pfx, ex[i].plen, v4, v6) == 0);
		KN_CHECK_MEM(v6, ex[i].v6, 16, "plen %u", ex[i].plen);
		KN_CHECK(kn_nat64_extract(pfx, ex[i].plen, v6, back) == 0);
		KN_CHECK_MEM(back, v4, 4);
		/* u octet set: not an RFC 6052 address */
		v6[8] = 1;
		KN_CHECK(kn_nat64_extract(pfx, ex[i].plen, v6, back) ==
			 -ENOENT);
		/* wrong prefix */
		memcpy(v6, ex[i].v6, 16);
		v6[2] ^= 0x40;
		KN_CHECK(kn_nat64_extract(pfx, ex[i].plen, v6, back) ==
			 -ENOENT);
	}
}

static void test_roundtrip_all(void)
{
	static const uint8_t lens[] = { 32, 40, 48, 56, 64, 96 };
	uint32_t x = 0x12345678;

	for (unsigned int l = 0; l < sizeof(lens); l++) {
		uint8_t pfx[16] = { 0 };

		memcpy(pfx, P, lens[l] / 8);
		for (int n = 0; n < 2000; n++) {
			uint8_t v4[4], v6[16], back[4];

			x = x * 1103515245 + 12345;
			kn_put_be32(v4, x ^ (x >> 13));
			KN_CHECK(!kn_nat64_embed(pfx, lens[l], v4, v6));
			KN_CHECK(v6[8] == 0);
			KN_CHECK(!memcmp(v6, pfx, lens[l] / 8));
			KN_CHECK(!kn_nat64_extract(pfx, lens[l], v6, back));
			KN_CHECK(!memcmp(back, v4, 4));
		}
	}
}

static void test_prefix_check(void)
{
	uint8_t p[16] = { 0 }, v6[16], v4[4] = { 1, 2, 3, 4 };

	memcpy(p, P, 8);
	for (int l = 0; l <= 128; l++) {
		int ok = l == 32 || l == 40 || l == 48 || l == 56 ||
			 l == 64 || l == 96;
		uint8_t q[16] = { 0 };

		memcpy(q, P, l / 8 > 8 ? 8 : l / 8);
		KN_CHECK((kn_nat64_prefix_check(q, l) == 0) == ok, "len %d", l);
		if (!ok)
			KN_CHECK(kn_nat64_embed(q, l, v4, v6) == -EINVAL);
	}
	/* bits past the length */
	KN_CHECK(kn_nat64_prefix_check(p, 32) == -EINVAL);
	/* u octet set in a /96 */
	memset(p, 0, 16);
	p[0] = 0x20;
	p[8] = 1;
	KN_CHECK(kn_nat64_prefix_check(p, 96) == -EINVAL);
	KN_CHECK(kn_nat64_prefix_check(kn_nat64_wkp, 96) == 0);
	KN_CHECK(kn_nat64_prefix_is_wkp(kn_nat64_wkp, 96));
	KN_CHECK(!kn_nat64_prefix_is_wkp(kn_nat64_wkp, 64));
}

static void test_global(void)
{
	static const struct {
		uint8_t a[4];
		int global;
	} t[] = {
		{ { 0, 1, 2, 3 }, 0 },		{ { 10, 0, 0, 1 }, 0 },
		{ { 10, 255, 255, 255 }, 0 },	{ { 11, 0, 0, 1 }, 1 },
		{ { 100, 63, 255, 255 }, 1 },	{ { 100, 64, 0, 0 }, 0 },
		{ { 100, 127, 255, 255 }, 0 },	{ { 100, 128, 0, 0 }, 1 },
		{ { 127, 0, 0, 1 }, 0 },	{ { 169, 254, 1, 1 }, 0 },
		{ { 169, 253, 1, 1 }, 1 },	{ { 172, 15, 255, 255 }, 1 },
		{ { 172, 16, 0, 0 }, 0 },	{ { 172, 31, 255, 255 }, 0 },
		{ { 172, 32, 0, 0 }, 1 },	{ { 192, 0, 0, 9 }, 0 },
		{ { 192, 0, 1, 0 }, 1 },	{ { 192, 0, 2, 1 }, 0 },
		{ { 192, 88, 99, 1 }, 1 },	{ { 192, 168, 0, 1 }, 0 },
		{ { 192, 169, 0, 1 }, 1 },	{ { 198, 18, 0, 1 }, 0 },
		{ { 198, 19, 255, 1 }, 0 },	{ { 198, 20, 0, 1 }, 1 },
		{ { 198, 51, 100, 7 }, 0 },	{ { 203, 0, 113, 9 }, 0 },
		{ { 224, 0, 0, 1 }, 0 },	{ { 239, 1, 1, 1 }, 0 },
		{ { 240, 0, 0, 1 }, 0 },	{ { 255, 255, 255, 255 }, 0 },
		{ { 8, 8, 8, 8 }, 1 },		{ { 1, 1, 1, 1 }, 1 },
		{ { 223, 255, 255, 255 }, 1 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++)
		KN_CHECK(kn_nat64_v4_is_global(t[i].a) == t[i].global,
			 "%u.%u.%u.%u", t[i].a[0], t[i].a[1], t[i].a[2],
			 t[i].a[3]);
}

/* 0/8, 127/8, 224/4, 240/4 (255.255.255.255 included) and nothing else. */
static void test_martian(void)
{
	static const struct {
		uint8_t a[4];
		int martian;
	} t[] = {
		{ { 0, 0, 0, 0 }, 1 },		{ { 0, 1, 2, 3 }, 1 },
		{ { 0, 255, 255, 255 }, 1 },	{ { 1, 0, 0, 0 }, 0 },
		{ { 10, 0, 0, 1 }, 0 },		{ { 126, 255, 255, 255 }, 0 },
		{ { 127, 0, 0, 0 }, 1 },	{ { 127, 0, 0, 1 }, 1 },
		{ { 127, 255, 255, 255 }, 1 },	{ { 128, 0, 0, 0 }, 0 },
		{ { 169, 254, 1, 1 }, 0 },	{ { 192, 168, 1, 1 }, 0 },
		{ { 223, 255, 255, 255 }, 0 },	{ { 224, 0, 0, 0 }, 1 },
		{ { 224, 0, 0, 1 }, 1 },	{ { 239, 255, 255, 255 }, 1 },
		{ { 240, 0, 0, 1 }, 1 },	{ { 254, 1, 2, 3 }, 1 },
		{ { 255, 255, 255, 254 }, 1 },	{ { 255, 255, 255, 255 }, 1 },
		{ { 8, 8, 8, 8 }, 0 },		{ { 100, 64, 0, 1 }, 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		KN_CHECK(kn_nat64_v4_is_martian(t[i].a) == t[i].martian,
			 "%u.%u.%u.%u", t[i].a[0], t[i].a[1], t[i].a[2],
			 t[i].a[3]);
		/* every martian is non-global too (the WKP rule's superset) */
		if (t[i].martian)
			KN_CHECK(!kn_nat64_v4_is_global(t[i].a));
	}
}

/* Pool ranges: refused when any address of the range is martian. */
static void test_range_martian(void)
{
	static const struct {
		uint8_t a[4];
		uint8_t plen;
		int martian;
	} t[] = {
		{ { 0, 0, 0, 0 }, 16, 1 },	{ { 1, 0, 0, 0 }, 16, 0 },
		{ { 100, 100, 0, 0 }, 16, 0 },	{ { 127, 5, 0, 0 }, 16, 1 },
		{ { 126, 255, 0, 0 }, 16, 0 },	{ { 128, 0, 0, 0 }, 16, 0 },
		{ { 223, 255, 255, 0 }, 24, 0 },	{ { 224, 0, 0, 0 }, 16, 1 },
		{ { 239, 1, 0, 0 }, 24, 1 },	{ { 240, 0, 0, 0 }, 32, 1 },
		{ { 255, 255, 0, 0 }, 16, 1 },	{ { 255, 255, 255, 255 }, 32, 1 },
		{ { 192, 0, 2, 0 }, 24, 0 },	{ { 198, 51, 100, 0 }, 30, 0 },
		/* wider than the pool allows, still right */
		{ { 0, 0, 0, 0 }, 0, 1 },	{ { 96, 0, 0, 0 }, 3, 1 },
		{ { 64, 0, 0, 0 }, 2, 1 },	{ { 64, 0, 0, 0 }, 3, 0 },
		{ { 128, 0, 0, 0 }, 2, 0 },
		{ { 192, 0, 0, 0 }, 2, 1 },	{ { 192, 0, 0, 0 }, 3, 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++)
		KN_CHECK(kn_nat64_v4_range_martian(t[i].a, t[i].plen) ==
			 t[i].martian, "%u.%u.%u.%u/%u", t[i].a[0], t[i].a[1],
			 t[i].a[2], t[i].a[3], t[i].plen);
}

/* Reference sum: the naive RFC 1071 loop. */
static uint16_t naive(const uint8_t *b, size_t n)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += (i & 1) ? b[i] : (uint64_t)b[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void test_csum(void)
{
	uint8_t buf[300];
	uint32_t x = 99;

	for (int it = 0; it < 3000; it++) {
		size_t n, k;
		uint16_t full, upd, c;
		uint32_t old, new;

		for (size_t i = 0; i < sizeof(buf); i++) {
			x = x * 1664525 + 1013904223;
			buf[i] = x >> 24;
		}
		if (it % 7 == 0)
			memset(buf, 0xff, sizeof(buf));
		n = 2 + (x % 298);
		KN_CHECK(kn_csum_fold(kn_csum_bytes(buf, n, 0)) ==
			 naive(buf, n));
		/* checksum at bytes 0-1, then change a word, update */
		buf[0] = buf[1] = 0;
		c = ~naive(buf, n);
		kn_put_be16(buf, c);
		KN_CHECK(kn_csum_ok(buf, n, 0));
		k = 2 + 2 * ((x >> 8) % ((n - 2) / 2 + 1));
		if (k + 2 > n)
			continue;
		old = kn_get_be16(buf + k);
		new = (x >> 5) & 0xffff;
		kn_put_be16(buf + k, (u16)new);
		upd = kn_csum_update(c, old, new);
		kn_put_be16(buf, upd);
		KN_CHECK(kn_csum_ok(buf, n, 0), "it %d", it);
		full = naive(buf, n);
		KN_CHECK(full == 0xffff || full == 0);
	}
	/* pseudo headers against a hand computed value */
	{
		const uint8_t s[4] = { 192, 0, 2, 1 }, d[4] = { 192, 0, 2, 2 };
		uint32_t p = kn_csum_pseudo4(s, d, 17, 20);

		KN_CHECK(p == kn_csum_fold(0xc000 + 0x0201 + 0xc000 + 0x0202 +
					   17 + 20));
	}
}

int main(void)
{
	KN_RUN(test_rfc6052_examples);
	KN_RUN(test_roundtrip_all);
	KN_RUN(test_prefix_check);
	KN_RUN(test_global);
	KN_RUN(test_martian);
	KN_RUN(test_range_martian);
	KN_RUN(test_csum);
	return kn_test_done();
}
