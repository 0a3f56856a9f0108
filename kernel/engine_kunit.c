// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the DfuSe engine against a fake bootloader: request
 * sequences, busy polling, error statuses, short transfers, and both
 * readings of the block address formula.
 */
#include <kunit/test.h>
#include <linux/dfuse.h>
#include <linux/string.h>

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
	unsigned int sleep_us, nr_log;
	char log[FAKE_LOG][24];
	u8 mem[FAKE_SIZE];
	u8 last[4096];
	int last_len;
	u16 last_block;
	u16 xfer;
};

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

static struct fake *fake_new(struct kunit *test, struct dfuse_engine *e,
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

/* The device as a previous host left it: dfuERROR, errUNKNOWN. */
static void fake_in_error(struct fake *f)
{
	f->state = DFUSE_STATE_ERROR;
	f->status = DFUSE_STATUS_ERR_UNKNOWN;
}

static unsigned int count(struct fake *f, const char *prefix)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->nr_log; i++)
		n += !strncmp(f->log[i], prefix, strlen(prefix));
	return n;
}

static void engine_set_address_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, 0x08001234), 0);
	KUNIT_EXPECT_EQ(test, f->ptr, 0x08001234U);
	/* unknown state: one GETSTATUS to learn it, DNLOAD, busy, idle */
	KUNIT_EXPECT_STREQ(test, f->log[0], "GETSTATUS");
	KUNIT_EXPECT_STREQ(test, f->log[1], "DNLOAD 0 5");
	KUNIT_EXPECT_EQ(test, count(f, "GETSTATUS"), 3U);
	KUNIT_EXPECT_EQ(test, f->nr_log, 4U);
}

static void engine_busy_poll_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	f->busy_polls = 3;	/* reports less than it takes, thrice */
	f->poll_ms = 5;
	e.state = DFUSE_STATE_IDLE;
	/* a command: no flash work to learn, its bwPollTimeout is honoured */
	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, 0x08000000), 0);
	KUNIT_EXPECT_EQ(test, count(f, "GETSTATUS"), 5U);
	KUNIT_EXPECT_EQ(test, f->sleep_us, 20000U);
}

/* A board that never leaves dfuDNBUSY fails the operation at its deadline. */
static void engine_busy_limit_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	f->busy_polls = 1000000;
	f->poll_ms = 0xffffff;
	e.state = DFUSE_STATE_IDLE;
	/* a 2 KiB page: 1 s + 32 ms per KiB, not 30 s per request */
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, 0x08000000, 2048), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->sleep_us, 1064000U);
	KUNIT_EXPECT_EQ(test, e.last_errno, -ETIMEDOUT);
	/* ABORT is not valid in dfuDNBUSY: none is sent */
	KUNIT_EXPECT_EQ(test, count(f, "ABORT"), 0U);
	/* the next command finds it still busy: EBUSY, nothing sent */
	f->nr_log = 0;
	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, 0x08000000), -EBUSY);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD"), 0U);
}

static void engine_unknown_state_test(struct kunit *test)
{
	struct dfuse_engine e;

	fake_new(test, &e, 2048);
	/* a new board is not in dfuERROR just because we have not asked */
	KUNIT_EXPECT_NE(test, e.state, DFUSE_STATE_ERROR);
	KUNIT_EXPECT_EQ(test, e.state, DFUSE_STATE_UNKNOWN);
}

static void engine_error_status_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	e.state = DFUSE_STATE_IDLE;
	f->fail_status = DFUSE_STATUS_ERR_TARGET;
	f->istring = 7;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, 0x09000000, 2048), -ENXIO);
	KUNIT_EXPECT_EQ(test, e.last_status, DFUSE_STATUS_ERR_TARGET);
	KUNIT_EXPECT_EQ(test, e.last_address, 0x09000000U);
	KUNIT_EXPECT_STREQ(test, e.last_string, "fake error 7");
	KUNIT_EXPECT_EQ(test, count(f, "CLRSTATUS"), 1U);
	KUNIT_EXPECT_EQ(test, f->state, DFUSE_STATE_IDLE);
}

