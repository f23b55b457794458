// SPDX-License-Identifier: GPL-2.0
/*
 * knbulk: add many peers or routes to a keynet device as fast as netlink
 * takes them (bench/case-control.sh).  Peers: one request each.  Routes:
 * route lists (ROUTE_NEW with KEYNET_A_ROUTES), each peer's routes in
 * requests of up to 3,276 (what fits in the list attribute), as WireGuard
 * takes a peer's allowed IPs in one message; one request per route with
 * -1 or a module older than lists (said on stderr).  Requests are
 * pipelined: up to WINDOW in flight, every one acknowledged and checked
 * (as "keynet conf apply" sends them).  Keys and prefixes come from a
 * seeded generator, so "wgconf" can write the same set for WireGuard's
 * "wg setconf".
 *
 *   knbulk [-s SEED] [-w WINDOW] peers IFINDEX N
 *	N peers with random public keys (each gets its key-derived /128).
 *	Prints "knbulk: N peers in S s".
 *   knbulk [-s SEED] [-w WINDOW] [-e] [-1] routes IFINDEX PEERS N
 *	PEERS peers, then N distinct IPv4 /32 routes (scattered over
 *	10.0.0.0/8), the i-th to peer i mod PEERS.  Prints the time of each.
 *	-e: the peers exist already ("peers IFINDEX PEERS" with the same
 *	seed added them): only the routes.  -1: one request per route.
 *   knbulk [-s SEED] wgconf PEERS N
 *	The same peers and routes as [Peer] sections for "wg setconf".
 */
#include <errno.h>
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

/* A request: room for a route list of 65,535 bytes and the rest. */
#define BUF_LEN		(65536 + 256)
/* IPv4 /32 entries in one route list: 20 bytes each after its 4. */
#define LIST_MAX	((65535 - 4) / 20)

static uint64_t rng = 0x6b6e62756c6bULL;
static uint16_t family;
static uint32_t seq_sent, seq_acked;
static int window = 64;
static int existing, one_by_one;
static uint32_t maxattr;	/* the family's highest attribute */

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static void rnd_key(uint8_t *k)
{
	int i;

	for (i = 0; i < KEYNET_KEY_LEN; i += 8) {
		uint64_t v = rnd();

		memcpy(k + i, &v, 8);
	}
}

/* The i-th route: distinct for i < 2^24 (an odd multiplier is a bijection). */
static uint32_t route_addr(long i)
{
	return 0x0a000000u | (((uint32_t)i * 0x9e3779b1u) & 0xffffffu);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct req {
	uint8_t buf[BUF_LEN];
	size_t len;
};

static void put(struct req *r, uint16_t type, const void *data, size_t dlen)
{
	struct nlattr *a = (struct nlattr *)(r->buf + r->len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + dlen);
	if (dlen)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, dlen);
	memset((uint8_t *)a + NLA_HDRLEN + dlen, 0, NLA_ALIGN(dlen) - dlen);
	r->len += NLA_HDRLEN + NLA_ALIGN(dlen);
}

/* Open a nested attribute; nest_end() closes it. */
static size_t nest_start(struct req *r, uint16_t type)
{
	size_t at = r->len;

	put(r, type | NLA_F_NESTED, NULL, 0);
	return at;
}

static void nest_end(struct req *r, size_t at)
{
	((struct nlattr *)(r->buf + at))->nla_len = (uint16_t)(r->len - at);
}

static void start(struct req *r, uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *n = (struct nlmsghdr *)r->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(r->buf + NLMSG_HDRLEN);

	memset(r->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g->cmd = cmd;
	g->version = version;
	r->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* Read answers until at most @left requests are unanswered; -1 on error. */
static int drain(int fd, uint32_t left, const char *what)
{
	static uint8_t buf[1 << 16];

	while (seq_sent - seq_acked > left) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("knbulk: recv");
			return -1;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_ERROR && e->error) {
				fprintf(stderr, "knbulk: %s #%u: %s\n", what, h->nlmsg_seq,
					strerror(-e->error));
				return -1;
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				seq_acked++;
		}
	}
	return 0;
}

static int send_req(int fd, struct req *r, const char *what)
{
	struct nlmsghdr *n = (struct nlmsghdr *)r->buf;

	n->nlmsg_len = (uint32_t)r->len;
	n->nlmsg_seq = ++seq_sent;
	if (send(fd, r->buf, r->len, 0) != (ssize_t)r->len) {
		perror("knbulk: send");
		return -1;
	}
	return drain(fd, (uint32_t)window - 1, what);
}

