// SPDX-License-Identifier: GPL-2.0
/*
 * Noise_IKpsk2 handshake of the WireGuard protocol and transport data
 * sealing; see noise.h for the contract.  Written from the WireGuard
 * whitepaper (sections 5.4.2-5.4.6) and the Noise specification.
 *
 * Notation in comments: C chaining key, H hash, e/s ephemeral/static,
 * i/r initiator/responder.
 */
#include "noise.h"

static const char kn_noise_construction[] =
	"Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
static const char kn_noise_identifier[] =
	"WireGuard v1 zx2c4 Jason@zx2c4.com";

#define KN_HMAC_BLOCK	64

/* Larger than any UDP payload; keeps lengths representable as int. */
#define KN_DATA_MAX_LEN	((size_t)1 << 20)

void kn_hmac(u8 out[KN_HASH_LEN], const u8 *key, size_t keylen,
	     const void *in, size_t len)
{
	u8 pad[KN_HMAC_BLOCK];
	u8 inner[KN_HASH_LEN];
	size_t i;

	memset(pad, 0, sizeof(pad));
	if (keylen > KN_HMAC_BLOCK)
		kn_hash(pad, key, keylen);
	else
		memcpy(pad, key, keylen);
	for (i = 0; i < KN_HMAC_BLOCK; i++)
		pad[i] ^= 0x36;
	kn_hash2(inner, pad, KN_HMAC_BLOCK, in, len);
	/* Turn the inner pad into the outer one: 0x36 ^ 0x6a == 0x5c. */
	for (i = 0; i < KN_HMAC_BLOCK; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	kn_hash2(out, pad, KN_HMAC_BLOCK, inner, KN_HASH_LEN);
	kn_memzero(pad, sizeof(pad));
	kn_memzero(inner, sizeof(inner));
}

void kn_kdf(u8 *out1, u8 *out2, u8 *out3, const u8 ck[KN_HASH_LEN],
	    const void *in, size_t len)
{
	u8 t[KN_HASH_LEN];
	/* Previous output || counter byte. */
	u8 buf[KN_HASH_LEN + 1];

	kn_hmac(t, ck, KN_HASH_LEN, in, len);
	buf[0] = 1;
	kn_hmac(buf, t, KN_HASH_LEN, buf, 1);
	if (out2 || out3) {
		/* buf now holds out1; append the counter 2. */
		u8 next[KN_HASH_LEN];

		buf[KN_HASH_LEN] = 2;
		kn_hmac(next, t, KN_HASH_LEN, buf, KN_HASH_LEN + 1);
		memcpy(out1, buf, KN_HASH_LEN);
		if (out3) {
			memcpy(buf, next, KN_HASH_LEN);
			buf[KN_HASH_LEN] = 3;
			kn_hmac(out3, t, KN_HASH_LEN, buf, KN_HASH_LEN + 1);
		}
		if (out2)
			memcpy(out2, next, KN_HASH_LEN);
		kn_memzero(next, sizeof(next));
	} else {
		memcpy(out1, buf, KN_HASH_LEN);
	}
	kn_memzero(t, sizeof(t));
	kn_memzero(buf, sizeof(buf));
}

void kn_noise_tai64n(u8 out[KN_TAI64N_LEN], s64 unix_sec, u32 nsec)
{
	u64 sec = (1ULL << 62) + (u64)unix_sec;

	nsec &= ~(KN_NOISE_TIMESTAMP_GRAIN_NS - 1);
	kn_put_be32(out, (u32)(sec >> 32));
	kn_put_be32(out + 4, (u32)sec);
	kn_put_be32(out + 8, nsec);
}

/* H = HASH(H || data) */
static void kn_mix_hash(u8 hash[KN_HASH_LEN], const void *data, size_t len)
{
	kn_hash2(hash, hash, KN_HASH_LEN, data, len);
}

/* The initial C and H for a handshake whose responder is @responder. */
static void kn_noise_init_symmetric(u8 ck[KN_HASH_LEN], u8 hash[KN_HASH_LEN],
				    const u8 responder[KN_KEY_LEN])
{
	kn_hash(ck, kn_noise_construction, sizeof(kn_noise_construction) - 1);
	kn_hash2(hash, ck, KN_HASH_LEN, kn_noise_identifier,
		 sizeof(kn_noise_identifier) - 1);
	kn_mix_hash(hash, responder, KN_KEY_LEN);
}

/* (C, k) = KDF2(C, DH(priv, pub)); false when the DH result is zero. */
static bool kn_mix_dh(u8 ck[KN_HASH_LEN], u8 *key, const u8 priv[KN_KEY_LEN],
		      const u8 pub[KN_KEY_LEN])
{
	u8 dh[KN_KEY_LEN];

	if (!kn_dh(dh, priv, pub))
		return false;
	kn_kdf(ck, key, NULL, ck, dh, KN_KEY_LEN);
	kn_memzero(dh, sizeof(dh));
	return true;
}

int kn_noise_local_init(struct kn_noise_local *local,
			const u8 private_key[KN_KEY_LEN])
{
	memcpy(local->static_private, private_key, KN_KEY_LEN);
	/* Same clamping as X25519 applies; stored clamped for clarity. */
	local->static_private[0] &= 248;
	local->static_private[31] = (local->static_private[31] & 127) | 64;
	if (!kn_dh_pubkey(local->static_public, local->static_private)) {
		kn_noise_local_clear(local);
		return -EINVAL;
	}
	local->has_identity = true;
	return 0;
}

void kn_noise_local_clear(struct kn_noise_local *local)
{
	kn_memzero(local, sizeof(*local));
}

int kn_noise_hs_init(struct kn_noise_hs *hs,
		     const struct kn_noise_local *local,
		     const u8 remote_static[KN_KEY_LEN],
		     const u8 psk[KN_KEY_LEN])
{
	kn_noise_hs_clear(hs);
	memcpy(hs->remote_static, remote_static, KN_KEY_LEN);
	if (psk)
		memcpy(hs->psk, psk, KN_KEY_LEN);
	else
		memset(hs->psk, 0, KN_KEY_LEN);
	if (!local->has_identity ||
	    !kn_dh(hs->precomputed_ss, local->static_private, remote_static))
		return -EINVAL;
	return 0;
}

void kn_noise_hs_clear(struct kn_noise_hs *hs)
{
	hs->state = KN_NOISE_ZEROED;
	kn_memzero(hs->hash, sizeof(hs->hash));
	kn_memzero(hs->chaining_key, sizeof(hs->chaining_key));
	kn_memzero(hs->ephemeral_private, sizeof(hs->ephemeral_private));
	memset(hs->remote_ephemeral, 0, sizeof(hs->remote_ephemeral));
	hs->local_index = 0;
	hs->remote_index = 0;
}

int kn_noise_create_initiation(const struct kn_noise_local *local,
			       struct kn_noise_hs *hs,
			       const u8 tai64n[KN_TAI64N_LEN], u32 local_index,
			       struct kn_msg_initiation *msg)
{
	u8 key[KN_KEY_LEN];
	int ret = -EINVAL;

	if (!local->has_identity)
		return -EINVAL;
	kn_noise_hs_clear(hs);
	memset(msg, 0, sizeof(*msg));
	kn_put_le32(msg->header.type, KN_MSG_INITIATION);
	kn_put_le32(msg->sender, local_index);

	kn_noise_init_symmetric(hs->chaining_key, hs->hash, hs->remote_static);

	/* e */
	kn_dh_generate(hs->ephemeral_private);
	if (!kn_dh_pubkey(msg->ephemeral, hs->ephemeral_private))
		goto out;
	kn_mix_hash(hs->hash, msg->ephemeral, KN_KEY_LEN);
	kn_kdf(hs->chaining_key, NULL, NULL, hs->chaining_key, msg->ephemeral,
	       KN_KEY_LEN);

	/* es */
	if (!kn_mix_dh(hs->chaining_key, key, hs->ephemeral_private,
		       hs->remote_static)) {
		ret = -EPROTO;
		goto out;
	}

	/* s */
	kn_aead_seal(msg->encrypted_static, local->static_public, KN_KEY_LEN,
		     hs->hash, KN_HASH_LEN, 0, key);
	kn_mix_hash(hs->hash, msg->encrypted_static,
		    sizeof(msg->encrypted_static));

	/* ss, precomputed: (C, k) = KDF2(C, DH(s_i, S_r)) */
	kn_kdf(hs->chaining_key, key, NULL, hs->chaining_key,
	       hs->precomputed_ss, KN_KEY_LEN);

	/* {t} */
	kn_aead_seal(msg->encrypted_timestamp, tai64n, KN_TAI64N_LEN,
		     hs->hash, KN_HASH_LEN, 0, key);
	kn_mix_hash(hs->hash, msg->encrypted_timestamp,
		    sizeof(msg->encrypted_timestamp));

	hs->local_index = local_index;
	hs->state = KN_NOISE_CREATED_INITIATION;
	ret = 0;
out:
	kn_memzero(key, sizeof(key));
	if (ret)
		kn_noise_hs_clear(hs);
	return ret;
}

int kn_noise_consume_initiation_begin(const struct kn_noise_local *local,
				      const void *msg, size_t len,
				      struct kn_noise_init_scratch *sc)
{
	const struct kn_msg_initiation *m = msg;
	u8 key[KN_KEY_LEN];
	int ret = -EINVAL;

	memset(sc, 0, sizeof(*sc));
	if (len != KN_MSG_INITIATION_LEN ||
	    kn_msg_type(msg, len) != KN_MSG_INITIATION || !local->has_identity)
		return -EINVAL;

	kn_noise_init_symmetric(sc->chaining_key, sc->hash,
				local->static_public);

	/* e */
	memcpy(sc->remote_ephemeral, m->ephemeral, KN_KEY_LEN);
	kn_mix_hash(sc->hash, m->ephemeral, KN_KEY_LEN);
	kn_kdf(sc->chaining_key, NULL, NULL, sc->chaining_key, m->ephemeral,
	       KN_KEY_LEN);

	/* es */
	if (!kn_mix_dh(sc->chaining_key, key, local->static_private,
		       m->ephemeral)) {
		ret = -EPROTO;
		goto out;
	}

	/* s */
	if (!kn_aead_open(sc->remote_static, m->encrypted_static,
			  sizeof(m->encrypted_static), sc->hash, KN_HASH_LEN,
			  0, key)) {
		ret = -EBADMSG;
		goto out;
	}
	kn_mix_hash(sc->hash, m->encrypted_static,
		    sizeof(m->encrypted_static));

	memcpy(sc->encrypted_timestamp, m->encrypted_timestamp,
	       sizeof(sc->encrypted_timestamp));
	sc->sender = kn_get_le32(m->sender);
	ret = 0;
out:
	kn_memzero(key, sizeof(key));
	if (ret)
		kn_memzero(sc, sizeof(*sc));
	return ret;
}

int kn_noise_consume_initiation_finish(struct kn_noise_init_scratch *sc,
				       struct kn_noise_hs *hs, u64 now_ns)
{
	u8 key[KN_KEY_LEN];
	u8 ts[KN_TAI64N_LEN];
	int ret = -EINVAL;

	/* The peer found must be the one whose static key we decrypted. */
	if (memcmp(sc->remote_static, hs->remote_static, KN_KEY_LEN))
		goto out;

	/* ss */
	kn_kdf(sc->chaining_key, key, NULL, sc->chaining_key,
	       hs->precomputed_ss, KN_KEY_LEN);

	/* {t} */
	if (!kn_aead_open(ts, sc->encrypted_timestamp,
			  sizeof(sc->encrypted_timestamp), sc->hash,
			  KN_HASH_LEN, 0, key)) {
		ret = -EBADMSG;
		goto out;
	}
	kn_mix_hash(sc->hash, sc->encrypted_timestamp,
		    sizeof(sc->encrypted_timestamp));

	/* Big-endian TAI64N: bytewise order is numeric order. */
	if (memcmp(ts, hs->latest_timestamp, KN_TAI64N_LEN) <= 0) {
		ret = -ESTALE;
		goto out;
	}
	if (hs->has_consumed_initiation &&
	    now_ns - hs->last_initiation_consumed_ns <
	    KN_NOISE_MIN_INIT_INTERVAL_NS) {
		ret = -EBUSY;
		goto out;
	}

	/* Authenticated and fresh: commit, replacing any handshake. */
	kn_noise_hs_clear(hs);
	memcpy(hs->latest_timestamp, ts, KN_TAI64N_LEN);
	hs->last_initiation_consumed_ns = now_ns;
	hs->has_consumed_initiation = true;
	memcpy(hs->hash, sc->hash, KN_HASH_LEN);
	memcpy(hs->chaining_key, sc->chaining_key, KN_HASH_LEN);
	memcpy(hs->remote_ephemeral, sc->remote_ephemeral, KN_KEY_LEN);
	hs->remote_index = sc->sender;
	hs->state = KN_NOISE_CONSUMED_INITIATION;
	ret = 0;
out:
	kn_memzero(key, sizeof(key));
	kn_memzero(ts, sizeof(ts));
	kn_memzero(sc, sizeof(*sc));
	return ret;
}

int kn_noise_consume_initiation(const struct kn_noise_local *local,
				const void *msg, size_t len,
				kn_noise_lookup_fn lookup, void *ctx,
				u64 now_ns, struct kn_noise_hs **hs_out)
{
	struct kn_noise_init_scratch sc;
	struct kn_noise_hs *hs;
	int ret;

	*hs_out = NULL;
	ret = kn_noise_consume_initiation_begin(local, msg, len, &sc);
	if (ret)
		return ret;
	hs = lookup(ctx, sc.remote_static);
	if (!hs) {
		kn_memzero(&sc, sizeof(sc));
		return -ENOENT;
	}
	ret = kn_noise_consume_initiation_finish(&sc, hs, now_ns);
	if (!ret)
		*hs_out = hs;
	return ret;
}

/*
 * The part of message 2 both sides compute alike once the DH results are
 * known: C = KDF1(C, e_r); C = KDF1(C, ee); C = KDF1(C, se);
 * (C, t, k) = KDF3(C, psk); H = HASH(H || t).  @ee and @se are the two DH
 * results, computed by the caller from its own keys.
 */
static void kn_noise_response_mix(u8 ck[KN_HASH_LEN], u8 hash[KN_HASH_LEN],
				  u8 key[KN_KEY_LEN],
				  const u8 ephemeral_r[KN_KEY_LEN],
				  const u8 ee[KN_KEY_LEN],
				  const u8 se[KN_KEY_LEN],
				  const u8 psk[KN_KEY_LEN])
{
	u8 tau[KN_HASH_LEN];

	kn_mix_hash(hash, ephemeral_r, KN_KEY_LEN);
	kn_kdf(ck, NULL, NULL, ck, ephemeral_r, KN_KEY_LEN);
	kn_kdf(ck, NULL, NULL, ck, ee, KN_KEY_LEN);
	kn_kdf(ck, NULL, NULL, ck, se, KN_KEY_LEN);
	kn_kdf(ck, tau, key, ck, psk, KN_KEY_LEN);
	kn_mix_hash(hash, tau, KN_HASH_LEN);
	kn_memzero(tau, sizeof(tau));
}

int kn_noise_create_response(struct kn_noise_hs *hs, u32 local_index,
			     struct kn_msg_response *msg)
{
	u8 ee[KN_KEY_LEN], se[KN_KEY_LEN], key[KN_KEY_LEN];
	int ret = -EPROTO;

	if (hs->state != KN_NOISE_CONSUMED_INITIATION)
		return -EINVAL;
	memset(msg, 0, sizeof(*msg));
	kn_put_le32(msg->header.type, KN_MSG_RESPONSE);
	kn_put_le32(msg->sender, local_index);
	kn_put_le32(msg->receiver, hs->remote_index);

	kn_dh_generate(hs->ephemeral_private);
	if (!kn_dh_pubkey(msg->ephemeral, hs->ephemeral_private) ||
	    !kn_dh(ee, hs->ephemeral_private, hs->remote_ephemeral) ||
	    !kn_dh(se, hs->ephemeral_private, hs->remote_static))
		goto out;

	kn_noise_response_mix(hs->chaining_key, hs->hash, key, msg->ephemeral,
			      ee, se, hs->psk);

	/* {} */
	kn_aead_seal(msg->encrypted_nothing, NULL, 0, hs->hash, KN_HASH_LEN,
		     0, key);
	kn_mix_hash(hs->hash, msg->encrypted_nothing,
		    sizeof(msg->encrypted_nothing));

	hs->local_index = local_index;
	hs->state = KN_NOISE_CREATED_RESPONSE;
	ret = 0;
out:
	kn_memzero(ee, sizeof(ee));
	kn_memzero(se, sizeof(se));
	kn_memzero(key, sizeof(key));
	if (ret) {
		kn_noise_hs_clear(hs);
		memset(msg, 0, sizeof(*msg));
	}
	return ret;
}

int kn_noise_response_receiver(const void *msg, size_t len, u32 *receiver)
{
	const struct kn_msg_response *m = msg;

	if (len != KN_MSG_RESPONSE_LEN ||
	    kn_msg_type(msg, len) != KN_MSG_RESPONSE)
		return -EINVAL;
	*receiver = kn_get_le32(m->receiver);
	return 0;
}

int kn_noise_consume_response(const struct kn_noise_local *local,
			      struct kn_noise_hs *hs, const void *msg,
			      size_t len)
{
	const struct kn_msg_response *m = msg;
	u8 ee[KN_KEY_LEN], se[KN_KEY_LEN], key[KN_KEY_LEN];
	u8 ck[KN_HASH_LEN], hash[KN_HASH_LEN];
	u8 empty[1];		/* the plaintext has length 0 */
	int ret = -EPROTO;

	if (len != KN_MSG_RESPONSE_LEN ||
	    kn_msg_type(msg, len) != KN_MSG_RESPONSE ||
	    hs->state != KN_NOISE_CREATED_INITIATION ||
	    kn_get_le32(m->receiver) != hs->local_index || !local->has_identity)
		return -EINVAL;

	memcpy(ck, hs->chaining_key, KN_HASH_LEN);
	memcpy(hash, hs->hash, KN_HASH_LEN);
	/* ee = DH(e_i, E_r); se = DH(s_i, E_r) */
	if (!kn_dh(ee, hs->ephemeral_private, m->ephemeral) ||
	    !kn_dh(se, local->static_private, m->ephemeral))
		goto out;

	kn_noise_response_mix(ck, hash, key, m->ephemeral, ee, se, hs->psk);

	/* {} */
	if (!kn_aead_open(empty, m->encrypted_nothing,
			  sizeof(m->encrypted_nothing), hash, KN_HASH_LEN, 0,
			  key)) {
		ret = -EBADMSG;
		goto out;
	}
	kn_mix_hash(hash, m->encrypted_nothing, sizeof(m->encrypted_nothing));

	memcpy(hs->chaining_key, ck, KN_HASH_LEN);
	memcpy(hs->hash, hash, KN_HASH_LEN);
	memcpy(hs->remote_ephemeral, m->ephemeral, KN_KEY_LEN);
	hs->remote_index = kn_get_le32(m->sender);
	hs->state = KN_NOISE_CONSUMED_RESPONSE;
	ret = 0;
out:
	kn_memzero(ee, sizeof(ee));
	kn_memzero(se, sizeof(se));
	kn_memzero(key, sizeof(key));
	kn_memzero(ck, sizeof(ck));
	kn_memzero(hash, sizeof(hash));
	return ret;
}

int kn_noise_derive_keypair(struct kn_noise_hs *hs,
			    struct kn_noise_keypair *kp, u64 now_ns)
{
	u8 *first, *second;

	if (hs->state == KN_NOISE_CONSUMED_RESPONSE) {
		kp->is_initiator = true;
		first = kp->send_key;
		second = kp->recv_key;
	} else if (hs->state == KN_NOISE_CREATED_RESPONSE) {
		kp->is_initiator = false;
		first = kp->recv_key;
		second = kp->send_key;
	} else {
		return -EINVAL;
	}
	/* (T_send_i, T_recv_i) = KDF2(C, "") */
	kn_kdf(first, second, NULL, hs->chaining_key, NULL, 0);
	kp->local_index = hs->local_index;
	kp->remote_index = hs->remote_index;
	kp->birth_ns = now_ns;
	kn_noise_hs_clear(hs);
	return 0;
}

size_t kn_data_padded_len(size_t len, size_t mtu)
{
	size_t padded = (len + KN_DATA_PADDING - 1) &
			~(size_t)(KN_DATA_PADDING - 1);

	if (mtu && len <= mtu && padded > mtu)
		padded = mtu;
	return padded;
}

int kn_data_parse_header(const void *msg, size_t len, u32 *receiver,
			 u64 *counter)
{
	const struct kn_msg_data *m = msg;

	if (len < KN_MSG_DATA_MIN_LEN || kn_msg_type(msg, len) != KN_MSG_DATA)
		return -EINVAL;
	*receiver = kn_get_le32(m->receiver);
	*counter = kn_get_le64(m->counter);
	return 0;
}

int kn_data_seal(u8 *out, size_t out_size, u32 receiver, u64 counter,
		 const u8 key[KN_KEY_LEN], const u8 *payload, size_t len,
		 size_t padded_len)
{
	struct kn_msg_data *m = (struct kn_msg_data *)out;
	u8 *body = out + KN_MSG_DATA_HDR_LEN;

	if (padded_len < len || counter >= KN_REJECT_AFTER_MESSAGES)
		return -EINVAL;
	if (out_size < KN_MSG_DATA_MIN_LEN ||
	    padded_len > out_size - KN_MSG_DATA_MIN_LEN ||
	    padded_len > KN_DATA_MAX_LEN - KN_MSG_DATA_MIN_LEN)
		return -EMSGSIZE;
	kn_put_le32(m->header.type, KN_MSG_DATA);
	kn_put_le32(m->receiver, receiver);
	kn_put_le64(m->counter, counter);
	if (len)
		memmove(body, payload, len);
	memset(body + len, 0, padded_len - len);
	kn_aead_seal(body, body, padded_len, NULL, 0, counter, key);
	return (int)(KN_MSG_DATA_MIN_LEN + padded_len);
}

int kn_data_open(u8 *out, size_t out_size, const void *msg, size_t len,
		 const u8 key[KN_KEY_LEN], u64 *counter)
{
	const u8 *body = (const u8 *)msg + KN_MSG_DATA_HDR_LEN;
	size_t plen;
	u32 receiver;
	u64 ctr;

	if (kn_data_parse_header(msg, len, &receiver, &ctr))
		return -EINVAL;
	if (len > KN_DATA_MAX_LEN)
		return -EMSGSIZE;
	plen = len - KN_MSG_DATA_MIN_LEN;
	if (plen > out_size)
		return -EMSGSIZE;
	if (ctr >= KN_REJECT_AFTER_MESSAGES)
		return -EINVAL;
	if (!kn_aead_open(out, body, plen + KN_AEAD_TAG_LEN, NULL, 0, ctr, key))
		return -EBADMSG;
	*counter = ctr;
	return (int)plen;
}
