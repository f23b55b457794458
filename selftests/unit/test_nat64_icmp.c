// kn-sources: nat64_xlat.c nat64_icmp.c nat64_hdr.c nat64_addr.c csum.c
// SPDX-License-Identifier: GPL-2.0
/* ICMP <-> ICMPv6: every table row on real packets, MTU, pointers, own
 * errors.  Expected values are typed in again from RFC 7915, not shared
 * with the code under test.
 */
#include "test_nat64_util.h"

static uint8_t pkt[20000], out[20000], l4[20000], inner[20000];
static uint8_t H6[16], P6[16], R6[16];

static void setup(void)
{
	tnat_init();
	embed(A4_HOST, H6);
	embed(A4_PEER, P6);
	embed(A4_RTR, R6);
}

/* The v6 host (seen as A4_PEER) sent UDP to A4_HOST; a v4 router errs. */
static size_t err4(uint8_t *b, uint8_t type, uint8_t code, uint32_t info,
		   size_t upl, size_t *ilen)
{
	size_t n = mk_udp(l4, upl);

	*ilen = mk4(inner, 17, A4_PEER, A4_HOST, 17, 0x4000, 0x77, NULL, 0,
		    l4, n, 1);
	n = mk_icmp(l4, type, code, info, 0);
	memcpy(l4 + n, inner, *ilen);
	return mk4(b, 1, A4_RTR, A4_PEER, 50, 0, 3, NULL, 0, l4, n + *ilen, 1);
}

/* The v4 host (seen as H6) sent UDP to the v6 host P6; a v6 router errs. */
static size_t err6(uint8_t *b, const uint8_t *rtr, uint8_t type,
		   uint8_t code, uint32_t info, size_t upl, size_t *ilen)
{
	size_t n = mk_udp(l4, upl);

	*ilen = mk6(inner, 17, H6, P6, 17, NULL, 0, 17, l4, n, 1);
	n = mk_icmp(l4, type, code, info, 0);
	memcpy(l4 + n, inner, *ilen);
	return mk6(b, 58, rtr, H6, 50, NULL, 0, 58, l4, n + *ilen, 1);
}

static const struct {
	uint8_t t4, c4, t6, c6;
} rows46[] = {
	{ 3, 0, 1, 0 }, { 3, 1, 1, 0 }, { 3, 2, 4, 1 }, { 3, 3, 1, 4 },
	{ 3, 4, 2, 0 }, { 3, 5, 1, 0 }, { 3, 6, 1, 0 }, { 3, 7, 1, 0 },
	{ 3, 8, 1, 0 }, { 3, 9, 1, 1 }, { 3, 10, 1, 1 }, { 3, 11, 1, 0 },
	{ 3, 12, 1, 0 }, { 3, 13, 1, 1 }, { 3, 15, 1, 1 }, { 11, 0, 3, 0 },
	{ 11, 1, 3, 1 }, { 12, 0, 4, 0 }, { 12, 2, 4, 0 },
};