static int get_family(int fd)
{
	static uint8_t buf[8192];
	static struct req r;
	struct nlattr *a;
	ssize_t n;
	int len;

	start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	((struct nlmsghdr *)r.buf)->nlmsg_flags = NLM_F_REQUEST;
	put(&r, CTRL_ATTR_FAMILY_NAME, KEYNET_GENL_NAME, sizeof(KEYNET_GENL_NAME));
	((struct nlmsghdr *)r.buf)->nlmsg_len = (uint32_t)r.len;
	if (send(fd, r.buf, r.len, 0) < 0)
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < (ssize_t)(NLMSG_HDRLEN + GENL_HDRLEN) ||
	    ((struct nlmsghdr *)buf)->nlmsg_type != GENL_ID_CTRL)
		return -1;
	len = (int)((struct nlmsghdr *)buf)->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (a = (struct nlattr *)(buf + NLMSG_HDRLEN + GENL_HDRLEN);
	     len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family = *(uint16_t *)((uint8_t *)a + NLA_HDRLEN);
		else if (a->nla_type == CTRL_ATTR_MAXATTR)
			maxattr = *(uint32_t *)((uint8_t *)a + NLA_HDRLEN);
	return family ? 0 : -1;
}

static int add_peers(int fd, uint32_t ifindex, uint8_t (*keys)[KEYNET_KEY_LEN], long n)
{
	static struct req r;
	long i;

	for (i = 0; i < n; i++) {
		start(&r, family, KEYNET_CMD_PEER_NEW, KEYNET_GENL_VERSION);
		put(&r, KEYNET_A_IFINDEX, &ifindex, 4);
		put(&r, KEYNET_A_PEER_PUBLIC_KEY, keys[i], KEYNET_KEY_LEN);
		if (send_req(fd, &r, "PEER_NEW"))
			return -1;
	}
	return drain(fd, 0, "PEER_NEW");
}

/* Peer p's routes (p, p + PEERS, ...) in route lists of LIST_MAX. */
static int add_route_lists(int fd, uint32_t ifindex, uint8_t (*keys)[KEYNET_KEY_LEN],
			   long peers, long n)
{
	static struct req r;
	uint8_t plen = 32;
	long p, i;
	size_t list;
	int k;

	for (p = 0; p < peers && p < n; p++) {
		for (i = p; i < n; ) {
			start(&r, family, KEYNET_CMD_ROUTE_NEW, KEYNET_GENL_VERSION);
			put(&r, KEYNET_A_IFINDEX, &ifindex, 4);
			put(&r, KEYNET_A_PEER_PUBLIC_KEY, keys[p], KEYNET_KEY_LEN);
			list = nest_start(&r, KEYNET_A_ROUTES);
			for (k = 0; k < LIST_MAX && i < n; k++, i += peers) {
				uint32_t a = __builtin_bswap32(route_addr(i));
				size_t e = nest_start(&r, KEYNET_A_ROUTES);

				put(&r, KEYNET_A_PREFIX, &a, 4);
				put(&r, KEYNET_A_PREFIX_LEN, &plen, 1);
				nest_end(&r, e);
			}
			nest_end(&r, list);
			if (send_req(fd, &r, "ROUTE_NEW (list)"))
				return -1;
		}
	}
	return drain(fd, 0, "ROUTE_NEW (list)");
}

static int add_routes(int fd, uint32_t ifindex, uint8_t (*keys)[KEYNET_KEY_LEN],
		      long peers, long n)
{
	uint8_t plen = 32;
	static struct req r;
	long i;

	if (!one_by_one && maxattr >= KEYNET_A_ROUTES)
		return add_route_lists(fd, ifindex, keys, peers, n);
	if (!one_by_one)
		fprintf(stderr, "knbulk: the module takes no route lists: one request per route\n");
	for (i = 0; i < n; i++) {
		uint32_t a = __builtin_bswap32(route_addr(i));

		start(&r, family, KEYNET_CMD_ROUTE_NEW, KEYNET_GENL_VERSION);
		put(&r, KEYNET_A_IFINDEX, &ifindex, 4);
		put(&r, KEYNET_A_PEER_PUBLIC_KEY, keys[i % peers], KEYNET_KEY_LEN);
		put(&r, KEYNET_A_PREFIX, &a, 4);
		put(&r, KEYNET_A_PREFIX_LEN, &plen, 1);
		if (send_req(fd, &r, "ROUTE_NEW"))
			return -1;
	}
	return drain(fd, 0, "ROUTE_NEW");
}

