// SPDX-License-Identifier: GPL-2.0
/*
 * A writer that ends without closing its file (or is killed in close()):
 * writes the first LEN bytes of IMAGE to /dev/dfuse0.0 in 4 KiB write()s,
 * which the driver gathers, then
 *   exit    _exit(0): the exit closes the file
 *   killed  SIGKILL to itself: the exit that follows closes it
 *   close   prints "closing" and calls close(), for the test to kill it
 *           there; prints close's result if it returns
 * Exit status: 0, or 1 when a write fails (it says which).
 * usage: write-exit exit|killed|close IMAGE LEN
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[4096];
	long len, off;
	int img, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 4)
		return 2;
	len = strtol(argv[3], NULL, 0);
	img = open(argv[2], O_RDONLY);
	fd = open("/dev/dfuse0.0", O_WRONLY);
	if (img < 0 || fd < 0) {
		printf("open: %s\n", strerror(errno));
		return 1;
	}
	for (off = 0; off < len; off += sizeof(buf)) {
		if (read(img, buf, sizeof(buf)) != sizeof(buf) ||
		    write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			printf("write at %ld: %s\n", off, strerror(errno));
			return 1;
		}
	}
	printf("wrote %ld bytes\n", len);
	if (!strcmp(argv[1], "exit"))
		_exit(0);
	if (!strcmp(argv[1], "killed"))
		kill(getpid(), SIGKILL);
	printf("closing\n");
	printf("close: %s\n", close(fd) ? strerror(errno) : "ok");
	return 0;
}
