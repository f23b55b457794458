// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the NAT64 core: arbitrary bytes into both
 * translation directions, linear and header-only, with config variants
 * taken from the first two input bytes, plus the ICMP error builders.
 * Checks the invariants of every translated result.
 *
 * Byte 0: bit 0 direction (1: 4->6), bit 1 header-only, bit 2 checksum
 * partial, bit 3 strict WKP, bit 4 UDP zero drop (with bit 5: forward),
 * bit 5 MSS clamp, bit 6 MTUs and an off-link MTU of 1500 set, bit 7 /32
 * prefix instead of the WKP.
 * Byte 1: header-only cut, and bit 7: repair the IPv4 header checksum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "nat64_xlat.h"
#include "nat64_icmp.h"
#include "nat64_addr.h"
#include "csum.h"

#define FZ_ASSERT(c) do { if (!(c)) { fprintf(stderr, "assert %s line %d\n", \
	#c, __LINE__); abort(); } } while (0)

static void fix_v4(uint8_t *p, size_t n)
{
	size_t ihl;

	if (n < 20 || p[0] >> 4 != 4)
		return;
	ihl = (p[0] & 15) * 4;
	if (ihl < 20 || ihl > n)
		return;
	p[10] = p[11] = 0;
	kn_put_be16(p + 10, kn_csum_finish(kn_csum_bytes(p, ihl, 0)));
	/* and an ICMP checksum, so that error translation is reached */
	if (p[9] == 1 && n >= ihl + 8 && kn_get_be16(p + 2) == n) {
		p[ihl + 2] = p[ihl + 3] = 0;
		kn_put_be16(p + ihl + 2, kn_csum_finish(kn_csum_bytes(p + ihl,
							n - ihl, 0)));
	}
}

/* ICMPv6 right after the fixed header: repair its checksum. */
static void fix_v6(uint8_t *p, size_t n)
{
	if (n < 48 || p[0] >> 4 != 6 || p[6] != 58 ||
	    kn_get_be16(p + 4) + 40u != n)
		return;
	p[42] = p[43] = 0;
	kn_put_be16(p + 42, kn_csum_finish(kn_csum_bytes(p + 40, n - 40,
			kn_csum_pseudo6(p + 8, p + 24, 58, n - 40))));
}

