// kn-sources: nat64_xlat.c nat64_icmp.c nat64_hdr.c nat64_addr.c csum.c
// SPDX-License-Identifier: GPL-2.0
/*
 * NAT64 conformance rules (issue 22, items 3-6): which prefixes the
 * Well-Known Prefix restrictions apply to (RFC 6052 section 3.1, RFC
 * 8215), addresses never translated with any prefix, the UDP zero
 * checksum modes (RFC 7915 section 4.5, RFC 6935/6936), the off-link MTU
 * (RFC 7915 section 4.1), IPv6 extension header numbers as IPv4 protocols,
 * the source of the translator's own ICMP errors (RFC 7915 sections 4.4
 * and 5.4, RFC 6791) and every Parameter Problem pointer (RFC 7915
 * sections 4.2 and 5.2).  Expected values are typed in from the RFCs.
 */
#include "test_nat64_util.h"

static uint8_t pkt[4000], out[4000], l4[4000], inner[4000];

static const uint8_t LOCAL_USE[16] = { 0, 0x64, 0xff, 0x9b, 0, 1 };
static const uint8_t NSP[16] = { 0x20, 1, 0xd, 0xb8, 0x11, 0x22, 0x33 };
static const uint8_t PRIV_A[4] = { 10, 1, 2, 3 };
static const uint8_t PRIV_B[4] = { 192, 168, 7, 9 };

static void use_prefix(const uint8_t *p, uint8_t plen)
{
	tnat_init();
	memset(tcfg.prefix, 0, 16);
	memcpy(tcfg.prefix, p, plen / 8);
	tcfg.prefix_len = plen;
}

static enum kn_xlat_verdict xl(int to6, const uint8_t *p, size_t len,
			       size_t *olen, struct kn_xlat_res *res)
{
	return run_xlat(to6, p, len, len, 0, out, olen, res);
}

static size_t tcp6_pkt(const uint8_t *src, const uint8_t *dst)
{
	size_t n = mk_tcp(l4, 0x10, NULL, 0, 20);

	return mk6(pkt, 6, src, dst, 64, NULL, 0, 6, l4, n, 1);
}

static size_t tcp4_pkt(const uint8_t *src, const uint8_t *dst)
{
	size_t n = mk_tcp(l4, 0x10, NULL, 0, 20);

	return mk4(pkt, 6, src, dst, 64, 0, 1, NULL, 0, l4, n, 1);
}

/* ICMPv6 error from @rtr to @dst6 quoting UDP from @dst6 to @peer6. */
static size_t err6_pkt(const uint8_t *rtr, const uint8_t *dst6,
		       const uint8_t *peer6, uint8_t type, uint8_t code,
		       uint32_t info)
{
	size_t n = mk_udp(l4, 12), il;

	il = mk6(inner, 17, dst6, peer6, 17, NULL, 0, 17, l4, n, 1);
	n = mk_icmp(l4, type, code, info, 0);
	memcpy(l4 + n, inner, il);
	return mk6(pkt, 58, rtr, dst6, 50, NULL, 0, 58, l4, n + il, 1);
}

/* ICMPv4 error from @rtr to @dst4 quoting UDP from @dst4 to @peer4. */
static size_t err4_pkt(const uint8_t *rtr, const uint8_t *dst4,
		       const uint8_t *peer4, uint8_t type, uint8_t code,
		       uint32_t info)
{
	size_t n = mk_udp(l4, 12), il;

	il = mk4(inner, 17, dst4, peer4, 17, 0, 0x77, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, type, code, info, 0);
	memcpy(l4 + n, inner, il);
	return mk4(pkt, 1, rtr, dst4, 50, 0, 3, NULL, 0, l4, n + il, 1);
}

/* ---- item 3: prefixes ---- */

/*
 * RFC 8215: 64:ff9b:1::/48 is a network-specific prefix, at every RFC
 * 6052 length inside it: non-global IPv4 addresses are translated with
 * strict-wkp on, both ways, as sources and destinations.
 */