static void test_rows_4to6(void)
{
	struct kn_xlat_res res;
	size_t len, olen, il;

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(rows46); i++) {
		uint32_t info = rows46[i].t4 == 12 ? 0x09000000 :
			rows46[i].c4 == 4 ? 1400 : 0;
		const uint8_t *in6 = out + 48;

		len = err4(pkt, rows46[i].t4, rows46[i].c4, info, 60, &il);
		KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
			 KN_XLAT_OK, "row %u", i);
		if (res.verdict != KN_XLAT_OK)
			continue;
		KN_CHECK(res.flags & KN_XLAT_RF_WHOLE);
		KN_CHECK(olen == 48 + il + 20 && res.out_hdr_len == olen);
		KN_CHECK(out[6] == 58 && out[7] == 49);
		KN_CHECK(!memcmp(out + 8, R6, 16) && !memcmp(out + 24, P6, 16));
		KN_CHECK(out[40] == rows46[i].t6 && out[41] == rows46[i].c6,
			 "row %u: %u/%u", i, out[40], out[41]);
		KN_CHECK(ref_v6_l4_ok(out, olen), "icmpv6 csum row %u", i);
		/* MTU / pointer / unused */
		if (rows46[i].t6 == 2)
			KN_CHECK(kn_get_be32(out + 44) == 1420);
		else if (rows46[i].t6 == 4 && rows46[i].c6 == 0)
			KN_CHECK(kn_get_be32(out + 44) == 6, "ptr 9 -> 6");
		else if (rows46[i].t6 == 4)
			KN_CHECK(kn_get_be32(out + 44) == 6, "proto unreach");
		else
			KN_CHECK(kn_get_be32(out + 44) == 0);
		/* inner: addresses swapped roles, TTL kept, checksum fixed */
		KN_CHECK(in6[0] == 0x62 && in6[6] == 17 && in6[7] == 17);
		KN_CHECK(kn_get_be16(in6 + 4) == il - 20);
		KN_CHECK(!memcmp(in6 + 8, P6, 16) && !memcmp(in6 + 24, H6, 16));
		KN_CHECK(ref_v6_l4_ok(in6, il + 20), "inner udp row %u", i);
	}
}

static void test_drop_4to6(void)
{
	static const uint8_t drops[][2] = {
		{ 3, 14 }, { 3, 16 }, { 3, 99 }, { 12, 1 }, { 12, 3 },
		{ 4, 0 }, { 5, 0 }, { 5, 1 },
	};
	struct kn_xlat_res res;
	size_t len, il;

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(drops); i++) {
		len = err4(pkt, drops[i][0], drops[i][1], 0, 20, &il);
		KN_CHECK(run_xlat(1, pkt, len, len, 0, out, NULL, &res) ==
			 KN_XLAT_DROP && res.reason == KN_NAT64_R_ICMP_TYPE,
			 "%u/%u", drops[i][0], drops[i][1]);
	}
	/* header-only: an error needs the whole packet */
	len = err4(pkt, 3, 1, 0, 20, &il);
	KN_CHECK(run_xlat(1, pkt, len, 28, 0, out, NULL, &res) ==
		 KN_XLAT_NEED_LINEAR);
	/* bad ICMP checksum */
	pkt[30] ^= 0x10;
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, NULL, &res) ==
		 KN_XLAT_DROP && res.reason == KN_NAT64_R_BAD_CSUM);
}

static void test_ptr_4to6(void)
{
	/* RFC 7915 4.2: pointer in the IPv4 header -> IPv6 header */
	static const int exp[21] = { 0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1,
				     8, 8, 8, 8, 24, 24, 24, 24, -1 };
	struct kn_xlat_res res;
	size_t len, olen, il;

	setup();
	for (int p = 0; p < 21; p++) {
		for (int code = 0; code <= 2; code += 2) {
			enum kn_xlat_verdict v;

			len = err4(pkt, 12, code, (uint32_t)p << 24, 8, &il);
			v = run_xlat(1, pkt, len, len, 0, out, &olen, &res);
			if (exp[p] < 0) {
				KN_CHECK(v == KN_XLAT_DROP, "ptr %d", p);
				continue;
			}
			KN_CHECK(v == KN_XLAT_OK &&
				 kn_get_be32(out + 44) == (uint32_t)exp[p],
				 "ptr %d", p);
			KN_CHECK(ref_v6_l4_ok(out, olen));
		}
	}
}

