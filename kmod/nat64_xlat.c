// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 7915 header translation, IPv4 <-> IPv6 (sections 4.1, 4.5, 5.1,
 * 5.5), header-only: see nat64_xlat.h for the calling convention.
 *
 * What it does: IP header rewrite, IPv4 options dropped (an unexpired
 * source route refuses the packet), IPv6 Hop-by-Hop / Destination Options
 * / Routing (Segments Left 0) headers skipped, IPv4 fragment fields <->
 * IPv6 Fragment header, TTL/hop limit decrement with Time Exceeded,
 * Packet Too Big / Fragmentation Needed against cfg->mtu6 / cfg->mtu4,
 * the TCP/UDP/ICMP checksum fixed incrementally from the pseudo-header
 * change (RFC 1624), ICMP echo type mapping, MSS clamping, UDP checksum 0
 * (computed, dropped or forwarded as 0, RFC 6935/6936), IPv4 protocol
 * numbers of IPv6 extension headers refused (they would make a malformed
 * IPv6 packet), and so is an IPv6 extension header after the Fragment
 * header.  ICMP errors go to nat64_icmp.c; the
 * header parsing and building both use is nat64_hdr.c's.
 *
 * What it deliberately does not do: generate fragment IDs (the caller
 * passes in->ipv4_id), fragment (it flags the result instead), translate
 * fragmented ICMP (the ICMPv6 pseudo-header needs the length of the whole
 * datagram, unknown in a fragment; RFC 7915 drops them too), or pass
 * ICMPv6 inside IPv4 / ICMPv4 inside IPv6 (their checksum rules would be
 * wrong on the other side).
 *
 * Checksums of TCP/UDP in fragments: the L4 checksum covers the whole
 * datagram and its pseudo-header, whose length word is the same in both
 * families, so fixing the first fragment's checksum by the address change
 * alone is correct; later fragments carry no L4 header and are left alone.
 */
#include "nat64_hdr.h"
#include "nat64_icmp.h"
#include "nat64_addr.h"
#include "csum.h"

/* ---- default RFC 6052 mapping ---- */

int kn_nat64_rfc6052_4to6(void *ctx, __be32 v4, u8 v6[16],
			  enum kn_nat64_dir which)
{
	const struct kn_nat64_cfg *cfg = ctx;
	u8 a[4];

	(void)which;	/* RFC 6052 is the same for every role */
	memcpy(a, &v4, 4);
	if (kn_nat64_v4_is_martian(a))
		return -EADDRNOTAVAIL;
	if ((cfg->flags & KN_NAT64_F_STRICT_WKP) &&
	    kn_nat64_prefix_is_wkp(cfg->prefix, cfg->prefix_len) &&
	    !kn_nat64_v4_is_global(a))
		return -EPERM;
	return kn_nat64_embed(cfg->prefix, cfg->prefix_len, a, v6);
}

int kn_nat64_rfc6052_6to4(void *ctx, const u8 v6[16], __be32 *v4,
			  enum kn_nat64_dir which)
{
	const struct kn_nat64_cfg *cfg = ctx;
	u8 a[4];
	int err;

	(void)which;
	err = kn_nat64_extract(cfg->prefix, cfg->prefix_len, v6, a);
	if (err)
		return err == -EINVAL ? -ENOENT : err;
	if (kn_nat64_v4_is_martian(a))
		return -EADDRNOTAVAIL;
	if ((cfg->flags & KN_NAT64_F_STRICT_WKP) &&
	    kn_nat64_prefix_is_wkp(cfg->prefix, cfg->prefix_len) &&
	    !kn_nat64_v4_is_global(a))
		return -EPERM;
	memcpy(v4, a, 4);
	return 0;
}

const struct kn_nat64_ops kn_nat64_rfc6052_ops = {
	.map_4to6 = kn_nat64_rfc6052_4to6,
	.map_6to4 = kn_nat64_rfc6052_6to4,
};

