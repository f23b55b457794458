// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a generic netlink fuzzer for the keynet family, run in the VM
 * (selftests/tests/60-netlink-fuzz.sh).
 *
 * It speaks raw netlink (no libnl) so it can send what no library would:
 * wrong attribute types and lengths, truncated and overlong attribute
 * headers, missing and duplicated attributes, deep nests, unknown commands,
 * dumps of everything.  Half of the messages are built from a model of the
 * family (valid types with random values, aimed at the real devices given
 * on the command line so requests get past the device lookup); the other
 * half are byte-level mutations of earlier messages.
 *
 * Every request asks for an ACK; every answer is drained (dumps to their
 * end) and classified.  The kernel must answer every message: a request
 * that gets no answer within a second is a failure.
 *
 * Usage: nlfuzz [-n COUNT] [-s SEED] IFINDEX...
 * Prints one summary line per outcome class and "nlfuzz: N sent, N answered".
 *
 *        nlfuzz -c PEERS [-r ROUNDS] IFINDEX
 * Peer churn instead (selftests/tests/64-churn.sh): ROUNDS times, add
 * PEERS peers with random keys (each gets its derived /128), then remove them
 * all; every request must succeed.  Prints the time per round.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "uapi/linux/keynet.h"

#define BUF_LEN		8192
#define MAX_IFS		8
#define N_ERRNO		140

static uint64_t rng_state;
static int n_ifs;
static uint32_t ifs[MAX_IFS];
static uint16_t family;

static uint32_t rnd(void)
{
	/* xorshift64*: reproducible from -s SEED. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd();
}

/* ---- message building ---- */

struct msg {
	uint8_t buf[BUF_LEN];
	size_t len;
};

static struct nlattr *put_attr(struct msg *m, uint16_t type, const void *data,
			       size_t dlen)
{
	struct nlattr *a;
	size_t need = NLA_HDRLEN + NLA_ALIGN(dlen);

	if (m->len + need > BUF_LEN)
		return NULL;
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + dlen);
	if (dlen)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, dlen);
	memset((uint8_t *)a + NLA_HDRLEN + dlen, 0, NLA_ALIGN(dlen) - dlen);
	m->len += need;
	return a;
}

static void end_nest(struct msg *m, struct nlattr *nest)
{
	if (nest)
		nest->nla_len = (uint16_t)(m->buf + m->len - (uint8_t *)nest);
}

enum kind { K_U8, K_U16, K_U32, K_U64, K_KEY, K_ADDR, K_STR, K_SOCKADDR,
	    K_NEST, K_BIN };

