/* SPDX-License-Identifier: GPL-2.0 */
/*
 * WireGuard's Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s handshake and the
 * transport data format, as pure functions over caller-owned structs.
 *
 * Locking and lifetime contract: nothing here locks or allocates.  The
 * kernel embeds struct kn_noise_local in the device (read-mostly; rewritten
 * only when the private key changes, which must also re-run
 * kn_noise_hs_init() for every peer) and struct kn_noise_hs in each peer,
 * and holds the peer's handshake lock (a rw_semaphore or spinlock) for
 * writing around every function that takes a non-const hs.  The local
 * identity is only read; the caller keeps it stable for the duration of a
 * call (e.g. under the device's static-identity read lock).
 *
 * Every function that consumes a message works on temporaries and commits
 * to the hs only once the message authenticated, so forged messages never
 * disturb a handshake in progress.  Secrets that leave scope are wiped with
 * kn_memzero().
 *
 * Error codes: -EINVAL bad length/type/reserved bytes or wrong state or
 * index, -EBADMSG authentication (AEAD) failure, -EPROTO a DH result of
 * zero (small-order public key), -ENOENT initiator unknown (lookup failed),
 * -ESTALE replayed or non-increasing timestamp, -EBUSY initiations from one
 * peer faster than KN_NOISE_MIN_INIT_INTERVAL_NS, -EMSGSIZE output buffer
 * too small.
 */
#ifndef _KN_NOISE_H
#define _KN_NOISE_H

#include "pure.h"
#include "messages.h"
#include "crypto.h"

/* Flood protection: at most 50 consumed initiations per second per peer. */
#define KN_NOISE_MIN_INIT_INTERVAL_NS	(KN_NSEC_PER_SEC / 50)

/*
 * TAI64N timestamps are coarsened to this many nanoseconds (2^24 ns, about
 * 16.8 ms) so they do not leak precise timing; being finer than the flood
 * interval above, initiations that pass the flood check still carry
 * strictly increasing timestamps.
 */
#define KN_NOISE_TIMESTAMP_GRAIN_NS	0x1000000U	/* 2^24 */

enum kn_noise_state {
	KN_NOISE_ZEROED = 0,
	KN_NOISE_CREATED_INITIATION,	/* we initiated; await a response */
	KN_NOISE_CONSUMED_INITIATION,	/* we are responder; must respond */
	KN_NOISE_CREATED_RESPONSE,	/* responder; derive keys now */
	KN_NOISE_CONSUMED_RESPONSE,	/* initiator; derive keys now */
};

/* Our identity: one per device. */
struct kn_noise_local {
	u8 static_private[KN_KEY_LEN];
	u8 static_public[KN_KEY_LEN];
	bool has_identity;
};

/* Per-peer handshake state. */
struct kn_noise_hs {
	enum kn_noise_state state;
	u8 remote_static[KN_KEY_LEN];
	/* DH(our static, their static); never zero once initialised. */
	u8 precomputed_ss[KN_KEY_LEN];
	u8 psk[KN_KEY_LEN];		/* all zero when no PSK is set */
	/* Handshake secrets, wiped when keys are derived or on clear. */
	u8 hash[KN_HASH_LEN];
	u8 chaining_key[KN_HASH_LEN];
	u8 ephemeral_private[KN_KEY_LEN];
	u8 remote_ephemeral[KN_KEY_LEN];
	u32 local_index;		/* our index, as sent in "sender" */
	u32 remote_index;		/* theirs, to put in "receiver" */
	/* Replay protection for initiations (kept across handshakes). */
	u8 latest_timestamp[KN_TAI64N_LEN];
	u64 last_initiation_consumed_ns;
	bool has_consumed_initiation;
};

/* The result of a completed handshake: one transport session. */
struct kn_noise_keypair {
	u8 send_key[KN_KEY_LEN];
	u8 recv_key[KN_KEY_LEN];
	u32 local_index;		/* receiver index of incoming data */
	u32 remote_index;		/* receiver index of outgoing data */
	bool is_initiator;
	u64 birth_ns;
};

/*
 * Phase-1 result of consuming an initiation: what is known before the
 * sender is identified.  Holds secrets; kn_noise_consume_initiation_finish()
 * wipes it whatever the outcome, and a caller that abandons it must wipe it
 * with kn_memzero().
 */
struct kn_noise_init_scratch {
	u8 hash[KN_HASH_LEN];
	u8 chaining_key[KN_HASH_LEN];
	u8 remote_static[KN_KEY_LEN];
	u8 remote_ephemeral[KN_KEY_LEN];
	u8 encrypted_timestamp[KN_TAI64N_LEN + KN_AEAD_TAG_LEN];
	u32 sender;
};

/* HMAC-BLAKE2s (RFC 2104; 64-byte block, 32-byte output). */
void kn_hmac(u8 out[KN_HASH_LEN], const u8 *key, size_t keylen,
	     const void *in, size_t len);
/*
 * WireGuard's KDF_n: t = HMAC(ck, in); out1 = HMAC(t, 0x1);
 * out2 = HMAC(t, out1 || 0x2); out3 = HMAC(t, out2 || 0x3).  @out2 and
 * @out3 may be NULL; outputs may alias @ck.
 */
void kn_kdf(u8 *out1, u8 *out2, u8 *out3, const u8 ck[KN_HASH_LEN],
	    const void *in, size_t len);

