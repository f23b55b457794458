// SPDX-License-Identifier: GPL-2.0
/*
 * NAT64 on the transmit path of a keynet device (the TAYGA model, in the
 * kernel): a packet routed into the device whose destination belongs to
 * the translator (IPv6 inside the prefix or a static map; IPv4 inside the
 * pool, a static map or the translator's own address) is translated by
 * the pure core and handed back to the stack as a packet *received* on
 * the same device, so routing, nftables, conntrack and MASQUERADE see it
 * as they would see TAYGA's TUN output.  Everything else goes on to the
 * tunnel (kn_dev_xmit() in device.c calls kn_nat64_xmit() first, then
 * kn_xmit()).  TCP GSO super-packets are translated whole
 * (kn_nat64_gso()); other GSO packets are segmented first.
 *
 * Context: ndo_start_xmit, BH disabled, under rcu_read_lock_bh().  The
 * core writes the translated headers into a per-CPU scratch buffer (not
 * the stack: up to 1280 bytes); nothing here can re-enter the transmit
 * path on the same CPU before the buffer is consumed, because delivery is
 * netif_rx(), which only queues.
 *
 * Errors: every packet refused gets the RFC 7915 ICMP error the core
 * chose (delivered as a received packet towards its source) or is a
 * counted drop; counters are per CPU by &enum keynet_nat64_stat.
 *
 * Address mapping (RFC 7757 section 3.2): a static map (the EAM table,
 * longest match) first, then a dynamic mapping, then the RFC 6052
 * prefix, then (a new IPv6 source only) the pool; the ICMP inner
 * addresses go through the same callbacks.  Hairpinning (RFC 7757
 * section 4): an IPv6 packet whose IPv4 translation is addressed to a
 * mapped address of this translator is translated back to IPv6 at once
 * (kn_nat64_one() calls itself once), and that second translation maps
 * the IPv4 source (and the inner destination of an ICMP error) with the
 * RFC 6052 prefix rather than a map, so the receiver answers through
 * the translator to the address the sender wrote to.
 *
 * CLAT (464XLAT, RFC 6877; the setting clat, &struct kn_nat64_conf.clat):
 * the static maps hold the IPv4 hosts *behind* the translator (a host's
 * own IPv4 address <-> its CLAT IPv6 address) rather than IPv6 hosts
 * given IPv4 addresses.  An IPv4 packet from such a source is then
 * translated whatever its destination (kn_nat64_for_us4(); a crypto-key
 * route of the device for the destination keeps precedence), the
 * destination with the RFC 6052 prefix of the PLAT when no map holds it:
 * plain SIIT, EAM first and then the prefix (RFC 7915, RFC 7757 section
 * 3.2).  A translated IPv6 packet to a static map's IPv4 side is then
 * delivered to that host, not hairpinned (kn_nat64_hairpin()).
 */
#include <linux/netdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/moduleparam.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "device.h"
#include "lpm.h"
#include "nat64.h"
#include "nat64_addr.h"
#include "nat64_icmp.h"
#include "ratelimit.h"
#include "compat.h"

/* MSS clamp "auto": device MTU minus IPv6 and TCP headers. */
#define KN_MSS_OVERHEAD	60
#define KN_MSS_MIN	536

struct kn_nat64_scratch {
	u8 out[KN_NAT64_OUT_MAX];
	u8 err[KN_NAT64_V6_ERR_MAX];
};

static DEFINE_PER_CPU(struct kn_nat64_scratch, kn_nat64_scratch);

/* State of one translation, for the map callbacks. */
struct kn_nat64_ctx {
	struct kn_nat64_dev *nd;
	struct kn_nat64_cfg cfg;
	bool hairpin;
	bool clat;	/* CLAT: the IPv4 source is statically mapped */
	bool pool_full;
	bool per64;
	bool nomem;
};

u64 kn_nat64_stat_sum(struct kn_nat64_dev *nd, enum keynet_nat64_stat s)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(nd->stats, cpu)->c[s];
	return sum;
}

static bool kn_in_prefix(const struct kn_nat64_cfg *cfg, const u8 *v6)
{
	return !memcmp(v6, cfg->prefix, cfg->prefix_len / 8);
}

/* ---- address mapping callbacks of the core (see nat64_xlat.h) ---- */

static int kn_nat64_map46(void *c, __be32 v4, u8 v6[16],
			  enum kn_nat64_dir which)
{
	struct kn_nat64_ctx *ctx = c;
	struct kn_nat64_pool *pool = &ctx->nd->pool;
	struct kn_nat64_statics *st;
	struct kn_nat64_map *m;

