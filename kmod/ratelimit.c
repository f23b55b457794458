// SPDX-License-Identifier: GPL-2.0
/* Handshake rate limiting per source address; see ratelimit.h. */
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "ratelimit.h"

#define KN_RL_COST_NS	(NSEC_PER_SEC / KN_RATELIMIT_PER_SEC)
#define KN_RL_MAX_NS	(KN_RL_COST_NS * KN_RATELIMIT_BURST)

struct kn_ratelimit_slot {
	u8 addr[8];	/* IPv4 address or IPv6 /64 */
	u8 alen;
	u64 tokens_ns;	/* credit, in nanoseconds of rate */
	u64 last_ns;
};

int kn_ratelimit_init(struct kn_ratelimit *rl)
{
	get_random_bytes(&rl->key, sizeof(rl->key));
	rl->slots = kvcalloc(KN_RATELIMIT_SLOTS, sizeof(*rl->slots),
			     GFP_KERNEL);
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
	struct kn_ratelimit_slot *s;
	u8 key[8] = { 0 };
	unsigned int klen = alen == 16 ? 8 : 4;
	u64 h;

	memcpy(key, addr, klen);
	h = siphash(key, sizeof(key), &rl->key) ^ klen;
	s = &rl->slots[h % KN_RATELIMIT_SLOTS];
	if (s->alen != klen || memcmp(s->addr, key, sizeof(key))) {
		/* A new source takes the slot with a full bucket. */
		memcpy(s->addr, key, sizeof(key));
		s->alen = klen;
		s->tokens_ns = KN_RL_MAX_NS;
		s->last_ns = now_ns;
	}
	return kn_bucket_take(&s->tokens_ns, &s->last_ns, now_ns, KN_RL_COST_NS,
			      KN_RL_MAX_NS);
}
