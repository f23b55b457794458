// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group of the keynet family: KEYNET_CMD_EVENT
 * notifications of what changed by itself (handshakes, roaming, failover,
 * NAT64 mappings, beacon auto-peers).  Configuration changes made through
 * the family are not echoed: the requester already knows.
 *
 * Where each event comes from:
 *  - HANDSHAKE: kn_event_handshake(), called by receive.c where a session
 *    becomes usable: the initiator on the response, the responder on the
 *    first data message under the new session.
 *  - ENDPOINT: receive.c, when an authenticated message came from another
 *    address or port than the peer's endpoint (kn_peer_set_endpoint()).
 *  - PEER_ALIVE, PEER_LOST and FAILOVER: the liveness worker below.
 *  - MAP_NEW / MAP_EXPIRED: the NAT64 pool (nat64_pool.c), for dynamic
 *    mappings made by traffic and expired by its idle timer.
 *  - AUTO_PEER_ADDED / AUTO_PEER_EXPIRED: the beacon code.
 *
 * Liveness (see events.h).  The worker holds the device's conf_lock, so
 * the peer list and the route tables are stable and peer->alive_reported
 * of every peer is its own to read and write.  FAILOVER compares, for
 * each prefix of the peer whose liveness changed, the first peer in
 * preference order (metric, then age: the order kn_xmit() uses) that is
 * reported alive before and after the change; a prefix routed to a single
 * peer has nothing to fail over to and gets no FAILOVER (PEER_LOST and
 * HANDSHAKE say it all).  Using the reported liveness of the other peers,
 * not a fresh kn_peer_alive(), keeps the stream coherent: for any prefix,
 * each FAILOVER starts where the previous one ended.  At most
 * KN_EVENT_FAILOVER_MAX_ROUTES routes of the peer are looked at per
 * transition, and none when nobody listens.
 *
 * The worker runs on system_power_efficient_wq, not on the device's own
 * workqueue: configuration paths wait for the device's work items while
 * holding conf_lock, which this worker takes.
 */
#include <linux/jiffies.h>
#include <linux/workqueue.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include "compat.h"
#include "device.h"
#include "peer.h"
#include "timers.h"
#include "netlink.h"
#include "events.h"
#include "nat64_eam.h"

/* Joining takes CAP_NET_ADMIN over the socket's namespace: compat.h. */
const struct genl_multicast_group kn_mcgrps[KN_N_MCGRPS] = {
	{ .name = KEYNET_MCGRP_EVENTS, .flags = KN_COMPAT_MCAST_ADMIN },
};

static bool kn_event_wanted(struct kn_device *kn)
{
	return genl_has_listeners(&kn_genl_family, dev_net(kn->dev), 0);
}

/*
 * Payload room of one event: the largest (a peer with an IPv6 endpoint)
 * takes about 110 bytes.  Small messages keep the truesize a listener's
 * receive buffer is charged small, so bursts (failover of many prefixes)
 * overrun it later.
 */
#define KN_EVENT_MSG_SIZE	256

/* Start an event message with its type and the device; NULL on failure. */
static struct sk_buff *kn_event_start(struct kn_device *kn,
				      enum keynet_event ev, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(KN_EVENT_MSG_SIZE, GFP_ATOMIC);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &kn_genl_family, 0, KEYNET_CMD_EVENT);
	if (!*hdr ||
	    nla_put_u32(msg, KEYNET_A_EVENT, ev) ||
	    nla_put_u32(msg, KEYNET_A_IFINDEX, kn->dev->ifindex) ||
	    nla_put_string(msg, KEYNET_A_IFNAME, kn->dev->name)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void kn_event_send(struct kn_device *kn, struct sk_buff *msg,
			  void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&kn_genl_family, dev_net(kn->dev), msg, 0, 0,
				GFP_ATOMIC);
}

void kn_event_peer(struct kn_device *kn, enum keynet_event ev,
		   struct kn_peer *peer)
{
	struct kn_endpoint ep;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!kn_event_wanted(kn))
		return;
	msg = kn_event_start(kn, ev, &hdr);
	if (!msg)
		return;
	ret = nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN,
		      peer->public_key);
	if (!ret && kn_peer_get_endpoint(peer, &ep)) {
		if (ep.addr.sa_family == AF_INET)
			ret = nla_put(msg, KEYNET_A_ENDPOINT, sizeof(ep.addr4),
				      &ep.addr4);
		else
			ret = nla_put(msg, KEYNET_A_ENDPOINT, sizeof(ep.addr6),
				      &ep.addr6);
	}
	if (ret) {
		nlmsg_free(msg);
		return;
	}
	kn_event_send(kn, msg, hdr);
}

