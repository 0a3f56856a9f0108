/* SPDX-License-Identifier: GPL-2.0 */
#ifndef EMU_FUZZ_H
#define EMU_FUZZ_H

#include "bootloader.h"

/* Replace e's descriptors with seed's random set; see fuzz.c. */
void emu_fuzz(struct emu *e, unsigned long seed, const char *state_dir);

#endif
