/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NAT64 translator of a keynet device (skb side): a packet routed
 * into the device in one family comes back out of it, translated, as a
 * received packet of the other family.  The translation itself is the
 * pure core (nat64_xlat.h); the mappings are nat64_pool.h.
 */
#ifndef _KN_NAT64_H
#define _KN_NAT64_H

#include <linux/skbuff.h>
#include <linux/percpu.h>
#include <uapi/linux/keynet.h>

#include "nat64_xlat.h"
#include "nat64_pool.h"

struct kn_device;

/**
 * struct kn_nat64_conf - one version of the translator's settings
 * @cfg: what the pure core reads (mtu4/mtu6 and mss_clamp are filled in
 *	per packet from the device MTU)
 * @mss_clamp: 0 off, %KEYNET_NAT64_MSS_AUTO, or a value
 * @has_ipv4_addr: @cfg.ipv4_addr was configured
 * @has_ipv6_addr: @cfg.ipv6_addr was configured (else derived from
 *	the prefix and the IPv4 address, for error sources only)
 * @pool_timeout: idle seconds of dynamic mappings
 * @pool_per_64: dynamic mappings per source /64 (0: no limit)
 * @clat: CLAT mode (%KEYNET_A_NAT64_CLAT): static maps hold the IPv4
 *	hosts behind the translator, whose packets to any IPv4 destination
 *	are translated with the prefix (kn_nat64_for_us4())
 * @rcu: freed with kfree_rcu() when replaced
 *
 * Immutable once published in &struct kn_nat64_dev.conf.
 */
struct kn_nat64_conf {
	struct kn_nat64_cfg cfg;
	u16 mss_clamp;
	bool has_ipv4_addr;
	bool has_ipv6_addr;
	u32 pool_timeout;
	u32 pool_per_64;
	bool clat;
	struct rcu_head rcu;
};

/*
 * Per CPU, written only by that CPU with BH disabled: the counters and the
 * ICMP error token bucket (credit in nanoseconds of rate, see
 * kn_nat64_icmp_allow()).
 */
struct kn_nat64_stats {
	u64 c[__KEYNET_NAT64_STAT_MAX];
	u64 icmp_credit_ns;
	u64 icmp_last_ns;
};

/**
 * struct kn_nat64_dev - the translator of one device
 * @conf: current settings (RCU; replaced under the device's conf_lock)
 * @pool: static and dynamic mappings
 * @stats: per-CPU counters (&enum keynet_nat64_stat)
 *
 * Published in &struct kn_device.nat64 under conf_lock; torn down after
 * unpublishing and an RCU grace period (kn_nat64_off()), so the data
 * path needs only rcu_read_lock_bh().
 */
struct kn_nat64_dev {
	struct kn_nat64_conf __rcu *conf;
	struct kn_nat64_pool pool;
	struct kn_nat64_stats __percpu *stats;
};

static inline void kn_nat64_count(struct kn_nat64_dev *nd,
				  enum keynet_nat64_stat s)
{
	this_cpu_inc(nd->stats->c[s]);
}

/* %KEYNET_A_NAT64_OFFLINK_MTU: the IPv6 minimum MTU (RFC 8200). */
#define KN_NAT64_DEFAULT_OFFLINK_MTU	1280

u64 kn_nat64_stat_sum(struct kn_nat64_dev *nd, enum keynet_nat64_stat s);

bool kn_nat64_xmit(struct kn_device *kn, struct sk_buff *skb);

struct kn_nat64_dev *kn_nat64_get(struct kn_device *kn);
int kn_nat64_on(struct kn_device *kn, struct kn_nat64_conf *conf);
void kn_nat64_off(struct kn_device *kn);
void kn_nat64_set_conf(struct kn_device *kn, struct kn_nat64_conf *conf);

#endif /* _KN_NAT64_H */
