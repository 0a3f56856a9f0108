// SPDX-License-Identifier: GPL-2.0
/*
 * Commands on one board: flash, read, erase, unprotect, leave, status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * Elements that share an erase page go as one run, the bytes between them
 * read from the board: the page is erased at most once, not once per
 * element (a HEX file with gaps would otherwise wear a sector once per
 * record). Only neighbours in file order are joined; a gap that cannot be
 * read leaves them apart.
 */
static void join_page_sharers(struct image *img, const struct nl_alt **alts)
{
	size_t i = 0;
	int fd = -1, fd_alt = -1;

	while (i + 1 < img->nr_elements) {
		struct image_element *a = &img->elements[i], *b = a + 1;
		uint32_t end = a->address + a->size, gap;
		uint8_t *data;

		if (alts[i] != alts[i + 1] || is_option_bytes(alts[i]) ||
		    b->address < end || b->address >= alt_page_end(alts[i], end - 1)) {
			i++;
			continue;
		}
		if (fd_alt != (int)alts[i]->setting) {
			if (fd >= 0)
				close(fd);
			fd = open_alt(alts[i], O_RDONLY);
			fd_alt = alts[i]->setting;
		}
		gap = b->address - end;
		data = fd < 0 ? NULL : realloc(a->data, (size_t)a->size + gap + b->size);
		if (!data) {
			i++;
			continue;
		}
		a->data = data;
		if (gap && pread(fd, data + a->size, gap, (off_t)(end - alts[i]->base)) != (ssize_t)gap) {
			i++;
			continue;
		}
		memcpy(data + a->size + gap, b->data, b->size);
		a->size += gap + b->size;
		free(b->data);
		img->nr_elements--;
		memmove(b, b + 1, (img->nr_elements - i - 1) * sizeof(*b));
		memmove(&alts[i + 1], &alts[i + 2], (img->nr_elements - i - 1) * sizeof(*alts));
	}
	if (fd >= 0)
		close(fd);
}

int cmd_flash(char **args, int nargs)
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
	join_page_sharers(&img, alts);
	for (i = 0, total = 0; i < img.nr_elements; i++) {
		total += img.elements[i].size;
		if (is_option_bytes(alts[i]))
			ob = (int)i;	/* never joined, but it may have moved */
	}

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
		} else if (!ret && opt.verify && !write_verified(alts[i])) {
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

int cmd_read(void)
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

int simple_ioctl(const char *what, unsigned long cmd)
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

/*
 * An operation that destroys the whole flash runs only on purpose: --yes,
 * or "y" typed at a terminal. 0 to go on, else the exit code.
 */
static int confirmed(const char *what, const char *question)
{
	char answer[16] = "";

	if (opt.yes)
		return 0;
	if (!isatty(0)) {
		fprintf(stderr, "dfuse: %s erases the whole flash; confirm with --yes\n", what);
		return EX_USAGE;
	}
	fprintf(stderr, "%s Continue? [y/N] ", question);
	if (!fgets(answer, sizeof(answer), stdin) ||
	    (answer[0] != 'y' && answer[0] != 'Y')) {
		fprintf(stderr, "dfuse: %s not confirmed; nothing erased\n", what);
		return EX_TEMPFAIL;
	}
	return 0;
}

int cmd_erase(void)
{
	const struct nl_alt *alt;
	struct nl_device dev;
	int ret, fd, err;

	if (opt.mass) {
		ret = confirmed("erase --mass", "A mass erase erases the whole flash.");
		return ret ? ret : simple_ioctl("mass erase", DFUSE_IOC_MASS_ERASE);
	}
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

int cmd_unprotect(void)
{
	int ret = confirmed("unprotect", "Removing read protection erases the whole flash.");

	if (!ret)
		ret = simple_ioctl("read unprotect", DFUSE_IOC_UNPROTECT);
	if (!ret)	/* the ioctl returns when the ROM took the request */
		say("the part now erases its flash and resets; it comes back unprotected as a new board (dfuse wait)\n");
	return ret;
}

int cmd_leave(char **args, int nargs)
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

int cmd_status(void)
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
