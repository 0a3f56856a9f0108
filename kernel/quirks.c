// SPDX-License-Identifier: GPL-2.0
/*
 * Devices whose bootloader describes its memory wrongly: one table.
 */
#include <linux/usb.h>

#include "quirks.h"

struct dfuse_quirk {
	u16 vendor, product;
	u8 alt;
	const char *map;	/* replaces the device's own string */
};

static const struct dfuse_quirk dfuse_quirks[] = {
	/*
	 * GD32VF103: the ROM bootloader reports 512 pages of 2 KiB; the
	 * part has 128 KiB of flash in 1 KiB pages (its reference manual).
	 */
	{ 0x28e9, 0x0189, 0, "@Internal Flash /0x08000000/128*001Kg" },
};

const char *dfuse_quirk_map(struct usb_device *udev, u8 alt)
{
	u16 vendor = le16_to_cpu(udev->descriptor.idVendor);
	u16 product = le16_to_cpu(udev->descriptor.idProduct);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dfuse_quirks); i++) {
		const struct dfuse_quirk *q = &dfuse_quirks[i];

		if (q->vendor == vendor && q->product == product && q->alt == alt)
			return q->map;
	}
	return NULL;
}
