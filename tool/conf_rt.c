// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink for "keynet conf": the device itself (create, delete, MTU,
 * up), its addresses and the host routes through it, as "ip link",
 * "ip address" and "ip route" would, on libnl's core (no libnl-route),
 * through nl.c's transport: the socket is kn_nl_open_proto(NETLINK_ROUTE)
 * and errors are quiet, the kernel's reason in kn_nl_why().
 *
 * Host routes conf apply makes carry protocol "static" (RTPROT_STATIC);
 * only such routes through the device are read back, compared and
 * removed, so routes others made ("ip route add" uses "boot", the kernel
 * "kernel") are never touched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "conf.h"

/* The requests of this file report errors quietly: kn_nl_why(). */
static int kn_rt_do(struct kn_nl *rt, struct nl_msg *msg, kn_nl_msg_cb cb, void *arg)
{
	return kn_nl_request(rt, msg, cb, arg, KN_NL_QUIET);
}

/* ---- links ---- */

static int kn_rt_link_cb(struct nlmsghdr *nlh, void *arg)
{
	struct kn_rt_link *l = arg;
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	struct ifinfomsg *ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK || nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL))
		return 0;
	ifi = nlmsg_data(nlh);
	l->ifindex = (uint32_t)ifi->ifi_index;
	l->up = ifi->ifi_flags & IFF_UP;
	if (tb[IFLA_MTU])
		l->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINKINFO] && !nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) &&
	    li[IFLA_INFO_KIND])
		snprintf(l->kind, sizeof(l->kind), "%.*s", nla_len(li[IFLA_INFO_KIND]),
			 (const char *)nla_data(li[IFLA_INFO_KIND]));
	return 0;
}

/* The device @name: 0, -ENODEV when there is none, or another -errno. */
int kn_rt_link_get(struct kn_nl *rt, const char *name, struct kn_rt_link *l)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, 0);

	memset(l, 0, sizeof(*l));
	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    nla_put_string(msg, IFLA_IFNAME, name)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return kn_rt_do(rt, msg, kn_rt_link_cb, l);
}

/* ip link add NAME type keynet */
int kn_rt_link_create(struct kn_nl *rt, const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info;

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    nla_put_string(msg, IFLA_IFNAME, name) ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, KEYNET_LINK_KIND)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, info);
	return kn_rt_do(rt, msg, NULL, NULL);
}

int kn_rt_link_delete(struct kn_nl *rt, uint32_t ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_DELLINK, 0);

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return kn_rt_do(rt, msg, NULL, NULL);
}

/* ip link set dev IFINDEX [mtu MTU] [up]: @mtu 0 leaves it. */
int kn_rt_link_set(struct kn_nl *rt, uint32_t ifindex, uint32_t mtu, bool up)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = (int)ifindex,
		.ifi_flags = up ? IFF_UP : 0,
		.ifi_change = up ? IFF_UP : 0,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    (mtu && nla_put_u32(msg, IFLA_MTU, mtu))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return kn_rt_do(rt, msg, NULL, NULL);
}

/* ---- addresses ---- */

struct kn_rt_list {
	uint32_t ifindex;
	bool ll;	/* addresses: the IPv6 link-local ones only, not the others */
	void *arr;
	int n;
};

