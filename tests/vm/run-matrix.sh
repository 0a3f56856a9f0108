#!/bin/bash
# The VM suite on every kernel of the matrix: for each LANE, prepare the
# kernel (scripts/vm-kernel.sh), build dfuse.ko against it W=1, run every
# VM test. TAP per lane in build/results/vm-LANE.tap; times per lane.
# usage: run-matrix.sh LANE...      (make check: 6.1 6.12 7)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
results=$top/build/results
mkdir -p "$results"
status=0

# Every test of tests/vm/t, the descriptor fuzz with seeds of its own per
# lane: 300 on the sanitizer kernel (three VMs, run first: the longest),
# 100 more on each stock kernel.
tests_for() {
	local f n
	case $1 in
	debug) echo fuzz-descriptors@1-100 fuzz-descriptors@101-200 fuzz-descriptors@201-300 ;;
	6.1) echo fuzz-descriptors@301-400 ;;
	6.12) echo fuzz-descriptors@401-500 ;;
	*) echo fuzz-descriptors@501-600 ;;
	esac
	for f in "$top"/tests/vm/t/*.sh; do
		n=$(basename "$f" .sh)
		[ "$n" = fuzz-descriptors ] || echo "$n"
	done
}

for lane in "$@"; do
	start=$(date +%s)
	tap=$results/vm-$lane.tap
	if ! err=$("$top/tests/vm/build-module.sh" "$lane" 2>&1); then
		{
			echo "not ok - vm[$lane]: kernel prepared and dfuse.ko built W=1 clean"
			echo "$err" | tail -30 | sed 's/^/# /'
		} | tee "$tap"
		status=1
		continue
	fi
	debug=0
	# shellcheck disable=SC1091
	. "$top/build/vm/$lane/kernel.env"
	{
		echo "# vm[$lane]: Linux $release ($vmlinuz)"
		echo "ok - $release: dfuse.ko builds W=1 clean"
		# the sanitizer kernel first proves its detectors fire here
		[ "${debug:-0}" = 1 ] &&
			"$top/tests/vm/run-detectors.sh" "$lane" "$top/build/vm/$lane/dfuse.ko"
		# two VMs at a time: each runs its vCPUs on one TCG thread, so
		# two fill the machine's two cores (a stock lane: ~200 s, not
		# ~350 s one at a time)
		VM_JOBS=${VM_JOBS:-2} "$top/tests/vm/run-tests.sh" "$lane" "$top/build/vm/$lane/dfuse.ko" $(tests_for "$lane")
		echo "# vm[$lane] Linux $release: $(($(date +%s) - start)) s in all"
	} | tee "$tap"
	grep -q '^not ok' "$tap" && status=1
done
exit $status
