// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "dfuse" (kernel/Documentation/netlink/specs/
 * dfuse.yaml): a dump of every board with its alternate settings and their
 * memory maps, and a multicast group "events" for boards coming and going
 * and for the progress of operations (throttled to DFUSE_PROGRESS_MS).
 * Requests are validated strictly: the dump takes no attribute.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <linux/dfuse.h>

#include "device.h"

#define DFUSE_PROGRESS_MS	100

static int dfuse_nl_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* The dump takes no attribute: every one is refused (strict validation) */
static const struct nla_policy dfuse_get_device_policy[DFUSE_A_DEVICE_NUMBER + 1] = {
	[DFUSE_A_DEVICE_NUMBER] = { .type = NLA_REJECT },
};

static const struct genl_ops dfuse_nl_ops[] = {
	{
		.cmd = DFUSE_CMD_GET_DEVICE,
		.dumpit = dfuse_nl_dump,
		.policy = dfuse_get_device_policy,
		.maxattr = ARRAY_SIZE(dfuse_get_device_policy) - 1,
	},
};

static const struct genl_multicast_group dfuse_nl_mcgrps[] = {
	{ .name = DFUSE_GENL_MCGRP_EVENTS },
};

static struct genl_family dfuse_genl_family __ro_after_init = {
	.name = DFUSE_GENL_NAME,
	.version = DFUSE_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = dfuse_nl_ops,
	.n_ops = ARRAY_SIZE(dfuse_nl_ops),
	.resv_start_op = __DFUSE_CMD_MAX,
	.mcgrps = dfuse_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(dfuse_nl_mcgrps),
};

static int put_identity(struct sk_buff *skb, struct dfuse_device *dd)
{
	if (nla_put_u32(skb, DFUSE_A_DEVICE_NUMBER, dd->index) ||
	    nla_put_string(skb, DFUSE_A_SERIAL,
			   dd->udev->serial ? dd->udev->serial : "") ||
	    nla_put_string(skb, DFUSE_A_USB_PATH, dd->usb_path))
		return -EMSGSIZE;
	return 0;
}

static int put_segment(struct sk_buff *skb, const struct dfuse_segment *seg)
{
	struct nlattr *nest = nla_nest_start(skb, DFUSE_A_ALT_SEGMENT);

	if (!nest ||
	    nla_put_u32(skb, DFUSE_A_SEG_START, seg->start) ||
	    nla_put_u32(skb, DFUSE_A_SEG_COUNT, seg->count) ||
	    nla_put_u32(skb, DFUSE_A_SEG_PAGE_SIZE, seg->page_size) ||
	    nla_put_u8(skb, DFUSE_A_SEG_FLAGS, seg->flags))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_alt(struct sk_buff *skb, struct dfuse_device *dd,
		   const struct dfuse_alt *alt)
{
	struct nlattr *nest = nla_nest_start(skb, DFUSE_A_ALT);
	char node[32];
	unsigned int i;

	snprintf(node, sizeof(node), "dfuse%d.%u", dd->index, alt->number);
	if (!nest ||
	    nla_put_u8(skb, DFUSE_A_ALT_SETTING, alt->number) ||
	    nla_put_string(skb, DFUSE_A_ALT_NAME, alt->map.name) ||
	    nla_put_string(skb, DFUSE_A_ALT_NODE, node) ||
	    nla_put_u32(skb, DFUSE_A_ALT_BASE, alt->base) ||
	    nla_put_u64_64bit(skb, DFUSE_A_ALT_SIZE, alt->size,
			      DFUSE_A_ALT_PAD) ||
	    nla_put_string(skb, DFUSE_A_ALT_STRING, alt->string))
		return -EMSGSIZE;
	for (i = 0; i < alt->map.nr_segments; i++)
		if (put_segment(skb, &alt->map.seg[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_device(struct sk_buff *skb, struct dfuse_device *dd)
{
	unsigned int i;

	if (put_identity(skb, dd) ||
	    nla_put_u16(skb, DFUSE_A_VENDOR,
			le16_to_cpu(dd->udev->descriptor.idVendor)) ||
	    nla_put_u16(skb, DFUSE_A_PRODUCT,
			le16_to_cpu(dd->udev->descriptor.idProduct)) ||
	    nla_put_u16(skb, DFUSE_A_BCD_DEVICE,
			le16_to_cpu(dd->udev->descriptor.bcdDevice)) ||
	    nla_put_u16(skb, DFUSE_A_TRANSFER_SIZE, dd->transfer_size))
		return -EMSGSIZE;
	for (i = 0; i < dd->nr_alts; i++)
		if (put_alt(skb, dd, &dd->alt[i]))
			return -EMSGSIZE;
	return 0;
}

static int dfuse_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	int index = cb->args[0];
	struct dfuse_device *dd;

	while ((dd = dfuse_device_next(&index))) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, &dfuse_genl_family,
					NLM_F_MULTI, DFUSE_CMD_GET_DEVICE);
		int err = hdr ? fill_device(skb, dd) : -EMSGSIZE;

		dfuse_device_put(dd);
		if (err) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			/* the next message, unless it cannot hold it at all */
			if (!skb->len) {
				cb->args[0] = index;
				return -EMSGSIZE;
			}
			break;
		}
		genlmsg_end(skb, hdr);
		index++;
	}
	cb->args[0] = index;
	return skb->len;
}

/*
 * The largest event but DEVICE_ADDED: identity, op, status and the
 * device's text. Sized tightly, since a listener's receive queue is
 * charged the whole buffer of each event (a page would let a few dozen
 * queue before the kernel drops events for a slow listener).
 */
static size_t small_event_size(struct dfuse_device *dd)
{
	const char *serial = dd->udev->serial ? dd->udev->serial : "";

	return nla_total_size(sizeof(u32)) +		/* DEVICE_NUMBER */
	       nla_total_size(strlen(serial) + 1) +	/* SERIAL */
	       nla_total_size(strlen(dd->usb_path) + 1) + /* USB_PATH */
	       2 * nla_total_size(sizeof(u8)) +		/* OP, ALT_NUMBER */
	       2 * nla_total_size_64bit(sizeof(u64)) + /* BYTES_DONE, _TOTAL */
	       nla_total_size(sizeof(s32)) +		/* ERRNO */
	       2 * nla_total_size(sizeof(u8)) +		/* DFU_STATUS, _STATE */
	       nla_total_size(sizeof(u32)) +		/* ADDRESS */
	       nla_total_size(sizeof(dd->engine.last_string)); /* ERROR_STRING */
}

/* Send one event; @fill adds the attributes after the board's identity. */
static void send_event(struct dfuse_device *dd, u8 cmd,
		       int (*fill)(struct sk_buff *, struct dfuse_device *,
				   int), int arg)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&dfuse_genl_family, &init_net, 0))
		return;
	skb = genlmsg_new(cmd == DFUSE_CMD_DEVICE_ADDED ? NLMSG_GOODSIZE :
			  small_event_size(dd), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &dfuse_genl_family, 0, cmd);
	if (!hdr || put_identity(skb, dd) || (fill && fill(skb, dd, arg))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&dfuse_genl_family, skb, 0, 0, GFP_KERNEL);
}

