/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of the STM32 system bootloader in DFU mode (AN3156): descriptors,
 * the DfuSe state machine, a flash model with page erase and program rules,
 * timing and fault injection. Transport-free: main.c feeds it USB requests.
 */
#ifndef EMU_BOOTLOADER_H
#define EMU_BOOTLOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../../kernel/memmap.h"

#define EMU_MAX_ALTS	20	/* more than a driver takes, to test refusal */
#define EMU_MAP_MAX	256

struct emu_profile {
	char name[32];
	uint16_t vid, pid, bcd_device, bcd_usb;
	char manufacturer[64], product[64], serial[64];
	uint8_t attributes;
	uint16_t detach_timeout, transfer_size, dfu_version;
	bool ecc;			/* flash remembers programmed double words */
	/*
	 * The ROM's poll model: the bwPollTimeout it reports after an erase
	 * and after a block (0: the real busy time), and what it does with
	 * a GETSTATUS that comes before the work is done.
	 */
	uint16_t poll_erase, poll_program;
	uint8_t early_poll;		/* enum emu_early_poll */
	uint16_t max_block;		/* larger blocks stall (L43x), 0: any */
	uint16_t mass_erase_ms;		/* 0: 8 s */
	/*
	 * The flash's typical times, when not the F4's (flash.c): a page
	 * erase whatever its size, and programming per KiB.
	 */
	uint16_t erase_page_ms;		/* 0: the F4's, by sector size */
	uint16_t program_us_per_kib;	/* 0: the F4's, 16 us a word */
	/*
	 * H7 Rev.V: an erase at or above this address (0: none) leaves the
	 * ROM in dfuDNBUSY after the work; two CLRSTATUS unstick it.
	 */
	uint32_t wedge_above;
	uint8_t gd32_serial_layout;	/* real0 from the serial's part letter */
	/*
	 * GD32: leaves on the zero-length DNLOAD itself, 200 ms later, and
	 * STALLs every request in between (the GETSTATUS an STM32 needs).
	 */
	uint8_t leave_on_dnload;
	uint8_t erase_poll_stalls;	/* L4: polls of an erase STALLed first */
	uint8_t start_error;		/* starts in dfuERROR with this status */
	uint8_t self_powered;		/* GET_STATUS bit 0 (F4: 1, F107: 0) */
	/*
	 * Newer ST ROMs reset at the GETSTATUS after the leave without
	 * answering it; older ones answer dfuMANIFEST first.
	 */
	uint8_t leave_vanish;
	uint16_t poll_leave;		/* bwPollTimeout reported on the leave */
	uint8_t setaddr_no_busy;	/* U5A9: SET_ADDRESS skips dfuDNBUSY */
	uint8_t leave_needs_address;	/* C071: leave right after SET_ADDRESS */
	uint8_t readback_moves_pointer;	/* H723: UPLOAD moves the pointer */
	uint8_t string_max;		/* F42x: string bytes sent, 0: all */
	uint8_t program_over;		/* F7: programs over old bytes (AND) */
	unsigned int nr_alts;
	char map[EMU_MAX_ALTS][EMU_MAP_MAX];	/* what iInterface reports */
	char real[EMU_MAX_ALTS][EMU_MAP_MAX];	/* the flash, if the map lies */
};

enum emu_early_poll {
	EARLY_ANSWER,	/* dfuDNBUSY with the time left */
	EARLY_BLOCK,	/* hold the request until done (F4/F7 ROMs) */
	EARLY_STALL,	/* STALL it, state unchanged */
	EARLY_ERROR,	/* before bwPollTimeout: STALL, dfuERROR (DFU 1.1) */
	EARLY_CONSTANT,	/* dfuDNBUSY with its constant bwPollTimeout again */
};

/* A built-in profile: the generation's defaults, then its settings. */
struct emu_builtin {
	const char *name;
	int generation;		/* ST ROM 1: F0-F7/L, 2: G0/G4/H7/U5/C, 0: other */
	const char *source;	/* where its behaviour is recorded */
	const char *settings[14];
};

struct emu_alias {
	const char *name, *profile;
};

extern const struct emu_builtin emu_builtins[];
extern const unsigned int emu_nr_builtins;
extern const struct emu_alias emu_aliases[];

/* "NAME GENERATION SOURCE" per built-in profile, then the aliases. */
void emu_list_profiles(FILE *f);

enum emu_phase { PHASE_NONE, PHASE_ERASE, PHASE_WRITE, PHASE_READ,
		 PHASE_MANIFEST };