static void test_local_use_prefix(void)
{
	static const uint8_t lens[] = { 48, 56, 64, 96 };
	struct kn_xlat_res res;
	uint8_t a6[16], b6[16];
	size_t len, olen;

	for (unsigned int l = 0; l < ARRAY_SIZE(lens); l++) {
		use_prefix(LOCAL_USE, lens[l]);
		tcfg.flags = KN_NAT64_F_STRICT_WKP;
		KN_CHECK(kn_nat64_prefix_check(tcfg.prefix, lens[l]) == 0);
		KN_CHECK(!kn_nat64_prefix_is_wkp(tcfg.prefix, lens[l]));
		embed(PRIV_A, a6);
		embed(PRIV_B, b6);
		len = tcp6_pkt(a6, b6);
		KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_OK,
			 "6to4 /%u: %d", lens[l], res.reason);
		KN_CHECK(!memcmp(out + 12, PRIV_A, 4) &&
			 !memcmp(out + 16, PRIV_B, 4));
		len = tcp4_pkt(PRIV_B, PRIV_A);
		KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK,
			 "4to6 /%u: %d", lens[l], res.reason);
		KN_CHECK(!memcmp(out + 8, b6, 16) && !memcmp(out + 24, a6, 16));
	}
	/* the WKP itself is only 64:ff9b::/96 */
	KN_CHECK(kn_nat64_prefix_is_wkp(kn_nat64_wkp, 96));
	KN_CHECK(!kn_nat64_prefix_is_wkp(kn_nat64_wkp, 64));
}

/*
 * RFC 6052 section 3.1 with the WKP: strict-wkp on refuses a non-global
 * IPv4 address as source or destination, both ways (ICMP 1/1 and 3/13,
 * RFC 7915 sections 4.4 and 5.4); off translates them (TAYGA's
 * wkpf-strict no).
 */
static void test_wkp_strict(void)
{
	static const uint8_t g1[4] = { 8, 8, 4, 4 }, g2[4] = { 1, 1, 1, 1 };
	struct kn_xlat_res res;
	uint8_t p6[16], g6[16], q6[16];
	size_t len, olen;

	for (int strict = 0; strict <= 1; strict++) {
		tnat_init();
		tcfg.flags = strict ? KN_NAT64_F_STRICT_WKP : 0;
		embed(PRIV_A, p6);
		embed(g1, g6);
		embed(g2, q6);
		/* 6 -> 4, non-global source */
		len = tcp6_pkt(p6, g6);
		KN_CHECK(xl(0, pkt, len, &olen, &res) ==
			 (strict ? KN_XLAT_ICMP : KN_XLAT_OK), "6to4 src");
		if (strict)
			KN_CHECK(res.reason == KN_NAT64_R_NONGLOBAL &&
				 res.err.type == 1 && res.err.code == 1);
		/* 6 -> 4, non-global destination */
		len = tcp6_pkt(q6, p6);
		KN_CHECK(xl(0, pkt, len, &olen, &res) ==
			 (strict ? KN_XLAT_ICMP : KN_XLAT_OK), "6to4 dst");
		if (strict)
			KN_CHECK(res.reason == KN_NAT64_R_NONGLOBAL &&
				 res.err.type == 1 && res.err.code == 1);
		/* 4 -> 6, non-global source and destination */
		len = tcp4_pkt(PRIV_A, g1);
		KN_CHECK(xl(1, pkt, len, &olen, &res) ==
			 (strict ? KN_XLAT_ICMP : KN_XLAT_OK), "4to6 src");
		if (strict)
			KN_CHECK(res.reason == KN_NAT64_R_NONGLOBAL &&
				 res.err.type == 3 && res.err.code == 13);
		len = tcp4_pkt(g2, PRIV_B);
		KN_CHECK(xl(1, pkt, len, &olen, &res) ==
			 (strict ? KN_XLAT_ICMP : KN_XLAT_OK), "4to6 dst");
		/* an ICMPv6 error from WKP::(non-global): never via RFC 6791 */
		len = err6_pkt(p6, q6, g6, 1, 4, 0);
		KN_CHECK(xl(0, pkt, len, &olen, &res) ==
			 (strict ? KN_XLAT_DROP : KN_XLAT_OK), "6to4 err src");
		if (strict)
			KN_CHECK(res.reason == KN_NAT64_R_NONGLOBAL);
		else
			KN_CHECK(!memcmp(out + 12, PRIV_A, 4));
		/* an ICMPv4 error quoting a packet to a non-global address */
		len = err4_pkt(g1, g2, PRIV_B, 3, 3, 0);
		KN_CHECK(xl(1, pkt, len, &olen, &res) ==
			 (strict ? KN_XLAT_DROP : KN_XLAT_OK), "4to6 inner");
		if (strict)
			KN_CHECK(res.reason == KN_NAT64_R_NONGLOBAL);
	}
}

