// SPDX-License-Identifier: GPL-2.0
/*
 * Text-or-JSON field printers for the show commands (see print.h), on top
 * of json.c's streaming writer.
 */
#include <stdarg.h>
#include <string.h>

#include "print.h"

/* The JSON spelling of @key: '_' for '-' (in @buf when it differs). */
static const char *kn_print_key(const char *key, char *buf, size_t size)
{
	char *c;

	if (!key || !strchr(key, '-'))
		return key;
	snprintf(buf, size, "%s", key);
	for (c = buf; *c; c++)
		if (*c == '-')
			*c = '_';
	return buf;
}

/* The text side of every helper: FMT with its arguments, if any. */
static void kn_print_vtext(struct kn_show *s, const char *fmt, va_list ap)
{
	if (!s->json && fmt)
		vfprintf(s->out, fmt, ap);
}

void kn_print_text(struct kn_show *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kn_print_vtext(s, fmt, ap);
	va_end(ap);
}

void kn_print_str(struct kn_show *s, const char *key, const char *val, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	if (s->json) {
		key = kn_print_key(key, buf, sizeof(buf));
		if (val)
			kn_json_str(s->json, key, val);
		else
			kn_json_null(s->json, key);
		return;
	}
	va_start(ap, fmt);
	kn_print_vtext(s, fmt, ap);
	va_end(ap);
}

void kn_print_opt_str(struct kn_show *s, const char *key, const char *val, const char *fmt, ...)
{
	va_list ap;

	if (!val || !val[0] || s->json) {
		kn_print_str(s, key, val && val[0] ? val : NULL, NULL);
		return;
	}
	va_start(ap, fmt);
	kn_print_vtext(s, fmt, ap);
	va_end(ap);
}

void kn_print_u64(struct kn_show *s, const char *key, uint64_t val, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	if (s->json) {
		kn_json_u64(s->json, kn_print_key(key, buf, sizeof(buf)), val);
		return;
	}
	va_start(ap, fmt);
	kn_print_vtext(s, fmt, ap);
	va_end(ap);
}

void kn_print_bool(struct kn_show *s, const char *key, bool val, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	if (s->json) {
		kn_json_bool(s->json, kn_print_key(key, buf, sizeof(buf)), val);
		return;
	}
	va_start(ap, fmt);
	kn_print_vtext(s, fmt, ap);
	va_end(ap);
}

void kn_print_open(struct kn_show *s, const char *key, char bracket, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	if (s->json) {
		kn_json_open(s->json, kn_print_key(key, buf, sizeof(buf)), bracket);
		return;
	}
	va_start(ap, fmt);
	kn_print_vtext(s, fmt, ap);
	va_end(ap);
}

void kn_print_close(struct kn_show *s, char bracket, const char *fmt, ...)
{
	va_list ap;

	if (s->json) {
		kn_json_close(s->json, bracket);
		return;
	}
	va_start(ap, fmt);
	kn_print_vtext(s, fmt, ap);
	va_end(ap);
}

void kn_print_list_begin(struct kn_print_list *l, struct kn_show *s, const char *key,
			 const char *first, const char *sep)
{
	l->s = s;
	l->first = first;
	l->sep = sep;
	l->n = 0;
	kn_print_open(s, key, '[', NULL);
}

void kn_print_list_str(struct kn_print_list *l, const char *val)
{
	kn_print_str(l->s, NULL, val, "%s%s", l->n ? l->sep : l->first, val);
	l->n++;
}

unsigned int kn_print_list_end(struct kn_print_list *l)
{
	kn_print_close(l->s, ']', NULL);
	return l->n;
}
