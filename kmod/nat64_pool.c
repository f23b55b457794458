// SPDX-License-Identifier: GPL-2.0
/*
 * NAT64 static maps and dynamic pool (see nat64_pool.h).
 *
 * Locking: readers (the transmit path, dumps) walk the hash tables under
 * RCU; every change takes @lock with BH disabled, since the transmit path
 * allocates dynamic mappings in softirq context.  Unlinked mappings are
 * freed with kfree_rcu().  The pool's ranges are an immutable RCU object
 * replaced as a whole, so the data path can test "is this address in the
 * pool" without the lock.
 *
 * Events: a dynamic mapping made by traffic (kn_nat64_pool_alloc()) and
 * one expired by the idle timer (kn_nat64_gc(), under @lock: the event
 * is built with GFP_ATOMIC) are reported to the events group; mappings
 * changed by configuration are not.
 *
 * Bounds: at most KN_NAT64_POOL_MAX pool addresses (so at most that many
 * dynamic mappings) and KN_NAT64_STATIC_MAX static ones per device; the
 * allocation bitmap is sized for the maximum once.
 *
 * Per-/64 limit: one IPv6 host can pick new source addresses at will
 * (a /64 holds 2^64 of them), and each new source held a pool address
 * for the idle timeout (2 h by default), so one host could empty the
 * pool.  Every dynamic mapping is therefore counted against its source's
 * /64 (&struct kn_nat64_p64 in @h64, one entry per /64 that holds any,
 * so at most one per dynamic mapping), and kn_nat64_pool_alloc() refuses
 * a new source whose /64 is at @per64_max.  Restored dynamic mappings
 * count but are not refused (they were allowed when made); static ones
 * do not count.  Lowering the limit keeps existing mappings.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <net/ipv6.h>

#include "nat64_pool.h"
#include "events.h"

static u32 kn_h4(const struct kn_nat64_pool *p, __be32 v4)
{
	return jhash_1word((__force u32)v4, p->seed) &
	       ((1 << KN_NAT64_HASH_BITS) - 1);
}

static u32 kn_h6(const struct kn_nat64_pool *p, const struct in6_addr *v6)
{
	return jhash2((const u32 *)v6->s6_addr32, 4, p->seed) &
	       ((1 << KN_NAT64_HASH_BITS) - 1);
}

static u32 kn_h64(const struct kn_nat64_pool *p, const struct in6_addr *v6)
{
	return jhash2((const u32 *)v6->s6_addr32, 2, p->seed) &
	       ((1 << KN_NAT64_HASH_BITS) - 1);
}

/* The count of @v6's /64, or NULL when it holds no dynamic mapping. */
static struct kn_nat64_p64 *kn_p64_find(struct kn_nat64_pool *p,
					const struct in6_addr *v6)
{
	struct kn_nat64_p64 *e;

	lockdep_assert_held(&p->lock);
	hlist_for_each_entry(e, &p->h64[kn_h64(p, v6)], node)
		if (!memcmp(e->pfx, v6->s6_addr, sizeof(e->pfx)))
			return e;
	return NULL;
}

/*
 * Count the dynamic mapping @m against its /64; a new /64 takes *@spare
 * (allocated by the caller before taking the lock), which is then NULL.
 */
static void kn_p64_get(struct kn_nat64_pool *p, struct kn_nat64_map *m,
		       struct kn_nat64_p64 **spare)
{
	struct kn_nat64_p64 *e = kn_p64_find(p, &m->v6);

	if (!e) {
		e = *spare;
		*spare = NULL;
		memcpy(e->pfx, m->v6.s6_addr, sizeof(e->pfx));
		e->n = 0;
		hlist_add_head(&e->node, &p->h64[kn_h64(p, &m->v6)]);
	}
	e->n++;
	m->p64 = e;
}

static void kn_p64_put(struct kn_nat64_pool *p, struct kn_nat64_map *m)
{
	struct kn_nat64_p64 *e = m->p64;

	lockdep_assert_held(&p->lock);
	m->p64 = NULL;
	if (!e || --e->n)
		return;
	hlist_del(&e->node);
	kfree(e);
}

