// SPDX-License-Identifier: GPL-2.0
/*
 * Key-derived addresses in the tool: "keynet addr", cjdns' key formats,
 * "genkey --cjdns", and giving a device its own derived address over
 * rtnetlink when "link set" changes its key or addressing prefix.
 *
 * The address rule itself is kmod/addr_derive.c, the same code the kernel
 * runs; only SHA-512 and X25519 are OpenSSL's here.
 *
 * The device's address is added as ADDR/LEN (LEN of the addressing
 * prefix), nodad, without IFA_F_NOPREFIXROUTE: the kernel then owns the
 * route PREFIX/LEN dev DEV as the address's prefix route.  That route,
 * unlike one added with RTM_NEWROUTE, can be set up while the device is
 * still down (the kernel adds it when the device comes up), and it goes
 * away with the address, so removing or replacing the key leaves no
 * stale route behind.
 *
 * In mesh mode the device also has its key-derived link-local address,
 * fe80::/64 and bits 64..127 of H (kn_addr_linklocal()), as
 * fe80::IID/64 nodad: the kernel's prefix route fe80::/64 dev DEV comes
 * with it, and the keynet device is NOARP, so there is nothing for DAD
 * to probe.  Only the tool adds and removes it ("link set", "conf
 * apply"); with mesh off it never touches a link-local address.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/random.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <openssl/evp.h>

#include "keynet.h"
#include "conf.h"
/*
 * addr_derive.h needs only u8 from kmod/pure.h, whose userspace byte-order
 * types clash with <linux/types.h> (pulled in by the UAPI header): give
 * it u8 and keep pure.h out.  kmod/addr_derive.c itself is built with pure.h.
 */
typedef uint8_t u8;
#define _KN_PURE_H
#include "../kmod/addr_derive.h"

/* The tool's key length and the pure code's must agree. */
_Static_assert(KEYNET_KEY_LEN == KN_ADDR_KEY_LEN, "key length");

/* X25519 public key of @priv (OpenSSL clamps the scalar itself). */
int kn_x25519_pub(const uint8_t priv[KEYNET_KEY_LEN], uint8_t pub[KEYNET_KEY_LEN])
{
	EVP_PKEY *pkey;
	size_t publen = KEYNET_KEY_LEN;
	int ok;

	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, KEYNET_KEY_LEN);
	ok = pkey && EVP_PKEY_get_raw_public_key(pkey, pub, &publen) == 1 &&
	     publen == KEYNET_KEY_LEN;
	/* EVP_PKEY_free() cleanses the private key it holds. */
	EVP_PKEY_free(pkey);
	return ok ? 0 : -1;
}

/* H = SHA-512(SHA-512(@pub)). */
static int kn_key_hash(const uint8_t pub[KEYNET_KEY_LEN], uint8_t h[KN_ADDR_HASH_LEN])
{
	uint8_t h1[KN_ADDR_HASH_LEN];
	unsigned int n1 = 0, n2 = 0;

	if (EVP_Digest(pub, KEYNET_KEY_LEN, h1, &n1, EVP_sha512(), NULL) != 1 ||
	    EVP_Digest(h1, sizeof(h1), h, &n2, EVP_sha512(), NULL) != 1 ||
	    n1 != KN_ADDR_HASH_LEN || n2 != KN_ADDR_HASH_LEN) {
		kn_err("cannot hash the key (OpenSSL SHA-512 failed)");
		return -1;
	}
	return 0;
}

/* The address of @pub under @prefix/@plen; -1 after printing an error. */
int kn_key_address(const uint8_t pub[KEYNET_KEY_LEN], const uint8_t prefix[16],
		   unsigned int plen, uint8_t out[16])
{
	uint8_t h[KN_ADDR_HASH_LEN];

	if (kn_key_hash(pub, h))
		return -1;
	kn_addr_from_hash(h, prefix, plen, out);
	return 0;
}

/* The link-local address of the key-derived address @addr (any prefix). */
void kn_linklocal(const uint8_t addr[16], uint8_t out[16])
{
	kn_addr_linklocal(addr, out);
}

