// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP translation (RFC 7915 sections 4.2-4.4 and 5.2-5.4) and the
 * translator's own ICMP errors.
 *
 * An ICMP error is translated whole: outer header, ICMP header (type,
 * code, MTU or pointer from the tables below) and the quoted packet, whose
 * IP header is translated with the address roles swapped
 * (KN_NAT64_INNER_*), whose TTL is kept, and whose L4 checksum is fixed
 * incrementally when the checksum field is in the quote.  The result is
 * cut to 1280 (IPv6) / 576 (IPv4) bytes and its ICMP checksum computed
 * from scratch; the incoming one is verified first unless the packet is
 * CHECKSUM_PARTIAL (local, trusted).
 *
 * Deliberate limits: RFC 4884 extensions are stripped (the quote is cut to
 * the length attribute, which is then zeroed) rather than translated;
 * errors about ICMP errors, and quotes whose inner packet cannot be parsed
 * or mapped, are dropped; an ICMPv6 error from a source that has no IPv4
 * mapping (or a martian IPv6 one, e.g. link-local) gets cfg->ipv4_addr as
 * source (RFC 6791, as TAYGA does), and is dropped when there is none.
 * The translator's own errors come from cfg->ipv4_addr / cfg->ipv6_addr
 * (RFC 7915 sections 4.4 and 5.4) and are never sent from 0.0.0.0 or ::.
 */
#include "nat64_icmp.h"
#include "nat64_hdr.h"
#include "csum.h"

#define KN_ANY	0xff	/* any code; as output: keep the code */

struct kn_icmp_row {
	u8 type_in, code_in, type_out, code_out;
	enum kn_nat64_icmp_kind kind;
};

/* RFC 7915 section 4.2, errors only (echo is in nat64_xlat.c). */
static const struct kn_icmp_row kn_icmp_4to6[] = {
	{ 3, 0, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 1, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 2, 4, 1, KN_NAT64_IK_PROTO },
	{ 3, 3, 1, 4, KN_NAT64_IK_PLAIN },
	{ 3, 4, 2, 0, KN_NAT64_IK_PTB },
	{ 3, 5, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 6, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 7, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 8, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 9, 1, 1, KN_NAT64_IK_PLAIN },
	{ 3, 10, 1, 1, KN_NAT64_IK_PLAIN },
	{ 3, 11, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 12, 1, 0, KN_NAT64_IK_PLAIN },
	{ 3, 13, 1, 1, KN_NAT64_IK_PLAIN },
	{ 3, 15, 1, 1, KN_NAT64_IK_PLAIN },
	{ 11, KN_ANY, 3, KN_ANY, KN_NAT64_IK_PLAIN },
	{ 12, 0, 4, 0, KN_NAT64_IK_PARAM },
	{ 12, 2, 4, 0, KN_NAT64_IK_PARAM },
};

/* RFC 7915 section 5.2, errors only. */
static const struct kn_icmp_row kn_icmp_6to4[] = {
	{ 1, 0, 3, 1, KN_NAT64_IK_PLAIN },
	{ 1, 1, 3, 10, KN_NAT64_IK_PLAIN },
	{ 1, 2, 3, 1, KN_NAT64_IK_PLAIN },
	{ 1, 3, 3, 1, KN_NAT64_IK_PLAIN },
	{ 1, 4, 3, 3, KN_NAT64_IK_PLAIN },
	{ 2, KN_ANY, 3, 4, KN_NAT64_IK_PTB },
	{ 3, KN_ANY, 11, KN_ANY, KN_NAT64_IK_PLAIN },
	{ 4, 0, 12, 0, KN_NAT64_IK_PARAM },
	{ 4, 1, 3, 2, KN_NAT64_IK_PLAIN },
};

static int kn_icmp_lookup(const struct kn_icmp_row *t, u32 n, u8 type,
			  u8 code, struct kn_nat64_icmp_map *m)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (t[i].type_in != type ||
		    (t[i].code_in != KN_ANY && t[i].code_in != code))
			continue;
		m->type = t[i].type_out;
		m->code = t[i].code_out == KN_ANY ? code : t[i].code_out;
		m->kind = t[i].kind;
		return 0;
	}
	return -ENOENT;
}

int kn_nat64_icmp_map_4to6(u8 type, u8 code, struct kn_nat64_icmp_map *m)
{
	return kn_icmp_lookup(kn_icmp_4to6, ARRAY_SIZE(kn_icmp_4to6),
			      type, code, m);
}

