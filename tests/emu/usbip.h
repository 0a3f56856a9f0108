/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device side of USB/IP over a socketpair attached to vhci-hcd.
 * Wire format: drivers/usb/usbip/usbip_common.h (48-byte headers, big-endian).
 */
#ifndef EMU_USBIP_H
#define EMU_USBIP_H

#include <stdbool.h>
#include <stdint.h>

#define USBIP_CMD_SUBMIT	1
#define USBIP_CMD_UNLINK	2
#define USBIP_RET_SUBMIT	3
#define USBIP_RET_UNLINK	4
#define USBIP_DIR_OUT		0
#define USBIP_DIR_IN		1

#define USB_SPEED_FULL		2

struct usbip_cmd {
	uint32_t command;
	uint32_t seqnum;
	uint32_t direction;
	uint32_t ep;
	int32_t length;		/* transfer_buffer_length */
	uint32_t unlink_seqnum;
	uint8_t setup[8];
};

/*
 * Attach a fresh socketpair as board @port (usbip.c: which controller and
 * port); returns our end or -errno.
 */
/*
 * Is a USB device still registered on vhci port @port? vhci frees the
 * port before usbcore has removed the old device; attaching again then
 * lets an URB of the old device go out on the new connection.
 */
bool usbip_port_has_device(unsigned int port);
int usbip_attach(unsigned int port, uint32_t devid);
/* Read one command and, for OUT submits, its data (up to @max bytes). */
int usbip_recv(int fd, struct usbip_cmd *cmd, uint8_t *data, int max);
int usbip_reply_submit(int fd, const struct usbip_cmd *cmd, int status,
		       const uint8_t *data, int len);
int usbip_reply_unlink(int fd, const struct usbip_cmd *cmd, int status);

#endif
