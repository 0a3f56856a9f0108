// SPDX-License-Identifier: GPL-2.0
/*
 * Device profiles: built-in ones from real descriptor dumps, and a
 * "key=value" form (file or --set) to describe a new one without
 * recompiling. Keys: vid pid bcd_device bcd_usb manufacturer product
 * serial attributes detach_timeout transfer_size dfu_version ecc
 * altN (the map string of alt N) realN (the real layout, if altN lies)
 * poll_erase poll_program (the bwPollTimeout reported after an erase and
 * a block, 0 = the real busy time) early_poll (a GETSTATUS before the work
 * is done: 0 answers dfuDNBUSY with the time left, 1 is held until done,
 * 2 is stalled) max_block (blocks above it stall: L43x) mass_erase_ms
 * wedge_above (H7 Rev.V: an erase there stays dfuDNBUSY until two CLRSTATUS)
 * leave_on_dnload (GD32: leaves on the zero-length DNLOAD, STALLs the
 * GETSTATUS after it) erase_poll_stalls (L4: the first N polls of each
 * page erase are STALLed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"

struct builtin {
	const char *name;
	const char *settings[12];
};

static const struct builtin builtins[] = {
	{ "f401", {
		"bcd_device=0x2200",
		"alt0=@Internal Flash /0x08000000/04*016Kg,01*064Kg,01*128Kg",
		"alt1=@Option Bytes /0x1FFFC000/01*016 e",
		"alt2=@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
		"alt3=@Device Feature/0xFFFF0000/01*004 e",
		NULL } },
	{ "f407", {
		"bcd_device=0x2100",
		"alt0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
		"alt1=@Option Bytes  /0x1FFFC000/01*016 g",
		"alt2=@OTP Memory /0x1FFF7800/01*512 g,01*016 g",
		"alt3=@Device Feature/0xFFFF0000/01*004 g",
		NULL } },
	/*
	 * The F4/F7 ROM's poll model: 100 ms asked after an erase, 104 ms
	 * after each 2 KiB block, whatever the flash needs; an early
	 * GETSTATUS is held until the work is done.
	 */
	{ "f4-rom", {
		"bcd_device=0x2100",
		"poll_erase=100", "poll_program=104", "early_poll=1",
		"alt0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
		"alt1=@Option Bytes  /0x1FFFC000/01*016 g",
		"alt2=@OTP Memory /0x1FFF7800/01*512 g,01*016 g",
		"alt3=@Device Feature/0xFFFF0000/01*004 g",
		NULL } },
	{ "l4", {
		"bcd_device=0x2200",
		"product=STM32  BOOTLOADER",
		"transfer_size=1024",
		"ecc=1",
		"alt0=@Internal Flash  /0x08000000/256*02Kg",
		"alt1=@Option Bytes  /0x1FFF7800/01*040 e",
		"alt2=@OTP Memory   /0x1FFF7000/01*0001Ke",
		"alt3=@Device Feature/0xFFFF0000/01*004 e",
		NULL } },
	/*
	 * H7 Rev.V: 2 MiB in 128 KiB sectors; an erase beyond the first MiB
	 * leaves the ROM in dfuDNBUSY past its poll timeout until two
	 * CLRSTATUS (the first answers with dfuERROR, errUNKNOWN).
	 */
	{ "h7", {
		"bcd_device=0x0300", "wedge_above=0x08100000",
		"alt0=@Internal Flash   /0x08000000/16*128Kg",
		"alt1=@Option Bytes   /0x5200201C/01*128 e",
		NULL } },
	/* G0/G4 ROMs: 1024-byte transfers */
	{ "g0", {
		"bcd_device=0x2200", "transfer_size=1024", "ecc=1",
		"alt0=@Internal Flash   /0x08000000/64*02Kg",
		"alt1=@Option Bytes   /0x1FFF7800/01*128 e",
		NULL } },
	/*
	 * STM32C5 ROM: 1024-byte transfers, no option-bytes alt; it never
	 * answers a GET_DESCRIPTOR for the functional descriptor (neither
	 * does this emulator: it is read from the configuration).
	 */
	{ "c5", {
		"bcd_device=0x0200", "transfer_size=1024", "ecc=1",
		"alt0=@Internal Flash   /0x08000000/64*02Kg",
		NULL } },
	/*
	 * L43x ROM: reports 2048 and works only with 1024 (a quirk entry
	 * fixes it: the test gives it as the module parameter).
	 */
	{ "l43x", {
		"bcd_device=0x2201", "max_block=1024", "ecc=1",
		"alt0=@Internal Flash  /0x08000000/128*02Kg",
		"alt1=@Option Bytes  /0x1FFF7800/01*040 e",
		NULL } },
	/* AT32 (2e3c:df11): "Option byte", a space after the '/' */
	{ "at32", {
		"vid=0x2e3c", "pid=0xdf11", "bcd_device=0x0200",
		"manufacturer=ArteryTek", "product=AT32 Bootloader DFU",
		"alt0=@Internal Flash  /0x08000000/128*02Kg",
		"alt1=@Option byte   / 0x1FFFF800/01*048 e",
		NULL } },
	/*
	 * GD32VF103: reports 512 x 2 KiB whatever the part; it has 1 KiB
	 * pages, as many as the serial's part letter says (B: 128).
	 */
	{ "gd32vf103", {
		"vid=0x28e9", "pid=0x0189", "bcd_device=0x1000",
		"manufacturer=GDMicroelectronics",
		"product=GD32 0x418 DFU Bootloade",
		"serial=3CBJ", "gd32_serial_layout=1", "leave_on_dnload=1",
		"alt0=@Internal Flash  /0x08000000/512*002Kg",
		"alt1=@Option Bytes  /0x1FFFF800/01*016 g",
		NULL } },
};

