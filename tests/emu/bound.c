// SPDX-License-Identifier: GPL-2.0
/*
 * The bounds the benchmark compares every host with, from the emulator's
 * own flash and bus model (typical busy times, no jitter):
 *
 *   any-host bound      = busy + requests
 *   compare-first bound = busy + requests + compare
 *     busy     = erase time of each page whose content changes and is not
 *                blank + program time of each non-blank block of those pages
 *     requests = per erase, block and address run: one DNLOAD and two
 *                GETSTATUS (one starts the work, one finds it done), each
 *                at its full-speed bus cost (emu_bus_time_ns); as on ST's
 *                ROMs the work starts once the first GETSTATUS's answer
 *                has left, so no bus time hides under the work
 *     compare  = reading the old content (one UPLOAD per block) of each
 *                page up to its first block that differs; all of an
 *                unchanged or blank page (to skip its erase)
 *   The any-host bound is what a host that already knew the flash's
 *   content would take: none can be faster. A host that compares first
 *   (dfuse, to leave unchanged pages alone) cannot be faster than the
 *   compare-first bound.
 *   verify      = one UPLOAD per block programmed: what a host that
 *                 verifies must read back (its bound: compare-first + it)
 *   read bound  = one UPLOAD per block.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"

static uint8_t *load(const char *path, uint32_t len)
{
	uint8_t *b = malloc(len);
	FILE *f;
	size_t n = 0;

	if (!b)
		return NULL;
	memset(b, 0xff, len);
	if (strcmp(path, "blank")) {
		f = fopen(path, "rb");
		if (!f) {
			free(b);
			return NULL;
		}
		n = fread(b, 1, len, f);
		fclose(f);
	}
	(void)n;	/* shorter files: the rest of the flash is blank */
	return b;
}

static bool blank(const uint8_t *b, uint32_t len)
{
	while (len--)
		if (*b++ != 0xff)
			return false;
	return true;
}

/* The bus time of one DNLOAD of @len bytes and its two GETSTATUS. */
static uint64_t op_bus_ns(int len)
{
	return emu_bus_time_ns(len) + 2 * emu_bus_time_ns(6);
}

int emu_bound(const struct emu_profile *p, const char *old_path,
	      const char *new_path, uint32_t size, FILE *out)
{
	const char *str = p->real[0][0] ? p->real[0] : p->map[0];
	uint64_t busy_ms = 0, bus_ns = 0, read_ns = 0, all_ns = 0, verify_ns = 0;
	unsigned long erases = 0, blocks = 0, runs = 0;
	uint32_t xfer = p->transfer_size, base, span, off, b;
	struct dfuse_memmap map;
	uint8_t *old, *new;
	bool in_run = false;
	u64 hi;
	unsigned int i, k;

	if (dfuse_memmap_parse(str, &map, NULL) ||
	    !dfuse_memmap_span(&map, &base, &hi))
		return -EINVAL;
	span = (uint32_t)(hi - base);
	if (size > span || !xfer)
		return -ERANGE;
	old = load(old_path, span);
	new = load(new_path, size);
	if (!old || !new) {
		free(old);
		free(new);
		return -ENOENT;
	}
	for (i = 0; i < map.nr_segments; i++) {
		const struct dfuse_segment *s = &map.seg[i];

		for (k = 0; k < s->count; k++) {
			uint32_t start = s->start + k * s->page_size - base;
			uint32_t len = s->page_size;
			uint8_t *page;

			if (start >= size)
				continue;
			page = malloc(len);
			if (!page)
				break;
			/* the result: the new bytes, the old ones after */
			memcpy(page, old + start, len);
			memcpy(page, new + start,
			       size - start < len ? size - start : len);
			/* compare: read up to the first differing block */
			for (off = 0; off < len; off += xfer) {
				b = len - off < xfer ? len - off : xfer;
				read_ns += emu_bus_time_ns((int)b);
				if (memcmp(page + off, old + start + off, b) &&
				    !blank(old + start, len))
					break;
			}
			if (!memcmp(page, old + start, len)) {
				in_run = false;
				free(page);
				continue;
			}
			if (!blank(old + start, len)) {
				erases++;
				busy_ms += emu_erase_ms(p, len);
				bus_ns += op_bus_ns(5);
			}
			for (off = 0; off < len; off += xfer) {
				b = len - off < xfer ? len - off : xfer;
				if (blank(page + off, b)) {
					in_run = false;
					continue;
				}
				if (!in_run)
					runs++;
				in_run = true;
				blocks++;
				verify_ns += emu_bus_time_ns((int)b);
				busy_ms += emu_program_ms(p, b);
				bus_ns += op_bus_ns((int)b);
			}
			free(page);
		}
	}
	/* SET_ADDRESS: 1 ms of work */
	busy_ms += runs;
	bus_ns += runs * op_bus_ns(5);
	for (off = 0; off < size; off += xfer)
		all_ns += emu_bus_time_ns((int)(size - off < xfer ? size - off :
						xfer));
	fprintf(out, "busy_ms=%llu erases=%lu blocks=%lu runs=%lu bus_ms=%.3f "
		"compare_ms=%.3f write_bound_ms=%.3f any_host_bound_ms=%.3f "
		"verify_ms=%.3f read_bound_ms=%.3f\n",
		(unsigned long long)busy_ms, erases, blocks, runs, bus_ns / 1e6,
		read_ns / 1e6, busy_ms + (bus_ns + read_ns) / 1e6,
		busy_ms + bus_ns / 1e6, verify_ns / 1e6, all_ns / 1e6);
	free(old);
	free(new);
	return 0;
}
