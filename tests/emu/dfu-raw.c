// SPDX-License-Identifier: GPL-2.0
/*
 * dfu-raw: send exact DFU/DfuSe requests through usbfs and print what came
 * back, one line per request. A test host that makes the mistakes real
 * hosts avoid (writing without erasing, reading in the wrong state), so
 * the emulated bootloader's answers can be observed.
 *
 * usage: dfu-raw [--dev VID:PID] CMD...
 *   alt N | setaddr ADDR | erase ADDR | masserase | unprotect |
 *   dnload BLOCK FILE | upload BLOCK LEN FILE | status | clrstatus |
 *   abort | getstate | string INDEX | leave
 * Commands that start a DfuSe operation (setaddr, erase, masserase,
 * unprotect, dnload) poll GETSTATUS until the state leaves dfuDNBUSY.
 * Exit status: 0 if every request succeeded and ended without dfuERROR.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int fd = -1;
static int failures;

static int open_device(unsigned int vid, unsigned int pid)
{
	DIR *d = opendir("/sys/bus/usb/devices");
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d))) {
		unsigned int v = 0, p = 0, bus = 0, dev = 0;
		FILE *f;

		snprintf(path, sizeof(path), "/sys/bus/usb/devices/%s/uevent",
			 e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(path, sizeof(path), f)) {
			sscanf(path, "PRODUCT=%x/%x/", &v, &p);
			sscanf(path, "BUSNUM=%u", &bus);
			sscanf(path, "DEVNUM=%u", &dev);
		}
		fclose(f);
		if (v == vid && p == pid && bus && dev) {
			int n = 0;

			closedir(d);
			snprintf(path, sizeof(path), "/dev/bus/usb/%03u/%03u",
				 bus, dev);
			fd = open(path, O_RDWR);
			if (fd < 0 ||
			    ioctl(fd, USBDEVFS_CLAIMINTERFACE, &n) < 0) {
				fprintf(stderr, "dfu-raw: %s: %s\n", path,
					strerror(errno));
				return -1;
			}
			return 0;
		}
	}
	if (d)
		closedir(d);
	fprintf(stderr, "dfu-raw: no device %04x:%04x\n", vid, pid);
	return -1;
}

static int ctrl(int in, int req, int value, void *data, int len)
{
	struct usbdevfs_ctrltransfer c = {
		.bRequestType = in ? 0xa1 : 0x21,
		.bRequest = (unsigned char)req,
		.wValue = (unsigned short)value,
		.wIndex = 0,
		.wLength = (unsigned short)len,
		.timeout = 5000,
		.data = data,
	};

	return ioctl(fd, USBDEVFS_CONTROL, &c);
}

static const char *const names[] = { "DETACH", "DNLOAD", "UPLOAD",
	"GETSTATUS", "CLRSTATUS", "GETSTATE", "ABORT" };

static int report(int req, int ret)
{
	if (ret < 0) {
		printf("%s error %s\n", names[req],
		       errno == EPIPE ? "EPIPE" : strerror(errno));
		failures++;
	}
	return ret;
}

/* One GETSTATUS; returns the state or -1. */
static int status(unsigned int *poll_out)
{
	unsigned char s[8] = { 0 };
	int n = report(3, ctrl(1, 3, 0, s, 6));
	unsigned int poll;

	if (n < 0)
		return -1;
	poll = s[1] | s[2] << 8 | s[3] << 16;
	printf("GETSTATUS len=%d status=%u state=%u poll=%u istring=%u\n", n,
	       s[0], s[4], poll, s[5]);
	if (n < 6) {
		failures++;
		return -1;
	}
	if (poll_out)
		*poll_out = poll;
	if (s[4] == 10)
		failures++;
	return s[4];
}

static void poll_done(void)
{
	unsigned int poll = 0;
	int state, rounds = 0;

	do {
		state = status(&poll);
		if (state == 4) {
			struct timespec ts = { poll / 1000,
					       (long)(poll % 1000) * 1000000 };

			if (poll > 10000) {
				printf("poll timeout %u ms too long, not waiting\n",
				       poll);
				failures++;
				return;
			}
			nanosleep(&ts, NULL);
		}
	} while (state == 4 && ++rounds < 1000);
}

static void command(const unsigned char *cmd, int len)
{
	if (report(1, ctrl(0, 1, 0, (void *)cmd, len)) >= 0)
		poll_done();
}

