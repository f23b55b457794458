// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 7757 Explicit Address Mapping table (see nat64_eam.h).
 *
 * Layout: a prefix is an interval of addresses, and two prefixes are
 * either disjoint or one contains the other.  Sorted by (start, length),
 * the entry with the last start at or before an address is the longest
 * match if it contains the address (a longer match would start between
 * it and the address, hence sort after it); if it does not, the match is
 * among the prefixes that contain it, reached by parent links computed
 * once at build time.  So a lookup is one binary search (log2(n) steps:
 * 14 for 10,000 maps) whatever the mix of lengths, plus at most 32 parent
 * steps when nested maps are allowed.  The IPv6 side is the same over an
 * index sorted by IPv6 prefix (IPv6 length = 96 + IPv4 length).  The
 * table is built once and never changed, so lookups need no lock; the
 * caller swaps whole tables.
 */
#include "nat64_eam.h"

static u32 kn_eam_mask4(unsigned int len)
{
	return len ? ~0u << (32 - len) : 0;
}

/* Last 32 bits of an IPv6 address, host order. */
static u32 kn_eam_low32(const u8 a[16])
{
	return kn_get_be32(a + 12);
}

/* Does @m's IPv4 prefix contain @h (host order)? */
static bool kn_eam_has4(const struct kn_eam *m, u32 h)
{
	return (h & kn_eam_mask4(m->len4)) == m->v4;
}

/* Does @m's IPv6 prefix (96 + len4 bits) contain @a? */
static bool kn_eam_has6(const struct kn_eam *m, const u8 a[16])
{
	return !memcmp(a, m->v6, 12) &&
	       (kn_eam_low32(a) & kn_eam_mask4(m->len4)) == kn_eam_low32(m->v6);
}

static int kn_eam_cmp4(const struct kn_eam *x, const struct kn_eam *y)
{
	if (x->v4 != y->v4)
		return x->v4 < y->v4 ? -1 : 1;
	if (x->len4 != y->len4)
		return x->len4 < y->len4 ? -1 : 1;
	return 0;
}

static int kn_eam_cmp6(const struct kn_eam *x, const struct kn_eam *y)
{
	int c = memcmp(x->v6, y->v6, 16);

	if (c)
		return c;
	if (x->len4 != y->len4)
		return x->len4 < y->len4 ? -1 : 1;
	return 0;
}

/*
 * Heap sorts (no allocation, O(n log n) worst case, in place): one for the
 * entries, one for the IPv6 index.  Building happens in process context
 * on a configuration change, never on the data path.
 */
static void kn_eam_sift_e(struct kn_eam *e, u32 root, u32 n)
{
	struct kn_eam tmp;
	u32 child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && kn_eam_cmp4(&e[child], &e[child + 1]) < 0)
			child++;
		if (kn_eam_cmp4(&e[root], &e[child]) >= 0)
			return;
		tmp = e[root];
		e[root] = e[child];
		e[child] = tmp;
		root = child;
	}
}

static void kn_eam_sort_e(struct kn_eam *e, u32 n)
{
	struct kn_eam tmp;
	u32 i;

	for (i = n / 2; i-- > 0;)
		kn_eam_sift_e(e, i, n);
	for (i = n; i-- > 1;) {
		tmp = e[0];
		e[0] = e[i];
		e[i] = tmp;
		kn_eam_sift_e(e, 0, i);
	}
}

static void kn_eam_sift_6(const struct kn_eam *e, struct kn_eam_ix *ix, u32 root, u32 n)
{
	struct kn_eam_ix tmp;
	u32 child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && kn_eam_cmp6(&e[ix[child].e], &e[ix[child + 1].e]) < 0)
			child++;
		if (kn_eam_cmp6(&e[ix[root].e], &e[ix[child].e]) >= 0)
			return;
		tmp = ix[root];
		ix[root] = ix[child];
		ix[child] = tmp;
		root = child;
	}
}

