// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse: STM32 DfuSe bootloaders (USB DFU 1.1a with ST's extensions).
 *
 * USB glue: the match table, probe and disconnect, the per-device object
 * and its lifetime, the device class and the char-device number space.
 */
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/usb.h>
#include <linux/xarray.h>

#include "device.h"
#include "quirks.h"

#define DFUSE_MINORS	(DFUSE_MAX_DEVICES * DFUSE_ALTS_PER_DEVICE)

static const struct usb_device_id dfuse_table[] = {
	/* STM32 system bootloader */
	{ USB_DEVICE_AND_INTERFACE_INFO(0x0483, 0xdf11, 0xfe, 0x01, 0x02) },
	/* Any DFU-mode interface; probe keeps only DfuSe (bcdDFU 1.1a) */
	{ USB_INTERFACE_INFO(0xfe, 0x01, 0x02) },
	/* DFU runtime in an application: DfuSe ones only (runtime.c) */
	{ USB_INTERFACE_INFO(0xfe, 0x01, 0x01) },
	{ }
};
MODULE_DEVICE_TABLE(usb, dfuse_table);

/*
 * Static and registered rather than class_create(): the latter lost its
 * module argument in 6.4, class_register() has the same form in every
 * kernel we build for.
 */
static struct class dfuse_class = {
	.name = "dfuse",
};

static dev_t dfuse_devt;
static struct cdev dfuse_cdev;
/* Boards by N; the mutex makes lookup + kref_get atomic against removal. */
static DEFINE_MUTEX(dfuse_table_lock);
static DEFINE_XARRAY_ALLOC(dfuse_boards);

static void dfuse_remove_alt_devices(struct dfuse_device *dd)
{
	unsigned int i;

	for (i = 0; i < dd->nr_alts; i++) {
		if (dd->alt[i].dev)
			device_unregister(dd->alt[i].dev);
		dd->alt[i].dev = NULL;
	}
}

static void dfuse_alt_dev_release(struct device *dev)
{
	kfree(dev);
}

/*
 * The nodes are created with their add uevents held back: udev (and an
 * autoflash unit it starts) must find the board listed and all its nodes
 * there when it hears of the first one. dfuse_announce_alt_devices() sends
 * them once the board is published. devtmpfs makes the nodes at once.
 */
static int dfuse_add_alt_devices(struct dfuse_device *dd)
{
	unsigned int i;
	int err;

	for (i = 0; i < dd->nr_alts; i++) {
		struct dfuse_alt *alt = &dd->alt[i];
		struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

		if (!dev) {
			err = -ENOMEM;
			goto err_remove;
		}
		device_initialize(dev);
		dev->class = &dfuse_class;
		dev->parent = &dd->intf->dev;
		dev->devt = MKDEV(MAJOR(dfuse_devt),
				  dd->index * DFUSE_ALTS_PER_DEVICE + alt->number);
		dev->groups = dfuse_alt_groups;
		dev->release = dfuse_alt_dev_release;
		dev_set_drvdata(dev, alt);
		dev_set_uevent_suppress(dev, true);
		err = dev_set_name(dev, "dfuse%d.%u", dd->index, alt->number);
		if (!err)
			err = device_add(dev);
		if (err) {
			put_device(dev);
			goto err_remove;
		}
		alt->dev = dev;
	}
	return 0;

err_remove:
	dfuse_remove_alt_devices(dd);
	return err;
}

static void dfuse_announce_alt_devices(struct dfuse_device *dd)
{
	unsigned int i;

	for (i = 0; i < dd->nr_alts; i++) {
		dev_set_uevent_suppress(dd->alt[i].dev, false);
		kobject_uevent(&dd->alt[i].dev->kobj, KOBJ_ADD);
	}
}

void dfuse_device_release(struct kref *kref)
{
	struct dfuse_device *dd = container_of(kref, struct dfuse_device,
					       kref);

	usb_put_dev(dd->udev);
	kfree(dd->setup);
	kfree(dd->xfer_buf);
	kfree(dd);
}

struct dfuse_device *dfuse_device_get(int index)
{
	struct dfuse_device *dd;

	/*
	 * A node is there (devtmpfs) before probe has published its board,
	 * and programs that wait for the node open it at once: taken. Were
	 * probe to fail after, dfuse_unbind() makes its I/O fail.
	 */
	mutex_lock(&dfuse_table_lock);
	dd = xa_load(&dfuse_boards, index);
	if (dd)
		kref_get(&dd->kref);
	mutex_unlock(&dfuse_table_lock);
	return dd;
}

