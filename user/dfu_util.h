/* SPDX-License-Identifier: GPL-2.0 */
/* dfu-util 0.11's command line through dfuse (dfu_util.c). */
#ifndef DFUSE_USER_DFU_UTIL_H
#define DFUSE_USER_DFU_UTIL_H

/* Run as dfu-util would with @argv (argv[0]: any name). An exit code. */
int dfu_util_main(int argc, char **argv);

#endif