/* ---- results ---- */

static enum kn_xlat_verdict kn_drop(struct kn_xlat_res *res,
				    enum kn_nat64_reason reason)
{
	res->verdict = KN_XLAT_DROP;
	res->reason = reason;
	return res->verdict;
}

static enum kn_xlat_verdict kn_icmp(struct kn_xlat_res *res,
				    enum kn_nat64_reason reason,
				    u8 type, u8 code, u32 info)
{
	res->verdict = KN_XLAT_ICMP;
	res->reason = reason;
	res->err.type = type;
	res->err.code = code;
	res->err.info = info;
	return res->verdict;
}

/* Not enough bytes: ask for the whole packet if we did not have it. */
static enum kn_xlat_verdict kn_short(const struct kn_xlat_in *in,
				     struct kn_xlat_res *res)
{
	if (in->avail < in->total_len) {
		res->verdict = KN_XLAT_NEED_LINEAR;
		return res->verdict;
	}
	return kn_drop(res, KN_NAT64_R_TRUNCATED);
}

static enum kn_xlat_verdict kn_bad(const struct kn_xlat_in *in,
				   struct kn_xlat_res *res,
				   enum kn_nat64_reason r)
{
	return r == KN_NAT64_R_TRUNCATED ? kn_short(in, res) : kn_drop(res, r);
}

/* ---- L4 headers ---- */

/*
 * Length of the L4 header we rewrite, or 0 for protocols we pass through.
 * @l4len is the L4 length of the whole datagram (fragment: of this one).
 */
static enum kn_nat64_reason kn_l4_hlen(const u8 *l4, u32 have, u32 l4len,
				       u8 proto, u32 *hlen)
{
	u32 n;

	switch (proto) {
	case KN_PROTO_TCP:
		if (l4len < KN_TCP_HLEN)
			return KN_NAT64_R_BAD_HDR;
		if (have < KN_TCP_HLEN)
			return KN_NAT64_R_TRUNCATED;
		n = (l4[12] >> 4) * 4;
		if (n < KN_TCP_HLEN || n > l4len)
			return KN_NAT64_R_BAD_HDR;
		break;
	case KN_PROTO_UDP:
		n = KN_UDP_HLEN;
		break;
	case KN_PROTO_ICMP:
	case KN_PROTO_ICMPV6:
		n = KN_ICMP_HLEN;
		break;
	default:
		*hlen = 0;
		return KN_NAT64_R_NONE;
	}
	if (l4len < n)
		return KN_NAT64_R_BAD_HDR;
	if (have < n)
		return KN_NAT64_R_TRUNCATED;
	*hlen = n;
	return KN_NAT64_R_NONE;
}

/* Lower an MSS option above the clamp (RFC 879/6691); only on SYN. */
static void kn_mss_clamp(u8 *tcp, u32 hlen, u16 clamp, bool partial)
{
	u32 i = KN_TCP_HLEN;
	u16 mss;

	if (!clamp || !(tcp[13] & 0x02))
		return;
	while (i < hlen) {
		if (tcp[i] == 0)
			return;
		if (tcp[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hlen || tcp[i + 1] < 2 || i + tcp[i + 1] > hlen)
			return;
		if (tcp[i] == 2 && tcp[i + 1] == 4) {
			mss = kn_get_be16(tcp + i + 2);
			if (mss <= clamp)
				return;
			kn_put_be16(tcp + i + 2, clamp);
			if (!partial)
				kn_nat64_fix_check(tcp + 16, mss, clamp, false);
			return;
		}
		i += tcp[i + 1];
	}
}

/*
 * The ICMP echo type switch.  Returns false for anything else
 * informational, which RFC 7915 sections 4.2 and 5.2 drop.
 */
static bool kn_echo_type(u8 type, bool to6, u8 *out)
{
	static const u8 map[2][2] = { { 8, 128 }, { 0, 129 } };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		if (type == map[i][to6 ? 0 : 1]) {
			*out = map[i][to6 ? 1 : 0];
			return true;
		}
	}
	return false;
}

