// SPDX-License-Identifier: GPL-2.0
/*
 * knblast: the decrypt-bound benchmark's generator (bench/case-decrypt.sh).
 * A WireGuard initiator in userspace: it completes a Noise IK handshake
 * with one responder (keynet or the kernel's WireGuard) over UDP, confirms
 * the session with a keepalive (a responder only uses a session after its
 * first authenticated data message), encrypts COUNT data messages in
 * advance (so the generator spends no crypto while it sends), then sends
 * them with sendmmsg(), as fast as it can or spread evenly over SECONDS.
 * The responder has to decrypt every one it takes: its receive rate is
 * what the benchmark measures.
 *
 *   knblast [-s SIZE] [-n COUNT] [-t SECONDS] [-j THREADS] [-M MTU]
 *           [-S SRC] [-D DST] [-H SECONDS] [-c COUNTER [-w SECONDS]]
 *           [-N NETNS] KEYFILE PEERPUB ADDR PORT
 *
 * KEYFILE holds our private key and PEERPUB is the responder's public key,
 * both base64 as `keynet genkey`/`wg genkey` write them; ADDR/PORT the
 * responder's underlay address (IPv4 or IPv6).  Each data message carries
 * an inner IPv4/UDP packet SRC:40000 -> DST:9 (default 192.168.241.1 ->
 * 192.168.241.2; SRC must be inside the allowed-ips/routes the responder
 * gave our key, DST something it drops after decryption) with SIZE bytes
 * of UDP payload (default 64; the packet's first 8 payload bytes are its
 * counter), padded as a device with MTU (default 1420) pads.  Counters:
 * the keepalive 0, the data messages 1..COUNT (default 100,000).  -j: the
 * threads that encrypt in advance (default 2); -H: give up the handshake
 * after this long (default 10 s; an initiation is resent every second and
 * a cookie reply is answered with mac2 at once).
 *
 * The receiver's side of the measurement: -c COUNTER names a file holding
 * a number (the receiving device's /sys/class/net/DEV/statistics/
 * rx_packets), read when the measurement window opens - after -w SECONDS
 * of sending (default 0.5) or a fifth of the messages - and when the last
 * message left, so the window holds neither the queues filling nor them
 * draining.  -N NETNS (a path such as /run/netns/wire): the namespace to
 * send from, entered after the counter file was opened, so knblast can
 * start in the receiver's namespace (`ip netns exec` mounts that
 * namespace's sysfs) and send from the underlay's.
 *
 * Output (stdout): "go" (flushed) when the first message is about to
 * leave, then one JSON object: {"sent", "seconds" (of sending), "pps",
 * "prepared", "size", "msg_len" (bytes per datagram), "handshake_s",
 * "prepare_s", "errors" (failed sendmmsg calls), and with -c: "counted"
 * (the counter's growth over the window), "window_s", "counted_pps"}.
 * Exit status 1 when the handshake fails, 2 on a usage or system error.
 *
 * The handshake and the keepalive are noise.c's and cookie.c's own code
 * (kmod/, built in userspace with selftests/unit/crypto_user.c); the bulk
 * messages are sealed with OpenSSL's ChaCha20-Poly1305 through one keyed
 * context per thread (kn_data_seal() sets a context up per message, which
 * costs more than sealing a small packet), and the first is checked
 * against kn_data_seal(), byte for byte (test_knblast in selftests/unit
 * checks more).  Build: cc -O2 -Ikmod -Iinclude selftests/tools/knblast.c
 * kmod/noise.c kmod/cookie.c selftests/unit/crypto_user.c -lcrypto
 * -lsodium -lpthread.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "blast_sock.h"
#include <openssl/evp.h>

/* pure.h defines these as its own macros (glibc may have made them macros). */
#undef htons
#undef htonl
#undef ntohs
#undef ntohl
#include "noise.h"
#include "cookie.h"

#define KB_BATCH	64
#define KB_MAX_THREADS	16
#define KB_INNER_HDR	28	/* IPv4 (no options) + UDP */
#define KB_SPORT	40000
#define KB_DPORT	9

