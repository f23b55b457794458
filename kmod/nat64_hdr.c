// SPDX-License-Identifier: GPL-2.0
/*
 * The building blocks of RFC 7915 header translation that nat64_xlat.c
 * (packets) and nat64_icmp.c (ICMP errors and their quoted packets) both
 * use: address mapping through the translator's ops, IPv4 and IPv6 header
 * parsing and writing, incremental checksum fixes.  Pure C (pure.h); it
 * calls neither of them.
 */
#include "nat64_hdr.h"
#include "nat64_addr.h"
#include "csum.h"

static enum kn_nat64_reason kn_nat64_map_err(int err, enum kn_nat64_dir w)
{
	if (err == -EPERM)
		return KN_NAT64_R_NONGLOBAL;
	if (err == -ELOOP)
		return KN_NAT64_R_LOOP;
	if (err == -EADDRNOTAVAIL)
		return KN_NAT64_R_MARTIAN;
	if (w == KN_NAT64_SRC || w == KN_NAT64_INNER_DST)
		return KN_NAT64_R_NO_MAP_SRC;
	return KN_NAT64_R_NO_MAP_DST;
}

enum kn_nat64_reason kn_nat64_map46(const struct kn_nat64 *nat,
				    const u8 v4[4], u8 v6[16],
				    enum kn_nat64_dir which)
{
	__be32 a;
	int err;

	if (kn_nat64_v4_is_martian(v4))
		return KN_NAT64_R_MARTIAN;
	memcpy(&a, v4, 4);
	err = nat->ops->map_4to6(nat->ctx, a, v6, which);
	if (err)
		return kn_nat64_map_err(err, which);
	/* Whatever the mapping: never a martian IPv6 address. */
	if (kn_nat64_v6_is_martian(v6) ||
	    kn_nat64_v6_u_reserved(nat->cfg->prefix, nat->cfg->prefix_len, v6))
		return KN_NAT64_R_MARTIAN6;
	return KN_NAT64_R_NONE;
}

enum kn_nat64_reason kn_nat64_map64(const struct kn_nat64 *nat,
				    const u8 v6[16], u8 v4[4],
				    enum kn_nat64_dir which)
{
	__be32 a;
	int err;

	/* Before any mapping, so that no pool address is spent on one. */
	if (kn_nat64_v6_is_martian(v6) ||
	    kn_nat64_v6_u_reserved(nat->cfg->prefix, nat->cfg->prefix_len, v6))
		return KN_NAT64_R_MARTIAN6;
	err = nat->ops->map_6to4(nat->ctx, v6, &a, which);
	if (err)
		return kn_nat64_map_err(err, which);
	memcpy(v4, &a, 4);
	/* Whatever the mapping (prefix, static map, pool): never a martian. */
	if (kn_nat64_v4_is_martian(v4))
		return KN_NAT64_R_MARTIAN;
	return KN_NAT64_R_NONE;
}

/* Checks only what we rely on; tot_len may exceed @avail (ICMP quotes). */
enum kn_nat64_reason kn_nat64_v4_parse(const u8 *p, u32 avail,
				       struct kn_v4hdr *h)
{
	if (avail < KN_IP4_HLEN)
		return KN_NAT64_R_TRUNCATED;
	if (p[0] >> 4 != 4 || (p[0] & 0xf) < 5)
		return KN_NAT64_R_BAD_HDR;
	h->p = p;
	h->ihl = (p[0] & 0xf) * 4;
	h->tot_len = kn_get_be16(p + 2);
	h->frag = kn_get_be16(p + 6);
	h->ttl = p[8];
	h->proto = p[9];
	if (h->tot_len < h->ihl)
		return KN_NAT64_R_BAD_HDR;
	if (avail < h->ihl)
		return KN_NAT64_R_TRUNCATED;
	return KN_NAT64_R_NONE;
}

