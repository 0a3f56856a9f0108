// SPDX-License-Identifier: GPL-2.0
/*
 * What the board commands share: nodes, ioctls, reports, loading images,
 * option-bytes rules, waiting for a board to go or come back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <linux/dfuse.h>

#include "cli.h"
#include "detach.h"
#include "device.h"
#include "image.h"
#include "lab.h"
#include "nl.h"

uint32_t number(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (end == s || *end || v > 0xffffffffull) {
		fprintf(stderr, "dfuse: %s: \"%s\" is not a 32-bit number\n", what, s);
		exit(EX_USAGE);
	}
	return (uint32_t)v;
}

int open_alt(const struct nl_alt *alt, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", alt->node);
	fd = open(path, flags);
	if (fd < 0)
		fprintf(stderr, "dfuse: %s: %s%s\n", path, strerror(errno),
			errno == EBUSY ? " (another program is writing to this board)" : "");
	return fd;
}

/* The board and alt the options select, and its node open with @flags. */
int open_selected(struct nl_device *dev, const struct nl_alt **alt,
		  int *fd, int flags)
{
	int ret = select_board(&opt.sel, dev);

	if (ret)
		return ret;
	*alt = select_alt(dev, opt.sel.alt);
	if (!*alt)
		return EX_USAGE;
	*fd = open_alt(*alt, flags);
	return *fd < 0 ? exit_code(errno) : 0;
}

/* One line naming device, operation, address and the device's own text. */
int report(int fd, const struct nl_device *dev, const struct nl_alt *alt,
	   const char *op, uint32_t addr, int err)
{
	struct dfuse_status st = { .argsz = sizeof(st) };
	char detail[200] = "";

	if (err != ENODEV && !ioctl(fd, DFUSE_IOC_GET_STATUS, &st) &&
	    st.last_errno) {
		static const char *const names[] = { "OK", "errTARGET",
			"errFILE", "errWRITE", "errERASE", "errCHECK_ERASED",
			"errPROG", "errVERIFY", "errADDRESS", "errNOTDONE",
			"errFIRMWARE", "errVENDOR", "errUSBR", "errPOR",
			"errUNKNOWN", "errSTALLEDPKT" };

		snprintf(detail, sizeof(detail), " (device: %s at 0x%08x%s%s)",
			 names[st.last_status & 15], st.last_address,
			 st.last_string[0] ? ", \"" : "", st.last_string);
		if (st.last_string[0])
			strcat(detail, "\"");
	}
	fprintf(stderr, "dfuse: dfuse%u alt %u \"%s\": %s at 0x%08x failed: %s%s\n",
		dev->number, alt->setting, alt->name, op, addr, strerror(err),
		detail);
	return exit_code(err);
}

/* Read [addr, addr + len) back: 0 when it holds @data, else EBADMSG. */
static int read_back_equal(int fd, uint32_t addr, uint32_t len,
			   const uint8_t *data)
{
	uint8_t *back = malloc(len);
	int err;

	if (!back)
		return ENOMEM;
	err = do_range(fd, DFUSE_IOC_READ, addr, len, back, 0);
	if (!err && memcmp(back, data, len))
		err = EBADMSG;
	free(back);
	return err;
}

int do_range(int fd, unsigned long cmd, uint32_t addr, uint32_t len,
	     void *data, uint32_t flags)
{
	for (;;) {
		struct dfuse_range r = { .argsz = sizeof(r), .flags = flags,
					 .address = addr, .length = len,
					 .data = (uint64_t)(uintptr_t)data };
		int err;

		if (!ioctl(fd, cmd, &r))
			return 0;
		if (errno != EINTR || r.done > len)
			return errno;
		/*
		 * A signal that did not end us (a stop and a continue, the
		 * freezer before system sleep) stopped the driver between two
		 * pages: go on from there. A verified write had not read back
		 * what it programmed before it stopped: that part now.
		 */
		if (cmd == DFUSE_IOC_WRITE && (flags & DFUSE_WRITE_VERIFY) &&
		    r.done) {
			err = read_back_equal(fd, addr, r.done, data);
			if (err)
				return err;
		}
		addr += r.done;
		len -= r.done;
		if (data)
			data = (uint8_t *)data + r.done;
	}
}

/* as the driver decides it: ST's "Option Bytes", AT32's "Option byte" */
bool is_option_bytes(const struct nl_alt *alt)
{
	return !strncasecmp(alt->name, "Option Byte", 11);
}

