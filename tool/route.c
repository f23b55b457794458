// SPDX-License-Identifier: GPL-2.0
/*
 * keynet route { add | del | show | flush | help }: the crypto-key routing
 * table, prefixes routed to peers.  Several peers may route one prefix;
 * the alive one with the lowest metric carries the traffic.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "model.h"
#include "print.h"

static int kn_route_help(FILE *f)
{
	fputs("Usage: keynet route add PREFIX... dev DEV peer KEY [metric METRIC]\n"
	      "       keynet route del PREFIX dev DEV peer KEY\n"
	      "       keynet route show [dev DEV] [peer KEY]\n"
	      "       keynet route flush dev DEV peer KEY\n"
	      "PREFIX is ADDR[/LEN] (IPv4 or IPv6; a bare address is a host route),\n"
	      "with no bits set beyond LEN.  Several prefixes are added in requests\n"
	      "of up to about 3,000 routes, each all or nothing.  KEY is the peer's\n"
	      "base64 public key (or cjdns' .k form).  Routes the kernel made for a\n"
	      "peer's key-derived address are marked 'auto'.\n",
	      f);
	return 0;
}

enum kn_route_op {
	KN_ROUTE_ADD,
	KN_ROUTE_DEL,
	KN_ROUTE_SHOW,
	KN_ROUTE_FLUSH,
};

struct kn_route_args {
	const char *dev;
	uint8_t key[KEYNET_KEY_LEN];
	bool has_key;
	struct kn_prefix prefix;	/* the first one */
	bool has_prefix;
	struct kn_prefix *more;		/* add: the others (prefix is more[0]) */
	int n_more;
	uint32_t metric;
	bool has_metric;
};

/* A PREFIX argument: the one of "del", one of the several of "add". */
static int kn_route_prefix(struct kn_route_args *ra, enum kn_route_op op, const char *arg)
{
	struct kn_prefix p, *more;
	int ret = kn_parse_prefix(arg, &p);

	if (ret)
		return ret;
	if (!ra->has_prefix)
		ra->prefix = p;
	ra->has_prefix = true;
	if (op != KN_ROUTE_ADD)
		return 0;
	more = realloc(ra->more, (size_t)(ra->n_more + 1) * sizeof(*more));
	if (!more) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	ra->more = more;
	more[ra->n_more++] = p;
	return 0;
}