/*
 * The link-local address of @pub: its identifier does not depend on the
 * addressing prefix, so the default one does.  -1 after printing an error.
 */
int kn_key_linklocal(const uint8_t pub[KEYNET_KEY_LEN], uint8_t out[16])
{
	uint8_t prefix[16], addr[16];

	kn_addr_default_prefix(prefix);
	if (kn_key_address(pub, prefix, KN_ADDR_DEFAULT_PLEN, addr))
		return -1;
	kn_addr_linklocal(addr, out);
	return 0;
}

void kn_default_addressing(uint8_t prefix[16], uint8_t *plen)
{
	kn_addr_default_prefix(prefix);
	*plen = KN_ADDR_DEFAULT_PLEN;
}

/* "PREFIX/LEN" of an addressing rule: IPv6, LEN 8-64, no host bits. */
int kn_parse_addressing(const char *arg, uint8_t prefix[16], uint8_t *plen)
{
	static const char expect[] =
		"expected an IPv6 PREFIX/LEN with LEN 8-64 and no bits set beyond LEN";
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(arg, '/');
	uint32_t len;

	if (!slash || (size_t)(slash - arg) >= INET6_ADDRSTRLEN)
		return kn_usage_err("invalid addressing prefix", arg, expect);
	memcpy(buf, arg, slash - arg);
	buf[slash - arg] = '\0';
	if (inet_pton(AF_INET6, buf, prefix) != 1 ||
	    kn_parse_uint(slash + 1, 128, &len) ||
	    !kn_addr_prefix_valid(prefix, len))
		return kn_usage_err("invalid addressing prefix", arg, expect);
	*plen = (uint8_t)len;
	return 0;
}

/* A cjdns public key: 52 base32 digits and ".k". */
bool kn_is_cjdns_key(const char *arg)
{
	size_t n = strlen(arg);

	return n == KN_ADDR_B32_STRLEN && !strcmp(arg + KN_ADDR_B32_DIGITS, ".k");
}

int kn_cjdns_to_key(const char *arg, uint8_t key[KEYNET_KEY_LEN])
{
	if (!kn_is_cjdns_key(arg))
		return -1;
	return kn_addr_b32_to_key(arg, strlen(arg), key) ? -1 : 0;
}

void kn_key_to_cjdns(const uint8_t key[KEYNET_KEY_LEN], char out[KN_CJDNS_KEY_STRLEN + 1])
{
	kn_addr_key_to_b32(key, out);
}

int kn_hex_to_key(const char *arg, size_t len, uint8_t key[KEYNET_KEY_LEN])
{
	return kn_addr_hex_to_key(arg, len, key) ? -1 : 0;
}

/*
 * genkey --cjdns: a private key whose public key's H starts with 0xfc,
 * so that cjdns accepts it and its address is the same in both.  One in
 * 256 keys qualifies; 2^20 tries fail with probability about e^-4096.
 */
int kn_genkey_cjdns(uint8_t key[KEYNET_KEY_LEN])
{
	uint8_t pub[KEYNET_KEY_LEN], h[KN_ADDR_HASH_LEN];
	unsigned long tries;

	for (tries = 0; tries < (1UL << 20); tries++) {
		size_t got = 0;

		while (got < KEYNET_KEY_LEN) {
			ssize_t n = getrandom(key + got, KEYNET_KEY_LEN - got, 0);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				kn_err("cannot get random bytes: %s", strerror(errno));
				goto fail;
			}
			got += (size_t)n;
		}
		key[0] &= 248;
		key[31] &= 127;
		key[31] |= 64;
		if (kn_x25519_pub(key, pub)) {
			kn_err("cannot compute the public key (OpenSSL X25519 failed)");
			goto fail;
		}
		if (kn_key_hash(pub, h))
			goto fail;
		if (h[0] == KN_ADDR_DEFAULT_BYTE0)
			return 0;
	}
	kn_err("found no cjdns-compatible key (this should not happen)");
fail:
	explicit_bzero(key, KEYNET_KEY_LEN);
	return KN_EXIT_FAIL;
}