/* Everything the L4 fix-up needs to know about the two headers. */
struct kn_l4ctx {
	const u8 *src4, *dst4;
	const u8 *src6, *dst6;
	u32 l4len;		/* L4 length of the whole datagram */
	bool to6;
	bool partial;
	bool frag;		/* part of a fragmented datagram */
};

static u32 kn_l4_pseudo6(const struct kn_l4ctx *c, u8 proto)
{
	return kn_csum_pseudo6(c->src6, c->dst6, proto, c->l4len);
}

/* Rewrite the ICMP echo header copied to @l4 (type and checksum). */
static enum kn_nat64_reason kn_l4_echo(u8 *l4, const struct kn_l4ctx *c)
{
	u32 old_sum, new_sum;
	u8 type;

	if (!kn_echo_type(l4[0], c->to6, &type))
		return KN_NAT64_R_ICMP_TYPE;
	old_sum = (u32)l4[0] << 8 | l4[1];
	new_sum = (u32)type << 8 | l4[1];
	l4[0] = type;
	if (c->partial) {
		/* The field holds the pseudo sum: ICMPv4 has none. */
		kn_put_be16(l4 + 2, c->to6 ?
			    kn_l4_pseudo6(c, KN_PROTO_ICMPV6) : 0);
		return KN_NAT64_R_NONE;
	}
	if (c->to6)
		new_sum = kn_csum_add32(new_sum,
					kn_l4_pseudo6(c, KN_PROTO_ICMPV6));
	else
		old_sum = kn_csum_add32(old_sum,
					kn_l4_pseudo6(c, KN_PROTO_ICMPV6));
	kn_nat64_fix_check(l4 + 2, old_sum, new_sum, false);
	return KN_NAT64_R_NONE;
}

/* TCP/UDP: the pseudo-header change is the address change alone. */
static void kn_l4_addrs(u8 *field, const struct kn_l4ctx *c, u8 proto)
{
	u32 s4 = kn_nat64_addr_sum(c->src4, c->dst4, 4);
	u32 s6 = kn_nat64_addr_sum(c->src6, c->dst6, 16);

	if (c->partial) {
		kn_put_be16(field, c->to6 ? kn_l4_pseudo6(c, proto) :
			    kn_csum_pseudo4(c->src4, c->dst4, proto,
					    c->l4len));
		return;
	}
	kn_nat64_fix_check(field, c->to6 ? s4 : s6, c->to6 ? s6 : s4,
			   proto == KN_PROTO_UDP);
}

/*
 * UDP over IPv4 with checksum 0 (RFC 7915 section 4.5): compute it over
 * the whole datagram (needs it linear), or drop when configured so or
 * when the datagram is fragmented (a stateless translator cannot).
 */
static enum kn_xlat_verdict kn_udp_zero(const struct kn_nat64 *nat,
					const struct kn_xlat_in *in,
					u32 l4_in, u8 *l4,
					const struct kn_l4ctx *c,
					struct kn_xlat_res *res)
{
	u32 sum;

	if (c->frag || (nat->cfg->flags & KN_NAT64_F_UDP0_DROP))
		return kn_drop(res, KN_NAT64_R_UDP_ZERO_CSUM);
	if (in->avail < in->total_len)
		return kn_short(in, res);
	sum = kn_l4_pseudo6(c, KN_PROTO_UDP);
	sum = kn_csum_bytes(l4, KN_UDP_HLEN, sum);
	sum = kn_csum_bytes(in->data + l4_in + KN_UDP_HLEN,
			    in->total_len - l4_in - KN_UDP_HLEN, sum);
	kn_put_be16(l4 + 6, kn_csum_finish(sum) ? : 0xffff);
	res->flags |= KN_XLAT_RF_CSUM_DONE;
	return KN_XLAT_OK;
}