/* What the family expects of each attribute, to build plausible values. */
static enum kind attr_kind(int type)
{
	switch (type) {
	case KEYNET_A_IFINDEX: case KEYNET_A_FLAGS: case KEYNET_A_FWMARK:
	case KEYNET_A_METRIC: case KEYNET_A_PEER_FLAGS:
	case KEYNET_A_LINK_FLAGS: case KEYNET_A_NAT64_POOL_TIMEOUT:
	case KEYNET_A_NAT64_MAP_FLAGS: case KEYNET_A_NAT64_IDLE:
	case KEYNET_A_UAPI_VERSION: case KEYNET_A_BEACON_MAX_PEERS:
	case KEYNET_A_GENERATION: case KEYNET_A_EVENT:
	case KEYNET_A_BEACON_STAMP_WINDOW:
	case KEYNET_A_NAT64_POOL_PER_64:
		return K_U32;
	case KEYNET_A_LISTEN_PORT: case KEYNET_A_KEEPALIVE:
	case KEYNET_A_NAT64_MSS_CLAMP: case KEYNET_A_BEACON_PORT:
		return K_U16;
	case KEYNET_A_PREFIX_LEN: case KEYNET_A_ADDR_PREFIX_LEN:
	case KEYNET_A_NAT64_STRICT_WKP: case KEYNET_A_NAT64_UDP_ZERO_CSUM:
	case KEYNET_A_BEACON_MODE: case KEYNET_A_PEER_TRANSIT:
	case KEYNET_A_NAT64_MAP_PLEN: case KEYNET_A_NAT64_CLAT:
		return K_U8;
	case KEYNET_A_LAST_HANDSHAKE: case KEYNET_A_RX_BYTES:
	case KEYNET_A_TX_BYTES:
		return K_U64;
	case KEYNET_A_PUBLIC_KEY: case KEYNET_A_PRIVATE_KEY:
	case KEYNET_A_PEER_PUBLIC_KEY: case KEYNET_A_PRESHARED_KEY:
	case KEYNET_A_BEACON_KEY:
		return K_KEY;
	case KEYNET_A_PREFIX: case KEYNET_A_LISTEN_ADDR:
	case KEYNET_A_NAT64_IPV4_ADDR: case KEYNET_A_NAT64_IPV6_ADDR:
	case KEYNET_A_NAT64_V4: case KEYNET_A_NAT64_V6:
	case KEYNET_A_ADDR_PREFIX: case KEYNET_A_ADDRESS:
		return K_ADDR;
	case KEYNET_A_IFNAME: case KEYNET_A_PEER_NAME: case KEYNET_A_VERSION:
		return K_STR;
	case KEYNET_A_ENDPOINT:
		return K_SOCKADDR;
	case KEYNET_A_LOCAL_PREFIXES: case KEYNET_A_STATS:
	case KEYNET_A_NAT64_STATS: case KEYNET_A_BEACON_IFINDEXES:
	case KEYNET_A_BEACON_STATS: case KEYNET_A_NAT64_MAPS:
	case KEYNET_A_ROUTES:
		return K_NEST;
	default:
		return K_BIN;
	}
}

/* A small set of keys reused often, so PEER_SET/DEL/ROUTE_* find peers. */
static uint8_t known_keys[16][KEYNET_KEY_LEN];

static void put_value(struct msg *m, int type, int depth);

static void put_nest(struct msg *m, int type, int depth)
{
	struct nlattr *nest = put_attr(m, type | NLA_F_NESTED * (rnd() & 1),
				       NULL, 0);
	int i, n = (int)rnd_below(5);

	if (!nest)
		return;
	/* Now and then a very deep chain of nests. */
	if (depth < 40 && rnd_below(20) == 0)
		n = 1;
	for (i = 0; i < n; i++) {
		int t = (int)rnd_below(KEYNET_A_MAX + 3);

		if (rnd_below(3) == 0)
			t = KEYNET_A_PREFIX;
		if (depth < 48 && rnd_below(4) == 0)
			put_nest(m, t, depth + 1);
		else
			put_value(m, t, depth + 1);
	}
	end_nest(m, nest);
}

