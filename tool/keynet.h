/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KEYNET_TOOL_H
#define KEYNET_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <linux/keynet.h>

/* Exit codes: 1 when the kernel (or the system) refused, 2 for usage. */
#define KN_EXIT_FAIL	1
#define KN_EXIT_USAGE	2

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
bool kn_matches(const char *arg, const char *word);
void kn_key_to_base64(const uint8_t key[KEYNET_KEY_LEN], char out[45]);
int kn_base64_to_key(const char *in, uint8_t key[KEYNET_KEY_LEN]);

/* nl.c: one generic netlink connection to the keynet family. */
struct kn_nl;
typedef int (*kn_nl_cb)(struct nlattr **attrs, void *arg);

struct kn_nl *kn_nl_open(void);
void kn_nl_close(struct kn_nl *nl);
struct nl_msg *kn_nl_msg(struct kn_nl *nl, uint8_t cmd, int flags);
int kn_nl_talk(struct kn_nl *nl, struct nl_msg *msg, kn_nl_cb cb, void *arg);
int kn_nl_put_dev(struct nl_msg *msg, const char *dev);

/* json.c: a streaming JSON writer for -j. */
struct kn_json;
struct kn_json *kn_json_new(FILE *f, bool pretty);
void kn_json_free(struct kn_json *j);
void kn_json_open(struct kn_json *j, const char *key, char bracket);
void kn_json_close(struct kn_json *j, char bracket);
void kn_json_str(struct kn_json *j, const char *key, const char *val);
void kn_json_u64(struct kn_json *j, const char *key, uint64_t val);
void kn_json_null(struct kn_json *j, const char *key);
void kn_json_bool(struct kn_json *j, const char *key, bool val);

/* Objects. */
int kn_cmd_link(int argc, char **argv);
int kn_cmd_version(int argc, char **argv);

#endif /* KEYNET_TOOL_H */
