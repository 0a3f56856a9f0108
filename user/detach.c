// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse detach: an application with a DfuSe runtime interface (bound by
 * the driver, kernel/runtime.c) is told to restart in its bootloader
 * through sysfs; the bootloader then enumerates as a new board.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "detach.h"
#include "lab.h"
#include "nl.h"


/* The interface directory of the one matching application, in @intf. */
static int find_application(const char *serial, char *intf, size_t size)
{
	char path[512], ser[128];
	struct dirent *d;
	int found = 0;
	DIR *dir = opendir(DFUSE_DRIVER_DIR);

	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), "%s/%s/dfu_runtime/detach",
			 DFUSE_DRIVER_DIR, d->d_name);
		if (access(path, F_OK))
			continue;
		/* the interface's device is its parent: "1-1" of "1-1:1.0" */
		snprintf(path, sizeof(path), "%s/%s/..", DFUSE_DRIVER_DIR, d->d_name);
		lab_read_attr(path, "serial", ser, sizeof(ser));
		if (serial && strcasecmp(serial, ser))
			continue;
		if (!found++)
			snprintf(intf, size, "%s/%s", DFUSE_DRIVER_DIR, d->d_name);
	}
	closedir(dir);
	return found;
}

/*
 * A board that was not there before: the bootloader (its serial may not
 * be the application's, so any new board counts).
 */
static int new_board(const unsigned char *before, unsigned int *number)
{
	static struct nl_device devs[64];
	int n = nl_list(devs, 64), i;

	for (i = 0; i < n; i++) {
		if (devs[i].number < 256 && !before[devs[i].number]) {
			*number = devs[i].number;
			return 1;
		}
	}
	return 0;
}

int detach_and_wait(const char *serial, int timeout_ms, unsigned int *number)
{
	static struct nl_device devs[64];
	char intf[512], path[600];
	int apps, ms, i, n;
	unsigned char before[256] = { 0 };
	FILE *f;

	if (lab_need_driver())
		return EX_UNAVAILABLE;
	apps = find_application(serial, intf, sizeof(intf));
	if (!apps) {
		fprintf(stderr, "dfuse: no application with a DfuSe runtime interface%s%s\n",
			serial ? " with serial " : "", serial ? serial : "");
		return EX_UNAVAILABLE;
	}
	if (apps > 1) {
		fprintf(stderr, "dfuse: %d applications can detach; choose one with --serial\n",
			apps);
		return EX_USAGE;
	}
	n = nl_list(devs, 64);
	for (i = 0; i < n; i++)
		if (devs[i].number < 256)
			before[devs[i].number] = 1;
	snprintf(path, sizeof(path), "%s/dfu_runtime/detach", intf);
	if (access(path, W_OK) && (errno == EACCES || errno == EPERM))
		return lab_need_root("detach", NULL);
	f = fopen(path, "w");
	if (!f || fputs("1\n", f) < 0 || fclose(f)) {
		fprintf(stderr, "dfuse: %s: %s\n", path, strerror(errno));
		return EX_IOERR;
	}
	for (ms = 0; ms <= timeout_ms; ms += 100) {
		if (new_board(before, number))
			return 0;
		usleep(100000);
	}
	fprintf(stderr, "dfuse: the application detached, but no DfuSe bootloader appeared within %d ms\n",
		timeout_ms);
	return EX_UNAVAILABLE;
}
