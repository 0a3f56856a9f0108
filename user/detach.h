/* SPDX-License-Identifier: GPL-2.0 */
/* Applications with a DfuSe runtime interface: detach into the bootloader. */
#ifndef DFUSE_USER_DETACH_H
#define DFUSE_USER_DETACH_H

/*
 * Detach the application whose USB serial is @serial (any, if NULL; then
 * exactly one must be there), and wait up to @timeout_ms for a DfuSe
 * board to appear in the driver. *@number: that board's N.
 * Return: 0 or an EX_* code, with a message printed.
 */
int detach_and_wait(const char *serial, int timeout_ms, unsigned int *number);

#endif
