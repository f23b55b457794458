// SPDX-License-Identifier: GPL-2.0
/*
 * keynet export wg dev DEV peer KEY [endpoint HOST[:PORT]]: a wg-quick(8)
 * configuration for a stock WireGuard client that is the peer KEY of the
 * keynet device DEV.
 *
 * [Interface] Address is the peer's key-derived address under DEV's
 * addressing (what this node routes to it automatically); the peer's
 * private key is not known here and is left for the user to fill in.
 * [Peer] is this node: its public key, its endpoint, the peer's preshared
 * key if it has one, and AllowedIPs = what the client sends to this node
 * (and accepts from it): this node's derived address, the addressing
 * prefix (every key-derived address is reached through this node), the
 * device's own addresses, its local prefixes, and the prefixes this node
 * routes to its other peers.  A peer with transit on gets a comment
 * saying so: wg-quick has no equivalent (this node's source check).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf.h"

static void kn_export_help(FILE *f)
{
	fputs("Usage: keynet export wg dev DEV peer KEY [endpoint HOST[:PORT]]\n"
	      "Print a wg-quick(8) configuration for the peer KEY of DEV, as a stock\n"
	      "WireGuard client of this node.  Its PrivateKey is left to fill in.\n"
	      "endpoint: how the client reaches this node (default: DEV's listen\n"
	      "address, else a placeholder to edit), with DEV's listen port.\n",
	      f);
}

struct kn_allowed {
	struct kn_prefix p[512];
	int n;
};

static void kn_allowed_add(struct kn_allowed *al, int alen, const uint8_t *addr, int len)
{
	struct kn_prefix p = { .family = alen == 4 ? AF_INET : AF_INET6, .alen = (uint8_t)alen,
			       .len = (uint8_t)len };
	int i, bits = alen * 8;

	memcpy(p.addr, addr, alen);
	for (i = len; i < bits; i++)
		p.addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	for (i = 0; i < al->n; i++)
		if (al->p[i].alen == p.alen && al->p[i].len == p.len &&
		    !memcmp(al->p[i].addr, p.addr, alen))
			return;
	if (al->n < (int)KN_ARRAY_SIZE(al->p))
		al->p[al->n++] = p;
}

static int kn_export_wg(const char *dev, const uint8_t key[KEYNET_KEY_LEN], const char *ep_arg)
{
	struct kn_allowed al = { .n = 0 };
	struct kn_rt_link link;
	struct kn_conf c;
	char text[INET6_ADDRSTRLEN + 8], b64[45], host[300];
	uint8_t paddr[16], naddr[16];
	const struct kn_conf_peer *p;
	int i, pi, ret;
	FILE *o = stdout;

	ret = kn_conf_state_read(dev, &c, &link);
	if (ret)
		goto out;
	pi = kn_conf_find_peer(&c, key);
	if (pi < 0) {
		kn_key_to_base64(key, b64);
		kn_err("no peer '%s' on %s", b64, dev);
		ret = KN_EXIT_FAIL;
		goto out;
	}
	p = &c.peers[pi];
	if (!c.has_pub) {
		kn_err("%s has no private key: a client cannot know its public key", dev);
		ret = KN_EXIT_FAIL;
		goto out;
	}
	if (kn_key_address(p->key, c.aprefix, c.aplen, paddr) ||
	    (!c.has_address && kn_key_address(c.pub, c.aprefix, c.aplen, naddr))) {
		ret = KN_EXIT_FAIL;
		goto out;
	}
	if (c.has_address)
		memcpy(naddr, c.address, 16);

	/* Where the client sends to: the node, its networks, what it routes. */
	kn_allowed_add(&al, 16, naddr, 128);
	kn_allowed_add(&al, 16, c.aprefix, c.aplen);
	for (i = 0; i < c.n_addrs; i++) {
		int alen = c.addrs[i].family == AF_INET ? 4 : 16;

		kn_allowed_add(&al, alen, c.addrs[i].addr, alen * 8);
	}
	for (i = 0; i < c.n_local; i++)
		kn_allowed_add(&al, c.local[i].alen, c.local[i].addr, c.local[i].len);
	for (i = 0; i < c.n_routes; i++)
		if (c.routes[i].peer != pi && !c.routes[i].is_auto)
			kn_allowed_add(&al, c.routes[i].p.alen, c.routes[i].p.addr,
				       c.routes[i].p.len);

	/* The node's endpoint: given, its listen address, or a placeholder. */
	if (ep_arg) {
		const char *colon = strchr(ep_arg, ':');

		if (ep_arg[0] == '[' || (colon && strchr(colon + 1, ':') == NULL))
			snprintf(host, sizeof(host), "%s", ep_arg);	/* [V6]:PORT, HOST:PORT */
		else if (colon)
			snprintf(host, sizeof(host), "[%s]:%u", ep_arg, c.port);	/* V6 */
		else
			snprintf(host, sizeof(host), "%s:%u", ep_arg, c.port);
	} else if (c.laddr_len) {
		inet_ntop(c.laddr_len == 4 ? AF_INET : AF_INET6, c.laddr, text, sizeof(text));
		snprintf(host, sizeof(host), c.laddr_len == 4 ? "%s:%u" : "[%s]:%u", text, c.port);
	} else {
		snprintf(host, sizeof(host), "<this-host>:%u", c.port);
	}

	kn_key_to_base64(p->key, b64);
	fprintf(o, "# wg-quick(8) configuration for the peer %s%s%s%s\n", b64,
		p->name[0] ? " (" : "", p->name, p->name[0] ? ")" : "");
	fprintf(o, "# of the keynet device %s, made by keynet %s (keynet export wg)\n\n", dev,
		KN_VERSION);
	fputs("[Interface]\n", o);
	fputs("# The peer's own private key: keynet does not know it.  Put it here:\n", o);
	fputs("# PrivateKey = <base64 private key of this peer>\n", o);
	inet_ntop(AF_INET6, paddr, text, sizeof(text));
	{
		char pfx[INET6_ADDRSTRLEN + 8];

		kn_format_prefix(c.aprefix, 16, c.aplen, pfx, sizeof(pfx));
		fprintf(o, "# the peer's key-derived address under %s's addressing %s:\n", dev, pfx);
	}
	fprintf(o, "Address = %s/128\n", text);
	for (i = 0; i < c.n_routes; i++) {
		if (c.routes[i].peer != pi || c.routes[i].is_auto)
			continue;
		kn_format_prefix(c.routes[i].p.addr, c.routes[i].p.alen, c.routes[i].p.len, text,
				 sizeof(text));
		fprintf(o, "# %s routes %s to this peer (its network)\n", dev, text);
	}
	/*
	 * Transit is how this node checks the peer's sources; nothing in a
	 * wg-quick file stands for it, so say so rather than drop it.
	 */
	if (p->transit)
		fprintf(o, "# %s has transit on for this peer: it accepts packets this peer\n"
			"# relays from any source inside the routes above, even where %s\n"
			"# routes a longer prefix to another peer.  Relaying needs IP forwarding\n"
			"# here; WireGuard itself has no such setting.\n", dev, dev);
	fputs("\n[Peer]\n", o);
	inet_ntop(AF_INET6, naddr, text, sizeof(text));
	fprintf(o, "# the keynet node %s, address %s\n", dev, text);
	kn_key_to_base64(c.pub, b64);
	fprintf(o, "PublicKey = %s\n", b64);
	if (p->has_psk) {
		kn_key_to_base64(p->psk, b64);
		fprintf(o, "PresharedKey = %s\n", b64);
		explicit_bzero(b64, sizeof(b64));
	}
	if (!strncmp(host, "<this-host>", 11))
		fputs("# Replace <this-host> with this node's public address or name:\n", o);
	fprintf(o, "Endpoint = %s\n", host);
	fputs("AllowedIPs = ", o);
	for (i = 0; i < al.n; i++) {
		kn_format_prefix(al.p[i].addr, al.p[i].alen, al.p[i].len, text, sizeof(text));
		fprintf(o, "%s%s", i ? ", " : "", text);
	}
	fputc('\n', o);
	if (p->keepalive)
		fprintf(o, "PersistentKeepalive = %u\n", p->keepalive);
	if (fflush(o)) {
		kn_err("cannot write the configuration: %s", strerror(errno));
		ret = KN_EXIT_FAIL;
	}
