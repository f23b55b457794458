// SPDX-License-Identifier: GPL-2.0
/*
 * keynet import tayga: a keynet.conf(5) from a tayga.conf.  Every
 * directive of TAYGA 0.9.6 (its tayga.conf(5) and sample file) is decided
 * here, one row of kn_tg_opts[] each, as docs/nat64.md's table ("Importing
 * a tayga.conf") lists them:
 *
 *  - imported into its keynet setting ([Link], [NAT64], [Pool], [Map]);
 *  - ignored, with one note on stderr and a comment in the output, when it
 *    has no meaning for keynet (logging, worker threads, the daemon's
 *    data directory, bringing its TUN device up);
 *  - refused by name, exit 2, when keynet cannot do what it asks and
 *    leaving it out would change what the translator does.
 *
 * Values are checked as TAYGA checks them (it refuses the file too) and as
 * keynet will (the output always applies), naming the line at fault; an
 * unknown directive is refused.  Every line is looked at before giving
 * up, as TAYGA does; after any error nothing is printed on stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "import.h"

#define KN_TG_VALUES_MAX	9		/* TAYGA: 10 words on a line */
#define KN_TG_MAP_FILE_MAX	(16 << 20)	/* bytes of a map-file */
#define KN_TG_TUN_ROUTES_MAX	256		/* tun-ip, tun-route lines each */

struct kn_tg_pfx {
	int line;
	struct kn_prefix p;
};

struct kn_tg {
	struct kn_import *im;
	const char *file;		/* the tayga.conf as messages name it */
	int first[20];			/* line of each directive's first use */
	/* [Link] */
	char tun[IFNAMSIZ];
	struct kn_tg_pfx addrs[KN_TG_TUN_ROUTES_MAX], routes[KN_TG_TUN_ROUTES_MAX];
	int n_addrs, n_routes;
	FILE *notes;			/* comments for what is not imported */
	char *notes_buf;
	size_t notes_len;
	/* [NAT64] */
	struct kn_prefix prefix;
	bool has_prefix, has_v4, has_v6;
	uint8_t v4[4], v6[16];
	int v4_line, prefix_line;
	int wkp;			/* -1: not given */
	int udp0;			/* KEYNET_NAT64_UDP0_*; -1: not given */
	uint32_t offlink;		/* 0: not given */
	/* [Pool] */
	struct kn_tg_pfx pool;		/* line 0: none */
	/* [Map]: the tayga.conf's, then those of its map-file */
	struct kn_conf_map *maps;
	int n_maps, n_conf_maps, maps_over;
	char data_dir[PATH_MAX];
	char map_file[PATH_MAX];	/* as written */
	char map_path[PATH_MAX];	/* as read: data-dir's when relative */
	int map_file_line;
};

/* ---- messages ---- */

