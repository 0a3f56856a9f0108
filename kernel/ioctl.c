// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls of /dev/dfuseN.A (include/uapi/linux/dfuse.h): versioned
 * arguments (argsz first, unknown tail zero), ranges checked against the
 * map before any request, every device request under the board's
 * io_mutex.
 */
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/usb.h>
#include <linux/vmalloc.h>
#include <linux/dfuse.h>

#include "device.h"
#include "file.h"
#include "plan.h"
#include "program.h"

/* Copy a versioned argument in: argsz >= @minsz, unknown tail zero. */
static int arg_in(void *karg, size_t ksize, size_t minsz, void __user *uarg)
{
	u32 argsz;

	if (get_user(argsz, (u32 __user *)uarg))
		return -EFAULT;
	if (argsz < minsz)
		return -EINVAL;
	/* room to grow, not a way to make the kernel walk megabytes */
	if (argsz > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, uarg, argsz);
}

static int arg_out(const void *karg, size_t ksize, void __user *uarg)
{
	u32 argsz = *(const u32 *)karg;

	return copy_to_user(uarg, karg, min_t(size_t, argsz, ksize)) ?
	       -EFAULT : 0;
}

static long ioc_info(struct dfuse_file *df, void __user *uarg)
{
	struct dfuse_device *dd = df->dd;
	struct dfuse_info info;
	int err = arg_in(&info, sizeof(info), sizeof(info), uarg);
	u32 argsz;

	if (err)
		return err;
	argsz = info.argsz;
	if (info.flags)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.argsz = argsz;
	info.vendor = le16_to_cpu(dd->udev->descriptor.idVendor);
	info.product = le16_to_cpu(dd->udev->descriptor.idProduct);
	info.bcd_device = le16_to_cpu(dd->udev->descriptor.bcdDevice);
	info.bcd_dfu = dd->dfu_version;
	info.transfer_size = dd->transfer_size;
	info.detach_timeout = dd->detach_timeout;
	info.attributes = dd->attributes;
	info.alt = df->alt->number;
	info.alt_count = dd->nr_alts;
	info.device_number = dd->index;
	info.base = df->alt->base;
	info.nr_segments = df->alt->map.nr_segments;
	info.size = df->alt->size;
	strscpy(info.serial, dd->udev->serial ? : "", sizeof(info.serial));
	strscpy(info.alt_name, df->alt->map.name, sizeof(info.alt_name));
	return arg_out(&info, sizeof(info), uarg);
}

static long ioc_segments(struct dfuse_file *df, void __user *uarg)
{
	const struct dfuse_memmap *map = &df->alt->map;
	struct dfuse_segment_info __user *out;
	struct dfuse_segments segs;
	unsigned int i;
	int err = arg_in(&segs, sizeof(segs), sizeof(segs), uarg);

	if (err)
		return err;
	if (segs.flags || segs.count)
		return -EINVAL;
	out = u64_to_user_ptr(segs.segments);
	for (i = 0; i < map->nr_segments && i < segs.capacity; i++) {
		struct dfuse_segment_info si = {
			.start = map->seg[i].start,
			.count = map->seg[i].count,
			.page_size = map->seg[i].page_size,
			.flags = map->seg[i].flags,
		};

		if (copy_to_user(&out[i], &si, sizeof(si)))
			return -EFAULT;
	}
	segs.count = map->nr_segments;
	return arg_out(&segs, sizeof(segs), uarg);
}

static int erase_range(struct dfuse_file *df, u32 addr, u32 len,
		       u32 *done)
{
	struct dfuse_device *dd = df->dd;
	struct dfuse_page *pages;
	int i, n, err;

	n = dfuse_pages_alloc(&df->alt->map, addr, len, &pages);
	err = n < 0 ? n : dfuse_io_begin(dd, df->alt->number, true);
	if (err)
		goto out;
	dfuse_op_start(dd, df->alt->number, DFUSE_OP_ERASE, len);
	for (i = 0; i < n && !err; i++) {
		if (signal_pending(current)) {
			err = -EINTR;	/* between pages: done says how far */
			break;
		}
		err = dfuse_erase_page(&dd->engine, pages[i].start,
				       pages[i].size);
		if (!err)
			*done += pages[i].hi - pages[i].lo;
		dfuse_op_progress(dd, *done);
	}
	dfuse_op_finish(dd, err);
	dfuse_io_end(dd);
out:
	kvfree(pages);
	return err;
}

