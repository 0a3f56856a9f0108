/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Range logic of the character devices, pure: file offsets and addresses,
 * checking a range against the memory map, the pages a write touches and
 * what each needs (nothing, programming, or erase then programming).
 */
#ifndef DFUSE_PLAN_H
#define DFUSE_PLAN_H

#include "memmap.h"

struct dfuse_page {
	u32 start;
	u32 size;
	u32 lo, hi;	/* the written bytes: [lo, hi) relative to start */
};

enum dfuse_page_action {
	DFUSE_PAGE_SKIP,		/* already holds the result */
	DFUSE_PAGE_PROGRAM,		/* reads blank: program, no erase */
	DFUSE_PAGE_ERASE_PROGRAM,
};

/*
 * Check [addr, addr + len) against @map for an access needing @flags
 * (one DFUSE_SEG_* flag). Return: the bytes from @addr that are usable
 * without a gap (>= 1), or -ENXIO (addr in no segment), -EACCES (not
 * readable), -EROFS (not writable or erasable), -EOVERFLOW.
 */
s64 dfuse_plan_check(const struct dfuse_memmap *map, u32 addr, u64 len,
		     u8 flags);

/*
 * Pages one write or erase may touch. Real maps have at most a few
 * thousand (L1: 2048 of 256 bytes, L0: 1536 of 128); the page array of a
 * write is sized to the pages it touches, so this only bounds it.
 */
#define DFUSE_MAX_PAGES	65536

/*
 * Fill @pages (NULL: only count them) with the erase pages
 * [addr, addr + len) touches, in address order. The range must have
 * passed dfuse_plan_check().
 * Return: the number of pages, or -E2BIG if more than @max.
 */
int dfuse_plan_pages(const struct dfuse_memmap *map, u32 addr, u32 len,
		     struct dfuse_page *pages, int max);

bool dfuse_plan_is_blank(const u8 *buf, size_t len);

/* What a page holding @old must undergo to hold @new. */
enum dfuse_page_action dfuse_plan_page(const u8 *old, const u8 *new,
				       size_t len);

/* SEEK_DATA / SEEK_HOLE over the map: offsets relative to @base. */
s64 dfuse_plan_seek_data(const struct dfuse_memmap *map, u32 base, u64 size,
			 u64 off);
s64 dfuse_plan_seek_hole(const struct dfuse_memmap *map, u32 base, u64 size,
			 u64 off);

#endif /* DFUSE_PLAN_H */
