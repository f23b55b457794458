/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT64 address mappings of one device: static maps (one IPv4 address to
 * one IPv6 address, as TAYGA's "map") and the dynamic pool (an IPv6 host
 * outside the prefix gets a free IPv4 address of the pool on its first
 * packet; the mapping expires after an idle timeout).
 *
 * Both kinds live in the same two hash tables, by IPv4 and by IPv6
 * address, so one lookup per direction serves the data path.
 */
#ifndef _KN_NAT64_POOL_H
#define _KN_NAT64_POOL_H

#include <linux/types.h>
#include <linux/in6.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct kn_device;

#define KN_NAT64_HASH_BITS	10
/* Pool ranges per device, and addresses in all of them together. */
#define KN_NAT64_POOL_RANGES	8
#define KN_NAT64_POOL_MAX	65536
/* Static mappings per device. */
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
 * @dynamic: allocated from the pool (expires), else static
 * @p64: the count of the source's /64 (dynamic mappings only; pool lock)
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
	unsigned long created;
	unsigned long last_used;
	struct rcu_head rcu;
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
 * @used: one bit per pool address, set when a mapping (static or dynamic)
 *	holds it (@lock)
 * @cursor: where the next allocation starts looking (@lock)
 * @n_dynamic: dynamic mappings (@lock; read racily for display)
 * @n_static: static mappings (@lock; same)
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
	unsigned long *used;
	u32 cursor;
	u32 n_dynamic;
	u32 n_static;
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

int kn_nat64_map_add(struct kn_nat64_pool *p, __be32 v4,
		     const struct in6_addr *v6, bool dynamic, u32 idle);
int kn_nat64_map_del(struct kn_nat64_pool *p, const __be32 *v4,
		     const struct in6_addr *v6);
int kn_nat64_range_add(struct kn_nat64_pool *p, __be32 base, u8 plen);
int kn_nat64_range_del(struct kn_nat64_pool *p, __be32 base, u8 plen);

typedef int (*kn_nat64_map_fn)(const struct kn_nat64_map *m, void *arg);
u64 kn_nat64_map_walk(struct kn_nat64_pool *p, u64 pos, kn_nat64_map_fn fn,
		      void *arg);

#endif /* _KN_NAT64_POOL_H */
