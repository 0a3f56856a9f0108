/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-board object shared by the USB glue, the character devices,
 * sysfs and netlink. Lifetime follows drivers/usb/usb-skeleton.c: a kref
 * held by probe and by every open file; disconnect clears @intf under
 * @io_mutex so that nobody touches the USB device afterwards.
 */
#ifndef DFUSE_DEVICE_H
#define DFUSE_DEVICE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/usb.h>

#include "memmap.h"

/* Minor = index * DFUSE_ALTS_PER_DEVICE + alternate setting. */
#define DFUSE_ALTS_PER_DEVICE	16
#define DFUSE_MAX_DEVICES	256
#define DFUSE_MAX_TRANSFER	4096

#define USB_DT_DFU_FUNCTIONAL	0x21
#define DFU_VERSION_DFUSE	0x011a

struct dfuse_device;

struct dfuse_alt {
	struct dfuse_device *dd;
	u8 number;			/* bAlternateSetting */
	struct dfuse_memmap map;
	u32 base;			/* lowest address: offset 0 */
	u64 size;			/* span of the map in bytes */
	struct device *dev;		/* /dev/dfuseN.A and its attributes */
};

struct dfuse_device {
	struct kref kref;
	struct usb_device *udev;
	struct usb_interface *intf;	/* NULL once disconnected */
	struct mutex io_mutex;		/* serialises I/O, guards @intf */
	int index;			/* N in /dev/dfuseN.A */
	u8 ifnum;

	/* DFU functional descriptor */
	u8 attributes;
	u16 detach_timeout;
	u16 transfer_size;
	u16 dfu_version;

	unsigned int nr_alts;
	struct dfuse_alt alt[];
};

extern const struct attribute_group *dfuse_device_groups[];
extern const struct attribute_group *dfuse_alt_groups[];

void dfuse_device_release(struct kref *kref);

static inline void dfuse_device_put(struct dfuse_device *dd)
{
	kref_put(&dd->kref, dfuse_device_release);
}

#endif /* DFUSE_DEVICE_H */
