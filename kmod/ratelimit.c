// SPDX-License-Identifier: GPL-2.0
/* Handshake rate limiting per source address; see ratelimit.h. */
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/string.h>

#include "ratelimit.h"

int kn_ratelimit_init(struct kn_ratelimit *rl)
{
	get_random_bytes(&rl->key, sizeof(rl->key));
	rl->slots = kvcalloc(KN_RATELIMIT_SLOTS, sizeof(*rl->slots),
			     GFP_KERNEL_ACCOUNT);
	return rl->slots ? 0 : -ENOMEM;
}

void kn_ratelimit_uninit(struct kn_ratelimit *rl)
{
	kvfree(rl->slots);
	rl->slots = NULL;
}

bool kn_ratelimit_allow(struct kn_ratelimit *rl, const u8 *addr,
			unsigned int alen, u64 now_ns)
{
	u8 key[8] = { 0 };
	unsigned int klen = alen == 16 ? 8 : 4;
	u64 h;

	memcpy(key, addr, klen);
	h = siphash(key, sizeof(key), &rl->key) ^ klen;
	return kn_rl_table_take(rl->slots, KN_RATELIMIT_SLOTS, h, now_ns);
}
