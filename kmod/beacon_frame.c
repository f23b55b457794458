// SPDX-License-Identifier: GPL-2.0
/* LAN beacon frames; the layout and the key derivation are in beacon_frame.h. */
#include "beacon_frame.h"
#include "noise.h"

static const u8 kn_beacon_magic[4] = { 'K', 'N', 'B', '1' };
static const char kn_beacon_label_mac[] = "keynet beacon mac v1";
static const char kn_beacon_label_psk[] = "keynet beacon psk v1";

void kn_beacon_derive_keys(struct kn_beacon_keys *k,
			   const u8 beacon_key[KN_BEACON_KEY_LEN])
{
	/* The labels go in without their NUL. */
	kn_hmac(k->mac_key, beacon_key, KN_BEACON_KEY_LEN, kn_beacon_label_mac,
		sizeof(kn_beacon_label_mac) - 1);
	kn_hmac(k->psk, beacon_key, KN_BEACON_KEY_LEN, kn_beacon_label_psk,
		sizeof(kn_beacon_label_psk) - 1);
}

static void kn_beacon_put_be64(u8 *p, u64 v)
{
	kn_put_be32(p, (u32)(v >> 32));
	kn_put_be32(p + 4, (u32)v);
}

static u64 kn_beacon_get_be64(const u8 *p)
{
	return (u64)kn_get_be32(p) << 32 | kn_get_be32(p + 4);
}

void kn_beacon_frame_encode(u8 out[KN_BEACON_LEN],
			    const u8 mac_key[KN_BEACON_KEY_LEN],
			    const struct kn_beacon_info *info)
{
	memcpy(out, kn_beacon_magic, sizeof(kn_beacon_magic));
	out[4] = info->type;
	out[5] = 0;
	kn_put_be16(out + 6, info->port);
	memcpy(out + 8, info->public_key, KN_BEACON_KEY_LEN);
	kn_beacon_put_be64(out + 40, info->stamp);
	kn_mac(out + KN_BEACON_MAC_OFF, mac_key, KN_BEACON_KEY_LEN, out,
	       KN_BEACON_MAC_OFF);
}

int kn_beacon_frame_parse(const void *buf, size_t len, struct kn_beacon_info *info)
{
	const u8 *p = buf;

	if (len != KN_BEACON_LEN || memcmp(p, kn_beacon_magic, 4) ||
	    (p[4] != KN_BEACON_ANNOUNCE && p[4] != KN_BEACON_REPLY) || p[5])
		return -EINVAL;
	info->type = p[4];
	info->port = kn_get_be16(p + 6);
	if (!info->port)
		return -EINVAL;
	memcpy(info->public_key, p + 8, KN_BEACON_KEY_LEN);
	info->stamp = kn_beacon_get_be64(p + 40);
	return 0;
}

bool kn_beacon_frame_mac_ok(const void *buf, const u8 mac_key[KN_BEACON_KEY_LEN])
{
	u8 mac[KN_BEACON_MAC_LEN];
	bool ok;

	kn_mac(mac, mac_key, KN_BEACON_KEY_LEN, buf, KN_BEACON_MAC_OFF);
	ok = kn_memeq(mac, (const u8 *)buf + KN_BEACON_MAC_OFF, sizeof(mac));
	kn_memzero(mac, sizeof(mac));
	return ok;
}

enum kn_beacon_stamp_verdict kn_beacon_stamp_check(u64 stamp, u64 now, u64 window,
						   const u64 *last)
{
	/* The distance, without overflow, whichever side of @now it is. */
	u64 dist = stamp > now ? stamp - now : now - stamp;

	if (window && dist > window)
		return KN_BEACON_STAMP_STALE;
	if (last && stamp <= *last)
		return KN_BEACON_STAMP_REPLAYED;
	return KN_BEACON_STAMP_OK;
}

void kn_beacon_key_b64(const u8 key[KN_BEACON_KEY_LEN], char out[45])
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int i, o = 0;
	u32 v;

	/* 30 bytes in ten full groups, then the last 2 bytes and one '='. */
	for (i = 0; i < KN_BEACON_KEY_LEN; i += 3) {
		v = (u32)key[i] << 16 | (u32)key[i + 1] << 8;
		if (i + 2 < KN_BEACON_KEY_LEN)
			v |= key[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
		out[o++] = i + 2 < KN_BEACON_KEY_LEN ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}
