// SPDX-License-Identifier: GPL-2.0
/*
 * Routing many prefixes at once: ROUTE_NEW requests carrying route lists
 * (KEYNET_A_ROUTES) of at most KN_ENC_ROUTES_MAX bytes, about 3,000 IPv4
 * routes each, which the kernel adds all or nothing.  "route add" with
 * several prefixes, "peer add|set ... route" and "conf apply" come
 * through here.  Each request waits for its acknowledgement: one round
 * trip per few thousand routes costs nothing next to the work they ask
 * for, and the error of a refused list is the kernel's answer to it.
 *
 * A refused list names its entry by the offset of the bad attribute in
 * the extended ack, which lies inside the entry (the message itself
 * says "route N: " only from kernel 6.2): the offsets of the entries are
 * noted while the request is built, so the refused route is known
 * exactly, whatever the kernel.
 *
 * A module older than lists (its family's highest attribute is below
 * KEYNET_A_ROUTES: kn_nl_maxattr()) gets one request per route, as
 * before lists; so does one that refuses the list attribute itself as
 * unknown, should the family not have given that away; and so does any
 * module with KEYNET_DEBUG_NO_ROUTE_LISTS set in the environment, which
 * lets the tests run that path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>

#include "model.h"

/* Entries in one list: at most 3,276 (IPv4, 20 bytes each) fit. */
#define KN_ROUTES_PER_MSG	((KN_ENC_ROUTES_MAX - NLA_HDRLEN) / 20)

/* Does the loaded module take route lists? */
bool kn_routes_lists(struct kn_nl *nl)
{
	if (getenv("KEYNET_DEBUG_NO_ROUTE_LISTS"))
		return false;
	return kn_nl_maxattr(nl) >= KEYNET_A_ROUTES;
}

/* The refused one among the @n entries starting at the offsets @off. */
static int kn_routes_refused(const int *off, int n, int bad)
{
	int k = 0;

	while (bad >= 0 && k + 1 < n && off[k + 1] <= bad)
		k++;
	return k;
}

/*
 * The kernel's reason, without the position in the list it starts with
 * from 6.2 on ("route 7: "): the caller names the route itself.
 */
static void kn_routes_why(struct kn_routes_fail *f, const char *why)
{
	size_t n;

	if (!strncmp(why, "route ", 6)) {
		n = strspn(why + 6, "0123456789");
		if (n && !strncmp(why + 6 + n, ": ", 2))
			why += 6 + n + 2;
	}
	snprintf(f->why, sizeof(f->why), "%s", why);
}

/*
 * One list request for as many of the @n @items as fit; *@sent says how
 * many.  The request's peer and metric are the first item's: items with
 * others carry their own.  0, or -errno with @f->index set; *@unknown
 * when the kernel refused the list attribute itself as unknown (a module
 * older than lists that the family's maxattr did not give away).
 */
static int kn_routes_list(struct kn_nl *nl, const char *dev, const struct kn_route_item *items,
			  int n, int *off, int *sent, bool *unknown, struct kn_routes_fail *f)
{
	const uint8_t *key = items[0].key;
	uint32_t metric = items[0].metric;
	size_t size = NLA_HDRLEN;
	struct nlattr *list = NULL;
	struct nl_msg *msg;
	int k, ret, list_off;

	*sent = 0;
	*unknown = false;
	msg = kn_nl_msg_size(nl, KEYNET_CMD_ROUTE_NEW, 0, KN_ENC_ROUTES_MAX + 1024);
	if (!msg || kn_nl_put_dev(msg, dev) ||
	    nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, key) ||
	    (metric && nla_put_u32(msg, KEYNET_A_METRIC, metric)) ||
	    !(list = kn_enc_routes_start(msg)))
		goto nomem;
	list_off = (int)((char *)list - (char *)nlmsg_hdr(msg));
	for (k = 0; k < n && k < KN_ROUTES_PER_MSG; k++) {
		const struct kn_route_item *it = &items[k];
		bool own_key = memcmp(it->key, key, KEYNET_KEY_LEN) != 0;
		bool own_metric = it->metric != metric;

		size += kn_enc_route_entry_size(it->p, own_key, own_metric);
		if (size > KN_ENC_ROUTES_MAX)
			break;
		off[k] = (int)NLMSG_ALIGN(nlmsg_hdr(msg)->nlmsg_len);
		if (kn_enc_route_entry(msg, own_key ? it->key : NULL, it->p,
				       own_metric ? &it->metric : NULL))
			goto nomem;
	}
	if (kn_enc_routes_end(msg, list))
		goto nomem;
	*sent = k;
	ret = kn_nl_call(nl, msg, NULL, NULL, KN_NL_QUIET);
	if (ret) {
		f->index = kn_routes_refused(off, k, kn_nl_err_offset(nl));
		kn_routes_why(f, kn_nl_why(nl));
		*unknown = ret == -EINVAL && kn_nl_err_offset(nl) == list_off &&
			   strstr(f->why, "nknown attribute");
	}
	return ret;