static void engine_start_in_error_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	fake_in_error(f);
	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, 0x08000000), 0);
	KUNIT_EXPECT_STREQ(test, f->log[1], "CLRSTATUS");
}

/* Both readings of the address formula, and transfer sizes. */
struct formula_case {
	const char *name;
	bool wlength;
	u16 xfer;
	u32 offset, len;
};

static const struct formula_case formula_cases[] = {
	{ "xfer formula, 5000 bytes", false, 2048, 0x100, 5000 },
	{ "wLength formula, 5000 bytes", true, 2048, 0x100, 5000 },
	{ "wLength formula, 1 KiB blocks", true, 1024, 0x0, 4096 },
	{ "xfer formula, short only", false, 2048, 0x10, 100 },
	{ "wLength formula, short only", true, 2048, 0x10, 100 },
};

static void formula_desc(const struct formula_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(formula, formula_cases, formula_desc);

static void engine_write_read_test(struct kunit *test)
{
	const struct formula_case *c = test->param_value;
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, c->xfer);
	u8 *data = kunit_kzalloc(test, c->len, GFP_KERNEL);
	u8 *back = kunit_kzalloc(test, c->len, GFP_KERNEL);
	unsigned int i, full = c->len / c->xfer;
	size_t done;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, back);
	f->wlength = c->wlength;
	for (i = 0; i < c->len; i++)
		data[i] = i * 13 + 1;
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE + c->offset, data,
					  c->len, &done), 0);
	KUNIT_EXPECT_EQ(test, done, (size_t)c->len);
	KUNIT_EXPECT_EQ(test, memcmp(f->mem + c->offset, data, c->len), 0);
	/* one pointer for the run of full blocks, one for a short tail */
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 0 5"),
			(full ? 1U : 0U) + (c->len % c->xfer ? 1U : 0U));

	f->nr_log = 0;
	KUNIT_EXPECT_EQ(test, dfuse_read(&e, FAKE_BASE + c->offset, back,
					 c->len, &done), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, data, c->len), 0);
	KUNIT_EXPECT_EQ(test, count(f, "UPLOAD"), full + (c->len % c->xfer ? 1U : 0U));
}

static void engine_continue_run_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);
	u8 *data = kunit_kzalloc(test, 4096, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	memset(data, 0x5a, 4096);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE, data, 2048, NULL), 0);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE + 2048, data, 2048, NULL), 0);
	/* a contiguous second call counts blocks on: still one pointer */
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 0 5"), 1U);
	KUNIT_EXPECT_STREQ(test, f->log[f->nr_log - 3], "DNLOAD 5 1024");
	/* an erase makes the pointer unknown */
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE + 8192, 2048), 0);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE + 4096, data, 1024, NULL), 0);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 0 5"), 3U);
}

static void engine_short_upload_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);
	u8 *buf = kunit_kzalloc(test, 2048, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	f->short_upload = true;
	KUNIT_EXPECT_EQ(test, dfuse_read(&e, FAKE_BASE, buf, 2048, NULL), -EPROTO);
}

static void engine_upload_error_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);
	u8 *buf = kunit_kzalloc(test, 2048, GFP_KERNEL);
	size_t done = 99;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	/* past the fake's memory: it stalls and reports errTARGET */
	KUNIT_EXPECT_EQ(test, dfuse_read(&e, FAKE_BASE + FAKE_SIZE, buf, 2048,
					 &done), -ENXIO);
	KUNIT_EXPECT_EQ(test, done, (size_t)0);
	KUNIT_EXPECT_EQ(test, e.last_status, DFUSE_STATUS_ERR_TARGET);
	KUNIT_EXPECT_EQ(test, f->state, DFUSE_STATE_IDLE);
}

static void engine_leave_vanish_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	f->vanish = true;
	e.state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_leave(&e, true, 0x08000000), 0);
	KUNIT_EXPECT_EQ(test, f->ptr, 0x08000000U);
	KUNIT_EXPECT_STREQ(test, f->log[f->nr_log - 2], "DNLOAD 2 0");
}

