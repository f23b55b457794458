/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nat64.c (nat64, pool, map show, save/restore) shares with map.c
 * (map add/del/replace and the map command).
 */
#ifndef KN_TOOL_NAT64_H
#define KN_TOOL_NAT64_H

#include "keynet.h"

/* A per-device dump: map show, pool show, nat64 save. */
struct kn_dev_dump {
	const char *dev;	/* only this device, or NULL for all */
	const char *ifname;	/* of the device being dumped */
	struct kn_show *s;
	FILE *save;		/* nat64 save: the file being written */
};

/* Adds a request's attributes: 0 or -EMSGSIZE. */
typedef int (*kn_put_fn)(struct nl_msg *msg, void *arg);

int kn_need_arg(int argc, char **argv, const char *what);
int kn_nat64_change(uint8_t cmd, const char *dev, kn_put_fn put, void *arg);
int kn_dump_devs(struct kn_show *s, struct kn_dev_dump *dd, uint8_t cmd,
		 kn_nl_cb cb);
int kn_map_print(struct nlattr **a, void *arg);
int kn_show_dev_cmd(int argc, char **argv, kn_show_fn fn);

#endif
