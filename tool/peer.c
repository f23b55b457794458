// SPDX-License-Identifier: GPL-2.0
/*
 * keynet peer { add | set | del | show | help }
 *
 * Every argument is parsed and checked (and the preshared key file read)
 * before the first request is sent, so a usage error changes nothing.
 * "peer add ... route PREFIX..." is one PEER_NEW followed by one ROUTE_NEW
 * per prefix; should a ROUTE_NEW fail, the new peer is deleted again so
 * the command is all or nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "keynet.h"

static int kn_peer_help(FILE *f)
{
	fputs("Usage: keynet peer add dev DEV KEY [endpoint HOST:PORT] [psk FILE]\n"
	      "                        [keepalive { SECONDS | off }] [name NAME] [route PREFIX...]\n"
	      "                        [auto-route { on | off }] [transit { on | off }]\n"
	      "       keynet peer set dev DEV KEY [endpoint HOST:PORT] [psk FILE]\n"
	      "                        [keepalive { SECONDS | off }] [name NAME] [route PREFIX...]\n"
	      "                        [auto-route { on | off }] [transit { on | off }]\n"
	      "       keynet peer del dev DEV KEY\n"
	      "       keynet peer show [dev DEV] [KEY]\n"
	      "KEY is the peer's base64 public key (or cjdns' .k form).  HOST is a name,\n"
	      "an IPv4 address or [IPv6%SCOPE].  FILE holds a base64 key, or is - for\n"
	      "stdin; an empty file (such as /dev/null) removes the preshared key.\n"
	      "PREFIX is ADDR[/LEN].  auto-route off: do not route the peer's\n"
	      "key-derived address to it.  A packet from a peer is accepted only if\n"
	      "the longest prefix containing its source is routed to that peer;\n"
	      "transit on (weaker, for a peer that relays other nodes' packets):\n"
	      "any prefix routed to it that contains the source will do.\n",
	      f);
	return 0;
}

/* The arguments of add / set / del, parsed before anything is sent. */
struct kn_peer_args {
	const char *dev;
	uint8_t key[KEYNET_KEY_LEN];
	bool has_key;
	struct sockaddr_storage ep;
	socklen_t eplen;
	bool has_ep;
	uint8_t psk[KEYNET_KEY_LEN];
	bool has_psk, psk_empty;
	uint32_t keepalive;
	bool has_keepalive;
	const char *name;
	struct kn_prefix *routes;
	int nroutes;
	bool has_auto_route, no_auto_route;
	bool has_transit, transit;
};

static void kn_peer_args_free(struct kn_peer_args *pa)
{
	explicit_bzero(pa->psk, sizeof(pa->psk));
	free(pa->routes);
}

static bool kn_peer_keyword(const char *arg)
{
	static const char * const words[] = {
		"dev", "endpoint", "psk", "preshared-key", "keepalive",
		"persistent-keepalive", "name", "route", "auto-route", "transit",
	};
	size_t i;

	for (i = 0; i < KN_ARRAY_SIZE(words); i++)
		if (kn_matches(arg, words[i]))
			return true;
	return false;
}

static int kn_peer_add_route(struct kn_peer_args *pa, const char *arg)
{
	struct kn_prefix *r;
	int ret;

	r = realloc(pa->routes, (pa->nroutes + 1) * sizeof(*r));
	if (!r) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	pa->routes = r;
	ret = kn_parse_prefix(arg, &r[pa->nroutes]);
	if (!ret)
		pa->nroutes++;
	return ret;
}

/*
 * "route" takes one prefix and then every following argument that looks
 * like an address (has a '.' or ':', which base64 keys and keywords never
 * have), so both "route A route B" and "route A B" work.
 */