int kn_nat64_icmp_map_6to4(u8 type, u8 code, struct kn_nat64_icmp_map *m)
{
	return kn_icmp_lookup(kn_icmp_6to4, ARRAY_SIZE(kn_icmp_6to4),
			      type, code, m);
}

bool kn_nat64_icmp4_is_err(u8 type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 ||
	       type == 12;
}

bool kn_nat64_icmp6_is_err(u8 type)
{
	return type < 128;
}

#define KN_NOPTR 0xff

/* Parameter Problem pointers by header byte (RFC 7915 4.2 and 5.2). */
static const u8 kn_ptr_4to6[20] = {
	0, 1, 4, 4, KN_NOPTR, KN_NOPTR, KN_NOPTR, KN_NOPTR, 7, 6,
	KN_NOPTR, KN_NOPTR, 8, 8, 8, 8, 24, 24, 24, 24,
};

int kn_nat64_ptr_4to6(u32 ptr4, u32 *ptr6)
{
	if (ptr4 >= ARRAY_SIZE(kn_ptr_4to6) || kn_ptr_4to6[ptr4] == KN_NOPTR)
		return -ENOENT;
	*ptr6 = kn_ptr_4to6[ptr4];
	return 0;
}

int kn_nat64_ptr_6to4(u32 ptr6, u32 *ptr4)
{
	static const u8 small[8] = { 0, 1, KN_NOPTR, KN_NOPTR, 2, 2, 9, 8 };

	if (ptr6 < ARRAY_SIZE(small)) {
		if (small[ptr6] == KN_NOPTR)
			return -ENOENT;
		*ptr4 = small[ptr6];
	} else if (ptr6 < 24) {
		*ptr4 = 12;
	} else if (ptr6 < 40) {
		*ptr4 = 16;
	} else {
		return -ENOENT;
	}
	return 0;
}

/* RFC 1191 section 7: the greatest plateau below the quoted length. */
u32 kn_nat64_mtu_plateau(u32 tot_len)
{
	static const u16 plateaus[] = {
		65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(plateaus); i++)
		if (plateaus[i] < tot_len)
			return plateaus[i];
	return 68;
}

/*
 * RFC 7915 section 4.2: min(advertised + 20, IPv6 next hop MTU, IPv4 next
 * hop MTU + 20), never below the IPv6 minimum MTU.
 */
u32 kn_nat64_mtu_4to6(const struct kn_nat64_cfg *cfg, u32 adv, u32 tot_len)
{
	u32 mtu;

	if (!adv)
		adv = kn_nat64_mtu_plateau(tot_len);
	mtu = adv + 20;
	if (cfg->mtu6)
		mtu = min_t(u32, mtu, cfg->mtu6);
	if (cfg->mtu4)
		mtu = min_t(u32, mtu, cfg->mtu4 + 20);
	return max_t(u32, mtu, KN_IP6_MIN_MTU);
}

/* RFC 7915 section 5.2: min(advertised - 20, IPv4 MTU, IPv6 MTU - 20). */
u32 kn_nat64_mtu_6to4(const struct kn_nat64_cfg *cfg, u32 adv)
{
	u32 mtu = adv > 20 ? adv - 20 : 0;

	if (cfg->mtu4)
		mtu = min_t(u32, mtu, cfg->mtu4);
	if (cfg->mtu6 > 20)
		mtu = min_t(u32, mtu, cfg->mtu6 - 20);
	return min_t(u32, mtu, 0xffff);
}

static enum kn_xlat_verdict kn_err_drop(struct kn_xlat_res *res,
					enum kn_nat64_reason r)
{
	res->verdict = KN_XLAT_DROP;
	res->reason = r;
	return res->verdict;
}

/* ---- inner packets ---- */

/*
 * Fix the quoted L4 header at @l4 (@have bytes of it in the quote).  For
 * TCP/UDP the address change is enough; an inner echo also changes type
 * and gains/loses the pseudo-header.  An inner ICMP error means the outer
 * one was an error about an error: refuse.
 */
