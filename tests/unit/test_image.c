// SPDX-License-Identifier: GPL-2.0
/*
 * Image formats under ASan/UBSan: good files of every format, files made
 * by dfu-util's own dfuse-pack and dfu-suffix (paths given as arguments),
 * our writer round-tripping, and bad files refused with the right message.
 * usage: test_image FIXTURE_DIR   (see tests/unit/mkfixtures.sh)
 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../user/image.h"

static int n, failed;
static const char *dir;

static void ok(int pass, const char *fmt, ...)
{
	va_list ap;

	n++;
	failed += !pass;
	printf("%s %d - image: ", pass ? "ok" : "not ok", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static uint8_t *slurp(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *b;
	long sz;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	b = malloc((size_t)sz + 1);
	if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz)
		exit(2);
	fclose(f);
	*len = (size_t)sz;
	return b;
}

static const char *fuzz_dir = "tests/fuzz/regressions";

static uint8_t *slurp_path(const char *base, const char *name, size_t *len)
{
	const char *saved = dir;
	uint8_t *b;

	dir = base;
	b = slurp(name, len);
	dir = saved;
	return b;
}

static void set32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* little-endian host */
}

/* parse must fail with a message containing @want */
static void refused(const uint8_t *buf, size_t len, enum image_format fmt,
		    const char *want, const char *what)
{
	struct image img;
	char err[256] = "";
	int ret = image_parse(buf, len, fmt, 0x08000000, &img, err, sizeof(err));

	ok(ret < 0 && strstr(err, want), "%s refused: \"%s\"", what, err);
	if (!ret)
		image_free(&img);
}

static int elements_equal(const struct image_element *e, uint32_t addr,
			  const uint8_t *data, uint32_t size)
{
	return e->address == addr && e->size == size &&
	       !memcmp(e->data, data, size);
}

static void test_dfuse_pack(void)
{
	size_t la, lb, len;
	uint8_t *a = slurp("a.bin", &la), *b = slurp("b.bin", &lb);
	uint8_t *f = slurp("pack.dfu", &len);
	struct image img;
	char err[256];

	ok(!image_parse(f, len, IMAGE_AUTO, 0, &img, err, sizeof(err)),
	   "dfuse-pack file parses (%s)", err);
	ok(img.format == IMAGE_DFUSE && img.nr_targets == 1 &&
	   img.nr_elements == 2, "dfuse-pack: DfuSe, 1 target, 2 elements");
	ok(img.vid == 0x0483 && img.pid == 0xdf11 && img.bcd_dfu == 0x011a,
	   "dfuse-pack: suffix 0483:df11, bcdDFU 0x011a");
	ok(elements_equal(&img.elements[0], 0x08004000, a, la) &&
	   elements_equal(&img.elements[1], 0x08020000, b, lb),
	   "dfuse-pack: elements byte-exact at their addresses");

	/* our writer, read back: the same model */
	{
		uint8_t *out;
		size_t olen;
		struct image back;

		ok(!image_write_dfuse(&img, &out, &olen), "write DfuSe");
		/* dfuse-pack counts the suffix in the prefix's size, we do not */
		ok(olen == len && !memcmp(out + 10, f + 10, len - 10 - 4) &&
		   out[6] + (out[7] << 8) == (int)len - 16,
		   "our writer matches dfuse-pack's file but for the size reading");
		ok(!image_parse(out, olen, IMAGE_AUTO, 0, &back, err, sizeof(err)) &&
		   back.nr_elements == 2 &&
		   elements_equal(&back.elements[1], 0x08020000, b, lb),
		   "round trip: write then parse");
		image_free(&back);

		/* corruptions of a good file */
		uint8_t *bad = malloc(olen);

		memcpy(bad, out, olen);
		bad[300] ^= 1;
		refused(bad, olen, IMAGE_AUTO, "CRC", "flipped data bit");
		refused(out, olen - 100, IMAGE_DFUSE, "no DFU suffix", "truncated file");
		memcpy(bad, out, olen);
		bad[0] = 'X';
		set32(bad + olen - 4, image_dfu_crc(bad, olen - 4));
		refused(bad, olen, IMAGE_DFUSE, "byte 0: no \"DfuSe\" signature", "wrong prefix signature");
		memcpy(bad, out, olen);
		memcpy(bad + 11, "Targex", 6);
		set32(bad + olen - 4, image_dfu_crc(bad, olen - 4));
		refused(bad, olen, IMAGE_DFUSE, "no \"Target\" signature", "wrong target signature");
		memcpy(bad, out, olen);
		bad[10] = 2;	/* says two targets, has one */
		set32(bad + olen - 4, image_dfu_crc(bad, olen - 4));
		refused(bad, olen, IMAGE_DFUSE, "target 2 of 2: the file ends", "target count lying");
		memcpy(bad, out, olen);
		set32(bad + 11 + 274 + 4, 999999);	/* element 1 size */
		set32(bad + olen - 4, image_dfu_crc(bad, olen - 4));
		refused(bad, olen, IMAGE_DFUSE, "runs past the target's end", "element past the end");
		memcpy(bad, out, olen);
		/* element 2 moved onto element 1 */
		set32(bad + 11 + 274 + 8 + la, 0x08004010);
		set32(bad + olen - 4, image_dfu_crc(bad, olen - 4));
		refused(bad, olen, IMAGE_DFUSE, "overlap", "overlapping elements");
		memcpy(bad, out, olen);
		bad[6] ^= 4;
		set32(bad + olen - 4, image_dfu_crc(bad, olen - 4));
		refused(bad, olen, IMAGE_DFUSE, "image size", "prefix size lying");
		free(bad);
		free(out);
	}
	image_free(&img);
	free(a);
	free(b);
	free(f);
}