static int kn_peer_parse(struct kn_peer_args *pa, int argc, char **argv, bool full)
{
	const char *expect = full ?
		"expected dev, KEY, endpoint, psk, keepalive, name, route, auto-route or transit" :
		"expected 'dev DEV' and KEY";
	int ret;

	while (argc > 0) {
		const char *kw = argv[0];

		if (!kn_peer_keyword(kw)) {
			if (pa->has_key)
				return kn_usage_err("unknown argument", kw, expect);
			ret = kn_parse_pubkey(kw, pa->key);
			if (ret)
				return ret;
			pa->has_key = true;
			argc--;
			argv++;
			continue;
		}
		if (argc < 2)
			return kn_usage_err("missing argument after", kw,
					    kn_matches(kw, "dev") ? "a device name" :
					    "a value");
		if (kn_matches(kw, "dev")) {
			pa->dev = argv[1];
		} else if (!full) {
			return kn_usage_err("unknown argument", kw, expect);
		} else if (kn_matches(kw, "endpoint")) {
			ret = kn_parse_endpoint(argv[1], KN_EP_RESOLVE | KN_EP_SCOPE,
						&pa->ep, &pa->eplen);
			if (ret)
				return ret;
			pa->has_ep = true;
		} else if (kn_matches(kw, "psk") || kn_matches(kw, "preshared-key")) {
			if (pa->has_psk)
				return kn_usage_err("duplicate argument", kw, "give it once");
			ret = kn_read_key_file(argv[1], "preshared key", pa->psk,
					       &pa->psk_empty);
			if (ret)
				return ret;
			pa->has_psk = true;
		} else if (kn_matches(kw, "keepalive") ||
			   kn_matches(kw, "persistent-keepalive")) {
			if (!strcmp(argv[1], "off"))
				pa->keepalive = 0;
			else if (kn_parse_uint(argv[1], 65535, &pa->keepalive))
				return kn_usage_err("invalid keepalive", argv[1],
						    "expected seconds 0-65535 or 'off'");
			pa->has_keepalive = true;
		} else if (kn_matches(kw, "auto-route")) {
			if (strcmp(argv[1], "on") && strcmp(argv[1], "off"))
				return kn_usage_err("invalid value", argv[1],
						    "expected 'on' or 'off'");
			pa->has_auto_route = true;
			pa->no_auto_route = !strcmp(argv[1], "off");
		} else if (kn_matches(kw, "transit")) {
			if (strcmp(argv[1], "on") && strcmp(argv[1], "off"))
				return kn_usage_err("invalid value", argv[1],
						    "expected 'on' or 'off'");
			pa->has_transit = true;
			pa->transit = !strcmp(argv[1], "on");
		} else if (kn_matches(kw, "name")) {
			if (strlen(argv[1]) >= KEYNET_PEER_NAME_LEN)
				return kn_usage_err("name too long", argv[1],
						    "expected at most 63 bytes");
			pa->name = argv[1];
		} else {	/* route */
			ret = kn_peer_add_route(pa, argv[1]);
			while (!ret && argc > 2 && !kn_peer_keyword(argv[2]) &&
			       strpbrk(argv[2], ".:") && !kn_is_cjdns_key(argv[2])) {
				ret = kn_peer_add_route(pa, argv[2]);
				argc--;
				argv++;
			}
			if (ret)
				return ret;
		}
		argc -= 2;
		argv += 2;
	}
	if (!pa->dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	if (!pa->has_key)
		return kn_usage_err("missing peer key", NULL,
				    "expected a 44-character base64 public key");
	return 0;
}

static struct nl_msg *kn_peer_msg(struct kn_nl *nl, uint8_t cmd, const char *dev,
				  const uint8_t key[KEYNET_KEY_LEN])
{
	struct nl_msg *msg = kn_nl_msg(nl, cmd, 0);

	if (msg && !kn_nl_put_dev(msg, dev) &&
	    !nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, key))
		return msg;
	nlmsg_free(msg);
	kn_err("cannot build the request");
	return NULL;
}

static int kn_route_msg(struct kn_nl *nl, uint8_t cmd, const char *dev,
			const uint8_t key[KEYNET_KEY_LEN], const struct kn_prefix *p)
{
	struct nl_msg *msg = kn_peer_msg(nl, cmd, dev, key);

	if (!msg)
		return KN_EXIT_FAIL;
	if (nla_put(msg, KEYNET_A_PREFIX, p->alen, p->addr) ||
	    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, p->len)) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return KN_EXIT_FAIL;
	}
	return kn_nl_do(nl, msg);
}

struct kn_peer_routes {
	struct kn_prefix *r;
	int n;
};

