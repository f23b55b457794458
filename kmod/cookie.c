// SPDX-License-Identifier: GPL-2.0
/*
 * mac1/mac2 and cookie replies; see cookie.h for the contract.  Written
 * from the WireGuard whitepaper, section 5.4.4 and 5.4.7.
 */
#include "cookie.h"

static const char kn_label_mac1[8] = { 'm', 'a', 'c', '1', '-', '-', '-', '-' };
static const char kn_label_cookie[8] = { 'c', 'o', 'o', 'k', 'i', 'e', '-', '-' };

/* Longest source: IPv6 address and port. */
#define KN_COOKIE_SRC_MAX	(16 + 2)

static void kn_cookie_keys(u8 mac1_key[KN_HASH_LEN],
			   u8 cookie_key[KN_HASH_LEN],
			   const u8 pub[KN_KEY_LEN])
{
	kn_hash2(mac1_key, kn_label_mac1, sizeof(kn_label_mac1), pub,
		 KN_KEY_LEN);
	kn_hash2(cookie_key, kn_label_cookie, sizeof(kn_label_cookie), pub,
		 KN_KEY_LEN);
}

/* A handshake message we can put or check MACs on: its exact length. */
static bool kn_cookie_msg_ok(const void *msg, size_t len)
{
	u32 type = kn_msg_type(msg, len);

	return (type == KN_MSG_INITIATION && len == KN_MSG_INITIATION_LEN) ||
	       (type == KN_MSG_RESPONSE && len == KN_MSG_RESPONSE_LEN);
}

void kn_cookie_checker_init(struct kn_cookie_checker *c,
			    const u8 our_public[KN_KEY_LEN])
{
	kn_memzero(c, sizeof(*c));
	kn_cookie_keys(c->mac1_key, c->cookie_key, our_public);
}

static bool kn_cookie_secret_fresh(const struct kn_cookie_checker *c,
				   u64 now_ns)
{
	return c->has_secret &&
	       now_ns - c->secret_birth_ns < KN_COOKIE_SECRET_MAX_AGE_NS;
}

bool kn_cookie_checker_refresh(struct kn_cookie_checker *c, u64 now_ns)
{
	if (kn_cookie_secret_fresh(c, now_ns))
		return false;
	kn_random_bytes(c->secret, sizeof(c->secret));
	c->secret_birth_ns = now_ns;
	c->has_secret = true;
	return true;
}

/* cookie = MAC(secret, addr || port) */
static void kn_cookie_make(const struct kn_cookie_checker *c,
			   u8 cookie[KN_COOKIE_LEN], const u8 *addr,
			   size_t alen, __be16 port)
{
	u8 src[KN_COOKIE_SRC_MAX];

	if (alen > KN_COOKIE_SRC_MAX - sizeof(port))
		alen = KN_COOKIE_SRC_MAX - sizeof(port);
	memcpy(src, addr, alen);
	memcpy(src + alen, &port, sizeof(port));
	kn_mac(cookie, c->secret, sizeof(c->secret), src, alen + sizeof(port));
}

enum kn_cookie_mac_state
kn_cookie_validate(const struct kn_cookie_checker *c, const void *msg,
		   size_t len, const u8 *addr, size_t alen, __be16 port,
		   bool check_mac2, u64 now_ns)
{
	const u8 *p = msg;
	u8 mac[KN_MAC_LEN];
	u8 cookie[KN_COOKIE_LEN];
	enum kn_cookie_mac_state ret = KN_COOKIE_INVALID_MAC1;

	if (!kn_cookie_msg_ok(msg, len))
		return KN_COOKIE_INVALID_MAC1;
	kn_mac(mac, c->mac1_key, KN_HASH_LEN, p, KN_MSG_MAC1_OFFSET(len));
	if (!kn_memeq(mac, p + KN_MSG_MAC1_OFFSET(len), KN_MAC_LEN))
		goto out;
	ret = KN_COOKIE_VALID_MAC1;
	/* An expired secret answers no mac2: the caller must refresh. */
	if (!check_mac2 || !kn_cookie_secret_fresh(c, now_ns))
		goto out;
	kn_cookie_make(c, cookie, addr, alen, port);
	kn_mac(mac, cookie, KN_COOKIE_LEN, p, KN_MSG_MAC2_OFFSET(len));
	if (kn_memeq(mac, p + KN_MSG_MAC2_OFFSET(len), KN_MAC_LEN))
		ret = KN_COOKIE_VALID_MAC1_MAC2;
	kn_memzero(cookie, sizeof(cookie));
out:
	kn_memzero(mac, sizeof(mac));
	return ret;
}

