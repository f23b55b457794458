// SPDX-License-Identifier: GPL-2.0
/*
 * keynet genkey | genpsk | pubkey, and reading secret keys from files.
 *
 * Secrets never come from the command line (the process list shows it to
 * every user): private and preshared keys are read from a file or stdin.
 * Every buffer that held a secret is wiped with explicit_bzero() before
 * it goes out of scope.  The Curve25519 arithmetic is OpenSSL's.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <openssl/evp.h>

#include "keynet.h"

/* Longest key file accepted: a 44-character key (or 64 hex digits), CR LF, slack. */
#define KN_KEYFILE_MAX	128

/* Warn when a key file is accessible to others; reading it still works. */
static void kn_warn_mode(int fd, const char *path)
{
	struct stat st;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (st.st_mode & 077))
		kn_err("warning: key file '%s' is accessible by group or others: chmod 600 it",
		       path);
}

/*
 * Read a base64 key, or 64 hex digits (cjdns' private key format), from
 * @path ("-" for stdin).  An empty file (such as
 * /dev/null) sets *@empty, meaning "remove the key".  Returns 0, or an
 * exit status after printing one line: KN_EXIT_FAIL when the file cannot
 * be read, KN_EXIT_USAGE when it holds no valid key.  @what names the key
 * in messages ("private key", "preshared key").
 */
int kn_read_key_file(const char *path, const char *what,
		     uint8_t key[KEYNET_KEY_LEN], bool *empty)
{
	char buf[KN_KEYFILE_MAX + 1];
	size_t len = 0;
	int fd, ret = 0;

	*empty = false;
	if (!strcmp(path, "-")) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			/* A key pasted where a file belongs: say why it is refused. */
			if (errno == ENOENT && (!kn_base64_to_key(path, key) ||
						!kn_hex_to_key(path, strlen(path), key))) {
				explicit_bzero(key, KEYNET_KEY_LEN);
				kn_err("refusing a %s on the command line (other users can read it): expected a file name, or '-' for stdin",
				       what);
				return KN_EXIT_USAGE;
			}
			kn_err("cannot open %s file '%s': %s", what, path, strerror(errno));
			return KN_EXIT_FAIL;
		}
	}
	if (fd != STDIN_FILENO)
		kn_warn_mode(fd, path);
	while (len < sizeof(buf)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			kn_err("cannot read %s file '%s': %s", what, path, strerror(errno));
			ret = KN_EXIT_FAIL;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == sizeof(buf)) {
		kn_err("invalid %s in '%s': expected a 44-character base64 key or 64 hex digits",
		       what, path);
		ret = KN_EXIT_USAGE;
		goto out;
	}
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
		       buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	if (!len) {
		*empty = true;
		goto out;
	}
	/* base64 as wg, or 64 hex digits as cjdroute.conf's privateKey. */
	if (kn_base64_to_key(buf, key) && kn_hex_to_key(buf, len, key)) {
		explicit_bzero(key, KEYNET_KEY_LEN);
		kn_err("invalid %s in '%s': expected a 44-character base64 key or 64 hex digits",
		       what, path);
		ret = KN_EXIT_USAGE;
	}
out:
	explicit_bzero(buf, sizeof(buf));
	if (fd != STDIN_FILENO)
		close(fd);
	return ret;
}

static int kn_random_key(uint8_t key[KEYNET_KEY_LEN])
{
	size_t got = 0;

	while (got < KEYNET_KEY_LEN) {
		ssize_t n = getrandom(key + got, KEYNET_KEY_LEN - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			kn_err("cannot get random bytes: %s", strerror(errno));
			return KN_EXIT_FAIL;
		}
		got += (size_t)n;
	}
	return 0;
}

static int kn_print_key(uint8_t key[KEYNET_KEY_LEN], bool secret)
{
	struct stat st;
	char b64[45];
	int ret = 0;

	kn_key_to_base64(key, b64);
	explicit_bzero(key, KEYNET_KEY_LEN);
	/* Like wg genkey: warn when the key lands in a world-accessible file. */
	if (secret && !fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode) &&
	    (st.st_mode & 0007))
		kn_err("warning: writing a secret key to a world-accessible file (set umask 077)");
	if (printf("%s\n", b64) < 0 || fflush(stdout)) {
		kn_err("cannot write the key: %s", strerror(errno));
		ret = KN_EXIT_FAIL;
	}
	explicit_bzero(b64, sizeof(b64));
	return ret;
}

