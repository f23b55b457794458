/* SPDX-License-Identifier: GPL-2.0 */
/*
 * WireGuard wire formats (whitepaper section 5.4) as keynet speaks them.
 *
 * Every multi-byte field is a byte array: the messages arrive at any
 * alignment inside skbs, so the structs have alignment 1, contain no
 * padding, and integer fields are read with kn_get_le32()/kn_get_le64()
 * and written with kn_put_le32()/kn_put_le64().  All integers on the wire
 * are little-endian.  The first four bytes of every message are the type
 * as a little-endian u32, i.e. the type byte followed by three zero bytes;
 * a message whose reserved bytes are not zero is malformed.
 *
 * Indices (sender/receiver) are opaque 32-bit values chosen by the side
 * that receives them back; keynet keeps them as the host-order value of
 * the little-endian field.
 */
#ifndef _KN_MESSAGES_H
#define _KN_MESSAGES_H

#include "pure.h"

#define KN_MSG_INITIATION	1
#define KN_MSG_RESPONSE		2
#define KN_MSG_COOKIE_REPLY	3
#define KN_MSG_DATA		4

#define KN_KEY_LEN		32	/* Curve25519 keys, symmetric keys, PSK */
#define KN_HASH_LEN		32	/* BLAKE2s-256 output */
#define KN_AEAD_TAG_LEN		16	/* Poly1305 tag */
#define KN_XNONCE_LEN		24	/* XChaCha20-Poly1305 nonce */
#define KN_MAC_LEN		16	/* keyed BLAKE2s-128: mac1, mac2, cookie */
#define KN_COOKIE_LEN		16
#define KN_TAI64N_LEN		12
#define KN_DATA_PADDING		16	/* transport payloads padded to this */

struct kn_msg_header {
	u8 type[4];			/* LE32: type, reserved bytes zero */
};

/* mac1 and mac2 end both handshake messages. */
struct kn_msg_macs {
	u8 mac1[KN_MAC_LEN];
	u8 mac2[KN_MAC_LEN];
};

struct kn_msg_initiation {
	struct kn_msg_header header;
	u8 sender[4];
	u8 ephemeral[KN_KEY_LEN];
	u8 encrypted_static[KN_KEY_LEN + KN_AEAD_TAG_LEN];
	u8 encrypted_timestamp[KN_TAI64N_LEN + KN_AEAD_TAG_LEN];
	struct kn_msg_macs macs;
};

struct kn_msg_response {
	struct kn_msg_header header;
	u8 sender[4];
	u8 receiver[4];
	u8 ephemeral[KN_KEY_LEN];
	u8 encrypted_nothing[KN_AEAD_TAG_LEN];
	struct kn_msg_macs macs;
};

struct kn_msg_cookie_reply {
	struct kn_msg_header header;
	u8 receiver[4];
	u8 nonce[KN_XNONCE_LEN];
	u8 encrypted_cookie[KN_COOKIE_LEN + KN_AEAD_TAG_LEN];
};

/* Followed by the AEAD-sealed, zero-padded payload and its tag. */
struct kn_msg_data {
	struct kn_msg_header header;
	u8 receiver[4];
	u8 counter[8];
};

#define KN_MSG_INITIATION_LEN	148
#define KN_MSG_RESPONSE_LEN	92
#define KN_MSG_COOKIE_REPLY_LEN	64
#define KN_MSG_DATA_HDR_LEN	16
/* The smallest data message is a keepalive: header and tag only. */
#define KN_MSG_DATA_MIN_LEN	(KN_MSG_DATA_HDR_LEN + KN_AEAD_TAG_LEN)

/*
 * Offsets of mac1 and mac2 from the start of a handshake message of total
 * length @len: mac1 covers bytes [0, len - 32), mac2 covers [0, len - 16).
 */
#define KN_MSG_MAC1_OFFSET(len)	((len) - 2 * KN_MAC_LEN)
#define KN_MSG_MAC2_OFFSET(len)	((len) - KN_MAC_LEN)

/* Limits of the transport counter (whitepaper section 6). */
#define KN_REKEY_AFTER_MESSAGES		0x1000000000000000ULL	/* 2^60 */
#define KN_REJECT_AFTER_MESSAGES	(~0ULL - (1ULL << 13))	/* 2^64-2^13-1 */

/* Timers (whitepaper section 6), in nanoseconds. */
#define KN_NSEC_PER_SEC			1000000000ULL
#define KN_REKEY_AFTER_TIME_NS		(120 * KN_NSEC_PER_SEC)
#define KN_REJECT_AFTER_TIME_NS		(180 * KN_NSEC_PER_SEC)
#define KN_REKEY_ATTEMPT_TIME_NS	(90 * KN_NSEC_PER_SEC)
#define KN_REKEY_TIMEOUT_NS		(5 * KN_NSEC_PER_SEC)
#define KN_REKEY_TIMEOUT_JITTER_MAX_NS	(333 * 1000000ULL)
#define KN_KEEPALIVE_TIMEOUT_NS		(10 * KN_NSEC_PER_SEC)
#define KN_COOKIE_SECRET_MAX_AGE_NS	(120 * KN_NSEC_PER_SEC)
#define KN_COOKIE_MAX_AGE_NS		(120 * KN_NSEC_PER_SEC)

/* Read the type of a message; 0 when too short or reserved bytes set. */
static inline u32 kn_msg_type(const void *msg, size_t len)
{
	u32 type;

	if (len < sizeof(struct kn_msg_header))
		return 0;
	type = kn_get_le32(msg);
	if (type < KN_MSG_INITIATION || type > KN_MSG_DATA)
		return 0;
	return type;
}

static inline void kn_msg_check_layout(void)
{
	BUILD_BUG_ON(sizeof(struct kn_msg_initiation) != KN_MSG_INITIATION_LEN);
	BUILD_BUG_ON(sizeof(struct kn_msg_response) != KN_MSG_RESPONSE_LEN);
	BUILD_BUG_ON(sizeof(struct kn_msg_cookie_reply) !=
		     KN_MSG_COOKIE_REPLY_LEN);
	BUILD_BUG_ON(sizeof(struct kn_msg_data) != KN_MSG_DATA_HDR_LEN);
}

#endif /* _KN_MESSAGES_H */