int kn_cookie_create_reply(const struct kn_cookie_checker *c,
			   struct kn_msg_cookie_reply *reply,
			   const void *msg, size_t len, const u8 *addr,
			   size_t alen, __be16 port)
{
	const u8 *p = msg;
	u8 cookie[KN_COOKIE_LEN];

	if (!kn_cookie_msg_ok(msg, len) || !c->has_secret)
		return -EINVAL;
	memset(reply, 0, sizeof(*reply));
	kn_put_le32(reply->header.type, KN_MSG_COOKIE_REPLY);
	/* Both handshake messages have the sender index at offset 4. */
	memcpy(reply->receiver, p + 4, sizeof(reply->receiver));
	kn_random_bytes(reply->nonce, sizeof(reply->nonce));
	kn_cookie_make(c, cookie, addr, alen, port);
	kn_xaead_seal(reply->encrypted_cookie, cookie, KN_COOKIE_LEN,
		      p + KN_MSG_MAC1_OFFSET(len), KN_MAC_LEN, reply->nonce,
		      c->cookie_key);
	kn_memzero(cookie, sizeof(cookie));
	return 0;
}

int kn_cookie_reply_receiver(const void *msg, size_t len, u32 *receiver)
{
	const struct kn_msg_cookie_reply *r = msg;

	if (len != KN_MSG_COOKIE_REPLY_LEN ||
	    kn_msg_type(msg, len) != KN_MSG_COOKIE_REPLY)
		return -EINVAL;
	*receiver = kn_get_le32(r->receiver);
	return 0;
}

void kn_cookie_maker_init(struct kn_cookie_maker *m,
			  const u8 peer_public[KN_KEY_LEN])
{
	kn_memzero(m, sizeof(*m));
	kn_cookie_keys(m->mac1_key, m->cookie_key, peer_public);
}

void kn_cookie_add_macs(struct kn_cookie_maker *m, void *msg, size_t len,
			u64 now_ns)
{
	u8 *p = msg;
	u8 *mac1, *mac2;

	if (len < 2 * KN_MAC_LEN)
		return;
	mac1 = p + KN_MSG_MAC1_OFFSET(len);
	mac2 = p + KN_MSG_MAC2_OFFSET(len);
	kn_mac(mac1, m->mac1_key, KN_HASH_LEN, p, KN_MSG_MAC1_OFFSET(len));
	memcpy(m->last_mac1_sent, mac1, KN_MAC_LEN);
	m->has_sent_mac1 = true;
	if (m->has_cookie &&
	    now_ns - m->cookie_birth_ns < KN_COOKIE_MAX_AGE_NS)
		kn_mac(mac2, m->cookie, KN_COOKIE_LEN, p,
		       KN_MSG_MAC2_OFFSET(len));
	else
		memset(mac2, 0, KN_MAC_LEN);
}

int kn_cookie_consume_reply(struct kn_cookie_maker *m, const void *msg,
			    size_t len, u64 now_ns)
{
	const struct kn_msg_cookie_reply *r = msg;
	u8 cookie[KN_COOKIE_LEN];

	if (len != KN_MSG_COOKIE_REPLY_LEN ||
	    kn_msg_type(msg, len) != KN_MSG_COOKIE_REPLY || !m->has_sent_mac1)
		return -EINVAL;
	if (!kn_xaead_open(cookie, r->encrypted_cookie,
			   sizeof(r->encrypted_cookie), m->last_mac1_sent,
			   KN_MAC_LEN, r->nonce, m->cookie_key)) {
		kn_memzero(cookie, sizeof(cookie));
		return -EBADMSG;
	}
	memcpy(m->cookie, cookie, KN_COOKIE_LEN);
	m->cookie_birth_ns = now_ns;
	m->has_cookie = true;
	m->has_sent_mac1 = false;
	kn_memzero(cookie, sizeof(cookie));
	return 0;
}
