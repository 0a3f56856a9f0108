/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DFUSE_QUIRKS_H
#define DFUSE_QUIRKS_H

#include <linux/usb.h>

/*
 * A corrected memory map for alternate setting @alt of @udev, or NULL
 * when the device reports its own map correctly.
 */
const char *dfuse_quirk_map(struct usb_device *udev, u8 alt);

#endif /* DFUSE_QUIRKS_H */
