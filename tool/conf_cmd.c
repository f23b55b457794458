// SPDX-License-Identifier: GPL-2.0
/*
 * keynet conf { apply FILE [dev DEV] | check FILE | dump dev DEV | help }
 *
 * check parses and validates a file (conf.c), apply converges a device
 * to it (conf_apply.c), dump reads the running state into the model
 * (conf_read.c) and prints it as a file (conf.c's printer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
static void kn_conf_help(FILE *f)
{
	fputs("Usage: keynet conf apply FILE [dev DEV] [quiet]\n"
	      "       keynet conf check FILE\n"
	      "       keynet conf dump dev DEV\n"
	      "FILE is a keynet.conf(5) file (- for stdin): [Link], [Peer], [Route],\n"
	      "[NAT64], [Pool] and [Map] sections.  'apply' creates the device if it is\n"
	      "missing, brings it up and converges it to FILE: what is missing is added,\n"
	      "what differs is changed, what FILE does not have is removed; peers that\n"
	      "did not change keep their sessions.  The whole file is checked first.\n"
	      "'check' only parses and validates (no module needed).  'dump' prints the\n"
	      "running configuration, secrets included, in the same format.\n",
	      f);
}

static int kn_conf_check(int argc, char **argv)
{
	struct kn_conf c;
	int ret;

	if (argc != 1)
		return kn_usage_err(argc ? "unknown argument" : "missing file",
				    argc ? argv[1] : NULL, "expected 'conf check FILE'");
	ret = kn_conf_parse_file(argv[0], &c);
	kn_conf_free(&c);
	return ret;
}

static int kn_conf_apply_cmd(int argc, char **argv)
{
	const char *path = NULL, *dev = NULL;
	bool quiet = false;
	struct kn_conf c;
	int ret;

	while (argc > 0) {
		if (kn_matches(argv[0], "dev")) {
			if (argc < 2)
				return kn_usage_err("missing argument after", argv[0], "a device name");
			dev = argv[1];
			argc--;
			argv++;
		} else if (kn_matches(argv[0], "quiet")) {
			quiet = true;
		} else if (!path) {
			path = argv[0];
		} else {
			return kn_usage_err("unknown argument", argv[0],
					    "expected 'conf apply FILE [dev DEV] [quiet]'");
		}
		argc--;
		argv++;
	}
	if (!path)
		return kn_usage_err("missing file", NULL, "expected 'conf apply FILE [dev DEV]'");
	if (dev && (!dev[0] || strlen(dev) >= IFNAMSIZ || strchr(dev, '/')))
		return kn_usage_err("invalid device name", dev, "expected 1-15 characters, no '/'");
	ret = kn_conf_parse_file(path, &c);
	if (!ret && !dev && !c.name[0])
		ret = kn_usage_err("no device", path,
				   "the file has no [Link] Name=: give 'dev DEV'");
	if (!ret)
		ret = kn_conf_resolve(&c);
	if (!ret)
		ret = kn_conf_apply(&c, dev ? dev : c.name, quiet);
	kn_conf_free(&c);
	return ret;
}

static int kn_conf_dump(int argc, char **argv)
{
	const char *dev = NULL;
	struct kn_rt_link link;
	struct kn_conf c;
	int ret;

	while (argc > 0) {
		if (!kn_matches(argv[0], "dev"))
			return kn_usage_err("unknown argument", argv[0], "expected 'dev DEV'");
		if (argc < 2)
			return kn_usage_err("missing argument after", argv[0], "a device name");
		dev = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (!dev)
		return kn_usage_err("missing device", NULL, "expected 'conf dump dev DEV'");
	ret = kn_conf_state_read(dev, &c, &link);
	if (ret) {
		kn_conf_free(&c);
		return ret;
	}
	if (c.has_priv || c.n_peers)
		kn_warn_secrets_to_stdout();
	printf("# keynet conf dump of %s (keynet %s): secrets included, keep it mode 0600\n", dev,
	       KN_VERSION);
	kn_conf_print(stdout, &c);
	kn_conf_free(&c);
	if (fflush(stdout)) {
		kn_err("cannot write the configuration: %s", strerror(errno));
		return KN_EXIT_FAIL;
	}
	return 0;
}

int kn_cmd_conf(int argc, char **argv)
{
	if (argc == 0 || kn_matches(argv[0], "help")) {
		kn_conf_help(argc ? stdout : stderr);
		return argc ? 0 : kn_usage_err("missing command", NULL,
					       "expected 'apply', 'check', 'dump' or 'help'");
	}
	if (kn_matches(argv[0], "apply"))
		return kn_conf_apply_cmd(argc - 1, argv + 1);
	if (kn_matches(argv[0], "check"))
		return kn_conf_check(argc - 1, argv + 1);
	if (kn_matches(argv[0], "dump") || kn_matches(argv[0], "show"))
		return kn_conf_dump(argc - 1, argv + 1);
	kn_conf_help(stderr);
	return kn_usage_err("unknown command", argv[0],
			    "expected 'apply', 'check', 'dump' or 'help'");
}