static const uint8_t V6_BAD[][16] = {
	{ 0 },							/* :: */
	{ [15] = 1 },						/* ::1 */
	{ 0xfe, 0x80, [15] = 1 },				/* fe80::1 */
	{ 0xfe, 0xbf, 0xff, [15] = 1 },				/* fe80::/10 */
	{ 0xff, 0x02, [15] = 1 },				/* ff02::1 */
	{ 0xff, 0x0e, [15] = 0x42 },				/* ff0e::42 */
};

static void test_v6_martian_table(void)
{
	static const uint8_t ok[][16] = {
		{ 0x20, 1, 0xd, 0xb8, [15] = 1 },
		{ 0xfe, 0xc0, [15] = 1 },	/* fec0::/10, not fe80::/10 */
		{ 0xfd, [15] = 1 },
		{ [15] = 2 },			/* ::2, IPv4-compatible */
		{ 0, 0x64, 0xff, 0x9b, [15] = 1 },
	};
	uint8_t pfx[16] = { 0xfe, 0x80 };

	for (unsigned int i = 0; i < ARRAY_SIZE(V6_BAD); i++)
		KN_CHECK(kn_nat64_v6_is_martian(V6_BAD[i]), "bad %u", i);
	for (unsigned int i = 0; i < ARRAY_SIZE(ok); i++)
		KN_CHECK(!kn_nat64_v6_is_martian(ok[i]), "ok %u", i);
	/* prefixes whose every address would be one */
	KN_CHECK(kn_nat64_prefix_check(pfx, 64) == -EINVAL);
	pfx[0] = 0xff;
	pfx[1] = 0x0e;
	KN_CHECK(kn_nat64_prefix_check(pfx, 96) == -EINVAL);
	memset(pfx, 0, 16);
	KN_CHECK(kn_nat64_prefix_check(pfx, 96) == -EINVAL);
	KN_CHECK(kn_nat64_prefix_check(NSP, 56) == 0);
}

/* A map that hands out whatever address the test puts in @bad_map. */
static uint8_t bad_map[16];

static int bad_46(void *ctx, __be32 v4, uint8_t v6[16],
		  enum kn_nat64_dir which)
{
	(void)ctx;
	(void)v4;
	(void)which;
	memcpy(v6, bad_map, 16);
	return 0;
}

static int plain_64(void *ctx, const uint8_t v6[16], __be32 *v4,
		    enum kn_nat64_dir which)
{
	return kn_nat64_rfc6052_6to4(ctx, v6, v4, which);
}

/*
 * Never translated, with every prefix and strict-wkp either way: IPv6
 * ::, ::1, link-local, multicast, and the prefix with a non-zero u octet
 * (RFC 6052 section 2.2).  A source is dropped silently, a destination
 * gets ICMPv6 1/1 (RFC 7915 section 5.4); R_MARTIAN6 either way.
 */
