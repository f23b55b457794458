// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the tool's route lists (tool/route_list.c and the list
 * encoder of tool/codec.c), run by test_route_list.sh.  The netlink
 * transport is a stand-in "kernel" that decodes every request as the
 * module would read it: a list request's entries (with the request's
 * peer and metric as defaults), or one route.  It checks that every
 * route arrives exactly once, in order, with its peer and metric, that
 * no list is over 65,535 bytes and that lists are full; and it refuses
 * a chosen route the way the module does (the whole request, the bad
 * attribute's offset inside the entry, "route N: " before the reason),
 * to check which route the tool then names and what it says was added.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>

#include "model.h"
#include "kn_test.h"

struct kn_opts kn_opts;

struct kn_nl {
	int unused;
};

struct got {
	uint8_t key[KEYNET_KEY_LEN];
	struct kn_prefix p;
	uint32_t metric;
};

#define MAX_ROUTES 20000

static struct got got[MAX_ROUTES];
static long n_got;		/* routes the "kernel" added */
static long refuse = -1;	/* the route (index over all sent) to refuse */
static bool refuse_top;		/* ... naming the request's peer, not the entry */
static long sent;		/* routes seen in requests, refused ones included */
static int maxattr = KEYNET_A_ROUTES;
static bool no_lists;		/* refuse KEYNET_A_ROUTES as unknown anyway */
static int err_off = -1, n_msgs, n_lists, max_list;
static char why[256];

struct nl_msg *kn_nl_msg_size(struct kn_nl *nl, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x42, 0, flags, cmd,
				KEYNET_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

struct nl_msg *kn_nl_msg(struct kn_nl *nl, uint8_t cmd, int flags)
{
	return kn_nl_msg_size(nl, cmd, flags, 0);
}

int kn_nl_put_dev(struct nl_msg *msg, const char *dev)
{
	return nla_put_string(msg, KEYNET_A_IFNAME, dev);
}

int kn_nl_maxattr(struct kn_nl *nl)
{
	return maxattr;
}

int kn_nl_err_offset(const struct kn_nl *nl)
{
	return err_off;
}

const char *kn_nl_why(const struct kn_nl *nl)
{
	return why;
}

/* Read a route from @tb with @key and @metric as defaults. */
static bool read_route(struct nlattr **tb, const uint8_t *key, uint32_t metric, struct got *g)
{
	struct nlattr *p = tb[KEYNET_A_PREFIX];

	if (!p || (nla_len(p) != 4 && nla_len(p) != 16) || !tb[KEYNET_A_PREFIX_LEN])
		return false;
	memset(g, 0, sizeof(*g));
	g->p.alen = (uint8_t)nla_len(p);
	g->p.family = g->p.alen == 4 ? AF_INET : AF_INET6;
	memcpy(g->p.addr, nla_data(p), g->p.alen);
	g->p.len = nla_get_u8(tb[KEYNET_A_PREFIX_LEN]);
	if (tb[KEYNET_A_PEER_PUBLIC_KEY])
		key = nla_data(tb[KEYNET_A_PEER_PUBLIC_KEY]);
	if (!key)
		return false;
	memcpy(g->key, key, KEYNET_KEY_LEN);
	g->metric = tb[KEYNET_A_METRIC] ? nla_get_u32(tb[KEYNET_A_METRIC]) : metric;
	return true;
}

/* The module: all or nothing per request. */
int kn_nl_call(struct kn_nl *nl, struct nl_msg *msg, kn_nl_cb cb, void *arg,
	       unsigned int flags)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[KEYNET_A_MAX + 1], *e;
	const uint8_t *key = NULL;
	long first = n_got, pos = 0;
	uint32_t metric = 0;
	int rem, ret = 0;

	n_msgs++;
	err_off = -1;
	why[0] = '\0';
	KN_CHECK(genlmsg_parse(nlh, 0, tb, KEYNET_A_MAX, NULL) == 0);
	KN_CHECK(genlmsg_hdr(nlh)->cmd == KEYNET_CMD_ROUTE_NEW);
	KN_CHECK(tb[KEYNET_A_IFNAME] && !strcmp(nla_get_string(tb[KEYNET_A_IFNAME]), "kn0"));
	if (tb[KEYNET_A_PEER_PUBLIC_KEY])
		key = nla_data(tb[KEYNET_A_PEER_PUBLIC_KEY]);
	if (tb[KEYNET_A_METRIC])
		metric = nla_get_u32(tb[KEYNET_A_METRIC]);
	if (!tb[KEYNET_A_ROUTES]) {
		KN_CHECK(n_got < MAX_ROUTES && read_route(tb, key, metric, &got[n_got]));
		if (sent++ == refuse) {
			ret = -EEXIST;
			snprintf(why, sizeof(why), "refused");
		} else {
			n_got++;
		}
		goto out;
	}
	KN_CHECK(maxattr >= KEYNET_A_ROUTES, "a list for a module without lists");
	if (no_lists) {
		/* As strict validation refuses an attribute beyond maxtype. */
		err_off = (int)((char *)tb[KEYNET_A_ROUTES] - (char *)nlh);
		snprintf(why, sizeof(why), "Unknown attribute type");
		nlmsg_free(msg);
		return -EINVAL;
	}
	KN_CHECK(!tb[KEYNET_A_PREFIX] && !tb[KEYNET_A_PREFIX_LEN]);
	KN_CHECK(tb[KEYNET_A_ROUTES]->nla_type & NLA_F_NESTED);
	n_lists++;
	if (nla_len(tb[KEYNET_A_ROUTES]) + NLA_HDRLEN > max_list)
		max_list = nla_len(tb[KEYNET_A_ROUTES]) + NLA_HDRLEN;
	nla_for_each_nested(e, tb[KEYNET_A_ROUTES], rem) {
		struct nlattr *etb[KEYNET_A_MAX + 1];

		KN_CHECK(nla_type(e) == KEYNET_A_ROUTES && (e->nla_type & NLA_F_NESTED));
		KN_CHECK(nla_parse_nested(etb, KEYNET_A_MAX, e, NULL) == 0);
		KN_CHECK(n_got < MAX_ROUTES && read_route(etb, key, metric, &got[n_got]));
		pos++;
		if (sent++ == refuse && !ret) {
			ret = -EINVAL;
			/* As the module: the bad attribute inside the entry. */
			err_off = refuse_top ?
				(int)((char *)tb[KEYNET_A_PEER_PUBLIC_KEY] - (char *)nlh) :
				(int)((char *)etb[KEYNET_A_PREFIX_LEN] - (char *)nlh);
			snprintf(why, sizeof(why), "route %ld: prefix length too long", pos);
		}
		n_got++;
	}
	if (ret)
		n_got = first;
out:
	nlmsg_free(msg);
	return ret;
}

/* @n routes, to @peers peers in turn, metrics 0 or i mod @metrics. */
static struct kn_prefix pfx[MAX_ROUTES];
static struct kn_route_item items[MAX_ROUTES];
static uint8_t keys[4][KEYNET_KEY_LEN];

static void make(int n, int peers, int metrics, bool v6)
{
	int i;

	for (i = 0; i < 4; i++)
		memset(keys[i], 0x11 * (i + 1), KEYNET_KEY_LEN);
	for (i = 0; i < n; i++) {
		memset(&pfx[i], 0, sizeof(pfx[i]));
		pfx[i].family = v6 ? AF_INET6 : AF_INET;
		pfx[i].alen = v6 ? 16 : 4;
		pfx[i].addr[0] = v6 ? 0xfd : 10;
		pfx[i].addr[1] = (uint8_t)(i >> 8);
		pfx[i].addr[2] = (uint8_t)i;
		pfx[i].len = v6 ? 64 : 24;
		items[i].p = &pfx[i];
		items[i].key = keys[i % peers];
		items[i].metric = metrics ? (uint32_t)(i % metrics) : 0;
	}
	n_got = sent = 0;
	n_msgs = n_lists = max_list = 0;
	refuse = -1;
	refuse_top = false;
}

static bool all_arrived(int n)
{
	int i;

	if (n_got != n)
		return false;
	for (i = 0; i < n; i++)
		if (memcmp(got[i].key, items[i].key, KEYNET_KEY_LEN) ||
		    got[i].metric != items[i].metric ||
		    memcmp(&got[i].p, items[i].p, sizeof(got[i].p)))
			return false;
	return true;
}

static struct kn_nl nl;

/* 10,000 IPv4 routes of one peer: four lists, the first three full. */
static void test_chunks_v4(void)
{
	struct kn_routes_fail f;

	make(10000, 1, 0, false);
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 10000, &f) == 0);
	KN_CHECK(all_arrived(10000));
	KN_CHECK(n_lists == 4 && n_msgs == 4, "%d lists", n_lists);
	KN_CHECK(max_list <= KN_ENC_ROUTES_MAX && max_list > KN_ENC_ROUTES_MAX - 20,
		 "largest list %d bytes", max_list);
}

