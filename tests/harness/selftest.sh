#!/bin/bash
# The harness judges everything: each fault below is injected once, and
# each must come out as a failure of its test. Also runs the static check
# of the VM test scripts (check-scripts.sh). Prints TAP.
# usage: selftest.sh LANE...   (make harness-selftest: 6.1 6.12 7 debug debug7)
# The first lane gets every VM fault; every other stock lane proves that a
# WARN reaches its console and fails the test there too (printk and the
# console differ between kernels); each sanitizer lane, the leak at rmmod.
set -uo pipefail
lane=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/harness
mkdir -p "$work"

# expect_failure DESC REGEX OUTPUT: OUTPUT has a "not ok" line matching REGEX
expect_failure() {
	local line
	line=$(printf '%s\n' "$3" | grep -E -m1 "^not ok .*$2")
	if [ -n "$line" ]; then
		echo "ok - harness: $1 ($line)"
	else
		echo "not ok - harness: $1"
		printf '%s\n' "$3" | tail -25 | sed 's/^/#   /'
	fi
}

# a unit program that crashes after one of its two checks
gcc -std=c11 -O1 -o "$work/crash-after-ok" "$top/tests/vm/bin/crash-after-ok.c"
out=$("$top/tests/harness/tap-run.sh" crash-after-ok "$work/crash-after-ok")
expect_failure "a crashing unit program fails" "crash-after-ok: exits 0 and meets its plan" "$out"

# the VM test scripts, and a script with the bug the static check finds
"$top/tests/harness/check-scripts.sh"
printf '%s\n' '. /tests/lib.sh' 'since() { cat /tmp/log; }' \
	'check "no erase" sh -c "! since | grep -q ERASE"' >"$work/bad-script.sh"
out=$("$top/tests/harness/check-scripts.sh" "$work/bad-script.sh")
expect_failure "a sh -c calling a test-shell function is found" "no sh -c calls a function" "$out"

# faults in VMs; logs under build/vm/logs/LANE+selftest
ko=$top/build/vm/$lane/dfuse.ko
out=$(VM_TAG=+selftest VM_JOBS=2 "$top/tests/vm/run-tests.sh" "$lane" "$ko" \
	selftest-warn selftest-helper-crash selftest-hang selftest-short-plan)
expect_failure "a WARN in a test that never loads dfuse.ko fails it" \
	"selftest-warn: kernel log clean" "$out"
expect_failure "the WARN's taint fails it too" \
	"selftest-warn: kernel not tainted" "$out"
expect_failure "an in-VM helper that segfaults fails its test" \
	"selftest-helper-crash: crashing helper: crash-after-ok exits 0 and meets its plan" "$out"
expect_failure "a VM that hangs after its plan fails" \
	"selftest-hang: the VM ends by itself" "$out"
expect_failure "a test that runs fewer checks than it planned fails" \
	"selftest-short-plan: meets its plan \(2 of 3" "$out"
# a shared boot (run-matrix.sh's groups) judges each test on its own
# part: the WARN fails its test, and the test after it in the same boot
# is clean (its dmesg, taint and console part do not hold the WARN)
out=$(VM_TAG=+selftest "$top/tests/vm/run-tests.sh" "$lane" "$ko" selftest-warn+probe)
expect_failure "a WARN in a shared boot fails its test" \
	"selftest-warn: kernel log clean" "$out"
if grep -q '^ok .* probe: kernel log clean' <<<"$out" &&
   grep -q '^ok .* probe: kernel not tainted' <<<"$out" &&
   grep -q '^ok .* probe: meets its plan' <<<"$out" &&
   ! grep -q '^not ok .* probe: ' <<<"$out"; then
	echo "ok - harness: the next test in that boot is judged on its own part and passes"
else
	echo "not ok - harness: the next test in that boot is judged on its own part and passes"
	printf '%s\n' "$out" | grep ' probe: ' | tail -25 | sed 's/^/#   /'
fi
for other in "$@"; do
	ko=$top/build/vm/$other/dfuse.ko
	if [ "$other" = debug ] || [ "$other" = debug7 ]; then
		out=$(VM_TAG=+selftest "$top/tests/vm/run-tests.sh" "$other" "$ko" selftest-exit-leak)
		expect_failure "a leak that kmemleak finds after rmmod fails its test on $other" \
			"selftest-exit-leak: kmemleak finds nothing" "$out"
	else
		out=$(VM_TAG=+selftest "$top/tests/vm/run-tests.sh" "$other" "$ko" selftest-warn)
		expect_failure "a WARN fails its test on $other too" "selftest-warn: kernel log clean" "$out"
	fi
done