static enum kn_nat64_reason kn_inner_l4(u8 *l4, u32 have, u8 proto,
					u32 sum4, u32 sum6, u32 pseudo6,
					bool to6)
{
	u32 old_sum, new_sum;
	u8 type;

	switch (proto) {
	case KN_PROTO_TCP:
		if (have >= 18)
			kn_nat64_fix_check(l4 + 16, to6 ? sum4 : sum6,
					   to6 ? sum6 : sum4, false);
		break;
	case KN_PROTO_UDP:
		if (have >= 8 && kn_get_be16(l4 + 6))
			kn_nat64_fix_check(l4 + 6, to6 ? sum4 : sum6,
					   to6 ? sum6 : sum4, true);
		break;
	case KN_PROTO_ICMP:
	case KN_PROTO_ICMPV6:
		if (!have)
			break;
		if (to6 ? l4[0] == 8 : l4[0] == 128)
			type = to6 ? 128 : 8;
		else if (to6 ? l4[0] == 0 : l4[0] == 129)
			type = to6 ? 129 : 0;
		else
			return KN_NAT64_R_ICMP_INNER;
		if (have < 4) {
			l4[0] = type;
			break;
		}
		old_sum = (u32)l4[0] << 8 | l4[1];
		new_sum = (u32)type << 8 | l4[1];
		if (to6)
			new_sum = kn_csum_add32(new_sum, pseudo6);
		else
			old_sum = kn_csum_add32(old_sum, pseudo6);
		l4[0] = type;
		kn_nat64_fix_check(l4 + 2, old_sum, new_sum, false);
		break;
	}
	return KN_NAT64_R_NONE;
}

/* Translate the quoted IPv4 packet @p (@len bytes) into at most @room. */
static enum kn_nat64_reason kn_inner_4to6(const struct kn_nat64 *nat,
					  const u8 *p, u32 len, u8 *o,
					  u32 room, u32 *olen)
{
	struct kn_v4hdr h;
	enum kn_nat64_reason r;
	u8 src6[16], dst6[16];
	u32 fh, pl, l4len;
	u8 nh;

	r = kn_nat64_v4_parse(p, len, &h);
	if (r)
		return KN_NAT64_R_ICMP_INNER;
	/* Never translated (nat64_xlat.c): not quoted either. */
	if (kn_proto_is_v6ext(h.proto))
		return KN_NAT64_R_PROTO;
	r = kn_nat64_map46(nat, p + 12, src6, KN_NAT64_INNER_SRC);
	if (!r)
		r = kn_nat64_map46(nat, p + 16, dst6, KN_NAT64_INNER_DST);
	if (r)
		return r;
	fh = kn_v4_is_frag(&h) ? KN_FRAG_HLEN : 0;
	if (room < KN_IP6_HLEN + fh)
		return KN_NAT64_R_NO_SPACE;
	l4len = h.tot_len - h.ihl;
	nh = h.proto == KN_PROTO_ICMP ? KN_PROTO_ICMPV6 : h.proto;
	kn_nat64_put_v6(o, p[1], l4len + fh, fh ? KN_PROTO_FRAG : nh, h.ttl,
			src6, dst6);
	if (fh) {
		o[KN_IP6_HLEN] = nh;
		o[KN_IP6_HLEN + 1] = 0;
		kn_put_be16(o + KN_IP6_HLEN + 2,
			    (h.frag & KN_IP4_OFFMASK) << 3 |
			    ((h.frag & KN_IP4_MF) ? 1 : 0));
		kn_put_be32(o + KN_IP6_HLEN + 4, kn_get_be16(p + 4));
	}
	pl = min_t(u32, len - h.ihl, room - KN_IP6_HLEN - fh);
	memcpy(o + KN_IP6_HLEN + fh, p + h.ihl, pl);
	*olen = KN_IP6_HLEN + fh + pl;
	if (!kn_v4_first(&h))
		return KN_NAT64_R_NONE;
	return kn_inner_l4(o + KN_IP6_HLEN + fh, pl, h.proto,
			   kn_nat64_addr_sum(p + 12, p + 16, 4),
			   kn_nat64_addr_sum(src6, dst6, 16),
			   kn_csum_pseudo6(src6, dst6, KN_PROTO_ICMPV6, l4len),
			   true);
}