/* IPv6, peers and metrics that change: each entry says what differs. */
static void test_mixed_v6(void)
{
	struct kn_routes_fail f;

	make(7000, 3, 5, true);
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 7000, &f) == 0);
	KN_CHECK(all_arrived(7000));
	KN_CHECK(max_list <= KN_ENC_ROUTES_MAX);
	/* 76 bytes at most per entry: at least 862 per list. */
	KN_CHECK(n_lists >= 7000 / 2047 && n_lists <= 7000 / 862 + 1, "%d lists", n_lists);
	KN_CHECK(kn_enc_route_entry_size(&pfx[0], false, false) == 32);
	KN_CHECK(kn_enc_route_entry_size(&pfx[0], true, true) == 76);
}

/* A refused entry of the second list: named exactly; the first list stays. */
static void test_refused_entry(void)
{
	struct kn_routes_fail f;
	int ret;

	make(10000, 1, 0, false);
	refuse = 5000;
	ret = kn_routes_add(&nl, "kn0", items, 10000, &f);
	KN_CHECK(ret == -EINVAL);
	KN_CHECK(f.index == 5000, "index %d", f.index);
	KN_CHECK(f.done == 3276, "done %d", f.done);
	KN_CHECK(n_got == 3276 && n_msgs == 2);
	KN_CHECK(!strcmp(f.why, "prefix length too long"), "why '%s'", f.why);
	/* Entries of their own peer or metric: smaller lists; "done" follows. */
	make(10000, 2, 3, false);
	refuse = 3276;
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 10000, &f) == -EINVAL);
	KN_CHECK(f.index == 3276 && f.done == n_got && n_got > 0 && n_got < 3276,
		 "index %d done %d got %ld", f.index, f.done, n_got);
	/* The last route of all, in the only list. */
	make(300, 2, 3, true);
	refuse = 299;
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 300, &f) == -EINVAL);
	KN_CHECK(f.index == 299 && f.done == 0 && n_got == 0);
}

