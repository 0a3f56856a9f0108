// SPDX-License-Identifier: GPL-2.0
/*
 * The only file that talks USB to the board: dfuse_ops over control
 * transfers on endpoint 0, the alternate setting, the I/O lock, and the
 * runtime PM references that keep the board awake.
 */
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/usb.h>
#include <linux/dfuse.h>

#include "device.h"

#define DFU_DNLOAD	1
#define DFU_UPLOAD	2
#define DFU_GETSTATUS	3
#define DFU_CLRSTATUS	4
#define DFU_ABORT	6

#define CTRL_TIMEOUT_MS	5000

static void ctrl_complete(struct urb *urb)
{
	complete(urb->context);
}

/*
 * usb_control_msg() with an URB of our own, anchored so that disconnect
 * can kill it: the caller then sees -ENODEV at once, not after the
 * timeout.
 */
static int ctrl_within(struct dfuse_device *dd, bool in, u8 req, u16 value,
		       u16 len, u32 timeout_ms)
{
	struct usb_device *udev = dd->udev;
	unsigned long timeout = msecs_to_jiffies(timeout_ms);
	const unsigned long slice = HZ;
	DECLARE_COMPLETION_ONSTACK(done);
	struct urb *urb;
	int ret;

	if (READ_ONCE(dd->gone))
		return -ENODEV;
	urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!urb)
		return -ENOMEM;
	dd->setup->bRequestType = (in ? USB_DIR_IN : USB_DIR_OUT) |
				  USB_TYPE_CLASS | USB_RECIP_INTERFACE;
	dd->setup->bRequest = req;
	dd->setup->wValue = cpu_to_le16(value);
	dd->setup->wIndex = cpu_to_le16(dd->ifnum);
	dd->setup->wLength = cpu_to_le16(len);
	usb_fill_control_urb(urb, udev, in ? usb_rcvctrlpipe(udev, 0) :
			     usb_sndctrlpipe(udev, 0), (u8 *)dd->setup,
			     len ? dd->xfer_buf : NULL, len, ctrl_complete,
			     &done);

	/* after disconnect poisoned the anchor, the submit fails: -EPERM */
	usb_anchor_urb(urb, &dd->submitted);
	ret = usb_submit_urb(urb, GFP_KERNEL);
	if (ret)
		usb_unanchor_urb(urb);

	/*
	 * Not killable: a request (even a GETSTATUS held through an erase)
	 * ends by its deadline; callers stop between operations, so a
	 * fatal signal never leaves an erased page unprogrammed. Waited in
	 * slices: a 20 s mass erase is not a hung task.
	 */
	while (!ret && !wait_for_completion_timeout(&done,
						    min(timeout, slice))) {
		timeout -= min(timeout, slice);
		if (!timeout) {
			usb_kill_urb(urb);
			ret = -ETIMEDOUT;
		}
	}
	if (!ret)
		ret = urb->status ? urb->status : urb->actual_length;
	usb_free_urb(urb);
	/* after an unplug usbcore fails URBs with a variety of codes */
	if (ret < 0 && (READ_ONCE(dd->gone) || ret == -ESHUTDOWN))
		return -ENODEV;
	return ret;
}

static int ctrl(struct dfuse_device *dd, bool in, u8 req, u16 value, u16 len)
{
	return ctrl_within(dd, in, req, value, len, CTRL_TIMEOUT_MS);
}

static int xfer_dnload(void *ctx, u16 block, const void *buf, u16 len)
{
	struct dfuse_device *dd = ctx;

	if (len > dd->transfer_size)
		return -EINVAL;
	if (len)
		memcpy(dd->xfer_buf, buf, len);
	return ctrl(dd, false, DFU_DNLOAD, block, len);
}

static int xfer_upload(void *ctx, u16 block, void *buf, u16 len)
{
	struct dfuse_device *dd = ctx;
	int ret;

	if (len > dd->transfer_size)
		return -EINVAL;
	ret = ctrl(dd, true, DFU_UPLOAD, block, len);
	if (ret > 0)
		memcpy(buf, dd->xfer_buf, ret);
	return ret;
}

static int xfer_get_status(void *ctx, struct dfuse_getstatus *st,
			   u32 timeout_ms)
{
	struct dfuse_device *dd = ctx;
	u8 *b = dd->xfer_buf;
	int ret = ctrl_within(dd, true, DFU_GETSTATUS, 0, 6, timeout_ms);

	if (ret < 0)
		return ret;
	if (ret < 6)
		return -EPROTO;
	st->status = b[0];
	st->poll_ms = b[1] | b[2] << 8 | b[3] << 16;
	st->state = b[4];
	st->istring = b[5];
	return 0;
}