/* Copy and fix the L4 header of a first fragment / whole datagram. */
static enum kn_xlat_verdict kn_l4_xlat(const struct kn_nat64 *nat,
				       const struct kn_xlat_in *in,
				       u32 l4_in, u32 hlen, u8 proto,
				       u8 *l4, const struct kn_l4ctx *c,
				       struct kn_xlat_res *res)
{
	enum kn_nat64_reason r;

	memcpy(l4, in->data + l4_in, hlen);
	switch (proto) {
	case KN_PROTO_TCP:
		kn_l4_addrs(l4 + 16, c, proto);
		kn_mss_clamp(l4, hlen, nat->cfg->mss_clamp, c->partial);
		break;
	case KN_PROTO_UDP:
		if (!c->partial && !kn_get_be16(l4 + 6)) {
			/* RFC 6935/6936: zero stays zero, both ways. */
			if (nat->cfg->flags & KN_NAT64_F_UDP0_FWD)
				break;
			if (c->to6)
				return kn_udp_zero(nat, in, l4_in, l4, c, res);
			return kn_drop(res, KN_NAT64_R_UDP_ZERO_CSUM);
		}
		kn_l4_addrs(l4 + 6, c, proto);
		break;
	case KN_PROTO_ICMP:
	case KN_PROTO_ICMPV6:
		r = kn_l4_echo(l4, c);
		if (r)
			return kn_drop(res, r);
		break;
	}
	return KN_XLAT_OK;
}

/*
 * The size the MTU and DF rules look at: the whole output, or for a GSO
 * super-packet (see struct kn_xlat_in) one full segment of it.
 */
static u32 kn_seg_len(const struct kn_xlat_in *in, u32 out_hdrs,
		      u32 out_total)
{
	if (!in->gso_size)
		return out_total;
	return min_t(u32, out_hdrs + in->gso_size, out_total);
}

/* A GSO super-packet must be whole TCP with a pseudo-sum checksum field. */
static bool kn_gso_bad(const struct kn_xlat_in *in, u8 proto, bool frag)
{
	return in->gso_size && (proto != KN_PROTO_TCP || frag ||
				!(in->flags & KN_XLAT_IN_CSUM_PARTIAL));
}

/* ---- IPv4 -> IPv6 ---- */

/*
 * IPv4 options are not translated (RFC 7915 section 4.1), but an
 * unexpired LSRR/SSRR means the sender wanted a path we cannot honour.
 */
static enum kn_nat64_reason kn_v4_opts(const u8 *p, u32 ihl)
{
	u32 i = KN_IP4_HLEN;
	u8 len;

	while (i < ihl) {
		if (p[i] == 0)
			break;
		if (p[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= ihl)
			return KN_NAT64_R_BAD_HDR;
		len = p[i + 1];
		if (len < 2 || i + len > ihl)
			return KN_NAT64_R_BAD_HDR;
		if ((p[i] == 131 || p[i] == 137) && len >= 3 &&
		    p[i + 2] <= len)
			return KN_NAT64_R_SRC_ROUTE;
		i += len;
	}
	return KN_NAT64_R_NONE;
}

/* Early checks of 4->6 that may answer with an ICMPv4 error. */
static enum kn_xlat_verdict kn_4to6_checks(const struct kn_v4hdr *h,
					   bool is_err,
					   struct kn_xlat_res *res)
{
	enum kn_nat64_reason r;

