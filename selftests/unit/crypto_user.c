// SPDX-License-Identifier: GPL-2.0
/*
 * crypto.h for userspace tests and fuzzers: OpenSSL 3 (BLAKE2s,
 * ChaCha20-Poly1305, X25519) and libsodium (XChaCha20-Poly1305).  Link
 * with -lcrypto -lsodium.  Any library failure other than a tag mismatch
 * or a zero DH result aborts: a test must not silently continue on a
 * broken primitive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sodium.h>

#include "crypto.h"

static void kn_user_die(const char *what)
{
	fprintf(stderr, "crypto_user: %s failed\n", what);
	ERR_print_errors_fp(stderr);
	abort();
}

static void kn_hash_parts(u8 *out, const void *a, size_t alen,
			  const void *b, size_t blen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int olen = 0;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_blake2s256(), NULL) ||
	    (alen && !EVP_DigestUpdate(ctx, a, alen)) ||
	    (blen && !EVP_DigestUpdate(ctx, b, blen)) ||
	    !EVP_DigestFinal_ex(ctx, out, &olen) || olen != 32)
		kn_user_die("blake2s256");
	EVP_MD_CTX_free(ctx);
}

void kn_hash(u8 out[32], const void *in, size_t len)
{
	kn_hash_parts(out, in, len, NULL, 0);
}

void kn_hash2(u8 out[32], const void *a, size_t alen, const void *b,
	      size_t blen)
{
	kn_hash_parts(out, a, alen, b, blen);
}

void kn_mac(u8 out[16], const u8 *key, size_t keylen, const void *in,
	    size_t len)
{
	static EVP_MAC *mac;
	EVP_MAC_CTX *ctx;
	OSSL_PARAM params[3];
	size_t outsize = 16, olen = 0;

	if (!mac)
		mac = EVP_MAC_fetch(NULL, "BLAKE2SMAC", NULL);
	if (!mac || keylen < 1 || keylen > 32)
		kn_user_die("BLAKE2SMAC fetch");
	ctx = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &outsize);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY,
						      (void *)key, keylen);
	params[2] = OSSL_PARAM_construct_end();
	if (!ctx || !EVP_MAC_CTX_set_params(ctx, params) ||
	    !EVP_MAC_init(ctx, NULL, 0, NULL) ||
	    (len && !EVP_MAC_update(ctx, in, len)) ||
	    !EVP_MAC_final(ctx, out, &olen, 16) || olen != 16)
		kn_user_die("BLAKE2SMAC");
	EVP_MAC_CTX_free(ctx);
}

static void kn_nonce96(u8 iv[12], u64 counter)
{
	memset(iv, 0, 4);
	kn_put_le64(iv + 4, counter);
}

void kn_aead_seal(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		  size_t adlen, u64 counter, const u8 key[32])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u8 iv[12];
	int olen;

	kn_nonce96(iv, counter);
	if (!ctx || !EVP_EncryptInit_ex(ctx, EVP_chacha20_poly1305(), NULL,
					key, iv) ||
	    (adlen && !EVP_EncryptUpdate(ctx, NULL, &olen, ad, (int)adlen)) ||
	    (len && !EVP_EncryptUpdate(ctx, dst, &olen, src, (int)len)) ||
	    !EVP_EncryptFinal_ex(ctx, dst + len, &olen) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, dst + len))
		kn_user_die("chacha20-poly1305 seal");
	EVP_CIPHER_CTX_free(ctx);
}

bool kn_aead_open(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		  size_t adlen, u64 counter, const u8 key[32])
{
	EVP_CIPHER_CTX *ctx;
	u8 iv[12], tag[16];
	int olen, ok;

	if (len < 16)
		return false;
	len -= 16;
	memcpy(tag, src + len, 16);
	kn_nonce96(iv, counter);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || !EVP_DecryptInit_ex(ctx, EVP_chacha20_poly1305(), NULL,
					key, iv) ||
	    (adlen && !EVP_DecryptUpdate(ctx, NULL, &olen, ad, (int)adlen)) ||
	    (len && !EVP_DecryptUpdate(ctx, dst, &olen, src, (int)len)) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag))
		kn_user_die("chacha20-poly1305 open");
	ok = EVP_DecryptFinal_ex(ctx, dst + len, &olen);
	EVP_CIPHER_CTX_free(ctx);
	ERR_clear_error();
	return ok == 1;
}

static void kn_sodium_init(void)
{
	static int done;

	if (!done) {
		if (sodium_init() < 0)
			kn_user_die("sodium_init");
		done = 1;
	}
}

void kn_xaead_seal(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		   size_t adlen, const u8 nonce[24], const u8 key[32])
{
	unsigned long long clen;

	kn_sodium_init();
	crypto_aead_xchacha20poly1305_ietf_encrypt(dst, &clen, src, len, ad,
						   adlen, NULL, nonce, key);
}

bool kn_xaead_open(u8 *dst, const u8 *src, size_t len, const u8 *ad,
		   size_t adlen, const u8 nonce[24], const u8 key[32])
{
	unsigned long long mlen;

	if (len < 16)
		return false;
	kn_sodium_init();
	return crypto_aead_xchacha20poly1305_ietf_decrypt(dst, &mlen, NULL,
							  src, len, ad, adlen,
							  nonce, key) == 0;
}

static const u8 kn_zero32[32];

bool kn_dh(u8 out[32], const u8 priv[32], const u8 pub[32])
{
	EVP_PKEY *sk, *pk;
	EVP_PKEY_CTX *ctx;
	size_t olen = 32;
	int ok;

	sk = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub, 32);
	if (!sk || !pk)
		kn_user_die("X25519 key");
	ctx = EVP_PKEY_CTX_new(sk, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) != 1)
		kn_user_die("X25519 derive init");
	/* OpenSSL itself refuses an all-zero result. */
	ok = EVP_PKEY_derive(ctx, out, &olen) == 1 && olen == 32;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(sk);
	ERR_clear_error();
	if (!ok || CRYPTO_memcmp(out, kn_zero32, 32) == 0) {
		explicit_bzero(out, 32);
		return false;
	}
	return true;
}

