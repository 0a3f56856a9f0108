/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the image format files (image*.c) share; not for the tool.
 */
#ifndef DFUSE_USER_IMAGE_INTERNAL_H
#define DFUSE_USER_IMAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"

#define SUFFIX_LEN	16
#define PREFIX_LEN	11
#define TARGET_LEN	274
#define ELEMENT_LEN	8

/* Formats the message into @err; returns -1. */
int img_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint32_t img_le32(const uint8_t *p);
uint16_t img_le16(const uint8_t *p);
int add_element(struct image *img, unsigned int target, uint32_t addr,
		const uint8_t *data, uint32_t size);
/* bcdDFU of a DfuSe file's suffix (UM0391), as DfuSe devices report */
#define IMAGE_BCD_DFUSE	0x011a

/* Append to the last element if contiguous, else start a new one; -ERANGE past 4 GiB */
int add_data(struct image *img, uint32_t addr, const uint8_t *data,
	     uint32_t size);
/* Past a UTF-8 byte order mark, which some editors put before text. */
size_t text_start(const uint8_t *buf, size_t len);
/* The 16-byte suffix, if the file ends with one. */
bool parse_suffix(const uint8_t *buf, size_t len, struct image *img);
int check_crc(const uint8_t *buf, size_t len, struct image *img,
	      char *err, size_t errlen);
int parse_dfuse(const uint8_t *buf, size_t len, struct image *img,
		char *err, size_t errlen);
int parse_ihex(const uint8_t *buf, size_t len, struct image *img,
	       char *err, size_t errlen);
int parse_srec(const uint8_t *buf, size_t len, struct image *img,
	       char *err, size_t errlen);

#endif