static void cmd_addr(unsigned char op, const char *arg)
{
	unsigned long a = strtoul(arg, NULL, 0);
	unsigned char c[5] = { op, a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff,
			       (a >> 24) & 0xff };

	command(c, 5);
}

static void cmd_dnload(const char *block, const char *file)
{
	static unsigned char buf[65536];
	FILE *f = fopen(file, "rb");
	int n;

	if (!f) {
		perror(file);
		exit(2);
	}
	n = (int)fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (report(1, ctrl(0, 1, (int)strtoul(block, NULL, 0), buf, n)) >= 0)
		poll_done();
}

static void cmd_upload(const char *block, const char *len, const char *file)
{
	static unsigned char buf[65536];
	int n = report(2, ctrl(1, 2, (int)strtoul(block, NULL, 0), buf,
			       (int)strtoul(len, NULL, 0)));
	FILE *f;

	if (n < 0)
		return;
	printf("UPLOAD len=%d\n", n);
	f = fopen(file, "wb");
	if (!f || fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(file);
		exit(2);
	}
	fclose(f);
}

static void cmd_string(const char *index)
{
	unsigned char d[256];
	struct usbdevfs_ctrltransfer c = {
		.bRequestType = 0x80, .bRequest = 6,
		.wValue = (unsigned short)(0x300 | strtoul(index, NULL, 0)),
		.wIndex = 0x0409, .wLength = 255, .timeout = 5000, .data = d,
	};
	int n = ioctl(fd, USBDEVFS_CONTROL, &c), i;

	if (n < 2) {
		printf("STRING error %s\n", strerror(errno));
		failures++;
		return;
	}
	printf("STRING ");
	for (i = 2; i + 1 < n && i < d[0]; i += 2)
		putchar(d[i]);
	putchar('\n');
}

static const char *next_arg(int *i, int argc, char **argv)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "dfu-raw: %s needs more arguments\n", argv[*i]);
		exit(2);
	}
	return argv[++*i];
}

int main(int argc, char **argv)
{
	unsigned int vid = 0x0483, pid = 0xdf11;
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 2 && !strcmp(argv[1], "--dev")) {
		sscanf(argv[2], "%x:%x", &vid, &pid);
		i = 3;
	}
	if (open_device(vid, pid))
		return 2;
	for (; i < argc; i++) {
		const char *c = argv[i];
		unsigned char b;

		if (!strcmp(c, "alt")) {
			struct usbdevfs_setinterface s = {
				0, (unsigned int)atoi(next_arg(&i, argc, argv)) };

			if (ioctl(fd, USBDEVFS_SETINTERFACE, &s) < 0) {
				printf("SET_INTERFACE error %s\n", strerror(errno));
				failures++;
			}
		} else if (!strcmp(c, "setaddr")) {
			cmd_addr(0x21, next_arg(&i, argc, argv));
		} else if (!strcmp(c, "erase")) {
			cmd_addr(0x41, next_arg(&i, argc, argv));
		} else if (!strcmp(c, "masserase")) {
			b = 0x41;
			command(&b, 1);
		} else if (!strcmp(c, "unprotect")) {
			b = 0x92;
			command(&b, 1);
		} else if (!strcmp(c, "dnload")) {
			const char *blk = next_arg(&i, argc, argv);

			cmd_dnload(blk, next_arg(&i, argc, argv));
		} else if (!strcmp(c, "upload")) {
			const char *blk = next_arg(&i, argc, argv), *len = next_arg(&i, argc, argv);

			cmd_upload(blk, len, next_arg(&i, argc, argv));
		} else if (!strcmp(c, "leave")) {
			if (report(1, ctrl(0, 1, 2, NULL, 0)) >= 0)
				status(NULL);
		} else if (!strcmp(c, "status")) {
			status(NULL);
		} else if (!strcmp(c, "clrstatus")) {
			if (report(4, ctrl(0, 4, 0, NULL, 0)) >= 0)
				printf("CLRSTATUS ok\n");
		} else if (!strcmp(c, "abort")) {
			if (report(6, ctrl(0, 6, 0, NULL, 0)) >= 0)
				printf("ABORT ok\n");
		} else if (!strcmp(c, "getstate")) {
			unsigned char s = 0;

			if (report(5, ctrl(1, 5, 0, &s, 1)) >= 0)
				printf("GETSTATE state=%u\n", s);
		} else if (!strcmp(c, "string")) {
			cmd_string(next_arg(&i, argc, argv));
		} else {
			fprintf(stderr, "dfu-raw: unknown command %s\n", c);
			return 2;
		}
	}
	return failures ? 1 : 0;
}
