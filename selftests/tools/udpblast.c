// SPDX-License-Identifier: GPL-2.0
/*
 * udpblast: send UDP datagrams of one size to one address as fast as the
 * kernel takes them, for a fixed time, from 1..8 threads (one socket
 * each), in sendmmsg() batches of 64.  The benchmark's encrypt-bound case
 * (bench/case-crypt.sh) points it through a tunnel device at one peer, so
 * that what limits the rate is the device's transmit path (routing,
 * queueing, encryption), not the generator's system calls.
 *
 *   udpblast ADDR PORT SECONDS SIZE [THREADS]
 *
 * ADDR is IPv4 or IPv6, SIZE the UDP payload in bytes (1..65507).  Prints
 * one JSON object: {"sent": datagrams the kernel accepted, "seconds",
 * "pps", "errors": failed sendmmsg calls (ENOBUFS, ECONNREFUSED after an
 * ICMP error, ...: counted and ignored), "threads", "size"}.
 * Exit status 2 on a usage or socket error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#define UB_BATCH	64
#define UB_MAX_THREADS	8

struct ub_thread {
	pthread_t tid;
	int fd;
	double end;
	size_t size;
	uint64_t sent;
	uint64_t errors;
};

static double ub_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *ub_run(void *arg)
{
	struct ub_thread *t = arg;
	struct mmsghdr msgs[UB_BATCH];
	struct iovec iov;
	char *buf = calloc(1, t->size);
	int i, n;

	if (!buf)
		return NULL;
	memset(buf, 0x5a, t->size);
	iov.iov_base = buf;
	iov.iov_len = t->size;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < UB_BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	/* The clock is read once per batch: 64 datagrams between checks. */
	while (ub_now() < t->end) {
		n = sendmmsg(t->fd, msgs, UB_BATCH, 0);
		if (n > 0)
			t->sent += (uint64_t)n;
		else
			t->errors++;
	}
	free(buf);
	return NULL;
}

static int ub_socket(const char *addr, int port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		len = sizeof(*s6);
	} else {
		fprintf(stderr, "udpblast: bad address %s\n", addr);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len)) {
		perror("udpblast: socket");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct ub_thread th[UB_MAX_THREADS];
	uint64_t sent = 0, errors = 0;
	double secs, start, took;
	int port, nthreads = 1, i;
	long size;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: udpblast ADDR PORT SECONDS SIZE [THREADS]\n");
		return 2;
	}
	port = atoi(argv[2]);
	secs = atof(argv[3]);
	size = atol(argv[4]);
	if (argc == 6)
		nthreads = atoi(argv[5]);
	if (port < 1 || port > 65535 || secs <= 0 || size < 1 || size > 65507 ||
	    nthreads < 1 || nthreads > UB_MAX_THREADS) {
		fprintf(stderr, "udpblast: bad arguments\n");
		return 2;
	}
	memset(th, 0, sizeof(th));
	for (i = 0; i < nthreads; i++) {
		th[i].fd = ub_socket(argv[1], port);
		if (th[i].fd < 0)
			return 2;
		th[i].size = (size_t)size;
	}
	start = ub_now();
	for (i = 0; i < nthreads; i++) {
		th[i].end = start + secs;
		if (pthread_create(&th[i].tid, NULL, ub_run, &th[i])) {
			fprintf(stderr, "udpblast: pthread_create failed\n");
			return 2;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(th[i].tid, NULL);
		sent += th[i].sent;
		errors += th[i].errors;
		close(th[i].fd);
	}
	took = ub_now() - start;
	printf("{\"sent\": %llu, \"seconds\": %.3f, \"pps\": %.0f, \"errors\": %llu, "
	       "\"threads\": %d, \"size\": %ld}\n", (unsigned long long)sent, took,
	       took > 0 ? (double)sent / took : 0.0, (unsigned long long)errors,
	       nthreads, size);
	return 0;
}
