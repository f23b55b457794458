// SPDX-License-Identifier: GPL-2.0
/*
 * keynet nat64 / pool, and map show: the in-kernel NAT64 translator of
 * a device (RFC 7915 with an RFC 6052 prefix), the listing of its static
 * maps and dynamic mappings, and its dynamic IPv4 pool, plus save/restore
 * of the dynamic mappings across a reboot (TAYGA's data-dir).  The map
 * commands that change the static set are map.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include "conf.h"
#include "nat64.h"
#include "print.h"

static const char * const kn_nat64_stat_names[__KEYNET_NAT64_STAT_MAX] = {
	[KEYNET_NAT64_STAT_XLAT_4TO6] = "xlat_4to6",
	[KEYNET_NAT64_STAT_XLAT_6TO4] = "xlat_6to4",
	[KEYNET_NAT64_STAT_ICMP4_SENT] = "icmp4_sent",
	[KEYNET_NAT64_STAT_ICMP6_SENT] = "icmp6_sent",
	[KEYNET_NAT64_STAT_FRAGMENTS] = "fragments",
	[KEYNET_NAT64_STAT_TRUNCATED] = "truncated",
	[KEYNET_NAT64_STAT_BAD_HDR] = "bad_hdr",
	[KEYNET_NAT64_STAT_BAD_CSUM] = "bad_csum",
	[KEYNET_NAT64_STAT_HOP_LIMIT] = "hop_limit",
	[KEYNET_NAT64_STAT_TOO_BIG] = "too_big",
	[KEYNET_NAT64_STAT_SRC_ROUTE] = "src_route",
	[KEYNET_NAT64_STAT_SEG_LEFT] = "seg_left",
	[KEYNET_NAT64_STAT_NO_MAP_SRC] = "no_map_src",
	[KEYNET_NAT64_STAT_NO_MAP_DST] = "no_map_dst",
	[KEYNET_NAT64_STAT_NONGLOBAL] = "nonglobal",
	[KEYNET_NAT64_STAT_LOOP] = "loop",
	[KEYNET_NAT64_STAT_PROTO] = "proto",
	[KEYNET_NAT64_STAT_ICMP_TYPE] = "icmp_type",
	[KEYNET_NAT64_STAT_ICMP_INNER] = "icmp_inner",
	[KEYNET_NAT64_STAT_FRAG] = "frag",
	[KEYNET_NAT64_STAT_UDP_ZERO_CSUM] = "udp_zero_csum",
	[KEYNET_NAT64_STAT_NO_SPACE] = "no_space",
	[KEYNET_NAT64_STAT_POOL_FULL] = "pool_full",
	[KEYNET_NAT64_STAT_NOMEM] = "nomem",
	[KEYNET_NAT64_STAT_LOCAL] = "local",
	[KEYNET_NAT64_STAT_GSO] = "gso",
	[KEYNET_NAT64_STAT_ICMP_RATELIMITED] = "icmp_ratelimited",
	[KEYNET_NAT64_STAT_MARTIAN] = "martian",
	[KEYNET_NAT64_STAT_POOL_PER_64] = "pool_per_64",
	[KEYNET_NAT64_STAT_MARTIAN6] = "martian6",
	[KEYNET_NAT64_STAT_MAP_EVICTED] = "map_evicted",
	[KEYNET_NAT64_STAT_HAIRPIN] = "hairpin",
};

static void kn_nat64_help(FILE *f)
{
	fputs("Usage: keynet nat64 set dev DEV [prefix PREFIX/LEN] [ipv4-addr ADDR|none]\n"
	      "                      [ipv6-addr ADDR|none] [mss-clamp on|off|VALUE]\n"
	      "                      [strict-wkp on|off] [pool-timeout SECONDS]\n"
	      "                      [pool-per-64 N] [udp-zero-csum compute|drop|forward]\n"
	      "                      [offlink-mtu MTU] [clat on|off]\n"
	      "       keynet [-s] nat64 show [dev DEV]\n"
	      "       keynet nat64 off dev DEV\n"
	      "       keynet nat64 save FILE [dev DEV]\n"
	      "       keynet nat64 restore FILE\n"
	      "PREFIX/LEN is an RFC 6052 prefix (length 32, 40, 48, 56, 64 or 96), needed\n"
	      "to turn NAT64 on; later sets change only what they name.  save/restore\n"
	      "keep the dynamic mappings (DEV IPV4 IPV6 IDLE-SECONDS per line).\n"
	      "pool-per-64 N: the sources of one IPv6 /64 get at most N dynamic\n"
	      "mappings (default 64, 0: no limit).\n"
	      "offlink-mtu MTU: IPv4 packets without DF are fragmented to fit MTU\n"
	      "(1280-65535, default 1280) once translated to IPv6.\n"
	      "clat on: CLAT (464XLAT): IPv4 packets from a static map's IPv4 side\n"
	      "are translated to any IPv4 destination, through the prefix (default off).\n",
	      f);
}

static void kn_pool_help(FILE *f)
{
	fputs("Usage: keynet pool add PREFIX dev DEV\n"
	      "       keynet pool del PREFIX dev DEV\n"
	      "       keynet pool show [dev DEV]\n"
	      "PREFIX is an IPv4 prefix of length 16 to 32.\n",
	      f);
}

int kn_need_arg(int argc, char **argv, const char *what)
{
	if (argc < 2)
		return kn_usage_err("missing argument after", argv[0], what);
	return 0;
}

static int kn_parse_onoff(const char *kw, const char *arg, bool *val)
{
	if (!strcmp(arg, "on") || !strcmp(arg, "yes")) {
		*val = true;
		return 0;
	}
	if (!strcmp(arg, "off") || !strcmp(arg, "no")) {
		*val = false;
		return 0;
	}
	return kn_usage_err("invalid value", arg, kw[0] == 's' ?
			    "strict-wkp is 'on' or 'off'" : "expected 'on' or 'off'");
}

/* Send one change request made by @put; 0 or an exit code. */
int kn_nat64_change(uint8_t cmd, const char *dev, kn_put_fn put, void *arg)
{
	struct nl_msg *msg;
	struct kn_nl *nl;
	int ret;

	nl = kn_nl_open();
	if (!nl)
		return KN_EXIT_FAIL;
	msg = kn_nl_msg(nl, cmd, 0);
	if (!msg || kn_nl_put_dev(msg, dev) || (put && put(msg, arg))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		ret = KN_EXIT_FAIL;
	} else {
		ret = kn_nl_do(nl, msg);
	}
	kn_nl_close(nl);
	return ret;
}

