// SPDX-License-Identifier: GPL-2.0
/*
 * "keynet conf apply": read the running state into a model (conf_read.c),
 * compare it with the parsed file's model (diff.c), and send the few
 * requests that make them equal (encoded by codec.c).
 *
 * Order of apply: the device is created if missing; then LINK_SET (one
 * request, all or nothing in the kernel: key, socket, addressing, local
 * prefixes, beacons), peers removed / changed / added (pipelined, see
 * struct kn_nl_batch), routes removed (pipelined) then added or changed
 * (route lists of about 3,000 routes, route_list.c; pipelined one by one
 * with a module older than lists), NAT64 (off, or
 * set, then pool ranges and static maps), MTU and up, addresses (and in
 * mesh mode the key-derived link-local one), host routes.  Peers whose
 * settings did not change get no request, so their sessions carry on.  A
 * refusal by the kernel stops the apply with one error line and exit
 * status 1; what was applied before it stays (a device this apply created
 * is deleted again).  The file was validated completely before the first
 * request, so refusals are rare (a port in use, a race with another
 * configurator).
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>

#include "conf_apply.h"


/* keynet: PATH:LINE: the kernel refused <what> '<token>': <why> */
int kn_apply_err(struct kn_apply *ap, int line, const char *what, const char *token,
		 int err, const char *why)
{
	char where[64] = "";

	if (line)
		snprintf(where, sizeof(where), ":%d", line);
	fprintf(stderr, "keynet: %s%s: the kernel refused %s%s%s%s: %s%s%s\n", ap->want->path,
		where, what, token ? " '" : "", token ? token : "", token ? "'" : "",
		why && why[0] ? why : "", why && why[0] ? ": " : "", strerror(-err));
	return KN_EXIT_FAIL;
}

static struct nl_msg *kn_apply_msg(struct kn_apply *ap, uint8_t cmd)
{
	struct nl_msg *msg = kn_nl_msg(ap->g, cmd, 0);

