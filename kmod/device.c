// SPDX-License-Identifier: GPL-2.0
/*
 * The keynet net_device: link type registration (ip link add ... type
 * keynet), netdev ops and the device lifetime.
 *
 * Lifetime: a device is created by rtnl newlink and freed by the core
 * (needs_free_netdev) after ndo_uninit; everything the device owns is
 * released in kn_dev_uninit(), which runs under RTNL after the device has
 * stopped and no new transmit can start.  kn_devices lists every keynet
 * device of every namespace; it is protected by RTNL and lets the pernet
 * pre_exit hook find devices whose underlay namespace is going away.
 */
#include <linux/if_arp.h>
#include <linux/etherdevice.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/ip.h>

#include "crypt.h"
#include "device.h"
#include "events.h"
#include "nat64.h"
#include "peer.h"
#include "receive.h"
#include "send.h"
#include "socket.h"
#include "timers.h"
#include "compat.h"

/* Outer headers on an IPv6 underlay: IPv6 + UDP + keynet data header + tag. */
#define KN_DATA_OVERHEAD	(sizeof(struct ipv6hdr) + sizeof(struct udphdr) + 16 + 16)
#define KN_DEFAULT_MTU		(ETH_DATA_LEN - KN_DATA_OVERHEAD)
/* Offloads the stack may leave to us: we checksum and segment in software. */
#define KN_FEATURES		(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | \
				 NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE)

static LIST_HEAD(kn_devices);

static int kn_dev_init(struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);
	int ret = -ENOMEM;

	if (kn_compat_tstats_alloc(dev))
		goto err_tstats;
	kn->drops = alloc_percpu_gfp(struct kn_drop_stats, GFP_KERNEL_ACCOUNT);
	if (!kn->drops)
		goto err_drops;
	kn->wq = alloc_workqueue("keynet-%s", WQ_UNBOUND | WQ_MEM_RECLAIM, 0,
				 dev->name);
	if (!kn->wq)
		goto err_wq;
	ret = kn_ratelimit_init(&kn->ratelimit);
	if (ret)
		goto err_ratelimit;
	ret = kn_beacon_init(kn);
	if (ret)
		goto err_beacon;
	ret = kn_rx_napi_init(kn);
	if (ret)
		goto err_napi;
	ret = kn_crypt_init(kn);
	if (ret)
		goto err_crypt;
	return 0;

err_crypt:
	kn_rx_napi_uninit(kn);
err_napi:
	kn_beacon_uninit(kn);
err_beacon:
	kn_ratelimit_uninit(&kn->ratelimit);
err_ratelimit:
	destroy_workqueue(kn->wq);
err_wq:
	free_percpu(kn->drops);
err_drops:
	kn_compat_tstats_free(dev);
err_tstats:
	return ret;
}

/*
 * The device is going away (RTNL held, already stopped).  Sockets first,
 * so no datagram can reach the peers; then the peers; then the handshake
 * worker and what it had queued.
 */
static void kn_dev_uninit(struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);
	struct kn_local_set *local;

	ASSERT_RTNL();
	list_del(&kn->list);
	/* Beacons first: their works take conf_lock and add peers. */
	kn_beacon_uninit(kn);
	mutex_lock(&kn->conf_lock);
	kn_nat64_off(kn);
	kn_socket_close(kn);
	kn_peer_remove_all(kn);
	kn_lpm_destroy(&kn->routes4);
	kn_lpm_destroy(&kn->routes6);
	local = rcu_replace_pointer(kn->local_set, NULL,
				    lockdep_is_held(&kn->conf_lock));
	if (local)
		kfree_rcu(local, rcu);
	down_write(&kn->static_lock);
	kn_noise_local_clear(&kn->local);
	memzero_explicit(&kn->cookie_checker, sizeof(kn->cookie_checker));
	kn->has_key = false;
	up_write(&kn->static_lock);
	mutex_unlock(&kn->conf_lock);
	/* After the peers: the NAPI contexts may still list some. */
	kn_rx_napi_uninit(kn);
	/* After the peers too: none has a packet in a ring any more. */
	kn_crypt_uninit(kn);
	cancel_work_sync(&kn->hs_work);
	kn_events_stop(kn);
	skb_queue_purge(&kn->hs_queue);
	destroy_workqueue(kn->wq);
	kn_ratelimit_uninit(&kn->ratelimit);
	free_percpu(kn->drops);
	kn_compat_tstats_free(dev);
}