struct emu_faults {
	unsigned long stall_nth;	/* stall the Nth DFU request */
	unsigned long status_nth;	/* Nth GETSTATUS reports status_code */
	uint8_t status_code;
	unsigned long error_nth;	/* dfuERROR at the Nth DFU request */
	unsigned long disconnect_nth;	/* unplug at the Nth DFU request */
	enum emu_phase disconnect_in;	/* unplug in the middle of this */
	enum emu_phase fail_in;		/* its first operation fails */
	int status_len;			/* GETSTATUS reply length (6) */
	long poll_override;		/* reported bwPollTimeout, -1 = real */
	bool short_poll;		/* report a quarter of the busy time */
	uint8_t start_error;		/* start in dfuERROR with this status */
	bool no_functional;		/* omit the DFU functional descriptor */
	int no_iinterface;		/* alt without iInterface, -1 = none */
	int runtime_alt;		/* alt that says DFU runtime, -1 = none */
	bool wlength_formula;		/* block n at pointer + (n-2)*wLength */
	bool ignore_leave;		/* answers the leave, stays on the bus */
	int64_t flip_at;		/* this byte programs wrong, -1: none */
	/*
	 * Each flash operation takes its typical time times a factor drawn
	 * uniformly from [1 - jitter, 1 + jitter] (datasheets give a
	 * typical and a maximum), from a seed the caller prints.
	 */
	double jitter;
	uint64_t jitter_state;
};

struct emu_alt {
	struct dfuse_memmap map;	/* the real layout of the memory */
	bool valid;
	uint32_t base;
	uint32_t size;
	uint8_t *mem;			/* mmap of altN.bin in the state dir */
	uint8_t *programmed;		/* ECC: one flag per 8-byte word */
	bool option_bytes, otp;
};

/* What the transport must do after replying. */
enum emu_action { ACT_NONE, ACT_DISCONNECT, ACT_RESET, ACT_LEAVE,
		  ACT_DETACH };

struct emu {
	struct emu_profile p;
	struct emu_faults f;
	double time_scale;
	FILE *log;
	struct emu_alt alt[EMU_MAX_ALTS];

	/* USB state */
	uint8_t config, cur_alt;
	bool runtime;	/* the application with a DFU runtime interface */
	bool descriptors_only;	/* --fuzz: no memory files behind the maps */

	/* DFU state */
	uint8_t state, status, err_string;
	uint32_t pointer;
	bool rdp;			/* read protection level 1 */
	uint8_t pending[4096];
	int pending_len;
	uint16_t pending_block;
	uint64_t busy_until_ns, busy_ms;	/* busy_ms: typical, unscaled */
	enum emu_phase busy_phase;
	enum emu_action after;		/* set when a request demands it */
	unsigned long nr_dfu_requests, nr_getstatus;
	unsigned long count[7];		/* per DFU request, for inspection */
	uint64_t busy_total_us;		/* flash work done, unscaled */
	int wedged;			/* H7: CLRSTATUS still needed (2, 1) */
	uint64_t leave_at_ns;		/* leave_on_dnload: when it goes */
	int erase_stalls_left;
	uint64_t poll_due_ns;		/* EARLY_ERROR: no GETSTATUS before */
	bool setaddr_last;		/* the last DNLOAD was a SET_ADDRESS */
	bool unanswered;		/* reset before replying (leave_vanish) */
	uint32_t read_end;		/* H723: where the last read-back ended */
	unsigned long nr_erases, nr_programs, nr_early_polls;
};

/* "NAME COUNT" per DFU request type, one a line. */
void emu_write_counts(const struct emu *e, FILE *f);

int emu_profile_builtin(struct emu_profile *p, const char *name);
int emu_profile_set(struct emu_profile *p, const char *key, const char *val);
int emu_profile_file(struct emu_profile *p, const char *path);

int emu_init(struct emu *e, const char *state_dir);
void emu_usb_reset(struct emu *e);

/*
 * Handle one control request. @data holds OUT data on entry and IN data
 * on return. Return: bytes of IN data, 0, or -EPIPE to stall.
 */
int emu_control(struct emu *e, const uint8_t setup[8], uint8_t *data,
		int len);

/*
 * Wait until the work the last command started is done: a ROM that resets
 * after it (read unprotect, option bytes) leaves the bus only then.
 */
void emu_finish_work(struct emu *e);

/* The flash model's busy times. */
uint32_t emu_erase_ms(const struct emu_profile *p, uint32_t page);
uint32_t emu_program_ms(const struct emu_profile *p, uint32_t len);

/*
 * The protocol bound of writing @size bytes of @new_path at the start of
 * alt 0 over @old_path (the flash before; "blank" for an erased one), and
 * of reading them, printed as key=value (bound.c).
 */
int emu_bound(const struct emu_profile *p, const char *old_path,
	      const char *new_path, uint32_t size, FILE *out);

/* Bus time of a full-speed control transfer, in nanoseconds. */
uint64_t emu_bus_time_ns(int data_len);
uint64_t emu_now_ns(void);

#endif
