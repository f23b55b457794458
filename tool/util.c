// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting, word matching, key encoding, argument parsing and the
 * buffered show runner of the keynet tool.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <string.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keynet.h"

void kn_err(const char *fmt, ...)
{
	va_list ap;

	fputs("keynet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Before printing secret keys (conf dump, import cjdns): warn when stdout
 * is a regular file that group or others may read.  genkey and genpsk
 * have their own wording, after wg's.
 */
void kn_warn_secrets_to_stdout(void)
{
	struct stat st;

	if (!fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode) && (st.st_mode & 077))
		kn_err("warning: writing secret keys to a file accessible by group or others (set umask 077)");
}

/* keynet: <what is wrong> '<token>': <what is expected>, then exit 2. */
int kn_usage_err(const char *what, const char *token, const char *expected)
{
	if (token)
		kn_err("%s '%s': %s", what, token, expected);
	else
		kn_err("%s: %s", what, expected);
	return KN_EXIT_USAGE;
}

/* iproute2 style: @arg matches @word when it is a non-empty prefix of it. */
bool kn_matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

static const char kn_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void kn_key_to_base64(const uint8_t key[KEYNET_KEY_LEN], char out[45])
{
	unsigned int i, o = 0;

	for (i = 0; i + 3 <= KEYNET_KEY_LEN; i += 3) {
		uint32_t v = key[i] << 16 | key[i + 1] << 8 | key[i + 2];

		out[o++] = kn_b64[v >> 18 & 63];
		out[o++] = kn_b64[v >> 12 & 63];
		out[o++] = kn_b64[v >> 6 & 63];
		out[o++] = kn_b64[v & 63];
	}
	/* 32 = 30 + 2: two bytes left, one '=' of padding. */
	{
		uint32_t v = key[30] << 16 | key[31] << 8;

		out[o++] = kn_b64[v >> 18 & 63];
		out[o++] = kn_b64[v >> 12 & 63];
		out[o++] = kn_b64[v >> 6 & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int kn_b64_val(char c)
{
	const char *p = c ? strchr(kn_b64, c) : NULL;

	return p ? (int)(p - kn_b64) : -1;
}

/* Decode a 44-character base64 key; returns 0 or -1. */
int kn_base64_to_key(const char *in, uint8_t key[KEYNET_KEY_LEN])
{
	unsigned int i, o = 0;

	if (strlen(in) != 44 || in[43] != '=')
		return -1;
	for (i = 0; i < 44; i += 4) {
		int a = kn_b64_val(in[i]), b = kn_b64_val(in[i + 1]);
		int c = kn_b64_val(in[i + 2]);
		int d = i == 40 ? 0 : kn_b64_val(in[i + 3]);
		uint32_t v;

		if (a < 0 || b < 0 || c < 0 || d < 0)
			return -1;
		v = a << 18 | b << 12 | c << 6 | d;
		key[o++] = v >> 16;
		key[o++] = v >> 8;
		if (o < KEYNET_KEY_LEN)
			key[o++] = v;
		else if (v & 0xff)
			return -1;	/* non-canonical: padding bits set */
	}
	return 0;
}

/*
 * A public key given on the command line, base64 or cjdns' base32 ".k"
 * form; usage error if it is neither.
 */
int kn_parse_pubkey(const char *arg, uint8_t key[KEYNET_KEY_LEN])
{
	if (kn_base64_to_key(arg, key) && kn_cjdns_to_key(arg, key))
		return kn_usage_err("invalid key", arg,
				    "expected a 44-character base64 public key");
	return 0;
}

/* Strict unsigned number: decimal or 0x hex, at most @max. */
int kn_parse_uint(const char *arg, uint32_t max, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (!arg[0] || arg[0] == '-' || arg[0] == '+' || isspace((unsigned char)arg[0]))
		return -1;
	errno = 0;
	v = strtoull(arg, &end, 0);
	/* strtoull(.., 0) takes a leading 0 as octal: refuse that surprise. */
	if (errno || *end || v > max ||
	    (arg[0] == '0' && arg[1] && arg[1] != 'x' && arg[1] != 'X'))
		return -1;
	*val = (uint32_t)v;
	return 0;
}

/*
 * An IPv4 or IPv6 prefix, "ADDR/LEN" or a bare address (a host route).
 * Host bits beyond LEN are an error, as "ip route" treats them.
 */
int kn_parse_prefix(const char *arg, struct kn_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(arg, '/');
	size_t alen = slash ? (size_t)(slash - arg) : strlen(arg);
	unsigned int i, bits;
	uint32_t len;

	memset(p, 0, sizeof(*p));
	if (alen >= INET6_ADDRSTRLEN)
		goto bad;
	memcpy(buf, arg, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
		p->alen = 4;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
		p->alen = 16;
	} else {
		goto bad;
	}
	bits = p->alen * 8;
	len = bits;
	if (slash && kn_parse_uint(slash + 1, bits, &len))
		return kn_usage_err("invalid prefix length", arg,
				    p->family == AF_INET ? "expected ADDR/0-32" :
				    "expected ADDR/0-128");
	p->len = (uint8_t)len;
	for (i = p->len; i < bits; i++)
		if (p->addr[i / 8] & (0x80 >> (i % 8)))
			return kn_usage_err("invalid prefix", arg,
					    "host bits set beyond the prefix length");
	return 0;
bad:
	return kn_usage_err("invalid prefix", arg,
			    "expected an IPv4 or IPv6 address with an optional /LEN");
}

void kn_format_prefix(const uint8_t *addr, int alen, int len, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";

	inet_ntop(alen == 4 ? AF_INET : AF_INET6, addr, a, sizeof(a));
	snprintf(buf, size, "%s/%d", a, len);
}

/*
 * "HOST:PORT", "[IPV6%SCOPE]:PORT".  HOST is a name only with
 * KN_EP_RESOLVE (else a numeric address); port 0 only with KN_EP_PORT0.
 * Returns 0, KN_EXIT_USAGE for a malformed argument, KN_EXIT_FAIL when a
 * name does not resolve.
 */
int kn_parse_endpoint(const char *arg, unsigned int flags,
		      struct sockaddr_storage *ss, socklen_t *sslen)
{
	const char *what = flags & KN_EP_RESOLVE ? "invalid endpoint" : "invalid address";
	const char *expect = flags & KN_EP_RESOLVE ?
		"expected HOST:PORT or [IPV6]:PORT" : "expected IPV4:PORT or [IPV6]:PORT";
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
	char host[256];
	const char *colon, *h = arg;
	size_t hlen;
	uint32_t port;
	int ret;

	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close || close[1] != ':')
			return kn_usage_err(what, arg, expect);
		h = arg + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
		hints.ai_family = AF_INET6;
		hints.ai_flags = AI_NUMERICHOST;
	} else {
		colon = strrchr(arg, ':');
		if (!colon || strchr(arg, ':') != colon)
			return kn_usage_err(what, arg, expect);
		hlen = (size_t)(colon - arg);
		if (!(flags & KN_EP_RESOLVE)) {
			hints.ai_family = AF_INET;
			hints.ai_flags = AI_NUMERICHOST;
		}
	}
	if (!hlen || hlen >= sizeof(host))
		return kn_usage_err(what, arg, expect);
	if (kn_parse_uint(colon + 1, 65535, &port) ||
	    (!port && !(flags & KN_EP_PORT0)))
		return kn_usage_err("invalid port in", arg,
				    flags & KN_EP_PORT0 ? "expected a port 0-65535" :
				    "expected a port 1-65535");
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (!(flags & KN_EP_SCOPE) && strchr(host, '%'))
		return kn_usage_err(what, arg, "a scope (%IFACE) is not allowed here");
	ret = getaddrinfo(host, NULL, &hints, &res);
	if (ret) {
		if (hints.ai_flags & AI_NUMERICHOST)
			return kn_usage_err(what, arg, expect);
		kn_err("cannot resolve '%s': %s", host, gai_strerror(ret));
		return KN_EXIT_FAIL;
	}
	/* A name may resolve to several addresses: take the first, as wg. */
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return 0;
}

/* "1.2.3.4:5", "[::1]:5", "[fe80::1%eth0]:5"; "?" for anything else. */
void kn_format_endpoint(const void *data, size_t len, char *buf, size_t size)
{
	const struct sockaddr *sa = data;
	char a[INET6_ADDRSTRLEN], scope[IF_NAMESIZE + 2] = "";

	if (len == sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = data;

		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		snprintf(buf, size, "%s:%u", a, ntohs(sin->sin_port));
	} else if (len == sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = data;
		char ifname[IF_NAMESIZE];

		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		if (sin6->sin6_scope_id) {
			if (if_indextoname(sin6->sin6_scope_id, ifname))
				snprintf(scope, sizeof(scope), "%%%s", ifname);
			else
				snprintf(scope, sizeof(scope), "%%%u", sin6->sin6_scope_id);
		}
		snprintf(buf, size, "[%s%s]:%u", a, scope, ntohs(sin6->sin6_port));
	} else {
		snprintf(buf, size, "?");
	}
}

/* Bytes in wg's units: "123 B", "1.50 KiB", ... two decimals, no FP. */
void kn_format_bytes(uint64_t n, char *buf, size_t size)
{
	static const char * const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int u = 0;
	uint64_t div = 1024;

	if (n < 1024) {
		snprintf(buf, size, "%" PRIu64 " B", n);
		return;
	}
	while (u + 1 < KN_ARRAY_SIZE(units) && n / div >= 1024) {
		div *= 1024;
		u++;
	}
	/*
	 * Hundredths, rounded half up.  For the largest units rem * 100 could
	 * overflow: scale rem and div down together until it cannot.
	 */
	{
		uint64_t whole = n / div, rem = n % div, d = div, hund;

		while (rem > UINT64_MAX / 128) {
			rem >>= 1;
			d >>= 1;
		}
		hund = (rem * 100 + d / 2) / d;

		if (hund >= 100) {
			whole++;
			hund -= 100;
		}
		snprintf(buf, size, "%" PRIu64 ".%02" PRIu64 " %s", whole, hund, units[u]);
	}
}

/*
 * Run a show command: @fn prints into a memory buffer (as text, or as the
 * members of one JSON array with -j), which reaches stdout only once
 * every request completed.  A dump interrupted by a concurrent change
 * (NLM_F_DUMP_INTR, reported as -EINTR) restarts the whole show, so the
 * output is never a mix of two states.  Returns the exit status.
 */
int kn_show_run(kn_show_fn fn, void *arg)
{
	struct kn_show s = { .arg = arg };
	int ret = -EINTR, tries;

	s.nl = kn_nl_open();
	if (!s.nl)
		return KN_EXIT_FAIL;
	for (tries = 0; tries < 5 && ret == -EINTR; tries++) {
		char *buf = NULL;
		size_t len = 0;

		s.out = open_memstream(&buf, &len);
		if (!s.out) {
			kn_err("out of memory");
			ret = -ENOMEM;
			break;
		}
		s.json = NULL;
		if (kn_opts.json) {
			s.json = kn_json_new(s.out, kn_opts.pretty);
			if (!s.json) {
				fclose(s.out);
				free(buf);
				kn_err("out of memory");
				ret = -ENOMEM;
				break;
			}
			kn_json_open(s.json, NULL, '[');
		}
		ret = fn(&s);
		if (s.json) {
			kn_json_close(s.json, ']');
			kn_json_free(s.json);
		}
		fclose(s.out);
		if (!ret)
			fwrite(buf, 1, len, stdout);
		free(buf);
	}
	if (ret == -EINTR)
		kn_err("the configuration kept changing during the dump; try again");
	kn_nl_close(s.nl);
	return ret ? KN_EXIT_FAIL : 0;
}

/* Send one request that expects only an ack; returns the exit status. */
int kn_nl_do(struct kn_nl *nl, struct nl_msg *msg)
{
	return kn_nl_talk(nl, msg, NULL, NULL) ? KN_EXIT_FAIL : 0;
}

/*
 * kn_nl_do() for a request holding a secret key: keep a reference across
 * kn_nl_talk() (which frees its message) so that the buffer can be wiped
 * before libnl releases it.
 */
int kn_nl_do_secret(struct kn_nl *nl, struct nl_msg *msg)
{
	int ret;

	nlmsg_get(msg);
	ret = kn_nl_do(nl, msg);
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	return ret;
}
