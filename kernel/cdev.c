// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/dfuseN.A: read() uploads, write() programs, ioctls for the rest.
 *
 * Offsets are addresses minus the alt's lowest address. Writes are
 * gathered per open file into one contiguous extent (up to
 * DFUSE_WBUF_SIZE) and programmed at fsync, close, a non-contiguous write
 * or a full buffer; each flush is atomic with respect to signals, so a
 * page is never left half-written. Programming compares first: a page
 * that already holds the result is neither erased nor written, a blank
 * page is programmed without an erase (and erased and retried once if
 * ECC flash refuses it). DFUSE_WRITE_ALWAYS_ERASE turns comparing off.
 *
 * One open file per board may write (others get EBUSY at open); any
 * number may read. All device I/O is serialised by the board's io_mutex.
 */
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/dfuse.h>

#include "device.h"
#include "plan.h"
#include "program.h"

#define DFUSE_WBUF_SIZE		(512 * 1024)
#define DFUSE_READ_CHUNK	(64 * 1024)

/*
 * One open file. @lock guards the gathered extent: threads, pwrite() and
 * forked children share the file. Lock order: @lock, then io_mutex.
 */
struct dfuse_file {
	struct dfuse_device *dd;
	struct dfuse_alt *alt;
	struct mutex lock;	/* guards wbuf, wstart, wlen */
	u8 *wbuf;
	u32 wstart;		/* address of wbuf[0] */
	u32 wlen;
};

/*
 * Write out the gathered extent. Called with df->lock held; takes the
 * board's I/O lock only for the device work, never across a user copy.
 */
static int flush_file(struct dfuse_file *df)
{
	u32 done;
	int err;

	if (!df->wlen)
		return 0;
	/*
	 * Even after a signal, write what write() accepted; a fatal one
	 * stops it at a page boundary (dfuse_program).
	 */
	err = dfuse_io_begin(df->dd, df->alt->number, false);
	if (!err) {
		err = dfuse_program(df->dd, df->alt, df->wstart, df->wbuf,
				    df->wlen, 0, &done);
		dfuse_io_end(df->dd);
	} else {
		dev_warn(&df->dd->udev->dev, "dfuse%d.%u: %u bytes at 0x%08x not written: %d\n",
			 df->dd->index, df->alt->number, df->wlen, df->wstart,
			 err);
	}
	df->wlen = 0;
	return err;
}

static int flush_file_locked(struct dfuse_file *df)
{
	int err;

	mutex_lock(&df->lock);
	err = flush_file(df);
	mutex_unlock(&df->lock);
	return err;
}

/* ---- file operations ---- */

static int dfuse_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode);
	struct dfuse_device *dd;
	struct dfuse_file *df;
	unsigned int i;
	int err;

	dd = dfuse_device_get(minor / DFUSE_ALTS_PER_DEVICE);
	if (!dd)
		return -ENODEV;
	df = kzalloc(sizeof(*df), GFP_KERNEL);
	if (!df) {
		err = -ENOMEM;
		goto err_put;
	}
	df->dd = dd;
	mutex_init(&df->lock);
	for (i = 0; i < dd->nr_alts; i++)
		if (dd->alt[i].number == minor % DFUSE_ALTS_PER_DEVICE)
			df->alt = &dd->alt[i];
	err = -ENODEV;
	if (!df->alt)
		goto err_free;
	/* as generic_file_open(): offsets past 2 GiB need a 64-bit off_t */
	err = -EOVERFLOW;
	if (!(file->f_flags & O_LARGEFILE) && df->alt->size > MAX_NON_LFS)
		goto err_free;
	if (file->f_mode & FMODE_WRITE) {
		err = -ENOMEM;
		df->wbuf = vmalloc(DFUSE_WBUF_SIZE);
		if (!df->wbuf)
			goto err_free;
		err = -EBUSY;
		if (cmpxchg(&dd->writer, NULL, file))
			goto err_vfree;
	}
	file->private_data = df;
	return 0;

err_vfree:
	vfree(df->wbuf);
err_free:
	kfree(df);
err_put:
	dfuse_device_put(dd);
	return err;
}

/*
 * Close: write out what was gathered, unless the writer is exiting
 * because a signal killed it. No signal can reach an exiting task, so the
 * flush could not be stopped as a write() of the same bytes would be (a
 * fatal signal stops it); the bytes are dropped, and the log says so. A
 * normal exit writes them, as close() does.
 */
static int flush_or_drop(struct dfuse_file *df)
{
	int sig = current->flags & PF_EXITING ? current->exit_code & 0x7f : 0;

	if (!sig)
		return flush_file_locked(df);
	mutex_lock(&df->lock);
	if (df->wlen)
		dev_warn(&df->dd->udev->dev, "dfuse%d.%u: %u bytes at 0x%08x not written: the writer was killed by signal %d\n",
			 df->dd->index, df->alt->number, df->wlen, df->wstart,
			 sig);
	df->wlen = 0;
	mutex_unlock(&df->lock);
	return 0;
}

static int dfuse_flush_op(struct file *file, fl_owner_t id)
{
	struct dfuse_file *df = file->private_data;

	return df->wbuf ? flush_or_drop(df) : 0;
}

static int dfuse_release(struct inode *inode, struct file *file)
{
	struct dfuse_file *df = file->private_data;

	if (df->wbuf)
		flush_or_drop(df);
	/* leave the board in dfuIDLE for the next user: one ABORT at most */
	mutex_lock(&df->dd->io_mutex);
	if (df->dd->intf && !READ_ONCE(df->dd->gone))
		dfuse_to_idle(&df->dd->engine);
	mutex_unlock(&df->dd->io_mutex);
	if (df->wbuf) {
		cmpxchg(&df->dd->writer, file, NULL);
		vfree(df->wbuf);
	}
	dfuse_device_put(df->dd);
	kfree(df);
	return 0;
}

static int dfuse_fsync(struct file *file, loff_t start, loff_t end,
		       int datasync)
{
	struct dfuse_file *df = file->private_data;

	return df->wbuf ? flush_file_locked(df) : 0;
}

/*
 * Read [addr, addr + count) into user memory, a chunk at a time: the
 * board is locked for the upload only, never across copy_to_user (a
 * stalled user page must not hold up disconnect). Stops between chunks
 * on a signal (-EINTR). The bytes copied are in @done, whatever the
 * error. The board's operation state is touched under io_mutex only and
 * only while it is still this read's: a writer that starts between two
 * chunks owns it from then on.
 */
