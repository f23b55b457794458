/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sliding replay window over the 64-bit transport counter (RFC 6479):
 * a ring of KN_REPLAY_WORDS bitmap words.  The word holding the newest
 * counter may be partly ahead of it, so the guaranteed window is
 * KN_REPLAY_WINDOW = KN_REPLAY_BITS - bits per word counters behind the
 * greatest one seen (8128 on 64-bit).
 *
 * One window per keypair, zeroed (kn_replay_init()) when the keypair is
 * born; the kernel calls kn_replay_check_and_update() under the keypair's
 * receive lock and only after the packet's tag verified, so forged packets
 * cannot advance the window.  Cost: O(1) amortised; the clearing loop
 * never touches more than KN_REPLAY_WORDS words.
 */
#ifndef _KN_REPLAY_H
#define _KN_REPLAY_H

#include "pure.h"

#define KN_REPLAY_BITS		8192
#define KN_REPLAY_WORD_BITS	(8 * sizeof(unsigned long))
#define KN_REPLAY_WORDS		(KN_REPLAY_BITS / KN_REPLAY_WORD_BITS)
#define KN_REPLAY_WINDOW	(KN_REPLAY_BITS - KN_REPLAY_WORD_BITS)

struct kn_replay {
	/* Greatest accepted counter plus one; 0 = nothing accepted yet. */
	u64 top;
	unsigned long bitmap[KN_REPLAY_WORDS];
};

void kn_replay_init(struct kn_replay *r);

/*
 * Accept @counter at most once: true when it is below
 * KN_REJECT_AFTER_MESSAGES, not older than the window and not seen
 * before (it is then recorded); false otherwise.
 */
bool kn_replay_check_and_update(struct kn_replay *r, u64 counter);

#endif /* _KN_REPLAY_H */