	if (msg && kn_nl_put_dev(msg, ap->dev)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (!msg)
		kn_err("out of memory");
	return msg;
}

/* No message, or an encoder failed: the message could not hold the request. */
static int kn_apply_nomem(struct nl_msg *msg)
{
	if (!msg)
		return KN_EXIT_FAIL;	/* kn_apply_msg() said so */
	kn_nl_msg_wipe(msg);
	kn_err("cannot build the request");
	return KN_EXIT_FAIL;
}

/* One request, its ack awaited; the error names @what '@token' (line @line). */
static int kn_apply_send(struct kn_apply *ap, struct nl_msg *msg, int line, const char *what,
			 const char *token)
{
	int ret = kn_nl_call(ap->g, msg, NULL, NULL, KN_NL_QUIET | KN_NL_SECRET);

	return ret ? kn_apply_err(ap, line, what, token, ret, kn_nl_why(ap->g)) : 0;
}

/* The first error of the batch, as one line; 0 when there was none. */
static int kn_apply_batch_done(struct kn_apply *ap)
{
	if (!kn_nl_batch_drain(&ap->b))
		return 0;
	return kn_apply_err(ap, ap->b.err_line, ap->b.err_note, NULL, ap->b.err, ap->b.why);
}

/* ---- [Link] ---- */

static int kn_prefix_ord(const void *a, const void *actx, const void *b, const void *bctx)
{
	const struct kn_prefix *x = a, *y = b;

	if (x->alen != y->alen)
		return x->alen - y->alen;
	if (x->len != y->len)
		return x->len - y->len;
	return memcmp(x->addr, y->addr, x->alen);
}

static int kn_u32_ord(const void *a, const void *actx, const void *b, const void *bctx)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Two lists equal as sets; -ENOMEM after printing. */
static int kn_set_equal(struct kn_set have, struct kn_set want, bool *equal)
{
	struct kn_diff d;
	int ret = kn_diff(&have, &want, NULL, &d);

	*equal = !d.n;
	kn_diff_free(&d);
	kn_set_free(&have);
	kn_set_free(&want);
	return ret;
}

/* The [Link] fields that differ between @w and @h (enum kn_link_field). */
static int kn_apply_link_fields(const struct kn_conf *w, const struct kn_conf *h,
				unsigned int *fields)
{
	bool local_same, bdevs_same;
	unsigned int f = 0;

	if (kn_set_equal(KN_SET(h->local, h->n_local, kn_prefix_ord, NULL),
			 KN_SET(w->local, w->n_local, kn_prefix_ord, NULL), &local_same) ||
	    kn_set_equal(KN_SET(h->beacon_ifindex, h->n_beacon_devs, kn_u32_ord, NULL),
			 KN_SET(w->beacon_ifindex, w->n_beacon_devs, kn_u32_ord, NULL),
			 &bdevs_same))
		return KN_EXIT_FAIL;
	if (w->has_priv && (w->priv_remove ? h->has_pub :
			    !h->has_pub || memcmp(w->pub, h->pub, KEYNET_KEY_LEN)))
		f |= KN_LINK_KEY;
	if (w->port != h->port)
		f |= KN_LINK_PORT;
	if (w->laddr_len != h->laddr_len || memcmp(w->laddr, h->laddr, w->laddr_len))
		f |= KN_LINK_LISTEN_ADDR;
	if (w->fwmark != h->fwmark)
		f |= KN_LINK_FWMARK;
	if (w->aplen != h->aplen || memcmp(w->aprefix, h->aprefix, 16))
		f |= KN_LINK_ADDRESSING;
	if (kn_link_flags(w) != kn_link_flags(h))
		f |= KN_LINK_FLAGS;
	if (!local_same)
		f |= KN_LINK_LOCAL;
	if (w->beacon_mode != h->beacon_mode)
		f |= KN_LINK_BEACON_MODE;
	if (w->beacon_port != h->beacon_port)
		f |= KN_LINK_BEACON_PORT;
	if (w->beacon_max != h->beacon_max)
		f |= KN_LINK_BEACON_MAX;
	if (w->beacon_window != h->beacon_window)
		f |= KN_LINK_BEACON_WINDOW;
	if (!bdevs_same)
		f |= KN_LINK_BEACON_DEVS;
	/*
	 * The beacon key is never read back: a file that has one sends it
	 * every time (the same key changes nothing).
	 */
	if (w->has_beacon_key && (!w->beacon_key_remove || h->beacon_key_set))
		f |= KN_LINK_BEACON_KEY;
	*fields = f;
	return 0;
}

static int kn_apply_link(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	struct kn_conf after;
	struct nl_msg *msg;
	unsigned int f;
	int ret;

	if (kn_apply_link_fields(w, h, &f))
		return KN_EXIT_FAIL;
	if (!f)
		return 0;
	msg = kn_apply_msg(ap, KEYNET_CMD_LINK_SET);
	if (!msg)
		return KN_EXIT_FAIL;
	if (kn_enc_link(msg, w, f))
		return kn_apply_nomem(msg);
	ret = kn_apply_send(ap, msg, f & KN_LINK_KEY ? w->priv_line : 0, "the [Link] settings of",
			    ap->dev);
	if (ret)
		return ret;
	/* A beacon key counts as a change only when the device had none. */
	ap->link_changed = (f & ~KN_LINK_BEACON_KEY) ||
			   ((f & KN_LINK_BEACON_KEY) &&
			    (w->beacon_key_remove || !h->beacon_key_set));
	if (!(f & (KN_LINK_KEY | KN_LINK_ADDRESSING)))
		return 0;
	/* The derived address follows the key and the addressing. */
	kn_conf_init(&after);
	ret = kn_conf_read_link(ap->g, ap->dev, &after);
	h->has_address = after.has_address;
	memcpy(h->address, after.address, 16);
	h->has_pub = after.has_pub;
	memcpy(h->pub, after.pub, KEYNET_KEY_LEN);
	kn_conf_free(&after);
	if (ret) {
		kn_err("cannot read %s back: %s", ap->dev, strerror(-ret));
		return KN_EXIT_FAIL;
	}
	return 0;
}

/* ---- peers and routes ---- */

static bool kn_ep_same(const struct kn_conf_peer *a, const struct kn_conf_peer *b)
{
	if (!a->has_ep || !b->has_ep || a->ep.ss_family != b->ep.ss_family)
		return false;
	if (a->ep.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ep, *y = (const void *)&b->ep;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	{
		const struct sockaddr_in6 *x = (const void *)&a->ep, *y = (const void *)&b->ep;

		return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, 16);
	}
}

/* The fields of peer @w to send: all it sets when new (@h NULL), else those that differ. */
static unsigned int kn_peer_fields(const struct kn_conf_peer *w, const struct kn_conf_peer *h)
{
	unsigned int f = 0;

	if (w->has_ep && (!h || !kn_ep_same(w, h)))
		f |= KN_PEER_ENDPOINT;
	if (h ? w->has_psk != h->has_psk || (w->has_psk && memcmp(w->psk, h->psk, KEYNET_KEY_LEN))
	      : w->has_psk)
		f |= KN_PEER_PSK;
	if (h ? w->keepalive != h->keepalive : w->keepalive != 0)
		f |= KN_PEER_KEEPALIVE;
	if (h ? strcmp(w->name, h->name) != 0 : w->name[0] != 0)
		f |= KN_PEER_NAME;
	if (h ? w->no_auto_route != h->no_auto_route : w->no_auto_route)
		f |= KN_PEER_AUTO_ROUTE;
	if (h ? w->transit != h->transit : w->transit)
		f |= KN_PEER_TRANSIT;
	return f;
}

static bool kn_peer_same(const void *a, const void *actx, const void *b, const void *bctx)
{
	return !kn_peer_fields(b, a);
}

/* Queue one peer or route request on the batch; the error names @note. */
static int kn_apply_queue(struct kn_apply *ap, struct nl_msg *msg, int line, const char *what,
			  const char *token)
{
	char note[96];

	snprintf(note, sizeof(note), "%s '%s'", what, token);
	return kn_nl_batch_send(&ap->b, msg, line, note) ? kn_apply_batch_done(ap) : 0;
}

static int kn_apply_peers(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	struct kn_set hs = KN_SET(h->peers, h->n_peers, kn_conf_peer_cmp, NULL);
	struct kn_set ws = KN_SET(w->peers, w->n_peers, kn_conf_peer_cmp, NULL);
	struct nl_msg *msg;
	char key[45];
	int i, ret;

	ret = kn_diff(&hs, &ws, kn_peer_same, &ap->peers);
	kn_set_free(&hs);
	kn_set_free(&ws);
	if (ret)
		return KN_EXIT_FAIL;
	ap->peer_gone = calloc((size_t)h->n_peers + 1, sizeof(bool));
	if (!ap->peer_gone) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	for (i = 0; i < ap->peers.n; i++) {
		const struct kn_diff_op *op = &ap->peers.ops[i];
		const struct kn_conf_peer *hp = op->have >= 0 ? &h->peers[op->have] : NULL;
		const struct kn_conf_peer *wp = op->want >= 0 ? &w->peers[op->want] : NULL;

		if (op->kind == KN_DIFF_REMOVE) {
			ap->peer_gone[op->have] = true;
			/* A peer with the device's new key went with the key change. */
			if (w->has_pub && !memcmp(hp->key, w->pub, KEYNET_KEY_LEN))
				continue;
			msg = kn_apply_msg(ap, KEYNET_CMD_PEER_DEL);
			if (!msg || kn_enc_peer(msg, hp, 0))
				return kn_apply_nomem(msg);
			kn_key_to_base64(hp->key, key);
			ret = kn_apply_queue(ap, msg, 0, "the removal of peer", key);
			if (ret)
				return ret;
			ap->peers_removed++;
			continue;
		}
		msg = kn_apply_msg(ap, hp ? KEYNET_CMD_PEER_SET : KEYNET_CMD_PEER_NEW);
		if (!msg || kn_enc_peer(msg, wp, kn_peer_fields(wp, hp)))
			return kn_apply_nomem(msg);
		kn_key_to_base64(wp->key, key);
		ret = kn_apply_queue(ap, msg, wp->line, hp ? "the change of peer" : "the new peer",
				     key);
		if (ret)
			return ret;
		if (hp)
			ap->peers_changed++;
		else
			ap->peers_added++;
	}
	return kn_apply_batch_done(ap);
}

static bool kn_route_same(const void *a, const void *actx, const void *b, const void *bctx)
{
	return ((const struct kn_conf_route *)a)->metric ==
	       ((const struct kn_conf_route *)b)->metric;
}

/*
 * The routes to add or change (ROUTE_NEW), gathered while the removals go
 * out, then sent as route lists (route_list.c): a few requests for
 * thousands of routes, each all or nothing in the kernel.
 */
struct kn_apply_adds {
	struct kn_route_item *items;
	const struct kn_conf_route **routes;	/* of each item, for the error */
	int n;
};

static int kn_apply_adds_send(struct kn_apply *ap, struct kn_apply_adds *a)
{
	char text[INET6_ADDRSTRLEN + 8];
	const struct kn_conf_route *r;
	struct kn_routes_fail f;
	int ret;

	if (!a->n)
		return 0;
	ret = kn_routes_add(ap->g, ap->dev, a->items, a->n, &f);
	if (!ret)
		return 0;
	r = a->routes[f.index];
	kn_format_prefix(r->p.addr, r->p.alen, r->p.len, text, sizeof(text));
	return kn_apply_err(ap, r->line, "the route", text, ret, f.why);
}

static int kn_apply_routes(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	struct kn_set hs = KN_SET(h->routes, h->n_routes, kn_conf_route_cmp, h);
	struct kn_set ws = KN_SET(w->routes, w->n_routes, kn_conf_route_cmp, w);
	char text[INET6_ADDRSTRLEN + 8];
	struct kn_apply_adds adds = { 0 };
	bool lists;
	struct kn_diff d;
	struct nl_msg *msg;
	int i, ret;

	ret = kn_diff(&hs, &ws, kn_route_same, &d);
	kn_set_free(&hs);
	kn_set_free(&ws);
	if (ret)
		return KN_EXIT_FAIL;
	lists = d.n && kn_routes_lists(ap->g);
	if (lists) {
		adds.items = calloc((size_t)d.n, sizeof(*adds.items));
		adds.routes = calloc((size_t)d.n, sizeof(*adds.routes));
		if (!adds.items || !adds.routes) {
			kn_err("out of memory");
			ret = KN_EXIT_FAIL;
		}
	}
	for (i = 0; !ret && i < d.n; i++) {
		const struct kn_diff_op *op = &d.ops[i];
		bool del = op->kind == KN_DIFF_REMOVE;
		const struct kn_conf *c = del ? h : w;
		const struct kn_conf_route *r = del ? &h->routes[op->have] : &w->routes[op->want];

		/* Auto routes are the kernel's; a removed peer took its routes. */
		if (del && (r->is_auto || ap->peer_gone[r->peer]))
			continue;
		if (del)
			ap->routes_removed++;
		else if (op->kind == KN_DIFF_CHANGE)
			ap->routes_changed++;
		else
			ap->routes_added++;
		if (!del && lists) {
			adds.items[adds.n].key = c->peers[r->peer].key;
			adds.items[adds.n].p = &r->p;
			adds.items[adds.n].metric = r->metric;
			adds.routes[adds.n++] = r;
			continue;
		}
		msg = kn_apply_msg(ap, del ? KEYNET_CMD_ROUTE_DEL : KEYNET_CMD_ROUTE_NEW);
		if (!msg || kn_enc_route(msg, c->peers[r->peer].key, &r->p, del ? NULL : &r->metric)) {
			ret = kn_apply_nomem(msg);
			break;
		}
		kn_format_prefix(r->p.addr, r->p.alen, r->p.len, text, sizeof(text));
		ret = kn_apply_queue(ap, msg, del ? 0 : r->line,
				     del ? "the removal of route" : "the route", text);
	}
	kn_diff_free(&d);
	/* The removals (and, without lists, the additions) are acknowledged first. */
	if (!ret)
		ret = kn_apply_batch_done(ap);
	if (!ret)
		ret = kn_apply_adds_send(ap, &adds);
	free(adds.items);
	free(adds.routes);
	return ret;
}

/* ---- NAT64 ---- */

static int kn_apply_nat64_set(struct kn_apply *ap)
{
	struct kn_conf_nat64 *w = &ap->want->nat64, *h = &ap->have.nat64;
	bool on = !h->on;
	unsigned int f = 0;
	struct nl_msg *msg;
	int ret;

	if (on || w->plen != h->plen || memcmp(w->prefix, h->prefix, 16))
		f |= KN_NAT64_PREFIX;
	if (w->has_v4 != h->has_v4 || (w->has_v4 && memcmp(w->v4, h->v4, 4)))
		f |= KN_NAT64_V4;
	if (w->has_v6 != h->has_v6 || (w->has_v6 && memcmp(w->v6, h->v6, 16)))
		f |= KN_NAT64_V6;
	if (on || w->mss != h->mss)
		f |= KN_NAT64_MSS;
	if (on || w->strict_wkp != h->strict_wkp)
		f |= KN_NAT64_STRICT_WKP;
	if (on || w->udp0 != h->udp0)
		f |= KN_NAT64_UDP0;
	if (on || w->offlink_mtu != h->offlink_mtu)
		f |= KN_NAT64_OFFLINK;
	if (on || w->timeout != h->timeout)
		f |= KN_NAT64_TIMEOUT;
	if (on || w->per64 != h->per64)
		f |= KN_NAT64_PER64;
	/* Off is the module's default: not sent then, so older modules take it. */
	if (w->clat != h->clat || (on && w->clat))
		f |= KN_NAT64_CLAT;
	if (!f)
		return 0;
	msg = kn_apply_msg(ap, KEYNET_CMD_NAT64_SET);
	if (!msg)
		return KN_EXIT_FAIL;
	if (kn_enc_nat64(msg, w, f))
		return kn_apply_nomem(msg);
	ret = kn_apply_send(ap, msg, w->line, "the [NAT64] settings of", ap->dev);
	if (ret)
		return ret;
	ap->nat64_op = on ? 1 : 2;
	return 0;
}

/* Pool ranges: removals first, then additions. */
static int kn_apply_nat64_pools(struct kn_apply *ap, struct kn_diff *pools,
				enum kn_diff_kind kind)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	bool del = kind == KN_DIFF_REMOVE;
	struct kn_conf *c = del ? h : w;
	char text[INET6_ADDRSTRLEN + 8];
	struct nl_msg *msg;
	int i, ret;

