// kn-sources: nat64_eam.c nat64_xlat.c nat64_icmp.c nat64_hdr.c nat64_addr.c csum.c
// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 7757 maps in the translator: the pure core driven by address
 * callbacks that look in an EAM table first and use RFC 6052 only on a
 * miss (the order of kn_nat64_map46()/kn_nat64_map64() in kmod/nat64.c,
 * without the pool), on real packets: prefix maps with the suffix
 * copied, the EAM before the prefix (section 3.2), and the inner packets
 * of ICMP errors translated with the same maps both ways.  And CLAT
 * (464XLAT): with the packet's source statically mapped, an unmapped
 * destination or quoted source goes through the prefix (ctx->clat in
 * kn_nat64_map46()), so replies come back through the same maps.
 */
#include "test_nat64_util.h"
#include "nat64_eam.h"

/* The SIIT-DC example shape: a /24 of servers and a /32. */
static struct kn_eam ents[3];
static struct kn_eam_ix ix[3];
static struct kn_eam_table eamt;
static uint8_t pkt[2048], inner[1500], l4[1500], out[2048];

static const uint8_t SRV4[4] = { 192, 0, 2, 8 };	/* in 192.0.2.0/24 */
static const uint8_t SRV6[16] = { 0x20, 1, 0xd, 0xb8, 0, 6, 0, 0, 0, 0, 0,
				  0, 0, 0, 0, 8 };	/* in 2001:db8:6::/120 */
static const uint8_t ONE4[4] = { 203, 0, 113, 77 };
static const uint8_t ONE6[16] = { 0x20, 1, 0xd, 0xb8, 0, 7, 0, 0, 0, 0, 0,
				  0, 0, 0, 0x12, 0x34 };
static const uint8_t CLI4[4] = { 198, 51, 100, 1 };	/* plain IPv4 host */
static const uint8_t RTR4[4] = { 198, 51, 100, 254 };
/* 64:ff9b::c633:6405 is 198.51.100.5 by RFC 6052, but an EAM holds it. */
static const uint8_t INPFX6[16] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0,
				    0, 0xc6, 0x33, 0x64, 0x05 };
static const uint8_t INPFX4[4] = { 100, 64, 0, 5 };

static void mkent(struct kn_eam *e, const uint8_t *v4, unsigned int len4,
		  const uint8_t *v6, u32 id)
{
	memset(e, 0, sizeof(*e));
	e->v4 = kn_get_be32(v4) & (len4 ? ~0u << (32 - len4) : 0);
	e->len4 = len4;
	memcpy(e->v6, v6, 16);
	kn_put_be32(e->v6 + 12, kn_get_be32(v6 + 12) &
		    (len4 ? ~0u << (32 - len4) : 0));
	e->id = id;
}

/* The packet's source is statically mapped and CLAT is on (ctx->clat). */
static bool clat;

static int eam_46(void *ctx, __be32 v4, u8 v6[16], enum kn_nat64_dir w)
{
	const struct kn_nat64_cfg *cfg = ctx;

	if (kn_eam_4to6(&eamt, v4, v6))
		return 0;
	/*
	 * As the kernel: a destination (or a quoted source) must be mapped,
	 * unless CLAT; the translator's own address stays refused.
	 */
	if ((w == KN_NAT64_DST || w == KN_NAT64_INNER_SRC) &&
	    (!clat || v4 == cfg->ipv4_addr))
		return -ENOENT;
	return kn_nat64_rfc6052_4to6(ctx, v4, v6, w);
}

static int eam_64(void *ctx, const u8 v6[16], __be32 *v4, enum kn_nat64_dir w)
{
	if (kn_eam_6to4(&eamt, v6, v4))
		return 0;
	return kn_nat64_rfc6052_6to4(ctx, v6, v4, w);
}

static const struct kn_nat64_ops eam_ops = { eam_46, eam_64 };

static void setup(void)
{
	struct kn_eam_conflict why;

	tnat_init();
	tnat.ops = &eam_ops;
	clat = false;
	mkent(&ents[0], SRV4, 24, SRV6, 0);
	mkent(&ents[1], ONE4, 32, ONE6, 1);
	mkent(&ents[2], INPFX4, 32, INPFX6, 2);
	KN_CHECK(kn_eam_build(&eamt, ents, ix, 3, false, &why) == 0, "err %d", why.err);
}

