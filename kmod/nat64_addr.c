// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 6052 address translation (see nat64_addr.h).
 *
 * Layout (RFC 6052 section 2.2): the IPv4 address follows the prefix, but
 * bits 64..71 (byte 8, the "u" octet) are always zero and skipped, so for
 * /40, /48 and /56 the IPv4 bytes straddle byte 8.  The suffix after the
 * IPv4 bytes is zero when we generate an address.
 *
 * Trade-off on extraction: an address whose u octet is not zero is
 * rejected (it cannot have been produced by an RFC 6052 generator), while
 * the suffix is ignored as RFC 6052 section 2.2 asks of receivers that
 * only need the IPv4 address.
 */
#include "nat64_addr.h"

const u8 kn_nat64_wkp[16] = { 0x00, 0x64, 0xff, 0x9b };

/* Where the 4 IPv4 bytes go, per allowed prefix length (table above). */
struct kn_nat64_layout {
	u8 plen;
	u8 off[4];
};

static const struct kn_nat64_layout kn_nat64_layouts[] = {
	{ 32, { 4, 5, 6, 7 } },
	{ 40, { 5, 6, 7, 9 } },
	{ 48, { 6, 7, 9, 10 } },
	{ 56, { 7, 9, 10, 11 } },
	{ 64, { 9, 10, 11, 12 } },
	{ 96, { 12, 13, 14, 15 } },
};

static const struct kn_nat64_layout *kn_nat64_layout(u8 plen)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(kn_nat64_layouts); i++)
		if (kn_nat64_layouts[i].plen == plen)
			return &kn_nat64_layouts[i];
	return NULL;
}

/*
 * A usable prefix has an allowed length, a zero u octet (for /96 the octet
 * is inside the prefix and must still be zero) and no bits set past its
 * length, so that embedding never has to mask.  It must not be ::/N,
 * link-local or multicast either: every address made with it would be a
 * martian (kn_nat64_v6_is_martian()) and refused.
 */
int kn_nat64_prefix_check(const u8 prefix[16], u8 plen)
{
	static const u8 zero[16];
	u32 i;

	if (!kn_nat64_layout(plen))
		return -EINVAL;
	if (prefix[8])
		return -EINVAL;
	for (i = plen / 8; i < 16; i++)
		if (prefix[i])
			return -EINVAL;
	if (!memcmp(prefix, zero, 16) || kn_nat64_v6_is_martian(prefix))
		return -EINVAL;
	return 0;
}

bool kn_nat64_prefix_is_wkp(const u8 prefix[16], u8 plen)
{
	return plen == KN_NAT64_WKP_LEN && !memcmp(prefix, kn_nat64_wkp, 12);
}

int kn_nat64_embed(const u8 prefix[16], u8 plen, const u8 v4[4], u8 v6[16])
{
	const struct kn_nat64_layout *l = kn_nat64_layout(plen);
	u32 i;

	if (!l)
		return -EINVAL;
	memset(v6, 0, 16);
	memcpy(v6, prefix, plen / 8);
	for (i = 0; i < 4; i++)
		v6[l->off[i]] = v4[i];
	return 0;
}

/* -ENOENT when @v6 is not inside the prefix or its u octet is set. */
int kn_nat64_extract(const u8 prefix[16], u8 plen, const u8 v6[16], u8 v4[4])
{
	const struct kn_nat64_layout *l = kn_nat64_layout(plen);
	u32 i;

	if (!l)
		return -EINVAL;
	if (memcmp(v6, prefix, plen / 8))
		return -ENOENT;
	if (v6[8])
		return -ENOENT;
	for (i = 0; i < 4; i++)
		v4[i] = v6[l->off[i]];
	return 0;
}

/*
 * Non-global IPv4 space for the Well-Known Prefix rule: RFC 6052 section
 * 3.1 points at RFC 1918 and RFC 5735 section 3 (now RFC 6890), plus the
 * shared address space of RFC 6598.  192.88.99.0/24 (6to4 relay anycast)
 * is globally routed and therefore not listed.  Keep this the one table.
 */
struct kn_nat64_v4net {
	u32 net;
	u8 len;
};