/* The board of @fd went away (the driver says ENODEV to any request). */
static bool board_gone(int fd)
{
	struct dfuse_status st = { .argsz = sizeof(st) };

	return ioctl(fd, DFUSE_IOC_GET_STATUS, &st) < 0 && errno == ENODEV;
}

/*
 * With --verify the driver reads back what it programmed (only that:
 * DFUSE_WRITE_VERIFY); a driver older than the flag refuses it with
 * EINVAL before doing anything, and the tool then reads back the element
 * itself.
 */
static bool driver_verifies = true;

bool write_verified(const struct nl_alt *alt)
{
	return opt.verify && driver_verifies && !is_option_bytes(alt);
}

/* Write @len bytes at @addr in page-aligned chunks, counting progress. */
int write_element(int fd, const struct nl_device *dev,
		  const struct nl_alt *alt, uint32_t addr,
		  const uint8_t *data, uint32_t len, uint64_t *done,
		  uint64_t total)
{
	uint32_t off = 0;

	while (off < len) {
		uint64_t end = addr + off;
		uint32_t n;
		int err;

		while (end < (uint64_t)addr + len &&
		       end - (addr + off) < CHUNK_MIN)
			end = alt_page_end(alt, (uint32_t)end);
		if (end > (uint64_t)addr + len)
			end = (uint64_t)addr + len;
		n = (uint32_t)(end - (addr + off));
		err = do_range(fd, DFUSE_IOC_WRITE, addr + off, n,
			       (void *)(data + off), write_verified(alt) ?
			       DFUSE_WRITE_VERIFY : 0);
		if (err == EINVAL && write_verified(alt)) {
			driver_verifies = false;
			continue;
		}
		if (err == EBADMSG) {
			fprintf(stderr, "dfuse: dfuse%u alt %u: verify failed in 0x%08x-0x%08x: what was programmed reads back otherwise (the kernel log names the address)\n",
				dev->number, alt->setting, addr + off,
				addr + off + n - 1);
			return EX_IOERR;
		}
		/* written, and the ROM reset to load them (as it must) */
		if (!err && is_option_bytes(alt) && board_gone(fd))
			return RESET_EXPECTED;
		if (err)
			return report(fd, dev, alt, "program", addr + off, err);
		off += n;
		*done += n;
		progress("program", *done, total);
	}
	return 0;
}

int verify_element(int fd, const struct nl_device *dev,
		   const struct nl_alt *alt, uint32_t addr,
		   const uint8_t *data, uint32_t len)
{
	uint8_t *back = malloc(len ? len : 1);
	uint32_t i;
	int err;

	if (!back)
		return EX_OSERR;
	err = do_range(fd, DFUSE_IOC_READ, addr, len, back, 0);
	if (err) {
		free(back);
		return report(fd, dev, alt, "verify read", addr, err);
	}
	for (i = 0; i < len && back[i] == data[i]; i++)
		;
	free(back);
	if (i < len) {
		fprintf(stderr, "dfuse: dfuse%u alt %u: verify failed at 0x%08x: wrote 0x%02x, read back something else\n",
			dev->number, alt->setting, addr + i, data[i]);
		return EX_IOERR;
	}
	return 0;
}

/* Wait until every node of the board is gone (it left DFU mode). */
bool wait_gone(const struct nl_device *dev, int ms)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/%s", dev->alt[0].node);
	for (; ms > 0; ms -= 50) {
		if (stat(path, &st))
			return true;
		usleep(50000);
	}
	return false;
}

/* After a reset: the same board (serial, else USB path) back in DFU mode. */
int wait_back(const struct nl_device *old, struct nl_device *out, int ms)
{
	if (!wait_gone(old, ms))
		return EX_IOERR;
	for (; ms > 0; ms -= 100) {
		struct nl_device all[64];
		int n = nl_list(all, 64), i;

		for (i = 0; i < n; i++) {
			if (old->serial[0] ? strcmp(old->serial, all[i].serial) :
			    strcmp(old->usb_path, all[i].usb_path))
				continue;
			*out = all[i];
			return 0;
		}
		usleep(100000);
	}
	return EX_UNAVAILABLE;
}

