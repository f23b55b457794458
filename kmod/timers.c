// SPDX-License-Identifier: GPL-2.0
/*
 * The WireGuard protocol's per-peer timers (whitepaper section 6):
 *
 *  retransmit    REKEY_TIMEOUT (5 s + up to 333 ms jitter) after we sent an
 *                initiation with no response: send another, until
 *                REKEY_ATTEMPT_TIME (90 s) after the first, then give up
 *                and drop the packets waiting for a session.
 *  keepalive     KEEPALIVE_TIMEOUT (10 s) after we received data and sent
 *                nothing back: send an empty data message.
 *  new_handshake KEEPALIVE_TIMEOUT + REKEY_TIMEOUT after we sent data and
 *                heard nothing back: the session may be dead, handshake.
 *  zero_keys     3 * REJECT_AFTER_TIME (540 s) after the last session was
 *                made: forget every key.
 *  persistent    every N seconds if the operator asked for it.
 *
 * The durations are messages.h's, scaled by kn_time().
 *
 * Timer callbacks run in softirq context: they never sleep, and they hand
 * work that needs the handshake mutex to a work item.  Nothing re-arms a
 * timer of a dead peer (checked with peer->dead); teardown shuts them down
 * for good with timer_shutdown_sync() before it cancels the work items,
 * and the work they queue goes through kn_peer_queue_work() (or
 * kn_send_keepalive()), which queues nothing for a dead peer (peer.h).
 */
#include <linux/module.h>
#include <linux/random.h>
#include <linux/jiffies.h>
#include <linux/timekeeping.h>

#include "events.h"
#include "peer.h"
#include "send.h"
#include "timers.h"
#include "compat.h"

static unsigned int debug_timer_div = 1;
module_param(debug_timer_div, uint, 0444);
MODULE_PARM_DESC(debug_timer_div,
		 "Divide every protocol timer by this (testing only; default 1)");

u64 kn_time(u64 ns)
{
	return div_u64(ns, max(1U, debug_timer_div));
}

static unsigned long kn_deadline(u64 ns)
{
	return jiffies + max_t(unsigned long, 1, nsecs_to_jiffies(kn_time(ns)));
}

static void kn_mod_timer(struct kn_peer *peer, struct timer_list *t, u64 ns)
{
	if (!READ_ONCE(peer->dead))
		mod_timer(t, kn_deadline(ns));
}

static void kn_t_retransmit(struct timer_list *t)
{
	struct kn_peer *peer = timer_container_of(peer, t, t_retransmit);
	u64 first = READ_ONCE(peer->hs_first_attempt_ns);

	if (READ_ONCE(peer->dead))
		return;
	/* An initiation went unanswered: not alive until one completes. */
	WRITE_ONCE(peer->hs_failed_ns, ktime_get_boottime_ns());
	if (READ_ONCE(peer->alive_reported))
		kn_event_liveness_kick(peer);
	if (first && ktime_get_boottime_ns() - first >
	    kn_time(KN_REKEY_ATTEMPT_TIME_NS)) {
		/* Give up: nobody answers.  Drop what waited for a session. */
		WRITE_ONCE(peer->hs_first_attempt_ns, 0);
		timer_delete(&peer->t_new_handshake);
		kn_tx_drop_queued(peer);
		return;
	}
	kn_peer_initiate(peer, true);
}

static void kn_t_keepalive(struct timer_list *t)
{
	struct kn_peer *peer = timer_container_of(peer, t, t_keepalive);

	kn_send_keepalive(peer);
	if (peer->keepalive_again) {
		peer->keepalive_again = false;
		kn_mod_timer(peer, &peer->t_keepalive, KN_KEEPALIVE_TIMEOUT_NS);
	}
}

static void kn_t_new_handshake(struct timer_list *t)
{
	struct kn_peer *peer = timer_container_of(peer, t, t_new_handshake);

	/* Data unanswered this long: kn_peer_alive() now says lost. */
	if (READ_ONCE(peer->alive_reported))
		kn_event_liveness_kick(peer);
	kn_peer_initiate(peer, false);
}

static void kn_t_zero_keys(struct timer_list *t)
{
	struct kn_peer *peer = timer_container_of(peer, t, t_zero_keys);

	if (!READ_ONCE(peer->dead))
		kn_peer_clear_keypairs(peer);
}

