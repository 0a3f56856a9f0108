// SPDX-License-Identifier: GPL-2.0
/* libnl-3 client of the "dfuse" generic netlink family. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/dfuse.h>

#include "nl.h"

static struct nl_sock *connect_family(int *family)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	if (genl_connect(sk) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	*family = genl_ctrl_resolve(sk, DFUSE_GENL_NAME);
	if (*family < 0) {
		static int said;	/* once, not at each poll of wait and autoflash */

		if (!said++)
			fprintf(stderr, "dfuse: the dfuse driver is not loaded (no generic netlink family \"%s\")\n",
				DFUSE_GENL_NAME);
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

static void copy_str(char *dst, size_t size, struct nlattr *a)
{
	if (a)
		snprintf(dst, size, "%s", nla_get_string(a));
}

/* One DFUSE_A_ALT_SEGMENT, appended to @alt's lines "START NxSIZE FLAGS" */
static void parse_segment(struct nl_alt *alt, struct nlattr *nest)
{
	struct nlattr *tb[__DFUSE_A_SEG_MAX];
	size_t len = strlen(alt->segments);
	unsigned int flags;

	if (nla_parse_nested(tb, __DFUSE_A_SEG_MAX - 1, nest, NULL) < 0 ||
	    !tb[DFUSE_A_SEG_START] || !tb[DFUSE_A_SEG_COUNT] ||
	    !tb[DFUSE_A_SEG_PAGE_SIZE] || !tb[DFUSE_A_SEG_FLAGS])
		return;
	flags = nla_get_u8(tb[DFUSE_A_SEG_FLAGS]);
	snprintf(alt->segments + len, sizeof(alt->segments) - len,
		 "0x%08X %ux%u %s%s%s\n", nla_get_u32(tb[DFUSE_A_SEG_START]),
		 nla_get_u32(tb[DFUSE_A_SEG_COUNT]),
		 nla_get_u32(tb[DFUSE_A_SEG_PAGE_SIZE]),
		 flags & DFUSE_SEG_READABLE ? "r" : "",
		 flags & DFUSE_SEG_ERASABLE ? "e" : "",
		 flags & DFUSE_SEG_WRITABLE ? "w" : "");
}

static void parse_alt(struct nl_alt *alt, struct nlattr *nest)
{
	struct nlattr *tb[__DFUSE_A_ALT_MAX], *seg;
	int rem;

	memset(alt, 0, sizeof(*alt));
	if (nla_parse_nested(tb, __DFUSE_A_ALT_MAX - 1, nest, NULL) < 0)
		return;
	if (tb[DFUSE_A_ALT_SETTING])
		alt->setting = nla_get_u8(tb[DFUSE_A_ALT_SETTING]);
	copy_str(alt->name, sizeof(alt->name), tb[DFUSE_A_ALT_NAME]);
	copy_str(alt->node, sizeof(alt->node), tb[DFUSE_A_ALT_NODE]);
	copy_str(alt->string, sizeof(alt->string), tb[DFUSE_A_ALT_STRING]);
	nla_for_each_nested(seg, nest, rem)
		if (nla_type(seg) == DFUSE_A_ALT_SEGMENT)
			parse_segment(alt, seg);
	if (tb[DFUSE_A_ALT_BASE])
		alt->base = nla_get_u32(tb[DFUSE_A_ALT_BASE]);
	if (tb[DFUSE_A_ALT_SIZE])
		alt->size = nla_get_u64(tb[DFUSE_A_ALT_SIZE]);
}

static void parse_event(struct nl_msg *msg, struct nl_event *ev)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[__DFUSE_A_MAX], *a;
	int rem;

	memset(ev, 0, sizeof(*ev));
	ev->cmd = gh->cmd;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, __DFUSE_A_MAX - 1, NULL) < 0)
		return;
#define U(attr, field, get) if (tb[attr]) field = get(tb[attr])
	U(DFUSE_A_DEVICE_NUMBER, ev->dev.number, nla_get_u32);
	U(DFUSE_A_VENDOR, ev->dev.vendor, nla_get_u16);
	U(DFUSE_A_PRODUCT, ev->dev.product, nla_get_u16);
	U(DFUSE_A_BCD_DEVICE, ev->dev.bcd_device, nla_get_u16);
	U(DFUSE_A_TRANSFER_SIZE, ev->dev.transfer_size, nla_get_u16);
	U(DFUSE_A_OP, ev->op, nla_get_u8);
	U(DFUSE_A_ALT_NUMBER, ev->alt, nla_get_u8);
	U(DFUSE_A_BYTES_DONE, ev->done, nla_get_u64);
	U(DFUSE_A_BYTES_TOTAL, ev->total, nla_get_u64);
	U(DFUSE_A_ERRNO, ev->err, (int)nla_get_s32);
	U(DFUSE_A_DFU_STATUS, ev->dfu_status, nla_get_u8);
	U(DFUSE_A_DFU_STATE, ev->dfu_state, nla_get_u8);
	U(DFUSE_A_ADDRESS, ev->address, nla_get_u32);
