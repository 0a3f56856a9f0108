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
#include <linux/wait.h>

#include "engine.h"
#include "memmap.h"
#include "quirks.h"

/* Minor = index * DFUSE_ALTS_PER_DEVICE + alternate setting. */
#define DFUSE_ALTS_PER_DEVICE	16
#define DFUSE_MAX_DEVICES	256
#define DFUSE_MAX_TRANSFER	4096
/* bMaxPacketSize0 of a full-speed device: no DFU block is smaller */
#define DFUSE_MIN_TRANSFER	64
/*
 * Programming buffers whole pages: a map claiming larger erasable or
 * writable pages is refused (the largest STM32 sector is 256 KiB).
 */
#define DFUSE_MAX_PAGE_SIZE	(1024 * 1024)

#define USB_DT_DFU_FUNCTIONAL	0x21
#define DFU_VERSION_DFUSE	0x011a

/* The DFU functional descriptor (DFU 1.1, 4.1.3); DFU 1.0 lacks bcdDFU. */
struct dfu_functional_descriptor {
	u8 bLength;
	u8 bDescriptorType;
	u8 bmAttributes;
	__le16 wDetachTimeOut;
	__le16 wTransferSize;
	__le16 bcdDFUVersion;
} __packed;

#define DFU_FUNC_DESC_V10_SIZE	7
#define DFU_ATTR_WILL_DETACH	0x08

/* In the interface's, the configuration's or the device's extra bytes. */
const struct dfu_functional_descriptor *
dfuse_find_functional(struct usb_interface *intf);

/* Every alternate setting is of alt 0's kind, or probe refuses it. */
int dfuse_alts_agree(struct usb_interface *intf);

struct dfuse_device;

/* What probe reads of a board (descriptors.c); each logs its refusal. */
int dfuse_read_functional(struct dfuse_device *dd);
int dfuse_read_alts(struct dfuse_device *dd);

/* The module's parameters (params.c). */
bool dfuse_left_to_userspace(struct usb_device *udev);
/* Bind DfuSe applications' runtime interfaces? (dfuse.runtime) */
bool dfuse_runtime_wanted(void);
void dfuse_apply_quirks(struct dfuse_device *dd);
void dfuse_params_exit(void);

/*
 * A DFU runtime interface of an application (protocol 1), not DFU mode.
 * Alt 0, not the current one, which a SET_INTERFACE changes: what probe
 * bound is what disconnect frees.
 */
static inline bool dfuse_is_runtime(struct usb_interface *intf)
{
	return intf->altsetting[0].desc.bInterfaceProtocol == 0x01;
}

int dfuse_runtime_probe(struct usb_interface *intf);
void dfuse_runtime_disconnect(struct usb_interface *intf);
extern const struct attribute_group dfuse_runtime_group;

/* The iInterface string as the device sent it, before any quirk map */
#define DFUSE_ALT_STRING_MAX	256

struct dfuse_alt {
	struct dfuse_device *dd;
	u8 number;			/* bAlternateSetting */
	char string[DFUSE_ALT_STRING_MAX];
	struct dfuse_memmap map;
	u32 base;			/* lowest address: offset 0 */
	u64 size;			/* span of the map in bytes */
	bool option_bytes;		/* writing it resets the board */
	bool check_erase;		/* erased pages read back blank first */
	struct device *dev;		/* /dev/dfuseN.A and its attributes */
};

struct dfuse_device {
	struct kref kref;
	struct usb_device *udev;
	struct usb_interface *intf;	/* NULL once disconnected */
	struct mutex io_mutex;		/* serialises I/O, guards @intf */
	/*
	 * Guards @awake; @intf is cleared under it too. Taken inside
	 * io_mutex or alone, so that an open waits for no operation.
	 */
	struct mutex pm_mutex;
	unsigned int awake;		/* runtime PM references of open files */
	int index;			/* N in /dev/dfuseN.A */
	bool published;			/* nodes exist: listed by netlink */
	u8 ifnum;

