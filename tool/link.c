// SPDX-License-Identifier: GPL-2.0
/* keynet link { show [dev DEV] | set dev DEV ... | help } */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "keynet.h"

static int kn_link_help(FILE *f)
{
	fputs("Usage: keynet link show [dev DEV]\n"
	      "       keynet link set dev DEV [private-key FILE] [listen-port PORT] [listen { ADDR:PORT | any }]\n"
	      "                               [fwmark { MARK | off }]\n"
	      "FILE is a file holding a base64 key, or - for stdin; an empty file\n"
	      "(such as /dev/null) removes the key.  listen-port 0 picks a random port.\n"
	      "With -s, show also shows the drop counters.\n",
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
};

/*
 * The drop counters of KEYNET_A_STATS: every reason this tool knows, 0
 * when the kernel did not send it, then any newer reason the kernel
 * sent, as "reason-N".
 */
static void kn_link_print_drops(struct kn_show *s, struct nlattr *stats)
{
	uint64_t known[__KEYNET_DROP_MAX] = { 0 };
	struct nlattr *a;
	char name[32];
	int rem, i;

	nla_for_each_nested(a, stats, rem) {
		int t = nla_type(a);

		if (t > KEYNET_DROP_UNSPEC && t < __KEYNET_DROP_MAX &&
		    nla_len(a) == sizeof(uint64_t))
			known[t] = nla_get_u64(a);
	}
	if (s->json)
		kn_json_open(s->json, "drops", '{');
	else
		fputs("    drops:", s->out);
	for (i = 1; i < __KEYNET_DROP_MAX; i++) {
		if (s->json) {
			char *c;

			snprintf(name, sizeof(name), "%s", kn_drop_names[i]);
			for (c = name; *c; c++)
				if (*c == '-')
					*c = '_';
			kn_json_u64(s->json, name, known[i]);
		} else {
			fprintf(s->out, " %s %llu", kn_drop_names[i],
				(unsigned long long)known[i]);
		}
	}
	nla_for_each_nested(a, stats, rem) {
		int t = nla_type(a);

		if (t < __KEYNET_DROP_MAX || nla_len(a) != sizeof(uint64_t))
			continue;
		if (s->json) {
			snprintf(name, sizeof(name), "reason_%d", t);
			kn_json_u64(s->json, name, nla_get_u64(a));
		} else {
			fprintf(s->out, " reason-%d %llu", t,
				(unsigned long long)nla_get_u64(a));
		}
	}
	if (s->json)
		kn_json_close(s->json, '}');
	else
		fputc('\n', s->out);
}

static int kn_link_print(struct nlattr **a, void *arg)
{
	struct kn_show *s = arg;
	const char *name = a[KEYNET_A_IFNAME] ? nla_get_string(a[KEYNET_A_IFNAME]) : "?";
	uint32_t ifindex = a[KEYNET_A_IFINDEX] ? nla_get_u32(a[KEYNET_A_IFINDEX]) : 0;
	uint16_t port = a[KEYNET_A_LISTEN_PORT] ? nla_get_u16(a[KEYNET_A_LISTEN_PORT]) : 0;
	uint32_t fwmark = a[KEYNET_A_FWMARK] ? nla_get_u32(a[KEYNET_A_FWMARK]) : 0;
	uint32_t peers = a[KEYNET_A_PEER_COUNT] ? nla_get_u32(a[KEYNET_A_PEER_COUNT]) : 0;
	char key[45] = "", addr[INET6_ADDRSTRLEN] = "";

	if (a[KEYNET_A_PUBLIC_KEY] && nla_len(a[KEYNET_A_PUBLIC_KEY]) == KEYNET_KEY_LEN)
		kn_key_to_base64(nla_data(a[KEYNET_A_PUBLIC_KEY]), key);
	if (a[KEYNET_A_LISTEN_ADDR]) {
		int alen = nla_len(a[KEYNET_A_LISTEN_ADDR]);

		if (alen == 4 || alen == 16)
			inet_ntop(alen == 4 ? AF_INET : AF_INET6,
				  nla_data(a[KEYNET_A_LISTEN_ADDR]), addr, sizeof(addr));
	}
	if (s->json) {
		kn_json_open(s->json, NULL, '{');
		kn_json_u64(s->json, "ifindex", ifindex);
		kn_json_str(s->json, "ifname", name);
		kn_json_u64(s->json, "listen_port", port);
		if (addr[0])
			kn_json_str(s->json, "listen_addr", addr);
		else
			kn_json_null(s->json, "listen_addr");
		kn_json_u64(s->json, "fwmark", fwmark);
		if (key[0])
			kn_json_str(s->json, "public_key", key);
		else
			kn_json_null(s->json, "public_key");
		kn_json_u64(s->json, "peer_count", peers);
		if (a[KEYNET_A_STATS])
			kn_link_print_drops(s, a[KEYNET_A_STATS]);
		kn_json_close(s->json, '}');
		return 0;
	}
	/* Optional fields only when set, so the common line stays short. */
	fprintf(s->out, "%u: %s: listen-port %u public-key %s", ifindex, name, port,
		key[0] ? key : "(none)");
	if (addr[0])
		fprintf(s->out, strchr(addr, ':') ? " listen [%s]:%u" : " listen %s:%u",
			addr, port);
	if (fwmark)
		fprintf(s->out, " fwmark 0x%x", fwmark);
	if (peers)
		fprintf(s->out, " peers %u", peers);
	fputc('\n', s->out);
	if (a[KEYNET_A_STATS])
		kn_link_print_drops(s, a[KEYNET_A_STATS]);
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

	if (!a[KEYNET_A_IFINDEX] || !a[KEYNET_A_IFNAME])
		return 0;
	n = realloc(c->links, (c->count + 1) * sizeof(*n));
	if (!n) {
		kn_err("out of memory");
		return -ENOMEM;
	}
	c->links = n;
	n += c->count++;
	n->ifindex = nla_get_u32(a[KEYNET_A_IFINDEX]);
	snprintf(n->ifname, sizeof(n->ifname), "%s", nla_get_string(a[KEYNET_A_IFNAME]));
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

/* The arguments of "link set", parsed before anything is sent. */
struct kn_link_set {
	const char *dev;
	uint8_t key[KEYNET_KEY_LEN];
	bool has_key, key_empty;
	bool has_port, has_addr, has_fwmark;
	uint32_t port, fwmark;
	uint8_t addr[16];
	int alen;		/* 0 with has_addr: listen on every address */
};

static int kn_link_set_listen(struct kn_link_set *ls, const char *arg)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	int ret;

	if (!strcmp(arg, "any")) {
		ls->has_addr = true;
		ls->alen = 0;
		return 0;
	}
	ret = kn_parse_endpoint(arg, KN_EP_PORT0, &ss, &sslen);
	if (ret)
		return ret;
	ls->has_addr = true;
	ls->has_port = true;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		ls->alen = 4;
		memcpy(ls->addr, &sin->sin_addr, 4);
		ls->port = ntohs(sin->sin_port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		ls->alen = 16;
		memcpy(ls->addr, &sin6->sin6_addr, 16);
		ls->port = ntohs(sin6->sin6_port);
	}
	return 0;
}

static int kn_link_set_parse(struct kn_link_set *ls, int argc, char **argv)
{
	bool port_seen = false, listen_seen = false;
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
			if (ls->has_key)
				return kn_usage_err("duplicate argument", kw,
						    "give it once");
			ret = kn_read_key_file(argv[1], "private key", ls->key,
					       &ls->key_empty);
			if (ret)
				return ret;
			ls->has_key = true;
		} else if (!strcmp(kw, "listen")) {
			listen_seen = true;
			ret = kn_link_set_listen(ls, argv[1]);
			if (ret)
				return ret;
		} else if (kn_matches(kw, "listen-port")) {
			port_seen = true;
			if (kn_parse_uint(argv[1], 65535, &ls->port))
				return kn_usage_err("invalid port", argv[1],
						    "expected 0-65535 (0: random)");
			ls->has_port = true;
		} else if (kn_matches(kw, "fwmark")) {
			if (!strcmp(argv[1], "off"))
				ls->fwmark = 0;
			else if (kn_parse_uint(argv[1], UINT32_MAX, &ls->fwmark))
				return kn_usage_err("invalid fwmark", argv[1],
						    "expected a 32-bit number (decimal or 0x hex) or 'off'");
			ls->has_fwmark = true;
		} else {
			return kn_usage_err("unknown argument", kw,
					    "expected dev, private-key, listen-port, listen or fwmark");
		}
		argc -= 2;
		argv += 2;
	}
	/* "listen any" names no port, so it combines with listen-port. */
	if (port_seen && listen_seen && ls->alen)
		return kn_usage_err("conflicting arguments", "listen-port",
				    "give either 'listen-port PORT' or 'listen ADDR:PORT'");
	if (!ls->dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	if (!ls->has_key && !ls->has_port && !ls->has_addr && !ls->has_fwmark)
		return kn_usage_err("nothing to set", NULL,
				    "expected private-key, listen-port, listen or fwmark");
	return 0;
}

