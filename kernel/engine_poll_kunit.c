// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the DfuSe engine's polling against a fake bootloader
 * (engine_fake.c): early polls, learned times, deadlines per kind of
 * work, ROMs that stay busy or lose a status stage.
 */
#include <kunit/test.h>
#include <linux/dfuse.h>
#include <linux/string.h>

#include "engine_fake.h"

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
	struct fake *f = dfuse_fake_new(test, &e, 1024);
	int i;

	for (i = 0; i < 3; i++)
		program_blocks(test, f, &e, 9000);
	KUNIT_EXPECT_LE(test, program_blocks(test, f, &e, 9000),
			10 * (9000ULL + 9000 / 64));
	/* SETADDR + 10 blocks, each DNLOAD + 2 GETSTATUS, and the probe */
	KUNIT_EXPECT_LE(test, dfuse_fake_count(f, "GETSTATUS"), 1U + 20U + 1U);
	KUNIT_EXPECT_EQ(test, e.learned[0].busy_us + 9000 / 64 >= 9000, true);
}

/* Work that becomes slower, then faster: learned again each time. */
static void engine_poll_relearns_test(struct kunit *test)
{
	static const u64 busy[] = { 9000, 12000, 5000 };
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);
	int i, k;

	for (k = 0; k < ARRAY_SIZE(busy); k++) {
		/* faster work is found by a probe every 128 blocks */
		for (i = 0; i < 15; i++)
			program_blocks(test, f, &e, busy[k]);
		KUNIT_EXPECT_LE(test, program_blocks(test, f, &e, busy[k]),
				10 * (busy[k] + busy[k] / 64));
		KUNIT_EXPECT_LE(test, dfuse_fake_count(f, "GETSTATUS"), 1U + 20U + 1U);
	}
	KUNIT_EXPECT_EQ(test, e.nr_learned, 1U);
}

/* Early polls learn the real time; held polls cost nothing extra. */
static void engine_early_poll_blocking_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);

	f->blocking = true;
	/* 9 ms a block, not 104: the first poll comes early and is held */
	KUNIT_EXPECT_EQ(test, program_ten_blocks(test, f, &e), 90000ULL);
	/* SETADDR + 10 blocks, each DNLOAD + 2 GETSTATUS */
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "GETSTATUS"), 1U + 20U);
	KUNIT_EXPECT_FALSE(test, e.honour_poll);
	KUNIT_EXPECT_EQ(test, e.nr_early_polls, 10U);
}

/* A ROM that answers an early poll with dfuDNBUSY and the time left. */
static void engine_early_poll_busy_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);
	u64 t = program_ten_blocks(test, f, &e);

	/* learning costs a few polls more, once (then: poll_converges) */
	KUNIT_EXPECT_LE(test, t, 10 * 10000ULL);
	KUNIT_EXPECT_LE(test, dfuse_fake_count(f, "GETSTATUS"), 1U + 20U + 8U);
}

/* A ROM that stalls an early poll: bwPollTimeout is honoured from then. */
static void engine_early_poll_stall_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);

	f->stall_early = true;
	KUNIT_EXPECT_EQ(test, program_ten_blocks(test, f, &e),
			500ULL + 10 * 104000ULL);
	KUNIT_EXPECT_TRUE(test, e.honour_poll);
	/* one GETSTATUS stalled, none early after it */
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "GETSTATUS"), 1U + 20U + 1U);
}

/* A quirk that says honour bwPollTimeout: never an early poll. */
static void engine_honour_poll_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);

	e.honour_poll = true;
	f->blocking = true;
	KUNIT_EXPECT_EQ(test, program_ten_blocks(test, f, &e), 10 * 104000ULL);
	KUNIT_EXPECT_EQ(test, e.nr_early_polls, 0U);
}

/* H7 Rev.V: an erase that stays dfuDNBUSY; the quirk unsticks it. */
static void engine_unstick_busy_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	f->poll_ms = 100;
	f->busy_us = 50000;
	e.state = DFUSE_STATE_IDLE;
	/* without the quirk: the operation's deadline */
	f->wedged = 2;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 131072),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "CLRSTATUS"), 0U);
	/* with it: two CLRSTATUS at twice the time asked, and done */
	f->wedged = 2;
	f->state = DFUSE_STATE_IDLE;
	f->nr_log = 0;
	e.state = DFUSE_STATE_IDLE;
	e.unstick_busy = true;
	f->now_us = 0;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 131072), 0);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "CLRSTATUS"), 2U);
	KUNIT_EXPECT_EQ(test, e.nr_unstuck, 1U);
	KUNIT_EXPECT_EQ(test, e.state, DFUSE_STATE_IDLE);
	KUNIT_EXPECT_LT(test, f->now_us, 300000ULL);
}

/* Blocks of another size than wTransferSize: each one addressed. */
static void engine_address_each_block_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 1024);
	static u8 buf[4096];

	f->xfer = 2048;		/* what the device computes block addresses by */
	memset(buf, 0xa5, sizeof(buf));
	e.address_each_block = true;
	e.state = DFUSE_STATE_IDLE;
	KUNIT_EXPECT_EQ(test, dfuse_write(&e, FAKE_BASE, buf, sizeof(buf), NULL),
			0);
	KUNIT_EXPECT_EQ(test, memcmp(f->mem, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 0 5"), 4U);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD 2 1024"), 4U);
}

/* Each kind and size of work has its own deadline and learned time. */
static void engine_deadline_per_work_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);

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
	struct fake *f = dfuse_fake_new(test, &e, 2048);

	e.state = DFUSE_STATE_IDLE;
	f->lose_ack = true;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE, 2048), -EPROTO);
	KUNIT_EXPECT_EQ(test, e.state, DFUSE_STATE_UNKNOWN);
	f->nr_log = 0;
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE + 2048, 2048),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, dfuse_fake_count(f, "DNLOAD"), 0U);
	KUNIT_EXPECT_EQ(test, dfuse_erase_page(&e, FAKE_BASE + 2048, 2048), 0);
}

/*
 * A full table of learned times recycles its oldest entry, then the next
 * oldest: the newest stays (it recycled slot 0 every time).
 */
static void engine_learned_ring_test(struct kunit *test)
{
	struct dfuse_engine e;
	struct fake *f = dfuse_fake_new(test, &e, 2048);
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

static struct kunit_case engine_poll_test_cases[] = {
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
	{}
};

static struct kunit_suite engine_poll_test_suite = {
	.name = "dfuse_engine_poll",
	.test_cases = engine_poll_test_cases,
};

kunit_test_suite(engine_poll_test_suite);
