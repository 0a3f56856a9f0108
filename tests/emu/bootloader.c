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
#include "rom.h"

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
		return emu_program(e, addr, d, (uint32_t)len);
	}
	if (e->pending_block == 1)
		return errSTALLEDPKT;
	if (len == 5 && d[0] == 0x21) {
		addr = le32(d + 1);
		if (!dfuse_memmap_find(&emu_cur_alt(e)->map, addr))
			return errTARGET;
		e->pointer = addr;
		return OK;
	}
	if (len == 5 && d[0] == 0x41) {
		e->busy_phase = PHASE_ERASE;
		return emu_erase_page(e, le32(d + 1));
	}
	if (len == 1 && d[0] == 0x41) {
		if (e->rdp)
			return errVENDOR;
		e->busy_phase = PHASE_ERASE;
		emu_mass_erase(e);
		return OK;
	}
	if (len == 1 && d[0] == 0x92) {
		e->busy_phase = PHASE_ERASE;
		emu_mass_erase(e);
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

/*
 * H723: once a read-back ends, the pointer is where the read stopped; a
 * leave or a block that does not set it again goes there.
 */
static void end_readback(struct emu *e)
{
	if (!e->read_end)
		return;
	e->pointer = e->read_end;
	e->read_end = 0;
	fprintf(e->log, "POINTER moved to 0x%08X by the read\n", e->pointer);
}

static int dfu_dnload(struct emu *e, uint16_t block, const uint8_t *data,
		      int len)
{
	end_readback(e);
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
	e->setaddr_last = block == 0 && len == 5 && data[0] == 0x21;
	memcpy(e->pending, data, (size_t)len);
	e->pending_len = len;
	e->pending_block = block;
	e->state = dfuDNLOAD_SYNC;
	return 0;
}

static int dfu_upload(struct emu *e, uint16_t block, uint8_t *data, int len)
{
	static const uint8_t commands[] = { 0x00, 0x21, 0x41, 0x92 };
	struct emu_alt *a = emu_cur_alt(e);
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
	s = emu_range_segment(a, addr, (uint32_t)len);
	if (!s || !(s->flags & DFUSE_SEG_READABLE)) {
		set_error(e, errTARGET);
		return STALL;
	}
	memcpy(data, emu_mem_at(a, addr), (size_t)len);
	e->state = dfuUPLOAD_IDLE;
	e->setaddr_last = false;
	if (e->p.readback_moves_pointer)
		e->read_end = addr + (uint32_t)len;
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

/* The work's real length: its typical time, jittered (--jitter). */
static uint64_t work_ns(struct emu *e)
{
	double factor = 1.0;

	if (e->f.jitter > 0) {
		/* xorshift64*: the same seed gives the same board */
		uint64_t x = e->f.jitter_state;

		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		e->f.jitter_state = x;
		x *= 0x2545F4914F6CDD1Dull;
		factor += e->f.jitter * (2.0 * (double)(x >> 11) / 9007199254740992.0 - 1.0);
	}
	return (uint64_t)((double)e->busy_ms * 1e6 * factor);
}

static void sleep_until_ns(uint64_t t)
{
	struct timespec ts = { (time_t)(t / 1000000000ull),
			       (long)(t % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
		;
}

void emu_finish_work(struct emu *e)
{
	sleep_until_ns(e->busy_until_ns);
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
	if (e->state == dfuDNBUSY && e->p.early_poll == EARLY_ERROR &&
	    now < e->poll_due_ns) {
		/* DFU 1.1 read strictly: bwPollTimeout is the minimum wait */
		e->nr_early_polls++;
		fprintf(e->log, "EARLY_POLL refused: dfuERROR\n");
		set_error(e, errSTALLEDPKT);
		return STALL;
	}
	if (e->state == dfuDNBUSY && now < e->busy_until_ns &&
	    (e->p.early_poll == EARLY_BLOCK || e->p.early_poll == EARLY_STALL)) {
		e->nr_early_polls++;
		fprintf(e->log, "EARLY_POLL %s\n",
			e->p.early_poll == EARLY_BLOCK ? "held" : "stalled");
		if (e->p.early_poll == EARLY_STALL)
			return STALL;
		sleep_until_ns(e->busy_until_ns);
		now = emu_now_ns();
	}
	if (e->state == dfuDNLOAD_SYNC) {
		uint64_t work;

		result = run_download(e);
		if (e->f.disconnect_in != PHASE_NONE &&
		    e->f.disconnect_in == e->busy_phase) {
			e->after = ACT_DISCONNECT;
			return STALL;
		}
		/*
		 * As ST's DFU class does, the work starts once this answer
		 * has left (main.c spends its bus time after we return).
		 */
		work = work_ns(e);
		e->busy_until_ns = now + (uint64_t)((double)(emu_bus_time_ns(6) +
				   work) * e->time_scale);
		poll = started_poll(e);
		e->erase_stalls_left = e->busy_phase == PHASE_ERASE ?
				       e->p.erase_poll_stalls : 0;
		if (e->busy_phase == PHASE_ERASE || e->busy_phase == PHASE_WRITE) {
			e->busy_total_us += work / 1000;
			if (e->busy_phase == PHASE_ERASE)
				e->nr_erases++;
			else
				e->nr_programs++;
		}
		e->status = result;
		e->state = dfuDNBUSY;
		if (e->p.setaddr_no_busy && e->pending_block == 0 &&
		    e->pending_len == 5 && e->pending[0] == 0x21) {
			/* U5A9: straight to dfuDNLOAD-IDLE (or dfuERROR) */
			e->state = result == OK ? dfuDNLOAD_IDLE : dfuERROR;
			poll = 0;
		}
	} else if (e->state == dfuDNBUSY && e->wedged) {
		poll = started_poll(e);	/* says busy, forever */
	} else if (e->state == dfuDNBUSY) {
		if (now < e->busy_until_ns) {
			uint64_t left = (e->busy_until_ns - now) / 1000000;

			e->nr_early_polls++;
			poll = e->p.early_poll == EARLY_CONSTANT ? started_poll(e) :
			       reported_poll(e, left ? left : 1);
		} else if (e->status != OK) {
			e->state = dfuERROR;
		} else if (e->after == ACT_RESET) {
			e->state = dfuMANIFEST_WAIT_RESET;
		} else {
			e->state = dfuDNLOAD_IDLE;
		}
	} else if (e->state == dfuMANIFEST_SYNC) {
		e->state = dfuMANIFEST;
		poll = e->p.poll_leave ? (uint32_t)((double)e->p.poll_leave *
			e->time_scale + 0.5) : reported_poll(e, 10);
		if (e->f.disconnect_in == PHASE_MANIFEST) {
			e->after = ACT_DISCONNECT;
			return STALL;
		}
		if (e->p.leave_needs_address && !e->setaddr_last) {
			/* C071: the leave needs SET_ADDRESS right before it */
			fprintf(e->log, "FAULT leave without SET_ADDRESS\n");
			set_error(e, errTARGET);
		} else if (e->f.ignore_leave) {
			/* a clone that says it leaves and does not */
			fprintf(e->log, "FAULT ignore-leave\n");
			e->state = dfuIDLE;
		} else {
			fprintf(e->log, "LEAVE jump=0x%08X%s\n", e->pointer,
				e->p.leave_vanish ? " unanswered" : "");
			e->after = ACT_LEAVE;
			if (e->p.leave_vanish) {
				/* newer ROMs reset before they answer */
				e->unanswered = true;
				return STALL;
			}
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
	e->poll_due_ns = now + (uint64_t)poll * 1000000ull;
	/* longer than asked for: a babbling device (vhci-hcd drops it) */
	return n > 6 ? n : n < len ? n : len;
}

void emu_write_counts(const struct emu *e, FILE *f)
{
	unsigned int i;

	for (i = 0; i < 7; i++)
		fprintf(f, "%s %lu\n", request_names[i], e->count[i]);
	fprintf(f, "BUSY_MS %llu\nERASES %lu\nPROGRAMS %lu\nEARLY_POLLS %lu\n",
		(unsigned long long)e->busy_total_us / 1000, e->nr_erases,
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

int emu_dfu_request(struct emu *e, uint8_t req, uint16_t value,
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
		end_readback(e);
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
