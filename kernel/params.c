// SPDX-License-Identifier: GPL-2.0
/*
 * The module's parameters: quirk entries beyond the built-in ones,
 * boards left to userspace tools from the start, and whether runtime
 * interfaces are bound.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>

#include "device.h"
#include "memmap.h"
#include "quirks.h"

/*
 * Quirk entries beyond the built-in ones, in the same syntax (quirks.h):
 * for a board not known yet; applied to boards probed after the change.
 */
static char *dfuse_param_quirks;
static DEFINE_MUTEX(dfuse_quirks_lock);

/* Each mapN= value is a memory map: a typo fails the write, not a probe. */
static int dfuse_check_quirk_maps(const struct dfuse_quirks *q,
				  const char **why)
{
	struct dfuse_memmap *map = kzalloc(sizeof(*map), GFP_KERNEL);
	int i, err = 0;

	if (!map)
		return -ENOMEM;
	for (i = 0; i < DFUSE_QUIRK_MAPS && !err; i++)
		if (q->map[i][0])
			err = dfuse_memmap_parse(q->map[i], map, why);
	kfree(map);
	return err;
}

static int dfuse_set_quirks(const char *val, const struct kernel_param *kp)
{
	struct dfuse_quirks *scratch;
	const char *why = NULL;
	char *copy, *nl;
	int err;

	/* a copy: the caller's buffer is const */
	copy = kstrdup(skip_spaces(val), GFP_KERNEL);
	scratch = kzalloc(sizeof(*scratch), GFP_KERNEL);
	if (!copy || !scratch) {
		err = -ENOMEM;
		goto out;
	}
	strim(copy);
	/* "cat quirks.txt >": one entry a line, as ';' separates them */
	for (nl = strchr(copy, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = ';';
	err = dfuse_quirks_check(copy, scratch, &why);
	if (err >= 0)
		err = dfuse_check_quirk_maps(scratch, &why);
	if (err < 0) {
		pr_err("dfuse: quirks \"%s\" refused: %s\n", copy, why ?: "no memory");
		goto out;
	}
	mutex_lock(&dfuse_quirks_lock);
	swap(dfuse_param_quirks, copy);
	mutex_unlock(&dfuse_quirks_lock);
	err = 0;
out:
	kfree(copy);
	kfree(scratch);
	return err;
}

static int dfuse_get_quirks(char *buf, const struct kernel_param *kp)
{
	int len;

	mutex_lock(&dfuse_quirks_lock);
	len = sysfs_emit(buf, "%s\n", dfuse_param_quirks ?: "");
	mutex_unlock(&dfuse_quirks_lock);
	return len;
}

static const struct kernel_param_ops dfuse_quirks_ops = {
	.set = dfuse_set_quirks,
	.get = dfuse_get_quirks,
};
module_param_cb(quirks, &dfuse_quirks_ops, NULL, 0644);
MODULE_PARM_DESC(quirks, "extra quirk entries: \"VID:PID[:BCD] KEY=VALUE...;...\" (see README)");

/*
 * Boards left to userspace tools (dfu-util, STM32CubeProgrammer) from the
 * start: serial numbers or VID:PID, separated by commas or spaces.
 */
static char *dfuse_userspace;
#define USERSPACE_SEPARATORS	",\n\t "	/* and "echo"'s newline */
module_param_named(userspace, dfuse_userspace, charp, 0644);
MODULE_PARM_DESC(userspace, "boards never bound: \"SERIAL,VID:PID,...\" (see README)");

/*
 * A DfuSe application's runtime interface is bound for "dfuse detach";
 * bound, it cannot be claimed by dfu-util -e. N leaves them all to it.
 */
static bool dfuse_bind_runtime = true;
module_param_named(runtime, dfuse_bind_runtime, bool, 0644);
MODULE_PARM_DESC(runtime, "bind DfuSe applications' runtime interfaces for dfuse detach (N: leave them to dfu-util -e)");

bool dfuse_runtime_wanted(void)
{
	return READ_ONCE(dfuse_bind_runtime);
}

bool dfuse_left_to_userspace(struct usb_device *udev)
{
	char id[10];
	const char *p, *end;
	size_t len;
	bool match = false;

	snprintf(id, sizeof(id), "%04x:%04x",
		 le16_to_cpu(udev->descriptor.idVendor),
		 le16_to_cpu(udev->descriptor.idProduct));
	kernel_param_lock(THIS_MODULE);
	for (p = dfuse_userspace; p && *p && !match; p = end) {
		p += strspn(p, USERSPACE_SEPARATORS);
		len = strcspn(p, USERSPACE_SEPARATORS);
		end = p + len;
		if (!len)
			break;
		match = (len == strlen(id) && !strncasecmp(p, id, len)) ||
			(udev->serial && len == strlen(udev->serial) &&
			 !strncmp(p, udev->serial, len));
	}
	kernel_param_unlock(THIS_MODULE);
	return match;
}

void dfuse_apply_quirks(struct dfuse_device *dd)
{
	const struct usb_device_descriptor *d = &dd->udev->descriptor;
	u16 vid = le16_to_cpu(d->idVendor), pid = le16_to_cpu(d->idProduct);
	u16 bcd = le16_to_cpu(d->bcdDevice);
	struct dfuse_quirks *q = &dd->quirks;
	const char *why = NULL;

	/* both were checked when set: a failure here cannot happen */
	dfuse_quirks_lookup(dfuse_builtin_quirks, vid, pid, bcd, q, &why);
	mutex_lock(&dfuse_quirks_lock);
	dfuse_quirks_lookup(dfuse_param_quirks, vid, pid, bcd, q, &why);
	mutex_unlock(&dfuse_quirks_lock);
	if (!q->applied[0])
		return;
	dev_info(&dd->intf->dev, "quirks for %04x:%04x:%04x: %s\n", vid, pid,
		 bcd, q->applied);
	if (q->gd32_serial_layout && !q->map[0][0]) {
		unsigned int kib = dfuse_gd32_flash_kib(dd->udev->serial);

		if (kib)
			snprintf(q->map[0], sizeof(q->map[0]),
				 "@Internal Flash /0x08000000/%u*001Kg", kib);
		else
			dev_warn(&dd->intf->dev, "quirk: serial \"%s\" names no GD32 flash size; its own map is used\n",
				 dd->udev->serial ?: "");
	}
	if (q->transfer_size && q->transfer_size != dd->transfer_size) {
		dev_info(&dd->intf->dev, "quirk: transfer size %u, not the %u its descriptor says\n",
			 q->transfer_size, dd->transfer_size);
		dd->transfer_size = q->transfer_size;
	}
}

void dfuse_params_exit(void)
{
	kfree(dfuse_param_quirks);
}
