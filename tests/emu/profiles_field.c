// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in profiles: real ROM bootloaders, named by part, each from
 * public device logs and bug reports (docs/devices.md lists the sources
 * per family). Two ST ROM generations set the defaults (profiles.c):
 *
 *   1: F0/F1/F3/F4/F7/L0/L1/L4 - bcdDevice 0x2x00, "STM32  BOOTLOADER",
 *      bcdUSB 1.00, 2048-byte blocks; the GETSTATUS after the leave is
 *      answered (dfuMANIFEST), then the part resets.
 *   2: G0/G4/H7/U5/C0/C5 - bcdDevice 0x0200, "DFU in FS Mode", 1024-byte
 *      blocks; the part resets without answering that GETSTATUS.
 *
 * The split is read from the rows that carry the data, not stated by ST.
 * Generation 0: not an ST ROM (other vendors, U-Boot, a strict device).
 * Other names (the earlier profiles) are aliases kept for the tests.
 */
#include <stddef.h>

#include "bootloader.h"

const struct emu_builtin emu_builtins[] = {
	{ "f105", 1, "dfu-util device-logs/stm32f107.lsusb (2011)", {
		"bcd_device=0x2000", "product=STM32 0x418 DFU Bootloader",
		"serial=STM32", "self_powered=0",
		"alt0=@Internal Flash  /0x08000000/128*002Kg",
		"alt1=@Option Bytes  /0x1FFFF800/01*016 g", NULL } },
	{ "f407-2012", 1, "dfu-util device-logs/stm32f4discovery.lsusb and .bin-download (2012): starts in dfuERROR/errFIRMWARE", {
		"bcd_device=0x2100", "serial=315A28A0B956", "start_error=10",
		"alt0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
		"alt1=@Option Bytes  /0x1FFFC000/01*016 g",
		"alt2=@OTP Memory /0x1FFF7800/01*512 g,01*016 g",
		"alt3=@Device Feature/0xFFFF0000/01*004 g", NULL } },
	{ "f401", 1, "OpenDeck #123, QMK #17576 (F401 BlackPill): starts in dfuERROR, leave answered with dfuMANIFEST", {
		"start_error=10",
		"alt0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,01*128Kg",
		"alt1=@Option Bytes  /0x1FFFC000/01*016 e",
		"alt2=@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
		"alt3=@Device Feature/0xFFFF0000/01*004 e", NULL } },
	{ "f042", 1, "QMK and Klipper logs: the same serial FFFFFFFEFFFF on every chip", {
		"serial=FFFFFFFEFFFF",
		"alt0=@Internal Flash  /0x08000000/032*0001Kg",
		"alt1=@Option Bytes  /0x1FFFF800/01*016 e", NULL } },
	{ "f072", 1, "QMK logs: the same serial FFFFFFFEFFFF on every chip", {
		"serial=FFFFFFFEFFFF",
		"alt0=@Internal Flash  /0x08000000/064*0002Kg",
		"alt1=@Option Bytes  /0x1FFFF800/01*016 e", NULL } },
	{ "f303", 1, "QMK Planck rev6 logs: starts in dfuERROR/errFIRMWARE", {
		"serial=206438702037", "start_error=10",
		"alt0=@Internal Flash  /0x08000000/128*0002Kg",
		"alt1=@Option Bytes  /0x1FFFF800/01*016 e", NULL } },
	/*
	 * 100 ms asked after an erase, 104 ms after each block whatever its
	 * length, 104 ms after the leave; a poll sent before the work is
	 * done is held until it is (ST's DFU class works in the control
	 * endpoint's interrupt: requests wait meanwhile).
	 */
	{ "f469", 1, "modm scons docs, dfu-util -v -v log: erase 100 ms, each DNLOAD 104 ms, leave 104 ms then dfuMANIFEST", {
		"poll_erase=100", "poll_program=104", "poll_leave=104",
		"early_poll=1",
		"alt0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
		"alt1=@Option Bytes  /0x1FFFC000/01*016 g",
		"alt2=@OTP Memory /0x1FFF7800/01*512 g,01*016 g",
		"alt3=@Device Feature/0xFFFF0000/01*004 g", NULL } },
	/*
	 * The 2 MiB map string is 82 characters (166 bytes); the ROM sends
	 * 112 bytes of it with bLength 166: the host sees the first MiB.
	 */
	{ "f42x", 1, "ST community thread (2015): string bLength 166, 112 bytes sent", {
		"bcd_device=0x2200", "string_max=112",
		"alt0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg",
		"alt1=@Option Bytes  /0x1FFFC000/01*016 e", NULL } },
	/*
	 * nDBANK=0 on a 1 MiB F767: the ROM reports the single-bank map
	 * and erases the dual-bank sector at the address (16 KiB at
	 * 0x08080000, not 256 KiB). Programming what was not erased does
	 * not fail: the boards brick (rusefi #3566), so the model clears
	 * bits as F7 flash does.
	 */
	{ "f767-dual-bank", 1, "STM32Cube_MCU_Overall_Offer #11/#19/#34/#36, rusefi #3566/#3775, fome-fw #180", {
		"serial=3057365D3438", "program_over=1",
		"alt0=@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg",
		"real0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg,04*016Kg,01*064Kg,03*128Kg",
		"alt1=@Option Bytes  /0x1FFF0000/01*032 e", NULL } },
	{ "l0", 1, "reference manual: 1536 pages of 128 bytes (192 KiB); more than 1024 pages in one map", {
		"alt0=@Internal Flash  /0x08000000/1536*128 g",
		"alt1=@Option Bytes  /0x1FF80000/01*032 e", NULL } },
	{ "l1", 1, "reference manual: 2048 pages of 256 bytes (512 KiB)", {
		"alt0=@Internal Flash  /0x08000000/2048*256 g",
		"alt1=@Option Bytes  /0x1FF80000/01*032 e", NULL } },
	{ "l452", 1, "CubeProgrammer log (Device ID 0x462), web flasher mock: 2048-byte blocks", {
		"serial=2058358B3843", "ecc=1",
		"alt0=@Internal Flash  /0x08000000/512*0002Kg",
		"alt1=@Option Bytes  /0x1FFF7800/01*040 e",
		"alt2=@OTP Memory /0x1FFF7000/01*0001Kg",
		"alt3=@Device Feature/0xFFFF0000/01*004 e", NULL } },
	{ "l433", 1, "dfu-util c15ee60 (ticket 40): a page erase sometimes STALLs the next GETSTATUS", {
		"ecc=1", "erase_poll_stalls=1",
		"alt0=@Internal Flash  /0x08000000/128*0002Kg",
		"alt1=@Option Bytes  /0x1FFF7800/01*040 e", NULL } },
	/*
	 * The flash's typical times from the STM32G0B1 datasheet (DS13560,
	 * flash memory characteristics): page erase 22 ms, 85 us per
	 * 64-bit word.
	 */
	{ "g0b1", 2, "BTT EBB #71, Manta M5P #31, MMB #19: three identical alts; resets without answering after the leave", {
		"serial=20653172574B", "ecc=1",
		"erase_page_ms=22", "program_us_per_kib=10880",
		"alt0=@Internal Flash   /0x08000000/256*02Kg",
		"alt1=@Internal Flash   /0x08000000/256*02Kg",
		"alt2=@Internal Flash   /0x08000000/256*02Kg", NULL } },
	{ "g474", 2, "G474 dfu-util -l: a size with no multiplier (01*1024 e)", {
		"serial=205939885533", "ecc=1",
		"alt0=@Internal Flash   /0x08000000/256*02Kg",
		"alt1=@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
		"alt2=@OTP Memory   /0x1FFF7000/01*1024 e", NULL } },
	/* the H743 die: the map says 2 MiB, the part has 128 KiB */
	{ "h750", 2, "NuttX weact-stm32h750 doc: 16*128Kg on a 128 KiB part; leave: Error during download get_status", {
		"serial=200000500000",
		"alt0=@Internal Flash   /0x08000000/16*128Kg",
		"real0=@Internal Flash   /0x08000000/01*128Kg",
		"alt1=@Option Bytes   /0x5200201C/01*128 e", NULL } },
	/*
	 * Rev.V: an erase beyond the first MiB leaves the ROM in dfuDNBUSY
	 * past its poll timeout until two CLRSTATUS (the first answers with
	 * dfuERROR, errUNKNOWN).
	 */
	{ "h743", 2, "betaflight PR #1861/#5348, rusefi #5574, dfu-buddy #3: the Rev.V erase wedge", {
		"wedge_above=0x08100000",
		"alt0=@Internal Flash   /0x08000000/16*128Kg",
		"alt1=@Option Bytes   /0x5200201C/01*128 e", NULL } },
	{ "h7a3", 2, "H7A3/B3 dfu-util -l logs", {
		"serial=336D396B3434", "ecc=1",
		"alt0=@Internal Flash   /0x08000000/256*08Kg",
		"alt1=@Option Bytes   /0x5200201C/01*297 e", NULL } },
	{ "h723", 2, "dfu-core PR #37: a read-back before the leave moves the address pointer", {
		"serial=200364500000", "readback_moves_pointer=1",
		"alt0=@Internal Flash   /0x08000000/08*128Kg",
		"alt1=@Option Bytes   /0x5200201C/01*128 e", NULL } },
	{ "u575", 2, "Zephyr steval_stwinbx1 doc, CubeProgrammer log: option bytes at the FLASH_OPTR register", {
		"serial=207136863530", "ecc=1",
		"alt0=@Internal Flash   /0x08000000/256*08Kg",
		"alt1=@OTP Memory   /0x0BFA0000/01*512 e",
		"alt2=@Option Bytes   /0x40022040/01*64 e", NULL } },
	{ "u5a9", 2, "dfu-util be49612 (ticket 145): SET_ADDRESS goes to dfuDNLOAD-IDLE with no dfuDNBUSY", {
		"serial=208338744D30", "ecc=1", "setaddr_no_busy=1",
		"alt0=@Internal Flash   /0x08000000/512*08Kg",
		"alt1=@Option Bytes   /0x40022040/01*64 e", NULL } },
	{ "c071", 2, "LibUsbDfu #13: a leave without a SET_ADDRESS just before it ends in dfuERROR", {
		"ecc=1", "leave_needs_address=1",
		"alt0=@Internal Flash   /0x08000000/64*02Kg", NULL } },
	/*
	 * No GET_DESCRIPTOR for the functional descriptor (neither does
	 * this emulator: it is read from the configuration); a CLRSTATUS
	 * outside dfuERROR is STALLed (every profile does that).
	 */
	{ "c5", 2, "betaflight usbdfu_stm32c5 test, dfu-libusb #4", {
		"ecc=1",
		"alt0=@Internal Flash   /0x08000000/64*02Kg", NULL } },
	/* reports 2048 and works only with 1024: the quirk parameter test */
	{ "l43x", 1, "a quirk-parameter model (transfer-size=1024)", {
		"bcd_device=0x2201", "max_block=1024", "ecc=1",
		"alt0=@Internal Flash  /0x08000000/128*02Kg",
		"alt1=@Option Bytes  /0x1FFF7800/01*040 e", NULL } },
	/*
	 * make bench: the F469's constants and flash, and a ROM that answers
	 * a GETSTATUS sent before the work is done at once, dfuDNBUSY with
	 * the same constant, so that a host that honours it waits 104 ms.
	 */
	{ "f4-answer", 1, "bench model: f469's poll constants (modm log), an early poll answered with them", {
		"poll_erase=100", "poll_program=104", "poll_leave=104",
		"early_poll=4",
		"alt0=@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
		"alt1=@Option Bytes  /0x1FFFC000/01*016 g", NULL } },
	/* a 512 KiB L4 with 1024-byte blocks: make bench's l4 model */
	{ "l4", 1, "bench model after the L4 rows", {
		"transfer_size=1024", "ecc=1",
		"alt0=@Internal Flash  /0x08000000/256*02Kg",
		"alt1=@Option Bytes  /0x1FFF7800/01*040 e",
		"alt2=@OTP Memory   /0x1FFF7000/01*0001Ke",
		"alt3=@Device Feature/0xFFFF0000/01*004 e", NULL } },
	/* AT32 (2e3c:df11): "Option byte", a space after the '/' */
	{ "at32", 0, "ArteryTek AT32 DFU logs", {
		"vid=0x2e3c", "pid=0xdf11", "transfer_size=2048",
		"manufacturer=ArteryTek", "product=AT32 Bootloader DFU",
				"alt0=@Internal Flash  /0x08000000/128*02Kg",
		"alt1=@Option byte   / 0x1FFFF800/01*048 e", NULL } },
	/*
	 * GD32VF103: reports 512 x 2 KiB whatever the part; it has 1 KiB
	 * pages, as many as the serial's part letter says (B: 128). It
	 * leaves on the zero-length DNLOAD and STALLs the GETSTATUS after.
	 */
	{ "gd32vf103", 0, "riscv-mcu/gd32-dfu-utils #3, fwupd dfu-gd32vf103.json", {
		"vid=0x28e9", "pid=0x0189", "bcd_device=0x1000",
		"manufacturer=GDMicroelectronics",
		"product=GD32 0x418 DFU Bootloade",
		"serial=3CBJ", "gd32_serial_layout=1", "leave_on_dnload=1",
		"alt0=@Internal Flash  /0x08000000/512*002Kg",
		"alt1=@Option Bytes  /0x1FFFF800/01*016 g", NULL } },
	/* not DfuSe: DFU 1.1 on the same 0483:df11; a DfuSe host must not bind */
	{ "mp15-rom", 2, "DH electronics docs: STM32MP15 ROM, bcdDFU 1.10, HS", {
		"dfu_version=0x0110", "product=DFU in HS Mode @Device ID /0x500, @Revision ID /0x0000",
		"serial=003800123456789012345678",
		"alt0=@Partition0 /0x00/1*256Ke", "alt1=@FSBL /0x01/1*1Me", NULL } },
	{ "u-boot", 0, "U-Boot's DFU gadget with ST's IDs: bcdDevice 7e.8a, 4096-byte blocks, DFU 1.1", {
		"dfu_version=0x0110", "bcd_device=0x7e8a", "transfer_size=4096",
		"manufacturer=STMicroelectronics", "product=USB download gadget",
		"alt0=@u-boot /0x00/1*2Me", NULL } },
	/*
	 * DFU 1.1 read strictly: a GETSTATUS before the bwPollTimeout it
	 * gave has passed is STALLed and the device goes to dfuERROR.
	 */
	{ "strict-dfu", 0, "DFU 1.1 section 6.1.2 (bwPollTimeout: the minimum wait); kernel review W3", {
		"vid=0x1209", "pid=0xdf11", "manufacturer=pid.codes test",
		"product=Strict DfuSe", "early_poll=3",
		"alt0=@Internal Flash  /0x08000000/64*02Kg", NULL } },
};

const unsigned int emu_nr_builtins = sizeof(emu_builtins) / sizeof(emu_builtins[0]);

const struct emu_alias emu_aliases[] = {
	{ "f407", "f407-2012" }, { "f4-rom", "f469" }, { "h7", "h743" },
	{ "g0", "g0b1" }, { NULL, NULL },
};