static void kn_t_persistent(struct timer_list *t)
{
	struct kn_peer *peer = timer_container_of(peer, t, t_persistent);

	if (READ_ONCE(peer->keepalive))
		kn_send_keepalive(peer);
}

void kn_timers_init(struct kn_peer *peer)
{
	timer_setup(&peer->t_retransmit, kn_t_retransmit, 0);
	timer_setup(&peer->t_keepalive, kn_t_keepalive, 0);
	timer_setup(&peer->t_new_handshake, kn_t_new_handshake, 0);
	timer_setup(&peer->t_zero_keys, kn_t_zero_keys, 0);
	timer_setup(&peer->t_persistent, kn_t_persistent, 0);
}

/*
 * The device goes down (ndo_stop, conf_lock held): stop the timers that
 * send, and wait for a running callback.  They may be armed again when
 * the device comes back up.  The zero_keys timer stays: it only forgets
 * keys, which going down clears anyway.
 */
void kn_timers_stop(struct kn_peer *peer)
{
	timer_delete_sync(&peer->t_retransmit);
	timer_delete_sync(&peer->t_keepalive);
	timer_delete_sync(&peer->t_new_handshake);
	timer_delete_sync(&peer->t_persistent);
}

/* The peer is being freed: no timer fires or re-arms after this. */
void kn_timers_shutdown(struct kn_peer *peer)
{
	timer_shutdown_sync(&peer->t_retransmit);
	timer_shutdown_sync(&peer->t_keepalive);
	timer_shutdown_sync(&peer->t_new_handshake);
	timer_shutdown_sync(&peer->t_zero_keys);
	timer_shutdown_sync(&peer->t_persistent);
}

void kn_timers_data_sent(struct kn_peer *peer)
{
	if (!READ_ONCE(peer->tx_unanswered_ns))
		WRITE_ONCE(peer->tx_unanswered_ns, ktime_get_boottime_ns());
	if (!timer_pending(&peer->t_new_handshake))
		kn_mod_timer(peer, &peer->t_new_handshake,
			     KN_KEEPALIVE_TIMEOUT_NS + KN_REKEY_TIMEOUT_NS);
}

void kn_timers_data_received(struct kn_peer *peer)
{
	if (!timer_pending(&peer->t_keepalive))
		kn_mod_timer(peer, &peer->t_keepalive, KN_KEEPALIVE_TIMEOUT_NS);
	else
		peer->keepalive_again = true;
}

void kn_timers_any_authenticated_sent(struct kn_peer *peer)
{
	timer_delete(&peer->t_keepalive);
}

void kn_timers_any_authenticated_received(struct kn_peer *peer)
{
	WRITE_ONCE(peer->last_rx_ns, ktime_get_boottime_ns());
	WRITE_ONCE(peer->tx_unanswered_ns, 0);
	timer_delete(&peer->t_new_handshake);
}

void kn_timers_traversal(struct kn_peer *peer)
{
	u16 interval = READ_ONCE(peer->keepalive);

	if (interval)
		kn_mod_timer(peer, &peer->t_persistent,
			     (u64)interval * KN_NSEC_PER_SEC);
}

void kn_timers_handshake_initiated(struct kn_peer *peer)
{
	kn_mod_timer(peer, &peer->t_retransmit, KN_REKEY_TIMEOUT_NS +
		     get_random_u32_below(KN_REKEY_TIMEOUT_JITTER_MAX_NS));
}

void kn_timers_handshake_complete(struct kn_peer *peer)
{
	struct timespec64 now;

	timer_delete(&peer->t_retransmit);
	WRITE_ONCE(peer->hs_first_attempt_ns, 0);
	WRITE_ONCE(peer->last_hs_ns, ktime_get_boottime_ns());
	ktime_get_real_ts64(&now);
	atomic64_set(&peer->last_handshake_real_ns, timespec64_to_ns(&now));
}

void kn_timers_session_derived(struct kn_peer *peer)
{
	kn_mod_timer(peer, &peer->t_zero_keys, 3 * KN_REJECT_AFTER_TIME_NS);
}

void kn_timers_persistent_changed(struct kn_peer *peer)
{
	if (READ_ONCE(peer->keepalive))
		kn_t_persistent(&peer->t_persistent);
	else
		timer_delete(&peer->t_persistent);
}