static struct kn_nat64_ranges *kn_ranges_locked(struct kn_nat64_pool *p)
{
	return rcu_dereference_protected(p->ranges, lockdep_is_held(&p->lock));
}

/* Bitmap index of host-order @a in @rs, or -1. */
static s64 kn_range_index(const struct kn_nat64_ranges *rs, u32 a)
{
	u32 i;

	if (!rs)
		return -1;
	for (i = 0; i < rs->nr; i++) {
		const struct kn_nat64_range *r = &rs->r[i];

		if (a - r->base < r->size)
			return r->off + (a - r->base);
	}
	return -1;
}

/*
 * Addresses never handed out: the network and broadcast addresses of
 * ranges of /30 and larger (they look odd to IPv4 hosts).
 */
static bool kn_range_reserved(const struct kn_nat64_ranges *rs, u32 idx)
{
	u32 i;

	for (i = 0; i < rs->nr; i++) {
		const struct kn_nat64_range *r = &rs->r[i];

		if (idx < r->off || idx >= r->off + r->size)
			continue;
		return r->plen <= 30 &&
		       (idx == r->off || idx == r->off + r->size - 1);
	}
	return false;
}

/* Recompute the bitmap from the mappings and the ranges (@lock held). */
static void kn_pool_rebuild(struct kn_nat64_pool *p)
{
	struct kn_nat64_ranges *rs = kn_ranges_locked(p);
	struct kn_nat64_map *m;
	u32 b, i;
	s64 idx;

	lockdep_assert_held(&p->lock);
	bitmap_zero(p->used, KN_NAT64_POOL_MAX);
	p->cursor = 0;
	if (!rs)
		return;
	for (i = 0; i < rs->total; i++)
		if (kn_range_reserved(rs, i))
			__set_bit(i, p->used);
	idx = kn_range_index(rs, ntohl(p->reserved));
	if (p->reserved && idx >= 0)
		__set_bit(idx, p->used);
	for (b = 0; b < ARRAY_SIZE(p->h4); b++) {
		hlist_for_each_entry(m, &p->h4[b], node4) {
			idx = kn_range_index(rs, ntohl(m->v4));
			if (idx >= 0)
				__set_bit(idx, p->used);
		}
	}
}

/* A dynamic @m may consume *@spare (see kn_p64_get()). */
static void kn_map_link(struct kn_nat64_pool *p, struct kn_nat64_map *m,
			struct kn_nat64_p64 **spare)
{
	s64 idx = kn_range_index(kn_ranges_locked(p), ntohl(m->v4));

	lockdep_assert_held(&p->lock);
	if (idx >= 0)
		__set_bit(idx, p->used);
	hlist_add_head_rcu(&m->node4, &p->h4[kn_h4(p, m->v4)]);
	hlist_add_head_rcu(&m->node6, &p->h6[kn_h6(p, &m->v6)]);
	if (m->dynamic) {
		kn_p64_get(p, m, spare);
		p->n_dynamic++;
	} else {
		p->n_static++;
	}
	p->gen++;
}

static void kn_map_unlink(struct kn_nat64_pool *p, struct kn_nat64_map *m)
{
	struct kn_nat64_ranges *rs = kn_ranges_locked(p);
	s64 idx = kn_range_index(rs, ntohl(m->v4));

	lockdep_assert_held(&p->lock);
	if (idx >= 0 && !kn_range_reserved(rs, idx) && m->v4 != p->reserved)
		__clear_bit(idx, p->used);
	hlist_del_rcu(&m->node4);
	hlist_del_rcu(&m->node6);
	kn_p64_put(p, m);
	if (m->dynamic)
		p->n_dynamic--;
	else
		p->n_static--;
	p->gen++;
	kfree_rcu(m, rcu);
}

static unsigned long kn_gc_interval(unsigned long timeout)
{
	return clamp_t(unsigned long, timeout / 4, HZ, 60 * HZ);
}

/* Expirations collected under the lock, reported after it. */
#define KN_NAT64_GC_BATCH	16

