// SPDX-License-Identifier: GPL-2.0
/*
 * DfuSe protocol engine (AN3156; facts in docs/protocol.md).
 *
 * Every command and block is a DNLOAD followed by GETSTATUS until the
 * state leaves dfuDNBUSY. Block n >= 2 addresses pointer + (n - 2) * size,
 * where devices disagree whether size is wTransferSize or the request's
 * wLength; we only ever send full blocks in a numbered run, and give a
 * short block a fresh pointer and block 2, so both readings agree.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/time64.h>
#include <linux/string.h>
#include <linux/dfuse.h>

#include "engine.h"
#include "engine_priv.h"

#define CMD_SET_ADDRESS	0x21
#define CMD_ERASE	0x41
#define CMD_UNPROTECT	0x92
#define FIRST_BLOCK	2
#define LAST_BLOCK	0xffff

static const char *const status_names[] = {
	"OK", "errTARGET", "errFILE", "errWRITE", "errERASE",
	"errCHECK_ERASED", "errPROG", "errVERIFY", "errADDRESS", "errNOTDONE",
	"errFIRMWARE", "errVENDOR", "errUSBR", "errPOR", "errUNKNOWN",
	"errSTALLEDPKT",
};

const char *dfuse_status_name(u8 status)
{
	return status < ARRAY_SIZE(status_names) ? status_names[status] :
	       "unknown status";
}

static const char *const state_names[] = {
	"appIDLE", "appDETACH", "dfuIDLE", "dfuDNLOAD-SYNC", "dfuDNBUSY",
	"dfuDNLOAD-IDLE", "dfuMANIFEST-SYNC", "dfuMANIFEST",
	"dfuMANIFEST-WAIT-RESET", "dfuUPLOAD-IDLE", "dfuERROR",
};

const char *dfuse_state_name(u8 state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : "unknown";
}

int dfuse_status_errno(u8 status)
{
	switch (status) {
	case DFUSE_STATUS_OK:
		return 0;
	case DFUSE_STATUS_ERR_TARGET:
	case DFUSE_STATUS_ERR_ADDRESS:
		return -ENXIO;
	case DFUSE_STATUS_ERR_VENDOR:
		return -EACCES;
	case DFUSE_STATUS_ERR_WRITE:
	case DFUSE_STATUS_ERR_ERASE:
	case DFUSE_STATUS_ERR_CHECK_ERASED:
	case DFUSE_STATUS_ERR_PROG:
	case DFUSE_STATUS_ERR_VERIFY:
		return -EIO;
	default:
		return -EPROTO;
	}
}

void dfuse_engine_init(struct dfuse_engine *e, const struct dfuse_ops *ops,
		       void *ctx, u16 transfer_size)
{
	memset(e, 0, sizeof(*e));
	e->ops = ops;
	e->ctx = ctx;
	e->transfer_size = transfer_size;
	e->state = DFUSE_STATE_UNKNOWN;	/* until asked */
}

int dfuse_record(struct dfuse_engine *e, int err, u8 status, u8 state,
		 u32 addr)
{
	e->last_errno = err;
	e->last_status = status;
	e->last_state = state;
	e->last_address = addr;
	e->last_string[0] = '\0';
	return err;
}

int dfuse_status_within(struct dfuse_engine *e, struct dfuse_getstatus *st,
			u32 timeout_ms)
{
	int err = e->ops->get_status(e->ctx, st, timeout_ms);

	if (!err)
		e->state = st->state;
	return err;
}

int dfuse_get_status(struct dfuse_engine *e, struct dfuse_getstatus *st)
{
	return dfuse_status_within(e, st, DFUSE_LIMIT_COMMAND_MS);
}

/* The device reported dfuERROR: keep its reason and text, then clear it. */
int dfuse_device_error(struct dfuse_engine *e,
		       const struct dfuse_getstatus *st, u32 addr)
{
	int err = dfuse_status_errno(st->status);

	if (!err)
		err = -EPROTO;	/* dfuERROR with status OK */
	dfuse_record(e, err, st->status, st->state, addr);
	if (st->istring)
		e->ops->get_string(e->ctx, st->istring, e->last_string,
				   sizeof(e->last_string));
	if (!e->ops->clr_status(e->ctx))
		e->state = DFUSE_STATE_IDLE;
	e->ptr_valid = false;
	return err;
}