static void put_value(struct msg *m, int type, int depth)
{
	uint8_t b[64];
	size_t len;
	enum kind k = attr_kind(type);

	/* One attribute in sixteen has a random length and random bytes. */
	if (rnd_below(16) == 0) {
		len = rnd_below(sizeof(b));
		rnd_bytes(b, len);
		put_attr(m, type, b, len);
		return;
	}
	switch (k) {
	case K_U8: {
		static const uint8_t lens[] = { 0, 8, 16, 24, 32, 48, 64, 96, 128 };

		b[0] = (uint8_t)(rnd_below(4) ? lens[rnd_below(sizeof(lens))] :
				 rnd());
		put_attr(m, type, b, 1);
		break;
	}
	case K_U16: {
		uint16_t v = (uint16_t)(rnd_below(2) ? 10000 + rnd_below(50000) : rnd());

		put_attr(m, type, &v, 2);
		break;
	}
	case K_U32: {
		uint32_t v = rnd();

		if (type == KEYNET_A_IFINDEX && n_ifs && rnd_below(8))
			v = ifs[rnd_below(n_ifs)];
		else if (rnd_below(2))
			v = rnd_below(64);
		put_attr(m, type, &v, 4);
		break;
	}
	case K_U64: {
		uint64_t v = ((uint64_t)rnd() << 32) | rnd();

		put_attr(m, type, &v, 8);
		break;
	}
	case K_KEY:
		if (rnd_below(2))
			memcpy(b, known_keys[rnd_below(16)], KEYNET_KEY_LEN);
		else
			rnd_bytes(b, KEYNET_KEY_LEN);
		put_attr(m, type, b, rnd_below(10) ? KEYNET_KEY_LEN : 0);
		break;
	case K_ADDR: {
		size_t alen = rnd_below(2) ? 4 : 16;

		/* Prefixes mostly with their host bits clear, so they pass. */
		rnd_bytes(b, 16);
		if (rnd_below(4))
			memset(b + rnd_below((uint32_t)alen + 1), 0, 16);
		put_attr(m, type, b, alen);
		break;
	}
	case K_STR: {
		static const char *const names[] = {
			"kn0", "kn1", "lo", "", "a-very-long-interface-name-x",
		};
		const char *s = names[rnd_below(5)];

		put_attr(m, type, s, strlen(s) + (rnd_below(8) ? 1 : 0));
		break;
	}
	case K_SOCKADDR:
		memset(b, 0, sizeof(b));
		rnd_bytes(b + 2, 26);
		b[0] = rnd_below(2) ? 2 : 10;	/* AF_INET, AF_INET6 */
		put_attr(m, type, b, rnd_below(2) ? 16 : 28);
		break;
	case K_NEST:
		put_nest(m, type, depth);
		break;
	default:
		len = rnd_below(40);
		rnd_bytes(b, len);
		put_attr(m, type, b, len);
	}
}

/* Attributes some command reads: chosen three times in four. */
static const int useful[] = {
	KEYNET_A_LISTEN_PORT, KEYNET_A_PRIVATE_KEY, KEYNET_A_LISTEN_ADDR,
	KEYNET_A_FWMARK, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_A_PEER_PUBLIC_KEY,
	KEYNET_A_PRESHARED_KEY, KEYNET_A_ENDPOINT, KEYNET_A_KEEPALIVE,
	KEYNET_A_PEER_NAME, KEYNET_A_PEER_FLAGS, KEYNET_A_PREFIX,
	KEYNET_A_PREFIX, KEYNET_A_PREFIX_LEN, KEYNET_A_PREFIX_LEN,
	KEYNET_A_METRIC, KEYNET_A_FLAGS, KEYNET_A_ADDR_PREFIX,
	KEYNET_A_ADDR_PREFIX_LEN, KEYNET_A_LINK_FLAGS,
	KEYNET_A_LOCAL_PREFIXES, KEYNET_A_NAT64_IPV4_ADDR,
	KEYNET_A_NAT64_IPV6_ADDR, KEYNET_A_NAT64_MSS_CLAMP,
	KEYNET_A_NAT64_STRICT_WKP, KEYNET_A_NAT64_POOL_TIMEOUT,
	KEYNET_A_NAT64_V4, KEYNET_A_NAT64_V6, KEYNET_A_NAT64_UDP_ZERO_CSUM,
	KEYNET_A_BEACON_MODE, KEYNET_A_BEACON_PORT, KEYNET_A_BEACON_KEY,
	KEYNET_A_BEACON_IFINDEXES, KEYNET_A_BEACON_MAX_PEERS,
	KEYNET_A_BEACON_STAMP_WINDOW,
	KEYNET_A_PEER_TRANSIT,
	KEYNET_A_NAT64_POOL_PER_64,
	KEYNET_A_NAT64_MAP_PLEN, KEYNET_A_NAT64_MAPS,
	KEYNET_A_NAT64_CLAT, KEYNET_A_ROUTES,
};

