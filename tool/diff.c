// SPDX-License-Identifier: GPL-2.0
/*
 * The difference of two sets of model objects (model.h), for "conf
 * apply": what the running state has and the file does not (remove),
 * what the file has and the state does not (add), and what both have
 * with other settings (change).  Identity is a caller's total order
 * (@cmp: a peer's key, a route's peer key and prefix, an address and its
 * length); settings are compared by @same.  Both sides are sorted once,
 * so thousands of peers cost n log n, not n * m.
 *
 * An object's identity may need its container (a route names its peer
 * by index into its own struct kn_conf): each side has a context that
 * @cmp gets with each of its objects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static const void *kn_set_at(const struct kn_set *s, int i)
{
	return (const char *)s->base + (size_t)i * s->size;
}

static int kn_set_sort_cmp(const void *x, const void *y, void *arg)
{
	const struct kn_set *s = arg;

	return s->cmp(kn_set_at(s, *(const int *)x), s->ctx, kn_set_at(s, *(const int *)y), s->ctx);
}

/* @s sorted by identity (s->ord); -ENOMEM after printing. */
int kn_set_sort(struct kn_set *s)
{
	int i;

	s->ord = malloc(((size_t)s->n + 1) * sizeof(int));
	if (!s->ord) {
		kn_err("out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < s->n; i++)
		s->ord[i] = i;
	qsort_r(s->ord, (size_t)s->n, sizeof(int), kn_set_sort_cmp, s);
	return 0;
}

void kn_set_free(struct kn_set *s)
{
	free(s->ord);
	s->ord = NULL;
}

/* The index in sorted @s of an object equal to @obj (of context @ctx), or -1. */
int kn_set_find(const struct kn_set *s, const void *obj, const void *ctx)
{
	int lo = 0, hi = s->n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int d = s->cmp(kn_set_at(s, s->ord[mid]), s->ctx, obj, ctx);

		if (!d)
			return s->ord[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int kn_diff_push(struct kn_diff *d, enum kn_diff_kind kind, int have, int want)
{
	if (d->n == d->cap) {
		int cap = d->cap ? 2 * d->cap : 16;
		struct kn_diff_op *ops = realloc(d->ops, (size_t)cap * sizeof(*ops));

		if (!ops) {
			kn_err("out of memory");
			return -ENOMEM;
		}
		d->ops = ops;
		d->cap = cap;
	}
	d->ops[d->n].kind = kind;
	d->ops[d->n].have = have;
	d->ops[d->n].want = want;
	d->n++;
	if (kind == KN_DIFF_REMOVE)
		d->n_remove++;
	else if (kind == KN_DIFF_ADD)
		d->n_add++;
	else
		d->n_change++;
	return 0;
}

/*
 * The changes from @have to @want (same object type and order): into
 * d->ops, first every removal (in @have's order), then additions and
 * changes in @want's order, so that requests go out as the file lists
 * them.  @same may be NULL: then objects equal in identity are equal.
 * 0, or -ENOMEM after printing.
 */
int kn_diff(struct kn_set *have, struct kn_set *want, kn_set_same same, struct kn_diff *d)
{
	int *match = NULL;
	bool *kept = NULL;
	int i, j, ret = -ENOMEM;

	memset(d, 0, sizeof(*d));
	if (kn_set_sort(have) || kn_set_sort(want))
		goto out;
	match = malloc(((size_t)want->n + 1) * sizeof(*match));
	kept = calloc((size_t)have->n + 1, sizeof(*kept));
	if (!match || !kept) {
		kn_err("out of memory");
		goto out;
	}
	for (i = 0; i < want->n; i++) {
		j = kn_set_find(have, kn_set_at(want, i), want->ctx);
		match[i] = j;
		if (j >= 0)
			kept[j] = true;
	}
	for (j = 0; j < have->n; j++)
		if (!kept[j] && kn_diff_push(d, KN_DIFF_REMOVE, j, -1))
			goto out;
	for (i = 0; i < want->n; i++) {
		j = match[i];
		if (j < 0) {
			if (kn_diff_push(d, KN_DIFF_ADD, -1, i))
				goto out;
		} else if (same && !same(kn_set_at(have, j), have->ctx, kn_set_at(want, i),
					 want->ctx)) {
			if (kn_diff_push(d, KN_DIFF_CHANGE, j, i))
				goto out;
		}
	}
	ret = 0;
out:
	free(match);
	free(kept);
	if (ret)
		kn_diff_free(d);
	return ret;
}

void kn_diff_free(struct kn_diff *d)
{
	free(d->ops);
	memset(d, 0, sizeof(*d));
}

/* ---- the identities of the model's objects ---- */

/* Peers: by public key. */
int kn_conf_peer_cmp(const void *a, const void *actx, const void *b, const void *bctx)
{
	const struct kn_conf_peer *x = a, *y = b;

	return memcmp(x->key, y->key, KEYNET_KEY_LEN);
}

static int kn_prefix_cmp(const struct kn_prefix *a, const struct kn_prefix *b)
{
	if (a->alen != b->alen)
		return a->alen - b->alen;
	if (a->len != b->len)
		return a->len - b->len;
	return memcmp(a->addr, b->addr, a->alen);
}

/* Routes: by their peer's key (in the context, a struct kn_conf), then prefix. */
int kn_conf_route_cmp(const void *a, const void *actx, const void *b, const void *bctx)
{
	const struct kn_conf_route *x = a, *y = b;
	const struct kn_conf *cx = actx, *cy = bctx;
	int d = memcmp(cx->peers[x->peer].key, cy->peers[y->peer].key, KEYNET_KEY_LEN);

	return d ? d : kn_prefix_cmp(&x->p, &y->p);
}

/* Pool ranges: by prefix. */
int kn_conf_pool_cmp(const void *a, const void *actx, const void *b, const void *bctx)
{
	return kn_prefix_cmp(&((const struct kn_conf_pool *)a)->p,
			     &((const struct kn_conf_pool *)b)->p);
}

/* Static maps: by both prefixes (a map changed is one removed and one added). */
int kn_conf_map_cmp(const void *a, const void *actx, const void *b, const void *bctx)
{
	const struct kn_conf_map *x = a, *y = b;
	int d = memcmp(x->v4, y->v4, 4);

	if (!d)
		d = x->len4 - y->len4;
	return d ? d : memcmp(x->v6, y->v6, 16);
}

/* Addresses: by family, address and length (another length is another address). */
int kn_conf_addr_cmp(const void *a, const void *actx, const void *b, const void *bctx)
{
	const struct kn_conf_addr *x = a, *y = b;

	if (x->family != y->family)
		return x->family - y->family;
	if (x->plen != y->plen)
		return x->plen - y->plen;
	return memcmp(x->addr, y->addr, x->family == AF_INET ? 4 : 16);
}

/* Host routes: by every field (a route changed is one removed and one added). */
int kn_conf_hroute_cmp(const void *a, const void *actx, const void *b, const void *bctx)
{
	const struct kn_conf_hroute *x = a, *y = b;
	int d = kn_prefix_cmp(&x->p, &y->p);

	if (d)
		return d;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	if (x->has_src != y->has_src)
		return x->has_src - y->has_src;
	return x->has_src ? memcmp(x->src, y->src, x->p.alen) : 0;
}