/* An address as RFC 5952 text, or cjdns' style with all 8 groups full. */
static void kn_format_addr(const uint8_t a[16], bool full, char *buf, size_t size)
{
	if (full)
		snprintf(buf, size, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x",
			 a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
			 a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
	else if (!inet_ntop(AF_INET6, a, buf, size))
		snprintf(buf, size, "?");
}

static int kn_addr_help(FILE *f)
{
	fputs("Usage: keynet addr [addressing PREFIX/LEN] [subnet] [full] [KEY]\n"
	      "Print the key-derived IPv6 address of the public KEY (base64, or\n"
	      "cjdns' 52-digit base32 form ending in .k; read from stdin when absent):\n"
	      "the first LEN bits of PREFIX (default fc00::/8, as cjdns), then bits\n"
	      "LEN..127 of SHA-512(SHA-512(KEY)).  'subnet' prints the key's /64,\n"
	      "'full' writes every group with four digits as cjdns does.\n"
	      "Options may also be spelled --addressing, --subnet, --full.\n",
	      f);
	return 0;
}

/* keynet addr: pure computation, no module needed. */
int kn_cmd_addr(int argc, char **argv)
{
	uint8_t prefix[16], plen, key[KEYNET_KEY_LEN], addr[16];
	char line[128], text[48], sub[64], b64[45];
	const char *arg = NULL;
	bool subnet = false, full = false;
	int ret;

	kn_default_addressing(prefix, &plen);
	while (argc > 0) {
		const char *kw = argv[0];

		if (kw[0] == '-' && kw[1] == '-' && kw[2])
			kw += 2;
		if (kn_matches(kw, "help")) {
			kn_addr_help(stdout);
			return 0;
		} else if (kn_matches(kw, "addressing")) {
			if (argc < 2)
				return kn_usage_err("missing argument after", argv[0],
						    "PREFIX/LEN");
			ret = kn_parse_addressing(argv[1], prefix, &plen);
			if (ret)
				return ret;
			argc--;
			argv++;
		} else if (kn_matches(kw, "subnet")) {
			subnet = true;
		} else if (kn_matches(kw, "full")) {
			full = true;
		} else if (!arg) {
			arg = argv[0];
		} else {
			kn_addr_help(stderr);
			return kn_usage_err("unknown argument", argv[0],
					    "expected one KEY, addressing, subnet or full");
		}
		argc--;
		argv++;
	}
	if (!arg) {
		size_t n;

		if (!fgets(line, sizeof(line), stdin))
			return kn_usage_err("no key", NULL, "expected a public KEY argument or on stdin");
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		/* Surrounding blanks, as "wg pubkey | keynet addr" may leave. */
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		arg = line + strspn(line, " \t");
	}
	ret = kn_parse_pubkey(arg, key);
	if (ret)
		return ret;
	if (kn_key_address(key, prefix, plen, addr))
		return KN_EXIT_FAIL;
	kn_format_addr(addr, full, text, sizeof(text));
	{
		uint8_t s[16] = { 0 };

		memcpy(s, addr, 8);
		kn_format_addr(s, full, sub, sizeof(sub) - 4);
		strcat(sub, "/64");
	}
	if (kn_opts.json) {
		struct kn_json *j = kn_json_new(stdout, kn_opts.pretty);
		char p[INET6_ADDRSTRLEN + 8];

		if (!j) {
			kn_err("out of memory");
			return KN_EXIT_FAIL;
		}
		kn_key_to_base64(key, b64);
		kn_format_prefix(prefix, 16, plen, p, sizeof(p));
		kn_json_open(j, NULL, '{');
		kn_json_str(j, "public_key", b64);
		kn_json_str(j, "addressing", p);
		kn_json_str(j, "address", text);
		kn_json_str(j, "subnet", sub);
		kn_json_close(j, '}');
		kn_json_free(j);
	} else {
		printf("%s\n", subnet ? sub : text);
	}
	if (fflush(stdout)) {
		kn_err("cannot write the address: %s", strerror(errno));
		return KN_EXIT_FAIL;
	}
	return 0;
}

/* --- the device's state as LINK_GET reports it */

static int kn_link_state_cb(struct nlattr **a, void *arg)
{
	struct kn_link_state *st = arg;
	struct kn_conf c;

	memset(&c, 0, sizeof(c));
	kn_dec_link(a, &c, NULL);
	st->ifindex = c.ifindex;
	if (c.has_pub) {
		memcpy(st->pub, c.pub, KEYNET_KEY_LEN);
		st->has_pub = true;
	}
	if (c.has_address) {
		memcpy(st->address, c.address, 16);
		st->has_address = true;
	}
	if (c.has_addressing) {
		memcpy(st->prefix, c.aprefix, 16);
		st->plen = c.aplen;
		st->has_prefix = true;
	}
	if (c.has_link_flags) {
		st->flags = c.link_flags;
		st->has_flags = true;
	}
	return 0;
}

/*
 * LINK_GET of @dev into @st.  A kernel that predates addressing reports
 * no prefix: then the default fc00::/8 is assumed (and has_prefix stays
 * false).  Returns 0 or a negative errno after printing one line.
 */
int kn_link_state_get(struct kn_nl *nl, const char *dev, struct kn_link_state *st)
{
	struct nl_msg *msg = kn_nl_msg(nl, KEYNET_CMD_LINK_GET, 0);

	memset(st, 0, sizeof(*st));
	kn_default_addressing(st->prefix, &st->plen);
	if (!msg || kn_nl_put_dev(msg, dev)) {
		nlmsg_free(msg);
		kn_err("cannot build the request");
		return -ENOMEM;
	}
	return kn_nl_talk(nl, msg, kn_link_state_cb, st);
}

/* The device's derived address: the kernel's, else computed here. */
static int kn_link_state_addr(const struct kn_link_state *st, uint8_t out[16], bool *has)
{
	*has = false;
	if (st->has_address) {
		memcpy(out, st->address, 16);
		*has = true;
		return 0;
	}
	if (!st->has_pub)
		return 0;
	if (kn_key_address(st->pub, st->prefix, st->plen, out))
		return -1;
	*has = true;
	return 0;
}

/* --- rtnetlink (conf_rt.c): the device's IPv6 addresses */

/* The prefix lengths @addr is on device @ifindex with; -1 on error. */
static int kn_addr_plens(struct kn_nl *rt, uint32_t ifindex, const uint8_t addr[16],
			 uint8_t *plens, int max)
{
	struct kn_conf_addr *arr;
	int n, i, found = 0;

	if (kn_rt_addrs(rt, ifindex, &arr, &n))
		return -1;
	for (i = 0; i < n && found < max; i++)
		if (arr[i].family == AF_INET6 && !memcmp(arr[i].addr, addr, 16))
			plens[found++] = arr[i].plen;
	free(arr);
	return found;
}

static int kn_addr_change(struct kn_nl *rt, bool add, uint32_t ifindex, const uint8_t addr[16],
			  int plen)
{
	struct kn_conf_addr a = { .family = AF_INET6, .plen = (uint8_t)plen };

	memcpy(a.addr, addr, 16);
	return kn_rt_addr(rt, add, ifindex, &a);
}

/* "<kernel's reason>: <errno text>" of the last request on @rt. */
static const char *kn_addr_why(struct kn_nl *rt, int ret, char *buf, size_t size)
{
	const char *msg = kn_nl_why(rt);

	snprintf(buf, size, "%s%s%s", msg, msg[0] ? ": " : "", strerror(ret < 0 ? -ret : EIO));
	return buf;
}

/*
 * After "link set" changed the key or the addressing of @dev: give the
 * device the derived address of @after (ADDR/LEN, nodad; its prefix
 * route is PREFIX/LEN dev DEV) and, with @remove_old, take the derived
 * address of @before away when it differs.  The new address is added
 * before the old one is removed, so the prefix route never blinks when
 * the prefix stays.  Returns 0 or KN_EXIT_FAIL after one line saying
 * that the key (@what) was set but the address was not.
 */
int kn_auto_addr_sync(const char *dev, const char *what, const struct kn_link_state *before,
		      const struct kn_link_state *after, bool remove_old)
{
	uint8_t old[16], new[16], plens[8];
	bool has_old = false, has_new;
	char text[INET6_ADDRSTRLEN], why[300];
	struct kn_nl *rt;
	int ret = 0, i, n;

	if ((remove_old && kn_link_state_addr(before, old, &has_old)) ||
	    kn_link_state_addr(after, new, &has_new))
		return KN_EXIT_FAIL;
	if (has_old && has_new && !memcmp(old, new, 16) && before->plen == after->plen)
		has_old = false;	/* unchanged: only make sure it is there */
	if (!has_old && !has_new)
		return 0;
	rt = kn_nl_open_proto(NETLINK_ROUTE);
	if (!rt) {
		kn_err("%s, but the derived address was not changed", what);
		return KN_EXIT_FAIL;
	}
	if (has_new) {
		bool present = false;

		inet_ntop(AF_INET6, new, text, sizeof(text));
		n = kn_addr_plens(rt, after->ifindex, new, plens, KN_ARRAY_SIZE(plens));
		ret = n < 0 ? -EIO : 0;
		/* On the device with another length: replace it, for the route. */
		for (i = 0; !ret && i < n; i++) {
			if (plens[i] == after->plen)
				present = true;
			else
				ret = kn_addr_change(rt, false, after->ifindex, new, plens[i]);
		}
		if (!ret && !present)
			ret = kn_addr_change(rt, true, after->ifindex, new, after->plen);
		if (ret == -EEXIST)
			ret = 0;
		if (ret) {
			kn_err("%s, but adding its address %s/%u to %s failed: %s", what, text,
			       after->plen, dev, kn_addr_why(rt, ret, why, sizeof(why)));
			goto out;
		}
	}
	if (has_old) {
		inet_ntop(AF_INET6, old, text, sizeof(text));
		n = kn_addr_plens(rt, after->ifindex, old, plens, KN_ARRAY_SIZE(plens));
		ret = n < 0 ? -EIO : 0;
		for (i = 0; !ret && i < n; i++) {
			/* The new address itself, if only the length changed. */
			if (has_new && !memcmp(old, new, 16) && plens[i] == after->plen)
				continue;
			ret = kn_addr_change(rt, false, after->ifindex, old, plens[i]);
			if (ret == -EADDRNOTAVAIL)
				ret = 0;
		}
		if (ret)
			kn_err("%s, but removing the previous address %s from %s failed: %s",
			       what, text, dev, kn_addr_why(rt, ret, why, sizeof(why)));
	}
out:
	kn_nl_close(rt);
	return ret ? KN_EXIT_FAIL : 0;
}

/* --- mesh mode: the device's key-derived link-local address */

/*
 * ip address { add | del } @ll/64 dev @ifindex (nodad).  Returns 0 when
 * done, 1 when there was nothing to do (already there, or already gone),
 * or a negative errno (the kernel's reason in kn_nl_why(@rt)).
 */
int kn_rt_linklocal(struct kn_nl *rt, bool add, uint32_t ifindex, const uint8_t ll[16])
{
	int ret = kn_addr_change(rt, add, ifindex, ll, KN_LL_PLEN);

	if (ret == (add ? -EEXIST : -EADDRNOTAVAIL))
		return 1;
	return ret;
}

/*
 * The namespace's default IPv6 address generation mode, the one a new
 * device starts with (net.ipv6.conf.default.addr_gen_mode), or EUI-64.
 */
static uint8_t kn_default_addr_gen_mode(void)
{
	FILE *f = fopen("/proc/sys/net/ipv6/conf/default/addr_gen_mode", "r");
	int mode = IN6_ADDR_GEN_MODE_EUI64;

	if (f) {
		if (fscanf(f, "%d", &mode) != 1 || mode < 0 || mode > 255)
			mode = IN6_ADDR_GEN_MODE_EUI64;
		fclose(f);
	}
	return (uint8_t)mode;
}

/* Mesh off or no key: the kernel makes its own link-local again at the next up. */
int kn_linklocal_kernel(struct kn_nl *rt, uint32_t ifindex)
{
	return kn_rt_addr_gen_mode(rt, ifindex, kn_default_addr_gen_mode());
}

/*
 * Mesh mode: the key-derived @ll the device's only link-local address.
 * Linux gives a device of this type a random one when it comes up
 * (addrconf's mode for devices without a hardware address); a routing
 * daemon could pick that one as its source, which no peer can tie to our
 * key, so the neighbours would drop our hellos.  The kernel's generation
 * is turned off (addrgenmode none, restored by mesh off) and any other
 * link-local address is removed.  Returns 0 or a negative errno.
 */
int kn_linklocal_only(struct kn_nl *rt, uint32_t ifindex, const uint8_t ll[16])
{
	struct kn_conf_addr *arr;
	int ret, n, i;

	ret = kn_rt_addr_gen_mode(rt, ifindex, IN6_ADDR_GEN_MODE_NONE);
	if (ret < 0)
		return ret;
	ret = kn_rt_addrs_ll(rt, ifindex, &arr, &n);
	if (ret < 0)
		return ret;
	for (i = 0; i < n && ret >= 0; i++) {
		if (!memcmp(arr[i].addr, ll, 16))
			continue;
		ret = kn_rt_addr(rt, false, ifindex, &arr[i]);
		if (ret == -EADDRNOTAVAIL)
			ret = 0;
	}
	free(arr);
	return ret < 0 ? ret : 0;
}

/*
 * After "link set" changed the key, the addressing or a flag of @dev:
 * the link-local address of @new's key on the device (when @new is not
 * NULL), then that of @old's taken away (when @old is not NULL and it
 * differs).  Added before the old one goes, so the route fe80::/64 stays.
 * Returns 0 or KN_EXIT_FAIL after one line saying that @what was done
 * but the address was not changed.
 */
int kn_linklocal_sync(const char *dev, const char *what, uint32_t ifindex,
		      const struct kn_link_state *old, const struct kn_link_state *new)
{
	uint8_t a[16], oll[16], nll[16];
	bool has_old = false, has_new = false;
	char text[INET6_ADDRSTRLEN], why[300];
	struct kn_nl *rt;
	int ret = 0;

	if (old && kn_link_state_addr(old, a, &has_old))
		return KN_EXIT_FAIL;
	if (has_old)
		kn_addr_linklocal(a, oll);
	if (new && kn_link_state_addr(new, a, &has_new))
		return KN_EXIT_FAIL;
	if (has_new)
		kn_addr_linklocal(a, nll);
	if (has_old && has_new && !memcmp(oll, nll, 16))
		has_old = false;	/* the same key: only make sure it is there */
	if (!has_old && !has_new)
		return 0;
	rt = kn_nl_open_proto(NETLINK_ROUTE);
	if (!rt) {
		kn_err("%s, but its link-local address was not changed", what);
		return KN_EXIT_FAIL;
	}
	if (has_new) {
		inet_ntop(AF_INET6, nll, text, sizeof(text));
		ret = kn_rt_linklocal(rt, true, ifindex, nll);
		if (ret < 0) {
			kn_err("%s, but adding its link-local address %s/%d to %s failed: %s", what,
			       text, KN_LL_PLEN, dev, kn_addr_why(rt, ret, why, sizeof(why)));
			goto out;
		}
		ret = kn_linklocal_only(rt, ifindex, nll);
		if (ret < 0) {
			kn_err("%s, but the device's other link-local addresses were not removed: %s",
			       what, kn_addr_why(rt, ret, why, sizeof(why)));
			goto out;
		}
	} else {
		ret = kn_linklocal_kernel(rt, ifindex);
		if (ret < 0) {
			kn_err("%s, but restoring the address generation mode of %s failed: %s",
			       what, dev, kn_addr_why(rt, ret, why, sizeof(why)));
			goto out;
		}
	}
	if (has_old) {
		inet_ntop(AF_INET6, oll, text, sizeof(text));
		ret = kn_rt_linklocal(rt, false, ifindex, oll);
		if (ret < 0)
			kn_err("%s, but removing the previous link-local address %s from %s failed: %s",
			       what, text, dev, kn_addr_why(rt, ret, why, sizeof(why)));
	}
out:
	kn_nl_close(rt);
	return ret < 0 ? KN_EXIT_FAIL : 0;
}
