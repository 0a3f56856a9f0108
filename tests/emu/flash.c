// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated flash: busy times, page erase, mass erase and the rules of
 * programming (blank bytes only; ECC parts: each 8-byte word once).
 */
#include <stdio.h>
#include <string.h>

#include "bootloader.h"
#include "rom.h"

/*
 * Typical times: the F4's (reference manual: 16 KiB sector 250 ms, 64 KiB
 * 550 ms, 128 KiB 1 s; 16 us per word), or the profile's own.
 */
uint32_t emu_erase_ms(const struct emu_profile *p, uint32_t page)
{
	if (p->erase_page_ms)
		return p->erase_page_ms;
	if (page <= 16384)
		return page * 250 / 16384 > 20 ? page * 250 / 16384 : 20;
	return 250 + (uint32_t)((uint64_t)(page - 16384) * 750 / (131072 - 16384));
}

uint32_t emu_program_ms(const struct emu_profile *p, uint32_t len)
{
	if (p->program_us_per_kib)
		return (uint32_t)(((uint64_t)len * p->program_us_per_kib + 1023) / 1024 + 999) / 1000;
	return (len + 3) / 4 * 16 / 1000 + 1;
}

struct emu_alt *emu_cur_alt(struct emu *e)
{
	return &e->alt[e->cur_alt];
}

/* The segment holding all of [addr, addr+len), or NULL. */
const struct dfuse_segment *emu_range_segment(struct emu_alt *a,
						 uint32_t addr, uint32_t len)
{
	const struct dfuse_segment *s = dfuse_memmap_find(&a->map, addr);
	uint64_t end = (uint64_t)addr + len;
	const struct dfuse_segment *t;

	if (!s || !len)
		return s;
	/* runs of one region follow each other: allow crossing into them */
	for (t = s; t && dfuse_segment_end(t) < end;) {
		const struct dfuse_segment *n =
			dfuse_memmap_find(&a->map, dfuse_segment_end(t));

		if (!n || n->flags != s->flags)
			return NULL;
		t = n;
	}
	return s;
}

uint8_t *emu_mem_at(struct emu_alt *a, uint32_t addr)
{
	return a->mem + (addr - a->base);
}

static void erase_range(struct emu_alt *a, uint32_t addr, uint32_t len)
{
	memset(emu_mem_at(a, addr), 0xff, len);
	if (a->programmed)
		memset(a->programmed + (addr - a->base) / 8, 0, (len + 7) / 8);
}

uint8_t emu_erase_page(struct emu *e, uint32_t addr)
{
	struct emu_alt *a = emu_cur_alt(e);
	const struct dfuse_segment *s = dfuse_memmap_find(&a->map, addr);
	uint32_t start;

	if (!s || !(s->flags & DFUSE_SEG_ERASABLE))
		return errTARGET;
	if (e->rdp)
		return errVENDOR;
	start = s->start + (addr - s->start) / s->page_size * s->page_size;
	erase_range(a, start, s->page_size);
	e->busy_ms = emu_erase_ms(&e->p, s->page_size);
	fprintf(e->log, "ERASED addr=0x%08X size=%u\n", start, s->page_size);
	if (e->p.wedge_above && start >= e->p.wedge_above) {
		e->wedged = 2;
		fprintf(e->log, "WEDGED in dfuDNBUSY\n");
	}
	return OK;
}

void emu_mass_erase(struct emu *e)
{
	unsigned int i, j;

	for (i = 0; i < e->p.nr_alts; i++) {
		struct emu_alt *a = &e->alt[i];

		for (j = 0; a->valid && j < a->map.nr_segments; j++) {
			const struct dfuse_segment *s = &a->map.seg[j];

			/* mass erase clears the main flash only */
			if (s->flags & DFUSE_SEG_ERASABLE &&
			    strstr(a->map.name, "Flash"))
				erase_range(a, s->start,
					    (uint32_t)dfuse_segment_size(s));
		}
	}
	e->busy_ms = e->p.mass_erase_ms ? e->p.mass_erase_ms : 8000;
	fprintf(e->log, "MASS_ERASED\n");
}

bool emu_rdp_from_option_bytes(const struct emu *e)
{
	unsigned int i;

	for (i = 0; i < e->p.nr_alts; i++)
		if (e->alt[i].option_bytes && e->alt[i].size > 1)
			return e->alt[i].mem[1] != 0xaa;
	return false;
}

uint8_t emu_program(struct emu *e, uint32_t addr, const uint8_t *data,
			uint32_t len)
{
	struct emu_alt *a = emu_cur_alt(e);
	const struct dfuse_segment *s = emu_range_segment(a, addr, len);
	uint8_t *m;
	uint32_t i;

	if (!s || !(s->flags & DFUSE_SEG_WRITABLE))
		return errTARGET;
	if (e->rdp && !a->option_bytes)
		return errVENDOR;
	m = emu_mem_at(a, addr);
	e->busy_ms = emu_program_ms(&e->p, len);
	if (a->option_bytes) {
		memcpy(m, data, len);
		e->after = ACT_RESET;	/* option bytes take effect at reset */
		return OK;
	}
	if (!(s->flags & DFUSE_SEG_ERASABLE) && !a->otp) {
		memcpy(m, data, len);	/* RAM-like, e.g. Device Feature */
		return OK;
	}
	if (e->p.program_over) {
		for (i = 0; i < len; i++)
			m[i] &= data[i];
		return OK;
	}
	for (i = 0; i < len; i++)
		if (m[i] != 0xff)
			return errPROG;
	if (a->programmed) {
		uint32_t w0 = (addr - a->base) / 8;
		uint32_t w1 = (addr - a->base + len - 1) / 8;

		for (i = w0; i <= w1; i++)
			if (a->programmed[i])
				return errPROG;
		memset(a->programmed + w0, 1, w1 - w0 + 1);
	}
	memcpy(m, data, len);
	if (e->f.flip_at >= addr && e->f.flip_at < (int64_t)addr + len) {
		m[e->f.flip_at - addr] ^= 1;
		fprintf(e->log, "FAULT flip 0x%08llX\n",
			(unsigned long long)e->f.flip_at);
	}
	return OK;
}

