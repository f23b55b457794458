// kn-sources: beacon_frame.c noise.c ../selftests/unit/crypto_user.c
// kn-libs: -lcrypto -lsodium
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the LAN beacon frame (beacon_frame.c): key derivation and
 * the frame against known answers computed independently with Python's
 * hmac and hashlib.blake2s (the same computation as the VM test's
 * forger), and the parser's refusals.
 */
/* KN_CHECK(cond) without a message expands to fprintf(stderr, ""). */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

#include "kn_test.h"
#include "beacon_frame.h"

/*
 * Known answers for beacon key 00 01 .. 1f, public key 40 41 .. 5f,
 * port 27177, stamp 0x0102030405060708, type announce:
 *   mac_key = hmac.new(B, b"keynet beacon mac v1", hashlib.blake2s)
 *   psk     = hmac.new(B, b"keynet beacon psk v1", hashlib.blake2s)
 *   mac     = hashlib.blake2s(frame[:48], key=mac_key, digest_size=16)
 */
static const u8 kn_want_mac_key[32] = {
	0xce, 0xa8, 0xb3, 0x68, 0xf9, 0xc0, 0xe0, 0x03, 0xad, 0x49, 0x49,
	0x7d, 0x07, 0x13, 0x42, 0x8a, 0x1c, 0x29, 0x0a, 0xe1, 0x02, 0x43,
	0x3c, 0x00, 0x39, 0x7a, 0xdd, 0x78, 0x18, 0x25, 0xfc, 0xd9,
};
static const u8 kn_want_psk[32] = {
	0xbe, 0x75, 0x67, 0x63, 0xc5, 0x8f, 0x62, 0xa6, 0x0a, 0x4e, 0x98,
	0x55, 0x2e, 0x50, 0x55, 0x6c, 0x52, 0x74, 0x7f, 0x52, 0x0d, 0x70,
	0x69, 0x5c, 0x06, 0x92, 0xe5, 0x48, 0xc9, 0x62, 0xd6, 0x98,
};
static const u8 kn_want_mac[16] = {
	0xf4, 0xd1, 0xae, 0x11, 0xf7, 0x33, 0xb5, 0x1b, 0xb5, 0xc6, 0xe2,
	0xd7, 0xeb, 0xf6, 0xd4, 0x65,
};

static void kn_setup(struct kn_beacon_keys *k, struct kn_beacon_info *info)
{
	u8 b[32];
	int i;

	for (i = 0; i < 32; i++) {
		b[i] = (u8)i;
		info->public_key[i] = (u8)(0x40 + i);
	}
	kn_beacon_derive_keys(k, b);
	info->type = KN_BEACON_ANNOUNCE;
	info->port = 27177;
	info->stamp = 0x0102030405060708ULL;
}

static void test_derive(void)
{
	struct kn_beacon_keys k;
	struct kn_beacon_info info;
	u8 other[32] = { 1 };
	struct kn_beacon_keys k2;

	kn_setup(&k, &info);
	KN_CHECK_MEM(k.mac_key, kn_want_mac_key, 32, "mac key");
	KN_CHECK_MEM(k.psk, kn_want_psk, 32, "psk");
	KN_CHECK(memcmp(k.mac_key, k.psk, 32) != 0);
	kn_beacon_derive_keys(&k2, other);
	KN_CHECK(memcmp(k.mac_key, k2.mac_key, 32) != 0, "keys depend on the beacon key");
}