/* ---- nat64 set ---- */

struct kn_nat64_set {
	const char *dev;
	struct kn_prefix prefix;
	bool has_prefix, has_v4, has_v6, has_mss, has_wkp, has_timeout, has_udp0;
	bool has_per64, has_offlink, has_clat, clat;
	uint32_t per64, offlink;
	uint8_t udp0;
	uint8_t v4[4], v6[16];
	int v4len, v6len;
	uint16_t mss;
	bool wkp;
	uint32_t timeout;
};

/* The settings given, as the model, encoded by codec.c. */
static int kn_nat64_set_put(struct nl_msg *msg, void *arg)
{
	struct kn_nat64_set *ns = arg;
	struct kn_conf_nat64 n = {
		.plen = ns->prefix.len,
		.has_v4 = ns->v4len == 4,
		.has_v6 = ns->v6len == 16,
		.mss = ns->mss,
		.strict_wkp = ns->wkp,
		.udp0 = ns->udp0,
		.offlink_mtu = ns->offlink,
		.timeout = ns->timeout,
		.per64 = ns->per64,
		.clat = ns->clat,
	};
	unsigned int fields = (ns->has_prefix ? KN_NAT64_PREFIX : 0) |
			      (ns->has_v4 ? KN_NAT64_V4 : 0) | (ns->has_v6 ? KN_NAT64_V6 : 0) |
			      (ns->has_mss ? KN_NAT64_MSS : 0) |
			      (ns->has_wkp ? KN_NAT64_STRICT_WKP : 0) |
			      (ns->has_timeout ? KN_NAT64_TIMEOUT : 0) |
			      (ns->has_udp0 ? KN_NAT64_UDP0 : 0) |
			      (ns->has_per64 ? KN_NAT64_PER64 : 0) |
			      (ns->has_offlink ? KN_NAT64_OFFLINK : 0) |
			      (ns->has_clat ? KN_NAT64_CLAT : 0);

	memcpy(n.prefix, ns->prefix.addr, 16);
	memcpy(n.v4, ns->v4, 4);
	memcpy(n.v6, ns->v6, 16);
	return kn_enc_nat64(msg, &n, fields);
}