static int kn_link_set(int argc, char **argv)
{
	struct kn_link_set ls = { 0 };
	struct nl_msg *msg = NULL;
	struct kn_nl *nl = NULL;
	int ret;

	ret = kn_link_set_parse(&ls, argc, argv);
	if (ret)
		goto out;
	ret = KN_EXIT_FAIL;
	nl = kn_nl_open();
	if (!nl)
		goto out;
	msg = kn_nl_msg(nl, KEYNET_CMD_LINK_SET, 0);
	if (!msg || kn_nl_put_dev(msg, ls.dev) ||
	    (ls.has_key && nla_put(msg, KEYNET_A_PRIVATE_KEY,
				   ls.key_empty ? 0 : KEYNET_KEY_LEN, ls.key)) ||
	    (ls.has_port && nla_put_u16(msg, KEYNET_A_LISTEN_PORT, ls.port)) ||
	    (ls.has_addr && nla_put(msg, KEYNET_A_LISTEN_ADDR, ls.alen, ls.addr)) ||
	    (ls.has_fwmark && nla_put_u32(msg, KEYNET_A_FWMARK, ls.fwmark))) {
		kn_err("cannot build the request");
		goto out_msg;
	}
	ret = kn_nl_do_secret(nl, msg);
	msg = NULL;
out_msg:
	/* The request held the private key: wipe it before freeing. */
	if (msg) {
		explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
	}
out:
	explicit_bzero(ls.key, sizeof(ls.key));
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
