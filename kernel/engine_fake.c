// SPDX-License-Identifier: GPL-2.0
/*
 * The fake DfuSe bootloader of the engine's KUnit suites (engine_fake.h).
 */
#include <kunit/test.h>
#include <linux/dfuse.h>
#include <linux/string.h>

#include "engine_fake.h"

static void flog(struct fake *f, const char *fmt, u32 a, u32 b)
{
	if (f->nr_log < FAKE_LOG)
		snprintf(f->log[f->nr_log++], sizeof(f->log[0]), fmt, a, b);
}

static u32 block_addr(struct fake *f, u16 block, u16 len)
{
	return f->ptr + (block - 2) * (f->wlength ? len : f->xfer);
}

static int f_dnload(void *ctx, u16 block, const void *buf, u16 len)
{
	struct fake *f = ctx;

	flog(f, "DNLOAD %u %u", block, len);
	if (f->state != DFUSE_STATE_IDLE && f->state != DFUSE_STATE_DNLOAD_IDLE)
		return -EPIPE;
	if (!len && f->stall_leave) {
		f->state = DFUSE_STATE_ERROR;
		f->status = DFUSE_STATUS_ERR_STALLEDPKT;
		return -EPIPE;
	}
	if (!len) {
		f->state = DFUSE_STATE_MANIFEST_SYNC;
		return 0;
	}
	if (block == 0 && len == 5 && ((const u8 *)buf)[0] == 0x41)
		f->erase_stalls_left = f->erase_stalls;
	memcpy(f->last, buf, len);
	f->last_len = len;
	f->last_block = block;
	f->state = DFUSE_STATE_DNLOAD_SYNC;
	f->busy_left = f->busy_polls;
	if (f->lose_ack) {
		f->lose_ack = false;
		return -EPROTO;	/* taken, but the host never heard so */
	}
	return len;
}

/* The operation runs at the first GETSTATUS, as on the real part. */
static void f_execute(struct fake *f)
{
	u32 a;

	if (f->fail_status) {
		f->status = f->fail_status;
		f->fail_status = 0;
		return;
	}
	if (f->last_block == 0 && f->last[0] == 0x21 && f->last_len == 5) {
		f->ptr = f->last[1] | f->last[2] << 8 | f->last[3] << 16 |
			 (u32)f->last[4] << 24;
		return;
	}
	if (f->last_block >= 2) {
		a = block_addr(f, f->last_block, f->last_len) - FAKE_BASE;
		if (a + f->last_len <= FAKE_SIZE)
			memcpy(f->mem + a, f->last, f->last_len);
		else
			f->status = DFUSE_STATUS_ERR_TARGET;
	}
}

static int f_get_status(void *ctx, struct dfuse_getstatus *st, u32 timeout)
{
	struct fake *f = ctx;
	u32 poll = f->poll_ms;

	flog(f, "GETSTATUS", 0, 0);
	if (f->stall_status) {
		f->stall_status = false;
		return -EPIPE;
	}
	if (f->state == DFUSE_STATE_DNBUSY && f->erase_stalls_left > 0) {
		f->erase_stalls_left--;
		return -EPIPE;
	}
	if (f->state == DFUSE_STATE_MANIFEST_SYNC && f->vanish)
		return -ENODEV;
	if (f->state == DFUSE_STATE_DNBUSY && f->wedged) {
		st->status = 0;
		st->poll_ms = f->poll_ms;
		st->state = f->state;
		st->istring = 0;
		return 0;
	}
	if (f->state == DFUSE_STATE_DNBUSY && f->busy_us &&
	    f->now_us < f->busy_until) {
		if (f->stall_early)
			return -EPIPE;
		if (f->blocking)
			f->now_us = f->busy_until;
		else
			poll = DIV_ROUND_UP(f->busy_until - f->now_us, 1000);
	}
	if (f->state == DFUSE_STATE_DNLOAD_SYNC && f->busy_us &&
	    f->last_block == 0 && f->last[0] == 0x21) {
		f_execute(f);	/* no flash work: done at once */
		f->state = DFUSE_STATE_DNLOAD_IDLE;
	} else if (f->state == DFUSE_STATE_DNLOAD_SYNC) {
		f_execute(f);
		f->state = DFUSE_STATE_DNBUSY;
		f->busy_until = f->now_us + f->busy_us;
	} else if (f->state == DFUSE_STATE_DNBUSY && f->busy_us) {
		if (f->now_us >= f->busy_until)
			f->state = f->status ? DFUSE_STATE_ERROR :
				   DFUSE_STATE_DNLOAD_IDLE;
	} else if (f->state == DFUSE_STATE_DNBUSY && f->busy_left > 0) {
		f->busy_left--;
	} else if (f->state == DFUSE_STATE_DNBUSY) {
		f->state = f->status ? DFUSE_STATE_ERROR :
			   DFUSE_STATE_DNLOAD_IDLE;
	}
	st->status = f->state == DFUSE_STATE_DNBUSY ? 0 : f->status;
	st->poll_ms = poll;
	st->state = f->state;
	st->istring = f->state == DFUSE_STATE_ERROR ? f->istring : 0;
	return 0;
}