static void test_mtu_4to6(void)
{
	static const struct {
		uint32_t adv, mtu4, mtu6;
		size_t upl;
		uint32_t exp;
	} t[] = {
		{ 1400, 0, 0, 60, 1420 },
		{ 1000, 0, 0, 60, 1280 },	/* IPv6 minimum */
		{ 2000, 0, 1500, 60, 1500 },	/* IPv6 next hop */
		{ 2000, 1400, 0, 60, 1420 },	/* IPv4 next hop + 20 */
		{ 0, 0, 0, 1500 - 28, 1512 },	/* plateau 1492 */
		{ 0, 0, 0, 2000 - 28, 2022 },	/* plateau 2002 < 2000? no */
		{ 0, 0, 0, 600 - 28, 1280 },	/* plateau 508 */
		{ 0, 0, 0, 9000 - 28, 8186 },	/* plateau 8166 */
	};
	struct kn_xlat_res res;
	size_t len, olen, il;

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		uint32_t exp = t[i].exp;

		/* 2000 is not below 2000: greatest plateau is 1492 */
		if (i == 5)
			exp = 1512;
		tcfg.mtu4 = t[i].mtu4;
		tcfg.mtu6 = t[i].mtu6;
		len = err4(pkt, 3, 4, t[i].adv, t[i].upl, &il);
		/* the quote is cut: keep the inner total length field */
		if (len > 1500) {
			len = 20 + 8 + 20 + 8 + 32;
			set16(pkt + 2, len);
			pkt[10] = pkt[11] = 0;
			ref_set(pkt + 10, pkt, 20, 0);
			ref_set(pkt + 22, pkt + 20, len - 20, 0);
		}
		KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
			 KN_XLAT_OK, "case %u", i);
		KN_CHECK(out[40] == 2 && kn_get_be32(out + 44) == exp,
			 "case %u: %u", i, kn_get_be32(out + 44));
		KN_CHECK(ref_v6_l4_ok(out, olen));
	}
	KN_CHECK(kn_nat64_mtu_plateau(69) == 68);
	KN_CHECK(kn_nat64_mtu_plateau(68) == 68);
	KN_CHECK(kn_nat64_mtu_plateau(297) == 296);
	KN_CHECK(kn_nat64_mtu_plateau(65535) == 32000);
}

static const struct {
	uint8_t t6, c6, t4, c4;
} rows64[] = {
	{ 1, 0, 3, 1 }, { 1, 1, 3, 10 }, { 1, 2, 3, 1 }, { 1, 3, 3, 1 },
	{ 1, 4, 3, 3 }, { 2, 0, 3, 4 }, { 3, 0, 11, 0 }, { 3, 1, 11, 1 },
	{ 4, 0, 12, 0 }, { 4, 1, 3, 2 },
};

static void test_rows_6to4(void)
{
	struct kn_xlat_res res;
	size_t len, olen, il;

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(rows64); i++) {
		uint32_t info = rows64[i].t6 == 4 ? 7 :
			rows64[i].t6 == 2 ? 1400 : 0;
		const uint8_t *in4 = out + 28;

		len = err6(pkt, R6, rows64[i].t6, rows64[i].c6, info, 60, &il);
		KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
			 KN_XLAT_OK, "row %u", i);
		if (res.verdict != KN_XLAT_OK)
			continue;
		KN_CHECK(olen == 28 + il - 20);
		KN_CHECK(ref_v4_hdr_ok(out) && out[9] == 1 && out[8] == 49);
		KN_CHECK(kn_get_be16(out + 2) == olen);
		KN_CHECK(!memcmp(out + 12, A4_RTR, 4) &&
			 !memcmp(out + 16, A4_HOST, 4));
		KN_CHECK(out[20] == rows64[i].t4 && out[21] == rows64[i].c4,
			 "row %u: %u/%u", i, out[20], out[21]);
		KN_CHECK(ref_v4_l4_ok(out, olen), "icmp csum row %u", i);
		if (rows64[i].t6 == 2)
			KN_CHECK(kn_get_be32(out + 24) == 1380);
		else if (rows64[i].t6 == 4 && rows64[i].c6 == 0)
			KN_CHECK(kn_get_be32(out + 24) == 8u << 24, "7 -> 8");
		else
			KN_CHECK(kn_get_be32(out + 24) == 0);
		KN_CHECK(ref_v4_hdr_ok(in4) && in4[8] == 17 && in4[9] == 17);
		KN_CHECK(kn_get_be16(in4 + 2) == il - 20);
		KN_CHECK(!memcmp(in4 + 12, A4_HOST, 4) &&
			 !memcmp(in4 + 16, A4_PEER, 4));
		KN_CHECK(ref_v4_l4_ok(in4, il - 20), "inner udp row %u", i);
	}
}

