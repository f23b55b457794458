// SPDX-License-Identifier: GPL-2.0
/*
 * keynet: configure keynet devices over the "keynet" generic netlink
 * family.  Grammar as iproute2: keynet [OPTIONS] OBJECT [COMMAND [ARGS]],
 * with unique prefixes of objects and commands accepted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keynet.h"

struct kn_opts kn_opts;

static void kn_help(FILE *f)
{
	fputs("Usage: keynet [OPTIONS] OBJECT { COMMAND | help }\n"
	      "       keynet { genkey | genpsk | version }\n"
	      "       keynet genkey --cjdns | pubkey [--cjdns] < PRIVATE-KEY-FILE\n"
	      "       keynet addr [addressing PREFIX/LEN] [subnet] [KEY]\n"
	      "       keynet monitor [dev DEV] [-j]\n"
	      "       keynet import { cjdns | tayga } FILE [dev NAME]\n"
	      "       keynet export wg dev DEV peer KEY [endpoint HOST[:PORT]]\n"
	      "where  OBJECT := { link | peer | route | nat64 | map | pool | conf }\n"
	      "       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -n[etns] NAME | -h[elp] | -V[ersion] }\n",
	      f);
}

struct kn_info {
	char version[64];
	uint32_t uapi;
};

static int kn_info_cb(struct nlattr **a, void *arg)
{
	struct kn_info *info = arg;

	if (a[KEYNET_A_VERSION])
		snprintf(info->version, sizeof(info->version), "%s",
			 nla_get_string(a[KEYNET_A_VERSION]));
	if (a[KEYNET_A_UAPI_VERSION])
		info->uapi = nla_get_u32(a[KEYNET_A_UAPI_VERSION]);
	return 0;
}

int kn_cmd_version(int argc, char **argv)
{
	struct kn_info info = { .version = "" };
	struct kn_nl *nl;
	struct nl_msg *msg;
	int ret;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		fputs("Usage: keynet [-j] version\n"
		      "Prints the tool's and the loaded module's versions and UAPI\n"
		      "versions; exits 1 when the module is not loaded or its UAPI\n"
		      "differs from the tool's.\n", stdout);
		return 0;
	}
	if (argc > 0)
		return kn_usage_err("unknown argument", argv[0], "'version' takes none");
	if (!kn_opts.json)
		printf("keynet tool %s (uapi %d)\n", KN_VERSION, KEYNET_UAPI_VERSION);
	nl = kn_nl_open();
	if (!nl)
		return KN_EXIT_FAIL;
	msg = kn_nl_msg(nl, KEYNET_CMD_GET_INFO, 0);
	ret = msg ? kn_nl_talk(nl, msg, kn_info_cb, &info) : -ENOMEM;
	kn_nl_close(nl);
	if (ret)
		return KN_EXIT_FAIL;
	if (kn_opts.json) {
		struct kn_json *j = kn_json_new(stdout, kn_opts.pretty);

		kn_json_open(j, NULL, '{');
		kn_json_str(j, "tool_version", KN_VERSION);
		kn_json_u64(j, "tool_uapi", KEYNET_UAPI_VERSION);
		kn_json_str(j, "module_version", info.version);
		kn_json_u64(j, "module_uapi", info.uapi);
		kn_json_close(j, '}');
		kn_json_free(j);
	} else {
		printf("keynet module %s (uapi %u)\n", info.version, info.uapi);
	}
	if (info.uapi != KEYNET_UAPI_VERSION) {
		kn_err("the module speaks uapi %u but this tool speaks %d: install matching versions",
		       info.uapi, KEYNET_UAPI_VERSION);
		return KN_EXIT_FAIL;
	}
	return 0;
}

/* -n NAME: act in the network namespace NAME, as "ip -n NAME". */
static int kn_enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kn_err("cannot open network namespace '%s': %s", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		kn_err("cannot enter network namespace '%s': %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

struct kn_object {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static int kn_cmd_help(int argc, char **argv)
{
	kn_help(stdout);
	return 0;
}

static const struct kn_object kn_objects[] = {
	{ "link", kn_cmd_link },
	{ "peer", kn_cmd_peer },
	{ "route", kn_cmd_route },
	{ "nat64", kn_cmd_nat64 },
	{ "map", kn_cmd_map },
	{ "pool", kn_cmd_pool },
	{ "conf", kn_cmd_conf },
	{ "import", kn_cmd_import },
	{ "export", kn_cmd_export },
	{ "genkey", kn_cmd_genkey },
	{ "genpsk", kn_cmd_genpsk },
	{ "pubkey", kn_cmd_pubkey },
	{ "addr", kn_cmd_addr },
	{ "version", kn_cmd_version },
	{ "monitor", kn_cmd_monitor },
	{ "help", kn_cmd_help },
};

int main(int argc, char **argv)
{
	const struct kn_object *obj = NULL;
	size_t i;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-' && argv[0][1]) {
		const char *o = argv[0] + 1;

		if (*o == '-')
			o++;
		if (!strcmp(o, "j") || kn_matches(o, "json")) {
			kn_opts.json = true;
		} else if (!strcmp(o, "p") || kn_matches(o, "pretty")) {
			kn_opts.pretty = true;
		} else if (!strcmp(o, "s") || kn_matches(o, "statistics") ||
			   kn_matches(o, "stats")) {
			kn_opts.stats = true;
		} else if (!strcmp(o, "n") || kn_matches(o, "netns")) {
			if (argc < 2)
				return kn_usage_err("missing argument after", argv[0],
						    "a network namespace name");
			kn_opts.netns = argv[1];
			argc--;
			argv++;
		} else if (!strcmp(o, "h") || kn_matches(o, "help")) {
			kn_help(stdout);
			return 0;
		} else if (!strcmp(o, "V") || kn_matches(o, "Version") ||
			   !strcmp(o, "version")) {
			return kn_cmd_version(0, NULL);
		} else {
			kn_help(stderr);
			return kn_usage_err("unknown option", argv[0], "see 'keynet help'");
		}
		argc--;
		argv++;
	}
	if (argc == 0) {
		kn_help(stderr);
		return KN_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(kn_objects) / sizeof(kn_objects[0]); i++) {
		if (kn_matches(argv[0], kn_objects[i].name)) {
			obj = &kn_objects[i];
			break;
		}
	}
	if (!obj)
		return kn_usage_err("unknown object", argv[0], "see 'keynet help'");
	if (kn_opts.netns && kn_enter_netns(kn_opts.netns))
		return KN_EXIT_FAIL;
	return obj->fn(argc - 1, argv + 1);
}
