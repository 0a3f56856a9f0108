// SPDX-License-Identifier: GPL-2.0
/*
 * --fuzz SEED: a reproducible random or malformed descriptor set. The same
 * seed always gives the same board: alt count (up to more than a driver
 * takes), memory maps (valid, mutated, garbage, empty, extreme numbers),
 * wTransferSize, bcdDFU, bmAttributes, wDetachTimeOut, a missing
 * functional descriptor or iInterface, another vendor.
 *
 * Beside the board it writes what a correct driver must show, in the state
 * directory: fuzz-expect has "ignore-ok" when the driver may leave the
 * board alone silently (plain DFU of another vendor), and altN.segments
 * holds the segments of alt N's map as the parser sees it, in the format
 * of /sys/class/dfuse/dfuseX.N/segments (empty if it does not parse).
 */
#include <stdio.h>
#include <string.h>

#include "bootloader.h"
#include "fuzz.h"

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	/* xorshift32: the same sequence on every host */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static uint32_t pick(uint32_t n)
{
	return rnd() % n;
}

static void valid_map(char *out, size_t size, unsigned int alt)
{
	static const char mult[] = { ' ', 'K', 'M', 'B' };
	uint32_t addr = (pick(4) == 0 ? rnd() : 0x08000000u + pick(64) * 0x4000u) & ~3u;
	int len = snprintf(out, size, "@Fuzz %u /0x%08X/", alt, addr);
	unsigned int n = 1 + pick(4), i;

	for (i = 0; i < n && len < (int)size - 16; i++)
		len += snprintf(out + len, size - (size_t)len, "%s%02u*%03u%c%c",
				i ? "," : "", 1 + pick(16), 1 + pick(256),
				mult[pick(4)], 'a' + (char)pick(7));
}

static void mutate(char *s, size_t size)
{
	static const char alphabet[] = "@/*,0x123456789abcdefgKMB .-";
	unsigned int n = 1 + pick(4), i;
	size_t len = strlen(s), at;

	for (i = 0; i < n && len; i++) {
		at = pick((uint32_t)len);
		switch (pick(3)) {
		case 0:	/* replace */
			s[at] = alphabet[pick(sizeof(alphabet) - 1)];
			break;
		case 1:	/* delete */
			memmove(s + at, s + at + 1, len - at);
			len--;
			break;
		default:	/* cut */
			s[at] = '\0';
			len = at;
			break;
		}
	}
	(void)size;
}

static void garbage(char *s, size_t size)
{
	size_t n = pick((uint32_t)(size - 1)), i;

	for (i = 0; i < n; i++)
		s[i] = (char)(32 + pick(95));
	s[n] = '\0';
}

static void write_expect(const struct emu *e, const char *dir, bool ignore_ok)
{
	char path[512];
	unsigned int i, j;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz-expect", dir);
	f = fopen(path, "w");
	if (f) {
		fputs(ignore_ok ? "ignore-ok\n" : "must-answer\n", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/fuzz-descriptors", dir);
	f = fopen(path, "w");
	if (f) {	/* to reproduce a failure by hand */
		fprintf(f, "vid=0x%04x pid=0x%04x transfer_size=%u dfu_version=0x%04x attributes=0x%02x detach_timeout=%u no_functional=%d no_iinterface=%d\n",
			e->p.vid, e->p.pid, e->p.transfer_size, e->p.dfu_version,
			e->p.attributes, e->p.detach_timeout, e->f.no_functional,
			e->f.no_iinterface);
		for (i = 0; i < e->p.nr_alts; i++)
			fprintf(f, "alt%u=%s\n", i, e->p.map[i]);
		fclose(f);
	}
	for (i = 0; i < e->p.nr_alts; i++) {
		struct dfuse_memmap map;

		snprintf(path, sizeof(path), "%s/alt%u.segments", dir, i);
		f = fopen(path, "w");
		if (!f)
			continue;
		if (!dfuse_memmap_parse(e->p.map[i], &map, NULL))
			for (j = 0; j < map.nr_segments; j++) {
				const struct dfuse_segment *s = &map.seg[j];

				fprintf(f, "0x%08X %ux%u %s%s%s\n", s->start,
					s->count, s->page_size,
					s->flags & DFUSE_SEG_READABLE ? "r" : "",
					s->flags & DFUSE_SEG_ERASABLE ? "e" : "",
					s->flags & DFUSE_SEG_WRITABLE ? "w" : "");
			}
		fclose(f);
	}
}

void emu_fuzz(struct emu *e, unsigned long seed, const char *state_dir)
{
	static const uint16_t xfer[] = { 0, 1, 63, 64, 128, 1024, 2048, 2048,
					 4096, 4097, 65535 };
	struct emu_profile *p = &e->p;
	bool other_vendor, plausible;
	unsigned int i;

	rnd_state = (uint32_t)(seed * 2654435761u) | 1;
	for (i = 0; i < 8; i++)
		rnd();
	/* half the boards are plausible, so that binding is exercised too */
	plausible = pick(2);
	p->nr_alts = plausible ? 1 + pick(5) : 1 + pick(18);
	for (i = 0; i < p->nr_alts; i++) {
		char *m = p->map[i];

		p->real[i][0] = '\0';
		switch (plausible ? pick(5) : pick(10)) {
		case 0: case 1: case 2: case 3:
			valid_map(m, EMU_MAP_MAX, i);
			break;
		case 4: case 5: case 6:
			valid_map(m, EMU_MAP_MAX, i);
			mutate(m, EMU_MAP_MAX);
			break;
		case 7:
			garbage(m, EMU_MAP_MAX);
			break;
		case 8:
			m[0] = '\0';
			break;
		default:
			snprintf(m, EMU_MAP_MAX, "@Big /0x%08X/%u*%u%c%c", rnd(),
				 rnd() % 100000, rnd() % 100000,
				 "KMB "[pick(4)], 'a' + (char)pick(7));
			break;
		}
	}
	p->transfer_size = plausible ? 2048 : pick(8) ? xfer[pick(sizeof(xfer) / sizeof(xfer[0]))] :
			   (uint16_t)rnd();
	p->dfu_version = plausible || pick(4) ? 0x011a : (uint16_t[]){ 0x0110, 0x0100,
			  (uint16_t)rnd() }[pick(3)];
	p->attributes = (uint8_t)rnd();
	p->detach_timeout = (uint16_t)rnd();
	e->f.no_functional = !plausible && !pick(12);
	e->f.no_iinterface = plausible || pick(12) ? -1 : (int)pick(p->nr_alts);
	other_vendor = !pick(6);
	if (other_vendor) {
		p->vid = 0x1209;
		p->pid = 0xdf11;
	}
	/* plain DFU of another vendor (or no way to tell) is not ours */
	write_expect(e, state_dir, other_vendor &&
		     (p->dfu_version != 0x011a || e->f.no_functional));
}
