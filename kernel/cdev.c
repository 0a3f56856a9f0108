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

#define DFUSE_WBUF_SIZE		(512 * 1024)
#define DFUSE_READ_CHUNK	(64 * 1024)
#define DFUSE_MAX_PAGES		1024

struct dfuse_file {
	struct dfuse_device *dd;
	struct dfuse_alt *alt;
	u8 *wbuf;
	u32 wstart;		/* address of wbuf[0] */
	u32 wlen;
};

/* ---- programming ---- */

struct dfuse_flush {
	struct dfuse_device *dd;
	struct dfuse_alt *alt;
	struct dfuse_page *pages;
	u8 *act;
	int n;
	u32 span;		/* address of old[0] and new[0] */
	u8 *old, *new;
	u64 done, total;
};

static bool erasable(struct dfuse_alt *alt, u32 addr)
{
	const struct dfuse_segment *s = dfuse_memmap_find(&alt->map, addr);

	return s && (s->flags & DFUSE_SEG_ERASABLE);
}

static int read_into(struct dfuse_flush *f, u32 addr, u32 len)
{
	return dfuse_read(&f->dd->engine, addr, f->old + (addr - f->span), len,
			  NULL);
}

/* Decide each page's action, reading as little of it as possible. */
static int classify(struct dfuse_flush *f, bool always_erase)
{
	u16 xfer = f->dd->transfer_size;
	int i, err;

	for (i = 0; i < f->n; i++) {
		struct dfuse_page *p = &f->pages[i];
		bool partial = p->lo || p->hi != p->size;
		u32 off = p->start - f->span;

		if (!erasable(f->alt, p->start)) {
			/* OTP, option bytes: written in place, nothing kept */
			f->act[i] = DFUSE_PAGE_PROGRAM;
			continue;
		}
		if (always_erase && !partial) {
			f->act[i] = DFUSE_PAGE_ERASE_PROGRAM;
			continue;
		}
		/* early out: one block tells most changed pages apart */
		err = read_into(f, p->start, partial ? p->size :
				min_t(u32, xfer, p->size));
		if (err)
			return err;
		if (!partial && p->size > xfer &&
		    memcmp(f->old + off, f->new + off, xfer) &&
		    !dfuse_plan_is_blank(f->old + off, xfer)) {
			f->act[i] = DFUSE_PAGE_ERASE_PROGRAM;
			continue;
		}
		if (!partial && p->size > xfer) {
			err = read_into(f, p->start + xfer, p->size - xfer);
			if (err)
				return err;
		}
		if (partial)	/* keep the bytes around what was written */
			memcpy(f->new + off, f->old + off, p->lo);
		if (partial)
			memcpy(f->new + off + p->hi, f->old + off + p->hi,
			       p->size - p->hi);
		f->act[i] = always_erase ? DFUSE_PAGE_ERASE_PROGRAM :
			    dfuse_plan_page(f->old + off, f->new + off, p->size);
	}
	return 0;
}

/* Program the non-blank blocks of page @i (its written bytes if in place). */
static int program_page(struct dfuse_flush *f, int i)
{
	struct dfuse_page *p = &f->pages[i];
	u16 xfer = f->dd->transfer_size;
	u32 off = p->start - f->span, b, run = 0, run_len = 0;
	int err;

	if (!erasable(f->alt, p->start))
		return dfuse_write(&f->dd->engine, p->start + p->lo,
				   f->new + off + p->lo, p->hi - p->lo, NULL);
	/* runs of non-blank blocks; a blank block (or the end) ends a run */
	for (b = 0; b < p->size || run_len; b += xfer) {
		u32 len = b < p->size ? min_t(u32, xfer, p->size - b) : 0;
		bool blank = !len || dfuse_plan_is_blank(f->new + off + b, len);

		if (!blank) {
			if (!run_len)
				run = b;
			run_len += len;
			continue;
		}
		if (!run_len)
			continue;
		err = dfuse_write(&f->dd->engine, p->start + run,
				  f->new + off + run, run_len, NULL);
		if (err)
			return err;
		f->done += run_len;
		dfuse_op_progress(f->dd, f->done);
		run_len = 0;
	}
	return 0;
}

