// kn-sources: nat64_xlat.c nat64_icmp.c nat64_hdr.c nat64_addr.c csum.c
// SPDX-License-Identifier: GPL-2.0
/* RFC 7915 header translation: TCP/UDP/echo/fragments/ext headers/... */
#include "test_nat64_util.h"

static uint8_t pkt[70000], out[70000], back[70000], l4[70000];
static uint8_t H6[16], P6[16];	/* embedded A4_HOST, A4_PEER */

static void setup(void)
{
	tnat_init();
	embed(A4_HOST, H6);
	embed(A4_PEER, P6);
}

/* Translate linear and header-only; both must agree. */
static enum kn_xlat_verdict xl(int to6, const uint8_t *p, size_t len,
			       uint32_t flags, uint8_t *o, size_t *olen,
			       struct kn_xlat_res *res)
{
	enum kn_xlat_verdict v = run_xlat(to6, p, len, len, flags, o, olen,
					  res);
	struct kn_xlat_res r2;
	size_t l2 = 0;

	if (v == KN_XLAT_OK && !(res->flags & KN_XLAT_RF_WHOLE) &&
	    res->in_hdr_len < len) {
		enum kn_xlat_verdict v2 = run_xlat(to6, p, len,
						   res->in_hdr_len, flags,
						   back, &l2, &r2);

		if (v2 == KN_XLAT_OK) {
			KN_CHECK(l2 == *olen);
			KN_CHECK(!memcmp(back, o, l2), "header-only differs");
			KN_CHECK(r2.out_hdr_len == res->out_hdr_len);
		} else {
			KN_CHECK(v2 == KN_XLAT_NEED_LINEAR);
		}
	}
	return v;
}

static size_t tcp4(uint8_t *b, uint8_t ttl, unsigned int frag, size_t plen)
{
	size_t n = mk_tcp(l4, 0x18, NULL, 0, plen);

	return mk4(b, 6, A4_HOST, A4_PEER, ttl, frag, 0x4242, NULL, 0, l4, n,
		   1);
}

static size_t tcp6(uint8_t *b, uint8_t hop, size_t plen)
{
	size_t n = mk_tcp(l4, 0x18, NULL, 0, plen);

	return mk6(b, 6, P6, H6, hop, NULL, 0, 6, l4, n, 1);
}

static void check_v6(const uint8_t *o, size_t olen, uint8_t nh, uint8_t hop,
		     const uint8_t *src, const uint8_t *dst)
{
	KN_CHECK(o[0] == 0x62 && o[1] == 0x80 && o[2] == 0 && o[3] == 0,
		 "version/tc/flow");
	KN_CHECK((size_t)(o[4] << 8 | o[5]) + 40 == olen);
	KN_CHECK(o[6] == nh, "nh %u", o[6]);
	KN_CHECK(o[7] == hop, "hop %u", o[7]);
	KN_CHECK_MEM(o + 8, src, 16);
	KN_CHECK_MEM(o + 24, dst, 16);
}

static void check_v4(const uint8_t *o, size_t olen, uint8_t proto, uint8_t ttl,
		     const uint8_t *src, const uint8_t *dst)
{
	KN_CHECK(o[0] == 0x45 && o[1] == 0x28);
	KN_CHECK((size_t)(o[2] << 8 | o[3]) == olen);
	KN_CHECK(o[8] == ttl, "ttl %u", o[8]);
	KN_CHECK(o[9] == proto);
	KN_CHECK(ref_v4_hdr_ok(o));
	KN_CHECK_MEM(o + 12, src, 4);
	KN_CHECK_MEM(o + 16, dst, 4);
}

static void test_tcp(void)
{
	struct kn_xlat_res res;
	size_t len, olen;

	setup();
	len = tcp4(pkt, 64, 0x4000, 1000);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(olen == len + 20);
	check_v6(out, olen, 6, 63, H6, P6);
	KN_CHECK(ref_v6_l4_ok(out, olen));
	KN_CHECK(res.in_hdr_len == 40 && res.out_hdr_len == 60);
	KN_CHECK(res.l4_off == 40 && res.l4_proto == 6);
	KN_CHECK(!memcmp(out + 60, pkt + 40, 1000));
	KN_CHECK(!(res.flags & KN_XLAT_RF_FRAGMENT));

	len = tcp6(pkt, 64, 1000);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(olen == len - 20);
	check_v4(out, olen, 6, 63, A4_PEER, A4_HOST);
	KN_CHECK(ref_v4_l4_ok(out, olen));
	/* <= 1260: DF clear and the caller's ID */
	KN_CHECK(out[6] == 0 && out[7] == 0 && out[4] == 0x42);
	len = tcp6(pkt, 64, 1300);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(out[6] == 0x40 && out[7] == 0 && out[4] == 0 && out[5] == 0);
	KN_CHECK(ref_v4_l4_ok(out, olen));
}

