// SPDX-License-Identifier: GPL-2.0
/*
 * crypto.h on the kernel's lib/crypto.  This is the one file that
 * absorbs API differences between the supported kernels:
 *  - 6.19 renamed struct blake2s_state to struct blake2s_ctx (and reordered
 *    the arguments of the one-shot blake2s(), which is therefore not used
 *    here: only init/init_key/update/final, whose order did not change).
 *    Kbuild probes include/crypto/blake2s.h and defines KN_HAVE_BLAKE2S_CTX.
 * The functions are kernel-only; the pure protocol files call them.
 */
#include <linux/random.h>
#include <linux/string.h>
#include <crypto/algapi.h>
#include <crypto/blake2s.h>
#include <crypto/chacha20poly1305.h>
#include <crypto/curve25519.h>

#include "crypto.h"

#ifdef KN_HAVE_BLAKE2S_CTX
#define kn_blake2s_ctx blake2s_ctx
#else
#define kn_blake2s_ctx blake2s_state
#endif

void kn_hash(u8 out[32], const void *in, size_t len)
{
	struct kn_blake2s_ctx ctx;

	blake2s_init(&ctx, BLAKE2S_HASH_SIZE);
	blake2s_update(&ctx, in, len);
	blake2s_final(&ctx, out);
}

void kn_hash2(u8 out[32], const void *a, size_t alen, const void *b,
	      size_t blen)
{
	struct kn_blake2s_ctx ctx;

	blake2s_init(&ctx, BLAKE2S_HASH_SIZE);
	blake2s_update(&ctx, a, alen);
	blake2s_update(&ctx, b, blen);
	blake2s_final(&ctx, out);
}

void kn_mac(u8 out[16], const u8 *key, size_t keylen, const void *in,
	    size_t len)
{
	struct kn_blake2s_ctx ctx;

	blake2s_init_key(&ctx, BLAKE2S_128_HASH_SIZE, key, keylen);
	blake2s_update(&ctx, in, len);
	blake2s_final(&ctx, out);
}

void kn_aead_seal(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		  size_t adlen, u64 counter, const u8 key[32])
{
	chacha20poly1305_encrypt(dst, src, len, ad, adlen, counter, key);
}

bool kn_aead_open(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		  size_t adlen, u64 counter, const u8 key[32])
{
	if (len < CHACHA20POLY1305_AUTHTAG_SIZE)
		return false;
	return chacha20poly1305_decrypt(dst, src, len, ad, adlen, counter,
					key);
}

bool kn_aead_seal_sg(struct scatterlist *sg, size_t len, u64 counter,
		     const u8 key[32])
{
	return chacha20poly1305_encrypt_sg_inplace(sg, len, NULL, 0, counter,
						   key);
}

bool kn_aead_open_sg(struct scatterlist *sg, size_t len, u64 counter,
		     const u8 key[32])
{
	if (len < CHACHA20POLY1305_AUTHTAG_SIZE)
		return false;
	return chacha20poly1305_decrypt_sg_inplace(sg, len, NULL, 0, counter,
						   key);
}

void kn_xaead_seal(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		   size_t adlen, const u8 nonce[24], const u8 key[32])
{
	xchacha20poly1305_encrypt(dst, src, len, ad, adlen, nonce, key);
}

bool kn_xaead_open(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		   size_t adlen, const u8 nonce[24], const u8 key[32])
{
	if (len < CHACHA20POLY1305_AUTHTAG_SIZE)
		return false;
	return xchacha20poly1305_decrypt(dst, src, len, ad, adlen, nonce, key);
}

bool kn_dh(u8 out[32], const u8 priv[32], const u8 pub[32])
{
	/* curve25519() clamps the scalar and reports an all-zero result. */
	if (!curve25519(out, priv, pub)) {
		memzero_explicit(out, CURVE25519_KEY_SIZE);
		return false;
	}
	return true;
}

void kn_dh_generate(u8 priv[32])
{
	/*
	 * Not curve25519_generate_secret(): that one may sleep waiting for
	 * entropy, and handshakes are also built from softirq context.
	 */
	get_random_bytes(priv, CURVE25519_KEY_SIZE);
	curve25519_clamp_secret(priv);
}

bool kn_dh_pubkey(u8 pub[32], const u8 priv[32])
{
	return curve25519_generate_public(pub, priv);
}

void kn_random_bytes(void *buf, size_t len)
{
	get_random_bytes(buf, len);
}

void kn_memzero(void *buf, size_t len)
{
	memzero_explicit(buf, len);
}

bool kn_memeq(const void *a, const void *b, size_t len)
{
	return !crypto_memneq(a, b, len);
}
