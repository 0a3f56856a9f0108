// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware image formats (UM0391 DfuSe, DFU 1.1 suffix, Intel HEX,
 * Motorola S-record, ELF through libelf). Little-endian throughout.
 * CRC-32 comes from zlib; the DFU suffix stores it without the final
 * inversion.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "image.h"

#define SUFFIX_LEN	16
#define PREFIX_LEN	11
#define TARGET_LEN	274
#define ELEMENT_LEN	8

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
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

uint32_t image_dfu_crc(const uint8_t *buf, size_t len)
{
	return (uint32_t)crc32(0L, buf, (uInt)len) ^ 0xffffffffu;
}

static const char *const format_names[] = {
	"auto", "dfuse", "dfu", "raw", "ihex", "srec", "elf",
};

const char *image_format_name(enum image_format fmt)
{
	return format_names[fmt];
}

enum image_format image_format_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(name, format_names[i]))
			return (enum image_format)i;
	return (enum image_format)-1;
}

void image_free(struct image *img)
{
	size_t i;

	for (i = 0; i < img->nr_elements; i++)
		free(img->elements[i].data);
	free(img->elements);
	memset(img, 0, sizeof(*img));
}

static int add_element(struct image *img, unsigned int target, uint32_t addr,
		       const uint8_t *data, uint32_t size)
{
	struct image_element *el;

	el = realloc(img->elements, (img->nr_elements + 1) * sizeof(*el));
	if (!el)
		return -1;
	img->elements = el;
	el = &img->elements[img->nr_elements];
	el->target = target;
	el->address = addr;
	el->size = size;
	el->data = malloc(size ? size : 1);
	if (!el->data)
		return -1;
	memcpy(el->data, data, size);
	img->nr_elements++;
	return 0;
}

/* Append to the last element if contiguous, else start a new one. */
static int add_data(struct image *img, uint32_t addr, const uint8_t *data,
		    uint32_t size)
{
	struct image_element *last = img->nr_elements ?
		&img->elements[img->nr_elements - 1] : NULL;
	uint8_t *grown;

	/* an empty data record holds nothing (realloc(p, 0) would free p) */
	if (!size)
		return 0;
	if (!last || last->address + last->size != addr ||
	    (uint64_t)addr + size > 0x100000000ull)
		return add_element(img, 0, addr, data, size);
	grown = realloc(last->data, last->size + size);
	if (!grown)
		return -1;
	memcpy(grown + last->size, data, size);
	last->data = grown;
	last->size += size;
	return 0;
}

/* Elements of one alt setting (targets may share one) by address. */
static int by_address(const void *a, const void *b)
{
	const struct image_element *x = a, *y = b;

	/* .target holds the alt here: see image_check_overlaps() */
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return x->address < y->address ? -1 : x->address > y->address;
}

int image_check_overlaps(const struct image *img, char *err, size_t errlen)
{
	struct image_element *s;
	size_t i;

	if (img->nr_elements < 2)
		return 0;
	s = malloc(img->nr_elements * sizeof(*s));
	if (!s)
		return fail(err, errlen, "out of memory");
	memcpy(s, img->elements, img->nr_elements * sizeof(*s));
	/* two targets for one alt write the same memory */
	for (i = 0; i < img->nr_elements; i++)
		if (img->format == IMAGE_DFUSE && s[i].target < IMAGE_MAX_TARGETS)
			s[i].target = img->targets[s[i].target].alt;
	qsort(s, img->nr_elements, sizeof(*s), by_address);
	for (i = 1; i < img->nr_elements; i++) {
		if (s[i].target == s[i - 1].target &&
		    (uint64_t)s[i - 1].address + s[i - 1].size > s[i].address) {
			uint32_t a = s[i - 1].address, b = s[i].address;

			free(s);
			return fail(err, errlen,
				    "elements at 0x%08x and 0x%08x overlap", a, b);
		}
	}
	free(s);
	return 0;
}

/* The 16-byte suffix, if the file ends with one. */
static bool parse_suffix(const uint8_t *buf, size_t len, struct image *img)
{
	const uint8_t *s;

	if (len < SUFFIX_LEN)
		return false;
	s = buf + len - SUFFIX_LEN;
	if (memcmp(s + 8, "UFD", 3) || s[11] < SUFFIX_LEN)
		return false;
	img->bcd_device = le16(s);
	img->pid = le16(s + 2);
	img->vid = le16(s + 4);
	img->bcd_dfu = le16(s + 6);
	img->suffix_len = s[11];
	img->has_suffix = true;
	return true;
}

