// SPDX-License-Identifier: GPL-2.0
/*
 * The uapi header is a contract: every struct has the same layout on
 * x86-64 and i386, with no implicit padding (the members' sizes add up to
 * the struct's size). The layout is asserted at compile time, so building
 * this file with -m32 checks the i386 layout on a host that cannot run
 * i386 programs; built for the host, it also prints each fact as TAP.
 */
#include <stddef.h>
#include <stdio.h>

#include <linux/dfuse.h>

/* each struct's members with their offsets: the ABI, whatever a compiler does */
#define INFO(M)								\
	M(dfuse_info, argsz, 0) M(dfuse_info, flags, 4)			\
	M(dfuse_info, vendor, 8) M(dfuse_info, product, 10)		\
	M(dfuse_info, bcd_device, 12) M(dfuse_info, bcd_dfu, 14)	\
	M(dfuse_info, transfer_size, 16)				\
	M(dfuse_info, detach_timeout, 18)				\
	M(dfuse_info, attributes, 20) M(dfuse_info, alt, 21)		\
	M(dfuse_info, alt_count, 22) M(dfuse_info, reserved0, 23)	\
	M(dfuse_info, device_number, 24) M(dfuse_info, base, 28)	\
	M(dfuse_info, nr_segments, 32) M(dfuse_info, reserved1, 36)	\
	M(dfuse_info, size, 40) M(dfuse_info, serial, 48)		\
	M(dfuse_info, alt_name, 112)
#define SEGMENT_INFO(M)							\
	M(dfuse_segment_info, start, 0) M(dfuse_segment_info, count, 4)	\
	M(dfuse_segment_info, page_size, 8)				\
	M(dfuse_segment_info, flags, 12)
#define SEGMENTS(M)							\
	M(dfuse_segments, argsz, 0) M(dfuse_segments, flags, 4)		\
	M(dfuse_segments, capacity, 8) M(dfuse_segments, count, 12)	\
	M(dfuse_segments, segments, 16)
#define RANGE(M)							\
	M(dfuse_range, argsz, 0) M(dfuse_range, flags, 4)		\
	M(dfuse_range, address, 8) M(dfuse_range, length, 12)		\
	M(dfuse_range, data, 16) M(dfuse_range, done, 24)		\
	M(dfuse_range, reserved, 28)
#define STATUS(M)							\
	M(dfuse_status, argsz, 0) M(dfuse_status, flags, 4)		\
	M(dfuse_status, state, 8) M(dfuse_status, status, 9)		\
	M(dfuse_status, istring, 10) M(dfuse_status, last_status, 11)	\
	M(dfuse_status, poll_timeout, 12) M(dfuse_status, last_errno, 16) \
	M(dfuse_status, last_address, 20)				\
	M(dfuse_status, last_string, 24)
#define LEAVE(M)							\
	M(dfuse_leave, argsz, 0) M(dfuse_leave, flags, 4)		\
	M(dfuse_leave, address, 8) M(dfuse_leave, reserved, 12)
#define COMMANDS(M)							\
	M(dfuse_commands, argsz, 0) M(dfuse_commands, flags, 4)		\
	M(dfuse_commands, count, 8) M(dfuse_commands, commands, 12)	\
	M(dfuse_commands, reserved, 28)
/* each struct, its size and its members */
#define LAYOUTS(S)							\
	S(dfuse_info, 240, INFO) S(dfuse_segment_info, 16, SEGMENT_INFO) \
	S(dfuse_segments, 24, SEGMENTS) S(dfuse_range, 32, RANGE)	\
	S(dfuse_status, 152, STATUS) S(dfuse_leave, 16, LEAVE)		\
	S(dfuse_commands, 32, COMMANDS)

#define MSIZE(s, m)	sizeof(((struct s *)0)->m)
#define M_ASSERT(s, m, o)						\
	_Static_assert(offsetof(struct s, m) == (o), "offsetof(" #s ", " #m ")");
#define M_SIZE(s, m, o)	+ MSIZE(s, m)
/* compile time (also for -m32): size, offsets, no padding */
#define S_ASSERT(s, sz, members)					\
	members(M_ASSERT)						\
	_Static_assert(sizeof(struct s) == (sz), "sizeof(struct " #s ")"); \
	_Static_assert((0 members(M_SIZE)) == (sz), "struct " #s " has no padding");
LAYOUTS(S_ASSERT)

static int n, failed;

static void ok(int pass, const char *what, size_t got, size_t want)
{
	n++;
	failed += !pass;
	printf("%s %d - abi(%d-bit): %s is %zu", pass ? "ok" : "not ok", n,
	       (int)sizeof(void *) * 8, what, want);
	if (!pass)
		printf(", got %zu", got);
	printf("\n");
}

int main(void)
{
	char what[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
#define M_RUN(s, m, o)							\
	snprintf(what, sizeof(what), "offsetof(%s, %s)", #s, #m);	\
	ok(offsetof(struct s, m) == (o), what, offsetof(struct s, m), (o));
#define S_RUN(s, sz, members)						\
	ok(sizeof(struct s) == (sz), "sizeof(struct " #s ")",		\
	   sizeof(struct s), (sz));					\
	members(M_RUN)							\
	ok((0 members(M_SIZE)) == (sz),					\
	   "struct " #s ": members fill it (no padding)",		\
	   0 members(M_SIZE), (sz));
	LAYOUTS(S_RUN)
	printf("1..%d\n", n);
	return failed != 0;
}
