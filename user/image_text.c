// SPDX-License-Identifier: GPL-2.0
/*
 * The text formats: Intel HEX and Motorola S-record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

/* Past a UTF-8 byte order mark, which some editors put before text. */
size_t text_start(const uint8_t *buf, size_t len)
{
	return len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
}

static int hexbyte(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 2; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/* Decode a line's hex pairs into @out; returns bytes or -1. */
static int hexline(const char *p, size_t n, uint8_t *out, size_t max)
{
	size_t i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int v = hexbyte(p + 2 * i);

		if (v < 0)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

static size_t line_len(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *q = p;

	while (q < end && *q != '\n' && *q != '\r')
		q++;
	return (size_t)(q - p);
}

/* Past a line of @n bytes and its terminator (\n, \r\n or \r). */
static const uint8_t *next_line(const uint8_t *p, size_t n,
				const uint8_t *end)
{
	p += n;
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	return p;
}

/* A data record add_data() refused: past 4 GiB, or out of memory */
static int data_fail(char *err, size_t errlen, int line, int r)
{
	if (r == -ERANGE)
		return img_fail(err, errlen,
			    "line %d: data beyond 4 GiB (a 32-bit address would wrap to 0)", line);
	return img_fail(err, errlen, "out of memory");
}

int parse_ihex(const uint8_t *buf, size_t len, struct image *img,
	       char *err, size_t errlen)
{
	const uint8_t *p = buf + text_start(buf, len), *end = buf + len;
	uint32_t base = 0;
	int line = 0;
	bool eof = false;

	while (p < end && !eof) {
		size_t n = line_len(p, end);
		uint8_t rec[300], sum = 0;
		int i, cnt, r;

		line++;
		if (!n) {
			p = next_line(p, n, end);
			continue;
		}
		if (p[0] != ':')
			return img_fail(err, errlen, "line %d: does not start with ':'", line);
		cnt = hexline((const char *)p + 1, n - 1, rec, sizeof(rec));
		if (cnt < 5 || cnt != rec[0] + 5)
			return img_fail(err, errlen, "line %d: malformed record", line);
		for (i = 0; i < cnt; i++)
			sum += rec[i];
		if (sum)
			return img_fail(err, errlen,
				    "line %d: checksum 0x%02x, should be 0x%02x",
				    line, rec[cnt - 1], (uint8_t)(rec[cnt - 1] - sum));
		switch (rec[3]) {
		case 0:
			r = add_data(img, base + (rec[1] << 8 | rec[2]), rec + 4, rec[0]);
			if (r)
				return data_fail(err, errlen, line, r);
			break;
		case 1:
			if (rec[0])
				return img_fail(err, errlen,
					    "line %d: end-of-file record with data", line);
			eof = true;
			break;
		case 2:
		case 4:
			/* two data bytes, or the address is garbage */
			if (rec[0] != 2)
				return img_fail(err, errlen,
					    "line %d: address record with %u data bytes, not 2",
					    line, rec[0]);
			base = (uint32_t)(rec[4] << 8 | rec[5]) << (rec[3] == 2 ? 4 : 16);
			break;
		case 3:
		case 5:
			if (rec[0] != 4)
				return img_fail(err, errlen,
					    "line %d: start address record with %u data bytes, not 4",
					    line, rec[0]);
			break;	/* start address: not flash contents */
		default:
			return img_fail(err, errlen, "line %d: unknown record type %u",
				    line, rec[3]);
		}
		p = next_line(p, n, end);
	}
	if (!eof)
		return img_fail(err, errlen, "line %d: no end-of-file record", line);
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			return img_fail(err, errlen, "byte %zu: data after the end-of-file record",
				    (size_t)(p - buf));
	return image_check_overlaps(img, err, errlen);
}

int parse_srec(const uint8_t *buf, size_t len, struct image *img,
	       char *err, size_t errlen)
{
	const uint8_t *p = buf + text_start(buf, len), *end = buf + len;
	int line = 0;
	bool data = false, ended = false;
	unsigned long records = 0;

	while (p < end) {
		size_t n = line_len(p, end);
		uint8_t rec[300], sum = 0;
		int i, cnt, alen, r;
		uint32_t addr = 0;

		line++;
		if (!n) {
			p = next_line(p, n, end);
			continue;
		}
		if (p[0] != 'S' || n < 4 || p[1] < '0' || p[1] > '9')
			return img_fail(err, errlen, "line %d: not an S-record", line);
		if (ended)
			return img_fail(err, errlen, "line %d: a record after the termination record",
				    line);
		cnt = hexline((const char *)p + 2, n - 2, rec, sizeof(rec));
		if (cnt < 2 || cnt != rec[0] + 1)
			return img_fail(err, errlen, "line %d: malformed record", line);
		for (i = 0; i < cnt - 1; i++)
			sum += rec[i];
		sum = (uint8_t)~sum;
		if (sum != rec[cnt - 1])
			return img_fail(err, errlen,
				    "line %d: checksum 0x%02x, should be 0x%02x",
				    line, rec[cnt - 1], sum);
		alen = p[1] == '1' || p[1] == '9' ? 2 : p[1] == '2' ||
		       p[1] == '8' ? 3 : p[1] == '3' || p[1] == '7' ? 4 : 0;
		for (i = 0; i < alen; i++)
			addr = addr << 8 | rec[1 + i];
		if (alen && cnt < alen + 2)
			return img_fail(err, errlen, "line %d: record too short", line);
		if (alen && p[1] >= '1' && p[1] <= '3') {
			r = add_data(img, addr, rec + 1 + alen, cnt - alen - 2);
			if (r)
				return data_fail(err, errlen, line, r);
			data = true;
			records++;
		} else if (p[1] == '5' || p[1] == '6') {
			/* the count of S1/S2/S3 records so far */
			uint32_t want = 0;

			if (cnt != (p[1] == '5' ? 4 : 5))
				return img_fail(err, errlen, "line %d: malformed count record", line);
			for (i = 1; i < cnt - 1; i++)
				want = want << 8 | rec[i];
			if (want != (records & (p[1] == '5' ? 0xffff : 0xffffff)))
				return img_fail(err, errlen,
					    "line %d: count record says %u data records, the file has %lu",
					    line, want, records);
		} else if (p[1] >= '7' && p[1] <= '9') {
			ended = true;
		} else if (p[1] == '4') {
			return img_fail(err, errlen, "line %d: S4 is a reserved record type", line);
		}
		p = next_line(p, n, end);
	}
	if (!data)
		return img_fail(err, errlen, "line %d: no data records", line);
	if (!ended)
		return img_fail(err, errlen,
			    "line %d: no termination record (S7, S8 or S9): truncated?", line);
	return image_check_overlaps(img, err, errlen);
}