int leave_board(const struct nl_device *dev, const struct nl_alt *alt,
		bool jump, uint32_t addr)
{
	struct dfuse_leave l = { .argsz = sizeof(l),
				 .flags = jump ? DFUSE_LEAVE_JUMP : 0,
				 .address = addr };
	int fd = open_alt(alt, O_RDWR), err = 0;

	if (fd < 0)
		return exit_code(errno);
	if (ioctl(fd, DFUSE_IOC_LEAVE, &l) < 0 && errno != ENODEV)
		/* without a jump the driver sets the pointer to alt 0's base */
		err = report(fd, dev, alt, "leave", jump ? addr : dev->alt[0].base,
			     errno);
	close(fd);
	if (err)
		return err;
	if (!wait_gone(dev, 5000)) {
		fprintf(stderr, "dfuse: dfuse%u accepted the leave request but is still in DFU mode after 5 s\n",
			dev->number);
		return EX_IOERR;
	}
	say("dfuse%u left DFU mode\n", dev->number);
	return 0;
}

int load(const char *path, struct image *img)
{
	enum image_format fmt = IMAGE_AUTO;
	const char *file;
	char err[256];
	int r;

	if (opt.format) {
		fmt = image_format_from_name(opt.format);
		if ((int)fmt < 0) {
			fprintf(stderr, "dfuse: unknown format \"%s\" (dfuse, dfu, raw or bin, ihex or hex, srec, elf)\n",
				opt.format);
			return EX_USAGE;
		}
	}
	/* "-": standard input, as read -o - writes standard output */
	file = strcmp(path, "-") ? path : "/dev/stdin";
	if (access(file, R_OK)) {
		fprintf(stderr, "dfuse: %s: %s\n", path, strerror(errno));
		return EX_NOINPUT;
	}
	r = image_load(file, fmt, opt.address, img, err, sizeof(err));
	if (r) {
		fprintf(stderr, "dfuse: %s: %s\n", path, err);
		return r == IMAGE_NO_INPUT ? EX_NOINPUT : EX_DATAERR;
	}
	if (opt.user_address && img->format != IMAGE_RAW &&
	    img->format != IMAGE_DFU) {
		fprintf(stderr, "dfuse: %s: the image (%s) carries its own addresses; --address cannot apply (nothing written)\n",
			path, image_format_name(img->format));
		image_free(img);
		return EX_USAGE;
	}
	if ((img->format == IMAGE_RAW || img->format == IMAGE_DFU) &&
	    !opt.has_address) {
		fprintf(stderr, "dfuse: %s: a %s image needs --address\n", path,
			image_format_name(img->format));
		image_free(img);
		return EX_USAGE;
	}
	return 0;
}

/* Option bytes are only written on purpose, and never to RDP level 2. */
int check_option_bytes(const struct nl_alt *alt,
		       const struct image_element *e)
{
	if (!is_option_bytes(alt))
		return 0;
	if (!opt.option_bytes) {
		fprintf(stderr, "dfuse: the image writes \"%s\" at 0x%08x; add --option-bytes to allow it\n",
			alt->name, e->address);
		return EX_USAGE;
	}
	/* STM32F2/F4/F7 layout: RDP is the second byte; 0xCC is level 2 */
	if (e->address <= alt->base + 1 && e->address + e->size > alt->base + 1 &&
	    e->data[alt->base + 1 - e->address] == 0xcc && !opt.rdp2_ok) {
		fprintf(stderr, "dfuse: these option bytes set read protection level 2, which can never be undone; refusing without --i-understand-rdp2-is-permanent\n");
		return EX_USAGE;
	}
	return 0;
}

/*
 * The option bytes are written and the board reset to load them: wait for
 * it to come back (@dev becomes the new instance) and verify there.
 * *fd is closed, and on success reopened on the new board's node.
 */
int reset_after_option_bytes(struct nl_device *dev,
			     const struct nl_alt *alt,
			     const struct image_element *e, int *fd)
{
	struct nl_device back;
	const struct nl_alt *a;
	unsigned int setting = alt->setting;
	int ret;

	close(*fd);
	*fd = -1;
	say("dfuse%u: option bytes written; the board resets to load them\n",
	    dev->number);
	ret = wait_back(dev, &back, 10000);
	if (ret) {
		fprintf(stderr, "dfuse: dfuse%u did not come back in DFU mode within 10 s after its option bytes were written\n",
			dev->number);
		return ret;
	}
	*dev = back;
	a = alt_by_setting(dev, setting);
	if (!a)
		return EX_UNAVAILABLE;
	*fd = open_alt(a, O_RDWR);
	if (*fd < 0)
		return exit_code(errno);
	return opt.verify ? verify_element(*fd, dev, a, e->address, e->data,
					   e->size) : 0;
}

/* The k-th element to write: element @ob (option bytes) moves to the end */
size_t write_order(size_t k, size_t n, int ob)
{
	if (ob < 0 || k < (size_t)ob)
		return k;
	return k + 1 < n ? k + 1 : (size_t)ob;
}
