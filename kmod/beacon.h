/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LAN beacons (docs/beacons.md): a device in mode accept or send listens
 * for beacon frames (beacon_frame.h) on its beacon port and adds the
 * holders of the same beacon key as auto-peers; in mode send it also
 * announces itself on its beacon interfaces every 10 s (+-20 %).
 *
 * Contexts and locks.  The configuration (@mode ... @devs) changes under
 * the device's conf_lock (and RTNL: every writer comes through LINK_SET);
 * LINK_GET reads it locklessly (READ_ONCE, @devs under RCU).  Beacon
 * datagrams arrive in softirq (kn_beacon_encap_rcv()), which checks the
 * size and the MAC (under @rxkey, RCU), then the per-source rate limit
 * (@rl, under @rl_lock), and queues only frames that verified on
 * @rx_queue.  Everything else runs in two delayed works on the
 * system workqueues: @rx_work (verify, add or refresh auto-peers, reply)
 * and @tick (announce, expire silent auto-peers).  Both take RTNL and then
 * conf_lock, the order of device.h; they take RTNL with rtnl_trylock() and
 * retry a jiffy later when it is busy, so that ndo_stop/ndo_uninit (which
 * hold RTNL) can cancel them synchronously.  Whether they run is decided
 * under conf_lock by @up (the device is up) and @mode; neither rearms once
 * that says no.  Sockets (@sock4, @sock6) change under conf_lock.
 *
 * The last stamp seen per public key (@stamps, @stamp_lru, @n_stamps)
 * changes under conf_lock, in rx_work; it outlives auto-peers.
 *
 * Auto-peers are ordinary peers with peer->beacon_auto set (peer.h); only
 * this file sets or reads that flag's beacon state, under conf_lock.
 */
#ifndef _KN_BEACON_H
#define _KN_BEACON_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#include <uapi/linux/keynet.h>

#include "beacon_frame.h"

struct kn_device;
struct socket;

/* Most beacon interfaces of a device. */
#define KN_BEACON_DEVS_MAX		32
/* Highest KEYNET_A_BEACON_MAX_PEERS accepted. */
#define KN_BEACON_MAX_PEERS_LIMIT	4096
/* Highest KEYNET_A_BEACON_STAMP_WINDOW accepted (seconds: a day). */
#define KN_BEACON_STAMP_WINDOW_LIMIT	86400

/* The beacon interfaces; immutable once published (RCU). */
struct kn_beacon_devs {
	struct rcu_head rcu;
	u32 n;
	int ifindex[];
};

struct kn_beacon_rl_slot;

/* The MAC key as encap_rcv reads it (RCU); wiped when freed. */
struct kn_beacon_rxkey {
	struct rcu_head rcu;
	u8 mac_key[KN_BEACON_KEY_LEN];
};

struct kn_beacon {
	u8 mode;			/* enum keynet_beacon_mode */
	u16 port;
	u32 max_peers;
	u32 stamp_window;		/* seconds, 0: not checked */
	bool has_key;
	struct kn_beacon_keys keys;	/* valid with @has_key */
	struct kn_beacon_devs __rcu *devs;	/* NULL: none listed */
	struct kn_beacon_rxkey __rcu *rxkey;	/* NULL: no beacon key */

	bool up;			/* the device is up (conf_lock) */
	struct socket *sock4, *sock6;	/* bound to @port while active */
	u64 last_stamp;			/* of the last frame we made */

	struct delayed_work tick;
	struct delayed_work rx_work;
	struct sk_buff_head rx_queue;

	spinlock_t rl_lock;		/* protects @rl */
	siphash_key_t rl_key;
	struct kn_beacon_rl_slot *rl;

	DECLARE_HASHTABLE(stamps, 7);	/* struct kn_beacon_stamp by key */
	struct list_head stamp_lru;	/* the same, least recently seen first */
	u32 n_stamps;

	atomic64_t stats[__KEYNET_BEACON_STAT_MAX];
};

/*
 * A LINK_SET request's beacon attributes: parsed (no lock), prepared
 * under conf_lock (the steps that can fail: interface checks, binding a
 * new port) and then committed (cannot fail) or released.
 */
struct kn_beacon_req {
	bool has_mode, has_port, has_max, has_key, has_devs, has_window;
	u8 mode;
	u16 port;
	u32 max_peers;
	u32 window;
	bool key_set;			/* has_key: set (true) or remove */
	struct kn_beacon_keys keys;
	struct kn_beacon_rxkey *rxkey;	/* key_set: to publish (after: old) */
	const struct sk_buff *nlskb;	/* the request, for its sender's rights */
	struct kn_beacon_devs *devs;	/* has_devs: new list (NULL: empty) */
	struct socket *sock4, *sock6;	/* prepared sockets */
	bool new_socks;
};

int kn_beacon_init(struct kn_device *kn);
void kn_beacon_uninit(struct kn_device *kn);
void kn_beacon_start(struct kn_device *kn);
void kn_beacon_stop(struct kn_device *kn);
void kn_beacon_net_exit(struct kn_device *kn);

/* nl_beacon.c: the LINK_SET and LINK_GET attributes. */
int kn_beacon_parse(const struct sk_buff *nlskb, struct nlattr **attrs,
		    struct kn_beacon_req *r, struct netlink_ext_ack *extack);
int kn_beacon_prepare(struct kn_device *kn, struct kn_beacon_req *r,
		      struct netlink_ext_ack *extack);
void kn_beacon_commit(struct kn_device *kn, struct kn_beacon_req *r);
void kn_beacon_req_release(struct kn_beacon_req *r);
int kn_beacon_fill(struct sk_buff *msg, struct kn_device *kn, bool stats);

/* beacon.c, for nl_beacon.c (conf_lock held unless said otherwise). */
bool kn_beacon_active(struct kn_device *kn);
int kn_beacon_open(struct kn_device *kn, u16 port, struct socket **s4,
		   struct socket **s6);
void kn_beacon_release(struct socket *s4, struct socket *s6);
void kn_beacon_close(struct kn_device *kn);
void kn_beacon_expire(struct kn_device *kn, bool all);	/* and RTNL */
void kn_beacon_kick_soon(struct kn_device *kn);
void kn_beacon_rxkey_free(struct kn_beacon_rxkey *k);	/* any context */

#endif /* _KN_BEACON_H */
