// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse: flash and read STM32 DfuSe bootloaders through the dfuse driver.
 * Exit codes follow sysexits(3): 64 usage, 65 bad image or range,
 * 66 input file missing, 69 no board or driver, 74 device I/O error,
 * 75 board busy, 77 read protection.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <linux/dfuse.h>

#include "cli.h"
#include "device.h"
#include "image.h"
#include "detach.h"
#include "dfu_util.h"
#include "lab.h"
#include "nl.h"

/* The command line, parsed once by main(). */
struct options opt = { .sel = { .vid = -1, .pid = -1 }, .verify = 1, .timeout = -1,
	  .vid = -1, .pid = -1, .bcd = -1 };

/* Every command takes these; a board command also the selection. */
#define ALWAYS		" help quiet verbose json progress "
#define SELECTION	" device serial path id alt "

static const struct command {
	const char *name, *usage;
	const char *takes;	/* its long options, each between spaces */
} commands[] = {
	{ "list", "list [--json] [-v]: every DfuSe board, its alt settings, maps and nodes (-v: quirks, polling)", "" },
	{ "info", "info FILE [--address X] [--json]: what an image holds", " address format " },
	{ "flash", "flash FILE [--alt A] [--address X] [--no-verify] [--leave[=ADDR]] [--force] [--option-bytes] [--detach]",
	  SELECTION "address format no-verify verify leave force option-bytes i-understand-rdp2-is-permanent detach timeout " },
	{ "read", "read [--alt A] [--address X --length N] -o FILE", SELECTION "address length output " },
	{ "erase", "erase (--mass [--yes] | --address X --length N) [--alt A]", SELECTION "mass yes address length " },
	{ "unprotect", "unprotect [--yes]: remove read protection (erases the flash)", SELECTION "yes " },
	{ "leave", "leave [ADDR]: leave DFU mode, jumping to ADDR if given", SELECTION },
	{ "status", "status [--json]: DFU state and the last error with the device's text", SELECTION },
	{ "wait", "wait [--serial S] [--timeout S]: until a matching board appears", SELECTION "timeout " },
	{ "detach", "detach [--serial S] [--timeout S]: restart an application with a DfuSe runtime interface in its bootloader", " serial timeout " },
	{ "release", "release [selection]: unbind a board from dfuse for dfu-util or STM32CubeProgrammer", SELECTION },
	{ "bind", "bind [--path P]: give a released board back to dfuse", " path " },
	{ "autoflash", "autoflash (--path P | --serial S | --check) [--config FILE]: flash what autoflash.conf says for this board; --check: check the config and every image, no board needed",
	  " path serial check config timeout " },
	{ "udev-env", "udev-env SYSPATH: udev properties of a /dev/dfuse node (for the udev rules)", "" },
	{ "monitor", "monitor [--count N] [--timeout S] [--json]: board and progress events", " count timeout " },
	{ "pack", "pack -o OUT.dfu [--vid V --pid P --bcd B] [--alt N] ADDR:FILE[@ALT] ...", " output vid pid bcd alt " },
	{ "unpack", "unpack FILE -o DIR: one .bin per element", " output " },
	{ "dfu-util", "dfu-util ARGS...: dfu-util 0.11's command line through dfuse (also when run as dfu-util)", "" },
	{ "help", "help [COMMAND]: these lines, or one command's", "" },
	{ "version", "version: the tool's version and the loaded module's (also -V)", "" },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* Does @cmd take --@name? (Options it would ignore are refused.) */
static bool takes(const struct command *cmd, const char *name)
{
	char word[48];

	snprintf(word, sizeof(word), " %s ", name);
	return strstr(ALWAYS, word) || strstr(cmd->takes, word);
}

static void usage(FILE *f, const char *cmd)
{
	size_t i;

	if (!cmd)
		fprintf(f, "usage: dfuse COMMAND [options]   (dfuse help COMMAND)\n"
			"board selection: --device /dev/dfuseN.M, --serial S, --path BUS-PORT, --id VID:PID;\n"
			"output: --json, -q, -v, --progress=bar|lines|none\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!cmd || !strcmp(cmd, commands[i].name))
			fprintf(f, "  %s\n", commands[i].usage);
}

static bool is_command(const char *name)
{
	return find_command(name) != NULL;
}

/*
 * Options before the command (dfuse --json list, dfuse -v list): move the
 * first word that names a command to the front; getopt takes the rest.
 */
static void command_first(int argc, char **argv)
{
	char *cmd;
	int i;

	if (argc < 3 || argv[1][0] != '-')
		return;
	for (i = 2; i < argc; i++) {
		if (!is_command(argv[i]))
			continue;
		cmd = argv[i];
		memmove(&argv[2], &argv[1], (i - 1) * sizeof(*argv));
		argv[1] = cmd;
		return;
	}
}

static int id16(const char *s, const char *what)
{
	uint32_t v = number(s, what);

	if (v > 0xffff) {
		fprintf(stderr, "dfuse: %s: 0x%x does not fit in 16 bits\n", what, v);
		exit(EX_USAGE);
	}
	return (int)v;
}

/*
 * dfu-util's form given to a native command: "-s ADDRESS[:...]", "-D FILE"
 * that is not a node, or one of dfu-util's own options (-U -R -l -e -E
 * -Z -w). dfuse's -s and -D mean --serial and --device.
 */
static bool dfu_util_form(int argc, char **argv)
{
	int i;

	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : "";

		if (!strcmp(a, "-s") && !strncmp(next, "0x", 2))
			return true;
		if (!strcmp(a, "-D") && *next && strncmp(next, "/dev/", 5))
			return true;
		if (a[0] == '-' && a[1] && strchr("URleEZw", a[1]) && !a[2])
			return true;
	}
	return false;
}

/*
 * The tool's version and the loaded module's (its MODULE_VERSION): after an
 * upgrade that did not reload the module the two differ, and a user
 * should hear it rather than meet an old driver's behaviour.
 */
static int print_version(void)
{
	char mod[64] = "";
	FILE *f;

	printf("dfuse %s\n", DFUSE_TOOL_VERSION);
	f = fopen("/sys/module/dfuse/version", "r");
	if (f) {
		if (fgets(mod, sizeof(mod), f))
			mod[strcspn(mod, "\n")] = 0;
		fclose(f);
	}
	if (*mod) {
		printf("module %s\n", mod);
		if (strcmp(mod, DFUSE_TOOL_VERSION))
			fprintf(stderr, "dfuse: warning: the loaded module is %s, the tool %s: "
				"reload it (sudo modprobe -r dfuse && sudo modprobe dfuse)\n",
				mod, DFUSE_TOOL_VERSION);
	} else if (access("/sys/module/dfuse", F_OK) == 0) {
		printf("module loaded, version unknown\n");
		fprintf(stderr, "dfuse: warning: the loaded module has no version (built before 0.2.0 "
			"or without dfuse's VERSION): reload the one this tool came with\n");
	} else {
		printf("module not loaded\n");
	}
	return EX_OK;
}

static int run_command(const char *cmd, int argc, char **argv);

int main(int argc, char **argv)
{
	enum { O_ADDRESS = 256, O_LENGTH, O_FORMAT, O_NO_VERIFY, O_VERIFY,
	       O_LEAVE, O_FORCE, O_MASS, O_YES, O_TIMEOUT, O_COUNT, O_VID,
	       O_PID, O_BCD, O_OPTBYTES, O_RDP2, O_JSON, O_PROGRESS, O_DETACH,
	       O_CONFIG, O_CHECK };
	static const struct option opts[] = {
		{ "device", 1, 0, 'D' }, { "serial", 1, 0, 's' },
		{ "path", 1, 0, 'p' }, { "id", 1, 0, 'd' },
		{ "alt", 1, 0, 'a' }, { "output", 1, 0, 'o' },
		{ "quiet", 0, 0, 'q' }, { "verbose", 0, 0, 'v' },
		{ "address", 1, 0, O_ADDRESS }, { "length", 1, 0, O_LENGTH },
		{ "format", 1, 0, O_FORMAT }, { "no-verify", 0, 0, O_NO_VERIFY },
		{ "verify", 0, 0, O_VERIFY }, { "leave", 2, 0, O_LEAVE },
		{ "force", 0, 0, O_FORCE }, { "mass", 0, 0, O_MASS },
		{ "yes", 0, 0, O_YES }, { "timeout", 1, 0, O_TIMEOUT },
		{ "count", 1, 0, O_COUNT }, { "vid", 1, 0, O_VID },
		{ "pid", 1, 0, O_PID }, { "bcd", 1, 0, O_BCD },
		{ "option-bytes", 0, 0, O_OPTBYTES },
		{ "i-understand-rdp2-is-permanent", 0, 0, O_RDP2 },
		{ "json", 0, 0, O_JSON }, { "progress", 1, 0, O_PROGRESS },
		{ "detach", 0, 0, O_DETACH }, { "config", 1, 0, O_CONFIG },
		{ "check", 0, 0, O_CHECK },
		{ "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};
	const char *cmd, *base = strrchr(argv[0], '/');
	int c;

	/* dfu-util's command line: run as "dfu-util", or "dfuse dfu-util" */
	if (!strcmp(base ? base + 1 : argv[0], "dfu-util"))
		return dfu_util_main(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "dfu-util"))
		return dfu_util_main(argc - 1, argv + 1);
	if (argc < 2) {
		usage(stderr, NULL);
		return EX_USAGE;
	}
	command_first(argc, argv);
	cmd = argv[1];
	/* the conventions: dfuse -h, --help, -V, --version */
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		cmd = "help";
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version"))
		cmd = "version";
	if (is_command(cmd) && strcmp(cmd, "dfu-util") && dfu_util_form(argc, argv)) {
		fprintf(stderr, "dfuse: that is dfu-util's command line (-s ADDRESS, -D FILE); run it as \"dfuse dfu-util ARGS\", or natively: \"dfuse flash FILE --alt A --address ADDRESS [--leave]\"\n");
		return EX_USAGE;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "D:s:p:d:a:o:qvh", opts, NULL)) != -1) {
		const struct option *o = opts;

		while (o->name && o->val != c)
			o++;
		if (o->name && is_command(cmd) && !takes(find_command(cmd), o->name)) {
			fprintf(stderr, "dfuse: %s does not take --%s (dfuse help %s)\n",
				cmd, o->name, cmd);
			return EX_USAGE;
		}
		switch (c) {
		case 'D': opt.sel.node = optarg; break;
		case 's': opt.sel.serial = optarg; break;
		case 'p': opt.sel.path = optarg; break;
		case 'd':
			if (sscanf(optarg, "%x:%x", &opt.sel.vid, &opt.sel.pid) != 2) {
				fprintf(stderr, "dfuse: --id takes VID:PID in hex\n");
				return EX_USAGE;
			}
			break;
		case 'a': opt.sel.alt = optarg; break;
		case 'o': opt.output = optarg; break;
		case 'q': opt.quiet = 1; break;
		case 'v': opt.verbose = 1; break;
		case O_ADDRESS:
			opt.address = number(optarg, "--address");
			opt.has_address = 1;
			opt.user_address = 1;
			break;
		case O_LENGTH:
			opt.length = number(optarg, "--length");
			opt.has_length = 1;
			break;
		case O_FORMAT: opt.format = optarg; break;
		case O_NO_VERIFY: opt.verify = 0; break;
		case O_VERIFY: opt.verify = 1; break;
		case O_LEAVE:
			opt.leave = 1;
			if (optarg) {
				opt.leave_addr = number(optarg, "--leave");
				opt.has_leave_addr = 1;
			}
			break;
		case O_FORCE: opt.force = 1; break;
		case O_DETACH: opt.detach = 1; break;
		case O_CONFIG: opt.config = optarg; break;
		case O_CHECK: opt.check = 1; break;
		case O_MASS: opt.mass = 1; break;
		case O_YES: opt.yes = 1; break;
		case O_TIMEOUT:
			opt.timeout = (int)number(optarg, "--timeout");
			/* seconds, times 1000 in places: a day is plenty */
			if (opt.timeout < 0 || opt.timeout > 86400) {
				fprintf(stderr, "dfuse: --timeout: %s s is more than a day (86400)\n", optarg);
				return EX_USAGE;
			}
			break;
		case O_COUNT: opt.count = (int)number(optarg, "--count"); break;
		case O_VID: opt.vid = id16(optarg, "--vid"); break;
		case O_PID: opt.pid = id16(optarg, "--pid"); break;
		case O_BCD: opt.bcd = id16(optarg, "--bcd"); break;
		case O_OPTBYTES: opt.option_bytes = 1; break;
		case O_RDP2: opt.rdp2_ok = 1; break;
		case O_JSON: opt.json = 1; break;
		case O_PROGRESS:
			if (!strcmp(optarg, "bar")) {
				opt.progress = PROGRESS_BAR;
			} else if (!strcmp(optarg, "lines")) {
				opt.progress = PROGRESS_LINES;
			} else if (!strcmp(optarg, "none")) {
				opt.progress = PROGRESS_NONE;
			} else {
				fprintf(stderr, "dfuse: --progress takes bar, lines or none\n");
				return EX_USAGE;
			}
			break;
		case 'h': usage(stdout, cmd); return EX_OK;
		default: usage(stderr, cmd); return EX_USAGE;
		}
	}
	argv += optind;
	argc -= optind;
	if (!opt.json)
		return run_command(cmd, argc, argv);
	json_error_begin();
	return json_error_end(run_command(cmd, argc, argv));
}

