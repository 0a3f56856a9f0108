// SPDX-License-Identifier: GPL-2.0
/*
 * A reader whose destination page stalls (userfaultfd: the fault is left
 * unresolved) must not hold up an unplug. Reads 64 KiB of /dev/dfuse0.0
 * into a registered buffer; once the read is blocked in the kernel's copy
 * to user memory it creates FLAG_STALLED and waits for FLAG_GO (the test
 * script unplugs the board meanwhile), then lets the copy finish.
 * Prints TAP. usage: read-stall FLAG_STALLED FLAG_GO
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LEN	65536

static char *buf;
static int fd;
static ssize_t got;

static void *reader(void *arg)
{
	(void)arg;
	got = read(fd, buf, LEN);
	return NULL;
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uffdio_zeropage zero;
	struct uffd_msg msg;
	struct pollfd p;
	pthread_t t;
	long page = sysconf(_SC_PAGESIZE);
	int uffd, n = 0;

	/* to a file: each line leaves at once, so a crash loses none */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc != 3)
		return 2;
	fd = open("/dev/dfuse0.0", O_RDONLY);
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (fd < 0 || uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		printf("not ok 1 - setup: %s\n1..1\n", strerror(errno));
		return 1;
	}
	buf = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (unsigned long)buf;
	reg.range.len = LEN;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (buf == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		printf("not ok 1 - register: %s\n1..1\n", strerror(errno));
		return 1;
	}
	pthread_create(&t, NULL, reader, NULL);
	p.fd = uffd;
	p.events = POLLIN;
	if (poll(&p, 1, 10000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg)) {
		printf("not ok 1 - the read blocks in its copy to user memory\n1..1\n");
		return 1;
	}
	printf("ok %d - the read blocks in its copy to user memory\n", ++n);
	fflush(stdout);
	close(open(argv[1], O_CREAT | O_WRONLY, 0644));
	while (access(argv[2], F_OK))
		usleep(20000);
	/* let every page of the copy through now */
	for (long off = 0; off < LEN; off += page) {
		zero.range.start = (unsigned long)buf + off;
		zero.range.len = page;
		zero.mode = 0;
		ioctl(uffd, UFFDIO_ZEROPAGE, &zero);
	}
	pthread_join(t, NULL);
	/* the chunk in hand is copied; the unplug ends the read after it */
	printf("%s %d - the read returns the bytes it copied once its page arrives (%zd)\n",
	       got > 0 && got <= LEN ? "ok" : "not ok", ++n, got);
	printf("1..%d\n", n);
	return 0;
}
