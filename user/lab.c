// SPDX-License-Identifier: GPL-2.0
/*
 * Lab machines (docs/lab.md): release/bind through the driver
 * core's sysfs files, udev properties, the autoflash configuration.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "lab.h"

#define USB_DEVICES	"/sys/bus/usb/devices"

int lab_read_attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_attr(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Is /sys/bus/usb/devices/@name a DFU-mode interface (FE/01/02)? */
static bool dfu_mode_interface(const char *name)
{
	char dir[512], v[16];

	if (!strchr(name, ':'))
		return false;
	snprintf(dir, sizeof(dir), "%s/%s", USB_DEVICES, name);
	if (lab_read_attr(dir, "bInterfaceClass", v, sizeof(v)) || strcmp(v, "fe"))
		return false;
	if (lab_read_attr(dir, "bInterfaceSubClass", v, sizeof(v)) || strcmp(v, "01"))
		return false;
	return !lab_read_attr(dir, "bInterfaceProtocol", v, sizeof(v)) &&
	       !strcmp(v, "02");
}

/* The interfaces of @usb_path ("1-1") that are DFU mode, first in @intf. */
static int find_interface(const char *usb_path, char *intf, size_t size)
{
	DIR *d = opendir(USB_DEVICES);
	struct dirent *e;
	size_t len = strlen(usb_path);
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, usb_path, len) || e->d_name[len] != ':' ||
		    !dfu_mode_interface(e->d_name))
			continue;
		if (!n++)
			snprintf(intf, size, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

int lab_board_attr(const char *usb_path, const char *attr, char *buf,
		   size_t size)
{
	char intf[256], dir[600];

	if (!find_interface(usb_path, intf, sizeof(intf)))
		return -ENOENT;
	snprintf(dir, sizeof(dir), "%s/%s/dfu", USB_DEVICES, intf);
	return lab_read_attr(dir, attr, buf, size);
}

int lab_need_driver(void)
{
	if (!access(DFUSE_DRIVER_DIR, F_OK))
		return EX_OK;
	fprintf(stderr, "dfuse: the dfuse driver is not loaded (sudo modprobe dfuse)\n");
	return EX_UNAVAILABLE;
}

int lab_need_root(const char *cmd, const char *usb_path)
{
	fprintf(stderr, "dfuse: %s changes which driver holds a board, which only root may do: "
		"sudo dfuse %s%s%s\n", cmd, cmd, usb_path ? " --path " : "",
		usb_path ? usb_path : "");
	return EX_NOPERM;
}

int lab_release(const char *usb_path)
{
	char intf[256];
	int err;

	if (!find_interface(usb_path, intf, sizeof(intf))) {
		fprintf(stderr, "dfuse: no DFU interface at USB path %s\n", usb_path);
		return EX_UNAVAILABLE;
	}
	err = write_attr(DFUSE_DRIVER_DIR "/unbind", intf);
	if (err == -EACCES || err == -EPERM)
		return lab_need_root("release", usb_path);
	if (err) {
		fprintf(stderr, "dfuse: release %s: %s\n", intf, strerror(-err));
		return EX_OSERR;
	}
	printf("released %s: dfu-util and STM32CubeProgrammer can use it; dfuse bind --path %s takes it back\n",
	       usb_path, usb_path);
	return EX_OK;
}

/* Released: a DFU-mode interface of a DfuSe board that no driver has. */
static bool released(const char *name)
{
	char path[600];

	if (!dfu_mode_interface(name))
		return false;
	snprintf(path, sizeof(path), "%s/%s/driver", USB_DEVICES, name);
	return access(path, F_OK) != 0;
}

int lab_bind(const char *usb_path)
{
	char intf[256] = "", path[600];
	DIR *d;
	struct dirent *e;
	int n = 0, err = lab_need_driver();

	if (err)
		return err;
	if (usb_path) {
		n = find_interface(usb_path, intf, sizeof(intf));
	} else if ((d = opendir(USB_DEVICES))) {
		while ((e = readdir(d)))
			if (released(e->d_name) && !n++)
				snprintf(intf, sizeof(intf), "%s", e->d_name);
		closedir(d);
		if (n > 1) {
			fprintf(stderr, "dfuse: %d released boards; choose one with --path\n", n);
			return EX_USAGE;
		}
	}
	if (!n) {
		fprintf(stderr, "dfuse: no released board%s%s\n",
			usb_path ? " at USB path " : "", usb_path ? usb_path : "");
		return EX_UNAVAILABLE;
	}
	err = write_attr(DFUSE_DRIVER_DIR "/bind", intf);
	if (err == -EACCES || err == -EPERM)
		return lab_need_root("bind", usb_path);
	snprintf(path, sizeof(path), "%s/%s/driver", USB_DEVICES, intf);
	if (err || access(path, F_OK)) {
		/* probe refused: the kernel log says why (e.g. dfuse.userspace) */
		fprintf(stderr, "dfuse: bind %s: %s (see the kernel log)\n", intf,
			strerror(err ? -err : ENODEV));
		return EX_UNAVAILABLE;
	}
	printf("bound %s to dfuse\n", intf);
	return EX_OK;
}

int lab_print_released(bool json, bool comma)
{
	DIR *d = opendir(USB_DEVICES);
	struct dirent *e;
	char dir[512], usb[256], vid[8], pid[8], serial[128];
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (!released(e->d_name))
			continue;
		snprintf(usb, sizeof(usb), "%s", e->d_name);
		usb[strcspn(usb, ":")] = '\0';
		snprintf(dir, sizeof(dir), "%s/%s", USB_DEVICES, usb);
		lab_read_attr(dir, "idVendor", vid, sizeof(vid));
		lab_read_attr(dir, "idProduct", pid, sizeof(pid));
		lab_read_attr(dir, "serial", serial, sizeof(serial));
		if (json)
			printf("%s{\"released\":true,\"usb_path\":\"%s\",\"id\":\"%s:%s\"}",
			       n || comma ? "," : "", usb, vid, pid);
		else
			printf("released %s:%s at USB path %s, serial %s: not bound to dfuse (dfuse bind --path %s)\n",
			       vid, pid, usb, serial[0] ? serial : "-", usb);
		n++;
	}
	closedir(d);
	return n;
}

