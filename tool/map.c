// SPDX-License-Identifier: GPL-2.0
/*
 * keynet map add / del / replace: a device's static maps (RFC 7757: one
 * IPv4 address and one IPv6 address, or prefixes with equal suffixes).
 * "map replace" reads a whole set from a file and swaps it in one
 * request, checked first with the kernel's own table builder (conf_maps.c's
 * kn_conf_maps_check()) so a refusal names both lines.  map show is
 * nat64.c's, beside the other NAT64 listings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "nat64.h"

static void kn_map_help(FILE *f)
{
	fputs("Usage: keynet map add IPV4[/LEN] IPV6[/LEN] dev DEV\n"
	      "       keynet map del { IPV4[/LEN] | IPV6[/LEN] } dev DEV\n"
	      "       keynet map replace dev DEV { FILE | - }\n"
	      "       keynet map show [dev DEV]\n"
	      "A static map is one IPv4 address and one IPv6 address, or an IPv4\n"
	      "prefix and an IPv6 prefix 96 bits longer (RFC 7757: the host bits are\n"
	      "copied); maps may not overlap.  At most 4096 per device.\n"
	      "replace: every static map of DEV becomes the maps of FILE (- for\n"
	      "stdin), one 'IPV4[/LEN] IPV6[/LEN]' per line (a leading 'map', as in\n"
	      "tayga.conf, and # comments are allowed), in one step: maps in both\n"
	      "sets never stop translating.\n",
	      f);
}


static int kn_map_show_fn(struct kn_show *s)
{
	return kn_dump_devs(s, s->arg, KEYNET_CMD_MAP_GET, kn_map_print);
}


/* ---- map add/del/replace ---- */

struct kn_map_args {
	struct kn_conf_map m;
	bool has_v4, has_v6;
};

static int kn_map_put(struct nl_msg *msg, void *arg)
{
	struct kn_map_args *a = arg;

	return kn_enc_map(msg, &a->m, a->has_v4, a->has_v6);
}

/*
 * One side of a map, IPV4[/LEN] or IPV6[/LEN], into @m (the family says
 * which side); a bare address is /32 or /128.  0 or an exit code.
 */
static int kn_map_parse_side(const char *arg, struct kn_conf_map *m, bool *has_v4,
			     bool *has_v6)
{
	struct kn_prefix p;
	int ret = kn_parse_prefix(arg, &p);

	if (ret)
		return ret;
	if (p.family == AF_INET) {
		if (*has_v4)
			return kn_usage_err("unknown argument", arg, "one IPv4 side only");
		memcpy(m->v4, p.addr, 4);
		m->len4 = p.len;
		*has_v4 = true;
	} else {
		if (*has_v6)
			return kn_usage_err("unknown argument", arg, "one IPv6 side only");
		if (p.len < 96)
			return kn_usage_err("invalid map prefix", arg,
					    "an IPv6 side is /96 to /128 (96 + the IPv4 length)");
		memcpy(m->v6, p.addr, 16);
		m->len6 = p.len;
		*has_v6 = true;
	}
	return 0;
}

static int kn_map_change(int argc, char **argv, bool add)
{
	struct kn_map_args a = { .m = { .len4 = 32, .len6 = 128 } };
	char text[INET6_ADDRSTRLEN + 64];
	const char *dev = NULL, *why;
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (kn_matches(argv[0], "dev")) {
			if ((ret = kn_need_arg(argc, argv, "a device name")))
				return ret;
			dev = argv[1];
			argc--;
			argv++;
		} else if (!strchr(argv[0], '.') && !strchr(argv[0], ':')) {
			return kn_usage_err("unknown argument", argv[0], add ?
					    "expected IPV4[/LEN], IPV6[/LEN] and dev DEV" :
					    "expected IPV4[/LEN] or IPV6[/LEN], and dev DEV");
		} else if ((ret = kn_map_parse_side(argv[0], &a.m, &a.has_v4, &a.has_v6))) {
			return ret;
		}
	}
	if (add && (!a.has_v4 || !a.has_v6))
		return kn_usage_err("missing address", NULL,
				    "expected 'map add IPV4[/LEN] IPV6[/LEN] dev DEV'");
	if (!add && !a.has_v4 && !a.has_v6)
		return kn_usage_err("missing address", NULL,
				    "expected 'map del IPV4[/LEN]|IPV6[/LEN] dev DEV'");
	if (!add && a.has_v4 && a.has_v6)
		a.has_v6 = false;	/* the IPv4 side names it */
	/* The length goes as the IPv4 one (KEYNET_A_NAT64_MAP_PLEN). */
	if (!add && !a.has_v4)
		a.m.len4 = (uint8_t)(a.m.len6 - 96);
	if (!add && !a.has_v6)
		a.m.len6 = (uint8_t)(96 + a.m.len4);
	if (add && (why = kn_conf_map_check(&a.m))) {
		kn_conf_map_text(&a.m, text, sizeof(text));
		return kn_usage_err("invalid map", text, why);
	}
	if (!dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	return kn_nat64_change(add ? KEYNET_CMD_MAP_NEW : KEYNET_CMD_MAP_DEL, dev,
			       kn_map_put, &a);
}

/*
 * A map file for "map replace": one "[map] IPV4[/LEN] IPV6[/LEN]" per
 * line, # comments.  Checked as conf.c checks [Map] sections, the
 * overlaps with the kernel's own table builder; an error names
 * FILE:LINE.  0 or an exit code; *@maps is the caller's to free.
 */
