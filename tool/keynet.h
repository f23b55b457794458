/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KEYNET_TOOL_H
#define KEYNET_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <linux/keynet.h>

/* Exit codes: 1 when the kernel (or the system) refused, 2 for usage. */
#define KN_EXIT_FAIL	1
#define KN_EXIT_USAGE	2

#define KN_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct kn_opts {
	bool json;
	bool pretty;
	bool stats;
	const char *netns;
};

extern struct kn_opts kn_opts;

/* util.c */
void kn_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kn_usage_err(const char *what, const char *token, const char *expected);
void kn_warn_secrets_to_stdout(void);
bool kn_matches(const char *arg, const char *word);
void kn_key_to_base64(const uint8_t key[KEYNET_KEY_LEN], char out[45]);
int kn_base64_to_key(const char *in, uint8_t key[KEYNET_KEY_LEN]);
int kn_parse_pubkey(const char *arg, uint8_t key[KEYNET_KEY_LEN]);
int kn_parse_uint(const char *arg, uint32_t max, uint32_t *val);

/* An IPv4 or IPv6 prefix of a route. */
struct kn_prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t alen;		/* 4 or 16 */
	uint8_t len;		/* prefix length in bits */
	uint8_t addr[16];	/* network order, host bits zero */
};

int kn_parse_prefix(const char *arg, struct kn_prefix *p);
void kn_format_prefix(const uint8_t *addr, int alen, int len, char *buf, size_t size);

#define KN_EP_RESOLVE	0x1	/* HOST may be a name */
#define KN_EP_PORT0	0x2	/* port 0 is allowed */
#define KN_EP_SCOPE	0x4	/* an IPv6 %scope is allowed */
int kn_parse_endpoint(const char *arg, unsigned int flags,
		      struct sockaddr_storage *ss, socklen_t *sslen);
void kn_format_endpoint(const void *sa, size_t len, char *buf, size_t size);
void kn_format_bytes(uint64_t n, char *buf, size_t size);

/*
 * nl.c: the one netlink transport: a generic netlink socket to the keynet
 * family, or an rtnetlink one (kn_nl_open_proto(NETLINK_ROUTE)).
 */
struct kn_nl;
/* A reply's keynet attributes (kn_nl_talk, kn_nl_call). */
typedef int (*kn_nl_cb)(struct nlattr **attrs, void *arg);
/* A reply message as it came (kn_nl_request: rtnetlink). */
typedef int (*kn_nl_msg_cb)(struct nlmsghdr *nlh, void *arg);

/* How often a dump interrupted by a concurrent change is started over. */
#define KN_DUMP_TRIES	5

#define KN_NL_QUIET	0x1	/* errors are not printed: kn_nl_why() */
#define KN_NL_SECRET	0x2	/* the request holds a key: wipe it */

/* The extended ack message of a netlink error, one line ("" if none). */
void kn_nl_extack_msg(const struct nlmsgerr *e, char *buf, size_t size);
struct kn_nl *kn_nl_open(void);
struct kn_nl *kn_nl_open_proto(int protocol);
void kn_nl_close(struct kn_nl *nl);
const char *kn_nl_why(const struct kn_nl *nl);
int kn_nl_err_offset(const struct kn_nl *nl);
int kn_nl_maxattr(struct kn_nl *nl);
struct nl_sock *kn_nl_join(struct kn_nl *nl, const char *group, int *family);
struct nl_msg *kn_nl_msg(struct kn_nl *nl, uint8_t cmd, int flags);
struct nl_msg *kn_nl_msg_size(struct kn_nl *nl, uint8_t cmd, int flags, size_t size);
void kn_nl_msg_wipe(struct nl_msg *msg);
int kn_nl_request(struct kn_nl *nl, struct nl_msg *msg, kn_nl_msg_cb cb, void *arg,
		  unsigned int flags);
int kn_nl_call(struct kn_nl *nl, struct nl_msg *msg, kn_nl_cb cb, void *arg,
	       unsigned int flags);
int kn_nl_talk(struct kn_nl *nl, struct nl_msg *msg, kn_nl_cb cb, void *arg);
int kn_nl_put_dev(struct nl_msg *msg, const char *dev);
int kn_nl_do(struct kn_nl *nl, struct nl_msg *msg);
int kn_nl_do_secret(struct kn_nl *nl, struct nl_msg *msg);

/* nl.c: requests sent back to back, their acks collected later. */
#define KN_NL_BATCH	32

struct kn_nl_batch_op {
	uint32_t seq;
	int line;		/* the caller's, for the error */
	char note[96];		/* the caller's, for the error */
	bool acked;
};

struct kn_nl_batch {
	struct kn_nl *nl;
	struct nl_cb *cb;
	struct kn_nl_batch_op ops[KN_NL_BATCH];
	int n, acked;
	int err;		/* the first error, and its request's */
	int err_line;
	char err_note[96];
	char why[256];
};

int kn_nl_batch_init(struct kn_nl_batch *b, struct kn_nl *nl);
int kn_nl_batch_send(struct kn_nl_batch *b, struct nl_msg *msg, int line, const char *note);
int kn_nl_batch_drain(struct kn_nl_batch *b);
void kn_nl_batch_free(struct kn_nl_batch *b);

/*
 * util.c: a show command's state.  @out buffers the whole output; @json
 * is set with -j and then already holds an open top-level array.
 */
