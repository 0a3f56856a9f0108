// SPDX-License-Identifier: GPL-2.0
/*
 * autoflash.conf and its .d directory (see autoflash_conf.h): one entry a
 * line, MATCH IMAGE[@ADDRESS] [OPTION...], checked whole before use.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "autoflash_conf.h"
#include "journal.h"

static bool entry_matches(const struct autoflash_entry *e,
			  const struct nl_device *dev)
{
	char id[16];

	if (!strcmp(e->key, "serial"))
		return !strcasecmp(e->value, dev->serial);
	if (!strcmp(e->key, "path"))
		return !strcmp(e->value, dev->usb_path);
	snprintf(id, sizeof(id), "%04x:%04x", dev->vendor, dev->product);
	return !strcasecmp(e->value, id);
}

/* One line: MATCH IMAGE[@ADDR] [OPTION...] into @e; 0, or -1 and @why. */
static int parse_line(char *line, struct autoflash_entry *e, const char **why)
{
	char *tok, *save = NULL, *eq, *at, *end;
	bool hex;

	memset(e, 0, sizeof(*e));
	tok = strtok_r(line, " \t", &save);
	eq = tok ? strchr(tok, '=') : NULL;
	if (!eq || (strncmp(tok, "serial=", 7) && strncmp(tok, "path=", 5) &&
		    strncmp(tok, "id=", 3)) || !eq[1] ||
	    strlen(eq + 1) >= sizeof(e->value)) {
		*why = "expected serial=S, path=P or id=VID:PID first";
		return -1;
	}
	*eq = '\0';
	strcpy(e->key, tok);
	strcpy(e->value, eq + 1);
	e->verify = true;
	tok = strtok_r(NULL, " \t", &save);
	if (!tok || tok[0] != '/') {
		*why = "expected an absolute image path after the match";
		return -1;
	}
	/* @0x... (hex), or @ and decimal digits, as --address takes them */
	at = strrchr(tok, '@');
	hex = at && at[1] == '0' && (at[2] == 'x' || at[2] == 'X');
	if (at && (hex || (at[1] &&
		    strspn(at + 1, "0123456789") == strlen(at + 1)))) {
		unsigned long long v;

		errno = 0;
		v = strtoull(at + 1, &end, hex ? 16 : 10);
		if (errno || *end || end == at + 1 || v > 0xffffffffull) {
			*why = "bad @ADDRESS after the image (0x... or decimal, 32 bits)";
			return -1;
		}
		*at = '\0';
		e->address = (uint32_t)v;
		e->has_address = true;
	}
	if (strlen(tok) >= sizeof(e->image)) {
		*why = "image path too long";
		return -1;
	}
	strcpy(e->image, tok);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strcmp(tok, "verify"))
			e->verify = true;
		else if (!strcmp(tok, "no-verify"))
			e->verify = false;
		else if (!strcmp(tok, "leave"))
			e->leave = true;
		else if (!strcmp(tok, "reflash=always"))
			e->reflash_always = true;
		else if (!strcmp(tok, "reflash=changed"))
			e->reflash_always = false;
		else if (!strncmp(tok, "sha256=", 7) && strlen(tok + 7) == 64 &&
			 strspn(tok + 7, "0123456789abcdefABCDEF") == 64)
			snprintf(e->sha256, sizeof(e->sha256), "%s", tok + 7);
		else {
			*why = "unknown option (verify, no-verify, leave, reflash=always|changed, sha256=64 hex digits)";
			return -1;
		}
	}
	return 0;
}

/* The entries of one file, appended at @n; the new count or -1 and @why. */
static int read_file(const char *path, struct autoflash_entry *entries,
		     int n, int max, char *why, size_t why_size)
{
	FILE *f = fopen(path, "r");
	char line[512], *p, *q;
	const char *reason = NULL;
	int no = 0;

	if (!f) {
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* the whole file is checked: a broken line anywhere stops it all */
	while (fgets(line, sizeof(line), f)) {
		no++;
		/* a longer line would be read as two */
		if (!strchr(line, '\n') && !feof(f)) {
			reason = "line longer than 510 bytes";
		} else {
			line[strcspn(line, "\r\n")] = '\0';
			p = line + strspn(line, " \t");
			/* a comment: the whole line, or after an entry's last word */
			for (q = p; *q; q++)
				if (*q == '#' && (q == p || q[-1] == ' ' || q[-1] == '\t'))
					*q = '\0';
			if (!*p)
				continue;
			if (n == max)
				reason = "too many entries";
			else if (!parse_line(p, &entries[n], &reason)) {
				entries[n].line = no;
				snprintf(entries[n++].file, sizeof(entries->file), "%s", path);
			}
		}
		if (reason) {
			snprintf(why, why_size, "%s:%d: %s", path, no, reason);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return n;
}

static int conf_file(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 5 &&
	       !strcmp(d->d_name + len - 5, ".conf");
}

int autoflash_read(const char *config, struct autoflash_entry *entries,
		   int max, char *why, size_t why_size)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent **names;
	int n = 0, k, i;

	snprintf(dir, sizeof(dir), "%s.d", config);
	k = scandir(dir, &names, conf_file, alphasort);
	/* the file may be left out when its .d directory has entries */
	if (k <= 0 || !access(config, F_OK))
		n = read_file(config, entries, 0, max, why, why_size);
	for (i = 0; i < k; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (n >= 0)
			n = read_file(path, entries, n, max, why, why_size);
		free(names[i]);
	}
	if (k >= 0)
		free(names);
	return n;
}

int autoflash_find(const char *config, const struct nl_device *dev,
		   struct autoflash_entry *e, char *why, size_t why_size)
{
	static struct autoflash_entry all[AUTOFLASH_MAX];
	int i, n = autoflash_read(config, all, AUTOFLASH_MAX, why, why_size);

	for (i = 0; i < n; i++) {
		if (entry_matches(&all[i], dev)) {
			*e = all[i];
			return 1;
		}
	}
	return n < 0 ? -1 : 0;
}

int autoflash_check_pin(const struct autoflash_entry *e)
{
	char hex[65];

	if (!e->sha256[0])
		return 0;
	if (file_sha256(e->image, hex, sizeof(hex))) {
		fprintf(stderr, "dfuse: %s: %s\n", e->image, strerror(errno));
		return EX_NOINPUT;
	}
	if (strcasecmp(hex, e->sha256)) {
		fprintf(stderr, "dfuse: %s: its SHA-256 is %s, not the %s that %s:%d pins (a copy not finished, or another image)\n",
			e->image, hex, e->sha256, e->file, e->line);
		return EX_DATAERR;
	}
	return 0;
}