static int kn_map_read_file(const char *path, struct kn_conf_map **maps, int *n)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *line = NULL, text[INET6_ADDRSTRLEN + 64], other[INET6_ADDRSTRLEN + 64];
	const char *name = strcmp(path, "-") ? path : "(stdin)", *why;
	int lineno = 0, ret = 0, bad, with;
	struct kn_conf_map *arr;
	size_t cap = 0;

	*maps = NULL;
	*n = 0;
	if (!f) {
		kn_err("cannot read '%s': %s", path, strerror(errno));
		return KN_EXIT_FAIL;
	}
	while (!ret && getline(&line, &cap, f) >= 0) {
		struct kn_map_args a = { .m = { .len4 = 32, .len6 = 128 } };
		char *w[4], *save = NULL;
		int k = 0;

		lineno++;
		line[strcspn(line, "#")] = '\0';
		for (char *t = strtok_r(line, " \t\r\n", &save); t && k < 4;
		     t = strtok_r(NULL, " \t\r\n", &save))
			w[k++] = t;
		if (!k)
			continue;
		if (k == 3 && !strcmp(w[0], "map")) {
			w[0] = w[1];
			w[1] = w[2];
			k = 2;
		}
		if (k != 2) {
			kn_err("%s:%d: expected 'IPV4[/LEN] IPV6[/LEN]'", name, lineno);
			ret = KN_EXIT_USAGE;
			break;
		}
		if (kn_map_parse_side(w[0], &a.m, &a.has_v4, &a.has_v6) ||
		    kn_map_parse_side(w[1], &a.m, &a.has_v4, &a.has_v6) || !a.has_v4 || !a.has_v6) {
			kn_err("%s:%d: expected an IPv4 and an IPv6 side", name, lineno);
			ret = KN_EXIT_USAGE;
			break;
		}
		if (*n >= KN_CONF_MAPS_MAX) {
			kn_err("%s:%d: too many maps: at most %d", name, lineno, KN_CONF_MAPS_MAX);
			ret = KN_EXIT_USAGE;
			break;
		}
		arr = realloc(*maps, (size_t)(*n + 1) * sizeof(*arr));
		if (!arr) {
			kn_err("out of memory");
			ret = KN_EXIT_FAIL;
			break;
		}
		*maps = arr;
		a.m.line = lineno;
		arr[(*n)++] = a.m;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (ret)
		return ret;
	ret = kn_conf_maps_check(*maps, *n, &bad, &with, &why);
	if (ret == -2) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	if (!ret)
		return 0;
	kn_conf_map_text(&(*maps)[bad], text, sizeof(text));
	if (with < 0) {
		kn_err("%s:%d: invalid map '%s': %s", name, (*maps)[bad].line, text, why);
	} else {
		kn_conf_map_text(&(*maps)[with], other, sizeof(other));
		kn_err("%s:%d: map '%s' and line %d, '%s': %s", name, (*maps)[bad].line,
		       text, (*maps)[with].line, other, why);
	}
	return KN_EXIT_USAGE;
}

/* map replace dev DEV FILE|-: the whole static set in one MAP_SET request. */
static int kn_map_replace(int argc, char **argv)
{
	const char *dev = NULL, *file = NULL;
	struct kn_conf_map *maps;
	struct nl_msg *msg;
	struct kn_nl *nl;
	int n, ret;

	for (; argc > 0; argc--, argv++) {
		if (kn_matches(argv[0], "dev")) {
			if ((ret = kn_need_arg(argc, argv, "a device name")))
				return ret;
			dev = argv[1];
			argc--;
			argv++;
		} else if (!file) {
			file = argv[0];
		} else {
			return kn_usage_err("unknown argument", argv[0],
					    "expected 'map replace dev DEV FILE|-'");
		}
	}
	if (!dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	if (!file)
		return kn_usage_err("missing file", NULL,
				    "expected a map file, or - for stdin (an empty one removes every map)");
	ret = kn_map_read_file(file, &maps, &n);
	if (ret)
		return ret;
	nl = kn_nl_open();
	if (!nl) {
		free(maps);
		return KN_EXIT_FAIL;
	}
	msg = kn_nl_msg_size(nl, KEYNET_CMD_MAP_SET, 0, KN_ENC_MAPS_SIZE(n));
	if (!msg || kn_nl_put_dev(msg, dev) || kn_enc_maps(msg, maps, n)) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		ret = KN_EXIT_FAIL;
	} else {
		ret = kn_nl_do(nl, msg);
	}
	kn_nl_close(nl);
	free(maps);
	return ret;
}

int kn_cmd_map(int argc, char **argv)
{
	const char *cmd = argc ? argv[0] : "show";

	argc = argc ? argc - 1 : 0;
	argv++;
	if (kn_matches(cmd, "show") || kn_matches(cmd, "list"))
		return kn_show_dev_cmd(argc, argv, kn_map_show_fn);
	if (kn_matches(cmd, "add"))
		return kn_map_change(argc, argv, true);
	if (kn_matches(cmd, "delete"))
		return kn_map_change(argc, argv, false);
	if (kn_matches(cmd, "replace"))
		return kn_map_replace(argc, argv);
	if (kn_matches(cmd, "help")) {
		kn_map_help(stdout);
		return 0;
	}
	kn_map_help(stderr);
	return kn_usage_err("unknown command", cmd,
			    "expected 'add', 'del', 'replace', 'show' or 'help'");
}