static const struct kn_nat64_v4net kn_nat64_nonglobal[] = {
	{ 0x00000000, 8 },	/* "this" network, RFC 1122 */
	{ 0x0a000000, 8 },	/* private, RFC 1918 */
	{ 0x64400000, 10 },	/* shared address space, RFC 6598 */
	{ 0x7f000000, 8 },	/* loopback */
	{ 0xa9fe0000, 16 },	/* link local, RFC 3927 */
	{ 0xac100000, 12 },	/* private, RFC 1918 */
	{ 0xc0000000, 24 },	/* IETF protocol assignments, RFC 6890 */
	{ 0xc0000200, 24 },	/* TEST-NET-1, RFC 5737 */
	{ 0xc0a80000, 16 },	/* private, RFC 1918 */
	{ 0xc6120000, 15 },	/* benchmarking, RFC 2544 */
	{ 0xc6336400, 24 },	/* TEST-NET-2 */
	{ 0xcb007100, 24 },	/* TEST-NET-3 */
	{ 0xe0000000, 4 },	/* multicast, RFC 5771 */
	{ 0xf0000000, 4 },	/* reserved, and limited broadcast */
};

bool kn_nat64_v4_is_global(const u8 v4[4])
{
	u32 a = kn_get_be32(v4);
	u32 i;

	for (i = 0; i < ARRAY_SIZE(kn_nat64_nonglobal); i++) {
		const struct kn_nat64_v4net *n = &kn_nat64_nonglobal[i];
		u32 mask = ~0u << (32 - n->len);

		if ((a & mask) == n->net)
			return false;
	}
	return true;
}

/*
 * Martian IPv4 addresses (RFC 1812 section 5.3.7, RFC 1122 section
 * 3.2.1.3): never a unicast host on the IPv4 side, so never a translated
 * source or destination, whatever the prefix and whether the address came
 * from RFC 6052 extraction, a static map or the pool.  A translator that
 * passed them on would hand prefix::255.255.255.255 to the IPv4 stack as a
 * limited broadcast (delivered locally), prefix::127.0.0.1 as loopback
 * traffic, prefix::224.0.0.1 to every multicast listener.  Keep this the
 * one table; the Well-Known Prefix table above is a superset.
 */
static const struct kn_nat64_v4net kn_nat64_martian[] = {
	{ 0x00000000, 8 },	/* "this" network, RFC 1122 */
	{ 0x7f000000, 8 },	/* loopback */
	{ 0xe0000000, 4 },	/* multicast, RFC 5771 */
	{ 0xf0000000, 4 },	/* class E, and 255.255.255.255 */
};

bool kn_nat64_v4_is_martian(const u8 v4[4])
{
	return kn_nat64_v4_range_martian(v4, 32);
}

/*
 * Does @base/@plen (host bits ignored) overlap a martian block?  For the
 * pool's ranges, refused as a whole at configuration time.
 */
bool kn_nat64_v4_range_martian(const u8 base[4], u8 plen)
{
	u32 a = kn_get_be32(base);
	u32 i;

	if (plen > 32)
		plen = 32;
	for (i = 0; i < ARRAY_SIZE(kn_nat64_martian); i++) {
		const struct kn_nat64_v4net *n = &kn_nat64_martian[i];
		u8 len = min_t(u8, n->len, plen);
		u32 mask = len ? ~0u << (32 - len) : 0;

		/* Two prefixes overlap iff they agree on the shorter length. */
		if ((a & mask) == (n->net & mask))
			return true;
	}
	return false;
}

/*
 * IPv6 addresses that are never a translated source or destination
 * (RFC 7915 sections 4.1 and 5.1 translate between global unicast
 * addresses; RFC 4291 section 2.5.2/2.5.3, 2.5.6, 2.7): the unspecified
 * address, loopback, link-local unicast fe80::/10 and multicast ff00::/8.
 * A link-local or multicast address has no meaning past the link it came
 * from, and the IPv4 side has no equivalent to give it.
 */
bool kn_nat64_v6_is_martian(const u8 v6[16])
{
	static const u8 zero[15];

	if (v6[0] == 0xff)
		return true;
	if (v6[0] == 0xfe && (v6[1] & 0xc0) == 0x80)
		return true;
	return !memcmp(v6, zero, 15) && v6[15] <= 1;
}

/*
 * Inside @prefix/@plen but with a non-zero u octet (bits 64-71, RFC 6052
 * section 2.2): a form the prefix reserves, which no RFC 6052 generator
 * makes.  For /96 the octet is part of the (zero) prefix, so such an
 * address is simply outside it.
 */
bool kn_nat64_v6_u_reserved(const u8 prefix[16], u8 plen, const u8 v6[16])
{
	return plen <= 64 && v6[8] && !memcmp(v6, prefix, plen / 8);
}
