/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internet (ones' complement) checksum helpers in pure C, for the NAT64
 * translator: full sums over byte ranges, IPv4/IPv6 pseudo-header sums,
 * and the RFC 1624 incremental update.  They work on byte arrays through
 * kn_get_be16(), so they need no alignment and no skb.
 *
 * Sums are carried as u32 "accumulators" that are always kept below
 * 0x10000 by folding, so any number of them can be added with
 * kn_csum_add32() without overflow.  Bytes are summed in network order
 * (the value of the checksum field is exactly what goes on the wire).
 *
 * Deliberately not here: the kernel's csum_partial() fast paths.  These
 * helpers only ever run over headers, ICMP error messages (at most 1280
 * bytes) and, rarely, one UDP datagram whose IPv4 checksum was zero.
 */
#ifndef _KN_CSUM_H
#define _KN_CSUM_H

#include "pure.h"

/* Fold a 32-bit sum to 16 bits (end-around carry); never complemented. */
static inline u32 kn_csum_fold(u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* Ones' complement addition of two folded accumulators. */
static inline u32 kn_csum_add32(u32 a, u32 b)
{
	return kn_csum_fold(a + b);
}

/* Ones' complement subtraction: a - b == a + ~b. */
static inline u32 kn_csum_sub32(u32 a, u32 b)
{
	return kn_csum_fold(a + (~kn_csum_fold(b) & 0xffff));
}

u32 kn_csum_bytes(const u8 *buf, u32 len, u32 sum);
u32 kn_csum_pseudo4(const u8 src[4], const u8 dst[4], u8 proto, u32 len);
u32 kn_csum_pseudo6(const u8 src[16], const u8 dst[16], u8 nexthdr, u32 len);
u16 kn_csum_finish(u32 sum);
u16 kn_csum_update(u16 check, u32 old_sum, u32 new_sum);
bool kn_csum_ok(const u8 *buf, u32 len, u32 sum);

#endif /* _KN_CSUM_H */
