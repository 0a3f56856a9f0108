/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An open /dev/dfuseN.A: what cdev.c (file operations) and ioctl.c share.
 */
#ifndef DFUSE_FILE_H
#define DFUSE_FILE_H

#include <linux/fs.h>
#include <linux/mutex.h>

struct dfuse_device;
struct dfuse_alt;

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

/* Program the gathered extent, taking @lock (cdev.c). */
int dfuse_flush_file(struct dfuse_file *df);

/*
 * Read [addr, addr + count) into user memory (cdev.c): the bytes copied
 * in @done whatever the error; -EINTR when a signal stopped it.
 */
int dfuse_read_range(struct dfuse_file *df, u32 addr, char __user *buf,
		     size_t count, size_t *done);

long dfuse_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif
