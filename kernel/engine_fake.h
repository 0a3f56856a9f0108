/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake DfuSe bootloader for the engine's KUnit suites
 * (engine_kunit.c, engine_poll_kunit.c): it logs each request and runs
 * its operations at the first GETSTATUS, as ST's ROMs do.
 */
#ifndef DFUSE_ENGINE_FAKE_H
#define DFUSE_ENGINE_FAKE_H

#include <kunit/test.h>

#include "engine.h"

#define FAKE_BASE	0x08000000
#define FAKE_SIZE	16384
#define FAKE_LOG	256

struct fake {
	u8 state, status, istring;
	u32 ptr;
	bool wlength;		/* block n at ptr + (n-2)*wLength */
	bool pending_cmd;
	int busy_polls, busy_left;	/* DNBUSY answers per operation */
	u32 poll_ms;
	/*
	 * Or a clock: each operation really takes busy_us, while the first
	 * answer asks for poll_ms. An early poll is held until the work is
	 * done (blocking, as F4 ROMs do), stalled, or answered dfuDNBUSY
	 * with the time left.
	 */
	u64 now_us, busy_until, busy_us;
	bool blocking, stall_early;
	int wedged;		/* H7: stays dfuDNBUSY until two CLRSTATUS */
	u8 fail_status;		/* the next operation fails with this */
	bool vanish;		/* get_status after a zero-length DNLOAD */
	bool stall_leave;	/* refuse a zero-length DNLOAD */
	int erase_stalls, erase_stalls_left;	/* L4: polls of an erase */
	bool short_upload;
	bool lose_ack;		/* the next DNLOAD's status stage is lost */
	bool stall_status;	/* the next GETSTATUS is STALLed */
	unsigned int sleep_us, nr_log;
	char log[FAKE_LOG][24];
	u8 mem[FAKE_SIZE];
	u8 last[4096];
	int last_len;
	u16 last_block;
	u16 xfer;
};

struct fake *dfuse_fake_new(struct kunit *test, struct dfuse_engine *e,
			    u16 xfer);
/* The device as a previous host left it: dfuERROR, errUNKNOWN. */
void dfuse_fake_in_error(struct fake *f);
/* How many logged requests start with @prefix. */
unsigned int dfuse_fake_count(struct fake *f, const char *prefix);

#endif
