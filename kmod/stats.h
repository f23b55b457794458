/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-device drop counters by reason (enum keynet_drop), per CPU so the
 * data path never shares a cache line to count.  Read by netlink as the
 * sum over CPUs; a torn read of one 64-bit counter cannot happen on the
 * 64-bit machines keynet targets, and a sum that is a few packets stale
 * is acceptable for counters.
 */
#ifndef _KN_STATS_H
#define _KN_STATS_H

#include <linux/percpu.h>
#include <uapi/linux/keynet.h>

struct kn_drop_stats {
	u64 count[__KEYNET_DROP_MAX];
};

static inline void kn_drop_count(struct kn_drop_stats __percpu *s,
				 enum keynet_drop reason)
{
	this_cpu_inc(s->count[reason]);
}

static inline u64 kn_drop_sum(struct kn_drop_stats __percpu *s,
			      enum keynet_drop reason)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(s, cpu)->count[reason];
	return sum;
}

#endif /* _KN_STATS_H */
