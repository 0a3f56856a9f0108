// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: kernel/memmap.c, the parser a hostile device feeds, on any
 * string. A map it takes must be one the driver can trust: at most 32
 * segments, none empty, none past 4 GiB, none overlapping (checked here,
 * not by the parser's own code), and written out again one segment a
 * region, it must parse to the same segments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/memmap.h"

static void same_again(const struct dfuse_memmap *m)
{
	static char text[32 * 48 + 8];
	struct dfuse_memmap again;
	unsigned int i;
	/* any name: the segments are the property */
	size_t len = (size_t)snprintf(text, sizeof(text), "@N");
	for (i = 0; i < m->nr_segments; i++) {
		const struct dfuse_segment *s = &m->seg[i];

		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"/0x%08X/%u*%uB%c", s->start, s->count,
					s->page_size, 'a' + s->flags - 1);
	}
	if (dfuse_memmap_parse(text, &again, NULL) ||
	    again.nr_segments != m->nr_segments)
		abort();
	for (i = 0; i < m->nr_segments; i++)
		if (again.seg[i].start != m->seg[i].start ||
		    again.seg[i].count != m->seg[i].count ||
		    again.seg[i].page_size != m->seg[i].page_size ||
		    again.seg[i].flags != m->seg[i].flags)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dfuse_memmap m;
	char *s = malloc(size + 1);
	unsigned int i, j;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!dfuse_memmap_parse(s, &m, NULL)) {
		if (m.nr_segments > DFUSE_MAX_SEGMENTS)
			abort();
		for (i = 0; i < m.nr_segments; i++) {
			const struct dfuse_segment *a = &m.seg[i];

			if (!a->count || !a->page_size || !a->flags || a->flags > 7 ||
			    (uint64_t)a->start + (uint64_t)a->count * a->page_size > 1ull << 32)
				abort();
			for (j = i + 1; j < m.nr_segments; j++) {
				const struct dfuse_segment *b = &m.seg[j];
				uint64_t ae = a->start + (uint64_t)a->count * a->page_size;
				uint64_t be = b->start + (uint64_t)b->count * b->page_size;

				if (a->start < be && b->start < ae)
					abort();
			}
			if (dfuse_memmap_find(&m, a->start) != a)
				abort();
		}
		if (strnlen(m.name, sizeof(m.name)) == sizeof(m.name))
			abort();
		same_again(&m);
	}
	free(s);
	return 0;
}
