// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of keynet.conf(5)'s [Peer] and [Route] sections: one row each
 * (its parse into struct kn_conf and its print for "conf dump"), in the
 * order of the printed file.  [Route] keys print with their peer.
 */
#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "conf_keys.h"

/*
 * Endpoint: HOST:PORT or [IPV6%SCOPE]:PORT.  Numeric addresses are parsed
 * now; names only at apply (kn_conf_resolve), so "conf check" needs no DNS.
 */
static int kn_conf_endpoint(struct kn_conf_parser *ps, struct kn_conf_peer *p, const char *v)
{
	static const char expect[] = "expected HOST:PORT or [IPV6]:PORT with a port 1-65535";
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICHOST };
	struct addrinfo *res;
	char host[256];
	const char *colon, *h = v;
	size_t hlen;
	uint32_t port;

	if (v[0] == '[') {
		const char *close = strchr(v, ']');

		if (!close || close[1] != ':')
			return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
		h = v + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
		hints.ai_family = AF_INET6;
	} else {
		colon = strrchr(v, ':');
		if (!colon || strchr(v, ':') != colon)
			return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
		hlen = (size_t)(colon - v);
	}
	if (!hlen || hlen >= sizeof(host) || kn_parse_uint(colon + 1, 65535, &port) || !port)
		return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	free(p->ep_text);
	p->ep_text = strdup(v);
	if (!p->ep_text) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	p->has_ep = true;
	p->ep_line = ps->line;
	p->ep_resolved = false;
	if (getaddrinfo(host, NULL, &hints, &res)) {
		/* Not numeric: a bracketed form must be, a name waits for apply. */
		if (hints.ai_family == AF_INET6)
			return kn_conf_err(ps, ps->line, "invalid endpoint", v, expect);
		for (const char *c = host; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '-' && *c != '.' && *c != '_')
				return kn_conf_err(ps, ps->line, "invalid endpoint", v,
						   "expected a host name or address, then :PORT");
		return 0;
	}
	kn_conf_peer_set_ep(p, res->ai_addr, res->ai_addrlen, port);
	freeaddrinfo(res);
	return 0;
}

static struct kn_conf_peer *kn_cur_peer(struct kn_conf_parser *ps)
{
	return &ps->c->peers[ps->peer];
}

static int kn_peer_pubkey(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_peer *p = kn_cur_peer(ps);

	if (!kn_conf_pubkey(v, p->key))
		return kn_conf_err(ps, ps->line, "invalid key", v,
				   "expected a 44-character base64 public key (or cjdns' .k form)");
	if (kn_conf_key_low_order(p->key))
		return kn_conf_err(ps, ps->line, "invalid key", v,
				   "a low-order point, which no peer can have");
	return 0;
}

/* The key-derived address as a comment: the kernel's if it gave one. */
static void kn_peer_pubkey_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_peer *p = &pr->c->peers[pr->i];
	char b64[45], text[INET6_ADDRSTRLEN];
	uint8_t a[16];

	if (p->has_address)
		memcpy(a, p->address, 16);
	if (p->has_address || !kn_key_address(p->key, pr->c->aprefix, pr->c->aplen, a)) {
		inet_ntop(AF_INET6, a, text, sizeof(text));
		fprintf(pr->f, "# key-derived address: %s\n", text);
	}
	kn_conf_out(pr, key, "%s", kn_conf_key_text(p->key, b64));
}

static int kn_peer_psk(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_peer *p = kn_cur_peer(ps);

	if (p->has_psk)
		return kn_conf_err(ps, ps->line, "duplicate key", "PresharedKey",
				   "the preshared key was already given");
	if (kn_base64_to_key(v, p->psk))
		return kn_conf_err(ps, ps->line, "invalid preshared key", "PresharedKey",
				   "expected a 44-character base64 key (keynet genpsk)");
	p->has_psk = true;
	ps->c->has_secrets = true;
	return 0;
}

static void kn_peer_psk_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_peer *p = &pr->c->peers[pr->i];

	if (p->has_psk)
		kn_conf_out_secret(pr, key, p->psk);
}