/* A request failed at the transport: learn why from the device if we can. */
int dfuse_transfer_error(struct dfuse_engine *e, int ret, u32 addr)
{
	struct dfuse_getstatus st;

	e->ptr_valid = false;
	if (ret != -EPIPE) {
		dfuse_record(e, ret, 0, e->state, addr);
		/* its status stage may be what was lost: the device may
		 * have taken the request; the next command asks first
		 */
		if (ret != -ENODEV)
			e->state = DFUSE_STATE_UNKNOWN;
		return ret;
	}
	/* a stall: the device says dfuERROR and why, or broke protocol */
	if (!dfuse_get_status(e, &st) && st.state == DFUSE_STATE_ERROR)
		return dfuse_device_error(e, &st, addr);
	dfuse_record(e, -EPROTO, 0, e->state, addr);
	e->state = DFUSE_STATE_UNKNOWN;
	return -EPROTO;
}

int dfuse_recover(struct dfuse_engine *e)
{
	struct dfuse_getstatus st;
	int err;

	err = dfuse_get_status(e, &st);
	if (err)
		return err;
	if (st.state == DFUSE_STATE_IDLE)
		return 0;
	if (st.state == DFUSE_STATE_DNBUSY)
		return -EBUSY;	/* still busy from an earlier timeout */
	if (st.state == DFUSE_STATE_ERROR)
		err = e->ops->clr_status(e->ctx);
	else
		err = e->ops->abort(e->ctx);
	if (err)
		return err;
	err = dfuse_get_status(e, &st);
	if (!err && st.state != DFUSE_STATE_IDLE)
		err = -EPROTO;
	e->ptr_valid = false;
	return err;
}

/* UPLOAD is refused in dfuDNLOAD-IDLE and DNLOAD in dfuUPLOAD-IDLE. */
static int to_idle_if(struct dfuse_engine *e, u8 state)
{
	int err;

	if (e->state != state)
		return 0;
	err = e->ops->abort(e->ctx);
	if (err)
		return dfuse_transfer_error(e, err, 0);
	e->state = DFUSE_STATE_IDLE;
	return 0;
}

int dfuse_to_idle(struct dfuse_engine *e)
{
	int err = to_idle_if(e, DFUSE_STATE_UPLOAD_IDLE);

	return err ? err : to_idle_if(e, DFUSE_STATE_DNLOAD_IDLE);
}

/* Before a request: out of dfuERROR, or learn the state we do not know. */
static int recover_if_needed(struct dfuse_engine *e, u32 addr)
{
	int err;

	if (e->state != DFUSE_STATE_ERROR && e->state != DFUSE_STATE_UNKNOWN &&
	    e->state != DFUSE_STATE_DNBUSY)
		return 0;
	err = dfuse_recover(e);
	return err ? dfuse_record(e, err, 0, e->state, addr) : 0;
}

static int command(struct dfuse_engine *e, const u8 *cmd, u16 len, u32 addr,
		   u8 work, u32 size)
{
	int err;

	err = to_idle_if(e, DFUSE_STATE_UPLOAD_IDLE);
	if (!err)
		err = recover_if_needed(e, addr);
	if (err)
		return err;
	err = e->ops->dnload(e->ctx, 0, cmd, len);
	if (err < 0)
		return dfuse_transfer_error(e, err, addr);
	return dfuse_wait_done(e, addr, work, size);
}

static int addr_command(struct dfuse_engine *e, u8 op, u32 addr, u8 work,
			u32 size)
{
	u8 cmd[5] = { op, addr, addr >> 8, addr >> 16, addr >> 24 };

	return command(e, cmd, sizeof(cmd), addr, work, size);
}

int dfuse_set_address(struct dfuse_engine *e, u32 addr)
{
	int err = addr_command(e, CMD_SET_ADDRESS, addr, DFUSE_WORK_COMMAND, 0);

	e->ptr_valid = !err;
	e->ptr = addr;
	e->next_block = FIRST_BLOCK;
	return err;
}

int dfuse_erase_page(struct dfuse_engine *e, u32 addr, u32 page_size)
{
	e->ptr_valid = false;	/* AN3156 leaves the pointer undefined */
	return addr_command(e, CMD_ERASE, addr, DFUSE_WORK_ERASE, page_size);
}

int dfuse_mass_erase(struct dfuse_engine *e)
{
	static const u8 cmd = CMD_ERASE;

	e->ptr_valid = false;
	return command(e, &cmd, 1, 0, DFUSE_WORK_MASS_ERASE, 0);
}

/*
 * The part resetting under a request: the transfer breaks. A STALL is not
 * that: the device is there and refused the request.
 */
static bool vanished(int err)
{
	return err == -ENODEV || err == -ESHUTDOWN || err == -EPROTO ||
	       err == -ECONNRESET || err == -ETIMEDOUT;
}