static int f_upload(void *ctx, u16 block, void *buf, u16 len)
{
	struct fake *f = ctx;
	u32 a;

	flog(f, "UPLOAD %u %u", block, len);
	if (f->state != DFUSE_STATE_IDLE && f->state != DFUSE_STATE_UPLOAD_IDLE)
		return -EPIPE;
	if (block == 0) {
		memcpy(buf, "\x00\x21\x41\x92", 4);
		return 4;
	}
	a = block_addr(f, block, len) - FAKE_BASE;
	if (a + len > FAKE_SIZE) {
		f->state = DFUSE_STATE_ERROR;
		f->status = DFUSE_STATUS_ERR_TARGET;
		return -EPIPE;
	}
	memcpy(buf, f->mem + a, len);
	f->state = DFUSE_STATE_UPLOAD_IDLE;
	return f->short_upload ? len / 2 : len;
}

static int f_clr_status(void *ctx)
{
	struct fake *f = ctx;

	flog(f, "CLRSTATUS", 0, 0);
	if (f->wedged == 2) {
		f->wedged = 1;
		f->state = DFUSE_STATE_ERROR;
		f->status = DFUSE_STATUS_ERR_UNKNOWN;
		return 0;
	}
	f->wedged = 0;
	if (f->state != DFUSE_STATE_ERROR)
		return -EPIPE;
	f->state = DFUSE_STATE_IDLE;
	f->status = 0;
	return 0;
}

static int f_abort(void *ctx)
{
	struct fake *f = ctx;

	flog(f, "ABORT", 0, 0);
	f->state = DFUSE_STATE_IDLE;
	return 0;
}

static int f_get_string(void *ctx, u8 index, char *buf, size_t size)
{
	return snprintf(buf, size, "fake error %u", index);
}

static int f_sleep(void *ctx, u32 us)
{
	struct fake *f = ctx;

	f->sleep_us += us;
	f->now_us += us;
	return 0;
}

static u64 f_now_us(void *ctx)
{
	return ((struct fake *)ctx)->now_us;
}

static const struct dfuse_ops fake_ops = {
	.dnload = f_dnload, .upload = f_upload, .get_status = f_get_status,
	.clr_status = f_clr_status, .abort = f_abort,
	.get_string = f_get_string, .sleep = f_sleep, .now_us = f_now_us,
};

struct fake *dfuse_fake_new(struct kunit *test, struct dfuse_engine *e,
			    u16 xfer)
{
	struct fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	f->state = DFUSE_STATE_IDLE;
	f->xfer = xfer;
	memset(f->mem, 0xff, sizeof(f->mem));
	dfuse_engine_init(e, &fake_ops, f, xfer);
	return f;
}

void dfuse_fake_in_error(struct fake *f)
{
	f->state = DFUSE_STATE_ERROR;
	f->status = DFUSE_STATUS_ERR_UNKNOWN;
}

unsigned int dfuse_fake_count(struct fake *f, const char *prefix)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->nr_log; i++)
		n += !strncmp(f->log[i], prefix, strlen(prefix));
	return n;
}
