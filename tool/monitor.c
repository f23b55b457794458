// SPDX-License-Identifier: GPL-2.0
/*
 * keynet monitor [dev DEV] [-j]: print the module's events (the "events"
 * multicast group of the keynet family) as they happen, one line each:
 * text, or with -j one JSON object per line (JSON Lines).  Runs until
 * SIGINT or SIGTERM, then exits 0.  With -n NETNS it listens in that
 * namespace (main() entered it before we open any socket): the kernel
 * sends a namespace's events only to sockets of that namespace.
 *
 * Lost events: when the socket's receive buffer overruns, the kernel
 * drops events and reports ENOBUFS; we say so (a warning on stderr and,
 * with -j, an {"event":"overrun"} line) and go on.  A listener that
 * must not miss a state change re-reads the state then.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/signalfd.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "keynet.h"

/* Receive buffer asked for: bursts (failover of many prefixes) fit. */
#define KN_MON_RCVBUF	(1 << 20)

static int kn_monitor_help(FILE *f)
{
	fputs("Usage: keynet monitor [dev DEV] [-j]\n"
	      "Print the events of keynet devices as they happen, until SIGINT or\n"
	      "SIGTERM: handshakes, peers alive and lost, endpoints changed by\n"
	      "roaming, route failover, NAT64 dynamic mappings made, expired and\n"
	      "evicted, static maps added and removed, beacon auto-peers.\n"
	      "dev DEV shows only that device's.  -j prints one JSON object per line\n"
	      "(JSON Lines) with the fields event, dev, ifindex and, as the event\n"
	      "has them, peer, endpoint, prefix, ipv4, ipv6.\n",
	      f);
	return 0;
}

struct kn_monitor {
	int family;
	uint32_t ifindex;	/* 0: every device */
	bool json;
};

static const char * const kn_event_names[__KEYNET_EVENT_MAX] = {
	[KEYNET_EVENT_HANDSHAKE] = "handshake",
	[KEYNET_EVENT_PEER_LOST] = "peer_lost",
	[KEYNET_EVENT_ENDPOINT] = "endpoint",
	[KEYNET_EVENT_FAILOVER] = "failover",
	[KEYNET_EVENT_MAP_NEW] = "map_new",
	[KEYNET_EVENT_MAP_EXPIRED] = "map_expired",
	[KEYNET_EVENT_AUTO_PEER_ADDED] = "auto_peer_added",
	[KEYNET_EVENT_AUTO_PEER_EXPIRED] = "auto_peer_expired",
	[KEYNET_EVENT_PEER_ALIVE] = "peer_alive",
	[KEYNET_EVENT_MAP_ADDED] = "map_added",
	[KEYNET_EVENT_MAP_REMOVED] = "map_removed",
	[KEYNET_EVENT_MAP_EVICTED] = "map_evicted",
};

/* The attributes of one event, formatted; empty strings when absent. */
struct kn_event_text {
	uint32_t type;
	uint32_t ifindex;
	char dev[IF_NAMESIZE + 1];
	char peer[45];
	char endpoint[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];
	char prefix[INET6_ADDRSTRLEN + 8];
	char v4[INET_ADDRSTRLEN + 4];	/* a static map's: with /LEN if a prefix */
	char v6[INET6_ADDRSTRLEN + 4];
};

static void kn_event_format(struct nlattr **a, struct kn_event_text *t)
{
	memset(t, 0, sizeof(*t));
	t->type = a[KEYNET_A_EVENT] ? nla_get_u32(a[KEYNET_A_EVENT]) : 0;
	if (a[KEYNET_A_IFINDEX])
		t->ifindex = nla_get_u32(a[KEYNET_A_IFINDEX]);
	if (a[KEYNET_A_IFNAME])
		snprintf(t->dev, sizeof(t->dev), "%.*s", nla_len(a[KEYNET_A_IFNAME]),
			 (const char *)nla_data(a[KEYNET_A_IFNAME]));
	t->dev[strcspn(t->dev, "\n")] = '\0';
	if (!t->dev[0])
		snprintf(t->dev, sizeof(t->dev), "%u", t->ifindex);
	if (a[KEYNET_A_PEER_PUBLIC_KEY] &&
	    nla_len(a[KEYNET_A_PEER_PUBLIC_KEY]) == KEYNET_KEY_LEN)
		kn_key_to_base64(nla_data(a[KEYNET_A_PEER_PUBLIC_KEY]), t->peer);
	if (a[KEYNET_A_ENDPOINT])
		kn_format_endpoint(nla_data(a[KEYNET_A_ENDPOINT]),
				   nla_len(a[KEYNET_A_ENDPOINT]), t->endpoint,
				   sizeof(t->endpoint));
	if (a[KEYNET_A_PREFIX] && a[KEYNET_A_PREFIX_LEN] &&
	    (nla_len(a[KEYNET_A_PREFIX]) == 4 || nla_len(a[KEYNET_A_PREFIX]) == 16))
		kn_format_prefix(nla_data(a[KEYNET_A_PREFIX]),
				 nla_len(a[KEYNET_A_PREFIX]),
				 nla_get_u8(a[KEYNET_A_PREFIX_LEN]), t->prefix,
				 sizeof(t->prefix));
	if (a[KEYNET_A_NAT64_V4] && nla_len(a[KEYNET_A_NAT64_V4]) == 4)
		inet_ntop(AF_INET, nla_data(a[KEYNET_A_NAT64_V4]), t->v4,
			  sizeof(t->v4));
	if (a[KEYNET_A_NAT64_V6] && nla_len(a[KEYNET_A_NAT64_V6]) == 16)
		inet_ntop(AF_INET6, nla_data(a[KEYNET_A_NAT64_V6]), t->v6,
			  sizeof(t->v6));
	/* A prefix map: both sides as prefixes (a single address as it is). */
	if (a[KEYNET_A_NAT64_MAP_PLEN] && nla_get_u8(a[KEYNET_A_NAT64_MAP_PLEN]) < 32 &&
	    t->v4[0] && t->v6[0]) {
		unsigned int len = nla_get_u8(a[KEYNET_A_NAT64_MAP_PLEN]);
		size_t n4 = strlen(t->v4), n6 = strlen(t->v6);

		snprintf(t->v4 + n4, sizeof(t->v4) - n4, "/%u", len);
		snprintf(t->v6 + n6, sizeof(t->v6) - n6, "/%u", 96 + len);
	}
}