static void test_encode(void)
{
	static const u8 head[8] = { 'K', 'N', 'B', '1', 1, 0, 0x6a, 0x29 };
	static const u8 stamp[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct kn_beacon_keys k;
	struct kn_beacon_info info, got;
	u8 f[KN_BEACON_LEN];

	kn_setup(&k, &info);
	kn_beacon_frame_encode(f, k.mac_key, &info);
	KN_CHECK_MEM(f, head, 8, "header");
	KN_CHECK_MEM(f + 8, info.public_key, 32, "public key");
	KN_CHECK_MEM(f + 40, stamp, 8, "stamp");
	KN_CHECK_MEM(f + 48, kn_want_mac, 16, "mac");
	KN_CHECK(kn_beacon_frame_parse(f, sizeof(f), &got) == 0);
	KN_CHECK(got.type == KN_BEACON_ANNOUNCE && got.port == 27177 &&
		 got.stamp == info.stamp);
	KN_CHECK_MEM(got.public_key, info.public_key, 32);
	KN_CHECK(kn_beacon_frame_mac_ok(f, k.mac_key));

	info.type = KN_BEACON_REPLY;
	kn_beacon_frame_encode(f, k.mac_key, &info);
	KN_CHECK(kn_beacon_frame_parse(f, sizeof(f), &got) == 0 &&
		 got.type == KN_BEACON_REPLY);
	KN_CHECK(kn_beacon_frame_mac_ok(f, k.mac_key));
}

static void test_refusals(void)
{
	struct kn_beacon_keys k, other;
	struct kn_beacon_info info, got;
	u8 f[KN_BEACON_LEN + 1], g[KN_BEACON_LEN], b2[32];
	unsigned int i;

	kn_setup(&k, &info);
	kn_beacon_frame_encode(f, k.mac_key, &info);
	/* Length: one byte short or long. */
	KN_CHECK(kn_beacon_frame_parse(f, KN_BEACON_LEN - 1, &got) == -EINVAL);
	f[KN_BEACON_LEN] = 0;
	KN_CHECK(kn_beacon_frame_parse(f, KN_BEACON_LEN + 1, &got) == -EINVAL);
	KN_CHECK(kn_beacon_frame_parse(f, 0, &got) == -EINVAL);
	/* Magic (another version), type, reserved, port 0. */
	memcpy(g, f, sizeof(g));
	g[3] = '2';
	KN_CHECK(kn_beacon_frame_parse(g, sizeof(g), &got) == -EINVAL, "magic");
	memcpy(g, f, sizeof(g));
	g[4] = 0;
	KN_CHECK(kn_beacon_frame_parse(g, sizeof(g), &got) == -EINVAL, "type 0");
	g[4] = 3;
	KN_CHECK(kn_beacon_frame_parse(g, sizeof(g), &got) == -EINVAL, "type 3");
	memcpy(g, f, sizeof(g));
	g[5] = 1;
	KN_CHECK(kn_beacon_frame_parse(g, sizeof(g), &got) == -EINVAL, "reserved");
	info.port = 0;
	kn_beacon_frame_encode(g, k.mac_key, &info);
	KN_CHECK(kn_beacon_frame_parse(g, sizeof(g), &got) == -EINVAL, "port 0");

	/* Every single-bit flip of the MACed part or the MAC is refused. */
	for (i = 0; i < KN_BEACON_LEN * 8; i++) {
		memcpy(g, f, sizeof(g));
		g[i / 8] ^= (u8)(1 << (i % 8));
		if (kn_beacon_frame_mac_ok(g, k.mac_key)) {
			KN_CHECK(0, "bit %u flipped and still verified", i);
			break;
		}
	}
	/* Another beacon key does not verify. */
	memset(b2, 0x55, sizeof(b2));
	kn_beacon_derive_keys(&other, b2);
	KN_CHECK(!kn_beacon_frame_mac_ok(f, other.mac_key));
}

static void test_b64(void)
{
	u8 k[32];
	char out[45];
	int i;

	for (i = 0; i < 32; i++)
		k[i] = (u8)(0x40 + i);
	kn_beacon_key_b64(k, out);
	KN_CHECK(!strcmp(out, "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="), "%s", out);
	memset(k, 0xff, sizeof(k));
	kn_beacon_key_b64(k, out);
	KN_CHECK(!strcmp(out, "//////////////////////////////////////////8="), "%s", out);
}

/* kn_beacon_stamp_check(): the window on both sides, then the last stamp. */
static void test_stamp(void)
{
	const u64 s = 1000000000000000000ULL, w = 300000000000ULL; /* 300 s */
	u64 last;

	KN_CHECK(kn_beacon_stamp_check(s, s, w, NULL) == KN_BEACON_STAMP_OK);
	/* The edges of the window are inside it, one ns beyond is not. */
	KN_CHECK(kn_beacon_stamp_check(s - w, s, w, NULL) == KN_BEACON_STAMP_OK);
	KN_CHECK(kn_beacon_stamp_check(s + w, s, w, NULL) == KN_BEACON_STAMP_OK);
	KN_CHECK(kn_beacon_stamp_check(s - w - 1, s, w, NULL) == KN_BEACON_STAMP_STALE);
	KN_CHECK(kn_beacon_stamp_check(s + w + 1, s, w, NULL) == KN_BEACON_STAMP_STALE);
	/* Extremes do not wrap around. */
	KN_CHECK(kn_beacon_stamp_check(0, s, w, NULL) == KN_BEACON_STAMP_STALE);
	KN_CHECK(kn_beacon_stamp_check(~0ULL, s, w, NULL) == KN_BEACON_STAMP_STALE);
	KN_CHECK(kn_beacon_stamp_check(~0ULL, 0, w, NULL) == KN_BEACON_STAMP_STALE);
	KN_CHECK(kn_beacon_stamp_check(0, ~0ULL, w, NULL) == KN_BEACON_STAMP_STALE);
	KN_CHECK(kn_beacon_stamp_check(w, 0, w, NULL) == KN_BEACON_STAMP_OK);
	/* Window 0: no clock check at all. */
	KN_CHECK(kn_beacon_stamp_check(0, s, 0, NULL) == KN_BEACON_STAMP_OK);
	KN_CHECK(kn_beacon_stamp_check(~0ULL, s, 0, NULL) == KN_BEACON_STAMP_OK);
	/* A remembered stamp: only a higher one passes. */
	last = s;
	KN_CHECK(kn_beacon_stamp_check(s, s, w, &last) == KN_BEACON_STAMP_REPLAYED);
	KN_CHECK(kn_beacon_stamp_check(s - 1, s, w, &last) == KN_BEACON_STAMP_REPLAYED);
	KN_CHECK(kn_beacon_stamp_check(s + 1, s, w, &last) == KN_BEACON_STAMP_OK);
	KN_CHECK(kn_beacon_stamp_check(s, s, 0, &last) == KN_BEACON_STAMP_REPLAYED);
	/* Outside the window wins: it is stale whatever was remembered. */
	KN_CHECK(kn_beacon_stamp_check(s - w - 1, s, w, &last) == KN_BEACON_STAMP_STALE);
	last = 0;
	KN_CHECK(kn_beacon_stamp_check(0, 0, w, &last) == KN_BEACON_STAMP_REPLAYED);
}

int main(void)
{
	KN_RUN(test_derive);
	KN_RUN(test_encode);
	KN_RUN(test_refusals);
	KN_RUN(test_b64);
	KN_RUN(test_stamp);
	return kn_test_done();
}