static void test_udp(void)
{
	struct kn_xlat_res res;
	size_t len, olen, n;

	setup();
	n = mk_udp(l4, 300);
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0, 7, NULL, 0, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	check_v6(out, olen, 17, 8, H6, P6);
	KN_CHECK(ref_v6_l4_ok(out, olen));
	KN_CHECK(res.in_hdr_len == 28 && res.out_hdr_len == 48);

	len = mk6(pkt, 17, P6, H6, 9, NULL, 0, 17, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	check_v4(out, olen, 17, 8, A4_PEER, A4_HOST);
	KN_CHECK(ref_v4_l4_ok(out, olen));

	/* IPv6 UDP checksum 0 is invalid */
	pkt[46] = pkt[47] = 0;
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP);
	KN_CHECK(res.reason == KN_NAT64_R_UDP_ZERO_CSUM);
}

static void test_udp_zero(void)
{
	struct kn_xlat_res res;
	size_t len, olen, n;

	setup();
	n = mk_udp(l4, 333);
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0, 7, NULL, 0, l4, n, 0);
	/* header-only: needs the payload */
	KN_CHECK(run_xlat(1, pkt, len, 28, 0, out, &olen, &res) ==
		 KN_XLAT_NEED_LINEAR);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(ref_v6_l4_ok(out, olen));
	KN_CHECK(out[46] || out[47]);
	tcfg.flags |= KN_NAT64_F_UDP0_DROP;
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_DROP && res.reason == KN_NAT64_R_UDP_ZERO_CSUM);
	tcfg.flags = 0;
	/* a first fragment with checksum 0 cannot be computed */
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 9, 0x2000, 7, NULL, 0, l4, 104,
		  0);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) ==
		 KN_XLAT_DROP && res.reason == KN_NAT64_R_UDP_ZERO_CSUM);
}

static void test_echo(void)
{
	static const uint8_t t46[][2] = { { 8, 128 }, { 0, 129 } };
	struct kn_xlat_res res;
	size_t len, olen, n;

	setup();
	for (int i = 0; i < 2; i++) {
		n = mk_icmp(l4, t46[i][0], 0, 0x12340001, 56);
		len = mk4(pkt, 1, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n,
			  1);
		KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
		check_v6(out, olen, 58, 63, H6, P6);
		KN_CHECK(out[40] == t46[i][1] && out[41] == 0);
		KN_CHECK(!memcmp(out + 44, l4 + 4, n - 4), "id/seq/data");
		KN_CHECK(ref_v6_l4_ok(out, olen));

		n = mk_icmp(l4, t46[i][1], 0, 0x12340001, 56);
		len = mk6(pkt, 58, P6, H6, 64, NULL, 0, 58, l4, n, 1);
		KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
		check_v4(out, olen, 1, 63, A4_PEER, A4_HOST);
		KN_CHECK(out[20] == t46[i][0]);
		KN_CHECK(ref_v4_l4_ok(out, olen));
	}
	/* other informational messages are dropped */
	static const uint8_t drop4[] = { 13, 14, 15, 16, 17, 18, 9, 10, 6, 99 };
	static const uint8_t drop6[] = { 130, 131, 132, 133, 134, 135, 136, 137,
					 200 };
	for (unsigned int i = 0; i < sizeof(drop4); i++) {
		n = mk_icmp(l4, drop4[i], 0, 0, 20);
		len = mk4(pkt, 1, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n,
			  1);
		KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) ==
			 KN_XLAT_DROP && res.reason == KN_NAT64_R_ICMP_TYPE,
			 "type %u", drop4[i]);
	}
	for (unsigned int i = 0; i < sizeof(drop6); i++) {
		n = mk_icmp(l4, drop6[i], 0, 0, 20);
		len = mk6(pkt, 58, P6, H6, 64, NULL, 0, 58, l4, n, 1);
		KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) ==
			 KN_XLAT_DROP && res.reason == KN_NAT64_R_ICMP_TYPE,
			 "type %u", drop6[i]);
	}
}

/* Split a UDP datagram into two IPv4 fragments, translate, reassemble. */
static void test_frag_4to6(void)
{
	struct kn_xlat_res res;
	uint8_t dg[400], v6pl[400];
	size_t n, len, olen, cut = 104;

	setup();
	n = mk_udp(l4, 392);
	/* datagram with a valid checksum, computed on a whole packet */
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 30, 0, 0x9abc, NULL, 0, l4, n, 1);
	memcpy(dg, pkt + 20, n);

	len = mk4(pkt, 17, A4_HOST, A4_PEER, 30, 0x2000, 0x9abc, NULL, 0, dg,
		  cut, 0);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	check_v6(out, olen, 44, 29, H6, P6);
	KN_CHECK(out[40] == 17 && out[41] == 0);
	KN_CHECK(out[42] == 0 && out[43] == 1, "offset 0, M");
	KN_CHECK(out[44] == 0 && out[45] == 0 && out[46] == 0x9a &&
		 out[47] == 0xbc, "id");
	KN_CHECK(res.out_hdr_len == 56 && res.l4_off == 48);
	KN_CHECK(!(res.flags & KN_XLAT_RF_FRAGMENT));
	memcpy(v6pl, out + 48, cut);

	len = mk4(pkt, 17, A4_HOST, A4_PEER, 30, cut / 8, 0x9abc, NULL, 0,
		  dg + cut, n - cut, 0);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	check_v6(out, olen, 44, 29, H6, P6);
	KN_CHECK(kn_get_be16(out + 42) == (cut | 0), "offset, no M");
	KN_CHECK(res.in_hdr_len == 20 && res.out_hdr_len == 48 &&
		 res.l4_off == 0);
	memcpy(v6pl + cut, out + 48, n - cut);
	/* reassembled datagram verifies against the IPv6 pseudo-header */
	KN_CHECK(ref_fold(ref_add(ref_pseudo6(out, 17, n), v6pl, n)) ==
		 0xffff);
	/* fragmented ICMP is not translated */
	n = mk_icmp(l4, 8, 0, 0, 100);
	len = mk4(pkt, 1, A4_HOST, A4_PEER, 30, 0x2000, 1, NULL, 0, l4, 48, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_FRAG);
}