static void defaults(struct emu_profile *p, const char *name)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->vid = 0x0483;
	p->pid = 0xdf11;
	p->bcd_device = 0x2200;
	p->bcd_usb = 0x0200;
	strcpy(p->manufacturer, "STMicroelectronics");
	strcpy(p->product, "STM32 BOOTLOADER");
	strcpy(p->serial, "339C35543236");
	p->attributes = 0x0b;
	p->detach_timeout = 255;
	p->transfer_size = 2048;
	p->dfu_version = 0x011a;
}

static int set_num(const char *val, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(val, &end, 0);
	if (errno || end == val || *end || *out > max)
		return -EINVAL;
	return 0;
}

static int set_str(char *dst, size_t size, const char *val)
{
	if (strlen(val) >= size)
		return -ENAMETOOLONG;
	strcpy(dst, val);
	return 0;
}

int emu_profile_set(struct emu_profile *p, const char *key, const char *val)
{
	static const struct {
		const char *key;
		size_t off;
		int bytes;
	} nums[] = {
#define NUM(k) { #k, offsetof(struct emu_profile, k), sizeof(((struct emu_profile *)0)->k) }
		NUM(vid), NUM(pid), NUM(bcd_device), NUM(bcd_usb),
		NUM(attributes), NUM(detach_timeout), NUM(transfer_size),
		NUM(dfu_version), NUM(ecc), NUM(poll_erase), NUM(poll_program),
		NUM(early_poll), NUM(max_block), NUM(mass_erase_ms),
		NUM(wedge_above), NUM(gd32_serial_layout),
		NUM(leave_on_dnload), NUM(erase_poll_stalls),
#undef NUM
	};
	unsigned long v;
	unsigned int i;
	int alt;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(key, nums[i].key))
			continue;
		if (set_num(val, nums[i].bytes == 1 ? 0xff : nums[i].bytes == 2 ?
			    0xffff : 0xffffffff, &v))
			return -EINVAL;
		if (nums[i].bytes == 1)
			*((uint8_t *)p + nums[i].off) = (uint8_t)v;
		else if (nums[i].bytes == 2)
			*(uint16_t *)((uint8_t *)p + nums[i].off) = (uint16_t)v;
		else
			*(uint32_t *)((uint8_t *)p + nums[i].off) = (uint32_t)v;
		return 0;
	}
	if (!strcmp(key, "manufacturer"))
		return set_str(p->manufacturer, sizeof(p->manufacturer), val);
	if (!strcmp(key, "product"))
		return set_str(p->product, sizeof(p->product), val);
	if (!strcmp(key, "serial"))
		return set_str(p->serial, sizeof(p->serial), val);
	if (sscanf(key, "alt%d", &alt) == 1 && alt >= 0 && alt < EMU_MAX_ALTS) {
		if ((unsigned int)alt >= p->nr_alts)
			p->nr_alts = (unsigned int)alt + 1;
		return set_str(p->map[alt], EMU_MAP_MAX, val);
	}
	if (sscanf(key, "real%d", &alt) == 1 && alt >= 0 && alt < EMU_MAX_ALTS)
		return set_str(p->real[alt], EMU_MAP_MAX, val);
	return -ENOENT;
}

static int set_line(struct emu_profile *p, const char *line)
{
	char key[32];
	const char *eq = strchr(line, '=');

	if (!eq || (size_t)(eq - line) >= sizeof(key))
		return -EINVAL;
	memcpy(key, line, (size_t)(eq - line));
	key[eq - line] = '\0';
	return emu_profile_set(p, key, eq + 1);
}

int emu_profile_builtin(struct emu_profile *p, const char *name)
{
	unsigned int i, j;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(builtins[i].name, name))
			continue;
		defaults(p, name);
		for (j = 0; builtins[i].settings[j]; j++)
			if (set_line(p, builtins[i].settings[j]))
				return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

int emu_profile_file(struct emu_profile *p, const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int err = 0, no = 0;

	if (!f)
		return -errno;
	defaults(p, path);
	while (!err && fgets(line, sizeof(line), f)) {
		no++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		err = set_line(p, line);
		if (err)
			fprintf(stderr, "%s:%d: bad setting: %s\n", path, no, line);
	}
	fclose(f);
	return err;
}
