// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs attributes: per board on the USB interface, per alternate setting
 * on its class device (/sys/class/dfuse/dfuseN.A).
 */
#include <linux/device.h>
#include <linux/sysfs.h>
#include <linux/usb.h>

#include "device.h"

/* NULL for a runtime interface: its data is runtime.c's, not a board */
static struct dfuse_device *intf_to_dfuse(struct device *dev)
{
	struct usb_interface *intf = to_usb_interface(dev);

	return dfuse_is_runtime(intf) ? NULL : usb_get_intfdata(intf);
}

#define DFUSE_DEVICE_ATTR(_name, _fmt, ...)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct dfuse_device *dd = intf_to_dfuse(dev);			\
									\
	if (!dd)							\
		return -ENODEV;						\
	return sysfs_emit(buf, _fmt "\n", __VA_ARGS__);		\
}									\
static DEVICE_ATTR_RO(_name)

DFUSE_DEVICE_ATTR(transfer_size, "%u", dd->transfer_size);
DFUSE_DEVICE_ATTR(dfu_version, "0x%04x", dd->dfu_version);
DFUSE_DEVICE_ATTR(dfu_attributes, "0x%02x", dd->attributes);
DFUSE_DEVICE_ATTR(detach_timeout, "%u", dd->detach_timeout);
DFUSE_DEVICE_ATTR(alt_count, "%u", dd->nr_alts);
/* strings the device sent are escaped: one line, printable */
DFUSE_DEVICE_ATTR(serial, "%*pE",
		  dd->udev->serial ? (int)strlen(dd->udev->serial) : 0,
		  dd->udev->serial ?: "");
DFUSE_DEVICE_ATTR(device_number, "%d", dd->index);

/* The last state the device reported; reading this sends no request. */
static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct dfuse_device *dd = intf_to_dfuse(dev);
	u8 state;

	if (!dd)
		return -ENODEV;
	state = READ_ONCE(dd->engine.state);
	return sysfs_emit(buf, "%s\n", dfuse_state_name(state));
}
static DEVICE_ATTR_RO(state);

/* "0", or "errno status address: the device's text" of the last failure */
static ssize_t last_error_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct dfuse_device *dd = intf_to_dfuse(dev);
	const struct dfuse_engine *e;

	if (!dd)
		return -ENODEV;
	e = &dd->engine;
	if (!e->last_errno)
		return sysfs_emit(buf, "0\n");
	return sysfs_emit(buf, "%d %s 0x%08x: %*pE\n", e->last_errno,
			  dfuse_status_name(e->last_status), e->last_address,
			  (int)strlen(e->last_string), e->last_string);
}
static DEVICE_ATTR_RO(last_error);

/* "OP ALT DONE TOTAL" of the running operation, or "idle" */
static ssize_t progress_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	static const char *const ops[] = { "idle", "erase", "program", "read",
					   "verify", "leave" };
	struct dfuse_device *dd = intf_to_dfuse(dev);
	u8 op;

	if (!dd)
		return -ENODEV;
	op = READ_ONCE(dd->op);
	if (!op || op >= ARRAY_SIZE(ops))
		return sysfs_emit(buf, "idle\n");
	return sysfs_emit(buf, "%s %u %llu %llu\n", ops[op], dd->op_alt,
			  READ_ONCE(dd->op_done), READ_ONCE(dd->op_total));
}
static DEVICE_ATTR_RO(progress);

/*
 * How this board is polled: "honour" (every bwPollTimeout waited in full)
 * or "early", the early polls made, then "WORK/SIZE=US" per kind of work
 * learned (the earliest time a first poll found it done).
 */
