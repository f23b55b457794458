// SPDX-License-Identifier: GPL-2.0
/*
 * keynet import cjdns: a keynet.conf(5) from a cjdroute.conf (JSON with
 * comments, read by json_read.c).  The node key carries over (its derived
 * address must be the file's ipv6), so does the UDP port; connectTo peers
 * become [Peer]s and ipTunnel connections their routes; the rest becomes
 * comments and warnings.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "import.h"
#include "json_read.h"

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

int kn_import_cjdns(const char *path, const char *dev)
{
	struct kn_jval *root = NULL;
	const char *jerr;
	struct kn_import im;
	struct kn_cj cj = { .im = &im };
	uint8_t priv[KEYNET_KEY_LEN], pub[KEYNET_KEY_LEN], addr[16], want[16], dp[16], dl;
	char text[INET6_ADDRSTRLEN], b64[45];
	const char *hex, *ipv6, *pk, *tundev = NULL;
	const struct kn_jval *v;
	size_t len;
	char *buf;
	int i, j, ret, jline;

	buf = kn_imp_read_all(path, &len);
	if (!buf)
		return KN_EXIT_FAIL;
	root = kn_jparse(buf, len, &jerr, &jline);
	explicit_bzero(buf, len);
	free(buf);
	if (!root || root->type != KN_J_OBJ) {
		fprintf(stderr, "keynet: %s:%d: invalid cjdroute.conf: %s\n", path,
			jerr ? jline : 1, jerr ? jerr : "expected a JSON object");
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