	/* Hairpinned: the sender wrote to prefix::v4, so it answers from it. */
	if (ctx->hairpin && (which == KN_NAT64_SRC || which == KN_NAT64_INNER_DST))
		return kn_nat64_rfc6052_4to6(&ctx->cfg, v4, v6, which);
	st = kn_nat64_statics_rcu(pool);
	if (st && kn_eam_4to6(&st->t, v4, v6))
		goto mapped;
	m = kn_nat64_map_by_v4(pool, v4);
	if (m) {
		kn_nat64_map_touch(m);
		memcpy(v6, &m->v6, 16);
		goto mapped;
	}
	/*
	 * A destination (or a quoted source) must be a mapped host, unless
	 * the packet comes from a CLAT host (its source statically mapped):
	 * then any IPv4 host is reached through the PLAT, at the prefix
	 * with its address embedded (the restrictions of the prefix apply).
	 * Addresses of our own (the pool, ours) are no host behind a PLAT:
	 * an unmapped one stays refused as without CLAT.
	 */
	if (which == KN_NAT64_DST || which == KN_NAT64_INNER_SRC) {
		if (!ctx->clat || v4 == ctx->cfg.ipv4_addr ||
		    kn_nat64_pool_contains(pool, v4))
			return -ENOENT;
	}
	return kn_nat64_rfc6052_4to6(&ctx->cfg, v4, v6, which);

mapped:
	/* Loop guard: a map pointing back into our own prefix. */
	if (which == KN_NAT64_DST && kn_in_prefix(&ctx->cfg, v6))
		return -ELOOP;
	return 0;
}

/* Is @v4 mapped (statically or dynamically) to an IPv6 host by @pool? */
static bool kn_nat64_v4_mapped(struct kn_nat64_pool *pool, __be32 v4)
{
	return kn_nat64_static4(pool, v4) || kn_nat64_map_by_v4(pool, v4);
}

static int kn_nat64_map64(void *c, const u8 v6[16], __be32 *v4,
			  enum kn_nat64_dir which)
{
	struct kn_nat64_ctx *ctx = c;
	struct kn_nat64_pool *pool = &ctx->nd->pool;
	struct kn_nat64_statics *st = kn_nat64_statics_rcu(pool);
	struct kn_nat64_map *m;
	struct in6_addr a;
	int err;

	if (st && kn_eam_6to4(&st->t, v6, v4))
		return 0;
	memcpy(&a, v6, sizeof(a));
	m = kn_nat64_map_by_v6(pool, &a);
	if (m) {
		kn_nat64_map_touch(m);
		*v4 = m->v4;
		return 0;
	}
	if (kn_in_prefix(&ctx->cfg, v6)) {
		err = kn_nat64_rfc6052_6to4(&ctx->cfg, v6, v4, which);
		if (err)
			return err;
		/*
		 * Hairpinning to a mapped pool address is fine: the IPv4
		 * packet comes back in once and leaves as IPv6.  An
		 * unmapped pool address would only come back to be refused.
		 */
		if (which == KN_NAT64_DST && *v4 != ctx->cfg.ipv4_addr &&
		    kn_nat64_pool_contains(pool, *v4) &&
		    !kn_nat64_v4_mapped(pool, *v4))
			return -ELOOP;
		return 0;
	}
	if (which != KN_NAT64_SRC)
		return -ENOENT;
	err = kn_nat64_pool_alloc(pool, &a, v4);
	if (err == -ENOSPC)
		ctx->pool_full = true;
	else if (err == -EDQUOT)
		ctx->per64 = true;
	else if (err == -ENOMEM)
		ctx->nomem = true;
	return err ? -ENOENT : 0;
}

static const struct kn_nat64_ops kn_nat64_pool_ops = {
	.map_4to6 = kn_nat64_map46,
	.map_6to4 = kn_nat64_map64,
};

static enum keynet_nat64_stat kn_reason_stat(const struct kn_nat64_ctx *ctx,
					     enum kn_nat64_reason r)
{
	BUILD_BUG_ON(KEYNET_NAT64_STAT_NO_SPACE - KEYNET_NAT64_STAT_TRUNCATED !=
		     KN_NAT64_R_NO_SPACE - KN_NAT64_R_TRUNCATED);
	BUILD_BUG_ON(KEYNET_NAT64_STAT_LOOP - KEYNET_NAT64_STAT_TRUNCATED !=
		     KN_NAT64_R_LOOP - KN_NAT64_R_TRUNCATED);
	if (ctx->pool_full)
		return KEYNET_NAT64_STAT_POOL_FULL;
	if (ctx->per64)
		return KEYNET_NAT64_STAT_POOL_PER_64;
	if (ctx->nomem)
		return KEYNET_NAT64_STAT_NOMEM;
	/* Core reasons added after the UAPI counters that follow NO_SPACE. */
	if (r == KN_NAT64_R_MARTIAN)
		return KEYNET_NAT64_STAT_MARTIAN;
	if (r == KN_NAT64_R_MARTIAN6)
		return KEYNET_NAT64_STAT_MARTIAN6;
	if (r < KN_NAT64_R_TRUNCATED || r > KN_NAT64_R_NO_SPACE)
		return KEYNET_NAT64_STAT_BAD_HDR;
	return KEYNET_NAT64_STAT_TRUNCATED + (r - KN_NAT64_R_TRUNCATED);
}

/* ---- delivery ---- */

/* Hand @skb (an IP packet at skb->data) to the stack as received on @dev. */
static void kn_nat64_rx(struct net_device *dev, struct sk_buff *skb, bool v6)
{
	unsigned int len = skb->len;

	skb_scrub_packet(skb, false);
	skb_orphan(skb);
	skb->dev = dev;
	skb->protocol = v6 ? htons(ETH_P_IPV6) : htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_mac_len(skb);
	if (netif_rx(skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(dev, len);
}

static struct sk_buff *kn_nat64_new_skb(struct net_device *dev,
					const u8 *buf, u32 len)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, len);

	if (skb)
		skb_put_data(skb, buf, len);
	return skb;
}