/* "invalid WHAT 'VALUE': EXPECTED" at @line of the tayga.conf. */
static int kn_tg_bad(struct kn_tg *t, int line, const char *what, const char *value,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int kn_tg_bad(struct kn_tg *t, int line, const char *what, const char *value,
		     const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	kn_imp_error(t->im, t->file, line, "invalid %s '%s': %s", what, value, why);
	return -1;
}

/* Something keynet cannot do: refused by name. */
static int kn_tg_unsupported(struct kn_tg *t, int line, const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int kn_tg_unsupported(struct kn_tg *t, int line, const char *opt, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	kn_imp_error(t->im, t->file, line, "option '%s' is not supported by keynet: %s", opt, why);
	return -1;
}

/*
 * Left out on purpose: one note on stderr, and the line as a comment in
 * the output with the same reason.
 */
static int kn_tg_ignore(struct kn_tg *t, int line, char **w, int n, const char *why)
{
	char text[256], value[PATH_MAX];
	size_t off = 0;

	kn_imp_note(t->im, t->file, line, "option '%s' ignored: %s", w[0], why);
	for (int i = 0; i < n && off < sizeof(text); i++) {
		kn_imp_clean(value, sizeof(value), w[i]);
		off += snprintf(text + off, sizeof(text) - off, "%s%s", i ? " " : "", value);
	}
	fprintf(t->notes, "# %s (line %d): %s\n", text, line, why);
	return 0;
}

/* ---- values ---- */

static bool kn_tg_digits(const char *v, uint32_t max, uint32_t *out)
{
	size_t n = strspn(v, "0123456789");

	if (!n || v[n] || n > 10 || strtoull(v, NULL, 10) > max)
		return false;
	*out = (uint32_t)strtoull(v, NULL, 10);
	return true;
}

/* TAYGA's booleans: 1 on, 0 off, -1 neither. */
static int kn_tg_bool(const char *v)
{
	static const char * const on[] = { "yes", "on", "true", "1" };
	static const char * const off[] = { "no", "off", "false", "0" };

	for (unsigned int i = 0; i < KN_ARRAY_SIZE(on); i++) {
		if (!strcasecmp(v, on[i]))
			return 1;
		if (!strcasecmp(v, off[i]))
			return 0;
	}
	return -1;
}

/* The IPv4 blocks keynet never translates (docs/nat64.md: martians). */
static bool kn_tg_v4_never(const uint8_t *a)
{
	return a[0] == 0 || a[0] == 127 || a[0] >= 224;
}

/* ---- directives ---- */

static int kn_tg_tun(struct kn_tg *t, int line, char **w, int n)
{
	const char *v = w[1];

	if (strlen(v) >= IFNAMSIZ || !strcmp(v, ".") || !strcmp(v, ".."))
		return kn_tg_bad(t, line, "tun-device", v, "expected a device name of 1-15 characters");
	for (const char *c = v; *c; c++)
		if (*c <= ' ' || *c > '~' || *c == '/' || *c == ':' || *c == '#')
			return kn_tg_bad(t, line, "tun-device", v,
					 "expected printable characters, no '/', ':' or '#'");
	strcpy(t->tun, v);
	return 0;
}

static int kn_tg_v4(struct kn_tg *t, int line, char **w, int n)
{
	if (inet_pton(AF_INET, w[1], t->v4) != 1)
		return kn_tg_bad(t, line, "ipv4-addr", w[1], "expected an IPv4 address (a dotted quad)");
	if (kn_tg_v4_never(t->v4))
		return kn_tg_bad(t, line, "ipv4-addr", w[1],
				 "an address keynet never translates (0/8, 127/8, 224/4, 240/4)");
	t->has_v4 = true;
	t->v4_line = line;
	return 0;
}

static int kn_tg_v6(struct kn_tg *t, int line, char **w, int n)
{
	if (inet_pton(AF_INET6, w[1], t->v6) != 1)
		return kn_tg_bad(t, line, "ipv6-addr", w[1], "expected an IPv6 address");
	t->has_v6 = true;
	return 0;
}

static int kn_tg_prefix(struct kn_tg *t, int line, char **w, int n)
{
	static const uint8_t zero[16];
	struct kn_prefix *p = &t->prefix;
	const char *e = strchr(w[1], '/') ? kn_conf_parse_prefix(w[1], p, false) :
		"expected IPV6/LEN";

	if (!e && p->family != AF_INET6)
		e = "expected an IPv6 prefix";
	if (!e && p->len != 32 && p->len != 40 && p->len != 48 && p->len != 56 &&
	    p->len != 64 && p->len != 96)
		e = "RFC 6052 allows the lengths 32, 40, 48, 56, 64 and 96";
	if (e)
		return kn_tg_bad(t, line, "prefix", w[1], "%s", e);
	if (!memcmp(p->addr, zero, 16) || p->addr[0] == 0xff ||
	    (p->addr[0] == 0xfe && (p->addr[1] & 0xc0) == 0x80))
		return kn_tg_bad(t, line, "prefix", w[1],
				 "a reserved, link-local or multicast prefix");
	if (p->addr[8])
		return kn_tg_unsupported(t, line, "prefix",
					 "%s has bits 64-71 set; keynet keeps them zero (RFC 6052 section 2.2's u octet)",
					 w[1]);
	t->has_prefix = true;
	t->prefix_line = line;
	return 0;
}

static int kn_tg_wkp(struct kn_tg *t, int line, char **w, int n)
{
	t->wkp = kn_tg_bool(w[1]);
	if (t->wkp < 0)
		return kn_tg_bad(t, line, "wkpf-strict", w[1],
				 "expected yes or no (on, off, true, false, 1, 0)");
	return 0;
}

static int kn_tg_udp0(struct kn_tg *t, int line, char **w, int n)
{
	const char *v = w[1];

	if (!strcasecmp(v, "drop"))
		t->udp0 = KEYNET_NAT64_UDP0_DROP;
	else if (!strcasecmp(v, "calc") || !strcasecmp(v, "calculate"))
		t->udp0 = KEYNET_NAT64_UDP0_COMPUTE;
	else if (!strcasecmp(v, "fwd") || !strcasecmp(v, "forward"))
		t->udp0 = KEYNET_NAT64_UDP0_FORWARD;
	else
		return kn_tg_bad(t, line, "udp-cksum-mode", v, "expected drop, calc or fwd");
	return 0;
}

static int kn_tg_offlink(struct kn_tg *t, int line, char **w, int n)
{
	if (!kn_tg_digits(w[1], 65535, &t->offlink) || t->offlink < 1280) {
		t->offlink = 0;
		return kn_tg_bad(t, line, "offlink-mtu", w[1], "expected an MTU of 1280-65535");
	}
	return 0;
}

static int kn_tg_pool(struct kn_tg *t, int line, char **w, int n)
{
	struct kn_prefix *p = &t->pool.p;
	const char *e = strchr(w[1], '/') ? kn_conf_parse_prefix(w[1], p, false) :
		"expected IPV4/LEN";

	if (!e && p->family != AF_INET)
		e = "expected an IPv4 prefix";
	if (!e && p->len > 31)
		e = "TAYGA takes /31 or shorter";
	if (!e && kn_tg_v4_never(p->addr))
		e = "holds addresses keynet never translates (0/8, 127/8, 224/4, 240/4)";
	if (e)
		return kn_tg_bad(t, line, "dynamic-pool", w[1], "%s", e);
	if (p->len < 16)
		return kn_tg_unsupported(t, line, "dynamic-pool",
					 "%s holds %llu addresses; keynet's pool holds at most %d (a /16)",
					 w[1], 1ULL << (32 - p->len), KN_CONF_POOL_ADDRS_MAX);
	t->pool.line = line;
	return 0;
}

/*
 * "map IPV4[/LEN] IPV6[/LEN]" of @file: a single address or, equal in
 * size on both sides, a block: one RFC 7757 prefix map ([Map] with
 * prefixes), as TAYGA translates it (the host bits copied).  The checks
 * between maps, and against ipv4-addr and the prefix, wait for the whole
 * set (kn_tg_check_maps()).
 */
static void kn_tg_add_map(struct kn_tg *t, const char *file, int line, const char *a4,
			  const char *a6)
{
	struct kn_conf_map m = { .line = line };
	struct kn_prefix p4, p6;
	const char *e = kn_conf_parse_prefix(a4, &p4, false);
	struct kn_conf_map *arr;

	if (!e && p4.family != AF_INET)
		e = "the first address must be IPv4";
	if (!e)
		e = kn_conf_parse_prefix(a6, &p6, false);
	if (!e && p6.family != AF_INET6)
		e = "the second address must be IPv6";
	if (!e) {
		memcpy(m.v4, p4.addr, 4);
		memcpy(m.v6, p6.addr, 16);
		m.len4 = p4.len;
		m.len6 = p6.len;
		e = kn_conf_map_check(&m);
	}
	if (e) {
		kn_imp_error(t->im, file, line, "invalid map '%s %s': %s", a4, a6, e);
		return;
	}
	if (t->n_maps == KN_CONF_MAPS_MAX) {
		/* Said once: the maps after it would only repeat it. */
		if (!t->maps_over++)
			kn_imp_error(t->im, file, line,
				     "option 'map' is not supported by keynet beyond %d maps: a keynet device holds at most %d static maps",
				     KN_CONF_MAPS_MAX, KN_CONF_MAPS_MAX);
		return;
	}
	arr = realloc(t->maps, (size_t)(t->n_maps + 1) * sizeof(*arr));
	if (!arr) {
		kn_err("out of memory");
		t->im->status = KN_EXIT_FAIL;
		return;
	}
	t->maps = arr;
	t->maps[t->n_maps++] = m;
}

static int kn_tg_map(struct kn_tg *t, int line, char **w, int n)
{
	kn_tg_add_map(t, t->file, line, w[1], w[2]);
	return 0;
}

static int kn_tg_data_dir(struct kn_tg *t, int line, char **w, int n)
{
	if (w[1][0] != '/' || strlen(w[1]) >= sizeof(t->data_dir))
		return kn_tg_bad(t, line, "data-dir", w[1], "expected an absolute path");
	strcpy(t->data_dir, w[1]);
	kn_tg_ignore(t, line, w, n,
		     "keynet keeps the dynamic pool's mappings in the kernel; keep them across a reboot with 'keynet nat64 save FILE' and 'keynet nat64 restore FILE'");
	return 0;
}

/* Read at the end of the file: a relative path needs data-dir. */
static int kn_tg_map_file(struct kn_tg *t, int line, char **w, int n)
{
	if (strlen(w[1]) >= sizeof(t->map_file))
		return kn_tg_bad(t, line, "map-file", w[1], "the path is too long");
	strcpy(t->map_file, w[1]);
	t->map_file_line = line;
	return 0;
}

static int kn_tg_frag(struct kn_tg *t, int line, char **w, int n)
{
	kn_tg_ignore(t, line, w, n, kn_tg_bool(w[1]) == 1 ?
		     "TAYGA 0.9.6 ignores it too (0.9.2 gave every packet without DF a fragment header); keynet adds one only when it fragments (RFC 7915)" :
		     "TAYGA 0.9.6 ignores it too; keynet adds an IPv6 fragment header only when it fragments (RFC 7915)");
	return 0;
}

static int kn_tg_log(struct kn_tg *t, int line, char **w, int n)
{
	static const char * const what[] = { "drop", "reject", "icmp", "self", "dyn" };

	for (int i = 1; i < n; i++) {
		unsigned int j;

		for (j = 0; j < KN_ARRAY_SIZE(what); j++)
			if (!strcasecmp(w[i], what[j]))
				break;
		if (j == KN_ARRAY_SIZE(what))
			return kn_tg_bad(t, line, "log", w[i],
					 "expected drop, reject, icmp, self or dyn");
	}
	return kn_tg_ignore(t, line, w, n,
			    "keynet logs no packets: it counts them by drop reason ('keynet -s nat64 show') and reports pool mappings as events ('keynet monitor')");
}

static int kn_tg_workers(struct kn_tg *t, int line, char **w, int n)
{
	uint32_t v;

	if (!kn_tg_digits(w[1], UINT32_MAX, &v))
		return kn_tg_bad(t, line, "workers", w[1], "expected a number of threads");
	return kn_tg_ignore(t, line, w, n,
			    "keynet translates in the kernel, on the CPU that handles the packet: there are no worker threads");
}

static int kn_tg_tun_up(struct kn_tg *t, int line, char **w, int n)
{
	int up = !strcasecmp(w[1], "up") ? 1 : !strcasecmp(w[1], "down") ? 0 : kn_tg_bool(w[1]);

	if (up < 0)
		return kn_tg_bad(t, line, "tun-up", w[1], "expected yes or no");
	return kn_tg_ignore(t, line, w, n, up ?
			    "'keynet conf apply' brings the device up itself" :
			    "'keynet conf apply' brings the device up itself (TAYGA left that to the administrator)");
}

/* tun-ip (Address =, host bits allowed) and tun-route (HostRoute =). */
static int kn_tg_tun_pfx(struct kn_tg *t, int line, char **w, int n)
{
	bool route = !strcasecmp(w[0], "tun-route");
	struct kn_tg_pfx *arr = route ? t->routes : t->addrs;
	int *count = route ? &t->n_routes : &t->n_addrs;
	struct kn_prefix p;
	const char *e = kn_conf_parse_prefix(w[1], &p, !route);

	if (e)
		return kn_tg_bad(t, line, w[0], w[1], "%s", e);
	for (int i = 0; i < *count; i++) {
		/* As keynet.conf: Address by address, HostRoute by prefix. */
		if (arr[i].p.family == p.family && (!route || arr[i].p.len == p.len) &&
		    !memcmp(arr[i].p.addr, p.addr, p.alen))
			return kn_tg_bad(t, line, w[0], w[1], "already given on line %d",
					 arr[i].line);
	}
	if (*count >= KN_TG_TUN_ROUTES_MAX)
		return kn_tg_unsupported(t, line, w[0], "more than %d of them",
					 KN_TG_TUN_ROUTES_MAX);
	arr[*count].line = line;
	arr[(*count)++].p = p;
	return 0;
}

struct kn_tg_opt {
	const char *name;
	int values;		/* how many it takes; -1: any number */
	bool repeat;		/* may be given more than once */
	int (*fn)(struct kn_tg *t, int line, char **w, int n);
};

/* TAYGA 0.9.6's directives, in tayga.conf(5)'s order, then the sample file's. */
static const struct kn_tg_opt kn_tg_opts[] = {
	{ "tun-device", 1, false, kn_tg_tun },
	{ "ipv4-addr", 1, false, kn_tg_v4 },
	{ "ipv6-addr", 1, false, kn_tg_v6 },
	{ "prefix", 1, false, kn_tg_prefix },
	{ "wkpf-strict", 1, false, kn_tg_wkp },
	{ "map", 2, true, kn_tg_map },
	{ "dynamic-pool", 1, false, kn_tg_pool },
	{ "data-dir", 1, false, kn_tg_data_dir },
	{ "map-file", 1, false, kn_tg_map_file },
	{ "strict-frag-hdr", 1, false, kn_tg_frag },
	{ "udp-cksum-mode", 1, false, kn_tg_udp0 },
	{ "log", -1, false, kn_tg_log },
	{ "offlink-mtu", 1, false, kn_tg_offlink },
	{ "tun-up", 1, false, kn_tg_tun_up },
	{ "tun-ip", 1, true, kn_tg_tun_pfx },
	{ "tun-route", 1, true, kn_tg_tun_pfx },
	{ "workers", 1, false, kn_tg_workers },
};

_Static_assert(KN_ARRAY_SIZE(kn_tg_opts) <= KN_ARRAY_SIZE(((struct kn_tg *)0)->first),
	       "struct kn_tg's first[] holds a line per directive");

/*
 * A line cut into words as TAYGA does (blanks between them, a word that
 * starts with '#' ends the line); the count, or -1 past @max words.
 */
static int kn_tg_words(char *s, char **w, int max)
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(s, " \t\r\n\v\f", &save); tok && tok[0] != '#';
	     tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
		if (n == max)
			return -1;
		w[n++] = tok;
	}
	return n;
}