/* Translate the quoted IPv6 packet @p (@len bytes) into at most @room. */
static enum kn_nat64_reason kn_inner_6to4(const struct kn_nat64 *nat,
					  const u8 *p, u32 len, u8 *o,
					  u32 room, u32 *olen)
{
	struct kn_v6hdr h;
	enum kn_nat64_reason r;
	u8 src4[4], dst4[4];
	u32 pl, tot4;
	u16 id = 0, frag = 0;

	r = kn_nat64_v6_parse(p, len, &h);
	if (r)
		return KN_NAT64_R_ICMP_INNER;
	if (h.ext_after_frag || kn_proto_is_v6ext(h.proto))
		return KN_NAT64_R_PROTO;
	r = kn_nat64_map64(nat, p + 8, src4, KN_NAT64_INNER_SRC);
	if (!r)
		r = kn_nat64_map64(nat, p + 24, dst4, KN_NAT64_INNER_DST);
	if (r)
		return r;
	if (room < KN_IP4_HLEN)
		return KN_NAT64_R_NO_SPACE;
	tot4 = KN_IP4_HLEN + kn_v6_l4_len(&h);
	if (h.frag) {
		id = (u16)h.frag_id;
		frag = h.frag_off >> 3 | (h.frag_more ? KN_IP4_MF : 0);
	} else if (tot4 > KN_NAT64_DF_THRESH) {
		frag = KN_IP4_DF;
	}
	kn_nat64_put_v4(o, (u8)(kn_get_be16(p) >> 4), tot4, id, frag, p[7],
			h.proto == KN_PROTO_ICMPV6 ? KN_PROTO_ICMP : h.proto,
			src4, dst4);
	pl = min_t(u32, len - h.hdrs_len, room - KN_IP4_HLEN);
	memcpy(o + KN_IP4_HLEN, p + h.hdrs_len, pl);
	*olen = KN_IP4_HLEN + pl;
	if (h.frag && h.frag_off)
		return KN_NAT64_R_NONE;
	return kn_inner_l4(o + KN_IP4_HLEN, pl, h.proto,
			   kn_nat64_addr_sum(src4, dst4, 4),
			   kn_nat64_addr_sum(p + 8, p + 24, 16),
			   kn_csum_pseudo6(p + 8, p + 24, KN_PROTO_ICMPV6,
					   kn_v6_l4_len(&h)),
			   false);
}

/* ---- ICMPv4 error -> ICMPv6 error ---- */

/* Bytes 4..7 of the ICMPv6 error; false when the message is dropped. */
static bool kn_err_info_4to6(const struct kn_nat64_cfg *cfg, const u8 *icmp,
			     u32 ilen, const struct kn_nat64_icmp_map *m,
			     u32 *info)
{
	u32 inner_tot = ilen >= 12 ? kn_get_be16(icmp + 10) : 0;

	switch (m->kind) {
	case KN_NAT64_IK_PTB:
		*info = kn_nat64_mtu_4to6(cfg, kn_get_be16(icmp + 6),
					  inner_tot);
		return true;
	case KN_NAT64_IK_PARAM:
		return !kn_nat64_ptr_4to6(icmp[4], info);
	case KN_NAT64_IK_PROTO:
		*info = 6;
		return true;
	default:
		*info = 0;
		return true;
	}
}

/* Length of the quote: the RFC 4884 length attribute cuts extensions. */
static u32 kn_quote_len(u32 qlen, u32 attr_bytes)
{
	return attr_bytes && attr_bytes <= qlen ? attr_bytes : qlen;
}

enum kn_xlat_verdict kn_nat64_icmp_err_4to6(const struct kn_nat64 *nat,
					    const struct kn_xlat_in *in,
					    const struct kn_v4hdr *h,
					    u8 *out, u32 out_cap,
					    struct kn_xlat_res *res)
{
	const u8 *icmp = h->p + h->ihl;
	u32 ilen = h->tot_len - h->ihl, qlen, info, olen = 0, room;
	struct kn_nat64_icmp_map m;
	enum kn_nat64_reason r;
	u8 src6[16], dst6[16];
	u32 sum;

