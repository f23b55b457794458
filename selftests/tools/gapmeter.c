// SPDX-License-Identifier: GPL-2.0
/*
 * gapmeter: how long does the data path stall?  The sender sends one
 * numbered UDP datagram every INTERVAL microseconds for SECONDS; the
 * receiver records the longest time between two consecutive arrivals and
 * how many datagrams never came.
 *
 *   gapmeter recv PORT SECONDS          prints "gapmeter: N received,
 *                                       N lost, max gap M ms, p99 gap P ms"
 *   gapmeter send ADDR PORT SECONDS INTERVAL_US
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int do_recv(int port, double secs)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons((uint16_t)port) };
	size_t cap = 1 << 20, n = 0;
	double *gaps = malloc(cap * sizeof(*gaps)), last = 0, end, maxgap = 0;
	uint32_t maxseq = 0;
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), off = 0;

	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (!gaps || fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("gapmeter: recv socket");
		return 2;
	}
	end = now() + secs;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double t = now();
		uint32_t seq;
		int left = (int)((end - t) * 1000);

		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		if (recv(fd, &seq, sizeof(seq), 0) != sizeof(seq))
			continue;
		t = now();
		if (seq == UINT32_MAX)		/* the sender's last word */
			break;
		if (last && n < cap) {
			gaps[n] = t - last;
			if (gaps[n] > maxgap)
				maxgap = gaps[n];
			n++;
		}
		last = t;
		if (seq > maxseq)
			maxseq = seq;
	}
	if (!n) {
		printf("gapmeter: nothing received\n");
		return 1;
	}
	qsort(gaps, n, sizeof(*gaps), cmp);
	printf("gapmeter: %zu received, %ld lost, max gap %.1f ms, p99 gap %.1f ms\n",
	       n + 1, (long)maxseq + 1 - (long)(n + 1), maxgap * 1e3,
	       gaps[n * 99 / 100] * 1e3);
	return 0;
}

static int do_send(const char *addr, int port, double secs, long interval)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	double end, next;
	uint32_t seq = 0;
	int fd, i;

	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*s6);
	} else {
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl))
		return 2;
	end = now() + secs;
	next = now();
	while (now() < end) {
		send(fd, &seq, sizeof(seq), 0);
		seq++;
		next += (double)interval / 1e6;
		while (now() < next)
			usleep(100);
	}
	seq = UINT32_MAX;
	for (i = 0; i < 3; i++) {
		send(fd, &seq, sizeof(seq), 0);
		usleep(10000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]), atof(argv[3]));
	if (argc == 6 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), atof(argv[4]), atol(argv[5]));
	fprintf(stderr, "usage: gapmeter recv PORT SECONDS | send ADDR PORT SECONDS INTERVAL_US\n");
	return 2;
}
