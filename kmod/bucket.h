/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token buckets, and the handshake limiter's table of them (pure: kernel
 * and userspace, see pure.h; the kernel side is ratelimit.c).
 *
 * A bucket keeps its credit in nanoseconds of rate.  The limiter's table
 * is a fixed array of buckets indexed by a keyed hash of the source
 * (ratelimit.h says what a source is).  A bucket belongs to its slot, not
 * to a source: every source that hashes to a slot draws on the same
 * credit.  So memory is bounded whatever the number of sources, a
 * collision only makes two sources share one bucket (stricter, never
 * looser), and however many sources there are, the table as a whole
 * accepts at most KN_RATELIMIT_SLOTS x (KN_RATELIMIT_BURST +
 * KN_RATELIMIT_PER_SEC x seconds) messages.  (A slot that a new source
 * took over with a full bucket, as an earlier version did, let sources
 * that collide take turns to get fresh credit: no limit at all once there
 * are more sources than slots.)
 */
#ifndef _KN_BUCKET_H
#define _KN_BUCKET_H

#include "pure.h"

#define KN_RATELIMIT_SLOTS	4096
/* 20 handshake messages per second per slot, bursts of 5. */
#define KN_RATELIMIT_PER_SEC	20
#define KN_RATELIMIT_BURST	5
#define KN_RL_COST_NS		(1000000000ULL / KN_RATELIMIT_PER_SEC)
#define KN_RL_MAX_NS		(KN_RL_COST_NS * KN_RATELIMIT_BURST)

/*
 * Refill the bucket (*@credit_ns, *@last_ns) by the time since *@last_ns,
 * up to @max_ns, then take @cost_ns if it is there.  @now must not go
 * backwards.  The caller serialises calls on one bucket.  A zeroed bucket
 * is full from @now >= @max_ns on.
 */
static inline bool kn_bucket_take(u64 *credit_ns, u64 *last_ns, u64 now,
				  u64 cost_ns, u64 max_ns)
{
	*credit_ns = min_t(u64, max_ns, *credit_ns + (now - *last_ns));
	*last_ns = now;
	if (*credit_ns < cost_ns)
		return false;
	*credit_ns -= cost_ns;
	return true;
}

struct kn_rl_bucket {
	u64 credit_ns;
	u64 last_ns;
};

/*
 * One handshake message from a source whose keyed hash is @hash, at
 * @now: true if the slot's shared bucket has the credit.  @slots holds
 * @nslots zeroed-at-start buckets.
 */
static inline bool kn_rl_table_take(struct kn_rl_bucket *slots, u32 nslots,
				    u64 hash, u64 now)
{
	struct kn_rl_bucket *b = &slots[hash % nslots];

	return kn_bucket_take(&b->credit_ns, &b->last_ns, now, KN_RL_COST_NS,
			      KN_RL_MAX_NS);
}

#endif /* _KN_BUCKET_H */