/* A NAT64 dynamic mapping; @kn may be NULL (no owner: nothing to say). */
/*
 * A NAT64 mapping event: @v4 <-> @v6; @plen4 is the IPv4 prefix length of
 * a static (RFC 7757) map, or -1 for a dynamic mapping (no
 * KEYNET_A_NAT64_MAP_PLEN then).
 */
static void kn_event_v4v6(struct kn_device *kn, enum keynet_event ev,
			  __be32 v4, const u8 *v6, int plen4)
{
	struct sk_buff *msg;
	void *hdr;

	if (!kn || !kn_event_wanted(kn))
		return;
	msg = kn_event_start(kn, ev, &hdr);
	if (!msg)
		return;
	if (nla_put_in_addr(msg, KEYNET_A_NAT64_V4, v4) ||
	    nla_put(msg, KEYNET_A_NAT64_V6, 16, v6) ||
	    (plen4 >= 0 && nla_put_u8(msg, KEYNET_A_NAT64_MAP_PLEN, plen4))) {
		nlmsg_free(msg);
		return;
	}
	kn_event_send(kn, msg, hdr);
}

void kn_event_map(struct kn_device *kn, enum keynet_event ev, __be32 v4,
		  const struct in6_addr *v6)
{
	kn_event_v4v6(kn, ev, v4, v6->s6_addr, -1);
}

void kn_event_static_map(struct kn_device *kn, enum keynet_event ev,
			 const struct kn_eam *m)
{
	kn_event_v4v6(kn, ev, htonl(m->v4), m->v6, m->len4);
}

/* FAILOVER of @key/@len (@alen bytes) to @to, or to nobody (NULL). */
static void kn_event_failover(struct kn_device *kn, const u8 *key, u8 alen,
			      u8 len, struct kn_peer *to)
{
	struct sk_buff *msg;
	void *hdr;

	msg = kn_event_start(kn, KEYNET_EVENT_FAILOVER, &hdr);
	if (!msg)
		return;
	if (nla_put(msg, KEYNET_A_PREFIX, alen, key) ||
	    nla_put_u8(msg, KEYNET_A_PREFIX_LEN, len) ||
	    (to && nla_put(msg, KEYNET_A_PEER_PUBLIC_KEY, KEYNET_KEY_LEN,
			   to->public_key))) {
		nlmsg_free(msg);
		return;
	}
	kn_event_send(kn, msg, hdr);
}

/* The entries of one prefix, while one peer's liveness changes. */
struct kn_fo_prefix {
	const u8 *key;
	u8 len;
	u8 alen;
	struct kn_peer *peer;	/* the peer whose liveness changed */
	bool was_alive;		/* its liveness before the change */
	u32 n;			/* entries of the prefix */
	struct kn_peer *before;	/* first alive before the change, or NULL */
	struct kn_peer *after;	/* first alive after it, or NULL */
};

static bool kn_fo_alive(const struct kn_fo_prefix *f, struct kn_peer *p,
			bool after)
{
	if (p == f->peer)
		return after ? !f->was_alive : f->was_alive;
	return p->alive_reported;
}

/* kn_lpm_walk() callback: the entries of f->key/f->len, then stop. */
static int kn_fo_entry(void *arg, const struct kn_lpm_entry *e)
{
	struct kn_fo_prefix *f = arg;
	struct kn_peer *p = e->peer;

	if (e->len != f->len || memcmp(e->key, f->key, f->alen))
		return 1;
	f->n++;
	if (!f->before && kn_fo_alive(f, p, false))
		f->before = p;
	if (!f->after && kn_fo_alive(f, p, true))
		f->after = p;
	return 0;
}

struct kn_fo_ctx {
	struct kn_device *kn;
	struct kn_lpm_table *t;
	struct kn_peer *peer;
	bool was_alive;
	u8 alen;
	u32 budget;
};