static void check(int to6, const struct kn_xlat_res *r, const uint8_t *o,
		  uint32_t cap, uint32_t total)
{
	FZ_ASSERT(r->out_hdr_len <= cap);
	FZ_ASSERT(r->in_hdr_len <= total);
	if (r->flags & KN_XLAT_RF_WHOLE)
		FZ_ASSERT(r->out_total_len == r->out_hdr_len);
	else
		FZ_ASSERT(r->out_total_len ==
			  r->out_hdr_len + total - r->in_hdr_len);
	FZ_ASSERT(r->l4_off < r->out_hdr_len || !r->l4_off);
	if (to6) {
		FZ_ASSERT(r->out_hdr_len >= 40 && o[0] >> 4 == 6);
		/* never a martian, nor an extension header number from IPv4 */
		FZ_ASSERT(!kn_nat64_v6_is_martian(o + 8) &&
			  !kn_nat64_v6_is_martian(o + 24));
		FZ_ASSERT(o[6] != 0 && o[6] != 43 && o[6] != 60 &&
			  (o[6] != 44 || (o[40] != 0 && o[40] != 43 &&
					   o[40] != 44 && o[40] != 60)));
		FZ_ASSERT(kn_get_be16(o + 4) + 40u == r->out_total_len);
		if (r->flags & KN_XLAT_RF_WHOLE)
			FZ_ASSERT(r->out_total_len <= 1280);
	} else {
		FZ_ASSERT(r->out_hdr_len >= 20 && o[0] == 0x45);
		FZ_ASSERT(kn_csum_ok(o, 20, 0));
		FZ_ASSERT(!kn_nat64_v4_is_martian(o + 12) &&
			  !kn_nat64_v4_is_martian(o + 16));
		FZ_ASSERT(o[9] != 0 && o[9] != 43 && o[9] != 44 && o[9] != 60);
		FZ_ASSERT(kn_get_be16(o + 2) == r->out_total_len);
		if (r->flags & KN_XLAT_RF_WHOLE)
			FZ_ASSERT(r->out_total_len <= 576);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[KN_NAT64_OUT_MAX], out2[KN_NAT64_OUT_MAX];
	struct kn_nat64_cfg cfg;
	struct kn_nat64 nat = { &cfg, &kn_nat64_rfc6052_ops, &cfg };
	struct kn_xlat_res r, r2;
	struct kn_xlat_in in;
	struct kn_nat64_icmp_err e = { 3, 1, 0 };
	enum kn_xlat_verdict v, v2;
	uint8_t *pkt;
	size_t n;
	int to6;

	if (size < 2 || size > 70000)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	if (data[0] & 0x80) {
		static const uint8_t p32[16] = { 0x20, 1, 0xd, 0xb8 };

		memcpy(cfg.prefix, p32, 16);
		cfg.prefix_len = 32;
	} else {
		memcpy(cfg.prefix, kn_nat64_wkp, 16);
		cfg.prefix_len = 96;
	}
	cfg.flags = (data[0] & 0x08 ? KN_NAT64_F_STRICT_WKP : 0) |
		    ((data[0] & 0x30) == 0x10 ? KN_NAT64_F_UDP0_DROP : 0) |
		    ((data[0] & 0x30) == 0x30 ? KN_NAT64_F_UDP0_FWD : 0);
	cfg.mss_clamp = data[0] & 0x20 ? 1220 : 0;
	cfg.mtu4 = data[0] & 0x40 ? 1400 : 0;
	cfg.mtu6 = data[0] & 0x40 ? 1280 : 0;
	cfg.offlink_mtu = data[0] & 0x40 ? 1500 : 0;
	cfg.ipv4_addr = htonl(0xc0000001);
	to6 = data[0] & 1;

	n = size - 2;
	pkt = malloc(n ? n : 1);
	memcpy(pkt, data + 2, n);
	if (to6 && (data[1] & 0x80))
		fix_v4(pkt, n);
	if (!to6 && (data[1] & 0x80))
		fix_v6(pkt, n);
	in.data = pkt;
	in.avail = n;
	in.total_len = n;
	in.flags = data[0] & 4 ? KN_XLAT_IN_CSUM_PARTIAL : 0;
	/* sometimes a GSO super-packet (segment sizes 536..1544) */
	in.gso_size = (data[1] & 0x40) ? 536 + (data[1] & 0x3f) * 16 : 0;
	in.ipv4_id = 0x1234;
	v = to6 ? kn_nat64_xlat_4to6(&nat, &in, out, sizeof(out), &r) :
		kn_nat64_xlat_6to4(&nat, &in, out, sizeof(out), &r);
	FZ_ASSERT(v == r.verdict && v != KN_XLAT_NEED_LINEAR);
	if (v == KN_XLAT_OK)
		check(to6, &r, out, sizeof(out), n);
	if (v == KN_XLAT_DROP || v == KN_XLAT_ICMP)
		FZ_ASSERT(r.reason > KN_NAT64_R_NONE &&
			  r.reason < KN_NAT64_R_MAX);

	/* header-only: same answer or a request for the whole packet */
	if (data[0] & 2) {
		uint8_t *cut;

		in.avail = n ? (data[1] & 0x7f) % (n + 1) : 0;
		cut = malloc(in.avail ? in.avail : 1);
		memcpy(cut, pkt, in.avail);
		in.data = cut;
		v2 = to6 ? kn_nat64_xlat_4to6(&nat, &in, out2, sizeof(out2),
					      &r2) :
			kn_nat64_xlat_6to4(&nat, &in, out2, sizeof(out2), &r2);
		if (v2 != KN_XLAT_NEED_LINEAR)
			FZ_ASSERT(v2 == v);
		if (v2 == KN_XLAT_OK) {
			FZ_ASSERT(r2.out_hdr_len == r.out_hdr_len &&
				  r2.in_hdr_len == r.in_hdr_len);
			FZ_ASSERT(!memcmp(out, out2, r.out_hdr_len));
		}
		free(cut);
	}

	if (v == KN_XLAT_ICMP) {
		static uint8_t eb[KN_NAT64_V6_ERR_MAX];
		int len;

		e = r.err;
		len = to6 ? kn_nat64_build_icmp4_err(&cfg, pkt, n, &e, 7, eb,
						     sizeof(eb)) :
			kn_nat64_build_icmp6_err(&cfg, pkt, n, &e, eb,
						 sizeof(eb));
		FZ_ASSERT(len < 0 || (size_t)len <= (to6 ? 576u : 1280u));
		if (len > 0 && to6)
			FZ_ASSERT(kn_csum_ok(eb, 20, 0) &&
				  kn_csum_ok(eb + 20, len - 20, 0));
	}
	free(pkt);
	return 0;
}
