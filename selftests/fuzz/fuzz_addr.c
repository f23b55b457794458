// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/addr_derive.c: the cjdns base32 and hex key
 * decoders, and the address rule.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I kmod -I include \
 *	-o build/fuzz_addr selftests/fuzz/fuzz_addr.c kmod/addr_derive.c
 *   build/fuzz_addr -max_total_time=60 selftests/fuzz/corpus/addr
 *
 * Properties: a decoder reads only the bytes it is given; an accepted
 * base32 key re-encodes to exactly its input (one spelling per key); an
 * accepted hex key re-encodes to its input up to case; a rejected hex key
 * leaves zeros; the address keeps the first plen bits of the prefix and
 * the rest of the hash.
 */
#include <stdlib.h>
#include <string.h>
#include "addr_derive.h"

#define FZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static void fz_b32(const char *in, size_t len)
{
	char s[KN_ADDR_B32_STRLEN + 1];
	u8 key[KN_ADDR_KEY_LEN];

	if (kn_addr_b32_to_key(in, len, key))
		return;
	kn_addr_key_to_b32(key, s);
	FZ_ASSERT(len == KN_ADDR_B32_DIGITS || len == KN_ADDR_B32_STRLEN);
	FZ_ASSERT(!memcmp(s, in, len));
}

static void fz_hex(const char *in, size_t len)
{
	static const char hx[] = "0123456789abcdef";
	u8 key[KN_ADDR_KEY_LEN];
	size_t i;

	if (kn_addr_hex_to_key(in, len, key)) {
		for (i = 0; i < KN_ADDR_KEY_LEN; i++)
			FZ_ASSERT(!key[i]);
		return;
	}
	FZ_ASSERT(len == KN_ADDR_HEX_DIGITS);
	for (i = 0; i < KN_ADDR_KEY_LEN; i++) {
		FZ_ASSERT((in[2 * i] | 0x20) == hx[key[i] >> 4]);
		FZ_ASSERT((in[2 * i + 1] | 0x20) == hx[key[i] & 15]);
	}
}

static void fz_rule(const u8 *d, size_t n)
{
	u8 h[KN_ADDR_HASH_LEN] = { 0 }, prefix[16] = { 0 }, out[16];
	unsigned int plen, i;

	if (n < 1)
		return;
	plen = d[0] % 136;
	d++;
	n--;
	memcpy(prefix, d, n < 16 ? n : 16);
	if (n > 16)
		memcpy(h, d + 16, n - 16 < 16 ? n - 16 : 16);
	kn_addr_from_hash(h, prefix, plen, out);
	for (i = 0; i < 128; i++) {
		u8 bit = out[i / 8] & (0x80 >> (i % 8));
		const u8 *src = i < plen ? prefix : h;

		FZ_ASSERT(bit == (src[i / 8] & (0x80 >> (i % 8))));
	}
	if (kn_addr_prefix_valid(prefix, plen)) {
		FZ_ASSERT(plen >= KN_ADDR_PLEN_MIN && plen <= KN_ADDR_PLEN_MAX);
		for (i = plen; i < 128; i++)
			FZ_ASSERT(!(prefix[i / 8] & (0x80 >> (i % 8))));
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char *buf;

	/* An exact-size copy, so ASan catches any read past @len. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	fz_b32(buf, size);
	fz_hex(buf, size);
	fz_rule(data, size);
	free(buf);
	return 0;
}
