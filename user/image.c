// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware image formats (UM0391 DfuSe, DFU 1.1 suffix, Intel HEX,
 * Motorola S-record, ELF through libelf). Little-endian throughout.
 * CRC-32 comes from zlib; the DFU suffix stores it without the final
 * inversion.
 */
#include <ctype.h>
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

#include "image_internal.h"

int img_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

uint32_t img_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

uint16_t img_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
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
		if (!strcasecmp(name, format_names[i]))
			return (enum image_format)i;
	/* the names of the files' extensions */
	if (!strcasecmp(name, "bin"))
		return IMAGE_RAW;
	if (!strcasecmp(name, "hex"))
		return IMAGE_IHEX;
	if (!strcasecmp(name, "s19") || !strcasecmp(name, "s28") ||
	    !strcasecmp(name, "s37") || !strcasecmp(name, "srecord"))
		return IMAGE_SREC;
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

int add_element(struct image *img, unsigned int target, uint32_t addr,
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

/*
 * Append to the last element if contiguous, else start a new one; -ERANGE
 * for data that would run past 4 GiB (a 32-bit address would wrap to 0).
 */
int add_data(struct image *img, uint32_t addr, const uint8_t *data,
	     uint32_t size)
{
	struct image_element *last = img->nr_elements ?
		&img->elements[img->nr_elements - 1] : NULL;
	uint8_t *grown;

	/* an empty data record holds nothing (realloc(p, 0) would free p) */
	if (!size)
		return 0;
	if ((uint64_t)addr + size > 0x100000000ull)
		return -ERANGE;
	if (!last || last->address + last->size != addr)
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
		return img_fail(err, errlen, "out of memory");
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
			return img_fail(err, errlen,
				    "elements at 0x%08x and 0x%08x overlap", a, b);
		}
	}
	free(s);
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
		ret = img_fail(err, errlen, "byte 0: not a valid ELF file: %s",
			   elf_errmsg(-1));
	for (i = 0; !ret && i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			ret = img_fail(err, errlen, "program header %zu: %s", i,
				   elf_errmsg(-1));
		else if (ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		else if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
			ret = img_fail(err, errlen,
				   "byte %llu: segment %zu runs past the end of the file",
				   (unsigned long long)ph.p_offset, i);
		/* (an address near 2^64 would wrap the sum: compare apart) */
		else if (ph.p_paddr > 0xffffffffull ||
			 ph.p_filesz > 0x100000000ull - ph.p_paddr)
			ret = img_fail(err, errlen, "segment %zu: address beyond 4 GiB", i);
		else if (add_element(img, 0, (uint32_t)ph.p_paddr,
				     buf + ph.p_offset, (uint32_t)ph.p_filesz))
			ret = img_fail(err, errlen, "out of memory");
	}
	if (elf)
		elf_end(elf);
	if (!ret && !img->nr_elements)
		ret = img_fail(err, errlen, "no loadable segment with contents");
	return ret ? ret : image_check_overlaps(img, err, errlen);
}