static void kn_tg_line(struct kn_tg *t, int line, char *s)
{
	char *w[KN_TG_VALUES_MAX + 1], name[64];
	const struct kn_tg_opt *o = NULL;
	int n = kn_tg_words(s, w, KN_TG_VALUES_MAX + 1);
	unsigned int i;

	if (n == 0)
		return;
	if (n < 0) {
		kn_imp_error(t->im, t->file, line, "too many words: TAYGA takes at most %d on a line",
			     KN_TG_VALUES_MAX + 1);
		return;
	}
	for (i = 0; i < KN_ARRAY_SIZE(kn_tg_opts); i++) {
		if (!strcasecmp(w[0], kn_tg_opts[i].name)) {
			o = &kn_tg_opts[i];
			break;
		}
	}
	kn_imp_clean(name, sizeof(name), w[0]);
	if (!o) {
		kn_imp_error(t->im, t->file, line, "unknown option '%s': not a TAYGA 0.9.6 directive",
			     name);
		return;
	}
	if (o->values >= 0 && n - 1 != o->values) {
		kn_imp_error(t->im, t->file, line, "option '%s' takes %d value%s, not %d", o->name,
			     o->values, o->values == 1 ? "" : "s", n - 1);
		return;
	}
	if (t->first[i] && !o->repeat) {
		kn_imp_error(t->im, t->file, line,
			     "option '%s' given again (first on line %d): TAYGA takes it once",
			     o->name, t->first[i]);
		return;
	}
	if (!t->first[i])
		t->first[i] = line;
	w[0] = (char *)o->name;
	o->fn(t, line, w, n);
}

