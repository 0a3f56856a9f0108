// SPDX-License-Identifier: GPL-2.0
/*
 * uevent-watch COUNT CMD...: listen to the kernel's uevents and, at each
 * "add" of a dfuse node, at once (as a udev rule would) print
 *   add <node> nodes=<nodes of its board in /dev>
 * and run CMD with DEVNAME set. Exits after COUNT such events, or 1 after
 * 30 s. Prints "ready" once listening, so a test can plug a board after.
 */
#include <glob.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *property(const char *msg, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p = msg;

	while (p < msg + len) {
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return p + klen + 1;
		p += strlen(p) + 1;
	}
	return NULL;
}

static size_t board_nodes(const char *devname)
{
	char pattern[64];
	size_t n = 0;
	glob_t g;
	int board;

	if (sscanf(devname, "dfuse%d.", &board) != 1)
		return 0;
	snprintf(pattern, sizeof(pattern), "/dev/dfuse%d.*", board);
	if (!glob(pattern, 0, NULL, &g))
		n = g.gl_pathc;
	globfree(&g);
	return n;
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char msg[8192];
	int fd, count, seen = 0;

	if (argc < 3 || (count = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: uevent-watch COUNT CMD...\n");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("uevent-watch: netlink");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (seen < count) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const char *action, *devname;
		ssize_t len;
		pid_t pid;

		if (poll(&p, 1, 30000) != 1) {
			fprintf(stderr, "uevent-watch: %d of %d events\n", seen,
				count);
			return 1;
		}
		len = recv(fd, msg, sizeof(msg) - 1, 0);
		if (len <= 0)
			continue;
		msg[len] = '\0';
		action = property(msg, (size_t)len, "ACTION");
		devname = property(msg, (size_t)len, "DEVNAME");
		if (!action || strcmp(action, "add") || !devname ||
		    strncmp(devname, "dfuse", 5))
			continue;
		printf("add %s nodes=%zu\n", devname, board_nodes(devname));
		fflush(stdout);
		seen++;
		pid = fork();
		if (pid == 0) {
			setenv("DEVNAME", devname, 1);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	return 0;
}