static int kn_peer_pskfile(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_peer *p = kn_cur_peer(ps);
	bool empty;
	int ret;

	if (p->has_psk)
		return kn_conf_err(ps, ps->line, "duplicate key", "PresharedKeyFile",
				   "the preshared key was already given");
	ret = kn_conf_key_file(ps, v, "preshared key", p->psk, &empty);
	if (ret)
		return ret;
	p->has_psk = !empty;
	return 0;
}

static int kn_peer_endpoint(struct kn_conf_parser *ps, char *v)
{
	return kn_conf_endpoint(ps, kn_cur_peer(ps), v);
}

static void kn_peer_endpoint_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf_peer *p = &pr->c->peers[pr->i];
	char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];

	if (p->has_ep && p->ep_resolved) {
		kn_format_endpoint(&p->ep, p->eplen, ep, sizeof(ep));
		kn_conf_out(pr, key, "%s", ep);
	} else if (p->has_ep) {
		/* A host name as written: up to 255 bytes, never cut. */
		kn_conf_out(pr, key, "%s", p->ep_text);
	}
}

static int kn_peer_keepalive(struct kn_conf_parser *ps, char *v)
{
	uint32_t ka = 0;

	if (strcasecmp(v, "off") && kn_parse_uint(v, 65535, &ka))
		return kn_conf_err(ps, ps->line, "invalid keepalive", v,
				   "expected seconds 0-65535 or off");
	kn_cur_peer(ps)->keepalive = (uint16_t)ka;
	return 0;
}

static void kn_peer_keepalive_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_u32(pr, key, pr->c->peers[pr->i].keepalive, 0);
}

static int kn_peer_name(struct kn_conf_parser *ps, char *v)
{
	if (strlen(v) >= KEYNET_PEER_NAME_LEN)
		return kn_conf_err(ps, ps->line, "name too long", v, "expected at most %d bytes",
				   KEYNET_PEER_NAME_LEN - 1);
	snprintf(kn_cur_peer(ps)->name, KEYNET_PEER_NAME_LEN, "%s", v);
	return 0;
}

static void kn_peer_name_print(const struct kn_conf_printer *pr, const char *key)
{
	if (pr->c->peers[pr->i].name[0])
		kn_conf_out(pr, key, "%s", pr->c->peers[pr->i].name);
}

static int kn_peer_autoroute(struct kn_conf_parser *ps, char *v)
{
	bool on;
	const char *e = kn_conf_bool(v, &on);

	if (e)
		return kn_conf_err(ps, ps->line, "invalid value", v, "%s", e);
	kn_cur_peer(ps)->no_auto_route = !on;
	return 0;
}

static void kn_peer_autoroute_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, !pr->c->peers[pr->i].no_auto_route, true, "yes", "no");
}

static int kn_peer_transit(struct kn_conf_parser *ps, char *v)
{
	const char *e = kn_conf_bool(v, &kn_cur_peer(ps)->transit);

	return e ? kn_conf_err(ps, ps->line, "invalid value", v, "%s", e) : 0;
}

static void kn_peer_transit_print(const struct kn_conf_printer *pr, const char *key)
{
	kn_conf_out_bool(pr, key, pr->c->peers[pr->i].transit, false, "on", "off");
}

/* Route = PREFIX [metric N] */
static int kn_peer_route(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf *c = ps->c;
	struct kn_prefix p;
	uint32_t metric = 0;
	const char *e;
	char *w[3];
	int n;

	n = kn_conf_words(v, w, 3);
	if (n != 1 && !(n == 3 && !strcasecmp(w[1], "metric")))
		return kn_conf_err(ps, ps->line, "invalid route", n > 0 ? w[n > 1 ? 1 : 0] : v,
				   "expected PREFIX [metric N]");
	e = kn_conf_parse_prefix(w[0], &p, false);
	if (e)
		return kn_conf_err(ps, ps->line, "invalid prefix", w[0], "%s", e);
	if (n == 3 && kn_parse_uint(w[2], UINT32_MAX, &metric))
		return kn_conf_err(ps, ps->line, "invalid metric", w[2],
				   "expected a number 0-4294967295");
	/* Duplicates are found for the whole file by kn_conf_first_dup(). */
	if (kn_conf_add_route(c, ps->peer, &p, metric))
		return KN_EXIT_FAIL;
	c->routes[c->n_routes - 1].line = ps->line;
	return 0;
}