	for (i = 0; i < pools->n; i++) {
		const struct kn_diff_op *op = &pools->ops[i];
		const struct kn_conf_pool *r = &c->pools[del ? op->have : op->want];

		if (op->kind != kind)
			continue;
		msg = kn_apply_msg(ap, del ? KEYNET_CMD_POOL_DEL : KEYNET_CMD_POOL_NEW);
		if (!msg || kn_enc_pool(msg, r))
			return kn_apply_nomem(msg);
		kn_format_prefix(r->p.addr, 4, r->p.len, text, sizeof(text));
		ret = kn_apply_send(ap, msg, r->line,
				    del ? "the removal of pool range" : "the pool range", text);
		if (ret)
			return ret;
		if (del)
			ap->pools_removed++;
		else
			ap->pools_added++;
	}
	return 0;
}

/*
 * The static maps: when they differ, the whole wanted set goes in one
 * MAP_SET request, which the kernel applies in one step (maps in both
 * sets keep translating, removed ones stop at once).
 */
static int kn_apply_maps(struct kn_apply *ap, const struct kn_diff *maps)
{
	struct kn_conf *w = ap->want;
	int i, added = 0, removed = 0, ret;
	struct nl_msg *msg;

	for (i = 0; i < maps->n; i++) {
		if (maps->ops[i].kind == KN_DIFF_ADD)
			added++;
		else if (maps->ops[i].kind == KN_DIFF_REMOVE)
			removed++;
	}
	if (!added && !removed)
		return 0;
	msg = kn_nl_msg_size(ap->g, KEYNET_CMD_MAP_SET, 0, KN_ENC_MAPS_SIZE(w->n_maps));
	if (!msg)
		kn_err("out of memory");
	if (!msg || kn_nl_put_dev(msg, ap->dev) || kn_enc_maps(msg, w->maps, w->n_maps))
		return kn_apply_nomem(msg);
	ret = kn_apply_send(ap, msg, w->n_maps ? w->maps[0].line : 0, "the static maps of",
			    ap->dev);
	if (ret)
		return ret;
	ap->maps_added += added;
	ap->maps_removed += removed;
	return 0;
}

