/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the emulated ROM: DFU states and status codes (DFU 1.1 6.1.2),
 * string indexes, and what bootloader.c (the DfuSe state machine and
 * flash) and usbdev.c (descriptors, standard requests, setup) share.
 */
#ifndef EMU_ROM_H
#define EMU_ROM_H

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

struct emu_alt *emu_cur_alt(struct emu *e);
/* The segment holding all of [addr, addr+len), or NULL. */
const struct dfuse_segment *emu_range_segment(struct emu_alt *a,
					      uint32_t addr, uint32_t len);
uint8_t *emu_mem_at(struct emu_alt *a, uint32_t addr);
/* A DfuSe status (OK, errTARGET, ...) for each. */
uint8_t emu_erase_page(struct emu *e, uint32_t addr);
uint8_t emu_program(struct emu *e, uint32_t addr, const uint8_t *data,
		    uint32_t len);
void emu_mass_erase(struct emu *e);
bool emu_rdp_from_option_bytes(const struct emu *e);
int emu_dfu_request(struct emu *e, uint8_t req, uint16_t value,
		    uint8_t *data, int len);

#endif
