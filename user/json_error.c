// SPDX-License-Identifier: GPL-2.0
/*
 * --json and failure: a script reads stdout, so a command that fails
 * before it prints its result prints one object saying why instead of
 * nothing: {"ok":false,"exit":N,"error":"..."}, the error being the last
 * "dfuse: " line it wrote to stderr (which still gets every line).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"

static FILE *real_stdout, *real_stderr;
static bool printed;
static char line[512], last[512];
static size_t line_len;

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	printed |= n > 0;
	/* a line is out when the command flushes it (monitor streams) */
	if (fwrite(buf, 1, n, real_stdout) != n || fflush(real_stdout))
		return -1;
	return (ssize_t)n;
}

static ssize_t err_write(void *cookie, const char *buf, size_t n)
{
	size_t i;

	(void)cookie;
	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (line_len + 1 < sizeof(line))
				line[line_len++] = buf[i];
			continue;
		}
		line[line_len] = '\0';
		if (!strncmp(line, "dfuse: ", 7))
			snprintf(last, sizeof(last), "%s", line + 7);
		line_len = 0;
	}
	return fwrite(buf, 1, n, real_stderr) == n ? (ssize_t)n : -1;
}

void json_error_begin(void)
{
	cookie_io_functions_t out = { .write = out_write };
	cookie_io_functions_t err = { .write = err_write };
	FILE *o = fopencookie(NULL, "w", out), *e = fopencookie(NULL, "w", err);

	if (!o || !e) {		/* then only the usual output */
		if (o)
			fclose(o);
		if (e)
			fclose(e);
		return;
	}
	setvbuf(o, NULL, _IOLBF, 0);
	setvbuf(e, NULL, _IONBF, 0);
	real_stdout = stdout;
	real_stderr = stderr;
	stdout = o;
	stderr = e;
}

int json_error_end(int ret)
{
	if (!real_stdout)
		return ret;
	fclose(stdout);
	fclose(stderr);
	stdout = real_stdout;
	stderr = real_stderr;
	real_stdout = NULL;
	if (ret && !printed) {
		printf("{\"ok\":false,\"exit\":%d,\"error\":", ret);
		json_str(last[0] ? last : "failed");
		printf("}\n");
	}
	return ret;
}
