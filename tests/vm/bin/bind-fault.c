// SPDX-License-Identifier: GPL-2.0
/*
 * Bind dfuse to one USB interface with the Nth allocation of this task
 * failing (/proc/self/fail-nth, failslab), while a second thread opens
 * the board's first node the moment it appears. Probe runs in the task
 * that writes to the driver's bind file, so N walks every allocation of
 * the bind path in turn: the driver core's, the USB requests' and the
 * driver's own, node creation included.
 * Prints one line:
 *   injected=0|1 bind=0|ERRNO opened=0|1 read=BYTES|ERRNO
 * injected: the Nth allocation came (0: the bind path has fewer than N);
 * opened: the node was opened during the bind; read: what a read of 16
 * bytes through that file gave once the bind had returned.
 * usage: bind-fault N INTERFACE NODE
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *node;
static int bind_returned, opened;
static char read_result[32] = "-";

static void *opener(void *arg)
{
	char buf[16];
	ssize_t n;
	int fd = -1;

	(void)arg;
	while (!__atomic_load_n(&bind_returned, __ATOMIC_ACQUIRE)) {
		fd = open(node, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			break;
	}
	if (fd < 0)
		return NULL;
	opened = 1;
	while (!__atomic_load_n(&bind_returned, __ATOMIC_ACQUIRE))
		usleep(1000);
	n = read(fd, buf, sizeof(buf));
	if (n < 0)
		snprintf(read_result, sizeof(read_result), "%s", strerrorname_np(errno));
	else
		snprintf(read_result, sizeof(read_result), "%zd", n);
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	char num[16], left[16] = "";
	const char *bind_err = "0";
	int nth_fd, bind_fd;
	pthread_t t;
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: bind-fault N INTERFACE NODE\n");
		return 2;
	}
	node = argv[3];
	/* every file before the count starts: only the bind write counts */
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	bind_fd = open("/sys/bus/usb/drivers/dfuse/bind", O_WRONLY | O_CLOEXEC);
	if (nth_fd < 0 || bind_fd < 0) {
		perror("bind-fault: open");
		return 2;
	}
	if (pthread_create(&t, NULL, opener, NULL)) {
		fprintf(stderr, "bind-fault: no thread\n");
		return 2;
	}
	snprintf(num, sizeof(num), "%s", argv[1]);
	if (write(nth_fd, num, strlen(num)) < 0) {
		perror("bind-fault: fail-nth");
		return 2;
	}
	n = write(bind_fd, argv[2], strlen(argv[2]));
	if (n < 0)
		bind_err = strerrorname_np(errno);
	__atomic_store_n(&bind_returned, 1, __ATOMIC_RELEASE);
	/* what is left of the count: 0 once the failure was injected */
	n = pread(nth_fd, left, sizeof(left) - 1, 0);
	if (n <= 0 || write(nth_fd, "0", 1) < 0) {
		perror("bind-fault: fail-nth after the bind");
		return 2;
	}
	pthread_join(t, NULL);
	printf("injected=%d bind=%s opened=%d read=%s\n", atoi(left) == 0,
	       bind_err, opened, read_result);
	return 0;
}
