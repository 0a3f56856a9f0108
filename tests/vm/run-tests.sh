#!/bin/bash
# Run VM test scripts (tests/vm/t/*.sh), each in a fresh VM, on one kernel
# of the matrix. Prints flat TAP: "ok - RELEASE FILE: DESC". A script fails
# as a whole when it does not finish its plan, when the kernel logs a BUG,
# WARNING, oops, lockdep, KASAN, UBSAN, kmemleak or hung-task report, or
# when the VM times out.
# usage: run-tests.sh LANE DFUSE_KO [NAME...]
# VM_TAG (env) is added to the label and the log directory, e.g. "+dkms".
set -uo pipefail
lane=$1 ko=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
export VM_TAG=${VM_TAG:-}
if [ ! -s "$top/build/vm/$lane/kernel.env" ]; then
	mkdir -p "$top/build/vm/$lane"
	"$top/scripts/vm-kernel.sh" "$lane" >"$top/build/vm/$lane/kernel.env" || exit 1
fi
# shellcheck disable=SC1091
. "$top/build/vm/$lane/kernel.env"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$top"/tests/vm/t/*.sh; do names+=("$(basename "$f" .sh)"); done
fi

KERNEL_ALARM='WARNING:|BUG:|Oops|general protection|Call Trace:|possible circular locking|possible recursive locking|INFO: task .* blocked|UBSAN:|KASAN:|suspected memory leak|unreferenced object|refcount_t:|list_add corruption|list_del corruption'

# A kernel that died while booting, before init loaded anything of ours
# (an int3 in the scheduler of 7.x and 6.12 kernels under multi-threaded
# TCG, which run-vm.sh no longer uses; kept in case QEMU finds another
# way): not a test result.
boot_crash() {
	grep -q 'Kernel panic' "$1" && ! grep -q 'dfuse' "$1"
}

# A kernel report logged before anything of ours was loaded (seen once: a
# KASAN wild-memory-access in rcu_is_watching at 1.9 s of the sanitizer
# kernel's boot under TCG): not a test result either.
alarm_before_ours() {
	local a d
	a=$(grep -nE "$KERNEL_ALARM" "$1" | head -1 | cut -d: -f1)
	d=$(grep -n 'dfuse' "$1" | head -1 | cut -d: -f1)
	[ -n "$a" ] && { [ -z "$d" ] || [ "$a" -lt "$d" ]; }
}

# run_one NAME: one test in its own VM, its TAP on stdout
run_one() {
	local name=$1 start out secs log t
	start=$(date +%s.%N)
	log=$top/build/vm/logs/$lane$VM_TAG/$name.console
	out=$("$top/tests/vm/run-vm.sh" "$lane" "$ko" "$name" 2>&1)
	if { ! echo "$out" | grep -q '^1\.\.[0-9]' && boot_crash "$log"; } ||
	   alarm_before_ours "$log"; then
		# once, and said: a second one fails the test below
		echo "# $release$VM_TAG $name: the kernel crashed or reported a fault while booting, before anything of ours was loaded; booted again"
		cp "$log" "$log.boot-crash"
		out=$("$top/tests/vm/run-vm.sh" "$lane" "$ko" "$name" 2>&1)
	fi
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	t="$release$VM_TAG $name"
	echo "$out" | sed -n 's/^\(not ok\|ok\) [0-9]* - \(.*\)/\1 - '"$t"': \2/p'
	echo "$out" | grep '^#' | sed "s/^/# $t: /" | head -200
	if ! echo "$out" | grep -q '^1\.\.[0-9]'; then
		echo "not ok - $t: finished its plan (see $log)"
		# what the VM or its setup said, when it said no TAP at all
		echo "$out" | grep -v '^\(ok\|not ok\|#\)' | tail -15 | sed "s/^/# $t: /"
	fi
	if [ ! -s "$log" ]; then
		echo "not ok - $t: VM produced a kernel log"
	elif grep -Eq "$KERNEL_ALARM" "$log"; then
		echo "not ok - $t: kernel log clean"
		grep -E -A15 "$KERNEL_ALARM" "$log" | head -60 | sed "s/^/# $t: /"
	else
		echo "ok - $t: kernel log clean"
	fi
	printf '# %s: %.1f s\n' "$t" "$secs"
}

# VM_JOBS (env): VMs at once; their outputs are printed in test order
jobs=${VM_JOBS:-1}
if [ "$jobs" -le 1 ]; then
	for name in "${names[@]}"; do run_one "$name"; done
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "${names[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	run_one "$name" >"$tmp/$name.out" &
done
wait
for name in "${names[@]}"; do cat "$tmp/$name.out"; done
