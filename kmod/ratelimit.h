/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-source-address rate limit for handshake messages: a token bucket
 * per source (IPv4 address, or IPv6 /64 so one host cannot escape the
 * limit by cycling through its own prefix).  Buckets live in a fixed
 * array indexed by a keyed hash of the source: memory is bounded whatever
 * the number of sources, and a collision only makes two sources share one
 * bucket (stricter, never looser).
 *
 * Locking: only the device's single handshake worker calls
 * kn_ratelimit_allow(), so the buckets need no lock.
 */
#ifndef _KN_RATELIMIT_H
#define _KN_RATELIMIT_H

#include <linux/minmax.h>
#include <linux/siphash.h>
#include <linux/types.h>

#define KN_RATELIMIT_SLOTS	4096
/* 20 handshake messages per second per source, bursts of 5. */
#define KN_RATELIMIT_PER_SEC	20
#define KN_RATELIMIT_BURST	5

struct kn_ratelimit_slot;

/*
 * A token bucket kept as credit in nanoseconds of rate: refill by the
 * time since *@last_ns, up to @max_ns, then take @cost_ns if it is there.
 * The caller serialises calls on one bucket.
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

struct kn_ratelimit {
	siphash_key_t key;
	struct kn_ratelimit_slot *slots;
};

int kn_ratelimit_init(struct kn_ratelimit *rl);
void kn_ratelimit_uninit(struct kn_ratelimit *rl);
bool kn_ratelimit_allow(struct kn_ratelimit *rl, const u8 *addr,
			unsigned int alen, u64 now_ns);

#endif /* _KN_RATELIMIT_H */
