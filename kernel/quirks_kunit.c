// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the quirk entries (quirks.h): matching, each key, the
 * map taking the rest of an entry, later entries winning, and refusal of
 * malformed ones with a reason.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "quirks.h"

static struct dfuse_quirks *lookup(struct kunit *test, const char *entries,
				   u16 vid, u16 pid, u16 bcd, int expect)
{
	struct dfuse_quirks *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	const char *why = NULL;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, q);
	KUNIT_EXPECT_EQ_MSG(test, dfuse_quirks_lookup(entries, vid, pid, bcd, q,
						      &why), expect,
			    "why: %s", why ? why : "-");
	return q;
}

static void quirks_match_test(struct kunit *test)
{
	const char *e = "0483:df11:2200 transfer-size=1024 poll=honour;"
			"0483:df11 erase-ms=5000";
	struct dfuse_quirks *q;

	/* the first names a bcdDevice, the second matches any */
	q = lookup(test, e, 0x0483, 0xdf11, 0x2200, 2);
	KUNIT_EXPECT_EQ(test, q->transfer_size, 1024);
	KUNIT_EXPECT_TRUE(test, q->honour_poll);
	KUNIT_EXPECT_EQ(test, q->erase_ms, 5000U);
	KUNIT_EXPECT_STREQ(test, q->applied,
			   "transfer-size=1024 poll=honour erase-ms=5000");
	q = lookup(test, e, 0x0483, 0xdf11, 0x2100, 1);
	KUNIT_EXPECT_EQ(test, q->transfer_size, 0);
	KUNIT_EXPECT_FALSE(test, q->honour_poll);
	q = lookup(test, "0483:df11:2100 mass-erase-ms=35000 busy=clear-twice",
		   0x0483, 0xdf11, 0x2100, 1);
	KUNIT_EXPECT_EQ(test, q->mass_erase_ms, 35000U);
	KUNIT_EXPECT_TRUE(test, q->unstick_busy);
	KUNIT_EXPECT_FALSE(test, q->check_erase);
	/* F42x/F43x with DB1M set: banked sectors under a single-bank map */
	q = lookup(test, "0483:df11:2200 erase=check", 0x0483, 0xdf11, 0x2200, 1);
	KUNIT_EXPECT_TRUE(test, q->check_erase);
	KUNIT_EXPECT_STREQ(test, q->applied, "erase=check");
	q = lookup(test, e, 0x28e9, 0x0189, 0x1000, 0);
	KUNIT_EXPECT_STREQ(test, q->applied, "");
}

static void quirks_map_test(struct kunit *test)
{
	struct dfuse_quirks *q;

	q = lookup(test, dfuse_builtin_quirks, 0x28e9, 0x0189, 0x1000, 1);
	KUNIT_EXPECT_TRUE(test, q->gd32_serial_layout);
	KUNIT_EXPECT_TRUE(test, q->leave_without_status);
	KUNIT_EXPECT_STREQ(test, q->applied,
			   "layout=gd32-serial leave=no-status");
	KUNIT_EXPECT_FALSE(test, q->early_poll);
	/* early polls: ST's ROMs, and nothing else unless told */
	q = lookup(test, dfuse_builtin_quirks, 0x0483, 0xdf11, 0x0200, 1);
	KUNIT_EXPECT_TRUE(test, q->early_poll);
	KUNIT_EXPECT_STREQ(test, q->applied, "");
	q = lookup(test, dfuse_builtin_quirks, 0x1209, 0xdf11, 0x2200, 0);
	KUNIT_EXPECT_FALSE(test, q->early_poll);
	KUNIT_EXPECT_EQ(test, dfuse_gd32_flash_kib("3CBJ"), 128U);
	KUNIT_EXPECT_EQ(test, dfuse_gd32_flash_kib("3C8J"), 64U);
	KUNIT_EXPECT_EQ(test, dfuse_gd32_flash_kib("3C"), 0U);
	KUNIT_EXPECT_EQ(test, dfuse_gd32_flash_kib("3CZJ"), 0U);
	KUNIT_EXPECT_EQ(test, dfuse_gd32_flash_kib(NULL), 0U);
	/* a map takes the rest of its entry, spaces and all */
	q = lookup(test, "2e3c:df11 poll=honour map1=@Option byte / 0x1FFFF800/01*048 e;"
		   "2e3c:df11 transfer-size=2048", 0x2e3c, 0xdf11, 0x0200, 2);
	KUNIT_EXPECT_STREQ(test, q->map[1], "@Option byte / 0x1FFFF800/01*048 e");
	KUNIT_EXPECT_EQ(test, q->transfer_size, 2048);
	KUNIT_EXPECT_TRUE(test, q->honour_poll);
}

static void quirks_later_wins_test(struct kunit *test)
{
	struct dfuse_quirks *q;

	q = lookup(test, "0483:df11 transfer-size=2048 ; 0483:df11 transfer-size=1024",
		   0x0483, 0xdf11, 0x2200, 2);
	KUNIT_EXPECT_EQ(test, q->transfer_size, 1024);
}

static void quirks_refuse_test(struct kunit *test)
{
	static const char *const bad[] = {
		"483:df11 poll=honour",		/* 3 hex digits */
		"0483-df11 poll=honour",
		"0483:df11:22 poll=honour",
		"0483:df11 poll=sometimes",
		"0483:df11 transfer-size=32",
		"0483:df11 transfer-size=99999",
		"0483:df11 erase-ms=0",
		"0483:df11 colour=blue",
		"0483:df11 map7=@X /0x0/1*1Kg",
		"0483:df11 transfer-size",
	};
	struct dfuse_quirks *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	const char *why;
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, q);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		why = NULL;
		KUNIT_EXPECT_EQ_MSG(test, dfuse_quirks_check(bad[i], q, &why),
				    -EINVAL, "accepted: %s", bad[i]);
		KUNIT_EXPECT_NOT_NULL_MSG(test, why, "no reason: %s", bad[i]);
	}
	/* every built-in entry parses: ST's and GD32's */
	KUNIT_EXPECT_EQ(test, dfuse_quirks_check(dfuse_builtin_quirks, q, &why),
			2);
	KUNIT_EXPECT_EQ(test, dfuse_quirks_check("", q, &why), 0);
	KUNIT_EXPECT_EQ(test, dfuse_quirks_check(" ; ;", q, &why), 0);
}

static struct kunit_case quirks_test_cases[] = {
	KUNIT_CASE(quirks_match_test),
	KUNIT_CASE(quirks_map_test),
	KUNIT_CASE(quirks_later_wins_test),
	KUNIT_CASE(quirks_refuse_test),
	{}
};

static struct kunit_suite quirks_test_suite = {
	.name = "dfuse_quirks",
	.test_cases = quirks_test_cases,
};

kunit_test_suite(quirks_test_suite);