	r = kn_v4_opts(h->p, h->ihl);
	if (r == KN_NAT64_R_SRC_ROUTE && !is_err)
		return kn_icmp(res, r, 3, 5, 0);
	if (r)
		return kn_drop(res, r);
	if (h->ttl <= 1)
		return is_err ? kn_drop(res, KN_NAT64_R_HOP_LIMIT) :
			kn_icmp(res, KN_NAT64_R_HOP_LIMIT, 11, 0, 0);
	if (h->proto == KN_PROTO_ICMPV6)
		return kn_drop(res, KN_NAT64_R_PROTO);
	/*
	 * Copied into Next Header, an extension header's number would make
	 * a malformed IPv6 packet: refused, with RFC 7915 section 4.4's
	 * default error.
	 */
	if (kn_proto_is_v6ext(h->proto))
		return kn_icmp(res, KN_NAT64_R_PROTO, 3, 13, 0);
	if (h->proto == KN_PROTO_ICMP && kn_v4_is_frag(h))
		return kn_drop(res, KN_NAT64_R_FRAG);
	return KN_XLAT_OK;
}

static enum kn_xlat_verdict kn_4to6_map(const struct kn_nat64 *nat,
					const struct kn_v4hdr *h,
					u8 *src6, u8 *dst6,
					struct kn_xlat_res *res)
{
	enum kn_nat64_reason r;

	r = kn_nat64_map46(nat, h->p + 16, dst6, KN_NAT64_DST);
	if (r == KN_NAT64_R_NO_MAP_DST)
		return kn_icmp(res, r, 3, 1, 0);
	if (!r)
		r = kn_nat64_map46(nat, h->p + 12, src6, KN_NAT64_SRC);
	/*
	 * A martian IPv4 source or destination is dropped silently: RFC
	 * 7915 section 4.1 (as RFC 1812 section 5.3.7), and RFC 1122 sends
	 * no ICMP error to a source that is not a unicast host.
	 */
	if (r == KN_NAT64_R_LOOP || r == KN_NAT64_R_MARTIAN)
		return kn_drop(res, r);
	if (r)
		return kn_icmp(res, r, 3, 13, 0);
	return KN_XLAT_OK;
}

/* Size checks: Fragmentation Needed, or tell the caller to fragment. */
static enum kn_xlat_verdict kn_4to6_size(const struct kn_nat64 *nat,
					 const struct kn_v4hdr *h,
					 u32 out_total,
					 struct kn_xlat_res *res)
{
	u32 mtu6 = nat->cfg->mtu6;
	u32 offlink = max_t(u32, nat->cfg->offlink_mtu, KN_IP6_MIN_MTU);
	bool df = (h->frag & KN_IP4_DF) && !kn_v4_is_frag(h);

	if (df && mtu6 && out_total > mtu6)
		return kn_icmp(res, KN_NAT64_R_TOO_BIG, 3, 4,
			       min_t(u32, mtu6 - 20, 0xffff));
	if (!df && out_total > offlink)
		res->flags |= KN_XLAT_RF_FRAGMENT;
	return KN_XLAT_OK;
}

static void kn_put_frag6(u8 *o, u8 nh, const struct kn_v4hdr *h)
{
	u16 off = (h->frag & KN_IP4_OFFMASK) << 3;

	o[0] = nh;
	o[1] = 0;
	kn_put_be16(o + 2, off | ((h->frag & KN_IP4_MF) ? 1 : 0));
	kn_put_be32(o + 4, kn_get_be16(h->p + 4));
}

static enum kn_xlat_verdict kn_4to6_body(const struct kn_nat64 *nat,
					 const struct kn_xlat_in *in,
					 const struct kn_v4hdr *h,
					 u8 *out, u32 out_cap,
					 struct kn_xlat_res *res)
{
	struct kn_l4ctx c = { .to6 = true };
	u8 src6[16], dst6[16];
	u32 fh = kn_v4_is_frag(h) ? KN_FRAG_HLEN : 0;
	u32 hlen = 0, off6 = KN_IP6_HLEN + fh;
	u8 nh = h->proto == KN_PROTO_ICMP ? KN_PROTO_ICMPV6 : h->proto;
	enum kn_nat64_reason r;