static int fill_op(struct sk_buff *skb, struct dfuse_device *dd, int err)
{
	if (nla_put_u8(skb, DFUSE_A_OP, dd->op) ||
	    nla_put_u8(skb, DFUSE_A_ALT_NUMBER, dd->op_alt) ||
	    nla_put_u64_64bit(skb, DFUSE_A_BYTES_DONE, dd->op_done,
			      DFUSE_A_PAD) ||
	    nla_put_u64_64bit(skb, DFUSE_A_BYTES_TOTAL, dd->op_total,
			      DFUSE_A_PAD) ||
	    nla_put_s32(skb, DFUSE_A_ERRNO, err))
		return -EMSGSIZE;
	return 0;
}

static int fill_error(struct sk_buff *skb, struct dfuse_device *dd, int err)
{
	const struct dfuse_engine *e = &dd->engine;

	if (fill_op(skb, dd, err) ||
	    nla_put_u8(skb, DFUSE_A_DFU_STATUS, e->last_status) ||
	    nla_put_u8(skb, DFUSE_A_DFU_STATE, e->last_state) ||
	    nla_put_u32(skb, DFUSE_A_ADDRESS, e->last_address) ||
	    nla_put_string(skb, DFUSE_A_ERROR_STRING, e->last_string))
		return -EMSGSIZE;
	return 0;
}

static int fill_device_event(struct sk_buff *skb, struct dfuse_device *dd,
			     int added)
{
	return added ? fill_device(skb, dd) : 0;
}

u32 dfuse_op_start(struct dfuse_device *dd, u8 alt, u8 op, u64 total)
{
	/* 0 is no operation's: a reader's "not started yet" */
	if (!++dd->op_seq)
		++dd->op_seq;
	WRITE_ONCE(dd->op, op);
	dd->op_alt = alt;
	WRITE_ONCE(dd->op_done, 0);
	WRITE_ONCE(dd->op_total, total);
	dd->op_next_event = jiffies + msecs_to_jiffies(DFUSE_PROGRESS_MS);
	send_event(dd, DFUSE_CMD_OP_STARTED, fill_op, 0);
	return dd->op_seq;
}

void dfuse_op_progress(struct dfuse_device *dd, u64 done)
{
	WRITE_ONCE(dd->op_done, done);
	if (time_before(jiffies, dd->op_next_event) && done < dd->op_total)
		return;
	dd->op_next_event = jiffies + msecs_to_jiffies(DFUSE_PROGRESS_MS);
	send_event(dd, DFUSE_CMD_OP_PROGRESS, fill_op, 0);
}

void dfuse_op_finish(struct dfuse_device *dd, int err)
{
	if (err && err != -ENODEV)
		send_event(dd, DFUSE_CMD_ERROR, fill_error, err);
	send_event(dd, DFUSE_CMD_OP_FINISHED, fill_op, err);
	WRITE_ONCE(dd->op, 0);
}

void dfuse_notify_device(struct dfuse_device *dd, bool added)
{
	send_event(dd, added ? DFUSE_CMD_DEVICE_ADDED :
		   DFUSE_CMD_DEVICE_REMOVED, fill_device_event, added);
}

void dfuse_notify_left(struct dfuse_device *dd)
{
	send_event(dd, DFUSE_CMD_LEFT_DFU, NULL, 0);
}

int dfuse_netlink_init(void)
{
	return genl_register_family(&dfuse_genl_family);
}

void dfuse_netlink_exit(void)
{
	genl_unregister_family(&dfuse_genl_family);
}