void kn_dh_generate(u8 priv[32])
{
	kn_random_bytes(priv, 32);
	priv[0] &= 248;
	priv[31] = (priv[31] & 127) | 64;
}

bool kn_dh_pubkey(u8 pub[32], const u8 priv[32])
{
	EVP_PKEY *sk;
	size_t olen = 32;

	if (CRYPTO_memcmp(priv, kn_zero32, 32) == 0)
		return false;
	sk = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
	if (!sk || EVP_PKEY_get_raw_public_key(sk, pub, &olen) != 1 ||
	    olen != 32)
		kn_user_die("X25519 public");
	EVP_PKEY_free(sk);
	return CRYPTO_memcmp(pub, kn_zero32, 32) != 0;
}

/* Test hook: a small queue of predetermined "random" bytes. */
static u8 kn_user_rnd_queue[256];
static size_t kn_user_rnd_len, kn_user_rnd_pos;

void kn_user_queue_random(const void *buf, size_t len)
{
	if (kn_user_rnd_pos == kn_user_rnd_len)
		kn_user_rnd_pos = kn_user_rnd_len = 0;
	if (len > sizeof(kn_user_rnd_queue) - kn_user_rnd_len)
		kn_user_die("random queue overflow");
	memcpy(kn_user_rnd_queue + kn_user_rnd_len, buf, len);
	kn_user_rnd_len += len;
}

void kn_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	size_t n = kn_user_rnd_len - kn_user_rnd_pos;

	if (n > len)
		n = len;
	memcpy(p, kn_user_rnd_queue + kn_user_rnd_pos, n);
	kn_user_rnd_pos += n;
	if (n < len && RAND_bytes(p + n, (int)(len - n)) != 1)
		kn_user_die("RAND_bytes");
}

void kn_memzero(void *buf, size_t len)
{
	explicit_bzero(buf, len);
}

bool kn_memeq(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
