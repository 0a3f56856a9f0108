/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's own integer types over the uapi ones, for the host fuzzer */
#ifndef FUZZ_SHIM_LINUX_TYPES_H
#define FUZZ_SHIM_LINUX_TYPES_H
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#endif
