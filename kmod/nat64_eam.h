/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 7757 Explicit Address Mappings: a table of IPv4 prefix <-> IPv6
 * prefix pairs with equal suffix lengths, searched by longest prefix match
 * in both directions.  Pure C (kmod/pure.h): the kernel and the unit tests
 * and fuzzers share it.
 *
 * Lifetime: a table is immutable once kn_eam_build() has returned 0.  The
 * caller owns its memory (the entry array and the v6 index, both @n long)
 * and replaces a whole table at once, e.g. by publishing a new one with
 * rcu_assign_pointer() and freeing the old after a grace period: readers
 * never see a half-built table, which is what makes a reload atomic
 * (issue 22, "replace the whole map set atomically").
 */
#ifndef _KN_NAT64_EAM_H
#define _KN_NAT64_EAM_H

#include "pure.h"

/* "No entry" in the parent links. */
#define KN_EAM_NONE	0xffffffffu

/**
 * struct kn_eam - one mapping
 * @v4: IPv4 prefix, host byte order, host bits zero
 * @len4: its length; the IPv6 prefix is 96 + @len4 long (equal suffixes)
 * @v6: IPv6 prefix, network order, host bits zero
 * @id: the caller's number for it (e.g. its config line), reported back
 *      when it conflicts with another; not used for lookups
 * @parent4: set by kn_eam_build(): the nearest entry whose IPv4 prefix
 *      contains this one's, or KN_EAM_NONE
 */
struct kn_eam {
	u32 v4;
	u8 len4;
	u8 v6[16];
	u32 id;
	u32 parent4;
};

/* The IPv6 order: an entry's index and its nearest IPv6 container. */
struct kn_eam_ix {
	u32 e;
	u32 parent;	/* index into the kn_eam_ix array, or KN_EAM_NONE */
};

/**
 * struct kn_eam_table - a built, immutable table
 * @e: the entries, sorted by (IPv4 prefix, length): each prefix is an
 *     interval of addresses, and any two are disjoint or nested
 * @by6: the same entries sorted by (IPv6 prefix, length)
 * @n: number of entries
 *
 * A lookup is one binary search for the last prefix starting at or
 * before the address; it holds the longest match if it contains the
 * address at all, else the match is among its containers (parent links,
 * at most 32 deep, none at all when nested maps are refused).
 */
struct kn_eam_table {
	const struct kn_eam *e;
	const struct kn_eam_ix *by6;
	u32 n;
};

/* Why kn_eam_build() refused a set; @a and @b are entries' ids. */
enum kn_eam_err {
	KN_EAM_OK = 0,
	KN_EAM_BAD_LEN,		/* len4 > 32 */
	KN_EAM_HOST_BITS,	/* a prefix has host bits set */
	KN_EAM_DUP4,		/* two entries with the same IPv4 prefix */
	KN_EAM_DUP6,		/* ... the same IPv6 prefix */
	KN_EAM_NEST4,		/* an IPv4 prefix inside another's */
	KN_EAM_NEST6,		/* an IPv6 prefix inside another's */
};

struct kn_eam_conflict {
	enum kn_eam_err err;
	u32 a, b;		/* ids; b unused for BAD_LEN / HOST_BITS */
};

/*
 * Sort and check @n entries at @e (rearranged in place) with @by6 (room
 * for @n) into @t.  Identical prefixes are always refused.  Nested
 * prefixes (one inside another on either side) make translation
 * asymmetric - two IPv6 addresses translate to one IPv4 address - and are
 * refused unless @nested_ok, as Jool refuses them without --force; when
 * allowed, the longest match wins (RFC 7757 section 3.2).  Returns 0, or
 * -1 with *@why saying which entries conflict.
 */
int kn_eam_build(struct kn_eam_table *t, struct kn_eam *e, struct kn_eam_ix *by6, u32 n,
		 bool nested_ok, struct kn_eam_conflict *why);

/* The longest match for an address, or NULL. */
const struct kn_eam *kn_eam_find4(const struct kn_eam_table *t, __be32 addr);
const struct kn_eam *kn_eam_find6(const struct kn_eam_table *t, const u8 addr[16]);

/* RFC 7757 section 3.3: translate through the longest match; false if none. */
bool kn_eam_4to6(const struct kn_eam_table *t, __be32 addr, u8 out[16]);
bool kn_eam_6to4(const struct kn_eam_table *t, const u8 addr[16], __be32 *out);

/* The entry with exactly @m's prefixes (v4, len4, v6), or NULL. */
const struct kn_eam *kn_eam_find_exact(const struct kn_eam_table *t, const struct kn_eam *m);

/*
 * How many addresses of the IPv4 range [@base, @base + @size) (host
 * order; @size >= 1, the range not wrapping past 255.255.255.255) @m's
 * IPv4 prefix holds, with the offset of the first of them in *@first: a
 * map and a range overlap in one interval or not at all.  0 if none.
 */
u32 kn_eam_span4(const struct kn_eam *m, u32 base, u32 size, u32 *first);

/* A message for a refusal, e.g. "IPv4 prefix nested in another map's". */
const char *kn_eam_strerror(enum kn_eam_err err);

#endif /* _KN_NAT64_EAM_H */
