/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DFUSE_JOURNAL_H
#define DFUSE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

/* One autoflash outcome: DFUSE_RESULT is flashed, unchanged, failed, no-entry, config-error or image-error */
struct autoflash_result {
	const char *result;
	bool failed;
	const char *usb_path, *serial, *id, *image;
};

/* The result as a journal entry with its fields under systemd, else a line on stdout. */
void autoflash_report(const struct autoflash_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* PATH's SHA-256 as 64 hex digits into HEX (size >= 65); 0 or -1 */
int file_sha256(const char *path, char *hex, size_t size);

#endif