static bool kn_rt_linklocal6(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static int kn_rt_addrs_cb(struct nlmsghdr *nlh, void *arg)
{
	struct kn_rt_list *l = arg;
	struct nlattr *tb[IFA_MAX + 1], *a;
	struct kn_conf_addr *arr;
	struct ifaddrmsg *ifa;
	int alen;

	if (nlh->nlmsg_type != RTM_NEWADDR || nlmsg_parse(nlh, sizeof(*ifa), tb, IFA_MAX, NULL))
		return 0;
	ifa = nlmsg_data(nlh);
	if (ifa->ifa_index != l->ifindex ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return 0;
	alen = ifa->ifa_family == AF_INET ? 4 : 16;
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || nla_len(a) != alen)
		return 0;
	/* Link-local IPv6 addresses belong to the kernel, not to the file. */
	if ((alen == 16 && kn_rt_linklocal6(nla_data(a))) != l->ll)
		return 0;
	arr = realloc(l->arr, (size_t)(l->n + 1) * sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	l->arr = arr;
	arr += l->n++;
	memset(arr, 0, sizeof(*arr));
	arr->family = ifa->ifa_family;
	memcpy(arr->addr, nla_data(a), alen);
	arr->plen = ifa->ifa_prefixlen;
	return 0;
}

/*
 * A dump of @type (header @hdr of @hlen bytes) into @l, started over
 * while a concurrent change interrupts it.
 */
static int kn_rt_dump(struct kn_nl *rt, int type, const void *hdr, size_t hlen,
		      kn_nl_msg_cb cb, struct kn_rt_list *l)
{
	int ret = -EINTR, tries;

	for (tries = 0; tries < KN_DUMP_TRIES && ret == -EINTR; tries++) {
		struct nl_msg *msg = nlmsg_alloc_simple(type, NLM_F_DUMP);

		free(l->arr);
		l->arr = NULL;
		l->n = 0;
		if (!msg || nlmsg_append(msg, (void *)hdr, hlen, NLMSG_ALIGNTO)) {
			nlmsg_free(msg);
			return -ENOMEM;
		}
		ret = kn_rt_do(rt, msg, cb, l);
	}
	return ret;
}

/* The addresses of @ifindex, IPv6 link-local ones left out (or, @ll, only those). */
static int kn_rt_addrs_of(struct kn_nl *rt, uint32_t ifindex, bool ll,
			  struct kn_conf_addr **out, int *n)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC, .ifa_index = ifindex };
	struct kn_rt_list l = { .ifindex = ifindex, .ll = ll };
	int ret = kn_rt_dump(rt, RTM_GETADDR, &ifa, sizeof(ifa), kn_rt_addrs_cb, &l);

	*out = l.arr;
	*n = l.n;
	return ret;
}

int kn_rt_addrs(struct kn_nl *rt, uint32_t ifindex, struct kn_conf_addr **out, int *n)
{
	return kn_rt_addrs_of(rt, ifindex, false, out, n);
}

int kn_rt_addrs_ll(struct kn_nl *rt, uint32_t ifindex, struct kn_conf_addr **out, int *n)
{
	return kn_rt_addrs_of(rt, ifindex, true, out, n);
}

/* ip link set dev IFINDEX addrgenmode @mode (enum in6_addr_gen_mode) */
int kn_rt_addr_gen_mode(struct kn_nl *rt, uint32_t ifindex, uint8_t mode)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = (int)ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, 0);
	struct nlattr *spec, *in6;

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    !(spec = nla_nest_start(msg, IFLA_AF_SPEC)) ||
	    !(in6 = nla_nest_start(msg, AF_INET6)) ||
	    nla_put_u8(msg, IFLA_INET6_ADDR_GEN_MODE, mode)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, in6);
	nla_nest_end(msg, spec);
	return kn_rt_do(rt, msg, NULL, NULL);
}

/* ip address { add | del } ADDR/LEN dev IFINDEX (IPv6: nodad) */
int kn_rt_addr(struct kn_nl *rt, bool add, uint32_t ifindex, const struct kn_conf_addr *a)
{
	int alen = a->family == AF_INET ? 4 : 16;
	struct ifaddrmsg ifa = {
		.ifa_family = (uint8_t)a->family,
		.ifa_prefixlen = a->plen,
		.ifa_flags = add && a->family == AF_INET6 ? IFA_F_NODAD : 0,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = ifindex,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(add ? RTM_NEWADDR : RTM_DELADDR,
						add ? NLM_F_CREATE | NLM_F_EXCL : 0);

	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) ||
	    nla_put(msg, IFA_LOCAL, alen, a->addr) ||
	    nla_put(msg, IFA_ADDRESS, alen, a->addr) ||
	    (add && a->family == AF_INET6 && nla_put_u32(msg, IFA_FLAGS, IFA_F_NODAD))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return kn_rt_do(rt, msg, NULL, NULL);
}

