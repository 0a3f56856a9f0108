// SPDX-License-Identifier: GPL-2.0
/*
 * DFUSE_WRITE_VERIFY: after a write, read back what it programmed and
 * nothing else. Pages it left alone were compared with the result before;
 * blank units of an erased page were not programmed. So a verified write
 * costs one read of the bytes it programmed, in runs as long as they were
 * programmed (small pages: several to a request). Where a part's sectors
 * may not be its map's (alt->check_erase), each erased page is read back
 * before anything is programmed on it.
 */
#include <linux/device.h>
#include <linux/string.h>
#include <linux/dfuse.h>

#include "program.h"

struct dfuse_verify {
	struct dfuse_device *dd;
	struct dfuse_alt *alt;
	u32 span;		/* the address of buf[0] and want[0] */
	u8 *buf;
	const u8 *want;
	u32 run, run_len;	/* programmed bytes not yet read back */
	u32 bad;		/* where verifying stopped */
};

/* Read back the run into buf and compare it with what was programmed. */
static int verify_run(struct dfuse_verify *v)
{
	u32 off = v->run - v->span, i;
	int err;

	if (!v->run_len)
		return 0;
	v->bad = v->run;
	err = dfuse_read(&v->dd->engine, v->run, v->buf + off, v->run_len,
			 NULL);
	if (err)
		return err;
	for (i = 0; i < v->run_len && v->buf[off + i] == v->want[off + i]; i++)
		;
	if (i < v->run_len) {
		v->bad = v->run + i;
		dev_err(&v->dd->udev->dev, "dfuse%d.%u: verify: 0x%08x reads 0x%02x after 0x%02x was programmed\n",
			v->dd->index, v->alt->number, v->bad, v->buf[off + i],
			v->want[off + i]);
		return -EBADMSG;
	}
	v->run_len = 0;
	return 0;
}

/* [addr, addr + len) was programmed: join it to the run, or start one. */
static int verify_add(struct dfuse_verify *v, u32 addr, u32 len)
{
	int err = 0;

	if (v->run_len && v->run + v->run_len != addr)
		err = verify_run(v);
	if (!v->run_len)
		v->run = addr;
	v->run_len += len;
	return err;
}

int dfuse_verify_written(struct dfuse_device *dd, struct dfuse_alt *alt,
			 const struct dfuse_page *pages, const u8 *act, int n,
			 u32 span, u8 *buf, const u8 *want, u32 *ok_until)
{
	struct dfuse_verify v = { .dd = dd, .alt = alt, .span = span,
				  .buf = buf, .want = want };
	const struct dfuse_segment *s;
	u32 unit, b, len, off;
	int i, err = 0;

	for (i = 0; !err && i < n &&
	     pages[i].start + pages[i].hi <= *ok_until; i++) {
		const struct dfuse_page *p = &pages[i];

		off = p->start - span;
		if (act[i] == DFUSE_PAGE_SKIP) {
			err = verify_run(&v);
			continue;
		}
		s = dfuse_memmap_find(&alt->map, p->start);
		if (!s || !(s->flags & DFUSE_SEG_ERASABLE)) {
			/* written as it was given: [lo, hi) */
			err = verify_add(&v, p->start + p->lo, p->hi - p->lo);
			continue;
		}
		/* the non-blank units, as program.c programmed them */
		unit = min_t(u32, dd->transfer_size, p->size);
		for (b = 0; !err && b < p->size; b += unit) {
			len = min_t(u32, unit, p->size - b);
			if (dfuse_plan_is_blank(want + off + b, len))
				err = verify_run(&v);
			else
				err = verify_add(&v, p->start + b, len);
		}
	}
	if (!err)
		err = verify_run(&v);
	if (err)
		*ok_until = min(*ok_until, v.bad);
	return err;
}

int dfuse_verify_erased(struct dfuse_device *dd, struct dfuse_alt *alt,
			const struct dfuse_page *page, u8 *buf)
{
	u8 *bad;
	int err;

	err = dfuse_read(&dd->engine, page->start, buf, page->size, NULL);
	if (err)
		return err;
	bad = memchr_inv(buf, 0xff, page->size);
	if (!bad)
		return 0;
	dev_err(&dd->udev->dev, "dfuse%d.%u: 0x%08x reads 0x%02x after the page at 0x%08x was erased: the part's sectors are not its map's (an STM32F7 in dual-bank mode?); nothing is programmed there\n",
		dd->index, alt->number, page->start + (u32)(bad - buf), *bad,
		page->start);
	return -EIO;
}
