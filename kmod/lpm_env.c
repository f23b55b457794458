// SPDX-License-Identifier: GPL-2.0
/*
 * The routing table's allocator (lpm_env.h): one kmem_cache per object
 * kind and RCU-deferred frees batched into pages in the kernel; counted
 * malloc() with injectable failures in userspace.
 */
#include "lpm_int.h"

#ifdef __KERNEL__

#include <linux/slab.h>
#include <linux/mm.h>

static struct kmem_cache *kn_lpm_caches[KN_LPM_NKINDS];
static const char * const kn_lpm_cache_names[KN_LPM_NKINDS] = {
	[KN_LPM_NODE] = "kn_lpm_node",
	[KN_LPM_ROUTE4] = "kn_lpm_route4",
	[KN_LPM_ROUTE6S] = "kn_lpm_route6s",
	[KN_LPM_ROUTE6] = "kn_lpm_route6",
	[KN_LPM_GNODE] = "kn_lpm_gnode",
};

/**
 * struct kn_lpm_gc_batch - objects freed together after one grace period
 * @rcu: for call_rcu()
 * @n: used entries of @obj
 * @obj: object pointers, each or'ed with its enum kn_lpm_kind
 */
struct kn_lpm_gc_batch {
	struct rcu_head rcu;
	unsigned int n;
	unsigned long obj[];
};

#define KN_LPM_GC_SLOTS \
	((PAGE_SIZE - sizeof(struct kn_lpm_gc_batch)) / sizeof(unsigned long))

int kn_lpm_init_caches(void)
{
	int i;

	for (i = 0; i < KN_LPM_NKINDS; i++) {
		kn_lpm_caches[i] = kmem_cache_create(kn_lpm_cache_names[i],
						     kn_lpm_obj_size(i), 0,
						     SLAB_ACCOUNT, NULL);
		if (!kn_lpm_caches[i])
			goto err;
	}
	return 0;
err:
	while (i--)
		kmem_cache_destroy(kn_lpm_caches[i]);
	return -ENOMEM;
}

void kn_lpm_exit_caches(void)
{
	int i;

	/* Wait for every batch handed to call_rcu() to be freed. */
	rcu_barrier();
	for (i = 0; i < KN_LPM_NKINDS; i++)
		kmem_cache_destroy(kn_lpm_caches[i]);
}

void *kn_lpm_alloc(enum kn_lpm_kind kind)
{
	return kmem_cache_alloc(kn_lpm_caches[kind], GFP_KERNEL);
}

void kn_lpm_free_now(enum kn_lpm_kind kind, void *obj)
{
	kmem_cache_free(kn_lpm_caches[kind], obj);
}

static void kn_lpm_gc_rcu(struct rcu_head *rcu)
{
	struct kn_lpm_gc_batch *b = container_of(rcu, struct kn_lpm_gc_batch,
						 rcu);
	unsigned int i;

	for (i = 0; i < b->n; i++)
		kmem_cache_free(kn_lpm_caches[b->obj[i] & KN_LPM_KIND_MASK],
				(void *)(b->obj[i] & ~KN_LPM_KIND_MASK));
	kfree(b);
}

void kn_lpm_free_deferred(struct kn_lpm_gc *gc, enum kn_lpm_kind kind,
			  void *obj)
{
	struct kn_lpm_gc_batch *b = gc->batch;

	if (!b) {
		b = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!b) {
			/* Rare: wait for the readers instead of batching. */
			synchronize_rcu();
			kmem_cache_free(kn_lpm_caches[kind], obj);
			return;
		}
		b->n = 0;
		gc->batch = b;
	}
	b->obj[b->n++] = (unsigned long)obj | kind;
	if (b->n == KN_LPM_GC_SLOTS)
		kn_lpm_gc_flush(gc);
}

void kn_lpm_gc_flush(struct kn_lpm_gc *gc)
{
	if (gc->batch) {
		call_rcu(&gc->batch->rcu, kn_lpm_gc_rcu);
		gc->batch = NULL;
	}
}

#else /* userspace */

static size_t kn_lpm_user_bytes;
static unsigned long kn_lpm_user_objects;
static unsigned long kn_lpm_user_fail;

int kn_lpm_init_caches(void)
{
	return 0;
}

void kn_lpm_exit_caches(void)
{
}

void *kn_lpm_alloc(enum kn_lpm_kind kind)
{
	void *p;

	if (kn_lpm_user_fail && !--kn_lpm_user_fail)
		return NULL;
	p = malloc(kn_lpm_obj_size(kind));
	if (p) {
		kn_lpm_user_bytes += kn_lpm_obj_size(kind);
		kn_lpm_user_objects++;
	}
	return p;
}

void kn_lpm_free_now(enum kn_lpm_kind kind, void *obj)
{
	kn_lpm_user_bytes -= kn_lpm_obj_size(kind);
	kn_lpm_user_objects--;
	free(obj);
}

void kn_lpm_free_deferred(struct kn_lpm_gc *gc, enum kn_lpm_kind kind,
			  void *obj)
{
	(void)gc;
	kn_lpm_free_now(kind, obj);
}

void kn_lpm_gc_flush(struct kn_lpm_gc *gc)
{
	(void)gc;
}

size_t kn_lpm_env_bytes(void)
{
	return kn_lpm_user_bytes;
}

unsigned long kn_lpm_env_objects(void)
{
	return kn_lpm_user_objects;
}

void kn_lpm_env_fail_nth(unsigned long n)
{
	kn_lpm_user_fail = n;
}

#endif /* __KERNEL__ */