static int kn_apply_nat64(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	struct kn_set hp = KN_SET(h->pools, h->n_pools, kn_conf_pool_cmp, NULL);
	struct kn_set wp = KN_SET(w->pools, w->n_pools, kn_conf_pool_cmp, NULL);
	struct kn_set hm = KN_SET(h->maps, h->n_maps, kn_conf_map_cmp, NULL);
	struct kn_set wm = KN_SET(w->maps, w->n_maps, kn_conf_map_cmp, NULL);
	struct kn_diff pools = { 0 }, maps = { 0 };
	struct nl_msg *msg;
	int ret;

	if (!w->nat64.on) {
		if (!h->nat64.on)
			return 0;
		msg = kn_apply_msg(ap, KEYNET_CMD_NAT64_DEL);
		if (!msg)
			return KN_EXIT_FAIL;
		ret = kn_apply_send(ap, msg, 0, "turning NAT64 off on", ap->dev);
		if (!ret)
			ap->nat64_op = 3;
		return ret;
	}
	ret = kn_apply_nat64_set(ap);
	if (ret)
		return ret;
	if (kn_diff(&hp, &wp, NULL, &pools) || kn_diff(&hm, &wm, NULL, &maps))
		ret = KN_EXIT_FAIL;
	if (!ret)
		ret = kn_apply_nat64_pools(ap, &pools, KN_DIFF_REMOVE);
	if (!ret)
		ret = kn_apply_maps(ap, &maps);
	if (!ret)
		ret = kn_apply_nat64_pools(ap, &pools, KN_DIFF_ADD);
	kn_diff_free(&pools);
	kn_diff_free(&maps);
	kn_set_free(&hp);
	kn_set_free(&wp);
	kn_set_free(&hm);
	kn_set_free(&wm);
	return ret;
}