/*
 * ICMP error rate limit (RFC 4443 2.4(f)): a token bucket per device and
 * CPU, by default 1,000 errors/s with bursts of 50, the kernel's
 * icmp_msgs_per_sec and icmp_msgs_burst defaults.  Per CPU, so no lock
 * and no shared cache line on the error path; the price is a device-wide
 * rate of N x the rate on N CPUs.  A bucket starts full (credit 0, last
 * 0: the first refill saturates it).  The parameters may change at any
 * time; a change applies from the next error on.
 */
static unsigned int kn_nat64_icmp_rate = 1000;
module_param_named(nat64_icmp_rate, kn_nat64_icmp_rate, uint, 0644);
MODULE_PARM_DESC(nat64_icmp_rate,
		 "ICMP errors the NAT64 translator sends per second and CPU (0: no limit)");
static unsigned int kn_nat64_icmp_burst = 50;
module_param_named(nat64_icmp_burst, kn_nat64_icmp_burst, uint, 0644);
MODULE_PARM_DESC(nat64_icmp_burst, "Burst of the NAT64 ICMP error limit");

static bool kn_nat64_icmp_allow(struct kn_nat64_dev *nd)
{
	struct kn_nat64_stats *st = this_cpu_ptr(nd->stats);
	u32 rate = READ_ONCE(kn_nat64_icmp_rate);
	u32 burst = max(READ_ONCE(kn_nat64_icmp_burst), 1U);
	u64 cost;

	if (!rate)
		return true;
	cost = NSEC_PER_SEC / min_t(u32, rate, NSEC_PER_SEC);
	return kn_bucket_take(&st->icmp_credit_ns, &st->icmp_last_ns,
			      ktime_get_mono_fast_ns(), cost, cost * burst);
}

/* Answer @skb's sender with the ICMP error @err (from our own address). */
static void kn_nat64_send_err(struct kn_nat64_ctx *ctx, struct net_device *dev,
			      struct sk_buff *skb, bool from6,
			      const struct kn_nat64_icmp_err *err)
{
	u8 *buf = this_cpu_ptr(&kn_nat64_scratch)->err;
	u32 len = min_t(u32, skb->len,
			from6 ? KN_NAT64_V6_ERR_MAX : KN_NAT64_V4_ERR_MAX);
	struct sk_buff *nskb;
	int n;

	if (!kn_nat64_icmp_allow(ctx->nd)) {
		kn_nat64_count(ctx->nd, KEYNET_NAT64_STAT_ICMP_RATELIMITED);
		return;
	}
	if (!pskb_may_pull(skb, len))
		return;
	if (from6)
		n = kn_nat64_build_icmp6_err(&ctx->cfg, skb->data, len, err,
					     buf, KN_NAT64_V6_ERR_MAX);
	else
		n = kn_nat64_build_icmp4_err(&ctx->cfg, skb->data, len, err,
					     get_random_u16(), buf,
					     KN_NAT64_V4_ERR_MAX);
	if (n <= 0)
		return;
	nskb = kn_nat64_new_skb(dev, buf, n);
	if (!nskb) {
		kn_nat64_count(ctx->nd, KEYNET_NAT64_STAT_NOMEM);
		return;
	}
	kn_nat64_count(ctx->nd, from6 ? KEYNET_NAT64_STAT_ICMP6_SENT :
		       KEYNET_NAT64_STAT_ICMP4_SENT);
	kn_nat64_rx(dev, nskb, from6);
}

/*
 * RFC 7915 section 4.1: an IPv4 packet without DF that grows past 1280
 * bytes (or the configured offlink-mtu, @mtu) is sent as IPv6 fragments
 * of at most that size.  @skb is the translated IPv6 packet (with a
 * Fragment header already when the IPv4 packet was itself a fragment:
 * its offset and M flag are kept).
 */
