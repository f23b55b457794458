/* SPDX-License-Identifier: GPL-2.0 */
/*
 * print.c: a show writes each field with one call, which becomes text or
 * JSON as -j asks (iproute2's json_print is the model).
 *
 * With -j (s->json set) a helper writes the JSON member KEY: VAL (KEY NULL
 * inside an array; a NULL string VAL writes null); without, it printf()s
 * FMT and the arguments after it to s->out.  The text arguments are apart
 * from VAL because a text line often words a value its own way ("(none)"
 * for null, "on" for true) or joins several values in one phrase.
 *   FMT NULL:        the field is JSON only;
 *   kn_print_text(): text only.
 * JSON keys are written with '_' for each '-', so one name serves a
 * counter in both ("bad-mac" in text, "bad_mac" in JSON).
 */
#ifndef KEYNET_PRINT_H
#define KEYNET_PRINT_H

#include "keynet.h"

#define KN_PRINTF(n, m) __attribute__((format(printf, n, m)))

static inline bool kn_print_is_json(const struct kn_show *s)
{
	return s->json;
}

void kn_print_text(struct kn_show *s, const char *fmt, ...) KN_PRINTF(2, 3);
void kn_print_str(struct kn_show *s, const char *key, const char *val,
		  const char *fmt, ...) KN_PRINTF(4, 5);
/* A string that may be unset (NULL or ""): then JSON null and no text. */
void kn_print_opt_str(struct kn_show *s, const char *key, const char *val,
		      const char *fmt, ...) KN_PRINTF(4, 5);
void kn_print_u64(struct kn_show *s, const char *key, uint64_t val,
		  const char *fmt, ...) KN_PRINTF(4, 5);
void kn_print_bool(struct kn_show *s, const char *key, bool val,
		   const char *fmt, ...) KN_PRINTF(4, 5);
/* An object ('{') or array ('['): KEY as above; FMT, if any, opens it in text. */
void kn_print_open(struct kn_show *s, const char *key, char bracket,
		   const char *fmt, ...) KN_PRINTF(4, 5);
void kn_print_close(struct kn_show *s, char bracket, const char *fmt, ...) KN_PRINTF(3, 4);

/*
 * A list of strings: a JSON array KEY (empty when no items), in text the
 * items joined by SEP after FIRST, nothing at all when there are none
 * (e.g. " local-prefix " and ",").  kn_print_list_end() returns how many
 * items there were, for a text placeholder of an empty list.
 */
struct kn_print_list {
	struct kn_show *s;
	const char *first, *sep;
	unsigned int n;
};

void kn_print_list_begin(struct kn_print_list *l, struct kn_show *s, const char *key,
			 const char *first, const char *sep);
void kn_print_list_str(struct kn_print_list *l, const char *val);
unsigned int kn_print_list_end(struct kn_print_list *l);

#endif /* KEYNET_PRINT_H */
