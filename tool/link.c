// SPDX-License-Identifier: GPL-2.0
/* keynet link { show [dev DEV] | set dev DEV ... | help } */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "model.h"
#include "print.h"

static int kn_link_help(FILE *f)
{
	fputs("Usage: keynet link show [dev DEV]\n"
	      "       keynet link set dev DEV [private-key FILE] [listen-port PORT] [listen { ADDR:PORT | any }]\n"
	      "                               [fwmark { MARK | off }] [addressing PREFIX/LEN]\n"
	      "                               [auto-address { on | off }] [peer-routes { on | off }]\n"
	      "                               [mesh { on | off }] [local-prefix { PREFIX | none }]...\n"
	      "                               [beacon { off | accept | send }] [beacon-dev { IFACE | none }]...\n"
	      "                               [beacon-port PORT] [beacon-key FILE] [beacon-max-peers N]\n"
	      "                               [beacon-stamp-window SECONDS]\n"
	      "FILE is a file holding a base64 key (or 64 hex digits, as cjdns), or - for\n"
	      "stdin; an empty file (such as /dev/null) removes the key.  listen-port 0\n"
	      "picks a random port.  addressing (default fc00::/8, LEN 8-64) is the prefix\n"
	      "of the key-derived addresses; with auto-address on (the default), setting\n"
	      "the key or the addressing also gives the device its derived address and\n"
	      "the route of the prefix.  peer-routes routes each peer's address to it.\n"
	      "mesh on (default off) lets routing daemons drive the device: each peer's\n"
	      "key-derived link-local address (fe80::/64) is routed to it, a route's\n"
	      "next hop picks the peer, link-local multicast goes to every peer, and\n"
	      "with auto-address the device gets its own link-local address too.\n"
	      "local-prefix (repeatable) lets only packets from these sources into the\n"
	      "tunnel; 'none' lets every source in again.\n"
	      "beacon (LAN auto-peering, default off): accept adds the holders of the\n"
	      "same beacon-key (a base64 key as 'keynet genpsk' writes, in a file) that\n"
	      "announce themselves on a beacon-dev (none listed: any interface) as\n"
	      "peers; send also announces this device every 10 s on each beacon-dev.\n"
	      "beacon-port defaults to 27178, beacon-max-peers to 64; beacons stamped\n"
	      "further than beacon-stamp-window (default 300 s, 0-86400, 0: no check)\n"
	      "from this host's clock are ignored.\n"
	      "With -s, show also shows the drop and beacon counters.\n",
	      f);
	return 0;
}

/* Names of enum keynet_drop, as text (JSON uses '_' for '-'). */
static const char * const kn_drop_names[__KEYNET_DROP_MAX] = {
	[KEYNET_DROP_TOO_SHORT]		= "too-short",
	[KEYNET_DROP_BAD_TYPE]		= "bad-type",
	[KEYNET_DROP_BAD_MAC]		= "bad-mac",
	[KEYNET_DROP_REPLAY]		= "replay",
	[KEYNET_DROP_UNKNOWN_PEER]	= "unknown-peer",
	[KEYNET_DROP_NO_ROUTE]		= "no-route",
	[KEYNET_DROP_BAD_SOURCE]	= "bad-source",
	[KEYNET_DROP_RATE_LIMITED]	= "rate-limited",
	[KEYNET_DROP_BAD_PACKET]	= "bad-packet",
	[KEYNET_DROP_NO_KEY]		= "no-key",
	[KEYNET_DROP_LOW_ORDER]		= "low-order",
	[KEYNET_DROP_NOMEM]		= "nomem",
	[KEYNET_DROP_UNDERLAY]		= "underlay",
	[KEYNET_DROP_LOOP]		= "loop",
	[KEYNET_DROP_LOCAL_FILTER]	= "local-filter",
	[KEYNET_DROP_MESH_RPF]		= "mesh-rpf",
	[KEYNET_DROP_NO_NEXTHOP]	= "no-nexthop",
};

/*
 * The drop counters of KEYNET_A_STATS: every reason this tool knows, 0
 * when the kernel did not send it, then any newer reason the kernel
 * sent, as "reason-N".
 */
