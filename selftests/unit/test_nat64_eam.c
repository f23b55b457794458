// kn-sources: nat64_eam.c
// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 7757 Explicit Address Mapping table: building (sorting, refusals
 * naming the two conflicting entries), longest-prefix lookups both ways,
 * suffix copying, and a brute-force cross-check on random tables.
 */
#include <stdint.h>
#include <sys/socket.h>
#include "kn_test.h"
#include "nat64_eam.h"

/* <arpa/inet.h> would redefine pure.h's htonl() and friends. */
int inet_pton(int af, const char *src, void *dst);

static struct kn_eam ent(const char *v4, unsigned int len4, const char *v6, u32 id)
{
	struct kn_eam e = { .len4 = len4, .id = id };
	__be32 a;

	if (inet_pton(AF_INET, v4, &a) != 1 || inet_pton(AF_INET6, v6, e.v6) != 1)
		abort();
	e.v4 = be32_to_cpu(a);
	return e;
}

static __be32 ip4(const char *s)
{
	__be32 a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return a;
}

static void ip6(const char *s, u8 out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		abort();
}

/* RFC 7757 section 3.3's example shape: a /24 <-> /120, suffix copied. */
static void test_translate(void)
{
	struct kn_eam e[3];
	struct kn_eam_ix ix[3];
	struct kn_eam_table t;
	struct kn_eam_conflict why;
	u8 out[16], want[16];
	__be32 v4;

	e[0] = ent("192.0.2.0", 24, "2001:db8:aaaa::", 1);
	e[1] = ent("198.51.100.7", 32, "2001:db8:1::7", 2);
	e[2] = ent("203.0.113.0", 28, "2001:db8:bbbb::10", 3);
	KN_CHECK(kn_eam_build(&t, e, ix, 3, false, &why) == 0, "err %d", why.err);

	KN_CHECK(kn_eam_4to6(&t, ip4("192.0.2.1"), out));
	ip6("2001:db8:aaaa::1", want);
	KN_CHECK_MEM(out, want, 16);
	KN_CHECK(kn_eam_4to6(&t, ip4("192.0.2.255"), out));
	ip6("2001:db8:aaaa::ff", want);
	KN_CHECK_MEM(out, want, 16);
	KN_CHECK(kn_eam_4to6(&t, ip4("203.0.113.15"), out));
	ip6("2001:db8:bbbb::1f", want);
	KN_CHECK_MEM(out, want, 16);
	KN_CHECK(!kn_eam_4to6(&t, ip4("203.0.113.16"), out));
	KN_CHECK(!kn_eam_4to6(&t, ip4("192.0.3.1"), out));

	ip6("2001:db8:aaaa::2a", want);
	KN_CHECK(kn_eam_6to4(&t, want, &v4));
	KN_CHECK(v4 == ip4("192.0.2.42"));
	ip6("2001:db8:1::7", want);
	KN_CHECK(kn_eam_6to4(&t, want, &v4) && v4 == ip4("198.51.100.7"));
	ip6("2001:db8:1::8", want);
	KN_CHECK(!kn_eam_6to4(&t, want, &v4));
	ip6("2001:db8:aaaa::1:1", want);	/* outside the /120 */
	KN_CHECK(!kn_eam_6to4(&t, want, &v4));
	KN_CHECK(kn_eam_find4(&t, ip4("198.51.100.7"))->id == 2);
}

static void test_refusals(void)
{
	struct kn_eam e[2];
	struct kn_eam_ix ix[2];
	struct kn_eam_table t;
	struct kn_eam_conflict why;

	e[0] = ent("192.0.2.1", 24, "2001:db8::", 7);
	KN_CHECK(kn_eam_build(&t, e, ix, 1, false, &why) == -1 &&
		 why.err == KN_EAM_HOST_BITS && why.a == 7);
	e[0] = ent("192.0.2.0", 24, "2001:db8::1", 7);
	KN_CHECK(kn_eam_build(&t, e, ix, 1, false, &why) == -1 &&
		 why.err == KN_EAM_HOST_BITS);
	e[0] = ent("192.0.2.0", 33, "2001:db8::", 7);
	KN_CHECK(kn_eam_build(&t, e, ix, 1, false, &why) == -1 &&
		 why.err == KN_EAM_BAD_LEN);

	e[0] = ent("192.0.2.0", 24, "2001:db8:1::", 1);
	e[1] = ent("192.0.2.0", 24, "2001:db8:2::", 2);
	KN_CHECK(kn_eam_build(&t, e, ix, 2, true, &why) == -1 &&
		 why.err == KN_EAM_DUP4 && why.a + why.b == 3);
	e[0] = ent("192.0.2.0", 24, "2001:db8:1::", 1);
	e[1] = ent("192.0.3.0", 24, "2001:db8:1::", 2);
	KN_CHECK(kn_eam_build(&t, e, ix, 2, true, &why) == -1 &&
		 why.err == KN_EAM_DUP6 && why.a + why.b == 3);

	/* Nested on the IPv4 side: the outer one is named first. */
	e[0] = ent("192.0.2.8", 29, "2001:db8:2::", 2);
	e[1] = ent("192.0.2.0", 24, "2001:db8:1::", 1);
	KN_CHECK(kn_eam_build(&t, e, ix, 2, false, &why) == -1 &&
		 why.err == KN_EAM_NEST4 && why.a == 1 && why.b == 2);
	/* Nested on the IPv6 side only. */
	e[0] = ent("10.0.0.8", 29, "2001:db8:1::8", 2);
	e[1] = ent("192.0.2.0", 24, "2001:db8:1::", 1);
	KN_CHECK(kn_eam_build(&t, e, ix, 2, false, &why) == -1 &&
		 why.err == KN_EAM_NEST6 && why.a == 1 && why.b == 2);
	KN_CHECK(strlen(kn_eam_strerror(why.err)) > 10);
}

