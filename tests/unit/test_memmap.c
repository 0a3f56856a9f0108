// SPDX-License-Identifier: GPL-2.0
/*
 * The memory-map parser in userspace under ASan/UBSan, against the same
 * vector files as the KUnit suite. Prints TAP, one line per vector.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/memmap.h"

static int n, failed;

static void result(int pass, const char *file, int line, const char *input)
{
	n++;
	failed += !pass;
	printf("%s %d - memmap %s:%d %s\n", pass ? "ok" : "not ok", n, file,
	       line, input);
}

static void run_file(const char *path)
{
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char line[1024], got[4096];
	FILE *f = fopen(path, "r");
	int no = 0;

	if (!f) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		struct dfuse_memmap map;
		const char *why = NULL;
		char *tab, *exp;
		int err;

		no++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		if (!tab) {
			result(0, file, no, "(no TAB)");
			continue;
		}
		*tab = '\0';
		exp = tab + 1;
		/* the parser must not read past the string: give it an exact copy */
		char *input = strdup(line);

		err = dfuse_memmap_parse(input, &map, &why);
		if (!strcmp(exp, "error")) {
			result(err < 0 && why, file, no, line);
		} else {
			if (!err) {
				dfuse_memmap_format(&map, got, sizeof(got) - 16);
				/* a form taken by guessing: "; warned" */
				if (map.warning)
					strcat(got, "; warned");
			}
			result(!err && !strcmp(got, exp), file, no, line);
			if (err)
				printf("#   refused: %s\n", why);
			else if (strcmp(got, exp))
				printf("#   got:      %s\n#   expected: %s\n", got, exp);
		}
		free(input);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);	/* a crash loses no line */
	for (int i = 1; i < argc; i++)
		run_file(argv[i]);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
