// SPDX-License-Identifier: GPL-2.0
/*
 * The node's file operations as a program sees them, built 64- and 32-bit
 * (node-io32: the compat path): lseek with SEEK_SET/CUR/END/DATA/HOLE over
 * a map with a hole, pread at huge offsets, pwrite across two segments,
 * into the hole and past the end, and what landed in the emulator's
 * memory; on a map that spans 4 GiB, offsets above 2 GiB. Prints TAP.
 * usage: node-io hole STATE_DIR SEED   (the map is MAP below)
 *        node-io high                  (the map is HIGH_MAP below)
 */
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/*
 * MAP: '@X /0x08000000/2*16Kg/0x08008000/1*16Kg/0x08010000/2*16Ka'
 * data 0x0000-0xbfff (two segments), hole 0xc000-0xffff, read-only data
 * 0x10000-0x17fff; the file is 0x18000 bytes.
 */
#define SEG2_START	0x8000
#define HOLE_START	0xc000
#define RO_START	0x10000
#define MAP_SIZE	0x18000

/*
 * HIGH_MAP: '@X /0x00000000/1*16Kg/0xFFFF0000/1*16Kg': the file is
 * 0xFFFF4000 bytes, above what a 32-bit off_t holds.
 */
#define HIGH_SEG	0xFFFF0000LL
#define HIGH_SIZE	0xFFFF4000LL

static int n, failed;
static const char *state_dir;