	if (ilen < KN_ICMP_HLEN + KN_IP4_HLEN)
		return kn_err_drop(res, KN_NAT64_R_ICMP_INNER);
	if (!(in->flags & KN_XLAT_IN_CSUM_PARTIAL) && !kn_csum_ok(icmp, ilen, 0))
		return kn_err_drop(res, KN_NAT64_R_BAD_CSUM);
	if (kn_nat64_icmp_map_4to6(icmp[0], icmp[1], &m) ||
	    !kn_err_info_4to6(nat->cfg, icmp, ilen, &m, &info))
		return kn_err_drop(res, KN_NAT64_R_ICMP_TYPE);
	qlen = kn_quote_len(ilen - KN_ICMP_HLEN,
			    icmp[0] == 4 ? 0 : icmp[5] * 4u);
	r = kn_nat64_map46(nat, h->p + 16, dst6, KN_NAT64_DST);
	if (!r)
		r = kn_nat64_map46(nat, h->p + 12, src6, KN_NAT64_SRC);
	if (r)
		return kn_err_drop(res, r);
	room = min_t(u32, out_cap, KN_NAT64_V6_ERR_MAX);
	if (room < KN_IP6_HLEN + KN_ICMP_HLEN)
		return kn_err_drop(res, KN_NAT64_R_NO_SPACE);
	room -= KN_IP6_HLEN + KN_ICMP_HLEN;
	r = kn_inner_4to6(nat, icmp + KN_ICMP_HLEN, qlen,
			  out + KN_IP6_HLEN + KN_ICMP_HLEN, room, &olen);
	if (r)
		return kn_err_drop(res, r);
	olen += KN_ICMP_HLEN;
	kn_nat64_put_v6(out, h->p[1], olen, KN_PROTO_ICMPV6, h->ttl - 1,
			src6, dst6);
	out[KN_IP6_HLEN] = m.type;
	out[KN_IP6_HLEN + 1] = m.code;
	kn_put_be16(out + KN_IP6_HLEN + 2, 0);
	kn_put_be32(out + KN_IP6_HLEN + 4, info);
	sum = kn_csum_pseudo6(src6, dst6, KN_PROTO_ICMPV6, olen);
	sum = kn_csum_bytes(out + KN_IP6_HLEN, olen, sum);
	kn_put_be16(out + KN_IP6_HLEN + 2, kn_csum_finish(sum));
	res->verdict = KN_XLAT_OK;
	res->flags |= KN_XLAT_RF_WHOLE | KN_XLAT_RF_CSUM_DONE;
	res->in_hdr_len = h->tot_len;
	res->out_hdr_len = KN_IP6_HLEN + olen;
	res->out_total_len = res->out_hdr_len;
	res->l4_off = KN_IP6_HLEN;
	res->l4_proto = KN_PROTO_ICMPV6;
	return KN_XLAT_OK;
}

/* ---- ICMPv6 error -> ICMPv4 error ---- */

static bool kn_err_info_6to4(const struct kn_nat64_cfg *cfg, const u8 *icmp,
			     const struct kn_nat64_icmp_map *m, u8 info[4])
{
	u32 v;

	memset(info, 0, 4);
	switch (m->kind) {
	case KN_NAT64_IK_PTB:
		kn_put_be16(info + 2,
			    (u16)kn_nat64_mtu_6to4(cfg, kn_get_be32(icmp + 4)));
		return true;
	case KN_NAT64_IK_PARAM:
		if (kn_nat64_ptr_6to4(kn_get_be32(icmp + 4), &v))
			return false;
		info[0] = (u8)v;
		return true;
	default:
		return true;
	}
}

enum kn_xlat_verdict kn_nat64_icmp_err_6to4(const struct kn_nat64 *nat,
					    const struct kn_xlat_in *in,
					    const struct kn_v6hdr *h,
					    u8 *out, u32 out_cap,
					    struct kn_xlat_res *res)
{
	const u8 *icmp = h->p + h->hdrs_len;
	u32 ilen = kn_v6_l4_len(h), qlen, olen = 0, room;
	struct kn_nat64_icmp_map m;
	enum kn_nat64_reason r;
	u8 src4[4], dst4[4], info[4];