static void kn_link_print_drops(struct kn_show *s, const struct kn_link_stats *st)
{
	char name[32];
	int i;

	kn_print_open(s, "drops", '{', "    drops:");
	for (i = 1; i < __KEYNET_DROP_MAX; i++)
		kn_print_u64(s, kn_drop_names[i], st->drops[i], " %s %" PRIu64,
			     kn_drop_names[i], st->drops[i]);
	for (i = 0; i < st->n_extra; i++) {
		snprintf(name, sizeof(name), "reason-%d", st->extra[i].reason);
		kn_print_u64(s, name, st->extra[i].count, " %s %" PRIu64, name,
			     st->extra[i].count);
	}
	kn_print_close(s, '}', "\n");
}

/* Names of enum keynet_beacon_stat (JSON uses '_' for '-'). */
static const char * const kn_beacon_stat_names[__KEYNET_BEACON_STAT_MAX] = {
	[KEYNET_BEACON_STAT_SENT]		= "sent",
	[KEYNET_BEACON_STAT_RECEIVED]		= "received",
	[KEYNET_BEACON_STAT_PEERS_ADDED]	= "peers-added",
	[KEYNET_BEACON_STAT_PEERS_EXPIRED]	= "peers-expired",
	[KEYNET_BEACON_STAT_MALFORMED]		= "malformed",
	[KEYNET_BEACON_STAT_BAD_MAC]		= "bad-mac",
	[KEYNET_BEACON_STAT_NO_KEY]		= "no-key",
	[KEYNET_BEACON_STAT_OVER_CAP]		= "over-cap",
	[KEYNET_BEACON_STAT_RATE_LIMITED]	= "rate-limited",
	[KEYNET_BEACON_STAT_STALE]		= "stale",
	[KEYNET_BEACON_STAT_REPLAYED]		= "replayed",
};

static const char * const kn_beacon_modes[] = {
	[KEYNET_BEACON_OFF]	= "off",
	[KEYNET_BEACON_ACCEPT]	= "accept",
	[KEYNET_BEACON_SEND]	= "send",
};

/* The beacon counters of KEYNET_A_BEACON_STATS (0 when not sent). */
static void kn_link_print_beacon_stats(struct kn_show *s, const struct kn_link_stats *st)
{
	int i;

	kn_print_open(s, "stats", '{', "    beacons:");
	for (i = 1; i < __KEYNET_BEACON_STAT_MAX; i++)
		kn_print_u64(s, kn_beacon_stat_names[i], st->beacon[i], " %s %" PRIu64,
			     kn_beacon_stat_names[i], st->beacon[i]);
	kn_print_close(s, '}', "\n");
}

/* Name of an interface of this namespace, or "#N" for an unknown index. */
static void kn_link_ifname(uint32_t ifindex, char *buf, size_t size)
{
	char name[IF_NAMESIZE];

	if (if_indextoname(ifindex, name))
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "#%u", ifindex);
}

/*
 * The beacon settings: a "beacon" object with -j, else a line of its
 * own when beacons are on or configured; -s adds the counters.
 */
static void kn_link_print_beacon(struct kn_show *s, const struct kn_conf *c,
				 const struct kn_link_stats *st)
{
	uint8_t mode = c->beacon_mode;
	bool has_key = c->beacon_key_set;
	const char *mname = mode < KN_ARRAY_SIZE(kn_beacon_modes) ? kn_beacon_modes[mode] : "?";
	char name[IF_NAMESIZE + 16];
	struct kn_print_list devs;
	int i;

	if (!kn_print_is_json(s) && mode == KEYNET_BEACON_OFF && !has_key &&
	    !c->has_beacon_devs && !st->has_beacon)
		return;
	kn_print_open(s, "beacon", '{', "    beacon ");
	kn_print_str(s, "mode", mname, "%s", mname);
	kn_print_u64(s, "port", c->beacon_port, " port %u", c->beacon_port);
	kn_print_list_begin(&devs, s, "devs", " dev ", ",");
	for (i = 0; i < c->n_beacon_devs; i++) {
		kn_link_ifname(c->beacon_ifindex[i], name, sizeof(name));
		kn_print_list_str(&devs, name);
	}
	if (!kn_print_list_end(&devs))
		kn_print_text(s, "%s", mode == KEYNET_BEACON_SEND ?
			      " dev none (not announcing)" : " dev any");
	kn_print_bool(s, "has_key", has_key, " key %s", has_key ? "set" : "none");
	kn_print_u64(s, "max_peers", c->beacon_max, " max-peers %u", c->beacon_max);
	kn_print_u64(s, "stamp_window", c->beacon_window, " stamp-window %u\n",
		     c->beacon_window);
	if (st->has_beacon)
		kn_link_print_beacon_stats(s, st);
	kn_print_close(s, '}', NULL);
}