static int kn_route_parse(struct kn_route_args *ra, enum kn_route_op op,
			  int argc, char **argv)
{
	static const char * const expect[] = {
		[KN_ROUTE_ADD] = "expected PREFIX, dev, peer or metric",
		[KN_ROUTE_DEL] = "expected PREFIX, dev or peer",
		[KN_ROUTE_SHOW] = "expected dev or peer",
		[KN_ROUTE_FLUSH] = "expected dev or peer",
	};
	int ret;

	while (argc > 0) {
		const char *kw = argv[0];
		bool is_dev = kn_matches(kw, "dev"), is_peer = kn_matches(kw, "peer");
		bool is_metric = op == KN_ROUTE_ADD && kn_matches(kw, "metric");

		if (!is_dev && !is_peer && !is_metric) {
			if ((ra->has_prefix && op != KN_ROUTE_ADD) || op == KN_ROUTE_SHOW ||
			    op == KN_ROUTE_FLUSH)
				return kn_usage_err("unknown argument", kw, expect[op]);
			ret = kn_route_prefix(ra, op, kw);
			if (ret)
				return ret;
			argc--;
			argv++;
			continue;
		}
		if (argc < 2)
			return kn_usage_err("missing argument after", kw,
					    is_dev ? "a device name" : is_peer ?
					    "a 44-character base64 public key" :
					    "a metric 0-4294967295");
		if (is_dev) {
			ra->dev = argv[1];
		} else if (is_peer) {
			ret = kn_parse_pubkey(argv[1], ra->key);
			if (ret)
				return ret;
			ra->has_key = true;
		} else {
			if (kn_parse_uint(argv[1], UINT32_MAX, &ra->metric))
				return kn_usage_err("invalid metric", argv[1],
						    "expected a number 0-4294967295");
			ra->has_metric = true;
		}
		argc -= 2;
		argv += 2;
	}
	if (op == KN_ROUTE_SHOW)
		return 0;
	if ((op == KN_ROUTE_ADD || op == KN_ROUTE_DEL) && !ra->has_prefix)
		return kn_usage_err("missing prefix", NULL, "expected ADDR[/LEN]");
	if (!ra->dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	if (!ra->has_key)
		return kn_usage_err("missing peer", NULL, "expected 'peer KEY'");
	return 0;
}

/*
 * "route add" of several prefixes: route lists (route_list.c).  The
 * error names the refused prefix and says what was added before it.
 */
static int kn_route_add_many(struct kn_nl *nl, const struct kn_route_args *ra)
{
	char text[INET6_ADDRSTRLEN + 8];
	struct kn_route_item *items;
	struct kn_routes_fail f;
	int i, ret;

	items = calloc((size_t)ra->n_more, sizeof(*items));
	if (!items) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	for (i = 0; i < ra->n_more; i++) {
		items[i].key = ra->key;
		items[i].p = &ra->more[i];
		items[i].metric = ra->metric;
	}
	ret = kn_routes_add(nl, ra->dev, items, ra->n_more, &f);
	free(items);
	if (!ret)
		return 0;
	kn_format_prefix(ra->more[f.index].addr, ra->more[f.index].alen, ra->more[f.index].len,
			 text, sizeof(text));
	kn_err("the kernel refused the route '%s' (%d of %d): %s%s%s", text, f.index + 1, ra->n_more,
	       f.why, f.why[0] ? ": " : "", strerror(-ret));
	if (f.done)
		kn_err("the %d route%s before it %s added", f.done, f.done == 1 ? "" : "s",
		       f.done == 1 ? "was" : "were");
	return KN_EXIT_FAIL;
}

static int kn_route_change(int argc, char **argv, enum kn_route_op op)
{
	struct kn_route_args ra = { 0 };
	struct nl_msg *msg;
	struct kn_nl *nl;
	int ret;

	ret = kn_route_parse(&ra, op, argc, argv);
	if (ret) {
		free(ra.more);
		return ret;
	}
	nl = kn_nl_open();
	if (!nl) {
		free(ra.more);
		return KN_EXIT_FAIL;
	}
	if (op == KN_ROUTE_ADD && ra.n_more > 1) {
		ret = kn_route_add_many(nl, &ra);
		free(ra.more);
		kn_nl_close(nl);
		return ret;
	}
	free(ra.more);
	msg = kn_nl_msg(nl, op == KN_ROUTE_ADD ? KEYNET_CMD_ROUTE_NEW : KEYNET_CMD_ROUTE_DEL, 0);
	if (!msg || kn_nl_put_dev(msg, ra.dev) ||
	    kn_enc_route(msg, ra.key, ra.has_prefix ? &ra.prefix : NULL,
			 ra.has_metric ? &ra.metric : NULL) ||
	    (op == KN_ROUTE_FLUSH && nla_put_u32(msg, KEYNET_A_FLAGS, KEYNET_F_FLUSH))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		ret = KN_EXIT_FAIL;
	} else {
		ret = kn_nl_do(nl, msg);
	}
	kn_nl_close(nl);
	return ret;
}

struct kn_route_show {
	struct kn_route_args ra;
	const char *ifname;	/* of the device being dumped */
	struct kn_show *s;
};

/* One ROUTE_GET reply; text names the device only when showing every device. */
static int kn_route_print(struct nlattr **a, void *arg)
{
	struct kn_route_show *rs = arg;
	struct kn_show *s = rs->s;
	char prefix[INET6_ADDRSTRLEN + 8], key[45];
	uint8_t pub[KEYNET_KEY_LEN];
	struct kn_conf_route r;

	if (kn_dec_route(a, pub, &r))
		return 0;
	kn_format_prefix(r.p.addr, r.p.alen, r.p.len, prefix, sizeof(prefix));
	kn_key_to_base64(pub, key);
	kn_print_open(s, NULL, '{', NULL);
	kn_print_str(s, "ifname", rs->ifname, NULL);
	kn_print_str(s, "prefix", prefix, rs->ra.dev ? "%s" : "%s dev %s", prefix, rs->ifname);
	kn_print_str(s, "peer", key, " peer %s", key);
	kn_print_u64(s, "metric", r.metric, " metric %u", r.metric);
	kn_print_bool(s, "auto", r.is_auto, r.is_auto ? " auto" : NULL);
	kn_print_close(s, '}', "\n");
	return 0;
}

static int kn_route_dump_dev(struct kn_route_show *rs, const char *dev, uint32_t ifindex)
{
	struct nl_msg *msg = kn_nl_msg(rs->s->nl, KEYNET_CMD_ROUTE_GET, NLM_F_DUMP);

	if (!msg || (dev ? kn_nl_put_dev(msg, dev) :
		     nla_put_u32(msg, KEYNET_A_IFINDEX, ifindex)) ||
	    (rs->ra.has_key && kn_enc_route(msg, rs->ra.key, NULL, NULL))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return -ENOMEM;
	}
	return kn_nl_talk(rs->s->nl, msg, kn_route_print, rs);
}

static int kn_route_dump_link(void *arg, const char *ifname, const char *dev,
			      uint32_t ifindex)
{
	struct kn_route_show *rs = arg;

	rs->ifname = ifname;
	return kn_route_dump_dev(rs, dev, ifindex);
}

static int kn_route_show_fn(struct kn_show *s)
{
	struct kn_route_show *rs = s->arg;

	rs->s = s;
	return kn_link_each(s->nl, rs->ra.dev, kn_route_dump_link, rs);
}

static int kn_route_show(int argc, char **argv)
{
	struct kn_route_show rs = { 0 };
	int ret;

	ret = kn_route_parse(&rs.ra, KN_ROUTE_SHOW, argc, argv);
	if (ret)
		return ret;
	return kn_show_run(kn_route_show_fn, &rs);
}

int kn_cmd_route(int argc, char **argv)
{
	if (argc == 0 || kn_matches(argv[0], "show") || kn_matches(argv[0], "list"))
		return kn_route_show(argc ? argc - 1 : 0, argv + 1);
	if (kn_matches(argv[0], "add"))
		return kn_route_change(argc - 1, argv + 1, KN_ROUTE_ADD);
	if (kn_matches(argv[0], "delete"))
		return kn_route_change(argc - 1, argv + 1, KN_ROUTE_DEL);
	if (kn_matches(argv[0], "flush"))
		return kn_route_change(argc - 1, argv + 1, KN_ROUTE_FLUSH);
	if (kn_matches(argv[0], "help")) {
		kn_route_help(stdout);
		return 0;
	}
	kn_route_help(stderr);
	return kn_usage_err("unknown command", argv[0],
			    "expected 'add', 'del', 'show', 'flush' or 'help'");
}