/*
 * Schedule the NAPI contexts and the handshake worker of every keynet
 * device (debug_rx_hold, debug_hs_hold cleared).  RTNL keeps each device
 * from being torn down meanwhile: kn_dev_uninit() runs under it.
 */
void kn_device_kick_all(void)
{
	struct kn_device *kn;

	rtnl_lock();
	list_for_each_entry(kn, &kn_devices, list) {
		kn_rx_napi_kick(kn);
		queue_work(kn->wq, &kn->hs_work);
	}
	rtnl_unlock();
}

static int kn_dev_open(struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);
	struct kn_peer *peer;
	int ret;

	mutex_lock(&kn->conf_lock);
	ret = kn_socket_open(kn, kn->listen_port, kn->listen_addr,
			     kn->listen_addr_len);
	if (!ret) {
		list_for_each_entry(peer, &kn->peers, list)
			kn_timers_persistent_changed(peer);
		kn_beacon_start(kn);
	}
	mutex_unlock(&kn->conf_lock);
	if (!ret)
		netif_start_queue(dev);
	return ret;
}

/* Down: no sockets, no sessions, nothing queued; peers and routes stay. */
static int kn_dev_stop(struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);
	struct kn_peer *peer;

	netif_stop_queue(dev);
	kn_beacon_stop(kn);
	mutex_lock(&kn->conf_lock);
	kn_socket_close(kn);
	list_for_each_entry(peer, &kn->peers, list) {
		kn_timers_stop(peer);
		kn_queue_purge(&peer->tx_queue, &kn->tx_queued);
		kn_peer_clear_keypairs(peer);
		WRITE_ONCE(peer->hs_first_attempt_ns, 0);
		WRITE_ONCE(peer->hs_last_sent_ns, 0);
	}
	mutex_unlock(&kn->conf_lock);
	return 0;
}

/*
 * ndo_start_xmit (BH disabled): the NAT64 translator takes the packets
 * addressed to it (nat64.c), the tunnel everything else (kn_xmit(),
 * send.c).
 */
static netdev_tx_t kn_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (kn_nat64_xmit(netdev_priv(dev), skb))
		return NETDEV_TX_OK;
	return kn_xmit(skb, dev);
}

static const struct net_device_ops kn_netdev_ops = {
	.ndo_init		= kn_dev_init,
	.ndo_uninit		= kn_dev_uninit,
	.ndo_open		= kn_dev_open,
	.ndo_stop		= kn_dev_stop,
	.ndo_start_xmit		= kn_dev_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

/* Whether @addr (@alen bytes) lies in one of the set's prefixes. */
bool kn_local_allowed(const struct kn_local_set *set, const u8 *addr,
		      unsigned int alen)
{
	u32 i;

	for (i = 0; i < set->n; i++) {
		unsigned int bytes = set->e[i].len / 8, bits = set->e[i].len % 8;

		if (set->e[i].alen != alen || memcmp(set->e[i].addr, addr, bytes))
			continue;
		if (bits && (set->e[i].addr[bytes] ^ addr[bytes]) &
		    (0xff00 >> bits))
			continue;
		return true;
	}
	return false;
}

bool kn_is_keynet_dev(const struct net_device *dev)
{
	return dev->netdev_ops == &kn_netdev_ops;
}

static void kn_setup(struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);

	dev->netdev_ops = &kn_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	/*
	 * Keep the dst until kn_xmit(): icmp_ndo_send() needs the IPv4 route
	 * to answer "no route" with a Destination Unreachable.  kn_xmit()
	 * drops it itself once the peer is chosen.
	 */
	netif_keep_dst(dev);
	kn_compat_set_lltx(dev);
	kn_compat_tstats_setup(dev);
	dev->features |= KN_FEATURES;
	dev->hw_features |= KN_FEATURES;
	dev->hw_enc_features |= KN_FEATURES;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	/* Room to encrypt in place: our header in front, padding and tag. */
	dev->needed_headroom = KN_MSG_DATA_HDR_LEN + KN_UNDERLAY_HEADROOM;
	dev->needed_tailroom = KN_DATA_PADDING + KN_AEAD_TAG_LEN;
	dev->mtu = KN_DEFAULT_MTU;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - KN_DATA_OVERHEAD;
	dev->needs_free_netdev = true;

	memset(kn, 0, sizeof(*kn));
	kn->dev = dev;
	kn->listen_port = KEYNET_DEFAULT_PORT;
	kn->addr_prefix[0] = 0xfc;
	kn->addr_plen = KEYNET_DEFAULT_ADDR_PREFIX_LEN;
	mutex_init(&kn->conf_lock);
	init_rwsem(&kn->static_lock);
	INIT_LIST_HEAD(&kn->list);
	INIT_LIST_HEAD(&kn->peers);
	hash_init(kn->peer_hash);
	kn_index_table_init(&kn->index_table);
	kn_lpm_init(&kn->routes4, &kn->conf_lock, 32);
	kn_lpm_init(&kn->routes6, &kn->conf_lock, 128);
	skb_queue_head_init(&kn->hs_queue);
	INIT_WORK(&kn->hs_work, kn_hs_worker);
	kn_events_init(kn);
}

