// SPDX-License-Identifier: GPL-2.0
/*
 * Mesh mode: the device's multicast flag, link-local multicast copies,
 * next hop to peer, and the per-peer reverse-path check.  What the mode
 * changes, and where, is listed in mesh.h; the design and its guarantees
 * are in docs/mesh.md.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "mesh.h"
#include "compat.h"

/*
 * Mesh mode goes on (@mesh) or off: routing daemons send their hellos
 * only on multicast-capable interfaces, so mesh mode sets IFF_MULTICAST.
 * keynet clears it again only if it set it: a flag the administrator set
 * stays.  Caller holds RTNL; changing only IFF_MULTICAST does not fail on
 * the kernels keynet supports, but an error is passed on unchanged.
 */
int kn_mesh_multicast(struct kn_device *kn, bool mesh,
		      struct netlink_ext_ack *extack)
{
	struct net_device *dev = kn->dev;
	unsigned int flags = kn_compat_dev_get_flags(dev);
	int ret = 0;

	ASSERT_RTNL();
	if (mesh && !(flags & IFF_MULTICAST)) {
		ret = dev_change_flags(dev, flags | IFF_MULTICAST, extack);
		if (!ret)
			kn->mesh_multicast = true;
	} else if (!mesh && kn->mesh_multicast) {
		if (flags & IFF_MULTICAST)
			ret = dev_change_flags(dev, flags & ~IFF_MULTICAST,
					       extack);
		if (!ret)
			kn->mesh_multicast = false;
	}
	return ret;
}