/*
 * One LINK_GET reply: decoded into the model, printed from it.  Text
 * leaves out the settings that are unset or at their default, so the
 * common line stays short; JSON always has them (null when unset).
 */
static int kn_link_print(struct nlattr **a, void *arg)
{
	struct kn_show *s = arg;
	struct kn_print_list local;
	struct kn_link_stats st;
	struct kn_conf c;
	bool no_auto, no_routes, pfx_default = true;
	char key[45] = "", addr[INET6_ADDRSTRLEN] = "";
	char kaddr[INET6_ADDRSTRLEN] = "", kpfx[INET6_ADDRSTRLEN + 8] = "";
	char klladdr[INET6_ADDRSTRLEN] = "", p[INET6_ADDRSTRLEN + 8];
	int i;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "?");
	kn_dec_link(a, &c, &st);
	if (c.has_address)
		inet_ntop(AF_INET6, c.address, kaddr, sizeof(kaddr));
	if (c.has_addressing) {
		uint8_t dp[16], dl;

		kn_default_addressing(dp, &dl);
		kn_format_prefix(c.aprefix, 16, c.aplen, kpfx, sizeof(kpfx));
		pfx_default = c.aplen == dl && !memcmp(c.aprefix, dp, 16);
	}
	if (c.has_pub)
		kn_key_to_base64(c.pub, key);
	if (c.laddr_len)
		inet_ntop(c.laddr_len == 4 ? AF_INET : AF_INET6, c.laddr, addr, sizeof(addr));
	no_auto = c.link_flags & KEYNET_LINK_F_NO_AUTO_ADDR;
	no_routes = c.link_flags & KEYNET_LINK_F_NO_PEER_ROUTES;
	if (c.has_address) {
		uint8_t ll[16];

		kn_linklocal(c.address, ll);
		inet_ntop(AF_INET6, ll, klladdr, sizeof(klladdr));
	}

	kn_print_open(s, NULL, '{', NULL);
	kn_print_u64(s, "ifindex", c.ifindex, "%u: ", c.ifindex);
	kn_print_str(s, "ifname", c.name, "%s:", c.name);
	kn_print_u64(s, "listen_port", c.port, " listen-port %u", c.port);
	/* The text line has the key here, JSON after the fwmark. */
	kn_print_text(s, " public-key %s", key[0] ? key : "(none)");
	kn_print_opt_str(s, "listen_addr", addr,
			 strchr(addr, ':') ? " listen [%s]:%u" : " listen %s:%u", addr, c.port);
	kn_print_u64(s, "fwmark", c.fwmark, c.fwmark ? " fwmark 0x%x" : NULL, c.fwmark);
	kn_print_opt_str(s, "public_key", key, NULL);
	kn_print_u64(s, "peer_count", c.peer_count, c.peer_count ? " peers %u" : NULL,
		     c.peer_count);
	kn_print_opt_str(s, "address", kaddr, " address %s", kaddr);
	kn_print_opt_str(s, "addressing", kpfx, pfx_default ? NULL : " addressing %s", kpfx);
	kn_print_bool(s, "auto_address", !no_auto, no_auto ? " auto-address off" : NULL);
	kn_print_bool(s, "peer_routes", !no_routes, no_routes ? " peer-routes off" : NULL);
	/* Text: the link-local address only in mesh mode, where it is used. */
	kn_print_bool(s, "mesh", c.mesh, c.mesh ? " mesh on" : NULL);
	kn_print_opt_str(s, "link_local", klladdr, c.mesh ? " link-local %s" : NULL, klladdr);
	kn_print_list_begin(&local, s, "local_prefixes", " local-prefix ", ",");
	for (i = 0; i < c.n_local; i++) {
		kn_format_prefix(c.local[i].addr, c.local[i].alen, c.local[i].len, p,
				 sizeof(p));
		kn_print_list_str(&local, p);
	}
	kn_print_list_end(&local);
	kn_print_text(s, "\n");
	if (st.has_drops)
		kn_link_print_drops(s, &st);
	if (c.has_beacon)
		kn_link_print_beacon(s, &c, &st);
	kn_print_close(s, '}', NULL);
	return 0;
}