static bool is_get(int cmd)
{
	return cmd == KEYNET_CMD_LINK_GET || cmd == KEYNET_CMD_PEER_GET ||
	       cmd == KEYNET_CMD_ROUTE_GET || cmd == KEYNET_CMD_NAT64_GET ||
	       cmd == KEYNET_CMD_MAP_GET || cmd == KEYNET_CMD_POOL_GET;
}

/* A prefix and a length that agree, host bits usually clear. */
static void put_prefix(struct msg *m)
{
	uint8_t a[16];
	size_t alen = rnd_below(2) ? 4 : 16;
	uint8_t len = (uint8_t)rnd_below((uint32_t)alen * 8 + 1);

	rnd_bytes(a, sizeof(a));
	if (rnd_below(8)) {
		size_t i;

		for (i = 0; i < alen; i++)
			if (i * 8 >= len)
				a[i] = 0;
			else if (i * 8 + 8 > len)
				a[i] &= (uint8_t)(0xff00 >> (len - i * 8));
	}
	put_attr(m, KEYNET_A_PREFIX, a, alen);
	put_attr(m, KEYNET_A_PREFIX_LEN, &len, 1);
}

/*
 * One static map: an IPv4 prefix and an IPv6 prefix 96 bits longer, host
 * bits usually clear, from a small space (10.0-3.x.x, 2001:db8::/96) so
 * that maps of one request often overlap; now and then a bad length.
 */
static void put_map(struct msg *m)
{
	uint8_t v4[4], v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint8_t len = (uint8_t)(rnd_below(4) ? 16 + rnd_below(17) : rnd_below(40));
	uint32_t a = (10u << 24) | (rnd() & 0x3ffff), mask;

	mask = len >= 32 ? ~0u : len ? ~0u << (32 - len) : 0;
	if (rnd_below(8))
		a &= mask;
	v4[0] = (uint8_t)(a >> 24);
	v4[1] = (uint8_t)(a >> 16);
	v4[2] = (uint8_t)(a >> 8);
	v4[3] = (uint8_t)a;
	memcpy(v6 + 12, v4, 4);
	v6[12] = (uint8_t)rnd_below(4);
	put_attr(m, KEYNET_A_NAT64_V4, v4, 4);
	put_attr(m, KEYNET_A_NAT64_V6, v6, 16);
	if (len != 32 || rnd_below(2))
		put_attr(m, KEYNET_A_NAT64_MAP_PLEN, &len, 1);
}

/*
 * A route list (KEYNET_A_ROUTES): entries with a prefix, sometimes their
 * own metric or peer (a known key, so it often exists); now and then an
 * entry of another type, one without a prefix, or random attributes, so
 * that lists are refused at every position and taken back.
 */
static void put_routes(struct msg *m)
{
	struct nlattr *all = put_attr(m, KEYNET_A_ROUTES | NLA_F_NESTED, NULL, 0);
	int i, n = (int)rnd_below(rnd_below(4) ? 8 : 400);

	for (i = 0; all && i < n; i++) {
		int bad = (int)rnd_below(64);
		struct nlattr *e = put_attr(m, (bad == 0 ? KEYNET_A_PREFIX : KEYNET_A_ROUTES) |
					    NLA_F_NESTED, NULL, 0);

		if (!e)
			break;
		if (bad != 1)
			put_prefix(m);
		if (rnd_below(4) == 0)
			put_value(m, KEYNET_A_METRIC, 0);
		if (rnd_below(4) == 0)
			put_value(m, KEYNET_A_PEER_PUBLIC_KEY, 0);
		if (bad == 2)
			put_value(m, (int)rnd_below(KEYNET_A_MAX + 3), 1);
		end_nest(m, e);
	}
	end_nest(m, all);
}

