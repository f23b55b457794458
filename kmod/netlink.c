// SPDX-License-Identifier: GPL-2.0
/*
 * The "keynet" generic netlink family.
 *
 * Every request acts on the network namespace of the requesting socket
 * (netnsok) and needs CAP_NET_ADMIN there (GENL_UNS_ADMIN_PERM).  Doit
 * handlers run with the genl mutex held; a handler that changes a device
 * additionally takes that device's conf_lock.  Dumps send one message per
 * object and mark the dump interrupted (NLM_F_DUMP_INTR) when the set of
 * devices changed between two messages of the dump.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "device.h"
#include "netlink.h"
#include "version.h"

static const struct nla_policy kn_policy[KEYNET_A_MAX + 1] = {
	[KEYNET_A_VERSION]	= { .type = NLA_NUL_STRING },
	[KEYNET_A_UAPI_VERSION]	= { .type = NLA_U32 },
	[KEYNET_A_IFINDEX]	= { .type = NLA_U32 },
	[KEYNET_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[KEYNET_A_LISTEN_PORT]	= { .type = NLA_U16 },
	[KEYNET_A_PUBLIC_KEY]	= NLA_POLICY_EXACT_LEN(KEYNET_KEY_LEN),
};

static struct genl_family kn_genl_family;

/*
 * Find the keynet device named by KEYNET_A_IFINDEX or KEYNET_A_IFNAME in
 * the requester's namespace.  Returns it with a reference held
 * (dev_put() it) or an ERR_PTR with the reason in extack.
 */
static struct net_device *kn_genl_get_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *dev = NULL;
	struct nlattr **attrs = info->attrs;

	if (attrs[KEYNET_A_IFINDEX]) {
		dev = dev_get_by_index(net, nla_get_u32(attrs[KEYNET_A_IFINDEX]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[KEYNET_A_IFINDEX],
					    "no device with this index");
			return ERR_PTR(-ENODEV);
		}
	} else if (attrs[KEYNET_A_IFNAME]) {
		dev = dev_get_by_name(net, nla_data(attrs[KEYNET_A_IFNAME]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[KEYNET_A_IFNAME],
					    "no device with this name");
			return ERR_PTR(-ENODEV);
		}
	} else {
		NL_SET_ERR_MSG(info->extack, "a device (ifindex or ifname) is required");
		return ERR_PTR(-EINVAL);
	}
	if (!kn_is_keynet_dev(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG(info->extack, "not a keynet device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

static int kn_genl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kn_genl_family, 0,
				KEYNET_CMD_GET_INFO);
	if (!hdr)
		goto err_put;
	if (nla_put_string(msg, KEYNET_A_VERSION, KN_VERSION) ||
	    nla_put_u32(msg, KEYNET_A_UAPI_VERSION, KEYNET_UAPI_VERSION))
		goto err_put;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_put:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Fill one KEYNET_CMD_LINK_GET message describing @dev. */
static int kn_genl_fill_link(struct sk_buff *msg, struct net_device *dev,
			     u32 portid, u32 seq, int flags,
			     struct netlink_callback *cb)
{
	struct kn_device *kn = netdev_priv(dev);
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &kn_genl_family, flags,
			  KEYNET_CMD_LINK_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(msg, KEYNET_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, KEYNET_A_IFNAME, dev->name) ||
	    nla_put_u16(msg, KEYNET_A_LISTEN_PORT, READ_ONCE(kn->listen_port)))
		goto err_cancel;
	if (READ_ONCE(kn->has_key) &&
	    nla_put(msg, KEYNET_A_PUBLIC_KEY, KEYNET_KEY_LEN, kn->public_key))
		goto err_cancel;
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static int kn_genl_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int ret;

	dev = kn_genl_get_dev(info);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = kn_genl_fill_link(msg, dev, info->snd_portid, info->snd_seq, 0,
				NULL);
	if (ret) {
		nlmsg_free(msg);
		goto out_put;
	}
	ret = genlmsg_reply(msg, info);
out_put:
	dev_put(dev);
	return ret;
}

/*
 * Dump every keynet device of the namespace.  cb->args[0] holds the
 * position (in for_each_netdev order) to resume from; cb->seq follows
 * dev_base_seq so a change of the device list between two parts of the
 * dump sets NLM_F_DUMP_INTR and the client starts over.
 */
static int kn_genl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0, start = cb->args[0];

	rcu_read_lock();
	cb->seq = READ_ONCE(net->dev_base_seq);
	for_each_netdev_rcu(net, dev) {
		if (!kn_is_keynet_dev(dev))
			continue;
		if (idx++ < start)
			continue;
		if (kn_genl_fill_link(skb, dev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI, cb)) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static const struct genl_ops kn_genl_ops[] = {
	{
		.cmd = KEYNET_CMD_GET_INFO,
		.doit = kn_genl_get_info,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = KEYNET_CMD_LINK_GET,
		.doit = kn_genl_link_get,
		.dumpit = kn_genl_link_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family kn_genl_family __ro_after_init = {
	.name		= KEYNET_GENL_NAME,
	.version	= KEYNET_GENL_VERSION,
	.maxattr	= KEYNET_A_MAX,
	.policy		= kn_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.ops		= kn_genl_ops,
	.n_ops		= ARRAY_SIZE(kn_genl_ops),
	.resv_start_op	= KEYNET_CMD_MAX + 1,
};

int __init kn_genl_init(void)
{
	return genl_register_family(&kn_genl_family);
}

void kn_genl_uninit(void)
{
	genl_unregister_family(&kn_genl_family);
}
