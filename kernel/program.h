/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flash programming policy: what a write of a range does to the pages it
 * touches. Compare first (a page that already holds the result is left
 * alone, a blank one is not erased), keep the bytes of touched pages
 * outside the range, erase, program, and say exactly what was lost when
 * that fails half-way.
 */
#ifndef DFUSE_PROGRAM_H
#define DFUSE_PROGRAM_H

#include "device.h"
#include "plan.h"

/* A write ioctl or a gathered extent is at most this long. */
#define DFUSE_PROGRAM_MAX	(16 * 1024 * 1024)

/*
 * Not a uapi flag: any signal, not only a fatal one, stops the program
 * (a WRITE ioctl, which reports how far it got; a flush at close cannot).
 */
#define DFUSE_PROGRAM_INTERRUPTIBLE	BIT(31)

/*
 * The erase pages [addr, addr + len) of @map touches, in an array sized
 * to them (kvfree() it). Return: their number, or -errno (-E2BIG: more
 * than DFUSE_MAX_PAGES).
 */
int dfuse_pages_alloc(const struct dfuse_memmap *map, u32 addr, u32 len,
		      struct dfuse_page **pages);

/*
 * Program [addr, addr + len) of @alt with @data; DFUSE_WRITE_ALWAYS_ERASE
 * in @flags turns comparing off. The caller holds the board's I/O lock.
 * A fatal signal (any, with DFUSE_PROGRAM_INTERRUPTIBLE) stops it at a
 * page boundary (-EINTR), after programming every page it had erased.
 * Return: 0 or -errno; *@done is the length from @addr known to hold @data.
 */
int dfuse_program(struct dfuse_device *dd, struct dfuse_alt *alt, u32 addr,
		  const u8 *data, u32 len, u32 flags, u32 *done);

/*
 * DFUSE_WRITE_VERIFY, after dfuse_program()'s work on @pages (@act: what
 * it did to each): read back into @buf what it programmed below
 * *@ok_until and compare with @want (both hold the bytes from @span).
 * Return: 0, -EBADMSG (logged) or the read's -errno; *@ok_until is
 * lowered to where verifying stopped.
 */
int dfuse_verify_written(struct dfuse_device *dd, struct dfuse_alt *alt,
			 const struct dfuse_page *pages, const u8 *act, int n,
			 u32 span, u8 *buf, const u8 *want, u32 *ok_until);

/*
 * alt->check_erase: read back @page, just erased, into @buf (its size).
 * Return: 0 when blank, -EIO (logged) when not, or the read's -errno.
 */
int dfuse_verify_erased(struct dfuse_device *dd, struct dfuse_alt *alt,
			const struct dfuse_page *page, u8 *buf);

#endif /* DFUSE_PROGRAM_H */