static void kn_nat64_frag6(struct kn_nat64_dev *nd, struct net_device *dev,
			   struct sk_buff *skb, u16 id4, u32 mtu)
{
	/* Payload bytes per fragment: a multiple of 8 (1232 for 1280). */
	u32 chunk = (max_t(u32, mtu, IPV6_MIN_MTU) - sizeof(struct ipv6hdr) -
		     sizeof(struct frag_hdr)) & ~7U;
	u32 hoff = sizeof(struct ipv6hdr), plen, off, n, base = 0;
	__be32 id = htonl(id4);
	struct frag_hdr *fh;
	struct ipv6hdr *h;
	struct sk_buff *nskb;
	bool more = false;
	u8 nexthdr;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;
	if (!pskb_may_pull(skb, hoff + sizeof(*fh)))
		goto drop;
	nexthdr = ipv6_hdr(skb)->nexthdr;
	if (nexthdr == NEXTHDR_FRAGMENT) {
		fh = (struct frag_hdr *)(skb->data + hoff);
		nexthdr = fh->nexthdr;
		base = ntohs(fh->frag_off) & ~7U;
		more = fh->frag_off & htons(IP6_MF);
		id = fh->identification;
		hoff += sizeof(*fh);
	}
	plen = skb->len - hoff;
	for (off = 0; off < plen; off += n) {
		n = min_t(u32, plen - off, chunk);
		nskb = netdev_alloc_skb(dev, sizeof(*h) + sizeof(*fh) + n);
		if (!nskb) {
			kn_nat64_count(nd, KEYNET_NAT64_STAT_NOMEM);
			break;
		}
		h = skb_put_data(nskb, skb->data, sizeof(*h));
		h->nexthdr = NEXTHDR_FRAGMENT;
		h->payload_len = htons(sizeof(*fh) + n);
		fh = skb_put(nskb, sizeof(*fh));
		fh->nexthdr = nexthdr;
		fh->reserved = 0;
		fh->frag_off = htons((base + off) |
				     ((off + n < plen || more) ? IP6_MF : 0));
		fh->identification = id;
		if (skb_copy_bits(skb, hoff + off, skb_put(nskb, n), n)) {
			kfree_skb(nskb);
			break;
		}
		kn_nat64_count(nd, KEYNET_NAT64_STAT_FRAGMENTS);
		kn_nat64_rx(dev, nskb, true);
	}
	consume_skb(skb);
	return;
drop:
	kn_nat64_count(nd, KEYNET_NAT64_STAT_NOMEM);
	kfree_skb(skb);
}

/*
 * A packet for the translator's own address: echo requests are answered
 * (as TAYGA does), everything else is dropped.  Counted as LOCAL.
 */
static void kn_nat64_local(struct kn_nat64_dev *nd, struct net_device *dev,
			   struct sk_buff *skb, bool v6)
{
	u32 hlen = v6 ? sizeof(struct ipv6hdr) : ip_hdrlen(skb);
	u8 *icmp;

	kn_nat64_count(nd, KEYNET_NAT64_STAT_LOCAL);
	if (skb_ensure_writable(skb, hlen + 8) ||
	    (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)))
		goto drop;
	icmp = skb->data + hlen;
	if (v6) {
		struct ipv6hdr *h = ipv6_hdr(skb);

		if (h->nexthdr != IPPROTO_ICMPV6 || icmp[0] != ICMPV6_ECHO_REQUEST)
			goto drop;
		swap(h->saddr, h->daddr);	/* pseudo-header sum unchanged */
		h->hop_limit = 64;
		icmp[0] = ICMPV6_ECHO_REPLY;
		csum_replace2((__sum16 *)(icmp + 2), htons(ICMPV6_ECHO_REQUEST << 8),
			      htons(ICMPV6_ECHO_REPLY << 8));
	} else {
		struct iphdr *h = ip_hdr(skb);

		if (h->protocol != IPPROTO_ICMP || ip_is_fragment(h) ||
		    icmp[0] != ICMP_ECHO)
			goto drop;
		swap(h->saddr, h->daddr);
		h->ttl = 64;
		ip_send_check(h);
		icmp[0] = ICMP_ECHOREPLY;
		csum_replace2((__sum16 *)(icmp + 2), htons(ICMP_ECHO << 8),
			      htons(ICMP_ECHOREPLY << 8));
	}
	skb->ip_summed = CHECKSUM_NONE;
	kn_nat64_rx(dev, skb, v6);
	return;
drop:
	kfree_skb(skb);
}

/* Trim link padding to the IP length; -EINVAL if the packet is short. */
static int kn_nat64_trim(struct sk_buff *skb, bool from6)
{
	u32 len;

	if (from6) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return -EINVAL;
		len = ntohs(ipv6_hdr(skb)->payload_len) + sizeof(struct ipv6hdr);
	} else {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)))
			return -EINVAL;
		len = ntohs(ip_hdr(skb)->tot_len);
	}
	if (len > skb->len)
		return -EINVAL;
	return len < skb->len ? pskb_trim_rcsum(skb, len) : 0;
}

/*
 * The core takes a CHECKSUM_PARTIAL packet only for TCP/UDP right after
 * the IP header, unfragmented; anything else is checksummed first.
 */
static bool kn_nat64_partial_ok(struct sk_buff *skb, bool from6)
{
	u8 proto;

	if (from6) {
		proto = ipv6_hdr(skb)->nexthdr;
	} else {
		if (ip_is_fragment(ip_hdr(skb)))
			return false;
		proto = ip_hdr(skb)->protocol;
	}
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP;
}

/* Put the core's output headers in place of the input's (header-only). */
static int kn_nat64_apply(struct sk_buff *skb, const u8 *out,
			  const struct kn_xlat_res *res, bool partial)
{
	int delta = (int)res->out_hdr_len - (int)res->in_hdr_len;

	if (skb_cow_head(skb, delta > 0 ? delta : 0))
		return -ENOMEM;
	__skb_pull(skb, res->in_hdr_len);
	memcpy(__skb_push(skb, res->out_hdr_len), out, res->out_hdr_len);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, res->l4_off ? res->l4_off :
				 res->out_hdr_len);
	if (partial && !(res->flags & KN_XLAT_RF_CSUM_DONE))
		skb->csum_start = skb_transport_header(skb) - skb->head;
	else
		skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* The settings of one translation: @conf with the MTU of @dev now. */