static void test_v6_martian(void)
{
	static const uint8_t lens[] = { 32, 40, 48, 56, 64, 96 };
	static const struct kn_nat64_ops bops = { bad_46, plain_64 };
	struct kn_xlat_res res;
	uint8_t a6[16], b6[16], u6[16];
	size_t len, olen;

	for (unsigned int l = 0; l < ARRAY_SIZE(lens) + 2; l++) {
		if (l < ARRAY_SIZE(lens)) {
			use_prefix(NSP, lens[l]);
		} else {
			tnat_init();
			tcfg.flags = l == ARRAY_SIZE(lens) ?
				     KN_NAT64_F_STRICT_WKP : 0;
		}
		embed(A4_PEER, a6);
		embed(A4_HOST, b6);
		for (unsigned int i = 0; i < ARRAY_SIZE(V6_BAD); i++) {
			len = tcp6_pkt(V6_BAD[i], b6);
			KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_DROP &&
				 res.reason == KN_NAT64_R_MARTIAN6,
				 "/%u src %u: %d", tcfg.prefix_len, i,
				 res.reason);
			len = tcp6_pkt(a6, V6_BAD[i]);
			KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_ICMP &&
				 res.reason == KN_NAT64_R_MARTIAN6 &&
				 res.err.type == 1 && res.err.code == 1,
				 "/%u dst %u: %d", tcfg.prefix_len, i,
				 res.reason);
		}
		if (tcfg.prefix_len <= 64) {
			memcpy(u6, a6, 16);
			u6[8] = 0x01;
			len = tcp6_pkt(u6, b6);
			KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_DROP &&
				 res.reason == KN_NAT64_R_MARTIAN6,
				 "/%u u octet src", tcfg.prefix_len);
			memcpy(u6, b6, 16);
			u6[8] = 0x80;
			len = tcp6_pkt(a6, u6);
			KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_ICMP &&
				 res.reason == KN_NAT64_R_MARTIAN6 &&
				 res.err.type == 1 && res.err.code == 1,
				 "/%u u octet dst", tcfg.prefix_len);
		}
		len = tcp6_pkt(a6, b6);
		KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_OK);
	}
	/* a mapping that returns one is refused, 4 -> 6 (RFC 7915 4.4) */
	tnat_init();
	tnat.ops = &bops;
	for (unsigned int i = 0; i < ARRAY_SIZE(V6_BAD); i++) {
		memcpy(bad_map, V6_BAD[i], 16);
		len = tcp4_pkt(A4_HOST, A4_PEER);
		KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_ICMP &&
			 res.reason == KN_NAT64_R_MARTIAN6 &&
			 res.err.type == 3 && res.err.code == 13, "map %u", i);
	}
}

/* ---- item 4: UDP checksum zero ---- */

static void test_udp0_modes(void)
{
	struct kn_xlat_res res;
	uint8_t a6[16], b6[16];
	size_t len, olen, n;

	/* 4 -> 6 */
	for (int mode = 0; mode < 3; mode++) {
		tnat_init();
		tcfg.flags = mode == 1 ? KN_NAT64_F_UDP0_DROP :
			     mode == 2 ? KN_NAT64_F_UDP0_FWD : 0;
		n = mk_udp(l4, 100);
		len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0, 7, NULL, 0, l4, n,
			  0);
		if (mode == 1) {
			KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_DROP &&
				 res.reason == KN_NAT64_R_UDP_ZERO_CSUM);
			continue;
		}
		KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK,
			 "mode %d", mode);
		if (mode == 0) {
			KN_CHECK(kn_get_be16(out + 46) != 0);
			KN_CHECK(ref_v6_l4_ok(out, olen));
		} else {
			/* forward: an IPv6 zero-checksum datagram */
			KN_CHECK(kn_get_be16(out + 46) == 0);
			KN_CHECK(!memcmp(out + 40, pkt + 20, n));
			KN_CHECK(!(res.flags & KN_XLAT_RF_CSUM_DONE));
		}
		/* a first fragment: only forward passes it */
		len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0x2000, 7, NULL, 0, l4,
			  n, 0);
		KN_CHECK(xl(1, pkt, len, &olen, &res) ==
			 (mode == 2 ? KN_XLAT_OK : KN_XLAT_DROP), "frag");
		if (mode == 2)
			KN_CHECK(kn_get_be16(out + 54) == 0);
	}
	/* 6 -> 4: forward gives IPv4 zero, the others drop */
	for (int mode = 0; mode < 3; mode++) {
		tnat_init();
		tcfg.flags = mode == 1 ? KN_NAT64_F_UDP0_DROP :
			     mode == 2 ? KN_NAT64_F_UDP0_FWD : 0;
		embed(A4_PEER, a6);
		embed(A4_HOST, b6);
		n = mk_udp(l4, 100);
		len = mk6(pkt, 17, a6, b6, 9, NULL, 0, 17, l4, n, 0);
		if (mode != 2) {
			KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_DROP &&
				 res.reason == KN_NAT64_R_UDP_ZERO_CSUM);
			continue;
		}
		KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_OK);
		KN_CHECK(kn_get_be16(out + 26) == 0);
		KN_CHECK(ref_v4_hdr_ok(out));
		/* a non-zero checksum is still fixed in forward mode */
		len = mk6(pkt, 17, a6, b6, 9, NULL, 0, 17, l4, n, 1);
		KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_OK);
		KN_CHECK(ref_v4_l4_ok(out, olen));
	}
}

