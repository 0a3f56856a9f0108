// SPDX-License-Identifier: GPL-2.0
/*
 * Every dfuse ioctl against the emulated F401 (/dev/dfuse0.0), good input
 * and bad: unknown command, short or oversized struct, non-zero reserved
 * fields, ranges that wrap 32 bits. Prints TAP.
 * usage: ioctl-test basic|rdp|leave|signal|torn|unplug STATE_DIR
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/dfuse.h>

static int n, failed;
static const char *state_dir;

static void ok(int pass, const char *fmt, ...)
{
	va_list ap;

	n++;
	failed += !pass;
	/* the 32-bit build says so in every line */
	printf("%s %d - %s", pass ? "ok" : "not ok", n,
	       sizeof(void *) == 4 ? "i386: " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ioctl result as errno (0 on success) */
static int io(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static void expect_errno(int got, int want, const char *what)
{
	ok(got == want, "%s: %s (got %s)", what, strerror(want),
	   got ? strerror(got) : "success");
}

/* bytes of the emulator's alt 0 memory at @off */
static void device_mem(size_t off, void *buf, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/alt0.bin", state_dir);
	f = fopen(path, "rb");
	if (!f || fseek(f, (long)off, SEEK_SET) || fread(buf, 1, len, f) != len)
		memset(buf, 0xaa, len);
	if (f)
		fclose(f);
}

static struct dfuse_range range(__u32 addr, __u32 len, void *data)
{
	struct dfuse_range r = { .argsz = sizeof(r), .address = addr,
				 .length = len,
				 .data = (__u64)(unsigned long)data };
	return r;
}

static void test_info(int fd)
{
	struct { struct dfuse_info info; char tail[16]; } big;
	struct dfuse_info info = { .argsz = sizeof(info) };

	ok(!io(fd, DFUSE_IOC_INFO, &info), "INFO succeeds");
	ok(info.vendor == 0x0483 && info.product == 0xdf11 &&
	   info.bcd_device == 0x2200 && info.bcd_dfu == 0x011a,
	   "INFO: 0483:df11, bcdDevice 0x2200, DfuSe 1.1a");
	ok(info.transfer_size == 2048 && info.detach_timeout == 255 &&
	   info.attributes == 0x0b, "INFO: functional descriptor");
	ok(info.alt == 0 && info.alt_count == 4 && info.nr_segments == 3,
	   "INFO: alt 0 of 4, 3 segment runs");
	ok(info.base == 0x08000000 && info.size == 262144,
	   "INFO: base 0x08000000, size 256 KiB");
	ok(!strcmp(info.serial, "339C35543236") &&
	   !strcmp(info.alt_name, "Internal Flash"), "INFO: serial and name");

	info.argsz = 8;
	expect_errno(io(fd, DFUSE_IOC_INFO, &info), EINVAL, "INFO with a short argsz");
	memset(&big, 0, sizeof(big));
	big.info.argsz = sizeof(big);
	expect_errno(io(fd, DFUSE_IOC_INFO, &big), 0, "INFO with a larger, zero-tailed struct");
	big.tail[3] = 1;
	expect_errno(io(fd, DFUSE_IOC_INFO, &big), E2BIG, "INFO with non-zero unknown tail");
	{
		/* a zeroed argument of 2 pages: argsz is capped at a page */
		static union { struct dfuse_info info; char b[8192]; } huge;

		huge.info.argsz = sizeof(huge);
		expect_errno(io(fd, DFUSE_IOC_INFO, &huge), E2BIG,
			     "INFO with argsz above a page");
	}
	info.argsz = sizeof(info);
	info.flags = 1;
	expect_errno(io(fd, DFUSE_IOC_INFO, &info), EINVAL, "INFO with unknown flags");
	expect_errno(io(fd, _IO(DFUSE_IOC_MAGIC, 99), &info), ENOTTY, "unknown command");
	expect_errno(io(fd, DFUSE_IOC_INFO, NULL), EFAULT, "INFO with a NULL pointer");
}

static void test_segments(int fd)
{
	struct dfuse_segment_info si[4];
	struct dfuse_segments s = { .argsz = sizeof(s), .capacity = 4,
				    .segments = (__u64)(unsigned long)si };

	ok(!io(fd, DFUSE_IOC_GET_SEGMENTS, &s) && s.count == 3,
	   "GET_SEGMENTS returns 3 runs");
	ok(si[0].start == 0x08000000 && si[0].count == 4 &&
	   si[0].page_size == 16384 && si[0].flags == 7 &&
	   si[2].start == 0x08020000 && si[2].page_size == 131072,
	   "GET_SEGMENTS: 4x16K at 0x08000000 .. 1x128K at 0x08020000, rew");
	s.capacity = 1;
	s.count = 0;
	ok(!io(fd, DFUSE_IOC_GET_SEGMENTS, &s) && s.count == 3,
	   "GET_SEGMENTS with room for 1 still reports 3");
	s.count = 5;
	expect_errno(io(fd, DFUSE_IOC_GET_SEGMENTS, &s), EINVAL, "GET_SEGMENTS with non-zero out field");
}

static void test_ranges(int fd, int ro_fd)
{
	static unsigned char data[5000], back[5000], mem[16384];
	struct dfuse_range r;
	unsigned int i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	r = range(0x08004100, sizeof(data), data);
	ok(!io(fd, DFUSE_IOC_WRITE, &r) && r.done == sizeof(data),
	   "WRITE 5000 bytes at 0x08004100");
	device_mem(0x4100, mem, sizeof(data));
	ok(!memcmp(mem, data, sizeof(data)), "WRITE: the device's memory holds them");
	r = range(0x08004100, sizeof(back), back);
	ok(!io(fd, DFUSE_IOC_READ, &r) && r.done == sizeof(back) &&
	   !memcmp(back, data, sizeof(data)), "READ returns them");

	r = range(0x08004000, 1, NULL);
	ok(!io(fd, DFUSE_IOC_ERASE, &r), "ERASE one byte's page");
	device_mem(0x4000, mem, sizeof(mem));
	for (i = 0; i < sizeof(mem) && mem[i] == 0xff; i++)
		;
	ok(i == sizeof(mem), "ERASE: the whole 16 KiB page reads blank");

	r = range(0x08000000, 16, data);
	r.reserved = 1;
	expect_errno(io(fd, DFUSE_IOC_WRITE, &r), EINVAL, "WRITE with non-zero reserved");
	r = range(0x08004000, 1, data);
	expect_errno(io(fd, DFUSE_IOC_ERASE, &r), EINVAL, "ERASE with a data pointer (data is 0)");
	r = range(0x08000000, 16, data);
	r.flags = 0x80;
	expect_errno(io(fd, DFUSE_IOC_WRITE, &r), EINVAL, "WRITE with unknown flags");
	r = range(0x08000000, 16, data);
	r.flags = DFUSE_WRITE_ALWAYS_ERASE;
	expect_errno(io(fd, DFUSE_IOC_READ, &r), EINVAL, "READ with a write flag");
	r = range(0xfffff000, 0x2000, data);
	expect_errno(io(fd, DFUSE_IOC_WRITE, &r), EOVERFLOW, "WRITE whose range wraps 32 bits");
	expect_errno(io(fd, DFUSE_IOC_READ, &r), EOVERFLOW, "READ whose range wraps 32 bits");
	r.data = 0;
	expect_errno(io(fd, DFUSE_IOC_ERASE, &r), EOVERFLOW, "ERASE whose range wraps 32 bits");
	r = range(0x20000000, 16, data);
	expect_errno(io(fd, DFUSE_IOC_WRITE, &r), ENXIO, "WRITE outside the map");
	expect_errno(io(fd, DFUSE_IOC_READ, &r), ENXIO, "READ outside the map");
	r = range(0x0803ff00, 0x200, data);
	expect_errno(io(fd, DFUSE_IOC_WRITE, &r), ENXIO, "WRITE running past the map's end");
	r = range(0x08000000, 16, NULL);
	expect_errno(io(fd, DFUSE_IOC_READ, &r), EFAULT, "READ into a NULL buffer");
	r = range(0x08000000, 16, data);
	expect_errno(io(ro_fd, DFUSE_IOC_WRITE, &r), EBADF, "WRITE on a read-only descriptor");
	expect_errno(io(ro_fd, DFUSE_IOC_MASS_ERASE, NULL), EBADF, "MASS_ERASE on a read-only descriptor");
	r.argsz = 12;
	expect_errno(io(fd, DFUSE_IOC_WRITE, &r), EINVAL, "WRITE with a short argsz");
}

static void test_status(int fd)
{
	struct dfuse_status s = { .argsz = sizeof(s) };
	struct dfuse_commands c = { .argsz = sizeof(c) };

	int err = io(fd, DFUSE_IOC_GET_STATUS, &s);

	ok(!err && s.status == 0 &&
	   (s.state == DFUSE_STATE_IDLE || s.state == DFUSE_STATE_DNLOAD_IDLE ||
	    s.state == DFUSE_STATE_UPLOAD_IDLE),
	   "GET_STATUS: OK, idle (state %u)", s.state);
	s.flags = 2;
	expect_errno(io(fd, DFUSE_IOC_GET_STATUS, &s), EINVAL, "GET_STATUS with unknown flags");
	ok(!io(fd, DFUSE_IOC_GET_COMMANDS, &c) && c.count == 4 &&
	   !memcmp(c.commands, "\x00\x21\x41\x92", 4),
	   "GET_COMMANDS: 00 21 41 92");
	c.reserved = 1;
	expect_errno(io(fd, DFUSE_IOC_GET_COMMANDS, &c), EINVAL, "GET_COMMANDS with non-zero reserved");
	expect_errno(io(fd, DFUSE_IOC_ABORT, NULL), 0, "ABORT");
	expect_errno(io(fd, DFUSE_IOC_CLEAR_STATUS, NULL), 0, "CLEAR_STATUS");
}

/*
 * Each ioctl as the descriptor's mode allows (review W12): the read-only
 * one asks and reads, only the writer changes the device's state, and a
 * write-only one does not read. Ends with @*fd open read-write again.
 */
static void test_fd_modes(int *fd, int ro_fd, const char *node)
{
	struct dfuse_status s = { .argsz = sizeof(s) };
	static unsigned char buf[64];
	struct dfuse_range r = range(0x08000000, sizeof(buf), buf);
	int wo_fd;

	expect_errno(io(ro_fd, DFUSE_IOC_GET_STATUS, &s), 0, "GET_STATUS on a read-only descriptor");
	expect_errno(io(ro_fd, DFUSE_IOC_READ, &r), 0, "READ on a read-only descriptor");
	expect_errno(io(ro_fd, DFUSE_IOC_ABORT, NULL), EBADF, "ABORT on a read-only descriptor");
	expect_errno(io(ro_fd, DFUSE_IOC_CLEAR_STATUS, NULL), EBADF, "CLEAR_STATUS on a read-only descriptor");
	close(*fd);
	wo_fd = open(node, O_WRONLY);
	r = range(0x08000000, sizeof(buf), buf);
	expect_errno(wo_fd < 0 ? errno : io(wo_fd, DFUSE_IOC_READ, &r), EBADF, "READ on a write-only descriptor");
	close(wo_fd);
	*fd = open(node, O_RDWR);
	ok(*fd >= 0, "open %s read-write again", node);
}

static void test_mass_erase(int fd)
{
	static unsigned char mem[262144];
	size_t i;

	expect_errno(io(fd, DFUSE_IOC_MASS_ERASE, NULL), 0, "MASS_ERASE");
	device_mem(0, mem, sizeof(mem));
	for (i = 0; i < sizeof(mem) && mem[i] == 0xff; i++)
		;
	ok(i == sizeof(mem), "MASS_ERASE: all 256 KiB blank");
}

static void test_rdp(int fd)
{
	struct dfuse_status s = { .argsz = sizeof(s) };
	unsigned char buf[64];
	struct dfuse_range r = range(0x08000000, sizeof(buf), buf);

	expect_errno(io(fd, DFUSE_IOC_READ, &r), EACCES, "READ of a read-protected part");
	ok(!io(fd, DFUSE_IOC_GET_STATUS, &s) &&
	   s.last_status == DFUSE_STATUS_ERR_VENDOR && s.last_errno == -EACCES,
	   "GET_STATUS: last error errVENDOR, -EACCES");
	ok(!strcmp(s.last_string, "read protection is active"),
	   "GET_STATUS: the device's own text (\"%s\")", s.last_string);
	expect_errno(io(fd, DFUSE_IOC_UNPROTECT, NULL), 0, "UNPROTECT");
	/* the part mass-erases and resets: done once it has gone */
	ok(access("/dev/dfuse0.0", F_OK) && errno == ENOENT,
	   "UNPROTECT returns once the part has reset (its node is gone)");
}

static void test_leave(int fd)
{
	struct dfuse_leave l = { .argsz = sizeof(l), .reserved = 1 };
	struct dfuse_status s = { .argsz = sizeof(s) };

	expect_errno(io(fd, DFUSE_IOC_LEAVE, &l), EINVAL, "LEAVE with non-zero reserved");
	l.reserved = 0;
	l.flags = DFUSE_LEAVE_JUMP;
	l.address = 0x08000000;
	expect_errno(io(fd, DFUSE_IOC_LEAVE, &l), 0, "LEAVE with a jump address succeeds");
	sleep(2);
	expect_errno(io(fd, DFUSE_IOC_GET_STATUS, &s), ENODEV, "after LEAVE the board is gone");
}

static void on_signal(int sig)
{
	(void)sig;
}

/*
 * A handled (non-fatal) signal during a 1 MiB WRITE at real F4 timing:
 * EINTR, done at a page boundary and below the length, the bytes up to
 * done in the device and nothing after them written.
 */
/*
 * A child that sends the parent SIGUSR1 once a line starting with @prefix
 * is in the emulator's request log: a signal at a point of the operation,
 * whatever the machine's load (a timer would not be).
 */
static pid_t signal_at(const char *prefix)
{
	char log[256], line[256];
	pid_t parent = getpid(), child;
	int i;

	snprintf(log, sizeof(log), "%s/requests.log", state_dir);
	child = fork();
	if (child)
		return child;
	for (i = 0; i < 60000; i++) {
		FILE *f = fopen(log, "r");

		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, prefix, strlen(prefix))) {
				kill(parent, SIGUSR1);
				_exit(0);
			}
		if (f)
			fclose(f);
		usleep(1000);
	}
	_exit(1);
}

