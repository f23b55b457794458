/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The LAN beacon frame (docs/beacons.md), as pure functions: built and
 * checked the same way in the kernel and in the userspace unit test and
 * fuzzer.  Nothing here locks, allocates or logs.
 *
 * A frame is one UDP payload of exactly KN_BEACON_LEN bytes:
 *
 *   off len
 *     0   4  magic "KNB1" (names the version: another layout, another magic)
 *     4   1  type: 1 announce (broadcast), 2 reply (unicast, to an announce)
 *     5   1  reserved, zero
 *     6   2  the sender's keynet listen port, big endian, not 0
 *     8  32  the sender's Curve25519 public key
 *    40   8  stamp, big endian: strictly increasing per sender (its wall
 *            clock in ns, bumped past the previous stamp), so a receiver
 *            can tell a replayed frame from a new one
 *    48  16  MAC: keyed BLAKE2s-128 over bytes 0..47 under mac_key
 *
 * Keys derived from the 32-byte beacon key B (HMAC-BLAKE2s, the PRF of
 * WireGuard's KDF):
 *   mac_key = HMAC-BLAKE2s(B, "keynet beacon mac v1")
 *   psk     = HMAC-BLAKE2s(B, "keynet beacon psk v1")   (auto-peers' PSK)
 */
#ifndef _KN_BEACON_FRAME_H
#define _KN_BEACON_FRAME_H

#include "pure.h"
#include "crypto.h"

#define KN_BEACON_LEN		64
#define KN_BEACON_MAC_OFF	48
#define KN_BEACON_MAC_LEN	16
#define KN_BEACON_KEY_LEN	32

enum kn_beacon_type {
	KN_BEACON_ANNOUNCE	= 1,
	KN_BEACON_REPLY		= 2,
};

/* What a beacon key gives; secret, wipe with kn_memzero(). */
struct kn_beacon_keys {
	u8 mac_key[KN_BEACON_KEY_LEN];
	u8 psk[KN_BEACON_KEY_LEN];
};

/* The fields of a frame, without its MAC. */
struct kn_beacon_info {
	u8 type;		/* enum kn_beacon_type */
	u16 port;		/* host order */
	u8 public_key[KN_BEACON_KEY_LEN];
	u64 stamp;
};

void kn_beacon_derive_keys(struct kn_beacon_keys *k,
			   const u8 beacon_key[KN_BEACON_KEY_LEN]);

/* Write the frame of @info, MAC included, to @out. */
void kn_beacon_frame_encode(u8 out[KN_BEACON_LEN],
			    const u8 mac_key[KN_BEACON_KEY_LEN],
			    const struct kn_beacon_info *info);

/*
 * Check the layout of @len bytes at @buf and fill @info: -EINVAL when the
 * length, magic, type, reserved byte or port is wrong (a malformed frame
 * or another version).  The MAC is not checked: kn_beacon_frame_mac_ok().
 */
int kn_beacon_frame_parse(const void *buf, size_t len, struct kn_beacon_info *info);

/* Whether the MAC of a frame that parsed verifies (constant time). */
bool kn_beacon_frame_mac_ok(const void *buf, const u8 mac_key[KN_BEACON_KEY_LEN]);

/*
 * The freshness of a verified frame's stamp, judged by the receiver:
 * STALE when it is further than @window ns from the receiver's wall clock
 * @now, before or after (@window 0: not checked); else REPLAYED when the
 * receiver remembers a stamp @last from the same key and @stamp is not
 * above it (@last NULL: none remembered); else OK.  The window bounds for
 * how long a captured frame can be replayed to a receiver that forgot
 * the key (or never knew it); @last stops a replay inside the window.
 */
enum kn_beacon_stamp_verdict {
	KN_BEACON_STAMP_OK,
	KN_BEACON_STAMP_STALE,
	KN_BEACON_STAMP_REPLAYED,
};

enum kn_beacon_stamp_verdict kn_beacon_stamp_check(u64 stamp, u64 now, u64 window,
						   const u64 *last);

/* A key as standard base64 (44 characters and a NUL), for log lines. */
void kn_beacon_key_b64(const u8 key[KN_BEACON_KEY_LEN], char out[45]);

#endif /* _KN_BEACON_FRAME_H */
