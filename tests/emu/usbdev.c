// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated board as a USB device: descriptors from the profile,
 * standard requests, the control-request entry point, and the memory
 * behind each alternate setting.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bootloader.h"
#include "rom.h"


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
	/* F42x: sends fewer bytes than its bLength says */
	if (e->p.string_max && out[0] > e->p.string_max)
		return e->p.string_max;
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
		data[0] = e->p.self_powered ? 1 : 0;
		data[1] = 0;
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
		n = emu_dfu_request(e, setup[1], value, data, len);
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
	for (unsigned int j = 0; j < i; j++) {
		/* G0B1: alts with one map are one memory */
		if (e->alt[j].valid && !strcmp(e->p.map[j], e->p.map[i]) &&
		    !strcmp(e->p.real[j], e->p.real[i])) {
			a->mem = e->alt[j].mem;
			a->programmed = e->alt[j].programmed;
			return 0;
		}
	}
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
	e->rdp = emu_rdp_from_option_bytes(e);
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
	e->rdp = emu_rdp_from_option_bytes(e);
	e->unanswered = false;
	e->read_end = 0;
	e->setaddr_last = false;
	e->poll_due_ns = 0;
	if (e->f.start_error || e->p.start_error) {
		/* older ROMs: dfuERROR/errFIRMWARE at power-up */
		e->state = dfuERROR;
		e->status = e->f.start_error ? e->f.start_error :
					       e->p.start_error;
	} else {
		e->state = dfuIDLE;
		e->status = OK;
	}
}
