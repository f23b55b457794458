/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of the routing table (kmod/lpm*.c) beyond pure.h: RCU
 * publication, the assertion that the caller holds the table's update
 * mutex, and object allocation with freeing deferred past an RCU grace
 * period (lpm_env.c).
 *
 * Kernel: the real primitives; objects come from one kmem_cache per
 * object kind (kn_lpm_init_caches()), and deferred frees are batched into
 * page-sized arrays handed to call_rcu() (see struct kn_lpm_gc), so the
 * objects themselves carry no rcu_head.
 *
 * Userspace: single-threaded stand-ins.  "Deferred" frees happen at once,
 * which is stricter than the kernel (ASan reports any touch of an object
 * after its deferred free).  Allocations are counted in bytes for the
 * benchmark and can be made to fail for the -ENOMEM tests.
 */
#ifndef _KN_LPM_ENV_H
#define _KN_LPM_ENV_H

#include "pure.h"

/*
 * Object kinds; the value also tags pointers in a free batch, so it must
 * fit in the three low bits of an 8-byte-aligned pointer.  IPv6 routes of
 * at most 64 bits carry only those 8 bytes of key (ROUTE6S).
 */
enum kn_lpm_kind {
	KN_LPM_NODE,
	KN_LPM_ROUTE4,
	KN_LPM_ROUTE6S,
	KN_LPM_ROUTE6,
	KN_LPM_GNODE,
	KN_LPM_NKINDS
};

#define KN_LPM_KIND_MASK	7UL

#ifdef __KERNEL__

#include <linux/rcupdate.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>

struct kn_lpm_gc_batch;

/**
 * struct kn_lpm_gc - objects of one table waiting for a grace period
 * @batch: the batch being filled by the current update, or NULL.  It is
 *	handed to call_rcu() when full and at the end of every update
 *	(kn_lpm_gc_flush()), so it only lives while the update mutex is held.
 */
struct kn_lpm_gc {
	struct kn_lpm_gc_batch *batch;
};

#define KN_LPM_ASSERT_LOCKED(lock) lockdep_assert_held(lock)
/* Read an __rcu pointer on the update side (the table mutex is held). */
#define kn_lpm_protected(p, lock) rcu_dereference_protected(p, lockdep_is_held(lock))
/*
 * Read an __rcu pointer on the read side: the data path holds
 * rcu_read_lock_bh() (transmit, the receive worker), netlink dumps and
 * the control path rcu_read_lock(); either keeps the nodes alive, since
 * they are freed after a normal grace period (which waits for BH-disabled
 * regions too).
 */
#define kn_lpm_rcu(p) rcu_dereference_check(p, rcu_read_lock_bh_held())

#else /* userspace */

#include <stdlib.h>

struct mutex;

#ifndef __rcu
#define __rcu
#endif
#ifndef READ_ONCE
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#endif
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#endif
#ifndef rcu_dereference
#define rcu_dereference(p) __atomic_load_n(&(p), __ATOMIC_CONSUME)
#endif
#ifndef rcu_assign_pointer
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#endif
#define kn_lpm_rcu(p) rcu_dereference(p)
#ifndef rcu_access_pointer
#define rcu_access_pointer(p) READ_ONCE(p)
#endif
#ifndef WARN_ON
#define WARN_ON(cond) ({ int __kn_w = !!(cond); __kn_w; })
#endif
#ifndef RCU_INIT_POINTER
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)
#endif

struct kn_lpm_gc {
	int unused;
};

#define KN_LPM_ASSERT_LOCKED(lock) ((void)(lock))
#define kn_lpm_protected(p, lock) ((void)(lock), (p))

/* Bytes and objects currently allocated by all tables (userspace only). */
size_t kn_lpm_env_bytes(void);
unsigned long kn_lpm_env_objects(void);
/* Make the n-th allocation from now fail (1: the next one); 0 disarms. */
void kn_lpm_env_fail_nth(unsigned long n);

#endif /* __KERNEL__ */

/*
 * GFP_KERNEL allocation of one object of @kind, charged to the caller's
 * memory cgroup (the caches are SLAB_ACCOUNT); NULL when out of memory.
 */
void *kn_lpm_alloc(enum kn_lpm_kind kind);
/* Free an object that readers never saw (was never published). */
void kn_lpm_free_now(enum kn_lpm_kind kind, void *obj);
/*
 * Free an object once every RCU reader that might still see it is done.
 * May sleep (if no batch can be allocated it waits for a grace period
 * itself); never fails.
 */
void kn_lpm_free_deferred(struct kn_lpm_gc *gc, enum kn_lpm_kind kind,
			  void *obj);
/* Hand the pending batch to RCU; called at the end of every update. */
void kn_lpm_gc_flush(struct kn_lpm_gc *gc);

#endif /* _KN_LPM_ENV_H */
