// SPDX-License-Identifier: GPL-2.0
/*
 * `dfuse pack` arguments, strict: an address that is not all hex digits,
 * or an alt setting that is not a number, is refused rather than read as
 * something else (strtoul would take "08000000" as 0).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pack_arg.h"

static int whole_number(const char *s, int base, unsigned long max,
			unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, base);
	return *end || errno || *out > max ? -1 : 0;
}

int pack_parse_arg(char *arg, unsigned int alt, int (*exists)(const char *path),
		   struct pack_arg *out, const char **why)
{
	char *colon = strchr(arg, ':'), *at;
	unsigned long v;

	if (!colon) {
		*why = "not ADDR:FILE[@ALT]";
		return -1;
	}
	*colon = '\0';
	out->file = colon + 1;
	at = strrchr(out->file, '@');
	if (at && !exists(out->file)) {
		*at = '\0';	/* FILE@ALT */
		if (whole_number(at + 1, 10, 255, &v)) {
			*why = "the alt setting after the file is not 0..255";
			return -1;
		}
		alt = (unsigned int)v;
	}
	at = strchr(arg, '@');	/* dfuse-pack's ADDR@ALT */
	if (at) {
		*at = '\0';
		if (whole_number(at + 1, 10, 255, &v)) {
			*why = "the alt setting after the address is not 0..255";
			return -1;
		}
		alt = (unsigned int)v;
	}
	if (strncasecmp(arg, "0x", 2) ||
	    arg[2 + strspn(arg + 2, "0123456789abcdefABCDEF")] ||
	    whole_number(arg + 2, 16, 0xffffffffu, &v)) {
		*why = "the address is not 0x followed by hex digits";
		return -1;
	}
	if (!*out->file) {
		*why = "no file name";
		return -1;
	}
	out->address = (uint32_t)v;
	out->alt = alt;
	return 0;
}
