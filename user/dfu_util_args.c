// SPDX-License-Identifier: GPL-2.0
/*
 * dfu-util 0.11's options (see dfu_util_args.h). The forms follow its
 * parser: -d takes "VID:PID[,VID:PID]" with '*' (any) and '-' (none) and
 * any text that is not hex meaning "not given"; -a is a number when all
 * of it is one, else a name; -s modifiers match as prefixes of their
 * keywords, and any other number is the upload length.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "dfu_util_args.h"

static int match_value(const char *s, int dflt)
{
	char *end;
	unsigned long v;

	if (!s)
		return dflt;
	if (*s == '*')
		return DU_ANY;
	if (*s == '-')
		return DU_NONE_ID;
	v = strtoul(s, &end, 16);
	return end == s ? dflt : (int)v;
}

/* dfu-util's parse_vendprod(): "[VID][:PID][,[VID][:PID]]" */
static void parse_ids(const char *s, struct du_args *a)
{
	const char *comma = strchr(s, ','), *colon;

	a->vendor = a->product = a->vendor_dfu = a->product_dfu = DU_ANY;
	if (comma == s) {
		/* only the DFU-mode IDs: no runtime device matches */
		a->vendor = a->product = DU_NONE_ID;
	} else {
		colon = strchr(s, ':');
		if (colon && comma && colon + 1 > comma)
			colon = NULL;
		a->vendor = match_value(s, a->vendor);
		a->product = match_value(colon ? colon + 1 : NULL, a->product);
		if (comma) {
			a->vendor_dfu = a->vendor;
			a->product_dfu = a->product;
		}
	}
	if (comma) {
		colon = strchr(comma + 1, ':');
		a->vendor_dfu = match_value(comma + 1, a->vendor_dfu);
		a->product_dfu = match_value(colon ? colon + 1 : NULL,
					     a->product_dfu);
	}
}