/*
 * Expire idle dynamic mappings; rearms itself until the pool dies.  One
 * hash bucket (or KN_NAT64_GC_BATCH expirations) per hold of the lock,
 * and the MAP_EXPIRED events go out after it is dropped: a full pool
 * (65,536 mappings) expiring at once neither holds the translator's
 * lock with BH off for the whole walk nor builds netlink messages under
 * it.
 */
static void kn_nat64_gc(struct work_struct *work)
{
	struct kn_nat64_pool *p = container_of(to_delayed_work(work),
					       struct kn_nat64_pool, gc);
	struct {
		__be32 v4;
		struct in6_addr v6;
	} ev[KN_NAT64_GC_BATCH];
	struct kn_nat64_map *m;
	struct hlist_node *tmp;
	unsigned long now = jiffies;
	unsigned int n, i;
	u32 b = 0;

	while (b < ARRAY_SIZE(p->h4)) {
		n = 0;
		spin_lock_bh(&p->lock);
		hlist_for_each_entry_safe(m, tmp, &p->h4[b], node4) {
			if (!m->dynamic ||
			    !time_after(now, READ_ONCE(m->last_used) + p->timeout))
				continue;
			ev[n].v4 = m->v4;
			ev[n].v6 = m->v6;
			kn_map_unlink(p, m);
			if (++n == ARRAY_SIZE(ev))
				break;
		}
		spin_unlock_bh(&p->lock);
		for (i = 0; i < n; i++)
			kn_event_map(p->kn, KEYNET_EVENT_MAP_EXPIRED, ev[i].v4,
				     &ev[i].v6);
		/* A full batch may have left more in this bucket. */
		if (n < ARRAY_SIZE(ev))
			b++;
		cond_resched();
	}
	spin_lock_bh(&p->lock);
	if (!p->dying)
		queue_delayed_work(system_power_efficient_wq, &p->gc,
				   kn_gc_interval(p->timeout));
	spin_unlock_bh(&p->lock);
}

int kn_nat64_pool_init(struct kn_nat64_pool *p)
{
	u32 i;

	memset(p, 0, sizeof(*p));
	p->used = bitmap_zalloc(KN_NAT64_POOL_MAX, GFP_KERNEL_ACCOUNT);
	if (!p->used)
		return -ENOMEM;
	spin_lock_init(&p->lock);
	for (i = 0; i < ARRAY_SIZE(p->h4); i++) {
		INIT_HLIST_HEAD(&p->h4[i]);
		INIT_HLIST_HEAD(&p->h6[i]);
		INIT_HLIST_HEAD(&p->h64[i]);
	}
	p->per64_max = KN_NAT64_DEFAULT_PER_64;
	p->seed = get_random_u32();
	p->gen = get_random_u32();
	p->timeout = KN_NAT64_DEFAULT_TIMEOUT * HZ;
	INIT_DELAYED_WORK(&p->gc, kn_nat64_gc);
	queue_delayed_work(system_power_efficient_wq, &p->gc,
			   kn_gc_interval(p->timeout));
	return 0;
}

/*
 * Remove everything.  The caller guarantees no new reader can find the
 * pool (it unpublished its owner and waited for an RCU grace period);
 * the mappings and ranges still go through kfree_rcu for uniformity.
 */
void kn_nat64_pool_destroy(struct kn_nat64_pool *p)
{
	struct kn_nat64_ranges *rs;
	struct kn_nat64_map *m;
	struct hlist_node *tmp;
	u32 b;

	spin_lock_bh(&p->lock);
	p->dying = true;
	spin_unlock_bh(&p->lock);
	cancel_delayed_work_sync(&p->gc);

	spin_lock_bh(&p->lock);
	for (b = 0; b < ARRAY_SIZE(p->h4); b++)
		hlist_for_each_entry_safe(m, tmp, &p->h4[b], node4)
			kn_map_unlink(p, m);
	rs = kn_ranges_locked(p);
	RCU_INIT_POINTER(p->ranges, NULL);
	spin_unlock_bh(&p->lock);
	if (rs)
		kfree_rcu(rs, rcu);
	bitmap_free(p->used);
	p->used = NULL;
}

