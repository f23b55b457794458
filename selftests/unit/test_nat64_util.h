/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the NAT64 unit tests: an independent reference checksum
 * (deliberately not kmod/csum.c), packet builders and a driver that
 * runs a translation and reassembles the full output packet.
 */
#ifndef _TEST_NAT64_UTIL_H
#define _TEST_NAT64_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include "kn_test.h"
#include "nat64_xlat.h"
#include "nat64_icmp.h"
#include "nat64_addr.h"

/* ---- reference checksum: plain RFC 1071, 64-bit accumulator ---- */
static uint64_t ref_add(uint64_t acc, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		acc += (i & 1) ? b[i] : (uint64_t)b[i] << 8;
	return acc;
}

static uint16_t ref_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static uint64_t ref_pseudo4(const uint8_t *ip, uint8_t proto, uint32_t len)
{
	return ref_add(0, ip + 12, 8) + proto + len;
}

static uint64_t ref_pseudo6(const uint8_t *ip, uint8_t nh, uint32_t len)
{
	return ref_add(0, ip + 8, 32) + nh + len;
}

static int ref_v4_hdr_ok(const uint8_t *p)
{
	return ref_fold(ref_add(0, p, (p[0] & 15) * 4)) == 0xffff;
}

/* Verify the L4 checksum of a complete, unfragmented IPv4 packet. */
static int ref_v4_l4_ok(const uint8_t *p, size_t len)
{
	size_t ihl = (p[0] & 15) * 4;
	uint64_t acc = 0;

	if (p[9] != 1)
		acc = ref_pseudo4(p, p[9], len - ihl);
	return ref_fold(ref_add(acc, p + ihl, len - ihl)) == 0xffff;
}

/* Offset of the upper layer in an IPv6 packet (simple ext header walk). */
static size_t ref_v6_l4(const uint8_t *p, uint8_t *proto)
{
	size_t off = 40;
	uint8_t nh = p[6];

	while (nh == 0 || nh == 43 || nh == 60 || nh == 44) {
		size_t l = nh == 44 ? 8 : (p[off + 1] + 1) * 8u;

		nh = p[off];
		off += l;
	}
	*proto = nh;
	return off;
}

static int ref_v6_l4_ok(const uint8_t *p, size_t len)
{
	uint8_t proto;
	size_t off = ref_v6_l4(p, &proto);

	return ref_fold(ref_add(ref_pseudo6(p, proto, len - off), p + off,
				len - off)) == 0xffff;
}

/* Set the checksum at @ck so that data+pseudo verifies. */
static void ref_set(uint8_t *ck, const uint8_t *data, size_t n, uint64_t ps)
{
	uint16_t c;

	ck[0] = ck[1] = 0;
	c = ~ref_fold(ref_add(ps, data, n));
	ck[0] = c >> 8;
	ck[1] = c;
}

/* ---- builders ---- */
static const uint8_t A4_HOST[4] = { 1, 2, 3, 4 };	/* IPv4 side */
static const uint8_t A4_PEER[4] = { 5, 6, 7, 8 };	/* v6 host's v4 */
static const uint8_t A4_RTR[4] = { 9, 9, 9, 9 };

static void set16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* IPv4 header (+opts) with @l4 payload; L4 checksum set if TCP/UDP/ICMP. */
static size_t mk4(uint8_t *b, uint8_t proto, const uint8_t *src,
		  const uint8_t *dst, uint8_t ttl, unsigned int frag,
		  unsigned int id, const uint8_t *opts, size_t olen,
		  const uint8_t *l4, size_t l4len, int fix_l4)
{
	size_t ihl = 20 + olen, len = ihl + l4len;

	memset(b, 0, 20);
	b[0] = 0x40 | (uint8_t)(ihl / 4);
	b[1] = 0x28;
	set16(b + 2, len);
	set16(b + 4, id);
	set16(b + 6, frag);
	b[8] = ttl;
	b[9] = proto;
	memcpy(b + 12, src, 4);
	memcpy(b + 16, dst, 4);
	if (olen)
		memcpy(b + 20, opts, olen);
	memcpy(b + ihl, l4, l4len);
	if (fix_l4 && proto == 6)
		ref_set(b + ihl + 16, b + ihl, l4len, ref_pseudo4(b, 6, l4len));
	if (fix_l4 && proto == 17)
		ref_set(b + ihl + 6, b + ihl, l4len, ref_pseudo4(b, 17, l4len));
	if (fix_l4 && proto == 1)
		ref_set(b + ihl + 2, b + ihl, l4len, 0);
	ref_set(b + 10, b, ihl, 0);
	return len;
}