/* What each command needs to get past its parser, put in 7 of 8 times. */
static void put_required(struct msg *m, int cmd)
{
	uint8_t b[16];

	if (rnd_below(8) == 0)
		return;
	switch (cmd) {
	case KEYNET_CMD_PEER_GET: case KEYNET_CMD_PEER_NEW:
	case KEYNET_CMD_PEER_SET: case KEYNET_CMD_PEER_DEL:
		put_value(m, KEYNET_A_PEER_PUBLIC_KEY, 0);
		if (cmd == KEYNET_CMD_PEER_NEW && rnd_below(2))
			put_value(m, KEYNET_A_ENDPOINT, 0);
		break;
	case KEYNET_CMD_ROUTE_NEW: case KEYNET_CMD_ROUTE_DEL:
		put_value(m, KEYNET_A_PEER_PUBLIC_KEY, 0);
		if (rnd_below(4))
			put_prefix(m);
		else
			put_routes(m);
		break;
	case KEYNET_CMD_POOL_NEW: case KEYNET_CMD_POOL_DEL:
	case KEYNET_CMD_NAT64_SET:
		put_prefix(m);
		break;
	case KEYNET_CMD_MAP_SET: {
		struct nlattr *all = put_attr(m, KEYNET_A_NAT64_MAPS | NLA_F_NESTED, NULL, 0);
		int i, n = (int)rnd_below(rnd_below(4) ? 8 : 300);

		for (i = 0; all && i < n; i++) {
			struct nlattr *e = put_attr(m, KEYNET_A_NAT64_MAPS | NLA_F_NESTED,
						    NULL, 0);

			if (!e)
				break;
			put_map(m);
			end_nest(m, e);
		}
		end_nest(m, all);
		break;
	}
	case KEYNET_CMD_MAP_NEW: case KEYNET_CMD_MAP_DEL:
		if (rnd_below(2)) {
			put_map(m);
			break;
		}
		rnd_bytes(b, sizeof(b));
		b[0] = (uint8_t)(1 + rnd_below(200));
		put_attr(m, KEYNET_A_NAT64_V4, b, 4);
		if (cmd == KEYNET_CMD_MAP_NEW || rnd_below(2)) {
			rnd_bytes(b, sizeof(b));
			b[0] = 0x20;
			put_attr(m, KEYNET_A_NAT64_V6, b, 16);
		}
		break;
	}
}

static void build_model(struct msg *m, int *dump)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g;
	int i, n, cmd;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	cmd = rnd_below(16) ? 1 + (int)rnd_below(KEYNET_CMD_MAX) :
			      (int)rnd_below(256);
	*dump = is_get(cmd) ? rnd_below(2) == 0 : rnd_below(16) == 0;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (*dump ? NLM_F_DUMP : 0);
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = (uint8_t)cmd;
	g->version = rnd_below(16) ? KEYNET_GENL_VERSION : (uint8_t)rnd();
	/* Usually a device, so the handler gets past its lookup. */
	if (rnd_below(8)) {
		uint32_t v = n_ifs ? ifs[rnd_below(n_ifs)] : 1;

		put_attr(m, KEYNET_A_IFINDEX, &v, 4);
	}
	put_required(m, cmd);
	n = (int)rnd_below(4);
	for (i = 0; i < n; i++) {
		int t = rnd_below(4) ? useful[rnd_below(sizeof(useful) / sizeof(useful[0]))] :
				       (int)rnd_below(KEYNET_A_MAX + 3);

		put_value(m, t, 0);
		if (rnd_below(10) == 0)		/* duplicated */
			put_value(m, t, 0);
	}
	nlh->nlmsg_len = (uint32_t)m->len;
}

/* Byte-level mutation of a model message: headers included. */
static void mutate(struct msg *m)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	int i, n = 1 + (int)rnd_below(8);
	size_t body = NLMSG_HDRLEN;

	for (i = 0; i < n && m->len > body; i++) {
		size_t at = body + rnd_below((uint32_t)(m->len - body));

		switch (rnd_below(4)) {
		case 0:
			m->buf[at] ^= (uint8_t)(1u << rnd_below(8));
			break;
		case 1:
			m->buf[at] = (uint8_t)rnd();
			break;
		case 2:		/* truncate */
			m->len = at;
			break;
		default:	/* grow with garbage */
			if (m->len + 8 < BUF_LEN) {
				rnd_bytes(m->buf + m->len, 8);
				m->len += 8;
			}
		}
	}
	if (m->len < NLMSG_HDRLEN + GENL_HDRLEN)
		m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_len = (uint32_t)m->len;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
}