struct kn_blast {
	struct kn_noise_local local;
	struct kn_noise_hs hs;
	struct kn_cookie_maker maker;
	struct kn_noise_keypair kp;
	u8 src[4], dst[4];	/* inner IPv4 addresses */
	size_t payload;		/* inner UDP payload bytes */
	size_t mtu;		/* padding cap, as the device's MTU */
	size_t msg_len;		/* bytes of one data message */
	size_t count;		/* prepared messages */
	u8 *msgs;		/* count * msg_len bytes: counters 1..count */
};

static u64 kb_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (u64)t.tv_sec * KN_NSEC_PER_SEC + (u64)t.tv_nsec;
}

static double kb_now(void)
{
	return (double)kb_mono_ns() / 1e9;
}

/* Base64 (standard alphabet, padded) of exactly 32 bytes; 0 or -EINVAL. */
static int kb_b64_key(u8 out[KN_KEY_LEN], const char *in)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	u32 acc = 0;
	size_t i, n = 0;
	int bits = 0;

	for (i = 0; in[i] && in[i] != '=' && in[i] != '\n'; i++) {
		const char *p = strchr(abc, in[i]);

		if (!p || !*p)
			return -EINVAL;
		acc = acc << 6 | (u32)(p - abc);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == KN_KEY_LEN)
				return -EINVAL;
			out[n++] = (u8)(acc >> bits);
		}
	}
	return n == KN_KEY_LEN && i == 43 ? 0 : -EINVAL;
}

/*
 * Our key and the responder's; the inner packets' defaults.  0, or
 * -EINVAL for an unusable key.
 */
static int kb_init(struct kn_blast *b, const u8 priv[KN_KEY_LEN],
		   const u8 peer_pub[KN_KEY_LEN])
{
	memset(b, 0, sizeof(*b));
	if (kn_noise_local_init(&b->local, priv) ||
	    kn_noise_hs_init(&b->hs, &b->local, peer_pub, NULL))
		return -EINVAL;
	kn_cookie_maker_init(&b->maker, peer_pub);
	memcpy(b->src, (u8[]){ 192, 168, 241, 1 }, 4);
	memcpy(b->dst, (u8[]){ 192, 168, 241, 2 }, 4);
	b->payload = 64;
	b->mtu = 1420;
	return 0;
}

/* The initiation (new timestamp and index), MACs added, sent on @fd. */
static int kb_send_initiation(struct kn_blast *b, int fd)
{
	struct kn_msg_initiation m1;
	struct timespec wall;
	u8 ts[KN_TAI64N_LEN];
	u32 index;

	clock_gettime(CLOCK_REALTIME, &wall);
	kn_noise_tai64n(ts, wall.tv_sec, (u32)wall.tv_nsec);
	kn_random_bytes(&index, sizeof(index));
	if (kn_noise_create_initiation(&b->local, &b->hs, ts, index, &m1))
		return -EINVAL;
	kn_cookie_add_macs(&b->maker, &m1, sizeof(m1), kb_mono_ns());
	if (send(fd, &m1, sizeof(m1), 0) != (ssize_t)sizeof(m1))
		return -errno;
	return 0;
}

/*
 * The handshake as initiator over the connected UDP socket @fd: an
 * initiation every second until a response completes it (a cookie reply
 * is taken and the initiation resent at once, now with mac2), for at
 * most @timeout_ms.  0 with b->kp set, -ETIMEDOUT, or another -errno.
 */
