/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stateless IP/ICMP translation (SIIT, RFC 7915) in pure C: the public
 * interface of keynet's NAT64 core.
 *
 * The kernel hands one packet of one family to kn_nat64_xlat_4to6() or
 * kn_nat64_xlat_6to4() and gets back, in a buffer it owns, the new leading
 * bytes of the translated packet:
 *
 *   - Ordinary packets (TCP, UDP, ICMP echo, other protocols, fragments)
 *     are translated *header only*: res->in_hdr_len leading input bytes
 *     (IP header, options or extension headers, L4 header) are replaced by
 *     res->out_hdr_len output bytes and the rest of the packet is kept as
 *     is.  The L4 checksum is fixed incrementally (RFC 1624), so the
 *     payload is never read.
 *   - ICMP errors are translated as a whole (inner packet included) and
 *     the output is the complete new packet (KN_XLAT_RF_WHOLE): it is
 *     truncated to 1280 bytes (IPv6) or 576 bytes (IPv4).
 *   - When the bytes given are not enough (ICMP error, IPv4 UDP with a
 *     zero checksum to compute, headers not all present) and @avail is
 *     less than @total_len, the verdict is KN_XLAT_NEED_LINEAR: make the
 *     packet linear and call again.
 *
 * Addresses are decided by the caller through struct kn_nat64_ops (static
 * maps and the dynamic pool live in the kernel under its locks); the
 * default kn_nat64_rfc6052_ops embeds/extracts with cfg->prefix only.
 *
 * Not done here: reassembly, fragmentation of the output (the result only
 * says when the caller should fragment), rate limiting of ICMP errors,
 * counters, and RFC 4884 ICMP extensions (they are stripped, see
 * nat64_icmp.c).
 */
#ifndef _KN_NAT64_XLAT_H
#define _KN_NAT64_XLAT_H

#include "pure.h"
#ifdef __KERNEL__
#include <linux/errno.h>
#endif

/* Largest output: a translated ICMPv6 error (RFC 4443 section 2.4 (c)). */
#define KN_NAT64_OUT_MAX	1280
#define KN_NAT64_V4_ERR_MAX	576
#define KN_NAT64_V6_ERR_MAX	1280

/*
 * Which address a map callback is asked about.  For the inner packet of an
 * ICMP error the roles swap: the inner packet travelled the other way, so
 * KN_NAT64_INNER_SRC must be mapped like an outer KN_NAT64_DST (e.g. a
 * pool/static-map lookup) and KN_NAT64_INNER_DST like an outer
 * KN_NAT64_SRC (e.g. RFC 6052 with the prefix).
 */
enum kn_nat64_dir {
	KN_NAT64_SRC,
	KN_NAT64_DST,
	KN_NAT64_INNER_SRC,
	KN_NAT64_INNER_DST,
};

/*
 * Address mapping callbacks.  Both return 0 on success or:
 *   -ENOENT  no mapping (counted as KN_NAT64_R_NO_MAP_*),
 *   -EPERM   refused by policy, e.g. a non-global IPv4 address with the
 *            Well-Known Prefix (KN_NAT64_R_NONGLOBAL),
 *   -ELOOP   the translated address would come straight back into our
 *            own prefix/pool (KN_NAT64_R_LOOP),
 *   -EADDRNOTAVAIL  a martian IPv4 address (kn_nat64_v4_is_martian():
 *            0/8, 127/8, 224/4, 240/4) (KN_NAT64_R_MARTIAN).
 * The core itself refuses martian IPv4 addresses around the callbacks
 * too (before map_4to6, after map_6to4), so a callback that forgets the
 * check cannot let one through; likewise martian IPv6 addresses
 * (kn_nat64_v6_is_martian(): ::, ::1, fe80::/10, ff00::/8) and addresses
 * of cfg->prefix with a non-zero u octet, before map_6to4 and after
 * map_4to6 (KN_NAT64_R_MARTIAN6).
 * They run in the caller's context (softirq in the kernel) and must not
 * sleep; @v4 is in network byte order.
 */
struct kn_nat64_ops {
	int (*map_4to6)(void *ctx, __be32 v4, u8 v6[16],
			enum kn_nat64_dir which);
	int (*map_6to4)(void *ctx, const u8 v6[16], __be32 *v4,
			enum kn_nat64_dir which);
};

/* cfg->flags */
#define KN_NAT64_F_STRICT_WKP	0x1	/* refuse non-global IPv4 with WKP */
#define KN_NAT64_F_UDP0_DROP	0x2	/* drop IPv4 UDP with checksum 0 */
#define KN_NAT64_F_UDP0_FWD	0x4	/* pass UDP checksum 0 on, both ways */

/*
 * Per-device translator configuration; read only during translation (the
 * kernel swaps whole configs under RCU).  mtu4/mtu6 are the largest
 * translated IPv4/IPv6 packets the next hop takes (0: no limit checked).
 * offlink_mtu is the MTU assumed for IPv6 destinations off the link: a
 * 4->6 packet without DF larger than it is to be fragmented (RFC 7915
 * section 4.1 lets the administrator raise the 1280 default; 0 or less
 * than 1280: 1280).
 */
struct kn_nat64_cfg {
	u8 prefix[16];
	u8 prefix_len;
	u8 ipv6_addr[16];	/* our own address for ICMPv6 errors */
	__be32 ipv4_addr;	/* ours for ICMPv4 errors and RFC 6791 */
	u32 flags;
	u16 mss_clamp;		/* 0: off */
	u32 mtu4;
	u32 mtu6;
	u32 offlink_mtu;
};

