/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment of keynet's "pure" files: protocol and translation logic
 * that needs no skb, no lock and no allocation of its own.  These files
 * compile unchanged in the kernel and in userspace, where `make check`
 * unit-tests and fuzzes them (selftests/unit, selftests/fuzz).
 *
 * Rules for a pure file: include only this header (and other pure headers),
 * use fixed-width kernel types and the byte-order helpers below, never
 * dereference unaligned multi-byte fields directly (use kn_get_be16() and
 * friends), and report failure through return values, never by logging.
 */
#ifndef _KN_PURE_H
#define _KN_PURE_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/build_bug.h>
#include <asm/byteorder.h>

#else /* userspace */

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <endian.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint64_t __be64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef uint16_t __sum16;
typedef uint32_t __wsum;

#define __force
#define __bitwise
#define __must_check __attribute__((warn_unused_result))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))

#define cpu_to_be16(x) htobe16(x)
#define cpu_to_be32(x) htobe32(x)
#define cpu_to_be64(x) htobe64(x)
#define be16_to_cpu(x) be16toh(x)
#define be32_to_cpu(x) be32toh(x)
#define be64_to_cpu(x) be64toh(x)
#define cpu_to_le16(x) htole16(x)
#define cpu_to_le32(x) htole32(x)
#define cpu_to_le64(x) htole64(x)
#define le16_to_cpu(x) le16toh(x)
#define le32_to_cpu(x) le32toh(x)
#define le64_to_cpu(x) le64toh(x)
#define htons(x) htobe16(x)
#define htonl(x) htobe32(x)
#define ntohs(x) be16toh(x)
#define ntohl(x) be32toh(x)

#ifndef EINVAL
#include <errno.h>
#endif

#endif /* __KERNEL__ */

/* Byte-wise big/little-endian access; safe at any alignment. */
static inline u16 kn_get_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 kn_get_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void kn_put_be16(void *p, u16 v)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void kn_put_be32(void *p, u32 v)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static inline u32 kn_get_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[3] << 24 | (u32)b[2] << 16 | (u32)b[1] << 8 | b[0];
}

static inline void kn_put_le32(void *p, u32 v)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

static inline u64 kn_get_le64(const void *p)
{
	const u8 *b = p;

	return (u64)kn_get_le32(b + 4) << 32 | kn_get_le32(b);
}

static inline void kn_put_le64(void *p, u64 v)
{
	u8 *b = p;

	kn_put_le32(b, (u32)v);
	kn_put_le32(b + 4, (u32)(v >> 32));
}

#endif /* _KN_PURE_H */