static void kn_eam_sort_6(const struct kn_eam *e, struct kn_eam_ix *ix, u32 n)
{
	struct kn_eam_ix tmp;
	u32 i;

	for (i = n / 2; i-- > 0;)
		kn_eam_sift_6(e, ix, i, n);
	for (i = n; i-- > 1;) {
		tmp = ix[0];
		ix[0] = ix[i];
		ix[i] = tmp;
		kn_eam_sift_6(e, ix, 0, i);
	}
}

static int kn_eam_refuse(struct kn_eam_conflict *why, enum kn_eam_err err,
			 u32 a, u32 b)
{
	why->err = err;
	why->a = a;
	why->b = b;
	return -1;
}

/*
 * Parent links in one pass over each sorted order, with the chain of open
 * containers as a stack (at most 33 deep: each is strictly longer than
 * the one below it).  An entry's parent is the innermost open prefix that
 * contains its start.
 */
static void kn_eam_parents4(struct kn_eam *e, u32 n)
{
	u32 stack[33], depth = 0, i;

	for (i = 0; i < n; i++) {
		while (depth && !kn_eam_has4(&e[stack[depth - 1]], e[i].v4))
			depth--;
		e[i].parent4 = depth ? stack[depth - 1] : KN_EAM_NONE;
		if (depth < ARRAY_SIZE(stack))
			stack[depth++] = i;
	}
}

static void kn_eam_parents6(const struct kn_eam *e, struct kn_eam_ix *ix, u32 n)
{
	u32 stack[33], depth = 0, i;

	for (i = 0; i < n; i++) {
		while (depth && !kn_eam_has6(&e[ix[stack[depth - 1]].e], e[ix[i].e].v6))
			depth--;
		ix[i].parent = depth ? stack[depth - 1] : KN_EAM_NONE;
		if (depth < ARRAY_SIZE(stack))
			stack[depth++] = i;
	}
}

int kn_eam_build(struct kn_eam_table *t, struct kn_eam *e, struct kn_eam_ix *by6, u32 n,
		 bool nested_ok, struct kn_eam_conflict *why)
{
	u32 i;

	memset(t, 0, sizeof(*t));
	why->err = KN_EAM_OK;
	for (i = 0; i < n; i++) {
		if (e[i].len4 > 32)
			return kn_eam_refuse(why, KN_EAM_BAD_LEN, e[i].id, 0);
		if (e[i].v4 & ~kn_eam_mask4(e[i].len4) ||
		    kn_eam_low32(e[i].v6) & ~kn_eam_mask4(e[i].len4))
			return kn_eam_refuse(why, KN_EAM_HOST_BITS, e[i].id, 0);
	}
	kn_eam_sort_e(e, n);
	for (i = 0; i < n; i++)
		by6[i].e = i;
	kn_eam_sort_6(e, by6, n);

	for (i = 1; i < n; i++) {
		if (e[i - 1].v4 == e[i].v4 && e[i - 1].len4 == e[i].len4)
			return kn_eam_refuse(why, KN_EAM_DUP4, e[i - 1].id, e[i].id);
		if (!kn_eam_cmp6(&e[by6[i - 1].e], &e[by6[i].e]))
			return kn_eam_refuse(why, KN_EAM_DUP6, e[by6[i - 1].e].id,
					     e[by6[i].e].id);
	}
	kn_eam_parents4(e, n);
	kn_eam_parents6(e, by6, n);
	if (!nested_ok) {
		for (i = 0; i < n; i++)
			if (e[i].parent4 != KN_EAM_NONE)
				return kn_eam_refuse(why, KN_EAM_NEST4,
						     e[e[i].parent4].id, e[i].id);
		for (i = 0; i < n; i++)
			if (by6[i].parent != KN_EAM_NONE)
				return kn_eam_refuse(why, KN_EAM_NEST6,
						     e[by6[by6[i].parent].e].id,
						     e[by6[i].e].id);
	}
	t->e = e;
	t->by6 = by6;
	t->n = n;
	return 0;
}