/* ---- the whole apply ---- */

/* Checks against the running state, before anything is sent. */
static int kn_apply_precheck(struct kn_apply *ap)
{
	struct kn_conf *w = ap->want, *h = &ap->have;
	char key[45];
	int i;

	if (w->has_priv || !h->has_pub)
		return 0;
	for (i = 0; i < w->n_peers; i++) {
		if (memcmp(w->peers[i].key, h->pub, KEYNET_KEY_LEN))
			continue;
		kn_key_to_base64(w->peers[i].key, key);
		fprintf(stderr, "keynet: %s:%d: invalid key '%s': it is the public key of %s itself\n",
			w->path, w->peers[i].line, key, ap->dev);
		return KN_EXIT_USAGE;
	}
	return 0;
}

/* "N thing(s) done", after a comma unless first. */
static size_t kn_sum_add(char *buf, size_t size, size_t off, const char *text)
{
	if (off < size)
		off += snprintf(buf + off, size - off, "%s%s", off ? ", " : "", text);
	return off;
}

static void kn_apply_summary(struct kn_apply *ap)
{
	static const char * const nat64[] = { "", "nat64 on", "nat64 changed", "nat64 off" };
	const struct {
		int n;
		const char *one, *many, *done;
	} counts[] = {
		{ ap->peers_added, "peer", "peers", "added" },
		{ ap->peers_changed, "peer", "peers", "changed" },
		{ ap->peers_removed, "peer", "peers", "removed" },
		{ ap->routes_added, "route", "routes", "added" },
		{ ap->routes_changed, "route", "routes", "changed" },
		{ ap->routes_removed, "route", "routes", "removed" },
		{ -1, NULL, NULL, NULL },	/* nat64 */
		{ ap->pools_added, "pool range", "pool ranges", "added" },
		{ ap->pools_removed, "pool range", "pool ranges", "removed" },
		{ ap->maps_added, "map", "maps", "added" },
		{ ap->maps_removed, "map", "maps", "removed" },
		{ -2, NULL, NULL, NULL },	/* mtu, up */
		{ ap->addrs_added, "address", "addresses", "added" },
		{ ap->addrs_removed, "address", "addresses", "removed" },
		{ ap->hroutes_added, "host route", "host routes", "added" },
		{ ap->hroutes_removed, "host route", "host routes", "removed" },
	};
	char buf[1024], text[64];
	size_t off = 0, i;

	buf[0] = '\0';
	if (ap->created)
		off = kn_sum_add(buf, sizeof(buf), off, "created");
	if (ap->link_changed)
		off = kn_sum_add(buf, sizeof(buf), off, "link changed");
	for (i = 0; i < KN_ARRAY_SIZE(counts); i++) {
		if (counts[i].n == -1 && ap->nat64_op) {
			off = kn_sum_add(buf, sizeof(buf), off, nat64[ap->nat64_op]);
		} else if (counts[i].n == -2) {
			snprintf(text, sizeof(text), "mtu %u", ap->want->mtu);
			if (ap->mtu_changed)
				off = kn_sum_add(buf, sizeof(buf), off, text);
			if (ap->brought_up)
				off = kn_sum_add(buf, sizeof(buf), off, "up");
		} else if (counts[i].n > 0) {
			snprintf(text, sizeof(text), "%d %s %s", counts[i].n,
				 counts[i].n == 1 ? counts[i].one : counts[i].many, counts[i].done);
			off = kn_sum_add(buf, sizeof(buf), off, text);
		}
	}
	printf("%s: %s\n", ap->dev, off ? buf : "up to date");
}

