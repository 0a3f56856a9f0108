// SPDX-License-Identifier: GPL-2.0
/*
 * Bootloaders that break the rules, as text: the built-in table and the
 * "quirks" module parameter share one syntax (quirks.h), so an entry can
 * be tried without rebuilding and then added here.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "quirks.h"

const char dfuse_builtin_quirks[] =
	/*
	 * ST's ROMs run the flash work from the control endpoint's
	 * completion, after the GETSTATUS reply: a poll sent before it is
	 * done waits in the USB core, it is not refused. Elsewhere the
	 * engine waits every bwPollTimeout, as DFU 1.1 defines it.
	 */
	"0483:df11 poll=early;"
	/*
	 * GD32VF103: the ROM bootloader reports 512 pages of 2 KiB whatever
	 * the part; it has 1 KiB pages, as many as its part letter says
	 * (reference manual; dfu-util reads the serial the same way).
	 */
	"28e9:0189 layout=gd32-serial leave=no-status;";

unsigned int dfuse_gd32_flash_kib(const char *serial)
{
	static const struct { char letter; unsigned int kib; } sizes[] = {
		{ '4', 16 }, { '6', 32 }, { '8', 64 }, { 'B', 128 },
		{ 'C', 256 }, { 'D', 384 }, { 'E', 512 },
	};
	unsigned int i;

	if (!serial || strlen(serial) < 3)
		return 0;
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (serial[2] == sizes[i].letter)
			return sizes[i].kib;
	return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Parse up to @digits hex digits exactly, then require @stop or end. */
static int parse_hex16(const char **pp, const char *end, u16 *out)
{
	const char *p = *pp;
	unsigned int v = 0, n = 0;

	while (p < end && n < 4 && isxdigit(*p)) {
		v = v * 16 + (isdigit(*p) ? *p - '0' : tolower(*p) - 'a' + 10);
		p++;
		n++;
	}
	if (n != 4)
		return -EINVAL;
	*out = v;
	*pp = p;
	return 0;
}

static int parse_u32(const char *p, const char *end, u32 *out)
{
	u64 v = 0;

	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (*p - '0');
		if (v > U32_MAX)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

static void note(struct dfuse_quirks *q, const char *key, const char *kend)
{
	size_t len = strlen(q->applied);

	snprintf(q->applied + len, sizeof(q->applied) - len, "%s%.*s",
		 len ? " " : "", (int)(kend - key), key);
}

/* One KEY=VALUE of a matching entry; *@next: where the next one starts. */
static int apply_key(struct dfuse_quirks *q, const char *key,
		     const char *end, const char **next, const char **why)
{
	const char *eq = memchr(key, '=', end - key), *val, *vend;
	unsigned int alt;
	u32 v;

	vend = memchr(key, ' ', end - key);
	if (!vend)
		vend = end;
	*next = vend;
	if (!eq || eq > vend) {
		*why = "expected KEY=VALUE";
		return -EINVAL;
	}
	val = eq + 1;
	if (eq - key == 4 && !strncmp(key, "map", 3) && key[3] >= '0' &&
	    key[3] < '0' + DFUSE_QUIRK_MAPS) {
		/* a map has spaces: it takes the rest of the entry */
		alt = key[3] - '0';
		if (end - val >= DFUSE_QUIRK_MAP_MAX) {
			*why = "map too long";
			return -EINVAL;
		}
		memcpy(q->map[alt], val, end - val);
		q->map[alt][end - val] = '\0';
		*next = end;
		note(q, key, eq);
		return 0;
	}
	if (vend - key == 11 && !strncmp(key, "poll=honour", 11)) {
		q->honour_poll = true;
	} else if (vend - key == 10 && !strncmp(key, "poll=early", 10)) {
		/* a family's way, not a deviation: dfu/polling shows it */
		q->early_poll = true;
		return 0;
	} else if (vend - key == 16 && !strncmp(key, "busy=clear-twice", 16)) {
		q->unstick_busy = true;
	} else if (vend - key == 18 && !strncmp(key, "layout=gd32-serial", 18)) {
		q->gd32_serial_layout = true;
	} else if (vend - key == 15 && !strncmp(key, "leave=no-status", 15)) {
		q->leave_without_status = true;
	} else if (vend - key == 11 && !strncmp(key, "erase=check", 11)) {
		q->check_erase = true;
	} else if (eq - key == 13 && !strncmp(key, "transfer-size", 13)) {
		if (parse_u32(val, vend, &v) || v < 64 || v > 4096) {
			*why = "transfer-size is 64..4096";
			return -EINVAL;
		}
		q->transfer_size = v;
	} else if (eq - key == 8 && !strncmp(key, "erase-ms", 8)) {
		if (parse_u32(val, vend, &v) || !v || v > 600000) {
			*why = "erase-ms is 1..600000";
			return -EINVAL;
		}
		q->erase_ms = v;
	} else if (eq - key == 13 && !strncmp(key, "mass-erase-ms", 13)) {
		if (parse_u32(val, vend, &v) || !v || v > 600000) {
			*why = "mass-erase-ms is 1..600000";
			return -EINVAL;
		}
		q->mass_erase_ms = v;
	} else {
		*why = "unknown key";
		return -EINVAL;
	}
	note(q, key, vend);
	return 0;
}

/* One entry [p, end): 1 if it matched and applied, 0 if not, -errno. */
static int apply_entry(struct dfuse_quirks *q, const char *p, const char *end,
		       u16 vid, u16 pid, u16 bcd, bool any, const char **why)
{
	u16 v, d, b = bcd;
	int err;

	p = skip_blanks(p, end);
	if (p == end)
		return 0;
	if (parse_hex16(&p, end, &v) || p == end || *p++ != ':' ||
	    parse_hex16(&p, end, &d)) {
		*why = "expected VID:PID[:BCD] in hex";
		return -EINVAL;
	}
	if (p < end && *p == ':') {
		p++;
		if (parse_hex16(&p, end, &b)) {
			*why = "expected a 4-digit hex bcdDevice";
			return -EINVAL;
		}
	}
	if (p < end && *p != ' ') {
		*why = "expected a space after the device";
		return -EINVAL;
	}
	if (!any && (v != vid || d != pid || b != bcd))
		return 0;
	for (p = skip_blanks(p, end); p < end; p = skip_blanks(p, end)) {
		err = apply_key(q, p, end, &p, why);
		if (err)
			return err;
	}
	return 1;
}

static int walk(const char *entries, u16 vid, u16 pid, u16 bcd, bool any,
		struct dfuse_quirks *q, const char **why)
{
	const char *p = entries, *end;
	int n = 0, err;

	while (p && *p) {
		end = strchrnul(p, ';');
		err = apply_entry(q, p, end, vid, pid, bcd, any, why);
		if (err < 0)
			return err;
		n += err;
		p = *end ? end + 1 : end;
	}
	return n;
}

int dfuse_quirks_lookup(const char *entries, u16 vid, u16 pid, u16 bcd,
			struct dfuse_quirks *q, const char **why)
{
	return walk(entries, vid, pid, bcd, false, q, why);
}

int dfuse_quirks_check(const char *entries, struct dfuse_quirks *scratch,
		       const char **why)
{
	memset(scratch, 0, sizeof(*scratch));
	return walk(entries, 0, 0, 0, true, scratch, why);
}