/* ---- item 5: off-link MTU ---- */

static void test_offlink_mtu(void)
{
	struct kn_xlat_res res;
	size_t len, olen, n;

	tnat_init();
	/* 1400 bytes out (1380 in): over 1280, so fragmented by default */
	n = mk_udp(l4, 1352);
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0, 7, NULL, 0, l4, n, 1);
	KN_CHECK(len == 1380);
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 (res.flags & KN_XLAT_RF_FRAGMENT));
	tcfg.offlink_mtu = 1400;
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 !(res.flags & KN_XLAT_RF_FRAGMENT), "1400 fits 1400");
	tcfg.offlink_mtu = 1399;
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 (res.flags & KN_XLAT_RF_FRAGMENT), "1400 > 1399");
	tcfg.offlink_mtu = 9000;
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 !(res.flags & KN_XLAT_RF_FRAGMENT));
	/* never below the IPv6 minimum */
	tcfg.offlink_mtu = 600;
	n = mk_udp(l4, 1232);
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0, 7, NULL, 0, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 olen == 1280 && !(res.flags & KN_XLAT_RF_FRAGMENT));
	/* DF set: the device MTU rules, not the off-link MTU */
	tcfg.offlink_mtu = 1280;
	n = mk_udp(l4, 1352);
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0x4000, 7, NULL, 0, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 !(res.flags & KN_XLAT_RF_FRAGMENT));
}

/* ---- item 6: protocols, error sources, pointers ---- */

/*
 * IPv6 extension header numbers as IPv4 protocols (0, 43, 44, 60) would
 * make a malformed IPv6 packet: ICMPv4 3/13 (RFC 7915 section 4.4) and
 * R_PROTO; an ICMPv4 error quoting one is dropped.  The mirror image: an
 * extension header after the IPv6 Fragment header.
 */
static void test_ext_proto(void)
{
	static const uint8_t ext[] = { 0, 43, 44, 60 };
	struct kn_xlat_res res;
	uint8_t a6[16], b6[16], e[24];
	size_t len, olen, n, il;

	tnat_init();
	embed(A4_PEER, a6);
	embed(A4_HOST, b6);
	n = mk_udp(l4, 40);
	for (unsigned int i = 0; i < ARRAY_SIZE(ext); i++) {
		len = mk4(pkt, ext[i], A4_HOST, A4_PEER, 9, 0, 7, NULL, 0, l4,
			  n, 0);
		KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_ICMP &&
			 res.reason == KN_NAT64_R_PROTO && res.err.type == 3 &&
			 res.err.code == 13, "proto %u", ext[i]);
		/* a non-first fragment of one too */
		len = mk4(pkt, ext[i], A4_HOST, A4_PEER, 9, 0x0010, 7, NULL, 0,
			  l4, n, 0);
		KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_ICMP &&
			 res.reason == KN_NAT64_R_PROTO, "frag proto %u",
			 ext[i]);
		/* an ICMPv4 error about one (from the IPv6 host's side) */
		il = mk4(inner, ext[i], A4_PEER, A4_HOST, 9, 0, 7, NULL, 0, l4,
			 n, 0);
		n = mk_icmp(l4 + 200, 3, 3, 0, 0);
		memcpy(l4 + 200 + n, inner, il);
		len = mk4(pkt, 1, A4_RTR, A4_PEER, 50, 0, 3, NULL, 0, l4 + 200,
			  n + il, 1);
		KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_DROP &&
			 res.reason == KN_NAT64_R_PROTO, "quoted %u", ext[i]);
		n = mk_udp(l4, 40);
	}
	/* neighbours still translate */
	len = mk4(pkt, 59, A4_HOST, A4_PEER, 9, 0, 7, NULL, 0, l4, n, 0);
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK && out[6] == 59);

	/* 6 -> 4: Fragment header (offset 0), then Destination Options */
	memset(e, 0, sizeof(e));
	e[0] = 60;			/* frag: next is dstopts */
	kn_put_be32(e + 4, 0x1234);
	e[8] = 17;			/* dstopts: next is UDP, 8 bytes */
	e[10] = 1;			/* PadN */
	e[11] = 4;
	len = mk6(pkt, 44, a6, b6, 64, e, 16, 17, l4, n, 0);
	KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_ICMP &&
		 res.reason == KN_NAT64_R_PROTO && res.err.type == 1 &&
		 res.err.code == 1, "ext after frag");
	/* a later fragment whose Fragment header names Destination Options */
	kn_put_be16(e + 2, 0x0100);
	len = mk6(pkt, 44, a6, b6, 64, e, 8, 60, l4, n, 0);
	KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_ICMP &&
		 res.reason == KN_NAT64_R_PROTO, "non-first frag nh 60");
	/* an ICMPv6 error quoting such a packet */
	kn_put_be16(e + 2, 0);
	il = mk6(inner, 44, b6, a6, 64, e, 16, 17, l4, n, 0);
	n = mk_icmp(l4 + 200, 1, 4, 0, 0);
	memcpy(l4 + 200 + n, inner, il);
	len = mk6(pkt, 58, a6, b6, 50, NULL, 0, 58, l4 + 200, n + il, 1);
	KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_PROTO, "quoted ext after frag");
}

