// SPDX-License-Identifier: GPL-2.0
/*
 * Key-derived IPv6 addresses and cjdns' key formats (see addr_derive.h).
 *
 * The binding between a key and its address is only as strong as the
 * number of hash bits in the address: 128 - plen.  Finding another key
 * whose address equals a given one costs about 2^(128 - plen) hash
 * evaluations, which is why plen is capped at 64 (docs/addressing.md).
 *
 * cjdns' base32 treats the key as a little-endian bit stream: digit j
 * holds stream bits 5j..5j+4, least significant first, where stream bit
 * i is bit (i % 8) of byte i / 8.  32 bytes are 256 bits, so the 52nd
 * digit carries one key bit and four padding bits, which must be zero:
 * every key then has exactly one accepted spelling.
 */
#include "addr_derive.h"

static const char kn_addr_b32_alpha[32] = "0123456789bcdfghjklmnpqrstuvwxyz";

/**
 * kn_addr_from_hash() - the address of a key from its hash
 * @h: SHA-512(SHA-512(public key)), 64 bytes
 * @prefix: the addressing prefix (only its first @plen bits are used)
 * @plen: prefix length, 0 to 128 (callers validate 8..64 for devices)
 * @out: the address, 16 bytes (may not alias @h or @prefix)
 */
void kn_addr_from_hash(const u8 h[KN_ADDR_HASH_LEN], const u8 prefix[16],
		       unsigned int plen, u8 out[16])
{
	unsigned int i;

	if (plen > 128)
		plen = 128;
	for (i = 0; i < 16; i++) {
		u8 mask;

		if (plen >= 8 * (i + 1))
			mask = 0xff;
		else if (plen <= 8 * i)
			mask = 0;
		else
			mask = (u8)(0xff00 >> (plen - 8 * i));
		out[i] = (prefix[i] & mask) | (h[i] & (u8)~mask);
	}
}

/**
 * kn_addr_prefix_valid() - whether a device may use this addressing prefix
 * @prefix: 16 bytes
 * @plen: prefix length
 *
 * Return: true when @plen is within KN_ADDR_PLEN_MIN..KN_ADDR_PLEN_MAX and
 * no bit of @prefix beyond @plen is set.
 */