static void engine_leave_stall_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	f->stall_leave = true;
	e.state = DFUSE_STATE_IDLE;
	/* a STALL is a refusal, not the part resetting: not "left" */
	KUNIT_EXPECT_EQ(test, dfuse_leave(&e, true, 0x08000000), -EPROTO);
	KUNIT_EXPECT_EQ(test, e.last_status, DFUSE_STATUS_ERR_STALLEDPKT);
}

/* GD32: the ROM leaves on the zero-length DNLOAD; no GETSTATUS after it. */
static void engine_leave_without_status_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	e.leave_without_status = true;
	e.state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_leave(&e, true, 0x08000000), 0);
	KUNIT_EXPECT_STREQ(test, f->log[f->nr_log - 1], "DNLOAD 2 0");
	KUNIT_EXPECT_EQ(test, f->state, DFUSE_STATE_MANIFEST_SYNC);
}

/*
 * An idle board whose work is busy for one poll of 10 ms, polled as it
 * asks, that STALLs the first @stalls polls of each page erase (L4).
 */
static struct fake *stalling_fake(struct kunit *test, struct dfuse_engine *e,
				  int stalls)
{
	struct fake *f = fake_new(test, e, 2048);

	f->busy_polls = 1;
	f->poll_ms = 10;
	f->erase_stalls = stalls;
	e->honour_poll = true;
	e->state = DFUSE_STATE_IDLE;
	return f;
}

/* L4: a poll of a page erase STALLed twice is asked again, and done. */
static void engine_erase_stall_retry_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = stalling_fake(test, &e, 2);

	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 2048), 0);
	KUNIT_EXPECT_EQ(test, e.nr_erase_stalls, 2U);
	/* start, two stalled, one busy, one done */
	KUNIT_EXPECT_EQ(test, count(f, "GETSTATUS"), 5U);
	KUNIT_EXPECT_EQ(test, e.state, DFUSE_STATE_DNLOAD_IDLE);
}

/* Three retries: a fourth STALL fails the erase. */
static void engine_erase_stall_limit_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = stalling_fake(test, &e, 4);

	KUNIT_EXPECT_NE(test, dfuse_erase_page(&e, FAKE_BASE, 2048), 0);
	KUNIT_EXPECT_EQ(test, e.nr_erase_stalls, 3U);
	/* start, four stalled, one to see where the device is after */
	KUNIT_EXPECT_EQ(test, count(f, "GETSTATUS"), 6U);
}

/* Only erases: a STALL while programming is an error at once. */
static void engine_program_stall_not_retried_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = stalling_fake(test, &e, 0);
	static const u8 block[2048];

	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, FAKE_BASE), 0);
	/* the block's busy poll is stalled: not asked again */
	f->erase_stalls_left = 1;
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE, block, 2048, NULL),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, e.nr_erase_stalls, 0U);
	KUNIT_EXPECT_EQ(test, f->erase_stalls_left, 0);
}

static void engine_get_commands_in_error_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);
	u8 buf[16];

	fake_in_error(f);
	KUNIT_EXPECT_EQ(test, dfuse_get_commands(&e, buf, sizeof(buf)), 4);
	KUNIT_EXPECT_EQ(test, count(f, "CLRSTATUS"), 1U);
}

static void engine_unprotect_in_error_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	fake_in_error(f);
	KUNIT_EXPECT_EQ(test, dfuse_unprotect(&e), 0);
	KUNIT_EXPECT_EQ(test, count(f, "CLRSTATUS"), 1U);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 0 1"), 1U);
}

static void engine_gap_sets_address_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);
	u8 *data = kunit_kzalloc(test, 1024, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	memset(data, 0xa5, 1024);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE, data, 1024, NULL), 0);
	/* one block skipped: a new pointer, not block 4 of the old one */
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE + 2048, data, 1024, NULL), 0);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 0 5"), 2U);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 4"), 0U);
	KUNIT_EXPECT_EQ(test, memcmp(f->mem + 2048, data, 1024), 0);
}