static int kb_handshake(struct kn_blast *b, int fd, int timeout_ms)
{
	u64 end = kb_mono_ns() + (u64)timeout_ms * 1000000ULL;
	u64 resend = 0;
	u8 buf[256];
	int ret;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		u64 now = kb_mono_ns();
		ssize_t n;

		if (now >= end)
			return -ETIMEDOUT;
		if (now >= resend) {
			ret = kb_send_initiation(b, fd);
			if (ret)
				return ret;
			resend = now + KN_NSEC_PER_SEC;
		}
		ret = poll(&p, 1, (int)((resend - now) / 1000000ULL) + 1);
		if (ret <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;	/* e.g. ECONNREFUSED: nobody there yet */
		switch (kn_msg_type(buf, (size_t)n)) {
		case KN_MSG_RESPONSE:
			if (kn_noise_consume_response(&b->local, &b->hs, buf,
						      (size_t)n))
				break;
			return kn_noise_derive_keypair(&b->hs, &b->kp,
						       kb_mono_ns());
		case KN_MSG_COOKIE_REPLY:
			if (!kn_cookie_consume_reply(&b->maker, buf, (size_t)n,
						     kb_mono_ns()))
				resend = 0;	/* again, with mac2 */
			break;
		default:
			break;
		}
	}
}

/* Confirm the session: an empty data message, counter 0. */
static int kb_keepalive(struct kn_blast *b, int fd)
{
	u8 msg[KN_MSG_DATA_MIN_LEN];
	int n;

	n = kn_data_seal(msg, sizeof(msg), b->kp.remote_index, 0,
			 b->kp.send_key, NULL, 0, 0);
	if (n < 0)
		return n;
	return send(fd, msg, (size_t)n, 0) == n ? 0 : -errno;
}

static u16 kb_csum(const u8 *p, size_t len)
{
	u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += kn_get_be16(p + i);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/*
 * The inner packet of message @counter in @out (b->payload + 28 bytes):
 * IPv4 with DF and a valid header checksum, UDP without checksum, the
 * payload zero but for the counter (little-endian) at its start.
 */
static size_t kb_inner(const struct kn_blast *b, u8 *out, u64 counter)
{
	size_t len = KB_INNER_HDR + b->payload;
	u8 *udp = out + 20;

	memset(out, 0, len);
	out[0] = 0x45;
	kn_put_be16(out + 2, (u16)len);
	kn_put_be16(out + 4, (u16)counter);
	out[6] = 0x40;		/* DF */
	out[8] = 64;		/* TTL */
	out[9] = 17;		/* UDP */
	memcpy(out + 12, b->src, 4);
	memcpy(out + 16, b->dst, 4);
	kn_put_be16(out + 10, kb_csum(out, 20));
	kn_put_be16(udp, KB_SPORT);
	kn_put_be16(udp + 2, KB_DPORT);
	kn_put_be16(udp + 4, (u16)(8 + b->payload));
	if (b->payload >= 8)
		kn_put_le64(udp + 8, counter);
	return len;
}

/*
 * A ChaCha20-Poly1305 context keyed with our send key, for kb_seal_fast()
 * (one per thread); NULL on failure.
 */
static EVP_CIPHER_CTX *kb_seal_ctx(const struct kn_blast *b)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx && !EVP_EncryptInit_ex(ctx, EVP_chacha20_poly1305(), NULL,
				       b->kp.send_key, NULL)) {
		EVP_CIPHER_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

/*
 * Seal data message @counter into @out (b->msg_len bytes) with @ctx from
 * kb_seal_ctx(): only the nonce changes per message, so nothing is
 * allocated or looked up per message as in kn_aead_seal().  False on a
 * library failure.
 */
static bool kb_seal_fast(const struct kn_blast *b, EVP_CIPHER_CTX *ctx,
			 u8 *out, u64 counter)
{
	size_t len = kb_inner(b, out + KN_MSG_DATA_HDR_LEN, counter);
	size_t padded = b->msg_len - KN_MSG_DATA_MIN_LEN;
	u8 *body = out + KN_MSG_DATA_HDR_LEN;
	u8 nonce[12];
	int olen;

	memset(body + len, 0, padded - len);
	kn_put_le32(out, KN_MSG_DATA);
	kn_put_le32(out + 4, b->kp.remote_index);
	kn_put_le64(out + 8, counter);
	memset(nonce, 0, 4);
	kn_put_le64(nonce + 4, counter);
	return EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) &&
	       (!padded || EVP_EncryptUpdate(ctx, body, &olen, body, (int)padded)) &&
	       EVP_EncryptFinal_ex(ctx, body + padded, &olen) &&
	       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, KN_AEAD_TAG_LEN,
				   body + padded);
}

