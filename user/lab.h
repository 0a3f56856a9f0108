/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lab machines: handing boards to userspace tools and back, udev's
 * properties for stable names, and the autoflash configuration.
 */
#ifndef DFUSE_USER_LAB_H
#define DFUSE_USER_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"

/* The driver's directory in sysfs: there while dfuse.ko is loaded. */
#define DFUSE_DRIVER_DIR	"/sys/bus/usb/drivers/dfuse"

/* EX_OK, or EX_UNAVAILABLE when dfuse.ko is not loaded (and say so). */
int lab_need_driver(void);
/* CMD (release, bind, detach) needs root: say so with the sudo command; EX_NOPERM */
int lab_need_root(const char *cmd, const char *usb_path);
/* Unbind the board at @usb_path from dfuse (for dfu-util); EX_* code. */
int lab_release(const char *usb_path);
/* Bind the released board at @usb_path (NULL: the only one); EX_* code. */
int lab_bind(const char *usb_path);
/*
 * Print the DFU interfaces no driver has ("released"); their count. JSON:
 * objects, each after a comma if @comma or not the first.
 */
int lab_print_released(bool json, bool comma);

/* The one-line sysfs file @dir/@name, without its newline: 0 or -errno. */
int lab_read_attr(const char *dir, const char *name, char *buf, size_t size);

/* The board's dfu/@attr (sysfs) at @usb_path: 0, or -errno. */
int lab_board_attr(const char *usb_path, const char *attr, char *buf,
		   size_t size);

/* KEY=VALUE lines for udev's IMPORT{program} of a dfuseN.M node. */
int lab_udev_env(const char *syspath);

/* Does [addr, addr + len) of @alt already hold @data? 1, 0, or -errno. */
int alt_holds(const struct nl_alt *alt, uint32_t addr, const uint8_t *data,
	      uint32_t len);

#endif
