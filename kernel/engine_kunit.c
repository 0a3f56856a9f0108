// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the DfuSe engine against a fake bootloader
 * (engine_fake.c): request sequences, error statuses, short transfers,
 * the leave, and both readings of the block address formula. Polling
 * and learned times: engine_poll_kunit.c.
 */
#include <kunit/test.h>
#include <linux/dfuse.h>
#include <linux/string.h>

#include "engine_fake.h"

static void engine_set_address_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, 0x08001234), 0);
	KUNIT_EXPECT_EQ(test, f->ptr, 0x08001234U);
	/* unknown state: one GETSTATUS to learn it, DNLOAD, busy, idle */
	KUNIT_EXPECT_STREQ(test, f->log[0], "GETSTATUS");
	KUNIT_EXPECT_STREQ(test, f->log[1], "DNLOAD 0 5");
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "GETSTATUS"), 3U);
	KUNIT_EXPECT_EQ(test, f->nr_log, 4U);
}

static void engine_busy_poll_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	f->busy_polls = 3;	/* reports less than it takes, thrice */
	f->poll_ms = 5;
	e.state = DFUSE_STATE_IDLE;
	/* a command: no flash work to learn, its bwPollTimeout is honoured */
	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, 0x08000000), 0);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "GETSTATUS"), 5U);
	KUNIT_EXPECT_EQ(test, f->sleep_us, 20000U);
}

/* A board that never leaves dfuDNBUSY fails the operation at its deadline. */
static void engine_busy_limit_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	f->busy_polls = 1000000;
	f->poll_ms = 0xffffff;
	e.state = DFUSE_STATE_IDLE;
	/* a 2 KiB page: 1 s + 32 ms per KiB, not 30 s per request */
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, 0x08000000, 2048), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, f->sleep_us, 1064000U);
	KUNIT_EXPECT_EQ(test, e.last_errno, -ETIMEDOUT);
	/* ABORT is not valid in dfuDNBUSY: none is sent */
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "ABORT"), 0U);
	/* the next command finds it still busy: EBUSY, nothing sent */
	f->nr_log = 0;
	KUNIT_EXPECT_EQ(test, dfuse_set_address(&e, 0x08000000), -EBUSY);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD"), 0U);
}

static void engine_unknown_state_test(struct kunit *test)
{
	struct dfuse_engine e;

	dfuse_fake_new(test, &e, 2048);
	/* a new board is not in dfuERROR just because we have not asked */
	KUNIT_EXPECT_NE(test, e.state, DFUSE_STATE_ERROR);
	KUNIT_EXPECT_EQ(test, e.state, DFUSE_STATE_UNKNOWN);
}

static void engine_error_status_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	e.state = DFUSE_STATE_IDLE;
	f->fail_status = DFUSE_STATUS_ERR_TARGET;
	f->istring = 7;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, 0x09000000, 2048), -ENXIO);
	KUNIT_EXPECT_EQ(test, e.last_status, DFUSE_STATUS_ERR_TARGET);
	KUNIT_EXPECT_EQ(test, e.last_address, 0x09000000U);
	KUNIT_EXPECT_STREQ(test, e.last_string, "fake error 7");
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "CLRSTATUS"), 1U);
	KUNIT_EXPECT_EQ(test, f->state, DFUSE_STATE_IDLE);
}

static void engine_start_in_error_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	dfuse_fake_in_error(f);
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
	struct fake *f = dfuse_fake_new(test, &e, c->xfer);
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
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 0 5"),
			(full ? 1U : 0U) + (c->len % c->xfer ? 1U : 0U));

	f->nr_log = 0;
	KUNIT_EXPECT_EQ(test, dfuse_read(&e, FAKE_BASE + c->offset, back,
					 c->len, &done), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, data, c->len), 0);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "UPLOAD"), full + (c->len % c->xfer ? 1U : 0U));
}