/* The peer's routes but those the kernel added itself (auto). */
static void kn_peer_route_print(const struct kn_conf_printer *pr, const char *key)
{
	const struct kn_conf *c = pr->c;
	char text[INET6_ADDRSTRLEN + 8];
	int k, end = pr->first ? pr->first[pr->i + 1] : c->n_routes;

	for (k = pr->first ? pr->first[pr->i] : 0; k < end; k++) {
		const struct kn_conf_route *r = &c->routes[pr->first ? pr->ord[k] : k];

		if (r->peer != pr->i || r->is_auto)
			continue;
		kn_format_prefix(r->p.addr, r->p.alen, r->p.len, text, sizeof(text));
		if (r->metric)
			kn_conf_out(pr, key, "%s metric %u", text, r->metric);
		else
			kn_conf_out(pr, key, "%s", text);
	}
}

/* PublicKey first: kn_conf_end_section() checks seen[0]. */
static const struct kn_conf_key kn_peer_keys[] = {
	{ "PublicKey", kn_peer_pubkey, kn_peer_pubkey_print, false },
	{ "PresharedKey", kn_peer_psk, kn_peer_psk_print, false },
	{ "PresharedKeyFile", kn_peer_pskfile, NULL, false },
	{ "Endpoint", kn_peer_endpoint, kn_peer_endpoint_print, false },
	{ "PersistentKeepalive", kn_peer_keepalive, kn_peer_keepalive_print, false },
	{ "Name", kn_peer_name, kn_peer_name_print, false },
	{ "AutoRoute", kn_peer_autoroute, kn_peer_autoroute_print, false },
	{ "Transit", kn_peer_transit, kn_peer_transit_print, false },
	{ "Route", kn_peer_route, kn_peer_route_print, true },
};

static int kn_route_prefix(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_pending_route *r = kn_cur_proute(ps);
	const char *e = kn_conf_parse_prefix(v, &r->p, false);

	if (e)
		return kn_conf_err(ps, ps->line, "invalid prefix", v, "%s", e);
	r->has_prefix = true;
	r->prefix_line = ps->line;
	return 0;
}

static int kn_route_peer(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_pending_route *r = kn_cur_proute(ps);

	r->peer_ref = strdup(v);
	if (!r->peer_ref) {
		kn_err("out of memory");
		return KN_EXIT_FAIL;
	}
	r->peer_line = ps->line;
	return 0;
}

static int kn_route_metric(struct kn_conf_parser *ps, char *v)
{
	struct kn_conf_pending_route *r = kn_cur_proute(ps);

	if (kn_parse_uint(v, UINT32_MAX, &r->metric))
		return kn_conf_err(ps, ps->line, "invalid metric", v, "expected a number 0-4294967295");
	r->has_metric = true;
	return 0;
}

/* Printed as their peer's Route= lines: a [Route] is never printed. */
static const struct kn_conf_key kn_route_keys[] = {
	{ "Prefix", kn_route_prefix, NULL, false },
	{ "Peer", kn_route_peer, NULL, false },
	{ "Metric", kn_route_metric, NULL, false },
};

static int kn_conf_n_peers(const struct kn_conf *c)
{
	return c->n_peers;
}

const struct kn_conf_sect_keys kn_peer_sect = {
	kn_peer_keys, KN_ARRAY_SIZE(kn_peer_keys), kn_conf_n_peers
};

static int kn_conf_none(const struct kn_conf *c)
{
	return 0;
}

const struct kn_conf_sect_keys kn_route_sect = {
	kn_route_keys, KN_ARRAY_SIZE(kn_route_keys), kn_conf_none
};