/* IPv6 header + @ext (already chained, first nh in @nh) + L4. */
static size_t mk6(uint8_t *b, uint8_t nh, const uint8_t *src,
		  const uint8_t *dst, uint8_t hop, const uint8_t *ext,
		  size_t elen, uint8_t proto, const uint8_t *l4, size_t l4len,
		  int fix_l4)
{
	size_t len = 40 + elen + l4len;
	uint8_t *u = b + 40 + elen;

	memset(b, 0, 40);
	b[0] = 0x62;	/* tc 0x28 */
	b[1] = 0x80;
	set16(b + 4, len - 40);
	b[6] = nh;
	b[7] = hop;
	memcpy(b + 8, src, 16);
	memcpy(b + 24, dst, 16);
	if (elen)
		memcpy(b + 40, ext, elen);
	memcpy(u, l4, l4len);
	if (fix_l4 && proto == 6)
		ref_set(u + 16, u, l4len, ref_pseudo6(b, 6, l4len));
	if (fix_l4 && proto == 17)
		ref_set(u + 6, u, l4len, ref_pseudo6(b, 17, l4len));
	if (fix_l4 && proto == 58)
		ref_set(u + 2, u, l4len, ref_pseudo6(b, 58, l4len));
	return len;
}

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7 + (i >> 3));
}

/* TCP segment: ports, flags, options, payload. */
static size_t mk_tcp(uint8_t *t, uint8_t flags, const uint8_t *opt,
		     size_t olen, size_t plen)
{
	size_t h = 20 + olen;

	memset(t, 0, h);
	set16(t, 40000);
	set16(t + 2, 80);
	t[4] = 0x12;
	t[7] = 0x34;
	t[12] = (uint8_t)((h / 4) << 4);
	t[13] = flags;
	set16(t + 14, 65535);
	if (olen)
		memcpy(t + 20, opt, olen);
	fill(t + h, plen, 3);
	return h + plen;
}

static size_t mk_udp(uint8_t *u, size_t plen)
{
	set16(u, 5353);
	set16(u + 2, 53);
	set16(u + 4, 8 + plen);
	u[6] = u[7] = 0;
	fill(u + 8, plen, 11);
	return 8 + plen;
}

static size_t mk_icmp(uint8_t *m, uint8_t type, uint8_t code, uint32_t info,
		      size_t plen)
{
	m[0] = type;
	m[1] = code;
	m[2] = m[3] = 0;
	m[4] = info >> 24;
	m[5] = info >> 16;
	m[6] = info >> 8;
	m[7] = info;
	fill(m + 8, plen, 5);
	return 8 + plen;
}

/* ---- driver ---- */
static struct kn_nat64_cfg tcfg;
static struct kn_nat64 tnat;

static void tnat_init(void)
{
	memset(&tcfg, 0, sizeof(tcfg));
	memcpy(tcfg.prefix, kn_nat64_wkp, 16);
	tcfg.prefix_len = 96;
	memcpy(&tcfg.ipv4_addr, (const uint8_t[]){ 192, 0, 0, 1 }, 4);
	memcpy(tcfg.ipv6_addr, (const uint8_t[]){ 0x20, 1, 0xd, 0xb8,
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 16);
	tnat.cfg = &tcfg;
	tnat.ops = &kn_nat64_rfc6052_ops;
	tnat.ctx = &tcfg;
}

static void embed(const uint8_t *v4, uint8_t *v6)
{
	kn_nat64_embed(tcfg.prefix, tcfg.prefix_len, v4, v6);
}

/*
 * Translate @pkt (@len bytes; only @avail given) and build the complete
 * output packet into @full.  The input is copied into an exactly sized
 * heap buffer so ASan catches any read past @avail.
 */
static enum kn_xlat_verdict run_xlat(int to6, const uint8_t *pkt, size_t len,
				     size_t avail, uint32_t flags,
				     uint8_t *full, size_t *flen,
				     struct kn_xlat_res *res)
{
	uint8_t *in = malloc(avail ? avail : 1);
	uint8_t out[KN_NAT64_OUT_MAX];
	struct kn_xlat_in xi = {
		.data = in, .avail = avail, .total_len = len,
		.flags = flags, .ipv4_id = 0x4242,
	};
	enum kn_xlat_verdict v;

	memcpy(in, pkt, avail);
	memset(out, 0xee, sizeof(out));
	v = to6 ? kn_nat64_xlat_4to6(&tnat, &xi, out, sizeof(out), res) :
		kn_nat64_xlat_6to4(&tnat, &xi, out, sizeof(out), res);
	free(in);
	if (v != KN_XLAT_OK || !full)
		return v;
	memcpy(full, out, res->out_hdr_len);
	*flen = res->out_hdr_len;
	if (!(res->flags & KN_XLAT_RF_WHOLE)) {
		memcpy(full + *flen, pkt + res->in_hdr_len,
		       len - res->in_hdr_len);
		*flen += len - res->in_hdr_len;
	}
	return v;
}

#endif /* _TEST_NAT64_UTIL_H */
