// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: kernel/quirks.c, the parser of the "quirks" module parameter
 * (root's text, but a typo must never crash the kernel), on any string:
 * checked, then looked up for the VID:PID:BCD of its first bytes; every
 * string it fills must end inside its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/quirks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dfuse_quirks q;
	const char *why = NULL;
	char *s = malloc(size + 1);
	unsigned int i;
	uint16_t v[3] = { 0x0483, 0xdf11, 0x2200 };

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < 3 && size >= 2 * (i + 1); i++)
		v[i] = (uint16_t)(data[2 * i] | data[2 * i + 1] << 8);
	dfuse_quirks_check(s, &q, &why);
	memset(&q, 0, sizeof(q));
	dfuse_quirks_lookup(s, v[0], v[1], v[2], &q, &why);
	if (strnlen(q.applied, sizeof(q.applied)) == sizeof(q.applied))
		abort();
	for (i = 0; i < DFUSE_QUIRK_MAPS; i++)
		if (strnlen(q.map[i], sizeof(q.map[i])) == sizeof(q.map[i]))
			abort();
	dfuse_gd32_flash_kib(s);
	free(s);
	return 0;
}
