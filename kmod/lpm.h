/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keynet's crypto-key routing table: longest-prefix match from an IPv4 or
 * IPv6 address to a peer, with several peers per prefix ordered by metric
 * for failover.  One table per device and address family.
 *
 * Concurrency:
 *  - kn_lpm_lookup(), kn_lpm_allowed() and kn_lpm_covers() run in an
 *    RCU read-side section and take no lock: rcu_read_lock_bh() on the
 *    data path (transmit with BH disabled, the peers' rx_work),
 *    rcu_read_lock() elsewhere (lpm_env.h: kn_lpm_rcu()).
 *  - Every other function runs with the table's update mutex held (the
 *    one given to kn_lpm_init(), asserted with lockdep) and may sleep.
 *    Updates publish with rcu_assign_pointer() and free with a grace
 *    period, so a concurrent reader sees either the old or the new state
 *    of each position and never freed memory.
 *
 * Memory: the trie is a path-compressed binary trie whose branch nodes
 * hold no key (24 bytes); each (prefix, peer) entry is one route object
 * holding the prefix (32 bytes for IPv4 and for IPv6 prefixes up to /64,
 * which keep only those 8 bytes of key; 40 for longer IPv6 prefixes).
 * With at most one branch node per route, a route costs at most 56 bytes
 * (64 for an IPv6 prefix longer than /64).  A prefix with
 * several peers adds a 16-byte list node per peer.  A route's position in
 * the trie is found by the key it carries, so no parent pointers are
 * kept.
 */
#ifndef _KN_LPM_H
#define _KN_LPM_H

#include "pure.h"
#include "lpm_env.h"

#define KN_LPM_MAX_KEY 16

struct kn_lpm_ref;	/* a tagged pointer: node, route or group (lpm_int.h) */
struct kn_lpm_route;

/**
 * struct kn_lpm_peer - one peer's routes in one table
 * @first: singly linked list of the peer's route objects (lpm_int.h)
 * @peer: the opaque peer pointer that lookups return
 * @live: routes of this peer present in the table
 * @dead: routes removed one by one but not yet freed (see kn_lpm_remove())
 *
 * Embedded in the peer by the table owner, one per table (a peer with
 * IPv4 and IPv6 routes embeds two).  Initialise with kn_lpm_peer_init();
 * before the peer is freed, kn_lpm_remove_peer() must empty it.
 */
struct kn_lpm_peer {
	struct kn_lpm_route *first;
	void *peer;
	u32 live;
	u32 dead;
};

/**
 * struct kn_lpm_table - the routes of one address family of a device
 * @root: the trie; RCU-protected
 * @lock: the update mutex every writer holds
 * @gen: incremented by every change; netlink dumps use it to detect that
 *	the table changed between two messages (NLM_F_DUMP_INTR)
 * @count: number of (prefix, peer) entries
 * @dead: removed entries not yet freed, over all peers
 * @bits: 32 or 128
 * @gc: objects waiting for a grace period
 */
struct kn_lpm_table {
	struct kn_lpm_ref __rcu *root;
	struct mutex *lock;	/* see @lock above */
	u64 gen;
	u32 count;
	u32 dead;
	u8 bits;
	struct kn_lpm_gc gc;
};

/**
 * struct kn_lpm_entry - one entry as reported by a walk
 * @key: the prefix, @len bits, the rest zero; valid during the callback
 * @peer: the peer pointer
 * @metric: the entry's metric
 * @len: prefix length in bits
 */
struct kn_lpm_entry {
	const u8 *key;
	void *peer;
	u32 metric;
	u8 len;
};

/**
 * struct kn_lpm_cursor - resumable position of a walk (fits in the 48
 * bytes of a netlink_callback's ctx); zero it with kn_lpm_cursor_init().
 * @gen: table generation when a peer walk stopped
 * @next: peer walk: the entry to resume at; only used if @gen still
 *	equals the table's generation (then it cannot have been freed)
 * @count: peer walk: entries already reported; used to skip forward when
 *	the table changed in between
 * @idx: table walk: entries of the prefix at @key/@len already reported
 * @len: table walk: prefix length of the position to resume at
 * @state: KN_LPM_CUR_START, KN_LPM_CUR_MID or KN_LPM_CUR_DONE
 * @key: table walk: prefix of the position to resume at
 *
 * A table walk resumes at the first prefix at or after @key/@len in trie
 * order (a prefix before its longer prefixes, 0-branch before 1-branch),
 * so prefixes present during the whole dump are reported exactly once.
 * Entries of a prefix are resumed by index, so if that prefix's peer list
 * changed between two calls an entry can be skipped or repeated: callers
 * flag such dumps as interrupted by comparing kn_lpm_gen().
 */
