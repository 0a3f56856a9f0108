// SPDX-License-Identifier: GPL-2.0
/*
 * The results of autoflash, for a lab's journal: under systemd each
 * result is one journal entry with fields a lab can query
 * (journalctl DFUSE_SERIAL=... DFUSE_RESULT=failed); elsewhere one line
 * on stdout.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <systemd/sd-journal.h>

#include "journal.h"

/* systemd sets JOURNAL_STREAM to stdout's "device:inode" when it is the journal */
static bool stdout_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%lu:%lu", &dev, &ino) != 2 || fstat(STDOUT_FILENO, &st))
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

int file_sha256(const char *path, char *hex, size_t size)
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD_CTX *ctx;
	FILE *f;
	size_t n;
	int ret = -1;

	if (size < 65)
		return -1;
	f = fopen(path, "rb");
	if (!f)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			if (!EVP_DigestUpdate(ctx, buf, n))
				break;
		if (!ferror(f) && feof(f) && EVP_DigestFinal_ex(ctx, md, &len)) {
			for (i = 0; i < len; i++)
				sprintf(hex + 2 * i, "%02x", md[i]);
			ret = 0;
		}
	}
	EVP_MD_CTX_free(ctx);
	fclose(f);
	return ret;
}

void autoflash_report(const struct autoflash_result *r, const char *fmt, ...)
{
	char msg[1024], sha[65] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!stdout_is_journal()) {
		printf("%s\n", msg);
		fflush(stdout);
		return;
	}
	if (r->image && file_sha256(r->image, sha, sizeof(sha)))
		*sha = 0;
	sd_journal_send("MESSAGE=%s", msg,
			"PRIORITY=%d", r->failed ? LOG_ERR : LOG_INFO,
			"SYSLOG_IDENTIFIER=dfuse",
			"DFUSE_RESULT=%s", r->result,
			"DFUSE_USB_PATH=%s", r->usb_path ? r->usb_path : "",
			"DFUSE_SERIAL=%s", r->serial ? r->serial : "",
			"DFUSE_ID=%s", r->id ? r->id : "",
			"DFUSE_IMAGE=%s", r->image ? r->image : "",
			"DFUSE_IMAGE_SHA256=%s", sha,
			NULL);
}