static ssize_t polling_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	static const char *const works[] = { "command", "erase", "mass-erase",
					     "program" };
	struct dfuse_device *dd = intf_to_dfuse(dev);
	const struct dfuse_engine *e;
	unsigned int i, n;
	int len;

	if (!dd)
		return -ENODEV;
	e = &dd->engine;
	len = sysfs_emit(buf, "%s %u", READ_ONCE(e->honour_poll) ? "honour" :
			 "early", READ_ONCE(e->nr_early_polls));
	n = min_t(unsigned int, READ_ONCE(e->nr_learned), DFUSE_LEARN_SLOTS);
	for (i = 0; i < n; i++) {
		const struct dfuse_learned *l = &e->learned[i];

		len += sysfs_emit_at(buf, len, " %s/%u=%u",
				     l->work < ARRAY_SIZE(works) ?
				     works[l->work] : "?", l->size, l->us);
	}
	if (READ_ONCE(e->nr_unstuck))
		len += sysfs_emit_at(buf, len, " unstuck=%u",
				     READ_ONCE(e->nr_unstuck));
	if (READ_ONCE(e->nr_erase_stalls))
		len += sysfs_emit_at(buf, len, " erase-stalls=%u",
				     READ_ONCE(e->nr_erase_stalls));
	return len + sysfs_emit_at(buf, len, "\n");
}
static DEVICE_ATTR_RO(polling);

/* The quirk keys that apply to this board, or "none". */
static ssize_t quirks_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct dfuse_device *dd = intf_to_dfuse(dev);

	if (!dd)
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", dd->quirks.applied[0] ?
			  dd->quirks.applied : "none");
}
static DEVICE_ATTR_RO(quirks);

static struct attribute *dfuse_device_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_quirks.attr,
	&dev_attr_polling.attr,
	&dev_attr_last_error.attr,
	&dev_attr_progress.attr,
	&dev_attr_transfer_size.attr,
	&dev_attr_dfu_version.attr,
	&dev_attr_dfu_attributes.attr,
	&dev_attr_detach_timeout.attr,
	&dev_attr_alt_count.attr,
	&dev_attr_serial.attr,
	&dev_attr_device_number.attr,
	NULL
};

/* An application's runtime interface has dfu_runtime/ instead. */
static umode_t dfuse_device_visible(struct kobject *kobj,
				    struct attribute *attr, int n)
{
	struct device *dev = kobj_to_dev(kobj);

	return dfuse_is_runtime(to_usb_interface(dev)) ? 0 : attr->mode;
}

static const struct attribute_group dfuse_device_group = {
	.name = "dfu",
	.attrs = dfuse_device_attrs,
	.is_visible = dfuse_device_visible,
};

const struct attribute_group *dfuse_device_groups[] = {
	&dfuse_device_group,
	NULL
};

static ssize_t name_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	const struct dfuse_alt *alt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%*pE\n", (int)strlen(alt->map.name),
			  alt->map.name);
}
static DEVICE_ATTR_RO(name);

static ssize_t alt_setting_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	const struct dfuse_alt *alt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", alt->number);
}
static DEVICE_ATTR_RO(alt_setting);

static ssize_t base_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	const struct dfuse_alt *alt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "0x%08x\n", alt->base);
}
static DEVICE_ATTR_RO(base);

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	const struct dfuse_alt *alt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", alt->size);
}
static DEVICE_ATTR_RO(size);

/* One segment run a line: "0x08000000 4x16384 rew", as the test vectors. */
static ssize_t segments_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	const struct dfuse_alt *alt = dev_get_drvdata(dev);
	unsigned int i;
	int len = 0;

	for (i = 0; i < alt->map.nr_segments; i++) {
		const struct dfuse_segment *s = &alt->map.seg[i];

		len += sysfs_emit_at(buf, len, "0x%08X %ux%u %s%s%s\n",
				     s->start, s->count, s->page_size,
				     s->flags & DFUSE_SEG_READABLE ? "r" : "",
				     s->flags & DFUSE_SEG_ERASABLE ? "e" : "",
				     s->flags & DFUSE_SEG_WRITABLE ? "w" : "");
	}
	return len;
}
static DEVICE_ATTR_RO(segments);

static struct attribute *dfuse_alt_attrs[] = {
	&dev_attr_name.attr,
	&dev_attr_alt_setting.attr,
	&dev_attr_base.attr,
	&dev_attr_size.attr,
	&dev_attr_segments.attr,
	NULL
};

static const struct attribute_group dfuse_alt_group = {
	.attrs = dfuse_alt_attrs,
};

const struct attribute_group *dfuse_alt_groups[] = {
	&dfuse_alt_group,
	NULL
};
