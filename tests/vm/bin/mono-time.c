// SPDX-License-Identifier: GPL-2.0
/*
 * Print CLOCK_MONOTONIC in seconds with nanoseconds: busybox date has no
 * %N, and the benchmark measures virtual time under QEMU -icount.
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 1;
	printf("%lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
	return 0;
}