static int kn_newlink_common(struct net *link_net, struct net_device *dev,
			     struct netlink_ext_ack *extack)
{
	struct kn_device *kn = netdev_priv(dev);
	int ret;

	kn->creating_net = link_net;
	ret = register_netdevice(dev);
	if (ret)
		return ret;
	list_add_tail(&kn->list, &kn_devices);
	return 0;
}

#ifdef KN_HAVE_NEWLINK_PARAMS
static int kn_newlink(struct net_device *dev,
		      struct rtnl_newlink_params *params,
		      struct netlink_ext_ack *extack)
{
	return kn_newlink_common(rtnl_newlink_link_net(params), dev, extack);
}
#else
static int kn_newlink(struct net *src_net, struct net_device *dev,
		      struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack)
{
	return kn_newlink_common(src_net, dev, extack);
}
#endif

static struct rtnl_link_ops kn_link_ops __read_mostly = {
	.kind		= KEYNET_LINK_KIND,
	.priv_size	= sizeof(struct kn_device),
	.setup		= kn_setup,
	.newlink	= kn_newlink,
};

/*
 * The namespace a device was created in is about to go away while the
 * device itself may live on in another namespace: close its underlay
 * sockets (they live in the dying namespace) and forget the pointer.  The
 * device stays, without an underlay, until it is deleted.
 */
static void __net_exit kn_net_pre_exit(struct net *net)
{
	struct kn_device *kn;

	rtnl_lock();
	list_for_each_entry(kn, &kn_devices, list) {
		if (kn->creating_net != net)
			continue;
		mutex_lock(&kn->conf_lock);
		kn_beacon_net_exit(kn);
		kn_socket_close(kn);
		kn->creating_net = NULL;
		mutex_unlock(&kn->conf_lock);
	}
	rtnl_unlock();
}

static struct pernet_operations kn_net_ops = {
	.pre_exit = kn_net_pre_exit,
};

int kn_device_init(void)
{
	int ret;

	ret = kn_peer_init_cache();
	if (ret)
		goto err_cache;
	ret = register_pernet_device(&kn_net_ops);
	if (ret)
		goto err_pernet;
	ret = rtnl_link_register(&kn_link_ops);
	if (ret)
		goto err_link;
	return 0;

err_link:
	unregister_pernet_device(&kn_net_ops);
err_pernet:
	kn_peer_exit_cache();
err_cache:
	return ret;
}

void kn_device_uninit(void)
{
	rtnl_link_unregister(&kn_link_ops);
	unregister_pernet_device(&kn_net_ops);
	kn_peer_exit_cache();
}
