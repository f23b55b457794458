/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key-derived IPv6 addresses and cjdns' key formats (pure: see pure.h).
 *
 * A public key's address is the first plen bits of the device's
 * addressing prefix followed by bits plen..127 of
 * H = SHA-512(SHA-512(public key)).  With the default fc00::/8 this is
 * cjdns' address of every key cjdns accepts (those whose H starts with
 * 0xfc).  No hashing happens here: the caller computes H (the kernel
 * with its sha512, the tool with OpenSSL), so this file stays free of
 * crypto dependencies.
 */
#ifndef _KN_ADDR_DERIVE_H
#define _KN_ADDR_DERIVE_H

#include "pure.h"

/* Length of H = SHA-512(SHA-512(key)) in bytes. */
#define KN_ADDR_HASH_LEN	64
/* Length of the keys handled here (Curve25519). */
#define KN_ADDR_KEY_LEN		32
/* Shortest and longest addressing prefix. */
#define KN_ADDR_PLEN_MIN	8
#define KN_ADDR_PLEN_MAX	64
/* First byte of the default addressing prefix fc00::/8. */
#define KN_ADDR_DEFAULT_BYTE0	0xfc
#define KN_ADDR_DEFAULT_PLEN	8

/* cjdns base32 of a 32-byte key: 52 digits, then ".k". */
#define KN_ADDR_B32_DIGITS	52
#define KN_ADDR_B32_STRLEN	(KN_ADDR_B32_DIGITS + 2)
/* A private key as hex, as in cjdroute.conf: 64 digits. */
#define KN_ADDR_HEX_DIGITS	(2 * KN_ADDR_KEY_LEN)

void kn_addr_from_hash(const u8 h[KN_ADDR_HASH_LEN], const u8 prefix[16],
		       unsigned int plen, u8 out[16]);
bool kn_addr_prefix_valid(const u8 prefix[16], unsigned int plen);
void kn_addr_default_prefix(u8 prefix[16]);
void kn_addr_linklocal(const u8 addr[16], u8 out[16]);

void kn_addr_key_to_b32(const u8 key[KN_ADDR_KEY_LEN],
			char out[KN_ADDR_B32_STRLEN + 1]);
int kn_addr_b32_to_key(const char *in, size_t len, u8 key[KN_ADDR_KEY_LEN]);
int kn_addr_hex_to_key(const char *in, size_t len, u8 key[KN_ADDR_KEY_LEN]);

#endif /* _KN_ADDR_DERIVE_H */
