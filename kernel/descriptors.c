// SPDX-License-Identifier: GPL-2.0
/*
 * What probe reads of a board: its DFU functional descriptor, whether its
 * alternate settings agree on what the interface is, and each alternate
 * setting's memory map (with a quirk's map instead where one is known to
 * be wrong). Each refusal logs its one reason.
 */
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>

#include "device.h"

static bool dfuse_is_stm32(const struct usb_device *udev)
{
	return le16_to_cpu(udev->descriptor.idVendor) == 0x0483 &&
	       le16_to_cpu(udev->descriptor.idProduct) == 0xdf11;
}

/*
 * STM32 bootloaders put the functional descriptor after the last
 * alternate setting; others put it after the first or in the
 * configuration's extra bytes. Look everywhere.
 */
const struct dfu_functional_descriptor *
dfuse_find_functional(struct usb_interface *intf)
{
	struct usb_host_config *config = interface_to_usbdev(intf)->actconfig;
	void *desc;
	unsigned int i;

	for (i = 0; i < intf->num_altsetting; i++) {
		struct usb_host_interface *alt = &intf->altsetting[i];

		if (!__usb_get_extra_descriptor(alt->extra, alt->extralen,
						USB_DT_DFU_FUNCTIONAL, &desc,
						DFU_FUNC_DESC_V10_SIZE))
			return desc;
	}
	if (config && !__usb_get_extra_descriptor(config->extra,
						  config->extralen,
						  USB_DT_DFU_FUNCTIONAL, &desc,
						  DFU_FUNC_DESC_V10_SIZE))
		return desc;
	return NULL;
}

/*
 * DFU mode or runtime is decided once, at probe, for the life of the
 * binding: usbcore matched the current alternate setting only, and one of
 * another kind would be current after a SET_INTERFACE (dfuse_is_runtime()
 * reads alt 0 and relies on this). Called once the board is known to be
 * DfuSe, so other vendors' interfaces get no line.
 */
int dfuse_alts_agree(struct usb_interface *intf)
{
	const struct usb_interface_descriptor *first = &intf->altsetting[0].desc;
	unsigned int i;

	for (i = 0; i < intf->num_altsetting; i++) {
		const struct usb_interface_descriptor *d =
			&intf->altsetting[i].desc;

		if (d->bInterfaceClass != USB_CLASS_APP_SPEC ||
		    d->bInterfaceSubClass != 0x01 ||
		    d->bInterfaceProtocol != first->bInterfaceProtocol) {
			dev_err(&intf->dev, "alt %u is %02x/%02x/%02x, alt %u %02x/%02x/%02x: one interface cannot be both DFU mode and runtime\n",
				d->bAlternateSetting, d->bInterfaceClass,
				d->bInterfaceSubClass, d->bInterfaceProtocol,
				first->bAlternateSetting, first->bInterfaceClass,
				first->bInterfaceSubClass,
				first->bInterfaceProtocol);
			return -ENODEV;
		}
	}
	return 0;
}

/*
 * STM32F76x/F77x: the ROM reports the single-bank sectors (32, 128 and
 * 256 KiB) whatever the nDBANK option says. In dual-bank mode each sector
 * is half as large, so erasing a page of the map may leave most of it as
 * it was (STM32Cube_MCU_Overall_Offer #11, rusefi #3566). Only these
 * parts start their flash with 32 KiB sectors.
 */
static bool sectors_may_halve(const struct dfuse_device *dd,
			      const struct dfuse_memmap *map)
{
	const struct dfuse_segment *s = &map->seg[0];

	return dfuse_is_stm32(dd->udev) && map->nr_segments &&
	       s->start == 0x08000000 && s->page_size == SZ_32K &&
	       (s->flags & DFUSE_SEG_ERASABLE);
}

static int dfuse_read_alt(struct dfuse_device *dd,
			  const struct usb_host_interface *host,
			  struct dfuse_alt *alt, char *buf, size_t size)
{
	struct device *dev = &dd->intf->dev;
	const char *why = NULL, *quirk = NULL;
	unsigned int i;
	int len, err;

	alt->dd = dd;
	alt->number = host->desc.bAlternateSetting;
	if (alt->number >= DFUSE_ALTS_PER_DEVICE) {
		dev_err(dev, "alt %u: alternate setting numbers above %u are not supported\n",
			alt->number, DFUSE_ALTS_PER_DEVICE - 1);
		return -EINVAL;
	}
	if (!host->desc.iInterface) {
		dev_err(dev, "alt %u: no iInterface string, so no memory map\n",
			alt->number);
		return -EINVAL;
	}
	len = usb_string(dd->udev, host->desc.iInterface, buf, size);
	if (len < 0) {
		dev_err(dev, "alt %u: reading memory map string %u failed: %d\n",
			alt->number, host->desc.iInterface, len);
		return len;
	}
	strscpy(alt->string, buf, sizeof(alt->string));
	if (alt->number < DFUSE_QUIRK_MAPS && dd->quirks.map[alt->number][0])
		quirk = dd->quirks.map[alt->number];
	if (quirk) {
		dev_info(dev, "alt %u: map \"%*pE\" is known to be wrong; using \"%s\"\n",
			 alt->number, (int)strlen(buf), buf, quirk);
		strscpy(buf, quirk, size);
	}
	err = dfuse_memmap_parse(buf, &alt->map, &why);
	if (err) {
		dev_err(dev, "alt %u: memory map \"%*pE\" refused: %s\n",
			alt->number, (int)strlen(buf), buf, why);
		return err;
	}