static void ok(int pass, const char *fmt, ...)
{
	va_list ap;

	n++;
	failed += !pass;
	printf("%s %d - %s", pass ? "ok" : "not ok", n,
	       sizeof(void *) == 4 ? "i386: " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* lseek's result, or -errno */
static long long seek(int fd, off_t off, int whence)
{
	off_t r = lseek(fd, off, whence);

	return r < 0 ? -errno : (long long)r;
}

static void seek_is(int fd, off_t off, int whence, long long want,
		    const char *what)
{
	long long got = seek(fd, off, whence);

	ok(got == want, "%s: %lld (got %lld%s%s)", what, want, got,
	   got < 0 ? " " : "", got < 0 ? strerror((int)-got) : "");
}

static void test_seek(int fd)
{
	seek_is(fd, 0, SEEK_END, MAP_SIZE, "SEEK_END is the map's span");
	seek_is(fd, -16, SEEK_END, MAP_SIZE - 16, "SEEK_END -16");
	seek_is(fd, 16, SEEK_CUR, MAP_SIZE, "SEEK_CUR +16 from there");
	seek_is(fd, 1, SEEK_END, -EINVAL, "SEEK_END +1 (past the map)");
	seek_is(fd, -1, SEEK_SET, -EINVAL, "SEEK_SET -1");
	seek_is(fd, 0, SEEK_DATA, 0, "SEEK_DATA from 0");
	seek_is(fd, 0, SEEK_HOLE, HOLE_START,
		"SEEK_HOLE from 0 skips the segment boundary, stops at the hole");
	seek_is(fd, SEG2_START + 5, SEEK_DATA, SEG2_START + 5,
		"SEEK_DATA inside data stays");
	seek_is(fd, HOLE_START + 1, SEEK_DATA, RO_START,
		"SEEK_DATA from inside the hole: the next segment");
	seek_is(fd, HOLE_START + 1, SEEK_HOLE, HOLE_START + 1,
		"SEEK_HOLE inside the hole stays");
	seek_is(fd, RO_START, SEEK_HOLE, MAP_SIZE,
		"SEEK_HOLE in the last segment: the end counts as a hole");
	seek_is(fd, MAP_SIZE, SEEK_DATA, -ENXIO, "SEEK_DATA at the end");
	seek_is(fd, MAP_SIZE, SEEK_HOLE, -ENXIO, "SEEK_HOLE at the end");
	seek_is(fd, -1, SEEK_DATA, -ENXIO, "SEEK_DATA at -1");
	seek_is(fd, (off_t)1 << 40, SEEK_DATA, -ENXIO, "SEEK_DATA at 1 TiB");
}

/* bytes of the emulator's alt 0 memory at @off */
static int device_mem(off_t off, void *buf, size_t len)
{
	char path[256];
	FILE *f;
	int good;

	snprintf(path, sizeof(path), "%s/alt0.bin", state_dir);
	f = fopen(path, "rb");
	good = f && !fseeko(f, off, SEEK_SET) && fread(buf, 1, len, f) == len;
	if (f)
		fclose(f);
	return good;
}

static void errno_is(ssize_t r, int want, const char *what)
{
	int got = r < 0 ? errno : 0;

	ok(r < 0 && got == want, "%s: %s (got %zd, %s)", what, strerror(want),
	   r, got ? strerror(got) : "no error");
}

static void test_io(int fd, unsigned int seed)
{
	static unsigned char img[8192], back[8192], mem[8192];
	size_t i;
	ssize_t r;

	printf("# pattern seed %u\n", seed);
	lseek(fd, 0, SEEK_SET);
	srand(seed);
	for (i = 0; i < sizeof(img); i++)
		img[i] = (unsigned char)rand();

	r = pread(fd, back, 16, (off_t)1 << 40);
	ok(r == 0, "pread at 1 TiB: 0 bytes (got %zd)", r);
	r = pread(fd, back, 16, (off_t)1 << 32);
	ok(r == 0, "pread at 4 GiB: 0 bytes (got %zd)", r);
	r = pread(fd, back, 16, MAP_SIZE - 4);
	ok(r == 4, "pread over the end: the 4 bytes before it (got %zd)", r);
	errno_is(pread(fd, back, 16, HOLE_START + 16), ENXIO, "pread in the hole");
	errno_is(pwrite(fd, img, 16, (off_t)1 << 40), ENOSPC, "pwrite at 1 TiB");
	errno_is(pwrite(fd, img, 16, MAP_SIZE), ENOSPC, "pwrite at the end");
	errno_is(pwrite(fd, img, sizeof(img), HOLE_START - 4096), ENXIO,
		 "pwrite from data into the hole");
	errno_is(pwrite(fd, img, 16, RO_START), EROFS,
		 "pwrite to the read-only segment");

	/* 8 KiB across the boundary of the first two segments */
	r = pwrite(fd, img, sizeof(img), SEG2_START - 4096);
	ok(r == (ssize_t)sizeof(img), "pwrite of 8 KiB across two segments (got %zd)", r);
	r = fsync(fd);
	ok(r == 0, "fsync programs it (%s)", r ? strerror(errno) : "ok");
	ok(device_mem(SEG2_START - 4096, mem, sizeof(mem)) &&
	   !memcmp(mem, img, sizeof(img)), "the device holds those 8 KiB");
	r = pread(fd, back, sizeof(back), SEG2_START - 4096);
	ok(r == (ssize_t)sizeof(back) && !memcmp(back, img, sizeof(img)),
	   "pread gives them back (got %zd)", r);
	seek_is(fd, 0, SEEK_CUR, 0, "pread and pwrite leave the position");
}

/*
 * Offsets above 2 GiB: with a 64-bit off_t (every program built with
 * _FILE_OFFSET_BITS=64) from either kind of program.
 */
static void test_high(int fd)
{
	long r;

	seek_is(fd, 0, SEEK_END, HIGH_SIZE, "SEEK_END of a map that spans 4 GiB");
	seek_is(fd, 0x4000, SEEK_DATA, HIGH_SEG, "SEEK_DATA over a 4 GiB hole");
	seek_is(fd, HIGH_SEG + 1, SEEK_HOLE, HIGH_SIZE, "SEEK_HOLE in the top segment");
	seek_is(fd, HIGH_SIZE - 1, SEEK_SET, HIGH_SIZE - 1, "SEEK_SET to the last byte");
	seek_is(fd, HIGH_SIZE + 1, SEEK_SET, -EINVAL, "SEEK_SET past the end");
	/*
	 * A program without LFS (the plain open and lseek calls): refused at
	 * open, as generic_file_open() refuses a big regular file, rather
	 * than handed offsets its off_t cannot hold. A 64-bit open is
	 * always large-file.
	 */
	r = syscall(SYS_open, "/dev/dfuse0.0", O_RDONLY);
	if (r >= 0)
		close((int)r);
#if __SIZEOF_LONG__ == 4
	ok(r < 0 && errno == EOVERFLOW,
	   "open without O_LARGEFILE: EOVERFLOW (got %ld, %s)",
	   r, r < 0 ? strerror(errno) : "no error");
#else
	ok(r >= 0, "the plain open call (got %ld)", r);
	r = syscall(SYS_lseek, fd, 0L, SEEK_END);
	ok(r == HIGH_SIZE, "the lseek call at the end: %lld (got %ld)",
	   HIGH_SIZE, r);
#endif
}

int main(int argc, char **argv)
{
	const char *node = "/dev/dfuse0.0";
	int fd;

	/* to a file: each line leaves at once, so a crash loses none */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || (!strcmp(argv[1], "hole") && argc < 4))
		return 2;
	state_dir = argv[2];
	fd = open(node, O_RDWR);
	ok(fd >= 0, "open %s (%s)", node, fd < 0 ? strerror(errno) : "ok");
	if (fd < 0)
		return 1;
	if (!strcmp(argv[1], "hole")) {
		test_seek(fd);
		test_io(fd, (unsigned int)strtoul(argv[3], NULL, 0));
	} else {
		test_high(fd);
	}
	ok(close(fd) == 0, "close");
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