/* Unmap the prepared messages. */
static void kb_release(struct kn_blast *b)
{
	if (b->msgs)
		munmap(b->msgs, b->count * b->msg_len);
	b->msgs = NULL;
	b->count = 0;
}

struct kb_job {
	pthread_t tid;
	const struct kn_blast *b;
	size_t lo, hi;
	bool failed;
};

static void *kb_prepare_part(void *arg)
{
	struct kb_job *j = arg;
	EVP_CIPHER_CTX *ctx = kb_seal_ctx(j->b);
	size_t i;

	j->failed = !ctx;
	for (i = j->lo; ctx && i < j->hi && !j->failed; i++)
		j->failed = !kb_seal_fast(j->b, ctx,
					  j->b->msgs + i * j->b->msg_len, i + 1);
	EVP_CIPHER_CTX_free(ctx);
	return NULL;
}

/*
 * Encrypt @count data messages (counters 1..count) with @threads threads
 * into b->msgs, then check the first against kn_data_seal().  0,
 * -ENOMEM, -EINVAL (bad sizes), -EIO (the library failed) or -EBADMSG
 * (the two seals differ).
 */
static int kb_prepare(struct kn_blast *b, size_t count, int threads)
{
	struct kb_job jobs[KB_MAX_THREADS];
	size_t len = KB_INNER_HDR + b->payload, padded;
	u8 *ref, inner[KB_INNER_HDR + 65536];
	int i, n, ok;

	if (!count || b->payload > 65535 - KB_INNER_HDR || threads < 1 ||
	    threads > KB_MAX_THREADS)
		return -EINVAL;
	kb_release(b);
	padded = kn_data_padded_len(len, b->mtu);
	b->msg_len = KN_MSG_DATA_MIN_LEN + padded;
	/*
	 * Huge pages where the kernel allows them: the buffer is written
	 * once, and first touches of small pages are the dearest part of
	 * filling it under an emulated CPU.
	 */
	b->msgs = mmap(NULL, count * b->msg_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->msgs == MAP_FAILED) {
		b->msgs = NULL;
		return -ENOMEM;
	}
	madvise(b->msgs, count * b->msg_len, MADV_HUGEPAGE);
	b->count = count;
	for (i = 0; i < threads; i++) {
		jobs[i].b = b;
		jobs[i].lo = count * (size_t)i / (size_t)threads;
		jobs[i].hi = count * (size_t)(i + 1) / (size_t)threads;
		if (pthread_create(&jobs[i].tid, NULL, kb_prepare_part,
				   &jobs[i]))
			return -ENOMEM;
	}
	ok = 1;
	for (i = 0; i < threads; i++) {
		pthread_join(jobs[i].tid, NULL);
		ok &= !jobs[i].failed;
	}
	if (!ok)
		return -EIO;
	ref = malloc(b->msg_len);
	if (!ref)
		return -ENOMEM;
	kb_inner(b, inner, 1);
	n = kn_data_seal(ref, b->msg_len, b->kp.remote_index, 1,
			 b->kp.send_key, inner, len, padded);
	ok = n == (int)b->msg_len && !memcmp(ref, b->msgs, b->msg_len);
	free(ref);
	return ok ? 0 : -EBADMSG;
}

/*
 * The measurement window: a counter file (a sysfs statistics file of the
 * receiving device, read with pread()) read when the window opens - after
 * @warm seconds of sending or a fifth of the messages, whichever comes
 * first, so the receiver's queues are full - and when the last message
 * left.  What the receiver had queued before the window and still holds
 * after it cancels out.
 */
struct kb_window {
	int fd;
	double warm;
	bool open, closed;
	u64 c0, c1;
	double t0, t1;
};

static bool kb_counter(int fd, u64 *v)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *end;

	if (n <= 0)
		return false;
	buf[n] = 0;
	*v = strtoull(buf, &end, 10);
	return end != buf;
}