/* ---- the map-file ---- */

/*
 * TAYGA's map-file: "map" lines (and comments) only, reloaded on SIGHUP.
 * Its maps become [Map]s after those of the tayga.conf; the note says how
 * keynet reloads them.  Only a regular file is read (not a FIFO or a
 * device, whose read could block or never end).
 */
static int kn_tg_read_map_file(struct kn_tg *t)
{
	char *path = t->map_path, *line = NULL, *w[KN_TG_VALUES_MAX + 1];
	size_t cap = 0;
	struct stat st;
	FILE *f;
	int fd, ln = 0, n;

	if (t->map_file[0] != '/' && !t->data_dir[0])
		return kn_tg_bad(t, t->map_file_line, "map-file", t->map_file,
				 "a relative path needs data-dir (TAYGA's $STATE_DIRECTORY is not read here): give the absolute path");
	if (snprintf(path, sizeof(t->map_path), "%s%s%s", t->map_file[0] == '/' ? "" : t->data_dir,
		     t->map_file[0] == '/' ? "" : "/", t->map_file) >= (int)sizeof(t->map_path))
		return kn_tg_bad(t, t->map_file_line, "map-file", t->map_file, "the path is too long");
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		kn_err("%s line %d: cannot open map-file '%s': %s", t->file, t->map_file_line, path,
		       strerror(errno));
		t->im->status = KN_EXIT_FAIL;
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > KN_TG_MAP_FILE_MAX) {
		close(fd);
		return kn_tg_bad(t, t->map_file_line, "map-file", path,
				 "expected a regular file of at most %d MiB", KN_TG_MAP_FILE_MAX >> 20);
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		kn_err("out of memory");
		t->im->status = KN_EXIT_FAIL;
		return -1;
	}
	/* The first error ends it: the lines after it are not TAYGA's either. */
	while (!t->im->status && getline(&line, &cap, f) >= 0) {
		n = kn_tg_words(line, w, KN_TG_VALUES_MAX + 1);
		ln++;
		if (n == 0)
			continue;
		if (strcasecmp(w[0], "map"))
			kn_imp_error(t->im, path, ln, "a map-file holds 'map' lines only");
		else if (n != 3)
			kn_imp_error(t->im, path, ln, "option 'map' takes 2 values");
		else
			kn_tg_add_map(t, path, ln, w[1], w[2]);
	}
	if (ferror(f) && !t->im->status) {
		kn_err("cannot read map-file '%s': %s", path, strerror(errno));
		t->im->status = KN_EXIT_FAIL;
	}
	free(line);
	fclose(f);
	if (t->im->status)
		return -1;
	kn_imp_note(t->im, t->file, t->map_file_line,
		    "option 'map-file': its %d maps are imported as [Map]s; TAYGA re-read the file on SIGHUP, keynet does not: after a change, import again and 'keynet conf apply' (one atomic swap of the maps)",
		    t->n_maps - t->n_conf_maps);
	return 0;
}

