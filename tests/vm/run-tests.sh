#!/bin/bash
# Run every VM test script (tests/vm/t/*.sh), each in a fresh VM.
# Prints flat TAP: "ok - FILE: DESC" / "not ok - FILE: DESC". A script fails
# as a whole when it does not finish its plan, when the kernel logs a BUG,
# WARNING, oops, lockdep or hung-task report, or when the VM times out.
# usage: run-tests.sh KVER DFUSE_KO [NAME...]
set -uo pipefail
kver=$1 ko=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$top"/tests/vm/t/*.sh; do names+=("$(basename "$f" .sh)"); done
fi

KERNEL_ALARM='WARNING:|BUG:|Oops|general protection|Call Trace:|possible circular locking|possible recursive locking|INFO: task .* blocked|UBSAN:|KASAN:|kmemleak|unreferenced object'

for name in "${names[@]}"; do
	start=$(date +%s.%N)
	out=$("$top/tests/vm/run-vm.sh" "$kver" "$ko" "$name" 2>&1)
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	log=$top/build/vm/logs/$name.console
	echo "$out" | sed -n 's/^\(not ok\|ok\) [0-9]* - \(.*\)/\1 - '"$name"': \2/p'
	echo "$out" | grep '^#' | sed "s/^/# $name: /" | head -200
	if ! echo "$out" | grep -q '^1\.\.[0-9]'; then
		echo "not ok - $name: finished its plan (see $log)"
	fi
	if [ ! -s "$log" ]; then
		echo "not ok - $name: VM produced a kernel log"
	elif grep -Eq "$KERNEL_ALARM" "$log"; then
		echo "not ok - $name: kernel log clean"
		grep -E -A15 "$KERNEL_ALARM" "$log" | head -60 | sed "s/^/# $name: /"
	else
		echo "ok - $name: kernel log clean"
	fi
	printf '# %s: %.1f s\n' "$name" "$secs"
done
