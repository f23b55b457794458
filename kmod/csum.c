// SPDX-License-Identifier: GPL-2.0
/*
 * Ones' complement checksum helpers (RFC 1071, RFC 1624); see csum.h.
 */
#include "csum.h"

/*
 * Add @len bytes at @buf to the accumulator @sum.  @buf must start at an
 * even offset of the checksummed stream: callers sum several pieces only
 * when every piece but the last has an even length.
 */
u32 kn_csum_bytes(const u8 *buf, u32 len, u32 sum)
{
	u64 acc = sum;
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		acc += kn_get_be16(buf + i);
	if (len & 1)
		acc += (u32)buf[len - 1] << 8;
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	return kn_csum_fold((u32)acc);
}

/* RFC 768/793 pseudo-header: addresses, zero, protocol, upper-layer len. */
u32 kn_csum_pseudo4(const u8 src[4], const u8 dst[4], u8 proto, u32 len)
{
	u32 sum = kn_csum_bytes(src, 4, 0);

	sum = kn_csum_bytes(dst, 4, sum);
	return kn_csum_fold(sum + proto + (len & 0xffff) + (len >> 16));
}

/* RFC 8200 section 8.1 pseudo-header. */
u32 kn_csum_pseudo6(const u8 src[16], const u8 dst[16], u8 nexthdr, u32 len)
{
	u32 sum = kn_csum_bytes(src, 16, 0);

	sum = kn_csum_bytes(dst, 16, sum);
	return kn_csum_fold(sum + nexthdr + (len & 0xffff) + (len >> 16));
}

/* The value to store in a checksum field covering @sum. */
u16 kn_csum_finish(u32 sum)
{
	return (u16)~kn_csum_fold(sum);
}

/*
 * RFC 1624 equation 3: HC' = ~(~HC + ~m + m'), where @old_sum and @new_sum
 * are the sums of everything that changed (m and m').  Keeping the
 * subtraction in ones' complement avoids the -0 pitfall of equation 2.
 */
u16 kn_csum_update(u16 check, u32 old_sum, u32 new_sum)
{
	u32 sum = (u16)~check;

	sum = kn_csum_sub32(sum, old_sum);
	sum = kn_csum_add32(sum, new_sum);
	return (u16)~sum;
}

/* True when @buf (checksum field included) plus @sum verifies. */
bool kn_csum_ok(const u8 *buf, u32 len, u32 sum)
{
	return kn_csum_fold(kn_csum_bytes(buf, len, sum)) == 0xffff;
}