static int kn_peer_routes_cb(struct nlattr **a, void *arg)
{
	struct kn_peer_routes *pr = arg;
	struct kn_prefix *r;
	int alen;

	if (!a[KEYNET_A_PREFIX] || !a[KEYNET_A_PREFIX_LEN])
		return 0;
	alen = nla_len(a[KEYNET_A_PREFIX]);
	if (alen != 4 && alen != 16)
		return 0;
	r = realloc(pr->r, (pr->n + 1) * sizeof(*r));
	if (!r) {
		kn_err("out of memory");
		return -ENOMEM;
	}
	pr->r = r;
	r += pr->n++;
	memset(r, 0, sizeof(*r));
	r->alen = alen;
	r->len = nla_get_u8(a[KEYNET_A_PREFIX_LEN]);
	memcpy(r->addr, nla_data(a[KEYNET_A_PREFIX]), alen);
	return 0;
}

static bool kn_peer_routes_has(const struct kn_peer_routes *pr, const struct kn_prefix *p)
{
	int i;

	for (i = 0; i < pr->n; i++)
		if (pr->r[i].alen == p->alen && pr->r[i].len == p->len &&
		    !memcmp(pr->r[i].addr, p->addr, p->alen))
			return true;
	return false;
}

/*
 * The routes "peer set" adds: remember which the peer already had, so
 * that on failure only the new ones are taken back.
 */
static int kn_peer_set_routes(struct kn_nl *nl, const struct kn_peer_args *pa)
{
	struct kn_peer_routes before = { 0 };
	int i, j, ret, tries;

	for (tries = 0; tries < 5; tries++) {
		struct nl_msg *msg = kn_peer_msg(nl, KEYNET_CMD_ROUTE_GET, pa->dev, pa->key);

		if (!msg)
			return KN_EXIT_FAIL;
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP;
		free(before.r);
		before.r = NULL;
		before.n = 0;
		ret = kn_nl_talk(nl, msg, kn_peer_routes_cb, &before);
		if (ret != -EINTR)
			break;
	}
	if (ret) {
		free(before.r);
		return KN_EXIT_FAIL;
	}
	for (i = 0; i < pa->nroutes; i++) {
		ret = kn_route_msg(nl, KEYNET_CMD_ROUTE_NEW, pa->dev, pa->key,
				   &pa->routes[i]);
		if (ret)
			break;
	}
	for (j = 0; ret && j < i; j++)
		if (!kn_peer_routes_has(&before, &pa->routes[j]))
			kn_route_msg(nl, KEYNET_CMD_ROUTE_DEL, pa->dev, pa->key,
				     &pa->routes[j]);
	free(before.r);
	return ret;
}

static int kn_peer_change(int argc, char **argv, bool create)
{
	struct kn_peer_args pa = { 0 };
	struct nl_msg *msg;
	struct kn_nl *nl = NULL;
	int ret, i;

	ret = kn_peer_parse(&pa, argc, argv, true);
	if (ret)
		goto out;
	if (!create && !pa.has_ep && !pa.has_psk && !pa.has_keepalive && !pa.name &&
	    !pa.nroutes && !pa.has_auto_route && !pa.has_transit) {
		ret = kn_usage_err("nothing to set", NULL,
				   "expected endpoint, psk, keepalive, name, route, auto-route or transit");
		goto out;
	}
	ret = KN_EXIT_FAIL;
	nl = kn_nl_open();
	if (!nl)
		goto out;
	msg = kn_peer_msg(nl, create ? KEYNET_CMD_PEER_NEW : KEYNET_CMD_PEER_SET,
			  pa.dev, pa.key);
	if (!msg)
		goto out;
	if ((pa.has_ep && nla_put(msg, KEYNET_A_ENDPOINT, pa.eplen, &pa.ep)) ||
	    (pa.has_psk && nla_put(msg, KEYNET_A_PRESHARED_KEY,
				   pa.psk_empty ? 0 : KEYNET_KEY_LEN, pa.psk)) ||
	    (pa.has_keepalive && nla_put_u16(msg, KEYNET_A_KEEPALIVE, pa.keepalive)) ||
	    (pa.name && nla_put_string(msg, KEYNET_A_PEER_NAME, pa.name)) ||
	    (pa.has_auto_route &&
	     nla_put_u32(msg, KEYNET_A_PEER_FLAGS,
			 pa.no_auto_route ? KEYNET_PEER_F_NO_AUTO_ROUTE : 0)) ||
	    (pa.has_transit && nla_put_u8(msg, KEYNET_A_PEER_TRANSIT, pa.transit))) {
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		kn_err("cannot build the request");
		goto out;
	}
	ret = kn_nl_do_secret(nl, msg);
	if (ret)
		goto out;
	if (!create) {
		ret = kn_peer_set_routes(nl, &pa);
		goto out;
	}
	for (i = 0; i < pa.nroutes; i++) {
		ret = kn_route_msg(nl, KEYNET_CMD_ROUTE_NEW, pa.dev, pa.key, &pa.routes[i]);
		if (ret)
			break;
	}
	if (ret) {
		/* Take the new peer (and the routes it got) back. */
		msg = kn_peer_msg(nl, KEYNET_CMD_PEER_DEL, pa.dev, pa.key);
		if (!msg || kn_nl_do(nl, msg))
			kn_err("could not remove the half-configured peer again");
	}
out:
	kn_peer_args_free(&pa);
	kn_nl_close(nl);
	return ret;
}

