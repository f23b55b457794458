// SPDX-License-Identifier: GPL-2.0
/*
 * keynet peer { add | set | del | show | help }
 *
 * Every argument is parsed and checked (and the preshared key file read)
 * before the first request is sent, so a usage error changes nothing.
 * "peer add ... route PREFIX..." is one PEER_NEW followed by ROUTE_NEW
 * route lists (route_list.c); should one be refused, the new peer is
 * deleted again so the command is all or nothing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "model.h"
#include "print.h"

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
	      "any prefix routed to it that contains the source will do.\n"
	      "show also prints each peer's key-derived link-local address (fe80::/64,\n"
	      "the same under every addressing prefix), used in mesh mode.\n",
	      f);
	return 0;
}

/* The arguments of add / set / del, parsed before anything is sent. */
struct kn_peer_args {
	const char *dev;
	struct kn_conf_peer p;	/* the key and the settings given */
	unsigned int fields;	/* which settings (enum kn_peer_field) */
	bool has_key;
	struct kn_prefix *routes;
	int nroutes;
};

static void kn_peer_args_free(struct kn_peer_args *pa)
{
	explicit_bzero(pa->p.psk, sizeof(pa->p.psk));
	free(pa->routes);
}

/* "on" or "off" of @kw into @val; sets @field. */
static int kn_peer_on_off(struct kn_peer_args *pa, const char *arg, bool *val,
			  unsigned int field)
{
	if (strcmp(arg, "on") && strcmp(arg, "off"))
		return kn_usage_err("invalid value", arg, "expected 'on' or 'off'");
	*val = !strcmp(arg, "on");
	pa->fields |= field;
	return 0;
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
	struct kn_conf_peer *p = &pa->p;
	uint32_t ka;
	bool on;
	int ret;

	while (argc > 0) {
		const char *kw = argv[0];

		if (!kn_peer_keyword(kw)) {
			if (pa->has_key)
				return kn_usage_err("unknown argument", kw, expect);
			ret = kn_parse_pubkey(kw, p->key);
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
						&p->ep, &p->eplen);
			if (ret)
				return ret;
			p->has_ep = true;
			pa->fields |= KN_PEER_ENDPOINT;
		} else if (kn_matches(kw, "psk") || kn_matches(kw, "preshared-key")) {
			bool empty;

			if (pa->fields & KN_PEER_PSK)
				return kn_usage_err("duplicate argument", kw, "give it once");
			ret = kn_read_key_file(argv[1], "preshared key", p->psk, &empty);
			if (ret)
				return ret;
			p->has_psk = !empty;
			pa->fields |= KN_PEER_PSK;
		} else if (kn_matches(kw, "keepalive") ||
			   kn_matches(kw, "persistent-keepalive")) {
			if (!strcmp(argv[1], "off"))
				ka = 0;
			else if (kn_parse_uint(argv[1], 65535, &ka))
				return kn_usage_err("invalid keepalive", argv[1],
						    "expected seconds 0-65535 or 'off'");
			p->keepalive = (uint16_t)ka;
			pa->fields |= KN_PEER_KEEPALIVE;
		} else if (kn_matches(kw, "auto-route")) {
			ret = kn_peer_on_off(pa, argv[1], &on, KN_PEER_AUTO_ROUTE);
			if (ret)
				return ret;
			p->no_auto_route = !on;
		} else if (kn_matches(kw, "transit")) {
			ret = kn_peer_on_off(pa, argv[1], &p->transit, KN_PEER_TRANSIT);
			if (ret)
				return ret;
		} else if (kn_matches(kw, "name")) {
			if (strlen(argv[1]) >= KEYNET_PEER_NAME_LEN)
				return kn_usage_err("name too long", argv[1],
						    "expected at most 63 bytes");
			snprintf(p->name, sizeof(p->name), "%s", argv[1]);
			pa->fields |= KN_PEER_NAME;
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

/*
 * A request about the peer of @pa: PEER_* with its @fields, ROUTE_* with
 * the prefix @route (NULL: all of the peer's routes).  NULL after printing.
 */
static struct nl_msg *kn_peer_msg(struct kn_nl *nl, uint8_t cmd, int flags,
				  const struct kn_peer_args *pa, unsigned int fields,
				  const struct kn_prefix *route)
{
	struct nl_msg *msg = kn_nl_msg(nl, cmd, flags);
	bool is_route = cmd == KEYNET_CMD_ROUTE_NEW || cmd == KEYNET_CMD_ROUTE_DEL ||
			cmd == KEYNET_CMD_ROUTE_GET;

	if (msg && !kn_nl_put_dev(msg, pa->dev) &&
	    !(is_route ? kn_enc_route(msg, pa->p.key, route, NULL) :
	      kn_enc_peer(msg, &pa->p, fields)))
		return msg;
	kn_nl_msg_wipe(msg);
	kn_err("cannot build the request");
	return NULL;
}

static int kn_route_msg(struct kn_nl *nl, uint8_t cmd, const struct kn_peer_args *pa,
			const struct kn_prefix *p)
{
	struct nl_msg *msg = kn_peer_msg(nl, cmd, 0, pa, 0, p);

	return msg ? kn_nl_do(nl, msg) : KN_EXIT_FAIL;
}

/*
 * Route the prefixes of @pa to its peer (route lists, route_list.c): 0, or
 * KN_EXIT_FAIL after printing which was refused; *@done of them (those of
 * earlier requests) were added then.
 */
static int kn_peer_routes_add(struct kn_nl *nl, const struct kn_peer_args *pa, int *done)
{
	char text[INET6_ADDRSTRLEN + 8];
	struct kn_route_item *items;
	const struct kn_prefix *p;
	struct kn_routes_fail f;
	int i, ret;

	*done = 0;
	items = calloc((size_t)pa->nroutes + 1, sizeof(*items));
	if (!items) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	for (i = 0; i < pa->nroutes; i++) {
		items[i].key = pa->p.key;
		items[i].p = &pa->routes[i];
	}
	ret = kn_routes_add(nl, pa->dev, items, pa->nroutes, &f);
	free(items);
	if (!ret) {
		*done = pa->nroutes;
		return 0;
	}
	*done = f.done;
	p = &pa->routes[f.index];
	kn_format_prefix(p->addr, p->alen, p->len, text, sizeof(text));
	kn_err("the kernel refused the route '%s': %s%s%s", text, f.why, f.why[0] ? ": " : "",
	       strerror(-ret));
	return KN_EXIT_FAIL;
}

struct kn_peer_routes {
	struct kn_prefix *r;
	int n;
};

static int kn_peer_routes_cb(struct nlattr **a, void *arg)
{
	struct kn_peer_routes *pr = arg;
	uint8_t key[KEYNET_KEY_LEN];
	struct kn_conf_route route;
	struct kn_prefix *r;

	if (kn_dec_route(a, key, &route))
		return 0;
	r = realloc(pr->r, (pr->n + 1) * sizeof(*r));
	if (!r) {
		kn_err("out of memory");
		return -ENOMEM;
	}
	pr->r = r;
	r[pr->n++] = route.p;
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

	for (tries = 0; tries < KN_DUMP_TRIES; tries++) {
		struct nl_msg *msg = kn_peer_msg(nl, KEYNET_CMD_ROUTE_GET, NLM_F_DUMP, pa, 0, NULL);

		if (!msg)
			return KN_EXIT_FAIL;
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
	ret = pa->nroutes ? kn_peer_routes_add(nl, pa, &i) : 0;
	for (j = 0; ret && j < i; j++)
		if (!kn_peer_routes_has(&before, &pa->routes[j]))
			kn_route_msg(nl, KEYNET_CMD_ROUTE_DEL, pa, &pa->routes[j]);
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
	if (!create && !pa.fields && !pa.nroutes) {
		ret = kn_usage_err("nothing to set", NULL,
				   "expected endpoint, psk, keepalive, name, route, auto-route or transit");
		goto out;
	}
	ret = KN_EXIT_FAIL;
	nl = kn_nl_open();
	if (!nl)
		goto out;
	msg = kn_peer_msg(nl, create ? KEYNET_CMD_PEER_NEW : KEYNET_CMD_PEER_SET, 0,
			  &pa, pa.fields, NULL);
	if (!msg)
		goto out;
	ret = kn_nl_do_secret(nl, msg);
	if (ret)
		goto out;
	if (!create) {
		ret = kn_peer_set_routes(nl, &pa);
		goto out;
	}
	if (pa.nroutes)
		ret = kn_peer_routes_add(nl, &pa, &i);
	if (ret) {
		/* Take the new peer (and the routes it got) back. */
		msg = kn_peer_msg(nl, KEYNET_CMD_PEER_DEL, 0, &pa, 0, NULL);
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
	msg = kn_peer_msg(nl, KEYNET_CMD_PEER_DEL, 0, &pa, 0, NULL);
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
	bool header_done;		/* a peer of it printed (text: "interface:") */
	int count;			/* peers printed so far */
	struct kn_show *s;
};

/* The latest handshake as text: "never" or "N seconds ago". */
static void kn_peer_handshake_text(uint64_t hs, char *buf, size_t size)
{
	int64_t ago;

	if (!hs) {
		snprintf(buf, size, "never");
		return;
	}
	ago = (int64_t)time(NULL) - (int64_t)(hs / 1000000000ULL);
	if (ago < 0)
		ago = 0;
	snprintf(buf, size, "%lld second%s ago", (long long)ago, ago == 1 ? "" : "s");
}

/*
 * One PEER_GET reply: decoded into the model, printed from it.  Text
 * puts a blank line between peers and, when showing every device, the
 * device's name before its first peer.
 */
static int kn_peer_print(struct nlattr **a, void *arg)
{
	struct kn_peer_show *ps = arg;
	struct kn_show *s = ps->s;
	char key[45], ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16] = "";
	char addr[INET6_ADDRSTRLEN] = "", lladdr[INET6_ADDRSTRLEN] = "", hs[48], rx[32], tx[32];
	uint8_t ll[16];
	struct kn_conf_peer p;
	bool header, no_auto_route, is_auto, alive, has_psk;
	uint16_t ka;

	if (kn_dec_peer(a, &p))
		return 0;
	if (ps->has_key && memcmp(p.key, ps->key, KEYNET_KEY_LEN))
		return 0;
	kn_key_to_base64(p.key, key);
	if (p.has_ep)
		kn_format_endpoint(&p.ep, p.eplen, ep, sizeof(ep));
	if (p.has_address)
		inet_ntop(AF_INET6, p.address, addr, sizeof(addr));
	/* The link-local address is the key's, whatever the addressing. */
	if (p.has_address)
		kn_linklocal(p.address, ll);
	if (p.has_address || !kn_key_linklocal(p.key, ll))
		inet_ntop(AF_INET6, ll, lladdr, sizeof(lladdr));
	kn_peer_handshake_text(p.stats.last_handshake, hs, sizeof(hs));
	kn_format_bytes(p.stats.rx_bytes, rx, sizeof(rx));
	kn_format_bytes(p.stats.tx_bytes, tx, sizeof(tx));
	no_auto_route = p.flags & KEYNET_PEER_F_NO_AUTO_ROUTE;
	is_auto = p.flags & KEYNET_PEER_F_AUTO;
	alive = p.flags & KEYNET_PEER_F_ALIVE;
	has_psk = p.flags & KEYNET_PEER_F_HAS_PSK;
	ka = p.keepalive;
	header = !ps->dev && !ps->header_done;
	ps->header_done = true;

	kn_print_open(s, NULL, '{', ps->count ? "\n" : NULL);
	ps->count++;
	kn_print_str(s, "ifname", ps->ifname, header ? "interface: %s\n\n" : NULL, ps->ifname);
	kn_print_str(s, "public_key", key, "peer: %s\n", key);
	kn_print_opt_str(s, "name", p.name, "  name: %s\n", p.name);
	/* Text only: these lines come before the endpoint, their JSON last. */
	if (addr[0])
		kn_print_text(s, "  address: %s%s\n", addr,
			      no_auto_route ? " (auto-route off)" : "");
	if (lladdr[0])
		kn_print_text(s, "  link-local: %s\n", lladdr);
	if (is_auto)
		kn_print_text(s, "  auto: yes (added by a beacon)\n");
	if (p.transit)
		kn_print_text(s, "  transit: on (accepts any source its routes cover)\n");
	if (alive)
		kn_print_text(s, "  alive: yes\n");
	if (has_psk)
		kn_print_text(s, "  preshared key: (hidden)\n");
	kn_print_opt_str(s, "endpoint", ep, "  endpoint: %s\n", ep);
	kn_print_u64(s, "keepalive", ka, NULL);
	kn_print_u64(s, "latest_handshake", p.stats.last_handshake / 1000000000ULL,
		     "  latest handshake: %s\n", hs);
	kn_print_u64(s, "rx_bytes", p.stats.rx_bytes, "  transfer: %s received", rx);
	kn_print_u64(s, "tx_bytes", p.stats.tx_bytes, ", %s sent\n", tx);
	kn_print_u64(s, "rx_packets", p.stats.rx_packets,
		     kn_opts.stats ? "  packets: %" PRIu64 " received" : NULL, p.stats.rx_packets);
	kn_print_u64(s, "tx_packets", p.stats.tx_packets,
		     kn_opts.stats ? ", %" PRIu64 " sent\n" : NULL, p.stats.tx_packets);
	if (ka)
		kn_print_text(s, "  persistent keepalive: every %u second%s\n", ka,
			      ka == 1 ? "" : "s");
	/* JSON only: the members text words in the lines above. */
	kn_print_bool(s, "has_psk", has_psk, NULL);
	kn_print_bool(s, "has_session", p.flags & KEYNET_PEER_F_HAS_SESSION, NULL);
	kn_print_opt_str(s, "address", addr, NULL);
	kn_print_opt_str(s, "link_local", lladdr, NULL);
	kn_print_bool(s, "alive", alive, NULL);
	kn_print_bool(s, "auto_route", !no_auto_route, NULL);
	kn_print_bool(s, "auto", is_auto, NULL);
	kn_print_bool(s, "transit", p.transit, NULL);
	kn_print_close(s, '}', NULL);
	return 0;
}

/* Peers of one device: by name (@dev) or by index (from the link list). */
static int kn_peer_dump_dev(struct kn_peer_show *ps, const char *dev, uint32_t ifindex)
{
	struct kn_show *s = ps->s;
	struct kn_conf_peer want = { 0 };
	struct nl_msg *msg;
	bool one = dev && ps->has_key;

	memcpy(want.key, ps->key, KEYNET_KEY_LEN);
	msg = kn_nl_msg(s->nl, KEYNET_CMD_PEER_GET, one ? 0 : NLM_F_DUMP);
	if (!msg || (dev ? kn_nl_put_dev(msg, dev) :
		     nla_put_u32(msg, KEYNET_A_IFINDEX, ifindex)) ||
	    (one && kn_enc_peer(msg, &want, 0))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return -ENOMEM;
	}
	return kn_nl_talk(s->nl, msg, kn_peer_print, ps);
}

static int kn_peer_dump_link(void *arg, const char *ifname, const char *dev, uint32_t ifindex)
{
	struct kn_peer_show *ps = arg;

	ps->ifname = ifname;
	ps->header_done = false;
	return kn_peer_dump_dev(ps, dev, ifindex);
}

static int kn_peer_show_fn(struct kn_show *s)
{
	struct kn_peer_show *ps = s->arg;
	int ret;

	ps->s = s;
	ps->count = 0;
	ret = kn_link_each(s->nl, ps->dev, kn_peer_dump_link, ps);
	if (!ret && !ps->dev && ps->has_key && !ps->count) {
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
