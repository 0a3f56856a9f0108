/* SPDX-License-Identifier: GPL-2.0 */
/* Picking a board among several, and talking to its nodes via ioctls. */
#ifndef DFUSE_USER_DEVICE_H
#define DFUSE_USER_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"

struct selector {
	const char *node;	/* --device /dev/dfuseN.M */
	const char *serial;	/* --serial */
	const char *path;	/* --path 1-1.2 */
	int vid, pid;		/* --id VID:PID, -1 any */
	const char *alt;	/* --alt number or name */
};

/*
 * Find the one board the selector names. Fills @dev and returns 0, or
 * prints why not (none, or several without a selector: listed) and
 * returns a sysexits code.
 */
int select_board(const struct selector *sel, struct nl_device *dev);

/* How many boards the selector matches now (none is 0); <0 without the driver. */
int boards_matching(const struct selector *sel);

/*
 * --device names an alt as well as a board: without --alt, the alt is
 * the node's (dfuse0.1: alt 1; udev's links resolved). 0, or EX_USAGE
 * with a message for a name that is no dfuse node.
 */
int selector_node_alt(struct selector *sel);

/* The alt of @dev named by @alt (number or name); NULL and a message. */
const struct nl_alt *select_alt(const struct nl_device *dev, const char *alt);
const struct nl_alt *alt_by_setting(const struct nl_device *dev,
				    unsigned int setting);

/* Is [addr, addr + len) inside writable segments of @alt? */
bool alt_writable(const struct nl_alt *alt, uint32_t addr, uint32_t len);
/* End of the erase page holding @addr in @alt (or @addr + 1). */
uint64_t alt_page_end(const struct nl_alt *alt, uint32_t addr);

/* Errno to sysexits(3). */
int exit_code(int err);

#endif