/* ---- talking to the kernel ---- */

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, bufsz = 1 << 20;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nlfuzz: netlink socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	return fd;
}

static uint32_t seq;

static long stat_ok, stat_dump_msgs, stat_sent, stat_answered, stat_intr;
static long stat_err[N_ERRNO];
static long stat_cmd_ok[256];
static uint8_t cur_cmd;

/*
 * Wait for the answer to the request with sequence @s: an ACK/error, or a
 * dump's messages up to NLMSG_DONE.  Returns -1 if the kernel is silent.
 */
static int drain(int fd, uint32_t s)
{
	static uint8_t rb[1 << 16];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct nlmsghdr *h;
		ssize_t n;

		if (poll(&p, 1, 2000) <= 0)
			return -1;
		n = recv(fd, rb, sizeof(rb), 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			return -1;
		}
		for (h = (struct nlmsghdr *)rb; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != s)
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				stat_intr++;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				int err = -e->error;

				if (err == 0) {
					stat_ok++;
					stat_cmd_ok[cur_cmd]++;
				}
				else
					stat_err[err < N_ERRNO ? err : 0]++;
				return 0;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				stat_ok++;
				stat_cmd_ok[cur_cmd]++;
				return 0;
			}
			stat_dump_msgs++;
		}
	}
}

static int send_msg(int fd, struct msg *m)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	nlh->nlmsg_seq = ++seq;
	cur_cmd = m->buf[NLMSG_HDRLEN];
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&k,
		   sizeof(k)) < 0) {
		/* The socket layer refused it (e.g. too short): counted. */
		stat_err[errno < N_ERRNO ? errno : 0]++;
		stat_sent++;
		stat_answered++;
		return 0;
	}
	stat_sent++;
	if (drain(fd, seq) < 0)
		return -1;
	stat_answered++;
	return 0;
}

static uint16_t resolve_family(int fd)
{
	struct msg m = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)m.buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(m.buf + NLMSG_HDRLEN);
	static uint8_t rb[8192];
	ssize_t n;
	struct nlmsghdr *h;

	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	put_attr(&m, CTRL_ATTR_FAMILY_NAME, KEYNET_GENL_NAME,
		 sizeof(KEYNET_GENL_NAME));
	nlh->nlmsg_len = (uint32_t)m.len;
	if (send(fd, m.buf, m.len, 0) < 0)
		return 0;
	n = recv(fd, rb, sizeof(rb), 0);
	for (h = (struct nlmsghdr *)rb; n > 0 && NLMSG_OK(h, (size_t)n);
	     h = NLMSG_NEXT(h, n)) {
		struct nlattr *a;
		int rem;

		if (h->nlmsg_type != GENL_ID_CTRL)
			return 0;
		a = (struct nlattr *)((uint8_t *)NLMSG_DATA(h) + GENL_HDRLEN);
		rem = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= rem) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
				return *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
			rem -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
		}
	}
	return 0;
}

/* One request that must succeed; returns 0 or prints why not. */
static int must(int fd, struct msg *m, const char *what)
{
	long before = stat_ok;

	if (send_msg(fd, m) < 0 || stat_ok == before) {
		fprintf(stderr, "nlfuzz: %s refused\n", what);
		return -1;
	}
	return 0;
}

static void start_req(struct msg *m, uint8_t cmd, uint32_t ifindex)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g->cmd = cmd;
	g->version = KEYNET_GENL_VERSION;
	put_attr(m, KEYNET_A_IFINDEX, &ifindex, 4);
}

