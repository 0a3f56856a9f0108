// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the character devices' range logic: range checks
 * against a map, the pages a write touches with the bytes it covers,
 * the action each page needs, and SEEK_DATA/SEEK_HOLE over gaps.
 */
#include <kunit/test.h>
#include <linux/dfuse.h>
#include <linux/string.h>

#include "plan.h"

/* F401 flash, plus a read-only run and a gap, as seen on some parts */
#define MAP "@Flash /0x08000000/4*16Kg,1*64Kg/0x08030000/2*1Ka"

static struct dfuse_memmap *map_of(struct kunit *test, const char *s)
{
	struct dfuse_memmap *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	KUNIT_ASSERT_EQ(test, dfuse_memmap_parse(s, m, NULL), 0);
	return m;
}

struct check_case {
	const char *name;
	u32 addr;
	u64 len;
	u8 flags;
	s64 expect;
};

static const struct check_case check_cases[] = {
	{ "inside one page", 0x08000010, 100, DFUSE_SEG_WRITABLE, 100 },
	{ "across runs", 0x08003000, 0x2000, DFUSE_SEG_WRITABLE, 0x2000 },
	{ "stops at a gap", 0x0801fff0, 0x100, DFUSE_SEG_WRITABLE, 0x10 },
	{ "starts in a gap", 0x08020000, 4, DFUSE_SEG_READABLE, -ENXIO },
	{ "read-only for a write", 0x08030000, 4, DFUSE_SEG_WRITABLE, -EROFS },
	{ "read-only for an erase", 0x08030000, 4, DFUSE_SEG_ERASABLE, -EROFS },
	{ "read-only is readable", 0x08030000, 2048, DFUSE_SEG_READABLE, 2048 },
	{ "wraps 32 bits", 0xfffffff0, 0x20, DFUSE_SEG_READABLE, -EOVERFLOW },
	{ "below the map", 0x07ffffff, 2, DFUSE_SEG_READABLE, -ENXIO },
};

static void check_desc(const struct check_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(check, check_cases, check_desc);

static void plan_check_test(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	struct dfuse_memmap *m = map_of(test, MAP);

	KUNIT_EXPECT_EQ(test, dfuse_plan_check(m, c->addr, c->len, c->flags),
			c->expect);
}

static void plan_pages_test(struct kunit *test)
{
	struct dfuse_memmap *m = map_of(test, MAP);
	struct dfuse_page p[8];

	/* 3 KiB into the middle of page 1, then across into page 2 */
	KUNIT_ASSERT_EQ(test, dfuse_plan_pages(m, 0x08005000, 3072, p, 8), 1);
	KUNIT_EXPECT_EQ(test, p[0].start, 0x08004000U);
	KUNIT_EXPECT_EQ(test, p[0].size, 16384U);
	KUNIT_EXPECT_EQ(test, p[0].lo, 0x1000U);
	KUNIT_EXPECT_EQ(test, p[0].hi, 0x1c00U);

	KUNIT_ASSERT_EQ(test, dfuse_plan_pages(m, 0x0800f000, 0x2000, p, 8), 2);
	KUNIT_EXPECT_EQ(test, p[0].start, 0x0800c000U);
	KUNIT_EXPECT_EQ(test, p[0].lo, 0x3000U);
	KUNIT_EXPECT_EQ(test, p[0].hi, 0x4000U);
	KUNIT_EXPECT_EQ(test, p[1].start, 0x08010000U);
	KUNIT_EXPECT_EQ(test, p[1].size, 65536U);
	KUNIT_EXPECT_EQ(test, p[1].lo, 0U);
	KUNIT_EXPECT_EQ(test, p[1].hi, 0x1000U);

	/* whole map: 4 + 1 pages; too small a table is refused */
	KUNIT_EXPECT_EQ(test, dfuse_plan_pages(m, 0x08000000, 0x20000, p, 8), 5);
	KUNIT_EXPECT_EQ(test, dfuse_plan_pages(m, 0x08000000, 0x20000, p, 4), -E2BIG);
}

struct page_case {
	const char *name;
	u8 old_fill, new_fill;
	int poke;		/* offset where new differs, -1 none */
	enum dfuse_page_action expect;
};

static const struct page_case page_cases[] = {
	{ "same content", 0x12, 0x12, -1, DFUSE_PAGE_SKIP },
	{ "blank to data", 0xff, 0x12, -1, DFUSE_PAGE_PROGRAM },
	{ "blank stays blank", 0xff, 0xff, -1, DFUSE_PAGE_SKIP },
	{ "data to other data", 0x12, 0x34, -1, DFUSE_PAGE_ERASE_PROGRAM },
	{ "one byte differs at the end", 0x12, 0x12, 2047, DFUSE_PAGE_ERASE_PROGRAM },
	{ "data to blank", 0x12, 0xff, -1, DFUSE_PAGE_ERASE_PROGRAM },
};

static void page_desc(const struct page_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(page, page_cases, page_desc);

static void plan_page_test(struct kunit *test)
{
	const struct page_case *c = test->param_value;
	u8 *old = kunit_kzalloc(test, 2048, GFP_KERNEL);
	u8 *new = kunit_kzalloc(test, 2048, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, old);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, new);
	memset(old, c->old_fill, 2048);
	memset(new, c->new_fill, 2048);
	if (c->poke >= 0)
		new[c->poke] ^= 1;
	KUNIT_EXPECT_EQ(test, dfuse_plan_page(old, new, 2048), c->expect);
}

static void plan_seek_test(struct kunit *test)
{
	struct dfuse_memmap *m = map_of(test, MAP);
	u32 base = 0x08000000;
	u64 size = 0x30800;

	KUNIT_EXPECT_EQ(test, dfuse_plan_seek_data(m, base, size, 0), 0LL);
	KUNIT_EXPECT_EQ(test, dfuse_plan_seek_hole(m, base, size, 0), 0x20000LL);
	KUNIT_EXPECT_EQ(test, dfuse_plan_seek_data(m, base, size, 0x20000), 0x30000LL);
	KUNIT_EXPECT_EQ(test, dfuse_plan_seek_hole(m, base, size, 0x30010), 0x30800LL);
	KUNIT_EXPECT_EQ(test, dfuse_plan_seek_data(m, base, size, 0x30800), (s64)-ENXIO);
	KUNIT_EXPECT_EQ(test, dfuse_plan_seek_hole(m, base, size, 0x40000), (s64)-ENXIO);
}

static struct kunit_case plan_test_cases[] = {
	KUNIT_CASE_PARAM(plan_check_test, check_gen_params),
	KUNIT_CASE(plan_pages_test),
	KUNIT_CASE_PARAM(plan_page_test, page_gen_params),
	KUNIT_CASE(plan_seek_test),
	{}
};

static struct kunit_suite plan_test_suite = {
	.name = "dfuse_plan",
	.test_cases = plan_test_cases,
};

kunit_test_suite(plan_test_suite);
