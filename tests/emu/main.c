// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse-emu: an emulated STM32 DFU bootloader attached to vhci-hcd.
 *
 * Usage: dfuse-emu [options]
 *   --state DIR          memory files altN.bin, requests.log, attached,
 *                        counts (requests per DFU type, written at unplug)
 *   --port N             board N: vhci_hcd.(N / P) port N % P, where P is
 *                        the kernel's ports per hub (8 or 15), default 0
 *   --profile NAME       a real ROM by part (default f401), see
 *                        --list-profiles: each with its source
 *   --list-profiles      the built-in profiles and aliases, and exit
 *   --profile-file FILE  key=value lines (see profiles.c)
 *   --set KEY=VALUE      override one profile setting (repeatable)
 *   --serial S           iSerialNumber
 *   --time-scale X       multiply every busy and bus time (default 1)
 *   --jitter PCT         each flash operation takes its typical time times
 *                        1 +- up to PCT% (uniform; default 0)
 *   --jitter-seed N      the seed of those draws (the caller prints it)
 *   --addr-formula F     xfer (pointer + (n-2)*wTransferSize) or wlength
 *   --leave-to app|none  after manifestation, re-appear as an application
 *   --start-in app       begin as the application (0483:5740) with a DfuSe
 *                        runtime interface; DFU_DETACH brings the bootloader
 *   Faults: --stall-nth N, --status-nth N:STATUS, --error-nth N,
 *   --disconnect-nth N, --disconnect-in erase|write|read|manifest,
 *   --fail-in erase|write (its first operation fails: errERASE, errPROG),
 *   --fuzz SEED (random, often malformed descriptors: fuzz.c),
 *   --status-len N, --poll-timeout MS, --short-poll, --start-error STATUS,
 *   --no-functional, --no-iinterface ALT, --rdp, --ignore-leave (answer
 *   the leave request and stay on the bus), --runtime-alt ALT (that alt
 *   says DFU runtime, FE/01/01, among DFU-mode ones), --flip-at ADDR
 *   (the byte at ADDR is stored with bit 0 flipped when programmed, and
 *   the ROM says OK: only reading back finds it)
 *   --bound OLD:NEW:SIZE print the protocol bound of writing SIZE bytes of
 *                        NEW over OLD ("blank": erased) and of reading
 *                        them on this profile (bound.c), and exit
 *
 * Runs until SIGTERM/SIGINT, the host unplugs it, or it leaves DFU mode
 * (unless --leave-to app). A reset (option bytes, read unprotect)
 * re-attaches in DFU mode on the same port.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "bootloader.h"
#include "fuzz.h"
#include "usbip.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull),
			       (long)(ns % 1000000000ull) };

	while (ns && nanosleep(&ts, &ts) && errno == EINTR && !stop)
		;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int attach(unsigned int port, uint32_t devid)
{
	int fd = -EBUSY, tries;

	/* the old device (before a reset or leave) must be gone first */
	for (tries = 0; tries < 1000 && !stop && usbip_port_has_device(port);
	     tries++)
		sleep_ns(10000000);
	/* after an unplug the port is freed asynchronously: retry */
	for (tries = 0; tries < 300 && !stop; tries++) {
		fd = usbip_attach(port, devid);
		if (fd >= 0 || (fd != -EINVAL && fd != -EBUSY))
			break;
		sleep_ns(10000000);
	}
	return fd;
}

/* attach(), or the reason on stderr and exit 1 */
static int attach_or_exit(unsigned int port)
{
	int fd = attach(port, 0x10000 | (port + 2));

	if (fd < 0) {
		fprintf(stderr, "dfuse-emu: attach to port %u: %s\n", port,
			strerror(-fd));
		exit(1);
	}
	return fd;
}

/* Serve one connection. Return what ended it. */
static enum emu_action serve(struct emu *e, int fd, const char *state)
{
	bool announced = false;

	static uint8_t buf[65536];
	struct usbip_cmd cmd;
	int n, err;

	while (!stop) {
		if (e->leave_at_ns) {
			/* leaving on its own clock, whatever the host asks */
			uint64_t now = emu_now_ns();
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int ready;

			if (now >= e->leave_at_ns)
				return ACT_LEAVE;
			ready = poll(&p, 1, (int)((e->leave_at_ns - now) / 1000000) + 1);
			if (ready < 0)
				continue;	/* a signal: see whether to stop */
			if (!ready)
				return ACT_LEAVE;
		}
		err = usbip_recv(fd, &cmd, buf, sizeof(buf));
		if (err)
			return ACT_DISCONNECT;
		if (cmd.command == USBIP_CMD_UNLINK) {
			fprintf(e->log, "UNLINK seq=%u\n", cmd.unlink_seqnum);
			if (usbip_reply_unlink(fd, &cmd, 0))
				return ACT_DISCONNECT;
			continue;
		}
		if (cmd.ep != 0) {
			n = -EPIPE;
		} else {
			n = emu_control(e, cmd.setup, buf, cmd.length);
			sleep_ns((uint64_t)((double)emu_bus_time_ns(
				n > 0 ? n : cmd.length) * e->time_scale));
		}
		if (e->after == ACT_DISCONNECT || e->unanswered)
			return e->after;	/* gone before answering */
		if (e->config && !announced) {
			/* the host has configured us: ready for tests */
			write_file(state, "attached", e->p.nr_alts &&
				   !e->runtime ? "1\n" : "app\n");
			announced = true;
		}
		if (usbip_reply_submit(fd, &cmd, n < 0 ? n : 0, buf,
				       n > 0 ? n : 0))
			return ACT_DISCONNECT;
		if (e->after == ACT_RESET)
			emu_finish_work(e);
		if (e->after != ACT_NONE)
			return e->after;
	}
	return ACT_NONE;
}