/* Nested maps when allowed: the longest match wins both ways. */
static void test_longest_match(void)
{
	struct kn_eam e[3];
	struct kn_eam_ix ix[3];
	struct kn_eam_table t;
	struct kn_eam_conflict why;
	u8 a6[16], want[16];
	__be32 v4;

	e[0] = ent("192.0.2.0", 24, "2001:db8:1::", 1);
	e[1] = ent("192.0.2.8", 29, "2001:db8:2::", 2);
	e[2] = ent("0.0.0.0", 0, "2001:db8:ffff::", 3);
	KN_CHECK(kn_eam_build(&t, e, ix, 3, true, &why) == 0);
	KN_CHECK(kn_eam_find4(&t, ip4("192.0.2.9"))->id == 2);
	KN_CHECK(kn_eam_find4(&t, ip4("192.0.2.7"))->id == 1);
	KN_CHECK(kn_eam_find4(&t, ip4("8.8.8.8"))->id == 3);
	KN_CHECK(kn_eam_4to6(&t, ip4("192.0.2.9"), a6));
	ip6("2001:db8:2::1", want);
	KN_CHECK_MEM(a6, want, 16);
	KN_CHECK(kn_eam_4to6(&t, ip4("8.8.8.8"), a6));
	ip6("2001:db8:ffff::808:808", want);
	KN_CHECK_MEM(a6, want, 16);
	KN_CHECK(kn_eam_6to4(&t, want, &v4) && v4 == ip4("8.8.8.8"));
}

static void test_empty(void)
{
	struct kn_eam_table t;
	struct kn_eam_conflict why;
	u8 a6[16] = { 0 };
	__be32 v4;

	KN_CHECK(kn_eam_build(&t, NULL, NULL, 0, false, &why) == 0);
	KN_CHECK(!kn_eam_4to6(&t, ip4("1.2.3.4"), a6));
	KN_CHECK(!kn_eam_6to4(&t, a6, &v4));
}

/* Random disjoint tables: every lookup agrees with a linear scan. */
static const struct kn_eam *scan4(const struct kn_eam *e, u32 n, u32 h)
{
	const struct kn_eam *best = NULL;

	for (u32 i = 0; i < n; i++) {
		u32 m = e[i].len4 ? ~0u << (32 - e[i].len4) : 0;

		if ((h & m) == e[i].v4 && (!best || e[i].len4 > best->len4))
			best = &e[i];
	}
	return best;
}

static void test_random(void)
{
	enum { N = 2000 };
	static struct kn_eam e[N];
	static struct kn_eam_ix ix[N];
	struct kn_eam_table t;
	struct kn_eam_conflict why;
	u32 seed = 12345, n = 0;

	/* Disjoint: a distinct /24 of 10/8 each, prefixes 24..32 long. */
	for (u32 i = 0; i < N; i++) {
		unsigned int len;
		u32 v4;

		seed = seed * 1103515245 + 12345;
		len = 24 + (seed >> 8) % 9;
		v4 = (10u << 24) | ((i & 0xff) << 16) | ((i >> 8) << 8);
		v4 &= len ? ~0u << (32 - len) : 0;
		e[n] = (struct kn_eam){ .v4 = v4, .len4 = len, .id = i };
		memset(e[n].v6, 0, 16);
		e[n].v6[0] = 0x20;
		e[n].v6[1] = 0x01;
		kn_put_be32(e[n].v6 + 4, i);
		n++;
	}
	KN_CHECK(kn_eam_build(&t, e, ix, n, false, &why) == 0, "err %d %u %u",
		 why.err, why.a, why.b);
	for (u32 k = 0; k < 20000; k++) {
		const struct kn_eam *a, *b;
		u32 h;

		seed = seed * 1103515245 + 12345;
		h = (10u << 24) | (seed >> 4 & 0xffffff);
		a = kn_eam_find4(&t, cpu_to_be32(h));
		b = scan4(e, n, h);
		KN_CHECK(a == b, "h %08x", h);
		if (a) {
			u8 a6[16];
			__be32 back;

			KN_CHECK(kn_eam_4to6(&t, cpu_to_be32(h), a6));
			KN_CHECK(kn_eam_6to4(&t, a6, &back) && back == cpu_to_be32(h));
		}
	}
}