static int write_range(struct dfuse_file *df, struct dfuse_range *r,
		       u32 *done)
{
	u8 *kbuf;
	int err;

	if (r->length > DFUSE_PROGRAM_MAX)
		return -EFBIG;
	kbuf = kvmalloc(r->length, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	/* copied in before the board is locked */
	if (copy_from_user(kbuf, u64_to_user_ptr(r->data), r->length)) {
		err = -EFAULT;
		goto out;
	}
	err = dfuse_io_begin(df->dd, df->alt->number, true);
	if (err)
		goto out;
	/* a signal stops it between pages; done says how far it got */
	err = dfuse_program(df->dd, df->alt, r->address, kbuf, r->length,
			    r->flags | DFUSE_PROGRAM_INTERRUPTIBLE, done);
	dfuse_io_end(df->dd);
out:
	kvfree(kbuf);
	return err;
}

/* Range ioctls: ERASE, WRITE, READ at absolute addresses of this alt. */
static long ioc_range(struct dfuse_file *df, unsigned int cmd,
		      void __user *uarg)
{
	struct dfuse_alt *alt = df->alt;
	struct dfuse_range r;
	u8 need = cmd == DFUSE_IOC_READ ? DFUSE_SEG_READABLE :
		  cmd == DFUSE_IOC_ERASE ? DFUSE_SEG_ERASABLE :
		  DFUSE_SEG_WRITABLE;
	u32 allowed = cmd == DFUSE_IOC_WRITE ?
		      DFUSE_WRITE_ALWAYS_ERASE | DFUSE_WRITE_VERIFY : 0;
	u32 done = 0;
	size_t got;
	s64 ok;
	int err = arg_in(&r, sizeof(r), sizeof(r), uarg);

	if (err)
		return err;
	if ((r.flags & ~allowed) || r.reserved || r.done)
		return -EINVAL;
	if (cmd == DFUSE_IOC_ERASE && r.data)
		return -EINVAL;	/* "data 0": no buffer to name */
	if ((u64)r.address + r.length > 0x100000000ULL)
		return -EOVERFLOW;
	if (!r.length)
		return arg_out(&r, sizeof(r), uarg);
	if (cmd != DFUSE_IOC_READ && !(df->wbuf))
		return -EBADF;
	ok = dfuse_plan_check(&alt->map, r.address, r.length, need);
	if (ok >= 0 && ok < r.length)
		ok = dfuse_plan_check(&alt->map, r.address + ok,
				      r.length - ok, need);
	if (ok < 0)
		return ok;

	err = df->wbuf ? dfuse_flush_file(df) : 0;
	if (err)
		return err;
	switch (cmd) {
	case DFUSE_IOC_WRITE:
		err = write_range(df, &r, &done);
		break;
	case DFUSE_IOC_READ:
		err = dfuse_read_range(df, r.address, u64_to_user_ptr(r.data),
				       r.length, &got);
		done = got;
		break;
	default:
		err = erase_range(df, r.address, r.length, &done);
		break;
	}
	r.done = done;
	if (arg_out(&r, sizeof(r), uarg))
		err = -EFAULT;
	return err;
}

static long ioc_status(struct dfuse_file *df, void __user *uarg)
{
	struct dfuse_device *dd = df->dd;
	struct dfuse_engine *e = &dd->engine;
	struct dfuse_getstatus st;
	struct dfuse_status s;
	int err = arg_in(&s, sizeof(s), sizeof(s), uarg);
	u32 argsz;

	if (err)
		return err;
	argsz = s.argsz;
	if (s.flags)
		return -EINVAL;
	err = dfuse_io_begin(dd, df->alt->number, true);
	if (err)
		return err;
	err = dfuse_get_status(e, &st);
	memset(&s, 0, sizeof(s));
	s.argsz = argsz;
	s.state = st.state;
	s.status = st.status;
	s.istring = st.istring;
	s.poll_timeout = st.poll_ms;
	s.last_status = e->last_status;
	s.last_errno = e->last_errno;
	s.last_address = e->last_address;
	strscpy(s.last_string, e->last_string, sizeof(s.last_string));
	dfuse_io_end(dd);
	return err ? err : arg_out(&s, sizeof(s), uarg);
}

/*
 * How long after wDetachTimeOut the host may take to see the unplug; and
 * the most of wDetachTimeOut we wait, holding the board: the field is the
 * device's, up to 65 s, and ST's ROMs say 255 ms.
 */
#define DFUSE_DETACH_SLACK_MS	1000
#define DFUSE_DETACH_MAX_MS	5000

/*
 * A request after which the board resets: done once it is gone from the
 * bus, within @ms. A fatal signal ends the wait (EINTR): it may still go.
 */
static int wait_gone(struct dfuse_device *dd, unsigned int ms,
		     const char *request)
{
	long left = wait_event_killable_timeout(dd->wait, READ_ONCE(dd->gone),
						msecs_to_jiffies(ms));

	if (left > 0)
		return 0;
	if (left < 0)
		return -EINTR;
	dev_err(&dd->udev->dev, "dfuse%d: still on the bus %u ms after the %s request\n",
		dd->index, ms, request);
	return -ETIMEDOUT;
}

/* Ioctls without a payload that act on the device. */
static long ioc_simple(struct dfuse_file *df, unsigned int cmd)
{
	struct dfuse_device *dd = df->dd;
	struct dfuse_engine *e = &dd->engine;
	unsigned int ms;
	int err;

	/* each changes the device's state: the board's writer only */
	if (!df->wbuf)
		return -EBADF;
	err = df->wbuf ? dfuse_flush_file(df) : 0;
	if (!err)
		err = dfuse_io_begin(dd, df->alt->number, true);
	if (err)
		return err;
	switch (cmd) {
	case DFUSE_IOC_MASS_ERASE:
		dfuse_op_start(dd, df->alt->number, DFUSE_OP_ERASE, 0);
		err = dfuse_mass_erase(e);
		dfuse_op_finish(dd, err);
		if (err)	/* as a failed write: one line, what is lost */
			dev_err(&dd->udev->dev, "dfuse%d.%u: mass erase failed: %d (%s) in %s; the flash may be partly erased\n",
				dd->index, df->alt->number, err,
				dfuse_status_name(e->last_status),
				dfuse_state_name(e->last_state));
		break;
	case DFUSE_IOC_CLEAR_STATUS:
	case DFUSE_IOC_ABORT:
		err = dfuse_recover(e);
		break;
	case DFUSE_IOC_UNPROTECT:
		/* the part mass-erases, then resets */
		ms = dfuse_work_limit_ms(e, DFUSE_WORK_MASS_ERASE, 0) +
		     DFUSE_DETACH_SLACK_MS;
		err = dfuse_unprotect(e);
		if (!err)
			err = wait_gone(dd, ms, "read unprotect");
		break;
	}
	dfuse_io_end(dd);
	return err;
}

/*
 * The request was taken; the board has left only when it is gone from the
 * bus. One without bitWillDetach waits for a USB reset, which we send.
 */
static int confirm_left(struct dfuse_device *dd)
{
	WRITE_ONCE(dd->leaving, true);
	if (!(dd->attributes & DFU_ATTR_WILL_DETACH) && dd->intf)
		usb_queue_reset_device(dd->intf);
	return wait_gone(dd, min_t(unsigned int, dd->detach_timeout,
				   DFUSE_DETACH_MAX_MS) + DFUSE_DETACH_SLACK_MS,
			 "leave");
}

static long ioc_leave(struct dfuse_file *df, void __user *uarg)
{
	struct dfuse_leave l;
	int err = arg_in(&l, sizeof(l), sizeof(l), uarg);

	if (err)
		return err;
	if ((l.flags & ~DFUSE_LEAVE_JUMP) || l.reserved)
		return -EINVAL;
	if (!df->wbuf)
		return -EBADF;
	err = dfuse_flush_file(df);
	if (!err)
		err = dfuse_io_begin(df->dd, df->alt->number, true);
	if (err)
		return err;
	dfuse_op_start(df->dd, df->alt->number, DFUSE_OP_LEAVE, 0);
	/* a zero-length DNLOAD is only valid after a pointer is set */
	err = dfuse_leave(&df->dd->engine, true, l.flags & DFUSE_LEAVE_JUMP ?
			  l.address : df->dd->alt[0].base);
	if (!err)
		err = confirm_left(df->dd);
	dfuse_op_finish(df->dd, err);
	if (!err)
		dfuse_notify_left(df->dd);
	dfuse_io_end(df->dd);
	return err;
}

static long ioc_commands(struct dfuse_file *df, void __user *uarg)
{
	struct dfuse_commands c;
	int err = arg_in(&c, sizeof(c), sizeof(c), uarg);
	u32 argsz;

	if (err)
		return err;
	argsz = c.argsz;
	if (c.flags || c.reserved || c.count)
		return -EINVAL;
	err = dfuse_io_begin(df->dd, df->alt->number, true);
	if (err)
		return err;
	memset(&c, 0, sizeof(c));
	c.argsz = argsz;
	err = dfuse_get_commands(&df->dd->engine, c.commands,
				 sizeof(c.commands));
	dfuse_io_end(df->dd);
	if (err < 0)
		return err;
	c.count = err;
	return arg_out(&c, sizeof(c), uarg);
}

long dfuse_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dfuse_file *df = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case DFUSE_IOC_INFO:
		return ioc_info(df, uarg);
	case DFUSE_IOC_GET_SEGMENTS:
		return ioc_segments(df, uarg);
	case DFUSE_IOC_READ:
		/* as read(2) on a descriptor not open for reading */
		if (!(file->f_mode & FMODE_READ))
			return -EBADF;
		return ioc_range(df, cmd, uarg);
	case DFUSE_IOC_ERASE:
	case DFUSE_IOC_WRITE:
		return ioc_range(df, cmd, uarg);
	case DFUSE_IOC_GET_STATUS:
		return ioc_status(df, uarg);
	case DFUSE_IOC_MASS_ERASE:
	case DFUSE_IOC_CLEAR_STATUS:
	case DFUSE_IOC_ABORT:
	case DFUSE_IOC_UNPROTECT:
		return ioc_simple(df, cmd);
	case DFUSE_IOC_LEAVE:
		return ioc_leave(df, uarg);
	case DFUSE_IOC_GET_COMMANDS:
		return ioc_commands(df, uarg);
	default:
		return -ENOTTY;
	}
}