static void engine_get_commands_test(struct kunit *test)
{
	struct dfuse_engine e;
	u8 buf[16];

	fake_new(test, &e, 2048);
	e.state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_get_commands(&e, buf, sizeof(buf)), 4);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "\x00\x21\x41\x92", 4), 0);
}

static void engine_status_errno_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dfuse_status_errno(DFUSE_STATUS_OK), 0);
	KUNIT_EXPECT_EQ(test, dfuse_status_errno(DFUSE_STATUS_ERR_PROG), -EIO);
	KUNIT_EXPECT_EQ(test, dfuse_status_errno(DFUSE_STATUS_ERR_VENDOR), -EACCES);
	KUNIT_EXPECT_EQ(test, dfuse_status_errno(DFUSE_STATUS_ERR_TARGET), -ENXIO);
	KUNIT_EXPECT_EQ(test, dfuse_status_errno(DFUSE_STATUS_ERR_STALLEDPKT), -EPROTO);
	KUNIT_EXPECT_STREQ(test, dfuse_status_name(6), "errPROG");
}

/* Ten blocks on a ROM that asks for 104 ms per block and needs @busy_us. */
static u64 program_blocks(struct kunit *test, struct fake *f,
			  struct dfuse_engine *e, u64 busy_us)
{
	static u8 buf[10 * 1024];
	u64 start = f->now_us;

	memset(buf, 0x5a ^ (u8)busy_us, sizeof(buf));
	f->nr_log = 0;
	f->busy_us = busy_us;
	f->poll_ms = 104;
	e->state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_write(e, FAKE_BASE, buf, sizeof(buf), NULL),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(f->mem, buf, sizeof(buf)), 0);
	return f->now_us - start;
}

static u64 program_ten_blocks(struct kunit *test, struct fake *f,
			      struct dfuse_engine *e)
{
	return program_blocks(test, f, e, 9000);
}

/*
 * A ROM that answers an early poll with the time left: the first poll of
 * a block closes in on when the work is done, within 1/64 of it, and
 * then each block takes one poll. Polling when the last block was found
 * done never gets earlier than the first overshoot (9.5 ms here).
 */
static void engine_poll_converges_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);
	int i;

	for (i = 0; i < 3; i++)
		program_blocks(test, f, &e, 9000);
	KUNIT_EXPECT_LE(test, program_blocks(test, f, &e, 9000),
			10 * (9000ULL + 9000 / 64));
	/* SETADDR + 10 blocks, each DNLOAD + 2 GETSTATUS, and the probe */
	KUNIT_EXPECT_LE(test, count(f, "GETSTATUS"), 1U + 20U + 1U);
	KUNIT_EXPECT_EQ(test, e.learned[0].busy_us + 9000 / 64 >= 9000, true);
}

/* Work that becomes slower, then faster: learned again each time. */
static void engine_poll_relearns_test(struct kunit *test)
{
	static const u64 busy[] = { 9000, 12000, 5000 };
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);
	int i, k;

	for (k = 0; k < ARRAY_SIZE(busy); k++) {
		/* faster work is found by a probe every 128 blocks */
		for (i = 0; i < 15; i++)
			program_blocks(test, f, &e, busy[k]);
		KUNIT_EXPECT_LE(test, program_blocks(test, f, &e, busy[k]),
				10 * (busy[k] + busy[k] / 64));
		KUNIT_EXPECT_LE(test, count(f, "GETSTATUS"), 1U + 20U + 1U);
	}
	KUNIT_EXPECT_EQ(test, e.nr_learned, 1U);
}

/* Early polls learn the real time; held polls cost nothing extra. */
static void engine_early_poll_blocking_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);

	f->blocking = true;
	/* 9 ms a block, not 104: the first poll comes early and is held */
	KUNIT_EXPECT_EQ(test, program_ten_blocks(test, f, &e), 90000ULL);
	/* SETADDR + 10 blocks, each DNLOAD + 2 GETSTATUS */
	KUNIT_EXPECT_EQ(test, count(f, "GETSTATUS"), 1U + 20U);
	KUNIT_EXPECT_FALSE(test, e.honour_poll);
	KUNIT_EXPECT_EQ(test, e.nr_early_polls, 10U);
}