static void kn_nat64_ctx_init(struct kn_nat64_ctx *ctx, struct kn_nat64_dev *nd,
			      const struct kn_nat64_conf *conf,
			      const struct net_device *dev)
{
	u32 mtu = READ_ONCE(dev->mtu);

	ctx->nd = nd;
	ctx->cfg = conf->cfg;
	ctx->hairpin = false;
	ctx->clat = false;
	ctx->pool_full = false;
	ctx->per64 = false;
	ctx->nomem = false;
	ctx->cfg.mtu4 = mtu;
	ctx->cfg.mtu6 = mtu;
	if (conf->mss_clamp == KEYNET_NAT64_MSS_AUTO)
		ctx->cfg.mss_clamp = max_t(u32, mtu - KN_MSS_OVERHEAD, KN_MSS_MIN);
	else
		ctx->cfg.mss_clamp = conf->mss_clamp;
}

/* For the translator's own address (IPv6: configured or derived)? */
static bool kn_nat64_is_local(const struct kn_nat64_conf *conf,
			      struct sk_buff *skb, bool from6)
{
	if (from6)
		return (conf->has_ipv6_addr || conf->has_ipv4_addr) &&
		       !memcmp(&ipv6_hdr(skb)->daddr, conf->cfg.ipv6_addr, 16);
	return conf->has_ipv4_addr && ip_hdr(skb)->daddr == conf->cfg.ipv4_addr;
}

/*
 * RFC 7757 section 4: does the IPv4 translation of an IPv6 packet, to
 * @daddr, come straight back to this translator as a mapped address?
 * (Not the translator's own address: that one is answered as local.)
 * With CLAT on, a static map's IPv4 side is a host behind the translator
 * (this host, or a LAN it serves), never routed back into it: only the
 * dynamic mappings hairpin.
 */
static bool kn_nat64_hairpin(struct kn_nat64_dev *nd,
			     const struct kn_nat64_conf *conf, __be32 daddr)
{
	if (conf->has_ipv4_addr && daddr == conf->cfg.ipv4_addr)
		return false;
	if (conf->clat)
		return kn_nat64_map_by_v4(&nd->pool, daddr);
	return kn_nat64_v4_mapped(&nd->pool, daddr);
}

/*
 * CLAT: is the IPv4 packet at @h from a host behind the translator, its
 * source held by a static map?  (A dynamic mapping is an IPv6 host given
 * a pool address: never a CLAT source.)
 */
static bool kn_nat64_clat_src(struct kn_nat64_dev *nd,
			      const struct kn_nat64_conf *conf,
			      const struct iphdr *h)
{
	return conf->clat && kn_nat64_static4(&nd->pool, h->saddr);
}

/*
 * Translate one packet (@from6: IPv6 to IPv4).  @hairpin: @skb is the
 * IPv4 translation of an IPv6 packet, to be translated back (once).
 * @clat: an IPv4 packet from a CLAT source, as kn_nat64_for_us4() found
 * (decided once per packet, or per GSO packet for all its segments: they
 * share the source).
 */
static void kn_nat64_one(struct kn_nat64_dev *nd,
			 const struct kn_nat64_conf *conf,
			 struct net_device *dev, struct sk_buff *skb, bool from6,
			 bool hairpin, bool clat)
{
	struct kn_nat64_ctx ctx;
	struct kn_nat64 nat = {
		.cfg = &ctx.cfg, .ops = &kn_nat64_pool_ops, .ctx = &ctx,
	};
	u8 *out = this_cpu_ptr(&kn_nat64_scratch)->out;
	struct kn_nat64_icmp_err loop_err;
	struct kn_xlat_in in = { };
	enum kn_xlat_verdict v;
	struct kn_xlat_res res;
	struct sk_buff *nskb;
	bool partial;
	u16 id4 = 0;
	int tries;

	kn_nat64_ctx_init(&ctx, nd, conf, dev);
	ctx.hairpin = hairpin;
	/* A hairpinned packet's source is an IPv6 host's: never a CLAT's. */
	ctx.clat = clat && !from6 && !hairpin;
	if (kn_nat64_trim(skb, from6)) {
		kn_nat64_count(nd, KEYNET_NAT64_STAT_TRUNCATED);
		goto drop;
	}
	if (kn_nat64_is_local(conf, skb, from6))
		goto local;
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    !kn_nat64_partial_ok(skb, from6) && skb_checksum_help(skb))
		goto drop_nomem;
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	partial = skb->ip_summed == CHECKSUM_PARTIAL;
	if (!from6)
		id4 = ntohs(ip_hdr(skb)->id);

	for (tries = 0; ; tries++) {
		in.data = skb->data;
		in.avail = skb_headlen(skb);
		in.total_len = skb->len;
		in.flags = partial ? KN_XLAT_IN_CSUM_PARTIAL : 0;
		in.ipv4_id = from6 ? get_random_u16() : 0;
		if (from6)
			v = kn_nat64_xlat_6to4(&nat, &in, out, KN_NAT64_OUT_MAX,
					       &res);
		else
			v = kn_nat64_xlat_4to6(&nat, &in, out, KN_NAT64_OUT_MAX,
					       &res);
		if (v != KN_XLAT_NEED_LINEAR || tries)
			break;
		if (skb_linearize(skb))
			goto drop_nomem;
	}

	switch (v) {
	case KN_XLAT_OK:
		break;
	case KN_XLAT_ICMP:
		kn_nat64_count(nd, kn_reason_stat(&ctx, res.reason));
		kn_nat64_send_err(&ctx, dev, skb, from6, &res.err);
		goto drop;
	case KN_XLAT_DROP:
		kn_nat64_count(nd, kn_reason_stat(&ctx, res.reason));
		if (res.reason == KN_NAT64_R_LOOP) {
			/* Never loop: tell the sender it is unreachable. */
			loop_err.type = from6 ? ICMPV6_DEST_UNREACH : ICMP_DEST_UNREACH;
			loop_err.code = from6 ? ICMPV6_ADDR_UNREACH : ICMP_HOST_UNREACH;
			loop_err.info = 0;
			kn_nat64_send_err(&ctx, dev, skb, from6, &loop_err);
		}
		goto drop;
	default:
		kn_nat64_count(nd, KEYNET_NAT64_STAT_TRUNCATED);
		goto drop;
	}

	if (res.flags & KN_XLAT_RF_WHOLE) {
		nskb = kn_nat64_new_skb(dev, out, res.out_total_len);
		if (!nskb)
			goto drop_nomem;
		consume_skb(skb);
		skb = nskb;
	} else if (kn_nat64_apply(skb, out, &res, partial)) {
		goto drop_nomem;
	}
	kn_nat64_count(nd, from6 ? KEYNET_NAT64_STAT_XLAT_6TO4 :
		       KEYNET_NAT64_STAT_XLAT_4TO6);
	/* The IPv4 header is at skb->data (a new skb has no offsets yet). */
	if (from6 && kn_nat64_hairpin(nd, conf,
				      ((const struct iphdr *)skb->data)->daddr)) {
		kn_nat64_count(nd, KEYNET_NAT64_STAT_HAIRPIN);
		/* The second pass reads ip_hdr(): a new skb has no offset yet. */
		skb_reset_network_header(skb);
		kn_nat64_one(nd, conf, dev, skb, false, true, false);
		return;
	}
	/*
	 * 6->4 over the MTU with DF clear is left to the IPv4 forwarding
	 * path, which fragments; IPv6 routers do not, so 4->6 is done here.
	 */
	if (!from6 && (res.flags & KN_XLAT_RF_FRAGMENT))
		kn_nat64_frag6(nd, dev, skb, id4, ctx.cfg.offlink_mtu);
	else
		kn_nat64_rx(dev, skb, !from6);
	return;

local:
	kn_nat64_local(nd, dev, skb, from6);
	return;

drop_nomem:
	kn_nat64_count(nd, KEYNET_NAT64_STAT_NOMEM);
drop:
	kfree_skb(skb);
}

/* GSO types a super-packet may carry and still be translated whole. */
#define KN_NAT64_GSO_TYPES	(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_TCP_ECN | \
				 SKB_GSO_TCP_FIXEDID | SKB_GSO_DODGY)

/* Segments of the translated super-packet @skb, for the counters. */
static u32 kn_nat64_gso_segs(const struct sk_buff *skb, u32 hdrs)
{
	u32 gso_size = skb_shinfo(skb)->gso_size;

	return skb->len > hdrs ? DIV_ROUND_UP(skb->len - hdrs, gso_size) : 1;
}

/*
 * A TCP GSO super-packet (a local socket's TSO output, or what GRO built
 * on the ingress device) translated as one packet: the headers once, the
 * checksum field (a pseudo-header sum, CHECKSUM_PARTIAL) for the new
 * pseudo-header of the whole, the GSO type switched to the other family
 * with gso_size kept, so the stack segments it only where it must (or the
 * egress device does).  The core applies the MTU and DF rules to one full
 * segment.  6->4 with DF set gets SKB_GSO_TCP_FIXEDID: every segment then
 * carries ID 0, as the segmenting path would write.
 *
 * Returns false, with @skb unchanged but for pulls and the trim of link
 * padding, when the packet is not one this handles (other GSO types, no
 * CHECKSUM_PARTIAL, the translator's own address, any verdict but a plain
 * translation: errors, fragmentation): the caller then segments it and
 * translates each segment, which answers errors as before.  Returns true
 * when @skb was consumed.
 */
