// SPDX-License-Identifier: GPL-2.0
/*
 * dfuse: flash and read STM32 DfuSe bootloaders through the dfuse driver.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <netlink/version.h>

#define SYSFS_CLASS "/sys/class/dfuse"

static int read_attr(const char *dev, const char *attr, char *buf, size_t size)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), SYSFS_CLASS "/%s/%s", dev, attr);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

/* Every alternate setting the driver exposes, from sysfs. */
static int cmd_list(void)
{
	struct dirent **ents;
	int i, n = scandir(SYSFS_CLASS, &ents, NULL, by_name);

	if (n < 0) {
		if (errno == ENOENT) {
			fprintf(stderr, "dfuse: the dfuse module is not loaded\n");
			return EX_UNAVAILABLE;
		}
		perror("dfuse: " SYSFS_CLASS);
		return EX_OSERR;
	}
	for (i = 0; i < n; i++) {
		char name[256], segs[4096], size[32];

		if (ents[i]->d_name[0] != '.' &&
		    !read_attr(ents[i]->d_name, "name", name, sizeof(name)) &&
		    !read_attr(ents[i]->d_name, "size", size, sizeof(size)) &&
		    !read_attr(ents[i]->d_name, "segments", segs, sizeof(segs))) {
			printf("/dev/%s  \"%s\"  %s bytes\n", ents[i]->d_name,
			       name, size);
			for (char *l = strtok(segs, "\n"); l; l = strtok(NULL, "\n"))
				printf("    %s\n", l);
		}
		free(ents[i]);
	}
	free(ents);
	return EX_OK;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: dfuse list | version | help\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list();
	if (!strcmp(argv[1], "version")) {
		printf("dfuse 0.1 (libnl %s)\n", LIBNL_STRING);
		return EX_OK;
	}
	if (!strcmp(argv[1], "help")) {
		usage(stdout);
		return EX_OK;
	}
	fprintf(stderr, "dfuse: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EX_USAGE;
}
