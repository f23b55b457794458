// SPDX-License-Identifier: GPL-2.0
/*
 * Key-derived addresses in the kernel: SHA-512 comes from the crypto API
 * (lib/crypto has no SHA-512 in the kernels keynet supports); the rule
 * that turns the hash into an address is the pure kn_addr_from_hash()
 * shared with the tool and the unit tests.
 *
 * One transform for the module, allocated at load; each derivation uses
 * its own descriptor on the stack, so concurrent callers need no lock.
 */
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/string.h>

#include "addr.h"
#include "addr_derive.h"

static struct crypto_shash *kn_sha512;

int kn_addr_init(void)
{
	kn_sha512 = crypto_alloc_shash("sha512", 0, 0);
	if (IS_ERR(kn_sha512)) {
		int ret = PTR_ERR(kn_sha512);

		kn_sha512 = NULL;
		return ret;
	}
	return 0;
}

void kn_addr_uninit(void)
{
	crypto_free_shash(kn_sha512);
	kn_sha512 = NULL;
}

/* @out = the address of public key @key under @prefix / @plen. */
int kn_addr_of_key(const u8 *key, const u8 *prefix, unsigned int plen,
		   u8 *out)
{
	SHASH_DESC_ON_STACK(desc, kn_sha512);
	u8 h[64];
	int ret;

	desc->tfm = kn_sha512;
	ret = crypto_shash_digest(desc, key, 32, h);
	if (!ret)
		ret = crypto_shash_digest(desc, h, sizeof(h), h);
	shash_desc_zero(desc);
	if (ret)
		return ret;
	kn_addr_from_hash(h, prefix, plen, out);
	return 0;
}
