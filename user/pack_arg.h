/* SPDX-License-Identifier: GPL-2.0 */
/* One argument of `dfuse pack`: ADDR[@ALT]:FILE[@ALT]. */
#ifndef DFUSE_USER_PACK_ARG_H
#define DFUSE_USER_PACK_ARG_H

#include <stdint.h>

struct pack_arg {
	uint32_t address;
	unsigned int alt;
	const char *file;	/* points into the argument */
};

/*
 * Parse @arg in place: ADDR is 0x and hex digits; ALT 0..255 either after
 * the address (dfuse-pack's form) or after the file, where @exists (a
 * file of that whole name?) decides whether "@N" belongs to the name.
 * @alt is the default. Return: 0, or -1 with @why.
 */
int pack_parse_arg(char *arg, unsigned int alt, int (*exists)(const char *path),
		   struct pack_arg *out, const char **why);

#endif