void kn_nat64_pool_set_timeout(struct kn_nat64_pool *p, u32 seconds)
{
	spin_lock_bh(&p->lock);
	p->timeout = (unsigned long)seconds * HZ;
	/* Apply a shorter timeout now rather than at the old interval. */
	if (!p->dying)
		mod_delayed_work(system_power_efficient_wq, &p->gc,
				 kn_gc_interval(p->timeout));
	spin_unlock_bh(&p->lock);
}

/* Most dynamic mappings per source /64 from now on (0: no limit). */
void kn_nat64_pool_set_per64(struct kn_nat64_pool *p, u32 max)
{
	spin_lock_bh(&p->lock);
	p->per64_max = max;
	spin_unlock_bh(&p->lock);
}

/*
 * Keep @v4 (the translator's own address, 0 for none) out of dynamic
 * allocation; a dynamic mapping holding it now is removed.
 */
void kn_nat64_pool_reserve(struct kn_nat64_pool *p, __be32 v4)
{
	struct kn_nat64_map *m;

	spin_lock_bh(&p->lock);
	if (p->reserved != v4) {
		p->reserved = v4;
		m = v4 ? kn_nat64_map_by_v4(p, v4) : NULL;
		if (m && m->dynamic)
			kn_map_unlink(p, m);
		kn_pool_rebuild(p);
	}
	spin_unlock_bh(&p->lock);
}

/* Caller holds rcu_read_lock() (any flavour) or @lock. */
struct kn_nat64_map *kn_nat64_map_by_v4(struct kn_nat64_pool *p, __be32 v4)
{
	struct kn_nat64_map *m;

	hlist_for_each_entry_rcu(m, &p->h4[kn_h4(p, v4)], node4,
				 lockdep_is_held(&p->lock))
		if (m->v4 == v4)
			return m;
	return NULL;
}

struct kn_nat64_map *kn_nat64_map_by_v6(struct kn_nat64_pool *p,
					const struct in6_addr *v6)
{
	struct kn_nat64_map *m;

	hlist_for_each_entry_rcu(m, &p->h6[kn_h6(p, v6)], node6,
				 lockdep_is_held(&p->lock))
		if (ipv6_addr_equal(&m->v6, v6))
			return m;
	return NULL;
}

/* Caller holds rcu_read_lock() (any flavour). */
bool kn_nat64_pool_contains(struct kn_nat64_pool *p, __be32 v4)
{
	return kn_range_index(rcu_dereference_check(p->ranges,
						    rcu_read_lock_bh_held()),
			      ntohl(v4)) >= 0;
}

/*
 * Give @v6 a free pool address (first packet of a new IPv6 host).  Runs
 * in softirq: GFP_ATOMIC, and a bitmap search bounded by the pool size.
 * Returns 0 with *@v4 set, -ENOSPC when the pool is full, -EDQUOT when
 * @v6's /64 already holds @per64_max dynamic mappings, -ENOENT with no
 * pool, -ENOMEM.
 */
