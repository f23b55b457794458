// SPDX-License-Identifier: GPL-2.0
/*
 * "keynet conf apply", its rtnetlink half: the device's addresses (and in
 * mesh mode its key-derived link-local address) and host routes, made
 * equal to the file's after the generic netlink part (conf_apply.c).
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>

#include "conf_apply.h"

/* ---- addresses and host routes (rtnetlink) ---- */

/* One kind of rtnetlink object of the device: addresses or host routes. */
struct kn_rt_kind {
	size_t size;
	kn_set_cmp cmp;
	int (*send)(struct kn_nl *rt, bool add, uint32_t ifindex, const void *obj);
	void (*text)(const void *obj, char *buf, size_t size, int *line);
	int gone;		/* the removal's error when it is gone already */
	const char *what_add, *what_del;
	const char *why_exists;	/* for -EEXIST on an addition, if not the kernel's */
};

static int kn_rt_send_addr(struct kn_nl *rt, bool add, uint32_t ifindex, const void *obj)
{
	return kn_rt_addr(rt, add, ifindex, obj);
}

static void kn_rt_text_addr(const void *obj, char *buf, size_t size, int *line)
{
	const struct kn_conf_addr *a = obj;

	kn_format_prefix(a->addr, a->family == AF_INET ? 4 : 16, a->plen, buf, size);
	*line = a->line;
}

static int kn_rt_send_hroute(struct kn_nl *rt, bool add, uint32_t ifindex, const void *obj)
{
	return kn_rt_route(rt, add, ifindex, obj);
}

static void kn_rt_text_hroute(const void *obj, char *buf, size_t size, int *line)
{
	const struct kn_conf_hroute *r = obj;

	kn_format_prefix(r->p.addr, r->p.alen, r->p.len, buf, size);
	*line = r->line;
}

static const struct kn_rt_kind kn_rt_addrs_kind = {
	.size = sizeof(struct kn_conf_addr),
	.cmp = kn_conf_addr_cmp,
	.send = kn_rt_send_addr,
	.text = kn_rt_text_addr,
	.gone = -EADDRNOTAVAIL,
	.what_add = "the address",
	.what_del = "the removal of address",
};

static const struct kn_rt_kind kn_rt_hroutes_kind = {
	.size = sizeof(struct kn_conf_hroute),
	.cmp = kn_conf_hroute_cmp,
	.send = kn_rt_send_hroute,
	.text = kn_rt_text_hroute,
	.gone = -ESRCH,
	.what_add = "the host route",
	.what_del = "the removal of host route",
	.why_exists = "the table has a route to this prefix with this metric, not made by keynet conf",
};

/*
 * Make the device's objects of kind @k what @want says: removals first
 * (the same address with another length is a new one), then additions.
 * @added and @removed count them.
 */
static int kn_apply_rt_set(struct kn_apply *ap, const struct kn_rt_kind *k, const void *cur,
			   int ncur, const void *want, int nwant, int *added, int *removed)
{
	struct kn_set hs = { .base = cur, .n = ncur, .size = k->size, .cmp = k->cmp };
	struct kn_set ws = { .base = want, .n = nwant, .size = k->size, .cmp = k->cmp };
	char text[INET6_ADDRSTRLEN + 8];
	struct kn_diff d;
	int i, line, ret;

	ret = kn_diff(&hs, &ws, NULL, &d);
	kn_set_free(&hs);
	kn_set_free(&ws);
	if (ret)
		return KN_EXIT_FAIL;
	for (i = 0; !ret && i < d.n; i++) {
		bool del = d.ops[i].kind == KN_DIFF_REMOVE;
		const void *obj = del ? (const char *)cur + (size_t)d.ops[i].have * k->size :
				  (const char *)want + (size_t)d.ops[i].want * k->size;

		ret = k->send(ap->rt, !del, ap->link.ifindex, obj);
		if (del && ret == k->gone)
			ret = 0;
		if (ret) {
			k->text(obj, text, sizeof(text), &line);
			ret = kn_apply_err(ap, del ? 0 : line, del ? k->what_del : k->what_add, text,
					   ret, !del && ret == -EEXIST && k->why_exists ?
					   k->why_exists : kn_nl_why(ap->rt));
		} else if (del) {
			(*removed)++;
		} else {
			(*added)++;
		}
	}
	kn_diff_free(&d);
	return ret;
}

