/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keynet.conf(5): the declarative configuration of one keynet device, as
 * parsed from a file (conf.c), as read from the running system
 * (conf_read.c), and the difference between the two (diff.c) applied to
 * the kernel (conf_apply.c).  The structures themselves are model.h.  The same structure describes both sides, so
 * "conf dump" prints what "conf apply" reads back unchanged.
 */
#ifndef KEYNET_TOOL_CONF_H
#define KEYNET_TOOL_CONF_H

#include <net/if.h>

#include "model.h"

/* conf.c */
void kn_conf_init(struct kn_conf *c);
void kn_conf_free(struct kn_conf *c);
int kn_conf_parse_file(const char *path, struct kn_conf *c);
int kn_conf_parse_stream(FILE *f, const char *path, struct kn_conf *c);
int kn_conf_resolve(struct kn_conf *c);
void kn_conf_print(FILE *f, const struct kn_conf *c);
int kn_conf_add_peer(struct kn_conf *c, struct kn_conf_peer **out);
int kn_conf_add_route(struct kn_conf *c, int peer, const struct kn_prefix *p, uint32_t metric);
int kn_conf_find_peer(const struct kn_conf *c, const uint8_t key[KEYNET_KEY_LEN]);
bool kn_conf_key_low_order(const uint8_t key[KEYNET_KEY_LEN]);
const char *kn_conf_parse_prefix(const char *s, struct kn_prefix *p, bool host_ok);
void kn_conf_host_routes(const struct kn_conf *c, struct kn_conf_hroute **out, int *n);
int kn_cmd_conf(int argc, char **argv);

/*
 * conf_rt.c: rtnetlink for the device itself, on a socket of
 * kn_nl_open_proto(NETLINK_ROUTE); 0 or a negative errno, the kernel's
 * reason in kn_nl_why().
 */
int kn_rt_link_get(struct kn_nl *rt, const char *name, struct kn_rt_link *l);
int kn_rt_link_create(struct kn_nl *rt, const char *name);
int kn_rt_link_delete(struct kn_nl *rt, uint32_t ifindex);
int kn_rt_link_set(struct kn_nl *rt, uint32_t ifindex, uint32_t mtu, bool up);
int kn_rt_addrs(struct kn_nl *rt, uint32_t ifindex, struct kn_conf_addr **out, int *n);
int kn_rt_addrs_ll(struct kn_nl *rt, uint32_t ifindex, struct kn_conf_addr **out, int *n);
int kn_rt_addr_gen_mode(struct kn_nl *rt, uint32_t ifindex, uint8_t mode);
int kn_rt_addr(struct kn_nl *rt, bool add, uint32_t ifindex, const struct kn_conf_addr *a);
int kn_rt_routes(struct kn_nl *rt, uint32_t ifindex, struct kn_conf_hroute **out, int *n);
int kn_rt_route(struct kn_nl *rt, bool add, uint32_t ifindex, const struct kn_conf_hroute *r);

/* conf_read.c: the running configuration of a device. */
int kn_conf_state_read(const char *dev, struct kn_conf *c, struct kn_rt_link *link);
int kn_conf_link_check(struct kn_nl *rt, const char *dev, struct kn_rt_link *link);
int kn_conf_read(struct kn_nl *g, struct kn_nl *rt, const char *dev, struct kn_conf *c,
		 struct kn_rt_link *link);
int kn_conf_read_link(struct kn_nl *g, const char *dev, struct kn_conf *c);

/*
 * diff.c: a set of model objects (an array) with its identity order, and
 * the difference of two such sets.
 */
typedef int (*kn_set_cmp)(const void *a, const void *actx, const void *b, const void *bctx);
typedef bool (*kn_set_same)(const void *a, const void *actx, const void *b, const void *bctx);

struct kn_set {
	const void *base;	/* the objects */
	int n;
	size_t size;		/* of one */
	kn_set_cmp cmp;		/* identity */
	const void *ctx;	/* their container, for @cmp */
	int *ord;		/* sorted by @cmp (kn_set_sort) */
};

#define KN_SET(arr, count, compare, context) ((struct kn_set){ \
	.base = (arr), .n = (count), .size = sizeof(*(arr)), .cmp = (compare), .ctx = (context) })

enum kn_diff_kind { KN_DIFF_REMOVE, KN_DIFF_ADD, KN_DIFF_CHANGE };

struct kn_diff_op {
	enum kn_diff_kind kind;
	int have, want;		/* indexes; -1 when not on that side */
};

struct kn_diff {
	struct kn_diff_op *ops;
	int n, cap;
	int n_remove, n_add, n_change;
};

int kn_set_sort(struct kn_set *s);
int kn_set_find(const struct kn_set *s, const void *obj, const void *ctx);
void kn_set_free(struct kn_set *s);
int kn_diff(struct kn_set *have, struct kn_set *want, kn_set_same same, struct kn_diff *d);
void kn_diff_free(struct kn_diff *d);
int kn_conf_peer_cmp(const void *a, const void *actx, const void *b, const void *bctx);
int kn_conf_route_cmp(const void *a, const void *actx, const void *b, const void *bctx);
int kn_conf_pool_cmp(const void *a, const void *actx, const void *b, const void *bctx);
void kn_conf_map_text(const struct kn_conf_map *m, char *buf, size_t size);
const char *kn_conf_map_check(const struct kn_conf_map *m);
int kn_conf_maps_check(const struct kn_conf_map *maps, int n, int *bad, int *other,
		       const char **why);
int kn_conf_map_cmp(const void *a, const void *actx, const void *b, const void *bctx);
int kn_conf_addr_cmp(const void *a, const void *actx, const void *b, const void *bctx);
int kn_conf_hroute_cmp(const void *a, const void *actx, const void *b, const void *bctx);

/* conf_apply.c: make the running state what a parsed file says. */
int kn_conf_apply(struct kn_conf *want, const char *dev, bool quiet);

/* import.c / export.c */
int kn_cmd_import(int argc, char **argv);
int kn_cmd_export(int argc, char **argv);

#endif /* KEYNET_TOOL_CONF_H */
