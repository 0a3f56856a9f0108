// SPDX-License-Identifier: GPL-2.0
/*
 * The harness self-test's crashing program: plans two checks, passes one,
 * then dies of SIGSEGV. Whatever runs it (tap-run.sh on the host,
 * run_helper in the VM) must report a failure.
 */
#include <signal.h>
#include <stdio.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..2\n");
	printf("ok 1 - the first check passes\n");
	raise(SIGSEGV);
	printf("ok 2 - never reached\n");
	return 0;
}
