// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the memory-map parser. One case per line of
 * tests/kunit/memmaps*.txt; the table is generated at build time.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "memmap.h"

struct memmap_vector {
	const char *file;
	unsigned int line;
	const char *input;
	const char *expected;
};

#include "memmap_vectors.h"

#define FORMAT_SIZE 2048
#define WARNED "; warned"	/* the vector's mark of a lenient form */

static void memmap_vector_desc(const struct memmap_vector *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s:%u %s", v->file, v->line,
		 v->input);
}

KUNIT_ARRAY_PARAM(memmap_vector, memmap_vectors, memmap_vector_desc);

static void memmap_vector_test(struct kunit *test)
{
	const struct memmap_vector *v = test->param_value;
	struct dfuse_memmap *map;
	const char *why = NULL;
	char *buf;
	int err, len;

	map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	buf = kunit_kzalloc(test, FORMAT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);

	err = dfuse_memmap_parse(v->input, map, &why);
	if (!strcmp(v->expected, "error")) {
		if (!err)
			dfuse_memmap_format(map, buf, FORMAT_SIZE);
		KUNIT_EXPECT_LT_MSG(test, err, 0, "accepted as: %s", buf);
		KUNIT_EXPECT_NOT_NULL_MSG(test, why, "refused without reason");
		return;
	}
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "refused: %s", why ? why : "?");
	len = dfuse_memmap_format(map, buf, FORMAT_SIZE - 16);
	KUNIT_EXPECT_LT(test, len, FORMAT_SIZE - 16);
	/* a form accepted by guessing is marked so in the vectors */
	if (map->warning)
		strcat(buf, WARNED);
	KUNIT_EXPECT_STREQ(test, buf, v->expected);
}

/* Errors carry a precise errno, not just "failed". */
static void memmap_errno_test(struct kunit *test)
{
	struct dfuse_memmap *map = kunit_kzalloc(test, sizeof(*map),
						 GFP_KERNEL);
	const char *why;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_EXPECT_EQ(test, dfuse_memmap_parse("Flash", map, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, dfuse_memmap_parse("@X /0xFFFFF000/2*4Kg", map,
						 &why), -ERANGE);
	KUNIT_EXPECT_EQ(test, dfuse_memmap_parse("@X /0x0/1*1Kg/0x0/1*1Ka",
						 map, &why), -ERANGE);
	KUNIT_EXPECT_STREQ(test, why, "regions overlap");
}

/* One more run than fits is refused; exactly the limit is accepted. */
static void memmap_segment_limit_test(struct kunit *test)
{
	struct dfuse_memmap *map = kunit_kzalloc(test, sizeof(*map),
						 GFP_KERNEL);
	char *s = kunit_kzalloc(test, 1024, GFP_KERNEL);
	const char *why;
	int i, len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	len = snprintf(s, 1024, "@Many /0x08000000/1*1Kg");
	for (i = 1; i < DFUSE_MAX_SEGMENTS; i++)
		len += snprintf(s + len, 1024 - len, ",1*1Kg");
	KUNIT_EXPECT_EQ(test, dfuse_memmap_parse(s, map, &why), 0);
	KUNIT_EXPECT_EQ(test, map->nr_segments, DFUSE_MAX_SEGMENTS);
	snprintf(s + len, 1024 - len, ",1*1Kg");
	KUNIT_EXPECT_EQ(test, dfuse_memmap_parse(s, map, &why), -E2BIG);
}

static void memmap_span_find_test(struct kunit *test)
{
	struct dfuse_memmap *map = kunit_kzalloc(test, sizeof(*map),
						 GFP_KERNEL);
	const struct dfuse_segment *seg;
	u32 lo;
	u64 hi;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_ASSERT_EQ(test, dfuse_memmap_parse("@F /0x1000/2*1Kg/0x0/1*256Ba",
						 map, NULL), 0);
	KUNIT_ASSERT_TRUE(test, dfuse_memmap_span(map, &lo, &hi));
	KUNIT_EXPECT_EQ(test, lo, 0x0U);
	KUNIT_EXPECT_EQ(test, hi, 0x1800ULL);
	seg = dfuse_memmap_find(map, 0x17ff);
	KUNIT_ASSERT_NOT_NULL(test, seg);
	KUNIT_EXPECT_EQ(test, seg->start, 0x1000U);
	KUNIT_EXPECT_NULL(test, dfuse_memmap_find(map, 0x100));
	KUNIT_EXPECT_NULL(test, dfuse_memmap_find(map, 0x1800));

	KUNIT_ASSERT_EQ(test, dfuse_memmap_parse("@Empty", map, NULL), 0);
	KUNIT_EXPECT_FALSE(test, dfuse_memmap_span(map, &lo, &hi));
}

/* Formatting into a short buffer truncates but reports the full length. */
static void memmap_format_truncation_test(struct kunit *test)
{
	struct dfuse_memmap *map = kunit_kzalloc(test, sizeof(*map),
						 GFP_KERNEL);
	char small[8];
	int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, map);
	KUNIT_ASSERT_EQ(test, dfuse_memmap_parse("@Flash /0x0/1*1Kg", map,
						 NULL), 0);
	len = dfuse_memmap_format(map, small, sizeof(small));
	KUNIT_EXPECT_EQ(test, len, (int)strlen("name=Flash; 0x00000000 1x1024 rew"));
	KUNIT_EXPECT_STREQ(test, small, "name=Fl");
}

static struct kunit_case memmap_test_cases[] = {
	KUNIT_CASE_PARAM(memmap_vector_test, memmap_vector_gen_params),
	KUNIT_CASE(memmap_errno_test),
	KUNIT_CASE(memmap_segment_limit_test),
	KUNIT_CASE(memmap_span_find_test),
	KUNIT_CASE(memmap_format_truncation_test),
	{}
};

static struct kunit_suite memmap_test_suite = {
	.name = "dfuse_memmap",
	.test_cases = memmap_test_cases,
};

kunit_test_suite(memmap_test_suite);

/* the module info of dfuse_kunit.ko, whose five suites these files are */
MODULE_DESCRIPTION("KUnit tests for the dfuse driver");
MODULE_LICENSE("GPL");