	if (kn_v4_first(h)) {
		r = kn_l4_hlen(h->p + h->ihl, in->avail - h->ihl,
			       h->tot_len - h->ihl, h->proto, &hlen);
		if (r)
			return kn_bad(in, res, r);
	}
	if (kn_gso_bad(in, h->proto, fh))
		return kn_drop(res, KN_NAT64_R_BAD_HDR);
	if (kn_4to6_map(nat, h, src6, dst6, res))
		return res->verdict;
	res->out_total_len = h->tot_len - h->ihl + off6;
	if (kn_4to6_size(nat, h, kn_seg_len(in, off6 + hlen,
					     res->out_total_len), res))
		return res->verdict;
	if (out_cap < off6 + hlen)
		return kn_drop(res, KN_NAT64_R_NO_SPACE);
	kn_nat64_put_v6(out, h->p[1], res->out_total_len - KN_IP6_HLEN,
			fh ? KN_PROTO_FRAG : nh, h->ttl - 1, src6, dst6);
	if (fh)
		kn_put_frag6(out + KN_IP6_HLEN, nh, h);
	c.src4 = h->p + 12;
	c.dst4 = h->p + 16;
	c.src6 = src6;
	c.dst6 = dst6;
	c.l4len = h->tot_len - h->ihl;
	c.partial = in->flags & KN_XLAT_IN_CSUM_PARTIAL;
	c.frag = fh;
	if (hlen && kn_l4_xlat(nat, in, h->ihl, hlen, h->proto, out + off6,
			       &c, res))
		return res->verdict;
	res->in_hdr_len = h->ihl + hlen;
	res->out_hdr_len = off6 + hlen;
	res->l4_off = hlen ? off6 : 0;
	res->l4_proto = nh;
	res->verdict = KN_XLAT_OK;
	return KN_XLAT_OK;
}

enum kn_xlat_verdict kn_nat64_xlat_4to6(const struct kn_nat64 *nat,
					const struct kn_xlat_in *in,
					u8 *out, u32 out_cap,
					struct kn_xlat_res *res)
{
	struct kn_xlat_in lin = *in;
	struct kn_v4hdr h;
	enum kn_nat64_reason r;
	bool is_err = false;

	memset(res, 0, sizeof(*res));
	lin.avail = min_t(u32, in->avail, in->total_len);
	r = kn_nat64_v4_parse(lin.data, lin.avail, &h);
	if (r)
		return kn_bad(&lin, res, r);
	if (h.tot_len != lin.total_len)
		return kn_drop(res, KN_NAT64_R_BAD_HDR);
	if (!kn_csum_ok(h.p, h.ihl, 0))
		return kn_drop(res, KN_NAT64_R_BAD_CSUM);
	if (h.proto == KN_PROTO_ICMP && kn_v4_first(&h)) {
		if (h.tot_len < h.ihl + KN_ICMP_HLEN)
			return kn_drop(res, KN_NAT64_R_BAD_HDR);
		if (lin.avail < h.ihl + KN_ICMP_HLEN)
			return kn_short(&lin, res);
		is_err = kn_nat64_icmp4_is_err(h.p[h.ihl]);
	}
	if (kn_4to6_checks(&h, is_err, res))
		return res->verdict;
	if (is_err) {
		if (lin.avail < lin.total_len)
			return kn_short(&lin, res);
		return kn_nat64_icmp_err_4to6(nat, &lin, &h, out, out_cap, res);
	}
	return kn_4to6_body(nat, &lin, &h, out, out_cap, res);
}

/* ---- IPv6 -> IPv4 ---- */

static enum kn_xlat_verdict kn_6to4_checks(const struct kn_v6hdr *h,
					   bool is_err,
					   struct kn_xlat_res *res)
{
	/*
	 * An extension header after the Fragment header: the first
	 * fragment would lose it and the later offsets would be wrong, or
	 * its number would become the IPv4 protocol.  Refused with RFC 7915
	 * section 5.4's default error.
	 */
	if (h->ext_after_frag || kn_proto_is_v6ext(h->proto))
		return kn_icmp(res, KN_NAT64_R_PROTO, 1, 1, 0);
	if (h->segleft_off && !is_err)
		return kn_icmp(res, KN_NAT64_R_SEG_LEFT, 4, 0, h->segleft_off);
	if (h->segleft_off)
		return kn_drop(res, KN_NAT64_R_SEG_LEFT);
	if (h->p[7] <= 1)
		return is_err ? kn_drop(res, KN_NAT64_R_HOP_LIMIT) :
			kn_icmp(res, KN_NAT64_R_HOP_LIMIT, 3, 0, 0);
	if (h->proto == KN_PROTO_ICMP)
		return kn_drop(res, KN_NAT64_R_PROTO);
	if (h->proto == KN_PROTO_ICMPV6 && h->frag)
		return kn_drop(res, KN_NAT64_R_FRAG);
	return KN_XLAT_OK;
}

static enum kn_xlat_verdict kn_6to4_map(const struct kn_nat64 *nat,
					const struct kn_v6hdr *h,
					u8 *src4, u8 *dst4,
					struct kn_xlat_res *res)
{
	enum kn_nat64_reason r;