static void test_drop_6to4(void)
{
	static const uint8_t drops[][2] = {
		{ 1, 5 }, { 1, 6 }, { 1, 99 }, { 4, 2 }, { 4, 3 }, { 0, 0 },
		{ 5, 0 }, { 100, 0 }, { 127, 0 },
	};
	struct kn_xlat_res res;
	size_t len, il;

	setup();
	for (unsigned int i = 0; i < ARRAY_SIZE(drops); i++) {
		len = err6(pkt, R6, drops[i][0], drops[i][1], 0, 20, &il);
		KN_CHECK(run_xlat(0, pkt, len, len, 0, out, NULL, &res) ==
			 KN_XLAT_DROP && res.reason == KN_NAT64_R_ICMP_TYPE,
			 "%u/%u", drops[i][0], drops[i][1]);
	}
	len = err6(pkt, R6, 1, 0, 0, 20, &il);
	pkt[50] ^= 1;
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, NULL, &res) ==
		 KN_XLAT_DROP && res.reason == KN_NAT64_R_BAD_CSUM);
}

static void test_ptr_6to4(void)
{
	struct kn_xlat_res res;
	size_t len, olen, il;

	setup();
	for (int p = 0; p < 45; p++) {
		int exp = p == 0 ? 0 : p == 1 ? 1 : p < 4 ? -1 : p < 6 ? 2 :
			p == 6 ? 9 : p == 7 ? 8 : p < 24 ? 12 : p < 40 ? 16 : -1;
		enum kn_xlat_verdict v;

		len = err6(pkt, R6, 4, 0, p, 8, &il);
		v = run_xlat(0, pkt, len, len, 0, out, &olen, &res);
		if (exp < 0) {
			KN_CHECK(v == KN_XLAT_DROP, "ptr %d", p);
			continue;
		}
		KN_CHECK(v == KN_XLAT_OK && out[24] == exp, "ptr %d", p);
		KN_CHECK(ref_v4_l4_ok(out, olen));
	}
}

static void test_mtu_6to4(void)
{
	struct kn_xlat_res res;
	size_t len, olen, il;

	setup();
	len = err6(pkt, R6, 2, 0, 1500, 60, &il);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK && kn_get_be16(out + 26) == 1480);
	tcfg.mtu4 = 1400;
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK && kn_get_be16(out + 26) == 1400);
	tcfg.mtu4 = 0;
	tcfg.mtu6 = 1300;
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK && kn_get_be16(out + 26) == 1280);
	KN_CHECK(kn_get_be16(out + 24) == 0);
}

/* Large quotes are cut at 1280 / 576; a TCP inner checksum is still
 * what a full translation of the complete inner packet would carry.
 */
