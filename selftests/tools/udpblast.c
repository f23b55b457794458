// SPDX-License-Identifier: GPL-2.0
/*
 * udpblast: send UDP datagrams of one size to one address as fast as the
 * kernel takes them, for a fixed time, from 1..8 threads (one socket
 * each), in sendmmsg() batches of 64.  The benchmark's encrypt-bound case
 * (bench/case-crypt.sh) points it through a tunnel device at one peer, so
 * that what limits the rate is the device's transmit path (routing,
 * queueing, encryption), not the generator's system calls.
 *
 *   udpblast [-c COUNTER [-w SECONDS]] [-N NETNS] ADDR PORT SECONDS SIZE
 *            [THREADS]
 *
 * ADDR is IPv4 or IPv6, SIZE the UDP payload in bytes (1..65507).  Prints
 * one JSON object: {"sent": datagrams the kernel accepted, "seconds",
 * "pps", "errors": failed sendmmsg calls (ENOBUFS, ECONNREFUSED after an
 * ICMP error, ...: counted and ignored), "threads", "size"}.
 * -c COUNTER: a file holding a number (e.g. the underlay device's
 * /sys/class/net/lo/statistics/tx_packets), read -w SECONDS (default 1)
 * after the start, once the device's queues filled, and again at the end;
 * adds "counted" (its growth), "window_s" and "counted_pps".  -N NETNS (a
 * path such as /run/netns/a): send from this namespace, entered after the
 * counter file was opened (so the counter can be another namespace's
 * device: start under `ip netns exec` of that one).
 * Exit status 2 on a usage or socket error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "blast_sock.h"

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

/* The number in the file @fd (pread from its start); false if none. */
static bool ub_counter(int fd, uint64_t *v)
{
	char buf[32], *end;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return false;
	buf[n] = 0;
	*v = strtoull(buf, &end, 10);
	return end != buf;
}

static void ub_sleep_until(double t)
{
	double d = t - ub_now();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

/* A UDP socket connected to ADDR:PORT; -1 with a message on failure. */
static int ub_socket(const char *addr, int port)
{
	return blast_socket("udpblast", addr, port);
}

static int ub_usage(void)
{
	fprintf(stderr, "usage: udpblast [-c COUNTER [-w SECONDS]] [-N NETNS] ADDR PORT SECONDS SIZE [THREADS]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct ub_thread th[UB_MAX_THREADS];
	uint64_t sent = 0, errors = 0, c0 = 0, c1 = 0;
	double secs, start, took, warm = 1, t0 = 0, t1 = 0;
	int port, nthreads = 1, i, opt, cfd = -1, nsfd, counted = 0;
	const char *netns = NULL;
	char win[160] = "";
	long size;

	while ((opt = getopt(argc, argv, "c:w:N:")) != -1) {
		switch (opt) {
		case 'c':
			cfd = open(optarg, O_RDONLY);
			if (cfd < 0 || !ub_counter(cfd, &c0)) {
				perror("udpblast: counter");
				return 2;
			}
			break;
		case 'w':
			warm = atof(optarg);
			break;
		case 'N':
			netns = optarg;
			break;
		default:
			return ub_usage();
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 5 || argc > 6)
		return ub_usage();
	port = atoi(argv[2]);
	secs = atof(argv[3]);
	size = atol(argv[4]);
	if (argc == 6)
		nthreads = atoi(argv[5]);
	if (port < 1 || port > 65535 || secs <= 0 || size < 1 || size > 65507 ||
	    nthreads < 1 || nthreads > UB_MAX_THREADS || warm < 0 ||
	    (cfd >= 0 && warm >= secs)) {
		fprintf(stderr, "udpblast: bad arguments\n");
		return 2;
	}
	if (netns) {
		nsfd = open(netns, O_RDONLY);
		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET)) {
			perror("udpblast: netns");
			return 2;
		}
		close(nsfd);
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
	/* The window: from the warm-up's end to the senders' end. */
	if (cfd >= 0) {
		ub_sleep_until(start + warm);
		t0 = ub_now();
		counted = ub_counter(cfd, &c0);
		ub_sleep_until(start + secs);
		t1 = ub_now();
		counted = counted && ub_counter(cfd, &c1) && t1 > t0;
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(th[i].tid, NULL);
		sent += th[i].sent;
		errors += th[i].errors;
		close(th[i].fd);
	}
	took = ub_now() - start;
	if (counted)
		snprintf(win, sizeof(win), ", \"counted\": %llu, \"window_s\": %.3f, "
			 "\"counted_pps\": %.0f", (unsigned long long)(c1 - c0),
			 t1 - t0, (double)(c1 - c0) / (t1 - t0));
	printf("{\"sent\": %llu, \"seconds\": %.3f, \"pps\": %.0f, \"errors\": %llu, "
	       "\"threads\": %d, \"size\": %ld%s}\n", (unsigned long long)sent, took,
	       took > 0 ? (double)sent / took : 0.0, (unsigned long long)errors,
	       nthreads, size, win);
	return 0;
}