static int read_range(struct dfuse_file *df, u32 addr, char __user *buf,
		      size_t count, size_t *done)
{
	struct dfuse_device *dd = df->dd;
	u32 op = 0;
	u8 *kbuf;
	int err = 0;

	*done = 0;
	kbuf = kvmalloc(min_t(size_t, count, DFUSE_READ_CHUNK), GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	while (*done < count) {
		size_t n = min_t(size_t, count - *done, DFUSE_READ_CHUNK);

		if (*done && signal_pending(current)) {
			err = -EINTR;	/* at a block boundary */
			break;
		}
		err = dfuse_io_begin(dd, df->alt->number, true);
		if (err)
			break;
		if (!op)
			op = dfuse_op_start(dd, df->alt->number, DFUSE_OP_READ,
					    count);
		err = dfuse_read(&dd->engine, addr + *done, kbuf, n, NULL);
		if (!err && dfuse_op_is(dd, op))
			dfuse_op_progress(dd, *done + n);
		dfuse_io_end(dd);
		if (!err && copy_to_user(buf + *done, kbuf, n))
			err = -EFAULT;
		if (err)
			break;
		*done += n;
	}
	if (op) {
		mutex_lock(&dd->io_mutex);
		if (dfuse_op_is(dd, op))
			dfuse_op_finish(dd, err);
		mutex_unlock(&dd->io_mutex);
	}
	kvfree(kbuf);
	return err;
}

static ssize_t dfuse_read_op(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct dfuse_file *df = file->private_data;
	struct dfuse_alt *alt = df->alt;
	size_t done;
	s64 avail;
	int err;

	if (*ppos >= alt->size || !count)
		return 0;
	count = min_t(u64, count, alt->size - *ppos);
	avail = dfuse_plan_check(&alt->map, alt->base + *ppos, count,
				 DFUSE_SEG_READABLE);
	if (avail < 0)
		return avail;
	count = avail;
	if (df->wbuf) {
		err = flush_file_locked(df);
		if (err)
			return err;
	}
	err = read_range(df, alt->base + *ppos, buf, count, &done);
	*ppos += done;
	/* a short read, as read(2) says; the error comes on the next one */
	return done ? done : err;
}

static ssize_t dfuse_write_op(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct dfuse_file *df = file->private_data;
	struct dfuse_alt *alt = df->alt;
	u32 addr;
	s64 ok;
	int err;

	if (!count)
		return 0;
	/* gathered bytes would never reach the board: say so now */
	if (READ_ONCE(df->dd->gone))
		return -ENODEV;
	if (*ppos >= alt->size)
		return -ENOSPC;
	count = min_t(u64, count, alt->size - *ppos);
	count = min_t(size_t, count, DFUSE_WBUF_SIZE);
	addr = alt->base + *ppos;
	/* the whole range must be writable before anything is sent */
	ok = dfuse_plan_check(&alt->map, addr, count, DFUSE_SEG_WRITABLE);
	if (ok < 0)
		return ok;
	if (ok < count)
		return dfuse_plan_check(&alt->map, addr + ok, count - ok,
					DFUSE_SEG_WRITABLE);

	if (mutex_lock_interruptible(&df->lock))
		return -ERESTARTSYS;
	if (df->wlen && (addr != df->wstart + df->wlen ||
			 df->wlen + count > DFUSE_WBUF_SIZE)) {
		err = flush_file(df);
		/* a signal during that flush: everything before is written */
		if (!err && signal_pending(current))
			err = -ERESTARTSYS;
		if (err)
			goto out;
	}
	if (!df->wlen)
		df->wstart = addr;
	/* a fault part-way keeps nothing of this call: all or none */
	if (copy_from_user(df->wbuf + df->wlen, buf, count)) {
		err = -EFAULT;
		goto out;
	}
	df->wlen += count;
	*ppos += count;
	err = count;
out:
	mutex_unlock(&df->lock);
	return err;
}

static loff_t dfuse_llseek(struct file *file, loff_t off, int whence)
{
	struct dfuse_file *df = file->private_data;
	struct dfuse_alt *alt = df->alt;
	s64 pos;

	switch (whence) {
	case SEEK_DATA:
		pos = off < 0 ? -ENXIO : dfuse_plan_seek_data(&alt->map,
						alt->base, alt->size, off);
		break;
	case SEEK_HOLE:
		pos = off < 0 ? -ENXIO : dfuse_plan_seek_hole(&alt->map,
						alt->base, alt->size, off);
		break;
	default:
		return fixed_size_llseek(file, off, whence, alt->size);
	}
	if (pos < 0)
		return pos;
	return vfs_setpos(file, pos, alt->size);
}

/* ---- ioctls ---- */

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

	pages = kcalloc(DFUSE_MAX_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	n = dfuse_plan_pages(&df->alt->map, addr, len, pages, DFUSE_MAX_PAGES);
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
	kfree(pages);
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
	u32 allowed = cmd == DFUSE_IOC_WRITE ? DFUSE_WRITE_ALWAYS_ERASE : 0;
	u32 done = 0;
	size_t got;
	s64 ok;
	int err = arg_in(&r, sizeof(r), sizeof(r), uarg);

	if (err)
		return err;
	if ((r.flags & ~allowed) || r.reserved || r.done)
		return -EINVAL;
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

	err = df->wbuf ? flush_file_locked(df) : 0;
	if (err)
		return err;
	switch (cmd) {
	case DFUSE_IOC_WRITE:
		err = write_range(df, &r, &done);
		break;
	case DFUSE_IOC_READ:
		err = read_range(df, r.address, u64_to_user_ptr(r.data),
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

/* Ioctls without a payload that act on the device. */
static long ioc_simple(struct dfuse_file *df, unsigned int cmd)
{
	struct dfuse_device *dd = df->dd;
	struct dfuse_engine *e = &dd->engine;
	int err;

	if (cmd != DFUSE_IOC_CLEAR_STATUS && cmd != DFUSE_IOC_ABORT &&
	    !df->wbuf)
		return -EBADF;
	err = df->wbuf ? flush_file_locked(df) : 0;
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
		err = dfuse_unprotect(e);
		break;
	}
	dfuse_io_end(dd);
	return err;
}

/* How long after wDetachTimeOut the host may take to see the unplug. */
#define DFUSE_DETACH_SLACK_MS	1000
#define DFU_ATTR_WILL_DETACH	0x08

/*
 * The request was taken; the board has left only when it is gone from the
 * bus. One without bitWillDetach waits for a USB reset, which we send.
 */
static int confirm_left(struct dfuse_device *dd)
{
	unsigned long timeout = msecs_to_jiffies(dd->detach_timeout +
						 DFUSE_DETACH_SLACK_MS);

	if (!(dd->attributes & DFU_ATTR_WILL_DETACH) && dd->intf)
		usb_queue_reset_device(dd->intf);
	if (wait_event_timeout(dd->wait, READ_ONCE(dd->gone), timeout))
		return 0;
	dev_err(&dd->udev->dev, "dfuse%d: still on the bus %u ms after the leave request\n",
		dd->index, dd->detach_timeout + DFUSE_DETACH_SLACK_MS);
	return -ETIMEDOUT;
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
	err = flush_file_locked(df);
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

static long dfuse_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dfuse_file *df = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case DFUSE_IOC_INFO:
		return ioc_info(df, uarg);
	case DFUSE_IOC_GET_SEGMENTS:
		return ioc_segments(df, uarg);
	case DFUSE_IOC_ERASE:
	case DFUSE_IOC_WRITE:
	case DFUSE_IOC_READ:
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

const struct file_operations dfuse_fops = {
	.owner = THIS_MODULE,
	.open = dfuse_open,
	.flush = dfuse_flush_op,
	.release = dfuse_release,
	.read = dfuse_read_op,
	.write = dfuse_write_op,
	.llseek = dfuse_llseek,
	.fsync = dfuse_fsync,
	.unlocked_ioctl = dfuse_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