/* A ROM that answers an early poll with dfuDNBUSY and the time left. */
static void engine_early_poll_busy_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);
	u64 t = program_ten_blocks(test, f, &e);

	/* learning costs a few polls more, once (then: poll_converges) */
	KUNIT_EXPECT_LE(test, t, 10 * 10000ULL);
	KUNIT_EXPECT_LE(test, count(f, "GETSTATUS"), 1U + 20U + 8U);
}

/* A ROM that stalls an early poll: bwPollTimeout is honoured from then. */
static void engine_early_poll_stall_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);

	f->stall_early = true;
	KUNIT_EXPECT_EQ(test, program_ten_blocks(test, f, &e),
			500ULL + 10 * 104000ULL);
	KUNIT_EXPECT_TRUE(test, e.honour_poll);
	/* one GETSTATUS stalled, none early after it */
	KUNIT_EXPECT_EQ(test, count(f, "GETSTATUS"), 1U + 20U + 1U);
}

/* A quirk that says honour bwPollTimeout: never an early poll. */
static void engine_honour_poll_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);

	e.honour_poll = true;
	f->blocking = true;
	KUNIT_EXPECT_EQ(test, program_ten_blocks(test, f, &e), 10 * 104000ULL);
	KUNIT_EXPECT_EQ(test, e.nr_early_polls, 0U);
}

/* H7 Rev.V: an erase that stays dfuDNBUSY; the quirk unsticks it. */
static void engine_unstick_busy_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	f->poll_ms = 100;
	f->busy_us = 50000;
	e.state = DFUSE_STATE_IDLE;
	/* without the quirk: the operation's deadline */
	f->wedged = 2;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 131072),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, count(f, "CLRSTATUS"), 0U);
	/* with it: two CLRSTATUS at twice the time asked, and done */
	f->wedged = 2;
	f->state = DFUSE_STATE_IDLE;
	f->nr_log = 0;
	e.state = DFUSE_STATE_IDLE;
	e.unstick_busy = true;
	f->now_us = 0;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 131072), 0);
	KUNIT_EXPECT_EQ(test, count(f, "CLRSTATUS"), 2U);
	KUNIT_EXPECT_EQ(test, e.nr_unstuck, 1U);
	KUNIT_EXPECT_EQ(test, e.state, DFUSE_STATE_IDLE);
	KUNIT_EXPECT_LT(test, f->now_us, 300000ULL);
}

/* Blocks of another size than wTransferSize: each one addressed. */
static void engine_address_each_block_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 1024);
	static u8 buf[4096];

	f->xfer = 2048;		/* what the device computes block addresses by */
	memset(buf, 0xa5, sizeof(buf));
	e.address_each_block = true;
	e.state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE, buf, sizeof(buf), NULL),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(f->mem, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 0 5"), 4U);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD 2 1024"), 4U);
}

/* Each kind and size of work has its own deadline and learned time. */
static void engine_deadline_per_work_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	f->blocking = true;
	f->busy_us = 20000000;	/* a 20 s mass erase, held in GETSTATUS */
	f->poll_ms = 100;	/* as the F405 reports it */
	e.state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_mass_erase(&e), 0);
	KUNIT_EXPECT_EQ(test, f->now_us, 20000000ULL);
	f->busy_us = 250000;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 16384), 0);
	KUNIT_EXPECT_EQ(test, f->now_us, 20250000ULL);
	/* held polls: learned is when the poll was sent, early enough */
	KUNIT_EXPECT_EQ(test, e.nr_learned, 2U);
	KUNIT_EXPECT_EQ(test, e.learned[0].us, (u32)DFUSE_POLL_MIN_US);
	KUNIT_EXPECT_EQ(test, e.learned[1].us, (u32)DFUSE_POLL_MIN_US);
	/* a page that erases beyond its deadline (1 s + 32 ms/KiB) fails */
	f->busy_us = 2000000;
	f->blocking = false;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 16384),
			-ETIMEDOUT);
}