static int kn_nat64_set(int argc, char **argv)
{
	struct kn_nat64_set ns = { 0 };
	uint32_t v;
	int ret;

	for (; argc > 0; argc -= 2, argv += 2) {
		const char *kw = argv[0];

		if (kn_matches(kw, "dev")) {
			if ((ret = kn_need_arg(argc, argv, "a device name")))
				return ret;
			ns.dev = argv[1];
		} else if (kn_matches(kw, "prefix")) {
			if ((ret = kn_need_arg(argc, argv, "an IPv6 prefix PREFIX/LEN")))
				return ret;
			ret = kn_parse_prefix(argv[1], &ns.prefix);
			if (ret)
				return ret;
			if (ns.prefix.family != AF_INET6 || !strchr(argv[1], '/'))
				return kn_usage_err("invalid NAT64 prefix", argv[1],
						    "expected an IPv6 PREFIX/LEN");
			ns.has_prefix = true;
		} else if (kn_matches(kw, "ipv4-addr")) {
			if ((ret = kn_need_arg(argc, argv, "an IPv4 address or 'none'")))
				return ret;
			ns.has_v4 = true;
			ns.v4len = 4;
			if (!strcmp(argv[1], "none"))
				ns.v4len = 0;
			else if (inet_pton(AF_INET, argv[1], ns.v4) != 1)
				return kn_usage_err("invalid IPv4 address", argv[1],
						    "expected a dotted quad or 'none'");
		} else if (kn_matches(kw, "ipv6-addr")) {
			if ((ret = kn_need_arg(argc, argv, "an IPv6 address or 'none'")))
				return ret;
			ns.has_v6 = true;
			ns.v6len = 16;
			if (!strcmp(argv[1], "none"))
				ns.v6len = 0;
			else if (inet_pton(AF_INET6, argv[1], ns.v6) != 1)
				return kn_usage_err("invalid IPv6 address", argv[1],
						    "expected an IPv6 address or 'none'");
		} else if (kn_matches(kw, "mss-clamp")) {
			if ((ret = kn_need_arg(argc, argv, "'on', 'off' or an MSS")))
				return ret;
			ns.has_mss = true;
			if (!strcmp(argv[1], "on") || !strcmp(argv[1], "auto"))
				ns.mss = KEYNET_NAT64_MSS_AUTO;
			else if (!strcmp(argv[1], "off"))
				ns.mss = 0;
			else if (kn_parse_uint(argv[1], 65534, &v) || v < 88)
				return kn_usage_err("invalid MSS clamp", argv[1],
						    "expected 'on', 'off' or 88-65534");
			else
				ns.mss = (uint16_t)v;
		} else if (kn_matches(kw, "strict-wkp")) {
			if ((ret = kn_need_arg(argc, argv, "'on' or 'off'")))
				return ret;
			ret = kn_parse_onoff(kw, argv[1], &ns.wkp);
			if (ret)
				return ret;
			ns.has_wkp = true;
		} else if (kn_matches(kw, "pool-timeout")) {
			if ((ret = kn_need_arg(argc, argv, "seconds 1-4294967295")))
				return ret;
			if (kn_parse_uint(argv[1], UINT32_MAX, &ns.timeout) || !ns.timeout)
				return kn_usage_err("invalid pool timeout", argv[1],
						    "expected seconds 1-4294967295");
			ns.has_timeout = true;
		} else if (kn_matches(kw, "pool-per-64")) {
			if ((ret = kn_need_arg(argc, argv, "a number of mappings 0-4294967295")))
				return ret;
			if (kn_parse_uint(argv[1], UINT32_MAX, &ns.per64))
				return kn_usage_err("invalid pool-per-64", argv[1],
						    "expected mappings per /64, 0-4294967295 (0: no limit)");
			ns.has_per64 = true;
		} else if (kn_matches(kw, "udp-zero-csum")) {
			if ((ret = kn_need_arg(argc, argv, "'compute', 'drop' or 'forward'")))
				return ret;
			if (!strcmp(argv[1], "compute"))
				ns.udp0 = KEYNET_NAT64_UDP0_COMPUTE;
			else if (!strcmp(argv[1], "drop"))
				ns.udp0 = KEYNET_NAT64_UDP0_DROP;
			else if (!strcmp(argv[1], "forward"))
				ns.udp0 = KEYNET_NAT64_UDP0_FORWARD;
			else
				return kn_usage_err("invalid value", argv[1],
						    "expected 'compute', 'drop' or 'forward'");
			ns.has_udp0 = true;
		} else if (kn_matches(kw, "offlink-mtu")) {
			if ((ret = kn_need_arg(argc, argv, "an MTU 1280-65535")))
				return ret;
			if (kn_parse_uint(argv[1], 65535, &ns.offlink) || ns.offlink < 1280)
				return kn_usage_err("invalid offlink-mtu", argv[1],
						    "expected an MTU of 1280-65535");
			ns.has_offlink = true;
		} else if (kn_matches(kw, "clat")) {
			if ((ret = kn_need_arg(argc, argv, "'on' or 'off'")))
				return ret;
			ret = kn_parse_onoff(kw, argv[1], &ns.clat);
			if (ret)
				return ret;
			ns.has_clat = true;
		} else {
			return kn_usage_err("unknown argument", kw,
					    "expected dev, prefix, ipv4-addr, ipv6-addr, mss-clamp, strict-wkp, pool-timeout, pool-per-64, udp-zero-csum, offlink-mtu or clat");
		}
	}
	if (!ns.dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	return kn_nat64_change(KEYNET_CMD_NAT64_SET, ns.dev, kn_nat64_set_put, &ns);
}

/* "dev DEV" as the only arguments (of off, show). */
static int kn_parse_dev_only(int argc, char **argv, const char **dev)
{
	int ret;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (!kn_matches(argv[0], "dev"))
			return kn_usage_err("unknown argument", argv[0], "expected 'dev DEV'");
		if ((ret = kn_need_arg(argc, argv, "a device name")))
			return ret;
		*dev = argv[1];
	}
	return 0;
}

static int kn_nat64_off(int argc, char **argv)
{
	const char *dev = NULL;
	int ret = kn_parse_dev_only(argc, argv, &dev);

	if (ret)
		return ret;
	if (!dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	return kn_nat64_change(KEYNET_CMD_NAT64_DEL, dev, NULL, NULL);
}

/* ---- nat64 show ---- */

static int kn_nat64_print(struct nlattr **a, void *arg)
{
	struct kn_show *s = arg;
	char prefix[INET6_ADDRSTRLEN + 8], v4[INET_ADDRSTRLEN] = "",
	     v6[INET6_ADDRSTRLEN] = "", mss[16];
	struct nlattr *st[__KEYNET_NAT64_STAT_MAX];
	const char *ifname, *udp0;
	uint32_t used, size, offlink;
	uint16_t m;
	bool wkp, clat;
	int i;

	if (!a[KEYNET_A_IFNAME] || !a[KEYNET_A_PREFIX] || !a[KEYNET_A_PREFIX_LEN] ||
	    nla_len(a[KEYNET_A_PREFIX]) != 16)
		return 0;
	ifname = nla_get_string(a[KEYNET_A_IFNAME]);
	kn_format_prefix(nla_data(a[KEYNET_A_PREFIX]), 16,
			 nla_get_u8(a[KEYNET_A_PREFIX_LEN]), prefix, sizeof(prefix));
	if (a[KEYNET_A_NAT64_IPV4_ADDR] && nla_len(a[KEYNET_A_NAT64_IPV4_ADDR]) == 4)
		inet_ntop(AF_INET, nla_data(a[KEYNET_A_NAT64_IPV4_ADDR]), v4, sizeof(v4));
	if (a[KEYNET_A_NAT64_IPV6_ADDR] && nla_len(a[KEYNET_A_NAT64_IPV6_ADDR]) == 16)
		inet_ntop(AF_INET6, nla_data(a[KEYNET_A_NAT64_IPV6_ADDR]), v6, sizeof(v6));
	m = a[KEYNET_A_NAT64_MSS_CLAMP] ? nla_get_u16(a[KEYNET_A_NAT64_MSS_CLAMP]) : 0;
	if (m == KEYNET_NAT64_MSS_AUTO)
		snprintf(mss, sizeof(mss), "on");
	else if (!m)
		snprintf(mss, sizeof(mss), "off");
	else
		snprintf(mss, sizeof(mss), "%u", m);
	wkp = a[KEYNET_A_NAT64_STRICT_WKP] && nla_get_u8(a[KEYNET_A_NAT64_STRICT_WKP]);
	clat = a[KEYNET_A_NAT64_CLAT] && nla_get_u8(a[KEYNET_A_NAT64_CLAT]);
	switch (a[KEYNET_A_NAT64_UDP_ZERO_CSUM] ? nla_get_u8(a[KEYNET_A_NAT64_UDP_ZERO_CSUM]) : 0) {
	case KEYNET_NAT64_UDP0_DROP:
		udp0 = "drop";
		break;
	case KEYNET_NAT64_UDP0_FORWARD:
		udp0 = "forward";
		break;
	default:
		udp0 = "compute";
		break;
	}
	/* A module without the setting fragments at 1280. */
	offlink = a[KEYNET_A_NAT64_OFFLINK_MTU] ?
		  nla_get_u32(a[KEYNET_A_NAT64_OFFLINK_MTU]) : 1280;
	memset(st, 0, sizeof(st));
	if (a[KEYNET_A_NAT64_STATS])
		nla_parse_nested(st, __KEYNET_NAT64_STAT_MAX - 1,
				 a[KEYNET_A_NAT64_STATS], NULL);
#define KN_U32(x) (a[x] ? nla_get_u32(a[x]) : 0)
	used = KN_U32(KEYNET_A_NAT64_POOL_USED);
	size = KN_U32(KEYNET_A_NAT64_POOL_SIZE);
	/* Text: two lines and a counter per line; JSON: one object. */
	kn_print_open(s, NULL, '{', NULL);
	kn_print_str(s, "ifname", ifname, "%s:", ifname);
	kn_print_u64(s, "ifindex", KN_U32(KEYNET_A_IFINDEX), NULL);
	kn_print_str(s, "prefix", prefix, " prefix %s", prefix);
	kn_print_str(s, "ipv4_addr", v4[0] ? v4 : NULL, " ipv4-addr %s", v4[0] ? v4 : "(none)");
	kn_print_str(s, "ipv6_addr", v6[0] ? v6 : NULL, " ipv6-addr %s", v6[0] ? v6 : "(auto)");
	kn_print_str(s, "mss_clamp", mss, " mss-clamp %s", mss);
	kn_print_bool(s, "strict_wkp", wkp, " strict-wkp %s", wkp ? "on" : "off");
	kn_print_bool(s, "clat", clat, " clat %s\n", clat ? "on" : "off");
	kn_print_str(s, "udp_zero_csum", udp0, NULL);
	kn_print_u64(s, "pool_timeout", KN_U32(KEYNET_A_NAT64_POOL_TIMEOUT),
		     "  pool %u/%u used, pool-timeout %u,", used, size,
		     KN_U32(KEYNET_A_NAT64_POOL_TIMEOUT));
	kn_print_u64(s, "pool_per_64", KN_U32(KEYNET_A_NAT64_POOL_PER_64),
		     " pool-per-64 %u,", KN_U32(KEYNET_A_NAT64_POOL_PER_64));
	kn_print_u64(s, "pool_size", size, NULL);
	kn_print_u64(s, "pool_used", used, NULL);
	kn_print_text(s, " udp-zero-csum %s,", udp0);
	kn_print_u64(s, "offlink_mtu", offlink, " offlink-mtu %u\n", offlink);
#undef KN_U32
	if (a[KEYNET_A_NAT64_STATS]) {
		kn_print_open(s, "stats", '{', NULL);
		for (i = 1; i < __KEYNET_NAT64_STAT_MAX; i++) {
			uint64_t v = st[i] ? nla_get_u64(st[i]) : 0;

			kn_print_u64(s, kn_nat64_stat_names[i], v, "  %s: %" PRIu64 "\n",
				     kn_nat64_stat_names[i], v);
		}
		kn_print_close(s, '}', NULL);
	}
	kn_print_close(s, '}', NULL);
	return 0;
}

static int kn_nat64_show_fn(struct kn_show *s)
{
	const char *dev = s->arg;
	struct nl_msg *msg = kn_nl_msg(s->nl, KEYNET_CMD_NAT64_GET, dev ? 0 : NLM_F_DUMP);

	if (!msg || (dev && kn_nl_put_dev(msg, dev)) ||
	    (kn_opts.stats && nla_put_u32(msg, KEYNET_A_FLAGS, KEYNET_F_WANT_STATS))) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return -ENOMEM;
	}
	return kn_nl_talk(s->nl, msg, kn_nat64_print, s);
}