struct kn_show {
	struct kn_nl *nl;
	FILE *out;
	struct kn_json *json;
	void *arg;
};

typedef int (*kn_show_fn)(struct kn_show *s);
int kn_show_run(kn_show_fn fn, void *arg);

/* json.c: a streaming JSON writer for -j. */
struct kn_json;
struct kn_json *kn_json_new(FILE *f, bool pretty);
void kn_json_free(struct kn_json *j);
void kn_json_open(struct kn_json *j, const char *key, char bracket);
void kn_json_close(struct kn_json *j, char bracket);
void kn_json_str(struct kn_json *j, const char *key, const char *val);
void kn_json_u64(struct kn_json *j, const char *key, uint64_t val);
void kn_json_strn(struct kn_json *j, const char *key, const char *val, size_t n);
void kn_json_null(struct kn_json *j, const char *key);
void kn_json_bool(struct kn_json *j, const char *key, bool val);

/* keys.c */
int kn_read_key_file(const char *path, const char *what,
		     uint8_t key[KEYNET_KEY_LEN], bool *empty);

/* addr.c: key-derived addresses, cjdns key formats (kmod/addr_derive.c). */
#define KN_CJDNS_KEY_STRLEN	54	/* 52 base32 digits and ".k" */

/* What LINK_GET says about a device's key and addressing. */
struct kn_link_state {
	uint32_t ifindex;
	uint8_t pub[KEYNET_KEY_LEN];
	bool has_pub;
	uint8_t address[16];	/* KEYNET_A_ADDRESS, when the kernel sent it */
	bool has_address;
	uint8_t prefix[16];	/* addressing; fc00::/8 when not reported */
	uint8_t plen;
	bool has_prefix;
	uint32_t flags;		/* enum keynet_link_flags */
	bool has_flags;
};

int kn_x25519_pub(const uint8_t priv[KEYNET_KEY_LEN], uint8_t pub[KEYNET_KEY_LEN]);
int kn_key_address(const uint8_t pub[KEYNET_KEY_LEN], const uint8_t prefix[16],
		   unsigned int plen, uint8_t out[16]);
void kn_default_addressing(uint8_t prefix[16], uint8_t *plen);
int kn_parse_addressing(const char *arg, uint8_t prefix[16], uint8_t *plen);
bool kn_is_cjdns_key(const char *arg);
int kn_cjdns_to_key(const char *arg, uint8_t key[KEYNET_KEY_LEN]);
void kn_key_to_cjdns(const uint8_t key[KEYNET_KEY_LEN], char out[KN_CJDNS_KEY_STRLEN + 1]);
int kn_hex_to_key(const char *arg, size_t len, uint8_t key[KEYNET_KEY_LEN]);
int kn_genkey_cjdns(uint8_t key[KEYNET_KEY_LEN]);
int kn_link_state_get(struct kn_nl *nl, const char *dev, struct kn_link_state *st);
/*
 * Mesh mode's link-local address: fe80::/64 and bytes 8..15 of the
 * key-derived address (kmod/addr_derive.c), on the device as /64.
 */
#define KN_LL_PLEN	64
void kn_linklocal(const uint8_t addr[16], uint8_t out[16]);
int kn_key_linklocal(const uint8_t pub[KEYNET_KEY_LEN], uint8_t out[16]);
int kn_rt_linklocal(struct kn_nl *rt, bool add, uint32_t ifindex, const uint8_t ll[16]);
int kn_linklocal_only(struct kn_nl *rt, uint32_t ifindex, const uint8_t ll[16]);
int kn_linklocal_kernel(struct kn_nl *rt, uint32_t ifindex);
int kn_linklocal_sync(const char *dev, const char *what, uint32_t ifindex,
		      const struct kn_link_state *old, const struct kn_link_state *new);
int kn_auto_addr_sync(const char *dev, const char *what, const struct kn_link_state *before,
		      const struct kn_link_state *after, bool remove_old);

/* link.c: the keynet devices of the namespace, for per-device dumps. */
struct kn_link_ent {
	uint32_t ifindex;
	char ifname[16];
};

int kn_link_list(struct kn_nl *nl, struct kn_link_ent **links, int *count);
/* @dev: the device by name, or NULL and @ifindex from the device list. */
typedef int (*kn_link_fn)(void *arg, const char *ifname, const char *dev, uint32_t ifindex);
int kn_link_each(struct kn_nl *nl, const char *dev, kn_link_fn fn, void *arg);

/* Objects. */
int kn_cmd_link(int argc, char **argv);
int kn_cmd_peer(int argc, char **argv);
int kn_cmd_route(int argc, char **argv);
int kn_cmd_nat64(int argc, char **argv);
int kn_cmd_map(int argc, char **argv);
int kn_cmd_pool(int argc, char **argv);
int kn_cmd_genkey(int argc, char **argv);
int kn_cmd_genpsk(int argc, char **argv);
int kn_cmd_pubkey(int argc, char **argv);
int kn_cmd_addr(int argc, char **argv);
int kn_cmd_version(int argc, char **argv);
int kn_cmd_conf(int argc, char **argv);
int kn_cmd_import(int argc, char **argv);
int kn_cmd_export(int argc, char **argv);
int kn_cmd_monitor(int argc, char **argv);

#endif /* KEYNET_TOOL_H */
