// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the handshake and transport parsers: noise.c,
 * cookie.c, replay.c.  The first input byte picks a mode:
 *   0 raw bytes as an initiation       3 raw bytes as a data message
 *   1 raw bytes as a response          4 a valid initiation, mutated
 *   2 raw bytes as a cookie reply      5 a valid response, mutated
 * (mutated: the rest of the input is XORed over the message, so the
 * fuzzer explores near-valid messages as well).  Fixed keys; state is
 * rebuilt for every input so runs are reproducible.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -I kmod
 * -I include, this file, kmod/noise.c kmod/cookie.c kmod/replay.c
 * selftests/unit/crypto_user.c, -lcrypto -lsodium.
 */
#include <stdlib.h>
#include "noise.h"
#include "cookie.h"
#include "replay.h"

struct kn_fz_end {
	struct kn_noise_local local;
	struct kn_noise_hs hs;
	struct kn_cookie_maker maker;
	struct kn_cookie_checker checker;
};

static struct kn_fz_end kn_fz_i, kn_fz_r;
static const u64 kn_fz_now = 1000ULL * KN_NSEC_PER_SEC;

static void kn_fz_die(const char *what)
{
	(void)what;
	abort();
}

static struct kn_noise_hs *kn_fz_lookup(void *ctx, const u8 *remote_static)
{
	struct kn_fz_end *e = ctx;

	return memcmp(e->hs.remote_static, remote_static, KN_KEY_LEN) ?
	       NULL : &e->hs;
}

static void kn_fz_setup(void)
{
	u8 k[KN_KEY_LEN];
	int i;

	memset(&kn_fz_i, 0, sizeof(kn_fz_i));
	memset(&kn_fz_r, 0, sizeof(kn_fz_r));
	for (i = 0; i < KN_KEY_LEN; i++)
		k[i] = (u8)(i + 1);
	if (kn_noise_local_init(&kn_fz_i.local, k))
		kn_fz_die("local i");
	for (i = 0; i < KN_KEY_LEN; i++)
		k[i] = (u8)(i + 100);
	if (kn_noise_local_init(&kn_fz_r.local, k))
		kn_fz_die("local r");
	if (kn_noise_hs_init(&kn_fz_i.hs, &kn_fz_i.local,
			     kn_fz_r.local.static_public, NULL) ||
	    kn_noise_hs_init(&kn_fz_r.hs, &kn_fz_r.local,
			     kn_fz_i.local.static_public, NULL))
		kn_fz_die("hs");
	kn_cookie_maker_init(&kn_fz_i.maker, kn_fz_r.local.static_public);
	kn_cookie_maker_init(&kn_fz_r.maker, kn_fz_i.local.static_public);
	kn_cookie_checker_init(&kn_fz_i.checker, kn_fz_i.local.static_public);
	kn_cookie_checker_init(&kn_fz_r.checker, kn_fz_r.local.static_public);
	kn_cookie_checker_refresh(&kn_fz_r.checker, kn_fz_now);
	kn_cookie_checker_refresh(&kn_fz_i.checker, kn_fz_now);
}

static void kn_fz_xor(u8 *msg, size_t len, const u8 *data, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		msg[i % len] ^= data[i];
}

/* Finish a handshake whose initiation the responder consumed. */
static void kn_fz_finish(void)
{
	struct kn_msg_response m2;
	struct kn_noise_keypair kp;

	if (kn_noise_create_response(&kn_fz_r.hs, 2, &m2))
		return;
	kn_cookie_add_macs(&kn_fz_r.maker, &m2, sizeof(m2), kn_fz_now);
	if (kn_noise_consume_response(&kn_fz_i.local, &kn_fz_i.hs, &m2,
				      sizeof(m2)) == 0)
		(void)kn_noise_derive_keypair(&kn_fz_i.hs, &kp, kn_fz_now);
	(void)kn_noise_derive_keypair(&kn_fz_r.hs, &kp, kn_fz_now);
}