static int run_flush(struct dfuse_flush *f, bool always_erase)
{
	struct dfuse_engine *e = &f->dd->engine;
	u64 erase_total = 0;
	int i, err;

	err = classify(f, always_erase);
	if (err)
		return err;
	for (i = 0; i < f->n; i++) {
		if (f->act[i] != DFUSE_PAGE_SKIP)
			f->total += f->pages[i].size;
		if (f->act[i] == DFUSE_PAGE_ERASE_PROGRAM)
			erase_total += f->pages[i].size;
	}
	if (!f->total)
		return 0;	/* every page already holds the result */

	/* erase and program are two operations for those who watch */
	if (erase_total) {
		dfuse_op_start(f->dd, f->alt->number, DFUSE_OP_ERASE,
			       erase_total);
		for (i = 0; i < f->n && !err; i++) {
			if (f->act[i] != DFUSE_PAGE_ERASE_PROGRAM)
				continue;
			err = dfuse_erase_page(e, f->pages[i].start);
			if (!err) {
				f->done += f->pages[i].size;
				dfuse_op_progress(f->dd, f->done);
			}
		}
		if (err)
			return err;	/* the caller finishes the operation */
		dfuse_op_finish(f->dd, 0);
	}
	dfuse_op_start(f->dd, f->alt->number, DFUSE_OP_PROGRAM, f->total);
	f->done = 0;
	for (i = 0; i < f->n; i++) {
		if (f->act[i] == DFUSE_PAGE_SKIP)
			continue;
		err = program_page(f, i);
		/* ECC flash refuses to program a blank page twice: erase it */
		if (err == -EIO && e->last_status == DFUSE_STATUS_ERR_PROG &&
		    f->act[i] == DFUSE_PAGE_PROGRAM &&
		    erasable(f->alt, f->pages[i].start)) {
			err = dfuse_erase_page(e, f->pages[i].start);
			if (!err)
				err = program_page(f, i);
		}
		if (err)
			return err;
	}
	return 0;
}

/* Program [addr, addr + len) of @alt with @data, keeping the rest. */
static int program_range(struct dfuse_device *dd, struct dfuse_alt *alt,
			 u32 addr, const u8 *data, u32 len, u32 flags)
{
	struct dfuse_flush f = { .dd = dd, .alt = alt };
	struct dfuse_page *last;
	size_t span_len;
	int err = -ENOMEM;

	f.pages = kcalloc(DFUSE_MAX_PAGES, sizeof(*f.pages), GFP_KERNEL);
	f.act = kcalloc(DFUSE_MAX_PAGES, 1, GFP_KERNEL);
	if (!f.pages || !f.act)
		goto out;
	f.n = dfuse_plan_pages(&alt->map, addr, len, f.pages, DFUSE_MAX_PAGES);
	if (f.n <= 0) {
		err = f.n ? f.n : 0;
		goto out;
	}
	last = &f.pages[f.n - 1];
	f.span = f.pages[0].start;
	span_len = (size_t)last->start + last->size - f.span;
	f.old = vmalloc(span_len);
	f.new = vmalloc(span_len);
	if (!f.old || !f.new)
		goto out;
	memset(f.new, 0xff, span_len);
	memcpy(f.new + (addr - f.span), data, len);

	err = run_flush(&f, flags & DFUSE_WRITE_ALWAYS_ERASE);
	if (err || dd->op)
		dfuse_op_finish(dd, err);
out:
	vfree(f.old);
	vfree(f.new);
	kfree(f.act);
	kfree(f.pages);
	return err;
}

/* Write out the gathered extent; not interrupted by signals. */
static int flush_locked(struct dfuse_file *df)
{
	int err;

	if (!df->wlen)
		return 0;
	err = program_range(df->dd, df->alt, df->wstart, df->wbuf, df->wlen,
			    0);
	if (err)
		dev_err(df->alt->dev, "write of %u bytes at 0x%08x failed: %d (%s%s%s)\n",
			df->wlen, df->wstart, err,
			dfuse_status_name(df->dd->engine.last_status),
			df->dd->engine.last_string[0] ? ": " : "",
			df->dd->engine.last_string);
	df->wlen = 0;
	return err;
}

