// SPDX-License-Identifier: GPL-2.0
/*
 * "dfuse dfu-util ARGS", or dfuse run as "dfu-util": dfu-util 0.11's
 * command line (dfu_util_args.c) on the boards dfuse holds, so that build
 * systems and board farms that run dfu-util drive dfuse unchanged. Its
 * listing lines and the messages a script may match are dfu-util's; exit
 * codes are its sysexits, but a board that leaves the bus after a leave
 * without answering is a success. A board dfuse does not hold goes to
 * the real dfu-util, with the same arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "detach.h"
#include "dfu_util.h"
#include "dfu_util_args.h"

#define DU_MAX_BOARDS	64
#define REAL_DFU_UTIL	"/usr/bin/dfu-util"

/* 0.11 reads this much when neither a length nor an address is given */
#define DU_DEFAULT_UPLOAD	0x4000

static char **du_argv;

/* A sysfs attribute of the USB device at @usb_path, or -1. */
static int usb_attr(const char *usb_path, const char *name)
{
	char path[256];
	FILE *f;
	int v = -1;

	snprintf(path, sizeof(path), "/sys/bus/usb/devices/%s/%s", usb_path,
		 name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The interface number of the board's DFU interface (from its node). */
static int board_intf(const struct nl_device *d)
{
	char link[PATH_MAX], path[128];
	ssize_t n;
	char *dot;

	snprintf(path, sizeof(path), "/sys/class/dfuse/%s/device",
		 d->alt[0].node);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	dot = strrchr(link, '.');
	return dot ? atoi(dot + 1) : 0;
}

static bool id_matches(int want, unsigned int have)
{
	return want == DU_ANY || want == (int)have;
}

/* Does dfu-util's selection take alt @k of @d (a DFU-mode interface)? */
static bool matches(const struct du_args *a, const struct nl_device *d,
		    const struct nl_alt *alt)
{
	if (!id_matches(a->vendor_dfu, d->vendor) ||
	    !id_matches(a->product_dfu, d->product))
		return false;
	if (a->path && strcmp(a->path, d->usb_path))
		return false;
	if (a->has_serial_dfu && strcmp(a->serial_dfu, d->serial))
		return false;
	if (a->devnum >= 0 && a->devnum != usb_attr(d->usb_path, "devnum"))
		return false;
	if (a->cfg >= 0 && a->cfg != usb_attr(d->usb_path, "bConfigurationValue"))
		return false;
	if (a->intf >= 0 && a->intf != board_intf(d))
		return false;
	if (a->alt_index >= 0 && a->alt_index != (int)alt->setting)
		return false;
	if (a->alt_name && strcmp(a->alt_name, alt->string))
		return false;
	return true;
}

static void print_found(const struct nl_device *d, const struct nl_alt *alt)
{
	printf("Found DFU: [%04x:%04x] ver=%04x, devnum=%d, cfg=%d, intf=%d, path=\"%s\", alt=%u, name=\"%s\", serial=\"%s\"\n",
	       d->vendor, d->product, d->bcd_device,
	       usb_attr(d->usb_path, "devnum"),
	       usb_attr(d->usb_path, "bConfigurationValue"), board_intf(d),
	       d->usb_path, alt->setting, alt->string,
	       d->serial[0] ? d->serial : "UNKNOWN");
}

/*
 * dfu-util lists what it found last first: within a board, the highest
 * alternate setting first.
 */
static int list(const struct du_args *a, struct nl_device *all, int n)
{
	int i, k;

	for (i = n - 1; i >= 0; i--)
		for (k = (int)all[i].nr_alts - 1; k >= 0; k--)
			if (matches(a, &all[i], &all[i].alt[k]))
				print_found(&all[i], &all[i].alt[k]);
	return EX_OK;
}

/* Not ours: the real dfu-util, if there is one that is not us. */
static int pass_on(const char *why)
{
	char self[PATH_MAX], real[PATH_MAX];

	if (realpath(REAL_DFU_UTIL, real) && realpath("/proc/self/exe", self) &&
	    strcmp(real, self)) {
		fflush(stdout);
		du_argv[0] = (char *)"dfu-util";
		execv(REAL_DFU_UTIL, du_argv);
		fprintf(stderr, "dfuse: %s: %s\n", REAL_DFU_UTIL, strerror(errno));
	}
	fprintf(stderr, "dfu-util: %s\n", why);
	return EX_IOERR;
}

/* Boards with an alt the arguments select; the last one in @dev, @alt. */
static int matching(const struct du_args *a, struct nl_device *all, int n,
		    struct nl_device *dev, const struct nl_alt **alt)
{
	int i, k, boards = 0;

	for (i = 0; i < n; i++) {
		const struct nl_alt *first = NULL;

		for (k = 0; k < (int)all[i].nr_alts; k++)
			if (matches(a, &all[i], &all[i].alt[k]) && !first)
				first = &all[i].alt[k];
		if (first) {
			*dev = all[i];
			*alt = alt_by_setting(dev, first->setting);
			boards++;
		}
	}
	return boards;
}

/* The one board and alt the arguments select; 0 or an exit code. */
static int pick(const struct du_args *a, struct nl_device *all, int n,
		struct nl_device *dev, const struct nl_alt **alt)
{
	int boards = matching(a, all, n, dev, alt);

	if (!boards)
		return pass_on("No DFU capable USB device available");
	if (boards > 1) {
		fprintf(stderr, "dfu-util: More than one DFU capable USB device found! Try `--list' and specify the serial number or disconnect all but one device\n\n");
		return EX_IOERR;
	}
	return 0;
}

/*
 * The end of the segment ("N*SIZE" of the map) holding @addr, if it is
 * readable; else 0. Segments are the driver's lines "START NxSIZE FLAGS".
 */
static uint64_t readable_segment_end(const struct nl_alt *alt, uint32_t addr)
{
	const char *line = alt->segments;
	unsigned long long start, count, size;
	char flags[8];

	while (line && *line) {
		if (sscanf(line, "%llx %llux%llu %7s", &start, &count, &size,
			   flags) == 4 && addr >= start &&
		    addr < start + count * size)
			return strchr(flags, 'r') ? start + count * size : 0;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return 0;
}

/* -U: 0.11's lengths: the modifier, else to the end of the segment at
 * the address, else DU_DEFAULT_UPLOAD bytes from the alt's base */
static int upload(const struct du_args *a, const struct nl_alt *alt)
{
	uint32_t addr = a->has_address ? a->address : alt->base;
	uint64_t end = readable_segment_end(alt, addr);
	uint32_t len = a->length;
	int fd;

	if (a->has_address && !end) {
		fprintf(stderr, "dfu-util: Page at 0x%08x is not readable\n", addr);
		return EX_USAGE;
	}
	if (!len && a->has_address) {
		len = (uint32_t)(end - addr);
		printf("Limiting upload to end of memory segment, %u bytes\n", len);
	} else if (!len) {
		fprintf(stderr, "dfu-util: Unbound upload not supported on DfuSe devices\n");
		len = DU_DEFAULT_UPLOAD;
		printf("Limiting default upload to %u bytes\n", len);
	}
	/* dfu-util never overwrites a file */
	fd = open(a->file, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		fprintf(stderr, "dfu-util: Cannot open file %s for writing: %s\n",
			a->file, strerror(errno));
		return EX_CANTCREAT;
	}
	close(fd);
	opt.output = a->file;
	opt.address = addr;
	opt.has_address = 1;
	opt.length = len;
	opt.has_length = 1;
	return cmd_read();
}

static int download(const struct du_args *a)
{
	char *args[1] = { (char *)a->file };
	struct image img;
	char err[256] = "";
	bool dfuse_file = false;
	int r;

	if (access(a->file, R_OK)) {
		fprintf(stderr, "dfu-util: Could not open file %s for reading: %s\n",
			a->file, strerror(errno));
		return EX_NOINPUT;
	}
	r = image_load(a->file, IMAGE_AUTO, 0, &img, err, sizeof(err));
	if (r == IMAGE_NO_INPUT) {
		fprintf(stderr, "dfu-util: Could not open file %s for reading: %s\n",
			a->file, err);
		return EX_NOINPUT;
	}
	if (!r) {
		dfuse_file = img.format == IMAGE_DFUSE;
		image_free(&img);
	}
	if (dfuse_file && a->has_address) {
		fprintf(stderr, "dfu-util: This is a DfuSe file, not meant for raw download\n");
		return EX_USAGE;
	}
	if (!dfuse_file && !a->has_address) {
		fprintf(stderr, "dfu-util: Only DfuSe file version 1.1a is supported\n"
			"dfu-util: (for raw binary download, use the --dfuse-address option)\n");
		return EX_USAGE;
	}
	if (a->has_address) {
		opt.address = a->address;
		opt.has_address = opt.user_address = 1;
		opt.format = "raw";
	}
	return cmd_flash(args, 1);
}

int dfu_util_main(int argc, char **argv)
{
	static struct nl_device all[DU_MAX_BOARDS];
	const struct nl_alt *alt = NULL;
	struct nl_device dev;
	struct du_args a;
	char err[256], altno[8];
	int ret, n;

	du_argv = argv;
	ret = du_parse(argc, argv, &a, err, sizeof(err));
	if (a.help) {
		du_help();
		return EX_OK;
	}
	if (ret) {
		if (err[0] && (!strncmp(err, "Error:", 6) || !strncmp(err, "You need", 8)))
			fprintf(stderr, "%s\n", err);
		else if (err[0])
			fprintf(stderr, "dfu-util: %s\n", err);
		if (!err[0] || err[0] == 'E' || err[0] == 'Y')
			du_help();
		return ret;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("dfuse %s, with dfu-util 0.11's command line\n\n", DFUSE_TOOL_VERSION);
	if (a.mode == DU_VERSION)
		return EX_OK;
	if (a.unprotect && !a.force) {
		fprintf(stderr, "dfu-util: The read unprotect command will erase the flash memoryand can only be used with force\n\n");
		return EX_USAGE;
	}
	if (a.mass_erase && !a.force) {
		fprintf(stderr, "dfu-util: The mass erase command can only be used with force\n");
		return EX_USAGE;
	}
	if (a.wait)
		printf("Waiting for device, exit with ctrl-C\n");
	for (;;) {
		n = nl_list(all, DU_MAX_BOARDS);
		if (n < 0)
			return pass_on("No DFU capable USB device available");
		if (a.mode == DU_LIST)
			return list(&a, all, n);
		if (a.mode == DU_DETACH) {
			unsigned int number;

			if (matching(&a, all, n, &dev, &alt)) {
				printf("Device already in DFU mode\n");
				return EX_OK;
			}
			/* an application with a DfuSe runtime interface */
			return detach_and_wait(a.has_serial ? a.serial : NULL,
					       a.detach_delay * 1000, &number);
		}
		ret = pick(&a, all, n, &dev, &alt);
		if (!ret || !a.wait)
			break;
		usleep(20000);
	}
	if (ret)
		return ret;
	printf("Opening DFU capable USB device...\n");
	printf("Device ID %04x:%04x\n", dev.vendor, dev.product);

	/* the native commands, on exactly this board and alt */
	opt.sel.path = dev.usb_path;
	opt.sel.serial = NULL;
	/* a .dfu's targets go to their own alts unless -a picks one */
	snprintf(altno, sizeof(altno), "%u", alt->setting);
	opt.sel.alt = a.alt_index >= 0 || a.alt_name ? altno : NULL;
	opt.quiet = !a.verbose;
	opt.progress = PROGRESS_NONE;
	opt.leave = a.leave || a.reset;
	opt.has_leave_addr = a.leave && a.has_address;
	opt.leave_addr = a.address;

	switch (a.mode) {
	case DU_UPLOAD:
		ret = upload(&a, alt);
		if (!ret && opt.leave)
			ret = leave_board(&dev, alt, opt.has_leave_addr,
					  opt.leave_addr);
		break;
	case DU_DOWNLOAD:
		ret = download(&a);
		break;
	default:	/* -s alone: DfuSe commands */
		/* dfu-util asks for :force with these: that is the confirmation */
		opt.yes = a.force;
		if (a.unprotect) {
			ret = cmd_unprotect();
			if (!ret)
				printf("Device disconnects, erases flash and resets now\n");
			return ret;
		}
		if (a.mass_erase) {
			printf("Performing mass erase, this can take a moment\n");
			opt.mass = 1;
			ret = cmd_erase();
		}
		if (!ret)
			printf("DfuSe command mode\n");
		if (!ret && opt.leave)
			ret = leave_board(&dev, alt, opt.has_leave_addr,
					  opt.leave_addr);
		break;
	}
	if (ret)
		return ret;
	/* the lines LAVA's dfu boot method looks for */
	printf("DFU state(2) = dfuIDLE, status(0) = No error condition is present\nDone!\n");
	return EX_OK;
}
