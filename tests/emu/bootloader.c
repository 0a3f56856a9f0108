// SPDX-License-Identifier: GPL-2.0
/*
 * The STM32 system bootloader in DFU mode, as AN3156 and real parts
 * describe it (facts in docs/protocol.md). Every request is logged one line
 * each to the request log: "NAME key=value ...".
 *
 * Timing model. Busy times follow the STM32F4 reference manual (typical):
 * sector erase 250 ms / 16 KiB, 550 ms / 64 KiB, 1 s / 128 KiB, mass erase
 * 8 s, 16 us per 32-bit word programmed. USB/IP has no bus timing, so each
 * control transfer is charged what it costs on a full-speed bus (USB 2.0
 * spec 5.5.4 and 8.4): every transaction is a token packet, a data packet
 * and a handshake with their sync, PID, CRC, EOP and inter-packet gaps
 * (about 14 bytes of overhead per 64-byte data packet, 1 bit in 6 stuffed
 * at worst: we charge the average, 1 in 12); a transfer begins on a 1 ms
 * frame boundary and control transfers may use at most 90% of a frame.
 * All times are multiplied by the time scale (0 = as fast as possible).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bootloader.h"

enum {
	appIDLE, appDETACH, dfuIDLE, dfuDNLOAD_SYNC, dfuDNBUSY,
	dfuDNLOAD_IDLE, dfuMANIFEST_SYNC, dfuMANIFEST,
	dfuMANIFEST_WAIT_RESET, dfuUPLOAD_IDLE, dfuERROR,
};

enum {
	OK, errTARGET, errFILE, errWRITE, errERASE, errCHECK_ERASED, errPROG,
	errVERIFY, errADDRESS, errNOTDONE, errFIRMWARE, errVENDOR, errUSBR,
	errPOR, errUNKNOWN, errSTALLEDPKT,
};

#define STR_MANUFACTURER	1
#define STR_PRODUCT		2
#define STR_SERIAL		3
#define STR_ALT0		4
#define STR_FAULT		0x20	/* explains an injected error status */

#define STALL (-EPIPE)

static const char *const request_names[] = {
	"DETACH", "DNLOAD", "UPLOAD", "GETSTATUS", "CLRSTATUS", "GETSTATE",
	"ABORT",
};

uint64_t emu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t emu_bus_time_ns(int data_len)
{
	/* setup: token 4 + DATA0 8+5 + ACK 2 bytes incl. sync/gaps */
	uint64_t bytes = 4 + 13 + 2;
	int packets = (data_len + 63) / 64;
	uint64_t frame_bytes = 1500 * 9 / 10;
	uint64_t frames;

	bytes += (uint64_t)packets * (4 + 5 + 2) + (uint64_t)data_len;
	bytes += 4 + 5 + 2;		/* status stage, zero-length */
	bytes += bytes / 12;		/* bit stuffing, on average */
	frames = (bytes + frame_bytes - 1) / frame_bytes;
	return frames * 1000000ull;
}

static uint64_t scaled_ns(const struct emu *e, uint64_t ms)
{
	return (uint64_t)((double)ms * 1e6 * e->time_scale);
}

/* ---- flash model ---- */

uint32_t emu_erase_ms(uint32_t page)
{
	if (page <= 16384)
		return page * 250 / 16384 > 20 ? page * 250 / 16384 : 20;
	return 250 + (uint32_t)((uint64_t)(page - 16384) * 750 / (131072 - 16384));
}

uint32_t emu_program_ms(uint32_t len)
{
	return (len + 3) / 4 * 16 / 1000 + 1;
}

static struct emu_alt *cur(struct emu *e)
{
	return &e->alt[e->cur_alt];
}