/* 6 -> 4 and back, UDP: the server's suffix is copied through the /24. */
static void test_udp(void)
{
	struct kn_xlat_res res;
	uint8_t cli6[16], want4[4] = { 192, 0, 2, 0x2a };
	uint8_t srv6b[16];
	size_t n, len, olen;

	setup();
	embed(CLI4, cli6);
	memcpy(srv6b, SRV6, 16);
	srv6b[15] = 0x2a;
	n = mk_udp(l4, 30);
	len = mk6(pkt, 17, srv6b, cli6, 64, NULL, 0, 17, l4, n, 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 12, want4, 4);
	KN_CHECK_MEM(out + 16, CLI4, 4);
	KN_CHECK(ref_v4_hdr_ok(out) && ref_v4_l4_ok(out, olen));

	n = mk_udp(l4, 30);
	len = mk4(pkt, 17, CLI4, want4, 64, 0, 7, NULL, 0, l4, n, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 8, cli6, 16);
	KN_CHECK_MEM(out + 24, srv6b, 16);
	KN_CHECK(ref_v6_l4_ok(out, olen));

	/* The single-address map, both ways. */
	len = mk6(pkt, 17, ONE6, cli6, 64, NULL, 0, 17, l4, mk_udp(l4, 4), 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 12, ONE4, 4);
	len = mk4(pkt, 17, CLI4, ONE4, 64, 0, 7, NULL, 0, l4, mk_udp(l4, 4), 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 24, ONE6, 16);

	/* Outside every map: an IPv4 destination is not translatable. */
	len = mk4(pkt, 17, CLI4, (const uint8_t[]){ 192, 0, 3, 1 }, 64, 0, 7,
		  NULL, 0, l4, mk_udp(l4, 4), 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) != KN_XLAT_OK);
}

/* RFC 7757 section 3.2: the EAM is tried before the RFC 6052 prefix. */
static void test_eam_first(void)
{
	struct kn_xlat_res res;
	uint8_t cli6[16];
	size_t len, olen;

	setup();
	embed(CLI4, cli6);
	len = mk6(pkt, 17, cli6, INPFX6, 64, NULL, 0, 17, l4, mk_udp(l4, 8), 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 16, INPFX4, 4);
	len = mk4(pkt, 17, CLI4, INPFX4, 64, 0, 1, NULL, 0, l4, mk_udp(l4, 8), 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 24, INPFX6, 16);
}

