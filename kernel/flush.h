/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One write's state, shared by the programming policy (program.c) and the
 * classifier that decides each page's action by reading it (classify.c).
 */
#ifndef DFUSE_FLUSH_H
#define DFUSE_FLUSH_H

#include <linux/sched/signal.h>

#include "device.h"
#include "plan.h"

/*
 * @pages: the pages the write touches, @n of them, and @act what is done
 * to each (DFUSE_PAGE_*); @old holds what was read of them, @new the
 * result, both from @span. The rest says how far the work got, for the
 * log line of a failure.
 */
struct dfuse_flush {
	struct dfuse_device *dd;
	struct dfuse_alt *alt;
	struct dfuse_page *pages;
	u8 *act;
	int n;
	u32 span;		/* address of old[0] and new[0] */
	u8 *old, *new;
	u64 done, total;
	int erased_from, erased_to;	/* pages erased, not yet programmed */
	int erase_failed;		/* page whose erase failed, or -1 */
	int torn, torn_to;		/* pages whose programming failed, or -1 */
	u64 have_from, have_to;		/* addresses old[] holds (small pages) */
	int cut;			/* pages from here on are not written */
	bool interruptible;		/* any signal stops, not only fatal */
};

/* Stop between pages? A fatal signal always; any when interruptible. */
static inline bool dfuse_stop_requested(const struct dfuse_flush *f)
{
	return f->interruptible ? signal_pending(current) :
				  fatal_signal_pending(current);
}

static inline bool dfuse_seg_has(struct dfuse_alt *alt, u32 addr, u8 flag)
{
	const struct dfuse_segment *s = dfuse_memmap_find(&alt->map, addr);

	return s && (s->flags & flag);
}

/* The end address of page @k. */
static inline u64 dfuse_group_limit(const struct dfuse_flush *f, int k)
{
	return (u64)f->pages[k].start + f->pages[k].size;
}

int dfuse_group_end(const struct dfuse_flush *f, int i, int limit,
		    bool programming);

/*
 * Decide each page's action (f->act), reading as little as possible.
 * Return: 0 or -errno (-EINTR: stopped by a signal).
 */
int dfuse_classify(struct dfuse_flush *f, bool always_erase);

#endif /* DFUSE_FLUSH_H */
