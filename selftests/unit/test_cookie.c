// kn-sources: noise.c cookie.c ../selftests/unit/crypto_user.c
// kn-libs: -lcrypto -lsodium
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of mac1/mac2 and cookie replies (cookie.c), checked against
 * an independent computation of the MACs from the whitepaper's formulas.
 */
/* KN_CHECK(cond) without a message expands to fprintf(stderr, ""). */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

#include "kn_test.h"
#include "noise.h"
#include "cookie.h"

static const u8 kn_addr4[4] = { 192, 0, 2, 1 };
static const u8 kn_addr6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const u64 kn_t0 = 5000 * KN_NSEC_PER_SEC;

struct kn_setup {
	struct kn_noise_local li, lr;		/* initiator, responder */
	struct kn_noise_hs hs;			/* initiator's hs for r */
	struct kn_cookie_maker maker;		/* initiator -> responder */
	struct kn_cookie_checker checker;	/* responder's */
	struct kn_msg_initiation m1;
};

static void kn_setup(struct kn_setup *s)
{
	u8 k[32], ts[12];

	memset(s, 0, sizeof(*s));
	kn_dh_generate(k);
	KN_CHECK(kn_noise_local_init(&s->li, k) == 0);
	kn_dh_generate(k);
	KN_CHECK(kn_noise_local_init(&s->lr, k) == 0);
	KN_CHECK(kn_noise_hs_init(&s->hs, &s->li, s->lr.static_public,
				  NULL) == 0);
	kn_cookie_maker_init(&s->maker, s->lr.static_public);
	kn_cookie_checker_init(&s->checker, s->lr.static_public);
	kn_noise_tai64n(ts, 1, 0);
	KN_CHECK(kn_noise_create_initiation(&s->li, &s->hs, ts, 0xabcdef01,
					    &s->m1) == 0);
}

static void test_mac1(void)
{
	struct kn_setup s;
	u8 key[32], mac[16], buf[8 + 32];
	size_t i, len;
	__be16 port = htons(51820);

	kn_setup(&s);
	kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1), kn_t0);
	/* mac1 = MAC(HASH("mac1----" || S_pub_r), msg[0:116]) */
	memcpy(buf, "mac1----", 8);
	memcpy(buf + 8, s.lr.static_public, 32);
	kn_hash(key, buf, sizeof(buf));
	kn_mac(mac, key, 32, &s.m1, 116);
	KN_CHECK_MEM(s.m1.macs.mac1, mac, 16);
	for (i = 0; i < 16; i++)
		KN_CHECK(s.m1.macs.mac2[i] == 0);
	KN_CHECK(s.maker.has_sent_mac1);
	KN_CHECK_MEM(s.maker.last_mac1_sent, mac, 16);

	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1),
				    kn_addr4, 4, port, false, kn_t0) ==
		 KN_COOKIE_VALID_MAC1);
	/* any modified byte up to and including mac1 breaks it */
	for (i = 0; i < 132; i++) {
		struct kn_msg_initiation t = s.m1;

		((u8 *)&t)[i] ^= 0x40;
		KN_CHECK(kn_cookie_validate(&s.checker, &t, sizeof(t),
					    kn_addr4, 4, port, false,
					    kn_t0) == KN_COOKIE_INVALID_MAC1,
			 "byte %zu", i);
	}
	/* the wrong checker (someone else's key) */
	{
		struct kn_cookie_checker other;

		kn_cookie_checker_init(&other, s.li.static_public);
		KN_CHECK(kn_cookie_validate(&other, &s.m1, sizeof(s.m1),
					    kn_addr4, 4, port, false,
					    kn_t0) == KN_COOKIE_INVALID_MAC1);
	}
	/* truncated / wrong type */
	for (len = 0; len < sizeof(s.m1) + 2; len++) {
		u8 b[160] = { 0 };

		if (len == sizeof(s.m1))
			continue;
		memcpy(b, &s.m1, sizeof(s.m1));
		KN_CHECK(kn_cookie_validate(&s.checker, b, len, kn_addr4, 4,
					    port, false, kn_t0) ==
			 KN_COOKIE_INVALID_MAC1, "len %zu", len);
	}
	/* a response carries mac1 as well, keyed by the initiator */
	{
		struct kn_msg_response m2;
		struct kn_cookie_maker rm;
		struct kn_cookie_checker ic;

		memset(&m2, 0x33, sizeof(m2));
		kn_put_le32(m2.header.type, KN_MSG_RESPONSE);
		kn_cookie_maker_init(&rm, s.li.static_public);
		kn_cookie_checker_init(&ic, s.li.static_public);
		kn_cookie_add_macs(&rm, &m2, sizeof(m2), kn_t0);
		KN_CHECK(kn_cookie_validate(&ic, &m2, sizeof(m2), kn_addr6,
					    16, port, true, kn_t0) ==
			 KN_COOKIE_VALID_MAC1);
		KN_CHECK(kn_cookie_validate(&s.checker, &m2, sizeof(m2),
					    kn_addr6, 16, port, true, kn_t0) ==
			 KN_COOKIE_INVALID_MAC1);
	}
}

static void test_cookie_roundtrip(void)
{
	struct kn_setup s;
	struct kn_msg_cookie_reply reply, t;
	__be16 port = htons(40000);
	u8 buf[18], expect[16], key[32], lbl[40];
	u32 rcv;
	size_t i;

	kn_setup(&s);
	kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1), kn_t0);
	KN_CHECK(kn_cookie_create_reply(&s.checker, &reply, &s.m1,
					sizeof(s.m1), kn_addr4, 4, port) ==
		 -EINVAL, "no secret yet");
	KN_CHECK(kn_cookie_checker_refresh(&s.checker, kn_t0));
	KN_CHECK(!kn_cookie_checker_refresh(&s.checker, kn_t0 + 1));
	KN_CHECK(kn_cookie_create_reply(&s.checker, &reply, &s.m1,
					sizeof(s.m1), kn_addr4, 4, port) == 0);
	KN_CHECK(kn_get_le32(&reply) == KN_MSG_COOKIE_REPLY);
	KN_CHECK(kn_cookie_reply_receiver(&reply, sizeof(reply), &rcv) == 0 &&
		 rcv == 0xabcdef01);
	/* decrypt independently: XAEAD(HASH("cookie--"||S_r), nonce, ...) */
	memcpy(lbl, "cookie--", 8);
	memcpy(lbl + 8, s.lr.static_public, 32);
	kn_hash(key, lbl, 40);
	{
		u8 c[16];

		KN_CHECK(kn_xaead_open(c, reply.encrypted_cookie, 32,
				       s.m1.macs.mac1, 16, reply.nonce, key));
		memcpy(buf, kn_addr4, 4);
		memcpy(buf + 4, &port, 2);
		kn_mac(expect, s.checker.secret, 32, buf, 6);
		KN_CHECK_MEM(c, expect, 16, "cookie = MAC(R, ip || port)");
	}

	/* tampered replies fail and leave no cookie */
	for (i = 0; i < sizeof(reply); i++) {
		t = reply;
		((u8 *)&t)[i] ^= 1;
		if (i >= 4 && i < 8)
			continue;	/* receiver: used for lookup only */
		KN_CHECK(kn_cookie_consume_reply(&s.maker, &t, sizeof(t),
						 kn_t0) < 0, "byte %zu", i);
	}
	for (i = 0; i < sizeof(reply); i++)
		KN_CHECK(kn_cookie_consume_reply(&s.maker, &reply, i, kn_t0) ==
			 -EINVAL);
	KN_CHECK(!s.maker.has_cookie);
	KN_CHECK(kn_cookie_consume_reply(&s.maker, &reply, sizeof(reply),
					 kn_t0) == 0);
	KN_CHECK(s.maker.has_cookie);
	KN_CHECK_MEM(s.maker.cookie, expect, 16);
	/* one reply per mac1: a second one is refused */
	KN_CHECK(kn_cookie_consume_reply(&s.maker, &reply, sizeof(reply),
					 kn_t0) == -EINVAL);

	/* now mac2 is put and verifies from the same source only */
	kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1), kn_t0 + 1);
	kn_mac(expect, s.maker.cookie, 16, &s.m1, 132);
	KN_CHECK_MEM(s.m1.macs.mac2, expect, 16);
	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1), kn_addr4,
				    4, port, true, kn_t0 + 2) ==
		 KN_COOKIE_VALID_MAC1_MAC2);
	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1), kn_addr4,
				    4, htons(40001), true, kn_t0 + 2) ==
		 KN_COOKIE_VALID_MAC1);
	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1), kn_addr6,
				    16, port, true, kn_t0 + 2) ==
		 KN_COOKIE_VALID_MAC1);
	/* not asked to check mac2 */
	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1), kn_addr4,
				    4, port, false, kn_t0 + 2) ==
		 KN_COOKIE_VALID_MAC1);
	/* a modified mac2 */
	{
		struct kn_msg_initiation m = s.m1;

		m.macs.mac2[3] ^= 1;
		KN_CHECK(kn_cookie_validate(&s.checker, &m, sizeof(m),
					    kn_addr4, 4, port, true,
					    kn_t0 + 2) ==
			 KN_COOKIE_VALID_MAC1);
	}

	/* the cookie expires after 120 s on the initiator */
	kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1),
			   kn_t0 + KN_COOKIE_MAX_AGE_NS - 1);
	KN_CHECK_MEM(s.m1.macs.mac2, expect, 16, "still fresh");
	kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1),
			   kn_t0 + KN_COOKIE_MAX_AGE_NS);
	for (i = 0; i < 16; i++)
		KN_CHECK(s.m1.macs.mac2[i] == 0, "expired cookie used");
}

