// SPDX-License-Identifier: GPL-2.0
/*
 * Range logic for the character devices; no USB, no allocation.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "plan.h"

s64 dfuse_plan_check(const struct dfuse_memmap *map, u32 addr, u64 len,
		     u8 flags)
{
	const struct dfuse_segment *s;
	u64 a = addr, end = (u64)addr + len;

	if (end > 0x100000000ULL)
		return -EOVERFLOW;
	/* walk adjacent segments as long as each allows the access */
	while (a < end) {
		s = dfuse_memmap_find(map, a);
		if (!s) {
			if (a == addr)
				return -ENXIO;
			break;
		}
		if (!(s->flags & flags)) {
			if (a == addr)
				return flags & DFUSE_SEG_READABLE ? -EACCES :
								    -EROFS;
			break;
		}
		a = dfuse_segment_end(s);
	}
	return min(a, end) - addr;
}

int dfuse_plan_pages(const struct dfuse_memmap *map, u32 addr, u32 len,
		     struct dfuse_page *pages, int max)
{
	u64 a = addr, end = (u64)addr + len;
	int n = 0;

	while (a < end) {
		const struct dfuse_segment *s = dfuse_memmap_find(map, a);
		struct dfuse_page *p;
		u64 pend;
		u32 start;

		if (!s)
			return -ENXIO;
		start = s->start + (a - s->start) / s->page_size * s->page_size;
		if (n >= max)
			return -E2BIG;
		pend = (u64)start + s->page_size;
		if (pages) {
			p = &pages[n];
			p->start = start;
			p->size = s->page_size;
			p->lo = a - start;
			p->hi = min(pend, end) - start;
		}
		n++;
		a = pend;
	}
	return n;
}

bool dfuse_plan_is_blank(const u8 *buf, size_t len)
{
	while (len && *buf == 0xff) {
		buf++;
		len--;
	}
	return !len;
}

enum dfuse_page_action dfuse_plan_page(const u8 *old, const u8 *new,
				       size_t len)
{
	if (!memcmp(old, new, len))
		return DFUSE_PAGE_SKIP;
	if (dfuse_plan_is_blank(old, len))
		return DFUSE_PAGE_PROGRAM;
	return DFUSE_PAGE_ERASE_PROGRAM;
}

s64 dfuse_plan_seek_data(const struct dfuse_memmap *map, u32 base, u64 size,
			 u64 off)
{
	u64 best = U64_MAX;
	unsigned int i;

	for (i = 0; i < map->nr_segments; i++) {
		u64 s = map->seg[i].start - (u64)base;
		u64 e = dfuse_segment_end(&map->seg[i]) - base;

		if (off < e)
			best = min(best, max(s, off));
	}
	return best == U64_MAX || best >= size ? -ENXIO : (s64)best;
}

s64 dfuse_plan_seek_hole(const struct dfuse_memmap *map, u32 base, u64 size,
			 u64 off)
{
	const struct dfuse_segment *s;

	if (off >= size)
		return -ENXIO;
	/* the end of the file counts as a hole */
	while ((s = dfuse_memmap_find(map, base + off)))
		off = dfuse_segment_end(s) - base;
	return min(off, size);
}
