// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: hostile packets for the VM tests (selftests/tests/61-packet-fuzz.sh).
 *
 *   pktfuzz udp ADDR PORT COUNT [SEED]
 *	random, truncated and mutated WireGuard-shaped messages (the four
 *	message types at their exact sizes and at random sizes, reserved
 *	bytes set or not) to a keynet listen port, in batches (sendmmsg).
 *   pktfuzz ip IFNAME V6PREFIX V4ADDR COUNT [SEED]
 *	mutated IPv4 and IPv6 packets written straight into a keynet device
 *	(a packet socket, so every packet reaches ndo_start_xmit): packets
 *	aimed at the NAT64 prefix V6PREFIX (a /96, e.g. 64:ff9b::) and at the
 *	IPv4 address V4ADDR behind it, as TCP, UDP, ICMP and ICMP errors with
 *	inner packets, fragments, options and extension headers, then 0-8
 *	random byte mutations and random truncation.
 *
 * Prints "pktfuzz: N sent, N refused" (refused: the socket layer did not
 * take the packet, so the module never saw it).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#define BATCH	64
#define PKT_MAX	1600

static uint64_t rng_state = 0x7061636b6574ULL;

static uint32_t rnd(void)
{
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

/* ---- WireGuard-shaped messages ---- */

static size_t make_wg(uint8_t *p)
{
	static const size_t sizes[] = { 0, 148, 92, 64, 32 };
	uint8_t type = (uint8_t)(rnd_below(8) ? 1 + rnd_below(4) : rnd());
	size_t len;

	if (type >= 1 && type <= 4 && rnd_below(5) < 2) {
		len = sizes[type];
		if (type == 4)
			len += 16 * rnd_below(20);
	} else {
		len = rnd_below(300);
	}
	rnd_bytes(p, len);
	if (len) {
		p[0] = type;
		if (len >= 4 && rnd_below(2))
			p[1] = p[2] = p[3] = 0;
	}
	return len;
}

static int fuzz_udp(const char *addr, const char *port, long count)
{
	static uint8_t bufs[BATCH][PKT_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	long sent = 0, refused = 0;
	socklen_t sl;
	int fd, i;

	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(port));
		sl = sizeof(*s6);
	} else {
		fprintf(stderr, "pktfuzz: bad address '%s'\n", addr);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		perror("pktfuzz: socket");
		return 2;
	}
	while (sent + refused < count) {
		int n = (int)(count - sent - refused < BATCH ? count - sent - refused : BATCH);
		int done;

		for (i = 0; i < n; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = make_wg(bufs[i]);
			memset(&msgs[i], 0, sizeof(msgs[i]));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		done = sendmmsg(fd, msgs, (unsigned int)n, 0);
		if (done < 0) {
			if (errno == ECONNREFUSED || errno == ENOBUFS ||
			    errno == EAGAIN) {
				refused++;	/* the first of the batch */
				continue;
			}
			perror("pktfuzz: sendmmsg");
			return 1;
		}
		sent += done;
	}
	printf("pktfuzz: %ld sent, %ld refused\n", sent, refused);
	return 0;
}

/* ---- IP packets into the NAT64 path ---- */

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (; n > 1; p += 2, n -= 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint8_t v6pfx[16];
static uint8_t v4addr[4];

/* A transport header and payload of protocol @proto into @p; its length. */
static size_t make_l4(uint8_t *p, uint8_t proto, size_t room, int depth);

static size_t make_v4(uint8_t *p, size_t room, int depth)
{
	size_t ihl = rnd_below(6) ? 20 : 20 + 4 * rnd_below(11);
	uint8_t protos[] = { 6, 17, 1, 1, 58, 47 };
	uint8_t proto = protos[rnd_below(sizeof(protos))];
	size_t l4;

	if (room < ihl)
		return 0;
	memset(p, 0, ihl);
	p[0] = (uint8_t)(0x40 | ihl / 4);
	p[1] = (uint8_t)rnd();
	p[6] = rnd_below(4) ? 0x40 : (uint8_t)rnd();	/* DF, or fragments */
	if (rnd_below(8) == 0)
		p[7] = (uint8_t)rnd();
	p[8] = (uint8_t)(rnd_below(8) ? 64 : rnd_below(3));
	p[9] = proto;
	rnd_bytes(p + 12, 4);				/* any source */
	if (rnd_below(4) == 0)
		p[12] = 10;
	memcpy(p + 16, v4addr, 4);
	if (rnd_below(8) == 0)
		rnd_bytes(p + 16, 4);
	if (ihl > 20) {
		rnd_bytes(p + 20, ihl - 20);
		if (rnd_below(2))
			p[20] = rnd_below(2) ? 0x83 : 0x89;	/* source routes */
	}
	l4 = make_l4(p + ihl, proto, room - ihl, depth);
	p[2] = (uint8_t)((ihl + l4) >> 8);
	p[3] = (uint8_t)(ihl + l4);
	p[10] = p[11] = 0;
	{
		uint16_t c = csum(p, ihl);

		p[10] = (uint8_t)(c >> 8);
		p[11] = (uint8_t)c;
	}
	return ihl + l4;
}

static size_t make_v6(uint8_t *p, size_t room, int depth)
{
	uint8_t protos[] = { 6, 17, 58, 58, 44, 0, 43, 60, 1 };
	uint8_t next = protos[rnd_below(sizeof(protos))];
	size_t off = 40, l4;

	if (room < 48)
		return 0;
	memset(p, 0, 40);
	p[0] = 0x60;
	p[7] = (uint8_t)(rnd_below(8) ? 64 : rnd_below(3));
	rnd_bytes(p + 8, 16);				/* any source */
	if (rnd_below(2))
		p[8] = 0x20;
	memcpy(p + 24, v6pfx, 12);
	memcpy(p + 36, v4addr, 4);
	if (rnd_below(3) == 0)
		rnd_bytes(p + 36, 4);
	p[6] = next;
	/* Extension headers: fragment, hop-by-hop, routing, destination. */
	while ((next == 44 || next == 0 || next == 43 || next == 60) &&
	       off + 8 < room) {
		uint8_t inner = rnd_below(2) ? 6 + 11 * rnd_below(2) : 58;

		rnd_bytes(p + off, 8);
		p[off] = inner;
		if (next != 44)
			p[off + 1] = 0;		/* 8 bytes long */
		if (next == 43 && rnd_below(2))
			p[off + 3] = 0;		/* segments left 0 */
		off += 8;
		next = inner;
	}
	l4 = make_l4(p + off, next, room - off, depth);
	p[4] = (uint8_t)((off - 40 + l4) >> 8);
	p[5] = (uint8_t)(off - 40 + l4);
	return off + l4;
}

static size_t make_l4(uint8_t *p, uint8_t proto, size_t room, int depth)
{
	size_t len = rnd_below(4) ? 8 + rnd_below(64) : rnd_below(1400);

	if (len > room)
		len = room;
	rnd_bytes(p, len);
	if ((proto == 1 || proto == 58) && len >= 8 && depth == 0 &&
	    rnd_below(2)) {
		/* An ICMP error quoting an inner packet of the other kind. */
		static const uint8_t err4[] = { 3, 11, 12 };
		static const uint8_t err6[] = { 1, 2, 3, 4 };
		size_t in;

		p[0] = proto == 1 ? err4[rnd_below(3)] : err6[rnd_below(4)];
		p[1] = (uint8_t)rnd_below(5);
		in = proto == 1 ? make_v4(p + 8, room - 8, 1) :
				  make_v6(p + 8, room - 8, 1);
		len = 8 + in;
	} else if ((proto == 1 || proto == 58) && len >= 8) {
		p[0] = proto == 1 ? (rnd_below(2) ? 8 : 0) :
				    (rnd_below(2) ? 128 : 129);
		p[1] = 0;
	}
	return len;
}

static int fuzz_ip(const char *ifname, const char *pfx, const char *v4,
		   long count)
{
	static uint8_t pkt[PKT_MAX];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	long sent = 0, refused = 0, i;
	int fd;

	if (inet_pton(AF_INET6, pfx, v6pfx) != 1 ||
	    inet_pton(AF_INET, v4, v4addr) != 1) {
		fprintf(stderr, "pktfuzz: bad prefix or address\n");
		return 2;
	}
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "pktfuzz: no interface '%s'\n", ifname);
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("pktfuzz: packet socket");
		return 2;
	}
	for (i = 0; i < count; i++) {
		int six = (int)rnd_below(2);
		size_t len = six ? make_v6(pkt, sizeof(pkt), 0) :
				   make_v4(pkt, sizeof(pkt), 0);
		int j, n = (int)rnd_below(9);

		for (j = 0; j < n && len; j++) {
			size_t at = rnd_below((uint32_t)len);

			if (rnd_below(3))
				pkt[at] ^= (uint8_t)(1u << rnd_below(8));
			else
				len = at + 1;		/* truncate */
		}
		if (!len)
			len = 1;
		sll.sll_protocol = htons(six ? ETH_P_IPV6 : ETH_P_IP);
		if (sendto(fd, pkt, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) < 0)
			refused++;
		else
			sent++;
	}
	printf("pktfuzz: %ld sent, %ld refused\n", sent, refused);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "udp")) {
		if (argc > 5)
			rng_state ^= strtoull(argv[5], NULL, 0) * 0x9e3779b97f4a7c15ULL;
		return fuzz_udp(argv[2], argv[3], strtol(argv[4], NULL, 0));
	}
	if (argc >= 6 && !strcmp(argv[1], "ip")) {
		if (argc > 6)
			rng_state ^= strtoull(argv[6], NULL, 0) * 0x9e3779b97f4a7c15ULL;
		return fuzz_ip(argv[2], argv[3], argv[4], strtol(argv[5], NULL, 0));
	}
	fprintf(stderr, "usage: pktfuzz udp ADDR PORT COUNT [SEED]\n"
		"       pktfuzz ip IFNAME V6PREFIX V4ADDR COUNT [SEED]\n");
	return 2;
}
