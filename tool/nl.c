// SPDX-License-Identifier: GPL-2.0
/*
 * The keynet tool's one netlink transport, on libnl-3's core: open a
 * socket (generic netlink, with the keynet family resolved, or
 * rtnetlink), send one request and hand every reply message to a
 * callback until the final ack or NLMSG_DONE, or send many requests and
 * only collect their acks (struct kn_nl_batch).  A kernel error becomes
 * one line with the kernel's extended-ack message: printed, or kept for
 * the caller (KN_NL_QUIET, kn_nl_why()).
 *
 * Dumps: when the dumped set changed between two parts of a dump the
 * kernel flags the later parts NLM_F_DUMP_INTR.  The loop reads on to
 * NLMSG_DONE and returns -EINTR; the caller starts the dump over (the
 * show commands in kn_show_run(), conf in its state reader).
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
	int protocol;		/* NETLINK_GENERIC or NETLINK_ROUTE */
	int family;		/* the keynet genl family (NETLINK_GENERIC) */
	int maxattr;		/* the family's highest attribute, 0: not asked */
	int err_off;		/* the last error's bad attribute offset, -1: none */
	char why[256];		/* the last error's reason, "" if none */
};

/* The state of one request/reply exchange. */
struct kn_nl_ctx {
	kn_nl_msg_cb cb;
	void *arg;
	int err;		/* negative errno from the kernel or callback */
	bool done;
	bool intr;		/* a dump was interrupted: retry */
	char *why;
	size_t size;
	int *off;		/* the bad attribute's offset, -1: none */
};

/*
 * A socket of @protocol: NETLINK_GENERIC resolves the keynet family
 * (and fails with the hint to load the module), NETLINK_ROUTE is plain
 * rtnetlink.  Errors are printed; NULL then.
 */
struct kn_nl *kn_nl_open_proto(int protocol)
{
	const char *what = protocol == NETLINK_ROUTE ? "an rtnetlink" : "a generic netlink";
	struct kn_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl) {
		kn_err("out of memory");
		return NULL;
	}
	nl->protocol = protocol;
	nl->err_off = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		kn_err("out of memory");
		goto err_free;
	}
	if (nl_connect(nl->sk, protocol)) {
		kn_err("cannot open %s socket: %s", what, strerror(errno));
		goto err_sock;
	}
	/* Ask for extended acks, so errors carry the kernel's reason. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	/*
	 * Room for the replies of a dump of many peers, and for one request
	 * holding every static map (MAP_SET, up to about 160 KiB; the kernel
	 * caps the send buffer at net.core.wmem_max, 208 KiB by default,
	 * and doubles it).
	 */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);
	if (protocol != NETLINK_GENERIC)
		return nl;
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

struct kn_nl *kn_nl_open(void)
{
	return kn_nl_open_proto(NETLINK_GENERIC);
}

void kn_nl_close(struct kn_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/*
 * Join the keynet family's multicast @group on @nl, for a listener that
 * reads with its own loop (monitor): the socket is returned, without
 * sequence checks or acks (events are unsolicited); its family id in
 * *@family.  Errors are printed; NULL then, @nl stays @nl's to close.
 */
struct nl_sock *kn_nl_join(struct kn_nl *nl, const char *group, int *family)
{
	int grp, ret;

	grp = genl_ctrl_resolve_grp(nl->sk, KEYNET_GENL_NAME, group);
	if (grp < 0) {
		kn_err("the keynet module has no '%s' group: it is older than this tool (uapi %d); install matching versions",
		       group, KEYNET_UAPI_VERSION);
		return NULL;
	}
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret < 0) {
		kn_err("cannot join the %s group: %s", group, nl_geterror(ret));
		return NULL;
	}
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_disable_auto_ack(nl->sk);
	*family = nl->family;
	return nl->sk;
}

/* The reason of the last failed quiet request ("" if none). */
const char *kn_nl_why(const struct kn_nl *nl)
{
	return nl->why;
}