out:
	kn_conf_free(&c);
	return ret;
}

int kn_cmd_export(int argc, char **argv)
{
	const char *dev = NULL, *ep = NULL;
	uint8_t key[KEYNET_KEY_LEN];
	bool has_key = false;
	int ret;

	if (argc == 0 || kn_matches(argv[0], "help")) {
		kn_export_help(argc ? stdout : stderr);
		return argc ? 0 : kn_usage_err("missing format", NULL, "expected 'wg'");
	}
	if (strcmp(argv[0], "wg")) {
		kn_export_help(stderr);
		return kn_usage_err("unknown format", argv[0], "expected 'wg'");
	}
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		if (argc < 2)
			return kn_usage_err("missing argument after", argv[0], "a value");
		if (kn_matches(argv[0], "dev")) {
			dev = argv[1];
		} else if (kn_matches(argv[0], "peer")) {
			ret = kn_parse_pubkey(argv[1], key);
			if (ret)
				return ret;
			has_key = true;
		} else if (kn_matches(argv[0], "endpoint")) {
			ep = argv[1];
			if (!ep[0] || strpbrk(ep, " \t\n"))
				return kn_usage_err("invalid endpoint", ep, "expected HOST[:PORT]");
		} else {
			return kn_usage_err("unknown argument", argv[0], "expected dev, peer or endpoint");
		}
	}
	if (!dev)
		return kn_usage_err("missing device", NULL, "expected 'dev DEV'");
	if (!has_key)
		return kn_usage_err("missing peer", NULL, "expected 'peer KEY'");
	return kn_export_wg(dev, key, ep);
}
