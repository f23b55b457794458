/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf_keys.h: between the keynet.conf(5) parser (conf.c: sections, lines,
 * the checks of the whole file, the printer's walk) and the keys of each
 * section (conf_keys_link.c, conf_keys_peer.c, conf_keys_nat64.c: one row
 * per key, with its parse and its print; conf_keys.c: the value parsers
 * and printers they share).  Only conf.c and the conf_keys files include it.
 */
#ifndef KEYNET_TOOL_CONF_KEYS_H
#define KEYNET_TOOL_CONF_KEYS_H

#include <limits.h>

#include "conf.h"

enum kn_conf_sect {
	KN_SECT_NONE,
	KN_SECT_LINK,
	KN_SECT_PEER,
	KN_SECT_ROUTE,
	KN_SECT_NAT64,
	KN_SECT_POOL,
	KN_SECT_MAP,
};

/* A [Route] section, resolved against the peers once the file is read. */
struct kn_conf_pending_route {
	int line;
	int prefix_line, peer_line;
	bool has_prefix, has_metric;
	struct kn_prefix p;
	uint32_t metric;
	char *peer_ref;
};

struct kn_conf_parser {
	struct kn_conf *c;
	const char *path;
	char dir[PATH_MAX];	/* of the file, for relative key files */
	int line;
	enum kn_conf_sect sect;
	int sect_line;
	int seen[32];		/* line of each single key in this section */
	int peer;		/* current [Peer] index */
	struct kn_conf_pending_route *proutes;
	int n_proutes;
	bool map_v4, map_v6;	/* current [Map] */
	bool nat64_prefix;
	int link_line;
};

/* keynet: PATH:LINE: <what> '<token>': <expected>; returns exit 2. */
int kn_conf_err(struct kn_conf_parser *ps, int line, const char *what,
		const char *token, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Grow an array by one zeroed element; NULL when out of memory. */
void *kn_conf_grow(void *arr, int *n, size_t size);
bool kn_conf_prefix_eq(const struct kn_prefix *a, const struct kn_prefix *b);
/* A public key: base64 or cjdns' .k form. */
bool kn_conf_pubkey(const char *v, uint8_t key[KEYNET_KEY_LEN]);
const char *kn_conf_key_text(const uint8_t key[KEYNET_KEY_LEN], char buf[45]);
/* conf.c: a peer's endpoint: the address @sa with @port, resolved. */
void kn_conf_peer_set_ep(struct kn_conf_peer *p, const struct sockaddr *sa, socklen_t len,
			 uint32_t port);

static inline struct kn_conf_pending_route *kn_cur_proute(struct kn_conf_parser *ps)
{
	return &ps->proutes[ps->n_proutes - 1];
}

/*
 * What "conf dump" (and import) prints of one key: @i is the [Peer] or
 * [Map] being printed, @first/@ord each peer's routes in order.
 */
struct kn_conf_printer {
	FILE *f;
	const struct kn_conf *c;
	int i;
	const int *first, *ord;
};

/*
 * A key of a section: its name, how a value is parsed into struct
 * kn_conf, and how struct kn_conf prints it back ("Key = Value" lines, or
 * nothing when it has the default; NULL when another key of the same
 * setting prints it, as PrivateKey for PrivateKeyFile).  The rows are in
 * the order of the printed file.  A new key is one row (and its field in
 * struct kn_conf, model.h); applying it needs nothing per key: conf apply
 * compares the file's model with the running one and codec.c encodes the
 * difference, so a new setting is also one encoder and decoder line there.
 */
typedef int (*kn_conf_key_fn)(struct kn_conf_parser *ps, char *v);
typedef void (*kn_conf_print_fn)(const struct kn_conf_printer *pr, const char *key);

struct kn_conf_key {
	const char *name;
	kn_conf_key_fn fn;
	kn_conf_print_fn print;
	bool repeatable;
};

struct kn_conf_sect_keys {
	const struct kn_conf_key *keys;
	size_t n;
	int (*count)(const struct kn_conf *c);
};

/* Each section's keys (conf_keys_*.c); indexed by enum kn_conf_sect. */
extern const struct kn_conf_sect_keys kn_link_sect, kn_peer_sect, kn_route_sect;
extern const struct kn_conf_sect_keys kn_nat64_sect, kn_pool_sect, kn_map_sect;
extern const struct kn_conf_sect_keys *const kn_sect_keys[];

/*
 * conf_keys.c: what the keys share.  The parsers return NULL or what was
 * expected ("expected yes or no"); kn_conf_key_file() and the printers as
 * their names say.  The printers write "KEY = VALUE" lines; _bool and _u32
 * print nothing when @val is the default @dflt.
 */
const char *kn_conf_bool(const char *v, bool *out);
/* A table: off (0, only if @off_ok), main, auto (= main) or a number. */
const char *kn_conf_table(const char *v, bool off_ok, uint32_t *t);
/* Split @s into at most @max blank-separated words (in place); -1 if more. */
int kn_conf_words(char *s, char **w, int max);
/* A key file named in the configuration: relative to the file's directory. */
int kn_conf_key_file(struct kn_conf_parser *ps, const char *v, const char *what,
		     uint8_t key[KEYNET_KEY_LEN], bool *empty);
void kn_conf_out(const struct kn_conf_printer *pr, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kn_conf_out_addr(const struct kn_conf_printer *pr, const char *key, int family,
		      const uint8_t *a);
void kn_conf_out_prefix(const struct kn_conf_printer *pr, const char *key,
			const struct kn_prefix *p);
/* A secret key: wiped from the stack once printed. */
void kn_conf_out_secret(const struct kn_conf_printer *pr, const char *key,
			const uint8_t k[KEYNET_KEY_LEN]);
void kn_conf_out_bool(const struct kn_conf_printer *pr, const char *key, bool val,
		      bool dflt, const char *yes, const char *no);
void kn_conf_out_u32(const struct kn_conf_printer *pr, const char *key, uint32_t val,
		     uint32_t dflt);

#endif /* KEYNET_TOOL_CONF_KEYS_H */
