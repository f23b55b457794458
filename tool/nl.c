// SPDX-License-Identifier: GPL-2.0
/*
 * The keynet tool's generic netlink plumbing on libnl-genl-3: resolve the
 * family, send one request, hand every reply message's attributes to a
 * callback, and turn a kernel error into one line with the kernel's
 * extended-ack message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "keynet.h"

struct kn_nl {
	struct nl_sock *sk;
	int family;
};

struct kn_nl_ctx {
	kn_nl_cb cb;
	void *arg;
	int err;		/* negative errno from the kernel or callback */
	bool done;
	bool intr;		/* a dump was interrupted: retry */
	char msg[256];		/* extended ack message, if any */
};

struct kn_nl *kn_nl_open(void)
{
	struct kn_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl) {
		kn_err("out of memory");
		return NULL;
	}
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		kn_err("out of memory");
		goto err_free;
	}
	if (genl_connect(nl->sk)) {
		kn_err("cannot open a generic netlink socket: %s", strerror(errno));
		goto err_sock;
	}
	/* Ask for extended acks, so errors carry the kernel's reason. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, KEYNET_GENL_NAME);
	if (nl->family < 0) {
		kn_err("the keynet kernel module is not loaded (load it with 'modprobe keynet')");
		goto err_sock;
	}
	return nl;

err_sock:
	nl_socket_free(nl->sk);
err_free:
	free(nl);
	return NULL;
}

void kn_nl_close(struct kn_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

struct nl_msg *kn_nl_msg(struct kn_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, KEYNET_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Name a device by ifname (or by "ifindex:N" when given as a number). */
int kn_nl_put_dev(struct nl_msg *msg, const char *dev)
{
	if (strlen(dev) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	return nla_put_string(msg, KEYNET_A_IFNAME, dev);
}

static int kn_nl_valid(struct nl_msg *msg, void *arg)
{
	struct kn_nl_ctx *ctx = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *attrs[KEYNET_A_MAX + 1];
	int ret;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = true;
	ret = genlmsg_parse(nlh, 0, attrs, KEYNET_A_MAX, NULL);
	if (ret < 0) {
		ctx->err = ret;
		return NL_STOP;
	}
	if (ctx->cb) {
		ret = ctx->cb(attrs, ctx->arg);
		if (ret < 0) {
			ctx->err = ret;
			return NL_STOP;
		}
	}
	return NL_OK;
}

/*
 * NLM_F_DUMP_INTR: the kernel's generation of the dumped set changed
 * between two parts.  Keep reading to NLMSG_DONE (libnl would otherwise
 * fail the whole receive with NLE_DUMP_INTR) and report -EINTR so the
 * caller restarts the dump.
 */
static int kn_nl_dump_intr(struct nl_msg *msg, void *arg)
{
	struct kn_nl_ctx *ctx = arg;

	ctx->intr = true;
	return NL_OK;
}

static int kn_nl_finish(struct nl_msg *msg, void *arg)
{
	struct kn_nl_ctx *ctx = arg;

	ctx->done = true;
	return NL_STOP;
}

/*
 * Copy the extended ack's message (NLMSGERR_ATTR_MSG) of the error @e, as
 * one line, into @buf; an empty string when the kernel sent none.  Shared
 * by every netlink conversation of the tool (genetlink and rtnetlink).
 */
void kn_nl_extack_msg(const struct nlmsgerr *e, char *buf, size_t size)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;
	size_t off = sizeof(*e);
	struct nlattr *a;
	int len;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	len = (int)nlh->nlmsg_len - (int)NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	a = (struct nlattr *)((char *)e + off);
	for (; nla_ok(a, len); a = nla_next(a, &len)) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG) {
			snprintf(buf, size, "%.*s", nla_len(a),
				 (const char *)nla_data(a));
			buf[strcspn(buf, "\n")] = '\0';
		}
	}
}

static int kn_nl_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct kn_nl_ctx *ctx = arg;

	ctx->err = e->error;
	ctx->done = true;
	if (e->error)
		kn_nl_extack_msg(e, ctx->msg, sizeof(ctx->msg));
	return NL_STOP;
}

static int kn_nl_ack(struct nl_msg *msg, void *arg)
{
	struct kn_nl_ctx *ctx = arg;

	ctx->done = true;
	return NL_STOP;
}

/*
 * Send @msg (consumed) and process replies until the final ack or
 * NLMSG_DONE.  Returns 0, -EINTR when a dump was interrupted (the caller
 * retries), or a negative errno after printing one error line.
 */
int kn_nl_talk(struct kn_nl *nl, struct nl_msg *msg, kn_nl_cb cb, void *arg)
{
	struct kn_nl_ctx ctx = { .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int ret;

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		kn_err("out of memory");
		return -ENOMEM;
	}
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, kn_nl_valid, &ctx);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, kn_nl_finish, &ctx);
	nl_cb_set(nlcb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, kn_nl_dump_intr, &ctx);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, kn_nl_ack, &ctx);
	nl_cb_err(nlcb, NL_CB_CUSTOM, kn_nl_error, &ctx);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(nlcb);
		kn_err("cannot send to the kernel: %s", nl_geterror(ret));
		return -EIO;
	}
	while (!ctx.done && !ctx.err) {
		ret = nl_recvmsgs(nl->sk, nlcb);
		if (ret == -NLE_DUMP_INTR) {
			/* libnl's own report of the flag (no handler ran). */
			ctx.intr = true;
			ctx.done = true;
		} else if (ret < 0 && !ctx.err) {
			ctx.err = -EIO;
			snprintf(ctx.msg, sizeof(ctx.msg), "%s", nl_geterror(ret));
		}
	}
	nl_cb_put(nlcb);
	if (ctx.err) {
		if (ctx.msg[0])
			kn_err("the kernel refused: %s (%s)", ctx.msg,
			       strerror(-ctx.err));
		else
			kn_err("the kernel refused: %s", strerror(-ctx.err));
		return ctx.err;
	}
	if (ctx.intr && getenv("KEYNET_DEBUG"))
		fputs("keynet: debug: dump interrupted by a concurrent change, restarting\n",
		      stderr);
	return ctx.intr ? -EINTR : 0;
}