/* Where the first line starts: text may begin with a UTF-8 BOM or blank lines */
static size_t first_line(const uint8_t *buf, size_t len)
{
	size_t i = text_start(buf, len);

	while (i < len && (buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return i;
}

static enum image_format guess(const uint8_t *buf, size_t len,
			       const struct image *img)
{
	if (len >= 5 && !memcmp(buf, "DfuSe", 5))
		return IMAGE_DFUSE;
	if (len >= 4 && !memcmp(buf, "\x7f" "ELF", 4))
		return IMAGE_ELF;
	size_t i = first_line(buf, len);

	if (len >= i + 1 && buf[i] == ':')
		return IMAGE_IHEX;
	if (len >= i + 2 && buf[i] == 'S' && buf[i + 1] >= '0' && buf[i + 1] <= '9')
		return IMAGE_SREC;
	return img->has_suffix ? IMAGE_DFU : IMAGE_RAW;
}

/* Whether the first line is all hex digits after its ':' or "Sn". */
static bool first_line_is_record(const uint8_t *buf, size_t len)
{
	size_t i = first_line(buf, len), digits = 0;

	i += i < len && buf[i] == ':' ? 1 : 2;
	for (; i < len && buf[i] != '\n' && buf[i] != '\r'; i++, digits++)
		if (!isxdigit(buf[i]))
			return false;
	return digits > 0;
}

/* Append to @err why a text format was assumed and how to say otherwise. */
static void hint(char *err, size_t errlen, enum image_format fmt)
{
	size_t n = strlen(err);

	snprintf(err + n, errlen - n,
		 " (read as %s because of its first bytes; a binary file: name it .bin or give --format raw)",
		 fmt == IMAGE_IHEX ? "Intel HEX" : "S-record");
}

int image_parse(const uint8_t *buf, size_t len, enum image_format fmt,
		uint32_t raw_address, struct image *img, char *err,
		size_t errlen)
{
	bool guessed = fmt == IMAGE_AUTO;
	int ret;

	memset(img, 0, sizeof(*img));
	img->vid = img->pid = img->bcd_device = IMAGE_ANY_ID;
	parse_suffix(buf, len, img);
	if (guessed)
		fmt = guess(buf, len, img);
	img->format = fmt;
	img->nr_targets = 1;
	switch (fmt) {
	case IMAGE_DFUSE:
		ret = parse_dfuse(buf, len, img, err, errlen);
		break;
	case IMAGE_DFU:
		/* bLength may say the suffix is longer: none of it is firmware */
		if (img->has_suffix && img->bcd_dfu == IMAGE_BCD_DFUSE)
			/* as dfu-util: its headers would be flashed as firmware */
			ret = img_fail(err, errlen,
				   "byte 0: the DFU suffix says DfuSe (bcdDFU 0x%04x), but the file does not start with \"DfuSe\": a damaged .dfu file",
				   img->bcd_dfu);
		else if (!img->has_suffix)
			ret = img_fail(err, errlen, "byte %zu: no DFU suffix", len);
		else if (img->suffix_len > len)
			ret = img_fail(err, errlen,
				   "byte %zu: the suffix says it is %u bytes, the file has %zu",
				   len - 5, img->suffix_len, len);
		else if (!(ret = check_crc(buf, len, img, err, errlen)) &&
			 add_element(img, 0, raw_address, buf, len - img->suffix_len))
			ret = img_fail(err, errlen, "out of memory");
		break;
	case IMAGE_RAW:
		if ((uint64_t)raw_address + len > 0x100000000ull)
			ret = img_fail(err, errlen, "%zu bytes at 0x%08x run past 4 GiB",
				   len, raw_address);
		else
			ret = add_element(img, 0, raw_address, buf, len) ?
			      img_fail(err, errlen, "out of memory") : 0;
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
		ret = img_fail(err, errlen, "unknown format");
	}
	if (!ret && !image_total(img))
		ret = img_fail(err, errlen, "no data to write: an empty %s image",
			   image_format_name(fmt));
	if (ret && guessed && (fmt == IMAGE_IHEX || fmt == IMAGE_SREC) &&
	    !first_line_is_record(buf, len))
		/* 1 in 256 binaries starts with ':': say how to load it */
		hint(err, errlen, fmt);
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
	struct stat st = { 0 };
	uint8_t *buf;
	size_t len;
	int fd, ret;

	/* O_NONBLOCK: a FIFO with no writer must not hang the open */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		img_fail(err, errlen, "%s", strerror(errno));
		return IMAGE_NO_INPUT;
	}
	/* a directory or a device (/dev/zero: never ends) is no image */
	if (fstat(fd, &st) || (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))) {
		img_fail(err, errlen, "not a file or a pipe (%s): an image is read from a file",
			 S_ISDIR(st.st_mode) ? "a directory" : S_ISCHR(st.st_mode) ?
			 "a character device" : S_ISBLK(st.st_mode) ? "a block device" :
			 "a socket");
		close(fd);
		return IMAGE_NO_INPUT;
	}
	/* a pipe's writer may be slow: wait for it; with none, reads end at once */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (read_all(fd, &buf, &len)) {
		ret = img_fail(err, errlen, "cannot read the file: %s", strerror(errno));
		close(fd);
		return ret;
	}
	close(fd);
	if (!len && S_ISFIFO(st.st_mode)) {
		free(buf);
		img_fail(err, errlen, "nothing came through the FIFO (no writer?)");
		return IMAGE_NO_INPUT;
	}
	if (!len) {
		free(buf);
		return img_fail(err, errlen, "byte 0: the file is empty");
	}
	if (fmt == IMAGE_AUTO)
		fmt = format_by_name(path, buf, len);
	ret = image_parse(buf, len, fmt, raw_address, img, err, errlen);
	free(buf);
	return ret;
}