	r = kn_nat64_map64(nat, h->p + 24, dst4, KN_NAT64_DST);
	if (r == KN_NAT64_R_NO_MAP_DST)
		return kn_icmp(res, r, 1, 0, 0);
	if (!r) {
		r = kn_nat64_map64(nat, h->p + 8, src4, KN_NAT64_SRC);
		/*
		 * A source that is prefix::(martian) is dropped silently
		 * (RFC 7915 section 5.1, illegal source): an error to it
		 * would only come back into the translator.  So is a martian
		 * IPv6 source (unspecified, loopback, link-local, multicast,
		 * a non-zero u octet in the prefix).
		 */
		if (r == KN_NAT64_R_MARTIAN || r == KN_NAT64_R_MARTIAN6)
			return kn_drop(res, r);
	}
	if (r == KN_NAT64_R_LOOP)
		return kn_drop(res, r);
	/*
	 * Refused by policy (non-global with the WKP, a martian IPv4
	 * destination, no IPv4 source): Communication Administratively
	 * Prohibited.  The destination is checked first, so a packet to a
	 * martian never allocates a pool address.
	 */
	if (r)
		return kn_icmp(res, r, 1, 1, 0);
	return KN_XLAT_OK;
}

/*
 * Fragment fields (RFC 7915 section 5.1): from the Fragment header when
 * there is one (DF clear); otherwise DF is set above 1260 bytes, so that
 * IPv6 packets up to 1280 stay fragmentable in IPv4, and the caller's ID
 * is used when DF is clear.
 */
static void kn_6to4_frag(const struct kn_v6hdr *h, u32 tot4, u16 caller_id,
			 u16 *id, u16 *frag)
{
	if (h->frag) {
		*id = (u16)h->frag_id;
		*frag = h->frag_off >> 3 | (h->frag_more ? KN_IP4_MF : 0);
	} else if (tot4 > KN_NAT64_DF_THRESH) {
		*id = 0;
		*frag = KN_IP4_DF;
	} else {
		*id = caller_id;
		*frag = 0;
	}
}

static enum kn_xlat_verdict kn_6to4_body(const struct kn_nat64 *nat,
					 const struct kn_xlat_in *in,
					 const struct kn_v6hdr *h,
					 u8 *out, u32 out_cap,
					 struct kn_xlat_res *res)
{
	struct kn_l4ctx c = { .to6 = false };
	u32 l4len = kn_v6_l4_len(h), hlen = 0, mtu4 = nat->cfg->mtu4, seg;
	u8 proto = h->proto == KN_PROTO_ICMPV6 ? KN_PROTO_ICMP : h->proto;
	u8 src4[4], dst4[4];
	enum kn_nat64_reason r;
	u16 id, frag;