/* The part resets after this: its going away is the expected success. */
int dfuse_unprotect(struct dfuse_engine *e)
{
	static const u8 cmd = CMD_UNPROTECT;
	struct dfuse_getstatus st;
	int err;

	err = to_idle_if(e, DFUSE_STATE_UPLOAD_IDLE);
	if (!err)
		err = recover_if_needed(e, 0);
	if (err)
		return err;
	err = e->ops->dnload(e->ctx, 0, &cmd, 1);
	if (err < 0)
		return dfuse_transfer_error(e, err, 0);
	err = dfuse_get_status(e, &st);
	if (err)
		return vanished(err) ? 0 : dfuse_transfer_error(e, err, 0);
	if (st.state == DFUSE_STATE_ERROR)
		return dfuse_device_error(e, &st, 0);
	return 0;
}

int dfuse_leave(struct dfuse_engine *e, bool jump, u32 addr)
{
	struct dfuse_getstatus st;
	int err = 0;

	if (jump)
		err = dfuse_set_address(e, addr);
	else
		err = to_idle_if(e, DFUSE_STATE_UPLOAD_IDLE);
	if (err)
		return err;
	/* a zero-length DNLOAD, as dfu-util sends it (block 2) */
	err = e->ops->dnload(e->ctx, FIRST_BLOCK, NULL, 0);
	if (err < 0)
		return vanished(err) ? 0 : dfuse_transfer_error(e, err, addr);
	if (e->leave_without_status)
		return 0;	/* the caller sees it go */
	err = dfuse_get_status(e, &st);
	if (err)
		return vanished(err) ? 0 : dfuse_transfer_error(e, err, addr);
	if (st.state == DFUSE_STATE_ERROR)
		return dfuse_device_error(e, &st, addr);
	return 0;
}

int dfuse_get_commands(struct dfuse_engine *e, u8 *buf, size_t size)
{
	int err = to_idle_if(e, DFUSE_STATE_DNLOAD_IDLE);

	if (!err)
		err = recover_if_needed(e, 0);
	if (err)
		return err;
	err = e->ops->upload(e->ctx, 0, buf, min_t(size_t, size, 16));
	if (err < 0)
		return dfuse_transfer_error(e, err, 0);
	e->state = DFUSE_STATE_IDLE;
	return err;
}

/*
 * Make sure a block number addresses @addr for a @chunk-byte block: count
 * on from the current pointer when @addr is a later full block of it
 * (both address formulas agree on full blocks), else set the pointer.
 */
static int position(struct dfuse_engine *e, u32 addr, u16 chunk)
{
	u64 first = (u64)e->ptr + (u64)(e->next_block - FIRST_BLOCK) *
				  e->transfer_size;
	u64 block;

	/*
	 * Only the very next block: after a gap, clones that do not compute
	 * the address from wBlockNum would write at the wrong place.
	 */
	if (e->ptr_valid && !e->address_each_block &&
	    chunk == e->transfer_size && addr == first &&
	    !((addr - e->ptr) % e->transfer_size)) {
		block = FIRST_BLOCK + (addr - e->ptr) / e->transfer_size;
		if (block <= LAST_BLOCK) {
			e->next_block = block;
			return 0;
		}
	}
	return dfuse_set_address(e, addr);
}

int dfuse_write(struct dfuse_engine *e, u32 addr, const u8 *buf, size_t len,
		size_t *done)
{
	size_t off = 0;
	int err = 0;

	while (off < len) {
		u16 chunk = min_t(size_t, len - off, e->transfer_size);
		u32 a = addr + off;

		err = position(e, a, chunk);
		if (err)
			break;
		err = to_idle_if(e, DFUSE_STATE_UPLOAD_IDLE);
		if (err)
			break;
		err = e->ops->dnload(e->ctx, e->next_block, buf + off, chunk);
		if (err >= 0 && err != chunk)
			err = dfuse_record(e, -EPROTO, 0, e->state, a);
		else if (err < 0)
			err = dfuse_transfer_error(e, err, a);
		else
			err = dfuse_wait_done(e, a, DFUSE_WORK_PROGRAM, chunk);
		if (err)
			break;
		e->next_block++;
		off += chunk;
	}
	if (done)
		*done = off;
	return err;
}

int dfuse_read(struct dfuse_engine *e, u32 addr, u8 *buf, size_t len,
	       size_t *done)
{
	size_t off = 0;
	int err = 0, n;

	while (off < len) {
		u16 chunk = min_t(size_t, len - off, e->transfer_size);
		u32 a = addr + off;

		err = position(e, a, chunk);
		if (!err)
			err = to_idle_if(e, DFUSE_STATE_DNLOAD_IDLE);
		if (err)
			break;
		n = e->ops->upload(e->ctx, e->next_block, buf + off, chunk);
		if (n < 0) {
			err = dfuse_transfer_error(e, n, a);
			break;
		}
		e->state = DFUSE_STATE_UPLOAD_IDLE;
		if (n != chunk) {
			err = dfuse_record(e, -EPROTO, 0, e->state, a);
			break;
		}
		e->next_block++;
		off += chunk;
	}
	if (done)
		*done = off;
	return err;
}
