// kn-sources: addr_derive.c
// kn-libs: -lcrypto
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/addr_derive.c: key-derived addresses and cjdns' key
 * formats.  SHA-512 and X25519 come from OpenSSL, independent of keynet,
 * and the cjdns pair is the one from cjdns' own documentation.
 */
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "kn_test.h"
#include "addr_derive.h"

/* From cjdns' documentation: privateKey, publicKey, its raw bytes, ipv6. */
static const char cj_priv_hex[] =
	"823e45d5ca85b6f89d2a7feb56d5214d0e2e3afd5456eb0af2c4ac10350ebc70";
static const char cj_pub_b32[] =
	"u2jf87mgqlxfzdnywp60z3tx6tkulvgh2nyc2jk1zc69zzt2s8u0.k";
static const u8 cj_pub[32] = {
	0x5a, 0xc0, 0x86, 0xce, 0x74, 0x56, 0xf6, 0xf6,
	0x19, 0xf5, 0xbc, 0x1a, 0xf0, 0x47, 0xee, 0x26,
	0x47, 0x2d, 0xb7, 0x7b, 0x82, 0xfa, 0x25, 0x60,
	0x0c, 0x7f, 0x99, 0xf4, 0x7f, 0x16, 0x18, 0x69,
};
/* fcff:a215:1e7b:a4e9:c00d:0813:93b3:7c87 */
static const u8 cj_addr[16] = {
	0xfc, 0xff, 0xa2, 0x15, 0x1e, 0x7b, 0xa4, 0xe9,
	0xc0, 0x0d, 0x08, 0x13, 0x93, 0xb3, 0x7c, 0x87,
};

/* H = SHA-512(SHA-512(key)), by OpenSSL. */
static void hash2(const u8 key[32], u8 h[64])
{
	u8 h1[64];
	unsigned int n = 0;

	if (EVP_Digest(key, 32, h1, &n, EVP_sha512(), NULL) != 1 || n != 64 ||
	    EVP_Digest(h1, 64, h, &n, EVP_sha512(), NULL) != 1 || n != 64) {
		fprintf(stderr, "OpenSSL SHA-512 failed\n");
		exit(1);
	}
}

static int x25519_pub(const u8 priv[32], u8 pub[32])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	size_t len = 32;
	int ok = k && EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 && len == 32;

	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

static void test_cjdns_pair(void)
{
	u8 priv[32], pub[32], key[32], h[64], prefix[16], addr[16];
	char b32[KN_ADDR_B32_STRLEN + 1];

	KN_CHECK(kn_addr_hex_to_key(cj_priv_hex, strlen(cj_priv_hex), priv) == 0);
	KN_CHECK(priv[0] == 0x82 && priv[31] == 0x70, "hex decode");
	KN_CHECK(x25519_pub(priv, pub) == 0);
	KN_CHECK_MEM(pub, cj_pub, 32, "X25519 of cjdns' private key");
	KN_CHECK(kn_addr_b32_to_key(cj_pub_b32, strlen(cj_pub_b32), key) == 0);
	KN_CHECK_MEM(key, cj_pub, 32, "base32 decode");
	/* Without the ".k" too. */
	memset(key, 0, sizeof(key));
	KN_CHECK(kn_addr_b32_to_key(cj_pub_b32, KN_ADDR_B32_DIGITS, key) == 0);
	KN_CHECK_MEM(key, cj_pub, 32, "base32 decode without .k");
	kn_addr_key_to_b32(cj_pub, b32);
	KN_CHECK(strcmp(b32, cj_pub_b32) == 0, "encode gives %s", b32);

	hash2(cj_pub, h);
	KN_CHECK(h[0] == 0xfc, "cjdns key hashes to fc..: %02x", h[0]);
	KN_CHECK_MEM(h, cj_addr, 16, "cjdns' address is the first 16 bytes of H");
	kn_addr_default_prefix(prefix);
	KN_CHECK(kn_addr_prefix_valid(prefix, KN_ADDR_DEFAULT_PLEN));
	kn_addr_from_hash(h, prefix, KN_ADDR_DEFAULT_PLEN, addr);
	KN_CHECK_MEM(addr, cj_addr, 16, "address at fc00::/8");
}