nomem:
	nlmsg_free(msg);
	f->index = 0;
	snprintf(f->why, sizeof(f->why), "cannot build the request");
	return -ENOMEM;
}

/* One request per route, for a module without lists. */
static int kn_routes_one(struct kn_nl *nl, const char *dev, const struct kn_route_item *it,
			 struct kn_routes_fail *f)
{
	struct nl_msg *msg = kn_nl_msg(nl, KEYNET_CMD_ROUTE_NEW, 0);
	int ret;

	if (!msg || kn_nl_put_dev(msg, dev) ||
	    kn_enc_route(msg, it->key, it->p, it->metric ? &it->metric : NULL)) {
		nlmsg_free(msg);
		snprintf(f->why, sizeof(f->why), "cannot build the request");
		return -ENOMEM;
	}
	ret = kn_nl_call(nl, msg, NULL, NULL, KN_NL_QUIET);
	if (ret)
		snprintf(f->why, sizeof(f->why), "%s", kn_nl_why(nl));
	return ret;
}

/*
 * Route the @n @items on @dev.  Returns 0, or the first refusal's -errno
 * with @f saying which item it was, why, and how many items before it
 * were added (those of earlier requests; nothing of the refused list).
 * Nothing is printed.
 */
/* Items @i.. of @n one request each; @f as kn_routes_add(). */
static int kn_routes_one_by_one(struct kn_nl *nl, const char *dev,
				const struct kn_route_item *items, int i, int n,
				struct kn_routes_fail *f)
{
	int ret = 0;

	if (getenv("KEYNET_DEBUG") && n - i > 1)
		fputs("keynet: debug: no route lists (older module): one request per route\n",
		      stderr);
	for (; i < n && !ret; i++) {
		ret = kn_routes_one(nl, dev, &items[i], f);
		f->index = f->done = i;
	}
	return ret;
}

/*
 * Route the @n @items on @dev.  Returns 0, or the first refusal's -errno
 * with @f saying which item it was, why, and how many items before it
 * were added (those of earlier requests; nothing of the refused list).
 * Nothing is printed.
 */
int kn_routes_add(struct kn_nl *nl, const char *dev, const struct kn_route_item *items, int n,
		  struct kn_routes_fail *f)
{
	int i = 0, sent = 0, ret = 0, *off;
	bool unknown = false;

	memset(f, 0, sizeof(*f));
	if (!kn_routes_lists(nl))
		return kn_routes_one_by_one(nl, dev, items, 0, n, f);
	off = calloc(KN_ROUTES_PER_MSG, sizeof(*off));
	if (!off) {
		snprintf(f->why, sizeof(f->why), "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n && !ret; i += sent) {
		ret = kn_routes_list(nl, dev, items + i, n - i, off, &sent, &unknown, f);
		if (!ret && !sent)
			ret = -EMSGSIZE;	/* cannot be: any entry fits */
		if (ret) {
			f->index += i;
			f->done = i;
		}
	}
	free(off);
	/* The list was refused whole: nothing of it is there yet. */
	if (unknown)
		return kn_routes_one_by_one(nl, dev, items, f->done, n, f);
	return ret;
}
