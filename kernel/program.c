// SPDX-License-Identifier: GPL-2.0
/*
 * Flash programming policy (see program.h). The work happens in two
 * operations that netlink reports separately: erase every page that needs
 * it, then program. A fatal signal stops erasing at a page boundary; the
 * pages already erased are still programmed, then it stops.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/dfuse.h>

#include "flush.h"
#include "program.h"

/*
 * Program pages @i..@k (a group, or one page): the runs of their non-blank
 * units, a unit being a transfer or a page smaller than one (one page
 * written in place: its written bytes).
 */
static int program_group(struct dfuse_flush *f, int i, int k)
{
	struct dfuse_page *p = &f->pages[i];
	u16 xfer = f->dd->transfer_size;
	u32 unit = min_t(u32, xfer, p->size);
	u32 size = dfuse_group_limit(f, k) - p->start;
	u32 off = p->start - f->span, b, run = 0, run_len = 0;
	int err;

	if (!dfuse_seg_has(f->alt, p->start, DFUSE_SEG_ERASABLE))
		return dfuse_write(&f->dd->engine, p->start + p->lo,
				   f->new + off + p->lo, p->hi - p->lo, NULL);
	/* a blank unit (or the end) ends a run */
	for (b = 0; b < size || run_len; b += unit) {
		u32 len = b < size ? min_t(u32, unit, size - b) : 0;
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

/*
 * ECC flash refuses to program a blank page twice: a group of pages
 * classified blank that failed so is erased, then programmed again.
 */
static int reprogram_erased(struct dfuse_flush *f, int i, int k, int err)
{
	struct dfuse_engine *e = &f->dd->engine;
	int j;

	if (err != -EIO || e->last_status != DFUSE_STATUS_ERR_PROG ||
	    !dfuse_seg_has(f->alt, f->pages[i].start, DFUSE_SEG_ERASABLE))
		return err;
	for (j = i; j <= k; j++)
		if (f->act[j] != DFUSE_PAGE_PROGRAM)
			return err;
	for (j = i; j <= k; j++) {
		err = dfuse_erase_page(e, f->pages[j].start, f->pages[j].size);
		if (err)
			return err;
	}
	return program_group(f, i, k);
}

static int erase_pages(struct dfuse_flush *f, u64 erase_total)
{
	int i, err = 0;

	dfuse_op_start(f->dd, f->alt->number, DFUSE_OP_ERASE, erase_total);
	for (i = 0; i < f->n && !err; i++) {
		if (f->act[i] != DFUSE_PAGE_ERASE_PROGRAM)
			continue;
		if (dfuse_stop_requested(f)) {
			err = -EINTR;
			break;
		}
		err = dfuse_erase_page(&f->dd->engine, f->pages[i].start,
				       f->pages[i].size);
		if (!err && f->alt->check_erase)
			err = dfuse_verify_erased(f->dd, f->alt, &f->pages[i],
						  f->old + (f->pages[i].start - f->span));
		if (err) {
			/* begun, maybe done: its content is no longer known */
			f->erase_failed = i;
			break;
		}
		if (f->erased_from < 0)
			f->erased_from = i;
		f->erased_to = i;
		f->done += f->pages[i].size;
		dfuse_op_progress(f->dd, f->done);
	}
	dfuse_op_finish(f->dd, err);
	return err;
}

/* Is page @i next to an erased page, with no gap between them? */
static bool next_to_erased(const struct dfuse_flush *f, int i)
{
	return (i > 0 && f->act[i - 1] == DFUSE_PAGE_ERASE_PROGRAM &&
		dfuse_group_limit(f, i - 1) == f->pages[i].start) ||
	       (i + 1 < f->n && f->act[i + 1] == DFUSE_PAGE_ERASE_PROGRAM &&
		dfuse_group_limit(f, i) == f->pages[i + 1].start);
}

/*
 * alt->check_erase: a sector larger than its page (F7 dual-bank: one of
 * 64 KiB under two pages of 32 KiB) also erases a neighbour the write
 * left alone as it already held the result. Such a page was read whole
 * (old holds it, new equals it): read it again; found erased, it is
 * programmed back; found otherwise changed, the write stops.
 */
static int restore_neighbours(struct dfuse_flush *f)
{
	struct device *dev = &f->dd->udev->dev;
	u8 *now = NULL;
	int i, err = 0;

	for (i = 0; i < f->n && !err; i++) {
		struct dfuse_page *p = &f->pages[i];
		u8 *was = f->old + (p->start - f->span);

		if (f->act[i] != DFUSE_PAGE_SKIP || !next_to_erased(f, i))
			continue;
		if (!now) {
			now = vmalloc(DFUSE_MAX_PAGE_SIZE);
			if (!now)
				return -ENOMEM;
		}
		err = dfuse_read(&f->dd->engine, p->start, now, p->size, NULL);
		if (err || !memcmp(now, was, p->size))
			continue;
		if (memchr_inv(now, 0xff, p->size)) {
			dev_err(dev, "dfuse%d.%u: the page at 0x%08x changed while its neighbour was erased: the part's sectors are not its map's\n",
				f->dd->index, f->alt->number, p->start);
			f->erase_failed = p - f->pages;
			err = -EIO;
			break;
		}
		dev_warn(dev, "dfuse%d.%u: erasing next to 0x%08x erased it too (the part's sectors are not its map's): programming it again\n",
			 f->dd->index, f->alt->number, p->start);
		f->act[i] = DFUSE_PAGE_PROGRAM;
		f->total += p->size;
	}
	vfree(now);
	return err;
}

/*
 * Option bytes: ST's ROMs program them and reset to load them, so the
 * board leaves the bus while the last block is busy (dfuDNBUSY). That is
 * success when it was the last page to write; the board comes back as a
 * new device, whose node reads them back.
 */
static bool reset_to_load(struct dfuse_flush *f, int i, int err)
{
	int k;

	if (err != -ENODEV || !f->alt->option_bytes ||
	    f->dd->engine.last_state != DFUSE_STATE_DNBUSY)
		return false;
	for (k = i + 1; k < f->cut; k++)
		if (f->act[k] != DFUSE_PAGE_SKIP)
			return false;
	dev_info(&f->dd->udev->dev, "dfuse%d.%u: option bytes written at 0x%08x; the board resets to load them\n",
		 f->dd->index, f->alt->number, f->pages[i].start + f->pages[i].lo);
	return true;
}

/*
 * Is an erased page still waiting at or after page @i? A stop then would
 * leave it blank: programming goes on until none is left.
 */
static bool erased_ahead(const struct dfuse_flush *f, int i)
{
	return f->erased_from >= 0 && i <= f->erased_to;
}

/* *@ok_until: the address up to which the result is in the device. */
static int program_pages(struct dfuse_flush *f, u32 *ok_until)
{
	int i, j, k, err = 0;

	dfuse_op_start(f->dd, f->alt->number, DFUSE_OP_PROGRAM, f->total);
	f->done = 0;
	for (i = 0; i < f->cut; i = k + 1) {
		k = i;
		if (f->act[i] != DFUSE_PAGE_SKIP) {
			/* erased pages are programmed even then: else lost */
			if (!erased_ahead(f, i) && dfuse_stop_requested(f)) {
				err = -EINTR;
				break;
			}
			if (dfuse_seg_has(f->alt, f->pages[i].start,
					  DFUSE_SEG_ERASABLE))
				k = dfuse_group_end(f, i, f->cut, true);
			err = reprogram_erased(f, i, k, program_group(f, i, k));
			if (reset_to_load(f, i, err)) {
				err = 0;
				*ok_until = f->pages[i].start + f->pages[i].hi;
				break;
			}
			if (err) {
				f->torn = i;
				f->torn_to = k;
				break;
			}
		}
		/* programmed: no longer at risk */
		for (j = i; j <= k; j++)
			if (j == f->erased_from)
				f->erased_from = j < f->erased_to ? j + 1 : -1;
		*ok_until = f->pages[k].start + f->pages[k].hi;
	}
	dfuse_op_finish(f->dd, err);
	return err;
}

/* The one log line of a failed write: what failed, and what was lost. */
static void report(struct dfuse_flush *f, u32 addr, u32 len, u32 done,
		   int err)
{
	struct dfuse_engine *e = &f->dd->engine;
	struct device *dev = &f->dd->udev->dev;	/* alive while dd is */
	char lost[224] = "";
	int from = f->erased_from, n = 0;

	if (f->torn >= 0) {
		struct dfuse_page *p = &f->pages[f->torn];
		struct dfuse_page *q = &f->pages[f->torn_to];

		n = scnprintf(lost, sizeof(lost),
			      "; 0x%08x-0x%08x may be partly programmed",
			      p->start, q->start + q->size - 1);
		if (from >= f->torn && from <= f->torn_to)
			from = f->torn_to < f->erased_to ? f->torn_to + 1 : -1;
	}
	if (from >= 0) {
		struct dfuse_page *a = &f->pages[from];
		struct dfuse_page *b = &f->pages[f->erased_to];

		n += scnprintf(lost + n, sizeof(lost) - n,
			       "; 0x%08x-0x%08x was erased and is left blank",
			       a->start, b->start + b->size - 1);
	}
	if (f->erase_failed >= 0) {
		struct dfuse_page *p = &f->pages[f->erase_failed];

		scnprintf(lost + n, sizeof(lost) - n,
			  "; 0x%08x-0x%08x failed to erase and may be partly erased",
			  p->start, p->start + p->size - 1);
	}
	if (err == -EINTR)
		dev_warn(dev, "dfuse%d.%u: write of %u bytes at 0x%08x stopped by a %ssignal after %u bytes%s\n",
			 f->dd->index, f->alt->number, len, addr,
			 f->interruptible ? "" : "fatal ", done, lost);
	else
		dev_err(dev, "dfuse%d.%u: write of %u bytes at 0x%08x failed after %u bytes: %d (%s%s%*pE) at 0x%08x in %s%s\n",
			f->dd->index, f->alt->number, len, addr, done, err,
			dfuse_status_name(e->last_status),
			e->last_string[0] ? ": " : "",
			(int)strlen(e->last_string), e->last_string,
			e->last_address, dfuse_state_name(e->last_state), lost);
}

static int run(struct dfuse_flush *f, u32 flags, u32 *ok_until)
{
	u64 erase_total = 0;
	int i, err;

	err = dfuse_classify(f, flags & DFUSE_WRITE_ALWAYS_ERASE);
	if (err)
		return err;
	for (i = 0; i < f->n; i++) {
		if (f->act[i] != DFUSE_PAGE_SKIP)
			f->total += f->pages[i].size;
		if (f->act[i] == DFUSE_PAGE_ERASE_PROGRAM)
			erase_total += f->pages[i].size;
	}
	if (erase_total) {
		err = erase_pages(f, erase_total);
		if (!err && f->alt->check_erase)
			err = restore_neighbours(f);
		if (err) {
			/*
			 * Stopped part-way (a fatal signal, a device error):
			 * program what was erased, so that it is not left
			 * blank, and nothing after it.
			 */
			f->cut = f->erased_from < 0 ? 0 : f->erased_to + 1;
			if (f->cut && !program_pages(f, ok_until))
				f->erased_from = -1;
			return err;
		}
	}
	if (!f->total) {	/* every page already holds the result */
		*ok_until = f->pages[f->n - 1].start + f->pages[f->n - 1].hi;
		return 0;
	}
	return program_pages(f, ok_until);
}

int dfuse_pages_alloc(const struct dfuse_memmap *map, u32 addr, u32 len,
		      struct dfuse_page **pages)
{
	int n = dfuse_plan_pages(map, addr, len, NULL, DFUSE_MAX_PAGES);

	*pages = NULL;
	if (n <= 0)
		return n;
	*pages = kvcalloc(n, sizeof(**pages), GFP_KERNEL);
	if (!*pages)
		return -ENOMEM;
	return dfuse_plan_pages(map, addr, len, *pages, n);
}

int dfuse_program(struct dfuse_device *dd, struct dfuse_alt *alt, u32 addr,
		  const u8 *data, u32 len, u32 flags, u32 *done)
{
	struct dfuse_flush f = { .dd = dd, .alt = alt, .erased_from = -1,
		.erase_failed = -1, .torn = -1, .torn_to = -1,
		.interruptible = flags & DFUSE_PROGRAM_INTERRUPTIBLE };
	struct dfuse_page *last;
	u32 ok_until = addr;
	size_t span_len;
	int err = -ENOMEM;

	*done = 0;
	if (len > DFUSE_PROGRAM_MAX)
		return -EFBIG;
	f.n = dfuse_pages_alloc(&alt->map, addr, len, &f.pages);
	if (f.n <= 0) {
		err = f.n;
		goto out;
	}
	err = -ENOMEM;
	f.act = kvcalloc(f.n, 1, GFP_KERNEL);
	if (!f.act)
		goto out;
	f.cut = f.n;
	last = &f.pages[f.n - 1];
	f.span = f.pages[0].start;
	/* pages are at most DFUSE_MAX_PAGE_SIZE: checked at probe */
	span_len = (size_t)last->start + last->size - f.span;
	f.old = vmalloc(span_len);
	f.new = vmalloc(span_len);
	if (!f.old || !f.new)
		goto out;
	memset(f.new, 0xff, span_len);
	memcpy(f.new + (addr - f.span), data, len);

	err = run(&f, flags, &ok_until);
	if (!err && (flags & DFUSE_WRITE_VERIFY))
		err = dfuse_verify_written(dd, alt, f.pages, f.act, f.n, f.span,
					   f.old, f.new, &ok_until);
	*done = ok_until > addr ? min(ok_until - addr, len) : 0;
	if (err)
		report(&f, addr, len, *done, err);
out:
	if (err && !f.old)	/* refused before any request: say so too */
		dev_err(&dd->udev->dev, "dfuse%d.%u: write of %u bytes at 0x%08x not started: %d\n",
			dd->index, alt->number, len, addr, err);
	vfree(f.old);
	vfree(f.new);
	kvfree(f.act);
	kvfree(f.pages);
	return err;
}
