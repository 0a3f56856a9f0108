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
#include "file.h"
#include "plan.h"
#include "program.h"

#define DFUSE_WBUF_SIZE		(512 * 1024)
#define DFUSE_READ_CHUNK	(64 * 1024)

/*
 * Write out the gathered extent. Called with df->lock held; takes the
 * board's I/O lock only for the device work, never across a user copy.
 */
static int flush_file_locked(struct dfuse_file *df)
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

int dfuse_flush_file(struct dfuse_file *df)
{
	int err;

	mutex_lock(&df->lock);
	err = flush_file_locked(df);
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
	/* awake from now to the release: resumed here if suspended */
	err = dfuse_awake_get(dd);
	if (err)
		goto err_writer;
	file->private_data = df;
	return 0;

err_writer:
	if (df->wbuf)
		cmpxchg(&dd->writer, file, NULL);
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
		return dfuse_flush_file(df);
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
	dfuse_awake_put(df->dd);
	dfuse_device_put(df->dd);
	kfree(df);
	return 0;
}

static int dfuse_fsync(struct file *file, loff_t start, loff_t end,
		       int datasync)
{
	struct dfuse_file *df = file->private_data;

	return df->wbuf ? dfuse_flush_file(df) : 0;
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
int dfuse_read_range(struct dfuse_file *df, u32 addr, char __user *buf,
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
		err = dfuse_flush_file(df);
		if (err)
			return err;
	}
	err = dfuse_read_range(df, alt->base + *ppos, buf, count, &done);
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
		err = flush_file_locked(df);
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