/* Default ops: plain RFC 6052 with cfg->prefix; ctx is the cfg. */
extern const struct kn_nat64_ops kn_nat64_rfc6052_ops;
int kn_nat64_rfc6052_4to6(void *ctx, __be32 v4, u8 v6[16],
			  enum kn_nat64_dir which);
int kn_nat64_rfc6052_6to4(void *ctx, const u8 v6[16], __be32 *v4,
			  enum kn_nat64_dir which);

/* Everything a translation needs besides the packet. */
struct kn_nat64 {
	const struct kn_nat64_cfg *cfg;
	const struct kn_nat64_ops *ops;
	void *ctx;
};

/* in->flags */
#define KN_XLAT_IN_CSUM_PARTIAL	0x1	/* L4 check holds the pseudo sum */

/*
 * gso_size: non-zero for a TCP super-packet (GSO/GRO) that the stack will
 * cut into segments of at most gso_size payload bytes after the TCP
 * header.  It is translated once; the DF decision and the MTU checks then
 * apply to one full segment instead of the whole (the last, shorter
 * segment gets the same DF bit), and the L4 checksum field must hold the
 * pseudo-header sum of the whole (KN_XLAT_IN_CSUM_PARTIAL).  Anything but
 * unfragmented TCP is refused (KN_NAT64_R_BAD_HDR) so the caller can
 * segment it first.
 */
struct kn_xlat_in {
	const u8 *data;		/* first @avail bytes of the packet */
	u32 avail;
	u32 total_len;		/* whole packet, = IP total/payload length */
	u32 flags;
	u32 gso_size;		/* TCP payload per GSO segment, 0: none */
	u16 ipv4_id;		/* ID for 6->4 output with DF=0, no frag hdr */
};

enum kn_xlat_verdict {
	KN_XLAT_OK,		/* translated, see res */
	KN_XLAT_DROP,		/* res->reason says why */
	KN_XLAT_ICMP,		/* drop and answer res->err to the source */
	KN_XLAT_NEED_LINEAR,	/* call again with avail == total_len */
};

/* Drop reasons, usable as counter indices (< KN_NAT64_R_MAX). */
enum kn_nat64_reason {
	KN_NAT64_R_NONE,
	KN_NAT64_R_TRUNCATED,	/* packet shorter than its headers */
	KN_NAT64_R_BAD_HDR,	/* version, lengths, options, ext headers */
	KN_NAT64_R_BAD_CSUM,	/* IPv4 header or ICMP error checksum */
	KN_NAT64_R_HOP_LIMIT,	/* TTL / hop limit expired */
	KN_NAT64_R_TOO_BIG,	/* DF set / IPv6, larger than the MTU */
	KN_NAT64_R_SRC_ROUTE,	/* unexpired IPv4 source route option */
	KN_NAT64_R_SEG_LEFT,	/* IPv6 routing header, segments left */
	KN_NAT64_R_NO_MAP_SRC,
	KN_NAT64_R_NO_MAP_DST,
	KN_NAT64_R_NONGLOBAL,	/* WKP with a non-global IPv4 address */
	KN_NAT64_R_LOOP,
	KN_NAT64_R_PROTO,	/* ICMP of the other family, IPv6 ext hdr in v4 */
	KN_NAT64_R_ICMP_TYPE,	/* untranslatable ICMP type/code/pointer */
	KN_NAT64_R_ICMP_INNER,	/* bad or untranslatable inner packet */
	KN_NAT64_R_FRAG,	/* fragmented ICMP, bad fragment header */
	KN_NAT64_R_UDP_ZERO_CSUM,
	KN_NAT64_R_NO_SPACE,	/* output buffer too small */
	KN_NAT64_R_MARTIAN,	/* IPv4 0/8, 127/8, 224/4 or 240/4 */
	KN_NAT64_R_MARTIAN6,	/* IPv6 ::, ::1, fe80::/10, ff00::/8, u octet */
	KN_NAT64_R_MAX,
};

/* An ICMP error to send back; info is the MTU or the pointer. */
struct kn_nat64_icmp_err {
	u8 type;
	u8 code;
	u32 info;
};

/* res->flags */
#define KN_XLAT_RF_WHOLE	0x1	/* output is the complete packet */
#define KN_XLAT_RF_FRAGMENT	0x2	/* caller must fragment (see below) */
#define KN_XLAT_RF_CSUM_DONE	0x4	/* L4 checksum complete: no partial */

/*
 * KN_XLAT_RF_FRAGMENT: 4->6 with DF clear and an output over 1280 bytes
 * or cfg->offlink_mtu (RFC 7915 section 4.1: fragment to that size with
 * Fragment headers), or 6->4
 * with an output over mtu4 that may be fragmented (DF clear).
 *
 * l4_off is the offset of the L4 header in the output (0 when the output
 * carries none, e.g. a non-first fragment), for csum_start adjustment.
 */
struct kn_xlat_res {
	enum kn_xlat_verdict verdict;
	enum kn_nat64_reason reason;
	u32 flags;
	u32 in_hdr_len;
	u32 out_hdr_len;
	u32 out_total_len;
	u32 l4_off;
	u8 l4_proto;
	struct kn_nat64_icmp_err err;
};

enum kn_xlat_verdict kn_nat64_xlat_4to6(const struct kn_nat64 *nat,
					const struct kn_xlat_in *in,
					u8 *out, u32 out_cap,
					struct kn_xlat_res *res);
enum kn_xlat_verdict kn_nat64_xlat_6to4(const struct kn_nat64 *nat,
					const struct kn_xlat_in *in,
					u8 *out, u32 out_cap,
					struct kn_xlat_res *res);

#endif /* _KN_NAT64_XLAT_H */
