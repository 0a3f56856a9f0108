// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducible test data: LEN pseudo-random bytes from the string SEED
 * (FNV-1a of it seeds splitmix64). The same SEED gives the same bytes on
 * every machine, so a failing test's data can be made again from the seed
 * its log prints. usage: seeded-bytes SEED LEN
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	uint64_t x = 0xcbf29ce484222325ull, z;
	unsigned char buf[8];
	long long len;
	const char *p;

	if (argc != 3 || (len = atoll(argv[2])) < 0) {
		fprintf(stderr, "usage: seeded-bytes SEED LEN\n");
		return 2;
	}
	for (p = argv[1]; *p; p++)
		x = (x ^ (unsigned char)*p) * 0x100000001b3ull;
	while (len > 0) {
		z = (x += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		for (int i = 0; i < 8; i++)
			buf[i] = (unsigned char)(z >> (8 * i));
		if (fwrite(buf, 1, len < 8 ? (size_t)len : 8, stdout) == 0)
			return 1;
		len -= 8;
	}
	return fflush(stdout) ? 1 : 0;
}