static int kn_link_show_fn(struct kn_show *s)
{
	const char *dev = s->arg;
	struct nl_msg *msg = kn_nl_msg(s->nl, KEYNET_CMD_LINK_GET, dev ? 0 : NLM_F_DUMP);

	if (!msg || (dev && kn_nl_put_dev(msg, dev)) ||
	    (kn_opts.stats && nla_put_u32(msg, KEYNET_A_FLAGS, KEYNET_F_WANT_STATS))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return -ENOMEM;
	}
	return kn_nl_talk(s->nl, msg, kn_link_print, s);
}

static int kn_link_show(int argc, char **argv)
{
	const char *dev = NULL;

	while (argc > 0) {
		if (kn_matches(argv[0], "dev")) {
			if (argc < 2)
				return kn_usage_err("missing argument after", argv[0],
						    "a device name");
			dev = argv[1];
			argc -= 2;
			argv += 2;
		} else {
			return kn_usage_err("unknown argument", argv[0],
					    "expected 'dev DEV'");
		}
	}
	return kn_show_run(kn_link_show_fn, (void *)dev);
}

struct kn_link_list_ctx {
	struct kn_link_ent *links;
	int count;
	int err;
};

static int kn_link_list_cb(struct nlattr **a, void *arg)
{
	struct kn_link_list_ctx *c = arg;
	struct kn_link_ent *n;
	struct kn_conf dev;

	memset(&dev, 0, sizeof(dev));
	kn_dec_link(a, &dev, NULL);
	if (!dev.ifindex || !dev.name[0])
		return 0;
	n = realloc(c->links, (c->count + 1) * sizeof(*n));
	if (!n) {
		kn_err("out of memory");
		return -ENOMEM;
	}
	c->links = n;
	n += c->count++;
	n->ifindex = dev.ifindex;
	snprintf(n->ifname, sizeof(n->ifname), "%s", dev.name);
	return 0;
}

/*
 * Every keynet device of the namespace, for the show commands that walk
 * all devices.  *@links (free() it) is valid even on error.  Returns 0 or
 * a negative errno, -EINTR meaning the dump was interrupted.
 */
int kn_link_list(struct kn_nl *nl, struct kn_link_ent **links, int *count)
{
	struct kn_link_list_ctx c = { 0 };
	struct nl_msg *msg = kn_nl_msg(nl, KEYNET_CMD_LINK_GET, NLM_F_DUMP);
	int ret;

	if (!msg) {
		kn_err("cannot build the request");
		ret = -ENOMEM;
	} else {
		ret = kn_nl_talk(nl, msg, kn_link_list_cb, &c);
	}
	*links = c.links;
	*count = c.count;
	return ret;
}

/*
 * Call @fn for the device @dev, or when @dev is NULL for every keynet
 * device of the namespace (by index).  A dump interrupted on one device
 * (-EINTR) finishes the walk and is returned at its end, so that
 * kn_show_run() starts the whole show over.
 */