/*
 * Where in the last failed request the kernel found the bad attribute
 * (NLMSGERR_ATTR_OFFS: bytes from the start of its netlink header), or -1
 * when it did not say.
 */
int kn_nl_err_offset(const struct kn_nl *nl)
{
	return nl->err_off;
}

static int kn_nl_maxattr_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct kn_nl *nl = arg;

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) >= 0 &&
	    tb[CTRL_ATTR_MAXATTR] && nla_len(tb[CTRL_ATTR_MAXATTR]) == 4)
		nl->maxattr = (int)nla_get_u32(tb[CTRL_ATTR_MAXATTR]);
	return 0;
}

/*
 * The highest attribute the loaded module's family knows (the
 * controller's CTRL_ATTR_MAXATTR), to tell what an older module lacks:
 * strict validation refuses an attribute beyond it.  Asked once per
 * socket; 0 when it cannot be told.
 */
int kn_nl_maxattr(struct kn_nl *nl)
{
	struct nl_msg *msg;

	if (nl->maxattr || nl->protocol != NETLINK_GENERIC)
		return nl->maxattr;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
				 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, KEYNET_GENL_NAME)) {
		nlmsg_free(msg);
		return 0;
	}
	kn_nl_request(nl, msg, kn_nl_maxattr_cb, nl, KN_NL_QUIET);
	return nl->maxattr;
}

struct nl_msg *kn_nl_msg(struct kn_nl *nl, uint8_t cmd, int flags)
{
	return kn_nl_msg_size(nl, cmd, flags, 0);
}

/* A request of up to @size bytes (0: a page, libnl's default). */
struct nl_msg *kn_nl_msg_size(struct kn_nl *nl, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

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

/* Free @msg, wiping it first: it held a key. */
void kn_nl_msg_wipe(struct nl_msg *msg)
{
	if (!msg)
		return;
	explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
}

static int kn_nl_valid(struct nl_msg *msg, void *arg)
{
	struct kn_nl_ctx *ctx = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->intr = true;
	if (ctx->cb) {
		ret = ctx->cb(nlh, ctx->arg);
		if (ret < 0) {
			ctx->err = ret;
			return NL_STOP;
		}
	}
	return NL_OK;
}

/*
 * NLM_F_DUMP_INTR: keep reading to NLMSG_DONE (libnl would otherwise
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
 * The extended ack of the error @e: its message (NLMSGERR_ATTR_MSG), as
 * one line, into @buf (an empty string when the kernel sent none), and
 * when @bad is not NULL the bad attribute's offset (NLMSGERR_ATTR_OFFS)
 * into *@bad (-1 when none).
 */
static void kn_nl_extack(const struct nlmsgerr *e, char *buf, size_t size, int *bad)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;
	size_t off = sizeof(*e);
	struct nlattr *a;
	int len;

	buf[0] = '\0';
	if (bad)
		*bad = -1;
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
		} else if (nla_type(a) == NLMSGERR_ATTR_OFFS && bad && nla_len(a) == 4 &&
			   nla_get_u32(a) <= INT32_MAX) {
			*bad = (int)nla_get_u32(a);
		}
	}
}

/* The extended ack's message of the error @e, one line ("" if none). */
void kn_nl_extack_msg(const struct nlmsgerr *e, char *buf, size_t size)
{
	kn_nl_extack(e, buf, size, NULL);
}

static int kn_nl_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct kn_nl_ctx *ctx = arg;

	ctx->err = e->error;
	ctx->done = true;
	if (e->error)
		kn_nl_extack(e, ctx->why, ctx->size, ctx->off);
	return NL_STOP;
}

static void kn_nl_debug_intr(void)
{
	if (getenv("KEYNET_DEBUG"))
		fputs("keynet: debug: dump interrupted by a concurrent change, restarting\n",
		      stderr);
}

/*
 * Send @msg (consumed; wiped first with KN_NL_SECRET) and hand every reply
 * message to @cb until the final ack or NLMSG_DONE.  Returns 0, -EINTR
 * when a dump was interrupted (the caller retries), or a negative errno:
 * printed as one line, or with KN_NL_QUIET kept for kn_nl_why().
 */