struct dfuse_device *dfuse_device_next(int *index)
{
	struct dfuse_device *dd;
	unsigned long i;

	mutex_lock(&dfuse_table_lock);
	/* a board still being probed has no nodes yet: not listed */
	xa_for_each_start(&dfuse_boards, i, dd, *index)
		if (dd->published)
			break;
	*index = i;
	if (dd)
		kref_get(&dd->kref);
	mutex_unlock(&dfuse_table_lock);
	return dd;
}

/*
 * The one way a board stops being ours, at disconnect and when probe fails
 * after its number was taken: unlisted and its nodes removed, so no new
 * opener finds it; then whoever holds io_mutex is released (a blocked
 * poll woken, the control URB in flight killed, later ones refused by the
 * poisoned anchor: usbcore would only flush them after we return, and the
 * HCD may never complete them on its own); then every I/O path, holding
 * io_mutex, sees no interface and fails with -ENODEV.
 */
static void dfuse_unbind(struct dfuse_device *dd)
{
	struct usb_interface *intf = dd->intf;

	mutex_lock(&dfuse_table_lock);
	xa_erase(&dfuse_boards, dd->index);
	dd->published = false;
	mutex_unlock(&dfuse_table_lock);
	dfuse_remove_alt_devices(dd);

	WRITE_ONCE(dd->gone, true);
	wake_up_all(&dd->wait);
	usb_poison_anchored_urbs(&dd->submitted);

	mutex_lock(&dd->io_mutex);
	mutex_lock(&dd->pm_mutex);
	dfuse_awake_drop_all(dd);
	dd->intf = NULL;
	mutex_unlock(&dd->pm_mutex);
	mutex_unlock(&dd->io_mutex);
	usb_set_intfdata(intf, NULL);
}

static int dfuse_probe(struct usb_interface *intf,
		       const struct usb_device_id *id)
{
	struct dfuse_device *dd;
	u32 index;
	int err;

	if (dfuse_left_to_userspace(interface_to_usbdev(intf))) {
		dev_info(&intf->dev, "left to userspace tools (dfuse.userspace)\n");
		return -ENODEV;
	}
	if (dfuse_is_runtime(intf))
		return dfuse_runtime_probe(intf);
	/* before allocating by it: one minor per alt setting, 16 a board */
	if (intf->num_altsetting > DFUSE_ALTS_PER_DEVICE) {
		dev_err(&intf->dev, "%u alternate settings: at most %u are supported\n",
			intf->num_altsetting, DFUSE_ALTS_PER_DEVICE);
		return -ENODEV;
	}
	dd = kzalloc(struct_size(dd, alt, intf->num_altsetting), GFP_KERNEL);
	if (!dd)
		return -ENOMEM;
	kref_init(&dd->kref);
	mutex_init(&dd->io_mutex);
	mutex_init(&dd->pm_mutex);
	init_waitqueue_head(&dd->wait);
	init_usb_anchor(&dd->submitted);
	dd->cur_alt = -1;
	dd->udev = usb_get_dev(interface_to_usbdev(intf));
	dd->intf = intf;
	dd->ifnum = intf->cur_altsetting->desc.bInterfaceNumber;
	dd->nr_alts = intf->num_altsetting;
	dd->index = -1;

	strscpy(dd->usb_path, dev_name(&dd->udev->dev), sizeof(dd->usb_path));
	err = dfuse_read_functional(dd);
	if (!err)
		err = dfuse_alts_agree(intf);
	if (!err)
		dfuse_apply_quirks(dd);
	if (!err)
		err = dfuse_read_alts(dd);
	/*
	 * Each refusal has logged its reason; -ENODEV keeps the driver core
	 * (6.10 and later) from logging a second, vaguer line.
	 */
	if (err && err != -ENOMEM)
		err = -ENODEV;
	if (err)
		goto err_put;
	dd->xfer_buf = kmalloc(dd->transfer_size, GFP_KERNEL);
	dd->setup = kmalloc(sizeof(*dd->setup), GFP_KERNEL);
	if (!dd->xfer_buf || !dd->setup) {
		err = -ENOMEM;
		goto err_put;
	}
	dfuse_engine_init(&dd->engine, &dfuse_usb_ops, dd, dd->transfer_size);
	/* early polls only where the device is known to take them */
	dd->engine.honour_poll = dd->quirks.honour_poll ||
				 !dd->quirks.early_poll;
	dd->engine.unstick_busy = dd->quirks.unstick_busy;
	dd->engine.leave_without_status = dd->quirks.leave_without_status;
	dd->engine.erase_limit_ms = dd->quirks.erase_ms;
	dd->engine.mass_erase_limit_ms = dd->quirks.mass_erase_ms;
	dd->engine.address_each_block = dd->transfer_size !=
					dd->descriptor_transfer_size;

	mutex_lock(&dfuse_table_lock);
	err = xa_alloc(&dfuse_boards, &index, dd,
		       XA_LIMIT(0, DFUSE_MAX_DEVICES - 1), GFP_KERNEL);
	mutex_unlock(&dfuse_table_lock);
	if (err) {
		dev_err(&intf->dev, "no free device number: %d\n", err);
		goto err_put;
	}
	dd->index = index;
	usb_set_intfdata(intf, dd);
	err = dfuse_add_alt_devices(dd);
	if (err) {
		dfuse_unbind(dd);
		goto err_put;
	}

	mutex_lock(&dfuse_table_lock);
	dd->published = true;
	mutex_unlock(&dfuse_table_lock);
	dev_info(&intf->dev, "DfuSe bootloader, %u alternate settings, transfer size %u: /dev/dfuse%d.*\n",
		 dd->nr_alts, dd->transfer_size, dd->index);
	dfuse_notify_device(dd, true);
	dfuse_announce_alt_devices(dd);
	return 0;

err_put:
	dfuse_device_put(dd);
	return err;
}

