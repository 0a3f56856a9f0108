// SPDX-License-Identifier: GPL-2.0
/*
 * The "dfuse" generic netlink family validates its requests strictly: a
 * dump with no attribute lists the boards; a dump carrying any attribute
 * (a known one, or one past the family's last) is refused with EINVAL.
 * With "split", a dump read 4 KiB at a time (as a small reader does) must
 * span several datagrams and still carry each board once.
 * Prints TAP. usage: nl-strict BOARDS [split]   (BOARDS: the driver's)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/dfuse.h>

static int n, failed;

static void ok(int pass, const char *what, int got)
{
	n++;
	failed += !pass;
	printf("%s %d - %s (%d)\n", pass ? "ok" : "not ok", n, what, got);
}

static int count_board(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(*(int *)arg)++;
	return NL_OK;
}

/* A GET_DEVICE dump, with attribute @type (u32) unless 0: boards or -errno */
static int dump(int family, int type)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = nlmsg_alloc();
	int boards = 0, err;

	if (!sk || !msg || genl_connect(sk))
		return -ENOMEM;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, count_board, &boards);
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
		    DFUSE_CMD_GET_DEVICE, DFUSE_GENL_VERSION);
	if (type)
		nla_put_u32(msg, type, 0);
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	nlmsg_free(msg);
	nl_socket_free(sk);
	/* libnl's codes: NLE_INVAL is EINVAL's */
	return err < 0 ? (err == -NLE_INVAL ? -EINVAL : -1000 + err) : boards;
}

/*
 * A GET_DEVICE dump read in 4 KiB datagrams: their count in @parts, each
 * board's number as a bit in @seen; returns the boards or -errno.
 */
static int dump_split(int family, int *parts, unsigned int *seen)
{
	long bytes = 0;
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg = nlmsg_alloc();
	int boards = 0, done = 0, len;

	*parts = 0;
	*seen = 0;
	if (!sk || !msg || genl_connect(sk))
		return -ENOMEM;
	/* the kernel sizes a dump's datagrams by the reader's largest read */
	nl_socket_disable_msg_peek(sk);
	nl_socket_set_msg_buf_size(sk, 4096);
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
		    DFUSE_CMD_GET_DEVICE, DFUSE_GENL_VERSION);
	if (nl_send_auto(sk, msg) < 0)
		return -EIO;
	nlmsg_free(msg);
	while (!done) {
		struct sockaddr_nl from;
		unsigned char *buf = NULL;
		struct nlmsghdr *h;

		len = nl_recv(sk, &from, &buf, NULL);
		if (len <= 0)
			return -EIO;
		(*parts)++;
		bytes += len;
		for (h = (struct nlmsghdr *)buf; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
			struct nlattr *a[__DFUSE_A_MAX];

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (genlmsg_parse(h, 0, a, __DFUSE_A_MAX - 1, NULL) ||
			    !a[DFUSE_A_DEVICE_NUMBER])
				return -EPROTO;
			boards++;
			*seen |= 1u << (nla_get_u32(a[DFUSE_A_DEVICE_NUMBER]) & 31);
		}
		free(buf);
	}
	nl_socket_free(sk);
	printf("# dump: %d boards, %ld bytes in %d datagrams\n", boards, bytes, *parts);
	return boards;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk = nl_socket_alloc();
	int family, want = argc > 1 ? atoi(argv[1]) : 1, got;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!sk || genl_connect(sk))
		return 1;
	family = genl_ctrl_resolve(sk, DFUSE_GENL_NAME);
	nl_socket_free(sk);
	ok(family > 0, "the dfuse family is registered", family);
	if (argc > 2 && !strcmp(argv[2], "split")) {
		unsigned int seen;
		int parts;

		got = dump_split(family, &parts, &seen);
		ok(got == want && seen == (1u << want) - 1,
		   "a dump read 4 KiB at a time carries each board once", got);
		ok(parts >= 3, "it spans several datagrams (and the DONE)", parts);
		printf("1..%d\n", n);
		return failed != 0;
	}
	got = dump(family, 0);
	ok(got == want, "a dump with no attribute lists every board", got);
	got = dump(family, DFUSE_A_DEVICE_NUMBER);
	ok(got == -EINVAL, "a dump with DFUSE_A_DEVICE_NUMBER is refused: EINVAL", got);
	got = dump(family, __DFUSE_A_MAX + 5);
	ok(got == -EINVAL, "a dump with an attribute past the family's last is refused: EINVAL", got);
	printf("1..%d\n", n);
	return failed != 0;
}
