// SPDX-License-Identifier: GPL-2.0
/*
 * --fuzz SEED: a reproducible random descriptor set whose verdict the
 * generator knows by construction, not by asking a parser: a plausible
 * DfuSe board with random valid memory maps (bound, with exactly the
 * segments built here), or that board with one defect of a known class
 * (refused with the driver's line for that class), or plain DFU of
 * another vendor (left to dfu-util). The same seed gives the same board.
 * (The map parser's robustness against arbitrary strings is the host
 * fuzzer's job: tests/fuzz/fuzz_memmap.c.)
 *
 * Beside the board, in the state directory: fuzz-expect holds "bind",
 * "ignore", or "refuse CLASS REGEX" (REGEX: the driver's log line), and
 * altN.segments the segments of alt N's map in the format of
 * /sys/class/dfuse/dfuseX.N/segments. The board has descriptors only:
 * no memory files behind its maps (up to 64 MiB an alt to fill with 0xFF
 * took seconds a board on the sanitizer kernel).
 */
#include <stdio.h>
#include <string.h>

#include "bootloader.h"
#include "fuzz.h"

/* the driver's limits (kernel/device.h), restated: this is the oracle */
#define XFER_MIN	64
#define XFER_MAX	4096
#define PAGE_MAX	(1024u * 1024u)	/* for erasable or writable pages */

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

struct built_segment { uint32_t start, count, page; char type; };

struct built_alt {
	unsigned int nr;
	struct built_segment seg[4];
};

/*
 * A valid map, as ST writes them ("@Name /0xADDR/NN*SSSKt,..."): 1-4
 * segments of 1-16 pages of 1-256 bytes or KiB, types a..g; pages of
 * 1-16 MiB only read-only ('a'), as the driver refuses larger erasable
 * ones.
 */
static void valid_map(char *out, size_t size, unsigned int alt,
		      struct built_alt *b)
{
	static const char mult[] = { ' ', 'K', 'B', 'M' };
	uint32_t addr = 0x08000000u + pick(64) * 0x4000u;
	int len = snprintf(out, size, "@Fuzz %u /0x%08X/", alt, addr);
	unsigned int i;

	b->nr = 1 + pick(4);
	for (i = 0; i < b->nr; i++) {
		struct built_segment *s = &b->seg[i];
		uint32_t count = 1 + pick(16), n = 1 + pick(256);
		char m = mult[pick(4)], t = (char)('a' + pick(7));

		if (m == 'M') {	/* and at most 256 MiB a segment: under 4 GiB */
			t = 'a';
			n = 1 + pick(16);
		}
		s->start = addr;
		s->count = count;
		s->page = n * (m == 'K' ? 1024u : m == 'M' ? 1024u * 1024u : 1u);
		s->type = t;
		addr += count * s->page;
		len += snprintf(out + len, size - (size_t)len, "%s%02u*%03u%c%c",
				i ? "," : "", count, n, m, t);
	}
}

/* One broken map of a known kind, and the driver's reason for it */
static const char *broken_map(char *out, size_t size, unsigned int alt)
{
	switch (pick(7)) {
	case 0:
		snprintf(out, size, "Fuzz %u /0x08000000/04*016Kg", alt);
		return "does not start with '@'";
	case 1:
		snprintf(out, size, "@Fuzz %u /0x08000000/00*016Kg", alt);
		return "zero-sized segment";
	case 2:
		snprintf(out, size, "@Fuzz %u /0x08000000/04*016K%c", alt,
			 (char)('h' + pick(19)));
		return "expected a type letter a..g";
	case 3:
		snprintf(out, size, "@Fuzz %u /08000000/04*016Kg", alt);
		return "expected 0x before the address";
	case 4:
		snprintf(out, size, "@Fuzz %u /0x08000000/01*%03uM%c", alt,
			 2 + pick(8), "bcdefg"[pick(6)]);
		return "-byte pages at 0x08000000, above 1048576";
	case 5:
		snprintf(out, size, "@Fuzz %u /0xFFFF0000/02*%03uKa", alt,
			 33 + pick(200));
		return "segment ends past 4 GiB";
	default:
		snprintf(out, size, "@Fuzz %u /0x08000000/04*016Kg/0x%08X/01*016Kg",
			 alt, 0x08000000u + pick(4) * 0x4000u);
		return "regions overlap";
	}
}