bool kn_addr_prefix_valid(const u8 prefix[16], unsigned int plen)
{
	unsigned int i;

	if (plen < KN_ADDR_PLEN_MIN || plen > KN_ADDR_PLEN_MAX)
		return false;
	for (i = plen; i < 128; i++)
		if (prefix[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

/* fc00:: (the default prefix's address part). */
void kn_addr_default_prefix(u8 prefix[16])
{
	memset(prefix, 0, 16);
	prefix[0] = KN_ADDR_DEFAULT_BYTE0;
}

/**
 * kn_addr_linklocal() - the key-derived link-local address (mesh mode)
 * @addr: a key-derived address (kn_addr_from_hash())
 * @out: fe80::/64 followed by bytes 8..15 of @addr
 *
 * The interface identifier is bits 64..127 of H.  An addressing prefix
 * is at most 64 bits long, so the identifier does not depend on the
 * prefix: a key has one link-local address under every addressing rule,
 * and a peer's is known from its key alone.  The identifier is used as
 * it is (RFC 7136: the u and g bits carry no meaning in identifiers not
 * formed from an EUI-64).
 */
void kn_addr_linklocal(const u8 addr[16], u8 out[16])
{
	memset(out, 0, 8);
	out[0] = 0xfe;
	out[1] = 0x80;
	memcpy(out + 8, addr + 8, 8);
}

/**
 * kn_addr_key_to_b32() - cjdns' spelling of a public key
 * @key: 32 bytes
 * @out: 52 base32 digits, ".k" and a NUL (KN_ADDR_B32_STRLEN + 1 bytes)
 */
void kn_addr_key_to_b32(const u8 key[KN_ADDR_KEY_LEN],
			char out[KN_ADDR_B32_STRLEN + 1])
{
	unsigned int i, o = 0, nbits = 0;
	u32 acc = 0;

	/* acc holds nbits (< 5 between bytes) not yet written, low first. */
	for (i = 0; i < KN_ADDR_KEY_LEN; i++) {
		acc |= (u32)key[i] << nbits;
		nbits += 8;
		while (nbits >= 5) {
			out[o++] = kn_addr_b32_alpha[acc & 31];
			acc >>= 5;
			nbits -= 5;
		}
	}
	/* 256 = 51 * 5 + 1: one bit left, padded with zeros. */
	if (nbits)
		out[o++] = kn_addr_b32_alpha[acc & 31];
	out[o++] = '.';
	out[o++] = 'k';
	out[o] = '\0';
}

static int kn_addr_b32_val(char c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kn_addr_b32_alpha); i++)
		if (kn_addr_b32_alpha[i] == c)
			return (int)i;
	return -1;
}

/**
 * kn_addr_b32_to_key() - parse cjdns' spelling of a public key
 * @in: 52 lowercase base32 digits, optionally followed by ".k"
 * @len: length of @in (need not be NUL-terminated)
 * @key: the 32 bytes, written only on success
 *
 * Return: 0, or -EINVAL for a wrong length, a character outside the
 * alphabet or padding bits set in the last digit (a non-canonical key).
 */
int kn_addr_b32_to_key(const char *in, size_t len, u8 key[KN_ADDR_KEY_LEN])
{
	u8 tmp[KN_ADDR_KEY_LEN];
	unsigned int i, o = 0, nbits = 0;
	u32 acc = 0;

	if (len == KN_ADDR_B32_STRLEN && in[KN_ADDR_B32_DIGITS] == '.' &&
	    in[KN_ADDR_B32_DIGITS + 1] == 'k')
		len = KN_ADDR_B32_DIGITS;
	if (len != KN_ADDR_B32_DIGITS)
		return -EINVAL;
	for (i = 0; i < KN_ADDR_B32_DIGITS; i++) {
		int v = kn_addr_b32_val(in[i]);

		if (v < 0)
			return -EINVAL;
		acc |= (u32)v << nbits;
		nbits += 5;
		if (nbits >= 8 && o < KN_ADDR_KEY_LEN) {
			tmp[o++] = (u8)acc;
			acc >>= 8;
			nbits -= 8;
		}
	}
	/* Every byte is full; what is left must be zero padding. */
	if (o != KN_ADDR_KEY_LEN || acc)
		return -EINVAL;
	memcpy(key, tmp, KN_ADDR_KEY_LEN);
	return 0;
}

/*
 * One hex digit, or a value above 15.  Branch-free: it decodes private
 * keys, whose digits should not steer branches.
 */
static unsigned int kn_addr_hex_val(u8 c)
{
	unsigned int d = (unsigned int)c - '0';
	unsigned int l = ((unsigned int)c | 0x20) - 'a';
	unsigned int is_d = d < 10, is_l = l < 6;

	return (d & (0U - is_d)) | ((l + 10) & (0U - is_l)) |
	       (16 & (0U - (1 ^ (is_d | is_l))));
}

/**
 * kn_addr_hex_to_key() - parse a key written as 64 hex digits
 * @in: the digits, either case (cjdroute.conf's "privateKey")
 * @len: length of @in
 * @key: the 32 bytes; zeroed on failure
 *
 * Return: 0, or -EINVAL for a wrong length or a non-hex character.
 * Decodes straight into @key so that no other copy of a secret is left
 * on the stack.
 */
int kn_addr_hex_to_key(const char *in, size_t len, u8 key[KN_ADDR_KEY_LEN])
{
	unsigned int i, bad = 0;

	if (len != KN_ADDR_HEX_DIGITS) {
		memset(key, 0, KN_ADDR_KEY_LEN);
		return -EINVAL;
	}
	for (i = 0; i < KN_ADDR_KEY_LEN; i++) {
		unsigned int hi = kn_addr_hex_val((u8)in[2 * i]);
		unsigned int lo = kn_addr_hex_val((u8)in[2 * i + 1]);

		bad |= (hi | lo) & 16;
		key[i] = (u8)(hi << 4 | (lo & 15));
	}
	if (bad) {
		memset(key, 0, KN_ADDR_KEY_LEN);
		return -EINVAL;
	}
	return 0;
}