static int check_crc(const uint8_t *buf, size_t len, struct image *img,
		     char *err, size_t errlen)
{
	uint32_t want = le32(buf + len - 4), got = image_dfu_crc(buf, len - 4);

	if (want != got)
		return fail(err, errlen,
			    "byte %zu: CRC 0x%08x in the suffix, the file's is 0x%08x",
			    len - 4, want, got);
	img->crc_checked = true;
	return 0;
}

uint64_t image_total(const struct image *img)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < img->nr_elements; i++)
		total += img->elements[i].size;
	return total;
}

/* Past a UTF-8 byte order mark, which some editors put before text. */
static size_t text_start(const uint8_t *buf, size_t len)
{
	return len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
}

static int parse_dfuse(const uint8_t *buf, size_t len, struct image *img,
		       char *err, size_t errlen)
{
	size_t body, o = PREFIX_LEN;
	unsigned int t, ntargets;

	if (!img->has_suffix)
		return fail(err, errlen, "byte %zu: no DFU suffix at the end", len);
	if (check_crc(buf, len, img, err, errlen))
		return -1;
	body = len - SUFFIX_LEN;
	if (body < PREFIX_LEN)
		return fail(err, errlen, "byte 0: file too short for a DfuSe prefix");
	if (memcmp(buf, "DfuSe", 5))
		return fail(err, errlen, "byte 0: no \"DfuSe\" signature");
	if (buf[5] != 0x01)
		return fail(err, errlen, "byte 5: DfuSe version %u, expected 1", buf[5]);
	/* UM0391 errata: without the suffix; dfuse-pack counts it: take both */
	if (le32(buf + 6) != body && le32(buf + 6) != len)
		return fail(err, errlen,
			    "byte 6: DfuSe image size %u, but the file has %zu bytes (%zu before the suffix)",
			    le32(buf + 6), len, body);
	ntargets = buf[10];
	if (ntargets > IMAGE_MAX_TARGETS)
		return fail(err, errlen, "byte 10: %u targets, at most %d supported",
			    ntargets, IMAGE_MAX_TARGETS);
	for (t = 0; t < ntargets; t++) {
		const uint8_t *h = buf + o;
		uint32_t tsize, nel, e;
		size_t tend;

		if (o + TARGET_LEN > body)
			return fail(err, errlen,
				    "byte %zu: target %u of %u: the file ends before its header",
				    o, t + 1, ntargets);
		if (memcmp(h, "Target", 6))
			return fail(err, errlen, "byte %zu: target %u: no \"Target\" signature",
				    o, t + 1);
		img->targets[t].alt = h[6];
		img->targets[t].named = le32(h + 7) != 0;
		memcpy(img->targets[t].name, h + 11, 255);
		img->targets[t].name[255] = '\0';
		tsize = le32(h + 266);
		nel = le32(h + 270);
		o += TARGET_LEN;
		if (tsize > body - o)
			return fail(err, errlen,
				    "byte %zu: target %u: size %u runs past the end of the image",
				    o - 8, t + 1, tsize);
		tend = o + tsize;
		for (e = 0; e < nel; e++) {
			uint32_t addr, size;

			if (o + ELEMENT_LEN > tend)
				return fail(err, errlen,
					    "byte %zu: target %u: element %u of %u lies past the target's end",
					    o, t + 1, e + 1, nel);
			addr = le32(buf + o);
			size = le32(buf + o + 4);
			if (size > tend - o - ELEMENT_LEN)
				return fail(err, errlen,
					    "byte %zu: target %u element %u: size %u runs past the target's end",
					    o + 4, t + 1, e + 1, size);
			if ((uint64_t)addr + size > 0x100000000ull)
				return fail(err, errlen,
					    "byte %zu: element at 0x%08x of %u bytes wraps past 4 GiB",
					    o, addr, size);
			if (add_element(img, t, addr, buf + o + ELEMENT_LEN, size))
				return fail(err, errlen, "out of memory");
			o += ELEMENT_LEN + size;
		}
		if (o != tend)
			return fail(err, errlen,
				    "byte %zu: target %u: %zu bytes left after its %u elements",
				    o, t + 1, tend - o, nel);
	}
	img->nr_targets = ntargets;
	if (o != body)
		return fail(err, errlen,
			    "byte %zu: %zu bytes after the last of %u targets",
			    o, body - o, ntargets);
	return image_check_overlaps(img, err, errlen);
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

static int parse_ihex(const uint8_t *buf, size_t len, struct image *img,
		      char *err, size_t errlen)
{
	const uint8_t *p = buf + text_start(buf, len), *end = buf + len;
	uint32_t base = 0;
	int line = 0;
	bool eof = false;

	while (p < end && !eof) {
		size_t n = line_len(p, end);
		uint8_t rec[300], sum = 0;
		int i, cnt;

		line++;
		if (!n) {
			p = next_line(p, n, end);
			continue;
		}
		if (p[0] != ':')
			return fail(err, errlen, "line %d: does not start with ':'", line);
		cnt = hexline((const char *)p + 1, n - 1, rec, sizeof(rec));
		if (cnt < 5 || cnt != rec[0] + 5)
			return fail(err, errlen, "line %d: malformed record", line);
		for (i = 0; i < cnt; i++)
			sum += rec[i];
		if (sum)
			return fail(err, errlen,
				    "line %d: checksum 0x%02x, should be 0x%02x",
				    line, rec[cnt - 1], (uint8_t)(rec[cnt - 1] - sum));
		switch (rec[3]) {
		case 0:
			if (add_data(img, base + (rec[1] << 8 | rec[2]), rec + 4,
				     rec[0]))
				return fail(err, errlen, "out of memory");
			break;
		case 1:
			if (rec[0])
				return fail(err, errlen,
					    "line %d: end-of-file record with data", line);
			eof = true;
			break;
		case 2:
		case 4:
			/* two data bytes, or the address is garbage */
			if (rec[0] != 2)
				return fail(err, errlen,
					    "line %d: address record with %u data bytes, not 2",
					    line, rec[0]);
			base = (uint32_t)(rec[4] << 8 | rec[5]) << (rec[3] == 2 ? 4 : 16);
			break;
		case 3:
		case 5:
			if (rec[0] != 4)
				return fail(err, errlen,
					    "line %d: start address record with %u data bytes, not 4",
					    line, rec[0]);
			break;	/* start address: not flash contents */
		default:
			return fail(err, errlen, "line %d: unknown record type %u",
				    line, rec[3]);
		}
		p = next_line(p, n, end);
	}
	if (!eof)
		return fail(err, errlen, "line %d: no end-of-file record", line);
	for (; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			return fail(err, errlen, "byte %zu: data after the end-of-file record",
				    (size_t)(p - buf));
	return image_check_overlaps(img, err, errlen);
}

static int parse_srec(const uint8_t *buf, size_t len, struct image *img,
		      char *err, size_t errlen)
{
	const uint8_t *p = buf + text_start(buf, len), *end = buf + len;
	int line = 0;
	bool data = false, ended = false;
	unsigned long records = 0;

	while (p < end) {
		size_t n = line_len(p, end);
		uint8_t rec[300], sum = 0;
		int i, cnt, alen;
		uint32_t addr = 0;

		line++;
		if (!n) {
			p = next_line(p, n, end);
			continue;
		}
		if (p[0] != 'S' || n < 4 || p[1] < '0' || p[1] > '9')
			return fail(err, errlen, "line %d: not an S-record", line);
		if (ended)
			return fail(err, errlen, "line %d: a record after the termination record",
				    line);
		cnt = hexline((const char *)p + 2, n - 2, rec, sizeof(rec));
		if (cnt < 2 || cnt != rec[0] + 1)
			return fail(err, errlen, "line %d: malformed record", line);
		for (i = 0; i < cnt - 1; i++)
			sum += rec[i];
		sum = (uint8_t)~sum;
		if (sum != rec[cnt - 1])
			return fail(err, errlen,
				    "line %d: checksum 0x%02x, should be 0x%02x",
				    line, rec[cnt - 1], sum);
		alen = p[1] == '1' || p[1] == '9' ? 2 : p[1] == '2' ||
		       p[1] == '8' ? 3 : p[1] == '3' || p[1] == '7' ? 4 : 0;
		for (i = 0; i < alen; i++)
			addr = addr << 8 | rec[1 + i];
		if (alen && cnt < alen + 2)
			return fail(err, errlen, "line %d: record too short", line);
		if (alen && p[1] >= '1' && p[1] <= '3') {
			if (add_data(img, addr, rec + 1 + alen, cnt - alen - 2))
				return fail(err, errlen, "out of memory");
			data = true;
			records++;
		} else if (p[1] == '5' || p[1] == '6') {
			/* the count of S1/S2/S3 records so far */
			uint32_t want = 0;

			if (cnt != (p[1] == '5' ? 4 : 5))
				return fail(err, errlen, "line %d: malformed count record", line);
			for (i = 1; i < cnt - 1; i++)
				want = want << 8 | rec[i];
			if (want != (records & (p[1] == '5' ? 0xffff : 0xffffff)))
				return fail(err, errlen,
					    "line %d: count record says %u data records, the file has %lu",
					    line, want, records);
		} else if (p[1] >= '7' && p[1] <= '9') {
			ended = true;
		} else if (p[1] == '4') {
			return fail(err, errlen, "line %d: S4 is a reserved record type", line);
		}
		p = next_line(p, n, end);
	}
	if (!data)
		return fail(err, errlen, "line %d: no data records", line);
	if (!ended)
		return fail(err, errlen,
			    "line %d: no termination record (S7, S8 or S9): truncated?", line);
	return image_check_overlaps(img, err, errlen);
}

static int parse_elf(const uint8_t *buf, size_t len, struct image *img,
		     char *err, size_t errlen)
{
	Elf *elf;
	GElf_Ehdr eh;
	size_t i, nph;
	int ret = 0;

	elf_version(EV_CURRENT);
	elf = elf_memory((char *)buf, len);
	if (!elf || !gelf_getehdr(elf, &eh) || elf_getphdrnum(elf, &nph))
		ret = fail(err, errlen, "byte 0: not a valid ELF file: %s",
			   elf_errmsg(-1));
	for (i = 0; !ret && i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			ret = fail(err, errlen, "program header %zu: %s", i,
				   elf_errmsg(-1));
		else if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		else if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
			ret = fail(err, errlen,
				   "byte %llu: segment %zu runs past the end of the file",
				   (unsigned long long)ph.p_offset, i);
		else if (ph.p_paddr + ph.p_filesz > 0x100000000ull)
			ret = fail(err, errlen, "segment %zu: address beyond 4 GiB", i);
		else if (add_element(img, 0, (uint32_t)ph.p_paddr,
				     buf + ph.p_offset, (uint32_t)ph.p_filesz))
			ret = fail(err, errlen, "out of memory");
	}
	if (elf)
		elf_end(elf);
	if (!ret && !img->nr_elements)
		ret = fail(err, errlen, "no loadable segment with contents");
	return ret ? ret : image_check_overlaps(img, err, errlen);
}

static enum image_format guess(const uint8_t *buf, size_t len,
			       const struct image *img)
{
	if (len >= 5 && !memcmp(buf, "DfuSe", 5))
		return IMAGE_DFUSE;
	if (len >= 4 && !memcmp(buf, "\x7f" "ELF", 4))
		return IMAGE_ELF;
	/* text formats may start with a UTF-8 BOM or blank lines */
	size_t i = text_start(buf, len);

	while (i < len && (buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (len >= i + 1 && buf[i] == ':')
		return IMAGE_IHEX;
	if (len >= i + 2 && buf[i] == 'S' && buf[i + 1] >= '0' && buf[i + 1] <= '9')
		return IMAGE_SREC;
	return img->has_suffix ? IMAGE_DFU : IMAGE_RAW;
}

int image_parse(const uint8_t *buf, size_t len, enum image_format fmt,
		uint32_t raw_address, struct image *img, char *err,
		size_t errlen)
{
	int ret;

	memset(img, 0, sizeof(*img));
	img->vid = img->pid = img->bcd_device = IMAGE_ANY_ID;
	parse_suffix(buf, len, img);
	if (fmt == IMAGE_AUTO)
		fmt = guess(buf, len, img);
	img->format = fmt;
	img->nr_targets = 1;
	switch (fmt) {
	case IMAGE_DFUSE:
		ret = parse_dfuse(buf, len, img, err, errlen);
		break;
	case IMAGE_DFU:
		/* bLength may say the suffix is longer: none of it is firmware */
		if (!img->has_suffix)
			ret = fail(err, errlen, "byte %zu: no DFU suffix", len);
		else if (img->suffix_len > len)
			ret = fail(err, errlen,
				   "byte %zu: the suffix says it is %u bytes, the file has %zu",
				   len - 5, img->suffix_len, len);
		else if (!(ret = check_crc(buf, len, img, err, errlen)) &&
			 add_element(img, 0, raw_address, buf, len - img->suffix_len))
			ret = fail(err, errlen, "out of memory");
		break;
	case IMAGE_RAW:
		if ((uint64_t)raw_address + len > 0x100000000ull)
			ret = fail(err, errlen, "%zu bytes at 0x%08x run past 4 GiB",
				   len, raw_address);
		else
			ret = add_element(img, 0, raw_address, buf, len) ?
			      fail(err, errlen, "out of memory") : 0;
		break;
	case IMAGE_IHEX:
		ret = parse_ihex(buf, len, img, err, errlen);
		break;
	case IMAGE_SREC:
		ret = parse_srec(buf, len, img, err, errlen);
		break;
	case IMAGE_ELF:
		ret = parse_elf(buf, len, img, err, errlen);
		break;
	default:
		ret = fail(err, errlen, "unknown format");
	}
	if (!ret && !image_total(img))
		ret = fail(err, errlen, "no data to write: an empty %s image",
			   image_format_name(fmt));
	if (ret)
		image_free(img);
	return ret;
}

/*
 * A name that says what the file is wins over its first bytes: a .bin of
 * random firmware may well start with ':' or "S1" and is still binary
 * (raw, or DFU if it carries a suffix). IMAGE_AUTO: the name says nothing.
 */
static enum image_format format_by_name(const char *path, const uint8_t *buf,
					size_t len)
{
	static const struct { const char *ext; enum image_format fmt; } names[] = {
		{ ".hex", IMAGE_IHEX }, { ".ihex", IMAGE_IHEX },
		{ ".ihx", IMAGE_IHEX }, { ".srec", IMAGE_SREC },
		{ ".s19", IMAGE_SREC }, { ".s28", IMAGE_SREC },
		{ ".s37", IMAGE_SREC }, { ".mot", IMAGE_SREC },
		{ ".elf", IMAGE_ELF }, { ".axf", IMAGE_ELF },
	};
	const char *dot = strrchr(path, '.');
	struct image probe;
	size_t i;

	if (!dot || strchr(dot, '/'))
		return IMAGE_AUTO;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(dot, names[i].ext))
			return names[i].fmt;
	if (strcasecmp(dot, ".bin"))
		return IMAGE_AUTO;
	memset(&probe, 0, sizeof(probe));
	parse_suffix(buf, len, &probe);
	return probe.has_suffix ? IMAGE_DFU : IMAGE_RAW;
}

/* All of @fd, whatever it is (a pipe has no size): 0, or -1 and errno. */
static int read_all(int fd, uint8_t **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	uint8_t *buf = malloc(cap), *grown;
	ssize_t got;

	while (buf) {
		if (n == cap) {
			if (cap >= IMAGE_MAX_FILE) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			grown = realloc(buf, cap * 2);
			if (!grown)
				break;
			buf = grown;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return -1;
		}
		if (!got) {
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)got;
	}
	free(buf);
	errno = ENOMEM;
	return -1;
}

int image_load(const char *path, enum image_format fmt, uint32_t raw_address,
	       struct image *img, char *err, size_t errlen)
{
	uint8_t *buf;
	size_t len;
	int fd, ret;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(err, errlen, "%s", strerror(errno));
	if (read_all(fd, &buf, &len)) {
		ret = fail(err, errlen, "cannot read the file: %s", strerror(errno));
		close(fd);
		return ret;
	}
	close(fd);
	if (!len) {
		free(buf);
		return fail(err, errlen, "byte 0: the file is empty");
	}
	if (fmt == IMAGE_AUTO)
		fmt = format_by_name(path, buf, len);
	ret = image_parse(buf, len, fmt, raw_address, img, err, errlen);
	free(buf);
	return ret;
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
	put16(b + o + 6, 0x011a);
	memcpy(b + o + 8, "UFD", 3);
	b[o + 11] = SUFFIX_LEN;
	put32(b + o + 12, image_dfu_crc(b, size - 4));
	*out = b;
	*len = size;
	return 0;
}
