/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_read.c: a tolerant JSON reader for the importers (cjdroute.conf is
 * JSON with comments): it also takes // and / * * / comments and trailing
 * commas, as cjdns does.  Values are a tree of struct kn_jval; strings are
 * wiped when freed (a configuration holds keys).
 */
#ifndef KEYNET_TOOL_JSON_READ_H
#define KEYNET_TOOL_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

enum kn_jtype { KN_J_NULL, KN_J_BOOL, KN_J_NUM, KN_J_STR, KN_J_ARR, KN_J_OBJ };

struct kn_jval {
	enum kn_jtype type;
	int line;
	char *str;		/* string, or the text of a number */
	bool b;
	int n;			/* members of an array or object */
	char **keys;		/* object member names */
	struct kn_jval **items;
};

/*
 * The value of @len bytes at @s, nothing but blanks and comments after it;
 * NULL on an error, with what was wrong and its line in *err, *err_line.
 */
struct kn_jval *kn_jparse(const char *s, size_t len, const char **err, int *err_line);
void kn_jfree(struct kn_jval *v);

/* A member of an object (NULL when @o is none or lacks it). */
struct kn_jval *kn_jget(const struct kn_jval *o, const char *key);
/* Its string, NULL when absent or not a string. */
const char *kn_jstr(const struct kn_jval *o, const char *key);
/* A number member as an unsigned value; -1 when absent or not one. */
long kn_jnum(const struct kn_jval *o, const char *key);

#endif /* KEYNET_TOOL_JSON_READ_H */
