/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DfuSe protocol engine: status polling, commands, block transfers,
 * leave. Transport-free: it reaches the device only through dfuse_ops, so
 * KUnit runs it against a fake device on UML.
 */
#ifndef DFUSE_ENGINE_H
#define DFUSE_ENGINE_H

#include <linux/types.h>

struct dfuse_getstatus {
	u8 status;
	u32 poll_ms;
	u8 state;
	u8 istring;
};

struct dfuse_ops {
	/* Class requests on the DFU interface: bytes moved, or -errno. */
	int (*dnload)(void *ctx, u16 block, const void *buf, u16 len);
	int (*upload)(void *ctx, u16 block, void *buf, u16 len);
	/*
	 * GETSTATUS may block while the part erases (F4/F7 ROMs run the
	 * operation inside it): wait up to @timeout_ms for the answer.
	 */
	int (*get_status)(void *ctx, struct dfuse_getstatus *st,
			  u32 timeout_ms);
	int (*clr_status)(void *ctx);
	int (*abort)(void *ctx);
	/* A string descriptor as UTF-8, NUL-terminated; length or -errno. */
	int (*get_string)(void *ctx, u8 index, char *buf, size_t size);
	/* Wait @us; -ENODEV if the device went away meanwhile. */
	int (*sleep)(void *ctx, u32 us);
	/* A monotonic clock in microseconds, to learn how long work takes. */
	u64 (*now_us)(void *ctx);
};

/* Not a DFU state: what the engine believes before it has asked. */
#define DFUSE_STATE_UNKNOWN	0xff

/*
 * Deadlines per operation (issue: a board stuck in dfuDNBUSY must fail the
 * operation, not each of its requests after 30 s). Datasheet maxima: F4
 * sector erase 4 s for 128 KiB at x8, mass erase 32 s (dfu-util waits 35).
 */
#define DFUSE_LIMIT_COMMAND_MS		5000
#define DFUSE_LIMIT_PROGRAM_MS		2000
#define DFUSE_LIMIT_ERASE_BASE_MS	1000
#define DFUSE_LIMIT_ERASE_PER_KIB_MS	32
#define DFUSE_LIMIT_MASS_ERASE_MS	40000
#define DFUSE_BUSY_LIMIT_MS		DFUSE_LIMIT_MASS_ERASE_MS

/* No poll sooner than this after the last, whatever was learned. */
#define DFUSE_POLL_MIN_US		500

/*
 * Some L4 ROMs STALL a GETSTATUS while a page erase runs and answer the
 * next one (dfu-util 0.11 gives up there: "ERASE_PAGE get_status"); we
 * ask again, up to three times.
 */
#define DFUSE_ERASE_STALL_RETRIES	3

enum dfuse_work {
	DFUSE_WORK_COMMAND,	/* set address, unprotect: no flash work */
	DFUSE_WORK_ERASE,
	DFUSE_WORK_MASS_ERASE,
	DFUSE_WORK_PROGRAM,
};

#define DFUSE_LEARN_SLOTS	8

/*
 * When one kind of work of one size is done on this board, in us after the
 * answer to the GETSTATUS that started it: the first poll of an operation
 * sent at @us found it done (0: not seen yet), one sent at @busy_us found
 * it still busy. Each operation polls between the two until they are
 * close, then at @us; after @hits polls at @us one probes earlier, to see
 * whether the work has become faster.
 */
struct dfuse_learned {
	u8 work;
	u16 hits;
	u32 size;
	u32 us;
	u32 busy_us;
};

/* Close enough: the bracket is at most this wide, or 1/64 of the work. */
#define DFUSE_POLL_RES_US		50
#define DFUSE_POLL_PROBE_EVERY		128

struct dfuse_engine {
	const struct dfuse_ops *ops;
	void *ctx;
	u16 transfer_size;
	/* 0: the deadlines above; else one limit for every operation */
	u32 busy_limit_ms;
	u32 erase_limit_ms, mass_erase_limit_ms;	/* quirks, 0: above */
	/*
	 * Wait the whole bwPollTimeout before polling: a quirk, or learned
	 * when an early poll was stalled or refused.
	 */
	bool honour_poll;
	/*
	 * A Set Address Pointer before every block: when we send blocks of
	 * another size than the device's wTransferSize (a quirk), block
	 * numbers would address by the wrong size.
	 */
	bool address_each_block;
	/*
	 * H7 Rev.V quirk: a page erase still dfuDNBUSY at twice the time
	 * the ROM asked for is stuck, not slow; two CLRSTATUS unstick it.
	 */
	bool unstick_busy;
	unsigned int nr_unstuck;
	/*
	 * GD32 quirk: the ROM leaves on the zero-length DNLOAD and refuses
	 * the GETSTATUS that would start the leave on an STM32.
	 */
	bool leave_without_status;
	unsigned int nr_erase_stalls;	/* GETSTATUS stalled and asked again */
	struct dfuse_learned learned[DFUSE_LEARN_SLOTS];
	unsigned int nr_learned;
	unsigned int learned_next;	/* the slot to fill or recycle */
	unsigned int nr_early_polls;	/* statistics, for sysfs */

	/* What we believe about the device, to skip needless requests. */
	u8 state;
	bool ptr_valid;
	u32 ptr;		/* address of block 2 */
	u32 next_block;		/* block number that continues the run */

	/* The last failure, for GET_STATUS, sysfs and netlink. */
	int last_errno;
	u8 last_status;
	u8 last_state;
	u32 last_address;
	char last_string[128];
};

void dfuse_engine_init(struct dfuse_engine *e, const struct dfuse_ops *ops,
		       void *ctx, u16 transfer_size);

/* Bring the device to dfuIDLE (CLRSTATUS after dfuERROR, ABORT else). */
int dfuse_recover(struct dfuse_engine *e);
/* From dfuUPLOAD-IDLE or dfuDNLOAD-IDLE back to dfuIDLE: one ABORT. */
int dfuse_to_idle(struct dfuse_engine *e);
int dfuse_get_status(struct dfuse_engine *e, struct dfuse_getstatus *st);
int dfuse_set_address(struct dfuse_engine *e, u32 addr);
/* @page_size: what the map says, for the operation's deadline */
int dfuse_erase_page(struct dfuse_engine *e, u32 addr, u32 page_size);
int dfuse_mass_erase(struct dfuse_engine *e);
/*
 * Read unprotect: the part mass-erases and resets, so success is its
 * going away (the caller waits for that, up to the mass erase's limit).
 */
int dfuse_unprotect(struct dfuse_engine *e);
int dfuse_leave(struct dfuse_engine *e, bool jump, u32 addr);
int dfuse_get_commands(struct dfuse_engine *e, u8 *buf, size_t size);

/*
 * Program or read [addr, addr + len) in transfer-size blocks, setting the
 * address pointer only where a run starts or a block is short. Callers
 * split long ranges and check for signals between calls.
 * Return: 0 or -errno; *@done (if not NULL) counts the bytes completed.
 */
int dfuse_write(struct dfuse_engine *e, u32 addr, const u8 *buf, size_t len,
		size_t *done);
int dfuse_read(struct dfuse_engine *e, u32 addr, u8 *buf, size_t len,
	       size_t *done);

/* How long the device may take for @work (DFUSE_WORK_*) on @size bytes. */
u32 dfuse_work_limit_ms(const struct dfuse_engine *e, u8 work, u32 size);

/* errno for a DFU status code */
int dfuse_status_errno(u8 status);
const char *dfuse_status_name(u8 status);
const char *dfuse_state_name(u8 state);

#endif /* DFUSE_ENGINE_H */
