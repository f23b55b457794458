/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_NETLINK_H
#define _KN_NETLINK_H

#include <net/genetlink.h>

struct kn_device;
struct kn_lpm_cursor;

int kn_genl_init(void);
void kn_genl_uninit(void);

/* Shared by netlink.c and nl_peer.c. */
extern struct genl_family kn_genl_family;

/*
 * State of a dump, allocated in .start and freed in .done: the device
 * (a reference is held), an optional peer filter and the position.
 */
struct kn_dump {
	struct net_device *dev;
	u8 peer_key[32];
	bool has_peer_key;
	bool want_secrets;
	u64 pos;
	int phase;
	struct kn_lpm_cursor *cursor;
};

struct net_device *kn_genl_get_dev(struct genl_info *info);
/* KEYNET_A_FLAGS of a request, 0 when absent. */
static inline u32 kn_nl_flags(struct nlattr **attrs)
{
	return attrs[KEYNET_A_FLAGS] ? nla_get_u32(attrs[KEYNET_A_FLAGS]) : 0;
}

int kn_nl_parse_prefix(struct nlattr *p, struct nlattr *l, const u8 **key,
		       u8 *len, struct netlink_ext_ack *extack);
struct kn_dump *kn_dump_state(struct netlink_callback *cb);
int kn_dump_start_dev(struct netlink_callback *cb);
int kn_dump_done(struct netlink_callback *cb);

int kn_nl_peer_get(struct sk_buff *skb, struct genl_info *info);
int kn_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kn_nl_peer_new(struct sk_buff *skb, struct genl_info *info);
int kn_nl_peer_set(struct sk_buff *skb, struct genl_info *info);
int kn_nl_peer_del(struct sk_buff *skb, struct genl_info *info);
int kn_nl_route_dump(struct sk_buff *skb, struct netlink_callback *cb);

/*
 * nl_routes.c: ROUTE_NEW's list.  Entries are checked against
 * kn_route_policy (netlink.c).  KN_ROUTES_MAX bounds the steps allocated
 * per request: a valid entry takes at least 20 bytes, so at most 3,276
 * fit in the list's 16-bit length, but entries too small to be valid are
 * only refused when reached.
 */
#define KN_ROUTES_MAX	4096
extern const struct nla_policy kn_route_policy[KEYNET_A_MAX + 1];
int kn_nl_route_list(struct kn_device *kn, struct genl_info *info);
int kn_nl_route_new(struct sk_buff *skb, struct genl_info *info);
int kn_nl_route_del(struct sk_buff *skb, struct genl_info *info);

/* nl_nat64.c */
int kn_nl_nat64_get(struct sk_buff *skb, struct genl_info *info);
int kn_nl_nat64_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kn_nl_nat64_set(struct sk_buff *skb, struct genl_info *info);
int kn_nl_nat64_del(struct sk_buff *skb, struct genl_info *info);
int kn_nl_map_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kn_nl_map_new(struct sk_buff *skb, struct genl_info *info);
int kn_nl_map_del(struct sk_buff *skb, struct genl_info *info);
int kn_nl_map_set(struct sk_buff *skb, struct genl_info *info);
int kn_nl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb);
int kn_nl_pool_new(struct sk_buff *skb, struct genl_info *info);
int kn_nl_pool_del(struct sk_buff *skb, struct genl_info *info);

#endif /* _KN_NETLINK_H */
