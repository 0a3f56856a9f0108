// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse: flash and read STM32 DfuSe bootloaders through the dfuse driver.
 * Exit codes follow sysexits(3): 64 usage, 65 bad image or range,
 * 66 input file missing, 69 no board or driver, 74 device I/O error,
 * 75 board busy, 77 read protection.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <linux/dfuse.h>

#include "device.h"
#include "image.h"
#include "detach.h"
#include "lab.h"
#include "nl.h"

#define CHUNK_MIN	(64 * 1024)
#define DFUSE_TOOL_VERSION	"0.1"	/* as dkms.conf's PACKAGE_VERSION */

static struct {
	struct selector sel;
	int json, quiet, verbose, verify, force, yes, mass, option_bytes;
	int rdp2_ok, leave, detach;
	int user_address;	/* --address was given */
	int progress;	/* PROGRESS_* */
	const char *output, *format, *config;
	uint32_t address, length, leave_addr;
	int has_address, has_length, has_leave_addr;
	int timeout, count;
	int vid, pid, bcd;
} opt = { .sel = { .vid = -1, .pid = -1 }, .verify = 1, .timeout = -1,
	  .vid = -1, .pid = -1, .bcd = -1 };

static void say(const char *fmt, ...)
{
	va_list ap;

	if (opt.quiet || opt.json)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* A name from a file: control bytes (terminal escapes) as \xNN. */
static void print_printable(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* ---- progress ---- */

enum { PROGRESS_AUTO, PROGRESS_BAR, PROGRESS_LINES, PROGRESS_NONE };

static void progress(const char *what, uint64_t done, uint64_t total)
{
	static int last_pct = -1;
	int pct = total ? (int)(done * 100 / total) : 100;

	if (opt.quiet || opt.json || opt.progress == PROGRESS_NONE)
		return;
	if (opt.progress == PROGRESS_BAR ||
	    (opt.progress == PROGRESS_AUTO && isatty(2))) {
		int bar = pct / 4;

		fprintf(stderr, "\r%-8s [%.*s%*s] %3d%% %llu/%llu", what, bar,
			"#########################", 25 - bar, "", pct,
			(unsigned long long)done, (unsigned long long)total);
		if (done >= total)
			fputc('\n', stderr);
	} else if (pct / 25 != last_pct / 25 || done >= total) {
		fprintf(stderr, "%s: %d%% (%llu of %llu bytes)\n", what, pct,
			(unsigned long long)done, (unsigned long long)total);
	}
	last_pct = done >= total ? -1 : pct;
}

/* ---- talking to a node ---- */

static int open_alt(const struct nl_alt *alt, int flags)
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
static int open_selected(struct nl_device *dev, const struct nl_alt **alt,
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
static int report(int fd, const struct nl_device *dev, const struct nl_alt *alt,
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

static int do_range(int fd, unsigned long cmd, uint32_t addr, uint32_t len,
		    void *data, uint32_t flags)
{
	struct dfuse_range r = { .argsz = sizeof(r), .flags = flags,
				 .address = addr, .length = len,
				 .data = (uint64_t)(uintptr_t)data };

	return ioctl(fd, cmd, &r) < 0 ? errno : 0;
}

/* STM32 bootloaders reset the part after writing its option bytes */
#define RESET_EXPECTED	(-1)

static bool is_option_bytes(const struct nl_alt *alt)
{
	return strstr(alt->name, "Option Bytes");
}

/* Write @len bytes at @addr in page-aligned chunks, counting progress. */
static int write_element(int fd, const struct nl_device *dev,
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
			       (void *)(data + off), 0);
		if (err == ENODEV && is_option_bytes(alt))
			return RESET_EXPECTED;
		if (err)
			return report(fd, dev, alt, "program", addr + off, err);
		off += n;
		*done += n;
		progress("program", *done, total);
	}
	return 0;
}

static int verify_element(int fd, const struct nl_device *dev,
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
static bool wait_gone(const struct nl_device *dev, int ms)
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
static int wait_back(const struct nl_device *old, struct nl_device *out, int ms)
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

static int leave_board(const struct nl_device *dev, const struct nl_alt *alt,
		       bool jump, uint32_t addr)
{
	struct dfuse_leave l = { .argsz = sizeof(l),
				 .flags = jump ? DFUSE_LEAVE_JUMP : 0,
				 .address = addr };
	int fd = open_alt(alt, O_RDWR), err = 0;

	if (fd < 0)
		return exit_code(errno);
	if (ioctl(fd, DFUSE_IOC_LEAVE, &l) < 0 && errno != ENODEV)
		err = report(fd, dev, alt, "leave", addr, errno);
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

/* ---- commands ---- */

static int load(const char *path, struct image *img)
{
	enum image_format fmt = IMAGE_AUTO;
	char err[256];

	if (opt.format) {
		fmt = image_format_from_name(opt.format);
		if ((int)fmt < 0) {
			fprintf(stderr, "dfuse: unknown format \"%s\"\n", opt.format);
			return EX_USAGE;
		}
	}
	if (access(path, R_OK)) {
		fprintf(stderr, "dfuse: %s: %s\n", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (image_load(path, fmt, opt.address, img, err, sizeof(err))) {
		fprintf(stderr, "dfuse: %s: %s\n", path, err);
		return EX_DATAERR;
	}
	if (opt.user_address && img->format != IMAGE_RAW &&
	    img->format != IMAGE_DFU) {
		fprintf(stderr, "dfuse: %s: a %s image carries its own addresses; --address cannot apply (nothing written)\n",
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

static int cmd_info(char **args, int nargs)
{
	struct image img;
	unsigned int t;
	size_t i;
	int ret;

	if (nargs != 1) {
		fprintf(stderr, "usage: dfuse info FILE\n");
		return EX_USAGE;
	}
	opt.has_address = 1;	/* raw files: shown at --address or 0 */
	ret = load(args[0], &img);
	if (ret)
		return ret;
	if (opt.json) {
		printf("{\"format\":\"%s\",\"vendor\":\"%04x\",\"product\":\"%04x\",\"bcd_device\":\"%04x\",\"crc\":\"%s\",\"targets\":[",
		       image_format_name(img.format), img.vid, img.pid,
		       img.bcd_device, img.crc_checked ? "ok" :
		       img.has_suffix ? "not checked" : "none");
	} else {
		printf("%s: %s image", args[0], image_format_name(img.format));
		if (img.has_suffix)
			printf(", for %04x:%04x bcdDevice %04x (ffff: any), CRC %s",
			       img.vid, img.pid, img.bcd_device,
			       img.crc_checked ? "ok" : "not checked");
		printf("\n");
	}
	for (t = 0; t < img.nr_targets; t++) {
		if (opt.json) {
			printf("%s{\"alt\":%u,\"name\":", t ? "," : "",
			       img.targets[t].alt);
			json_str(img.targets[t].named ? img.targets[t].name : "");
			printf(",\"elements\":[");
		} else {
			printf("  target %u: alt %u", t, img.targets[t].alt);
			if (img.targets[t].named) {
				printf(" \"");
				print_printable(img.targets[t].name);
				printf("\"");
			}
			printf("\n");
		}
		for (i = 0, ret = 0; i < img.nr_elements; i++) {
			const struct image_element *e = &img.elements[i];

			if (e->target != t)
				continue;
			if (opt.json)
				printf("%s{\"address\":%u,\"size\":%u}",
				       ret++ ? "," : "", e->address, e->size);
			else
				printf("    0x%08x  %u bytes\n", e->address, e->size);
		}
		if (opt.json)
			printf("]}");
	}
	if (opt.json)
		printf("]}\n");
	image_free(&img);
	return 0;
}

/* Option bytes are only written on purpose, and never to RDP level 2. */
static int check_option_bytes(const struct nl_alt *alt,
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
static int reset_after_option_bytes(struct nl_device *dev,
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
static size_t write_order(size_t k, size_t n, int ob)
{
	if (ob < 0 || k < (size_t)ob)
		return k;
	return k + 1 < n ? k + 1 : (size_t)ob;
}

static int cmd_flash(char **args, int nargs)
{
	static char detached_node[32];
	struct nl_device dev;
	struct image img;
	uint64_t total = 0, done = 0;
	const struct nl_alt **alts;
	size_t i, k;
	int ret, fd = -1, fd_alt = -1, ob = -1;

	if (nargs != 1) {
		fprintf(stderr, "usage: dfuse flash FILE [--alt A] [--address X] [--leave[=ADDR]]\n");
		return EX_USAGE;
	}
	ret = load(args[0], &img);
	if (ret)
		return ret;
	if (opt.detach) {
		/* the image is good: now restart the application */
		unsigned int n;

		ret = detach_and_wait(opt.sel.serial, opt.timeout < 0 ? 10000 :
				      opt.timeout * 1000, &n);
		if (ret)
			goto out;
		say("detached: the bootloader is dfuse%u\n", n);
		/* that board, whatever serial the bootloader reports */
		snprintf(detached_node, sizeof(detached_node), "/dev/dfuse%u.0", n);
		opt.sel.node = detached_node;
		opt.sel.serial = NULL;
	}
	ret = select_board(&opt.sel, &dev);
	if (ret)
		goto out;
	/* Everything is checked before anything is written. */
	if (!opt.force && ((img.vid != IMAGE_ANY_ID && img.vid != dev.vendor) ||
			   (img.pid != IMAGE_ANY_ID && img.pid != dev.product))) {
		fprintf(stderr, "dfuse: %s is for %04x:%04x, dfuse%u is %04x:%04x; nothing written (--force to override)\n",
			args[0], img.vid, img.pid, dev.number, dev.vendor,
			dev.product);
		ret = EX_DATAERR;
		goto out;
	}
	alts = calloc(img.nr_elements + 1, sizeof(*alts));
	for (i = 0; alts && i < img.nr_elements; i++) {
		const struct image_element *e = &img.elements[i];
		const struct nl_alt *a = img.format == IMAGE_DFUSE && !opt.sel.alt ?
			alt_by_setting(&dev, img.targets[e->target].alt) :
			select_alt(&dev, opt.sel.alt);

		if (!a) {
			if (img.format == IMAGE_DFUSE && !opt.sel.alt)
				fprintf(stderr, "dfuse: %s: target alt %u: dfuse%u has no such alternate setting; nothing written\n",
					args[0], img.targets[e->target].alt, dev.number);
			ret = EX_DATAERR;
			break;
		}
		if (!alt_writable(a, e->address, e->size)) {
			fprintf(stderr, "dfuse: %s: element at 0x%08x (%u bytes) does not fit the writable memory of alt %u \"%s\"; nothing written\n",
				args[0], e->address, e->size, a->setting, a->name);
			ret = EX_DATAERR;
			break;
		}
		ret = check_option_bytes(a, e);
		if (ret)
			break;
		alts[i] = a;
		total += e->size;
	}
	if (!alts)
		ret = EX_OSERR;
	for (i = 0; !ret && i < img.nr_elements; i++)
		if (is_option_bytes(alts[i]) && ob >= 0) {
			fprintf(stderr, "dfuse: %s: more than one option-bytes element; writing them resets the board, so one is all an image may hold\n",
				args[0]);
			ret = EX_DATAERR;
		} else if (is_option_bytes(alts[i])) {
			ob = (int)i;
		}
	if (ret)
		goto out_alts;

	/* option bytes last: writing them resets the board */
	for (k = 0; k < img.nr_elements && !ret; k++) {
		const struct image_element *e;

		i = write_order(k, img.nr_elements, ob);
		e = &img.elements[i];

		if (fd_alt != (int)alts[i]->setting) {
			if (fd >= 0)
				close(fd);
			fd = open_alt(alts[i], O_RDWR);
			fd_alt = alts[i]->setting;
			if (fd < 0) {
				ret = exit_code(errno);
				break;
			}
		}
		if (opt.verbose)
			say("element %zu: %u bytes at 0x%08x to %s \"%s\"\n",
			    i + 1, e->size, e->address, alts[i]->node,
			    alts[i]->name);
		ret = write_element(fd, &dev, alts[i], e->address, e->data,
				    e->size, &done, total);
		if (ret == RESET_EXPECTED) {
			ret = reset_after_option_bytes(&dev, alts[i], e, &fd);
			fd_alt = fd >= 0 ? (int)alts[i]->setting : -1;
		} else if (!ret && opt.verify) {
			ret = verify_element(fd, &dev, alts[i], e->address,
					     e->data, e->size);
		}
	}
	if (fd >= 0 && close(fd) && !ret)
		ret = report(fd, &dev, alts[0], "close", 0, errno);
	if (!ret)
		say("flashed %llu bytes in %zu element%s to dfuse%u%s\n",
		    (unsigned long long)total, img.nr_elements,
		    img.nr_elements == 1 ? "" : "s", dev.number,
		    opt.verify ? ", verified" : "");
	if (!ret && opt.leave)
		ret = leave_board(&dev, alt_by_setting(&dev, alts[0]->setting),
				  opt.has_leave_addr, opt.leave_addr);
	if (opt.json) {
		printf("{\"device\":%u,\"serial\":", dev.number);
		json_str(dev.serial);
		printf(",\"file\":");
		json_str(args[0]);
		printf(",\"ok\":%s,\"exit\":%d,\"verified\":%s,\"left\":%s,\"elements\":[",
		       ret ? "false" : "true", ret,
		       !ret && opt.verify ? "true" : "false",
		       !ret && opt.leave ? "true" : "false");
		for (i = 0; i < img.nr_elements; i++)
			printf("%s{\"alt\":%u,\"address\":%u,\"size\":%u}",
			       i ? "," : "", alts[i] ? alts[i]->setting : 0,
			       img.elements[i].address, img.elements[i].size);
		printf("]}\n");
	}
out_alts:
	free(alts);
out:
	image_free(&img);
	return ret;
}

static int cmd_read(void)
{
	const struct nl_alt *alt;
	struct nl_device dev;
	uint8_t *buf;
	uint32_t addr, len, off;
	FILE *out;
	int ret, fd;

	if (!opt.output) {
		fprintf(stderr, "usage: dfuse read --alt A [--address X --length N] -o FILE\n");
		return EX_USAGE;
	}
	ret = open_selected(&dev, &alt, &fd, O_RDONLY);
	if (ret)
		return ret;
	addr = opt.has_address ? opt.address : alt->base;
	len = opt.has_length ? opt.length : (uint32_t)(alt->size - (addr - alt->base));
	buf = malloc(len ? len : 1);
	for (off = 0; buf && off < len && !ret;) {
		uint32_t n = len - off < CHUNK_MIN ? len - off : CHUNK_MIN;
		int err = do_range(fd, DFUSE_IOC_READ, addr + off, n, buf + off, 0);

		if (err)
			ret = report(fd, &dev, alt, "read", addr + off, err);
		off += n;
		progress("read", off, len);
	}
	close(fd);
	if (!ret) {
		out = strcmp(opt.output, "-") ? fopen(opt.output, "wb") : stdout;
		if (!out || fwrite(buf, 1, len, out) != len ||
		    (out != stdout && fclose(out))) {
			fprintf(stderr, "dfuse: %s: %s\n", opt.output, strerror(errno));
			ret = EX_CANTCREAT;
		}
	}
	free(buf);
	return ret;
}

static int simple_ioctl(const char *what, unsigned long cmd)
{
	const struct nl_alt *alt;
	struct nl_device dev;
	int ret, fd;

	ret = open_selected(&dev, &alt, &fd, O_RDWR);
	if (ret)
		return ret;
	say("%s on dfuse%u ...\n", what, dev.number);
	if (ioctl(fd, cmd, NULL) < 0)
		ret = report(fd, &dev, alt, what, 0, errno);
	close(fd);
	return ret;
}

static int cmd_erase(void)
{
	const struct nl_alt *alt;
	struct nl_device dev;
	int ret, fd, err;

	if (opt.mass)
		return simple_ioctl("mass erase", DFUSE_IOC_MASS_ERASE);
	if (!opt.has_address || !opt.has_length) {
		fprintf(stderr, "usage: dfuse erase (--mass | --address X --length N)\n");
		return EX_USAGE;
	}
	ret = open_selected(&dev, &alt, &fd, O_RDWR);
	if (ret)
		return ret;
	err = do_range(fd, DFUSE_IOC_ERASE, opt.address, opt.length, NULL, 0);
	if (err)
		ret = report(fd, &dev, alt, "erase", opt.address, err);
	close(fd);
	return ret;
}

static int cmd_unprotect(void)
{
	char answer[16] = "";

	if (!opt.yes) {
		if (!isatty(0)) {
			fprintf(stderr, "dfuse: unprotect erases the whole flash; confirm with --yes\n");
			return EX_USAGE;
		}
		fprintf(stderr, "Removing read protection erases the whole flash. Continue? [y/N] ");
		if (!fgets(answer, sizeof(answer), stdin) ||
		    (answer[0] != 'y' && answer[0] != 'Y'))
			return EX_TEMPFAIL;
	}
	return simple_ioctl("read unprotect", DFUSE_IOC_UNPROTECT);
}

static uint32_t number(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (end == s || *end || v > 0xffffffffull) {
		fprintf(stderr, "dfuse: %s: \"%s\" is not a 32-bit number\n", what, s);
		exit(EX_USAGE);
	}
	return (uint32_t)v;
}

static int cmd_leave(char **args, int nargs)
{
	struct nl_device dev;
	const struct nl_alt *alt;
	int ret = select_board(&opt.sel, &dev);

	if (ret)
		return ret;
	alt = select_alt(&dev, opt.sel.alt);
	if (!alt)
		return EX_USAGE;
	return leave_board(&dev, alt, nargs > 0,
			   nargs > 0 ? number(args[0], "leave ADDR") : 0);
}

static int cmd_status(void)
{
	static const char *const states[] = { "appIDLE", "appDETACH",
		"dfuIDLE", "dfuDNLOAD-SYNC", "dfuDNBUSY", "dfuDNLOAD-IDLE",
		"dfuMANIFEST-SYNC", "dfuMANIFEST", "dfuMANIFEST-WAIT-RESET",
		"dfuUPLOAD-IDLE", "dfuERROR" };
	struct dfuse_status st = { .argsz = sizeof(st) };
	const struct nl_alt *alt;
	struct nl_device dev;
	int ret, fd;

	ret = open_selected(&dev, &alt, &fd, O_RDONLY);
	if (ret)
		return ret;
	if (ioctl(fd, DFUSE_IOC_GET_STATUS, &st) < 0) {
		ret = report(fd, &dev, alt, "get status", 0, errno);
	} else if (opt.json) {
		printf("{\"device\":%u,\"state\":%u,\"status\":%u,\"poll_timeout\":%u,\"last_errno\":%d,\"last_status\":%u,\"last_address\":%u,\"last_string\":",
		       dev.number, st.state, st.status, st.poll_timeout,
		       st.last_errno, st.last_status, st.last_address);
		json_str(st.last_string);
		printf("}\n");
	} else {
		printf("dfuse%u: state %s, status %u, poll timeout %u ms\n",
		       dev.number, st.state <= 10 ? states[st.state] : "?",
		       st.status, st.poll_timeout);
		if (st.last_errno)
			printf("last error: %s, DFU status %u at 0x%08x%s%s\n",
			       strerror(-st.last_errno), st.last_status,
			       st.last_address, st.last_string[0] ? ": " : "",
			       st.last_string);
	}
	close(fd);
	return ret;
}

static int cmd_wait(void)
{
	struct nl_device dev;
	int ms = opt.timeout < 0 ? 30000 : opt.timeout * 1000;

	for (;; ms -= 200) {
		struct nl_device all[64];
		int n = nl_list(all, 64), i, found = 0;

		for (i = 0; i < n; i++)
			found += !opt.sel.serial || !strcmp(opt.sel.serial, all[i].serial);
		if (found) {
			select_board(&opt.sel, &dev);
			say("dfuse%u is here\n", dev.number);
			return 0;
		}
		if (ms <= 0) {
			fprintf(stderr, "dfuse: no matching board appeared\n");
			return EX_UNAVAILABLE;
		}
		usleep(200000);
	}
}

/* The application restarts in its bootloader; we wait for that board. */
static int cmd_detach(void)
{
	unsigned int n;
	int ret = detach_and_wait(opt.sel.serial,
				  opt.timeout < 0 ? 10000 : opt.timeout * 1000,
				  &n);

	if (!ret)
		say("detached: the bootloader is dfuse%u\n", n);
	return ret;
}

static int cmd_release(void)
{
	struct nl_device dev;
	int ret = select_board(&opt.sel, &dev);

	return ret ? ret : lab_release(dev.usb_path);
}

/* Does every element of @img already sit in @dev's memory? */
static int board_holds(const struct nl_device *dev, const struct image *img)
{
	size_t i;

	for (i = 0; i < img->nr_elements; i++) {
		const struct image_element *e = &img->elements[i];
		const struct nl_alt *a = img->format == IMAGE_DFUSE ?
			alt_by_setting(dev, img->targets[e->target].alt) :
			select_alt(dev, opt.sel.alt);

		if (!a || !alt_writable(a, e->address, e->size) ||
		    alt_holds(a, e->address, e->data, e->size) != 1)
			return 0;
	}
	return 1;
}

/*
 * Run by dfuse-autoflash@.service for a board that appeared: one line a
 * result, for the journal. Nothing is written unless the configuration
 * and the image both check out.
 */
static int cmd_autoflash(void)
{
	const char *config = opt.config ? opt.config : AUTOFLASH_CONFIG;
	struct autoflash_entry e;
	struct nl_device dev;
	struct image img;
	char why[600], *args[1];
	int ret, r;

	if (!opt.sel.path && !opt.sel.serial) {
		fprintf(stderr, "usage: dfuse autoflash (--path P | --serial S) [--config FILE]\n");
		return EX_USAGE;
	}
	ret = select_board(&opt.sel, &dev);
	if (ret)
		return ret;
	r = autoflash_find(config, &dev, &e, why, sizeof(why));
	if (r < 0) {
		printf("autoflash %s: %s; nothing written\n", dev.usb_path, why);
		return EX_CONFIG;
	}
	if (!r) {
		printf("autoflash %s: no entry of %s matches serial %s, %04x:%04x; nothing written\n",
		       dev.usb_path, config, dev.serial, dev.vendor, dev.product);
		return EX_OK;
	}
	opt.address = e.address;
	opt.has_address = e.has_address;
	opt.user_address = e.has_address;
	opt.verify = e.verify;
	opt.leave = e.leave;
	ret = load(e.image, &img);
	if (ret) {
		printf("autoflash %s: %s (%s:%d) cannot be used; nothing written\n",
		       dev.usb_path, e.image, config, e.line);
		return ret;
	}
	if (!e.reflash_always && board_holds(&dev, &img)) {
		image_free(&img);
		printf("autoflash %s: already holds %s; not flashed again\n",
		       dev.usb_path, e.image);
		return EX_OK;
	}
	image_free(&img);
	printf("autoflash %s: flashing %s (%s:%d)\n", dev.usb_path, e.image,
	       config, e.line);
	fflush(stdout);
	args[0] = e.image;
	ret = cmd_flash(args, 1);
	printf("autoflash %s: %s %s\n", dev.usb_path,
	       ret ? "FAILED to flash" : "flashed", e.image);
	return ret;
}

/* A whole number (base 0) up to @max: 0, or -1 for anything else. */
static int pack_number(const char *s, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (!*s || *s == '-' || *s == '+' || *end || errno || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int cmd_pack(char **args, int nargs)
{
	unsigned int addr;
	struct image img;
	uint8_t *out;
	size_t len;
	FILE *f;
	int i, ret = 0;
	char err[256];

	if (!opt.output || nargs < 1) {
		fprintf(stderr, "usage: dfuse pack -o OUT.dfu [--vid V --pid P --bcd B] [--alt N] ADDR:FILE ...\n");
		return EX_USAGE;
	}
	memset(&img, 0, sizeof(img));
	img.vid = opt.vid < 0 ? IMAGE_ANY_ID : opt.vid;
	img.pid = opt.pid < 0 ? IMAGE_ANY_ID : opt.pid;
	img.bcd_device = opt.bcd < 0 ? IMAGE_ANY_ID : opt.bcd;
	for (i = 0; i < nargs && !ret; i++) {
		unsigned int alt = opt.sel.alt ? (unsigned int)atoi(opt.sel.alt) : 0, t;
		char *colon = strchr(args[i], ':'), *at = strrchr(args[i], '@');
		struct image part;

		if (!colon) {
			fprintf(stderr, "dfuse: pack: \"%s\" is not ADDR:FILE[@ALT]\n", args[i]);
			ret = EX_USAGE;
			break;
		}
		*colon = '\0';
		if (at && at > colon && access(colon + 1, R_OK)) {
			*at = '\0';	/* FILE@ALT: this element's alternate setting */
			if (pack_number(at + 1, 255, &alt)) {
				fprintf(stderr, "dfuse: pack: \"%s\" is not an alt setting (0..255)\n", at + 1);
				ret = EX_USAGE;
				break;
			}
		}
		/* dfuse-pack's form: ADDR@ALT:FILE */
		at = strchr(args[i], '@');
		if (at) {
			*at = '\0';
			if (pack_number(at + 1, 255, &alt)) {
				fprintf(stderr, "dfuse: pack: \"%s\" is not an alt setting (0..255)\n", at + 1);
				ret = EX_USAGE;
				break;
			}
		}
		if (strncasecmp(args[i], "0x", 2) ||
		    pack_number(args[i], 0xffffffffu, &addr)) {
			fprintf(stderr, "dfuse: pack: \"%s\" is not an address (0x followed by hex digits)\n",
				args[i]);
			ret = EX_USAGE;
			break;
		}
		for (t = 0; t < img.nr_targets && img.targets[t].alt != alt; t++)
			;
		if (t == img.nr_targets) {
			if (t == IMAGE_MAX_TARGETS) {
				ret = EX_USAGE;
				break;
			}
			img.targets[t].alt = (uint8_t)alt;
			img.targets[t].named = 1;
			snprintf(img.targets[t].name, sizeof(img.targets[t].name), "ST...");
			img.nr_targets++;
		}
		if (image_load(colon + 1, IMAGE_RAW, addr, &part, err, sizeof(err))) {
			fprintf(stderr, "dfuse: %s: %s\n", colon + 1, err);
			ret = EX_NOINPUT;
			break;
		}
		/* move the element into the packed image */
		part.elements[0].target = t;
		img.elements = realloc(img.elements, (img.nr_elements + 1) *
				       sizeof(*img.elements));
		img.elements[img.nr_elements++] = part.elements[0];
		free(part.elements);
	}
	if (!ret && image_check_overlaps(&img, err, sizeof(err))) {
		fprintf(stderr, "dfuse: pack: %s\n", err);
		ret = EX_DATAERR;
	}
	if (!ret && !image_write_dfuse(&img, &out, &len)) {
		f = fopen(opt.output, "wb");
		if (!f || fwrite(out, 1, len, f) != len || fclose(f)) {
			fprintf(stderr, "dfuse: %s: %s\n", opt.output, strerror(errno));
			ret = EX_CANTCREAT;
		}
		free(out);
	}
	image_free(&img);
	return ret;
}

static int cmd_unpack(char **args, int nargs)
{
	struct image img;
	size_t i;
	int ret;

	if (nargs != 1 || !opt.output) {
		fprintf(stderr, "usage: dfuse unpack FILE -o DIR\n");
		return EX_USAGE;
	}
	ret = load(args[0], &img);
	if (ret)
		return ret;
	mkdir(opt.output, 0755);
	for (i = 0; i < img.nr_elements && !ret; i++) {
		const struct image_element *e = &img.elements[i];
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/alt%u-0x%08x.bin", opt.output,
			 img.targets[e->target].alt, e->address);
		f = fopen(path, "wb");
		if (!f || fwrite(e->data, 1, e->size, f) != e->size || fclose(f)) {
			fprintf(stderr, "dfuse: %s: %s\n", path, strerror(errno));
			ret = EX_CANTCREAT;
		} else {
			printf("%s\n", path);
		}
	}
	image_free(&img);
	return ret;
}

static void print_device(const struct nl_device *d)
{
	unsigned int i;

	if (opt.json) {
		printf("{\"device\":%u,\"serial\":", d->number);
		json_str(d->serial);
		printf(",\"usb_path\":");
		json_str(d->usb_path);
		printf(",\"vendor\":\"%04x\",\"product\":\"%04x\",\"bcd_device\":\"%04x\",\"transfer_size\":%u,\"alts\":[",
		       d->vendor, d->product, d->bcd_device, d->transfer_size);
		for (i = 0; i < d->nr_alts; i++) {
			const struct nl_alt *a = &d->alt[i];
			char copy[1024], *save, *line;
			int first = 1;

			printf("%s{\"alt\":%u,\"name\":", i ? "," : "", a->setting);
			json_str(a->name);
			printf(",\"node\":\"/dev/%s\",\"base\":%u,\"size\":%llu,\"segments\":[",
			       a->node, a->base, (unsigned long long)a->size);
			snprintf(copy, sizeof(copy), "%s", a->segments);
			for (line = strtok_r(copy, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save), first = 0) {
				printf("%s", first ? "" : ",");
				json_str(line);
			}
			printf("]}");
		}
		printf("]}");
		return;
	}
	printf("dfuse%u  %04x:%04x  serial %s  usb %s\n", d->number, d->vendor,
	       d->product, d->serial[0] ? d->serial : "-", d->usb_path);
	for (i = 0; i < d->nr_alts; i++) {
		const struct nl_alt *a = &d->alt[i];
		char copy[1024], *save, *line;

		printf("  /dev/%s  alt %u  \"%s\"  0x%08x  %llu bytes\n", a->node,
		       a->setting, a->name, a->base, (unsigned long long)a->size);
		snprintf(copy, sizeof(copy), "%s", a->segments);
		for (line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			printf("      %s\n", line);
	}
}

static int cmd_list(void)
{
	static struct nl_device devs[64];
	int i, n = nl_list(devs, 64), released;

	if (n < 0)
		return n == -ENOENT ? EX_UNAVAILABLE : EX_OSERR;
	if (opt.json)
		putchar('[');
	for (i = 0; i < n; i++) {
		if (opt.json && i)
			putchar(',');
		print_device(&devs[i]);
	}
	released = lab_print_released(opt.json, n > 0);
	if (opt.json)
		printf("]\n");
	else if (!n && !released)
		printf("no DfuSe board found\n");
	return EX_OK;
}

static int print_event(const struct nl_event *ev, void *arg)
{
	(void)arg;
	if (!ev) {
		fprintf(stderr, "dfuse: monitoring board events\n");
		return 0;
	}
	if (opt.json) {
		printf("{\"event\":\"%s\",\"device\":%u,\"serial\":",
		       nl_cmd_name(ev->cmd), ev->dev.number);
		json_str(ev->dev.serial);
		if (ev->op)
			printf(",\"op\":\"%s\",\"alt\":%d,\"done\":%llu,\"total\":%llu,\"errno\":%d",
			       nl_op_name(ev->op), ev->alt,
			       (unsigned long long)ev->done,
			       (unsigned long long)ev->total, ev->err);
		printf("}\n");
	} else if (ev->cmd == DFUSE_CMD_ERROR) {
		printf("dfuse%u error %s alt=%d at 0x%08x: %s (DFU status %d, state %d)%s%s\n",
		       ev->dev.number, nl_op_name(ev->op), ev->alt, ev->address,
		       strerror(-ev->err), ev->dfu_status, ev->dfu_state,
		       ev->error_string[0] ? ": " : "", ev->error_string);
	} else if (ev->op) {
		printf("dfuse%u %s %s alt=%d %llu/%llu%s%s\n", ev->dev.number,
		       nl_cmd_name(ev->cmd), nl_op_name(ev->op), ev->alt,
		       (unsigned long long)ev->done,
		       (unsigned long long)ev->total,
		       ev->cmd == DFUSE_CMD_OP_FINISHED ?
		       (ev->err ? " failed: " : " ok") : "",
		       ev->cmd == DFUSE_CMD_OP_FINISHED && ev->err ?
		       strerror(-ev->err) : "");
	} else {
		printf("dfuse%u %s serial=%s usb=%s\n", ev->dev.number,
		       nl_cmd_name(ev->cmd), ev->dev.serial, ev->dev.usb_path);
	}
	fflush(stdout);
	return opt.count > 0 && --opt.count == 0;
}

static int cmd_monitor(void)
{
	return nl_monitor(print_event, NULL, opt.timeout < 0 ? -1 :
			  opt.timeout * 1000) ? EX_UNAVAILABLE : EX_OK;
}

static const struct command {
	const char *name, *usage;
} commands[] = {
	{ "list", "list [--json]: every DfuSe board, its alt settings, maps and nodes" },
	{ "info", "info FILE [--address X] [--json]: what an image holds" },
	{ "flash", "flash FILE [--alt A] [--address X] [--no-verify] [--leave[=ADDR]] [--force] [--option-bytes] [--detach]" },
	{ "read", "read [--alt A] [--address X --length N] -o FILE" },
	{ "erase", "erase (--mass | --address X --length N) [--alt A]" },
	{ "unprotect", "unprotect [--yes]: remove read protection (erases the flash)" },
	{ "leave", "leave [ADDR]: leave DFU mode, jumping to ADDR if given" },
	{ "status", "status [--json]: DFU state and the last error with the device's text" },
	{ "wait", "wait [--serial S] [--timeout S]: until a matching board appears" },
	{ "detach", "detach [--serial S] [--timeout S]: restart an application with a DfuSe runtime interface in its bootloader" },
	{ "release", "release [selection]: unbind a board from dfuse for dfu-util or STM32CubeProgrammer" },
	{ "bind", "bind [--path P]: give a released board back to dfuse" },
	{ "autoflash", "autoflash (--path P | --serial S) [--config FILE]: flash what autoflash.conf says for this board" },
	{ "udev-env", "udev-env SYSPATH: udev properties of a /dev/dfuse node (for the udev rules)" },
	{ "monitor", "monitor [--count N] [--timeout S] [--json]: board and progress events" },
	{ "pack", "pack -o OUT.dfu [--vid V --pid P --bcd B] [--alt N] ADDR:FILE[@ALT] ..." },
	{ "unpack", "unpack FILE -o DIR: one .bin per element" },
};

static void usage(FILE *f, const char *cmd)
{
	size_t i;

	if (!cmd)
		fprintf(f, "usage: dfuse COMMAND [options]   (dfuse help COMMAND)\n"
			"board selection: --device /dev/dfuseN.M, --serial S, --path BUS-PORT, --id VID:PID;\n"
			"output: --json, -q, -v, --progress=bar|lines|none\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!cmd || !strcmp(cmd, commands[i].name))
			fprintf(f, "  %s\n", commands[i].usage);
}

static bool is_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return true;
	return false;
}

static int id16(const char *s, const char *what)
{
	uint32_t v = number(s, what);

	if (v > 0xffff) {
		fprintf(stderr, "dfuse: %s: 0x%x does not fit in 16 bits\n", what, v);
		exit(EX_USAGE);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	enum { O_ADDRESS = 256, O_LENGTH, O_FORMAT, O_NO_VERIFY, O_VERIFY,
	       O_LEAVE, O_FORCE, O_MASS, O_YES, O_TIMEOUT, O_COUNT, O_VID,
	       O_PID, O_BCD, O_OPTBYTES, O_RDP2, O_JSON, O_PROGRESS, O_DETACH,
	       O_CONFIG };
	static const struct option opts[] = {
		{ "device", 1, 0, 'D' }, { "serial", 1, 0, 's' },
		{ "path", 1, 0, 'p' }, { "id", 1, 0, 'd' },
		{ "alt", 1, 0, 'a' }, { "output", 1, 0, 'o' },
		{ "quiet", 0, 0, 'q' }, { "verbose", 0, 0, 'v' },
		{ "address", 1, 0, O_ADDRESS }, { "length", 1, 0, O_LENGTH },
		{ "format", 1, 0, O_FORMAT }, { "no-verify", 0, 0, O_NO_VERIFY },
		{ "verify", 0, 0, O_VERIFY }, { "leave", 2, 0, O_LEAVE },
		{ "force", 0, 0, O_FORCE }, { "mass", 0, 0, O_MASS },
		{ "yes", 0, 0, O_YES }, { "timeout", 1, 0, O_TIMEOUT },
		{ "count", 1, 0, O_COUNT }, { "vid", 1, 0, O_VID },
		{ "pid", 1, 0, O_PID }, { "bcd", 1, 0, O_BCD },
		{ "option-bytes", 0, 0, O_OPTBYTES },
		{ "i-understand-rdp2-is-permanent", 0, 0, O_RDP2 },
		{ "json", 0, 0, O_JSON }, { "progress", 1, 0, O_PROGRESS },
		{ "detach", 0, 0, O_DETACH }, { "config", 1, 0, O_CONFIG },
		{ "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};
	const char *cmd;
	int c;

	if (argc < 2) {
		usage(stderr, NULL);
		return EX_USAGE;
	}
	cmd = argv[1];
	/* the conventions: dfuse -h, --help, -V, --version */
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		cmd = "help";
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version"))
		cmd = "version";
	optind = 2;
	while ((c = getopt_long(argc, argv, "D:s:p:d:a:o:qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'D': opt.sel.node = optarg; break;
		case 's': opt.sel.serial = optarg; break;
		case 'p': opt.sel.path = optarg; break;
		case 'd':
			if (sscanf(optarg, "%x:%x", &opt.sel.vid, &opt.sel.pid) != 2) {
				fprintf(stderr, "dfuse: --id takes VID:PID in hex\n");
				return EX_USAGE;
			}
			break;
		case 'a': opt.sel.alt = optarg; break;
		case 'o': opt.output = optarg; break;
		case 'q': opt.quiet = 1; break;
		case 'v': opt.verbose = 1; break;
		case O_ADDRESS:
			opt.address = number(optarg, "--address");
			opt.has_address = 1;
			opt.user_address = 1;
			break;
		case O_LENGTH:
			opt.length = number(optarg, "--length");
			opt.has_length = 1;
			break;
		case O_FORMAT: opt.format = optarg; break;
		case O_NO_VERIFY: opt.verify = 0; break;
		case O_VERIFY: opt.verify = 1; break;
		case O_LEAVE:
			opt.leave = 1;
			if (optarg) {
				opt.leave_addr = number(optarg, "--leave");
				opt.has_leave_addr = 1;
			}
			break;
		case O_FORCE: opt.force = 1; break;
		case O_DETACH: opt.detach = 1; break;
		case O_CONFIG: opt.config = optarg; break;
		case O_MASS: opt.mass = 1; break;
		case O_YES: opt.yes = 1; break;
		case O_TIMEOUT:
			opt.timeout = (int)number(optarg, "--timeout");
			/* seconds, times 1000 in places: a day is plenty */
			if (opt.timeout < 0 || opt.timeout > 86400) {
				fprintf(stderr, "dfuse: --timeout: %s s is more than a day (86400)\n", optarg);
				return EX_USAGE;
			}
			break;
		case O_COUNT: opt.count = (int)number(optarg, "--count"); break;
		case O_VID: opt.vid = id16(optarg, "--vid"); break;
		case O_PID: opt.pid = id16(optarg, "--pid"); break;
		case O_BCD: opt.bcd = id16(optarg, "--bcd"); break;
		case O_OPTBYTES: opt.option_bytes = 1; break;
		case O_RDP2: opt.rdp2_ok = 1; break;
		case O_JSON: opt.json = 1; break;
		case O_PROGRESS:
			if (!strcmp(optarg, "bar")) {
				opt.progress = PROGRESS_BAR;
			} else if (!strcmp(optarg, "lines")) {
				opt.progress = PROGRESS_LINES;
			} else if (!strcmp(optarg, "none")) {
				opt.progress = PROGRESS_NONE;
			} else {
				fprintf(stderr, "dfuse: --progress takes bar, lines or none\n");
				return EX_USAGE;
			}
			break;
		case 'h': usage(stdout, cmd); return EX_OK;
		default: usage(stderr, cmd); return EX_USAGE;
		}
	}
	argv += optind;
	argc -= optind;

	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "monitor"))
		return cmd_monitor();
	if (!strcmp(cmd, "info"))
		return cmd_info(argv, argc);
	if (!strcmp(cmd, "flash"))
		return cmd_flash(argv, argc);
	if (!strcmp(cmd, "read"))
		return cmd_read();
	if (!strcmp(cmd, "erase"))
		return cmd_erase();
	if (!strcmp(cmd, "unprotect"))
		return cmd_unprotect();
	if (!strcmp(cmd, "leave"))
		return cmd_leave(argv, argc);
	if (!strcmp(cmd, "status"))
		return cmd_status();
	if (!strcmp(cmd, "wait"))
		return cmd_wait();
	if (!strcmp(cmd, "detach"))
		return cmd_detach();
	if (!strcmp(cmd, "release"))
		return cmd_release();
	if (!strcmp(cmd, "bind"))
		return lab_bind(opt.sel.path);
	if (!strcmp(cmd, "autoflash"))
		return cmd_autoflash();
	if (!strcmp(cmd, "udev-env")) {
		if (argc != 1) {
			fprintf(stderr, "usage: dfuse udev-env SYSPATH\n");
			return EX_USAGE;
		}
		return lab_udev_env(argv[0]);
	}
	if (!strcmp(cmd, "pack"))
		return cmd_pack(argv, argc);
	if (!strcmp(cmd, "unpack"))
		return cmd_unpack(argv, argc);
	if (!strcmp(cmd, "version")) {
		printf("dfuse %s\n", DFUSE_TOOL_VERSION);
		return EX_OK;
	}
	if (!strcmp(cmd, "help")) {
		if (argc && !is_command(argv[0])) {
			fprintf(stderr, "dfuse: help: no command '%s'\n", argv[0]);
			usage(stderr, NULL);
			return EX_USAGE;
		}
		usage(stdout, argc ? argv[0] : NULL);
		return EX_OK;
	}
	fprintf(stderr, "dfuse: unknown command '%s'\n", cmd);
	usage(stderr, NULL);
	return EX_USAGE;
}
