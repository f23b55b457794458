/* SPDX-License-Identifier: GPL-2.0 */
/*
 * WireGuard's denial-of-service cookies (whitepaper section 5.4.7): mac1
 * and mac2 on handshake messages, the responder's rotating cookie secret,
 * and cookie reply messages (type 3).
 *
 * Two sides:
 *  - struct kn_cookie_checker (one per device, keyed by OUR public key)
 *    verifies mac1/mac2 of incoming handshake messages and builds cookie
 *    replies.  Its secret is rotated by kn_cookie_checker_refresh(); the
 *    caller serialises that against the other (read-only) checker calls,
 *    e.g. refresh under a write lock, validate/reply under a read lock.
 *  - struct kn_cookie_maker (one per peer, keyed by the PEER's public key)
 *    adds mac1/mac2 to the handshake messages we send it and stores the
 *    cookie it sends us.  All maker calls run under the peer's lock.
 *
 * A handshake message of length len carries mac1 at len - 32 over bytes
 * [0, len - 32) and mac2 at len - 16 over bytes [0, len - 16).  The source
 * address of a cookie is the outer IP source address (4 or 16 bytes, as in
 * the packet) followed by the UDP source port in network byte order.
 *
 * All times are a monotonic clock in nanoseconds.
 */
#ifndef _KN_COOKIE_H
#define _KN_COOKIE_H

#include "pure.h"
#include "messages.h"
#include "crypto.h"

struct kn_cookie_checker {
	u8 mac1_key[KN_HASH_LEN];	/* HASH("mac1----" || our public) */
	u8 cookie_key[KN_HASH_LEN];	/* HASH("cookie--" || our public) */
	u8 secret[KN_HASH_LEN];		/* random, rotated every 120 s */
	u64 secret_birth_ns;
	bool has_secret;
};

struct kn_cookie_maker {
	u8 mac1_key[KN_HASH_LEN];	/* HASH("mac1----" || peer public) */
	u8 cookie_key[KN_HASH_LEN];	/* HASH("cookie--" || peer public) */
	u8 cookie[KN_COOKIE_LEN];	/* last cookie the peer gave us */
	u64 cookie_birth_ns;
	bool has_cookie;
	/* mac1 of our last handshake message: the AD of its cookie reply */
	u8 last_mac1_sent[KN_MAC_LEN];
	bool has_sent_mac1;
};

enum kn_cookie_mac_state {
	KN_COOKIE_INVALID_MAC1 = 0,	/* drop silently */
	KN_COOKIE_VALID_MAC1,		/* mac2 missing or wrong */
	KN_COOKIE_VALID_MAC1_MAC2,	/* mac2 proves the source address */
};

/* Derive the keys for our public key; the secret is made on refresh. */
void kn_cookie_checker_init(struct kn_cookie_checker *c,
			    const u8 our_public[KN_KEY_LEN]);
/*
 * Make a new secret if there is none or it is older than
 * KN_COOKIE_SECRET_MAX_AGE_NS; returns true when it did (caller holds the
 * write side of its lock).  Call before kn_cookie_validate() and
 * kn_cookie_create_reply().
 */
bool kn_cookie_checker_refresh(struct kn_cookie_checker *c, u64 now_ns);

/*
 * Check mac1 (and mac2 when @check_mac2, e.g. only under load) of a
 * handshake message (initiation or response, exact length).  @addr/@alen
 * and @port are the outer source.  Constant-time comparisons.
 */
enum kn_cookie_mac_state
kn_cookie_validate(const struct kn_cookie_checker *c, const void *msg,
		   size_t len, const u8 *addr, size_t alen, __be16 port,
		   bool check_mac2, u64 now_ns);

/*
 * Build the cookie reply to handshake message @msg (len bytes, whose mac1
 * must have verified) from @addr/@port; its receiver is @msg's sender
 * index.  -EINVAL for a message that is not an initiation/response.
 */
int kn_cookie_create_reply(const struct kn_cookie_checker *c,
			   struct kn_msg_cookie_reply *reply,
			   const void *msg, size_t len, const u8 *addr,
			   size_t alen, __be16 port);

/* Read the receiver index of a cookie reply (for the lookup). */
int kn_cookie_reply_receiver(const void *msg, size_t len, u32 *receiver);

void kn_cookie_maker_init(struct kn_cookie_maker *m,
			  const u8 peer_public[KN_KEY_LEN]);
/*
 * Fill mac1 and mac2 of the handshake message @msg (len bytes) we are
 * about to send: mac2 only while a cookie younger than
 * KN_COOKIE_MAX_AGE_NS is held, else zero.  Remembers mac1.
 */
void kn_cookie_add_macs(struct kn_cookie_maker *m, void *msg, size_t len,
			u64 now_ns);
/*
 * Decrypt a cookie reply for the peer the caller found by its receiver
 * index; it must answer our last sent mac1 (each mac1 is answered at most
 * once).  0 on success, -EINVAL malformed or nothing sent, -EBADMSG
 * authentication failure.
 */
int kn_cookie_consume_reply(struct kn_cookie_maker *m, const void *msg,
			    size_t len, u64 now_ns);

#endif /* _KN_COOKIE_H */