static void test_frag_6to4(void)
{
	struct kn_xlat_res res;
	uint8_t dg[400], v4pl[400], fh[8];
	size_t n, len, olen, cut = 160;

	setup();
	n = mk_tcp(l4, 0x10, NULL, 0, 300);
	len = mk6(pkt, 6, P6, H6, 30, NULL, 0, 6, l4, n, 1);
	memcpy(dg, pkt + 40, n);
	fh[0] = 6;
	fh[1] = 0;
	set16(fh + 2, 0 | 1);
	fh[4] = 0xde; fh[5] = 0xad; fh[6] = 0xbe; fh[7] = 0xef;
	len = mk6(pkt, 44, P6, H6, 30, fh, 8, 6, dg, cut, 0);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	check_v4(out, olen, 6, 29, A4_PEER, A4_HOST);
	KN_CHECK(out[4] == 0xbe && out[5] == 0xef, "id low 16 bits");
	KN_CHECK(kn_get_be16(out + 6) == 0x2000, "MF, DF clear, off 0");
	memcpy(v4pl, out + 20, cut);
	set16(fh + 2, cut);
	len = mk6(pkt, 44, P6, H6, 30, fh, 8, 6, dg + cut, n - cut, 0);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(kn_get_be16(out + 6) == cut / 8);
	KN_CHECK(res.in_hdr_len == 48 && res.out_hdr_len == 20);
	memcpy(v4pl + cut, out + 20, n - cut);
	KN_CHECK(ref_fold(ref_add(ref_pseudo4(out, 6, n), v4pl, n)) == 0xffff);
	/* two fragment headers */
	{
		uint8_t two[16];

		memcpy(two, fh, 8);
		memcpy(two + 8, fh, 8);
		two[0] = 44;
		set16(two + 2, 1);
		set16(two + 10, 1);
		len = mk6(pkt, 44, P6, H6, 30, two, 16, 6, dg, 64, 0);
		KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) ==
			 KN_XLAT_DROP && res.reason == KN_NAT64_R_BAD_HDR);
	}
}

static void test_ttl(void)
{
	struct kn_xlat_res res;
	size_t len, olen, n;

	setup();
	for (int ttl = 0; ttl <= 2; ttl++) {
		len = tcp4(pkt, ttl, 0, 10);
		enum kn_xlat_verdict v = xl(1, pkt, len, 0, out, &olen, &res);

		KN_CHECK(ttl == 2 ? v == KN_XLAT_OK : v == KN_XLAT_ICMP &&
			 res.err.type == 11 && res.err.code == 0 &&
			 res.reason == KN_NAT64_R_HOP_LIMIT, "ttl %d", ttl);
		len = tcp6(pkt, ttl, 10);
		v = xl(0, pkt, len, 0, out, &olen, &res);
		KN_CHECK(ttl == 2 ? v == KN_XLAT_OK : v == KN_XLAT_ICMP &&
			 res.err.type == 3 && res.err.code == 0, "hop %d", ttl);
	}
	/* an expiring ICMP error is dropped, not answered */
	n = mk_icmp(l4, 3, 1, 0, 0);
	memcpy(l4 + n, pkt, 48);
	len = mk4(pkt + 1000, 1, A4_HOST, A4_PEER, 1, 0, 1, NULL, 0, l4, n + 48,
		  1);
	KN_CHECK(xl(1, pkt + 1000, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_HOP_LIMIT);
}

static void test_mtu(void)
{
	struct kn_xlat_res res;
	size_t len, olen;

	setup();
	tcfg.mtu6 = 1280;
	len = tcp4(pkt, 64, 0x4000, 1300 - 40);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP);
	KN_CHECK(res.err.type == 3 && res.err.code == 4 &&
		 res.err.info == 1260 && res.reason == KN_NAT64_R_TOO_BIG);
	len = tcp4(pkt, 64, 0, 1300 - 40);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(res.flags & KN_XLAT_RF_FRAGMENT);
	len = tcp4(pkt, 64, 0x4000, 1260 - 40);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK &&
		 !res.flags);
	tcfg.mtu6 = 0;
	tcfg.mtu4 = 1000;
	len = tcp6(pkt, 64, 1300);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP);
	KN_CHECK(res.err.type == 2 && res.err.code == 0 &&
		 res.err.info == 1280);
	tcfg.mtu4 = 1400;
	len = tcp6(pkt, 64, 1500);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP &&
		 res.err.info == 1420);
	tcfg.mtu4 = 1000;
	len = tcp6(pkt, 64, 1050);	/* 1090 in IPv4: DF clear */
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK &&
		 (res.flags & KN_XLAT_RF_FRAGMENT));
}