/* ICMP errors: the quoted packet goes through the same maps. */
static void test_icmp_inner(void)
{
	struct kn_xlat_res res;
	uint8_t cli6[16], rtr6[16];
	size_t n, il, len, olen;

	setup();
	embed(CLI4, cli6);
	embed(RTR4, rtr6);
	/* An IPv4 router answers the server's packet to the client. */
	n = mk_udp(l4, 20);
	il = mk4(inner, 17, SRV4, CLI4, 17, 0, 1, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 3, 3, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk4(pkt, 1, RTR4, SRV4, 50, 0, 3, NULL, 0, l4, n + il, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 8, rtr6, 16);
	KN_CHECK_MEM(out + 24, SRV6, 16);
	KN_CHECK(out[40] == 1 && out[41] == 4);	/* port unreachable */
	KN_CHECK_MEM(out + 48 + 8, SRV6, 16);	/* inner source: the EAM */
	KN_CHECK_MEM(out + 48 + 24, cli6, 16);	/* inner destination: RFC 6052 */
	KN_CHECK(ref_v6_l4_ok(out, olen) && ref_v6_l4_ok(out + 48, olen - 48));

	/* The server answers the client's packet with an ICMPv6 error. */
	n = mk_udp(l4, 20);
	il = mk6(inner, 17, cli6, SRV6, 17, NULL, 0, 17, l4, n, 1);
	n = mk_icmp(l4, 1, 4, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk6(pkt, 58, SRV6, cli6, 50, NULL, 0, 58, l4, n + il, 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 12, SRV4, 4);
	KN_CHECK_MEM(out + 16, CLI4, 4);
	KN_CHECK_MEM(out + 28 + 12, CLI4, 4);	/* inner source */
	KN_CHECK_MEM(out + 28 + 16, SRV4, 4);	/* inner destination: the EAM */
	KN_CHECK(ref_v4_l4_ok(out, olen) && ref_v4_l4_ok(out + 28, olen - 28));
}

/*
 * CLAT (RFC 6877): the host's IPv4 address mapped to its CLAT IPv6
 * address, any IPv4 server reached at the prefix; both ways, TCP, and
 * ICMP errors either side sends.
 */
static const uint8_t HOST4[4] = { 192, 0, 0, 2 };
static const uint8_t CLAT6[16] = { 0x20, 1, 0xd, 0xb8, 0xc1, 0xa7, 0, 0, 0, 0,
				   0, 0, 0, 0, 0, 0x64 };

static void setup_clat(void)
{
	struct kn_eam_conflict why;

	tnat_init();
	tnat.ops = &eam_ops;
	mkent(&ents[0], HOST4, 32, CLAT6, 0);
	KN_CHECK(kn_eam_build(&eamt, ents, ix, 1, false, &why) == 0, "err %d", why.err);
	clat = true;
}

static void test_clat(void)
{
	static const uint8_t srv4[4] = { 198, 51, 100, 2 };
	struct kn_xlat_res res;
	uint8_t srv6[16], rtr6[16];
	size_t n, il, len, olen;

	setup_clat();
	embed(srv4, srv6);
	embed(RTR4, rtr6);
	/* Off: an unmapped destination is refused, as before. */
	clat = false;
	len = mk4(pkt, 17, HOST4, srv4, 64, 0, 7, NULL, 0, l4, mk_udp(l4, 40), 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) != KN_XLAT_OK);
	clat = true;
	/* The host's UDP out: EAM source, prefix destination. */
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 8, CLAT6, 16);
	KN_CHECK_MEM(out + 24, srv6, 16);
	KN_CHECK(ref_v6_l4_ok(out, olen));
	/* And TCP. */
	n = mk_tcp(l4, 0x18, NULL, 0, 100);
	len = mk4(pkt, 6, HOST4, srv4, 64, 0x4000, 8, NULL, 0, l4, n, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 8, CLAT6, 16);
	KN_CHECK_MEM(out + 24, srv6, 16);
	KN_CHECK(ref_v6_l4_ok(out, olen));
	/* The reply, 6 -> 4 (no CLAT decision that way): prefix source, EAM. */
	clat = false;
	len = mk6(pkt, 17, srv6, CLAT6, 60, NULL, 0, 17, l4, mk_udp(l4, 40), 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 12, srv4, 4);
	KN_CHECK_MEM(out + 16, HOST4, 4);
	KN_CHECK(ref_v4_hdr_ok(out) && ref_v4_l4_ok(out, olen));
	/* An ICMPv6 error of a router on the IPv4 side, via the PLAT. */
	n = mk_udp(l4, 20);
	il = mk6(inner, 17, CLAT6, srv6, 3, NULL, 0, 17, l4, n, 1);
	n = mk_icmp(l4, 1, 4, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk6(pkt, 58, rtr6, CLAT6, 50, NULL, 0, 58, l4, n + il, 1);
	KN_CHECK(run_xlat(0, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 12, RTR4, 4);
	KN_CHECK_MEM(out + 16, HOST4, 4);
	KN_CHECK(out[20] == 3 && out[21] == 3);	/* port unreachable */
	KN_CHECK_MEM(out + 28 + 12, HOST4, 4);	/* inner source: the EAM */
	KN_CHECK_MEM(out + 28 + 16, srv4, 4);	/* inner destination: RFC 6052 */
	KN_CHECK(ref_v4_l4_ok(out, olen) && ref_v4_l4_ok(out + 28, olen - 28));
	/* The host answers the server with an ICMPv4 error (its source mapped). */
	clat = true;
	n = mk_udp(l4, 20);
	il = mk4(inner, 17, srv4, HOST4, 17, 0, 1, NULL, 0, l4, n, 1);
	n = mk_icmp(l4, 3, 3, 0, 0);
	memcpy(l4 + n, inner, il);
	len = mk4(pkt, 1, HOST4, srv4, 64, 0, 3, NULL, 0, l4, n + il, 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) == KN_XLAT_OK);
	KN_CHECK_MEM(out + 8, CLAT6, 16);
	KN_CHECK_MEM(out + 24, srv6, 16);
	KN_CHECK_MEM(out + 48 + 8, srv6, 16);	/* inner source: the prefix */
	KN_CHECK_MEM(out + 48 + 24, CLAT6, 16);
	KN_CHECK(ref_v6_l4_ok(out, olen) && ref_v6_l4_ok(out + 48, olen - 48));
	/* The prefix's restrictions apply: strict WKP, a private server. */
	tcfg.flags = KN_NAT64_F_STRICT_WKP;
	len = mk4(pkt, 17, HOST4, (const uint8_t[]){ 10, 1, 1, 1 }, 64, 0, 7,
		  NULL, 0, l4, mk_udp(l4, 4), 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) != KN_XLAT_OK);
	KN_CHECK(res.reason == KN_NAT64_R_NONGLOBAL, "reason %d", res.reason);
	tcfg.flags = 0;
	/* The translator's own address is never a host behind the PLAT. */
	len = mk4(pkt, 17, HOST4, (const uint8_t *)&tcfg.ipv4_addr, 64, 0, 7,
		  NULL, 0, l4, mk_udp(l4, 4), 1);
	KN_CHECK(run_xlat(1, pkt, len, len, 0, out, &olen, &res) != KN_XLAT_OK);
}

int main(void)
{
	KN_RUN(test_udp);
	KN_RUN(test_eam_first);
	KN_RUN(test_icmp_inner);
	KN_RUN(test_clat);
	return kn_test_done();
}
