// SPDX-License-Identifier: GPL-2.0
/* keynet link { show [dev DEV] | help } */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "keynet.h"

static int kn_link_help(FILE *f)
{
	fputs("Usage: keynet link show [dev DEV]\n", f);
	return 0;
}

struct kn_link_show {
	struct kn_json *json;
	FILE *out;	/* the whole answer, printed once the dump completed */
	int count;
};

static int kn_link_print(struct nlattr **a, void *arg)
{
	struct kn_link_show *s = arg;
	const char *name = a[KEYNET_A_IFNAME] ? nla_get_string(a[KEYNET_A_IFNAME]) : "?";
	uint32_t ifindex = a[KEYNET_A_IFINDEX] ? nla_get_u32(a[KEYNET_A_IFINDEX]) : 0;
	uint16_t port = a[KEYNET_A_LISTEN_PORT] ? nla_get_u16(a[KEYNET_A_LISTEN_PORT]) : 0;
	char key[45] = "";

	if (a[KEYNET_A_PUBLIC_KEY] && nla_len(a[KEYNET_A_PUBLIC_KEY]) == KEYNET_KEY_LEN)
		kn_key_to_base64(nla_data(a[KEYNET_A_PUBLIC_KEY]), key);
	s->count++;
	if (s->json) {
		kn_json_open(s->json, NULL, '{');
		kn_json_u64(s->json, "ifindex", ifindex);
		kn_json_str(s->json, "ifname", name);
		kn_json_u64(s->json, "listen_port", port);
		if (key[0])
			kn_json_str(s->json, "public_key", key);
		else
			kn_json_null(s->json, "public_key");
		kn_json_close(s->json, '}');
		return 0;
	}
	fprintf(s->out, "%u: %s: listen-port %u public-key %s\n", ifindex, name, port,
	       key[0] ? key : "(none)");
	return 0;
}

static int kn_link_show(int argc, char **argv)
{
	const char *dev = NULL;
	struct kn_link_show s = { 0 };
	struct kn_nl *nl;
	int ret, tries;

	while (argc > 0) {
		if (kn_matches(argv[0], "dev")) {
			if (argc < 2)
				return kn_usage_err("missing argument after", argv[0],
						    "a device name");
			dev = argv[1];
			argc -= 2;
			argv += 2;
		} else {
			return kn_usage_err("unknown argument", argv[0],
					    "expected 'dev DEV'");
		}
	}
	nl = kn_nl_open();
	if (!nl)
		return KN_EXIT_FAIL;
	for (tries = 0; tries < 5; tries++) {
		struct nl_msg *msg = kn_nl_msg(nl, KEYNET_CMD_LINK_GET,
					       dev ? 0 : NLM_F_DUMP);

		if (!msg || (dev && kn_nl_put_dev(msg, dev))) {
			kn_err("cannot build the request");
			ret = -ENOMEM;
			break;
		}
		char *buf = NULL;
		size_t len = 0;

		s.count = 0;
		s.out = open_memstream(&buf, &len);
		if (!s.out) {
			nlmsg_free(msg);
			kn_err("out of memory");
			ret = -ENOMEM;
			break;
		}
		if (kn_opts.json) {
			s.json = kn_json_new(s.out, kn_opts.pretty);
			kn_json_open(s.json, NULL, '[');
		}
		ret = kn_nl_talk(nl, msg, kn_link_print, &s);
		if (s.json) {
			kn_json_close(s.json, ']');
			kn_json_free(s.json);
			s.json = NULL;
		}
		fclose(s.out);
		if (!ret)
			fwrite(buf, 1, len, stdout);
		free(buf);
		if (ret != -EINTR)
			break;
	}
	kn_nl_close(nl);
	return ret ? KN_EXIT_FAIL : 0;
}

int kn_cmd_link(int argc, char **argv)
{
	if (argc == 0 || kn_matches(argv[0], "show") || kn_matches(argv[0], "list"))
		return kn_link_show(argc ? argc - 1 : 0, argv + 1);
	if (kn_matches(argv[0], "help")) {
		kn_link_help(stdout);
		return 0;
	}
	kn_link_help(stderr);
	return kn_usage_err("unknown command", argv[0], "expected 'show' or 'help'");
}
