/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cryptographic primitives keynet's pure protocol code is written
 * against.  Two implementations exist: kmod/crypto.c on the kernel's
 * lib/crypto (the only place that knows about API differences between
 * kernel versions) and selftests/unit/crypto_user.c on OpenSSL 3 and
 * libsodium for the userspace tests and fuzzers.
 *
 * No function here allocates, sleeps or fails except where a bool or int
 * result says so; all may be called in softirq context.  Buffers may be
 * at any alignment.  Sizes of keys are fixed (KN_KEY_LEN etc. in
 * messages.h).
 */
#ifndef _KN_CRYPTO_H
#define _KN_CRYPTO_H

#include "pure.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#endif

/* BLAKE2s-256 of @in. */
void kn_hash(u8 out[32], const void *in, size_t len);

/* BLAKE2s-256 of the concatenation a || b (either length may be 0). */
void kn_hash2(u8 out[32], const void *a, size_t alen, const void *b,
	      size_t blen);

/*
 * Keyed BLAKE2s with a 16-byte output (WireGuard's MAC): mac1, mac2 and
 * cookies.  @keylen is 1..32.
 */
void kn_mac(u8 out[16], const u8 *key, size_t keylen, const void *in,
	    size_t len);

/*
 * ChaCha20-Poly1305 (RFC 8439) with the 96-bit nonce 0^32 || LE64(counter).
 * seal writes len + 16 bytes to @dst; open reads @len bytes (ciphertext and
 * tag, len >= 16) and writes len - 16 bytes, returning false (and leaving
 * @dst unspecified) when the tag does not verify.  @dst may equal @src.
 */
void kn_aead_seal(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		  size_t adlen, u64 counter, const u8 key[32]);
bool __must_check kn_aead_open(u8 *dst, const u8 *src, size_t len,
			       const u8 *ad, size_t adlen, u64 counter,
			       const u8 key[32]);

/* XChaCha20-Poly1305 with a 24-byte nonce; otherwise as above. */
void kn_xaead_seal(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		   size_t adlen, const u8 nonce[24], const u8 key[32]);
bool __must_check kn_xaead_open(u8 *dst, const u8 *src, size_t len,
				const u8 *ad, size_t adlen,
				const u8 nonce[24], const u8 key[32]);

/*
 * X25519.  kn_dh() returns false when the shared secret is all zeros (the
 * peer's point has small order); @out is then zero and must not be used.
 * kn_dh_generate() makes a fresh clamped private key; kn_dh_pubkey()
 * returns false for an all-zero private key.
 */
bool __must_check kn_dh(u8 out[32], const u8 priv[32], const u8 pub[32]);
void kn_dh_generate(u8 priv[32]);
bool __must_check kn_dh_pubkey(u8 pub[32], const u8 priv[32]);

/* Cryptographically secure random bytes (never blocks). */
void kn_random_bytes(void *buf, size_t len);

/* Zero secrets in a way the compiler cannot elide. */
void kn_memzero(void *buf, size_t len);

/* Constant-time comparison: true when equal. */
bool kn_memeq(const void *a, const void *b, size_t len);

#ifdef __KERNEL__
struct scatterlist;
/*
 * The same AEAD in place over a scatterlist (an skb's data, kernel only):
 * seal encrypts @len bytes and writes the 16-byte tag after them (the
 * list must cover len + 16 bytes); open takes @len = ciphertext + tag.
 */
bool kn_aead_seal_sg(struct scatterlist *sg, size_t len, u64 counter,
		     const u8 key[32]);
bool __must_check kn_aead_open_sg(struct scatterlist *sg, size_t len,
				  u64 counter, const u8 key[32]);
#endif

#ifndef __KERNEL__
/*
 * Userspace test hook: queue bytes that the next kn_random_bytes() calls
 * return before falling back to the real generator, so that tests can fix
 * ephemeral keys and nonces for known-answer vectors.
 */
void kn_user_queue_random(const void *buf, size_t len);
#endif

#endif /* _KN_CRYPTO_H */