static void test_signal(int fd)
{
	static uint8_t buf[1 << 20], mem[1 << 20], before[1 << 20];
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct dfuse_range r = { .argsz = sizeof(r), .address = 0x08000000,
				 .length = sizeof(buf) };
	uint32_t i;
	pid_t child;
	int err;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	device_mem(0, before, sizeof(before));
	r.data = (uintptr_t)buf;
	sigaction(SIGUSR1, &sa, NULL);
	/* while it erases: sector 0 is done, the others wait */
	child = signal_at("ERASED addr=0x08000000");
	err = io(fd, DFUSE_IOC_WRITE, &r);
	waitpid(child, NULL, 0);
	expect_errno(err, EINTR, "WRITE interrupted by a handled signal");
	ok(r.done > 0 && r.done < r.length, "WRITE: done %u of %u", r.done,
	   r.length);
	/* f407: 4 x 16 KiB, 64 KiB, then 128 KiB sectors */
	ok(r.done == 0x4000 || r.done == 0x8000 || r.done == 0xc000 ||
	   r.done == 0x10000 || r.done == 0x20000 ||
	   (r.done > 0x20000 && !((r.done - 0x20000) % 0x20000)),
	   "WRITE: stopped at a sector boundary (%u)", r.done);
	device_mem(0, mem, sizeof(mem));
	ok(!memcmp(mem, buf, r.done), "WRITE: the bytes before done are in the device");
	ok(!memcmp(mem + r.done, before + r.done, sizeof(mem) - r.done),
	   "WRITE: nothing after done was touched");
}