static int churn(int fd, uint32_t ifindex, long peers, long rounds)
{
	static struct msg m;
	uint8_t (*keys)[KEYNET_KEY_LEN] = calloc((size_t)peers, KEYNET_KEY_LEN);
	long r, i;

	if (!keys)
		return 2;
	for (r = 0; r < rounds; r++) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		/* Each peer also gets its key-derived /128 route. */
		for (i = 0; i < peers; i++) {
			rnd_bytes(keys[i], KEYNET_KEY_LEN);
			start_req(&m, KEYNET_CMD_PEER_NEW, ifindex);
			put_attr(&m, KEYNET_A_PEER_PUBLIC_KEY, keys[i], KEYNET_KEY_LEN);
			((struct nlmsghdr *)m.buf)->nlmsg_len = (uint32_t)m.len;
			if (must(fd, &m, "PEER_NEW"))
				return 1;
		}
		for (i = 0; i < peers; i++) {
			start_req(&m, KEYNET_CMD_PEER_DEL, ifindex);
			put_attr(&m, KEYNET_A_PEER_PUBLIC_KEY, keys[i], KEYNET_KEY_LEN);
			((struct nlmsghdr *)m.buf)->nlmsg_len = (uint32_t)m.len;
			if (must(fd, &m, "PEER_DEL"))
				return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("nlfuzz: churn round %ld: %ld peers added and removed in %.2f s\n",
		       r + 1, peers, (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		fflush(stdout);
	}
	free(keys);
	return 0;
}

int main(int argc, char **argv)
{
	static struct msg last, m;
	long count = 100000, i, churn_peers = 0, rounds = 1;
	int fd, opt, dump;

	rng_state = 0x6b65796e6574ULL;
	while ((opt = getopt(argc, argv, "n:s:c:r:")) != -1) {
		switch (opt) {
		case 'c':
			churn_peers = strtol(optarg, NULL, 0);
			break;
		case 'r':
			rounds = strtol(optarg, NULL, 0);
			break;
		case 'n':
			count = strtol(optarg, NULL, 0);
			break;
		case 's':
			rng_state ^= strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL;
			break;
		default:
			fprintf(stderr, "usage: nlfuzz [-n COUNT] [-s SEED] IFINDEX...\n");
			return 2;
		}
	}
	for (; optind < argc && n_ifs < MAX_IFS; optind++)
		ifs[n_ifs++] = (uint32_t)strtoul(argv[optind], NULL, 0);
	for (i = 0; i < 16; i++)
		rnd_bytes(known_keys[i], KEYNET_KEY_LEN);
	fd = nl_open();
	family = resolve_family(fd);
	if (!family) {
		fprintf(stderr, "nlfuzz: the keynet family is not registered\n");
		return 2;
	}
	if (churn_peers)
		return n_ifs ? churn(fd, ifs[0], churn_peers, rounds) : 2;
	for (i = 0; i < count; i++) {
		if (i && rnd_below(3) == 0) {
			m = last;
			mutate(&m);
		} else {
			build_model(&m, &dump);
			last = m;
		}
		if (send_msg(fd, &m) < 0) {
			fprintf(stderr, "nlfuzz: no answer to message %ld (cmd %u)\n",
				i, m.buf[NLMSG_HDRLEN]);
			return 1;
		}
	}
	printf("nlfuzz: %ld sent, %ld answered, %ld ok, %ld dump messages, %ld interrupted\n",
	       stat_sent, stat_answered, stat_ok, stat_dump_msgs, stat_intr);
	for (i = 1; i <= KEYNET_CMD_MAX; i++)
		printf("nlfuzz: command %ld: %ld applied or answered\n", i,
		       stat_cmd_ok[i]);
	for (i = 0; i < N_ERRNO; i++)
		if (stat_err[i])
			printf("nlfuzz: errno %ld (%s): %ld\n", i, strerror((int)i),
			       stat_err[i]);
	close(fd);
	return stat_answered == stat_sent ? 0 : 1;
}
