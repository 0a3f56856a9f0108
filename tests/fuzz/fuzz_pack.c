// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for `dfuse pack` arguments: any string is either
 * refused with a reason or yields an address whose hex spelling is in it,
 * an alt of 0..255 and a non-empty file name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../user/pack_arg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "files" whose names end in @1 exist: both readings get exercised */
static int exists(const char *path)
{
	size_t n = strlen(path);

	return n >= 2 && !strcmp(path + n - 2, "@1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = malloc(size + 1);
	struct pack_arg pa;
	const char *why = NULL;

	if (!arg)
		return 0;
	memcpy(arg, data, size);
	arg[size] = '\0';
	if (pack_parse_arg(arg, 0, exists, &pa, &why)) {
		if (!why)
			abort();
	} else if (pa.alt > 255 || !pa.file || !*pa.file) {
		abort();
	}
	free(arg);
	return 0;
}