int kn_link_each(struct kn_nl *nl, const char *dev, kn_link_fn fn, void *arg)
{
	struct kn_link_ent *links;
	int i, n, ret, intr = 0;

	if (dev)
		return fn(arg, dev, dev, 0);
	ret = kn_link_list(nl, &links, &n);
	for (i = 0; !ret && i < n; i++) {
		ret = fn(arg, links[i].ifname, NULL, links[i].ifindex);
		if (ret == -EINTR) {
			intr = ret;
			ret = 0;
		}
	}
	free(links);
	return ret ? ret : intr;
}

/* The arguments of "link set", parsed before anything is sent. */
struct kn_link_set {
	const char *dev;
	struct kn_conf c;		/* the settings given */
	unsigned int fields;		/* which (enum kn_link_field) */
	uint32_t lflags_mask, lflags;	/* link flags to change, their values */
};

/* One beacon argument of "link set"; 0, or an exit status. */
static int kn_link_set_beacon(struct kn_link_set *ls, const char *kw, const char *val)
{
	struct kn_conf *c = &ls->c;
	uint32_t i, ifindex, v;
	bool empty;
	int ret;

	if (!strcmp(kw, "beacon")) {
		for (i = 0; i < KN_ARRAY_SIZE(kn_beacon_modes); i++)
			if (!strcmp(val, kn_beacon_modes[i]))
				break;
		if (i == KN_ARRAY_SIZE(kn_beacon_modes))
			return kn_usage_err("invalid beacon mode", val,
					    "expected 'off', 'accept' or 'send'");
		ls->fields |= KN_LINK_BEACON_MODE;
		c->beacon_mode = (uint8_t)i;
	} else if (!strcmp(kw, "beacon-dev")) {
		ls->fields |= KN_LINK_BEACON_DEVS;
		if (!strcmp(val, "none")) {
			c->n_beacon_devs = 0;
			return 0;
		}
		ifindex = if_nametoindex(val);
		if (!ifindex) {
			kn_err("unknown interface '%s': expected an interface of this network namespace, or 'none'",
			       val);
			return KN_EXIT_FAIL;
		}
		if (c->n_beacon_devs >= KN_CONF_BEACON_DEVS_MAX)
			return kn_usage_err("too many beacon interfaces", val, "at most 32");
		c->beacon_ifindex[c->n_beacon_devs++] = ifindex;
	} else if (!strcmp(kw, "beacon-port")) {
		if (kn_parse_uint(val, 65535, &v) || !v)
			return kn_usage_err("invalid beacon port", val, "expected 1-65535");
		c->beacon_port = (uint16_t)v;
		ls->fields |= KN_LINK_BEACON_PORT;
	} else if (!strcmp(kw, "beacon-max-peers")) {
		if (kn_parse_uint(val, 4096, &c->beacon_max))
			return kn_usage_err("invalid beacon-max-peers", val, "expected 0-4096");
		ls->fields |= KN_LINK_BEACON_MAX;
	} else if (!strcmp(kw, "beacon-stamp-window")) {
		if (kn_parse_uint(val, 86400, &c->beacon_window))
			return kn_usage_err("invalid beacon-stamp-window", val,
					    "expected 0-86400 seconds");
		ls->fields |= KN_LINK_BEACON_WINDOW;
	} else {	/* beacon-key */
		if (ls->fields & KN_LINK_BEACON_KEY)
			return kn_usage_err("duplicate argument", kw, "give it once");
		ret = kn_read_key_file(val, "beacon key", c->beacon_key, &empty);
		if (ret)
			return ret;
		c->beacon_key_remove = empty;
		ls->fields |= KN_LINK_BEACON_KEY;
	}
	return 0;
}

/* "on" / "off" of a link flag; @bit means "off" unless @bit_on. */
static int kn_link_set_flag(struct kn_link_set *ls, const char *val, uint32_t bit, bool bit_on)
{
	if (strcmp(val, "on") && strcmp(val, "off"))
		return kn_usage_err("invalid value", val, "expected 'on' or 'off'");
	ls->lflags_mask |= bit;
	if (!strcmp(val, bit_on ? "on" : "off"))
		ls->lflags |= bit;
	else
		ls->lflags &= ~bit;
	ls->fields |= KN_LINK_FLAGS;
	return 0;
}

