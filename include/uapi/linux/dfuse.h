/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dfuse: STM32 DfuSe bootloaders as character devices.
 *
 * Device nodes: /dev/dfuse<N>.<A>, one per alternate setting A of board N.
 * minor = N * DFUSE_ALTS_PER_DEVICE + A. N is allocated at probe and stays
 * the same while the board stays plugged in.
 */
#ifndef _UAPI_LINUX_DFUSE_H
#define _UAPI_LINUX_DFUSE_H

#include <linux/types.h>

#define DFUSE_ALTS_PER_DEVICE	16

/* Segment flags, as the memory map's type letter ('a' + flags - 1) */
#define DFUSE_SEG_READABLE	0x1
#define DFUSE_SEG_ERASABLE	0x2
#define DFUSE_SEG_WRITABLE	0x4

#endif /* _UAPI_LINUX_DFUSE_H */