/* ---- whole-file checks ---- */

/* "FILE line N" of map @i, for a message about another one. */
static void kn_tg_map_where(const struct kn_tg *t, int i, char *buf, size_t size)
{
	char text[INET6_ADDRSTRLEN * 2 + 16];

	kn_conf_map_text(&t->maps[i], text, sizeof(text));
	if (i < t->n_conf_maps)
		snprintf(buf, size, "the map on line %d (%s)", t->maps[i].line, text);
	else
		snprintf(buf, size, "the map on %s line %d (%s)", t->map_path, t->maps[i].line,
			 text);
}

/*
 * What TAYGA and keynet both refuse between maps: two that overlap on
 * either side (the kernel's own table builder, as conf check), one that
 * holds ipv4-addr, one inside the NAT64 prefix.
 */
static void kn_tg_check_maps(struct kn_tg *t)
{
	char text[INET6_ADDRSTRLEN * 2 + 16], other[PATH_MAX + 128];
	const char *why, *file;
	int bad, with, ret;

	ret = kn_conf_maps_check(t->maps, t->n_maps, &bad, &with, &why);
	if (ret == -2) {
		kn_err("out of memory");
		t->im->status = KN_EXIT_FAIL;
		return;
	}
	if (ret) {
		kn_conf_map_text(&t->maps[bad], text, sizeof(text));
		file = bad < t->n_conf_maps ? t->file : t->map_path;
		if (with < 0) {
			kn_imp_error(t->im, file, t->maps[bad].line, "invalid map '%s': %s", text, why);
			return;
		}
		kn_tg_map_where(t, with, other, sizeof(other));
		kn_imp_error(t->im, file, t->maps[bad].line, "map '%s' overlaps %s: %s", text,
			     other, why);
		return;
	}
	for (int i = 0; i < t->n_maps; i++) {
		const struct kn_conf_map *m = &t->maps[i];
		uint32_t mask = m->len4 ? ~0u << (32 - m->len4) : 0, a, b;

		file = i < t->n_conf_maps ? t->file : t->map_path;
		kn_conf_map_text(m, text, sizeof(text));
		memcpy(&a, m->v4, 4);
		memcpy(&b, t->v4, 4);
		if (t->has_v4 && ((ntohl(a) ^ ntohl(b)) & mask) == 0)
			kn_imp_error(t->im, file, m->line,
				     "invalid map '%s': holds ipv4-addr (line %d), the translator's own address",
				     text, t->v4_line);
		else if (t->has_prefix && !memcmp(m->v6, t->prefix.addr, t->prefix.len / 8))
			kn_imp_error(t->im, file, m->line,
				     "invalid map '%s': inside the NAT64 prefix (line %d), where it would loop",
				     text, t->prefix_line);
		if (t->im->status)
			return;
	}
}