static bool kn_nat64_gso(struct kn_nat64_dev *nd,
			 const struct kn_nat64_conf *conf,
			 struct net_device *dev, struct sk_buff *skb, bool from6,
			 bool clat)
{
	struct skb_shared_info *si = skb_shinfo(skb);
	unsigned int want = from6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
	struct kn_nat64_ctx ctx;
	struct kn_nat64 nat = {
		.cfg = &ctx.cfg, .ops = &kn_nat64_pool_ops, .ctx = &ctx,
	};
	u8 *out = this_cpu_ptr(&kn_nat64_scratch)->out;
	struct kn_xlat_in in = { };
	enum kn_xlat_verdict v;
	struct kn_xlat_res res;
	u32 l4, thlen, segs;

	if ((si->gso_type & ~KN_NAT64_GSO_TYPES) ||
	    (si->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) != want ||
	    !si->gso_size || skb->ip_summed != CHECKSUM_PARTIAL ||
	    skb->encapsulation ||
	    skb->csum_offset != offsetof(struct tcphdr, check))
		return false;
	if (kn_nat64_trim(skb, from6) || kn_nat64_is_local(conf, skb, from6))
		return false;
	/* Every header linear, up to the end of the TCP header. */
	l4 = skb_checksum_start_offset(skb);
	if (l4 < (from6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr)) ||
	    !pskb_may_pull(skb, l4 + sizeof(struct tcphdr)))
		return false;
	thlen = __tcp_hdrlen((const struct tcphdr *)(skb->data + l4));
	if (thlen < sizeof(struct tcphdr) || !pskb_may_pull(skb, l4 + thlen))
		return false;

	kn_nat64_ctx_init(&ctx, nd, conf, dev);
	ctx.clat = clat && !from6;
	in.data = skb->data;
	in.avail = skb_headlen(skb);
	in.total_len = skb->len;
	in.flags = KN_XLAT_IN_CSUM_PARTIAL;
	in.gso_size = si->gso_size;
	in.ipv4_id = from6 ? get_random_u16() : 0;
	if (from6)
		v = kn_nat64_xlat_6to4(&nat, &in, out, KN_NAT64_OUT_MAX, &res);
	else
		v = kn_nat64_xlat_4to6(&nat, &in, out, KN_NAT64_OUT_MAX, &res);
	/* The core must have found the TCP header where csum_start is. */
	if (v != KN_XLAT_OK || res.l4_proto != IPPROTO_TCP || !res.l4_off ||
	    (res.flags & (KN_XLAT_RF_WHOLE | KN_XLAT_RF_FRAGMENT |
			  KN_XLAT_RF_CSUM_DONE)) ||
	    res.in_hdr_len != l4 + thlen ||
	    res.out_hdr_len != res.l4_off + thlen)
		return false;
	/* Hairpinned: segment by segment, through kn_nat64_one(). */
	if (from6 && kn_nat64_hairpin(nd, conf,
				      ((const struct iphdr *)out)->daddr))
		return false;

	if (kn_nat64_apply(skb, out, &res, true)) {
		kn_nat64_count(nd, KEYNET_NAT64_STAT_NOMEM);
		kfree_skb(skb);
		return true;
	}
	if (from6) {
		si->gso_type &= ~SKB_GSO_TCPV6;
		si->gso_type |= SKB_GSO_TCPV4;
		if (ip_hdr(skb)->frag_off & htons(IP_DF))
			si->gso_type |= SKB_GSO_TCP_FIXEDID;
		else
			si->gso_type &= ~SKB_GSO_TCP_FIXEDID;
	} else {
		si->gso_type &= ~(SKB_GSO_TCPV4 | SKB_GSO_TCP_FIXEDID);
		si->gso_type |= SKB_GSO_TCPV6;
	}
	segs = kn_nat64_gso_segs(skb, res.out_hdr_len);
	this_cpu_add(nd->stats->c[from6 ? KEYNET_NAT64_STAT_XLAT_6TO4 :
				  KEYNET_NAT64_STAT_XLAT_4TO6], segs);
	kn_nat64_count(nd, KEYNET_NAT64_STAT_GSO);
	kn_nat64_rx(dev, skb, !from6);
	return true;
}

static bool kn_nat64_for_us6(struct kn_nat64_dev *nd,
			     const struct kn_nat64_conf *conf,
			     const struct in6_addr *daddr)
{
	struct kn_nat64_statics *st;

	if (kn_in_prefix(&conf->cfg, daddr->s6_addr))
		return true;
	if (conf->has_ipv6_addr &&
	    !memcmp(daddr, conf->cfg.ipv6_addr, sizeof(*daddr)))
		return true;
	st = kn_nat64_statics_rcu(&nd->pool);
	return st && kn_eam_find6(&st->t, daddr->s6_addr);
}

/*
 * Is the IPv4 packet at @h the translator's?  *@clat: its source is a
 * CLAT source (with clat on, a statically mapped one), which the
 * translation needs to know too; looked up once here.
 */
static bool kn_nat64_for_us4(struct kn_device *kn, struct kn_nat64_dev *nd,
			     const struct kn_nat64_conf *conf,
			     const struct iphdr *h, bool *clat)
{
	*clat = kn_nat64_clat_src(nd, conf, h);
	if ((conf->has_ipv4_addr && h->daddr == conf->cfg.ipv4_addr) ||
	    kn_nat64_pool_contains(&nd->pool, h->daddr) ||
	    kn_nat64_v4_mapped(&nd->pool, h->daddr))
		return true;
	/*
	 * CLAT: any destination of a statically mapped source, but a
	 * crypto-key route keeps precedence, so a device that is both an
	 * overlay and a CLAT still tunnels the overlay's IPv4 destinations
	 * (the same lookup as kn_xmit(), any peer alive or not).
	 */
	return *clat && !kn_lpm_lookup(&kn->routes4, (const u8 *)&h->daddr, NULL);
}