static void test_v4_options(void)
{
	static const uint8_t rr[8] = { 1, 7, 7, 4, 0, 0, 0, 0 };
	static const uint8_t lsrr[8] = { 131, 7, 4, 10, 0, 0, 1, 0 };
	static const uint8_t lsrr_done[8] = { 131, 7, 8, 10, 0, 0, 1, 0 };
	static const uint8_t bad[4] = { 7, 9, 4, 0 };
	struct kn_xlat_res res;
	size_t len, olen, n;
	uint8_t ref[2000];
	size_t rlen;

	setup();
	n = mk_tcp(l4, 0x10, NULL, 0, 100);
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, ref, &rlen, &res) == KN_XLAT_OK);
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, rr, 8, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(res.in_hdr_len == 48 && olen == rlen &&
		 !memcmp(out, ref, olen), "options dropped");
	KN_CHECK(ref_v6_l4_ok(out, olen));
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, lsrr, 8, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP &&
		 res.err.type == 3 && res.err.code == 5 &&
		 res.reason == KN_NAT64_R_SRC_ROUTE);
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, lsrr_done, 8, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, bad, 4, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_BAD_HDR);
}

static void test_v6_ext(void)
{
	uint8_t ext[64];
	struct kn_xlat_res res;
	size_t len, olen, n;

	setup();
	n = mk_udp(l4, 50);
	memset(ext, 0, sizeof(ext));
	ext[0] = 60;		/* HBH -> DstOpt */
	ext[1] = 0;
	ext[8] = 43;		/* DstOpt(16) -> Routing */
	ext[9] = 1;
	ext[24] = 17;		/* Routing, segments left 0 */
	ext[25] = 0;
	len = mk6(pkt, 0, P6, H6, 64, ext, 32, 17, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	check_v4(out, olen, 17, 63, A4_PEER, A4_HOST);
	KN_CHECK(ref_v4_l4_ok(out, olen));
	KN_CHECK(res.in_hdr_len == 40 + 32 + 8);
	ext[27] = 2;		/* segments left 2 */
	len = mk6(pkt, 0, P6, H6, 64, ext, 32, 17, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP &&
		 res.err.type == 4 && res.err.code == 0 &&
		 res.err.info == 40 + 24 + 3 &&
		 res.reason == KN_NAT64_R_SEG_LEFT);
	/* HBH not first */
	ext[0] = 0;
	ext[27] = 0;
	len = mk6(pkt, 60, P6, H6, 64, ext, 32, 17, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_BAD_HDR);
	/* header-only with the extension headers cut: needs linear */
	ext[0] = 60;
	len = mk6(pkt, 0, P6, H6, 64, ext, 32, 17, l4, n, 1);
	KN_CHECK(run_xlat(0, pkt, len, 60, 0, out, &olen, &res) ==
		 KN_XLAT_NEED_LINEAR);
	/* ICMPv4 inside IPv6 and ICMPv6 inside IPv4 */
	len = mk6(pkt, 1, P6, H6, 64, NULL, 0, 1, l4, 20, 0);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_PROTO);
	len = mk4(pkt, 58, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, 20, 0);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_PROTO);
	/* another protocol passes with no L4 rewrite */
	len = mk4(pkt, 47, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, 20, 0);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK &&
		 res.in_hdr_len == 20 && res.out_hdr_len == 40 &&
		 !res.l4_off && out[6] == 47);
}

/* CHECKSUM_PARTIAL: the field holds the (uncomplemented) pseudo sum. */
static void finish_partial(uint8_t *l, size_t n, size_t off)
{
	uint16_t c = ~ref_fold(ref_add(0, l, n));

	l[off] = c >> 8;
	l[off + 1] = c;
}