static void test_suffix(void)
{
	size_t len, la;
	uint8_t *f = slurp("suffixed.dfu", &len), *a = slurp("a.bin", &la);
	struct image img;
	char err[256];

	ok(!image_parse(f, len, IMAGE_AUTO, 0x08000000, &img, err, sizeof(err)) &&
	   img.format == IMAGE_DFU && img.vid == 0x0483 && img.pid == 0xdf11 &&
	   img.nr_elements == 1 &&
	   elements_equal(&img.elements[0], 0x08000000, a, la),
	   "dfu-suffix file: firmware, 0483:df11, at the given address");
	image_free(&img);
	f[10] ^= 0x55;
	refused(f, len, IMAGE_AUTO, "CRC", "dfu-suffix file with a changed byte");
	free(f);
	free(a);
}

static void test_raw(void)
{
	static const uint8_t data[5] = { 1, 2, 3, 4, 5 };
	struct image img;
	char err[256];

	ok(!image_parse(data, 5, IMAGE_RAW, 0x08001000, &img, err, sizeof(err)) &&
	   elements_equal(&img.elements[0], 0x08001000, data, 5),
	   "raw .bin at an address");
	image_free(&img);
	ok(image_parse(data, 5, IMAGE_RAW, 0xfffffffe, &img, err, sizeof(err)) < 0 &&
	   strstr(err, "run past 4 GiB"), "raw past 4 GiB refused: \"%s\"", err);
}

/* A .bin whose random bytes begin like a HEX or S-record line is binary */
static void test_bin_by_name(void)
{
	static const char *const starts[] = { ":10000000", "S1130000" };
	char path[512], err[256];
	struct image img;
	uint8_t data[64];
	unsigned int i;
	FILE *f;

	for (i = 0; i < 2; i++) {
		memset(data, 0xa5, sizeof(data));
		memcpy(data, starts[i], strlen(starts[i]));
		snprintf(path, sizeof(path), "%s/looks-like-text-%u.bin", dir, i);
		f = fopen(path, "wb");
		if (!f || fwrite(data, 1, sizeof(data), f) != sizeof(data)) {
			ok(0, "write %s", path);
			continue;
		}
		fclose(f);
		ok(!image_load(path, IMAGE_AUTO, 0x08000000, &img, err, sizeof(err)) &&
		   img.format == IMAGE_RAW && img.nr_elements == 1 &&
		   elements_equal(&img.elements[0], 0x08000000, data, sizeof(data)),
		   ".bin starting with \"%.2s\" loads as raw, all %zu bytes",
		   starts[i], sizeof(data));
		image_free(&img);
	}
}

/*
 * A binary with no name to go by that begins with ':' or "S1" (1 in 256
 * random files does) is refused with how to load it, and loads as raw
 * when told; a text format given explicitly gets no such hint.
 */
