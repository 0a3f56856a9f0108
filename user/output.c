// SPDX-License-Identifier: GPL-2.0
/*
 * Output: messages, progress, boards and events as text or JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "detach.h"
#include "device.h"
#include "image.h"
#include "lab.h"
#include "nl.h"

void say(const char *fmt, ...)
{
	va_list ap;

	if (opt.quiet || opt.json)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* A name from a file: control bytes (terminal escapes) as \xNN. */
void print_printable(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
}

/* Length of the well-formed UTF-8 sequence at @s (RFC 3629), or 0. */
static int utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i < n; i++, lo = 0x80, hi = 0xbf)
		if (s[i] < lo || s[i] > hi)
			return 0;
	return n;
}

/*
 * A JSON string: always valid UTF-8, as RFC 8259 requires; a byte that
 * is not part of a well-formed sequence (a device's or a file's Latin-1,
 * say) becomes U+FFFD.
 */
void json_str(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	putchar('"');
	while (*s) {
		if (*s == '"' || *s == '\\') {
			printf("\\%c", *s++);
		} else if (*s < 0x20 || *s == 0x7f) {
			printf("\\u%04x", *s++);
		} else if (*s < 0x80) {
			putchar(*s++);
		} else if ((n = utf8_len(s))) {
			fwrite(s, 1, n, stdout);
			s += n;
		} else {
			printf("\\ufffd");
			s++;
		}
	}
	putchar('"');
}

void progress(const char *what, uint64_t done, uint64_t total)
{
	static int last_pct = -1;
	int pct = total ? (int)(done * 100 / total) : 100;

	if (opt.quiet || opt.json || opt.progress == PROGRESS_NONE)
		return;
	if (opt.progress == PROGRESS_BAR ||
	    (opt.progress == PROGRESS_AUTO && isatty(2))) {
		int bar = pct / 4;

		fprintf(stderr, "\r%-8s [%.*s%*s] %3d%% %llu/%llu", what, bar,
			"#########################", 25 - bar, "", pct,
			(unsigned long long)done, (unsigned long long)total);
		if (done >= total)
			fputc('\n', stderr);
	} else if (pct / 25 != last_pct / 25 || done >= total) {
		fprintf(stderr, "%s: %d%% (%llu of %llu bytes)\n", what, pct,
			(unsigned long long)done, (unsigned long long)total);
	}
	last_pct = done >= total ? -1 : pct;
}

void print_device(const struct nl_device *d)
{
	unsigned int i;

	if (opt.json) {
		printf("{\"device\":%u,\"serial\":", d->number);
		json_str(d->serial);
		printf(",\"usb_path\":");
		json_str(d->usb_path);
		printf(",\"vendor\":\"%04x\",\"product\":\"%04x\",\"bcd_device\":\"%04x\",\"transfer_size\":%u,\"alts\":[",
		       d->vendor, d->product, d->bcd_device, d->transfer_size);
		for (i = 0; i < d->nr_alts; i++) {
			const struct nl_alt *a = &d->alt[i];
			char copy[1024], *save, *line;
			int first = 1;

			printf("%s{\"alt\":%u,\"name\":", i ? "," : "", a->setting);
			json_str(a->name);
			printf(",\"node\":\"/dev/%s\",\"base\":%u,\"size\":%llu,\"segments\":[",
			       a->node, a->base, (unsigned long long)a->size);
			snprintf(copy, sizeof(copy), "%s", a->segments);
			for (line = strtok_r(copy, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save), first = 0) {
				printf("%s", first ? "" : ",");
				json_str(line);
			}
			printf("]}");
		}
		printf("]}");
		return;
	}
	/* the serial and alt names are the device's words: shown, not obeyed */
	printf("dfuse%u  %04x:%04x  serial ", d->number, d->vendor, d->product);
	print_printable(d->serial[0] ? d->serial : "-");
	printf("  usb %s\n", d->usb_path);
	if (opt.verbose) {
		char v[256];

		/* what the driver's quirk entries and polling make of it */
		if (!lab_board_attr(d->usb_path, "quirks", v, sizeof(v)))
			printf("  quirks: %s\n", v);
		if (!lab_board_attr(d->usb_path, "polling", v, sizeof(v)))
			printf("  polling: %s\n", v);
		printf("  transfer size %u\n", d->transfer_size);
	}
	for (i = 0; i < d->nr_alts; i++) {
		const struct nl_alt *a = &d->alt[i];
		char copy[1024], *save, *line;

		printf("  /dev/%s  alt %u  \"", a->node, a->setting);
		print_printable(a->name);
		printf("\"  0x%08x  %llu bytes\n", a->base, (unsigned long long)a->size);
		snprintf(copy, sizeof(copy), "%s", a->segments);
		for (line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			printf("      %s\n", line);
	}
}

int print_event(const struct nl_event *ev, void *arg)
{
	(void)arg;
	if (!ev) {
		fprintf(stderr, "dfuse: monitoring board events\n");
		return 0;
	}
	if (ev->cmd == NL_EVENTS_LOST) {
		/* the count of lost events is unknown: say so, do not stop */
		if (opt.json)
			printf("{\"event\":\"lost\"}\n");
		else
			printf("events lost: this listener fell behind and the kernel dropped some (ENOBUFS); run 'dfuse list' for the current boards\n");
		fflush(stdout);
		return 0;
	}
	if (opt.json) {
		printf("{\"event\":\"%s\",\"device\":%u,\"serial\":",
		       nl_cmd_name(ev->cmd), ev->dev.number);
		json_str(ev->dev.serial);
		if (ev->op)
			printf(",\"op\":\"%s\",\"alt\":%d,\"done\":%llu,\"total\":%llu,\"errno\":%d",
			       nl_op_name(ev->op), ev->alt,
			       (unsigned long long)ev->done,
			       (unsigned long long)ev->total, ev->err);
		if (ev->cmd == DFUSE_CMD_ERROR) {
			/* what the text line says, and the device's own words */
			printf(",\"address\":%u,\"dfu_status\":%d,\"dfu_state\":%d,\"error\":",
			       ev->address, ev->dfu_status, ev->dfu_state);
			json_str(strerror(-ev->err));
			printf(",\"device_error\":");
			json_str(ev->error_string);
		}
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
		printf("dfuse%u %s serial=", ev->dev.number, nl_cmd_name(ev->cmd));
		print_printable(ev->dev.serial);
		printf(" usb=%s\n", ev->dev.usb_path);
	}
	fflush(stdout);
	return opt.count > 0 && --opt.count == 0;
}
