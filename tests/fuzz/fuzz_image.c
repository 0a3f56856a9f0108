// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for one image format (FUZZ_FORMAT, set by the
 * Makefile), under ASan and UBSan. A file either is refused with a
 * message, or parses into elements that hold data, stay below 4 GiB and
 * do not overlap: anything else aborts, and libFuzzer keeps the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../user/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image img;
	char err[256];
	size_t i;

	err[0] = '\0';
	if (image_parse(data, size, FUZZ_FORMAT, 0x08000000, &img, err,
			sizeof(err))) {
		if (!err[0])
			abort();	/* refused without a reason */
		return 0;
	}
	if (!img.nr_elements || !image_total(&img))
		abort();		/* "flashed 0 bytes" */
	for (i = 0; i < img.nr_elements; i++)
		if ((uint64_t)img.elements[i].address + img.elements[i].size >
		    0x100000000ull)
			abort();
	if (image_check_overlaps(&img, err, sizeof(err)))
		abort();
	image_free(&img);
	return 0;
}
