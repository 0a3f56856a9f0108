// SPDX-License-Identifier: GPL-2.0
/*
 * What a write does to each page it touches (flush.h): left alone when it
 * already holds the result, programmed when blank where it must change,
 * erased and programmed otherwise. Decided by reading the page, a block at
 * a time, and no more of it than the decision needs.
 */
#include <linux/dfuse.h>

#include "flush.h"

static int read_into(struct dfuse_flush *f, u32 addr, u32 len)
{
	return dfuse_read(&f->dd->engine, addr, f->old + (addr - f->span), len,
			  NULL);
}

/*
 * Erasable pages smaller than a transfer (L0: 128 bytes, L1: 256) are
 * read and programmed in groups that fill one transfer: a request per
 * page would take 16 times as many for an L0 at 2048 bytes a transfer.
 * The group that starts at page @i, up to page @limit: contiguous
 * erasable pages within one transfer, each written whole (@programming
 * false) or to be programmed (true). Return: its last page.
 */
int dfuse_group_end(const struct dfuse_flush *f, int i, int limit,
		    bool programming)
{
	u64 start = f->pages[i].start, xfer = f->dd->transfer_size;
	int k = i;

	while (k + 1 < limit) {
		const struct dfuse_page *q = &f->pages[k + 1];

		if (q->start != (u64)f->pages[k].start + f->pages[k].size ||
		    (u64)q->start + q->size - start > xfer ||
		    !dfuse_seg_has(f->alt, q->start, DFUSE_SEG_ERASABLE))
			break;
		if (programming ? f->act[k + 1] == DFUSE_PAGE_SKIP :
				  q->lo || q->hi != q->size)
			break;
		k++;
	}
	return k;
}

/* OTP, option bytes: written in place; skipped if they already match. */
static int classify_in_place(struct dfuse_flush *f, int i)
{
	struct dfuse_page *p = &f->pages[i];
	u32 off = p->start - f->span;
	int err;

	f->act[i] = DFUSE_PAGE_PROGRAM;
	if (!dfuse_seg_has(f->alt, p->start, DFUSE_SEG_READABLE))
		return 0;
	err = read_into(f, p->start + p->lo, p->hi - p->lo);
	if (err)
		return err;
	if (!memcmp(f->old + off + p->lo, f->new + off + p->lo, p->hi - p->lo))
		f->act[i] = DFUSE_PAGE_SKIP;
	return 0;
}

/*
 * Page @i is decided before its end; the next page is read from its start.
 * When what is left of this one is short, read it too, so that the reads
 * run on: addressing the next page anew takes five requests (an ABORT, a
 * Set Address Pointer and its two GETSTATUS, an ABORT), about as long as
 * 4 KiB of UPLOADs at full speed.
 */
#define READ_THROUGH_MAX	4096

static int read_through(struct dfuse_flush *f, int i, u32 from)
{
	u64 end = dfuse_group_limit(f, i);

	if (end - from > READ_THROUGH_MAX || i + 1 >= f->n ||
	    f->pages[i + 1].start != end ||
	    !dfuse_seg_has(f->alt, f->pages[i + 1].start, DFUSE_SEG_ERASABLE))
		return 0;
	return read_into(f, from, end - from);
}

/*
 * A page written whole: read it a block at a time and stop as soon as it
 * is known to need an erase (a block differs, and one is not blank).
 */
static int classify_whole(struct dfuse_flush *f, int i)
{
	struct dfuse_page *p = &f->pages[i];
	u32 off = p->start - f->span, b, n;
	bool differs = false, written = false;
	u16 xfer = f->dd->transfer_size;
	int err;

	if (p->size < xfer) {	/* read with its group, decided at once */
		if (p->start < f->have_from ||
		    (u64)p->start + p->size > f->have_to) {
			int k = dfuse_group_end(f, i, f->n, false);

			err = read_into(f, p->start,
					dfuse_group_limit(f, k) - p->start);
			if (err)
				return err;
			f->have_from = p->start;
			f->have_to = dfuse_group_limit(f, k);
		}
		f->act[i] = dfuse_plan_page(f->old + off, f->new + off,
					    p->size);
		return 0;
	}
	for (b = 0; b < p->size; b += n) {
		n = min_t(u32, xfer, p->size - b);
		err = read_into(f, p->start + b, n);
		if (err)
			return err;
		differs |= !!memcmp(f->old + off + b, f->new + off + b, n);
		written |= !dfuse_plan_is_blank(f->old + off + b, n);
		if (differs && written) {
			f->act[i] = DFUSE_PAGE_ERASE_PROGRAM;
			return read_through(f, i, p->start + b + n);
		}
	}
	f->act[i] = differs ? DFUSE_PAGE_PROGRAM : DFUSE_PAGE_SKIP;
	return 0;
}

int dfuse_classify(struct dfuse_flush *f, bool always_erase)
{
	int i, err;

	for (i = 0; i < f->n; i++) {
		struct dfuse_page *p = &f->pages[i];
		bool partial = p->lo || p->hi != p->size;
		u32 off = p->start - f->span;

		if (dfuse_stop_requested(f))
			return -EINTR;
		if (!dfuse_seg_has(f->alt, p->start, DFUSE_SEG_ERASABLE)) {
			err = classify_in_place(f, i);
			if (err)
				return err;
			continue;
		}
		if (always_erase && !partial) {
			f->act[i] = DFUSE_PAGE_ERASE_PROGRAM;
			continue;
		}
		if (!partial) {
			err = classify_whole(f, i);
			if (err)
				return err;
			continue;
		}
		err = read_into(f, p->start, p->size);
		if (err)
			return err;
		/* keep the bytes around what was written */
		memcpy(f->new + off, f->old + off, p->lo);
		memcpy(f->new + off + p->hi, f->old + off + p->hi,
		       p->size - p->hi);
		f->act[i] = always_erase ? DFUSE_PAGE_ERASE_PROGRAM :
			    dfuse_plan_page(f->old + off, f->new + off, p->size);
	}
	return 0;
}