static int kn_nat64_show(int argc, char **argv)
{
	const char *dev = NULL;
	int ret = kn_parse_dev_only(argc, argv, &dev);

	if (ret)
		return ret;
	return kn_show_run(kn_nat64_show_fn, (void *)dev);
}

/* ---- per-device dumps: map show, pool show, save ---- */

int kn_dump_devs(struct kn_show *s, struct kn_dev_dump *dd, uint8_t cmd,
		 kn_nl_cb cb)
{
	struct kn_link_ent *links = NULL;
	struct nl_msg *msg;
	int i, n = 0, ret, intr = 0;

	dd->s = s;
	if (dd->dev) {
		dd->ifname = dd->dev;
		msg = kn_nl_msg(s->nl, cmd, NLM_F_DUMP);
		if (!msg || kn_nl_put_dev(msg, dd->dev)) {
			nlmsg_free(msg);
			kn_err("cannot build the request");
			return -ENOMEM;
		}
		return kn_nl_talk(s->nl, msg, cb, dd);
	}
	ret = kn_link_list(s->nl, &links, &n);
	for (i = 0; !ret && i < n; i++) {
		dd->ifname = links[i].ifname;
		msg = kn_nl_msg(s->nl, cmd, NLM_F_DUMP);
		if (!msg || nla_put_u32(msg, KEYNET_A_IFINDEX, links[i].ifindex)) {
			nlmsg_free(msg);
			kn_err("cannot build the request");
			ret = -ENOMEM;
			break;
		}
		ret = kn_nl_talk(s->nl, msg, cb, dd);
		if (ret == -EINTR) {
			intr = ret;
			ret = 0;
		}
	}
	free(links);
	return ret ? ret : intr;
}