static const u8 kn_fz_addr[4] = { 198, 51, 100, 7 };

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct kn_msg_initiation m1;
	struct kn_msg_response m2;
	struct kn_noise_hs *found;
	struct kn_noise_keypair kp;
	struct kn_replay replay;
	u8 ts[KN_TAI64N_LEN], out[2048], *copy;
	u32 idx;
	u64 ctr;
	int mode, n;

	if (size < 1)
		return 0;
	mode = data[0] % 6;
	data++;
	size--;
	kn_fz_setup();
	kn_noise_tai64n(ts, 1700000000, 0);

	/* An exact-size heap copy so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);

	switch (mode) {
	case 0:
		(void)kn_cookie_validate(&kn_fz_r.checker, copy, size,
					 kn_fz_addr, 4, 0x1234, true,
					 kn_fz_now);
		if (kn_noise_consume_initiation(&kn_fz_r.local, copy, size,
						kn_fz_lookup, &kn_fz_r,
						kn_fz_now, &found) == 0)
			kn_fz_finish();
		break;
	case 1:
		/* make the receiver index match so the crypto is reached */
		idx = size >= 12 ? kn_get_le32(copy + 8) : 0;
		if (kn_noise_create_initiation(&kn_fz_i.local, &kn_fz_i.hs, ts,
					       idx, &m1))
			break;
		(void)kn_noise_response_receiver(copy, size, &idx);
		(void)kn_cookie_validate(&kn_fz_i.checker, copy, size,
					 kn_fz_addr, 4, 0x1234, true,
					 kn_fz_now);
		if (kn_noise_consume_response(&kn_fz_i.local, &kn_fz_i.hs,
					      copy, size) == 0)
			(void)kn_noise_derive_keypair(&kn_fz_i.hs, &kp,
						      kn_fz_now);
		break;
	case 2:
		if (kn_noise_create_initiation(&kn_fz_i.local, &kn_fz_i.hs, ts,
					       1, &m1))
			break;
		kn_cookie_add_macs(&kn_fz_i.maker, &m1, sizeof(m1), kn_fz_now);
		(void)kn_cookie_reply_receiver(copy, size, &idx);
		if (kn_cookie_consume_reply(&kn_fz_i.maker, copy, size,
					    kn_fz_now) == 0)
			kn_cookie_add_macs(&kn_fz_i.maker, &m1, sizeof(m1),
					   kn_fz_now);
		break;
	case 3: {
		u8 key[KN_KEY_LEN] = { 7 };

		kn_replay_init(&replay);
		(void)kn_data_parse_header(copy, size, &idx, &ctr);
		n = kn_data_open(out, sizeof(out), copy, size, key, &ctr);
		if (n >= 0)
			(void)kn_replay_check_and_update(&replay, ctr);
		/* the replay window on arbitrary counters */
		for (size_t i = 0; i + 8 <= size; i += 8)
			(void)kn_replay_check_and_update(&replay,
							 kn_get_le64(copy + i));
		break;
	}
	case 4:
		if (kn_noise_create_initiation(&kn_fz_i.local, &kn_fz_i.hs, ts,
					       1, &m1))
			break;
		kn_cookie_add_macs(&kn_fz_i.maker, &m1, sizeof(m1), kn_fz_now);
		kn_fz_xor((u8 *)&m1, sizeof(m1), copy, size);
		(void)kn_cookie_validate(&kn_fz_r.checker, &m1, sizeof(m1),
					 kn_fz_addr, 4, 0x1234, true,
					 kn_fz_now);
		if (kn_noise_consume_initiation(&kn_fz_r.local, &m1,
						sizeof(m1), kn_fz_lookup,
						&kn_fz_r, kn_fz_now,
						&found) == 0)
			kn_fz_finish();
		break;
	case 5:
		if (kn_noise_create_initiation(&kn_fz_i.local, &kn_fz_i.hs, ts,
					       1, &m1) ||
		    kn_noise_consume_initiation(&kn_fz_r.local, &m1,
						sizeof(m1), kn_fz_lookup,
						&kn_fz_r, kn_fz_now, &found) ||
		    kn_noise_create_response(&kn_fz_r.hs, 2, &m2))
			kn_fz_die("valid handshake");
		kn_fz_xor((u8 *)&m2, sizeof(m2), copy, size);
		if (kn_noise_consume_response(&kn_fz_i.local, &kn_fz_i.hs, &m2,
					      sizeof(m2)) == 0 &&
		    kn_noise_derive_keypair(&kn_fz_i.hs, &kp, kn_fz_now))
			kn_fz_die("derive");
		break;
	}
	free(copy);
	return 0;
}
