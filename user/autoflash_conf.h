/* SPDX-License-Identifier: GPL-2.0 */
/*
 * autoflash.conf: which image a board gets when it is plugged in. The
 * file, then every *.conf in the directory beside it named FILE.d (in
 * name order), so that each role of a configuration tool owns a file.
 */
#ifndef DFUSE_USER_AUTOFLASH_CONF_H
#define DFUSE_USER_AUTOFLASH_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"

#define AUTOFLASH_CONFIG	"/etc/dfuse/autoflash.conf"

#define AUTOFLASH_MAX	256

struct autoflash_entry {
	char key[8];		/* serial, path or id */
	char value[128];
	char image[256];
	char sha256[65];	/* the image's pinned SHA-256, or "" */
	char file[256];		/* where it was read: FILE:LINE in messages */
	uint32_t address;
	bool has_address, verify, leave, reflash_always;
	int line;
};

/*
 * Every entry of @config and its .d directory, at most @max: their count,
 * or -1 with @why ("FILE:LINE: reason") when a line is broken anywhere.
 */
int autoflash_read(const char *config, struct autoflash_entry *entries,
		   int max, char *why, size_t why_size);

/*
 * The first entry matching @dev. Return: 1 and @e, 0 when no entry
 * matches, -1 with @why ("FILE:LINE: reason") for a broken config.
 */
int autoflash_find(const char *config, const struct nl_device *dev,
		   struct autoflash_entry *e, char *why, size_t why_size);

/*
 * The entry's image is the one its sha256= pins (or nothing is pinned):
 * 0, or EX_DATAERR/EX_NOINPUT having said why.
 */
int autoflash_check_pin(const struct autoflash_entry *e);

#endif
