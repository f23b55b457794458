// SPDX-License-Identifier: GPL-2.0
/* Error reporting, word matching and key encoding for the keynet tool. */
#include <stdarg.h>
#include <string.h>
#include <stdlib.h>

#include "keynet.h"

void kn_err(const char *fmt, ...)
{
	va_list ap;

	fputs("keynet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* keynet: <what is wrong> '<token>': <what is expected>, then exit 2. */
int kn_usage_err(const char *what, const char *token, const char *expected)
{
	if (token)
		kn_err("%s '%s': %s", what, token, expected);
	else
		kn_err("%s: %s", what, expected);
	return KN_EXIT_USAGE;
}

/* iproute2 style: @arg matches @word when it is a non-empty prefix of it. */
bool kn_matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

static const char kn_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void kn_key_to_base64(const uint8_t key[KEYNET_KEY_LEN], char out[45])
{
	unsigned int i, o = 0;

	for (i = 0; i + 3 <= KEYNET_KEY_LEN; i += 3) {
		uint32_t v = key[i] << 16 | key[i + 1] << 8 | key[i + 2];

		out[o++] = kn_b64[v >> 18 & 63];
		out[o++] = kn_b64[v >> 12 & 63];
		out[o++] = kn_b64[v >> 6 & 63];
		out[o++] = kn_b64[v & 63];
	}
	/* 32 = 30 + 2: two bytes left, one '=' of padding. */
	{
		uint32_t v = key[30] << 16 | key[31] << 8;

		out[o++] = kn_b64[v >> 18 & 63];
		out[o++] = kn_b64[v >> 12 & 63];
		out[o++] = kn_b64[v >> 6 & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int kn_b64_val(char c)
{
	const char *p = c ? strchr(kn_b64, c) : NULL;

	return p ? (int)(p - kn_b64) : -1;
}

/* Decode a 44-character base64 key; returns 0 or -1. */
int kn_base64_to_key(const char *in, uint8_t key[KEYNET_KEY_LEN])
{
	unsigned int i, o = 0;

	if (strlen(in) != 44 || in[43] != '=')
		return -1;
	for (i = 0; i < 44; i += 4) {
		int a = kn_b64_val(in[i]), b = kn_b64_val(in[i + 1]);
		int c = kn_b64_val(in[i + 2]);
		int d = i == 40 ? 0 : kn_b64_val(in[i + 3]);
		uint32_t v;

		if (a < 0 || b < 0 || c < 0 || d < 0)
			return -1;
		v = a << 18 | b << 12 | c << 6 | d;
		key[o++] = v >> 16;
		key[o++] = v >> 8;
		if (o < KEYNET_KEY_LEN)
			key[o++] = v;
		else if (v & 0xff)
			return -1;	/* non-canonical: padding bits set */
	}
	return 0;
}