int kn_nat64_pool_alloc(struct kn_nat64_pool *p, const struct in6_addr *v6,
			__be32 *v4)
{
	struct kn_nat64_p64 *spare, *e;
	struct kn_nat64_ranges *rs;
	struct kn_nat64_map *m, *old;
	unsigned long idx;
	u32 i;
	int ret = 0;

	m = kzalloc(sizeof(*m), GFP_ATOMIC);
	spare = kzalloc(sizeof(*spare), GFP_ATOMIC);
	if (!m || !spare) {
		kfree(spare);
		kfree(m);
		return -ENOMEM;
	}
	spin_lock_bh(&p->lock);
	old = kn_nat64_map_by_v6(p, v6);
	if (old) {
		/* Another CPU allocated it meanwhile. */
		*v4 = old->v4;
		goto out_free;
	}
	rs = kn_ranges_locked(p);
	if (!rs || !rs->total || p->dying) {
		ret = -ENOENT;
		goto out_free;
	}
	e = kn_p64_find(p, v6);
	if (p->per64_max && e && e->n >= p->per64_max) {
		ret = -EDQUOT;
		goto out_free;
	}
	idx = find_next_zero_bit(p->used, rs->total, p->cursor);
	if (idx >= rs->total)
		idx = find_first_zero_bit(p->used, rs->total);
	if (idx >= rs->total) {
		ret = -ENOSPC;
		goto out_free;
	}
	for (i = 0; i < rs->nr; i++) {
		if (idx >= rs->r[i].off && idx < rs->r[i].off + rs->r[i].size)
			break;
	}
	m->v4 = htonl(rs->r[i].base + (u32)(idx - rs->r[i].off));
	m->v6 = *v6;
	m->dynamic = true;
	m->created = jiffies;
	m->last_used = m->created;
	p->cursor = idx + 1;
	kn_map_link(p, m, &spare);
	*v4 = m->v4;
	spin_unlock_bh(&p->lock);
	kfree(spare);
	kn_event_map(p->kn, KEYNET_EVENT_MAP_NEW, *v4, v6);
	return 0;

out_free:
	spin_unlock_bh(&p->lock);
	kfree(spare);
	kfree(m);
	return ret;
}

/*
 * Configuration: add a static mapping (evicting dynamic ones that hold
 * either address) or, for a restore, a dynamic one inside the pool that
 * has been idle @idle seconds.  -EEXIST if a static mapping holds either
 * address (or, for a dynamic one, any mapping does).
 */
int kn_nat64_map_add(struct kn_nat64_pool *p, __be32 v4,
		     const struct in6_addr *v6, bool dynamic, u32 idle)
{
	struct kn_nat64_map *m, *o4, *o6;
	struct kn_nat64_p64 *spare = NULL;
	unsigned long now = jiffies;
	int ret = 0;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	if (dynamic) {
		spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
		if (!spare) {
			kfree(m);
			return -ENOMEM;
		}
	}
	m->v4 = v4;
	m->v6 = *v6;
	m->dynamic = dynamic;
	spin_lock_bh(&p->lock);
	o4 = kn_nat64_map_by_v4(p, v4);
	o6 = kn_nat64_map_by_v6(p, v6);
	if ((o4 && (dynamic || !o4->dynamic)) ||
	    (o6 && (dynamic || !o6->dynamic))) {
		ret = -EEXIST;
		goto out_free;
	}
	if (dynamic) {
		if (kn_range_index(kn_ranges_locked(p), ntohl(v4)) < 0) {
			ret = -ERANGE;
			goto out_free;
		}
		if (idle > p->timeout / HZ)
			idle = p->timeout / HZ;
	} else if (p->n_static >= KN_NAT64_STATIC_MAX) {
		ret = -ENOSPC;
		goto out_free;
	}
	if (o4)
		kn_map_unlink(p, o4);
	if (o6 && o6 != o4)
		kn_map_unlink(p, o6);
	m->created = now - (unsigned long)idle * HZ;
	m->last_used = m->created;
	kn_map_link(p, m, &spare);
	spin_unlock_bh(&p->lock);
	kfree(spare);
	return 0;

out_free:
	spin_unlock_bh(&p->lock);
	kfree(spare);
	kfree(m);
	return ret;
}

/* Remove the mapping of @v4 (if given) or of @v6; -ENOENT if none. */
int kn_nat64_map_del(struct kn_nat64_pool *p, const __be32 *v4,
		     const struct in6_addr *v6)
{
	struct kn_nat64_map *m;

	spin_lock_bh(&p->lock);
	m = v4 ? kn_nat64_map_by_v4(p, *v4) : kn_nat64_map_by_v6(p, v6);
	if (m)
		kn_map_unlink(p, m);
	spin_unlock_bh(&p->lock);
	return m ? 0 : -ENOENT;
}

static void kn_ranges_layout(struct kn_nat64_ranges *rs)
{
	u32 i;

	rs->total = 0;
	for (i = 0; i < rs->nr; i++) {
		rs->r[i].off = rs->total;
		rs->total += rs->r[i].size;
	}
}