static void write_expect(const struct emu *e, const char *dir,
			 const struct built_alt *built, const char *verdict)
{
	char path[512];
	unsigned int i, j;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fuzz-expect", dir);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", verdict);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/fuzz-descriptors", dir);
	f = fopen(path, "w");
	if (f) {	/* to reproduce a failure by hand */
		fprintf(f, "vid=0x%04x pid=0x%04x transfer_size=%u dfu_version=0x%04x attributes=0x%02x detach_timeout=%u no_functional=%d no_iinterface=%d runtime_alt=%d\n",
			e->p.vid, e->p.pid, e->p.transfer_size, e->p.dfu_version,
			e->p.attributes, e->p.detach_timeout, e->f.no_functional,
			e->f.no_iinterface, e->f.runtime_alt);
		for (i = 0; i < e->p.nr_alts; i++)
			fprintf(f, "alt%u=%s\n", i, e->p.map[i]);
		fclose(f);
	}
	for (i = 0; i < e->p.nr_alts && !strcmp(verdict, "bind"); i++) {
		snprintf(path, sizeof(path), "%s/alt%u.segments", dir, i);
		f = fopen(path, "w");
		if (!f)
			continue;
		for (j = 0; j < built[i].nr; j++) {
			const struct built_segment *s = &built[i].seg[j];
			unsigned int flags = (unsigned int)(s->type - 'a' + 1);

			fprintf(f, "0x%08X %ux%u %s%s%s\n", s->start, s->count,
				s->page, flags & 1 ? "r" : "", flags & 2 ? "e" : "",
				flags & 4 ? "w" : "");
		}
		fclose(f);
	}
}

void emu_fuzz(struct emu *e, unsigned long seed, const char *state_dir)
{
	static const uint16_t bad_xfer[] = { 0, 1, XFER_MIN - 1, XFER_MAX + 1,
					     65535 };
	static struct built_alt built[EMU_MAX_ALTS];
	struct emu_profile *p = &e->p;
	char verdict[256] = "bind";
	unsigned int i, bad_alt;
	const char *why;

	e->descriptors_only = true;
	rnd_state = (uint32_t)(seed * 2654435761u) | 1;
	for (i = 0; i < 8; i++)
		rnd();
	/* a plausible board with valid maps: bound as built */
	p->nr_alts = 1 + pick(5);
	for (i = 0; i < EMU_MAX_ALTS; i++) {
		p->real[i][0] = '\0';
		valid_map(p->map[i], EMU_MAP_MAX, i, &built[i]);
	}
	p->transfer_size = (uint16_t)(XFER_MIN + pick(XFER_MAX - XFER_MIN + 1));
	p->dfu_version = 0x011a;
	p->attributes = (uint8_t)rnd();
	p->detach_timeout = (uint16_t)rnd();
	e->f.no_functional = false;
	e->f.no_iinterface = -1;
	e->f.runtime_alt = -1;
	if (!pick(4)) {		/* DfuSe of another vendor is ours too */
		p->vid = 0x1209;
		p->pid = 0xdf11;
	}
	/* half of them: one defect, whose class decides the verdict */
	bad_alt = pick(p->nr_alts);
	switch (pick(2) ? pick(8) : 8) {
	/*
	 * (Too many alternate settings is probe-refuse's case: boards of
	 * 17-20 did not always enumerate on 7.3 under USB/IP, four at a
	 * time, before any driver saw them: seeds 2923, 2935-2937.)
	 */
	case 0: case 1: case 2: case 3:
		why = broken_map(p->map[bad_alt], EMU_MAP_MAX, bad_alt);
		snprintf(verdict, sizeof(verdict),
			 "refuse map alt %u: memory map \".*\" refused: .*%s", bad_alt, why);
		break;
	case 4:
		e->f.no_iinterface = (int)bad_alt;
		snprintf(verdict, sizeof(verdict),
			 "refuse iinterface alt %u: no iInterface string, so no memory map",
			 bad_alt);
		break;
	case 5:
		p->transfer_size = bad_xfer[pick(5)];
		snprintf(verdict, sizeof(verdict),
			 "refuse transfer DFU functional descriptor: wTransferSize %u unsupported",
			 p->transfer_size);
		break;
	case 6:
		/* no functional descriptor: an STM32's is missing; another
		 * vendor's board cannot be told from plain DFU
		 */
		e->f.no_functional = true;
		snprintf(verdict, sizeof(verdict), "%s", p->vid == 0x0483 ?
			 "refuse functional no DFU functional descriptor" : "ignore");
		break;
	case 7:
		/* one alt says DFU runtime: the first to disagree with alt 0
		 * is named (one alt alone cannot disagree: bound)
		 */
		if (p->nr_alts < 2)
			break;
		e->f.runtime_alt = (int)bad_alt;
		snprintf(verdict, sizeof(verdict),
			 "refuse kinds alt %u is fe/01/0%c, alt 0 fe/01/0%c: one interface cannot be both",
			 bad_alt ? bad_alt : 1, bad_alt ? '1' : '2',
			 bad_alt ? '2' : '1');
		break;
	default:
		/*
		 * plain DFU is dfu-util's, on 0483:df11 too (the STM32MP
		 * ROM and U-Boot's gadget)
		 */
		if (pick(2)) {
			p->dfu_version = pick(2) ? 0x0110 : 0x0100;
			snprintf(verdict, sizeof(verdict), "ignore");
		}
		break;
	}
	write_expect(e, state_dir, built, verdict);
}
