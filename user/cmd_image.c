// SPDX-License-Identifier: GPL-2.0
/*
 * Commands on image files, no board needed: info, pack, unpack.
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
#include "pack_arg.h"

int cmd_info(char **args, int nargs)
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

static int readable(const char *path)
{
	return !access(path, R_OK);
}

int cmd_pack(char **args, int nargs)
{
	unsigned int addr;
	struct image img;
	uint8_t *out;
	size_t len;
	FILE *f;
	int i, r, ret = 0;
	char err[256];

	if (!opt.output || nargs < 1) {
		fprintf(stderr, "usage: dfuse pack -o OUT.dfu [--vid V --pid P --bcd B] [--alt N] ADDR:FILE ...\n");
		return EX_USAGE;
	}
	if (opt.sel.alt && (strspn(opt.sel.alt, "0123456789") != strlen(opt.sel.alt) ||
			    !*opt.sel.alt || atoi(opt.sel.alt) > 255)) {
		fprintf(stderr, "dfuse: pack: --alt \"%s\": a number 0..255 (pack needs no board, so no alt names)\n",
			opt.sel.alt);
		return EX_USAGE;
	}
	memset(&img, 0, sizeof(img));
	img.vid = opt.vid < 0 ? IMAGE_ANY_ID : opt.vid;
	img.pid = opt.pid < 0 ? IMAGE_ANY_ID : opt.pid;
	img.bcd_device = opt.bcd < 0 ? IMAGE_ANY_ID : opt.bcd;
	for (i = 0; i < nargs && !ret; i++) {
		unsigned int alt, t;
		struct pack_arg pa;
		struct image part;
		const char *why;

		if (pack_parse_arg(args[i], opt.sel.alt ? (unsigned int)atoi(opt.sel.alt) : 0,
				   readable, &pa, &why)) {
			fprintf(stderr, "dfuse: pack: \"%s\": %s\n", args[i], why);
			ret = EX_USAGE;
			break;
		}
		alt = pa.alt;
		addr = pa.address;
		for (t = 0; t < img.nr_targets && img.targets[t].alt != alt; t++)
			;
		if (t == img.nr_targets) {
			if (t == IMAGE_MAX_TARGETS) {
				fprintf(stderr, "dfuse: pack: %s@%u: more than %d alt settings in one file\n",
					pa.file, alt, IMAGE_MAX_TARGETS);
				ret = EX_USAGE;
				break;
			}
			img.targets[t].alt = (uint8_t)alt;
			img.targets[t].named = 1;
			snprintf(img.targets[t].name, sizeof(img.targets[t].name), "ST...");
			img.nr_targets++;
		}
		/* a HEX, S-record, ELF or DFU file packed as bytes would be its text */
		if (!image_load(pa.file, IMAGE_AUTO, addr, &part, err, sizeof(err))) {
			enum image_format fmt = part.format;

			image_free(&part);
			if (fmt != IMAGE_RAW) {
				fprintf(stderr, "dfuse: pack: %s is an image in %s format, not raw bytes: pack takes binaries (dfuse flash takes it as it is)\n",
					pa.file, image_format_name(fmt));
				ret = EX_DATAERR;
				break;
			}
		}
		r = image_load(pa.file, IMAGE_RAW, addr, &part, err, sizeof(err));
		if (r) {
			fprintf(stderr, "dfuse: %s: %s\n", pa.file, err);
			/* a file not there is 66; one that does not fit, 65 */
			ret = r == IMAGE_NO_INPUT ? EX_NOINPUT : EX_DATAERR;
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

int cmd_unpack(char **args, int nargs)
{
	struct image img;
	struct stat st;
	size_t i;
	int ret;

	if (nargs != 1 || !opt.output) {
		fprintf(stderr, "usage: dfuse unpack FILE -o DIR\n");
		return EX_USAGE;
	}
	ret = load(args[0], &img);
	if (ret)
		return ret;
	if (mkdir(opt.output, 0755) && errno != EEXIST) {
		fprintf(stderr, "dfuse: unpack: -o %s: %s\n", opt.output, strerror(errno));
		ret = EX_CANTCREAT;
	} else if (stat(opt.output, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "dfuse: unpack: -o %s is not a directory (unpack writes one file per element into it)\n",
			opt.output);
		ret = EX_USAGE;
	}
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
