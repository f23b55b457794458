// SPDX-License-Identifier: GPL-2.0
/*
 * A tolerant JSON reader (see json_read.h): recursive descent over the
 * whole text, nesting bounded by KN_JSON_DEPTH, the first error kept with
 * its line.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keynet.h"
#include "json_read.h"

struct kn_jparser {
	const char *s, *end;
	int line;
	const char *path;
	const char *err;
	int err_line;
	int depth;
};

#define KN_JSON_DEPTH	64

void kn_jfree(struct kn_jval *v)
{
	int i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		kn_jfree(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	if (v->str)
		explicit_bzero(v->str, strlen(v->str));
	free(v->str);
	free(v);
}

static void kn_jerr(struct kn_jparser *p, const char *what)
{
	if (!p->err) {
		p->err = what;
		p->err_line = p->line;
	}
}

/* Blanks and comments. */
static void kn_jskip(struct kn_jparser *p)
{
	while (p->s < p->end) {
		if (*p->s == '\n') {
			p->line++;
			p->s++;
		} else if (isspace((unsigned char)*p->s)) {
			p->s++;
		} else if (*p->s == '/' && p->s + 1 < p->end && p->s[1] == '/') {
			while (p->s < p->end && *p->s != '\n')
				p->s++;
		} else if (*p->s == '/' && p->s + 1 < p->end && p->s[1] == '*') {
			p->s += 2;
			while (p->s + 1 < p->end && !(p->s[0] == '*' && p->s[1] == '/')) {
				if (*p->s == '\n')
					p->line++;
				p->s++;
			}
			if (p->s + 1 >= p->end) {
				kn_jerr(p, "a comment that never ends");
				p->s = p->end;
				return;
			}
			p->s += 2;
		} else {
			return;
		}
	}
}

static void kn_jutf8(char *out, size_t *o, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xe0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int kn_jhex4(const char *s, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		*v = *v << 4 | (uint32_t)(isdigit((unsigned char)s[i]) ? s[i] - '0' :
					  (tolower((unsigned char)s[i]) - 'a' + 10));
	}
	return 0;
}

