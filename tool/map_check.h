/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The check of a whole set of NAT64 static maps that needs no kernel:
 * do two of them overlap?  It runs the module's own RFC 7757 table
 * builder (kmod/nat64_eam.c, pure C), so the tool refuses exactly what
 * the kernel would, but names the two maps by their lines.  Kept apart
 * from the rest of the tool: kmod/pure.h's byte-order macros must not
 * meet <arpa/inet.h>.
 */
#ifndef KEYNET_TOOL_MAP_CHECK_H
#define KEYNET_TOOL_MAP_CHECK_H

#include <stdint.h>

/* One map: an IPv4 prefix of @len4 bits, an IPv6 one of 96 + @len4. */
struct kn_map_key {
	uint8_t v4[4];
	uint8_t v6[16];
	uint8_t len4;
};

/*
 * 0 when no two of @n maps overlap (nor have host bits set); else -1
 * with the indexes of the two maps in *@a (the outer or first one) and
 * *@b, and the reason in *@why.  -2: out of memory.
 */
int kn_maps_overlap(const struct kn_map_key *m, int n, int *a, int *b, const char **why);

#endif /* KEYNET_TOOL_MAP_CHECK_H */