	if (!h->frag || !h->frag_off) {
		r = kn_l4_hlen(h->p + h->hdrs_len, in->avail - h->hdrs_len,
			       l4len, h->proto, &hlen);
		if (r)
			return kn_bad(in, res, r);
	}
	if (kn_gso_bad(in, h->proto, h->frag))
		return kn_drop(res, KN_NAT64_R_BAD_HDR);
	if (kn_6to4_map(nat, h, src4, dst4, res))
		return res->verdict;
	res->out_total_len = KN_IP4_HLEN + l4len;
	seg = kn_seg_len(in, KN_IP4_HLEN + hlen, res->out_total_len);
	kn_6to4_frag(h, seg, in->ipv4_id, &id, &frag);
	if (mtu4 && seg > mtu4) {
		if (frag & KN_IP4_DF)
			return kn_icmp(res, KN_NAT64_R_TOO_BIG, 2, 0,
				       max_t(u32, mtu4 + 20, KN_IP6_MIN_MTU));
		res->flags |= KN_XLAT_RF_FRAGMENT;
	}
	if (out_cap < KN_IP4_HLEN + hlen)
		return kn_drop(res, KN_NAT64_R_NO_SPACE);
	kn_nat64_put_v4(out, (u8)(kn_get_be16(h->p) >> 4), res->out_total_len,
			id, frag, h->p[7] - 1, proto, src4, dst4);
	c.src4 = src4;
	c.dst4 = dst4;
	c.src6 = h->p + 8;
	c.dst6 = h->p + 24;
	c.l4len = l4len;
	c.partial = in->flags & KN_XLAT_IN_CSUM_PARTIAL;
	c.frag = h->frag;
	if (hlen && kn_l4_xlat(nat, in, h->hdrs_len, hlen, h->proto,
			       out + KN_IP4_HLEN, &c, res))
		return res->verdict;
	res->in_hdr_len = h->hdrs_len + hlen;
	res->out_hdr_len = KN_IP4_HLEN + hlen;
	res->l4_off = hlen ? KN_IP4_HLEN : 0;
	res->l4_proto = proto;
	res->verdict = KN_XLAT_OK;
	return KN_XLAT_OK;
}

enum kn_xlat_verdict kn_nat64_xlat_6to4(const struct kn_nat64 *nat,
					const struct kn_xlat_in *in,
					u8 *out, u32 out_cap,
					struct kn_xlat_res *res)
{
	struct kn_xlat_in lin = *in;
	struct kn_v6hdr h;
	enum kn_nat64_reason r;
	bool is_err = false;

	memset(res, 0, sizeof(*res));
	lin.avail = min_t(u32, in->avail, in->total_len);
	r = kn_nat64_v6_parse(lin.data, lin.avail, &h);
	if (r)
		return kn_bad(&lin, res, r);
	if (!h.plen || h.plen + KN_IP6_HLEN != lin.total_len)
		return kn_drop(res, KN_NAT64_R_BAD_HDR);
	if (h.proto == KN_PROTO_ICMPV6 && (!h.frag || !h.frag_off)) {
		if (kn_v6_l4_len(&h) < KN_ICMP_HLEN)
			return kn_drop(res, KN_NAT64_R_BAD_HDR);
		if (lin.avail < h.hdrs_len + KN_ICMP_HLEN)
			return kn_short(&lin, res);
		is_err = kn_nat64_icmp6_is_err(h.p[h.hdrs_len]);
	}
	if (kn_6to4_checks(&h, is_err, res))
		return res->verdict;
	if (is_err) {
		if (lin.avail < lin.total_len)
			return kn_short(&lin, res);
		return kn_nat64_icmp_err_6to4(nat, &lin, &h, out, out_cap, res);
	}
	return kn_6to4_body(nat, &lin, &h, out, out_cap, res);
}