static void test_guess_hint(void)
{
	static const char *const starts[] = { ":", "S1" };
	static const char line2[] = ":020000040800F2\n:0400000001020304F3\n";
	char err[256];
	struct image img;
	uint8_t data[64];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		memset(data, 0xa5, sizeof(data));
		memcpy(data, starts[i], strlen(starts[i]));
		refused(data, sizeof(data), IMAGE_AUTO,
			"because of its first bytes; a binary file: name it .bin or give --format raw",
			i ? "binary beginning with \"S1\"" : "binary beginning with ':'");
		ok(!image_parse(data, sizeof(data), IMAGE_RAW, 0x08000000, &img,
				err, sizeof(err)) && img.nr_elements == 1 &&
		   elements_equal(&img.elements[0], 0x08000000, data, sizeof(data)),
		   "and with --format raw it loads, all %zu bytes", sizeof(data));
		image_free(&img);
		err[0] = 0;
		ok(image_parse(data, sizeof(data), i ? IMAGE_SREC : IMAGE_IHEX,
			       0, &img, err, sizeof(err)) < 0 &&
		   *err && !strstr(err, "--format raw"),
		   "given as %s, the error has no hint: \"%s\"",
		   i ? "srec" : "ihex", err);
	}
	/* a HEX file broken on line 2 is a HEX file: no hint */
	err[0] = 0;
	ok(image_parse((const uint8_t *)line2, sizeof(line2) - 1, IMAGE_AUTO,
		       0, &img, err, sizeof(err)) < 0 &&
	   strstr(err, "line 2") && !strstr(err, "--format raw"),
	   "HEX broken on line 2: no hint: \"%s\"", err);
}

