// SPDX-License-Identifier: GPL-2.0
/*
 * DFU runtime (DFU 1.1, FE/01/01): an application that can be told to
 * restart into its DfuSe bootloader. We bind only DfuSe ones (bcdDFU
 * 1.1a), so that other vendors' runtime interfaces stay dfu-util's; and
 * offer sysfs "detach". The bootloader then enumerates as a new device
 * that probe binds like any other.
 */
#include <linux/slab.h>
#include <linux/usb.h>

#include "device.h"

#define DFU_DETACH	0

struct dfuse_runtime {
	u16 detach_timeout;
	u8 attributes;
};

int dfuse_runtime_probe(struct usb_interface *intf)
{
	const struct dfu_functional_descriptor *fd = dfuse_find_functional(intf);
	struct dfuse_runtime *rt;
	int err;

	/* other vendors' runtime interfaces are not ours */
	if (!fd || fd->bLength < sizeof(*fd) ||
	    le16_to_cpu(fd->bcdDFUVersion) != DFU_VERSION_DFUSE)
		return -ENODEV;
	if (!dfuse_runtime_wanted()) {
		dev_info(&intf->dev, "DfuSe application left to userspace tools (dfuse.runtime=N)\n");
		return -ENODEV;
	}
	err = dfuse_alts_agree(intf);
	if (err)
		return err;
	rt = kzalloc(sizeof(*rt), GFP_KERNEL);
	if (!rt)
		return -ENOMEM;
	rt->detach_timeout = le16_to_cpu(fd->wDetachTimeOut);
	rt->attributes = fd->bmAttributes;
	usb_set_intfdata(intf, rt);
	err = device_add_group(&intf->dev, &dfuse_runtime_group);
	if (err) {
		usb_set_intfdata(intf, NULL);
		kfree(rt);
		return err;
	}
	dev_info(&intf->dev, "DfuSe application: write 1 to dfu_runtime/detach to restart it in its bootloader\n");
	return 0;
}

void dfuse_runtime_disconnect(struct usb_interface *intf)
{
	struct dfuse_runtime *rt = usb_get_intfdata(intf);

	device_remove_group(&intf->dev, &dfuse_runtime_group);
	usb_set_intfdata(intf, NULL);
	kfree(rt);
}

/*
 * DFU_DETACH, then a bus reset unless the device detaches itself
 * (bitWillDetach). The sysfs store runs with the interface bound (the
 * attribute is removed before its data), so @rt is valid here.
 */
static ssize_t detach_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct usb_interface *intf = to_usb_interface(dev);
	struct usb_device *udev = interface_to_usbdev(intf);
	struct dfuse_runtime *rt = usb_get_intfdata(intf);
	bool yes;
	int ret;

	if (kstrtobool(buf, &yes))
		return -EINVAL;
	if (!yes)
		return count;
	if (!rt)
		return -ENODEV;
	ret = usb_autopm_get_interface(intf);
	if (ret)
		return ret;
	ret = usb_control_msg(udev, usb_sndctrlpipe(udev, 0), DFU_DETACH,
			      USB_DIR_OUT | USB_TYPE_CLASS |
			      USB_RECIP_INTERFACE,
			      min_t(u16, rt->detach_timeout, 1000),
			      intf->cur_altsetting->desc.bInterfaceNumber,
			      NULL, 0, USB_CTRL_SET_TIMEOUT);
	usb_autopm_put_interface(intf);
	/* a device that detaches at once may break the status stage */
	if (ret < 0 && ret != -EPROTO && ret != -ENODEV && ret != -ESHUTDOWN) {
		dev_err(dev, "DFU_DETACH failed: %d\n", ret);
		return ret;
	}
	dev_info(dev, "detached: the bootloader should enumerate within %u ms\n",
		 rt->detach_timeout);
	if (!(rt->attributes & DFU_ATTR_WILL_DETACH))
		usb_queue_reset_device(intf);
	return count;
}
static DEVICE_ATTR_WO(detach);

static struct attribute *dfuse_runtime_attrs[] = {
	&dev_attr_detach.attr,
	NULL
};

const struct attribute_group dfuse_runtime_group = {
	.name = "dfu_runtime",
	.attrs = dfuse_runtime_attrs,
};