static void copy(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* dfu-util's parse_serial(): "RUNTIME[,DFU]", an empty part matches any */
static void parse_serial(const char *s, struct du_args *a)
{
	const char *comma = strchr(s, ',');

	copy(a->serial, sizeof(a->serial), s, comma ? (size_t)(comma - s) :
						      strlen(s));
	copy(a->serial_dfu, sizeof(a->serial_dfu), comma ? comma + 1 : s,
	     strlen(comma ? comma + 1 : s));
	a->has_serial = a->serial[0];
	a->has_serial_dfu = a->serial_dfu[0];
}

static int parse_number(const char *what, const char *s, int *out, char *err,
			size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if ((errno == ERANGE && (v == LONG_MAX || v == LONG_MIN)) ||
	    (errno && !v) || *end) {
		snprintf(err, errlen, "Something went wrong with the argument of --%s\n",
			 what);
		return EX_USAGE;
	}
	if (end == s) {
		snprintf(err, errlen, "No digits were found from the argument of --%s\n",
			 what);
		return EX_USAGE;
	}
	*out = (int)v;
	return 0;
}

int du_parse_dfuse_options(const char *s, struct du_args *a, char *err,
			   size_t errlen)
{
	static const struct { const char *word; size_t off; } words[] = {
		{ "force", offsetof(struct du_args, force) },
		{ "leave", offsetof(struct du_args, leave) },
		{ "unprotect", offsetof(struct du_args, unprotect) },
		{ "mass-erase", offsetof(struct du_args, mass_erase) },
		{ "will-reset", offsetof(struct du_args, will_reset) },
	};
	const char *p = s, *end;
	char *num_end;
	unsigned long v;
	size_t i;

	if (*p != ':') {	/* the address, possibly empty, comes first */
		end = strchrnul(p, ':');
		v = strtoul(p, &num_end, 0);
		if (num_end != end) {
			snprintf(err, errlen, "Invalid dfuse address: %s", s);
			return EX_USAGE;
		}
		a->address = (uint32_t)v;
		a->has_address = true;
		p = end;
	}
	while (*p) {
		if (*p == ':') {
			p++;
			continue;
		}
		end = strchrnul(p, ':');
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (!strncmp(p, words[i].word, (size_t)(end - p)))
				break;
		if (i < sizeof(words) / sizeof(words[0])) {
			*(bool *)((char *)a + words[i].off) = true;
		} else {
			v = strtoul(p, &num_end, 0);
			if (num_end != end) {
				snprintf(err, errlen, "Invalid dfuse modifier: %s", p);
				return EX_USAGE;
			}
			a->length = (uint32_t)v;
		}
		p = end;
	}
	return 0;
}

int du_parse(int argc, char **argv, struct du_args *a, char *err,
	     size_t errlen)
{
	static const struct option opts[] = {
		{ "help", 0, 0, 'h' }, { "version", 0, 0, 'V' },
		{ "verbose", 0, 0, 'v' }, { "list", 0, 0, 'l' },
		{ "detach", 0, 0, 'e' }, { "detach-delay", 1, 0, 'E' },
		{ "device", 1, 0, 'd' }, { "path", 1, 0, 'p' },
		{ "configuration", 1, 0, 'c' }, { "cfg", 1, 0, 'c' },
		{ "interface", 1, 0, 'i' }, { "intf", 1, 0, 'i' },
		{ "altsetting", 1, 0, 'a' }, { "alt", 1, 0, 'a' },
		{ "serial", 1, 0, 'S' }, { "transfer-size", 1, 0, 't' },
		{ "upload", 1, 0, 'U' }, { "upload-size", 1, 0, 'Z' },
		{ "download", 1, 0, 'D' }, { "reset", 0, 0, 'R' },
		{ "dfuse-address", 1, 0, 's' }, { "devnum", 1, 0, 'n' },
		/* 0.11 declares --wait with an argument; -w has none */
		{ "wait", 1, 0, 'w' },
		{ 0, 0, 0, 0 }
	};
	char *end;
	int c, ret = 0;

	memset(a, 0, sizeof(*a));
	a->detach_delay = 5;
	a->vendor = a->product = a->vendor_dfu = a->product_dfu = DU_ANY;
	a->cfg = a->intf = a->devnum = a->alt_index = -1;
	err[0] = '\0';
	optind = 0;	/* glibc: a fresh scan */
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, "hVvleE:d:p:c:i:a:S:t:U:D:Rs:Z:wn:",
					opts, NULL)) != -1) {
		switch (c) {
		case 'h': a->help = true; return 0;
		case 'V': a->mode = DU_VERSION; break;
		case 'v': a->verbose++; break;
		case 'l': a->mode = DU_LIST; break;
		case 'e': a->mode = DU_DETACH; break;
		case 'E':
			ret = parse_number("detach-delay", optarg,
					   &a->detach_delay, err, errlen);
			break;
		case 'd': parse_ids(optarg, a); break;
		case 'p': a->path = optarg; break;
		case 'c': ret = parse_number("cfg", optarg, &a->cfg, err, errlen); break;
		case 'i': ret = parse_number("intf", optarg, &a->intf, err, errlen); break;
		case 'a':
			a->alt_index = (int)strtoul(optarg, &end, 0);
			if (*end) {
				a->alt_name = optarg;
				a->alt_index = -1;
			}
			break;
		case 'n': a->devnum = atoi(optarg); break;
		case 'S': parse_serial(optarg, a); break;
		case 't':
			ret = parse_number("transfer-size", optarg,
					   &a->transfer_size, err, errlen);
			break;
		case 'U': a->mode = DU_UPLOAD; a->file = optarg; break;
		case 'Z':
			ret = parse_number("upload-size", optarg,
					   &a->upload_size, err, errlen);
			break;
		case 'D': a->mode = DU_DOWNLOAD; a->file = optarg; break;
		case 'R': a->reset = true; break;
		case 's': a->dfuse_options = optarg; break;
		case 'w': a->wait = true; break;
		default:
			return EX_USAGE;	/* the help text says it */
		}
	}
	if (ret)
		return ret;
	if (optind != argc) {
		snprintf(err, errlen, "Error: Unexpected argument: %s\n", argv[optind]);
		return EX_USAGE;
	}
	if (a->mode == DU_NONE && !a->dfuse_options && a->mode != DU_VERSION) {
		snprintf(err, errlen, "You need to specify one of -D or -U");
		return EX_USAGE;
	}
	if (a->cfg == 0)
		a->cfg = -1;	/* "-c 0": an unconfigured device, any */
	if (a->dfuse_options)
		return du_parse_dfuse_options(a->dfuse_options, a, err, errlen);
	return 0;
}

void du_help(void)
{
	fputs("usage: dfu-util [options]   (dfuse's dfu-util command line)\n"
	      "  -l, --list                 list the boards\n"
	      "  -D, --download FILE        write FILE (.dfu; raw with -s)\n"
	      "  -U, --upload FILE          read into FILE (-s ADDR[:LENGTH])\n"
	      "  -s, --dfuse-address ADDR[:leave|:force|:mass-erase|:unprotect|:will-reset|:LENGTH]\n"
	      "  -a, --alt N|NAME           alternate setting, by number or name\n"
	      "  -d, --device [VID:PID][,VID:PID]   runtime[,DFU mode] IDs, * any, - none\n"
	      "  -p, --path BUS-PORT.PORT   the board at this USB path\n"
	      "  -S, --serial S[,S_DFU]     the board with this serial number\n"
	      "  -n, --devnum N   -c, --cfg N   -i, --intf N   -t, --transfer-size N\n"
	      "  -Z, --upload-size N        bytes to read\n"
	      "  -e, --detach               detach an application into its bootloader\n"
	      "  -E, --detach-delay S       seconds to wait for it (5)\n"
	      "  -R, --reset                reset (leave DFU mode) when done\n"
	      "  -w, --wait                 wait for the board to appear\n"
	      "  -v, --verbose   -V, --version   -h, --help\n",
	      stderr);
}
