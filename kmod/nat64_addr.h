/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 6052 IPv4-embedded IPv6 addresses: prefix validation, embedding and
 * extraction for the six allowed prefix lengths, the "is this IPv4
 * address global" test that the Well-Known Prefix rule (RFC 6052 section
 * 3.1) needs, and the "martian" tests: IPv4 0/8, 127/8, 224/4, 240/4 and
 * IPv6 ::, ::1, fe80::/10, ff00::/8 are never a translated address, with
 * any prefix (RFC 6052 section 5.1, RFC 7915 sections 4.1 and 5.1).
 *
 * Addresses are byte arrays in network order (IPv4 as u8[4] or a __be32
 * loaded with memcpy, IPv6 as u8[16]); nothing here needs alignment.
 * Not here: static maps and the dynamic pool (kernel data structures), and
 * any knowledge of which prefix a device uses (see struct kn_nat64_cfg).
 */
#ifndef _KN_NAT64_ADDR_H
#define _KN_NAT64_ADDR_H

#include "pure.h"
#ifdef __KERNEL__
#include <linux/errno.h>
#endif

/* 64:ff9b::/96, RFC 6052 section 2.1. */
extern const u8 kn_nat64_wkp[16];
#define KN_NAT64_WKP_LEN 96

int kn_nat64_prefix_check(const u8 prefix[16], u8 plen);
bool kn_nat64_prefix_is_wkp(const u8 prefix[16], u8 plen);
int kn_nat64_embed(const u8 prefix[16], u8 plen, const u8 v4[4], u8 v6[16]);
int kn_nat64_extract(const u8 prefix[16], u8 plen, const u8 v6[16], u8 v4[4]);
bool kn_nat64_v4_is_global(const u8 v4[4]);
bool kn_nat64_v4_is_martian(const u8 v4[4]);
bool kn_nat64_v4_range_martian(const u8 base[4], u8 plen);
bool kn_nat64_v6_is_martian(const u8 v6[16]);
bool kn_nat64_v6_u_reserved(const u8 prefix[16], u8 plen, const u8 v6[16]);

#endif /* _KN_NAT64_ADDR_H */