static int parse_status(const char *s, uint8_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (end == s || *end || v > 15)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

static enum emu_phase parse_phase(const char *s)
{
	static const char *const names[] = { "none", "erase", "write",
					     "read", "manifest" };
	unsigned int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(s, names[i]))
			return (enum emu_phase)i;
	fprintf(stderr, "dfuse-emu: unknown phase '%s'\n", s);
	exit(2);
}

static void usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "dfuse-emu: %s%s%s\n", msg, arg ? ": " : "",
		arg ? arg : "");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", 1, 0, 'S' }, { "port", 1, 0, 'p' },
		{ "profile", 1, 0, 'P' }, { "profile-file", 1, 0, 'F' },
		{ "set", 1, 0, 's' }, { "serial", 1, 0, 'n' },
		{ "time-scale", 1, 0, 't' }, { "addr-formula", 1, 0, 'a' },
		{ "leave-to", 1, 0, 'l' }, { "start-in", 1, 0, 16 },
		{ "stall-nth", 1, 0, 1 },
		{ "status-nth", 1, 0, 2 }, { "error-nth", 1, 0, 3 },
		{ "disconnect-nth", 1, 0, 4 }, { "disconnect-in", 1, 0, 5 },
		{ "fail-in", 1, 0, 13 }, { "fuzz", 1, 0, 14 },
		{ "status-len", 1, 0, 6 }, { "poll-timeout", 1, 0, 7 },
		{ "short-poll", 0, 0, 8 }, { "start-error", 1, 0, 9 },
		{ "no-functional", 0, 0, 10 }, { "no-iinterface", 1, 0, 11 },
		{ "rdp", 0, 0, 12 }, { "bound", 1, 0, 15 },
		{ "ignore-leave", 0, 0, 17 }, { "runtime-alt", 1, 0, 18 },
		{ "list-profiles", 0, 0, 19 }, { "jitter", 1, 0, 20 },
		{ "jitter-seed", 1, 0, 21 }, { "flip-at", 1, 0, 22 },
		{ 0, 0, 0, 0 }
	};
	static struct emu e;
	const char *state = ".", *serial = NULL, *bound = NULL;
	unsigned int port = 0;
	bool leave_to_app = false, rdp = false, fuzz = false, start_app = false;
	unsigned long fuzz_seed = 0;
	char path[512], *colon;
	enum emu_action act;
	FILE *counts;
	int c, fd, err;

	/*
	 * The board answers when its timing model says: the default 50 us
	 * timer slack would add that much to every transfer and busy wait.
	 */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	emu_profile_builtin(&e.p, "f401");
	e.time_scale = 1.0;
	e.f.status_len = 6;
	e.f.poll_override = -1;
	e.f.no_iinterface = -1;
	e.f.runtime_alt = -1;
	e.f.jitter_state = 1;
	e.f.flip_at = -1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'S': state = optarg; break;
		case 'p': port = (unsigned int)atoi(optarg); break;
		case 'P':
			if (emu_profile_builtin(&e.p, optarg))
				usage_error("unknown profile", optarg);
			break;
		case 'F':
			if (emu_profile_file(&e.p, optarg))
				usage_error("bad profile file", optarg);
			break;
		case 's':
			colon = strchr(optarg, '=');
			if (!colon)
				usage_error("--set needs KEY=VALUE", optarg);
			*colon = '\0';
			if (emu_profile_set(&e.p, optarg, colon + 1))
				usage_error("bad setting", optarg);
			break;
		case 'n': serial = optarg; break;
		case 't': e.time_scale = atof(optarg); break;
		case 'a':
			if (strcmp(optarg, "xfer") && strcmp(optarg, "wlength"))
				usage_error("--addr-formula is xfer or wlength",
					    optarg);
			e.f.wlength_formula = !strcmp(optarg, "wlength");
			break;
		case 'l': leave_to_app = !strcmp(optarg, "app"); break;
		case 1: e.f.stall_nth = strtoul(optarg, NULL, 0); break;
		case 2:
			e.f.status_nth = strtoul(optarg, &colon, 0);
			if (*colon != ':' ||
			    parse_status(colon + 1, &e.f.status_code))
				usage_error("--status-nth is N:STATUS", optarg);
			break;
		case 3: e.f.error_nth = strtoul(optarg, NULL, 0); break;
		case 4: e.f.disconnect_nth = strtoul(optarg, NULL, 0); break;
		case 5: e.f.disconnect_in = parse_phase(optarg); break;
		case 13: e.f.fail_in = parse_phase(optarg); break;
		case 14: fuzz_seed = strtoul(optarg, NULL, 0); fuzz = true; break;
		case 6: e.f.status_len = atoi(optarg); break;
		case 7: e.f.poll_override = strtol(optarg, NULL, 0); break;
		case 8: e.f.short_poll = true; break;
		case 9:
			if (parse_status(optarg, &e.f.start_error))
				usage_error("bad status", optarg);
			break;
		case 10: e.f.no_functional = true; break;
		case 11: e.f.no_iinterface = atoi(optarg); break;
		case 12: rdp = true; break;
		case 15: bound = optarg; break;
		case 16: start_app = !strcmp(optarg, "app"); break;
		case 17: e.f.ignore_leave = true; break;
		case 18: e.f.runtime_alt = atoi(optarg); break;
		case 19: emu_list_profiles(stdout); return 0;
		case 20:
			e.f.jitter = atof(optarg) / 100.0;
			if (e.f.jitter < 0 || e.f.jitter >= 1)
				usage_error("--jitter is a percentage below 100", optarg);
			break;
		case 21:
			e.f.jitter_state = strtoull(optarg, NULL, 0) * 2 + 1;
			break;
		case 22: e.f.flip_at = strtoll(optarg, NULL, 0); break;
		default: usage_error("see the comment at the top of main.c",
				     NULL);
		}
	}
	if (serial && emu_profile_set(&e.p, "serial", serial))
		usage_error("bad serial", serial);
	if (e.f.status_len < 0 || e.f.status_len > 8)
		usage_error("--status-len is 0..8", NULL);

	if (bound) {
		char old[256], new[256];
		unsigned long size;

		if (sscanf(bound, "%255[^:]:%255[^:]:%lu", old, new, &size) != 3)
			usage_error("--bound is OLD:NEW:SIZE", bound);
		err = emu_bound(&e.p, old, new, (uint32_t)size, stdout);
		if (err)
			usage_error("cannot compute the bound", strerror(-err));
		return 0;
	}
	if (fuzz)
		emu_fuzz(&e, fuzz_seed, state);
	snprintf(path, sizeof(path), "%s/requests.log", state);
	e.log = fopen(path, "a");
	if (!e.log)
		usage_error("cannot open the request log", path);
	setvbuf(e.log, NULL, _IOLBF, 0);
	err = emu_init(&e, state);
	if (err) {
		fprintf(stderr, "dfuse-emu: memory setup: %s\n", strerror(-err));
		return 1;
	}
	if (rdp)
		for (unsigned int i = 0; i < e.p.nr_alts; i++)
			if (e.alt[i].option_bytes && e.alt[i].size > 1)
				e.alt[i].mem[1] = 0x55;

	/* no SA_RESTART: a blocked read must return so that we can unplug */
	sigaction(SIGTERM, &(struct sigaction){ .sa_handler = on_signal }, NULL);
	sigaction(SIGINT, &(struct sigaction){ .sa_handler = on_signal }, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (start_app) {
		/* the application until it is told to detach */
		uint16_t pid = e.p.pid;

		e.runtime = true;
		e.p.pid = 0x5740;
		emu_usb_reset(&e);
		fd = attach_or_exit(port);
		fprintf(e.log, "ATTACH port=%u app\n", port);
		act = serve(&e, fd, state);
		close(fd);
		fprintf(e.log, "DETACHED reason=%s\n",
			act == ACT_DETACH ? "detach" : "unplug");
		write_file(state, "attached", "0\n");
		if (act != ACT_DETACH || stop)
			return 0;
		e.runtime = false;
		e.p.pid = pid;
	}
	do {
		emu_usb_reset(&e);
		fd = attach_or_exit(port);
		fprintf(e.log, "ATTACH port=%u\n", port);
		act = serve(&e, fd, state);
		close(fd);
		snprintf(path, sizeof(path), "%s/counts", state);
		counts = fopen(path, "w");
		if (counts) {
			emu_write_counts(&e, counts);
			fclose(counts);
		}
		write_file(state, "attached", "0\n");
		fprintf(e.log, "DETACHED reason=%s\n",
			act == ACT_RESET ? "reset" : act == ACT_LEAVE ?
			"leave" : "unplug");
	} while (act == ACT_RESET && !stop);

	if (act == ACT_LEAVE && leave_to_app && !stop) {
		/* the application: same board, no DFU interface */
		e.p.pid = 0x5740;
		e.p.nr_alts = 0;
		e.f.no_functional = true;
		emu_usb_reset(&e);
		fd = attach(port, 0x10000 | (port + 2));
		if (fd >= 0) {
			serve(&e, fd, state);
			close(fd);
		}
	}
	return 0;
}