static char *kn_jstring(struct kn_jparser *p)
{
	const char *q = ++p->s;
	size_t o = 0;
	char *out;

	/* Each input byte makes at most 4 output bytes (\uXXXX: 3 for 6). */
	while (q < p->end && *q != '"') {
		if (*q == '\\')
			q++;
		q++;
	}
	if (q >= p->end) {
		kn_jerr(p, "a string that never ends");
		return NULL;
	}
	out = malloc((size_t)(q - p->s) + 1);
	if (!out) {
		kn_jerr(p, "out of memory");
		return NULL;
	}
	while (*p->s != '"') {
		char c = *p->s++;
		uint32_t cp, lo;

		if ((unsigned char)c < 0x20) {
			kn_jerr(p, "a control character in a string");
			goto bad;
		}
		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		c = *p->s++;
		switch (c) {
		case '"': case '\\': case '/':
			out[o++] = c;
			break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (p->end - p->s < 4 || kn_jhex4(p->s, &cp)) {
				kn_jerr(p, "a bad \\u escape");
				goto bad;
			}
			p->s += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p->end - p->s >= 6 && p->s[0] == '\\' &&
			    p->s[1] == 'u' && !kn_jhex4(p->s + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p->s += 6;
			}
			if (!cp || (cp >= 0xd800 && cp < 0xe000)) {
				kn_jerr(p, "a \\u escape that is not a character");
				goto bad;
			}
			kn_jutf8(out, &o, cp);
			break;
		default:
			kn_jerr(p, "a bad escape in a string");
			goto bad;
		}
	}
	p->s++;
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static struct kn_jval *kn_jvalue(struct kn_jparser *p);

static int kn_jadd(struct kn_jparser *p, struct kn_jval *v, char *key, struct kn_jval *item)
{
	struct kn_jval **items = realloc(v->items, (size_t)(v->n + 1) * sizeof(*items));
	char **keys;

	if (!items)
		goto nomem;
	v->items = items;
	if (v->type == KN_J_OBJ) {
		keys = realloc(v->keys, (size_t)(v->n + 1) * sizeof(*keys));
		if (!keys)
			goto nomem;
		v->keys = keys;
		keys[v->n] = key;
	}
	items[v->n++] = item;
	return 0;
nomem:
	kn_jerr(p, "out of memory");
	free(key);
	kn_jfree(item);
	return -1;
}

/* An array or object; a trailing comma before the closing bracket is fine. */
static struct kn_jval *kn_jcontainer(struct kn_jparser *p, struct kn_jval *v)
{
	char close = v->type == KN_J_OBJ ? '}' : ']';

	if (++p->depth > KN_JSON_DEPTH) {
		kn_jerr(p, "nesting too deep");
		goto bad;
	}
	p->s++;
	for (;;) {
		char *key = NULL;
		struct kn_jval *item;

		kn_jskip(p);
		if (p->s >= p->end) {
			kn_jerr(p, v->type == KN_J_OBJ ? "an object that never ends" :
				"an array that never ends");
			goto bad;
		}
		if (*p->s == close) {
			p->s++;
			break;
		}
		if (v->type == KN_J_OBJ) {
			if (*p->s != '"') {
				kn_jerr(p, "expected a \"name\" of an object member");
				goto bad;
			}
			key = kn_jstring(p);
			if (!key)
				goto bad;
			kn_jskip(p);
			if (p->s >= p->end || *p->s != ':') {
				free(key);
				kn_jerr(p, "expected ':' after a member name");
				goto bad;
			}
			p->s++;
		}
		item = kn_jvalue(p);
		if (!item) {
			free(key);
			goto bad;
		}
		if (kn_jadd(p, v, key, item))
			goto bad;
		kn_jskip(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == close) {
			p->s++;
			break;
		}
		kn_jerr(p, v->type == KN_J_OBJ ? "expected ',' or '}'" : "expected ',' or ']'");
		goto bad;
	}
	p->depth--;
	return v;
bad:
	kn_jfree(v);
	return NULL;
}

static struct kn_jval *kn_jvalue(struct kn_jparser *p)
{
	struct kn_jval *v;

	kn_jskip(p);
	if (p->s >= p->end) {
		kn_jerr(p, "expected a value");
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v) {
		kn_jerr(p, "out of memory");
		return NULL;
	}
	v->line = p->line;
	if (*p->s == '{' || *p->s == '[') {
		v->type = *p->s == '{' ? KN_J_OBJ : KN_J_ARR;
		return kn_jcontainer(p, v);
	}
	if (*p->s == '"') {
		v->type = KN_J_STR;
		v->str = kn_jstring(p);
		if (!v->str)
			goto bad;
		return v;
	}
	if (*p->s == '-' || isdigit((unsigned char)*p->s)) {
		const char *q = p->s;

		while (q < p->end && (isalnum((unsigned char)*q) || *q == '-' || *q == '+' ||
				      *q == '.'))
			q++;
		v->type = KN_J_NUM;
		v->str = strndup(p->s, (size_t)(q - p->s));
		p->s = q;
		if (!v->str) {
			kn_jerr(p, "out of memory");
			goto bad;
		}
		return v;
	}
	if (p->end - p->s >= 4 && !strncmp(p->s, "true", 4)) {
		v->type = KN_J_BOOL;
		v->b = true;
		p->s += 4;
		return v;
	}
	if (p->end - p->s >= 5 && !strncmp(p->s, "false", 5)) {
		v->type = KN_J_BOOL;
		p->s += 5;
		return v;
	}
	if (p->end - p->s >= 4 && !strncmp(p->s, "null", 4)) {
		p->s += 4;
		return v;
	}
	kn_jerr(p, "expected a value");
bad:
	kn_jfree(v);
	return NULL;
}


struct kn_jval *kn_jparse(const char *s, size_t len, const char **err, int *err_line)
{
	struct kn_jparser jp = { .s = s, .end = s + len, .line = 1 };
	struct kn_jval *root = kn_jvalue(&jp);

	if (root) {
		kn_jskip(&jp);
		if (jp.s < jp.end)
			kn_jerr(&jp, "text after the end of the configuration");
	}
	*err = jp.err;
	*err_line = jp.err_line;
	if (jp.err) {
		kn_jfree(root);
		return NULL;
	}
	return root;
}

struct kn_jval *kn_jget(const struct kn_jval *o, const char *key)
{
	int i;

	if (!o || o->type != KN_J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->items[i];
	return NULL;
}

const char *kn_jstr(const struct kn_jval *o, const char *key)
{
	const struct kn_jval *v = kn_jget(o, key);

	return v && v->type == KN_J_STR ? v->str : NULL;
}

long kn_jnum(const struct kn_jval *o, const char *key)
{
	const struct kn_jval *v = kn_jget(o, key);
	uint32_t n;

	if (!v || (v->type != KN_J_NUM && v->type != KN_J_STR) || kn_parse_uint(v->str, 1u << 30, &n))
		return -1;
	return n;
}
