// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer for the tool's -j output: objects and
 * arrays are opened and closed explicitly, commas and (with -p)
 * indentation are handled here, strings are escaped per RFC 8259.
 */
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

#include "keynet.h"

#define KN_JSON_DEPTH 16

struct kn_json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[KN_JSON_DEPTH];
};

struct kn_json *kn_json_new(FILE *f, bool pretty)
{
	struct kn_json *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->f = f;
	j->pretty = pretty;
	j->first[0] = true;
	return j;
}

void kn_json_free(struct kn_json *j)
{
	if (!j)
		return;
	fputc('\n', j->f);
	free(j);
}

static void kn_json_indent(struct kn_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void kn_json_escape(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Emit the separator and the key (if inside an object) of a new member. */
static void kn_json_member(struct kn_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->depth)
		kn_json_indent(j);
	if (key) {
		kn_json_escape(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

void kn_json_open(struct kn_json *j, const char *key, char bracket)
{
	kn_json_member(j, key);
	fputc(bracket, j->f);
	if (j->depth < KN_JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

void kn_json_close(struct kn_json *j, char bracket)
{
	bool empty = j->first[j->depth];

	if (j->depth)
		j->depth--;
	if (!empty)
		kn_json_indent(j);
	fputc(bracket, j->f);
}

void kn_json_str(struct kn_json *j, const char *key, const char *val)
{
	kn_json_member(j, key);
	kn_json_escape(j->f, val);
}

/* A string of @n bytes (not NUL-terminated). */
void kn_json_strn(struct kn_json *j, const char *key, const char *val, size_t n)
{
	char *copy = strndup(val, n);

	kn_json_str(j, key, copy ? copy : "");
	free(copy);
}

void kn_json_u64(struct kn_json *j, const char *key, uint64_t val)
{
	kn_json_member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void kn_json_null(struct kn_json *j, const char *key)
{
	kn_json_member(j, key);
	fputs("null", j->f);
}

void kn_json_bool(struct kn_json *j, const char *key, bool val)
{
	kn_json_member(j, key);
	fputs(val ? "true" : "false", j->f);
}
