// SPDX-License-Identifier: GPL-2.0
/*
 * Wait until a serial port has sent everything written to it: the tty's
 * queue (tcdrain) and the UART's transmitter (TIOCSERGETLSR). init runs
 * it before the VM reboots, with the port still open, so that the last
 * lines of a test reach the host.
 * usage: tty-drain DEVICE
 */
#include <fcntl.h>
#include <linux/serial.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec tick = { .tv_nsec = 1000000 };
	unsigned int lsr = 0;
	int fd, i;

	if (argc != 2) {
		fprintf(stderr, "usage: tty-drain DEVICE\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || tcdrain(fd)) {
		perror(argv[1]);
		return 1;
	}
	/* the transmitter's FIFO: at most 10 s */
	for (i = 0; i < 10000; i++) {
		if (ioctl(fd, TIOCSERGETLSR, &lsr) || (lsr & TIOCSER_TEMT))
			return 0;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "%s: the transmitter did not empty\n", argv[1]);
	return 1;
}