/* A name for a path component: lower case, runs of others as one '-'. */
static void safe_name(const char *in, char *out, size_t size)
{
	size_t n = 0;
	bool dash = false;

	for (; *in && n + 1 < size; in++) {
		if (isalnum((unsigned char)*in) || *in == '.' || *in == '_') {
			if (dash && n)
				out[n++] = '-';
			if (n + 1 < size)
				out[n++] = (char)tolower((unsigned char)*in);
			dash = false;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, size, "unnamed");
	/* "." and ".." are no link names, a leading dot hides one */
	for (n = 0; out[n] == '.'; n++)
		out[n] = '_';
}

/* Other dfuse boards with @serial than the one at @usb_path? */
static bool serial_shared(const char *serial, const char *usb_path)
{
	DIR *d = opendir(DFUSE_DRIVER_DIR);
	struct dirent *e;
	char dir[512], s[128], usb[256];
	bool shared = false;

	if (!d)
		return false;
	while (!shared && (e = readdir(d))) {
		if (!strchr(e->d_name, ':'))
			continue;
		snprintf(usb, sizeof(usb), "%s", e->d_name);
		usb[strcspn(usb, ":")] = '\0';
		if (!strcmp(usb, usb_path))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", USB_DEVICES, usb);
		shared = !lab_read_attr(dir, "serial", s, sizeof(s)) &&
			 !strcasecmp(s, serial);
	}
	closedir(d);
	return shared;
}

int lab_udev_env(const char *syspath)
{
	char intf[PATH_MAX + 16], usbdev[PATH_MAX + 16], name[128], alt[16];
	char serial[128];
	char vid[8], pid[8], safe_alt[128], safe_serial[128], real[PATH_MAX];
	const char *base, *usb;
	char *colon;

	/* /sys/class/dfuse/dfuseN.M -> the interface -> the USB device */
	if (lab_read_attr(syspath, "name", name, sizeof(name)) ||
	    lab_read_attr(syspath, "alt_setting", alt, sizeof(alt))) {
		fprintf(stderr, "dfuse: %s is not a dfuse node\n", syspath);
		return EX_USAGE;
	}
	snprintf(intf, sizeof(intf), "%s/device", syspath);
	if (!realpath(intf, real)) {
		fprintf(stderr, "dfuse: %s: %s\n", intf, strerror(errno));
		return EX_OSERR;
	}
	base = strrchr(real, '/');
	usb = base ? base + 1 : real;
	snprintf(usbdev, sizeof(usbdev), "%s/..", real);
	lab_read_attr(usbdev, "serial", serial, sizeof(serial));
	lab_read_attr(usbdev, "idVendor", vid, sizeof(vid));
	lab_read_attr(usbdev, "idProduct", pid, sizeof(pid));
	safe_name(name, safe_alt, sizeof(safe_alt));
	safe_name(serial, safe_serial, sizeof(safe_serial));
	snprintf(intf, sizeof(intf), "%s", usb);
	colon = strchr(intf, ':');
	if (colon)
		*colon = '\0';
	printf("DFUSE_USB_PATH=%s\nDFUSE_ALT=%s\nDFUSE_ALT_NAME=%s\n", intf, alt,
	       safe_alt);
	printf("DFUSE_ID=%s:%s\n", vid, pid);
	if (serial[0]) {
		printf("DFUSE_SERIAL=%s\n", safe_serial);
		/* ROM serials repeat: only a unique one gets a by-serial link */
		printf("DFUSE_SERIAL_UNIQUE=%d\n", !serial_shared(serial, intf));
	}
	return EX_OK;
}

int alt_holds(const struct nl_alt *alt, uint32_t addr, const uint8_t *data,
	      uint32_t len)
{
	uint8_t buf[65536];
	char node[64];
	uint32_t off = 0, n;
	ssize_t got;
	int fd, same = 1;

	snprintf(node, sizeof(node), "/dev/%s", alt->node);
	fd = open(node, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (same && off < len) {
		n = len - off < sizeof(buf) ? len - off : (uint32_t)sizeof(buf);
		got = pread(fd, buf, n, (off_t)(addr - alt->base) + off);
		if (got != (ssize_t)n) {
			same = got < 0 ? -errno : -EIO;
			break;
		}
		same = !memcmp(buf, data + off, n);
		off += n;
	}
	close(fd);
	return same;
}