static void test_partial(void)
{
	struct kn_xlat_res res;
	size_t len, olen, n;
	uint16_t ps;

	setup();
	n = mk_tcp(l4, 0x10, NULL, 0, 500);
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n, 0);
	ps = ref_fold(ref_pseudo4(pkt, 6, n));
	set16(pkt + 36, ps);
	KN_CHECK(xl(1, pkt, len, KN_XLAT_IN_CSUM_PARTIAL, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(kn_get_be16(out + 56) == ref_fold(ref_pseudo6(out, 6, n)));
	finish_partial(out + 40, n, 16);
	KN_CHECK(ref_v6_l4_ok(out, olen));

	len = mk6(pkt, 17, P6, H6, 64, NULL, 0, 17, l4, mk_udp(l4, 99), 0);
	set16(pkt + 46, ref_fold(ref_pseudo6(pkt, 17, 107)));
	KN_CHECK(xl(0, pkt, len, KN_XLAT_IN_CSUM_PARTIAL, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(kn_get_be16(out + 26) == ref_fold(ref_pseudo4(out, 17, 107)));
	finish_partial(out + 20, 107, 6);
	KN_CHECK(ref_v4_l4_ok(out, olen));

	/* echo: ICMPv4 has no pseudo-header */
	n = mk_icmp(l4, 128, 0, 0x10002, 30);
	len = mk6(pkt, 58, P6, H6, 64, NULL, 0, 58, l4, n, 0);
	set16(pkt + 42, ref_fold(ref_pseudo6(pkt, 58, n)));
	KN_CHECK(xl(0, pkt, len, KN_XLAT_IN_CSUM_PARTIAL, out, &olen, &res) ==
		 KN_XLAT_OK);
	KN_CHECK(kn_get_be16(out + 22) == 0 && out[20] == 8);
	finish_partial(out + 20, n, 2);
	KN_CHECK(ref_v4_l4_ok(out, olen));
	n = mk_icmp(l4, 8, 0, 0x10002, 30);
	len = mk4(pkt, 1, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n, 0);
	KN_CHECK(xl(1, pkt, len, KN_XLAT_IN_CSUM_PARTIAL, out, &olen, &res) ==
		 KN_XLAT_OK);
	finish_partial(out + 40, n, 2);
	KN_CHECK(ref_v6_l4_ok(out, olen));
}

/* A GSO super-packet: translated once, sizes judged per segment. */
static enum kn_xlat_verdict xl_gso(int to6, const uint8_t *p, size_t len,
				   uint32_t flags, uint32_t gso_size,
				   struct kn_xlat_res *res)
{
	struct kn_xlat_in xi = {
		.data = p, .avail = len, .total_len = len, .flags = flags,
		.gso_size = gso_size, .ipv4_id = 0x4242,
	};

	return to6 ? kn_nat64_xlat_4to6(&tnat, &xi, out, sizeof(out), res) :
		kn_nat64_xlat_6to4(&tnat, &xi, out, sizeof(out), res);
}

static void test_gso(void)
{
	const uint32_t P = KN_XLAT_IN_CSUM_PARTIAL;
	struct kn_xlat_res res;
	size_t len, n;

	setup();
	n = mk_tcp(l4, 0x10, NULL, 0, 20000);
	len = mk6(pkt, 6, P6, H6, 64, NULL, 0, 6, l4, n, 0);
	set16(pkt + 56, ref_fold(ref_pseudo6(pkt, 6, n)));
	tcfg.mtu4 = 1420;
	/* 1388-byte IPv4 segments: DF, ID 0, the whole length in the header */
	KN_CHECK(xl_gso(0, pkt, len, P, 1348, &res) == KN_XLAT_OK && !res.flags);
	KN_CHECK(res.in_hdr_len == 60 && res.out_hdr_len == 40 &&
		 res.l4_off == 20 && res.out_total_len == 20 + n);
	KN_CHECK(kn_get_be16(out + 2) == 20 + n && kn_get_be16(out + 6) == 0x4000 &&
		 kn_get_be16(out + 4) == 0 && ref_v4_hdr_ok(out));
	KN_CHECK(kn_get_be16(out + 36) == ref_fold(ref_pseudo4(out, 6, n)));
	/* 1040-byte segments: DF clear, the caller's ID */
	KN_CHECK(xl_gso(0, pkt, len, P, 1000, &res) == KN_XLAT_OK && !res.flags);
	KN_CHECK(kn_get_be16(out + 6) == 0 && kn_get_be16(out + 4) == 0x4242);
	/* segments over the MTU: Packet Too Big with it; a smaller gso_size
	 * passes although the whole is far larger */
	tcfg.mtu4 = 1300;
	KN_CHECK(xl_gso(0, pkt, len, P, 1348, &res) == KN_XLAT_ICMP &&
		 res.err.type == 2 && res.err.info == 1320 &&
		 res.reason == KN_NAT64_R_TOO_BIG);
	KN_CHECK(xl_gso(0, pkt, len, P, 1260, &res) == KN_XLAT_OK && !res.flags);
	/* only TCP with the pseudo sum in its checksum field */
	KN_CHECK(xl_gso(0, pkt, len, 0, 1260, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_BAD_HDR);
	len = mk6(pkt, 17, P6, H6, 64, NULL, 0, 17, l4, mk_udp(l4, 3000), 0);
	KN_CHECK(xl_gso(0, pkt, len, P, 1000, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_BAD_HDR);

	n = mk_tcp(l4, 0x10, NULL, 0, 20000);
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0x4000, 1, NULL, 0, l4, n, 0);
	set16(pkt + 36, ref_fold(ref_pseudo4(pkt, 6, n)));
	tcfg.mtu6 = 1420;
	/* 1408-byte IPv6 segments fit */
	KN_CHECK(xl_gso(1, pkt, len, P, 1348, &res) == KN_XLAT_OK && !res.flags);
	KN_CHECK(res.in_hdr_len == 40 && res.out_hdr_len == 60 &&
		 res.l4_off == 40 && kn_get_be16(out + 4) == n);
	KN_CHECK(kn_get_be16(out + 56) == ref_fold(ref_pseudo6(out, 6, n)));
	/* 1428 do not: Fragmentation Needed with the IPv4 size */
	KN_CHECK(xl_gso(1, pkt, len, P, 1368, &res) == KN_XLAT_ICMP &&
		 res.err.type == 3 && res.err.code == 4 && res.err.info == 1400);
	/* without DF, segments over 1280 would need IPv6 fragments */
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n, 0);
	set16(pkt + 36, ref_fold(ref_pseudo4(pkt, 6, n)));
	KN_CHECK(xl_gso(1, pkt, len, P, 1348, &res) == KN_XLAT_OK &&
		 (res.flags & KN_XLAT_RF_FRAGMENT));
	KN_CHECK(xl_gso(1, pkt, len, P, 1200, &res) == KN_XLAT_OK && !res.flags);
}

static void test_mss(void)
{
	static const uint8_t opt[12] = { 1, 1, 4, 2, 2, 4, 0x05, 0xb4,
					 3, 3, 7, 0 };
	struct kn_xlat_res res;
	size_t len, olen, n;

	setup();
	tcfg.mss_clamp = 1200;
	for (int to6 = 0; to6 <= 1; to6++) {
		for (int syn = 0; syn <= 1; syn++) {
			size_t l4o = to6 ? 40 : 20;

			n = mk_tcp(l4, syn ? 0x02 : 0x10, opt, 12, 0);
			len = to6 ? mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1,
					NULL, 0, l4, n, 1) :
				mk6(pkt, 6, P6, H6, 64, NULL, 0, 6, l4, n, 1);
			KN_CHECK(xl(to6, pkt, len, 0, out, &olen, &res) ==
				 KN_XLAT_OK);
			KN_CHECK(kn_get_be16(out + l4o + 26) ==
				 (syn ? 1200 : 1460), "to6 %d syn %d", to6,
				 syn);
			KN_CHECK(to6 ? ref_v6_l4_ok(out, olen) :
				 ref_v4_l4_ok(out, olen));
		}
	}
	tcfg.mss_clamp = 1500;
	n = mk_tcp(l4, 0x02, opt, 12, 0);
	len = mk4(pkt, 6, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK &&
		 kn_get_be16(out + 66) == 1460);
}

static void test_roundtrip(void)
{
	struct kn_xlat_res res;
	size_t len, olen, blen, n;
	uint8_t mid[2000];

	setup();
	/* 4->6->4: DF clear, ID given back by the caller as 0x4242 */
	len = tcp4(pkt, 64, 0, 700);
	KN_CHECK(xl(1, pkt, len, 0, mid, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(xl(0, mid, olen, 0, back, &blen, &res) == KN_XLAT_OK);
	KN_CHECK(blen == len && back[8] == 62 && ref_v4_hdr_ok(back));
	KN_CHECK(!memcmp(back, pkt, 8) && !memcmp(back + 9, pkt + 9, 1) &&
		 !memcmp(back + 12, pkt + 12, len - 12), "4-6-4");
	/* fragment: ID, offset and MF survive */
	n = mk_udp(l4, 100);
	len = mk4(pkt, 17, A4_HOST, A4_PEER, 64, 0x2000 | 0, 0x1357, NULL, 0,
		  l4, 48, 1);
	KN_CHECK(xl(1, pkt, len, 0, mid, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(xl(0, mid, olen, 0, back, &blen, &res) == KN_XLAT_OK);
	KN_CHECK(blen == len && !memcmp(back, pkt, 8) &&
		 !memcmp(back + 12, pkt + 12, len - 12), "frag 4-6-4");
	/* 6->4->6 */
	len = tcp6(pkt, 64, 900);
	KN_CHECK(xl(0, pkt, len, 0, mid, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(xl(1, mid, olen, 0, back, &blen, &res) == KN_XLAT_OK);
	KN_CHECK(blen == len && back[7] == 62 && !memcmp(back, pkt, 7) &&
		 !memcmp(back + 8, pkt + 8, len - 8), "6-4-6");
	/* echo 6->4->6 */
	n = mk_icmp(l4, 128, 0, 0xabcd0007, 64);
	len = mk6(pkt, 58, P6, H6, 64, NULL, 0, 58, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, mid, &olen, &res) == KN_XLAT_OK);
	KN_CHECK(xl(1, mid, olen, 0, back, &blen, &res) == KN_XLAT_OK);
	KN_CHECK(blen == len && !memcmp(back + 8, pkt + 8, len - 8),
		 "echo 6-4-6");
}

/* Mapping policy: WKP rule, missing maps, loops. */
static int loop_46(void *ctx, __be32 v4, u8 v6[16], enum kn_nat64_dir w)
{
	(void)ctx; (void)v4; (void)v6; (void)w;
	return -ELOOP;
}

static int loop_64(void *ctx, const u8 v6[16], __be32 *v4,
		   enum kn_nat64_dir w)
{
	(void)ctx; (void)v4; (void)v6; (void)w;
	return -ELOOP;
}

static void test_policy(void)
{
	static const struct kn_nat64_ops lops = { loop_46, loop_64 };
	static const uint8_t priv[4] = { 10, 0, 0, 1 };
	struct kn_xlat_res res;
	uint8_t other[16] = { 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			      0, 0, 9 };
	size_t len, olen, n;

	setup();
	n = mk_tcp(l4, 0x10, NULL, 0, 10);
	len = mk4(pkt, 6, A4_HOST, priv, 64, 0, 1, NULL, 0, l4, n, 1);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	tcfg.flags = KN_NAT64_F_STRICT_WKP;
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP &&
		 res.reason == KN_NAT64_R_NONGLOBAL && res.err.type == 3 &&
		 res.err.code == 13);
	/* the rule is for the WKP only */
	tcfg.prefix[1] = 0x65;
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	setup();
	len = mk6(pkt, 6, P6, other, 64, NULL, 0, 6, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP &&
		 res.reason == KN_NAT64_R_NO_MAP_DST && res.err.type == 1 &&
		 res.err.code == 0);
	len = mk6(pkt, 6, other, H6, 64, NULL, 0, 6, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP &&
		 res.reason == KN_NAT64_R_NO_MAP_SRC && res.err.type == 1 &&
		 res.err.code == 1);
	tnat.ops = &lops;
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_LOOP);
	len = tcp4(pkt, 64, 0, 10);
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_LOOP);
	setup();
	/* bad IPv4 header checksum / length */
	len = tcp4(pkt, 64, 0, 10);
	pkt[10] ^= 1;
	KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) == KN_XLAT_DROP &&
		 res.reason == KN_NAT64_R_BAD_CSUM);
	len = tcp4(pkt, 64, 0, 10);
	KN_CHECK(run_xlat(1, pkt, len - 1, len - 1, 0, out, &olen, &res) ==
		 KN_XLAT_DROP && res.reason == KN_NAT64_R_BAD_HDR);
	/* output buffer too small */
	{
		uint8_t small[50];
		struct kn_xlat_in xi = { .data = pkt, .avail = len,
					 .total_len = len };

		KN_CHECK(kn_nat64_xlat_4to6(&tnat, &xi, small, sizeof(small),
					    &res) == KN_XLAT_DROP &&
			 res.reason == KN_NAT64_R_NO_SPACE);
	}
}

/* A mapping callback that forgets the martian rule (a buggy map/pool). */
static int bcast_64(void *ctx, const uint8_t v6[16], __be32 *v4,
		    enum kn_nat64_dir which)
{
	(void)ctx;
	(void)v6;
	(void)which;
	memset(v4, 0xff, 4);
	return 0;
}

static int pass_46(void *ctx, __be32 v4, uint8_t v6[16],
		   enum kn_nat64_dir which)
{
	(void)ctx;
	(void)which;
	memset(v6, 0, 16);
	memcpy(v6 + 12, &v4, 4);
	v6[0] = 0x20;
	return 0;
}

/*
 * Martian IPv4 addresses are never translated, with any prefix length and
 * whether strict-wkp is on or off: to one, ICMPv6 1/1 and R_MARTIAN; from
 * one (either family) a silent drop.
 */
static void test_martian(void)
{
	static const struct kn_nat64_ops bops = { pass_46, bcast_64 };
	static const uint8_t bad[][4] = {
		{ 255, 255, 255, 255 }, { 127, 0, 0, 1 }, { 224, 0, 0, 1 },
		{ 240, 0, 0, 1 }, { 0, 1, 2, 3 },
	};
	static const uint8_t lens[] = { 32, 40, 48, 56, 64, 96 };
	static const uint8_t nsp[16] = { 0x20, 1, 0xd, 0xb8, 0x11, 0x22,
					 0x33 };
	struct kn_xlat_res res;
	uint8_t d6[16];
	size_t len, olen, n;

	n = mk_tcp(l4, 0x10, NULL, 0, 10);
	for (unsigned int l = 0; l <= ARRAY_SIZE(lens); l++) {
		setup();
		if (l < ARRAY_SIZE(lens)) {
			/* a network-specific prefix of each length */
			memset(tcfg.prefix, 0, 16);
			memcpy(tcfg.prefix, nsp, lens[l] / 8);
			tcfg.prefix_len = lens[l];
			embed(A4_HOST, H6);
			embed(A4_PEER, P6);
		} else {
			tcfg.flags = 0;	/* the WKP without strict-wkp */
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
			embed(bad[i], d6);
			len = mk6(pkt, 6, P6, d6, 64, NULL, 0, 6, l4, n, 1);
			KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) ==
				 KN_XLAT_ICMP && res.reason == KN_NAT64_R_MARTIAN &&
				 res.err.type == 1 && res.err.code == 1,
				 "plen %u dst %u", tcfg.prefix_len, i);
			len = mk6(pkt, 6, d6, H6, 64, NULL, 0, 6, l4, n, 1);
			KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) ==
				 KN_XLAT_DROP && res.reason == KN_NAT64_R_MARTIAN,
				 "plen %u src %u", tcfg.prefix_len, i);
			len = mk4(pkt, 6, bad[i], A4_PEER, 64, 0, 1, NULL, 0,
				  l4, n, 1);
			KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) ==
				 KN_XLAT_DROP && res.reason == KN_NAT64_R_MARTIAN,
				 "plen %u v4 src %u", tcfg.prefix_len, i);
			len = mk4(pkt, 6, A4_HOST, bad[i], 64, 0, 1, NULL, 0,
				  l4, n, 1);
			KN_CHECK(xl(1, pkt, len, 0, out, &olen, &res) ==
				 KN_XLAT_DROP && res.reason == KN_NAT64_R_MARTIAN,
				 "plen %u v4 dst %u", tcfg.prefix_len, i);
		}
		/* the neighbours of the blocks still translate */
		len = mk6(pkt, 6, P6, H6, 64, NULL, 0, 6, l4, n, 1);
		KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_OK);
	}
	/* the core checks what any callback returns */
	setup();
	tnat.ops = &bops;
	len = mk6(pkt, 6, P6, H6, 64, NULL, 0, 6, l4, n, 1);
	KN_CHECK(xl(0, pkt, len, 0, out, &olen, &res) == KN_XLAT_ICMP &&
		 res.reason == KN_NAT64_R_MARTIAN);
}