static void kn_event_json(const struct kn_event_text *t)
{
	struct kn_json *j = kn_json_new(stdout, false);

	if (!j)
		return;
	kn_json_open(j, NULL, '{');
	if (t->type < __KEYNET_EVENT_MAX && kn_event_names[t->type]) {
		kn_json_str(j, "event", kn_event_names[t->type]);
	} else {
		kn_json_str(j, "event", "unknown");
		kn_json_u64(j, "type", t->type);
	}
	kn_json_str(j, "dev", t->dev);
	kn_json_u64(j, "ifindex", t->ifindex);
	if (t->peer[0])
		kn_json_str(j, "peer", t->peer);
	else if (t->type == KEYNET_EVENT_FAILOVER)
		kn_json_null(j, "peer");
	if (t->endpoint[0])
		kn_json_str(j, "endpoint", t->endpoint);
	if (t->prefix[0])
		kn_json_str(j, "prefix", t->prefix);
	if (t->v4[0])
		kn_json_str(j, "ipv4", t->v4);
	if (t->v6[0])
		kn_json_str(j, "ipv6", t->v6);
	kn_json_close(j, '}');
	kn_json_free(j);	/* ends the line */
}

static void kn_event_line(const struct kn_event_text *t)
{
	const char *ep = t->endpoint[0] ? " endpoint " : "";

	switch (t->type) {
	case KEYNET_EVENT_HANDSHAKE:
		printf("%s: handshake peer %s%s%s\n", t->dev, t->peer, ep, t->endpoint);
		break;
	case KEYNET_EVENT_PEER_LOST:
		printf("%s: lost peer %s\n", t->dev, t->peer);
		break;
	case KEYNET_EVENT_PEER_ALIVE:
		printf("%s: alive peer %s%s%s\n", t->dev, t->peer, ep, t->endpoint);
		break;
	case KEYNET_EVENT_ENDPOINT:
		printf("%s: roamed peer %s%s%s\n", t->dev, t->peer, ep, t->endpoint);
		break;
	case KEYNET_EVENT_FAILOVER:
		if (t->peer[0])
			printf("%s: failover %s -> peer %s\n", t->dev, t->prefix, t->peer);
		else
			printf("%s: failover %s -> none\n", t->dev, t->prefix);
		break;
	case KEYNET_EVENT_MAP_NEW:
		printf("%s: map new %s <-> %s\n", t->dev, t->v4, t->v6);
		break;
	case KEYNET_EVENT_MAP_EXPIRED:
		printf("%s: map expired %s <-> %s\n", t->dev, t->v4, t->v6);
		break;
	case KEYNET_EVENT_MAP_ADDED:
		printf("%s: map added %s <-> %s\n", t->dev, t->v4, t->v6);
		break;
	case KEYNET_EVENT_MAP_REMOVED:
		printf("%s: map removed %s <-> %s\n", t->dev, t->v4, t->v6);
		break;
	case KEYNET_EVENT_MAP_EVICTED:
		printf("%s: map evicted %s <-> %s\n", t->dev, t->v4, t->v6);
		break;
	case KEYNET_EVENT_AUTO_PEER_ADDED:
		printf("%s: auto-peer added %s%s%s\n", t->dev, t->peer, ep, t->endpoint);
		break;
	case KEYNET_EVENT_AUTO_PEER_EXPIRED:
		printf("%s: auto-peer expired %s\n", t->dev, t->peer);
		break;
	default:
		printf("%s: event %u\n", t->dev, t->type);
		break;
	}
}

