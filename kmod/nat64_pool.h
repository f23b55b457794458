/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT64 address mappings of one device: static maps (RFC 7757 Explicit
 * Address Mappings: an IPv4 prefix to an IPv6 prefix with equal suffix
 * lengths, TAYGA's "map"; a single address is a /32 <-> /128 map) and the
 * dynamic pool (an IPv6 host outside the prefix gets a free IPv4 address
 * of the pool on its first packet; the mapping expires after an idle
 * timeout).
 *
 * How the two kinds coexist:
 *  - Every static map is in one immutable RFC 7757 table
 *    (&struct kn_nat64_statics, nat64_eam.h), searched by longest match
 *    both ways and replaced as a whole: a change (one map added or
 *    removed, or the whole set replaced) builds a new table and
 *    publishes it with one rcu_assign_pointer(); the old one is freed
 *    after a grace period.  Readers never see a half-changed set.
 *  - Dynamic mappings are single addresses in two hash tables, by IPv4
 *    and by IPv6 address, changed one by one under @lock.
 *  - They never overlap: a pool address held by a static map is never
 *    handed out (the allocation bitmap marks it), a new IPv6 source held
 *    by a static map gets the static translation instead of a pool
 *    address, and publishing a table drops (evicts) every dynamic
 *    mapping whose IPv4 or IPv6 address a map of it holds, in the same
 *    critical section.  So lookups may try the static table first and
 *    the dynamic hashes second (RFC 7757 section 3.2: EAM first) and
 *    find one answer at most.
 */
#ifndef _KN_NAT64_POOL_H
#define _KN_NAT64_POOL_H

#include <linux/types.h>
#include <linux/in6.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/mutex.h>

#include "nat64_eam.h"

struct kn_device;

#define KN_NAT64_HASH_BITS	10
/* Pool ranges per device, and addresses in all of them together. */
#define KN_NAT64_POOL_RANGES	8
#define KN_NAT64_POOL_MAX	65536
/*
 * Static maps per device (each may be a prefix).  It bounds the table
 * (40 bytes a map) and keeps a whole set in one netlink request of the
 * default socket buffer size (KEYNET_CMD_MAP_SET, about 40 bytes a map).
 */
#define KN_NAT64_STATIC_MAX	4096
#define KN_NAT64_DEFAULT_TIMEOUT	7200
/* Dynamic mappings one source /64 may hold (0: no limit). */
#define KN_NAT64_DEFAULT_PER_64	64

/**
 * struct kn_nat64_p64 - how many dynamic mappings one IPv6 /64 holds
 * @node: in &struct kn_nat64_pool.h64 (only ever used under the pool lock,
 *	so a plain hlist and kfree())
 * @pfx: the first 64 bits of the sources
 * @n: dynamic mappings of sources in @pfx; freed when it drops to 0
 */
struct kn_nat64_p64 {
	struct hlist_node node;
	u8 pfx[8];
	u32 n;
};

/**
 * struct kn_nat64_map - one IPv4 <-> IPv6 mapping
 * @node4: in the by-IPv4 table (RCU readers, writers under the pool lock)
 * @node6: in the by-IPv6 table (same)
 * @v4: the IPv4 address
 * @v6: the IPv6 address
 * @dynamic: allocated from the pool (expires), else restored; always
 *	true today: static maps live in &struct kn_nat64_statics
 * @p64: the count of the source's /64 (pool lock)
 * @evict_next: while being evicted: the next mapping of the private
 *	list kn_nat64_statics_publish() reports after dropping the lock
 * @created: jiffies at creation
 * @last_used: jiffies of the last translated packet; written by the data
 *	path without the lock (WRITE_ONCE, only when it changes)
 * @rcu: freed with kfree_rcu() once unlinked
 */
struct kn_nat64_map {
	struct hlist_node node4;
	struct hlist_node node6;
	__be32 v4;
	struct in6_addr v6;
	bool dynamic;
	struct kn_nat64_p64 *p64;
	struct kn_nat64_map *evict_next;
	unsigned long created;
	unsigned long last_used;
	struct rcu_head rcu;
};

/**
 * struct kn_nat64_statics - the static maps of a device, immutable once
 *	published in &struct kn_nat64_pool.statics
 * @t: the RFC 7757 table over @e and @by6 (kn_eam_build())
 * @by6: the IPv6 index, @n long (after @created in the same allocation)
 * @created: jiffies each map was added, indexed by &struct kn_eam.id
 *	(a map kept across a replacement keeps its time)
 * @n: number of maps
 * @rcu: freed with kvfree_rcu() once replaced
 * @e: the maps, @n long; &struct kn_eam.id is 0..@n-1, the position the
 *	map was given in
 *
 * One allocation (kvzalloc, GFP_KERNEL_ACCOUNT): 56 bytes a map.
 */
struct kn_nat64_statics {
	struct kn_eam_table t;
	struct kn_eam_ix *by6;
	unsigned long *created;
	u32 n;
	struct rcu_head rcu;
	struct kn_eam e[];
};

/* Why a set of static maps was refused: the two maps concerned. */
struct kn_nat64_conflict {
	enum kn_eam_err err;
	struct kn_eam a, b;
};

/* One pool range; @off is its first index in the pool's bitmap. */
struct kn_nat64_range {
	u32 base;		/* host order */
	u32 size;
	u32 off;
	u8 plen;
};

/* The set of ranges: immutable once published, replaced under RCU. */
struct kn_nat64_ranges {
	u32 nr;
	u32 total;
	struct kn_nat64_range r[KN_NAT64_POOL_RANGES];
	struct rcu_head rcu;
};

/**
 * struct kn_nat64_pool - the mappings of one device
 * @lock: serialises every change (BH: the data path allocates in softirq)
 * @h4: mappings by IPv4 address
 * @h6: mappings by IPv6 address
 * @ranges: the pool ranges (RCU; replaced under @lock)
 * @statics: the static maps (RCU readers; replaced under both
 *	@cfg_lock and @lock, so holding either one is enough to read it)
 * @cfg_lock: the owner's configuration mutex, which serialises every
 *	change of @statics (set once by the owner after init)
 * @used: one bit per pool address, set when a mapping (static or dynamic)
 *	holds it, or the address is reserved (@lock)
 * @cursor: where the next allocation starts looking (@lock)
 * @n_dynamic: dynamic mappings (@lock; read racily for display)
 * @timeout: idle expiry of dynamic mappings in jiffies (@lock)
 * @h64: dynamic mappings per source /64, &struct kn_nat64_p64 (@lock)
 * @per64_max: most dynamic mappings a /64 gets from the pool, 0: no
 *	limit (@lock)
 * @gen: changes with every change, for NLM_F_DUMP_INTR; starts at a
 *	random value, so a new pool (NAT64 off and on again during a dump)
 *	does not repeat an old one's generations
 * @seed: hash seed
 * @gc: expires idle dynamic mappings; rearms itself
 * @dying: set before @gc is cancelled for good (@lock)
 * @reserved: never allocated dynamically (the translator's own IPv4
 *	address; @lock)
 * @kn: the device, for MAP_NEW / MAP_EXPIRED events (set once by the
 *	owner after kn_nat64_pool_init(); NULL: no events)
 */
struct kn_nat64_pool {
	spinlock_t lock;	/* see above */
	struct hlist_head h4[1 << KN_NAT64_HASH_BITS];
	struct hlist_head h6[1 << KN_NAT64_HASH_BITS];
	struct kn_nat64_ranges __rcu *ranges;
	struct kn_nat64_statics __rcu *statics;
	struct mutex *cfg_lock;
	unsigned long *used;
	u32 cursor;
	u32 n_dynamic;
	unsigned long timeout;
	struct hlist_head h64[1 << KN_NAT64_HASH_BITS];
	u32 per64_max;
	u32 gen;
	u32 seed;
	struct delayed_work gc;
	bool dying;
	__be32 reserved;
	struct kn_device *kn;
};

int kn_nat64_pool_init(struct kn_nat64_pool *p);
void kn_nat64_pool_destroy(struct kn_nat64_pool *p);
void kn_nat64_pool_set_timeout(struct kn_nat64_pool *p, u32 seconds);
void kn_nat64_pool_set_per64(struct kn_nat64_pool *p, u32 max);
void kn_nat64_pool_reserve(struct kn_nat64_pool *p, __be32 v4);

struct kn_nat64_map *kn_nat64_map_by_v4(struct kn_nat64_pool *p, __be32 v4);
struct kn_nat64_map *kn_nat64_map_by_v6(struct kn_nat64_pool *p,
					const struct in6_addr *v6);
bool kn_nat64_pool_contains(struct kn_nat64_pool *p, __be32 v4);
int kn_nat64_pool_alloc(struct kn_nat64_pool *p, const struct in6_addr *v6,
			__be32 *v4);

/* Note a packet on @m; cheap enough for every packet. */
static inline void kn_nat64_map_touch(struct kn_nat64_map *m)
{
	unsigned long now = jiffies;

	if (READ_ONCE(m->last_used) != now)
		WRITE_ONCE(m->last_used, now);
}

int kn_nat64_map_restore(struct kn_nat64_pool *p, __be32 v4,
			 const struct in6_addr *v6, u32 idle);
int kn_nat64_map_del(struct kn_nat64_pool *p, const __be32 *v4,
		     const struct in6_addr *v6);

/* The static maps, for a reader under rcu_read_lock() of any flavour. */
static inline struct kn_nat64_statics *
kn_nat64_statics_rcu(struct kn_nat64_pool *p)
{
	return rcu_dereference_check(p->statics, rcu_read_lock_bh_held());
}

/* The static maps, for a writer (holds @cfg_lock). */
struct kn_nat64_statics *kn_nat64_statics_cfg(struct kn_nat64_pool *p);
/* Is @v4 (or @v6) held by a static map?  Caller as kn_nat64_statics_rcu(). */
bool kn_nat64_static4(struct kn_nat64_pool *p, __be32 v4);

struct kn_nat64_statics *kn_nat64_statics_alloc(u32 n);
int kn_nat64_statics_build(struct kn_nat64_statics *s,
			   const struct kn_nat64_statics *old,
			   struct kn_nat64_conflict *why);
u32 kn_nat64_statics_publish(struct kn_nat64_pool *p,
			     struct kn_nat64_statics *s);
int kn_nat64_static_add(struct kn_nat64_pool *p, const struct kn_eam *m,
			struct kn_nat64_conflict *why, u32 *evicted);
int kn_nat64_static_del(struct kn_nat64_pool *p, const struct kn_eam *m);
const struct kn_eam *kn_nat64_static_find(const struct kn_nat64_statics *s,
					  const __be32 *v4,
					  const struct in6_addr *v6, u8 len4);
int kn_nat64_range_add(struct kn_nat64_pool *p, __be32 base, u8 plen);
int kn_nat64_range_del(struct kn_nat64_pool *p, __be32 base, u8 plen);

/* Dynamic mappings only: static maps are walked through @statics. */
typedef int (*kn_nat64_map_fn)(const struct kn_nat64_map *m, void *arg);
u64 kn_nat64_map_walk(struct kn_nat64_pool *p, u64 pos, kn_nat64_map_fn fn,
		      void *arg);

#endif /* _KN_NAT64_POOL_H */