/*
 * Send the prepared messages on @fd with sendmmsg(), in batches of up to
 * 64; with @secs > 0 the messages are spread evenly over @secs: message i
 * leaves no earlier than i / rate after the start, and a batch holds about
 * a millisecond's worth (a sender that falls behind just sends).  @w (or
 * NULL): the window to read the receiver's counter over.  Counts what the
 * kernel accepted in *sent and failed calls in *errors; returns the
 * seconds it took.
 */
static double kb_send(const struct kn_blast *b, int fd, double secs,
		      struct kb_window *w, u64 *sent, u64 *errors)
{
	struct mmsghdr msgs[KB_BATCH];
	struct iovec iov[KB_BATCH];
	double start, rate = secs > 0 ? (double)b->count / secs : 0;
	size_t i = 0, k, batch, most = KB_BATCH;
	int n;

	if (rate > 0 && rate / 1000 < KB_BATCH)
		most = rate < 1000 ? 1 : (size_t)(rate / 1000);
	memset(msgs, 0, sizeof(msgs));
	*sent = *errors = 0;
	start = kb_now();
	while (i < b->count) {
		if (rate > 0) {
			double wait = start + (double)i / rate - kb_now();

			if (wait > 0) {
				struct timespec d = {
					.tv_sec = (time_t)wait,
					.tv_nsec = (long)((wait - (double)(time_t)wait) * 1e9),
				};

				nanosleep(&d, NULL);
			}
		}
		if (w && !w->open && (i >= b->count / 5 ||
				      kb_now() - start >= w->warm)) {
			w->open = kb_counter(w->fd, &w->c0);
			w->t0 = kb_now();
		}
		batch = b->count - i < most ? b->count - i : most;
		for (k = 0; k < batch; k++) {
			iov[k].iov_base = b->msgs + (i + k) * b->msg_len;
			iov[k].iov_len = b->msg_len;
			msgs[k].msg_hdr.msg_iov = &iov[k];
			msgs[k].msg_hdr.msg_iovlen = 1;
		}
		n = sendmmsg(fd, msgs, (unsigned int)batch, 0);
		if (n > 0) {
			i += (size_t)n;
			*sent += (u64)n;
		} else if (++*errors > 1000000) {
			break;		/* the socket is broken for good */
		}
	}
	if (w && w->open) {
		w->t1 = kb_now();
		w->closed = kb_counter(w->fd, &w->c1) && w->t1 > w->t0;
	}
	return kb_now() - start;
}

/* A UDP socket connected to ADDR:PORT; -1 with a message on failure. */
static int kb_socket(const char *addr, int port)
{
	return blast_socket("knblast", addr, port);
}