	/* DFU functional descriptor */
	u8 attributes;
	u16 detach_timeout;
	u16 transfer_size;
	u16 descriptor_transfer_size;	/* wTransferSize, before quirks */
	u16 dfu_version;

	char usb_path[32];		/* "1-1.2", for users to pick a board */

	/* Everything below is guarded by io_mutex unless said otherwise. */
	struct dfuse_engine engine;
	struct dfuse_quirks quirks;	/* what the quirk entries said */
	int cur_alt;			/* selected alternate setting, -1 */
	u8 *xfer_buf;			/* DMA-able bounce buffer */
	struct usb_ctrlrequest *setup;	/* DMA-able setup packet */
	struct file *writer;		/* the one open file that may write */

	/*
	 * Set by dfuse_unbind() before it takes io_mutex, to end a blocked
	 * poll at once; it then poisons @submitted: the URB in flight is
	 * killed and no later one is accepted.
	 */
	bool gone;
	bool leaving;			/* a leave's reset: not ours to hold */
	struct usb_anchor submitted;	/* the control URB in flight */
	wait_queue_head_t wait;		/* woken when @gone is set */

	/* The running operation, for sysfs and netlink progress. */
	u8 op;				/* enum dfuse_op, 0 = none */
	u8 op_alt;
	u64 op_done, op_total;
	unsigned long op_next_event;	/* jiffies: progress throttling */
	u32 op_seq;			/* which operation: dfuse_op_is() */

	unsigned int nr_alts;
	struct dfuse_alt alt[];
};

extern const struct attribute_group *dfuse_device_groups[];
extern const struct file_operations dfuse_fops;
extern const struct dfuse_ops dfuse_usb_ops;

/* Lock the board for I/O on @alt: -ENODEV once unplugged, -EINTR. */
int dfuse_io_begin(struct dfuse_device *dd, u8 alt, bool interruptible);
void dfuse_io_end(struct dfuse_device *dd);

/*
 * Runtime PM (transport.c): an open node keeps its board awake, so a ROM
 * is suspended only while nobody has it open. Disconnect drops what open
 * files still hold (dfuse_awake_drop_all(), under pm_mutex).
 */
int dfuse_awake_get(struct dfuse_device *dd);
void dfuse_awake_put(struct dfuse_device *dd);
void dfuse_awake_drop_all(struct dfuse_device *dd);

/* Reset, suspend and resume (pm.c). */
int dfuse_pre_reset(struct usb_interface *intf);
int dfuse_post_reset(struct usb_interface *intf);
int dfuse_suspend(struct usb_interface *intf, pm_message_t message);
int dfuse_resume(struct usb_interface *intf);
int dfuse_reset_resume(struct usb_interface *intf);

/* Look up board N and take a reference, or NULL. */
struct dfuse_device *dfuse_device_get(int index);

/*
 * Operation progress and events (netlink.c), under io_mutex. Start
 * returns the operation's number: a reader, which lets go of io_mutex
 * between chunks, goes on reporting only while dfuse_op_is() its own.
 */
u32 dfuse_op_start(struct dfuse_device *dd, u8 alt, u8 op, u64 total);

static inline bool dfuse_op_is(const struct dfuse_device *dd, u32 op)
{
	return READ_ONCE(dd->op) && dd->op_seq == op;
}

void dfuse_op_progress(struct dfuse_device *dd, u64 done);
void dfuse_op_finish(struct dfuse_device *dd, int err);
void dfuse_notify_device(struct dfuse_device *dd, bool added);
void dfuse_notify_left(struct dfuse_device *dd);
int dfuse_netlink_init(void);
void dfuse_netlink_exit(void);
/* Iterate boards for the netlink dump: next index >= *index, referenced. */
struct dfuse_device *dfuse_device_next(int *index);
extern const struct attribute_group *dfuse_alt_groups[];

void dfuse_device_release(struct kref *kref);

static inline void dfuse_device_put(struct dfuse_device *dd)
{
	kref_put(&dd->kref, dfuse_device_release);
}

#endif /* DFUSE_DEVICE_H */
