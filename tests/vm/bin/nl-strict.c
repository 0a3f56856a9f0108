// SPDX-License-Identifier: GPL-2.0
/*
 * The "dfuse" generic netlink family validates its requests strictly: a
 * dump with no attribute lists the boards; a dump carrying any attribute
 * (a known one, or one past the family's last) is refused with EINVAL.
 * Prints TAP. usage: nl-strict BOARDS (the boards the driver should list)
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
	got = dump(family, 0);
	ok(got == want, "a dump with no attribute lists every board", got);
	got = dump(family, DFUSE_A_DEVICE_NUMBER);
	ok(got == -EINVAL, "a dump with DFUSE_A_DEVICE_NUMBER is refused: EINVAL", got);
	got = dump(family, __DFUSE_A_MAX + 5);
	ok(got == -EINVAL, "a dump with an attribute past the family's last is refused: EINVAL", got);
	printf("1..%d\n", n);
	return failed != 0;
}
