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
 * Static maps (how they coexist with the pool: nat64_pool.h): a change
 * builds a whole new &struct kn_nat64_statics in process context, with
 * the owner's configuration mutex (@cfg_lock) held, so that nothing else
 * changes the set meanwhile (kn_nat64_statics_cfg() asserts it); then
 * kn_nat64_statics_publish() takes @lock, drops the dynamic mappings the
 * new maps collide with, swaps the pointer and recomputes the bitmap,
 * all in one critical section.  The eviction walk (every dynamic
 * mapping, two binary searches each) runs only when a map was added
 * and dynamic mappings exist: a reload of the same set costs no walk.
 *
 * Events: a dynamic mapping made by traffic (kn_nat64_pool_alloc()) and
 * one expired by the idle timer (kn_nat64_gc(), under @lock: the event
 * is built with GFP_ATOMIC) are reported to the events group; so are
 * static maps added and removed by configuration, and dynamic mappings
 * evicted by them (after @lock is dropped).
 *
 * Bounds: at most KN_NAT64_POOL_MAX pool addresses (so at most that many
 * dynamic mappings) and KN_NAT64_STATIC_MAX static maps per device
 * (-ENOSPC beyond); the allocation bitmap is sized for the maximum once.
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
#include <linux/vmalloc.h>
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

/* The static maps, under @lock (writers hold it and @cfg_lock). */
static struct kn_nat64_statics *kn_statics_locked(struct kn_nat64_pool *p)
{
	return rcu_dereference_protected(p->statics, lockdep_is_held(&p->lock));
}

struct kn_nat64_statics *kn_nat64_statics_cfg(struct kn_nat64_pool *p)
{
	return rcu_dereference_protected(p->statics, lockdep_is_held(p->cfg_lock));
}

/* Does a map of @s hold @v4, or (if @v6) @v6? */
static bool kn_statics_hold(const struct kn_nat64_statics *s, __be32 v4,
			    const struct in6_addr *v6)
{
	return s && (kn_eam_find4(&s->t, v4) ||
		     (v6 && kn_eam_find6(&s->t, v6->s6_addr)));
}