int kn_nl_request(struct kn_nl *nl, struct nl_msg *msg, kn_nl_msg_cb cb, void *arg,
		  unsigned int flags)
{
	struct kn_nl_ctx ctx = { .cb = cb, .arg = arg, .why = nl->why, .size = sizeof(nl->why),
				 .off = &nl->err_off };
	bool ours = false;	/* the error is ours, not the kernel's */
	struct nl_cb *nlcb;
	int ret;

	nl->why[0] = '\0';
	nl->err_off = -1;
	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		ctx.err = -ENOMEM;
		ours = true;
		snprintf(nl->why, sizeof(nl->why), "out of memory");
		goto out_msg;
	}
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, kn_nl_valid, &ctx);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, kn_nl_finish, &ctx);
	nl_cb_set(nlcb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, kn_nl_dump_intr, &ctx);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, kn_nl_finish, &ctx);
	nl_cb_err(nlcb, NL_CB_CUSTOM, kn_nl_error, &ctx);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		ctx.err = -EIO;
		ours = true;
		snprintf(nl->why, sizeof(nl->why), "cannot send to the kernel: %s",
			 nl_geterror(ret));
		goto out_cb;
	}
	while (!ctx.done && !ctx.err) {
		ret = nl_recvmsgs(nl->sk, nlcb);
		if (ret == -NLE_DUMP_INTR) {
			/* libnl's own report of the flag (no handler ran). */
			ctx.intr = true;
			ctx.done = true;
		} else if (ret < 0 && !ctx.err) {
			ctx.err = -EIO;
			snprintf(nl->why, sizeof(nl->why), "%s", nl_geterror(ret));
		}
	}
out_cb:
	nl_cb_put(nlcb);
out_msg:
	if (flags & KN_NL_SECRET)
		kn_nl_msg_wipe(msg);
	else
		nlmsg_free(msg);
	if (ctx.err) {
		if (flags & KN_NL_QUIET)
			return ctx.err;
		if (ours)
			kn_err("%s", nl->why);
		else if (nl->why[0])
			kn_err("the kernel refused: %s (%s)", nl->why, strerror(-ctx.err));
		else
			kn_err("the kernel refused: %s", strerror(-ctx.err));
		return ctx.err;
	}
	if (ctx.intr)
		kn_nl_debug_intr();
	return ctx.intr ? -EINTR : 0;
}

struct kn_nl_parse {
	kn_nl_cb cb;
	void *arg;
};

/* The attributes of a keynet genl message, for a kn_nl_cb. */
static int kn_nl_parse_cb(struct nlmsghdr *nlh, void *arg)
{
	struct kn_nl_parse *p = arg;
	struct nlattr *attrs[KEYNET_A_MAX + 1];
	int ret;

	ret = genlmsg_parse(nlh, 0, attrs, KEYNET_A_MAX, NULL);
	if (ret < 0)
		return ret;
	return p->cb(attrs, p->arg);
}

/* kn_nl_request() for the keynet family: @cb sees parsed attributes. */
int kn_nl_call(struct kn_nl *nl, struct nl_msg *msg, kn_nl_cb cb, void *arg,
	       unsigned int flags)
{
	struct kn_nl_parse p = { .cb = cb, .arg = arg };

	return kn_nl_request(nl, msg, cb ? kn_nl_parse_cb : NULL, &p, flags);
}

/*
 * Send @msg (consumed) and process replies until the final ack or
 * NLMSG_DONE.  Returns 0, -EINTR when a dump was interrupted (the caller
 * retries), or a negative errno after printing one error line.
 */
int kn_nl_talk(struct kn_nl *nl, struct nl_msg *msg, kn_nl_cb cb, void *arg)
{
	return kn_nl_call(nl, msg, cb, arg, 0);
}

/*
 * Requests sent without waiting for each acknowledgement: the kernel
 * handles a netlink request while it is being sent, in order, so the acks
 * only need collecting.  Up to KN_NL_BATCH of them are read back at a
 * time; the first error is kept with the caller's line and note of its
 * request.
 */