#ifndef KN_BLAST_NO_MAIN
static int kb_usage(void)
{
	fprintf(stderr, "usage: knblast [-s SIZE] [-n COUNT] [-t SECONDS] [-j THREADS] [-M MTU]\n"
		"               [-S SRC] [-D DST] [-H SECONDS] [-c COUNTER [-w SECONDS]]\n"
		"               [-N NETNS] KEYFILE PEERPUB ADDR PORT\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct kn_blast b;
	struct kb_window w = { .fd = -1, .warm = 0.5 };
	u8 priv[KN_KEY_LEN], peer[KN_KEY_LEN], src[4], dst[4];
	double secs = 0, hs_secs = 10, t0, t_hs, t_prep, took;
	long size = 64, mtu = 1420, count = 100000;
	int threads = 2, fd, opt, ret, nsfd;
	const char *counter = NULL, *netns = NULL;
	char line[128] = "", win[160] = "";
	u64 sent, errors;
	FILE *f;

	memcpy(src, (u8[]){ 192, 168, 241, 1 }, 4);
	memcpy(dst, (u8[]){ 192, 168, 241, 2 }, 4);
	while ((opt = getopt(argc, argv, "s:n:t:j:M:S:D:H:c:w:N:")) != -1) {
		switch (opt) {
		case 's':
			size = atol(optarg);
			break;
		case 'n':
			count = atol(optarg);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'j':
			threads = atoi(optarg);
			break;
		case 'M':
			mtu = atol(optarg);
			break;
		case 'S':
			if (inet_pton(AF_INET, optarg, src) != 1)
				return kb_usage();
			break;
		case 'D':
			if (inet_pton(AF_INET, optarg, dst) != 1)
				return kb_usage();
			break;
		case 'H':
			hs_secs = atof(optarg);
			break;
		case 'c':
			counter = optarg;
			break;
		case 'w':
			w.warm = atof(optarg);
			break;
		case 'N':
			netns = optarg;
			break;
		default:
			return kb_usage();
		}
	}
	if (argc - optind != 4 || size < 0 || size > 65535 - KB_INNER_HDR ||
	    count < 1 || mtu < 0 || secs < 0 || hs_secs <= 0 || w.warm < 0)
		return kb_usage();
	f = fopen(argv[optind], "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		perror("knblast: key file");
		return 2;
	}
	fclose(f);
	ret = kb_b64_key(priv, line) || kb_b64_key(peer, argv[optind + 1]);
	kn_memzero(line, sizeof(line));
	if (ret) {
		fprintf(stderr, "knblast: a key is not 32 bytes of base64\n");
		return 2;
	}
	/*
	 * The counter is opened here, in the receiver's namespace (its
	 * sysfs), before moving to the underlay's namespace for the socket.
	 */
	if (counter) {
		w.fd = open(counter, O_RDONLY);
		if (w.fd < 0 || !kb_counter(w.fd, &w.c0)) {
			perror("knblast: counter");
			return 2;
		}
	}
	if (netns) {
		nsfd = open(netns, O_RDONLY);
		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET)) {
			perror("knblast: netns");
			return 2;
		}
		close(nsfd);
	}
	if (kb_init(&b, priv, peer)) {
		fprintf(stderr, "knblast: unusable key\n");
		return 2;
	}
	kn_memzero(priv, sizeof(priv));
	memcpy(b.src, src, 4);
	memcpy(b.dst, dst, 4);
	b.payload = (size_t)size;
	b.mtu = (size_t)mtu;
	fd = kb_socket(argv[optind + 2], atoi(argv[optind + 3]));
	if (fd < 0)
		return 2;
	t0 = kb_now();
	ret = kb_handshake(&b, fd, (int)(hs_secs * 1000));
	if (ret) {
		fprintf(stderr, "knblast: handshake failed: %s\n", strerror(-ret));
		return 1;
	}
	ret = kb_keepalive(&b, fd);
	if (ret) {
		fprintf(stderr, "knblast: keepalive: %s\n", strerror(-ret));
		return 2;
	}
	t_hs = kb_now() - t0;
	t0 = kb_now();
	ret = kb_prepare(&b, (size_t)count, threads);
	if (ret) {
		fprintf(stderr, "knblast: preparing %ld messages: %s\n", count,
			strerror(-ret));
		return 2;
	}
	t_prep = kb_now() - t0;
	printf("go\n");
	fflush(stdout);
	took = kb_send(&b, fd, secs, counter ? &w : NULL, &sent, &errors);
	if (w.closed)
		snprintf(win, sizeof(win), ", \"counted\": %llu, \"window_s\": %.3f, "
			 "\"counted_pps\": %.0f",
			 (unsigned long long)(w.c1 - w.c0), w.t1 - w.t0,
			 (double)(w.c1 - w.c0) / (w.t1 - w.t0));
	printf("{\"sent\": %llu, \"seconds\": %.3f, \"pps\": %.0f, \"prepared\": %zu, "
	       "\"size\": %ld, \"msg_len\": %zu, \"handshake_s\": %.3f, "
	       "\"prepare_s\": %.3f, \"errors\": %llu%s}\n",
	       (unsigned long long)sent, took, took > 0 ? (double)sent / took : 0.0,
	       b.count, size, b.msg_len, t_hs, t_prep, (unsigned long long)errors,
	       win);
	kn_memzero(&b.kp, sizeof(b.kp));
	kn_noise_local_clear(&b.local);
	kb_release(&b);
	close(fd);
	return 0;
}
#endif /* KN_BLAST_NO_MAIN */
