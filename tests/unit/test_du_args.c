// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse's dfu-util command line against dfu-util 0.11's own forms (its
 * src/main.c parse_vendprod(), parse_serial(), parse_number() and
 * src/dfuse.c dfuse_parse_options()), TAP.
 */
#include <stdio.h>
#include <string.h>

#include "../../user/dfu_util_args.h"

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, what);
}

/* parse a space-separated line */
static int parse(const char *line, struct du_args *a, char *err)
{
	static char buf[512];
	char *argv[32] = { (char *)"dfu-util" };
	int argc = 1;
	char *tok;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return du_parse(argc, argv, a, err, 256);
}

int main(void)
{
	struct du_args a;
	char err[256];
	int r;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("1..40\n");
	/* -d: Klipper's ",VID:PID" matches only DFU-mode devices */
	r = parse("-d ,0483:df11 -l", &a, err);
	ok(!r && a.vendor == DU_NONE_ID && a.product == DU_NONE_ID, "-d ,0483:df11: no runtime device");
	ok(a.vendor_dfu == 0x0483 && a.product_dfu == 0xdf11, "-d ,0483:df11: the DFU-mode IDs");
	r = parse("-d 0483:df11 -l", &a, err);
	ok(!r && a.vendor == 0x0483 && a.product == 0xdf11 && a.vendor_dfu == DU_ANY && a.product_dfu == DU_ANY,
	   "-d 0483:df11: runtime IDs, any DFU-mode device");
	r = parse("--device 0483:5740,0483:df11 -l", &a, err);
	ok(!r && a.product == 0x5740 && a.vendor_dfu == 0x0483 && a.product_dfu == 0xdf11, "--device RUNTIME,DFU");
	r = parse("-d *:df11 -l", &a, err);
	ok(!r && a.vendor == DU_ANY && a.product == 0xdf11, "-d *:df11: '*' is any");
	r = parse("-d -:df11 -l", &a, err);
	ok(!r && a.vendor == DU_NONE_ID, "-d -:df11: '-' matches none");
	r = parse("-d stm32 -l", &a, err);
	ok(!r && a.vendor == DU_ANY && a.product == DU_ANY, "-d stm32: text that is not hex means any");
	r = parse("-d 1234,:df11 -l", &a, err);
	ok(!r && a.vendor == 0x1234 && a.vendor_dfu == 0x1234 && a.product_dfu == 0xdf11,
	   "-d 1234,:df11: the DFU vendor defaults to the runtime one");
	/* -a: a number when all of it is one */
	r = parse("-a 0 -l", &a, err);
	ok(!r && a.alt_index == 0 && !a.alt_name, "-a 0: alt 0");
	r = parse("--alt 0x1 -l", &a, err);
	ok(!r && a.alt_index == 1, "--alt 0x1: alt 1");
	r = parse("-a 1a -l", &a, err);
	ok(!r && a.alt_index == -1 && a.alt_name && !strcmp(a.alt_name, "1a"), "-a 1a: a name");
	r = parse("--altsetting @Option -l", &a, err);
	ok(!r && a.alt_name && !strcmp(a.alt_name, "@Option"), "--altsetting NAME");
	/* -s */
	r = parse("-a 0 -s 0x08000000:leave -D fw.bin", &a, err);
	ok(!r && a.mode == DU_DOWNLOAD && a.has_address && a.address == 0x08000000 && a.leave,
	   "-s 0x08000000:leave -D: address, leave");
	r = parse("-s 0x8000000:mass-erase:force", &a, err);
	ok(!r && a.mass_erase && a.force && !a.leave && a.mode == DU_NONE, "-s ADDR:mass-erase:force alone");
	r = parse("-s :leave", &a, err);
	ok(!r && !a.has_address && a.leave, "-s :leave: no address");
	r = parse("-s 0x08000000:4096 -U up.bin", &a, err);
	ok(!r && a.length == 4096 && a.mode == DU_UPLOAD, "-s ADDR:LENGTH -U");
	r = parse("-s 0x08000000:l -D x", &a, err);
	ok(!r && a.leave, "-s ADDR:l: a modifier matches as a prefix, as in 0.11");
	r = parse("-s 0x08000000:unprotect:force", &a, err);
	ok(!r && a.unprotect && a.force, "-s :unprotect:force");
	r = parse("-s 0x08000000:will-reset -D x", &a, err);
	ok(!r && a.will_reset, "-s :will-reset");
	r = parse("-s 0x08000000:bogus -D x", &a, err);
	ok(r == 64 && !strcmp(err, "Invalid dfuse modifier: bogus"), "-s ADDR:bogus: 64, dfu-util's message");
	r = parse("-s zz -D x", &a, err);
	ok(r == 64 && !strcmp(err, "Invalid dfuse address: zz"), "-s zz: 64, dfu-util's message");
	/* numbers */
	r = parse("-E x -e", &a, err);
	ok(r == 64 && strstr(err, "argument of --detach-delay"), "-E x: 64");
	r = parse("-E 9 -e", &a, err);
	ok(!r && a.detach_delay == 9 && a.mode == DU_DETACH, "-E 9 -e");
	r = parse("-Z 12abc -U x", &a, err);
	ok(r == 64, "-Z 12abc: 64");
	r = parse("-t 1024 -Z 0x100 -U x", &a, err);
	ok(!r && a.transfer_size == 1024 && a.upload_size == 256, "-t, -Z");
	r = parse("-c 0 -i 0 -n 7 -l", &a, err);
	ok(!r && a.cfg == -1 && a.intf == 0 && a.devnum == 7, "-c 0 means any configuration; -i; -n");
	/* -S */
	r = parse("-S ABC,DEF -l", &a, err);
	ok(!r && !strcmp(a.serial, "ABC") && !strcmp(a.serial_dfu, "DEF"), "-S RUNTIME,DFU");
	r = parse("-S ,DEF -l", &a, err);
	ok(!r && !a.has_serial && a.has_serial_dfu, "-S ,DEF: any runtime serial");
	r = parse("--serial 339C35543236 -l", &a, err);
	ok(!r && !strcmp(a.serial_dfu, "339C35543236"), "--serial S: both");
	/* modes, errors */
	r = parse("-l -p 1-1.2", &a, err);
	ok(!r && a.mode == DU_LIST && !strcmp(a.path, "1-1.2"), "-l -p PATH (labgrid's list)");
	r = parse("--path 1-1 --alt 0 --detach", &a, err);
	ok(!r && a.mode == DU_DETACH, "labgrid's detach");
	r = parse("--path 1-1 --alt 0 --download fw.dfu", &a, err);
	ok(!r && a.mode == DU_DOWNLOAD && !strcmp(a.file, "fw.dfu"), "labgrid's download");
	r = parse("--serial X --device 0483:df11 --alt 0 --dfuse-address 0x08000000 --download f --reset", &a, err);
	ok(!r && a.reset && a.has_address, "LAVA's form with --reset");
	r = parse("-D a.bin extra", &a, err);
	ok(r == 64 && !strcmp(err, "Error: Unexpected argument: extra\n"), "an extra argument: 64");
	r = parse("-a 0", &a, err);
	ok(r == 64 && !strcmp(err, "You need to specify one of -D or -U"), "no -D, -U or -s: 64");
	r = parse("--wait", &a, err);
	ok(r == 64, "--wait needs an argument in 0.11: 64");
	r = parse("-w -l", &a, err);
	ok(!r && a.wait, "-w");
	r = parse("-q -l", &a, err);
	ok(r == 64 && !err[0], "an unknown option: 64, the help text");
	r = parse("-V", &a, err);
	ok(!r && a.mode == DU_VERSION, "-V");
	r = parse("-h", &a, err);
	ok(!r && a.help, "-h");
	printf("# %d checks, %d failed\n", n, failed);
	return failed != 0;
}