/* One metric for all: the request's, not repeated in every entry. */
static void test_request_metric(void)
{
	struct kn_routes_fail f;
	int i;

	make(4000, 1, 0, false);
	for (i = 0; i < 4000; i++)
		items[i].metric = 9;
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 4000, &f) == 0);
	KN_CHECK(all_arrived(4000) && n_lists == 2, "%d lists", n_lists);
}

/* An error about the request itself names the list's first route. */
static void test_refused_request(void)
{
	struct kn_routes_fail f;

	make(5000, 1, 0, false);
	refuse = 4000;
	refuse_top = true;
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 5000, &f) == -EINVAL);
	KN_CHECK(f.index == 3276 && f.done == 3276, "index %d", f.index);
}

/* A module without lists: one request per route, in order. */
static void test_old_module(void)
{
	struct kn_routes_fail f;

	maxattr = KEYNET_A_ROUTES - 1;
	make(50, 2, 3, false);
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 50, &f) == 0);
	KN_CHECK(all_arrived(50) && n_msgs == 50 && n_lists == 0);
	make(50, 2, 3, true);
	refuse = 7;
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 50, &f) == -EEXIST);
	KN_CHECK(f.index == 7 && f.done == 7 && n_got == 7 && !strcmp(f.why, "refused"));
	maxattr = KEYNET_A_ROUTES;
	/* A module that refuses the list as unknown: the same, after one try. */
	no_lists = true;
	make(40, 2, 3, false);
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 40, &f) == 0);
	KN_CHECK(all_arrived(40) && n_msgs == 41 && n_lists == 0, "%d messages", n_msgs);
	no_lists = false;
	/* The tests' switch for that path. */
	setenv("KEYNET_DEBUG_NO_ROUTE_LISTS", "1", 1);
	make(20, 1, 0, false);
	KN_CHECK(kn_routes_add(&nl, "kn0", items, 20, &f) == 0);
	KN_CHECK(all_arrived(20) && n_msgs == 20 && n_lists == 0);
	unsetenv("KEYNET_DEBUG_NO_ROUTE_LISTS");
}

int main(void)
{
	KN_RUN(test_chunks_v4);
	KN_RUN(test_mixed_v6);
	KN_RUN(test_request_metric);
	KN_RUN(test_refused_entry);
	KN_RUN(test_refused_request);
	KN_RUN(test_old_module);
	return kn_test_done();
}
