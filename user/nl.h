/* SPDX-License-Identifier: GPL-2.0 */
/* libnl-3 client of the "dfuse" generic netlink family. */
#ifndef DFUSE_USER_NL_H
#define DFUSE_USER_NL_H

#include <stdint.h>

#define NL_MAX_ALTS 16

struct nl_alt {
	unsigned int setting;
	char name[128];
	char node[32];
	uint32_t base;
	uint64_t size;
	char segments[1024];
	char string[256];	/* iInterface as the device sent it */
};

struct nl_device {
	unsigned int number;
	char serial[64];
	char usb_path[32];
	unsigned int vendor, product, bcd_device, transfer_size;
	unsigned int nr_alts;
	struct nl_alt alt[NL_MAX_ALTS];
};

/*
 * Not a kernel command: the socket's queue overflowed (ENOBUFS) and the
 * kernel dropped events for this listener; the listener goes on.
 */
#define NL_EVENTS_LOST (-1)

struct nl_event {
	int cmd;			/* DFUSE_CMD_* or NL_EVENTS_LOST */
	struct nl_device dev;		/* identity; whole for DEVICE_ADDED */
	int op, alt;
	uint64_t done, total;
	int err;
	int dfu_status, dfu_state;
	uint32_t address;
	char error_string[128];
};

/* Every board the driver has. Return: count, or -errno (message printed). */
int nl_list(struct nl_device *devs, int max);
/*
 * Print-free event loop: calls @fn for each event until it returns
 * non-zero or @timeout_ms passes (-1: forever). Return: 0 or -errno.
 */
int nl_monitor(int (*fn)(const struct nl_event *ev, void *arg), void *arg,
	       int timeout_ms);
const char *nl_cmd_name(int cmd);
const char *nl_op_name(int op);

#endif
