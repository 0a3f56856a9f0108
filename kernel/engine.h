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
	int (*get_status)(void *ctx, struct dfuse_getstatus *st);
	int (*clr_status)(void *ctx);
	int (*abort)(void *ctx);
	/* A string descriptor as UTF-8, NUL-terminated; length or -errno. */
	int (*get_string)(void *ctx, u8 index, char *buf, size_t size);
	/* Wait @ms; -ENODEV if the device went away meanwhile. */
	int (*sleep)(void *ctx, unsigned int ms);
};

/* Not a DFU state: what the engine believes before it has asked. */
#define DFUSE_STATE_UNKNOWN	0xff

/* Longest a device may stay busy for one request: mass erase is 16 s max. */
#define DFUSE_BUSY_LIMIT_MS	30000

struct dfuse_engine {
	const struct dfuse_ops *ops;
	void *ctx;
	u16 transfer_size;
	u32 busy_limit_ms;

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
int dfuse_erase_page(struct dfuse_engine *e, u32 addr);
int dfuse_mass_erase(struct dfuse_engine *e);
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

/* errno for a DFU status code */
int dfuse_status_errno(u8 status);
const char *dfuse_status_name(u8 status);

#endif /* DFUSE_ENGINE_H */