/* ---- host routes ---- */

static int kn_rt_routes_cb(struct nlmsghdr *nlh, void *arg)
{
	struct kn_rt_list *l = arg;
	struct nlattr *tb[RTA_MAX + 1];
	struct kn_conf_hroute *arr, r = { 0 };
	struct rtmsg *rtm;
	int alen;

	if (nlh->nlmsg_type != RTM_NEWROUTE || nlmsg_parse(nlh, sizeof(*rtm), tb, RTA_MAX, NULL))
		return 0;
	rtm = nlmsg_data(nlh);
	if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    rtm->rtm_protocol != KN_CONF_RTPROT || rtm->rtm_type != RTN_UNICAST ||
	    !tb[RTA_OIF] || nla_get_u32(tb[RTA_OIF]) != l->ifindex || tb[RTA_GATEWAY] ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return 0;
	r.table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (r.table == KN_CONF_TABLE_LOCAL)
		return 0;
	alen = rtm->rtm_family == AF_INET ? 4 : 16;
	r.p.family = rtm->rtm_family;
	r.p.alen = (uint8_t)alen;
	r.p.len = rtm->rtm_dst_len;
	if (tb[RTA_DST] && nla_len(tb[RTA_DST]) == alen)
		memcpy(r.p.addr, nla_data(tb[RTA_DST]), alen);
	if (tb[RTA_PRIORITY])
		r.metric = nla_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_PREFSRC] && nla_len(tb[RTA_PREFSRC]) == alen) {
		memcpy(r.src, nla_data(tb[RTA_PREFSRC]), alen);
		r.has_src = true;
	}
	arr = realloc(l->arr, (size_t)(l->n + 1) * sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	l->arr = arr;
	arr[l->n++] = r;
	return 0;
}

int kn_rt_routes(struct kn_nl *rt, uint32_t ifindex, struct kn_conf_hroute **out, int *n)
{
	struct rtmsg rtm = { .rtm_family = AF_UNSPEC };
	struct kn_rt_list l = { .ifindex = ifindex };
	int ret = kn_rt_dump(rt, RTM_GETROUTE, &rtm, sizeof(rtm), kn_rt_routes_cb, &l);

	*out = l.arr;
	*n = l.n;
	return ret;
}

/*
 * ip route { add | del } PREFIX dev IFINDEX [src] [metric] [table] proto
 * static; -EEXIST when the table has a route to PREFIX with this metric.
 */
int kn_rt_route(struct kn_nl *rt, bool add, uint32_t ifindex, const struct kn_conf_hroute *r)
{
	struct rtmsg rtm = {
		.rtm_family = (uint8_t)r->p.family,
		.rtm_dst_len = r->p.len,
		.rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC,
		.rtm_protocol = KN_CONF_RTPROT,
		.rtm_scope = !add ? RT_SCOPE_NOWHERE :
			     r->p.family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE,
		.rtm_type = RTN_UNICAST,
	};
	/* Never replace a route someone else made (a default route, say). */
	struct nl_msg *msg = nlmsg_alloc_simple(add ? RTM_NEWROUTE : RTM_DELROUTE,
						add ? NLM_F_CREATE | NLM_F_EXCL : 0);

	if (!msg || nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) ||
	    nla_put(msg, RTA_DST, r->p.alen, r->p.addr) ||
	    nla_put_u32(msg, RTA_OIF, ifindex) ||
	    nla_put_u32(msg, RTA_TABLE, r->table) ||
	    nla_put_u32(msg, RTA_PRIORITY, r->metric) ||
	    (r->has_src && nla_put(msg, RTA_PREFSRC, r->p.alen, r->src))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return kn_rt_do(rt, msg, NULL, NULL);
}
