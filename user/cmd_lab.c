// SPDX-License-Identifier: GPL-2.0
/*
 * Commands for many boards and lab machines: list, wait, monitor, detach,
 * release, autoflash.
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
#include "autoflash_conf.h"
#include "journal.h"
#include "lab.h"
#include "nl.h"

int cmd_list(void)
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

int cmd_wait(void)
{
	struct nl_device dev;
	int ms = opt.timeout < 0 ? 30000 : opt.timeout * 1000;

	for (;; ms -= 200) {
		int ret;

		/* every selector counts: --serial, --path, --id and --device */
		if (boards_matching(&opt.sel) > 0) {
			ret = select_board(&opt.sel, &dev);
			if (!ret)
				say("dfuse%u is here\n", dev.number);
			return ret;
		}
		if (ms <= 0) {
			fprintf(stderr, "dfuse: no matching board appeared\n");
			return EX_UNAVAILABLE;
		}
		usleep(200000);
	}
}

int cmd_monitor(void)
{
	return nl_monitor(print_event, NULL, opt.timeout < 0 ? -1 :
			  opt.timeout * 1000) ? EX_UNAVAILABLE : EX_OK;
}

/* The application restarts in its bootloader; we wait for that board. */
int cmd_detach(void)
{
	unsigned int n;
	int ret = detach_and_wait(opt.sel.serial,
				  opt.timeout < 0 ? 10000 : opt.timeout * 1000,
				  &n);

	if (!ret)
		say("detached: the bootloader is dfuse%u\n", n);
	return ret;
}

int cmd_release(void)
{
	struct nl_device dev;
	int ret = select_board(&opt.sel, &dev);

	return ret ? ret : lab_release(dev.usb_path);
}

/* Does every element of @img already sit in @dev's memory? */
int board_holds(const struct nl_device *dev, const struct image *img)
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
/*
 * autoflash --check: the config's syntax and every image it names, with
 * no board: what the unit would refuse at plug-in time, said now. The
 * exit code is the first failure's (EX_CONFIG for the config itself).
 */
static int autoflash_check(const char *config)
{
	static struct autoflash_entry all[AUTOFLASH_MAX];
	char why[600];
	int i, n = autoflash_read(config, all, AUTOFLASH_MAX, why, sizeof(why));
	int ret = EX_OK, r;
	struct image img;

	if (n < 0) {
		fprintf(stderr, "dfuse: autoflash: %s\n", why);
		return EX_CONFIG;
	}
	for (i = 0; i < n; i++) {
		opt.address = all[i].address;
		opt.has_address = opt.user_address = all[i].has_address;
		r = autoflash_check_pin(&all[i]);
		if (!r)
			r = load(all[i].image, &img);
		if (r) {
			printf("%s:%d: %s=%s: %s cannot be used (above)\n", all[i].file,
			       all[i].line, all[i].key, all[i].value, all[i].image);
			ret = ret ? ret : r;
			continue;
		}
		printf("%s:%d: %s=%s: %s, %s, %llu bytes in %zu element%s from 0x%08x%s\n",
		       all[i].file, all[i].line, all[i].key, all[i].value,
		       all[i].image, image_format_name(img.format),
		       (unsigned long long)image_total(&img), img.nr_elements,
		       img.nr_elements == 1 ? "" : "s",
		       img.nr_elements ? img.elements[0].address : 0,
		       all[i].sha256[0] ? ", SHA-256 as pinned" : "");
		image_free(&img);
	}
	printf("%s: %d entr%s, %s\n", config, n, n == 1 ? "y" : "ies",
	       ret ? "NOT all usable" : "all usable");
	return ret;
}


int cmd_autoflash(void)
{
	const char *config = opt.config ? opt.config : AUTOFLASH_CONFIG;
	struct autoflash_entry e;
	struct nl_device dev;
	struct image img;
	struct autoflash_result res = { 0 };
	char why[600], id[16], *args[1];
	int ret, r;

	if (opt.check)
		return autoflash_check(config);
	if (!opt.sel.path && !opt.sel.serial) {
		fprintf(stderr, "usage: dfuse autoflash (--path P | --serial S | --check) [--config FILE]\n");
		return EX_USAGE;
	}
	/*
	 * Started from the uevent of the board's first node: this driver
	 * sends it once the board is listed, but a unit started by hand
	 * or by a rule of another event may be early; give it 5 s.
	 */
	for (r = 0; r < 50 && boards_matching(&opt.sel) <= 0; r++)
		usleep(100000);
	ret = select_board(&opt.sel, &dev);
	if (ret)
		return ret;
	snprintf(id, sizeof(id), "%04x:%04x", dev.vendor, dev.product);
	res.usb_path = dev.usb_path;
	res.serial = dev.serial;
	res.id = id;
	r = autoflash_find(config, &dev, &e, why, sizeof(why));
	if (r < 0) {
		res.result = "config-error";
		res.failed = true;
		autoflash_report(&res, "autoflash %s: %s; nothing written", dev.usb_path, why);
		return EX_CONFIG;
	}
	if (!r) {
		res.result = "no-entry";
		autoflash_report(&res, "autoflash %s: no entry of %s matches serial %s, %s; nothing written",
				 dev.usb_path, config, dev.serial, id);
		return EX_OK;
	}
	res.image = e.image;
	opt.address = e.address;
	opt.has_address = e.has_address;
	opt.user_address = e.has_address;
	opt.verify = e.verify;
	opt.leave = e.leave;
	ret = autoflash_check_pin(&e);
	if (!ret)
		ret = load(e.image, &img);
	if (ret) {
		res.result = "image-error";
		res.failed = true;
		autoflash_report(&res, "autoflash %s: %s (%s:%d) cannot be used; nothing written",
				 dev.usb_path, e.image, e.file, e.line);
		return ret;
	}
	if (!e.reflash_always && board_holds(&dev, &img)) {
		image_free(&img);
		res.result = "unchanged";
		autoflash_report(&res, "autoflash %s: already holds %s; not flashed again",
				 dev.usb_path, e.image);
		return EX_OK;
	}
	image_free(&img);
	res.result = "started";
	autoflash_report(&res, "autoflash %s: flashing %s (%s:%d)", dev.usb_path, e.image,
			 e.file, e.line);
	args[0] = e.image;
	ret = cmd_flash(args, 1);
	res.result = ret ? "failed" : "flashed";
	res.failed = ret;
	autoflash_report(&res, "autoflash %s: %s %s", dev.usb_path,
			 ret ? "FAILED to flash" : "flashed", e.image);
	return ret;
}