/* MTU and up, over rtnetlink. */
static int kn_apply_mtu_up(struct kn_apply *ap)
{
	uint32_t mtu = ap->want->mtu != ap->link.mtu ? ap->want->mtu : 0;
	int ret;

	if (!mtu && ap->link.up)
		return 0;
	ret = kn_rt_link_set(ap->rt, ap->link.ifindex, mtu, true);
	if (ret)
		return kn_apply_err(ap, 0, "the MTU or up state of", ap->dev, ret,
				    kn_nl_why(ap->rt));
	ap->mtu_changed = mtu != 0;
	ap->brought_up = !ap->link.up;
	return 0;
}

/* The device @dev exists afterwards: found, or created (ap->created). */
static int kn_apply_device(struct kn_apply *ap)
{
	const char *dev = ap->dev;
	int ret = kn_rt_link_get(ap->rt, dev, &ap->link);

	if (ret == -ENODEV) {
		ret = kn_rt_link_create(ap->rt, dev);
		if (ret) {
			kn_err("cannot create %s: %s%s%s", dev, kn_nl_why(ap->rt),
			       kn_nl_why(ap->rt)[0] ? ": " : "",
			       ret == -EOPNOTSUPP ? "the keynet module is not loaded" : strerror(-ret));
			return KN_EXIT_FAIL;
		}
		ap->created = true;
	} else if (ret) {
		kn_err("cannot read device '%s': %s", dev, strerror(-ret));
		return KN_EXIT_FAIL;
	}
	return kn_conf_link_check(ap->rt, dev, &ap->link);
}

