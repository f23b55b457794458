// SPDX-License-Identifier: GPL-2.0
/*
 * keynet import tayga: [NAT64], [Pool] and [Map] from a tayga.conf, with a
 * warning for each key keynet has no equivalent of.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "import.h"

/*
 * TAYGA's "map IPV4[/LEN] IPV6[/LEN]": a single address or, equal in
 * size on both sides, a block: one RFC 7757 prefix map (a [Map] with
 * prefixes), as TAYGA translates it (the host bits copied).  Checks
 * that need the whole file (overlaps, the NAT64 prefix) are conf.c's,
 * when the output is checked or applied.
 */
static int kn_tg_map(struct kn_import *im, int line, const char *a4, const char *a6,
		     FILE *maps, int *n_maps)
{
	struct kn_prefix p4, p6;

	if (kn_conf_parse_prefix(a4, &p4, false) || p4.family != AF_INET ||
	    kn_conf_parse_prefix(a6, &p6, false) || p6.family != AF_INET6 ||
	    32 - p4.len != 128 - p6.len) {
		kn_imp_warn(im, line, "map '%s %s' is not an IPv4 and an IPv6 block of the same size: not imported",
			    a4, a6);
		kn_imp_comment(im, "not imported: map %s %s (not an IPv4 and an IPv6 block of the same size)",
			       a4, a6);
		return 0;
	}
	if (*n_maps >= KN_CONF_MAPS_MAX) {
		kn_imp_warn(im, line, "map '%s %s': keynet takes at most %d static maps; not imported",
			    a4, a6, KN_CONF_MAPS_MAX);
		kn_imp_comment(im, "not imported: map %s %s (more than keynet's %d static maps)",
			       a4, a6, KN_CONF_MAPS_MAX);
		return 0;
	}
	fprintf(maps, "\n[Map]\nIPv4 = %s\nIPv6 = %s\n", a4, a6);
	(*n_maps)++;
	return 0;
}

int kn_import_tayga(const char *path, const char *dev)
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
			   (!strcasecmp(w[1], "drop") || !strcasecmp(w[1], "calc") ||
			    !strcasecmp(w[1], "fwd"))) {
			fprintf(natf, "UDPZeroChecksum = %s\n",
				!strcasecmp(w[1], "drop") ? "drop" :
				!strcasecmp(w[1], "fwd") ? "forward" : "compute");
		} else if (!strcasecmp(w[0], "offlink-mtu") && n == 2 &&
			   strspn(w[1], "0123456789") == strlen(w[1]) &&
			   strlen(w[1]) <= 5 && atoi(w[1]) >= 1280 && atoi(w[1]) <= 65535) {
			fprintf(natf, "OfflinkMTU = %s\n", w[1]);
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
