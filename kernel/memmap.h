/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DfuSe memory-map strings: "@Name /0xADDR/COUNT*SIZE<mult><type>,..."
 *
 * Pure code: no USB, no allocation. The parser fills a caller-provided
 * struct and is shared by the module, its KUnit suites and the test tools.
 */
#ifndef DFUSE_MEMMAP_H
#define DFUSE_MEMMAP_H

#ifdef __KERNEL__
#include <linux/types.h>
#else	/* the emulator and userspace unit tests share this parser */
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
typedef __u8 u8;
typedef __u32 u32;
typedef __u64 u64;
#endif

#include <linux/dfuse.h>	/* DFUSE_SEG_* flags */

/* A string descriptor holds at most 126 UTF-16 units. */
#define DFUSE_NAME_MAX		128
#define DFUSE_MAX_SEGMENTS	32

/* A run of @count pages of @page_size bytes starting at @start. */
struct dfuse_segment {
	u32 start;
	u32 count;
	u32 page_size;
	u8 flags;
};

struct dfuse_memmap {
	char name[DFUSE_NAME_MAX];
	/* a form we accepted by guessing (as dfu-util does), or NULL */
	const char *warning;
	unsigned int nr_segments;
	struct dfuse_segment seg[DFUSE_MAX_SEGMENTS];
};

/* Bytes covered by a segment run; never overflows (checked at parse time). */
static inline u64 dfuse_segment_size(const struct dfuse_segment *s)
{
	return (u64)s->count * s->page_size;
}

static inline u64 dfuse_segment_end(const struct dfuse_segment *s)
{
	return s->start + dfuse_segment_size(s);
}

/**
 * dfuse_memmap_parse() - parse one alternate setting's memory-map string
 * @str: the iInterface string, NUL-terminated
 * @map: filled on success; contents undefined on failure
 * @why: if not NULL, set to a short reason on failure
 *
 * Return: 0, -EINVAL for a string that does not follow the grammar,
 * -ERANGE for sizes or addresses that overflow 32 bits or overlap,
 * -E2BIG for more segment runs than DFUSE_MAX_SEGMENTS.
 */
int dfuse_memmap_parse(const char *str, struct dfuse_memmap *map,
		       const char **why);

/* Lowest start and highest end over all segments; false when empty. */
bool dfuse_memmap_span(const struct dfuse_memmap *map, u32 *lo, u64 *hi);

/* The segment containing @addr, or NULL. */
const struct dfuse_segment *dfuse_memmap_find(const struct dfuse_memmap *map,
					      u64 addr);

/*
 * Render "name=NAME; 0xSTART COUNTxPAGE rew; ..." (the test-vector format)
 * into @buf. Return: the length written, as snprintf.
 */
int dfuse_memmap_format(const struct dfuse_memmap *map, char *buf,
			size_t size);

#endif /* DFUSE_MEMMAP_H */
