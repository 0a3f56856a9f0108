// SPDX-License-Identifier: GPL-2.0
/*
 * DfuSe memory-map string parser.
 *
 * Grammar (AN3156): '@' NAME { '/' 0xADDR '/' SEG { ',' SEG } }
 * SEG = COUNT '*' SIZE [MULT] TYPE, MULT one of 'K' 'M' 'B' ' ', TYPE 'a'..'g'.
 *
 * Real bootloaders bend it, and dfu-util accepts what they send: spaces
 * around numbers and separators (AT32: "/ 0x08000000"), no multiplier
 * ("16*32e"). Those are accepted with map->warning saying what was
 * guessed. Overflow, overlap and anything else stay refused: a wrong
 * guess there would erase or write the wrong memory.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdio.h>
#include <string.h>
#endif

#include "memmap.h"

#define ADDR_LIMIT	0x100000000ULL

struct cursor {
	const char *p;
	const char *why;
	const char *warning;
};

/* Skip spaces where the grammar has none, noting the guess. */
static void skip_odd_spaces(struct cursor *c)
{
	if (*c->p != ' ')
		return;
	while (*c->p == ' ')
		c->p++;
	if (!c->warning)
		c->warning = "spaces inside a region";
}

static int fail(struct cursor *c, int err, const char *why)
{
	c->why = why;
	return err;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int hex_val(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decimal number that must fit in 32 bits; leading zeros are common. */
static int parse_dec(struct cursor *c, u32 *out)
{
	u64 v = 0;

	if (!is_digit(*c->p))
		return fail(c, -EINVAL, "expected a decimal number");
	while (is_digit(*c->p)) {
		v = v * 10 + (u64)(*c->p - '0');
		if (v > 0xffffffffULL)
			return fail(c, -ERANGE, "number does not fit in 32 bits");
		c->p++;
	}
	*out = (u32)v;
	return 0;
}

static int parse_addr(struct cursor *c, u32 *out)
{
	u32 v = 0;
	int digits = 0;
	int h;

	if (c->p[0] != '0' || (c->p[1] != 'x' && c->p[1] != 'X'))
		return fail(c, -EINVAL, "expected 0x before the address");
	c->p += 2;
	while ((h = hex_val(*c->p)) >= 0) {
		if (++digits > 8)
			return fail(c, -ERANGE, "address does not fit in 32 bits");
		v = (v << 4) | (u32)h;
		c->p++;
	}
	if (!digits)
		return fail(c, -EINVAL, "expected hex digits in the address");
	*out = v;
	return 0;
}

static int parse_segment(struct cursor *c, u64 start, struct dfuse_segment *s)
{
	u32 count, size, mult = 1;
	u64 page, total;
	int err;

	skip_odd_spaces(c);
	err = parse_dec(c, &count);
	if (err)
		return err;
	skip_odd_spaces(c);
	if (*c->p != '*')
		return fail(c, -EINVAL, "expected '*' after the page count");
	c->p++;
	skip_odd_spaces(c);
	err = parse_dec(c, &size);
	if (err)
		return err;
	/* "16 Kg": a space, then a multiplier after all */
	if (c->p[0] == ' ' && (c->p[1] == 'K' || c->p[1] == 'M' ||
			       c->p[1] == 'B'))
		skip_odd_spaces(c);

	switch (*c->p) {
	case 'K':
		mult = 1024;
		c->p++;
		break;
	case 'M':
		mult = 1024 * 1024;
		c->p++;
		break;
	case 'B':
	case ' ':
		c->p++;
		break;
	default:
		/* Missing multiplier: the type letter follows the size. */
		if (!c->warning)
			c->warning = "no multiplier, size taken in bytes";
		break;
	}
	if (*c->p < 'a' || *c->p > 'g')
		return fail(c, -EINVAL, "expected a type letter a..g");
	s->flags = (u8)(*c->p - 'a' + 1);
	c->p++;

	if (!count || !size)
		return fail(c, -EINVAL, "zero-sized segment");
	page = (u64)size * mult;
	if (page > 0xffffffffULL)
		return fail(c, -ERANGE, "page size does not fit in 32 bits");
	total = (u64)count * page;
	if (start + total > ADDR_LIMIT)
		return fail(c, -ERANGE, "segment ends past 4 GiB");
	s->start = (u32)start;
	s->count = count;
	s->page_size = (u32)page;
	return 0;
}

static int check_overlaps(struct cursor *c, const struct dfuse_memmap *map)
{
	unsigned int i, j;

	for (i = 0; i < map->nr_segments; i++) {
		for (j = i + 1; j < map->nr_segments; j++) {
			const struct dfuse_segment *a = &map->seg[i];
			const struct dfuse_segment *b = &map->seg[j];

			if (a->start < dfuse_segment_end(b) &&
			    b->start < dfuse_segment_end(a))
				return fail(c, -ERANGE, "regions overlap");
		}
	}
	return 0;
}

static int parse_name(struct cursor *c, struct dfuse_memmap *map)
{
	const char *end = strchr(c->p, '/');
	size_t len;

	if (!end)
		end = c->p + strlen(c->p);
	len = end - c->p;
	while (len && c->p[len - 1] == ' ')
		len--;
	if (len >= sizeof(map->name))
		return fail(c, -EINVAL, "name too long");
	memcpy(map->name, c->p, len);
	map->name[len] = '\0';
	c->p = end;
	return 0;
}

static int parse_region(struct cursor *c, struct dfuse_memmap *map)
{
	u64 next;
	u32 addr;
	int err;

	c->p++;	/* the '/' before the address */
	skip_odd_spaces(c);
	err = parse_addr(c, &addr);
	if (err)
		return err;
	skip_odd_spaces(c);
	if (*c->p != '/')
		return fail(c, -EINVAL, "expected '/' after the address");
	c->p++;
	next = addr;
	for (;;) {
		struct dfuse_segment *s;

		if (map->nr_segments >= DFUSE_MAX_SEGMENTS)
			return fail(c, -E2BIG, "too many segments");
		s = &map->seg[map->nr_segments];
		err = parse_segment(c, next, s);
		if (err)
			return err;
		map->nr_segments++;
		next = dfuse_segment_end(s);
		/* spaces before the next segment or region */
		if (c->p[0] == ' ') {
			const char *q = c->p;

			while (*q == ' ')
				q++;
			if (*q == ',' || (*q >= '0' && *q <= '9') ||
			    (*q == '/' && q[1]))
				skip_odd_spaces(c);
		}
		if (*c->p != ',')
			return 0;
		c->p++;
	}
}

int dfuse_memmap_parse(const char *str, struct dfuse_memmap *map,
		       const char **why)
{
	struct cursor c = { .p = str, .why = NULL };
	int err;

	memset(map, 0, sizeof(*map));
	if (*c.p != '@') {
		err = fail(&c, -EINVAL, "does not start with '@'");
		goto out;
	}
	c.p++;
	err = parse_name(&c, map);
	while (!err && *c.p == '/')
		err = parse_region(&c, map);
	if (err)
		goto out;
	while (*c.p == ' ')
		c.p++;
	if (*c.p) {
		err = fail(&c, -EINVAL, "unexpected character after a segment");
		goto out;
	}
	err = check_overlaps(&c, map);
out:
	if (why)
		*why = c.why;
	map->warning = err ? NULL : c.warning;
	return err;
}

bool dfuse_memmap_span(const struct dfuse_memmap *map, u32 *lo, u64 *hi)
{
	unsigned int i;
	u64 l = ADDR_LIMIT, h = 0;

	for (i = 0; i < map->nr_segments; i++) {
		if (map->seg[i].start < l)
			l = map->seg[i].start;
		if (dfuse_segment_end(&map->seg[i]) > h)
			h = dfuse_segment_end(&map->seg[i]);
	}
	if (!map->nr_segments)
		return false;
	*lo = (u32)l;
	*hi = h;
	return true;
}

const struct dfuse_segment *dfuse_memmap_find(const struct dfuse_memmap *map,
					      u64 addr)
{
	unsigned int i;

	for (i = 0; i < map->nr_segments; i++) {
		const struct dfuse_segment *s = &map->seg[i];

		if (addr >= s->start && addr < dfuse_segment_end(s))
			return s;
	}
	return NULL;
}

int dfuse_memmap_format(const struct dfuse_memmap *map, char *buf,
			size_t size)
{
	size_t len;
	unsigned int i;

	len = snprintf(buf, size, "name=%s", map->name);
	if (!map->nr_segments)
		len += snprintf(buf + (len < size ? len : size),
				len < size ? size - len : 0, "; (none)");
	for (i = 0; i < map->nr_segments; i++) {
		const struct dfuse_segment *s = &map->seg[i];

		len += snprintf(buf + (len < size ? len : size),
				len < size ? size - len : 0,
				"; 0x%08X %ux%u %s%s%s", s->start, s->count,
				s->page_size,
				s->flags & DFUSE_SEG_READABLE ? "r" : "",
				s->flags & DFUSE_SEG_ERASABLE ? "e" : "",
				s->flags & DFUSE_SEG_WRITABLE ? "w" : "");
	}
	return (int)len;
}
