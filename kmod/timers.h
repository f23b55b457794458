/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KN_TIMERS_H
#define _KN_TIMERS_H

#include <linux/types.h>

struct kn_peer;

/* A protocol duration, divided by the debug_timer_div module parameter. */
u64 kn_time(u64 ns);

void kn_timers_init(struct kn_peer *peer);
void kn_timers_stop(struct kn_peer *peer);
void kn_timers_shutdown(struct kn_peer *peer);

void kn_timers_data_sent(struct kn_peer *peer);
void kn_timers_data_received(struct kn_peer *peer);
void kn_timers_any_authenticated_sent(struct kn_peer *peer);
void kn_timers_any_authenticated_received(struct kn_peer *peer);
void kn_timers_traversal(struct kn_peer *peer);
void kn_timers_handshake_initiated(struct kn_peer *peer);
void kn_timers_handshake_complete(struct kn_peer *peer);
void kn_timers_session_derived(struct kn_peer *peer);
void kn_timers_persistent_changed(struct kn_peer *peer);

#endif /* _KN_TIMERS_H */