static void b64(const uint8_t *k, char *out)
{
	static const char t[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int i, o = 0;

	for (i = 0; i < 30; i += 3) {
		uint32_t v = (uint32_t)k[i] << 16 | (uint32_t)k[i + 1] << 8 | k[i + 2];

		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = t[(v >> 6) & 63];
		out[o++] = t[v & 63];
	}
	out[o++] = t[k[30] >> 2];
	out[o++] = t[(k[30] & 3) << 4 | k[31] >> 4];
	out[o++] = t[(k[31] & 15) << 2];
	out[o++] = '=';
	out[o] = 0;
}

/* [Peer] sections, each peer's routes on AllowedIPs lines of 500. */
static void wgconf(uint8_t (*keys)[KEYNET_KEY_LEN], long peers, long n)
{
	char k[45];
	long p, i, c;

	for (p = 0; p < peers; p++) {
		b64(keys[p], k);
		printf("[Peer]\nPublicKey = %s\n", k);
		for (i = p, c = 0; i < n; i += peers, c++) {
			uint32_t a = route_addr(i);

			printf("%s%u.%u.%u.%u/32", c % 500 ? ", " : c ? "\nAllowedIPs = " :
			       "AllowedIPs = ", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
		}
		printf("%s\n", c ? "\n" : "");
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: knbulk [-s SEED] [-w WINDOW] peers IFINDEX N\n"
		"       knbulk [-s SEED] [-w WINDOW] [-e] [-1] routes IFINDEX PEERS N\n"
		"       knbulk [-s SEED] wgconf PEERS N\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint8_t (*keys)[KEYNET_KEY_LEN];
	int fd, opt, one = 1, big = 4 << 20;
	long peers, n = 0, i;
	uint32_t ifindex = 0;
	const char *mode;
	double t0, t1;

	while ((opt = getopt(argc, argv, "s:w:e1")) != -1) {
		if (opt == 'e')
			existing = 1;
		else if (opt == '1')
			one_by_one = 1;
		else if (opt == 's')
			rng ^= strtoull(optarg, NULL, 0) * 0x9e3779b97f4a7c15ULL;
		else if (opt == 'w')
			window = atoi(optarg);
		else
			return usage();
	}
	if (window < 1 || argc - optind < 3)
		return usage();
	mode = argv[optind];
	if (!strcmp(mode, "wgconf")) {
		peers = atol(argv[optind + 1]);
		n = atol(argv[optind + 2]);
	} else if (!strcmp(mode, "peers") && argc - optind == 3) {
		ifindex = (uint32_t)atol(argv[optind + 1]);
		peers = atol(argv[optind + 2]);
	} else if (!strcmp(mode, "routes") && argc - optind == 4) {
		ifindex = (uint32_t)atol(argv[optind + 1]);
		peers = atol(argv[optind + 2]);
		n = atol(argv[optind + 3]);
	} else {
		return usage();
	}
	if (peers < 1 || n < 0 || n > 1L << 24)
		return usage();
	keys = calloc((size_t)peers, KEYNET_KEY_LEN);
	if (!keys)
		return 1;
	for (i = 0; i < peers; i++)
		rnd_key(keys[i]);
	if (!strcmp(mode, "wgconf")) {
		wgconf(keys, peers, n);
		return 0;
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("knbulk: netlink socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (get_family(fd)) {
		fprintf(stderr, "knbulk: no keynet family (module not loaded?)\n");
		return 1;
	}
	t0 = now();
	if (!existing) {
		if (add_peers(fd, ifindex, keys, peers))
			return 1;
		printf("knbulk: %ld peers in %.3f s\n", peers, now() - t0);
	}
	t1 = now();
	if (!strcmp(mode, "routes")) {
		fflush(stdout);
		if (add_routes(fd, ifindex, keys, peers, n))
			return 1;
		printf("knbulk: %ld routes in %.3f s\n", n, now() - t1);
	}
	return 0;
}