static int kn_peer_del(int argc, char **argv)
{
	struct kn_peer_args pa = { 0 };
	struct nl_msg *msg;
	struct kn_nl *nl;
	int ret;

	ret = kn_peer_parse(&pa, argc, argv, false);
	kn_peer_args_free(&pa);
	if (ret)
		return ret;
	nl = kn_nl_open();
	if (!nl)
		return KN_EXIT_FAIL;
	msg = kn_peer_msg(nl, KEYNET_CMD_PEER_DEL, pa.dev, pa.key);
	ret = msg ? kn_nl_do(nl, msg) : KN_EXIT_FAIL;
	kn_nl_close(nl);
	return ret;
}

/* peer show: which peers, and where the current device's name comes from. */
struct kn_peer_show {
	const char *dev;		/* as given, or NULL for every device */
	uint8_t key[KEYNET_KEY_LEN];
	bool has_key;
	const char *ifname;		/* of the device being dumped */
	bool header_done;		/* "interface:" line of it printed */
	int count;			/* peers printed so far */
	struct kn_show *s;
};

static void kn_peer_print_text(struct kn_peer_show *ps, struct nlattr **a,
			       const char *key, const char *ep, uint32_t flags)
{
	FILE *f = ps->s->out;
	uint64_t hs = a[KEYNET_A_LAST_HANDSHAKE] ? nla_get_u64(a[KEYNET_A_LAST_HANDSHAKE]) : 0;
	uint16_t ka = a[KEYNET_A_KEEPALIVE] ? nla_get_u16(a[KEYNET_A_KEEPALIVE]) : 0;
	char rx[32], tx[32];

	if (ps->count)
		fputc('\n', f);
	if (!ps->dev && !ps->header_done) {
		fprintf(f, "interface: %s\n\n", ps->ifname);
		ps->header_done = true;
	}
	fprintf(f, "peer: %s\n", key);
	if (a[KEYNET_A_PEER_NAME] && nla_get_string(a[KEYNET_A_PEER_NAME])[0])
		fprintf(f, "  name: %s\n", nla_get_string(a[KEYNET_A_PEER_NAME]));
	if (a[KEYNET_A_ADDRESS] && nla_len(a[KEYNET_A_ADDRESS]) == 16) {
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, nla_data(a[KEYNET_A_ADDRESS]), addr, sizeof(addr));
		fprintf(f, "  address: %s%s\n", addr,
			flags & KEYNET_PEER_F_NO_AUTO_ROUTE ? " (auto-route off)" : "");
	}
	if (flags & KEYNET_PEER_F_AUTO)
		fputs("  auto: yes (added by a beacon)\n", f);
	if (a[KEYNET_A_PEER_TRANSIT] && nla_get_u8(a[KEYNET_A_PEER_TRANSIT]))
		fputs("  transit: on (accepts any source its routes cover)\n", f);
	if (flags & KEYNET_PEER_F_ALIVE)
		fputs("  alive: yes\n", f);
	if (flags & KEYNET_PEER_F_HAS_PSK)
		fputs("  preshared key: (hidden)\n", f);
	if (ep[0])
		fprintf(f, "  endpoint: %s\n", ep);
	if (hs) {
		int64_t ago = (int64_t)time(NULL) - (int64_t)(hs / 1000000000ULL);

		if (ago < 0)
			ago = 0;
		fprintf(f, "  latest handshake: %lld second%s ago\n", (long long)ago,
			ago == 1 ? "" : "s");
	} else {
		fputs("  latest handshake: never\n", f);
	}
	kn_format_bytes(a[KEYNET_A_RX_BYTES] ? nla_get_u64(a[KEYNET_A_RX_BYTES]) : 0,
			rx, sizeof(rx));
	kn_format_bytes(a[KEYNET_A_TX_BYTES] ? nla_get_u64(a[KEYNET_A_TX_BYTES]) : 0,
			tx, sizeof(tx));
	fprintf(f, "  transfer: %s received, %s sent\n", rx, tx);
	if (kn_opts.stats)
		fprintf(f, "  packets: %llu received, %llu sent\n",
			(unsigned long long)(a[KEYNET_A_RX_PACKETS] ?
					     nla_get_u64(a[KEYNET_A_RX_PACKETS]) : 0),
			(unsigned long long)(a[KEYNET_A_TX_PACKETS] ?
					     nla_get_u64(a[KEYNET_A_TX_PACKETS]) : 0));
	if (ka)
		fprintf(f, "  persistent keepalive: every %u second%s\n", ka,
			ka == 1 ? "" : "s");
}

