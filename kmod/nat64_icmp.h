/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMPv4 <-> ICMPv6 translation tables (RFC 7915 sections 4.2, 5.2), ICMP
 * error translation with the inner packet (4.3, 5.3), and the translator's
 * own ICMP errors (RFC 792/1812 and RFC 4443).
 *
 * The translation of errors is reached through kn_nat64_xlat_4to6() /
 * kn_nat64_xlat_6to4(); what is exported here are the tables, for tests
 * and for the kernel's diagnostics, and the error builders the kernel
 * calls after a KN_XLAT_ICMP verdict.
 */
#ifndef _KN_NAT64_ICMP_H
#define _KN_NAT64_ICMP_H

#include "nat64_xlat.h"

struct kn_v4hdr;
struct kn_v6hdr;

/* How the 4 bytes after type/code/checksum are rewritten. */
enum kn_nat64_icmp_kind {
	KN_NAT64_IK_PLAIN,	/* unused: zero */
	KN_NAT64_IK_PTB,	/* MTU, adjusted */
	KN_NAT64_IK_PARAM,	/* pointer, mapped */
	KN_NAT64_IK_PROTO,	/* 3/2 -> 4/1: pointer to Next Header */
};

struct kn_nat64_icmp_map {
	u8 type;
	u8 code;
	enum kn_nat64_icmp_kind kind;
};

int kn_nat64_icmp_map_4to6(u8 type, u8 code, struct kn_nat64_icmp_map *m);
int kn_nat64_icmp_map_6to4(u8 type, u8 code, struct kn_nat64_icmp_map *m);
int kn_nat64_ptr_4to6(u32 ptr4, u32 *ptr6);
int kn_nat64_ptr_6to4(u32 ptr6, u32 *ptr4);
u32 kn_nat64_mtu_plateau(u32 tot_len);
u32 kn_nat64_mtu_4to6(const struct kn_nat64_cfg *cfg, u32 adv, u32 tot_len);
u32 kn_nat64_mtu_6to4(const struct kn_nat64_cfg *cfg, u32 adv);

int kn_nat64_build_icmp4_err(const struct kn_nat64_cfg *cfg,
			     const u8 *pkt, u32 len,
			     const struct kn_nat64_icmp_err *err, u16 ip_id,
			     u8 *out, u32 out_cap);
int kn_nat64_build_icmp6_err(const struct kn_nat64_cfg *cfg,
			     const u8 *pkt, u32 len,
			     const struct kn_nat64_icmp_err *err,
			     u8 *out, u32 out_cap);

/* For nat64_xlat.c: the ICMP errors its packets turn out to be. */
bool kn_nat64_icmp4_is_err(u8 type);
bool kn_nat64_icmp6_is_err(u8 type);
enum kn_xlat_verdict kn_nat64_icmp_err_4to6(const struct kn_nat64 *nat,
					    const struct kn_xlat_in *in,
					    const struct kn_v4hdr *h,
					    u8 *out, u32 out_cap,
					    struct kn_xlat_res *res);
enum kn_xlat_verdict kn_nat64_icmp_err_6to4(const struct kn_nat64 *nat,
					    const struct kn_xlat_in *in,
					    const struct kn_v6hdr *h,
					    u8 *out, u32 out_cap,
					    struct kn_xlat_res *res);

#endif /* _KN_NAT64_ICMP_H */