int kn_apply_addrs(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	struct kn_conf_addr *want, *cur = NULL;
	int nwant = w->n_addrs, ncur = 0, j, ret;

	want = calloc((size_t)nwant + 1, sizeof(*want));
	if (!want) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	memcpy(want, w->addrs, (size_t)nwant * sizeof(*want));
	/* AutoAddress: the key-derived address, with the addressing's length. */
	if (w->auto_address && h->has_address) {
		want[nwant].family = AF_INET6;
		memcpy(want[nwant].addr, h->address, 16);
		want[nwant].plen = w->aplen;
		for (j = 0; j < nwant; j++)
			if (want[j].family == AF_INET6 && !memcmp(want[j].addr, h->address, 16))
				break;
		if (j == nwant)
			nwant++;
	}
	ret = kn_rt_addrs(ap->rt, ap->link.ifindex, &cur, &ncur);
	if (ret) {
		kn_err("cannot read the addresses of %s: %s", ap->dev, strerror(-ret));
		ret = KN_EXIT_FAIL;
	} else {
		ret = kn_apply_rt_set(ap, &kn_rt_addrs_kind, cur, ncur, want, nwant,
				      &ap->addrs_added, &ap->addrs_removed);
	}
	free(cur);
	free(want);
	return ret;
}

/*
 * Mesh mode's link-local address (addr.c), apart from the address set
 * above (conf_rt.c leaves link-local addresses out of it): with Mesh and
 * AutoAddress on and a key, the key's fe80::IID/64 is on the device; the
 * one the device had before this apply (ap->had_ll) is removed when it
 * is no longer wanted.  With AutoAddress off the device's addresses are
 * the file's, and link-local ones are never the file's: none is touched.
 * A device whose mesh mode was and stays off gets no request at all.
 */
int kn_apply_linklocal(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	char text[INET6_ADDRSTRLEN + 8];
	bool want_ll = w->mesh && w->auto_address && h->has_address;
	uint8_t ll[16] = { 0 };
	int ret;

	if (!w->auto_address)
		return 0;
	if (want_ll) {
		kn_linklocal(h->address, ll);
		ret = kn_rt_linklocal(ap->rt, true, ap->link.ifindex, ll);
		if (ret < 0) {
			kn_format_prefix(ll, 16, KN_LL_PLEN, text, sizeof(text));
			return kn_apply_err(ap, 0, "the link-local address", text, ret,
					    kn_nl_why(ap->rt));
		}
		ap->addrs_added += !ret;
		/* The only link-local one: no random address of the kernel's. */
		ret = kn_linklocal_only(ap->rt, ap->link.ifindex, ll);
		if (ret < 0)
			return kn_apply_err(ap, 0, "the removal of other link-local addresses",
					    NULL, ret, kn_nl_why(ap->rt));
	} else if (ap->had_ll) {
		ret = kn_linklocal_kernel(ap->rt, ap->link.ifindex);
		if (ret < 0)
			return kn_apply_err(ap, 0, "the address generation mode", NULL, ret,
					    kn_nl_why(ap->rt));
	}
	if (ap->had_ll && !(want_ll && !memcmp(ll, ap->old_ll, 16))) {
		ret = kn_rt_linklocal(ap->rt, false, ap->link.ifindex, ap->old_ll);
		if (ret < 0) {
			kn_format_prefix(ap->old_ll, 16, KN_LL_PLEN, text, sizeof(text));
			return kn_apply_err(ap, 0, "the removal of link-local address", text, ret,
					    kn_nl_why(ap->rt));
		}
		ap->addrs_removed += !ret;
	}
	return 0;
}

int kn_apply_hroutes(struct kn_apply *ap)
{
	struct kn_conf_hroute *want = NULL, *cur = NULL;
	int nwant = 0, ncur = 0, ret;

	kn_conf_host_routes(ap->want, &want, &nwant);
	if (!want) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	ret = kn_rt_routes(ap->rt, ap->link.ifindex, &cur, &ncur);
	if (ret) {
		kn_err("cannot read the routes of %s: %s", ap->dev, strerror(-ret));
		ret = KN_EXIT_FAIL;
	} else {
		ret = kn_apply_rt_set(ap, &kn_rt_hroutes_kind, cur, ncur, want, nwant,
				      &ap->hroutes_added, &ap->hroutes_removed);
	}
	free(cur);
	free(want);
	return ret;
}