/* The exact entry of a set (for reloads: which maps stay), nested or not. */
static void test_find_exact(void)
{
	struct kn_eam e[3], q;
	struct kn_eam_ix ix[3];
	struct kn_eam_table t;
	struct kn_eam_conflict why;

	e[0] = ent("192.0.2.0", 24, "2001:db8:1::", 1);
	e[1] = ent("192.0.2.0", 28, "2001:db8:2::", 2);
	e[2] = ent("198.51.100.7", 32, "2001:db8:3::7", 3);
	KN_CHECK(kn_eam_build(&t, e, ix, 3, true, &why) == 0);
	q = ent("192.0.2.0", 24, "2001:db8:1::", 0);
	KN_CHECK(kn_eam_find_exact(&t, &q) && kn_eam_find_exact(&t, &q)->id == 1);
	q = ent("192.0.2.0", 28, "2001:db8:2::", 0);
	KN_CHECK(kn_eam_find_exact(&t, &q) && kn_eam_find_exact(&t, &q)->id == 2);
	q = ent("198.51.100.7", 32, "2001:db8:3::7", 0);
	KN_CHECK(kn_eam_find_exact(&t, &q) && kn_eam_find_exact(&t, &q)->id == 3);
	/* Same IPv4 prefix, another IPv6 prefix: a different map. */
	q = ent("192.0.2.0", 24, "2001:db8:9::", 0);
	KN_CHECK(!kn_eam_find_exact(&t, &q));
	q = ent("192.0.2.0", 25, "2001:db8:1::", 0);
	KN_CHECK(!kn_eam_find_exact(&t, &q));
	q = ent("198.51.100.6", 32, "2001:db8:3::7", 0);
	KN_CHECK(!kn_eam_find_exact(&t, &q));
	KN_CHECK(kn_eam_build(&t, NULL, NULL, 0, false, &why) == 0);
	KN_CHECK(!kn_eam_find_exact(&t, &q));
}

/* The part of a pool range a map holds (pool addresses never handed out). */
static void test_span4(void)
{
	struct kn_eam m = ent("192.0.2.0", 24, "2001:db8::", 0);
	u32 base = be32_to_cpu(ip4("192.0.2.128")), first = 99;

	/* A /25 range inside the map: all of it. */
	KN_CHECK(kn_eam_span4(&m, base, 128, &first) == 128 && first == 0);
	/* A /23 range around the map: the map's 256 addresses, at 256. */
	base = be32_to_cpu(ip4("192.0.2.0")) - 256;
	KN_CHECK(kn_eam_span4(&m, base, 512, &first) == 256 && first == 256);
	/* Straddling the map's end. */
	base = be32_to_cpu(ip4("192.0.2.250"));
	KN_CHECK(kn_eam_span4(&m, base, 16, &first) == 6 && first == 0);
	/* Disjoint, on either side. */
	KN_CHECK(kn_eam_span4(&m, be32_to_cpu(ip4("192.0.3.0")), 256, &first) == 0);
	KN_CHECK(kn_eam_span4(&m, be32_to_cpu(ip4("192.0.1.0")), 256, &first) == 0);
	/* A single-address map and range, at the top of the space. */
	m = ent("255.255.255.255", 32, "2001:db8::ffff:ffff", 0);
	KN_CHECK(kn_eam_span4(&m, 0xffffff00u, 256, &first) == 1 && first == 255);
	m = ent("198.51.100.7", 32, "2001:db8::7", 0);
	KN_CHECK(kn_eam_span4(&m, be32_to_cpu(ip4("198.51.100.7")), 1, &first) == 1 &&
		 first == 0);
	KN_CHECK(kn_eam_span4(&m, be32_to_cpu(ip4("198.51.100.8")), 1, &first) == 0);
}

int main(void)
{
	KN_RUN(test_translate);
	KN_RUN(test_refusals);
	KN_RUN(test_longest_match);
	KN_RUN(test_empty);
	KN_RUN(test_random);
	KN_RUN(test_find_exact);
	KN_RUN(test_span4);
	return kn_test_done();
}
