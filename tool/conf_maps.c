// SPDX-License-Identifier: GPL-2.0
/*
 * Static NAT64 maps as the tool checks them before the kernel does: one
 * map alone (equal suffixes, no never-translated address) and a whole set
 * for overlaps, with the module's own table builder (map_check.c), so
 * that conf check, conf apply and map add/replace name the lines at
 * fault.  And a map as written, for those messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "conf.h"
#include "map_check.h"

/* "V4[/LEN] V6[/LEN]": a map as written (a single address without /LEN). */
void kn_conf_map_text(const struct kn_conf_map *m, char *buf, size_t size)
{
	char a4[INET_ADDRSTRLEN] = "?", a6[INET6_ADDRSTRLEN] = "?", l4[8] = "", l6[8] = "";

	inet_ntop(AF_INET, m->v4, a4, sizeof(a4));
	inet_ntop(AF_INET6, m->v6, a6, sizeof(a6));
	if (m->len4 != 32)
		snprintf(l4, sizeof(l4), "/%u", m->len4);
	if (m->len6 != 128)
		snprintf(l6, sizeof(l6), "/%u", m->len6);
	snprintf(buf, size, "%s%s %s%s", a4, l4, a6, l6);
}

/*
 * The checks of one static map that need neither the kernel nor the
 * [NAT64] settings: RFC 7757's equal suffixes, and no address that is
 * never translated on either side (the kernel's rules: 0/8, 127/8, 224/4
 * and 240/4; ::, ::1, fe80::/10, ff00::/8).  NULL, or what is wrong.
 */
const char *kn_conf_map_check(const struct kn_conf_map *m)
{
	static const uint8_t zero6[16];
	unsigned int first = m->v4[0], last = first;

	if (m->len4 > 32 || m->len6 != 96 + m->len4)
		return "the IPv6 prefix must be 96 bits longer than the IPv4 one (equal suffixes, RFC 7757)";
	if (m->len4 < 8)
		last = first | (0xffu >> m->len4);
	if (first == 0 || (first <= 127 && last >= 127) || last >= 224)
		return "holds IPv4 addresses that are never translated (0/8, 127/8, 224/4, 240/4)";
	if (m->v6[0] == 0xff || (m->v6[0] == 0xfe && (m->v6[1] & 0xc0) == 0x80) ||
	    !memcmp(m->v6, zero6, 15))
		return "expected unicast IPv6 (not ::, ::1, fe80::/10 or ff00::/8)";
	return NULL;
}

/*
 * Every map of @maps checked alone, then the set for overlaps (the
 * kernel's own table builder): 0, or -1 with *@bad the map at fault,
 * *@other the one it overlaps (-1: none) and *@why the reason; -2: no
 * memory.
 */
int kn_conf_maps_check(const struct kn_conf_map *maps, int n, int *bad, int *other,
		       const char **why)
{
	struct kn_map_key *k;
	int i, ret, a, b;

	*other = -1;
	for (i = 0; i < n; i++) {
		*why = kn_conf_map_check(&maps[i]);
		if (*why) {
			*bad = i;
			return -1;
		}
	}
	k = calloc(n > 0 ? (size_t)n : 1, sizeof(*k));
	if (!k)
		return -2;
	for (i = 0; i < n; i++) {
		memcpy(k[i].v4, maps[i].v4, 4);
		memcpy(k[i].v6, maps[i].v6, 16);
		k[i].len4 = maps[i].len4;
	}
	ret = kn_maps_overlap(k, n, &a, &b, why);
	free(k);
	if (ret == -1) {
		/* Name the later one (by position), as a duplicate would be. */
		*bad = b > a ? b : a;
		*other = b > a ? a : b;
	}
	return ret;
}