static uint64_t kn_u64(struct nlattr *a)
{
	return a && nla_len(a) == sizeof(uint64_t) ? nla_get_u64(a) : 0;
}

static int kn_peer_print(struct nlattr **a, void *arg)
{
	struct kn_peer_show *ps = arg;
	struct kn_json *j = ps->s->json;
	uint32_t flags = a[KEYNET_A_PEER_FLAGS] ? nla_get_u32(a[KEYNET_A_PEER_FLAGS]) : 0;
	char key[45], ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16] = "";
	const char *name = NULL;

	if (!a[KEYNET_A_PEER_PUBLIC_KEY] ||
	    nla_len(a[KEYNET_A_PEER_PUBLIC_KEY]) != KEYNET_KEY_LEN)
		return 0;
	if (ps->has_key && memcmp(nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]), ps->key,
				  KEYNET_KEY_LEN))
		return 0;
	kn_key_to_base64(nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]), key);
	if (a[KEYNET_A_ENDPOINT])
		kn_format_endpoint(nla_data(a[KEYNET_A_ENDPOINT]),
				   nla_len(a[KEYNET_A_ENDPOINT]), ep, sizeof(ep));
	if (a[KEYNET_A_PEER_NAME] && nla_get_string(a[KEYNET_A_PEER_NAME])[0])
		name = nla_get_string(a[KEYNET_A_PEER_NAME]);
	if (!j) {
		kn_peer_print_text(ps, a, key, ep, flags);
		ps->count++;
		return 0;
	}
	ps->count++;
	kn_json_open(j, NULL, '{');
	kn_json_str(j, "ifname", ps->ifname);
	kn_json_str(j, "public_key", key);
	if (name)
		kn_json_str(j, "name", name);
	else
		kn_json_null(j, "name");
	if (ep[0])
		kn_json_str(j, "endpoint", ep);
	else
		kn_json_null(j, "endpoint");
	kn_json_u64(j, "keepalive",
		    a[KEYNET_A_KEEPALIVE] ? nla_get_u16(a[KEYNET_A_KEEPALIVE]) : 0);
	kn_json_u64(j, "latest_handshake",
		    kn_u64(a[KEYNET_A_LAST_HANDSHAKE]) / 1000000000ULL);
	kn_json_u64(j, "rx_bytes", kn_u64(a[KEYNET_A_RX_BYTES]));
	kn_json_u64(j, "tx_bytes", kn_u64(a[KEYNET_A_TX_BYTES]));
	kn_json_u64(j, "rx_packets", kn_u64(a[KEYNET_A_RX_PACKETS]));
	kn_json_u64(j, "tx_packets", kn_u64(a[KEYNET_A_TX_PACKETS]));
	kn_json_bool(j, "has_psk", flags & KEYNET_PEER_F_HAS_PSK);
	kn_json_bool(j, "has_session", flags & KEYNET_PEER_F_HAS_SESSION);
	if (a[KEYNET_A_ADDRESS] && nla_len(a[KEYNET_A_ADDRESS]) == 16) {
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, nla_data(a[KEYNET_A_ADDRESS]), addr, sizeof(addr));
		kn_json_str(j, "address", addr);
	} else {
		kn_json_null(j, "address");
	}
	kn_json_bool(j, "alive", flags & KEYNET_PEER_F_ALIVE);
	kn_json_bool(j, "auto_route", !(flags & KEYNET_PEER_F_NO_AUTO_ROUTE));
	kn_json_bool(j, "auto", flags & KEYNET_PEER_F_AUTO);
	kn_json_bool(j, "transit",
		     a[KEYNET_A_PEER_TRANSIT] && nla_get_u8(a[KEYNET_A_PEER_TRANSIT]));
	kn_json_close(j, '}');
	return 0;
}