static void test_truncate(void)
{
	uint8_t full[2000], exp6[2000];
	struct kn_xlat_res res;
	size_t n, il, len, olen;

	setup();
	n = mk_tcp(l4, 0x10, NULL, 0, 1400);
	il = mk4(full, 6, A4_PEER, A4_HOST, 17, 0x4000, 1, NULL, 0, l4, n, 1);
	mk6(exp6, 6, P6, H6, 17, NULL, 0, 6, l4, n, 1);
	n = mk_icmp(l4, 3, 3, 0, 0);
	memcpy(l4 + n, full, il);
	len = mk4(pkt, 1, A4_RTR, A4_PEER, 50, 0, 3, NULL, 0, l4, n + il, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(olen == 1280 && kn_get_be16(out + 4) == 1240);
	KN_CHECK(ref_v6_l4_ok(out, olen));
	KN_CHECK(kn_get_be16(out + 48 + 4) == il - 20, "inner plen original");
	KN_CHECK(!memcmp(out + 48 + 40 + 16, exp6 + 40 + 16, 2) ||
		 (kn_get_be16(exp6 + 56) + kn_get_be16(out + 104)) == 0xffff);

	n = mk_tcp(l4, 0x10, NULL, 0, 1000);
	il = mk6(full, 6, H6, P6, 17, NULL, 0, 6, l4, n, 1);
	mk4(exp6, 6, A4_HOST, A4_PEER, 17, 0, 0, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 1, 4, 0, 0);
	memcpy(l4 + n, full, il);
	len = mk6(pkt, 58, R6, H6, 50, NULL, 0, 58, l4, n + il, 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(olen == 576 && kn_get_be16(out + 2) == 576);
	KN_CHECK(ref_v4_l4_ok(out, olen));
	KN_CHECK(!memcmp(out + 28 + 20 + 16, exp6 + 20 + 16, 2));
}

static void test_inner_icmp(void)
{
	struct kn_xlat_res res;
	size_t n, il, len, olen;

	setup();
	/* inner echo request: type and checksum translated */
	n = mk_icmp(l4, 8, 0, 0x00010002, 40);
	il = mk4(inner, 1, A4_PEER, A4_HOST, 17, 0, 1, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 11, 0, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk4(pkt, 1, A4_RTR, A4_PEER, 50, 0, 3, NULL, 0, l4, n + il, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(out[48 + 6] == 58 && out[88] == 128);
	KN_CHECK(ref_v6_l4_ok(out + 48, olen - 48), "inner echo csum");
	KN_CHECK(ref_v6_l4_ok(out, olen));

	n = mk_icmp(l4, 129, 0, 0x00010002, 40);
	il = mk6(inner, 58, H6, P6, 17, NULL, 0, 58, l4, n, 1);
	n = mk_icmp(l4, 3, 0, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk6(pkt, 58, R6, H6, 50, NULL, 0, 58, l4, n + il, 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(out[28 + 9] == 1 && out[48] == 0);
	KN_CHECK(ref_v4_l4_ok(out + 28, olen - 28), "inner echo csum");

	/* an error about an error is dropped */
	n = mk_icmp(l4, 3, 1, 0, 28);
	il = mk4(inner, 1, A4_PEER, A4_HOST, 17, 0, 1, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 3, 1, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk4(pkt, 1, A4_RTR, A4_PEER, 50, 0, 3, NULL, 0, l4, n + il, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_DROP && res.reason == KN_NAT64_R_ICMP_INNER);
	/* inner too short */
	len = mk4(pkt, 1, A4_RTR, A4_PEER, 50, 0, 3, NULL, 0, l4, n + 10, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_DROP && res.reason == KN_NAT64_R_ICMP_INNER);
}

/* RFC 6791: an ICMPv6 error from an unmappable router. */
static void test_rfc6791(void)
{
	static const uint8_t rtr[16] = { 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0,
					 0, 0, 0, 0, 0, 0, 0x99 };
	struct kn_xlat_res res;
	size_t len, olen, il;

	setup();
	len = err6(pkt, rtr, 3, 0, 0, 30, &il);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(!memcmp(out + 12, &tcfg.ipv4_addr, 4));
	KN_CHECK(ref_v4_hdr_ok(out) && ref_v4_l4_ok(out, olen));
}

/* RFC 4884: the quote is cut to the length attribute, extension gone. */
static void test_rfc4884(void)
{
	struct kn_xlat_res res;
	size_t len, olen, il, n;

	setup();
	n = mk_udp(l4, 100);
	il = mk4(inner, 17, A4_PEER, A4_HOST, 17, 0, 1, NULL, 0, l4, n, 1);
	memset(inner + il, 0, 128 - il);
	memset(inner + 128, 0xab, 16);	/* the "extension" */
	n = mk_icmp(l4, 11, 0, 32 << 16, 0);
	memcpy(l4 + n, inner, 144);
	len = mk4(pkt, 1, A4_RTR, A4_PEER, 50, 0, 3, NULL, 0, l4, n + 144, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(olen == 48 + 128 + 20 && out[45] == 0);
	KN_CHECK(ref_v6_l4_ok(out, olen));
}

/* Role swap: a static map for the v6 host, used for DST / INNER_SRC. */
static const uint8_t POOL4[4] = { 10, 1, 1, 1 };
static const uint8_t HOST6[16] = { 0x20, 1, 0xd, 0xb8, 0, 1, 0, 0, 0, 0, 0,
				   0, 0, 0, 0, 1 };
static int role_bad;

static int st_46(void *ctx, __be32 v4, u8 v6[16], enum kn_nat64_dir w)
{
	int pool = !memcmp(&v4, POOL4, 4);
	int want = w == KN_NAT64_DST || w == KN_NAT64_INNER_SRC;

	if (pool && !want) {
		role_bad++;
		fprintf(stderr, "46 role %d pool %d\n", w, pool);
	}
	if (pool) {
		memcpy(v6, HOST6, 16);
		return 0;
	}
	return kn_nat64_rfc6052_4to6(ctx, v4, v6, w);
}

static int st_64(void *ctx, const u8 v6[16], __be32 *v4,
		 enum kn_nat64_dir w)
{
	int pool = !memcmp(v6, HOST6, 16);
	int want = w == KN_NAT64_SRC || w == KN_NAT64_INNER_DST;

	if (pool && !want) {
		role_bad++;
		fprintf(stderr, "64 role %d pool %d\n", w, pool);
	}
	if (pool) {
		memcpy(v4, POOL4, 4);
		return 0;
	}
	return kn_nat64_rfc6052_6to4(ctx, v6, v4, w);
}

static void test_roles(void)
{
	static const struct kn_nat64_ops sops = { st_46, st_64 };
	struct kn_xlat_res res;
	size_t n, il, len, olen;

	setup();
	tnat.ops = &sops;
	role_bad = 0;
	n = mk_udp(l4, 20);
	il = mk4(inner, 17, POOL4, A4_HOST, 17, 0, 1, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 3, 3, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk4(pkt, 1, A4_RTR, POOL4, 50, 0, 3, NULL, 0, l4, n + il, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(!memcmp(out + 24, HOST6, 16) && !memcmp(out + 56, HOST6, 16));
	KN_CHECK(ref_v6_l4_ok(out + 48, olen - 48) && ref_v6_l4_ok(out, olen));

	/* A4_HOST (H6 in IPv6) wrote to the v6 host HOST6 (POOL4 in IPv4);
	 * a v6 router answers H6 with an error quoting that packet.
	 */
	n = mk_udp(l4, 20);
	il = mk6(inner, 17, H6, HOST6, 17, NULL, 0, 17, l4, n, 1);
	n = mk_icmp(l4, 1, 4, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk6(pkt, 58, R6, H6, 50, NULL, 0, 58, l4, n + il, 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(!memcmp(out + 28 + 16, POOL4, 4));
	KN_CHECK(ref_v4_l4_ok(out + 28, olen - 28) && ref_v4_l4_ok(out, olen));
	KN_CHECK(role_bad == 0, "%d role mismatches", role_bad);
}

static void test_build(void)
{
	struct kn_nat64_icmp_err e = { 3, 4, 1260 };
	uint8_t o[1500];
	size_t len, il;
	int r;

	setup();
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 64, 0x4000, 1, NULL, 0, l4,
		  mk_udp(l4, 1000), 1);
	r = kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 9, o, sizeof(o));
	KN_CHECK(r == 576 && ref_v4_hdr_ok(o) && ref_v4_l4_ok(o, r));
	KN_CHECK(!memcmp(o + 12, &tcfg.ipv4_addr, 4) &&
		 !memcmp(o + 16, A4_HOST, 4) && o[9] == 1);
	KN_CHECK(o[20] == 3 && o[21] == 4 && kn_get_be16(o + 26) == 1260);
	KN_CHECK(!memcmp(o + 28, pkt, 576 - 28));
	e = (struct kn_nat64_icmp_err){ 12, 0, 9 };
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4,
		  mk_udp(l4, 10), 1);
	r = kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 9, o, sizeof(o));
	KN_CHECK(r == (int)(28 + len) && o[24] == 9 && ref_v4_l4_ok(o, r));
	KN_CHECK(kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 9, o, 500) ==
		 -ENOSPC);
	KN_CHECK(kn_nat64_build_icmp4_err(&tcfg, pkt, 10, &e, 9, o,
					  sizeof(o)) == -EINVAL);
	/* suppressed: error about an error, later fragment, multicast */
	len = err4(pkt, 3, 1, 0, 10, &il);
	KN_CHECK(kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 9, o,
					  sizeof(o)) == -EPERM);
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 64, 10, 1, NULL, 0, l4, 16, 1);
	KN_CHECK(kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 9, o,
					  sizeof(o)) == -EPERM);
	len = mk4(pkt, 17, A4_HOST, (const uint8_t[]){ 224, 0, 0, 5 }, 64, 0,
		  1, NULL, 0, l4, 16, 1);
	KN_CHECK(kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 9, o,
					  sizeof(o)) == -EPERM);

	e = (struct kn_nat64_icmp_err){ 2, 0, 1280 };
	len = mk6(pkt, 17, P6, H6, 64, NULL, 0, 17, l4, mk_udp(l4, 1400), 1);
	r = kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, o, sizeof(o));
	KN_CHECK(r == 1280 && ref_v6_l4_ok(o, r));
	KN_CHECK(!memcmp(o + 8, tcfg.ipv6_addr, 16) &&
		 !memcmp(o + 24, P6, 16) && o[40] == 2 &&
		 kn_get_be32(o + 44) == 1280);
	KN_CHECK(!memcmp(o + 48, pkt, 1280 - 48));
	e = (struct kn_nat64_icmp_err){ 4, 0, 51 };
	len = mk6(pkt, 17, P6, H6, 64, NULL, 0, 17, l4, mk_udp(l4, 10), 1);
	r = kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, o, sizeof(o));
	KN_CHECK(r == (int)(48 + len) && kn_get_be32(o + 44) == 51 &&
		 ref_v6_l4_ok(o, r));
	len = err6(pkt, R6, 1, 0, 0, 10, &il);
	KN_CHECK(kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, o,
					  sizeof(o)) == -EPERM);
	len = mk6(pkt, 17, P6, H6, 64, NULL, 0, 17, l4, mk_udp(l4, 10), 1);
	pkt[24] = 0xff;
	KN_CHECK(kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, o,
					  sizeof(o)) == -EPERM);
	e.type = 2;
	KN_CHECK(kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, o,
					  sizeof(o)) > 0);
	memset(pkt + 8, 0, 16);
	KN_CHECK(kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, o,
					  sizeof(o)) == -EPERM);
}

int main(void)
{
	KN_RUN(test_rows_4to6);
	KN_RUN(test_drop_4to6);
	KN_RUN(test_ptr_4to6);
	KN_RUN(test_mtu_4to6);
	KN_RUN(test_rows_6to4);
	KN_RUN(test_drop_6to4);
	KN_RUN(test_ptr_6to4);
	KN_RUN(test_mtu_6to4);
	KN_RUN(test_truncate);
	KN_RUN(test_inner_icmp);
	KN_RUN(test_rfc6791);
	KN_RUN(test_rfc4884);
	KN_RUN(test_roles);
	KN_RUN(test_build);
	return kn_test_done();
}