/*
 * The first step of the device's transmit (kn_dev_xmit(), device.c):
 * returns true when the translator consumed @skb (translated, answered
 * or dropped), false to let the tunnel path (kn_xmit()) have it.  Cheap
 * when NAT64 is off: one RCU load.
 */
bool kn_nat64_xmit(struct kn_device *kn, struct sk_buff *skb)
{
	const struct kn_nat64_conf *conf;
	struct sk_buff *segs, *next;
	struct kn_nat64_dev *nd;
	bool from6, clat = false;

	rcu_read_lock_bh();
	nd = rcu_dereference_bh(kn->nat64);
	if (!nd)
		goto pass;
	conf = rcu_dereference_bh(nd->conf);
	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6 ||
		    !kn_nat64_for_us6(nd, conf, &ipv6_hdr(skb)->daddr))
			goto pass;
		from6 = true;
	} else if (skb->protocol == htons(ETH_P_IP)) {
		if (!pskb_network_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->version != 4 ||
		    !kn_nat64_for_us4(kn, nd, conf, ip_hdr(skb), &clat))
			goto pass;
		from6 = false;
	} else {
		goto pass;
	}
	dev_sw_netstats_tx_add(kn->dev, 1, skb->len);
	if (!skb_is_gso(skb)) {
		kn_nat64_one(nd, conf, kn->dev, skb, from6, false, clat);
		goto out;
	}
	if (kn_nat64_gso(nd, conf, kn->dev, skb, from6, clat))
		goto out;
	/*
	 * Anything else is segmented.  The segments share the pages of
	 * @skb and keep CHECKSUM_PARTIAL (the core handles both): no copy
	 * and no software checksum here.
	 */
	segs = skb_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	if (IS_ERR_OR_NULL(segs)) {
		kn_nat64_count(nd, KEYNET_NAT64_STAT_NOMEM);
		kfree_skb(skb);
		goto out;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		skb_reset_network_header(skb);
		kn_nat64_one(nd, conf, kn->dev, skb, from6, false, clat);
	}
out:
	rcu_read_unlock_bh();
	return true;
pass:
	rcu_read_unlock_bh();
	return false;
}

/* ---- configuration (callers hold the device's conf_lock) ---- */

struct kn_nat64_dev *kn_nat64_get(struct kn_device *kn)
{
	return rcu_dereference_protected(kn->nat64,
					 lockdep_is_held(&kn->conf_lock));
}

/* Turn the translator on with @conf (taken over, also on error). */
int kn_nat64_on(struct kn_device *kn, struct kn_nat64_conf *conf)
{
	struct kn_nat64_dev *nd;
	int ret = -ENOMEM;

	lockdep_assert_held(&kn->conf_lock);
	nd = kvzalloc(sizeof(*nd), GFP_KERNEL_ACCOUNT);
	if (!nd)
		goto err_nd;
	nd->stats = alloc_percpu_gfp(struct kn_nat64_stats, GFP_KERNEL_ACCOUNT);
	if (!nd->stats)
		goto err_stats;
	ret = kn_nat64_pool_init(&nd->pool);
	if (ret)
		goto err_pool;
	nd->pool.kn = kn;
	nd->pool.cfg_lock = &kn->conf_lock;
	kn_nat64_pool_set_timeout(&nd->pool, conf->pool_timeout);
	kn_nat64_pool_set_per64(&nd->pool, conf->pool_per_64);
	kn_nat64_pool_reserve(&nd->pool, conf->has_ipv4_addr ?
			      conf->cfg.ipv4_addr : 0);
	RCU_INIT_POINTER(nd->conf, conf);
	rcu_assign_pointer(kn->nat64, nd);
	return 0;

err_pool:
	free_percpu(nd->stats);
err_stats:
	kvfree(nd);
err_nd:
	kfree(conf);
	return ret;
}

/* Replace the settings (@conf is taken over). */
void kn_nat64_set_conf(struct kn_device *kn, struct kn_nat64_conf *conf)
{
	struct kn_nat64_dev *nd = kn_nat64_get(kn);
	struct kn_nat64_conf *old;

	old = rcu_dereference_protected(nd->conf,
					lockdep_is_held(&kn->conf_lock));
	rcu_assign_pointer(nd->conf, conf);
	if (old->pool_timeout != conf->pool_timeout)
		kn_nat64_pool_set_timeout(&nd->pool, conf->pool_timeout);
	if (old->pool_per_64 != conf->pool_per_64)
		kn_nat64_pool_set_per64(&nd->pool, conf->pool_per_64);
	kn_nat64_pool_reserve(&nd->pool, conf->has_ipv4_addr ?
			      conf->cfg.ipv4_addr : 0);
	kfree_rcu(old, rcu);
}

/* Turn the translator off and free it; sleeps (RCU grace period). */
void kn_nat64_off(struct kn_device *kn)
{
	struct kn_nat64_dev *nd = kn_nat64_get(kn);

	if (!nd)
		return;
	RCU_INIT_POINTER(kn->nat64, NULL);
	synchronize_net();
	kn_nat64_pool_destroy(&nd->pool);
	kfree(rcu_dereference_protected(nd->conf, true));
	free_percpu(nd->stats);
	kvfree(nd);
}