/* Every prefix of every sample: a clean verdict, never a crash. */
static void sweep(int to6, const uint8_t *p, size_t len)
{
	struct kn_xlat_res res, lres;
	size_t olen, llen;
	uint8_t lin[2000];
	enum kn_xlat_verdict lv = run_xlat(to6, p, len, len, 0, lin, &llen,
					   &lres);

	for (size_t l = 0; l < len; l++) {
		enum kn_xlat_verdict v;

		v = run_xlat(to6, p, len, l, 0, out, &olen, &res);
		KN_CHECK(v <= KN_XLAT_NEED_LINEAR);
		if (v == KN_XLAT_OK) {
			KN_CHECK(lv == KN_XLAT_OK && olen == llen &&
				 !memcmp(out, lin, olen), "prefix %zu", l);
		}
		if (v == KN_XLAT_NEED_LINEAR || v == KN_XLAT_DROP)
			KN_CHECK(v == KN_XLAT_NEED_LINEAR || lv != KN_XLAT_OK ||
				 res.reason != KN_NAT64_R_TRUNCATED);
		v = run_xlat(to6, p, l, l, 0, out, &olen, &res);
		KN_CHECK(v == KN_XLAT_DROP, "truncated to %zu: %d", l, v);
	}
}

static void test_truncation(void)
{
	static uint8_t s[8][1600];
	size_t sl[8], n;
	uint8_t ext[16] = { 44, 0 };
	uint8_t fh[8] = { 17, 0, 0, 1, 0, 0, 0, 9 };

	setup();
	sl[0] = tcp4(s[0], 64, 0, 40);
	n = mk_udp(l4, 30);
	sl[1] = mk4(s[1], 17, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 8, 0, 1, 20);
	sl[2] = mk4(s[2], 1, A4_HOST, A4_PEER, 64, 0, 1, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 3, 3, 0, 0);
	memcpy(l4 + n, s[1], sl[1]);
	sl[3] = mk4(s[3], 1, A4_RTR, A4_PEER, 64, 0, 1, NULL, 0, l4,
		    n + sl[1], 1);
	sl[4] = tcp6(s[4], 64, 40);
	n = mk_udp(l4, 30);
	sl[5] = mk6(s[5], 60, P6, H6, 64, ext, 8, 44, fh, 8, 0);
	memcpy(s[5] + sl[5], l4, n);
	sl[5] += n;
	set16(s[5] + 4, sl[5] - 40);
	n = mk_icmp(l4, 1, 4, 0, 0);
	memcpy(l4 + n, s[4], sl[4]);
	sl[6] = mk6(s[6], 58, H6, P6, 64, NULL, 0, 58, l4, n + sl[4], 1);
	n = mk_icmp(l4, 129, 0, 0, 10);
	sl[7] = mk6(s[7], 58, P6, H6, 64, NULL, 0, 58, l4, n, 1);
	for (int i = 0; i < 8; i++)
		sweep(i < 4, s[i], sl[i]);
}

int main(void)
{
	KN_RUN(test_tcp);
	KN_RUN(test_udp);
	KN_RUN(test_udp_zero);
	KN_RUN(test_echo);
	KN_RUN(test_frag_4to6);
	KN_RUN(test_frag_6to4);
	KN_RUN(test_ttl);
	KN_RUN(test_mtu);
	KN_RUN(test_v4_options);
	KN_RUN(test_v6_ext);
	KN_RUN(test_partial);
	KN_RUN(test_gso);
	KN_RUN(test_mss);
	KN_RUN(test_roundtrip);
	KN_RUN(test_policy);
	KN_RUN(test_martian);
	KN_RUN(test_truncation);
	return kn_test_done();
}
