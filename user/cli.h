/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dfuse tool's parts: the options every command reads, and what the
 * command files (cmd_*.c), board.c and output.c offer each other.
 */
#ifndef DFUSE_USER_CLI_H
#define DFUSE_USER_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "device.h"
#include "image.h"
#include "nl.h"

#define CHUNK_MIN	(64 * 1024)

enum { PROGRESS_AUTO, PROGRESS_BAR, PROGRESS_LINES, PROGRESS_NONE };

/* STM32 bootloaders reset the part after writing its option bytes */
#define RESET_EXPECTED	(-1)

/* The command line, parsed once by main(). */
struct options {
	struct selector sel;
	int json, quiet, verbose, verify, force, yes, mass, option_bytes;
	int rdp2_ok, leave, detach, check;
	int user_address;	/* --address was given */
	int progress;	/* PROGRESS_* */
	const char *output, *format, *config;
	uint32_t address, length, leave_addr;
	int has_address, has_length, has_leave_addr;
	int timeout, count;
	int vid, pid, bcd;
};

extern struct options opt;

/* output.c */
void say(const char *fmt, ...);
void print_printable(const char *s);
void json_str(const char *s);

/* json_error.c: around a --json command; returns @ret */
void json_error_begin(void);
int json_error_end(int ret);
void progress(const char *what, uint64_t done, uint64_t total);
void print_device(const struct nl_device *d);
int print_event(const struct nl_event *ev, void *arg);

/* board.c */
uint32_t number(const char *s, const char *what);
int open_alt(const struct nl_alt *alt, int flags);
int open_selected(struct nl_device *dev, const struct nl_alt **alt,
		  int *fd, int flags);
int report(int fd, const struct nl_device *dev, const struct nl_alt *alt,
	   const char *op, uint32_t addr, int err);
int do_range(int fd, unsigned long cmd, uint32_t addr, uint32_t len,
	     void *data, uint32_t flags);
bool is_option_bytes(const struct nl_alt *alt);
int write_element(int fd, const struct nl_device *dev,
		  const struct nl_alt *alt, uint32_t addr,
		  const uint8_t *data, uint32_t len, uint64_t *done,
		  uint64_t total);
/* Did write_element() have the driver verify what it programmed on @alt? */
bool write_verified(const struct nl_alt *alt);
int verify_element(int fd, const struct nl_device *dev,
		   const struct nl_alt *alt, uint32_t addr,
		   const uint8_t *data, uint32_t len);
bool wait_gone(const struct nl_device *dev, int ms);
int wait_back(const struct nl_device *old, struct nl_device *out, int ms);
int leave_board(const struct nl_device *dev, const struct nl_alt *alt,
		bool jump, uint32_t addr);
int load(const char *path, struct image *img);
int check_option_bytes(const struct nl_alt *alt,
		       const struct image_element *e);
int reset_after_option_bytes(struct nl_device *dev,
			     const struct nl_alt *alt,
			     const struct image_element *e, int *fd);
size_t write_order(size_t k, size_t n, int ob);

/* cmd_board.c */
int cmd_flash(char **args, int nargs);
int cmd_read(void);
int simple_ioctl(const char *what, unsigned long cmd);
int cmd_erase(void);
int cmd_unprotect(void);
int cmd_leave(char **args, int nargs);
int cmd_status(void);

/* cmd_lab.c */
int cmd_list(void);
int cmd_wait(void);
int cmd_monitor(void);
int cmd_detach(void);
int cmd_release(void);
int board_holds(const struct nl_device *dev, const struct image *img);
int cmd_autoflash(void);

/* cmd_image.c */
int cmd_info(char **args, int nargs);
int cmd_pack(char **args, int nargs);
int cmd_unpack(char **args, int nargs);

#endif