	if (ilen < KN_ICMP_HLEN + KN_IP6_HLEN)
		return kn_err_drop(res, KN_NAT64_R_ICMP_INNER);
	if (!(in->flags & KN_XLAT_IN_CSUM_PARTIAL) &&
	    !kn_csum_ok(icmp, ilen, kn_csum_pseudo6(h->p + 8, h->p + 24,
						    KN_PROTO_ICMPV6, ilen)))
		return kn_err_drop(res, KN_NAT64_R_BAD_CSUM);
	if (kn_nat64_icmp_map_6to4(icmp[0], icmp[1], &m) ||
	    !kn_err_info_6to4(nat->cfg, icmp, &m, info))
		return kn_err_drop(res, KN_NAT64_R_ICMP_TYPE);
	qlen = kn_quote_len(ilen - KN_ICMP_HLEN,
			    icmp[0] == 1 || icmp[0] == 3 ? icmp[4] * 8u : 0);
	r = kn_nat64_map64(nat, h->p + 24, dst4, KN_NAT64_DST);
	if (r)
		return kn_err_drop(res, r);
	/*
	 * RFC 6791: a router with no IPv4 mapping (none at all, or a
	 * link-local source) speaks with our address; without one the
	 * error is dropped.  A source refused by policy (the WKP with a
	 * non-global address, a martian, a loop) is dropped as well.
	 */
	r = kn_nat64_map64(nat, h->p + 8, src4, KN_NAT64_SRC);
	if (r == KN_NAT64_R_NO_MAP_SRC || r == KN_NAT64_R_MARTIAN6) {
		if (!nat->cfg->ipv4_addr)
			return kn_err_drop(res, KN_NAT64_R_NO_MAP_SRC);
		memcpy(src4, &nat->cfg->ipv4_addr, 4);
	} else if (r) {
		return kn_err_drop(res, r);
	}
	room = min_t(u32, out_cap, KN_NAT64_V4_ERR_MAX);
	if (room < KN_IP4_HLEN + KN_ICMP_HLEN)
		return kn_err_drop(res, KN_NAT64_R_NO_SPACE);
	room -= KN_IP4_HLEN + KN_ICMP_HLEN;
	r = kn_inner_6to4(nat, icmp + KN_ICMP_HLEN, qlen,
			  out + KN_IP4_HLEN + KN_ICMP_HLEN, room, &olen);
	if (r)
		return kn_err_drop(res, r);
	olen += KN_ICMP_HLEN;
	kn_nat64_put_v4(out, (u8)(kn_get_be16(h->p) >> 4), KN_IP4_HLEN + olen,
			in->ipv4_id, 0, h->p[7] - 1, KN_PROTO_ICMP, src4, dst4);
	out[KN_IP4_HLEN] = m.type;
	out[KN_IP4_HLEN + 1] = m.code;
	kn_put_be16(out + KN_IP4_HLEN + 2, 0);
	memcpy(out + KN_IP4_HLEN + 4, info, 4);
	kn_put_be16(out + KN_IP4_HLEN + 2,
		    kn_csum_finish(kn_csum_bytes(out + KN_IP4_HLEN, olen, 0)));
	res->verdict = KN_XLAT_OK;
	res->flags |= KN_XLAT_RF_WHOLE | KN_XLAT_RF_CSUM_DONE;
	res->in_hdr_len = in->total_len;
	res->out_hdr_len = KN_IP4_HLEN + olen;
	res->out_total_len = res->out_hdr_len;
	res->l4_off = KN_IP4_HLEN;
	res->l4_proto = KN_PROTO_ICMP;
	return KN_XLAT_OK;
}

/* ---- the translator's own errors ---- */

/*
 * RFC 1812 section 4.3.2.7: no error about an ICMP error, a non-first
 * fragment, or a packet whose source is not one unicast host or whose
 * destination is a broadcast/multicast address.
 */
static bool kn_icmp4_may_answer(const u8 *pkt, u32 len, u32 ihl)
{
	u8 s = pkt[12], d = pkt[16];

	if (kn_get_be16(pkt + 6) & KN_IP4_OFFMASK)
		return false;
	if (pkt[9] == KN_PROTO_ICMP && len > ihl &&
	    kn_nat64_icmp4_is_err(pkt[ihl]))
		return false;
	if (s == 0 || s == 127 || s >= 224)
		return false;
	if (d >= 224 || kn_get_be32(pkt + 16) == 0xffffffff)
		return false;
	return true;
}

/*
 * Build an ICMPv4 error from cfg->ipv4_addr about the IPv4 packet @pkt
 * (@len bytes of it available), quoting as much as fits in 576 bytes.
 * Returns the length written, -EINVAL for a malformed packet, -EPERM when
 * no error may be sent about it, -EADDRNOTAVAIL when the translator has
 * no IPv4 address to send it from, -ENOSPC when @out_cap < 576.
 */
