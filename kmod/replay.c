// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 6479 style anti-replay window; see replay.h.
 *
 * Counters are kept shifted by one (n = counter + 1) so that top == 0
 * can mean "nothing accepted yet" without a separate flag.  Bit n lives in
 * word (n / word bits) mod KN_REPLAY_WORDS.  When n moves past the word of
 * the current top, the words between are cleared (at most all of them):
 * they belong to counters that are now either ahead (unseen) or too old
 * to be asked about again.
 */
#include "replay.h"
#include "messages.h"

void kn_replay_init(struct kn_replay *r)
{
	memset(r, 0, sizeof(*r));
}

bool kn_replay_check_and_update(struct kn_replay *r, u64 counter)
{
	u64 n, word, top_word, i, steps;
	unsigned long bit;

	BUILD_BUG_ON(KN_REPLAY_BITS % KN_REPLAY_WORD_BITS);
	BUILD_BUG_ON(KN_REPLAY_WORDS & (KN_REPLAY_WORDS - 1));

	if (counter >= KN_REJECT_AFTER_MESSAGES)
		return false;
	n = counter + 1;
	word = n / KN_REPLAY_WORD_BITS;
	if (n > r->top) {
		top_word = r->top / KN_REPLAY_WORD_BITS;
		steps = word - top_word;
		if (steps > KN_REPLAY_WORDS)
			steps = KN_REPLAY_WORDS;
		for (i = 1; i <= steps; i++)
			r->bitmap[(top_word + i) % KN_REPLAY_WORDS] = 0;
		r->top = n;
	} else if (r->top - n >= KN_REPLAY_WINDOW) {
		return false;
	}
	bit = 1UL << (n % KN_REPLAY_WORD_BITS);
	word %= KN_REPLAY_WORDS;
	if (r->bitmap[word] & bit)
		return false;
	r->bitmap[word] |= bit;
	return true;
}