/* The link-local address: fe80::/64 and bytes 8..15 of H, any prefix. */
static void test_linklocal(void)
{
	static const u8 p48[16] = { 0xfd, 0x12, 0x34, 0x56, 0x78, 0x9a };
	static const u8 p64[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2 };
	u8 h[64], prefix[16], addr[16], ll[16], ll2[16];

	hash2(cj_pub, h);
	kn_addr_default_prefix(prefix);
	kn_addr_from_hash(h, prefix, KN_ADDR_DEFAULT_PLEN, addr);
	kn_addr_linklocal(addr, ll);
	KN_CHECK(ll[0] == 0xfe && ll[1] == 0x80, "fe80::/64");
	KN_CHECK(!ll[2] && !ll[3] && !ll[4] && !ll[5] && !ll[6] && !ll[7],
		 "bits 16..63 zero");
	KN_CHECK_MEM(ll + 8, cj_addr + 8, 8, "identifier = bytes 8..15 of H");
	kn_addr_from_hash(h, p48, 48, addr);
	kn_addr_linklocal(addr, ll2);
	KN_CHECK_MEM(ll2, ll, 16, "same under a /48 addressing prefix");
	kn_addr_from_hash(h, p64, 64, addr);
	kn_addr_linklocal(addr, ll2);
	KN_CHECK_MEM(ll2, ll, 16, "same under a /64 addressing prefix");
}

/* The prefix rule with hand-computed expectations. */
static void test_prefix_rule(void)
{
	u8 h[64], prefix[16], addr[16];
	int i;

	/* h = a0 a1 a2 ... af b0 ... (only the first 16 bytes matter) */
	for (i = 0; i < 64; i++)
		h[i] = (u8)(0xa0 + i);

	/* fc00::/8 -> fca1:a2a3:a4a5:a6a7:a8a9:aaab:acad:aeaf */
	{
		static const u8 want[16] = {
			0xfc, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
			0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
		};
		memset(prefix, 0, 16);
		prefix[0] = 0xfc;
		kn_addr_from_hash(h, prefix, 8, addr);
		KN_CHECK_MEM(addr, want, 16, "/8");
	}
	/* fd12:3456:789a::/48 -> fd12:3456:789a:a6a7:a8a9:aaab:acad:aeaf */
	{
		static const u8 p48[16] = { 0xfd, 0x12, 0x34, 0x56, 0x78, 0x9a };
		static const u8 want[16] = {
			0xfd, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xa6, 0xa7,
			0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
		};
		KN_CHECK(kn_addr_prefix_valid(p48, 48));
		kn_addr_from_hash(h, p48, 48, addr);
		KN_CHECK_MEM(addr, want, 16, "/48");
	}
	/* 2001:db8:1:2::/64 -> 2001:db8:1:2:a8a9:aaab:acad:aeaf */
	{
		static const u8 p64[16] = {
			0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x02,
		};
		static const u8 want[16] = {
			0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x02,
			0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
		};
		KN_CHECK(kn_addr_prefix_valid(p64, 64));
		kn_addr_from_hash(h, p64, 64, addr);
		KN_CHECK_MEM(addr, want, 16, "/64");
	}
	/* Not byte-aligned: fd10::/12 -> byte 1 = 0x10 | (0xa1 & 0x0f) = 0x11 */
	{
		static const u8 p12[16] = { 0xfd, 0x10 };
		static const u8 want[16] = {
			0xfd, 0x11, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
			0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
		};
		KN_CHECK(kn_addr_prefix_valid(p12, 12));
		kn_addr_from_hash(h, p12, 12, addr);
		KN_CHECK_MEM(addr, want, 16, "/12");
	}
	/* /57: byte 7 = 0x80 (prefix) | (0xa7 & 0x7f) = 0xa7; prefix bit 56 set */
	{
		static const u8 p57[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0x80 };
		static const u8 want[16] = {
			0xfd, 0, 0, 0, 0, 0, 0, 0xa7,
			0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
		};
		KN_CHECK(kn_addr_prefix_valid(p57, 57));
		kn_addr_from_hash(h, p57, 57, addr);
		KN_CHECK_MEM(addr, want, 16, "/57");
	}
	/* Bits of the prefix beyond plen are ignored by from_hash. */
	{
		u8 pfull[16], a2[16];

		memset(pfull, 0xff, 16);
		kn_addr_from_hash(h, pfull, 8, addr);
		memset(pfull + 1, 0, 15);
		kn_addr_from_hash(h, pfull, 8, a2);
		KN_CHECK_MEM(addr, a2, 16, "host bits of the prefix ignored");
		KN_CHECK(addr[0] == 0xff && addr[1] == 0xa1);
	}
	/* plen 0 is the hash itself, 128 the prefix itself (edge cases). */
	memset(prefix, 0x55, 16);
	kn_addr_from_hash(h, prefix, 0, addr);
	KN_CHECK_MEM(addr, h, 16, "/0");
	kn_addr_from_hash(h, prefix, 128, addr);
	KN_CHECK_MEM(addr, prefix, 16, "/128");
	kn_addr_from_hash(h, prefix, 200, addr);
	KN_CHECK_MEM(addr, prefix, 16, "plen above 128 is clamped");
}