/* TAI64N of a wall-clock time, coarsened to KN_NOISE_TIMESTAMP_GRAIN_NS. */
void kn_noise_tai64n(u8 out[KN_TAI64N_LEN], s64 unix_sec, u32 nsec);

/* Set our private key (any 32 bytes; clamped); -EINVAL if unusable. */
int kn_noise_local_init(struct kn_noise_local *local,
			const u8 private_key[KN_KEY_LEN]);
void kn_noise_local_clear(struct kn_noise_local *local);

/*
 * Prepare a peer's handshake state (zero-filled before the first call) for
 * @remote_static with optional @psk (NULL: none).  -EINVAL when the
 * static-static DH is zero (small-order key, or no local identity): such a
 * peer must be refused.  Keeps latest_timestamp and the flood state, so it
 * may be re-run when the local key or the PSK changes.
 */
int kn_noise_hs_init(struct kn_noise_hs *hs,
		     const struct kn_noise_local *local,
		     const u8 remote_static[KN_KEY_LEN],
		     const u8 psk[KN_KEY_LEN]);
/* Forget any handshake in progress (wipes its secrets); keeps identity. */
void kn_noise_hs_clear(struct kn_noise_hs *hs);

/*
 * Build message 1 for @hs with timestamp @tai64n and our fresh
 * @local_index.  Fills everything but mac1/mac2 (cookie.c adds those).
 * State becomes KN_NOISE_CREATED_INITIATION.
 */
int kn_noise_create_initiation(const struct kn_noise_local *local,
			       struct kn_noise_hs *hs,
			       const u8 tai64n[KN_TAI64N_LEN], u32 local_index,
			       struct kn_msg_initiation *msg);

/*
 * Consume message 1, in two phases so the caller can look the peer up and
 * lock it in between: begin() authenticates the encrypted static key
 * (scratch->remote_static is the initiator); finish() decrypts and checks
 * the timestamp against that peer's state, enforces the flood interval
 * (@now_ns: a monotonic clock), and commits (state
 * KN_NOISE_CONSUMED_INITIATION, remote_index = sender).
 */
int kn_noise_consume_initiation_begin(const struct kn_noise_local *local,
				      const void *msg, size_t len,
				      struct kn_noise_init_scratch *scratch);
int kn_noise_consume_initiation_finish(struct kn_noise_init_scratch *scratch,
				       struct kn_noise_hs *hs, u64 now_ns);

/* Both phases with a lookup callback; *hs_out is the peer's hs on 0. */
typedef struct kn_noise_hs *(*kn_noise_lookup_fn)(void *ctx,
						   const u8 *remote_static);
int kn_noise_consume_initiation(const struct kn_noise_local *local,
				const void *msg, size_t len,
				kn_noise_lookup_fn lookup, void *ctx,
				u64 now_ns, struct kn_noise_hs **hs_out);

/*
 * Build message 2 (all but mac1/mac2) from state
 * KN_NOISE_CONSUMED_INITIATION with our fresh @local_index; state becomes
 * KN_NOISE_CREATED_RESPONSE.
 */
int kn_noise_create_response(struct kn_noise_hs *hs, u32 local_index,
			     struct kn_msg_response *msg);

/*
 * Consume message 2 for the hs the caller found by its receiver index
 * (checked again here against hs->local_index); requires state
 * KN_NOISE_CREATED_INITIATION; state becomes KN_NOISE_CONSUMED_RESPONSE.
 */
int kn_noise_consume_response(const struct kn_noise_local *local,
			      struct kn_noise_hs *hs, const void *msg,
			      size_t len);

/* Read the receiver index of a response (for the lookup); -EINVAL. */
int kn_noise_response_receiver(const void *msg, size_t len, u32 *receiver);

/*
 * From state KN_NOISE_CONSUMED_RESPONSE (initiator) or
 * KN_NOISE_CREATED_RESPONSE (responder): derive the transport keypair,
 * wipe the handshake secrets and return to KN_NOISE_ZEROED.
 * Initiator: send = KDF2 first output, receive = second; the responder's
 * are swapped.
 */
int kn_noise_derive_keypair(struct kn_noise_hs *hs,
			    struct kn_noise_keypair *kp, u64 now_ns);

/*
 * Transport data (type 4).  kn_data_padded_len(): the plaintext length
 * after zero-padding @len to a multiple of 16, but not past @mtu when the
 * packet fits in it (@mtu 0: no cap).  kn_data_seal() writes the message
 * for @payload (@len bytes, padded to @padded_len >= len) to @out (room
 * @out_size) and returns its length.  kn_data_open() checks type and
 * length, authenticates, writes the padded plaintext to @out and returns
 * its length; *counter gets the counter, which the caller must then pass
 * to the replay window (only after this returned success).  The padding
 * stays in the plaintext: the caller trims it using the inner IP header's
 * length (a zero-length plaintext is a keepalive).
 */
size_t kn_data_padded_len(size_t len, size_t mtu);
int kn_data_parse_header(const void *msg, size_t len, u32 *receiver,
			 u64 *counter);
int kn_data_seal(u8 *out, size_t out_size, u32 receiver, u64 counter,
		 const u8 key[KN_KEY_LEN], const u8 *payload, size_t len,
		 size_t padded_len);
int kn_data_open(u8 *out, size_t out_size, const void *msg, size_t len,
		 const u8 key[KN_KEY_LEN], u64 *counter);

#endif /* _KN_NOISE_H */