static struct kn_nl_batch_op *kn_nl_batch_find(struct kn_nl_batch *b, uint32_t seq)
{
	int i;

	for (i = 0; i < b->n; i++)
		if (b->ops[i].seq == seq && !b->ops[i].acked)
			return &b->ops[i];
	return NULL;
}

static void kn_nl_batch_fail(struct kn_nl_batch *b, struct kn_nl_batch_op *op, int err)
{
	b->err = err;
	b->err_line = op ? op->line : 0;
	snprintf(b->err_note, sizeof(b->err_note), "%s", op ? op->note : "");
}

static int kn_nl_batch_ack(struct nl_msg *msg, void *arg)
{
	struct kn_nl_batch *b = arg;
	struct kn_nl_batch_op *op = kn_nl_batch_find(b, nlmsg_hdr(msg)->nlmsg_seq);

	if (op) {
		op->acked = true;
		b->acked++;
	}
	return NL_OK;
}

static int kn_nl_batch_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct kn_nl_batch *b = arg;
	struct kn_nl_batch_op *op = kn_nl_batch_find(b, e->msg.nlmsg_seq);

	if (!op)
		return NL_OK;
	op->acked = true;
	b->acked++;
	if (b->err || !e->error)
		return NL_OK;
	kn_nl_batch_fail(b, op, e->error);
	kn_nl_extack_msg(e, b->why, sizeof(b->why));
	return NL_OK;
}

static int kn_nl_batch_nocheck(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

int kn_nl_batch_init(struct kn_nl_batch *b, struct kn_nl *nl)
{
	memset(b, 0, sizeof(*b));
	b->nl = nl;
	b->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!b->cb) {
		kn_err("out of memory");
		return -ENOMEM;
	}
	nl_cb_set(b->cb, NL_CB_ACK, NL_CB_CUSTOM, kn_nl_batch_ack, b);
	nl_cb_set(b->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, kn_nl_batch_nocheck, NULL);
	nl_cb_err(b->cb, NL_CB_CUSTOM, kn_nl_batch_error, b);
	return 0;
}

/* Collect the acks of everything sent; the first error, if any, is kept. */
int kn_nl_batch_drain(struct kn_nl_batch *b)
{
	while (b->acked < b->n) {
		int ret = nl_recvmsgs(b->nl->sk, b->cb);

		if (ret < 0 && !b->err) {
			kn_nl_batch_fail(b, b->acked < b->n ? &b->ops[b->acked] : NULL, -EIO);
			snprintf(b->why, sizeof(b->why), "%s", nl_geterror(ret));
			break;
		}
	}
	if (!b->err)
		b->n = b->acked = 0;
	return b->err;
}

/*
 * Send @msg (consumed, wiped: it may hold a key) as part of the batch;
 * @line and @note name it in the error.  -errno once a request failed.
 */
int kn_nl_batch_send(struct kn_nl_batch *b, struct nl_msg *msg, int line, const char *note)
{
	struct kn_nl_batch_op *op;
	int ret;

	if (b->err || (b->n == KN_NL_BATCH && kn_nl_batch_drain(b))) {
		kn_nl_msg_wipe(msg);
		return b->err;
	}
	op = &b->ops[b->n++];
	op->line = line;
	snprintf(op->note, sizeof(op->note), "%s", note ? note : "");
	op->acked = false;
	ret = nl_send_auto(b->nl->sk, msg);
	op->seq = nlmsg_hdr(msg)->nlmsg_seq;
	kn_nl_msg_wipe(msg);
	if (ret < 0) {
		op->acked = true;
		b->acked++;
		kn_nl_batch_fail(b, op, -EIO);
		snprintf(b->why, sizeof(b->why), "%s", nl_geterror(ret));
	}
	return b->err;
}

void kn_nl_batch_free(struct kn_nl_batch *b)
{
	if (b->cb)
		nl_cb_put(b->cb);
	b->cb = NULL;
}
