/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_DEVICE_H
#define _KN_DEVICE_H

#include <linux/netdevice.h>
#include <linux/mutex.h>
#include <uapi/linux/keynet.h>

/**
 * struct kn_device - private state of one keynet net_device
 * @dev: the net_device this is embedded in (netdev_priv)
 * @creating_net: the namespace the device was created in; its underlay
 *	socket lives there even when the device moves to another namespace.
 *	Not refcounted: the device is destroyed by kn_net_exit() when that
 *	namespace goes away, before the pointer could dangle.
 * @conf_lock: serialises every configuration change of this device (from
 *	netlink or rtnl).  Readers on the data path never take it; what they
 *	read is published with RCU.
 * @list: entry in the per-namespace list of devices (kn_net.devices),
 *	protected by RTNL.
 * @listen_port: configured UDP port, host order; read locklessly by dumps.
 * @has_key: a private key is set and @public_key is valid.
 * @public_key: the device's Curve25519 public key.
 */
struct kn_device {
	struct net_device *dev;
	struct net *creating_net;
	struct mutex conf_lock;	/* serialises configuration */
	struct list_head list;
	u16 listen_port;
	bool has_key;
	u8 public_key[KEYNET_KEY_LEN];
};

int kn_device_init(void);
void kn_device_uninit(void);

bool kn_is_keynet_dev(const struct net_device *dev);

#endif /* _KN_DEVICE_H */
