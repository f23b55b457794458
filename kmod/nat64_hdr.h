/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsed header views and the building blocks of header translation
 * (nat64_hdr.c), shared by nat64_xlat.c and nat64_icmp.c.  Pure (pure.h).
 */
#ifndef _KN_NAT64_HDR_H
#define _KN_NAT64_HDR_H

#include "nat64_xlat.h"

#define KN_IP4_HLEN		20
#define KN_IP6_HLEN		40
#define KN_FRAG_HLEN		8
#define KN_ICMP_HLEN		8
#define KN_TCP_HLEN		20
#define KN_UDP_HLEN		8

#define KN_IP4_DF		0x4000
#define KN_IP4_MF		0x2000
#define KN_IP4_OFFMASK		0x1fff

#define KN_PROTO_HOPOPTS	0
#define KN_PROTO_ICMP		1
#define KN_PROTO_TCP		6
#define KN_PROTO_UDP		17
#define KN_PROTO_ROUTING	43
#define KN_PROTO_FRAG		44
#define KN_PROTO_ICMPV6		58
#define KN_PROTO_DSTOPTS	60

/* Above this IPv4 size a 6->4 packet gets DF=1 (RFC 7915 section 5.1). */
#define KN_NAT64_DF_THRESH	1260
#define KN_IP6_MIN_MTU		1280

/* A parsed IPv4 header; p points at it, tot_len may exceed what we have. */
struct kn_v4hdr {
	const u8 *p;
	u32 ihl;
	u32 tot_len;
	u16 frag;		/* flags and offset, host order */
	u8 proto;
	u8 ttl;
};

/* A parsed IPv6 header chain up to the upper-layer header. */
struct kn_v6hdr {
	const u8 *p;
	u32 hdrs_len;		/* 40 + all extension headers we skip */
	u32 plen;		/* payload length field */
	u32 segleft_off;	/* offset of a non-zero Segments Left, or 0 */
	u32 frag_id;
	u16 frag_off;		/* offset in bytes (multiple of 8) */
	bool frag;		/* a Fragment header is present */
	bool frag_more;
	/* an extension header follows the Fragment header */
	bool ext_after_frag;
	u8 proto;
};

static inline bool kn_v4_is_frag(const struct kn_v4hdr *h)
{
	return h->frag & (KN_IP4_MF | KN_IP4_OFFMASK);
}

static inline bool kn_v4_first(const struct kn_v4hdr *h)
{
	return !(h->frag & KN_IP4_OFFMASK);
}

/*
 * An IPv6 extension header's number as an IPv4 protocol: copied into an
 * IPv6 Next Header field it would make a malformed IPv6 packet, and no
 * IPv4 packet legitimately carries one.
 */
static inline bool kn_proto_is_v6ext(u8 proto)
{
	return proto == KN_PROTO_HOPOPTS || proto == KN_PROTO_ROUTING ||
	       proto == KN_PROTO_FRAG || proto == KN_PROTO_DSTOPTS;
}

static inline u32 kn_v6_l4_len(const struct kn_v6hdr *h)
{
	return h->plen + KN_IP6_HLEN - h->hdrs_len;
}

enum kn_nat64_reason kn_nat64_v4_parse(const u8 *p, u32 avail,
				       struct kn_v4hdr *h);
enum kn_nat64_reason kn_nat64_v6_parse(const u8 *p, u32 avail,
				       struct kn_v6hdr *h);
enum kn_nat64_reason kn_nat64_map46(const struct kn_nat64 *nat,
				    const u8 v4[4], u8 v6[16],
				    enum kn_nat64_dir which);
enum kn_nat64_reason kn_nat64_map64(const struct kn_nat64 *nat,
				    const u8 v6[16], u8 v4[4],
				    enum kn_nat64_dir which);
void kn_nat64_put_v6(u8 *o, u8 tc, u32 plen, u8 nh, u8 hop,
		     const u8 src[16], const u8 dst[16]);
void kn_nat64_put_v4(u8 *o, u8 tos, u32 tot_len, u16 id, u16 frag,
		     u8 ttl, u8 proto, const u8 src[4], const u8 dst[4]);
void kn_nat64_fix_check(u8 *field, u32 old_sum, u32 new_sum, bool udp);
u32 kn_nat64_addr_sum(const u8 *src, const u8 *dst, u32 alen);

#endif /* _KN_NAT64_HDR_H */
