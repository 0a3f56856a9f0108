/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dfuse: STM32 DfuSe bootloaders as character devices.
 *
 * Device nodes: /dev/dfuse<N>.<A>, one per alternate setting A of board N.
 * minor = N * DFUSE_ALTS_PER_DEVICE + A. N is allocated at probe and stays
 * the same while the board stays plugged in.
 *
 * File offsets are addresses minus the lowest address of the alt's map
 * (DFUSE_IOC_INFO .base); the file size is the span of the map.
 *
 * ioctls (VFIO style): every argument struct starts with argsz, the size
 * the caller knows, and flags. The kernel accepts any argsz from the first
 * version's size up to a page: bytes it does not know must be zero (else
 * E2BIG; an argsz above 4096 is E2BIG too), and it writes back at most
 * argsz bytes. Reserved fields of what the kernel reads must be zero
 * (EINVAL); in what it writes back, it writes them zero.
 *
 * Errors, for read(), write(), fsync(), close() and the ioctls:
 *   ENXIO      the address is in no segment of this alt's map (a gap)
 *   EACCES     the segment is not readable, or the part is read-protected
 *   EROFS      the segment is not writable (nothing was sent to the device)
 *   ENOSPC     write past the end of the map
 *   EOVERFLOW  address + length wraps past 4 GiB
 *              (open(): a node larger than 2 GiB, without O_LARGEFILE)
 *   EIO        the device reported an erase, program or verify error
 *              (DFUSE_IOC_GET_STATUS tells which, with the device's text)
 *   ETIMEDOUT  the device stayed busy longer than any real part would, or
 *              was still on the bus after LEAVE (wDetachTimeOut, at most
 *              5 s, + 1 s)
 *   EBADMSG    DFUSE_WRITE_VERIFY: a programmed byte reads back otherwise
 *              (the kernel log names the address; done stops there)
 *   EBUSY      the device is still busy from an operation that timed out
 *   EFBIG      DFUSE_IOC_WRITE of more than 16 MiB at once
 *   EPROTO     the device broke the DFU protocol (stall, short reply)
 *   ENODEV     the board was unplugged or left DFU mode (not when it
 *              resets to load option bytes it was given: that write
 *              succeeds, and the node comes back)
 *   EBUSY      another open file is writing to this board
 *   EBADF      an ioctl that changes the device (ERASE, WRITE, MASS_ERASE,
 *              UNPROTECT, LEAVE, CLEAR_STATUS, ABORT) on a descriptor not
 *              open for writing; READ on one not open for reading
 *   EINTR      a signal arrived before any byte was transferred; for the
 *              range ioctls, a signal stopped it at a page or block
 *              boundary (done says how far). A fatal signal stops a write
 *              after programming what it had erased, and the kernel log
 *              says how many bytes made it; so does any failed write, with
 *              the range it left erased and blank, if any. A writer killed
 *              between writes has its gathered bytes dropped (logged); a
 *              normal exit writes them, as close() does
 */
#ifndef _UAPI_LINUX_DFUSE_H
#define _UAPI_LINUX_DFUSE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DFUSE_ALTS_PER_DEVICE	16

/* Segment flags, as the memory map's type letter ('a' + flags - 1) */
#define DFUSE_SEG_READABLE	0x1
#define DFUSE_SEG_ERASABLE	0x2
#define DFUSE_SEG_WRITABLE	0x4

/* DFU states and status codes (USB DFU 1.1, 6.1.2) */
enum dfuse_dfu_state {
	DFUSE_STATE_APP_IDLE = 0,
	DFUSE_STATE_APP_DETACH = 1,
	DFUSE_STATE_IDLE = 2,
	DFUSE_STATE_DNLOAD_SYNC = 3,
	DFUSE_STATE_DNBUSY = 4,
	DFUSE_STATE_DNLOAD_IDLE = 5,
	DFUSE_STATE_MANIFEST_SYNC = 6,
	DFUSE_STATE_MANIFEST = 7,
	DFUSE_STATE_MANIFEST_WAIT_RESET = 8,
	DFUSE_STATE_UPLOAD_IDLE = 9,
	DFUSE_STATE_ERROR = 10,
};

enum dfuse_dfu_status {
	DFUSE_STATUS_OK = 0,
	DFUSE_STATUS_ERR_TARGET = 1,
	DFUSE_STATUS_ERR_FILE = 2,
	DFUSE_STATUS_ERR_WRITE = 3,
	DFUSE_STATUS_ERR_ERASE = 4,
	DFUSE_STATUS_ERR_CHECK_ERASED = 5,
	DFUSE_STATUS_ERR_PROG = 6,
	DFUSE_STATUS_ERR_VERIFY = 7,
	DFUSE_STATUS_ERR_ADDRESS = 8,
	DFUSE_STATUS_ERR_NOTDONE = 9,
	DFUSE_STATUS_ERR_FIRMWARE = 10,
	DFUSE_STATUS_ERR_VENDOR = 11,
	DFUSE_STATUS_ERR_USBR = 12,
	DFUSE_STATUS_ERR_POR = 13,
	DFUSE_STATUS_ERR_UNKNOWN = 14,
	DFUSE_STATUS_ERR_STALLEDPKT = 15,
};

#define DFUSE_SERIAL_MAX	64
#define DFUSE_NAME_MAX		128
#define DFUSE_STRING_MAX	128

/**
 * struct dfuse_info - the board and this node's alternate setting
 * @argsz: size of the struct the caller knows
 * @flags: none yet: 0
 * @vendor: idVendor
 * @product: idProduct
 * @bcd_device: bcdDevice
 * @bcd_dfu: bcdDFUVersion, 0x011a
 * @transfer_size: wTransferSize, bytes per DNLOAD or UPLOAD block
 * @detach_timeout: wDetachTimeOut, ms
 * @attributes: the DFU functional descriptor's bmAttributes
 * @alt: this node's bAlternateSetting
 * @alt_count: alternate settings of the board
 * @reserved0: 0
 * @device_number: N in /dev/dfuseN.A
 * @base: the address at file offset 0
 * @nr_segments: segments in this alternate setting's memory map
 * @reserved1: 0; keeps @size 8-aligned on i386 too
 * @size: the span of the map: the file size
 * @serial: iSerialNumber, NUL-terminated
 * @alt_name: the name in this alternate setting's memory map, NUL-terminated
 *
 * Filled in by DFUSE_IOC_INFO.
 */
struct dfuse_info {
	__u32 argsz;
	__u32 flags;
	__u16 vendor;
	__u16 product;
	__u16 bcd_device;
	__u16 bcd_dfu;
	__u16 transfer_size;
	__u16 detach_timeout;
	__u8 attributes;
	__u8 alt;
	__u8 alt_count;
	__u8 reserved0;
	__u32 device_number;
	__u32 base;
	__u32 nr_segments;
	__u32 reserved1;
	__u64 size;
	char serial[DFUSE_SERIAL_MAX];
	char alt_name[DFUSE_NAME_MAX];
};

/**
 * struct dfuse_segment_info - a run of equal pages of a memory map
 * @start: the address of the first page
 * @count: pages
 * @page_size: bytes; the erase unit
 * @flags: DFUSE_SEG_*
 */
struct dfuse_segment_info {
	__u32 start;
	__u32 count;
	__u32 page_size;
	__u32 flags;
};

/**
 * struct dfuse_segments - the segments of this node's memory map
 * @argsz: size of the struct the caller knows
 * @flags: 0
 * @capacity: in: entries at @segments
 * @count: out: segments in the map
 * @segments: user pointer to an array of struct dfuse_segment_info
 *
 * DFUSE_IOC_GET_SEGMENTS fills up to @capacity entries and sets @count.
 */
struct dfuse_segments {
	__u32 argsz;
	__u32 flags;
	__u32 capacity;
	__u32 count;
	__u64 segments;
};

/* Turn off compare-before-erase: erase and write every touched page. */
#define DFUSE_WRITE_ALWAYS_ERASE	0x1
/*
 * Read back what the write programmed (only that: pages it left alone
 * already held the data) and fail with EBADMSG where it differs.
 */
#define DFUSE_WRITE_VERIFY		0x2

/**
 * struct dfuse_range - an address range of this node's alternate setting
 * @argsz: size of the struct the caller knows
 * @flags: DFUSE_IOC_WRITE: DFUSE_WRITE_*; else 0
 * @address: the absolute address of the first byte
 * @length: bytes
 * @data: user pointer to the bytes (WRITE, READ); 0 for ERASE
 * @done: out: the bytes completed, also on error
 * @reserved: 0
 *
 * For DFUSE_IOC_ERASE, DFUSE_IOC_WRITE and DFUSE_IOC_READ. ERASE erases
 * every page the range touches. WRITE keeps the bytes of touched pages
 * outside the range.
 */
struct dfuse_range {
	__u32 argsz;
	__u32 flags;
	__u32 address;
	__u32 length;
	__u64 data;
	__u32 done;
	__u32 reserved;
};

/**
 * struct dfuse_status - a fresh DFU_GETSTATUS, and the last error
 * @argsz: size of the struct the caller knows
 * @flags: 0
 * @state: bState, enum dfuse_dfu_state
 * @status: bStatus, enum dfuse_dfu_status
 * @istring: iString
 * @last_status: bStatus of the last failed operation
 * @poll_timeout: bwPollTimeout, ms
 * @last_errno: the errno of the last failed operation, <= 0
 * @last_address: where it failed
 * @last_string: the device's iString text then, NUL-terminated
 *
 * Filled in by DFUSE_IOC_GET_STATUS.
 */
struct dfuse_status {
	__u32 argsz;
	__u32 flags;
	__u8 state;
	__u8 status;
	__u8 istring;
	__u8 last_status;
	__u32 poll_timeout;
	__s32 last_errno;
	__u32 last_address;
	char last_string[DFUSE_STRING_MAX];
};

#define DFUSE_LEAVE_JUMP	0x1	/* jump to address, not the default */

/**
 * struct dfuse_leave - leave DFU mode
 * @argsz: size of the struct the caller knows
 * @flags: DFUSE_LEAVE_*
 * @address: with DFUSE_LEAVE_JUMP, where the part jumps to
 * @reserved: 0
 *
 * For DFUSE_IOC_LEAVE; the node goes away (ENODEV after). Without
 * DFUSE_LEAVE_JUMP the address pointer is set to the lowest address of
 * the board's first alternate setting (the internal flash, where the
 * application starts), as dfu-util's ":leave" does.
 */
struct dfuse_leave {
	__u32 argsz;
	__u32 flags;
	__u32 address;
	__u32 reserved;
};

/**
 * struct dfuse_commands - the DfuSe commands the device supports
 * @argsz: size of the struct the caller knows
 * @flags: 0
 * @count: valid bytes at @commands
 * @commands: the command bytes of the device's GET_COMMANDS answer
 * @reserved: 0
 *
 * Filled in by DFUSE_IOC_GET_COMMANDS.
 */
struct dfuse_commands {
	__u32 argsz;
	__u32 flags;
	__u32 count;
	__u8 commands[16];
	__u32 reserved;
};

#define DFUSE_IOC_MAGIC		0xDF
#define DFUSE_IOC_INFO		_IO(DFUSE_IOC_MAGIC, 0)
#define DFUSE_IOC_GET_SEGMENTS	_IO(DFUSE_IOC_MAGIC, 1)
#define DFUSE_IOC_ERASE		_IO(DFUSE_IOC_MAGIC, 2)
#define DFUSE_IOC_MASS_ERASE	_IO(DFUSE_IOC_MAGIC, 3)
#define DFUSE_IOC_WRITE		_IO(DFUSE_IOC_MAGIC, 4)
#define DFUSE_IOC_READ		_IO(DFUSE_IOC_MAGIC, 5)
#define DFUSE_IOC_GET_STATUS	_IO(DFUSE_IOC_MAGIC, 6)
#define DFUSE_IOC_CLEAR_STATUS	_IO(DFUSE_IOC_MAGIC, 7)
#define DFUSE_IOC_ABORT		_IO(DFUSE_IOC_MAGIC, 8)
#define DFUSE_IOC_LEAVE		_IO(DFUSE_IOC_MAGIC, 9)
#define DFUSE_IOC_UNPROTECT	_IO(DFUSE_IOC_MAGIC, 10)
#define DFUSE_IOC_GET_COMMANDS	_IO(DFUSE_IOC_MAGIC, 11)

/* Generic netlink family "dfuse" */
#define DFUSE_GENL_NAME		"dfuse"
#define DFUSE_GENL_VERSION	1
#define DFUSE_GENL_MCGRP_EVENTS	"events"

enum dfuse_genl_cmd {
	DFUSE_CMD_UNSPEC,
	DFUSE_CMD_GET_DEVICE,		/* dump: one message per board */
	DFUSE_CMD_DEVICE_ADDED,		/* events from here on */
	DFUSE_CMD_DEVICE_REMOVED,
	DFUSE_CMD_OP_STARTED,
	DFUSE_CMD_OP_PROGRESS,
	DFUSE_CMD_OP_FINISHED,
	DFUSE_CMD_ERROR,
	DFUSE_CMD_LEFT_DFU,
	__DFUSE_CMD_MAX,
};

enum dfuse_op {
	DFUSE_OP_ERASE = 1,
	DFUSE_OP_PROGRAM,
	DFUSE_OP_READ,
	DFUSE_OP_VERIFY,
	DFUSE_OP_LEAVE,
};

enum dfuse_genl_attr {
	DFUSE_A_UNSPEC,
	DFUSE_A_DEVICE_NUMBER,		/* u32 */
	DFUSE_A_SERIAL,			/* string */
	DFUSE_A_USB_PATH,		/* string, e.g. "1-1.2" */
	DFUSE_A_VENDOR,			/* u16 */
	DFUSE_A_PRODUCT,		/* u16 */
	DFUSE_A_BCD_DEVICE,		/* u16 */
	DFUSE_A_TRANSFER_SIZE,		/* u16 */
	DFUSE_A_ALT,			/* nested, repeated: DFUSE_A_ALT_* */
	DFUSE_A_OP,			/* u8 enum dfuse_op */
	DFUSE_A_ALT_NUMBER,		/* u8 */
	DFUSE_A_BYTES_DONE,		/* u64 */
	DFUSE_A_BYTES_TOTAL,		/* u64 */
	DFUSE_A_ERRNO,			/* s32 */
	DFUSE_A_DFU_STATUS,		/* u8 */
	DFUSE_A_DFU_STATE,		/* u8 */
	DFUSE_A_ERROR_STRING,		/* string */
	DFUSE_A_ADDRESS,		/* u32 */
	DFUSE_A_PAD,
	__DFUSE_A_MAX,
};

enum dfuse_genl_alt_attr {
	DFUSE_A_ALT_UNSPEC,
	DFUSE_A_ALT_SETTING,		/* u8 */
	DFUSE_A_ALT_NAME,		/* string */
	DFUSE_A_ALT_NODE,		/* string, "dfuse0.0" */
	DFUSE_A_ALT_BASE,		/* u32 */
	DFUSE_A_ALT_SIZE,		/* u64 */
	DFUSE_A_ALT_SEGMENTS,		/* not sent: DFUSE_A_ALT_SEGMENT */
	DFUSE_A_ALT_PAD,
	DFUSE_A_ALT_STRING,		/* string: iInterface as the device sent it */
	DFUSE_A_ALT_SEGMENT,		/* nested, repeated: DFUSE_A_SEG_* */
	__DFUSE_A_ALT_MAX,
};

/* A run of equal pages of an alternate setting's memory map */
enum dfuse_genl_seg_attr {
	DFUSE_A_SEG_UNSPEC,
	DFUSE_A_SEG_START,		/* u32, address of the first page */
	DFUSE_A_SEG_COUNT,		/* u32, pages */
	DFUSE_A_SEG_PAGE_SIZE,		/* u32, bytes */
	DFUSE_A_SEG_FLAGS,		/* u8, DFUSE_SEG_* */
	__DFUSE_A_SEG_MAX,
};

#endif /* _UAPI_LINUX_DFUSE_H */