	/* ST: "Option Bytes", AT32: "Option byte"; the ROM resets to load them */
	alt->option_bytes = !strncasecmp(alt->map.name, "Option Byte", 11);
	alt->check_erase = dd->quirks.check_erase ||
			   sectors_may_halve(dd, &alt->map);

	for (i = 0; i < alt->map.nr_segments; i++) {
		const struct dfuse_segment *seg = &alt->map.seg[i];

		if (seg->page_size > DFUSE_MAX_PAGE_SIZE &&
		    seg->flags & (DFUSE_SEG_ERASABLE | DFUSE_SEG_WRITABLE)) {
			dev_err(dev, "alt %u: memory map \"%*pE\" refused: %u-byte pages at 0x%08x, above %u\n",
				alt->number, (int)strlen(buf), buf, seg->page_size, seg->start,
				DFUSE_MAX_PAGE_SIZE);
			return -EINVAL;
		}
	}
	if (dfuse_memmap_span(&alt->map, &alt->base, &alt->size)) {
		alt->size -= alt->base;
	} else {
		alt->base = 0;
		alt->size = 0;
	}
	return 0;
}

int dfuse_read_alts(struct dfuse_device *dd)
{
	struct usb_interface *intf = dd->intf;
	unsigned int i, j;
	char *buf;
	int err = 0;

	/* usb_string() converts up to 126 UTF-16 units to UTF-8 */
	buf = kmalloc(512, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < dd->nr_alts && !err; i++) {
		err = dfuse_read_alt(dd, &intf->altsetting[i], &dd->alt[i],
				     buf, 512);
		for (j = 0; j < i && !err; j++) {
			if (dd->alt[j].number == dd->alt[i].number) {
				dev_err(&intf->dev, "alt %u: listed twice\n",
					dd->alt[i].number);
				err = -EINVAL;
			}
		}
	}
	kfree(buf);
	/* a guess is worth a line only for a board we take: one each */
	for (i = 0; i < dd->nr_alts && !err; i++)
		if (dd->alt[i].map.warning)
			dev_warn(&intf->dev, "alt %u: memory map of \"%*pE\" bends the grammar (%s); taken as dfu-util takes it\n",
				 dd->alt[i].number,
				 (int)strlen(dd->alt[i].map.name),
				 dd->alt[i].map.name,
				 dd->alt[i].map.warning);
	return err;
}

int dfuse_read_functional(struct dfuse_device *dd)
{
	const struct dfu_functional_descriptor *fd;
	struct device *dev = &dd->intf->dev;

	fd = dfuse_find_functional(dd->intf);
	if (!fd) {
		if (!dfuse_is_stm32(dd->udev))
			return -ENODEV;
		dev_err(dev, "no DFU functional descriptor\n");
		return -EINVAL;
	}
	dd->attributes = fd->bmAttributes;
	dd->detach_timeout = le16_to_cpu(fd->wDetachTimeOut);
	dd->transfer_size = le16_to_cpu(fd->wTransferSize);
	dd->descriptor_transfer_size = dd->transfer_size;
	dd->dfu_version = fd->bLength >= sizeof(*fd) ?
			  le16_to_cpu(fd->bcdDFUVersion) : 0x0100;

	/*
	 * Plain DFU is dfu-util's, also on ST's IDs: the STM32MP ROM and
	 * U-Boot's DFU gadget use 0483:df11 with DFU 1.1.
	 */
	if (dd->dfu_version != DFU_VERSION_DFUSE) {
		if (dfuse_is_stm32(dd->udev))
			dev_info(dev, "DFU %x.%02x, not DfuSe: left to userspace tools\n",
				 dd->dfu_version >> 8, dd->dfu_version & 0xff);
		return -ENODEV;
	}
	if (dd->transfer_size < DFUSE_MIN_TRANSFER ||
	    dd->transfer_size > DFUSE_MAX_TRANSFER) {
		dev_err(dev, "DFU functional descriptor: wTransferSize %u unsupported (%u..%u)\n",
			dd->transfer_size, DFUSE_MIN_TRANSFER,
			DFUSE_MAX_TRANSFER);
		return -EINVAL;
	}
	return 0;
}
