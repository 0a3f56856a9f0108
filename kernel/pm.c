// SPDX-License-Identifier: GPL-2.0
/*
 * What a board's ROM forgets: USB resets, suspend and resume. The board
 * keeps its number and its open files through each; the engine asks the
 * ROM its state again before the next request.
 */
#include <linux/usb.h>

#include "device.h"

/* Called with io_mutex held: the next request starts from GETSTATUS. */
static void dfuse_forget_rom_state(struct dfuse_device *dd)
{
	dd->engine.state = DFUSE_STATE_UNKNOWN;
	dd->engine.ptr_valid = false;
	dd->cur_alt = -1;
}

/*
 * A USB reset (usbreset, a hub's error recovery): wait for the running
 * operation and hold the board until the device is back. Without these
 * usbcore would unbind and bind it again: new nodes, open files lost.
 */
int dfuse_pre_reset(struct usb_interface *intf)
{
	struct dfuse_device *dd = usb_get_intfdata(intf);

	/*
	 * The reset a leave or a runtime detach sends: the device comes
	 * back as another one, so let usbcore unbind it (1), as it did.
	 */
	if (dfuse_is_runtime(intf) || !dd || READ_ONCE(dd->leaving))
		return 1;
	mutex_lock(&dd->io_mutex);
	return 0;
}

int dfuse_post_reset(struct usb_interface *intf)
{
	struct dfuse_device *dd = usb_get_intfdata(intf);

	dfuse_forget_rom_state(dd);
	mutex_unlock(&dd->io_mutex);
	dev_info(&intf->dev, "dfuse%d: reset, still /dev/dfuse%d.*\n",
		 dd->index, dd->index);
	return 0;
}

/*
 * Never under an operation. Autosuspend waits for the last open node to
 * be closed (dfuse_awake_get()). System sleep comes after the freezer
 * has stopped every task: one in a write ioctl or a read stops at a page
 * or chunk boundary with what it did (EINTR or a short read), and a
 * write() or close() still programming holds the freezer until it ends.
 * A request still in flight here came from elsewhere: refuse (-EBUSY)
 * rather than suspend the ROM under it.
 */
int dfuse_suspend(struct usb_interface *intf, pm_message_t message)
{
	struct dfuse_device *dd = usb_get_intfdata(intf);

	if (dfuse_is_runtime(intf) || !dd)
		return 0;
	if (!mutex_trylock(&dd->io_mutex)) {
		if (!PMSG_IS_AUTO(message))
			dev_warn(&intf->dev, "dfuse%d: not suspended: an operation is running\n",
				 dd->index);
		return -EBUSY;
	}
	/*
	 * Forgotten now, not at resume: resume runs under the open that
	 * woke the board (dfuse_awake_get()), and a lock taken there would
	 * be taken against dfuse_unbind()'s order.
	 */
	dfuse_forget_rom_state(dd);
	mutex_unlock(&dd->io_mutex);
	dev_dbg(&intf->dev, "dfuse%d: suspended\n", dd->index);
	return 0;
}

int dfuse_resume(struct usb_interface *intf)
{
	dev_dbg(&intf->dev, "resumed\n");
	return 0;
}

/* The device was reset on the way (power lost, a reset-resume quirk). */
int dfuse_reset_resume(struct usb_interface *intf)
{
	struct dfuse_device *dd = usb_get_intfdata(intf);

	if (!dfuse_is_runtime(intf) && dd)
		dev_info(&intf->dev, "dfuse%d: reset while suspended, still /dev/dfuse%d.*\n",
			 dd->index, dd->index);
	return 0;
}