static int flush_file(struct dfuse_file *df)
{
	int err;

	if (!df->wlen)
		return 0;
	/* even with a fatal signal at close, write what write() accepted */
	err = dfuse_io_begin(df->dd, df->alt->number, false);
	if (err) {
		df->wlen = 0;
		return err;
	}
	err = flush_locked(df);
	dfuse_io_end(df->dd);
	return err;
}

/* ---- file operations ---- */

static int dfuse_open(struct inode *inode, struct file *file)
{
	unsigned int minor = iminor(inode);
	struct dfuse_device *dd;
	struct dfuse_file *df;
	unsigned int i;

	dd = dfuse_device_get(minor / DFUSE_ALTS_PER_DEVICE);
	if (!dd)
		return -ENODEV;
	df = kzalloc(sizeof(*df), GFP_KERNEL);
	if (!df)
		goto err_put;
	df->dd = dd;
	for (i = 0; i < dd->nr_alts; i++)
		if (dd->alt[i].number == minor % DFUSE_ALTS_PER_DEVICE)
			df->alt = &dd->alt[i];
	if (!df->alt) {
		kfree(df);
		dfuse_device_put(dd);
		return -ENODEV;
	}
	if (file->f_mode & FMODE_WRITE) {
		df->wbuf = vmalloc(DFUSE_WBUF_SIZE);
		if (!df->wbuf)
			goto err_free;
		if (cmpxchg(&dd->writer, NULL, file)) {
			vfree(df->wbuf);
			kfree(df);
			dfuse_device_put(dd);
			return -EBUSY;
		}
	}
	file->private_data = df;
	return 0;

err_free:
	kfree(df);
err_put:
	dfuse_device_put(dd);
	return -ENOMEM;
}

static int dfuse_flush_op(struct file *file, fl_owner_t id)
{
	struct dfuse_file *df = file->private_data;

	return df->wbuf ? flush_file(df) : 0;
}

static int dfuse_release(struct inode *inode, struct file *file)
{
	struct dfuse_file *df = file->private_data;

	if (df->wbuf)
		flush_file(df);
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

	return df->wbuf ? flush_file(df) : 0;
}