/* Peers of one device: by name (@dev) or by index (from the link list). */
static int kn_peer_dump_dev(struct kn_peer_show *ps, const char *dev, uint32_t ifindex)
{
	struct kn_show *s = ps->s;
	struct nl_msg *msg;
	bool one = dev && ps->has_key;

	msg = kn_nl_msg(s->nl, KEYNET_CMD_PEER_GET, one ? 0 : NLM_F_DUMP);
	if (!msg || (dev ? kn_nl_put_dev(msg, dev) :
		     nla_put_u32(msg, KEYNET_A_IFINDEX, ifindex)) ||
	    (one && nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN, ps->key))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return -ENOMEM;
	}
	return kn_nl_talk(s->nl, msg, kn_peer_print, ps);
}

static int kn_peer_show_fn(struct kn_show *s)
{
	struct kn_peer_show *ps = s->arg;
	struct kn_link_ent *links;
	int i, n, ret, intr = 0;

	ps->s = s;
	ps->count = 0;
	if (ps->dev) {
		ps->ifname = ps->dev;
		return kn_peer_dump_dev(ps, ps->dev, 0);
	}
	ret = kn_link_list(s->nl, &links, &n);
	for (i = 0; !ret && i < n; i++) {
		ps->ifname = links[i].ifname;
		ps->header_done = false;
		ret = kn_peer_dump_dev(ps, NULL, links[i].ifindex);
		/* Finish the walk, then let kn_show_run() start over. */
		if (ret == -EINTR) {
			intr = ret;
			ret = 0;
		}
	}
	free(links);
	if (!ret && intr)
		ret = intr;
	if (!ret && ps->has_key && !ps->count) {
		char key[45];

		kn_key_to_base64(ps->key, key);
		kn_err("no peer '%s' on any keynet device", key);
		ret = -ENOENT;
	}
	return ret;
}

static int kn_peer_show(int argc, char **argv)
{
	struct kn_peer_show ps = { 0 };
	int ret;

	while (argc > 0) {
		if (kn_matches(argv[0], "dev")) {
			if (argc < 2)
				return kn_usage_err("missing argument after", argv[0],
						    "a device name");
			ps.dev = argv[1];
			argc -= 2;
			argv += 2;
			continue;
		}
		if (ps.has_key)
			return kn_usage_err("unknown argument", argv[0],
					    "expected 'dev DEV' and KEY");
		ret = kn_parse_pubkey(argv[0], ps.key);
		if (ret)
			return ret;
		ps.has_key = true;
		argc--;
		argv++;
	}
	return kn_show_run(kn_peer_show_fn, &ps);
}

int kn_cmd_peer(int argc, char **argv)
{
	if (argc == 0 || kn_matches(argv[0], "show") || kn_matches(argv[0], "list"))
		return kn_peer_show(argc ? argc - 1 : 0, argv + 1);
	if (kn_matches(argv[0], "add"))
		return kn_peer_change(argc - 1, argv + 1, true);
	if (kn_matches(argv[0], "set"))
		return kn_peer_change(argc - 1, argv + 1, false);
	if (kn_matches(argv[0], "delete"))
		return kn_peer_del(argc - 1, argv + 1);
	if (kn_matches(argv[0], "help")) {
		kn_peer_help(stdout);
		return 0;
	}
	kn_peer_help(stderr);
	return kn_usage_err("unknown command", argv[0],
			    "expected 'add', 'set', 'del', 'show' or 'help'");
}
