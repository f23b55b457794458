/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-source-address rate limit for handshake messages: a token bucket
 * per source (IPv4 address, or IPv6 /64 so one host cannot escape the
 * limit by cycling through its own prefix).  Buckets live in a fixed
 * array indexed by a keyed hash of the source, each shared by all the
 * sources that hash to it (bucket.h): memory and the total accepted rate
 * are bounded whatever the number of sources, and a collision only makes
 * two sources share one bucket (stricter, never looser).  The hash key is
 * random per device, so a remote host cannot aim at an honest source's
 * bucket.
 *
 * Locking: only the device's single handshake worker calls
 * kn_ratelimit_allow(), so the buckets need no lock.
 */
#ifndef _KN_RATELIMIT_H
#define _KN_RATELIMIT_H

#include <linux/siphash.h>
#include <linux/types.h>

#include "bucket.h"

struct kn_ratelimit {
	siphash_key_t key;
	struct kn_rl_bucket *slots;
};

int kn_ratelimit_init(struct kn_ratelimit *rl);
void kn_ratelimit_uninit(struct kn_ratelimit *rl);
bool kn_ratelimit_allow(struct kn_ratelimit *rl, const u8 *addr,
			unsigned int alen, u64 now_ns);

#endif /* _KN_RATELIMIT_H */