static int kn_link_set_listen(struct kn_link_set *ls, const char *arg)
{
	struct kn_conf *c = &ls->c;
	struct sockaddr_storage ss;
	socklen_t sslen;
	int ret;

	if (!strcmp(arg, "any")) {
		ls->fields |= KN_LINK_LISTEN_ADDR;
		c->laddr_len = 0;
		return 0;
	}
	ret = kn_parse_endpoint(arg, KN_EP_PORT0, &ss, &sslen);
	if (ret)
		return ret;
	ls->fields |= KN_LINK_LISTEN_ADDR | KN_LINK_PORT;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		c->laddr_len = 4;
		memcpy(c->laddr, &sin->sin_addr, 4);
		c->port = ntohs(sin->sin_port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		c->laddr_len = 16;
		memcpy(c->laddr, &sin6->sin6_addr, 16);
		c->port = ntohs(sin6->sin6_port);
	}
	return 0;
}

static int kn_link_set_parse(struct kn_link_set *ls, int argc, char **argv)
{
	struct kn_conf *c = &ls->c;
	bool port_seen = false, listen_seen = false, empty;
	uint32_t v;
	int ret;

	while (argc > 0) {
		const char *kw = argv[0];

		if (argc < 2)
			return kn_usage_err("missing argument after", kw,
					    kn_matches(kw, "dev") ? "a device name" :
					    "a value");
		if (kn_matches(kw, "dev")) {
			ls->dev = argv[1];
		} else if (kn_matches(kw, "private-key")) {
			if (ls->fields & KN_LINK_KEY)
				return kn_usage_err("duplicate argument", kw,
						    "give it once");
			ret = kn_read_key_file(argv[1], "private key", c->priv, &empty);
			if (ret)
				return ret;
			c->priv_remove = empty;
			ls->fields |= KN_LINK_KEY;
		} else if (!strcmp(kw, "listen")) {
			listen_seen = true;
			ret = kn_link_set_listen(ls, argv[1]);
			if (ret)
				return ret;
		} else if (kn_matches(kw, "listen-port")) {
			port_seen = true;
			if (kn_parse_uint(argv[1], 65535, &v))
				return kn_usage_err("invalid port", argv[1],
						    "expected 0-65535 (0: random)");
			c->port = (uint16_t)v;
			ls->fields |= KN_LINK_PORT;
		} else if (kn_matches(kw, "fwmark")) {
			if (!strcmp(argv[1], "off"))
				c->fwmark = 0;
			else if (kn_parse_uint(argv[1], UINT32_MAX, &c->fwmark))
				return kn_usage_err("invalid fwmark", argv[1],
						    "expected a 32-bit number (decimal or 0x hex) or 'off'");
			ls->fields |= KN_LINK_FWMARK;
		} else if (kn_matches(kw, "addressing")) {
			ret = kn_parse_addressing(argv[1], c->aprefix, &c->aplen);
			if (ret)
				return ret;
			ls->fields |= KN_LINK_ADDRESSING;
		} else if (kn_matches(kw, "auto-address")) {
			ret = kn_link_set_flag(ls, argv[1], KEYNET_LINK_F_NO_AUTO_ADDR, false);
			if (ret)
				return ret;
		} else if (kn_matches(kw, "local-prefix")) {
			ls->fields |= KN_LINK_LOCAL;
			if (!strcmp(argv[1], "none")) {
				c->n_local = 0;
			} else if (c->n_local >= KN_CONF_LOCAL_MAX) {
				return kn_usage_err("too many local prefixes", argv[1],
						    "at most 64");
			} else if (kn_parse_prefix(argv[1], &c->local[c->n_local])) {
				return kn_usage_err("invalid prefix", argv[1],
						    "expected ADDR/LEN with no host bits set, or 'none'");
			} else {
				c->n_local++;
			}
		} else if (kn_matches(kw, "peer-routes")) {
			ret = kn_link_set_flag(ls, argv[1], KEYNET_LINK_F_NO_PEER_ROUTES, false);
			if (ret)
				return ret;
		} else if (kn_matches(kw, "mesh")) {
			ret = kn_link_set_flag(ls, argv[1], KEYNET_LINK_F_MESH, true);
			if (ret)
				return ret;
		} else if (!strcmp(kw, "beacon") || !strcmp(kw, "beacon-dev") ||
			   !strcmp(kw, "beacon-port") || !strcmp(kw, "beacon-key") ||
			   !strcmp(kw, "beacon-max-peers") ||
			   !strcmp(kw, "beacon-stamp-window")) {
			ret = kn_link_set_beacon(ls, kw, argv[1]);
			if (ret)
				return ret;
		} else {
			return kn_usage_err("unknown argument", kw,
					    "expected dev, private-key, listen-port, listen, fwmark, addressing, auto-address, peer-routes, mesh, local-prefix, beacon, beacon-dev, beacon-port, beacon-key, beacon-max-peers or beacon-stamp-window");
		}
		argc -= 2;
		argv += 2;
	}
	/* "listen any" names no port, so it combines with listen-port. */
	if (port_seen && listen_seen && c->laddr_len)
		return kn_usage_err("conflicting arguments", "listen-port",
				    "give either 'listen-port PORT' or 'listen ADDR:PORT'");
	if (!ls->dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	if (!ls->fields)
		return kn_usage_err("nothing to set", NULL,
				    "expected private-key, listen-port, listen, fwmark, addressing, auto-address, peer-routes, mesh, local-prefix or a beacon setting");
	return 0;
}

/*
 * After the key or the addressing changed: the device's derived address
 * (addr.c), unless auto-address is off.  @before is the state before the
 * change; the state after is read back, so the kernel's own view of the
 * address wins over a local computation.
 */
static int kn_link_set_addr(struct kn_nl *nl, const struct kn_link_set *ls,
			    const struct kn_link_state *before)
{
	bool has_key = ls->fields & KN_LINK_KEY, has_addressing = ls->fields & KN_LINK_ADDRESSING;
	bool turned_on = (ls->lflags_mask & KEYNET_LINK_F_NO_AUTO_ADDR) &&
			 !(ls->lflags & KEYNET_LINK_F_NO_AUTO_ADDR);
	uint32_t flags = (before->flags & ~ls->lflags_mask) | ls->lflags;
	struct kn_link_state after;
	char what[96];

	if (flags & KEYNET_LINK_F_NO_AUTO_ADDR)
		return 0;
	if (!has_key && !has_addressing && !turned_on)
		return 0;
	if (has_key)
		snprintf(what, sizeof(what), ls->c.priv_remove ? "the private key of %s was removed" :
			 "the private key of %s was set", ls->dev);
	else
		snprintf(what, sizeof(what), has_addressing ? "the addressing of %s was set" :
			 "auto-address of %s was turned on", ls->dev);
	if (kn_link_state_get(nl, ls->dev, &after)) {
		kn_err("%s, but its derived address was not updated", what);
		return KN_EXIT_FAIL;
	}
	/* A kernel that does not report its addressing yet: what we set. */
	if (has_addressing && !after.has_prefix) {
		memcpy(after.prefix, ls->c.aprefix, 16);
		after.plen = ls->c.aplen;
	}
	return kn_auto_addr_sync(ls->dev, what, before, &after, has_key || has_addressing);
}

/*
 * After the key, the addressing or a flag changed: mesh mode's
 * link-local address (addr.c), on the device while mesh and auto-address
 * are on and a key is set; the previous key's is taken away when the key
 * changes or mesh goes off.  A device whose mesh mode was and stays off
 * is not looked at (its link-local addresses are not the tool's), nor is
 * one with auto-address off after the change (as its derived address).
 * The state after the change is read back: the kernel's view wins.
 */
static int kn_link_set_ll(struct kn_nl *nl, const struct kn_link_set *ls,
			  const struct kn_link_state *before)
{
	bool mesh_before = before->flags & KEYNET_LINK_F_MESH;
	bool auto_before = !(before->flags & KEYNET_LINK_F_NO_AUTO_ADDR);
	bool mesh_asked = ls->lflags_mask & KEYNET_LINK_F_MESH;
	struct kn_link_state after;
	char what[96];

	if (!(ls->fields & (KN_LINK_KEY | KN_LINK_ADDRESSING | KN_LINK_FLAGS)))
		return 0;
	if (!mesh_before && !(ls->lflags & KEYNET_LINK_F_MESH))
		return 0;
	if (ls->fields & KN_LINK_KEY)
		snprintf(what, sizeof(what), ls->c.priv_remove ? "the private key of %s was removed" :
			 "the private key of %s was set", ls->dev);
	else if (mesh_asked)
		snprintf(what, sizeof(what), ls->lflags & KEYNET_LINK_F_MESH ?
			 "mesh of %s was turned on" : "mesh of %s was turned off", ls->dev);
	else
		snprintf(what, sizeof(what), "%s was changed", ls->dev);
	if (kn_link_state_get(nl, ls->dev, &after)) {
		kn_err("%s, but its link-local address was not updated", what);
		return KN_EXIT_FAIL;
	}
	if (after.flags & KEYNET_LINK_F_NO_AUTO_ADDR)
		return 0;
	return kn_linklocal_sync(ls->dev, what, after.ifindex,
				 mesh_before && auto_before ? before : NULL,
				 after.flags & KEYNET_LINK_F_MESH ? &after : NULL);
}

static int kn_link_set(int argc, char **argv)
{
	struct kn_link_set ls = { 0 };
	struct kn_link_state before = { 0 };
	struct nl_msg *msg = NULL;
	struct kn_nl *nl = NULL;
	uint32_t flags;
	int ret;

	ret = kn_link_set_parse(&ls, argc, argv);
	if (ret)
		goto out;
	ret = KN_EXIT_FAIL;
	nl = kn_nl_open();
	if (!nl)
		goto out;
	/*
	 * The state before the change: the previous key's address (to remove
	 * it) and the current link flags (KEYNET_A_LINK_FLAGS carries them
	 * all, so changing one is read-modify-write).
	 */
	if ((ls.fields & (KN_LINK_KEY | KN_LINK_ADDRESSING | KN_LINK_FLAGS)) &&
	    kn_link_state_get(nl, ls.dev, &before))
		goto out;
	flags = (before.flags & ~ls.lflags_mask) | ls.lflags;
	ls.c.auto_address = !(flags & KEYNET_LINK_F_NO_AUTO_ADDR);
	ls.c.peer_routes = !(flags & KEYNET_LINK_F_NO_PEER_ROUTES);
	ls.c.mesh = flags & KEYNET_LINK_F_MESH;
	msg = kn_nl_msg(nl, KEYNET_CMD_LINK_SET, 0);
	if (!msg || kn_nl_put_dev(msg, ls.dev) || kn_enc_link(msg, &ls.c, ls.fields)) {
		/* The request held the private key: wipe it before freeing. */
		kn_nl_msg_wipe(msg);
		kn_err("cannot build the request");
		goto out;
	}
	ret = kn_nl_do_secret(nl, msg);
	if (!ret)
		ret = kn_link_set_addr(nl, &ls, &before);
	if (!ret)
		ret = kn_link_set_ll(nl, &ls, &before);
out:
	explicit_bzero(ls.c.priv, sizeof(ls.c.priv));
	explicit_bzero(ls.c.beacon_key, sizeof(ls.c.beacon_key));
	kn_nl_close(nl);
	return ret;
}

int kn_cmd_link(int argc, char **argv)
{
	if (argc == 0 || kn_matches(argv[0], "show") || kn_matches(argv[0], "list"))
		return kn_link_show(argc ? argc - 1 : 0, argv + 1);
	if (kn_matches(argv[0], "set"))
		return kn_link_set(argc - 1, argv + 1);
	if (kn_matches(argv[0], "help")) {
		kn_link_help(stdout);
		return 0;
	}
	kn_link_help(stderr);
	return kn_usage_err("unknown command", argv[0], "expected 'show', 'set' or 'help'");
}