static void engine_continue_run_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);
	u8 *data = kunit_kzalloc(test, 4096, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	memset(data, 0x5a, 4096);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE, data, 2048, NULL), 0);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE + 2048, data, 2048, NULL), 0);
	/* a contiguous second call counts blocks on: still one pointer */
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 0 5"), 1U);
	KUNIT_EXPECT_STREQ(test, f->log[f->nr_log - 3], "DNLOAD 5 1024");
	/* an erase makes the pointer unknown */
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE + 8192, 2048), 0);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE + 4096, data, 1024, NULL), 0);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 0 5"), 3U);
}

static void engine_short_upload_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);
	u8 *buf = kunit_kzalloc(test, 2048, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	f->short_upload = true;
	KUNIT_EXPECT_EQ(test, dfuse_read(&e, FAKE_BASE, buf, 2048, NULL), -EPROTO);
}

static void engine_upload_error_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);
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
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	f->vanish = true;
	e.state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_leave(&e, true, 0x08000000), 0);
	KUNIT_EXPECT_EQ(test, f->ptr, 0x08000000U);
	KUNIT_EXPECT_STREQ(test, f->log[f->nr_log - 2], "DNLOAD 2 0");
}

static void engine_leave_stall_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

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
	struct fake *f = dfuse_fake_new(test, &e, 2048);

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
	struct fake *f = dfuse_fake_new(test, e, 2048);

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
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "GETSTATUS"), 5U);
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
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "GETSTATUS"), 6U);
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
	struct fake *f = dfuse_fake_new(test, &e, 2048);
	u8 buf[16];

	dfuse_fake_in_error(f);
	KUNIT_EXPECT_EQ(test, dfuse_get_commands(&e, buf, sizeof(buf)), 4);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "CLRSTATUS"), 1U);
}

static void engine_unprotect_in_error_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	dfuse_fake_in_error(f);
	KUNIT_EXPECT_EQ(test, dfuse_unprotect(&e), 0);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "CLRSTATUS"), 1U);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 0 1"), 1U);
}

/*
 * A STALLed GETSTATUS after UNPROTECT is asked about like any request's
 * (EPROTO here: the device then says it is not in dfuERROR), not a raw
 * EPIPE, which the header does not list.
 */
static void engine_unprotect_stalled_status_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	e.state = DFUSE_STATE_IDLE;
	f->stall_status = true;
	KUNIT_EXPECT_EQ(test, dfuse_unprotect(&e), -EPROTO);
	KUNIT_EXPECT_EQ(test, e.last_errno, -EPROTO);
}

static void engine_gap_sets_address_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);
	u8 *data = kunit_kzalloc(test, 1024, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	memset(data, 0xa5, 1024);
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE, data, 1024, NULL), 0);
	/* one block skipped: a new pointer, not block 4 of the old one */
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE + 2048, data, 1024, NULL), 0);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 0 5"), 2U);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 4"), 0U);
	KUNIT_EXPECT_EQ(test, memcmp(f->mem + 2048, data, 1024), 0);
}

static void engine_get_commands_test(struct kunit *test)
{
	struct dfuse_engine e;
	u8 buf[16];

	dfuse_fake_new(test, &e, 2048);
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

static struct kunit_case engine_test_cases[] = {
	KUNIT_CASE(engine_set_address_test),
	KUNIT_CASE(engine_busy_poll_test),
	KUNIT_CASE(engine_busy_limit_test),
	KUNIT_CASE(engine_unknown_state_test),
	KUNIT_CASE(engine_leave_stall_test),
	KUNIT_CASE(engine_leave_without_status_test),
	KUNIT_CASE(engine_erase_stall_retry_test),
	KUNIT_CASE(engine_erase_stall_limit_test),
	KUNIT_CASE(engine_program_stall_not_retried_test),
	KUNIT_CASE(engine_get_commands_in_error_test),
	KUNIT_CASE(engine_unprotect_in_error_test),
	KUNIT_CASE(engine_unprotect_stalled_status_test),
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