int kn_map_print(struct nlattr **a, void *arg)
{
	struct kn_dev_dump *dd = arg;
	struct kn_show *s = dd->s;
	char v4[INET_ADDRSTRLEN + 4], v6[INET6_ADDRSTRLEN + 4];
	unsigned int len4 = 32;
	const char *type;
	bool dyn;
	uint32_t age, idle;

	if (!a[KEYNET_A_NAT64_V4] || !a[KEYNET_A_NAT64_V6] ||
	    nla_len(a[KEYNET_A_NAT64_V4]) != 4 || nla_len(a[KEYNET_A_NAT64_V6]) != 16)
		return 0;
	if (a[KEYNET_A_NAT64_MAP_PLEN])
		len4 = nla_get_u8(a[KEYNET_A_NAT64_MAP_PLEN]);
	/* A prefix map as two prefixes; a single address as it always was. */
	if (len4 < 32) {
		kn_format_prefix(nla_data(a[KEYNET_A_NAT64_V4]), 4, len4, v4, sizeof(v4));
		kn_format_prefix(nla_data(a[KEYNET_A_NAT64_V6]), 16, 96 + len4, v6, sizeof(v6));
	} else {
		inet_ntop(AF_INET, nla_data(a[KEYNET_A_NAT64_V4]), v4, sizeof(v4));
		inet_ntop(AF_INET6, nla_data(a[KEYNET_A_NAT64_V6]), v6, sizeof(v6));
	}
	dyn = a[KEYNET_A_NAT64_MAP_FLAGS] &&
	      nla_get_u32(a[KEYNET_A_NAT64_MAP_FLAGS]) & KEYNET_NAT64_MAP_F_DYNAMIC;
	age = a[KEYNET_A_NAT64_AGE] ? nla_get_u32(a[KEYNET_A_NAT64_AGE]) : 0;
	idle = a[KEYNET_A_NAT64_IDLE] ? nla_get_u32(a[KEYNET_A_NAT64_IDLE]) : 0;
	if (dd->save) {
		if (dyn)
			fprintf(dd->save, "%s %s %s %u\n", dd->ifname, v4, v6, idle);
		return 0;
	}
	type = dyn ? "dynamic" : "static";
	kn_print_open(s, NULL, '{', NULL);
	kn_print_str(s, "ifname", dd->ifname, NULL);
	kn_print_str(s, "ipv4", v4, "%s", v4);
	kn_print_str(s, "ipv6", v6, " %s dev %s", v6, dd->ifname);
	kn_print_str(s, "type", type, " %s", type);
	kn_print_u64(s, "age", age, " age %us", age);
	kn_print_u64(s, "idle", idle, dyn ? " idle %us" : NULL, idle);
	kn_print_close(s, '}', "\n");
	return 0;
}