#undef U
	copy_str(ev->dev.serial, sizeof(ev->dev.serial), tb[DFUSE_A_SERIAL]);
	copy_str(ev->dev.usb_path, sizeof(ev->dev.usb_path), tb[DFUSE_A_USB_PATH]);
	copy_str(ev->error_string, sizeof(ev->error_string), tb[DFUSE_A_ERROR_STRING]);
	nla_for_each_attr(a, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), rem) {
		if (nla_type(a) == DFUSE_A_ALT && ev->dev.nr_alts < NL_MAX_ALTS)
			parse_alt(&ev->dev.alt[ev->dev.nr_alts++], a);
	}
}

struct list_ctx {
	struct nl_device *devs;
	int max, n;
};

static int list_cb(struct nl_msg *msg, void *arg)
{
	struct list_ctx *c = arg;
	struct nl_event ev;

	parse_event(msg, &ev);
	if (c->n < c->max)
		c->devs[c->n] = ev.dev;
	c->n++;
	return NL_OK;
}

int nl_list(struct nl_device *devs, int max)
{
	struct list_ctx c = { devs, max, 0 };
	struct nl_sock *sk;
	int family, err;

	sk = connect_family(&family);
	if (!sk)
		return -ENOENT;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, list_cb, &c);
	err = genl_send_simple(sk, family, DFUSE_CMD_GET_DEVICE,
			       DFUSE_GENL_VERSION, NLM_F_DUMP);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	nl_socket_free(sk);
	if (err < 0) {
		fprintf(stderr, "dfuse: netlink dump failed: %s\n", nl_geterror(err));
		return -EIO;
	}
	return c.n < max ? c.n : max;
}

struct monitor_ctx {
	int (*fn)(const struct nl_event *ev, void *arg);
	void *arg;
	int stop;
};

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct monitor_ctx *c = arg;
	struct nl_event ev;

	parse_event(msg, &ev);
	c->stop = c->fn(&ev, c->arg);
	return NL_OK;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int nl_monitor(int (*fn)(const struct nl_event *ev, void *arg), void *arg,
	       int timeout_ms)
{
	struct monitor_ctx c = { fn, arg, 0 };
	long end = now_ms() + timeout_ms;
	struct nl_sock *sk;
	int family, grp, err = 0;

	sk = connect_family(&family);
	if (!sk)
		return -ENOENT;
	grp = genl_ctrl_resolve_grp(sk, DFUSE_GENL_NAME, DFUSE_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(sk, grp) < 0) {
		fprintf(stderr, "dfuse: cannot join the dfuse events group\n");
		nl_socket_free(sk);
		return -EIO;
	}
	/* room for bursts of events (the kernel caps it at rmem_max) */
	nl_socket_set_buffer_size(sk, 1 << 20, 0);
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, monitor_cb, &c);
	/* tell a waiting caller (tests, scripts) we are subscribed */
	fn(NULL, arg);
	while (!c.stop) {
		struct pollfd p = { nl_socket_get_fd(sk), POLLIN, 0 };
		long left = timeout_ms < 0 ? -1 : end - now_ms();

		if (timeout_ms >= 0 && left <= 0)
			break;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if (p.revents & (POLLIN | POLLERR)) {
			err = nl_recvmsgs_default(sk);
			/* libnl reports the socket's ENOBUFS as NLE_NOMEM */
			if (err == -NLE_NOMEM) {
				struct nl_event lost = { .cmd = NL_EVENTS_LOST };

				c.stop = fn(&lost, arg);
				err = 0;
				continue;
			}
			if (err < 0 && err != -NLE_AGAIN) {
				fprintf(stderr, "dfuse: netlink: %s\n", nl_geterror(err));
				err = -EIO;
				break;
			}
			err = 0;
		}
	}
	nl_socket_free(sk);
	return err;
}

const char *nl_cmd_name(int cmd)
{
	static const char *const names[] = {
		[DFUSE_CMD_DEVICE_ADDED] = "added",
		[DFUSE_CMD_DEVICE_REMOVED] = "removed",
		[DFUSE_CMD_OP_STARTED] = "started",
		[DFUSE_CMD_OP_PROGRESS] = "progress",
		[DFUSE_CMD_OP_FINISHED] = "finished",
		[DFUSE_CMD_ERROR] = "error",
		[DFUSE_CMD_LEFT_DFU] = "left-dfu",
	};

	if (cmd == NL_EVENTS_LOST)
		return "lost";
	return cmd > 0 && cmd < __DFUSE_CMD_MAX && names[cmd] ? names[cmd] : "?";
}

const char *nl_op_name(int op)
{
	static const char *const names[] = { "none", "erase", "program",
					     "read", "verify", "leave" };

	return op >= 0 && op < 6 ? names[op] : "?";
}
