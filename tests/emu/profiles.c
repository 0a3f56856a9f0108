// SPDX-License-Identifier: GPL-2.0
/*
 * Device profiles: the built-in ones (profiles_field.c), and a
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
 * page erase are STALLed) start_error (starts in dfuERROR with it)
 * self_powered leave_vanish (resets at the GETSTATUS after the leave,
 * unanswered) poll_leave setaddr_no_busy (U5A9) leave_needs_address
 * (C071: dfuERROR on a leave not right after a SET_ADDRESS)
 * readback_moves_pointer (H723) string_max (F42x: string descriptor
 * bytes sent; bLength stays) program_over (F2/F4/F7 flash has no ECC:
 * programming over bytes that are not erased clears bits, silently,
 * instead of failing). early_poll 3: dfuERROR (DFU 1.1 strict),
 * 4: answered at once with the constant bwPollTimeout again.
 * erase_page_ms program_us_per_kib: the flash's typical times, when not
 * the F4's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootloader.h"

/* Defaults of ST's ROM generation @gen (profiles_field.c); 0: none. */
static void defaults(struct emu_profile *p, const char *name, int gen)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->vid = 0x0483;
	p->pid = 0xdf11;
	strcpy(p->manufacturer, "STMicroelectronics");
	strcpy(p->serial, "339C35543236");
	p->attributes = 0x0b;
	p->detach_timeout = 255;
	p->dfu_version = 0x011a;
	p->self_powered = 1;
	if (gen == 2) {
		p->bcd_device = 0x0200;
		p->bcd_usb = 0x0200;
		strcpy(p->product, "DFU in FS Mode");
		p->transfer_size = 1024;
		p->leave_vanish = 1;
	} else {
		p->bcd_device = 0x2200;
		p->bcd_usb = gen == 1 ? 0x0100 : 0x0200;
		strcpy(p->product, "STM32  BOOTLOADER");
		p->transfer_size = 2048;
	}
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
		NUM(start_error), NUM(self_powered), NUM(leave_vanish),
		NUM(poll_leave), NUM(setaddr_no_busy), NUM(leave_needs_address),
		NUM(readback_moves_pointer), NUM(string_max), NUM(program_over),
		NUM(erase_page_ms), NUM(program_us_per_kib),
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

static const struct emu_builtin *find_builtin(const char *name)
{
	unsigned int i;

	for (i = 0; emu_aliases[i].name; i++)
		if (!strcmp(emu_aliases[i].name, name))
			name = emu_aliases[i].profile;
	for (i = 0; i < emu_nr_builtins; i++)
		if (!strcmp(emu_builtins[i].name, name))
			return &emu_builtins[i];
	return NULL;
}

int emu_profile_builtin(struct emu_profile *p, const char *name)
{
	const struct emu_builtin *b = find_builtin(name);
	unsigned int j;

	if (!b)
		return -ENOENT;
	defaults(p, name, b->generation);
	for (j = 0; b->settings[j]; j++)
		if (set_line(p, b->settings[j]))
			return -EINVAL;
	return 0;
}

void emu_list_profiles(FILE *f)
{
	unsigned int i;

	for (i = 0; i < emu_nr_builtins; i++)
		fprintf(f, "%-15s %s  %s\n", emu_builtins[i].name,
			emu_builtins[i].generation == 1 ? "ST ROM 1" :
			emu_builtins[i].generation == 2 ? "ST ROM 2" :
			"other   ", emu_builtins[i].source);
	for (i = 0; emu_aliases[i].name; i++)
		fprintf(f, "%-15s = %s\n", emu_aliases[i].name,
			emu_aliases[i].profile);
}

int emu_profile_file(struct emu_profile *p, const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int err = 0, no = 0;

	if (!f)
		return -errno;
	defaults(p, path, 0);
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