static int kn_pool_print(struct nlattr **a, void *arg)
{
	struct kn_dev_dump *dd = arg;
	char prefix[INET_ADDRSTRLEN + 4];

	if (!a[KEYNET_A_PREFIX] || nla_len(a[KEYNET_A_PREFIX]) != 4 ||
	    !a[KEYNET_A_PREFIX_LEN])
		return 0;
	kn_format_prefix(nla_data(a[KEYNET_A_PREFIX]), 4,
			 nla_get_u8(a[KEYNET_A_PREFIX_LEN]), prefix, sizeof(prefix));
	kn_print_open(dd->s, NULL, '{', NULL);
	kn_print_str(dd->s, "ifname", dd->ifname, NULL);
	kn_print_str(dd->s, "prefix", prefix, "%s dev %s\n", prefix, dd->ifname);
	kn_print_close(dd->s, '}', NULL);
	return 0;
}

static int kn_pool_show_fn(struct kn_show *s)
{
	return kn_dump_devs(s, s->arg, KEYNET_CMD_POOL_GET, kn_pool_print);
}

/* ---- nat64 save / restore ---- */

/*
 * Write the dump to a fresh file made by mkstemp() next to FILE (never an
 * existing file or symlink, as a fixed FILE.tmp name could be: placed
 * there by whoever can write to that directory), with FILE's usual mode
 * (0666 less the umask), synced, then renamed over FILE.
 */
static int kn_nat64_save(int argc, char **argv)
{
	struct kn_dev_dump dd = { 0 };
	struct kn_show s = { 0 };
	char tmp[4096];
	int ret, tries, fd;
	mode_t mask;

	if (argc < 1)
		return kn_usage_err("missing file", NULL, "expected 'save FILE [dev DEV]'");
	ret = kn_parse_dev_only(argc - 1, argv + 1, &dd.dev);
	if (ret)
		return ret;
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", argv[0]) >= (int)sizeof(tmp))
		return kn_usage_err("file name too long", argv[0], "expected a shorter path");
	s.nl = kn_nl_open();
	if (!s.nl)
		return KN_EXIT_FAIL;
	fd = mkstemp(tmp);
	if (fd < 0) {
		kn_err("cannot create a file next to '%s': %s", argv[0], strerror(errno));
		kn_nl_close(s.nl);
		return KN_EXIT_FAIL;
	}
	mask = umask(0);
	umask(mask);
	dd.save = fchmod(fd, 0666 & ~mask) ? NULL : fdopen(fd, "w");
	if (!dd.save) {
		kn_err("cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		ret = -EIO;
		goto out;
	}
	ret = -EINTR;
	for (tries = 0; tries < 5 && ret == -EINTR; tries++) {
		/* A dump the kernel interrupted starts the file again. */
		if (tries && (fflush(dd.save) || ftruncate(fd, 0) ||
			      fseek(dd.save, 0, SEEK_SET))) {
			kn_err("cannot write '%s': %s", tmp, strerror(errno));
			ret = -EIO;
			break;
		}
		fputs("# keynet nat64 dynamic mappings: DEV IPV4 IPV6 IDLE-SECONDS\n", dd.save);
		ret = kn_dump_devs(&s, &dd, KEYNET_CMD_MAP_GET, kn_map_print);
	}
	if (!ret && (fflush(dd.save) || fsync(fd))) {
		kn_err("cannot write '%s': %s", tmp, strerror(errno));
		ret = -EIO;
	}
	if (fclose(dd.save) && !ret) {
		kn_err("cannot write '%s': %s", tmp, strerror(errno));
		ret = -EIO;
	}
out:
	kn_nl_close(s.nl);
	if (ret) {
		if (ret == -EINTR)
			kn_err("the mappings kept changing: try again");
		unlink(tmp);
		return KN_EXIT_FAIL;
	}
	if (rename(tmp, argv[0])) {
		kn_err("cannot write '%s': %s", argv[0], strerror(errno));
		unlink(tmp);
		return KN_EXIT_FAIL;
	}
	return 0;
}

struct kn_restore_ent {
	uint8_t v4[4], v6[16];
	uint32_t idle;
};

static int kn_restore_put(struct nl_msg *msg, void *arg)
{
	struct kn_restore_ent *e = arg;
	struct kn_conf_map m;

	memcpy(m.v4, e->v4, 4);
	memcpy(m.v6, e->v6, 16);
	m.len4 = 32;
	m.len6 = 128;
	return kn_enc_map(msg, &m, true, true) ||
	       nla_put_u32(msg, KEYNET_A_NAT64_MAP_FLAGS, KEYNET_NAT64_MAP_F_DYNAMIC) ||
	       nla_put_u32(msg, KEYNET_A_NAT64_IDLE, e->idle);
}

static int kn_nat64_restore(int argc, char **argv)
{
	char line[512], dev[64], v4[64], v6[64];
	struct kn_restore_ent e;
	int lineno = 0, ret = 0;
	FILE *f;

	if (argc != 1)
		return kn_usage_err(argc ? "unknown argument" : "missing file",
				    argc ? argv[1] : NULL, "expected 'restore FILE'");
	f = fopen(argv[0], "r");
	if (!f) {
		kn_err("cannot read '%s': %s", argv[0], strerror(errno));
		return KN_EXIT_FAIL;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63s %63s %63s %u", dev, v4, v6, &e.idle) != 4 ||
		    inet_pton(AF_INET, v4, e.v4) != 1 || inet_pton(AF_INET6, v6, e.v6) != 1) {
			kn_err("%s:%d: expected 'DEV IPV4 IPV6 IDLE-SECONDS'", argv[0], lineno);
			ret = KN_EXIT_FAIL;
			continue;
		}
		if (kn_nat64_change(KEYNET_CMD_MAP_NEW, dev, kn_restore_put, &e))
			ret = KN_EXIT_FAIL;
	}
	fclose(f);
	return ret;
}