static ssize_t dfuse_read_op(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct dfuse_file *df = file->private_data;
	struct dfuse_alt *alt = df->alt;
	size_t done = 0;
	s64 avail;
	u8 *kbuf;
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
		err = flush_file(df);
		if (err)
			return err;
	}
	kbuf = kvmalloc(min_t(size_t, count, DFUSE_READ_CHUNK), GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	err = dfuse_io_begin(df->dd, alt->number, true);
	if (err)
		goto out;
	dfuse_op_start(df->dd, alt->number, DFUSE_OP_READ, count);
	while (done < count) {
		size_t n = min_t(size_t, count - done, DFUSE_READ_CHUNK);

		err = dfuse_read(&df->dd->engine, alt->base + *ppos, kbuf, n,
				 NULL);
		if (!err && copy_to_user(buf + done, kbuf, n))
			err = -EFAULT;
		if (err)
			break;
		done += n;
		*ppos += n;
		dfuse_op_progress(df->dd, done);
		if (signal_pending(current) && done < count)
			break;	/* at a block boundary; release() idles it */
	}
	dfuse_op_finish(df->dd, done ? 0 : err);
	dfuse_io_end(df->dd);
out:
	kvfree(kbuf);
	if (!done && !err && signal_pending(current))
		return -EINTR;
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

	if (df->wlen && (addr != df->wstart + df->wlen ||
			 df->wlen + count > DFUSE_WBUF_SIZE)) {
		err = flush_file(df);
		if (err)
			return err;
		/* a signal during that flush: everything before is written */
		if (signal_pending(current))
			return -ERESTARTSYS;
	}
	if (!df->wlen)
		df->wstart = addr;
	if (copy_from_user(df->wbuf + df->wlen, buf, count))
		return -EFAULT;
	df->wlen += count;
	*ppos += count;
	return count;
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

/* Range ioctls: ERASE, WRITE, READ at absolute addresses of this alt. */
static long ioc_range(struct dfuse_file *df, unsigned int cmd,
		      void __user *uarg)
{
	struct dfuse_device *dd = df->dd;
	struct dfuse_alt *alt = df->alt;
	struct dfuse_range r;
	u8 need = cmd == DFUSE_IOC_READ ? DFUSE_SEG_READABLE :
		  cmd == DFUSE_IOC_ERASE ? DFUSE_SEG_ERASABLE :
		  DFUSE_SEG_WRITABLE;
	u32 allowed = cmd == DFUSE_IOC_WRITE ? DFUSE_WRITE_ALWAYS_ERASE : 0;
	u8 *kbuf = NULL;
	size_t done = 0;
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

	if (cmd != DFUSE_IOC_ERASE) {
		kbuf = kvmalloc(r.length, GFP_KERNEL);
		if (!kbuf)
			return -ENOMEM;
		if (cmd == DFUSE_IOC_WRITE &&
		    copy_from_user(kbuf, u64_to_user_ptr(r.data), r.length)) {
			err = -EFAULT;
			goto out;
		}
	}
	err = df->wbuf ? flush_file(df) : 0;
	if (!err)
		err = dfuse_io_begin(dd, alt->number, true);
	if (err)
		goto out;
	if (cmd == DFUSE_IOC_WRITE) {
		err = program_range(dd, alt, r.address, kbuf, r.length,
				    r.flags);
		done = err ? 0 : r.length;
	} else if (cmd == DFUSE_IOC_READ) {
		dfuse_op_start(dd, alt->number, DFUSE_OP_READ, r.length);
		err = dfuse_read(&dd->engine, r.address, kbuf, r.length, &done);
		dfuse_op_finish(dd, err);
	} else {
		struct dfuse_page *pages = kcalloc(DFUSE_MAX_PAGES,
						   sizeof(*pages), GFP_KERNEL);
		int i, n = pages ? dfuse_plan_pages(&alt->map, r.address,
						    r.length, pages,
						    DFUSE_MAX_PAGES) : -ENOMEM;

		dfuse_op_start(dd, alt->number, DFUSE_OP_ERASE, r.length);
		err = n < 0 ? n : 0;
		for (i = 0; i < n && !err; i++) {
			err = dfuse_erase_page(&dd->engine, pages[i].start);
			if (!err)
				done += pages[i].hi - pages[i].lo;
			dfuse_op_progress(dd, done);
		}
		dfuse_op_finish(dd, err);
		kfree(pages);
	}
	dfuse_io_end(dd);
	if (cmd == DFUSE_IOC_READ && done &&
	    copy_to_user(u64_to_user_ptr(r.data), kbuf, done))
		err = -EFAULT;
	r.done = done;
	if (arg_out(&r, sizeof(r), uarg))
		err = -EFAULT;
out:
	kvfree(kbuf);
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
	err = df->wbuf ? flush_file(df) : 0;
	if (!err)
		err = dfuse_io_begin(dd, df->alt->number, true);
	if (err)
		return err;
	switch (cmd) {
	case DFUSE_IOC_MASS_ERASE:
		dfuse_op_start(dd, df->alt->number, DFUSE_OP_ERASE, 0);
		err = dfuse_mass_erase(e);
		dfuse_op_finish(dd, err);
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
	err = flush_file(df);
	if (!err)
		err = dfuse_io_begin(df->dd, df->alt->number, true);
	if (err)
		return err;
	dfuse_op_start(df->dd, df->alt->number, DFUSE_OP_LEAVE, 0);
	/* a zero-length DNLOAD is only valid after a pointer is set */
	err = dfuse_leave(&df->dd->engine, true, l.flags & DFUSE_LEAVE_JUMP ?
			  l.address : df->dd->alt[0].base);
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
