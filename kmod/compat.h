/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels keynet supports (6.1 to 7.x), in one
 * place.  Where the difference is visible to the preprocessor it is tested
 * directly; otherwise Kbuild probes the target tree's headers and defines
 * KN_HAVE_* (see the "feature probes" block in Kbuild).  No version number
 * tests where a probe is possible: distributions backport.
 */
#ifndef _KN_COMPAT_H
#define _KN_COMPAT_H

#include <linux/netdevice.h>
#include <net/rtnetlink.h>

/* 6.12 replaced the NETIF_F_LLTX feature bit by a plain dev->lltx flag. */
static inline void kn_compat_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/* 6.6 made dev->stats updates atomic with DEV_STATS_INC(). */
#ifdef DEV_STATS_INC
#define KN_DEV_STATS_INC(dev, field) DEV_STATS_INC(dev, field)
#else
#define KN_DEV_STATS_INC(dev, field) ((dev)->stats.field++) /* racy, as 6.1 */
#endif

/*
 * rtnl_link_ops.newlink took (src_net, dev, tb, data, extack) until the
 * kernel grouped its arguments in struct rtnl_newlink_params
 * (KN_HAVE_NEWLINK_PARAMS); device.c has one wrapper for each form.
 */

/* netif_napi_add() lost its weight argument in 6.1; keep one spelling. */
static inline void kn_compat_napi_add(struct net_device *dev,
				      struct napi_struct *napi,
				      int (*poll)(struct napi_struct *, int))
{
	netif_napi_add(dev, napi, poll);
}

/* 6.16 renamed from_timer() to timer_container_of(). */
#include <linux/timer.h>
#ifndef timer_container_of
#define timer_container_of(var, t, field) from_timer(var, t, field)
#endif

#endif /* _KN_COMPAT_H */