/*
 * A DNLOAD whose status stage was lost: the device took it, so what state
 * it is in is not known. The next operation asks first: the erase still
 * running, it fails with EBUSY and sends nothing (it sent its DNLOAD into
 * dfuDNLOAD-SYNC); once the work is done the board is usable.
 */
static void engine_lost_ack_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);

	e.state = DFUSE_STATE_IDLE;
	f->lose_ack = true;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 2048), -EPROTO);
	KUNIT_EXPECT_EQ(test, e.state, DFUSE_STATE_UNKNOWN);
	f->nr_log = 0;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE + 2048, 2048),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, count(f, "DNLOAD"), 0U);
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE + 2048, 2048), 0);
}

/*
 * A full table of learned times recycles its oldest entry, then the next
 * oldest: the newest stays (it recycled slot 0 every time).
 */
static void engine_learned_ring_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = fake_new(test, &e, 2048);
	unsigned int i, found = 0;

	e.state = DFUSE_STATE_IDLE;
	f->busy_us = 1000;
	for (i = 1; i <= DFUSE_LEARN_SLOTS + 2; i++)
		KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, i * 256),
				0);
	KUNIT_EXPECT_EQ(test, e.nr_learned, (unsigned int)DFUSE_LEARN_SLOTS);
	for (i = 0; i < DFUSE_LEARN_SLOTS; i++) {
		u32 size = e.learned[i].size;

		KUNIT_EXPECT_GE(test, size, 3U * 256);	/* the two oldest went */
		found |= 1u << (size / 256);
	}
	KUNIT_EXPECT_EQ(test, found,
			(unsigned int)GENMASK(DFUSE_LEARN_SLOTS + 2, 3));
}

static struct kunit_case engine_test_cases[] = {
	KUNIT_CASE(engine_set_address_test),
	KUNIT_CASE(engine_busy_poll_test),
	KUNIT_CASE(engine_busy_limit_test),
	KUNIT_CASE(engine_early_poll_blocking_test),
	KUNIT_CASE(engine_poll_converges_test),
	KUNIT_CASE(engine_poll_relearns_test),
	KUNIT_CASE(engine_early_poll_busy_test),
	KUNIT_CASE(engine_early_poll_stall_test),
	KUNIT_CASE(engine_honour_poll_test),
	KUNIT_CASE(engine_deadline_per_work_test),
	KUNIT_CASE(engine_learned_ring_test),
	KUNIT_CASE(engine_lost_ack_test),
	KUNIT_CASE(engine_address_each_block_test),
	KUNIT_CASE(engine_unstick_busy_test),
	KUNIT_CASE(engine_unknown_state_test),
	KUNIT_CASE(engine_leave_stall_test),
	KUNIT_CASE(engine_leave_without_status_test),
	KUNIT_CASE(engine_erase_stall_retry_test),
	KUNIT_CASE(engine_erase_stall_limit_test),
	KUNIT_CASE(engine_program_stall_not_retried_test),
	KUNIT_CASE(engine_get_commands_in_error_test),
	KUNIT_CASE(engine_unprotect_in_error_test),
	KUNIT_CASE(engine_gap_sets_address_test),
	KUNIT_CASE(engine_error_status_test),
	KUNIT_CASE(engine_start_in_error_test),
	KUNIT_CASE_PARAM(engine_write_read_test, formula_gen_params),
	KUNIT_CASE(engine_continue_run_test),
	KUNIT_CASE(engine_short_upload_test),
	KUNIT_CASE(engine_upload_error_test),
	KUNIT_CASE(engine_leave_vanish_test),
	KUNIT_CASE(engine_get_commands_test),
	KUNIT_CASE(engine_status_errno_test),
	{}
};

static struct kunit_suite engine_test_suite = {
	.name = "dfuse_engine",
	.test_cases = engine_test_cases,
};

kunit_test_suite(engine_test_suite);