/* ---- output ---- */

static void kn_tg_print(struct kn_tg *t)
{
	FILE *o = t->im->out;
	char text[INET6_ADDRSTRLEN + 8];
	int i;

	fputs("[Link]\n", o);
	if (t->im->dev) {
		if (t->tun[0])
			fprintf(o, "# TAYGA's TUN device was '%s'; the device is named by 'dev %s'\n",
				t->tun, t->im->dev);
		fprintf(o, "Name = %s\n", t->im->dev);
	} else if (t->tun[0]) {
		fprintf(o, "# TAYGA's TUN device '%s': the keynet device takes its name, so routes\n"
			"# and nftables rules that name it keep working\nName = %s\n", t->tun, t->tun);
	}
	fputs("# Route the NAT64 prefix and the dynamic pool into the device (TAYGA's set-ups\n"
	      "# did it with 'ip route add'):\n"
	      "Table = main\n", o);
	if (t->n_addrs || t->n_routes)
		fputs("# TAYGA's tun-ip and tun-route:\n", o);
	for (i = 0; i < t->n_addrs; i++) {
		kn_format_prefix(t->addrs[i].p.addr, t->addrs[i].p.alen, t->addrs[i].p.len, text,
				 sizeof(text));
		fprintf(o, "Address = %s\n", text);
	}
	for (i = 0; i < t->n_routes; i++) {
		kn_format_prefix(t->routes[i].p.addr, t->routes[i].p.alen, t->routes[i].p.len,
				 text, sizeof(text));
		fprintf(o, "HostRoute = %s\n", text);
	}
	if (t->notes_len) {
		fputs("# Not imported (the notes on standard error say the same):\n", o);
		fwrite(t->notes_buf, 1, t->notes_len, o);
	}

	fputs("\n[NAT64]\n# MSSClamp = on (the default) replaces an iptables TCPMSS rule\n", o);
	kn_format_prefix(t->prefix.addr, 16, t->prefix.len, text, sizeof(text));
	fprintf(o, "Prefix = %s\n", text);
	if (t->has_v4)
		fprintf(o, "IPv4Address = %s\n", inet_ntop(AF_INET, t->v4, text, sizeof(text)));
	if (t->has_v6)
		fprintf(o, "IPv6Address = %s\n", inet_ntop(AF_INET6, t->v6, text, sizeof(text)));
	if (t->wkp >= 0)
		fprintf(o, "StrictWKP = %s\n", t->wkp ? "yes" : "no");
	if (t->udp0 < 0)
		fputs("# TAYGA drops UDP datagrams with a zero checksum unless udp-cksum-mode says\n"
		      "# otherwise; keynet's own default computes their checksum (RFC 7915 4.5):\n"
		      "UDPZeroChecksum = drop\n", o);
	else
		fprintf(o, "UDPZeroChecksum = %s\n",
			t->udp0 == KEYNET_NAT64_UDP0_DROP ? "drop" :
			t->udp0 == KEYNET_NAT64_UDP0_FORWARD ? "forward" : "compute");
	if (t->offlink)
		fprintf(o, "OfflinkMTU = %u\n", t->offlink);

	if (t->pool.line) {
		kn_format_prefix(t->pool.p.addr, 4, t->pool.p.len, text, sizeof(text));
		fprintf(o, "\n[Pool]\nRange = %s\n", text);
	}
	for (i = 0; i < t->n_maps; i++) {
		const struct kn_conf_map *m = &t->maps[i];
		char a4[INET_ADDRSTRLEN + 4], a6[INET6_ADDRSTRLEN + 4], v[PATH_MAX];

		if (i == 0)
			fputs("\n# Static maps.  Table = main routes the prefix and the pool only: route the\n"
			      "# IPv4 side of a map into the device with HostRoute = in [Link] (TAYGA's\n"
			      "# set-ups did it with 'ip route add').\n", o);
		if (i == t->n_conf_maps) {
			kn_imp_clean(v, sizeof(v), t->map_path);
			fprintf(o, "\n# The maps of TAYGA's map-file %s:\n", v);
		}
		inet_ntop(AF_INET, m->v4, a4, sizeof(a4));
		inet_ntop(AF_INET6, m->v6, a6, sizeof(a6));
		if (m->len4 != 32)
			snprintf(a4 + strlen(a4), sizeof(a4) - strlen(a4), "/%u", m->len4);
		if (m->len6 != 128)
			snprintf(a6 + strlen(a6), sizeof(a6) - strlen(a6), "/%u", m->len6);
		fprintf(o, "\n[Map]\nIPv4 = %s\nIPv6 = %s\n", a4, a6);
	}
}

