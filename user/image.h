/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firmware images: DfuSe .dfu, DFU-suffixed files, raw binaries, Intel
 * HEX, Motorola S-records and ELF, all read into one model: a list of
 * elements (alternate setting, address, bytes); and DfuSe written back.
 */
#ifndef DFUSE_USER_IMAGE_H
#define DFUSE_USER_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum image_format {
	IMAGE_AUTO, IMAGE_DFUSE, IMAGE_DFU, IMAGE_RAW, IMAGE_IHEX,
	IMAGE_SREC, IMAGE_ELF,
};

#define IMAGE_ANY_ID	0xffff
#define IMAGE_MAX_TARGETS 32

struct image_element {
	unsigned int target;	/* index into image.targets */
	uint32_t address;
	uint32_t size;
	uint8_t *data;
};

/* Larger files are refused (EFBIG): no STM32 has that much flash. */
#define IMAGE_MAX_FILE	(256u << 20)

struct image_target {
	uint8_t alt;
	bool named;
	char name[256];
};

struct image {
	enum image_format format;
	bool has_suffix;
	uint8_t suffix_len;			/* its bLength: 16 or more */
	bool crc_checked;			/* the suffix's CRC was verified */
	uint16_t vid, pid, bcd_device, bcd_dfu;	/* 0xffff: any */
	unsigned int nr_targets;
	struct image_target targets[IMAGE_MAX_TARGETS];
	size_t nr_elements;
	struct image_element *elements;
};

/*
 * Parse @len bytes of @buf. @fmt IMAGE_AUTO guesses from the content;
 * a raw file needs @raw_address. On failure returns -1 with a message
 * "byte N: reason" (or "line N: reason") in @err; nothing is kept.
 */
int image_parse(const uint8_t *buf, size_t len, enum image_format fmt,
		uint32_t raw_address, struct image *img, char *err,
		size_t errlen);
/* As image_parse, from a file; IMAGE_AUTO goes by the name's extension
 * first (.bin .hex .srec .s19 .elf ...), then by the content. Returns
 * IMAGE_NO_INPUT when the file cannot be opened or is not a regular file. */
#define IMAGE_NO_INPUT	(-2)
int image_load(const char *path, enum image_format fmt, uint32_t raw_address,
	       struct image *img, char *err, size_t errlen);
void image_free(struct image *img);

/* Bytes in all elements. */
uint64_t image_total(const struct image *img);

/*
 * Elements must not overlap within an alt setting (targets may share
 * one): 0 or -1 with a message.
 */
int image_check_overlaps(const struct image *img, char *err, size_t errlen);

/* Serialise as a DfuSe file with suffix. Caller frees *out. */
int image_write_dfuse(const struct image *img, uint8_t **out, size_t *len);

uint32_t image_dfu_crc(const uint8_t *buf, size_t len);
const char *image_format_name(enum image_format fmt);
enum image_format image_format_from_name(const char *name);

#endif