int kn_cmd_nat64(int argc, char **argv)
{
	const char *cmd = argc ? argv[0] : "show";

	argc = argc ? argc - 1 : 0;
	argv++;
	if (kn_matches(cmd, "show") || kn_matches(cmd, "list"))
		return kn_nat64_show(argc, argv);
	if (kn_matches(cmd, "set"))
		return kn_nat64_set(argc, argv);
	if (kn_matches(cmd, "off"))
		return kn_nat64_off(argc, argv);
	if (kn_matches(cmd, "save"))
		return kn_nat64_save(argc, argv);
	if (kn_matches(cmd, "restore"))
		return kn_nat64_restore(argc, argv);
	if (kn_matches(cmd, "help")) {
		kn_nat64_help(stdout);
		return 0;
	}
	kn_nat64_help(stderr);
	return kn_usage_err("unknown command", cmd,
			    "expected 'set', 'show', 'off', 'save', 'restore' or 'help'");
}

int kn_show_dev_cmd(int argc, char **argv, kn_show_fn fn)
{
	struct kn_dev_dump dd = { 0 };
	int ret = kn_parse_dev_only(argc, argv, &dd.dev);

	if (ret)
		return ret;
	return kn_show_run(fn, &dd);
}

static int kn_pool_put(struct nl_msg *msg, void *arg)
{
	struct kn_conf_pool r = { .p = *(struct kn_prefix *)arg };

	r.p.alen = 4;
	return kn_enc_pool(msg, &r);
}

static int kn_pool_change(int argc, char **argv, bool add)
{
	struct kn_prefix p;
	bool has_prefix = false;
	const char *dev = NULL;
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (kn_matches(argv[0], "dev")) {
			if ((ret = kn_need_arg(argc, argv, "a device name")))
				return ret;
			dev = argv[1];
			argc--;
			argv++;
			continue;
		}
		if (has_prefix)
			return kn_usage_err("unknown argument", argv[0], "expected PREFIX and dev DEV");
		ret = kn_parse_prefix(argv[0], &p);
		if (ret)
			return ret;
		if (p.family != AF_INET || p.len < 16)
			return kn_usage_err("invalid pool range", argv[0],
					    "expected an IPv4 prefix /16 to /32");
		has_prefix = true;
	}
	if (!has_prefix)
		return kn_usage_err("missing prefix", NULL, "expected an IPv4 PREFIX/LEN");
	if (!dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	return kn_nat64_change(add ? KEYNET_CMD_POOL_NEW : KEYNET_CMD_POOL_DEL, dev,
			       kn_pool_put, &p);
}

int kn_cmd_pool(int argc, char **argv)
{
	const char *cmd = argc ? argv[0] : "show";

	argc = argc ? argc - 1 : 0;
	argv++;
	if (kn_matches(cmd, "show") || kn_matches(cmd, "list"))
		return kn_show_dev_cmd(argc, argv, kn_pool_show_fn);
	if (kn_matches(cmd, "add"))
		return kn_pool_change(argc, argv, true);
	if (kn_matches(cmd, "delete"))
		return kn_pool_change(argc, argv, false);
	if (kn_matches(cmd, "help")) {
		kn_pool_help(stdout);
		return 0;
	}
	kn_pool_help(stderr);
	return kn_usage_err("unknown command", cmd, "expected 'add', 'del', 'show' or 'help'");
}