int kn_import_tayga(const char *path, const char *dev)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	struct kn_tg t = { .file = strcmp(path, "-") ? path : "(stdin)", .wkp = -1, .udp0 = -1 };
	struct kn_import im;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret;

	if (!f) {
		kn_err("cannot open '%s': %s", path, strerror(errno));
		return KN_EXIT_FAIL;
	}
	ret = kn_imp_begin(&im, path, dev);
	if (ret)
		goto out_file;
	t.im = &im;
	t.notes = open_memstream(&t.notes_buf, &t.notes_len);
	if (!t.notes) {
		kn_err("out of memory");
		im.status = KN_EXIT_FAIL;
		goto finish;
	}
	while (getline(&line, &cap, f) >= 0 && im.status != KN_EXIT_FAIL)
		kn_tg_line(&t, ++lineno, line);
	if (ferror(f) && !im.status) {
		kn_err("cannot read '%s': %s", path, strerror(errno));
		im.status = KN_EXIT_FAIL;
	}
	t.n_conf_maps = t.n_maps;
	if (im.status)
		goto finish;
	if (t.map_file_line)
		kn_tg_read_map_file(&t);
	if (!im.status && !t.has_prefix)
		kn_imp_error(&im, t.file, 0,
			     "no 'prefix': keynet's translator needs an RFC 6052 prefix; a TAYGA configuration of 'map' lines alone has no keynet equivalent");
	if (!im.status)
		kn_tg_check_maps(&t);
	if (im.status)
		goto finish;
	fflush(t.notes);
	kn_imp_comment(&im, "keynet.conf(5) imported from %s by keynet %s (keynet import tayga)",
		       path, KN_VERSION);
	fputc('\n', im.out);
	kn_tg_print(&t);
finish:
	ret = kn_imp_finish(&im);
	if (t.notes)
		fclose(t.notes);
	free(t.notes_buf);
	free(t.maps);
	free(line);
out_file:
	if (f != stdin)
		fclose(f);
	return ret;
}