/* keynet genkey help, genpsk help, pubkey help. */
static int kn_keys_help(void)
{
	fputs("Usage: keynet genkey [--cjdns] > PRIVATE-KEY-FILE\n"
	      "       keynet genpsk > PRESHARED-KEY-FILE\n"
	      "       keynet pubkey [--cjdns] < PRIVATE-KEY-FILE\n"
	      "genkey prints a new random Curve25519 private key in base64, as\n"
	      "'wg genkey'; with --cjdns, one whose key-derived address starts with\n"
	      "fc, so that cjdns accepts it too.  genpsk prints a random preshared\n"
	      "key.  pubkey reads a private key (base64, or 64 hex digits as cjdns'\n"
	      "privateKey) on stdin and prints its public key, in cjdns' .k form\n"
	      "with --cjdns.  Run 'umask 077' before writing secret keys to files.\n",
	      stdout);
	return 0;
}

static bool kn_keys_is_help(int argc, char **argv)
{
	return argc == 1 && (kn_matches(argv[0], "help") ||
			     !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"));
}

static int kn_gen(int argc, char **argv, const char *cmd, bool clamp)
{
	uint8_t key[KEYNET_KEY_LEN];
	int ret;

	if (kn_keys_is_help(argc, argv))
		return kn_keys_help();
	if (argc > 0)
		return kn_usage_err("unknown argument", argv[0], cmd);
	ret = kn_random_key(key);
	if (ret)
		return ret;
	if (clamp) {
		/* RFC 7748 section 5: the scalar form of a Curve25519 private key. */
		key[0] &= 248;
		key[31] &= 127;
		key[31] |= 64;
	}
	return kn_print_key(key, true);
}

/*
 * keynet genkey: a new random Curve25519 private key, as wg genkey.
 * With --cjdns, one whose address cjdns also accepts (addr.c).
 */
int kn_cmd_genkey(int argc, char **argv)
{
	uint8_t key[KEYNET_KEY_LEN];
	int ret;

	if (argc == 1 && (!strcmp(argv[0], "--cjdns") || !strcmp(argv[0], "cjdns"))) {
		ret = kn_genkey_cjdns(key);
		return ret ? ret : kn_print_key(key, true);
	}
	return kn_gen(argc, argv, "'genkey' takes only --cjdns", true);
}

/* keynet genpsk: a new random preshared key, as wg genpsk. */
int kn_cmd_genpsk(int argc, char **argv)
{
	return kn_gen(argc, argv, "'genpsk' takes none", false);
}

/* keynet pubkey: private key on stdin, its public key on stdout. */
int kn_cmd_pubkey(int argc, char **argv)
{
	uint8_t priv[KEYNET_KEY_LEN], pub[KEYNET_KEY_LEN];
	size_t publen = sizeof(pub);
	EVP_PKEY *pkey;
	bool empty, cjdns = false;
	int ret;

	if (kn_keys_is_help(argc, argv))
		return kn_keys_help();
	if (argc > 0 && (!strcmp(argv[0], "--cjdns") || !strcmp(argv[0], "cjdns"))) {
		cjdns = true;
		argc--;
		argv++;
	}
	if (argc > 0)
		return kn_usage_err("unknown argument", argv[0],
				    "'pubkey [--cjdns]' reads a private key from stdin");
	ret = kn_read_key_file("-", "private key", priv, &empty);
	if (ret)
		return ret;
	if (empty)
		return kn_usage_err("no private key", NULL,
				    "expected a 44-character base64 private key (or 64 hex digits) on stdin");
	/* OpenSSL clamps the scalar itself, so unclamped keys work as in wg. */
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, sizeof(priv));
	explicit_bzero(priv, sizeof(priv));
	if (!pkey || EVP_PKEY_get_raw_public_key(pkey, pub, &publen) != 1 ||
	    publen != sizeof(pub)) {
		EVP_PKEY_free(pkey);
		kn_err("cannot compute the public key (OpenSSL X25519 failed)");
		return KN_EXIT_FAIL;
	}
	/* EVP_PKEY_free() cleanses the private key it holds. */
	EVP_PKEY_free(pkey);
	if (cjdns) {
		char k[KN_CJDNS_KEY_STRLEN + 1];

		kn_key_to_cjdns(pub, k);
		if (printf("%s\n", k) < 0 || fflush(stdout)) {
			kn_err("cannot write the key: %s", strerror(errno));
			return KN_EXIT_FAIL;
		}
		return 0;
	}
	return kn_print_key(pub, false);
}