bool kn_nat64_static4(struct kn_nat64_pool *p, __be32 v4)
{
	return kn_statics_hold(kn_nat64_statics_rcu(p), v4, NULL);
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

/*
 * Recompute the bitmap from the mappings, the static maps and the ranges
 * (@lock held): at most KN_NAT64_STATIC_MAX x KN_NAT64_POOL_RANGES
 * intersections plus the bits they set (bounded by the pool size).
 */
static void kn_pool_rebuild(struct kn_nat64_pool *p)
{
	struct kn_nat64_ranges *rs = kn_ranges_locked(p);
	struct kn_nat64_statics *st = kn_statics_locked(p);
	struct kn_nat64_map *m;
	u32 b, i, j, first, n;
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
	for (i = 0; st && i < st->n; i++) {
		for (j = 0; j < rs->nr; j++) {
			n = kn_eam_span4(&st->e[i], rs->r[j].base, rs->r[j].size,
					 &first);
			if (n)
				bitmap_set(p->used, rs->r[j].off + first, n);
		}
	}
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
	kn_p64_get(p, m, spare);
	p->n_dynamic++;
	p->gen++;
}

/*
 * Take @m out of the tables; readers may still see it until a grace
 * period has passed (the caller frees it with kfree_rcu()).
 */
static void kn_map_detach(struct kn_nat64_pool *p, struct kn_nat64_map *m)
{
	struct kn_nat64_ranges *rs = kn_ranges_locked(p);
	s64 idx = kn_range_index(rs, ntohl(m->v4));

	lockdep_assert_held(&p->lock);
	if (idx >= 0 && !kn_range_reserved(rs, idx) && m->v4 != p->reserved &&
	    !kn_statics_hold(kn_statics_locked(p), m->v4, NULL))
		__clear_bit(idx, p->used);
	hlist_del_rcu(&m->node4);
	hlist_del_rcu(&m->node6);
	kn_p64_put(p, m);
	p->n_dynamic--;
	p->gen++;
}

static void kn_map_unlink(struct kn_nat64_pool *p, struct kn_nat64_map *m)
{
	kn_map_detach(p, m);
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
	struct kn_nat64_statics *st;
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
	st = kn_statics_locked(p);
	RCU_INIT_POINTER(p->statics, NULL);
	spin_unlock_bh(&p->lock);
	if (rs)
		kfree_rcu(rs, rcu);
	if (st)
		kvfree_rcu(st, rcu);
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

/* Dynamic mappings; caller holds rcu_read_lock() (any flavour) or @lock. */
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
	struct kn_nat64_statics *st;
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
	/* A static map published since the caller looked: it translates. */
	st = kn_statics_locked(p);
	if (st && kn_eam_6to4(&st->t, v6->s6_addr, v4))
		goto out_free;
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
 * Configuration: put back a dynamic mapping inside the pool (nat64
 * restore) that has been idle @idle seconds.  -EEXIST if a mapping holds
 * either address or a static map does, -ERANGE outside the pool.
 */
int kn_nat64_map_restore(struct kn_nat64_pool *p, __be32 v4,
			 const struct in6_addr *v6, u32 idle)
{
	struct kn_nat64_p64 *spare;
	struct kn_nat64_map *m;
	unsigned long now = jiffies;
	int ret = 0;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	spare = kzalloc(sizeof(*spare), GFP_KERNEL_ACCOUNT);
	if (!m || !spare) {
		kfree(spare);
		kfree(m);
		return -ENOMEM;
	}
	m->v4 = v4;
	m->v6 = *v6;
	m->dynamic = true;
	spin_lock_bh(&p->lock);
	if (kn_nat64_map_by_v4(p, v4) || kn_nat64_map_by_v6(p, v6) ||
	    kn_statics_hold(kn_statics_locked(p), v4, v6)) {
		ret = -EEXIST;
		goto out_free;
	}
	if (kn_range_index(kn_ranges_locked(p), ntohl(v4)) < 0) {
		ret = -ERANGE;
		goto out_free;
	}
	if (idle > p->timeout / HZ)
		idle = p->timeout / HZ;
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

/* Remove the dynamic mapping of @v4 (if given) or of @v6; -ENOENT if none. */
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

/* ---- static maps ---- */

/* Room for @n maps, their IPv6 index and creation times; NULL: -ENOMEM. */
struct kn_nat64_statics *kn_nat64_statics_alloc(u32 n)
{
	struct kn_nat64_statics *s;

	BUILD_BUG_ON(sizeof(struct kn_eam) % sizeof(unsigned long));
	if (n > KN_NAT64_STATIC_MAX)
		return NULL;
	s = kvzalloc(struct_size(s, e, n) + n * (sizeof(*s->created) +
						 sizeof(*s->by6)),
		     GFP_KERNEL_ACCOUNT);
	if (!s)
		return NULL;
	s->n = n;
	s->created = (unsigned long *)&s->e[n];
	s->by6 = (struct kn_eam_ix *)&s->created[n];
	return s;
}

static void kn_statics_by_id(const struct kn_nat64_statics *s, u32 id,
			     struct kn_eam *out)
{
	u32 i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < s->n; i++) {
		if (s->e[i].id == id) {
			*out = s->e[i];
			return;
		}
	}
}

/*
 * Check and index @s, whose maps are filled in with ids 0..n-1 (the
 * order they were given in), and give each its creation time: that of
 * the same map in @old (NULL: none), else now.  Equal or nested prefixes
 * are refused with -EEXIST, a bad length or host bits with -EINVAL;
 * *@why then holds the two maps concerned.  O(n log n), no allocation.
 */
int kn_nat64_statics_build(struct kn_nat64_statics *s,
			   const struct kn_nat64_statics *old,
			   struct kn_nat64_conflict *why)
{
	unsigned long now = jiffies;
	struct kn_eam_conflict c;
	const struct kn_eam *o;
	u32 i;

	if (kn_eam_build(&s->t, s->e, s->by6, s->n, false, &c)) {
		why->err = c.err;
		kn_statics_by_id(s, c.a, &why->a);
		kn_statics_by_id(s, c.b, &why->b);
		return c.err == KN_EAM_BAD_LEN || c.err == KN_EAM_HOST_BITS ?
		       -EINVAL : -EEXIST;
	}
	for (i = 0; i < s->n; i++) {
		o = old ? kn_eam_find_exact(&old->t, &s->e[i]) : NULL;
		s->created[s->e[i].id] = o ? old->created[o->id] : now;
	}
	return 0;
}

/*
 * Make the built table @s the static maps, in one step, and free the
 * previous one after a grace period.  Dynamic mappings whose IPv4 or
 * IPv6 address a map of @s holds are dropped in the same critical
 * section (only when @s adds a map: the others already excluded them)
 * and reported after it (MAP_EVICTED), as are the maps added and
 * removed (MAP_ADDED, MAP_REMOVED).  Returns the number evicted.
 * Process context, @cfg_lock held.
 */
u32 kn_nat64_statics_publish(struct kn_nat64_pool *p, struct kn_nat64_statics *s)
{
	struct kn_nat64_statics *old = kn_nat64_statics_cfg(p);
	struct kn_nat64_map *m, *next, *evicted = NULL;
	struct hlist_node *tmp;
	u32 i, b, added = 0, n = 0;

	lockdep_assert_held(p->cfg_lock);
	for (i = 0; i < s->n; i++)
		if (!old || !kn_eam_find_exact(&old->t, &s->e[i]))
			added++;

	spin_lock_bh(&p->lock);
	for (b = 0; added && p->n_dynamic && b < ARRAY_SIZE(p->h4); b++) {
		hlist_for_each_entry_safe(m, tmp, &p->h4[b], node4) {
			if (!kn_statics_hold(s, m->v4, &m->v6))
				continue;
			kn_map_detach(p, m);
			m->evict_next = evicted;
			evicted = m;
			n++;
		}
	}
	rcu_assign_pointer(p->statics, s);
	kn_pool_rebuild(p);
	p->gen++;
	spin_unlock_bh(&p->lock);

	for (m = evicted; m; m = next) {
		next = m->evict_next;
		kn_event_map(p->kn, KEYNET_EVENT_MAP_EVICTED, m->v4, &m->v6);
		kfree_rcu(m, rcu);
		cond_resched();
	}
	for (i = 0; added && i < s->n; i++)
		if (!old || !kn_eam_find_exact(&old->t, &s->e[i]))
			kn_event_static_map(p->kn, KEYNET_EVENT_MAP_ADDED, &s->e[i]);
	for (i = 0; old && i < old->n; i++) {
		if (!kn_eam_find_exact(&s->t, &old->e[i]))
			kn_event_static_map(p->kn, KEYNET_EVENT_MAP_REMOVED,
					    &old->e[i]);
		cond_resched();
	}
	if (old)
		kvfree_rcu(old, rcu);
	return n;
}

/*
 * Add the static map @m (its id is not used): the old maps and @m as a
 * new table, published.  -ENOSPC beyond KN_NAT64_STATIC_MAX, -EEXIST
 * when it overlaps a map (*@why), -ENOMEM.  *@evicted: dynamic mappings
 * dropped.  @cfg_lock held.
 */
int kn_nat64_static_add(struct kn_nat64_pool *p, const struct kn_eam *m,
			struct kn_nat64_conflict *why, u32 *evicted)
{
	struct kn_nat64_statics *old = kn_nat64_statics_cfg(p), *s;
	u32 i, n = old ? old->n : 0;
	int ret;

	if (n >= KN_NAT64_STATIC_MAX)
		return -ENOSPC;
	s = kn_nat64_statics_alloc(n + 1);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		s->e[i] = old->e[i];
		s->e[i].id = i;
	}
	s->e[n] = *m;
	s->e[n].id = n;
	ret = kn_nat64_statics_build(s, old, why);
	if (ret) {
		kvfree(s);
		return ret;
	}
	*evicted = kn_nat64_statics_publish(p, s);
	return 0;
}

/* Remove exactly the static map @m; -ENOENT if there is none.  @cfg_lock. */
int kn_nat64_static_del(struct kn_nat64_pool *p, const struct kn_eam *m)
{
	struct kn_nat64_statics *old = kn_nat64_statics_cfg(p), *s;
	const struct kn_eam *gone;
	struct kn_nat64_conflict why;
	u32 i, n = 0;

	gone = old ? kn_eam_find_exact(&old->t, m) : NULL;
	if (!gone)
		return -ENOENT;
	s = kn_nat64_statics_alloc(old->n - 1);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < old->n; i++) {
		if (&old->e[i] == gone)
			continue;
		s->e[n] = old->e[i];
		s->e[n].id = n;
		n++;
	}
	/* A subset of a valid set cannot conflict. */
	if (WARN_ON_ONCE(kn_nat64_statics_build(s, old, &why))) {
		kvfree(s);
		return -EINVAL;
	}
	kn_nat64_statics_publish(p, s);
	return 0;
}

/*
 * The static map of @s whose IPv4 prefix is exactly @v4/@len4 (if @v4)
 * or whose IPv6 prefix is exactly @v6/(96 + @len4), or NULL.  Caller as
 * for kn_nat64_statics_rcu() or kn_nat64_statics_cfg().
 */
const struct kn_eam *kn_nat64_static_find(const struct kn_nat64_statics *s,
					  const __be32 *v4,
					  const struct in6_addr *v6, u8 len4)
{
	const struct kn_eam *f;

	if (!s)
		return NULL;
	if (v4) {
		f = kn_eam_find4(&s->t, *v4);
		return f && f->v4 == ntohl(*v4) && f->len4 == len4 ? f : NULL;
	}
	f = kn_eam_find6(&s->t, v6->s6_addr);
	return f && f->len4 == len4 && !memcmp(f->v6, v6, 16) ? f : NULL;
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