static int kn_monitor_event(struct nl_msg *msg, void *arg)
{
	struct kn_monitor *m = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a[KEYNET_A_MAX + 1];
	struct genlmsghdr *gh;
	struct kn_event_text t;

	if (nlh->nlmsg_type != m->family ||
	    !genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	gh = nlmsg_data(nlh);
	if (gh->cmd != KEYNET_CMD_EVENT ||
	    genlmsg_parse(nlh, 0, a, KEYNET_A_MAX, NULL) < 0)
		return NL_SKIP;
	kn_event_format(a, &t);
	if (m->ifindex && t.ifindex != m->ifindex)
		return NL_SKIP;
	if (m->json)
		kn_event_json(&t);
	else
		kn_event_line(&t);
	fflush(stdout);
	return NL_OK;
}

static void kn_monitor_overrun(const struct kn_monitor *m)
{
	kn_err("warning: events were lost (receive buffer overrun); re-read the state if it matters");
	if (m->json) {
		fputs("{\"event\":\"overrun\"}\n", stdout);
		fflush(stdout);
	}
}

/*
 * The socket of the events group (nl.c's, joined to it), or NULL after
 * printing why not.
 */
static struct nl_sock *kn_monitor_socket(struct kn_monitor *m, struct kn_nl *nl)
{
	struct nl_sock *sk = kn_nl_join(nl, KEYNET_MCGRP_EVENTS, &m->family);

	if (!sk)
		return NULL;
	/* Best effort: a larger buffer only makes overruns rarer. */
	nl_socket_set_buffer_size(sk, KN_MON_RCVBUF, 0);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, kn_monitor_event, m);
	if (nl_socket_set_nonblocking(sk) < 0) {
		kn_err("cannot make the socket non-blocking: %s", strerror(errno));
		return NULL;
	}
	return sk;
}

static int kn_monitor_parse(struct kn_monitor *m, const char **dev,
			    int argc, char **argv)
{
	while (argc > 0) {
		const char *kw = argv[0];

		if (!strcmp(kw, "-j") || !strcmp(kw, "--json")) {
			m->json = true;
			argc--;
			argv++;
			continue;
		}
		if (!kn_matches(kw, "dev"))
			return kn_usage_err("unknown argument", kw, "expected dev, -j or help");
		if (argc < 2)
			return kn_usage_err("missing argument after", kw, "a device name");
		if (*dev)
			return kn_usage_err("duplicate argument", kw, "one 'dev DEV' at most");
		*dev = argv[1];
		argc -= 2;
		argv += 2;
	}
	return 0;
}

/* The ifindex of the keynet device @dev (checked with the kernel). */
static int kn_monitor_dev(const char *dev, uint32_t *ifindex)
{
	struct kn_link_state st;
	struct kn_nl *nl;
	int ret;

	nl = kn_nl_open();
	if (!nl)
		return -1;
	ret = kn_link_state_get(nl, dev, &st);
	kn_nl_close(nl);
	if (ret)
		return -1;
	*ifindex = st.ifindex;
	return 0;
}

/* Read events until SIGINT/SIGTERM (fd @sfd) or a fatal socket error. */
static int kn_monitor_loop(struct kn_monitor *m, struct nl_sock *sk, int sfd)
{
	struct pollfd pfd[2] = {
		{ .fd = nl_socket_get_fd(sk), .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	int ret;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			kn_err("poll: %s", strerror(errno));
			return KN_EXIT_FAIL;
		}
		if (pfd[1].revents)
			return 0;
		if (!pfd[0].revents)
			continue;
		ret = nl_recvmsgs_default(sk);
		if (ret == -NLE_NOMEM || ret == -NLE_MSG_OVERFLOW) {
			/* ENOBUFS: the kernel dropped events for us. */
			kn_monitor_overrun(m);
		} else if (ret < 0 && ret != -NLE_AGAIN) {
			kn_err("cannot receive events: %s", nl_geterror(ret));
			return KN_EXIT_FAIL;
		}
	}
}

int kn_cmd_monitor(int argc, char **argv)
{
	struct kn_monitor m = { .json = kn_opts.json };
	const char *dev = NULL;
	struct nl_sock *sk;
	struct kn_nl *nl;
	sigset_t mask;
	int ret, sfd;

	if (argc > 0 && kn_matches(argv[0], "help"))
		return kn_monitor_help(stdout);
	ret = kn_monitor_parse(&m, &dev, argc, argv);
	if (ret)
		return ret;
	if (dev && kn_monitor_dev(dev, &m.ifindex))
		return KN_EXIT_FAIL;

	/* Signals as a file descriptor: no race between a check and poll. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL)) {
		kn_err("cannot block signals: %s", strerror(errno));
		return KN_EXIT_FAIL;
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		kn_err("cannot watch signals: %s", strerror(errno));
		return KN_EXIT_FAIL;
	}
	nl = kn_nl_open();
	sk = nl ? kn_monitor_socket(&m, nl) : NULL;
	if (!sk) {
		kn_nl_close(nl);
		close(sfd);
		return KN_EXIT_FAIL;
	}
	ret = kn_monitor_loop(&m, sk, sfd);
	kn_nl_close(nl);
	close(sfd);
	return ret;
}
