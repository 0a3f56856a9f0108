// SPDX-License-Identifier: GPL-2.0
/* The device side of USB/IP, served over an AF_UNIX socketpair. */
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "usbip.h"

#define HDR_SIZE 48
#define VHCI_SYSFS "/sys/devices/platform/vhci_hcd.0"

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		/* EINTR too: a signal asks us to stop serving */
		if (n <= 0)
			return n ? -errno : -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

/*
 * Board @port's place: the controller (vhci_hcd.N) and the port of its
 * high-speed hub (full-speed devices go there). Each controller has as
 * many high-speed ports as super-speed ones (CONFIG_USBIP_VHCI_HC_PORTS:
 * 8 by default, 15 in Debian's kernels; nports counts both, of all).
 */
static unsigned int place(unsigned int port, unsigned int *hc,
			  unsigned int *rhport)
{
	/* the kernel's geometry: read once (attach retries ask often) */
	static unsigned int per_hub;
	unsigned int nports = 16, nr_hcs = 1;
	glob_t g;
	FILE *f;

	if (!per_hub) {
		f = fopen(VHCI_SYSFS "/nports", "r");
		if (f) {
			if (fscanf(f, "%u", &nports) != 1)
				nports = 16;
			fclose(f);
		}
		if (!glob("/sys/devices/platform/vhci_hcd.*", 0, NULL, &g))
			nr_hcs = (unsigned int)g.gl_pathc;
		globfree(&g);
		per_hub = nports / (2 * nr_hcs);
		if (!per_hub)
			per_hub = 8;
	}
	*hc = port / per_hub;
	*rhport = port % per_hub;
	return per_hub;
}

bool usbip_port_has_device(unsigned int port)
{
	unsigned int hc, rhport;
	char pattern[128];
	glob_t g;
	bool found;

	/* a full-speed device is <bus>-<rhport+1> on its controller's HS hub */
	place(port, &hc, &rhport);
	snprintf(pattern, sizeof(pattern),
		 "/sys/devices/platform/vhci_hcd.%u/usb*/*-%u/idVendor", hc,
		 rhport + 1);
	found = !glob(pattern, 0, NULL, &g);
	globfree(&g);
	return found;
}

int usbip_attach(unsigned int port, uint32_t devid)
{
	unsigned int hc, rhport, hc_ports;
	int sv[2], err = 0;
	FILE *f;

	hc_ports = place(port, &hc, &rhport);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -errno;
	f = fopen(VHCI_SYSFS "/attach", "w");
	if (!f) {
		err = -errno;
	} else {
		/* vhci's port numbers: 2 x HC_PORTS per controller */
		fprintf(f, "%u %d %u %u", hc * 2 * hc_ports + rhport, sv[1],
			devid, USB_SPEED_FULL);
		if (fclose(f))
			err = -errno;
	}
	/* vhci-hcd holds its own reference to its end now */
	close(sv[1]);
	if (err) {
		close(sv[0]);
		return err;
	}
	return sv[0];
}

int usbip_recv(int fd, struct usbip_cmd *cmd, uint8_t *data, int max)
{
	uint8_t h[HDR_SIZE];
	int err = read_full(fd, h, sizeof(h));

	if (err)
		return err;
	memset(cmd, 0, sizeof(*cmd));
	cmd->command = get32(h);
	cmd->seqnum = get32(h + 4);
	cmd->direction = get32(h + 12);
	cmd->ep = get32(h + 16);
	if (cmd->command == USBIP_CMD_UNLINK) {
		cmd->unlink_seqnum = get32(h + 20);
		return 0;
	}
	if (cmd->command != USBIP_CMD_SUBMIT)
		return -EPROTO;
	cmd->length = (int32_t)get32(h + 24);
	memcpy(cmd->setup, h + 40, 8);
	if (cmd->length < 0)
		return -EPROTO;
	if (cmd->direction == USBIP_DIR_OUT && cmd->length) {
		if (cmd->length > max)
			return -EMSGSIZE;
		return read_full(fd, data, (size_t)cmd->length);
	}
	return 0;
}

int usbip_reply_submit(int fd, const struct usbip_cmd *cmd, int status,
		       const uint8_t *data, int len)
{
	uint8_t h[HDR_SIZE] = { 0 };
	int err;

	if (cmd->direction == USBIP_DIR_OUT)
		len = status ? 0 : cmd->length;
	put32(h, USBIP_RET_SUBMIT);
	put32(h + 4, cmd->seqnum);
	put32(h + 20, (uint32_t)status);
	put32(h + 24, (uint32_t)len);
	err = write_full(fd, h, sizeof(h));
	if (!err && cmd->direction == USBIP_DIR_IN && len > 0)
		err = write_full(fd, data, (size_t)len);
	return err;
}

int usbip_reply_unlink(int fd, const struct usbip_cmd *cmd, int status)
{
	uint8_t h[HDR_SIZE] = { 0 };

	put32(h, USBIP_RET_UNLINK);
	put32(h + 4, cmd->seqnum);
	put32(h + 20, (uint32_t)status);
	return write_full(fd, h, sizeof(h));
}
