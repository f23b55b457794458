// SPDX-License-Identifier: GPL-2.0
/*
 * Overlapping NAT64 static maps, found by the module's table builder
 * (see map_check.h).
 */
#include <stdlib.h>

#include "map_check.h"
#include "../kmod/nat64_eam.h"

int kn_maps_overlap(const struct kn_map_key *m, int n, int *a, int *b, const char **why)
{
	struct kn_eam *e = calloc(n > 0 ? (size_t)n : 1, sizeof(*e));
	struct kn_eam_ix *ix = calloc(n > 0 ? (size_t)n : 1, sizeof(*ix));
	struct kn_eam_conflict c;
	struct kn_eam_table t;
	int i, ret = 0;

	if (!e || !ix) {
		ret = -2;
		goto out;
	}
	for (i = 0; i < n; i++) {
		e[i].v4 = kn_get_be32(m[i].v4);
		e[i].len4 = m[i].len4;
		memcpy(e[i].v6, m[i].v6, 16);
		e[i].id = (u32)i;
	}
	if (kn_eam_build(&t, e, ix, (u32)n, false, &c)) {
		*a = (int)c.a;
		*b = c.err == KN_EAM_BAD_LEN || c.err == KN_EAM_HOST_BITS ? -1 : (int)c.b;
		/* Neutral: either of the two may be the one inside the other. */
		if (c.err == KN_EAM_DUP4 || c.err == KN_EAM_NEST4)
			*why = "their IPv4 prefixes overlap (one address would have two translations)";
		else if (c.err == KN_EAM_DUP6 || c.err == KN_EAM_NEST6)
			*why = "their IPv6 prefixes overlap (one address would have two translations)";
		else
			*why = kn_eam_strerror(c.err);
		ret = -1;
	}
out:
	free(ix);
	free(e);
	return ret;
}