static void test_ihex(void)
{
	/* two runs with a gap, extended linear address 0x0800 */
	static const char good[] =
		":020000040800F2\n"
		":0400000001020304F2\n"
		":0400040005060708DE\n"
		":02010000AABB98\n"
		":00000001FF\n";
	static const uint8_t run1[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t run2[] = { 0xaa, 0xbb };
	struct image img;
	char err[256], bad[sizeof(good)];

	ok(!image_parse((const uint8_t *)good, strlen(good), IMAGE_AUTO, 0,
			&img, err, sizeof(err)), "Intel HEX parses (%s)", err);
	ok(img.format == IMAGE_IHEX && img.nr_elements == 2 &&
	   elements_equal(&img.elements[0], 0x08000000, run1, 8) &&
	   elements_equal(&img.elements[1], 0x08000100, run2, 2),
	   "Intel HEX: a gap makes two elements");
	image_free(&img);
	memcpy(bad, good, sizeof(good));
	bad[strlen(":020000040800F2\n:0400000001020304F")] = '3';
	refused((uint8_t *)bad, strlen(bad), IMAGE_AUTO, "line 2: checksum", "HEX checksum error");
	refused((const uint8_t *)good, strlen(good) - 12, IMAGE_AUTO,
		"no end-of-file record", "HEX without EOF");
	memcpy(bad, good, sizeof(good));
	memcpy(bad + strlen(":020000040800F2\n:0400000001020304F2\n"),
	       ":0400020005060708E0\n", 20);
	refused((uint8_t *)bad, strlen(bad), IMAGE_AUTO, "overlap", "HEX with overlapping records");
}

static void test_srec(void)
{
	static const char good[] =
		"S00600004844521B\n"
		"S3090800000001020304E4\n"
		"S5030001FB\n"
		"S70508000000F2\n";
	static const uint8_t data[] = { 1, 2, 3, 4 };
	struct image img;
	char err[256], bad[sizeof(good)];

	ok(!image_parse((const uint8_t *)good, strlen(good), IMAGE_AUTO, 0,
			&img, err, sizeof(err)) && img.format == IMAGE_SREC &&
	   img.nr_elements == 1 &&
	   elements_equal(&img.elements[0], 0x08000000, data, 4),
	   "S-record (S3) parses (%s)", err);
	image_free(&img);
	memcpy(bad, good, sizeof(good));
	bad[strlen("S00600004844521B\nS3090800000001020304E")] = '5';
	refused((uint8_t *)bad, strlen(bad), IMAGE_AUTO, "line 2: checksum", "S-record checksum error");
}

static void test_elf(void)
{
	struct elf_file {
		Elf32_Ehdr eh;
		Elf32_Phdr ph[2];
		uint8_t data[8];
	} __attribute__((packed)) f;
	struct image img;
	char err[256];

	memset(&f, 0, sizeof(f));
	memcpy(f.eh.e_ident, ELFMAG, SELFMAG);
	f.eh.e_ident[EI_CLASS] = ELFCLASS32;
	f.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f.eh.e_ident[EI_VERSION] = EV_CURRENT;
	f.eh.e_type = ET_EXEC;
	f.eh.e_machine = EM_ARM;
	f.eh.e_version = EV_CURRENT;
	f.eh.e_phoff = sizeof(Elf32_Ehdr);
	f.eh.e_ehsize = sizeof(Elf32_Ehdr);
	f.eh.e_phentsize = sizeof(Elf32_Phdr);
	f.eh.e_phnum = 2;
	f.ph[0].p_type = PT_LOAD;
	f.ph[0].p_offset = offsetof(struct elf_file, data);
	f.ph[0].p_vaddr = 0x20000000;	/* runs from RAM, */
	f.ph[0].p_paddr = 0x08000000;	/* is loaded from flash */
	f.ph[0].p_filesz = 8;
	f.ph[0].p_memsz = 8;
	f.ph[1].p_type = PT_LOAD;	/* .bss: nothing to flash */
	f.ph[1].p_paddr = 0x20001000;
	f.ph[1].p_memsz = 64;
	memcpy(f.data, "ELFDATA!", 8);
	ok(!image_parse((uint8_t *)&f, sizeof(f), IMAGE_AUTO, 0, &img, err,
			sizeof(err)) && img.format == IMAGE_ELF &&
	   img.nr_elements == 1 &&
	   elements_equal(&img.elements[0], 0x08000000, (uint8_t *)"ELFDATA!", 8),
	   "ELF: loadable segment at its physical address (%s)", err);
	image_free(&img);
	f.ph[0].p_filesz = 4096;
	refused((uint8_t *)&f, sizeof(f), IMAGE_ELF, "runs past the end", "ELF segment past the end");
}

/* A DfuSe file from @img by our writer; caller frees. */
static uint8_t *dfuse_of(struct image *img, size_t *len)
{
	uint8_t *out = NULL;

	if (image_write_dfuse(img, &out, len))
		exit(2);
	return out;
}

/*
 * The defects of issue 12, each a file that once crashed, flashed what
 * the user did not write, or passed without data: refused with the byte
 * or line and the reason.
 */
static void test_defects(void)
{
	static uint8_t d4[4] = { 1, 2, 3, 4 }, buf[64];
	struct image img, w;
	struct image_element el[2];
	char err[256];
	uint8_t *f;
	size_t len;
	uint32_t crc;

	/* two empty data records at one address: a double free once */
	refused((const uint8_t *)":0000000000\n:0000000000\n:00000001FF\n", 36,
		IMAGE_AUTO, "no data to write", "HEX of two empty data records");
	refused((const uint8_t *)"S30500000000FA\nS30500000000FA\nS70500000000FA\n", 45,
		IMAGE_AUTO, "no data to write", "S-record of two empty data records");
	/* an address record of the wrong length took stale stack bytes */
	refused((const uint8_t *)":0100000408F3\n:0100000001FE\n:00000001FF\n", 40,
		IMAGE_AUTO, "line 1: address record with 1 data bytes, not 2",
		"HEX type 04 record of 1 byte");
	refused((const uint8_t *)":03000002000000FB\n:0100000001FE\n:00000001FF\n", 44,
		IMAGE_AUTO, "line 1: address record with 3 data bytes, not 2",
		"HEX type 02 record of 3 bytes");
	/* nothing to write: refused, never "flashed 0 bytes, verified" */
	refused((const uint8_t *)":00000001FF\n", 12, IMAGE_AUTO,
		"no data to write", "HEX with only an EOF record");
	memset(&w, 0, sizeof(w));
	w.vid = w.pid = w.bcd_device = IMAGE_ANY_ID;
	w.nr_targets = 0;
	f = dfuse_of(&w, &len);
	refused(f, len, IMAGE_AUTO, "no data to write", "DfuSe with no targets");
	free(f);
	w.nr_targets = 1;
	f = dfuse_of(&w, &len);
	refused(f, len, IMAGE_AUTO, "no data to write", "DfuSe with a target of no elements");
	free(f);
	/* a BOM or a blank line before the first record: still HEX, not raw */
	ok(!image_parse((const uint8_t *)"\xef\xbb\xbf:0100000001FE\n:00000001FF\n", 29,
			IMAGE_AUTO, 0, &img, err, sizeof(err)) &&
	   img.format == IMAGE_IHEX && img.nr_elements == 1 && img.elements[0].size == 1,
	   "HEX after a UTF-8 BOM is HEX (%s)", err);
	image_free(&img);
	ok(!image_parse((const uint8_t *)"\n\r\n:0100000001FE\n:00000001FF\n", 29,
			IMAGE_AUTO, 0, &img, err, sizeof(err)) &&
	   img.format == IMAGE_IHEX, "HEX after blank lines is HEX (%s)", err);
	image_free(&img);
	/* two targets for one alt whose elements overlap */
	memset(&w, 0, sizeof(w));
	w.vid = w.pid = w.bcd_device = IMAGE_ANY_ID;
	w.nr_targets = 2;
	w.targets[0].alt = w.targets[1].alt = 0;
	el[0] = (struct image_element){ 0, 0x08000000, 4, d4 };
	el[1] = (struct image_element){ 1, 0x08000002, 4, d4 };
	w.elements = el;
	w.nr_elements = 2;
	f = dfuse_of(&w, &len);
	refused(f, len, IMAGE_AUTO, "overlap", "DfuSe: two targets of one alt overlapping");
	free(f);
	w.targets[1].alt = 1;	/* different alts: different memories */
	f = dfuse_of(&w, &len);
	ok(!image_parse(f, len, IMAGE_AUTO, 0, &img, err, sizeof(err)),
	   "DfuSe: the same addresses in two alts are fine (%s)", err);
	image_free(&img);
	free(f);
	/* a suffix longer than 16 bytes (bLength 20): none of it is firmware */
	memset(buf, 0xab, 40);
	memcpy(buf + 40, "\xff\xff\x11\xdf\x83\x04\x00\x01UFD\x14", 12);
	crc = image_dfu_crc(buf, 52);
	memcpy(buf + 52, &crc, 4);
	ok(!image_parse(buf, 56, IMAGE_DFU, 0x08000000, &img, err, sizeof(err)) &&
	   img.nr_elements == 1 && img.elements[0].size == 36,
	   "DFU suffix of bLength 20: 36 bytes of firmware, not 40 (%s)", err);
	ok(img.crc_checked, "DFU suffix: its CRC was checked");
	image_free(&img);
	/* data that would run past 4 GiB: its address would wrap to 0 */
	refused((const uint8_t *)":02000004FFFFFC\n:04FFFE0001020304F5\n:00000001FF\n", 48,
		IMAGE_AUTO, "line 2: data beyond 4 GiB", "Intel HEX record running past 4 GiB");
	refused((const uint8_t *)"S309FFFFFFFE01020304F1\nS70500000000FA\n", 38,
		IMAGE_AUTO, "line 1: data beyond 4 GiB", "S-record running past 4 GiB");
	/* a suffix that says DfuSe on a file that is not one: its headers
	 * would be flashed as firmware */
	memset(buf, 0xab, 40);
	memcpy(buf + 40, "\xff\xff\x11\xdf\x83\x04\x1a\x01UFD\x10", 12);
	crc = image_dfu_crc(buf, 52);
	memcpy(buf + 52, &crc, 4);
	refused(buf, 56, IMAGE_AUTO, "does not start with \"DfuSe\"",
		"DfuSe suffix (bcdDFU 0x011a) without the DfuSe prefix");
	refused(buf, 56, IMAGE_DFU, "does not start with \"DfuSe\"",
		"DfuSe suffix without the prefix, read as a DFU file");
	/* truncated S-record files and wrong record counts */
	refused((const uint8_t *)"S3090800000001020304E4\n", 23, IMAGE_AUTO,
		"no termination record", "S-record without S7/S8/S9 (truncated)");
	refused((const uint8_t *)"S3090800000001020304E4\nS5030002FA\nS70508000000F2\n", 49,
		IMAGE_AUTO, "line 2: count record says 2 data records, the file has 1",
		"S-record with a wrong S5 count");
	/* found by the ELF fuzzer: a segment at 0xfffffffffffff000 wrapped
	 * the 4 GiB check and was flashed at its low 32 bits */
	f = slurp_path(fuzz_dir, "elf/segment-address-wraps.elf", &len);
	refused(f, len, IMAGE_ELF, "address beyond 4 GiB", "ELF segment whose address wraps");
	free(f);
	/* a raw file: no CRC to speak of */
	ok(!image_parse(d4, 4, IMAGE_RAW, 0x08000000, &img, err, sizeof(err)) &&
	   !img.crc_checked, "raw: no CRC claimed");
	image_free(&img);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	dir = argv[1];
	test_dfuse_pack();
	test_suffix();
	test_raw();
	test_bin_by_name();
	test_guess_hint();
	test_ihex();
	test_srec();
	test_elf();
	test_defects();
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