static void test_secret_rotation(void)
{
	struct kn_setup s;
	struct kn_msg_cookie_reply reply;
	__be16 port = htons(1);
	u8 old[32];

	kn_setup(&s);
	KN_CHECK(kn_cookie_checker_refresh(&s.checker, kn_t0));
	memcpy(old, s.checker.secret, 32);
	kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1), kn_t0);
	KN_CHECK(kn_cookie_create_reply(&s.checker, &reply, &s.m1,
					sizeof(s.m1), kn_addr6, 16, port) ==
		 0);
	KN_CHECK(kn_cookie_consume_reply(&s.maker, &reply, sizeof(reply),
					 kn_t0) == 0);
	kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1), kn_t0 + 10);
	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1),
				    kn_addr6, 16, port, true,
				    kn_t0 + KN_COOKIE_SECRET_MAX_AGE_NS - 1) ==
		 KN_COOKIE_VALID_MAC1_MAC2);
	/* an expired secret validates no mac2, even before the refresh */
	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1),
				    kn_addr6, 16, port, true,
				    kn_t0 + KN_COOKIE_SECRET_MAX_AGE_NS) ==
		 KN_COOKIE_VALID_MAC1);
	KN_CHECK(!kn_cookie_checker_refresh(&s.checker, kn_t0 +
					    KN_COOKIE_SECRET_MAX_AGE_NS - 1));
	KN_CHECK(kn_cookie_checker_refresh(&s.checker, kn_t0 +
					   KN_COOKIE_SECRET_MAX_AGE_NS));
	KN_CHECK(memcmp(old, s.checker.secret, 32) != 0, "secret rotated");
	/* the old cookie no longer works with the new secret */
	KN_CHECK(kn_cookie_validate(&s.checker, &s.m1, sizeof(s.m1),
				    kn_addr6, 16, port, true,
				    kn_t0 + KN_COOKIE_SECRET_MAX_AGE_NS + 1) ==
		 KN_COOKIE_VALID_MAC1);
	/* a reply for another message (other mac1) is refused */
	{
		struct kn_msg_initiation other = s.m1;
		struct kn_cookie_maker m2;

		other.sender[0] ^= 1;
		kn_cookie_maker_init(&m2, s.lr.static_public);
		kn_cookie_add_macs(&m2, &other, sizeof(other), kn_t0);
		kn_cookie_add_macs(&s.maker, &s.m1, sizeof(s.m1), kn_t0);
		KN_CHECK(memcmp(other.macs.mac1, s.m1.macs.mac1, 16) != 0);
		KN_CHECK(kn_cookie_create_reply(&s.checker, &reply, &other,
						sizeof(other), kn_addr6, 16,
						port) == 0);
		KN_CHECK(kn_cookie_consume_reply(&s.maker, &reply,
						 sizeof(reply), kn_t0) ==
			 -EBADMSG);
	}
}

int main(void)
{
	KN_RUN(test_mac1);
	KN_RUN(test_cookie_roundtrip);
	KN_RUN(test_secret_rotation);
	return kn_test_done();
}