/*
 * The translator's own errors come from its configured addresses (RFC
 * 7915 sections 4.4 and 5.4), never from 0.0.0.0 or ::; an ICMPv6 error
 * from an unmappable source gets the translator's IPv4 address (RFC
 * 6791) or, without one, is dropped.
 */
static void test_err_source(void)
{
	static const uint8_t rtr[16] = { 0x20, 1, 0xd, 0xb8, [15] = 0x99 };
	static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 0x99 };
	struct kn_nat64_icmp_err e = { 3, 13, 0 };
	struct kn_xlat_res res;
	uint8_t a6[16], b6[16], buf[1280];
	size_t len, olen;
	int n;

	tnat_init();
	embed(A4_PEER, a6);
	embed(A4_HOST, b6);
	len = tcp4_pkt(A4_HOST, A4_PEER);
	n = kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 1, buf, sizeof(buf));
	KN_CHECK(n > 0 && !memcmp(buf + 12, &tcfg.ipv4_addr, 4));
	tcfg.ipv4_addr = 0;
	KN_CHECK(kn_nat64_build_icmp4_err(&tcfg, pkt, len, &e, 1, buf,
					  sizeof(buf)) == -EADDRNOTAVAIL);
	e.type = 1;
	e.code = 1;
	len = tcp6_pkt(a6, b6);
	n = kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, buf, sizeof(buf));
	KN_CHECK(n > 0 && !memcmp(buf + 8, tcfg.ipv6_addr, 16));
	memset(tcfg.ipv6_addr, 0, 16);
	KN_CHECK(kn_nat64_build_icmp6_err(&tcfg, pkt, len, &e, buf,
					  sizeof(buf)) == -EADDRNOTAVAIL);

	/* RFC 6791, from a global and from a link-local router */
	for (int i = 0; i < 2; i++) {
		tnat_init();
		len = err6_pkt(i ? ll : rtr, b6, a6, 3, 0, 0);
		KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_OK, "%d", i);
		KN_CHECK(!memcmp(out + 12, &tcfg.ipv4_addr, 4));
		tcfg.ipv4_addr = 0;
		KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_DROP &&
			 res.reason == KN_NAT64_R_NO_MAP_SRC, "%d", i);
	}
}

/* RFC 7915 section 4.2, Figure 3: IPv4 header byte -> IPv6 header byte. */
static int ptr46(unsigned int p)
{
	static const int fig3[20] = {
		0, 1, 4, 4, -1, -1, -1, -1, 7, 6,
		-1, -1, 8, 8, 8, 8, 24, 24, 24, 24,
	};

	return p < 20 ? fig3[p] : -1;
}

