// SPDX-License-Identifier: GPL-2.0
/*
 * keynet import { cjdns | tayga } FILE [dev NAME]: a keynet.conf(5) on
 * stdout from a cjdroute.conf or a tayga.conf, with a comment for
 * everything that has no keynet equivalent.  The output is parsed back
 * with the conf parser before it is printed, so it is always a file that
 * "keynet conf apply" takes.
 *
 * cjdroute.conf is JSON with comments; the small reader below also takes
 * comments (// and / * * /) and trailing commas, as cjdns does.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf.h"

/* ---- a tolerant JSON reader ---- */

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

struct kn_jparser {
	const char *s, *end;
	int line;
	const char *path;
	const char *err;
	int err_line;
	int depth;
};

#define KN_JSON_DEPTH	64

static void kn_jfree(struct kn_jval *v)
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

/* The whole of @path; NULL after one error line. */
static char *kn_read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		kn_err("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			char *b;

			cap = cap ? cap * 2 : 65536;
			if (cap > (64u << 20)) {
				kn_err("'%s' is too large for a configuration file", path);
				goto fail;
			}
			b = realloc(buf, cap);
			if (!b) {
				kn_err("out of memory");
				goto fail;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		kn_err("cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	if (f != stdin)
		fclose(f);
	if (buf)
		explicit_bzero(buf, n);
	free(buf);
	return NULL;
}

static struct kn_jval *kn_jget(const struct kn_jval *o, const char *key)
{
	int i;

	if (!o || o->type != KN_J_OBJ)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->items[i];
	return NULL;
}

static const char *kn_jstr(const struct kn_jval *o, const char *key)
{
	const struct kn_jval *v = kn_jget(o, key);

	return v && v->type == KN_J_STR ? v->str : NULL;
}

/* A number member as an unsigned value; -1 when absent or not one. */
static long kn_jnum(const struct kn_jval *o, const char *key)
{
	const struct kn_jval *v = kn_jget(o, key);
	uint32_t n;

	if (!v || (v->type != KN_J_NUM && v->type != KN_J_STR) || kn_parse_uint(v->str, 1u << 30, &n))
		return -1;
	return n;
}

/* ---- output: a conf text in a memory stream ---- */

struct kn_import {
	const char *path;
	const char *dev;
	FILE *out;
	char *buf;
	size_t len;
	int warnings;
	int status;		/* exit status for problems found */
	bool secret;		/* the output holds a private key */
};

static void kn_imp_warn(struct kn_import *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One stderr line per thing that has no keynet equivalent. */
static void kn_imp_warn(struct kn_import *im, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "keynet: warning: %s:%d: ", im->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	im->warnings++;
}

/* A comment line, wrapped by the caller; no newline inside a value. */
static void kn_imp_comment(struct kn_import *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void kn_imp_comment(struct kn_import *im, const char *fmt, ...)
{
	char buf[1024], *c;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (c = buf; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	fprintf(im->out, "# %s\n", buf);
}

/* A value put in the file: one line, no control characters. */
static void kn_imp_clean(char *dst, size_t size, const char *src)
{
	size_t i, o = 0;

	for (i = 0; src[i] && o + 1 < size; i++)
		dst[o++] = (unsigned char)src[i] < 0x20 ? ' ' : src[i];
	dst[o] = '\0';
	while (o && dst[o - 1] == ' ')
		dst[--o] = '\0';
}

static int kn_imp_begin(struct kn_import *im, const char *path, const char *dev)
{
	memset(im, 0, sizeof(*im));
	im->path = path;
	im->dev = dev;
	im->out = open_memstream(&im->buf, &im->len);
	if (!im->out) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	return 0;
}

/*
 * Check the generated text with the conf parser, then print it.  A
 * failure here is a bug of the importer: the error names the line of the
 * generated text.
 */
static int kn_imp_finish(struct kn_import *im)
{
	struct kn_conf c;
	FILE *f;
	int ret;

	if (fclose(im->out)) {
		kn_err("out of memory");
		ret = KN_EXIT_FAIL;
		goto out;
	}
	im->out = NULL;
	if (im->status) {
		ret = im->status;
		goto out;
	}
	f = fmemopen(im->buf, im->len, "r");
	if (!f) {
		kn_err("out of memory");
		ret = KN_EXIT_FAIL;
		goto out;
	}
	kn_conf_init(&c);
	ret = kn_conf_parse_stream(f, "(imported configuration)", &c);
	fclose(f);
	kn_conf_free(&c);
	if (ret) {
		kn_err("the imported configuration does not parse (a keynet bug): not printed");
		ret = KN_EXIT_FAIL;
		goto out;
	}
	/* Warned as conf dump warns: the output holds a private key. */
	if (im->secret)
		kn_warn_secrets_to_stdout();
	if (fwrite(im->buf, 1, im->len, stdout) != im->len || fflush(stdout)) {
		kn_err("cannot write the configuration: %s", strerror(errno));
		ret = KN_EXIT_FAIL;
	}
out:
	if (im->out)
		fclose(im->out);
	if (im->buf)
		explicit_bzero(im->buf, im->len);
	free(im->buf);
	return ret;
}

/* ---- cjdns ---- */

struct kn_cj_peer {
	uint8_t key[KEYNET_KEY_LEN];
	char kstr[KN_CJDNS_KEY_STRLEN + 1];
	char endpoint[80];
	char name[KEYNET_PEER_NAME_LEN];
	char login[64];
	bool password;
	char *extra;		/* comment lines for this peer */
	size_t extra_len;
	FILE *ex;
	char routes[64][INET6_ADDRSTRLEN + 8];
	int n_routes;
};

struct kn_cj {
	struct kn_import *im;
	struct kn_cj_peer **peers;	/* each its own allocation: a memstream points into it */
	int n_peers;
};

static struct kn_cj_peer *kn_cj_peer(struct kn_cj *cj, const uint8_t key[KEYNET_KEY_LEN])
{
	struct kn_cj_peer **arr, *p;
	int i;

	for (i = 0; i < cj->n_peers; i++)
		if (!memcmp(cj->peers[i]->key, key, KEYNET_KEY_LEN))
			return cj->peers[i];
	arr = realloc(cj->peers, (size_t)(cj->n_peers + 1) * sizeof(*arr));
	if (!arr)
		return NULL;
	cj->peers = arr;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	memcpy(p->key, key, KEYNET_KEY_LEN);
	kn_key_to_cjdns(key, p->kstr);
	p->ex = open_memstream(&p->extra, &p->extra_len);
	if (!p->ex) {
		free(p);
		return NULL;
	}
	arr[cj->n_peers++] = p;
	return p;
}

/* "IPV4:PORT" or "[IPV6]:PORT" as cjdns writes connectTo keys. */
static bool kn_cj_endpoint_ok(const char *s)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon;
	uint8_t a[16];
	uint32_t port;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return false;
		snprintf(host, sizeof(host), "%.*s", (int)(close - s - 1), s + 1);
		colon = close + 1;
		if (inet_pton(AF_INET6, host, a) != 1)
			return false;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return false;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
		if (inet_pton(AF_INET, host, a) != 1)
			return false;
	}
	return !kn_parse_uint(colon + 1, 65535, &port) && port;
}

static void kn_cj_connect_to(struct kn_cj *cj, const struct kn_jval *ct, const char *where)
{
	struct kn_import *im = cj->im;
	int i;

	if (!ct || ct->type != KN_J_OBJ)
		return;
	for (i = 0; i < ct->n; i++) {
		const struct kn_jval *e = ct->items[i];
		const char *pk = kn_jstr(e, "publicKey");
		const char *name = kn_jstr(e, "peerName");
		const char *login = kn_jstr(e, "login");
		uint8_t key[KEYNET_KEY_LEN];
		struct kn_cj_peer *p;

		if (!pk || kn_cjdns_to_key(pk, key)) {
			kn_imp_warn(im, e->line, "connectTo '%s' has no valid publicKey: not imported",
				    ct->keys[i]);
			kn_imp_comment(im, "not imported: %s connectTo \"%s\": no valid publicKey",
				       where, ct->keys[i]);
			continue;
		}
		if (kn_conf_key_low_order(key)) {
			kn_imp_warn(im, e->line, "connectTo '%s': its publicKey is a low-order point: not imported",
				    ct->keys[i]);
			continue;
		}
		p = kn_cj_peer(cj, key);
		if (!p) {
			im->status = KN_EXIT_FAIL;
			kn_err("out of memory");
			return;
		}
		if (!kn_cj_endpoint_ok(ct->keys[i])) {
			kn_imp_warn(im, e->line, "connectTo '%s' is not an IP:PORT: endpoint not imported",
				    ct->keys[i]);
			fprintf(p->ex, "# not imported: endpoint \"%s\" (not IP:PORT)\n", ct->keys[i]);
		} else if (!p->endpoint[0]) {
			snprintf(p->endpoint, sizeof(p->endpoint), "%s", ct->keys[i]);
			fprintf(p->ex, "# from %s connectTo \"%s\"\n", where, ct->keys[i]);
		} else {
			/* keynet keeps one endpoint per peer and learns others by roaming. */
			fprintf(p->ex, "# also in %s connectTo as \"%s\": keynet keeps one endpoint and follows the peer when it roams\n",
				where, ct->keys[i]);
		}
		if (name && !p->name[0])
			kn_imp_clean(p->name, sizeof(p->name), name);
		else if (login && !p->name[0])
			kn_imp_clean(p->name, sizeof(p->name), login);
		if (login)
			kn_imp_clean(p->login, sizeof(p->login), login);
		if (kn_jget(e, "password"))
			p->password = true;
	}
}

/* ip4Address / ip6Address of an ipTunnel allowed connection, as a route. */
static void kn_cj_tunnel_route(struct kn_cj_peer *p, const struct kn_jval *e, int family)
{
	const char *addr = kn_jstr(e, family == AF_INET ? "ip4Address" : "ip6Address");
	long alloc = kn_jnum(e, family == AF_INET ? "ip4Alloc" : "ip6Alloc");
	int bits = family == AF_INET ? 32 : 128, i;
	uint8_t a[16];

	if (!addr)
		return;
	if (inet_pton(family, addr, a) != 1) {
		fprintf(p->ex, "# not imported: ipTunnel address \"%s\" (not an IPv%d address)\n",
			addr, family == AF_INET ? 4 : 6);
		return;
	}
	if (alloc < 0 || alloc > bits)
		alloc = bits;
	/* The allocated block: the address with the host bits cleared. */
	for (i = (int)alloc; i < bits; i++)
		a[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	if (p->n_routes < (int)KN_ARRAY_SIZE(p->routes))
		kn_format_prefix(a, family == AF_INET ? 4 : 16, (int)alloc,
				 p->routes[p->n_routes++], sizeof(p->routes[0]));
}

static void kn_cj_iptunnel(struct kn_cj *cj, const struct kn_jval *t)
{
	const struct kn_jval *ac = kn_jget(t, "allowedConnections");
	const struct kn_jval *oc = kn_jget(t, "outgoingConnections");
	struct kn_import *im = cj->im;
	uint8_t key[KEYNET_KEY_LEN];
	struct kn_cj_peer *p;
	int i;

	for (i = 0; ac && ac->type == KN_J_ARR && i < ac->n; i++) {
		const struct kn_jval *e = ac->items[i];
		const char *pk = kn_jstr(e, "publicKey");

		if (!pk || kn_cjdns_to_key(pk, key) || kn_conf_key_low_order(key)) {
			kn_imp_warn(im, e->line, "ipTunnel allowedConnections entry without a valid publicKey: not imported");
			continue;
		}
		p = kn_cj_peer(cj, key);
		if (!p) {
			im->status = KN_EXIT_FAIL;
			return;
		}
		fprintf(p->ex, "# ipTunnel client (router.ipTunnel.allowedConnections): its addresses are routed to it;\n"
			"# it sets them on its own device (Address=) and routes what it wants through this node\n");
		if (!p->endpoint[0])
			fprintf(p->ex, "# no endpoint is known: this peer connects to this node\n");
		kn_cj_tunnel_route(p, e, AF_INET);
		kn_cj_tunnel_route(p, e, AF_INET6);
	}
	for (i = 0; oc && oc->type == KN_J_ARR && i < oc->n; i++) {
		const struct kn_jval *e = oc->items[i];

		if (e->type != KN_J_STR || kn_cjdns_to_key(e->str, key) || kn_conf_key_low_order(key)) {
			kn_imp_warn(im, e->line, "ipTunnel outgoingConnections entry is not a cjdns key: not imported");
			continue;
		}
		p = kn_cj_peer(cj, key);
		if (!p) {
			im->status = KN_EXIT_FAIL;
			return;
		}
		fprintf(p->ex, "# ipTunnel server (router.ipTunnel.outgoingConnections): cjdns got addresses and routes from it.\n"
			"# keynet does not negotiate them: add the addresses it gave this node to [Link] as Address=,\n"
			"# and what it routes (often 0.0.0.0/0 and ::/0) as Route= here\n");
		if (!p->endpoint[0])
			fprintf(p->ex, "# no endpoint is known: add Endpoint = IP:PORT of the server\n");
	}
}

static const struct {
	const char *key;
	const char *why;
} kn_cj_skip[] = {
	{ "publicKey", NULL },
	{ "ipv6", NULL },
	{ "privateKey", NULL },
	{ "interfaces", NULL },
	{ "router", NULL },
	{ "authorizedPasswords", "keynet admits peers by public key, not by password: add a [Peer] for each node that connects to this one" },
	{ "admin", "cjdns' admin API: keynet is configured with the keynet tool over netlink" },
	{ "security", "cjdroute's privilege dropping: keynet runs in the kernel, the tool needs CAP_NET_ADMIN only" },
	{ "logging", "keynet logs to the kernel log, rate-limited; 'keynet monitor' shows its events" },
	{ "noBackground", "no daemon to run: the tunnel is in the kernel" },
	{ "pipe", "no daemon to run: the tunnel is in the kernel" },
	{ "dns", "no DNS in keynet" },
	{ "version", NULL },
};

static void kn_cj_top_comments(struct kn_cj *cj, const struct kn_jval *root)
{
	struct kn_import *im = cj->im;
	int i;
	size_t k;

	for (i = 0; i < root->n; i++) {
		for (k = 0; k < KN_ARRAY_SIZE(kn_cj_skip); k++)
			if (!strcmp(root->keys[i], kn_cj_skip[k].key))
				break;
		if (k < KN_ARRAY_SIZE(kn_cj_skip) && !kn_cj_skip[k].why)
			continue;
		if (k < KN_ARRAY_SIZE(kn_cj_skip))
			kn_imp_comment(im, "not imported: %s (%s)", root->keys[i], kn_cj_skip[k].why);
		else
			kn_imp_comment(im, "not imported: %s (no keynet equivalent)", root->keys[i]);
	}
}

/* interfaces: the UDP bind address and port; ETH interfaces as comments. */
static void kn_cj_interfaces(struct kn_cj *cj, const struct kn_jval *ifs, const char *tundev)
{
	const struct kn_jval *udp = kn_jget(ifs, "UDPInterface");
	const struct kn_jval *eth = kn_jget(ifs, "ETHInterface");
	struct kn_import *im = cj->im;
	bool have_port = false;
	uint32_t port = 0;
	char where[64];
	int i;

	if (im->dev)
		fprintf(im->out, "Name = %s\n", im->dev);
	else if (tundev)
		fprintf(im->out, "# cjdns' TUN device was '%s'; the keynet device takes its place\nName = %s\n",
			tundev, tundev);
	else
		fputs("# Name = kn0    (or give the device with 'keynet conf apply FILE dev DEV')\n",
		      im->out);
	/* UDPInterface: one object (old versions) or a list of them. */
	for (i = 0; udp && i < (udp->type == KN_J_ARR ? udp->n : 1); i++) {
		const struct kn_jval *u = udp->type == KN_J_ARR ? udp->items[i] : udp;
		const char *bind = kn_jstr(u, "bind");
		char host[INET6_ADDRSTRLEN + 1];
		const char *colon;
		uint8_t a[16];
		uint32_t p;

		if (!bind)
			continue;
		colon = strrchr(bind, ':');
		if (!colon || kn_parse_uint(colon + 1, 65535, &p)) {
			kn_imp_comment(im, "not imported: UDPInterface bind \"%s\" (not ADDR:PORT)", bind);
			continue;
		}
		snprintf(host, sizeof(host), "%.*s", (int)(colon - bind), bind);
		if (host[0] == '[' && host[strlen(host) - 1] == ']') {
			memmove(host, host + 1, strlen(host));
			host[strlen(host) - 1] = '\0';
		}
		if (have_port && p != port) {
			kn_imp_warn(im, u->line, "a second UDPInterface on port %u: keynet listens on one port (%u)",
				    p, port);
			kn_imp_comment(im, "not imported: UDPInterface bind \"%s\" (keynet listens on one port, %u, IPv4 and IPv6)",
				       bind, port);
			continue;
		}
		if (!have_port)
			fprintf(im->out, "ListenPort = %u\n", p);
		have_port = true;
		port = p;
		/* A specific address (not 0.0.0.0 or ::): bind to it only. */
		if ((inet_pton(AF_INET, host, a) == 1 && memcmp(a, "\0\0\0\0", 4)) ||
		    (inet_pton(AF_INET6, host, a) == 1 && memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16)))
			fprintf(im->out, "ListenAddress = %s\n", host);
		snprintf(where, sizeof(where), "interfaces.UDPInterface[%d]", i);
		kn_cj_connect_to(cj, kn_jget(u, "connectTo"), where);
	}
	for (i = 0; eth && i < (eth->type == KN_J_ARR ? eth->n : 1); i++) {
		const struct kn_jval *e = eth->type == KN_J_ARR ? eth->items[i] : eth;
		const char *bind = kn_jstr(e, "bind");
		long beacon = kn_jnum(e, "beacon");

		kn_imp_comment(im, "not imported: interfaces.ETHInterface bind \"%s\" beacon %ld: cjdns' Ethernet peering.",
			       bind ? bind : "?", beacon);
		kn_imp_comment(im, "  keynet finds LAN peers with UDP beacons instead (beacon 1 = accept, 2 = send):");
		kn_imp_comment(im, "  keynet link set dev DEV beacon %s beacon-key FILE   (see keynet(8))",
			       beacon == 1 ? "accept" : beacon == 0 ? "off" : "send");
	}
}

static int kn_import_cjdns(const char *path, const char *dev)
{
	struct kn_jparser jp = { 0 };
	struct kn_jval *root = NULL;
	struct kn_import im;
	struct kn_cj cj = { .im = &im };
	uint8_t priv[KEYNET_KEY_LEN], pub[KEYNET_KEY_LEN], addr[16], want[16], dp[16], dl;
	char text[INET6_ADDRSTRLEN], b64[45];
	const char *hex, *ipv6, *pk, *tundev = NULL;
	const struct kn_jval *v;
	size_t len;
	char *buf;
	int i, j, ret;

	buf = kn_read_all(path, &len);
	if (!buf)
		return KN_EXIT_FAIL;
	jp.s = buf;
	jp.end = buf + len;
	jp.line = 1;
	root = kn_jvalue(&jp);
	if (root) {
		kn_jskip(&jp);
		if (jp.s < jp.end)
			kn_jerr(&jp, "text after the end of the configuration");
	}
	explicit_bzero(buf, len);
	free(buf);
	if (jp.err || !root || root->type != KN_J_OBJ) {
		fprintf(stderr, "keynet: %s:%d: invalid cjdroute.conf: %s\n", path,
			jp.err ? jp.err_line : 1, jp.err ? jp.err : "expected a JSON object");
		kn_jfree(root);
		return KN_EXIT_USAGE;
	}
	ret = kn_imp_begin(&im, path, dev);
	if (ret)
		goto out_root;
	v = kn_jget(root, "privateKey");
	hex = kn_jstr(root, "privateKey");
	if (!hex || kn_hex_to_key(hex, strlen(hex), priv)) {
		fprintf(stderr, "keynet: %s:%d: invalid privateKey: expected 64 hex digits\n", path,
			v ? v->line : 1);
		im.status = KN_EXIT_USAGE;
		goto finish;
	}
	if (kn_x25519_pub(priv, pub)) {
		kn_err("cannot compute the public key (OpenSSL X25519 failed)");
		im.status = KN_EXIT_FAIL;
		goto finish;
	}
	kn_default_addressing(dp, &dl);
	if (kn_key_address(pub, dp, dl, addr)) {
		im.status = KN_EXIT_FAIL;
		goto finish;
	}
	inet_ntop(AF_INET6, addr, text, sizeof(text));
	/* The node's identity must survive the move: same key, same address. */
	ipv6 = kn_jstr(root, "ipv6");
	v = kn_jget(root, "ipv6");
	if (ipv6 && (inet_pton(AF_INET6, ipv6, want) != 1 || memcmp(want, addr, 16))) {
		fprintf(stderr, "keynet: warning: %s:%d: the address keynet derives from privateKey, %s, is not the file's ipv6 '%s': the key and the address do not belong together\n",
			path, v->line, text, ipv6);
		im.status = KN_EXIT_FAIL;
		goto finish;
	}
	pk = kn_jstr(root, "publicKey");
	v = kn_jget(root, "publicKey");
	if (pk) {
		uint8_t k[KEYNET_KEY_LEN];

		if (kn_cjdns_to_key(pk, k) || memcmp(k, pub, KEYNET_KEY_LEN)) {
			char mine[KN_CJDNS_KEY_STRLEN + 1];

			kn_key_to_cjdns(pub, mine);
			fprintf(stderr, "keynet: warning: %s:%d: the public key of privateKey is %s, not the file's publicKey '%s'\n",
				path, v->line, mine, pk);
			im.status = KN_EXIT_FAIL;
			goto finish;
		}
	}
	if (addr[0] != 0xfc)
		kn_imp_warn(&im, 1, "the key's address %s does not start with fc: cjdns would not have used this key",
			    text);
	{
		char k[KN_CJDNS_KEY_STRLEN + 1];

		kn_key_to_cjdns(pub, k);
		fprintf(im.out, "# keynet.conf(5) imported from %s by keynet %s (keynet import cjdns)\n",
			path, KN_VERSION);
		fprintf(im.out, "# The node keeps its identity: cjdns key %s,\n# address %s%s\n\n", k,
			text, ipv6 ? " (the same as cjdroute.conf's ipv6)" : "");
	}
	fputs("[Link]\n", im.out);
	im.secret = true;
	kn_key_to_base64(priv, b64);
	explicit_bzero(priv, sizeof(priv));
	fprintf(im.out, "PrivateKey = %s\n", b64);
	explicit_bzero(b64, sizeof(b64));
	{
		const struct kn_jval *r = kn_jget(root, "router");
		const struct kn_jval *ifc = kn_jget(r, "interface");

		tundev = kn_jstr(ifc, "tunDevice");
		if (tundev && (!tundev[0] || strlen(tundev) >= IFNAMSIZ || strpbrk(tundev, "/: \t")))
			tundev = NULL;
	}
	kn_cj_interfaces(&cj, kn_jget(root, "interfaces"), tundev);
	{
		const struct kn_jval *r = kn_jget(root, "router");

		kn_cj_iptunnel(&cj, kn_jget(r, "ipTunnel"));
		for (i = 0; r && r->type == KN_J_OBJ && i < r->n; i++) {
			if (!strcmp(r->keys[i], "ipTunnel"))
				continue;
			if (!strcmp(r->keys[i], "interface"))
				kn_imp_comment(&im, "not imported: router.interface (cjdns' TUN device; keynet is its own device)");
			else
				kn_imp_comment(&im, "not imported: router.%s (cjdns' mesh routing; keynet routes by prefix to direct peers)",
					       r->keys[i]);
		}
	}
	kn_cj_top_comments(&cj, root);
	for (i = 0; i < cj.n_peers; i++) {
		struct kn_cj_peer *p = cj.peers[i];

		fclose(p->ex);
		p->ex = NULL;
		fputs("\n[Peer]\n", im.out);
		if (p->extra_len)
			fwrite(p->extra, 1, p->extra_len, im.out);
		fprintf(im.out, "# cjdns key: %s\n", p->kstr);
		if (p->password) {
			fprintf(im.out, "# cjdns authenticated this peer with a password%s%s%s. That password is not a\n"
				"# WireGuard preshared key and keynet does not use it. For a preshared key, run\n"
				"# 'keynet genpsk' on one side and put the same 'PresharedKey = ...' in the [Peer]\n"
				"# of both sides.\n",
				p->login[0] ? " (login '" : "", p->login, p->login[0] ? "')" : "");
		}
		kn_key_to_base64(p->key, b64);
		fprintf(im.out, "PublicKey = %s\n", b64);
		if (p->endpoint[0])
			fprintf(im.out, "Endpoint = %s\n", p->endpoint);
		if (p->name[0])
			fprintf(im.out, "Name = %s\n", p->name);
		for (j = 0; j < p->n_routes; j++) {
			int k;

			for (k = 0; k < j; k++)
				if (!strcmp(p->routes[k], p->routes[j]))
					break;
			if (k == j)
				fprintf(im.out, "Route = %s\n", p->routes[j]);
		}
	}
finish:
	explicit_bzero(priv, sizeof(priv));
	ret = kn_imp_finish(&im);
	for (i = 0; i < cj.n_peers; i++) {
		if (cj.peers[i]->ex)
			fclose(cj.peers[i]->ex);
		free(cj.peers[i]->extra);
		free(cj.peers[i]);
	}
	free(cj.peers);
out_root:
	kn_jfree(root);
	return ret;
}

/* ---- TAYGA ---- */

static int kn_tg_map(struct kn_import *im, int line, const char *a4, const char *a6,
		     FILE *maps, int *n_maps)
{
	struct kn_prefix p4, p6;
	uint32_t i, count;

	if (kn_conf_parse_prefix(a4, &p4, false) || p4.family != AF_INET ||
	    kn_conf_parse_prefix(a6, &p6, false) || p6.family != AF_INET6 ||
	    32 - p4.len != 128 - p6.len) {
		kn_imp_warn(im, line, "map '%s %s' is not an IPv4 and an IPv6 block of the same size: not imported",
			    a4, a6);
		kn_imp_comment(im, "not imported: map %s %s (not an IPv4 and an IPv6 block of the same size)",
			       a4, a6);
		return 0;
	}
	count = 1u << (32 - p4.len);
	if (p4.len < 20 || *n_maps + (int)count > KN_CONF_MAPS_MAX) {
		kn_imp_warn(im, line, "map '%s %s' has %u addresses: keynet takes at most %d static maps; not imported",
			    a4, a6, count, KN_CONF_MAPS_MAX);
		kn_imp_comment(im, "not imported: map %s %s (too many addresses for keynet's %d static maps)",
			       a4, a6, KN_CONF_MAPS_MAX);
		return 0;
	}
	/* A block map is one static map per address, in order. */
	for (i = 0; i < count; i++) {
		uint8_t v4[4], v6[16];
		uint32_t b4 = (uint32_t)p4.addr[0] << 24 | p4.addr[1] << 16 | p4.addr[2] << 8 |
			      p4.addr[3];
		char t4[INET_ADDRSTRLEN], t6[INET6_ADDRSTRLEN];
		uint32_t b6;

		b4 += i;
		v4[0] = (uint8_t)(b4 >> 24);
		v4[1] = (uint8_t)(b4 >> 16);
		v4[2] = (uint8_t)(b4 >> 8);
		v4[3] = (uint8_t)b4;
		memcpy(v6, p6.addr, 16);
		b6 = (uint32_t)v6[12] << 24 | v6[13] << 16 | v6[14] << 8 | v6[15];
		b6 += i;
		v6[12] = (uint8_t)(b6 >> 24);
		v6[13] = (uint8_t)(b6 >> 16);
		v6[14] = (uint8_t)(b6 >> 8);
		v6[15] = (uint8_t)b6;
		inet_ntop(AF_INET, v4, t4, sizeof(t4));
		inet_ntop(AF_INET6, v6, t6, sizeof(t6));
		fprintf(maps, "\n[Map]\n");
		if (count > 1 && i == 0)
			fprintf(maps, "# from TAYGA's block map %s %s\n", a4, a6);
		fprintf(maps, "IPv4 = %s\nIPv6 = %s\n", t4, t6);
	}
	*n_maps += (int)count;
	return 0;
}

static int kn_import_tayga(const char *path, const char *dev)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *line = NULL, *nat = NULL, *pool = NULL, *maps = NULL, *tun = NULL;
	size_t cap = 0, nat_len = 0, pool_len = 0, maps_len = 0;
	FILE *natf = NULL, *poolf = NULL, *mapsf = NULL;
	bool has_prefix = false;
	struct kn_import im;
	int lineno = 0, n_maps = 0, ret;

	if (!f) {
		kn_err("cannot open '%s': %s", path, strerror(errno));
		return KN_EXIT_FAIL;
	}
	ret = kn_imp_begin(&im, path, dev);
	if (ret)
		goto out_file;
	natf = open_memstream(&nat, &nat_len);
	poolf = open_memstream(&pool, &pool_len);
	mapsf = open_memstream(&maps, &maps_len);
	if (!natf || !poolf || !mapsf) {
		kn_err("out of memory");
		im.status = KN_EXIT_FAIL;
		goto finish;
	}
	fprintf(im.out, "# keynet.conf(5) imported from %s by keynet %s (keynet import tayga)\n\n",
		path, KN_VERSION);
	fputs("[Link]\n", im.out);
	while (getline(&line, &cap, f) >= 0) {
		char *w[4], *s;
		int n;

		lineno++;
		s = line;
		s[strcspn(s, "#")] = '\0';
		n = 0;
		for (char *t = strtok(s, " \t\r\n"); t && n < 4; t = strtok(NULL, " \t\r\n"))
			w[n++] = t;
		if (!n)
			continue;
		if (!strcasecmp(w[0], "tun-device") && n == 2) {
			free(tun);
			tun = strdup(w[1]);
		} else if (!strcasecmp(w[0], "ipv4-addr") && n == 2) {
			uint8_t a[4];

			if (inet_pton(AF_INET, w[1], a) != 1) {
				fprintf(stderr, "keynet: %s:%d: invalid ipv4-addr '%s': expected a dotted quad\n",
					path, lineno, w[1]);
				im.status = KN_EXIT_USAGE;
				goto finish;
			}
			fprintf(natf, "IPv4Address = %s\n", w[1]);
		} else if (!strcasecmp(w[0], "ipv6-addr") && n == 2) {
			uint8_t a[16];

			if (inet_pton(AF_INET6, w[1], a) != 1) {
				fprintf(stderr, "keynet: %s:%d: invalid ipv6-addr '%s': expected an IPv6 address\n",
					path, lineno, w[1]);
				im.status = KN_EXIT_USAGE;
				goto finish;
			}
			fprintf(natf, "IPv6Address = %s\n", w[1]);
		} else if (!strcasecmp(w[0], "prefix") && n == 2) {
			fprintf(natf, "Prefix = %s\n", w[1]);
			has_prefix = true;
		} else if (!strcasecmp(w[0], "dynamic-pool") && n == 2) {
			struct kn_prefix p;

			if (kn_conf_parse_prefix(w[1], &p, false) || p.family != AF_INET || p.len < 16) {
				kn_imp_warn(&im, lineno, "dynamic-pool '%s': keynet's pool ranges are IPv4 /16 to /32; not imported",
					    w[1]);
				kn_imp_comment(&im, "not imported: dynamic-pool %s (keynet's pool ranges are /16 to /32)",
					       w[1]);
			} else {
				fprintf(poolf, "Range = %s\n", w[1]);
			}
		} else if (!strcasecmp(w[0], "map") && n == 3) {
			kn_tg_map(&im, lineno, w[1], w[2], mapsf, &n_maps);
		} else if (!strcasecmp(w[0], "data-dir") && n == 2) {
			kn_imp_warn(&im, lineno, "data-dir has no equivalent: keynet keeps dynamic mappings in the kernel; save and restore them with 'keynet nat64 save FILE' and 'keynet nat64 restore FILE'");
			kn_imp_comment(&im, "not imported: data-dir %s (use 'keynet nat64 save FILE' at shutdown and 'keynet nat64 restore FILE' at boot)",
				       w[1]);
		} else if (!strcasecmp(w[0], "strict-frag-hdr")) {
			kn_imp_warn(&im, lineno, "strict-frag-hdr has no equivalent: keynet adds an IPv6 fragment header only when it fragments (RFC 7915)");
			kn_imp_comment(&im, "not imported: strict-frag-hdr (keynet follows RFC 7915: a fragment header only when it fragments)");
		} else if (!strcasecmp(w[0], "wkpf-strict") && n == 2) {
			bool on = !strcasecmp(w[1], "yes") || !strcasecmp(w[1], "on") ||
				  !strcasecmp(w[1], "true") || !strcmp(w[1], "1");

			fprintf(natf, "StrictWKP = %s\n", on ? "yes" : "no");
		} else if (!strcasecmp(w[0], "udp-cksum-mode") && n == 2 &&
			   (!strcasecmp(w[1], "drop") || !strcasecmp(w[1], "calc"))) {
			fprintf(natf, "UDPZeroChecksum = %s\n",
				!strcasecmp(w[1], "drop") ? "drop" : "compute");
		} else {
			kn_imp_warn(&im, lineno, "'%s' has no keynet equivalent: not imported", w[0]);
			kn_imp_comment(&im, "not imported: %s (no keynet equivalent)", w[0]);
		}
	}
	if (!has_prefix) {
		fprintf(stderr, "keynet: %s: no prefix: TAYGA's NAT64 prefix is needed\n", path);
		im.status = KN_EXIT_USAGE;
		goto finish;
	}
	if (dev)
		fprintf(im.out, "Name = %s\n", dev);
	else if (tun && tun[0] && strlen(tun) < IFNAMSIZ && !strpbrk(tun, "/:"))
		fprintf(im.out, "# TAYGA's TUN device was '%s': the keynet device takes its name\nName = %s\n",
			tun, tun);
	fputs("# Route the NAT64 prefix and the dynamic pool into the device (TAYGA's set-ups\n"
	      "# did it with 'ip route add'):\n"
	      "Table = main\n", im.out);
	fflush(natf);
	fputs("\n[NAT64]\n", im.out);
	fputs("# MSSClamp = on (the default) replaces an iptables TCPMSS rule\n", im.out);
	fwrite(nat, 1, nat_len, im.out);
	fflush(poolf);
	if (pool_len) {
		fputs("\n[Pool]\n", im.out);
		fwrite(pool, 1, pool_len, im.out);
	}
	fflush(mapsf);
	fwrite(maps, 1, maps_len, im.out);
finish:
	ret = kn_imp_finish(&im);
	if (natf)
		fclose(natf);
	if (poolf)
		fclose(poolf);
	if (mapsf)
		fclose(mapsf);
	free(nat);
	free(pool);
	free(maps);
	free(tun);
	free(line);
out_file:
	if (f != stdin)
		fclose(f);
	return ret;
}

static void kn_import_help(FILE *f)
{
	fputs("Usage: keynet import cjdns CJDROUTE.CONF [dev NAME]\n"
	      "       keynet import tayga TAYGA.CONF [dev NAME]\n"
	      "Print a keynet.conf(5) made from a cjdns or TAYGA configuration (- for\n"
	      "stdin), with a comment for what has no keynet equivalent; apply it with\n"
	      "'keynet conf apply'.  cjdns: the node key (its derived address must equal\n"
	      "the file's ipv6), the UDP port, connectTo peers, ipTunnel connections as\n"
	      "routes.  TAYGA: [NAT64], [Pool] and [Map]; warnings for keys keynet lacks.\n",
	      f);
}

int kn_cmd_import(int argc, char **argv)
{
	const char *dev = NULL;

	if (argc == 0 || kn_matches(argv[0], "help")) {
		kn_import_help(argc ? stdout : stderr);
		return argc ? 0 : kn_usage_err("missing format", NULL, "expected 'cjdns' or 'tayga'");
	}
	if (strcmp(argv[0], "cjdns") && strcmp(argv[0], "tayga")) {
		kn_import_help(stderr);
		return kn_usage_err("unknown format", argv[0], "expected 'cjdns' or 'tayga'");
	}
	if (argc < 2)
		return kn_usage_err("missing file", NULL, "expected a configuration FILE (- for stdin)");
	if (argc == 4 && kn_matches(argv[2], "dev")) {
		dev = argv[3];
		if (!dev[0] || strlen(dev) >= IFNAMSIZ || strpbrk(dev, "/: \t"))
			return kn_usage_err("invalid device name", dev, "expected 1-15 characters");
	} else if (argc != 2) {
		return kn_usage_err("unknown argument", argv[2], "expected 'dev NAME'");
	}
	if (!strcmp(argv[0], "cjdns"))
		return kn_import_cjdns(argv[1], dev);
	return kn_import_tayga(argv[1], dev);
}
