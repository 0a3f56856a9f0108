// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse: flash and read STM32 DfuSe bootloaders through the dfuse driver.
 * Exit codes follow sysexits(3).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <linux/dfuse.h>

#include "nl.h"

static int json;

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_segments_json(const char *segs)
{
	char copy[1024], *save, *line;
	int first = 1;

	snprintf(copy, sizeof(copy), "%s", segs);
	putchar('[');
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		printf("%s", first ? "" : ",");
		json_str(line);
		first = 0;
	}
	putchar(']');
}

static void print_device(const struct nl_device *d)
{
	unsigned int i;

	if (json) {
		printf("{\"device\":%u,\"serial\":", d->number);
		json_str(d->serial);
		printf(",\"usb_path\":");
		json_str(d->usb_path);
		printf(",\"vendor\":\"%04x\",\"product\":\"%04x\",\"bcd_device\":\"%04x\",\"transfer_size\":%u,\"alts\":[",
		       d->vendor, d->product, d->bcd_device, d->transfer_size);
		for (i = 0; i < d->nr_alts; i++) {
			const struct nl_alt *a = &d->alt[i];

			printf("%s{\"alt\":%u,\"name\":", i ? "," : "", a->setting);
			json_str(a->name);
			printf(",\"node\":\"/dev/%s\",\"base\":%u,\"size\":%llu,\"segments\":",
			       a->node, a->base, (unsigned long long)a->size);
			print_segments_json(a->segments);
			putchar('}');
		}
		printf("]}");
		return;
	}
	printf("dfuse%u  %04x:%04x  serial %s  usb %s\n", d->number, d->vendor,
	       d->product, d->serial[0] ? d->serial : "-", d->usb_path);
	for (i = 0; i < d->nr_alts; i++) {
		const struct nl_alt *a = &d->alt[i];
		char copy[1024], *save, *line;

		printf("  /dev/%s  alt %u  \"%s\"  0x%08x  %llu bytes\n", a->node,
		       a->setting, a->name, a->base, (unsigned long long)a->size);
		snprintf(copy, sizeof(copy), "%s", a->segments);
		for (line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			printf("      %s\n", line);
	}
}

static int cmd_list(void)
{
	static struct nl_device devs[64];
	int i, n = nl_list(devs, 64);

	if (n < 0)
		return n == -ENOENT ? EX_UNAVAILABLE : EX_OSERR;
	if (json)
		putchar('[');
	for (i = 0; i < n; i++) {
		if (json && i)
			putchar(',');
		print_device(&devs[i]);
	}
	if (json)
		printf("]\n");
	else if (!n)
		printf("no DfuSe board found\n");
	return EX_OK;
}

struct monitor_args {
	int count;
};

static int print_event(const struct nl_event *ev, void *arg)
{
	struct monitor_args *m = arg;

	if (!ev) {
		fprintf(stderr, "dfuse: monitoring board events\n");
		return 0;
	}
	if (json) {
		printf("{\"event\":\"%s\",\"device\":%u,\"serial\":",
		       nl_cmd_name(ev->cmd), ev->dev.number);
		json_str(ev->dev.serial);
		if (ev->op)
			printf(",\"op\":\"%s\",\"alt\":%d,\"done\":%llu,\"total\":%llu,\"errno\":%d",
			       nl_op_name(ev->op), ev->alt,
			       (unsigned long long)ev->done,
			       (unsigned long long)ev->total, ev->err);
		printf("}\n");
	} else if (ev->cmd == DFUSE_CMD_ERROR) {
		printf("dfuse%u error %s alt=%d at 0x%08x: %s (DFU status %d, state %d)%s%s\n",
		       ev->dev.number, nl_op_name(ev->op), ev->alt, ev->address,
		       strerror(-ev->err), ev->dfu_status, ev->dfu_state,
		       ev->error_string[0] ? ": " : "", ev->error_string);
	} else if (ev->op) {
		printf("dfuse%u %s %s alt=%d %llu/%llu%s%s\n", ev->dev.number,
		       nl_cmd_name(ev->cmd), nl_op_name(ev->op), ev->alt,
		       (unsigned long long)ev->done,
		       (unsigned long long)ev->total,
		       ev->cmd == DFUSE_CMD_OP_FINISHED ?
		       (ev->err ? " failed: " : " ok") : "",
		       ev->cmd == DFUSE_CMD_OP_FINISHED && ev->err ?
		       strerror(-ev->err) : "");
	} else {
		printf("dfuse%u %s serial=%s usb=%s\n", ev->dev.number,
		       nl_cmd_name(ev->cmd), ev->dev.serial, ev->dev.usb_path);
	}
	fflush(stdout);
	return m->count > 0 && --m->count == 0;
}

static int cmd_monitor(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", 1, 0, 'c' }, { "timeout", 1, 0, 't' },
		{ "json", 0, 0, 'j' }, { 0, 0, 0, 0 }
	};
	struct monitor_args m = { 0 };
	int c, timeout = -1;

	while ((c = getopt_long(argc, argv, "c:t:j", opts, NULL)) != -1) {
		switch (c) {
		case 'c': m.count = atoi(optarg); break;
		case 't': timeout = atoi(optarg) * 1000; break;
		case 'j': json = 1; break;
		default: return EX_USAGE;
		}
	}
	return nl_monitor(print_event, &m, timeout) ? EX_UNAVAILABLE : EX_OK;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dfuse COMMAND [options]\n"
		"  list [--json]                      every DfuSe board, its alt settings and maps\n"
		"  monitor [--count N] [--timeout S] [--json]\n"
		"                                     print board and operation events\n"
		"  version                            print the version\n"
		"  help                               this text\n");
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "list")) {
		json = argc > 2 && !strcmp(argv[2], "--json");
		return cmd_list();
	}
	if (!strcmp(cmd, "monitor"))
		return cmd_monitor(argc - 1, argv + 1);
	if (!strcmp(cmd, "version")) {
		printf("dfuse 0.1\n");
		return EX_OK;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help")) {
		usage(stdout);
		return EX_OK;
	}
	fprintf(stderr, "dfuse: unknown command '%s'\n", cmd);
	usage(stderr);
	return EX_USAGE;
}