/* kn_lpm_walk_peer() callback: one route of the peer that changed. */
static int kn_fo_route(void *arg, const struct kn_lpm_entry *e)
{
	struct kn_fo_ctx *c = arg;
	struct kn_fo_prefix f = {
		.key = e->key, .len = e->len, .alen = c->alen,
		.peer = c->peer, .was_alive = c->was_alive,
	};
	struct kn_lpm_cursor cur;

	if (!c->budget)
		return 1;
	c->budget--;
	/* A table walk resumed at exactly this prefix: its entries first. */
	kn_lpm_cursor_init(&cur);
	memcpy(cur.key, e->key, c->alen);
	cur.len = e->len;
	cur.state = KN_LPM_CUR_MID;
	kn_lpm_walk(c->t, &cur, kn_fo_entry, &f);
	if (f.n > 1 && f.before != f.after)
		kn_event_failover(c->kn, e->key, c->alen, e->len, f.after);
	return 0;
}

/* @peer's reported liveness just changed from @was_alive. */
static void kn_event_failovers(struct kn_device *kn, struct kn_peer *peer,
			       bool was_alive)
{
	struct kn_fo_ctx c = {
		.kn = kn, .peer = peer, .was_alive = was_alive,
		.budget = KN_EVENT_FAILOVER_MAX_ROUTES,
	};
	struct kn_lpm_cursor cur;

	lockdep_assert_held(&kn->conf_lock);
	if (!kn_event_wanted(kn))
		return;
	c.t = &kn->routes4;
	c.alen = 4;
	kn_lpm_cursor_init(&cur);
	kn_lpm_walk_peer(c.t, &peer->routes4, &cur, kn_fo_route, &c);
	c.t = &kn->routes6;
	c.alen = 16;
	kn_lpm_cursor_init(&cur);
	kn_lpm_walk_peer(c.t, &peer->routes6, &cur, kn_fo_route, &c);
}

static unsigned long kn_live_period(void)
{
	return max_t(unsigned long, 1, nsecs_to_jiffies(kn_time(NSEC_PER_SEC)));
}

static void kn_live_worker(struct work_struct *work)
{
	struct kn_device *kn = container_of(to_delayed_work(work),
					    struct kn_device, live_work);
	u64 now = ktime_get_boottime_ns(), hs;
	struct kn_peer *peer;
	bool again = false, alive;

	mutex_lock(&kn->conf_lock);
	list_for_each_entry(peer, &kn->peers, list) {
		alive = kn_peer_alive(peer, now);
		if (alive != peer->alive_reported) {
			/* Racy readers (timers) only use it as a hint. */
			WRITE_ONCE(peer->alive_reported, alive);
			kn_event_peer(kn, alive ? KEYNET_EVENT_PEER_ALIVE :
				      KEYNET_EVENT_PEER_LOST, peer);
			kn_event_failovers(kn, peer, !alive);
		}
		/* Only a recent handshake lets a peer be (or become) alive. */
		hs = READ_ONCE(peer->last_hs_ns);
		if (hs && now - hs <= kn_time(KN_REJECT_AFTER_TIME_NS))
			again = true;
	}
	if (again)
		queue_delayed_work(system_power_efficient_wq, &kn->live_work,
				   kn_live_period());
	mutex_unlock(&kn->conf_lock);
}

void kn_events_init(struct kn_device *kn)
{
	INIT_DELAYED_WORK(&kn->live_work, kn_live_worker);
}

/*
 * The device is going away: its peers are gone (nothing kicks any more),
 * wait for the worker.  Caller must not hold conf_lock.
 */
void kn_events_stop(struct kn_device *kn)
{
	cancel_delayed_work_sync(&kn->live_work);
}

/* Something may have changed @peer's liveness: look now.  Any context. */
void kn_event_liveness_kick(struct kn_peer *peer)
{
	if (!READ_ONCE(peer->dead))
		mod_delayed_work(system_power_efficient_wq,
				 &peer->kn->live_work, 0);
}

/* A handshake with @peer completed and its session is usable. */
void kn_event_handshake(struct kn_peer *peer)
{
	kn_event_peer(peer->kn, KEYNET_EVENT_HANDSHAKE, peer);
	kn_event_liveness_kick(peer);
}
