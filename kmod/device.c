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

#include "device.h"
#include "compat.h"

/* Outer headers on an IPv6 underlay: IPv6 + UDP + keynet data header + tag. */
#define KN_DATA_OVERHEAD	(sizeof(struct ipv6hdr) + sizeof(struct udphdr) + 16 + 16)
#define KN_DEFAULT_MTU		(ETH_DATA_LEN - KN_DATA_OVERHEAD)

static LIST_HEAD(kn_devices);

static int kn_dev_init(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	return 0;
}

static void kn_dev_uninit(struct net_device *dev)
{
	struct kn_device *kn = netdev_priv(dev);

	ASSERT_RTNL();
	list_del(&kn->list);
	free_percpu(dev->tstats);
}

static int kn_dev_open(struct net_device *dev)
{
	netif_start_queue(dev);
	return 0;
}

static int kn_dev_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

/*
 * Until the tunnel and the translator are wired in, a keynet device has
 * nowhere to send a packet: it is counted as a transmit drop.
 */
static netdev_tx_t kn_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	KN_DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops kn_netdev_ops = {
	.ndo_init		= kn_dev_init,
	.ndo_uninit		= kn_dev_uninit,
	.ndo_open		= kn_dev_open,
	.ndo_stop		= kn_dev_stop,
	.ndo_start_xmit		= kn_dev_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

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
	kn_compat_set_lltx(dev);
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = KN_DATA_OVERHEAD;
	dev->mtu = KN_DEFAULT_MTU;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - KN_DATA_OVERHEAD;
	dev->needs_free_netdev = true;

	memset(kn, 0, sizeof(*kn));
	kn->dev = dev;
	kn->listen_port = KEYNET_DEFAULT_PORT;
	mutex_init(&kn->conf_lock);
	INIT_LIST_HEAD(&kn->list);
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
 * device itself may live on in another namespace.  Forget the pointer so
 * nothing uses the dying namespace; later the underlay socket is closed
 * here too.
 */
static void __net_exit kn_net_pre_exit(struct net *net)
{
	struct kn_device *kn;

	rtnl_lock();
	list_for_each_entry(kn, &kn_devices, list) {
		if (kn->creating_net == net)
			kn->creating_net = NULL;
	}
	rtnl_unlock();
}

static struct pernet_operations kn_net_ops = {
	.pre_exit = kn_net_pre_exit,
};

int kn_device_init(void)
{
	int ret;

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
	return ret;
}

void kn_device_uninit(void)
{
	rtnl_link_unregister(&kn_link_ops);
	unregister_pernet_device(&kn_net_ops);
}
