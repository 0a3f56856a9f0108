/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DFUSE_QUIRKS_H
#define DFUSE_QUIRKS_H

#include <linux/types.h>

#define DFUSE_QUIRK_MAPS	4	/* alt settings a quirk can remap */
#define DFUSE_QUIRK_MAP_MAX	128

/*
 * What is known about a bootloader that breaks the rules. Entries are
 * text, built in or given as the "quirks" module parameter, one syntax:
 *
 *   VID:PID[:BCD] KEY=VALUE...      entries separated by ';'
 *
 * Keys: transfer-size=N (use N, not wTransferSize), poll=early (the
 * device holds or answers a GETSTATUS sent before its bwPollTimeout: poll
 * when the work is likely done), poll=honour (wait every bwPollTimeout in
 * full, also where poll=early applies), erase-ms=N and mass-erase-ms=N (the
 * deadlines of a page and a mass erase), busy=clear-twice (H7 Rev.V: an
 * erase still busy at twice its bwPollTimeout is stuck; two CLRSTATUS),
 * layout=gd32-serial (GD32: alt 0 is 1 KiB pages, as many KiB as the
 * part letter, the serial's third character, says), leave=no-status
 * (GD32: the ROM leaves on the zero-length DNLOAD and refuses a GETSTATUS
 * after it), erase=check (every erased page is read back blank before
 * it is programmed: the part's sectors may not be its map's), mapN=STRING
 * (the map of alt N: the rest of the entry).
 */
struct dfuse_quirks {
	u16 transfer_size;
	bool early_poll, honour_poll, unstick_busy, gd32_serial_layout;
	bool leave_without_status, check_erase;
	u32 erase_ms, mass_erase_ms;
	char map[DFUSE_QUIRK_MAPS][DFUSE_QUIRK_MAP_MAX];
	char applied[160];	/* the matching entries' keys, for sysfs */
};

/*
 * Fill @q from every entry matching @vid:@pid:@bcd (later entries, the
 * module parameter's, win). Return: the number of entries that matched;
 * -EINVAL with @why set for a malformed one (it is skipped, not guessed).
 */
int dfuse_quirks_lookup(const char *entries, u16 vid, u16 pid, u16 bcd,
			struct dfuse_quirks *q, const char **why);

/*
 * GD32 flash size in KiB from the part letter (the serial's third
 * character: "3CBJ" is a GD32VF103CB, 128 KiB), or 0 when unknown.
 */
unsigned int dfuse_gd32_flash_kib(const char *serial);

/* Every entry well-formed? Parses them all into @scratch. */
int dfuse_quirks_check(const char *entries, struct dfuse_quirks *scratch,
		       const char **why);

/* The built-in table, in the same syntax. */
extern const char dfuse_builtin_quirks[];

#endif /* DFUSE_QUIRKS_H */