static enum kn_nat64_reason kn_v6_ext(const u8 *p, u32 avail, u32 *off,
				      u8 *nh, struct kn_v6hdr *h)
{
	u32 o = *off;
	u32 len;

	if (*nh == KN_PROTO_FRAG) {
		if (h->frag)
			return KN_NAT64_R_BAD_HDR;
		if (avail < o + KN_FRAG_HLEN)
			return KN_NAT64_R_TRUNCATED;
		h->frag = true;
		h->frag_off = kn_get_be16(p + o + 2) & 0xfff8;
		h->frag_more = p[o + 3] & 1;
		h->frag_id = kn_get_be32(p + o + 4);
		len = KN_FRAG_HLEN;
	} else {
		if (avail < o + 2)
			return KN_NAT64_R_TRUNCATED;
		len = (p[o + 1] + 1) * 8;
		if (avail < o + len)
			return KN_NAT64_R_TRUNCATED;
		if (h->frag)
			h->ext_after_frag = true;
		if (*nh == KN_PROTO_ROUTING && p[o + 3] && !h->segleft_off)
			h->segleft_off = o + 3;
	}
	*nh = p[o];
	*off = o + len;
	return KN_NAT64_R_NONE;
}

/*
 * Walks Hop-by-Hop (first only), Destination Options, Routing and one
 * Fragment header.  After a non-first Fragment header the rest is payload.
 * Each step consumes >= 8 bytes of @avail, so the loop is bounded.
 */
enum kn_nat64_reason kn_nat64_v6_parse(const u8 *p, u32 avail,
				       struct kn_v6hdr *h)
{
	enum kn_nat64_reason r;
	u32 off = KN_IP6_HLEN;
	u8 nh;

	memset(h, 0, sizeof(*h));
	if (avail < KN_IP6_HLEN)
		return KN_NAT64_R_TRUNCATED;
	if (p[0] >> 4 != 6)
		return KN_NAT64_R_BAD_HDR;
	h->p = p;
	h->plen = kn_get_be16(p + 4);
	nh = p[6];
	for (;;) {
		if (nh == KN_PROTO_HOPOPTS && off != KN_IP6_HLEN)
			return KN_NAT64_R_BAD_HDR;
		if (nh != KN_PROTO_HOPOPTS && nh != KN_PROTO_DSTOPTS &&
		    nh != KN_PROTO_ROUTING && nh != KN_PROTO_FRAG)
			break;
		r = kn_v6_ext(p, avail, &off, &nh, h);
		if (r)
			return r;
		if (off > KN_IP6_HLEN + h->plen)
			return KN_NAT64_R_BAD_HDR;
		if (h->frag && h->frag_off)
			break;
	}
	h->hdrs_len = off;
	h->proto = nh;
	return KN_NAT64_R_NONE;
}

void kn_nat64_put_v6(u8 *o, u8 tc, u32 plen, u8 nh, u8 hop,
		     const u8 src[16], const u8 dst[16])
{
	o[0] = 0x60 | tc >> 4;
	o[1] = (u8)(tc << 4);
	o[2] = 0;
	o[3] = 0;
	kn_put_be16(o + 4, (u16)plen);
	o[6] = nh;
	o[7] = hop;
	memcpy(o + 8, src, 16);
	memcpy(o + 24, dst, 16);
}

void kn_nat64_put_v4(u8 *o, u8 tos, u32 tot_len, u16 id, u16 frag,
		     u8 ttl, u8 proto, const u8 src[4], const u8 dst[4])
{
	o[0] = 0x45;
	o[1] = tos;
	kn_put_be16(o + 2, (u16)tot_len);
	kn_put_be16(o + 4, id);
	kn_put_be16(o + 6, frag);
	o[8] = ttl;
	o[9] = proto;
	kn_put_be16(o + 10, 0);
	memcpy(o + 12, src, 4);
	memcpy(o + 16, dst, 4);
	kn_put_be16(o + 10, kn_csum_finish(kn_csum_bytes(o, KN_IP4_HLEN, 0)));
}

/* RFC 1624 fix of the checksum at @field; UDP never ends up as 0. */
void kn_nat64_fix_check(u8 *field, u32 old_sum, u32 new_sum, bool udp)
{
	u16 c = kn_csum_update(kn_get_be16(field), old_sum, new_sum);

	if (udp && !c)
		c = 0xffff;
	kn_put_be16(field, c);
}

u32 kn_nat64_addr_sum(const u8 *src, const u8 *dst, u32 alen)
{
	return kn_csum_bytes(dst, alen, kn_csum_bytes(src, alen, 0));
}