int kn_conf_apply(struct kn_conf *want, const char *dev, bool quiet)
{
	struct kn_apply ap = { .want = want, .dev = dev };
	int ret = KN_EXIT_FAIL;

	kn_conf_init(&ap.have);
	ap.rt = kn_nl_open_proto(NETLINK_ROUTE);
	if (!ap.rt)
		goto out;
	ret = kn_apply_device(&ap);
	if (ret)
		goto out;
	ap.g = kn_nl_open();
	ret = ap.g ? kn_conf_read(ap.g, ap.rt, dev, &ap.have, &ap.link) : KN_EXIT_FAIL;
	if (!ret)
		ret = kn_apply_precheck(&ap);
	/* kn_apply_link() replaces the address of a new key: keep the old one's. */
	ap.had_ll = !ret && ap.have.mesh && ap.have.auto_address && ap.have.has_address;
	if (ap.had_ll)
		kn_linklocal(ap.have.address, ap.old_ll);
	if (!ret && kn_nl_batch_init(&ap.b, ap.g))
		ret = KN_EXIT_FAIL;
	if (!ret)
		ret = kn_apply_link(&ap);
	if (!ret)
		ret = kn_apply_peers(&ap);
	if (!ret)
		ret = kn_apply_routes(&ap);
	if (!ret)
		ret = kn_apply_nat64(&ap);
	if (!ret)
		ret = kn_apply_mtu_up(&ap);
	if (!ret)
		ret = kn_apply_addrs(&ap);
	if (!ret)
		ret = kn_apply_linklocal(&ap);
	if (!ret)
		ret = kn_apply_hroutes(&ap);
	if (ret && ap.created) {
		/* All or nothing for a device this apply made. */
		if (kn_rt_link_delete(ap.rt, ap.link.ifindex))
			kn_err("could not delete the half-configured %s again", dev);
	}
	if (!ret && !quiet)
		kn_apply_summary(&ap);
out:
	kn_nl_batch_free(&ap.b);
	kn_diff_free(&ap.peers);
	free(ap.peer_gone);
	kn_conf_free(&ap.have);
	kn_nl_close(ap.g);
	kn_nl_close(ap.rt);
	return ret;
}
