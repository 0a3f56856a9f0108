#!/bin/bash
# The VM suite on every kernel of the matrix: for each LANE, prepare the
# kernel (scripts/vm-kernel.sh), build dfuse.ko against it W=1, run every
# VM test. TAP per lane in build/results/vm-LANE.tap; times per lane.
# usage: run-matrix.sh LANE...      (make check: 6.1 6.12 7 debug debug7)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
results=$top/build/results
mkdir -p "$results"
status=0

# Every test of tests/vm/t runs on a lane where it adds the most:
#  - emu-dfu-util, emu-faults and emu-field-dfu-util never load dfuse.ko
#    (they hold the emulator to dfu-util and the USB/IP stack), and
#    dfu-util-cli tests the tool's dfu-util command line over driver paths
#    every lane runs elsewhere: the first lane only;
#  - the driver tests: 6.1 runs them all; 6.12 all but the fault
#    injection ones (FAULTS_ELSEWHERE: the same driver paths as on 6.1,
#    judged on both sanitizer kernels too);
#    7.x twice over would add little, so the 7.x sanitizer kernel (debug7)
#    runs those that take the driver's paths, and the stock 7.x kernel (the
#    module as DKMS builds it there, at real speed) the ones in STOCK_7:
#    probe, each I/O path, the tool and the lab (udev) at real timing;
#  - the tool's, the lab's, the demo's and the emulator profiles' tests
#    (TOOL_TESTS) take the driver paths others take: stock lanes only;
#  - the 6.1 sanitizer kernel (debug): the descriptor fuzz (the driver has
#    no code of its own per kernel version; its parsers meet hostile
#    descriptors there) and the detectors;
#  - probe-faults: where failslab is (the sanitizer kernels), with the
#    driver tests on debug7;
#  - kunit: the KUnit suites, where build-module.sh built them in the
#    kernel's own tree with the driver (debug7, under the sanitizers);
#  - the descriptor fuzz: seeds 1-300 every run, split across the lanes:
#    1-100 on the 6.1 sanitizer kernel (two VMs of 50; ~5.5 s a seed
#    there, under 1 s on a stock kernel), 101-200 on 6.1, 201-300 on
#    6.12; on 7.x a window of 50 seeds that moves with the commit, so
#    that runs add up to more seeds.
FIRST_LANE=${1:-}
fuzz_window() {
	local base
	base=$(git -C "$top" rev-parse --short=6 HEAD 2>/dev/null || echo 0)
	base=$(( (16#$base % 1000) * 50 + 301 ))
	echo "$base-$((base + 49))"
}
TOOL_TESTS=" lab tool make-demo emu-profiles "
STOCK_7=" probe probe-refuse driver-rw driver-node-io driver-ioctl detach field-profiles field-roms-old field-roms-new $TOOL_TESTS "
FAULTS_ELSEWHERE=" driver-inject driver-faults driver-edges stress "
lane_tests() {
	local f n
	case $1 in
	debug) echo fuzz-descriptors@1-50 fuzz-descriptors@51-100; return ;;
	6.1) echo fuzz-descriptors@101-200 ;;
	6.12) echo fuzz-descriptors@201-300 ;;
	debug7) ;;
	*) echo "fuzz-descriptors@$(fuzz_window)" ;;
	esac
	for f in "$top"/tests/vm/t/*.sh; do
		n=$(basename "$f" .sh)
		case $n in
		fuzz-descriptors) continue ;;
		# the KUnit suites: where they are built with the driver in the
		# kernel's tree (debug7; 6.1's run on UML in the kunit layer)
		kunit) [ -f "$top/build/vm/$1/dfuse_kunit.ko" ] && echo "$n"; continue ;;
		# failslab: the sanitizer kernels have it, the driver tests
		# run on debug7
		probe-faults) [ "$1" = debug7 ] && echo "$n"; continue ;;
		emu-dfu-util | emu-faults | emu-field-dfu-util | dfu-util-cli)
			[ "$1" = "$FIRST_LANE" ] && echo "$n"
			continue ;;
		esac
		case $1 in
		debug7) case $TOOL_TESTS in *" $n "*) continue ;; esac ;;
		6.12) case $FAULTS_ELSEWHERE in *" $n "*) continue ;; esac ;;
		7) case $STOCK_7 in *" $n "*) ;; *) continue ;; esac ;;
		esac
		echo "$n"
	done
}
# Longest first, so that the lane's two VM slots end together: each
# test's seconds on a stock lane (a test not listed is taken as long).
COST="driver-inject 57 fuzz-descriptors 53 field-profiles 40 emu-dfu-util 39
driver-faults 36 dfu-util-cli 34 driver-unplug 31 emu-faults 29
field-roms-old 28 driver-ioctl 24 emu-field-dfu-util 22 driver-netlink 21
lab 19 stress 19 probe-refuse 17 driver-edges 17 field-roms-new 16
emu-profiles 16 tool 14 detach 14 driver-rw 13 driver-kill 12
driver-node-io 12 make-demo 9 probe 8 kunit 12 probe-faults 60 pm 30"
tests_for() {
	local t c
	for t in $(lane_tests "$1"); do
		c=$(echo $COST | tr ' ' '\n' | paste - - | awk -v n="${t%%@*}" '$1 == n { print $2 }')
		echo "${c:-999} $t"
	done | sort -k1,1nr -s | cut -d' ' -f2
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
	debug=0 intree=
	# shellcheck disable=SC1091
	. "$top/build/vm/$lane/kernel.env"
	{
		echo "# vm[$lane]: Linux $release ($vmlinuz)"
		if [ -n "$intree" ]; then
			echo "ok - $release: dfuse.ko and dfuse_kunit.ko build in the kernel's tree (the upstream series applied, both options =m), W=1 and modpost clean"
		else
			echo "ok - $release: dfuse.ko builds W=1 clean"
		fi
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