/*
 * Add the range @base/@plen (16 to 32).  -EEXIST if it overlaps a range,
 * -ENOSPC beyond KN_NAT64_POOL_RANGES ranges or KN_NAT64_POOL_MAX
 * addresses.  The caller checked the host bits.
 */
int kn_nat64_range_add(struct kn_nat64_pool *p, __be32 base, u8 plen)
{
	struct kn_nat64_ranges *rs, *old;
	u32 a = ntohl(base), size = plen == 32 ? 1 : 1U << (32 - plen);
	u32 i;
	int ret = 0;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	spin_lock_bh(&p->lock);
	old = kn_ranges_locked(p);
	if (old)
		memcpy(rs, old, offsetof(struct kn_nat64_ranges, rcu));
	for (i = 0; i < rs->nr; i++) {
		if (a < rs->r[i].base + rs->r[i].size &&
		    rs->r[i].base < a + size) {
			ret = -EEXIST;
			goto out_free;
		}
	}
	if (rs->nr >= KN_NAT64_POOL_RANGES ||
	    rs->total + size > KN_NAT64_POOL_MAX) {
		ret = -ENOSPC;
		goto out_free;
	}
	rs->r[rs->nr].base = a;
	rs->r[rs->nr].size = size;
	rs->r[rs->nr].plen = plen;
	rs->nr++;
	kn_ranges_layout(rs);
	rcu_assign_pointer(p->ranges, rs);
	kn_pool_rebuild(p);
	p->gen++;
	spin_unlock_bh(&p->lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;

out_free:
	spin_unlock_bh(&p->lock);
	kfree(rs);
	return ret;
}

/* Remove exactly the range @base/@plen and its dynamic mappings. */
int kn_nat64_range_del(struct kn_nat64_pool *p, __be32 base, u8 plen)
{
	struct kn_nat64_ranges *rs, *old;
	struct kn_nat64_map *m;
	struct hlist_node *tmp;
	u32 a = ntohl(base), i, b;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	spin_lock_bh(&p->lock);
	old = kn_ranges_locked(p);
	for (i = 0; old && i < old->nr; i++)
		if (old->r[i].base == a && old->r[i].plen == plen)
			break;
	if (!old || i == old->nr) {
		spin_unlock_bh(&p->lock);
		kfree(rs);
		return -ENOENT;
	}
	for (b = 0; b < ARRAY_SIZE(p->h4); b++) {
		hlist_for_each_entry_safe(m, tmp, &p->h4[b], node4) {
			if (m->dynamic &&
			    ntohl(m->v4) - old->r[i].base < old->r[i].size)
				kn_map_unlink(p, m);
		}
	}
	memcpy(rs, old, offsetof(struct kn_nat64_ranges, rcu));
	memmove(&rs->r[i], &rs->r[i + 1], (rs->nr - i - 1) * sizeof(rs->r[0]));
	rs->nr--;
	kn_ranges_layout(rs);
	rcu_assign_pointer(p->ranges, rs);
	kn_pool_rebuild(p);
	p->gen++;
	spin_unlock_bh(&p->lock);
	kfree_rcu(old, rcu);
	return 0;
}

/*
 * Call @fn on every mapping from position @pos on (positions count
 * mappings in table order) until it returns non-zero; returns the
 * position of the mapping it stopped at (or the end).  Caller holds
 * rcu_read_lock(); mappings added or removed meanwhile may be missed or
 * repeated, which the caller detects through @gen.
 */
u64 kn_nat64_map_walk(struct kn_nat64_pool *p, u64 pos, kn_nat64_map_fn fn,
		      void *arg)
{
	struct kn_nat64_map *m;
	u64 idx = 0;
	u32 b;

	for (b = 0; b < ARRAY_SIZE(p->h4); b++) {
		hlist_for_each_entry_rcu(m, &p->h4[b], node4) {
			if (idx++ < pos)
				continue;
			if (fn(m, arg))
				return idx - 1;
		}
	}
	return idx;
}