static int xfer_clr_status(void *ctx)
{
	int ret = ctrl(ctx, false, DFU_CLRSTATUS, 0, 0);

	return ret < 0 ? ret : 0;
}

static int xfer_abort(void *ctx)
{
	int ret = ctrl(ctx, false, DFU_ABORT, 0, 0);

	return ret < 0 ? ret : 0;
}

static int xfer_get_string(void *ctx, u8 index, char *buf, size_t size)
{
	struct dfuse_device *dd = ctx;

	if (READ_ONCE(dd->gone))
		return -ENODEV;
	return usb_string(dd->udev, index, buf, size);
}

/*
 * Disconnect sets @gone and wakes us: a blocked poll ends at once. An
 * hrtimer, not jiffies: a 9 ms bwPollTimeout must not sleep 12-16 ms at
 * HZ=250, 512 times per MiB; and with a slack of its own, not the task's
 * 50 us, which would be added to every poll.
 */
#define POLL_SLACK_NS	(5 * NSEC_PER_USEC)

static int xfer_sleep(void *ctx, u32 us)
{
	struct dfuse_device *dd = ctx;
	ktime_t now = ktime_get(), end = ktime_add_us(now, us), t;
	DEFINE_WAIT(wait);

	/* uninterruptible in slices, as the request: see ctrl_within() */
	while (!READ_ONCE(dd->gone) && ktime_before(now, end)) {
		t = min(end, ktime_add_us(now, USEC_PER_SEC));
		prepare_to_wait(&dd->wait, &wait, TASK_UNINTERRUPTIBLE);
		if (!READ_ONCE(dd->gone))
			schedule_hrtimeout_range(&t, POLL_SLACK_NS,
						 HRTIMER_MODE_ABS);
		finish_wait(&dd->wait, &wait);
		now = ktime_get();
	}
	return READ_ONCE(dd->gone) ? -ENODEV : 0;
}

static u64 xfer_now_us(void *ctx)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

const struct dfuse_ops dfuse_usb_ops = {
	.dnload = xfer_dnload,
	.upload = xfer_upload,
	.get_status = xfer_get_status,
	.clr_status = xfer_clr_status,
	.abort = xfer_abort,
	.get_string = xfer_get_string,
	.sleep = xfer_sleep,
	.now_us = xfer_now_us,
};

int dfuse_io_begin(struct dfuse_device *dd, u8 alt, bool interruptible)
{
	int err;

	if (!interruptible)
		mutex_lock(&dd->io_mutex);
	else if (mutex_lock_interruptible(&dd->io_mutex))
		return -EINTR;
	if (!dd->intf || READ_ONCE(dd->gone)) {
		err = -ENODEV;
		goto unlock;
	}
	if (dd->cur_alt != alt) {
		err = usb_set_interface(dd->udev, dd->ifnum, alt);
		if (err) {
			err = READ_ONCE(dd->gone) ? -ENODEV : err;
			goto unlock;
		}
		dd->cur_alt = alt;
		dd->engine.ptr_valid = false;
	}
	return 0;
unlock:
	mutex_unlock(&dd->io_mutex);
	return err;
}

void dfuse_io_end(struct dfuse_device *dd)
{
	mutex_unlock(&dd->io_mutex);
}

int dfuse_awake_get(struct dfuse_device *dd)
{
	int err = -ENODEV;

	mutex_lock(&dd->pm_mutex);
	if (dd->intf && !READ_ONCE(dd->gone)) {
		err = usb_autopm_get_interface(dd->intf);
		if (!err)
			dd->awake++;
	}
	mutex_unlock(&dd->pm_mutex);
	return err;
}

void dfuse_awake_put(struct dfuse_device *dd)
{
	mutex_lock(&dd->pm_mutex);
	if (dd->intf && dd->awake) {
		dd->awake--;
		usb_autopm_put_interface(dd->intf);
	}
	mutex_unlock(&dd->pm_mutex);
}

/* usbcore does not give back what an unbound driver held: we do */
void dfuse_awake_drop_all(struct dfuse_device *dd)
{
	lockdep_assert_held(&dd->pm_mutex);
	for (; dd->awake; dd->awake--)
		usb_autopm_put_interface_no_suspend(dd->intf);
}