/*
 * kernel-review D1: flash holding [A][blank][C] in three 16 KiB sectors
 * (the test script sets it up), a WRITE over all three, and a handled
 * signal once the first sector is being programmed (a child watches the
 * emulator's request log). Sectors 0 and 2 were erased; a stop before
 * sector 2 is programmed would leave it blank. The write goes on through
 * every erased sector: it succeeds, and all three hold the new bytes.
 */
static void test_torn(int fd)
{
	static uint8_t buf[3 << 14], mem[3 << 14];
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct dfuse_range r = range(0x08000000, sizeof(buf), buf);
	pid_t child;
	uint32_t i;
	int err;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 13 + 5);
	sigaction(SIGUSR1, &sa, NULL);
	/* the first block of sector 0 programmed: signal, once */
	child = signal_at("PROGRAM addr=0x08000000");
	err = io(fd, DFUSE_IOC_WRITE, &r);
	waitpid(child, NULL, 0);
	expect_errno(err, 0, "WRITE with a signal while erased sectors wait");
	ok(r.done == r.length, "WRITE: done %u of %u", r.done, r.length);
	device_mem(0, mem, sizeof(mem));
	ok(!memcmp(mem + (2 << 14), buf + (2 << 14), 1 << 14),
	   "WRITE: the last erased sector was programmed, not left blank");
	ok(!memcmp(mem, buf, sizeof(buf)), "WRITE: all three sectors hold the new bytes");
}