struct kn_lpm_cursor {
	u64 gen;
	struct kn_lpm_route *next;
	u32 count;
	u16 idx;
	u8 len;
	u8 state;
	u8 key[KN_LPM_MAX_KEY];
};

enum {
	KN_LPM_CUR_START,
	KN_LPM_CUR_MID,
	KN_LPM_CUR_DONE,
};

/**
 * struct kn_lpm_undo - how to take back one kn_lpm_insert_undo()
 * @spare: a list node reserved for restoring a group entry's metric
 *	(moving it back may need one, and taking back must not fail), or
 *	NULL; kn_lpm_undo() may use it, kn_lpm_undo_done() frees the rest
 * @metric: the entry's metric before (%KN_LPM_UNDO_METRIC)
 * @rank: the entry's place in its prefix's preference order before, 0
 *	first (%KN_LPM_UNDO_METRIC)
 * @op: %KN_LPM_UNDO_NONE (nothing changed), %KN_LPM_UNDO_REMOVE (a new
 *	entry) or %KN_LPM_UNDO_METRIC (an existing entry's metric changed)
 *
 * Several inserts are taken back exactly (entries, metrics and the order
 * of equal metrics) when they are taken back in the reverse order, with
 * the table's update mutex held throughout: a request adding many routes
 * all or nothing (netlink's route lists).
 */
struct kn_lpm_undo {
	void *spare;
	u32 metric;
	u32 rank;
	u8 op;
};

enum {
	KN_LPM_UNDO_NONE,
	KN_LPM_UNDO_REMOVE,
	KN_LPM_UNDO_METRIC,
};

/* Module init/exit: create and destroy the object caches (kernel). */
int kn_lpm_init_caches(void);
void kn_lpm_exit_caches(void);

void kn_lpm_init(struct kn_lpm_table *t, struct mutex *lock,
		 unsigned int bits);
void kn_lpm_destroy(struct kn_lpm_table *t);
void kn_lpm_peer_init(struct kn_lpm_peer *head, void *peer);

int kn_lpm_insert(struct kn_lpm_table *t, const u8 *key, unsigned int len,
		  struct kn_lpm_peer *head, u32 metric);
int kn_lpm_insert_undo(struct kn_lpm_table *t, const u8 *key,
		       unsigned int len, struct kn_lpm_peer *head, u32 metric,
		       struct kn_lpm_undo *u);
void kn_lpm_undo(struct kn_lpm_table *t, const u8 *key, unsigned int len,
		 struct kn_lpm_peer *head, struct kn_lpm_undo *u);
void kn_lpm_undo_done(struct kn_lpm_undo *u);
int kn_lpm_remove(struct kn_lpm_table *t, const u8 *key, unsigned int len,
		  struct kn_lpm_peer *head);
void kn_lpm_remove_peer(struct kn_lpm_table *t, struct kn_lpm_peer *head);

void *kn_lpm_lookup(const struct kn_lpm_table *t, const u8 *addr,
		    bool (*alive)(const void *peer));
bool kn_lpm_allowed(const struct kn_lpm_table *t, const u8 *addr,
		    const void *peer);
bool kn_lpm_covers(const struct kn_lpm_table *t, const u8 *addr,
		   const void *peer);

static inline u32 kn_lpm_count(const struct kn_lpm_table *t)
{
	return t->count;
}

static inline u64 kn_lpm_gen(const struct kn_lpm_table *t)
{
	return t->gen;
}

static inline void kn_lpm_cursor_init(struct kn_lpm_cursor *cur)
{
	memset(cur, 0, sizeof(*cur));
}

int kn_lpm_walk(struct kn_lpm_table *t, struct kn_lpm_cursor *cur,
		int (*fn)(void *ctx, const struct kn_lpm_entry *e), void *ctx);
int kn_lpm_walk_peer(struct kn_lpm_table *t, struct kn_lpm_peer *head,
		     struct kn_lpm_cursor *cur,
		     int (*fn)(void *ctx, const struct kn_lpm_entry *e),
		     void *ctx);

#endif /* _KN_LPM_H */