/* RFC 7915 section 5.2, Figure 6: IPv6 header byte -> IPv4 header byte. */
static int ptr64(uint32_t p)
{
	if (p == 0 || p == 1)
		return (int)p;
	if (p == 2 || p == 3)
		return -1;	/* flow label */
	if (p == 4 || p == 5)
		return 2;
	if (p == 6)
		return 9;
	if (p == 7)
		return 8;
	if (p >= 8 && p <= 23)
		return 12;
	if (p >= 24 && p <= 39)
		return 16;
	return -1;
}

/* Every pointer value, on real packets, both ways. */
static void test_param_pointers(void)
{
	static const uint32_t big[] = { 0x100, 0x106, 0x10000, 0x1000008,
					0xffffffff };
	struct kn_xlat_res res;
	uint8_t a6[16], b6[16], r6[16];
	enum kn_xlat_verdict v;
	size_t len, olen;

	tnat_init();
	embed(A4_PEER, a6);
	embed(A4_HOST, b6);
	embed(A4_RTR, r6);
	for (unsigned int p = 0; p < 256; p++) {
		for (unsigned int code = 0; code <= 3; code++) {
			len = err4_pkt(A4_RTR, A4_PEER, A4_HOST, 12, code,
				       p << 24);
			v = xl(1, pkt, len, &olen, &res);
			if (code == 1 || code == 3 || ptr46(p) < 0) {
				KN_CHECK(v == KN_XLAT_DROP &&
					 res.reason == KN_NAT64_R_ICMP_TYPE,
					 "12/%u ptr %u", code, p);
				continue;
			}
			KN_CHECK(v == KN_XLAT_OK && out[40] == 4 &&
				 out[41] == 0 &&
				 kn_get_be32(out + 44) == (uint32_t)ptr46(p),
				 "12/%u ptr %u", code, p);
			KN_CHECK(ref_v6_l4_ok(out, olen));
		}
	}
	for (uint32_t p = 0; p < 300 + ARRAY_SIZE(big); p++) {
		uint32_t ptr = p < 300 ? p : big[p - 300];

		len = err6_pkt(r6, a6, b6, 4, 0, ptr);
		v = xl(0, pkt, len, &olen, &res);
		if (ptr64(ptr) < 0) {
			KN_CHECK(v == KN_XLAT_DROP &&
				 res.reason == KN_NAT64_R_ICMP_TYPE,
				 "4/0 ptr %u", ptr);
			continue;
		}
		KN_CHECK(v == KN_XLAT_OK && out[20] == 12 && out[21] == 0 &&
			 out[24] == ptr64(ptr) && !out[25] && !out[26] &&
			 !out[27], "4/0 ptr %u", ptr);
		KN_CHECK(ref_v4_l4_ok(out, olen));
	}
	/* 4/1 -> 3/2 whatever the pointer; 4/2 and others dropped */
	len = err6_pkt(r6, a6, b6, 4, 1, 6);
	KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 out[20] == 3 && out[21] == 2 && !kn_get_be32(out + 24));
	len = err6_pkt(r6, a6, b6, 4, 2, 6);
	KN_CHECK(xl(0, pkt, len, &olen, &res) == KN_XLAT_DROP);
	/* 3/2 -> 4/1 with the pointer at Next Header */
	len = err4_pkt(A4_RTR, A4_PEER, A4_HOST, 3, 2, 0);
	KN_CHECK(xl(1, pkt, len, &olen, &res) == KN_XLAT_OK &&
		 out[40] == 4 && out[41] == 1 && kn_get_be32(out + 44) == 6);
}

int main(void)
{
	KN_RUN(test_local_use_prefix);
	KN_RUN(test_wkp_strict);
	KN_RUN(test_v6_martian_table);
	KN_RUN(test_v6_martian);
	KN_RUN(test_udp0_modes);
	KN_RUN(test_offlink_mtu);
	KN_RUN(test_ext_proto);
	KN_RUN(test_err_source);
	KN_RUN(test_param_pointers);
	return kn_test_done();
}
