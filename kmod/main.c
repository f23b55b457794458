// SPDX-License-Identifier: GPL-2.0
/*
 * keynet: module entry points.  Registration order is the route object
 * caches, the crypt workqueue, the device (rtnl link type and pernet state), then the generic
 * netlink family, so a netlink request can never see the link type
 * unregistered; teardown runs in the reverse order.
 */
#include <linux/module.h>
#include <linux/genetlink.h>
#include <net/rtnetlink.h>

#include "addr.h"
#include "compat.h"
#include "crypt.h"
#include "device.h"
#include "lpm.h"
#include "netlink.h"
#include "version.h"

static int __init kn_mod_init(void)
{
	int ret;

	ret = kn_addr_init();
	if (ret)
		goto err_addr;
	ret = kn_lpm_init_caches();
	if (ret)
		goto err_lpm;
	ret = kn_crypt_module_init();
	if (ret)
		goto err_crypt;
	ret = kn_device_init();
	if (ret)
		goto err_device;
	ret = kn_genl_init();
	if (ret)
		goto err_genl;
	pr_info("keynet %s loaded\n", KN_VERSION);
#ifdef KN_COMPAT_MCAST_OPEN
	pr_warn("this kernel lets any local user join the events group (no GENL_MCAST_CAP_NET_ADMIN)\n");
#endif
	return 0;

err_genl:
	kn_device_uninit();
err_device:
	kn_crypt_module_exit();
err_crypt:
	kn_lpm_exit_caches();
err_lpm:
	kn_addr_uninit();
err_addr:
	return ret;
}

static void __exit kn_mod_exit(void)
{
	kn_genl_uninit();
	kn_device_uninit();
	kn_crypt_module_exit();
	/* Routes freed with call_rcu must be gone before their caches. */
	rcu_barrier();
	kn_lpm_exit_caches();
	kn_addr_uninit();
}

module_init(kn_mod_init);
module_exit(kn_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("keynet: key-addressed encrypted overlay with NAT64");
MODULE_AUTHOR("The keynet authors");
MODULE_VERSION(KN_VERSION);
MODULE_ALIAS_RTNL_LINK(KEYNET_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(KEYNET_GENL_NAME);