const struct kn_eam *kn_eam_find4(const struct kn_eam_table *t, __be32 addr)
{
	u32 h = be32_to_cpu(addr), lo = 0, hi = t->n, i;

	/* lo = number of entries starting at or before h */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (t->e[mid].v4 <= h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo ? lo - 1 : KN_EAM_NONE; i != KN_EAM_NONE; i = t->e[i].parent4)
		if (kn_eam_has4(&t->e[i], h))
			return &t->e[i];
	return NULL;
}

const struct kn_eam *kn_eam_find6(const struct kn_eam_table *t, const u8 addr[16])
{
	u32 lo = 0, hi = t->n, i;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (memcmp(t->e[t->by6[mid].e].v6, addr, 16) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo ? lo - 1 : KN_EAM_NONE; i != KN_EAM_NONE; i = t->by6[i].parent)
		if (kn_eam_has6(&t->e[t->by6[i].e], addr))
			return &t->e[t->by6[i].e];
	return NULL;
}

/* The suffix (32 - len4 bits) is copied unchanged: section 3.3. */
bool kn_eam_4to6(const struct kn_eam_table *t, __be32 addr, u8 out[16])
{
	const struct kn_eam *m = kn_eam_find4(t, addr);
	u32 host;

	if (!m)
		return false;
	host = be32_to_cpu(addr) & ~kn_eam_mask4(m->len4);
	memcpy(out, m->v6, 16);
	kn_put_be32(out + 12, kn_eam_low32(m->v6) | host);
	return true;
}

bool kn_eam_6to4(const struct kn_eam_table *t, const u8 addr[16], __be32 *out)
{
	const struct kn_eam *m = kn_eam_find6(t, addr);

	if (!m)
		return false;
	*out = cpu_to_be32(m->v4 | (kn_eam_low32(addr) & ~kn_eam_mask4(m->len4)));
	return true;
}

const struct kn_eam *kn_eam_find_exact(const struct kn_eam_table *t, const struct kn_eam *m)
{
	const struct kn_eam *f = kn_eam_find4(t, cpu_to_be32(m->v4));

	/*
	 * The longest match of the prefix's first address is the prefix
	 * itself or one nested inside it: walk out through the containers.
	 */
	for (; f; f = f->parent4 == KN_EAM_NONE ? NULL : &t->e[f->parent4])
		if (f->v4 == m->v4 && f->len4 == m->len4)
			return memcmp(f->v6, m->v6, 16) ? NULL : f;
	return NULL;
}

u32 kn_eam_span4(const struct kn_eam *m, u32 base, u32 size, u32 *first)
{
	/* Last addresses, not ends: 255.255.255.255 has no end in a u32. */
	u32 mlast = m->v4 | ~kn_eam_mask4(m->len4), last = base + (size - 1);
	u32 lo = m->v4 > base ? m->v4 : base;
	u32 hi = mlast < last ? mlast : last;

	if (lo > hi)
		return 0;
	*first = lo - base;
	return hi - lo + 1;	/* wraps to 0 only for a whole-space range */
}

const char *kn_eam_strerror(enum kn_eam_err err)
{
	switch (err) {
	case KN_EAM_OK:
		return "no conflict";
	case KN_EAM_BAD_LEN:
		return "IPv4 prefix length over 32";
	case KN_EAM_HOST_BITS:
		return "a prefix has host bits set";
	case KN_EAM_DUP4:
		return "the same IPv4 prefix as another map";
	case KN_EAM_DUP6:
		return "the same IPv6 prefix as another map";
	case KN_EAM_NEST4:
		return "IPv4 prefix inside another map's (translation would be asymmetric)";
	case KN_EAM_NEST6:
		return "IPv6 prefix inside another map's (translation would be asymmetric)";
	}
	return "unknown conflict";
}