static void test_prefix_valid(void)
{
	u8 p[16] = { 0xfc };
	unsigned int l;

	for (l = 0; l <= 130; l++)
		KN_CHECK(kn_addr_prefix_valid(p, l) == (l >= 8 && l <= 64), "plen %u", l);
	p[15] = 1;
	KN_CHECK(!kn_addr_prefix_valid(p, 64), "host bit 127");
	p[15] = 0;
	p[6] = 0x01;	/* bit 55 */
	KN_CHECK(!kn_addr_prefix_valid(p, 48), "bit 55 at /48");
	KN_CHECK(!kn_addr_prefix_valid(p, 55), "bit 55 at /55");
	KN_CHECK(kn_addr_prefix_valid(p, 56), "bit 55 at /56");
	p[6] = 0;
	p[1] = 0x08;	/* bit 12 */
	KN_CHECK(!kn_addr_prefix_valid(p, 12));
	KN_CHECK(kn_addr_prefix_valid(p, 13));
}

/* xorshift: deterministic test keys */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u8 rng8(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (u8)(rng_state >> 32);
}

static void test_b32_roundtrip(void)
{
	static const char alpha[] = "0123456789bcdfghjklmnpqrstuvwxyz";
	char s[KN_ADDR_B32_STRLEN + 1];
	u8 key[32], back[32];
	int n, i, bad = 0;

	for (n = 0; n < 2000; n++) {
		for (i = 0; i < 32; i++)
			key[i] = n == 0 ? 0 : n == 1 ? 0xff : rng8();
		kn_addr_key_to_b32(key, s);
		if (strlen(s) != KN_ADDR_B32_STRLEN || strspn(s, alpha) != 52 ||
		    strcmp(s + 52, ".k") || kn_addr_b32_to_key(s, strlen(s), back) ||
		    memcmp(key, back, 32))
			bad++;
	}
	KN_CHECK(bad == 0, "%d round trips failed", bad);
	for (i = 0; i < 32; i++)
		key[i] = 0;
	kn_addr_key_to_b32(key, s);
	KN_CHECK(!strcmp(s, "0000000000000000000000000000000000000000000000000000.k"), "%s", s);
	memset(key, 0xff, 32);
	kn_addr_key_to_b32(key, s);
	KN_CHECK(!strcmp(s, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz1.k"), "%s", s);
	/* Bit order: byte 0 = 1 -> first digit 1; byte 0 = 0x20 -> second 1. */
	memset(key, 0, 32);
	key[0] = 1;
	kn_addr_key_to_b32(key, s);
	KN_CHECK(s[0] == '1' && s[1] == '0');
	key[0] = 0x20;
	kn_addr_key_to_b32(key, s);
	KN_CHECK(s[0] == '0' && s[1] == '1');
}

static void test_b32_reject(void)
{
	char s[80];
	u8 key[32], orig[32];

	memset(orig, 0x5a, 32);
	memcpy(key, orig, 32);
	strcpy(s, cj_pub_b32);
	/* Lengths. */
	KN_CHECK(kn_addr_b32_to_key(s, 0, key) == -EINVAL);
	KN_CHECK(kn_addr_b32_to_key(s, 51, key) == -EINVAL);
	KN_CHECK(kn_addr_b32_to_key(s, 53, key) == -EINVAL, "52 digits and a '.'");
	KN_CHECK(kn_addr_b32_to_key("0000000000000000000000000000000000000000000000000000"
				    "0", 53, key) == -EINVAL, "53 digits");
	KN_CHECK(kn_addr_b32_to_key("00000000000000000000000000000000000000000000000000000"
				    ".k", 55, key) == -EINVAL, "53 digits .k");
	KN_CHECK(kn_addr_b32_to_key("000000000000000000000000000000000000000000000000000"
				    ".k", 53, key) == -EINVAL, "51 digits .k");
	strcpy(s, cj_pub_b32);
	s[53] = 'K';
	KN_CHECK(kn_addr_b32_to_key(s, 54, key) == -EINVAL, ".K");
	strcpy(s, cj_pub_b32);
	s[52] = ',';
	KN_CHECK(kn_addr_b32_to_key(s, 54, key) == -EINVAL, ",k");
	/* Characters outside the alphabet, anywhere. */
	{
		static const char badc[] = "aeioAZU.-+/= \n";
		unsigned int i, pos;

		for (i = 0; i < sizeof(badc) - 1; i++) {
			for (pos = 0; pos < 52; pos += 17) {
				strcpy(s, cj_pub_b32);
				s[pos] = badc[i];
				KN_CHECK(kn_addr_b32_to_key(s, 54, key) == -EINVAL,
					 "char '%c' at %u", badc[i], pos);
			}
		}
		strcpy(s, cj_pub_b32);
		s[10] = '\0';
		KN_CHECK(kn_addr_b32_to_key(s, 54, key) == -EINVAL, "NUL inside");
		strcpy(s, cj_pub_b32);
		s[3] = (char)0xc3;
		KN_CHECK(kn_addr_b32_to_key(s, 54, key) == -EINVAL, "8-bit char");
	}
	/* Non-canonical: padding bits of the last digit set (values 2..31). */
	{
		static const char alpha[] = "0123456789bcdfghjklmnpqrstuvwxyz";
		int v, ok = 0;

		for (v = 0; v < 32; v++) {
			strcpy(s, cj_pub_b32);
			s[51] = alpha[v];
			if (kn_addr_b32_to_key(s, 54, key) == 0)
				ok |= 1 << v;
		}
		KN_CHECK(ok == 3, "only last digits 0 and 1 accepted: mask %x", ok);
	}
	/* Failed decodes leave the output alone. */
	memcpy(key, orig, 32);
	strcpy(s, cj_pub_b32);
	s[51] = 'z';
	KN_CHECK(kn_addr_b32_to_key(s, 54, key) == -EINVAL);
	KN_CHECK_MEM(key, orig, 32, "output untouched on failure");
}

static void test_hex(void)
{
	u8 key[32], key2[32];
	char s[80];
	int i;

	strcpy(s, cj_priv_hex);
	for (i = 0; s[i]; i++)
		if (s[i] >= 'a' && s[i] <= 'f')
			s[i] -= 32;
	KN_CHECK(kn_addr_hex_to_key(cj_priv_hex, 64, key) == 0);
	KN_CHECK(kn_addr_hex_to_key(s, 64, key2) == 0, "upper case");
	KN_CHECK_MEM(key, key2, 32, "case-insensitive");
	KN_CHECK(kn_addr_hex_to_key("000102030405060708090a0b0c0d0e0f"
				    "F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF", 64, key) == 0);
	for (i = 0; i < 16; i++)
		KN_CHECK(key[i] == i && key[16 + i] == 0xf0 + i, "byte %d", i);
	KN_CHECK(kn_addr_hex_to_key(cj_priv_hex, 63, key) == -EINVAL);
	KN_CHECK(kn_addr_hex_to_key(cj_priv_hex, 0, key) == -EINVAL);
	{
		static const char badc[] = "gGxz /:@`[{\n";
		unsigned int j;

		for (j = 0; j < sizeof(badc) - 1; j++) {
			strcpy(s, cj_priv_hex);
			s[j * 5] = badc[j];
			memset(key, 0x77, 32);
			KN_CHECK(kn_addr_hex_to_key(s, 64, key) == -EINVAL, "char '%c'",
				 badc[j]);
			for (i = 0; i < 32 && !key[i]; i++)
				;
			KN_CHECK(i == 32, "key zeroed after failure");
		}
	}
	/* Every byte value: only 0-9a-fA-F decode. */
	{
		int c, good = 0;

		for (c = 1; c < 256; c++) {
			memset(s, '0', 64);
			s[0] = (char)c;
			if (!kn_addr_hex_to_key(s, 64, key)) {
				good++;
				KN_CHECK(key[0] >> 4 == (c <= '9' ? c - '0' : (c | 32) - 'a' + 10));
			}
		}
		KN_CHECK(good == 22, "%d accepted", good);
	}
}

/*
 * The property "genkey --cjdns" relies on: brute-forcing keys until H
 * starts with 0xfc gives, at fc00::/8, exactly cjdns' address, while
 * other keys differ from the first 16 bytes of H only in the prefix.
 */
static void test_cjdns_genkey_property(void)
{
	u8 priv[32], pub[32], h[64], prefix[16], addr[16];
	int tries, found = 0;

	kn_addr_default_prefix(prefix);
	for (tries = 0; tries < 20000 && !found; tries++) {
		if (RAND_bytes(priv, 32) != 1 || x25519_pub(priv, pub))
			break;
		hash2(pub, h);
		kn_addr_from_hash(h, prefix, 8, addr);
		KN_CHECK(addr[0] == 0xfc);
		KN_CHECK(!memcmp(addr + 1, h + 1, 15), "only byte 0 from the prefix");
		if (h[0] == 0xfc) {
			found = 1;
			KN_CHECK_MEM(addr, h, 16, "cjdns-compatible key");
		}
	}
	KN_CHECK(found, "no fc key in %d tries", tries);
}

int main(void)
{
	KN_RUN(test_cjdns_pair);
	KN_RUN(test_linklocal);
	KN_RUN(test_prefix_rule);
	KN_RUN(test_prefix_valid);
	KN_RUN(test_b32_roundtrip);
	KN_RUN(test_b32_reject);
	KN_RUN(test_hex);
	KN_RUN(test_cjdns_genkey_property);
	return kn_test_done();
}