static void dfuse_disconnect(struct usb_interface *intf)
{
	struct dfuse_device *dd = usb_get_intfdata(intf);

	if (dfuse_is_runtime(intf)) {
		dfuse_runtime_disconnect(intf);
		return;
	}

	dfuse_unbind(dd);
	dev_info(&intf->dev, "dfuse%d disconnected\n", dd->index);
	dfuse_notify_device(dd, false);
	dfuse_device_put(dd);
}

static struct usb_driver dfuse_driver = {
	.name = "dfuse",
	.probe = dfuse_probe,
	.disconnect = dfuse_disconnect,
	.pre_reset = dfuse_pre_reset,
	.post_reset = dfuse_post_reset,
	.suspend = dfuse_suspend,
	.resume = dfuse_resume,
	.reset_resume = dfuse_reset_resume,
	.supports_autosuspend = 1,
	.id_table = dfuse_table,
	.dev_groups = dfuse_device_groups,
};

static int __init dfuse_init(void)
{
	int err;

	err = alloc_chrdev_region(&dfuse_devt, 0, DFUSE_MINORS, "dfuse");
	if (err)
		return err;
	cdev_init(&dfuse_cdev, &dfuse_fops);
	dfuse_cdev.owner = THIS_MODULE;
	err = cdev_add(&dfuse_cdev, dfuse_devt, DFUSE_MINORS);
	if (err)
		goto err_region;
	err = class_register(&dfuse_class);
	if (err)
		goto err_cdev;
	err = dfuse_netlink_init();
	if (err)
		goto err_class;
	err = usb_register(&dfuse_driver);
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	dfuse_netlink_exit();
err_class:
	class_unregister(&dfuse_class);
err_cdev:
	cdev_del(&dfuse_cdev);
err_region:
	unregister_chrdev_region(dfuse_devt, DFUSE_MINORS);
	return err;
}

static void __exit dfuse_exit(void)
{
	usb_deregister(&dfuse_driver);
	dfuse_netlink_exit();
	class_unregister(&dfuse_class);
	cdev_del(&dfuse_cdev);
	unregister_chrdev_region(dfuse_devt, DFUSE_MINORS);
	dfuse_params_exit();
}

module_init(dfuse_init);
module_exit(dfuse_exit);

MODULE_DESCRIPTION("STM32 DfuSe bootloader driver");
MODULE_AUTHOR("The dfuse developers");
MODULE_LICENSE("GPL");
#ifdef DFUSE_MODULE_VERSION
MODULE_VERSION(DFUSE_MODULE_VERSION);
#endif
