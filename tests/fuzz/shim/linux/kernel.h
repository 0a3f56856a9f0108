/* SPDX-License-Identifier: GPL-2.0 */
/* What kernel/quirks.c takes from <linux/kernel.h>, for the host fuzzer */
#ifndef FUZZ_SHIM_LINUX_KERNEL_H
#define FUZZ_SHIM_LINUX_KERNEL_H
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define U32_MAX		UINT32_MAX
#endif
