// SPDX-License-Identifier: GPL-2.0
/* Board selection from the netlink dump, and map checks on the tool side. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "device.h"

#define MAX_BOARDS 64

/*
 * The node's kernel name ("dfuse0.1") in @out: udev's links
 * (/dev/dfuse/by-path/...) resolved while they exist, else @node itself
 * without /dev/ (a board that is not there yet, for wait).
 */
static void node_name(const char *node, char *out, size_t size)
{
	char real[PATH_MAX];
	const char *n = realpath(node, real) ? real : node;

	snprintf(out, size, "%s", strncmp(n, "/dev/", 5) ? n : n + 5);
}

int selector_node_alt(struct selector *sel)
{
	static char alt[16];
	char name[PATH_MAX];
	unsigned int board, setting;
	char end;

	if (!sel->node || sel->alt)
		return 0;
	node_name(sel->node, name, sizeof(name));
	if (sscanf(name, "dfuse%u.%u%c", &board, &setting, &end) != 2 &&
	    access(sel->node, F_OK)) {
		fprintf(stderr, "dfuse: --device %s: %s\n", sel->node, strerror(errno));
		return EX_UNAVAILABLE;
	}
	if (sscanf(name, "dfuse%u.%u%c", &board, &setting, &end) != 2) {
		fprintf(stderr, "dfuse: --device %s: not a dfuse node (/dev/dfuseN.M or a link to one)\n",
			sel->node);
		return EX_USAGE;
	}
	snprintf(alt, sizeof(alt), "%u", setting);
	sel->alt = alt;
	return 0;
}

static bool matches(const struct selector *sel, const struct nl_device *d)
{
	char name[PATH_MAX];
	unsigned int i;

	if (sel->serial && strcasecmp(sel->serial, d->serial))
		return false;
	if (sel->path && strcmp(sel->path, d->usb_path))
		return false;
	if (sel->vid >= 0 && (unsigned int)sel->vid != d->vendor)
		return false;
	if (sel->pid >= 0 && (unsigned int)sel->pid != d->product)
		return false;
	if (sel->node) {
		node_name(sel->node, name, sizeof(name));
		for (i = 0; i < d->nr_alts; i++)
			if (!strcmp(d->alt[i].node, name))
				return true;
		return false;
	}
	return true;
}

int boards_matching(const struct selector *sel)
{
	static struct nl_device all[MAX_BOARDS];
	int i, n = nl_list(all, MAX_BOARDS), found = 0;

	for (i = 0; i < n; i++)
		found += matches(sel, &all[i]);
	return n < 0 ? n : found;
}

int select_board(const struct selector *sel, struct nl_device *dev)
{
	static struct nl_device all[MAX_BOARDS];
	int i, n = nl_list(all, MAX_BOARDS), found = 0, pick = -1;

	if (n < 0)
		return EX_UNAVAILABLE;
	for (i = 0; i < n; i++) {
		if (matches(sel, &all[i])) {
			found++;
			pick = i;
		}
	}
	if (!found) {
		fprintf(stderr, "dfuse: no DfuSe board %s\n",
			n ? "matches the selection" : "found");
		return EX_UNAVAILABLE;
	}
	if (found > 1) {
		fprintf(stderr, "dfuse: %d boards found; pick one with --serial, --path or --device:\n",
			found);
		for (i = 0; i < n; i++)
			if (matches(sel, &all[i]))
				fprintf(stderr, "  dfuse%u  serial %s  usb %s  /dev/%s\n",
					all[i].number, all[i].serial,
					all[i].usb_path, all[i].alt[0].node);
		return EX_USAGE;
	}
	*dev = all[pick];
	return 0;
}

const struct nl_alt *alt_by_setting(const struct nl_device *dev,
				    unsigned int setting)
{
	unsigned int i;

	for (i = 0; i < dev->nr_alts; i++)
		if (dev->alt[i].setting == setting)
			return &dev->alt[i];
	return NULL;
}

/* "option-bytes" and "Option_Bytes" name the alt "Option Bytes" */
static bool alt_name_eq(const char *name, const char *want)
{
	for (;; name++, want++) {
		char a = *name == '-' || *name == '_' ? ' ' : tolower((unsigned char)*name);
		char b = *want == '-' || *want == '_' ? ' ' : tolower((unsigned char)*want);

		if (a != b)
			return false;
		if (!a)
			return true;
	}
}

const struct nl_alt *select_alt(const struct nl_device *dev, const char *alt)
{
	const struct nl_alt *a = NULL;
	unsigned int i;
	char *end;
	long n;

	if (!alt)
		alt = "0";
	n = strtol(alt, &end, 0);
	if (*alt && !*end && n >= 0)
		a = alt_by_setting(dev, (unsigned int)n);
	for (i = 0; !a && i < dev->nr_alts; i++)
		if (alt_name_eq(dev->alt[i].name, alt))
			a = &dev->alt[i];
	if (!a)
		fprintf(stderr, "dfuse: dfuse%u has no alternate setting \"%s\"\n",
			dev->number, alt);
	return a;
}

struct seg {
	uint64_t start, end;
	uint32_t page;
	bool writable;
};

static int segments(const struct nl_alt *alt, struct seg *out, int max)
{
	const char *p = alt->segments;
	int n = 0;

	while (*p && n < max) {
		unsigned int start, count, page;
		char flags[8] = "";

		if (sscanf(p, "0x%x %ux%u %7s", &start, &count, &page, flags) < 3)
			break;
		out[n].start = start;
		out[n].end = start + (uint64_t)count * page;
		out[n].page = page;
		out[n].writable = strchr(flags, 'w') != NULL;
		n++;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return n;
}

bool alt_writable(const struct nl_alt *alt, uint32_t addr, uint32_t len)
{
	struct seg s[64];
	int i, n = segments(alt, s, 64);
	uint64_t a = addr, end = (uint64_t)addr + len;

	while (a < end) {
		for (i = 0; i < n; i++)
			if (a >= s[i].start && a < s[i].end && s[i].writable)
				break;
		if (i == n)
			return false;
		a = s[i].end;
	}
	return true;
}

uint64_t alt_page_end(const struct nl_alt *alt, uint32_t addr)
{
	struct seg s[64];
	int i, n = segments(alt, s, 64);

	for (i = 0; i < n; i++)
		if (addr >= s[i].start && addr < s[i].end)
			return s[i].start + ((addr - s[i].start) / s[i].page + 1) *
			       (uint64_t)s[i].page;
	return (uint64_t)addr + 1;
}

int exit_code(int err)
{
	switch (err) {
	case 0:
		return EX_OK;
	case ENODEV:
	case ENOENT:
		return EX_UNAVAILABLE;
	case EACCES:
	case EPERM:
		return EX_NOPERM;
	case EBUSY:
	case EINTR:
		return EX_TEMPFAIL;
	case EINVAL:
	case ENXIO:
	case EROFS:
	case ENOSPC:
	case EOVERFLOW:
		return EX_DATAERR;
	default:
		return EX_IOERR;
	}
}