static int run_command(const char *cmd, int argc, char **argv)
{
	/* wait: the node may not be there yet; it only names the board */
	if (strcmp(cmd, "wait")) {
		int ret = selector_node_alt(&opt.sel);

		if (ret)
			return ret;
	}

	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "monitor"))
		return cmd_monitor();
	if (!strcmp(cmd, "info"))
		return cmd_info(argv, argc);
	if (!strcmp(cmd, "flash"))
		return cmd_flash(argv, argc);
	if (!strcmp(cmd, "read"))
		return cmd_read();
	if (!strcmp(cmd, "erase"))
		return cmd_erase();
	if (!strcmp(cmd, "unprotect"))
		return cmd_unprotect();
	if (!strcmp(cmd, "leave"))
		return cmd_leave(argv, argc);
	if (!strcmp(cmd, "status"))
		return cmd_status();
	if (!strcmp(cmd, "wait"))
		return cmd_wait();
	if (!strcmp(cmd, "detach"))
		return cmd_detach();
	if (!strcmp(cmd, "release"))
		return cmd_release();
	if (!strcmp(cmd, "bind"))
		return lab_bind(opt.sel.path);
	if (!strcmp(cmd, "autoflash"))
		return cmd_autoflash();
	if (!strcmp(cmd, "udev-env")) {
		if (argc != 1) {
			fprintf(stderr, "usage: dfuse udev-env SYSPATH\n");
			return EX_USAGE;
		}
		return lab_udev_env(argv[0]);
	}
	if (!strcmp(cmd, "pack"))
		return cmd_pack(argv, argc);
	if (!strcmp(cmd, "unpack"))
		return cmd_unpack(argv, argc);
	if (!strcmp(cmd, "version"))
		return print_version();
	if (!strcmp(cmd, "help")) {
		if (argc && !is_command(argv[0])) {
			fprintf(stderr, "dfuse: help: no command '%s'\n", argv[0]);
			usage(stderr, NULL);
			return EX_USAGE;
		}
		usage(stdout, argc ? argv[0] : NULL);
		return EX_OK;
	}
	fprintf(stderr, "dfuse: unknown command '%s'\n", cmd);
	usage(stderr, NULL);
	return EX_USAGE;
}
