// SPDX-License-Identifier: GPL-2.0
/*
 * The uapi header is a contract: every struct has the same layout on
 * x86-64 and i386 (this file is built and run with -m64 and -m32), with
 * no implicit padding: the members' sizes add up to the struct's size.
 * Prints TAP.
 */
#include <stddef.h>
#include <stdio.h>

#include <linux/dfuse.h>

static int n, failed;

static void ok(int pass, const char *what, size_t got, size_t want)
{
	n++;
	failed += !pass;
	if (pass)
		printf("ok %d - abi(%d-bit): %s is %zu\n", n,
		       (int)sizeof(void *) * 8, what, want);
	else
		printf("not ok %d - abi(%d-bit): %s is %zu, got %zu\n", n,
		       (int)sizeof(void *) * 8, what, want, got);
}

#define M(s, m) { #m, offsetof(struct s, m), sizeof(((struct s *)0)->m) }
struct member { const char *name; size_t off, size; };

/* expected offsets: the ABI, whatever the compiler would do */
static void check(const char *name, size_t size, size_t want_size,
		  const struct member *m, const size_t *want_off, int count)
{
	char what[128];
	size_t sum = 0;
	int i;

	snprintf(what, sizeof(what), "sizeof(struct %s)", name);
	ok(size == want_size, what, size, want_size);
	for (i = 0; i < count; i++) {
		snprintf(what, sizeof(what), "offsetof(%s, %s)", name, m[i].name);
		ok(m[i].off == want_off[i], what, m[i].off, want_off[i]);
		sum += m[i].size;
	}
	snprintf(what, sizeof(what), "struct %s: members fill it (no padding)", name);
	ok(sum == size, what, sum, size);
}

#define CHECK(s, sz, offs, ...) do {					\
	static const struct member m_[] = { __VA_ARGS__ };		\
	static const size_t o_[] = offs;				\
	_Static_assert(sizeof(m_) / sizeof(m_[0]) ==			\
		       sizeof(o_) / sizeof(o_[0]), "table");		\
	check(#s, sizeof(struct s), sz, m_, o_,				\
	      (int)(sizeof(m_) / sizeof(m_[0])));			\
} while (0)
#define O(...) { __VA_ARGS__ }

int main(void)
{
	CHECK(dfuse_info, 240, O(0, 4, 8, 10, 12, 14, 16, 18, 20, 21, 22, 23,
				 24, 28, 32, 36, 40, 48, 112),
	      M(dfuse_info, argsz), M(dfuse_info, flags),
	      M(dfuse_info, vendor), M(dfuse_info, product),
	      M(dfuse_info, bcd_device), M(dfuse_info, bcd_dfu),
	      M(dfuse_info, transfer_size), M(dfuse_info, detach_timeout),
	      M(dfuse_info, attributes), M(dfuse_info, alt),
	      M(dfuse_info, alt_count), M(dfuse_info, reserved0),
	      M(dfuse_info, device_number), M(dfuse_info, base),
	      M(dfuse_info, nr_segments), M(dfuse_info, reserved1),
	      M(dfuse_info, size), M(dfuse_info, serial),
	      M(dfuse_info, alt_name));
	CHECK(dfuse_segment_info, 16, O(0, 4, 8, 12),
	      M(dfuse_segment_info, start), M(dfuse_segment_info, count),
	      M(dfuse_segment_info, page_size), M(dfuse_segment_info, flags));
	CHECK(dfuse_segments, 24, O(0, 4, 8, 12, 16),
	      M(dfuse_segments, argsz), M(dfuse_segments, flags),
	      M(dfuse_segments, capacity), M(dfuse_segments, count),
	      M(dfuse_segments, segments));
	CHECK(dfuse_range, 32, O(0, 4, 8, 12, 16, 24, 28),
	      M(dfuse_range, argsz), M(dfuse_range, flags),
	      M(dfuse_range, address), M(dfuse_range, length),
	      M(dfuse_range, data), M(dfuse_range, done),
	      M(dfuse_range, reserved));
	CHECK(dfuse_status, 152, O(0, 4, 8, 9, 10, 11, 12, 16, 20, 24),
	      M(dfuse_status, argsz), M(dfuse_status, flags),
	      M(dfuse_status, state), M(dfuse_status, status),
	      M(dfuse_status, istring), M(dfuse_status, last_status),
	      M(dfuse_status, poll_timeout), M(dfuse_status, last_errno),
	      M(dfuse_status, last_address), M(dfuse_status, last_string));
	CHECK(dfuse_leave, 16, O(0, 4, 8, 12),
	      M(dfuse_leave, argsz), M(dfuse_leave, flags),
	      M(dfuse_leave, address), M(dfuse_leave, reserved));
	CHECK(dfuse_commands, 32, O(0, 4, 8, 12, 28),
	      M(dfuse_commands, argsz), M(dfuse_commands, flags),
	      M(dfuse_commands, count), M(dfuse_commands, commands),
	      M(dfuse_commands, reserved));
	printf("1..%d\n", n);
	return failed != 0;
}