/* The segment holding all of [addr, addr+len), or NULL. */
static const struct dfuse_segment *range_segment(struct emu_alt *a,
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

static uint8_t *mem_at(struct emu_alt *a, uint32_t addr)
{
	return a->mem + (addr - a->base);
}

static void erase_range(struct emu_alt *a, uint32_t addr, uint32_t len)
{
	memset(mem_at(a, addr), 0xff, len);
	if (a->programmed)
		memset(a->programmed + (addr - a->base) / 8, 0, (len + 7) / 8);
}

static uint8_t do_erase_page(struct emu *e, uint32_t addr)
{
	struct emu_alt *a = cur(e);
	const struct dfuse_segment *s = dfuse_memmap_find(&a->map, addr);
	uint32_t start;

	if (!s || !(s->flags & DFUSE_SEG_ERASABLE))
		return errTARGET;
	if (e->rdp)
		return errVENDOR;
	start = s->start + (addr - s->start) / s->page_size * s->page_size;
	erase_range(a, start, s->page_size);
	e->busy_ms = emu_erase_ms(s->page_size);
	fprintf(e->log, "ERASED addr=0x%08X size=%u\n", start, s->page_size);
	if (e->p.wedge_above && start >= e->p.wedge_above) {
		e->wedged = 2;
		fprintf(e->log, "WEDGED in dfuDNBUSY\n");
	}
	return OK;
}

static void mass_erase(struct emu *e)
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

static bool rdp_from_option_bytes(const struct emu *e)
{
	unsigned int i;

	for (i = 0; i < e->p.nr_alts; i++)
		if (e->alt[i].option_bytes && e->alt[i].size > 1)
			return e->alt[i].mem[1] != 0xaa;
	return false;
}

static uint8_t do_write(struct emu *e, uint32_t addr, const uint8_t *data,
			uint32_t len)
{
	struct emu_alt *a = cur(e);
	const struct dfuse_segment *s = range_segment(a, addr, len);
	uint8_t *m;
	uint32_t i;

	if (!s || !(s->flags & DFUSE_SEG_WRITABLE))
		return errTARGET;
	if (e->rdp && !a->option_bytes)
		return errVENDOR;
	m = mem_at(a, addr);
	e->busy_ms = emu_program_ms(len);
	if (a->option_bytes) {
		memcpy(m, data, len);
		e->after = ACT_RESET;	/* option bytes take effect at reset */
		return OK;
	}
	if (!(s->flags & DFUSE_SEG_ERASABLE) && !a->otp) {
		memcpy(m, data, len);	/* RAM-like, e.g. Device Feature */
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
	return OK;
}

/* ---- DfuSe commands and transfers ---- */

static void set_error(struct emu *e, uint8_t status)
{
	e->state = dfuERROR;
	e->status = status;
}

static uint32_t block_addr(const struct emu *e, uint16_t block, int len)
{
	uint32_t size = e->f.wlength_formula ? (uint32_t)len :
			e->p.transfer_size;

	return e->pointer + (uint32_t)(block - 2) * size;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Runs at the first GETSTATUS after a DNLOAD: the device turns busy. */
static uint8_t run_download(struct emu *e)
{
	const uint8_t *d = e->pending;
	int len = e->pending_len;
	uint32_t addr;

	e->busy_ms = 1;
	e->busy_phase = PHASE_NONE;
	/* --fail-in: the flash refuses its first operation of that kind */
	if (e->f.fail_in == PHASE_WRITE && e->pending_block >= 2) {
		e->f.fail_in = PHASE_NONE;
		fprintf(e->log, "FAULT fail-in write\n");
		return errPROG;
	}
	if (e->f.fail_in == PHASE_ERASE && e->pending_block == 0 &&
	    len >= 1 && d[0] == 0x41) {
		e->f.fail_in = PHASE_NONE;
		fprintf(e->log, "FAULT fail-in erase\n");
		return errERASE;
	}
	if (e->pending_block >= 2) {
		addr = block_addr(e, e->pending_block, len);
		e->busy_phase = PHASE_WRITE;
		fprintf(e->log, "PROGRAM addr=0x%08X len=%d\n", addr, len);
		return do_write(e, addr, d, (uint32_t)len);
	}
	if (e->pending_block == 1)
		return errSTALLEDPKT;
	if (len == 5 && d[0] == 0x21) {
		addr = le32(d + 1);
		if (!dfuse_memmap_find(&cur(e)->map, addr))
			return errTARGET;
		e->pointer = addr;
		return OK;
	}
	if (len == 5 && d[0] == 0x41) {
		e->busy_phase = PHASE_ERASE;
		return do_erase_page(e, le32(d + 1));
	}
	if (len == 1 && d[0] == 0x41) {
		if (e->rdp)
			return errVENDOR;
		e->busy_phase = PHASE_ERASE;
		mass_erase(e);
		return OK;
	}
	if (len == 1 && d[0] == 0x92) {
		e->busy_phase = PHASE_ERASE;
		mass_erase(e);
		e->rdp = false;
		for (unsigned int i = 0; i < e->p.nr_alts; i++)
			if (e->alt[i].option_bytes && e->alt[i].size > 1)
				e->alt[i].mem[1] = 0xaa;
		e->after = ACT_RESET;
		return OK;
	}
	return errSTALLEDPKT;
}

static const char *command_name(const uint8_t *d, int len)
{
	if (len == 5 && d[0] == 0x21)
		return "SETADDR";
	if (len == 5 && d[0] == 0x41)
		return "ERASE";
	if (len == 1 && d[0] == 0x41)
		return "MASSERASE";
	if (len == 1 && d[0] == 0x92)
		return "UNPROTECT";
	return "UNKNOWN";
}

static int dfu_dnload(struct emu *e, uint16_t block, const uint8_t *data,
		      int len)
{
	if (e->state != dfuIDLE && e->state != dfuDNLOAD_IDLE)
		return STALL;
	if (!len) {
		fprintf(e->log, "DNLOAD block=%u len=0 leave\n", block);
		if (e->state != dfuDNLOAD_IDLE)
			return STALL;
		e->state = dfuMANIFEST_SYNC;
		if (e->p.leave_on_dnload) {
			fprintf(e->log, "LEAVE on the DNLOAD\n");
			e->state = dfuMANIFEST;
			e->leave_at_ns = emu_now_ns() + 200000000ull;
		}
		return 0;
	}
	if (block >= 2 && e->p.max_block && len > e->p.max_block) {
		/* L43x: reports 2048, works only with 1024 */
		fprintf(e->log, "FAULT block of %d bytes above %u\n", len,
			e->p.max_block);
		set_error(e, errSTALLEDPKT);
		return STALL;
	}
	if (block == 0)
		fprintf(e->log, "DNLOAD block=0 len=%d cmd=%s addr=0x%08X\n",
			len, command_name(data, len),
			len == 5 ? le32(data + 1) : 0);
	else
		fprintf(e->log, "DNLOAD block=%u len=%d addr=0x%08X\n", block,
			len, block_addr(e, block, len));
	if (len > e->p.transfer_size)
		return STALL;
	memcpy(e->pending, data, (size_t)len);
	e->pending_len = len;
	e->pending_block = block;
	e->state = dfuDNLOAD_SYNC;
	return 0;
}

static int dfu_upload(struct emu *e, uint16_t block, uint8_t *data, int len)
{
	static const uint8_t commands[] = { 0x00, 0x21, 0x41, 0x92 };
	struct emu_alt *a = cur(e);
	const struct dfuse_segment *s;
	uint32_t addr;

	fprintf(e->log, "UPLOAD block=%u len=%d addr=0x%08X\n", block, len,
		block >= 2 ? block_addr(e, block, len) : 0);
	if (e->state != dfuIDLE && e->state != dfuUPLOAD_IDLE)
		return STALL;
	if (block >= 2 && e->p.max_block && len > e->p.max_block) {
		fprintf(e->log, "FAULT block of %d bytes above %u\n", len,
			e->p.max_block);
		set_error(e, errSTALLEDPKT);
		return STALL;
	}
	if (block == 0) {
		len = len < (int)sizeof(commands) ? len : (int)sizeof(commands);
		memcpy(data, commands, (size_t)len);
		e->state = dfuIDLE;
		return len;
	}
	if (block == 1 || len > e->p.transfer_size) {
		set_error(e, errSTALLEDPKT);
		return STALL;
	}
	if (e->f.disconnect_in == PHASE_READ) {
		e->after = ACT_DISCONNECT;
		return STALL;
	}
	addr = block_addr(e, block, len);
	if (e->rdp) {
		set_error(e, errVENDOR);
		return STALL;
	}
	s = range_segment(a, addr, (uint32_t)len);
	if (!s || !(s->flags & DFUSE_SEG_READABLE)) {
		set_error(e, errTARGET);
		return STALL;
	}
	memcpy(data, mem_at(a, addr), (size_t)len);
	e->state = dfuUPLOAD_IDLE;
	return len;
}

static uint32_t reported_poll(struct emu *e, uint64_t busy_ms)
{
	if (e->f.poll_override >= 0)
		return (uint32_t)e->f.poll_override;
	if (e->f.short_poll)
		busy_ms /= 4;
	return (uint32_t)((double)busy_ms * e->time_scale + 0.5);
}

/* What the ROM reports after starting work, if its profile says. */
static uint32_t started_poll(struct emu *e)
{
	uint16_t asked = e->busy_phase == PHASE_ERASE ? e->p.poll_erase :
			 e->busy_phase == PHASE_WRITE ? e->p.poll_program : 0;

	if (!asked || e->f.poll_override >= 0)
		return reported_poll(e, e->busy_ms);
	return (uint32_t)((double)asked * e->time_scale + 0.5);
}

static void sleep_until_ns(uint64_t t)
{
	struct timespec ts = { (time_t)(t / 1000000000ull),
			       (long)(t % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
		;
}

static int dfu_getstatus(struct emu *e, uint8_t *data, int len)
{
	uint64_t now = emu_now_ns();
	uint32_t poll = 0;
	uint8_t result;
	int n = e->f.status_len;

	e->nr_getstatus++;
	if (e->state == dfuDNBUSY && e->busy_phase == PHASE_ERASE &&
	    e->erase_stalls_left > 0) {
		e->erase_stalls_left--;
		fprintf(e->log, "FAULT erase poll stalled\n");
		return STALL;
	}
	if (e->state == dfuDNBUSY && now < e->busy_until_ns &&
	    e->p.early_poll != EARLY_ANSWER) {
		e->nr_early_polls++;
		fprintf(e->log, "EARLY_POLL %s\n",
			e->p.early_poll == EARLY_BLOCK ? "held" : "stalled");
		if (e->p.early_poll == EARLY_STALL)
			return STALL;
		sleep_until_ns(e->busy_until_ns);
		now = emu_now_ns();
	}
	if (e->state == dfuDNLOAD_SYNC) {
		result = run_download(e);
		if (e->f.disconnect_in != PHASE_NONE &&
		    e->f.disconnect_in == e->busy_phase) {
			e->after = ACT_DISCONNECT;
			return STALL;
		}
		e->busy_until_ns = now + scaled_ns(e, e->busy_ms);
		poll = started_poll(e);
		e->erase_stalls_left = e->busy_phase == PHASE_ERASE ?
				       e->p.erase_poll_stalls : 0;
		if (e->busy_phase == PHASE_ERASE || e->busy_phase == PHASE_WRITE) {
			e->busy_total_ms += e->busy_ms;
			if (e->busy_phase == PHASE_ERASE)
				e->nr_erases++;
			else
				e->nr_programs++;
		}
		e->status = result;
		e->state = dfuDNBUSY;
	} else if (e->state == dfuDNBUSY && e->wedged) {
		poll = started_poll(e);	/* says busy, forever */
	} else if (e->state == dfuDNBUSY) {
		if (now < e->busy_until_ns) {
			uint64_t left = (e->busy_until_ns - now) / 1000000;

			poll = reported_poll(e, left ? left : 1);
		} else if (e->status != OK) {
			e->state = dfuERROR;
		} else if (e->after == ACT_RESET) {
			e->state = dfuMANIFEST_WAIT_RESET;
		} else {
			e->state = dfuDNLOAD_IDLE;
		}
	} else if (e->state == dfuMANIFEST_SYNC) {
		e->state = dfuMANIFEST;
		poll = reported_poll(e, 10);
		if (e->f.disconnect_in == PHASE_MANIFEST) {
			e->after = ACT_DISCONNECT;
			return STALL;
		}
		if (e->f.ignore_leave) {
			/* a clone that says it leaves and does not */
			fprintf(e->log, "FAULT ignore-leave\n");
			e->state = dfuIDLE;
		} else {
			e->after = ACT_LEAVE;
		}
	}
	if (e->f.status_nth && e->nr_getstatus == e->f.status_nth) {
		set_error(e, e->f.status_code);
		e->err_string = STR_FAULT;
	}
	if (e->state == dfuERROR && !e->err_string && e->status == errVENDOR)
		e->err_string = STR_FAULT + 1;
	data[0] = e->state == dfuDNBUSY && e->status != OK &&
		  now < e->busy_until_ns ? OK : e->status;
	data[1] = poll & 0xff;
	data[2] = (poll >> 8) & 0xff;
	data[3] = (poll >> 16) & 0xff;
	data[4] = e->state;
	data[5] = e->state == dfuERROR ? e->err_string : 0;
	data[6] = data[7] = 0;
	fprintf(e->log, "GETSTATUS status=%u state=%u poll=%u\n", data[0],
		data[4], poll);
	/* longer than asked for: a babbling device (vhci-hcd drops it) */
	return n > 6 ? n : n < len ? n : len;
}

void emu_write_counts(const struct emu *e, FILE *f)
{
	unsigned int i;

	for (i = 0; i < 7; i++)
		fprintf(f, "%s %lu\n", request_names[i], e->count[i]);
	fprintf(f, "BUSY_MS %llu\nERASES %lu\nPROGRAMS %lu\nEARLY_POLLS %lu\n",
		(unsigned long long)e->busy_total_ms, e->nr_erases,
		e->nr_programs, e->nr_early_polls);
}

/* The application's runtime interface: DETACH, GETSTATUS, GETSTATE. */
static int runtime_request(struct emu *e, uint8_t req, uint16_t value,
			   uint8_t *data)
{
	switch (req) {
	case 0:
		fprintf(e->log, "DETACH timeout=%u\n", value);
		e->after = ACT_DETACH;	/* bitWillDetach: we go ourselves */
		return 0;
	case 3:
		memset(data, 0, 6);	/* OK, appIDLE */
		return 6;
	case 5:
		data[0] = appIDLE;
		return 1;
	default:
		return STALL;
	}
}

static int dfu_request(struct emu *e, uint8_t req, uint16_t value,
		       uint8_t *data, int len)
{
	if (e->runtime)
		return runtime_request(e, req, value, data);
	e->nr_dfu_requests++;
	e->count[req]++;
	if (e->f.disconnect_nth && e->nr_dfu_requests == e->f.disconnect_nth) {
		fprintf(e->log, "FAULT disconnect\n");
		e->after = ACT_DISCONNECT;
		return STALL;
	}
	if (e->f.stall_nth && e->nr_dfu_requests == e->f.stall_nth) {
		fprintf(e->log, "FAULT stall %s\n",
			req < 7 ? request_names[req] : "?");
		return STALL;
	}
	if (e->f.error_nth && e->nr_dfu_requests == e->f.error_nth) {
		fprintf(e->log, "FAULT dfuERROR\n");
		set_error(e, errUNKNOWN);
	}
	switch (req) {
	case 1:
		return dfu_dnload(e, value, data, len);
	case 2:
		return dfu_upload(e, value, data, len);
	case 3:
		return dfu_getstatus(e, data, len);
	case 4:
		fprintf(e->log, "CLRSTATUS\n");
		if (e->wedged == 2) {
			/* the first answers by going to dfuERROR, errUNKNOWN */
			e->wedged = 1;
			set_error(e, errUNKNOWN);
			return 0;
		}
		e->wedged = 0;
		if (e->state != dfuERROR)
			return STALL;
		e->state = dfuIDLE;
		e->status = OK;
		e->err_string = 0;
		return 0;
	case 5:
		fprintf(e->log, "GETSTATE state=%u\n", e->state);
		data[0] = e->state;
		return len ? 1 : 0;
	case 6:
		fprintf(e->log, "ABORT\n");
		if (e->state == dfuERROR || e->state == dfuDNBUSY ||
		    e->state == dfuMANIFEST)
			return STALL;
		e->state = dfuIDLE;
		return 0;
	default:
		fprintf(e->log, "DETACH\n");
		return STALL;	/* DETACH is for run-time mode only */
	}
}

/* ---- descriptors and standard requests ---- */

static int string_desc(const struct emu *e, uint8_t index, uint8_t *out)
{
	const char *s;
	size_t i, n;

	if (index == 0) {
		memcpy(out, "\x04\x03\x09\x04", 4);
		return 4;
	}
	if (index == STR_MANUFACTURER)
		s = e->p.manufacturer;
	else if (index == STR_PRODUCT)
		s = e->p.product;
	else if (index == STR_SERIAL)
		s = e->p.serial;
	else if (index >= STR_ALT0 && index < STR_ALT0 + e->p.nr_alts)
		s = e->p.map[index - STR_ALT0];
	else if (index == STR_FAULT)
		s = "emulated fault: injected error status";
	else if (index == STR_FAULT + 1)
		s = "read protection is active";
	else
		return STALL;
	n = strlen(s);
	if (n > 126)
		n = 126;
	out[0] = (uint8_t)(2 + 2 * n);
	out[1] = 3;
	for (i = 0; i < n; i++) {
		out[2 + 2 * i] = (uint8_t)s[i];
		out[3 + 2 * i] = 0;
	}
	return out[0];
}

static int config_desc(const struct emu *e, uint8_t *o)
{
	unsigned int i;
	int n = 9;

	for (i = 0; !e->runtime && i < e->p.nr_alts; i++) {
		uint8_t *d = o + n;

		d[0] = 9; d[1] = 4; d[2] = 0; d[3] = (uint8_t)i; d[4] = 0;
		d[5] = 0xfe; d[6] = 0x01;
		d[7] = (int)i == e->f.runtime_alt ? 0x01 : 0x02;
		d[8] = (int)i == e->f.no_iinterface ? 0 : (uint8_t)(STR_ALT0 + i);
		n += 9;
	}
	if (e->runtime) {
		/* an application with a DfuSe runtime interface, FE/01/01 */
		uint8_t *d = o + n;

		d[0] = 9; d[1] = 4; d[2] = 0; d[3] = 0; d[4] = 0;
		d[5] = 0xfe; d[6] = 0x01; d[7] = 0x01; d[8] = 0;
		d[9] = 9; d[10] = 0x21; d[11] = 0x0b;	/* bitWillDetach */
		d[12] = 255; d[13] = 0;
		d[14] = e->p.transfer_size & 0xff; d[15] = e->p.transfer_size >> 8;
		d[16] = 0x1a; d[17] = 0x01;
		n += 18;
	} else if (!e->p.nr_alts) {
		/* the application after leaving DFU mode: one vendor interface */
		uint8_t *d = o + n;

		d[0] = 9; d[1] = 4; d[2] = 0; d[3] = 0; d[4] = 0;
		d[5] = 0xff; d[6] = 0; d[7] = 0; d[8] = 0;
		n += 9;
	}
	if (!e->runtime && e->p.nr_alts && !e->f.no_functional) {
		uint8_t *d = o + n;

		d[0] = 9; d[1] = 0x21; d[2] = e->p.attributes;
		d[3] = e->p.detach_timeout & 0xff; d[4] = e->p.detach_timeout >> 8;
		d[5] = e->p.transfer_size & 0xff; d[6] = e->p.transfer_size >> 8;
		d[7] = e->p.dfu_version & 0xff; d[8] = e->p.dfu_version >> 8;
		n += 9;
	}
	o[0] = 9; o[1] = 2; o[2] = n & 0xff; o[3] = n >> 8; o[4] = 1;
	o[5] = 1; o[6] = 0; o[7] = 0xc0; o[8] = 0x32;
	return n;
}

static int get_descriptor(struct emu *e, uint16_t value, uint8_t *out)
{
	const struct emu_profile *p = &e->p;

	switch (value >> 8) {
	case 1:
		out[0] = 18; out[1] = 1;
		out[2] = p->bcd_usb & 0xff; out[3] = p->bcd_usb >> 8;
		out[4] = 0; out[5] = 0; out[6] = 0; out[7] = 64;
		out[8] = p->vid & 0xff; out[9] = p->vid >> 8;
		out[10] = p->pid & 0xff; out[11] = p->pid >> 8;
		out[12] = p->bcd_device & 0xff; out[13] = p->bcd_device >> 8;
		out[14] = STR_MANUFACTURER; out[15] = STR_PRODUCT;
		out[16] = STR_SERIAL; out[17] = 1;
		return 18;
	case 2:
		return config_desc(e, out);
	case 3:
		return string_desc(e, value & 0xff, out);
	default:
		return STALL;	/* no qualifier, no BOS: a full-speed device */
	}
}

static int standard_request(struct emu *e, const uint8_t *s, uint8_t *data)
{
	uint16_t value = s[2] | s[3] << 8;

	switch (s[1]) {
	case 0:		/* GET_STATUS */
		data[0] = data[1] = 0;
		return 2;
	case 1:		/* CLEAR_FEATURE */
	case 3:		/* SET_FEATURE */
		return 0;
	case 6:
		return get_descriptor(e, value, data);
	case 8:
		data[0] = e->config;
		return 1;
	case 9:
		e->config = (uint8_t)value;
		fprintf(e->log, "SET_CONFIGURATION config=%u\n", value);
		return 0;
	case 10:
		data[0] = e->cur_alt;
		return 1;
	case 11:
		fprintf(e->log, "SET_INTERFACE alt=%u\n", value);
		if (value >= e->p.nr_alts)
			return STALL;
		e->cur_alt = (uint8_t)value;
		return 0;
	default:
		return STALL;
	}
}

int emu_control(struct emu *e, const uint8_t setup[8], uint8_t *data, int len)
{
	uint8_t type = setup[0] & 0x60;
	uint16_t value = setup[2] | setup[3] << 8;
	uint8_t big[1024];
	int n;

	if (e->leave_at_ns) {
		fprintf(e->log, "STALL request %02x: leaving\n", setup[1]);
		return STALL;
	}
	if (type == 0x00) {
		n = standard_request(e, setup, big);
		if (n > 0) {
			n = n < len ? n : len;
			memcpy(data, big, (size_t)n);
		}
		return n;
	}
	if (type == 0x20 && setup[1] <= 6) {
		n = dfu_request(e, setup[1], value, data, len);
		fflush(e->log);
		return n;
	}
	return STALL;
}

/* ---- setup ---- */

static int map_memory(struct emu *e, unsigned int i, const char *dir)
{
	struct emu_alt *a = &e->alt[i];
	const char *real = e->p.real[i][0] ? e->p.real[i] : e->p.map[i];
	char path[512];
	u64 hi;
	bool fresh;
	int fd;

	a->option_bytes = strstr(e->p.map[i], "Option Bytes") != NULL;
	a->otp = strstr(e->p.map[i], "OTP") != NULL;
	if (dfuse_memmap_parse(real, &a->map, NULL) ||
	    !dfuse_memmap_span(&a->map, &a->base, &hi) ||
	    hi - a->base > 64u << 20)
		return 0;	/* an unusable map has no memory behind it */
	if (e->descriptors_only)
		return 0;	/* up to 64 MiB an alt, filled for nothing */
	a->valid = true;
	a->size = (uint32_t)(hi - a->base);
	snprintf(path, sizeof(path), "%s/alt%u.bin", dir, i);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		return -errno;
	fresh = lseek(fd, 0, SEEK_END) != (off_t)a->size;
	if (fresh && ftruncate(fd, a->size)) {
		close(fd);
		return -errno;
	}
	a->mem = mmap(NULL, a->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0);
	close(fd);
	if (a->mem == MAP_FAILED)
		return -errno;
	if (fresh) {
		memset(a->mem, 0xff, a->size);
		if (a->option_bytes && a->size >= 2) {
			a->mem[0] = 0xed;	/* USER: watchdog, BOR */
			a->mem[1] = 0xaa;	/* RDP level 0 */
		}
	}
	if (e->p.ecc) {
		a->programmed = calloc(a->size / 8 + 1, 1);
		if (!a->programmed)
			return -ENOMEM;
	}
	return 0;
}

/* GD32: the part letter, the serial's third character, sizes the flash. */
static void gd32_layout(struct emu *e)
{
	static const char letters[] = "468BCDE";
	static const unsigned int kib[] = { 16, 32, 64, 128, 256, 384, 512 };
	const char *l = strlen(e->p.serial) >= 3 ?
			strchr(letters, e->p.serial[2]) : NULL;

	if (l && *l)
		snprintf(e->p.real[0], EMU_MAP_MAX,
			 "@Internal Flash /0x08000000/%u*001Kg", kib[l - letters]);
}

int emu_init(struct emu *e, const char *state_dir)
{
	unsigned int i;
	int err;

	if (e->p.gd32_serial_layout)
		gd32_layout(e);

	for (i = 0; i < e->p.nr_alts; i++) {
		err = map_memory(e, i, state_dir);
		if (err)
			return err;
	}
	e->rdp = rdp_from_option_bytes(e);
	return 0;
}

void emu_usb_reset(struct emu *e)
{
	e->config = 0;
	e->cur_alt = 0;
	e->pointer = e->alt[0].base;
	e->after = ACT_NONE;
	e->leave_at_ns = 0;
	e->err_string = 0;
	e->rdp = rdp_from_option_bytes(e);
	if (e->f.start_error) {
		e->state = dfuERROR;
		e->status = e->f.start_error;
	} else {
		e->state = dfuIDLE;
		e->status = OK;
	}
}