int kn_nat64_build_icmp4_err(const struct kn_nat64_cfg *cfg,
			     const u8 *pkt, u32 len,
			     const struct kn_nat64_icmp_err *err, u16 ip_id,
			     u8 *out, u32 out_cap)
{
	struct kn_v4hdr h;
	u32 tot, sum;
	u8 *icmp = out + KN_IP4_HLEN;

	if (kn_nat64_v4_parse(pkt, len, &h))
		return -EINVAL;
	if (!kn_icmp4_may_answer(pkt, len, h.ihl))
		return -EPERM;
	/* RFC 7915 section 4.4: from our own address, never from 0.0.0.0. */
	if (!cfg->ipv4_addr)
		return -EADDRNOTAVAIL;
	if (out_cap < KN_NAT64_V4_ERR_MAX)
		return -ENOSPC;
	len = min_t(u32, len, h.tot_len);
	tot = min_t(u32, KN_IP4_HLEN + KN_ICMP_HLEN + len,
		    KN_NAT64_V4_ERR_MAX);
	kn_nat64_put_v4(out, 0, tot, ip_id, 0, 64, KN_PROTO_ICMP,
			(const u8 *)&cfg->ipv4_addr, pkt + 12);
	memset(icmp, 0, KN_ICMP_HLEN);
	icmp[0] = err->type;
	icmp[1] = err->code;
	if (err->type == 3 && err->code == 4)
		kn_put_be16(icmp + 6, (u16)err->info);
	else if (err->type == 12)
		icmp[4] = (u8)err->info;
	memcpy(icmp + KN_ICMP_HLEN, pkt, tot - KN_IP4_HLEN - KN_ICMP_HLEN);
	sum = kn_csum_bytes(icmp, tot - KN_IP4_HLEN, 0);
	kn_put_be16(icmp + 2, kn_csum_finish(sum));
	return tot;
}

/* RFC 4443 section 2.4 (e). */
static bool kn_icmp6_may_answer(const u8 *pkt, u32 len,
				const struct kn_nat64_icmp_err *err)
{
	static const u8 zero[16];
	struct kn_v6hdr h;

	if (pkt[8] == 0xff || !memcmp(pkt + 8, zero, 16))
		return false;
	if (pkt[24] == 0xff && err->type != 2 &&
	    !(err->type == 4 && err->code == 2))
		return false;
	if (!kn_nat64_v6_parse(pkt, len, &h) && h.proto == KN_PROTO_ICMPV6 &&
	    !(h.frag && h.frag_off) && len > h.hdrs_len &&
	    kn_nat64_icmp6_is_err(pkt[h.hdrs_len]))
		return false;
	return true;
}

/*
 * Build an ICMPv6 error from cfg->ipv6_addr about the IPv6 packet @pkt,
 * quoting as much as fits in 1280 bytes.  Returns as the IPv4 builder
 * (-EADDRNOTAVAIL: cfg->ipv6_addr is ::); @out_cap must be at least 1280.
 */
int kn_nat64_build_icmp6_err(const struct kn_nat64_cfg *cfg,
			     const u8 *pkt, u32 len,
			     const struct kn_nat64_icmp_err *err,
			     u8 *out, u32 out_cap)
{
	static const u8 zero[16];
	u8 *icmp = out + KN_IP6_HLEN;
	u32 tot, sum;

	if (len < KN_IP6_HLEN || pkt[0] >> 4 != 6)
		return -EINVAL;
	if (!kn_icmp6_may_answer(pkt, len, err))
		return -EPERM;
	/* RFC 7915 section 5.4: from our own address, never from ::. */
	if (!memcmp(cfg->ipv6_addr, zero, 16))
		return -EADDRNOTAVAIL;
	if (out_cap < KN_NAT64_V6_ERR_MAX)
		return -ENOSPC;
	len = min_t(u32, len, KN_IP6_HLEN + kn_get_be16(pkt + 4));
	tot = min_t(u32, KN_IP6_HLEN + KN_ICMP_HLEN + len,
		    KN_NAT64_V6_ERR_MAX);
	kn_nat64_put_v6(out, 0, tot - KN_IP6_HLEN, KN_PROTO_ICMPV6, 64,
			cfg->ipv6_addr, pkt + 8);
	memset(icmp, 0, KN_ICMP_HLEN);
	icmp[0] = err->type;
	icmp[1] = err->code;
	if (err->type == 2 || err->type == 4)
		kn_put_be32(icmp + 4, err->info);
	memcpy(icmp + KN_ICMP_HLEN, pkt, tot - KN_IP6_HLEN - KN_ICMP_HLEN);
	sum = kn_csum_pseudo6(cfg->ipv6_addr, pkt + 8, KN_PROTO_ICMPV6,
			      tot - KN_IP6_HLEN);
	sum = kn_csum_bytes(icmp, tot - KN_IP6_HLEN, sum);
	kn_put_be16(icmp + 2, kn_csum_finish(sum));
	return tot;
}
