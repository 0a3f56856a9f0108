// SPDX-License-Identifier: GPL-2.0
/*
 * The DFU suffix and ST's DfuSe container (UM0391): reading and writing.
 */
#include <errno.h>
#include <zlib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

/* The 16-byte suffix, if the file ends with one. */
bool parse_suffix(const uint8_t *buf, size_t len, struct image *img)
{
	const uint8_t *s;

	if (len < SUFFIX_LEN)
		return false;
	s = buf + len - SUFFIX_LEN;
	if (memcmp(s + 8, "UFD", 3) || s[11] < SUFFIX_LEN)
		return false;
	img->bcd_device = img_le16(s);
	img->pid = img_le16(s + 2);
	img->vid = img_le16(s + 4);
	img->bcd_dfu = img_le16(s + 6);
	img->suffix_len = s[11];
	img->has_suffix = true;
	return true;
}

int check_crc(const uint8_t *buf, size_t len, struct image *img,
	      char *err, size_t errlen)
{
	uint32_t want = img_le32(buf + len - 4), got = image_dfu_crc(buf, len - 4);

	if (want != got)
		return img_fail(err, errlen,
			    "byte %zu: CRC 0x%08x in the suffix, the file's is 0x%08x",
			    len - 4, want, got);
	img->crc_checked = true;
	return 0;
}

int parse_dfuse(const uint8_t *buf, size_t len, struct image *img,
		char *err, size_t errlen)
{
	size_t body, o = PREFIX_LEN;
	unsigned int t, ntargets;

	if (!img->has_suffix)
		return img_fail(err, errlen, "byte %zu: no DFU suffix at the end", len);
	if (check_crc(buf, len, img, err, errlen))
		return -1;
	body = len - SUFFIX_LEN;
	if (body < PREFIX_LEN)
		return img_fail(err, errlen, "byte 0: file too short for a DfuSe prefix");
	if (memcmp(buf, "DfuSe", 5))
		return img_fail(err, errlen, "byte 0: no \"DfuSe\" signature");
	if (buf[5] != 0x01)
		return img_fail(err, errlen, "byte 5: DfuSe version %u, expected 1", buf[5]);
	/* UM0391 errata: without the suffix; dfuse-pack counts it: take both */
	if (img_le32(buf + 6) != body && img_le32(buf + 6) != len)
		return img_fail(err, errlen,
			    "byte 6: DfuSe image size %u, but the file has %zu bytes (%zu before the suffix)",
			    img_le32(buf + 6), len, body);
	ntargets = buf[10];
	if (ntargets > IMAGE_MAX_TARGETS)
		return img_fail(err, errlen, "byte 10: %u targets, at most %d supported",
			    ntargets, IMAGE_MAX_TARGETS);
	for (t = 0; t < ntargets; t++) {
		const uint8_t *h = buf + o;
		uint32_t tsize, nel, e;
		size_t tend;

		if (o + TARGET_LEN > body)
			return img_fail(err, errlen,
				    "byte %zu: target %u of %u: the file ends before its header",
				    o, t + 1, ntargets);
		if (memcmp(h, "Target", 6))
			return img_fail(err, errlen, "byte %zu: target %u: no \"Target\" signature",
				    o, t + 1);
		img->targets[t].alt = h[6];
		img->targets[t].named = img_le32(h + 7) != 0;
		memcpy(img->targets[t].name, h + 11, 255);
		img->targets[t].name[255] = '\0';
		tsize = img_le32(h + 266);
		nel = img_le32(h + 270);
		o += TARGET_LEN;
		if (tsize > body - o)
			return img_fail(err, errlen,
				    "byte %zu: target %u: size %u runs past the end of the image",
				    o - 8, t + 1, tsize);
		tend = o + tsize;
		for (e = 0; e < nel; e++) {
			uint32_t addr, size;

			if (o + ELEMENT_LEN > tend)
				return img_fail(err, errlen,
					    "byte %zu: target %u: element %u of %u lies past the target's end",
					    o, t + 1, e + 1, nel);
			addr = img_le32(buf + o);
			size = img_le32(buf + o + 4);
			if (size > tend - o - ELEMENT_LEN)
				return img_fail(err, errlen,
					    "byte %zu: target %u element %u: size %u runs past the target's end",
					    o + 4, t + 1, e + 1, size);
			if ((uint64_t)addr + size > 0x100000000ull)
				return img_fail(err, errlen,
					    "byte %zu: element at 0x%08x of %u bytes wraps past 4 GiB",
					    o, addr, size);
			if (add_element(img, t, addr, buf + o + ELEMENT_LEN, size))
				return img_fail(err, errlen, "out of memory");
			o += ELEMENT_LEN + size;
		}
		if (o != tend)
			return img_fail(err, errlen,
				    "byte %zu: target %u: %zu bytes left after its %u elements",
				    o, t + 1, tend - o, nel);
	}
	img->nr_targets = ntargets;
	if (o != body)
		return img_fail(err, errlen,
			    "byte %zu: %zu bytes after the last of %u targets",
			    o, body - o, ntargets);
	return image_check_overlaps(img, err, errlen);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

int image_write_dfuse(const struct image *img, uint8_t **out, size_t *len)
{
	size_t size = PREFIX_LEN + SUFFIX_LEN, i, o;
	unsigned int t;
	uint8_t *b;

	for (t = 0; t < img->nr_targets; t++)
		size += TARGET_LEN;
	for (i = 0; i < img->nr_elements; i++)
		size += ELEMENT_LEN + img->elements[i].size;
	b = calloc(1, size);
	if (!b)
		return -ENOMEM;
	memcpy(b, "DfuSe\x01", 6);
	put32(b + 6, (uint32_t)(size - SUFFIX_LEN));
	b[10] = (uint8_t)img->nr_targets;
	o = PREFIX_LEN;
	for (t = 0; t < img->nr_targets; t++) {
		uint8_t *h = b + o;
		uint32_t tsize = 0, nel = 0;

		memcpy(h, "Target", 6);
		h[6] = img->targets[t].alt;
		put32(h + 7, img->targets[t].named);
		strncpy((char *)h + 11, img->targets[t].name, 254);
		o += TARGET_LEN;
		for (i = 0; i < img->nr_elements; i++) {
			const struct image_element *el = &img->elements[i];

			if (el->target != t)
				continue;
			put32(b + o, el->address);
			put32(b + o + 4, el->size);
			memcpy(b + o + ELEMENT_LEN, el->data, el->size);
			o += ELEMENT_LEN + el->size;
			tsize += ELEMENT_LEN + el->size;
			nel++;
		}
		put32(h + 266, tsize);
		put32(h + 270, nel);
	}
	put16(b + o, img->bcd_device);
	put16(b + o + 2, img->pid);
	put16(b + o + 4, img->vid);
	put16(b + o + 6, IMAGE_BCD_DFUSE);
	memcpy(b + o + 8, "UFD", 3);
	b[o + 11] = SUFFIX_LEN;
	put32(b + o + 12, image_dfu_crc(b, size - 4));
	*out = b;
	*len = size;
	return 0;
}

uint32_t image_dfu_crc(const uint8_t *buf, size_t len)
{
	return (uint32_t)crc32(0L, buf, (uInt)len) ^ 0xffffffffu;
}
