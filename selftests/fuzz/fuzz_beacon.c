// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/beacon_frame.c, the LAN beacon frame.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kmod -I include \
 *	-o build/fuzz_beacon selftests/fuzz/fuzz_beacon.c kmod/beacon_frame.c \
 *	kmod/noise.c selftests/unit/crypto_user.c -lcrypto -lsodium
 *   build/fuzz_beacon -max_total_time=60 selftests/fuzz/corpus/beacon
 *
 * The first input byte picks a mode: 0 the rest is a frame as received;
 * 1 the rest is XORed over a valid frame (so the fuzzer also explores
 * near-valid frames).  Fixed beacon key.
 *
 * Properties: the parser reads only the bytes it is given and accepts
 * only KN_BEACON_LEN bytes with the magic, a known type, a zero reserved
 * byte and a non-zero port; a frame that parses re-encodes to the same
 * 48 bytes; a frame whose MAC verifies is exactly the encoding of what it
 * parsed to (one valid frame per content); the base64 of its key is 44
 * characters; the stamp check of its stamp against a clock and a window
 * read from the frame's own bytes (so they vary) is STALE exactly when the
 * distance exceeds the window, and REPLAYED only for a stamp not above
 * the last.
 */
#include <stdlib.h>
#include <string.h>
#include "beacon_frame.h"

#define FZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static struct kn_beacon_keys fz_keys;
static u8 fz_valid[KN_BEACON_LEN];

static void fz_setup(void)
{
	struct kn_beacon_info info = { .type = KN_BEACON_ANNOUNCE, .port = 27177,
				       .stamp = 0x1122334455667788ULL };
	u8 b[KN_BEACON_KEY_LEN];
	int i;

	for (i = 0; i < KN_BEACON_KEY_LEN; i++) {
		b[i] = (u8)(7 * i + 3);
		info.public_key[i] = (u8)(0x80 + i);
	}
	kn_beacon_derive_keys(&fz_keys, b);
	kn_beacon_frame_encode(fz_valid, fz_keys.mac_key, &info);
}

static void fz_stamp(const struct kn_beacon_info *info)
{
	u64 now = 0, window = 0, last, dist;
	enum kn_beacon_stamp_verdict v;
	int i;

	for (i = 0; i < 8; i++) {
		now = now << 8 | info->public_key[i];
		window = window << 8 | info->public_key[8 + i];
	}
	last = now ^ info->stamp;
	dist = info->stamp > now ? info->stamp - now : now - info->stamp;
	v = kn_beacon_stamp_check(info->stamp, now, window, &last);
	FZ_ASSERT((v == KN_BEACON_STAMP_STALE) == (window && dist > window));
	FZ_ASSERT(v != KN_BEACON_STAMP_REPLAYED || info->stamp <= last);
	FZ_ASSERT(v != KN_BEACON_STAMP_OK || info->stamp > last);
	v = kn_beacon_stamp_check(info->stamp, now, 0, NULL);
	FZ_ASSERT(v == KN_BEACON_STAMP_OK);
}

static void fz_check(const u8 *f, size_t len)
{
	struct kn_beacon_info info;
	u8 again[KN_BEACON_LEN];
	char b64[45];

	/* A heap copy of exactly @len bytes: ASan sees any over-read. */
	u8 *copy = malloc(len ? len : 1);

	FZ_ASSERT(copy);
	memcpy(copy, f, len);
	if (kn_beacon_frame_parse(copy, len, &info)) {
		free(copy);
		return;
	}
	FZ_ASSERT(len == KN_BEACON_LEN);
	FZ_ASSERT(!memcmp(copy, "KNB1", 4) && !copy[5] && info.port);
	FZ_ASSERT(info.type == KN_BEACON_ANNOUNCE || info.type == KN_BEACON_REPLY);
	kn_beacon_frame_encode(again, fz_keys.mac_key, &info);
	FZ_ASSERT(!memcmp(again, copy, KN_BEACON_MAC_OFF));
	if (kn_beacon_frame_mac_ok(copy, fz_keys.mac_key))
		FZ_ASSERT(!memcmp(again, copy, KN_BEACON_LEN));
	kn_beacon_key_b64(info.public_key, b64);
	FZ_ASSERT(strlen(b64) == 44);
	fz_stamp(&info);
	free(copy);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static int ready;
	u8 f[KN_BEACON_LEN];
	size_t i;

	if (!ready) {
		fz_setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	switch (data[0] % 2) {
	case 0:
		fz_check(data + 1, size - 1);
		break;
	default:
		memcpy(f, fz_valid, sizeof(f));
		for (i = 1; i < size; i++)
			f[(i - 1) % sizeof(f)] ^= data[i];
		fz_check(f, sizeof(f));
		break;
	}
	return 0;
}
