#!/bin/bash
# Prove that each detector of the sanitizer kernel fires in this harness:
# boot it with the detectors test (tests/vm/debug/detectors.sh), which
# loads dfuse_faults.ko once per fault, and find each report in the log.
# usage: run-detectors.sh LANE DFUSE_KO    (dfuse_faults.ko beside it)
set -uo pipefail
lane=$1 ko=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck disable=SC1091
. "$top/build/vm/$lane/kernel.env"
out=$("$top/tests/vm/run-vm.sh" "$lane" "$ko" detectors 2>&1)
log=$top/build/vm/logs/$lane/detectors.console
echo "$out" | sed -n 's/^\(not ok\|ok\) [0-9]* - \(.*\)/\1 - '"$release"' detectors: \2/p'
# fault  what its detector prints
while read -r fault pattern; do
	if grep -Eq "$pattern" "$log" 2>/dev/null; then
		echo "ok - $release detectors: $fault is reported ($pattern)"
	else
		echo "not ok - $release detectors: $fault is reported ($pattern)"
	fi
done <<'EOT'
KASAN BUG: KASAN: slab-out-of-bounds
UBSAN UBSAN: shift-out-of-bounds
lockdep WARNING: possible circular locking dependency detected
atomic-sleep BUG: sleeping function called from invalid context
kmemleak unreferenced object 0x[0-9a-f]+ \(size 128\)
refcount refcount_t: decrement hit 0
list-debug list_add corruption
hung-task INFO: task insmod:[0-9]+ blocked for more than
WARNING WARNING: .*dfuse_faults_init
BUG kernel BUG at
EOT
