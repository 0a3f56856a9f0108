/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dfu-util 0.11's command line, parsed as its src/main.c and src/dfuse.c
 * parse it, into one structure (no board is touched here).
 */
#ifndef DFUSE_USER_DFU_UTIL_ARGS_H
#define DFUSE_USER_DFU_UTIL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

enum du_mode { DU_NONE, DU_VERSION, DU_LIST, DU_DETACH, DU_UPLOAD,
	       DU_DOWNLOAD };

#define DU_ANY		(-1)		/* an ID that matches any */
#define DU_NONE_ID	0x10000		/* an ID that matches none */

struct du_args {
	enum du_mode mode;
	bool help;
	int verbose;
	int detach_delay;		/* -E, seconds (5) */
	/* -d RUNTIME[,DFU]: each VID or PID DU_ANY, DU_NONE_ID or 0..ffff */
	int vendor, product, vendor_dfu, product_dfu;
	const char *path;		/* -p, a sysfs USB name: 1-1.2 */
	int cfg, intf, devnum;		/* -c, -i, -n; -1: any */
	int alt_index;			/* -a N; -1 with alt_name or none */
	const char *alt_name;		/* -a NAME */
	char serial[128], serial_dfu[128];	/* -S RUNTIME[,DFU]; "" any */
	bool has_serial, has_serial_dfu;
	int transfer_size, upload_size;	/* -t, -Z; 0: none */
	const char *file;		/* -D or -U */
	bool reset, wait;		/* -R, -w */
	const char *dfuse_options;	/* -s, parsed below */
	/* -s ADDRESS[:MODIFIER...] */
	bool has_address;
	uint32_t address;
	uint32_t length;		/* a number modifier: upload length */
	bool leave, force, unprotect, mass_erase, will_reset;
};

/*
 * Parse argv[1..] (argv[0] is the program's name). Return 0, or the
 * exit code dfu-util would end with (64, EX_USAGE) and its message in
 * @err ("" when it would print only its help text).
 */
int du_parse(int argc, char **argv, struct du_args *a, char *err,
	     size_t errlen);

/* The -s string alone (du_parse calls it): 0 or 64 with @err. */
int du_parse_dfuse_options(const char *s, struct du_args *a, char *err,
			   size_t errlen);

/* dfu-util's help text, to stderr as it prints it. */
void du_help(void);

#endif