/*
 * An unplug in the second 64 KiB chunk of a 256 KiB READ (the emulator
 * leaves at its Nth request): ENODEV, not EINTR, with done the chunk that
 * arrived, and those bytes the device's.
 */
static void test_unplug(int fd)
{
	static uint8_t buf[256 << 10], mem[256 << 10];
	struct dfuse_range r = { .argsz = sizeof(r), .address = 0x08000000,
				 .length = sizeof(buf) };

	device_mem(0, mem, sizeof(mem));
	r.data = (uintptr_t)buf;
	expect_errno(io(fd, DFUSE_IOC_READ, &r), ENODEV,
		     "READ cut by an unplug after its first chunk");
	ok(r.done == 64 << 10, "READ: done is the first chunk (%u)", r.done);
	ok(!memcmp(buf, mem, r.done), "READ: the bytes before done are the device's");
}

int main(int argc, char **argv)
{
	const char *node = "/dev/dfuse0.0";
	int fd, ro_fd, second;

	/* to a file: each line leaves at once, so a crash loses none */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 3)
		return 2;
	state_dir = argv[2];
	fd = open(node, O_RDWR);
	ro_fd = open(node, O_RDONLY);
	ok(fd >= 0 && ro_fd >= 0, "open %s read-write and read-only", node);
	if (fd < 0 || ro_fd < 0)
		return 1;
	second = open("/dev/dfuse0.1", O_WRONLY);
	expect_errno(second < 0 ? errno : 0, EBUSY, "a second writer to the same board");
	if (!strcmp(argv[1], "basic")) {
		test_info(fd);
		test_segments(fd);
		test_ranges(fd, ro_fd);
		test_status(fd);
		test_mass_erase(fd);
		test_fd_modes(&fd, ro_fd, node);
	} else if (!strcmp(argv[1], "rdp")) {
		test_rdp(fd);
	} else if (!strcmp(argv[1], "leave")) {
		test_leave(fd);
	} else if (!strcmp(argv[1], "signal")) {
		test_signal(fd);
	} else if (!strcmp(argv[1], "torn")) {
		test_torn(fd);
	} else if (!strcmp(argv[1], "unplug")) {
		test_unplug(fd);
	}
	close(ro_fd);
	close(fd);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
