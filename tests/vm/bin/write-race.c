// SPDX-License-Identifier: GPL-2.0
/*
 * One open file, two threads: each pwrite()s every other 4 KiB block of a
 * 256 KiB image to /dev/dfuse0.0, so that each write is non-contiguous
 * with the gathered extent and the other thread's flush is often running.
 * Every accepted byte must reach the device: after close, the emulator's
 * memory (STATE_DIR/alt0.bin) must hold the image. Prints TAP.
 * usage: write-race IMAGE STATE_DIR
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIZE	(64 * 1024)	/* sectors 0-3 of an F401: 16 KiB each */
#define BLOCK	4096

static unsigned char image[SIZE];
static int fd, errors;

static void *writer(void *arg)
{
	long first = (long)arg;
	long off;

	for (off = first * BLOCK; off < SIZE; off += 2 * BLOCK)
		if (pwrite(fd, image + off, BLOCK, off) != BLOCK)
			__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
	return NULL;
}

int main(int argc, char **argv)
{
	static unsigned char mem[SIZE];
	char path[512];
	pthread_t t[2];
	FILE *f;
	long i;
	int n = 0, bad = 0;

	/* to a file: each line leaves at once, so a crash loses none */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc != 3)
		return 2;
	f = fopen(argv[1], "rb");
	if (!f || fread(image, 1, SIZE, f) != SIZE)
		return 2;
	fclose(f);
	fd = open("/dev/dfuse0.0", O_WRONLY);
	if (fd < 0) {
		printf("not ok 1 - open: %s\n1..1\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, writer, (void *)i);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%s %d - two threads: every pwrite accepted (%d failed)\n",
	       errors ? "not ok" : "ok", ++n, errors);
	bad += errors != 0;
	i = close(fd);
	printf("%s %d - close programs the rest\n", i ? "not ok" : "ok", ++n);
	bad += i != 0;
	snprintf(path, sizeof(path), "%s/alt0.bin", argv[2]);
	f = fopen(path, "rb");
	if (!f || fread(mem, 1, SIZE, f) != SIZE)
		return 2;
	fclose(f);
	for (i = 0; i < SIZE && mem[i] == image[i]; i++)
		;
	printf("%s %d - the device holds every accepted byte (first difference at %ld)\n",
	       i == SIZE ? "ok" : "not ok", ++n, i == SIZE ? -1 : i);
	bad += i != SIZE;
	printf("1..%d\n", n);
	return bad != 0;
}
