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
#    descriptors there), every field ROM profile (field-roms-old and
#    -new run on every lane) and the detectors;
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
	debug) echo fuzz-descriptors@1-50 fuzz-descriptors@51-100 field-roms-old field-roms-new
		return ;;
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
# Longest first, so that the two VM slots end together: each test's
# seconds with two VMs at once, on a stock lane and on the 7.x sanitizer
# kernel (a test not listed is taken as long; 50 seeds of the descriptor
# fuzz on the 6.1 sanitizer kernel: ~4x 100 on a stock kernel).
COST="driver-inject 77 fuzz-descriptors 67 emu-dfu-util 53 field-profiles 49
dfu-util-cli 49 emu-faults 47 driver-unplug 43 driver-netlink 40
driver-faults 39 field-roms-old 35 emu-field-dfu-util 32 stress 32 lab 30
pm 30 probe-refuse 28 tool 28 emu-profiles 26 field-roms-new 26
driver-ioctl 24 driver-edges 24 driver-rw 21 detach 19 driver-kill 18
make-demo 16 driver-node-io 14 probe 13"
COST_DEBUG7="driver-inject 203 stress 195 probe-faults 194 driver-unplug 149
field-roms-old 149 driver-netlink 141 field-profiles 131 field-roms-new 113
driver-faults 112 driver-edges 91 probe-refuse 90 driver-rw 89 pm 74
driver-ioctl 68 detectors 60 detach 58 driver-kill 50 probe 44
driver-node-io 44 kunit 42"
cost_of() {
	local lane=$1 t=${2%%@*} c table=$COST u
	if [ "$t" != "${t#*+}" ]; then	# a shared boot: its tests' sum
		c=0
		for u in ${2//+/ }; do c=$((c + $(cost_of "$lane" "$u"))); done
		echo "$c"
		return
	fi
	case $lane in debug | debug7) table=$COST_DEBUG7 ;; esac
	c=$(echo "$table" | tr ' ' '\n' | paste - - | awk -v n="$t" '$1 == n { print $2 }')
	[ "$lane/$t" = debug/fuzz-descriptors ] && c=$(($(cost_of 6.1 "$t") * 4))
	echo "${c:-999}"
}
tests_for() {
	local t
	for t in $(lane_tests "$1"); do
		echo "$(cost_of "$1" "$t") $t"
	done | sort -k1,1nr -s | cut -d' ' -f2 | share_boots "$1"
}

# Shared boots: tests share a VM in groups of up to SHARE_COST seconds
# (first fit, longest first), which saves a boot and a shutdown per test
# (~8 s; ~10 s on a sanitizer kernel). init starts each as on a fresh boot
# (no process, module or board of the one before, dmesg and /tmp empty,
# its own taint and kmemleak baseline) and run-tests.sh judges each on its
# own part of the console. A test that changes the kernel's state for the
# rest of the boot only ends one (pm sets a usbcore quirk, lab leaves
# udev's state); kunit (a taint) and probe-faults (failslab's settings)
# keep a VM of their own, as do the fuzz windows (long already).
LAST_IN_BOOT=" pm lab "
NO_SHARE=" kunit probe-faults "
share_boots() {
	local t c i n=0 placed cap=${SHARE_COST:-150}
	local -a group sum closed first last
	case $1 in debug | debug7) cap=${SHARE_COST_SANITIZER:-0} ;; esac
	# those that end a boot are placed last, where room is left
	while read -r t; do
		case "$LAST_IN_BOOT" in *" $t "*) last+=("$t") ;; *) first+=("$t") ;; esac
	done
	for t in "${first[@]}" "${last[@]}"; do
		case "$NO_SHARE" in *" $t "*) echo "$t"; continue ;; esac
		case $t in *@*) echo "$t"; continue ;; esac
		c=$(cost_of "$1" "$t")
		placed=0
		for ((i = 0; i < n; i++)); do
			if [ -z "${closed[i]:-}" ] && [ $((sum[i] + c)) -le "$cap" ]; then
				group[i]+=+$t
				sum[i]=$((sum[i] + c))
				placed=1
				break
			fi
		done
		if [ $placed = 0 ]; then
			i=$n
			group[n]=$t
			sum[n]=$c
			n=$((n + 1))
		fi
		case "$LAST_IN_BOOT" in *" $t "*) closed[i]=1 ;; esac
	done
	for ((i = 0; i < n; i++)); do echo "${group[i]}"; done
}

# One pool of two VM slots for every lane's tests (each VM runs its vCPUs
# on one TCG thread, so two fill the machine's two cores), longest first
# over the whole matrix, so that no core idles at the end of each lane.
# Each lane's module is built (two lanes at a time) while the pool runs
# the tests of the lanes already built: a sanitizer lane waits for its
# kernel, which make check builds in the background meanwhile.
start=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DFUSE_SEED=${DFUSE_SEED:-$(date +%s)}
# prepare_lane LANE: its module and VM image; its jobs into $work/LANE.jobs
prepare_lane() {
	local lane=$1 err debug=0 intree=
	if ! err=$("$top/tests/vm/build-module.sh" "$lane" 2>&1); then
		echo "not ok - vm[$lane]: kernel prepared and dfuse.ko built W=1 clean"
		echo "$err" | tail -30 | sed 's/^/# /'
		return 1
	fi
	# shellcheck disable=SC1091
	. "$top/build/vm/$lane/kernel.env"
	echo "# vm[$lane]: Linux $release ($vmlinuz)"
	if [ -n "$intree" ]; then
		echo "ok - $release: dfuse.ko and dfuse_kunit.ko build in the kernel's tree (the upstream series applied, both options =m), W=1 and modpost clean"
	else
		echo "ok - $release: dfuse.ko builds W=1 clean"
	fi
	"$top/tests/vm/run-tests.sh" --prepare "$lane" "$top/build/vm/$lane/dfuse.ko" || {
		echo "not ok - vm[$lane]: the VM image is made"
		return 1
	}
	mkdir -p "$work/$lane"
	# the sanitizer kernel first proves its detectors fire here
	[ "${debug:-0}" = 1 ] && echo detectors >"$work/$lane.order"
	tests_for "$lane" >>"$work/$lane.order"
	# every test of the lane is in one job, once: a grouping that lost or
	# doubled one would otherwise pass as a shorter lane
	if [ "$(lane_tests "$lane" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')" != \
	     "$(grep -v '^detectors$' "$work/$lane.order" | tr + '\n' | sort | tr '\n' ' ')" ]; then
		echo "not ok - vm[$lane]: every test of the lane is scheduled once"
		echo "# tests: $(lane_tests "$lane" | tr '\n' ' ')"
		echo "# jobs: $(tr '\n' ' ' <"$work/$lane.order")"
	else
		echo "ok - vm[$lane]: every test of the lane is scheduled once"
	fi
	while read -r t; do
		echo "$(cost_of "$lane" "$t") $lane $t"
	done <"$work/$lane.order" >"$work/$lane.jobs.new"
	mv "$work/$lane.jobs.new" "$work/$lane.jobs"
}
(
	for lane in "$@"; do
		while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
		{ prepare_lane "$lane" >"$work/$lane.head" 2>&1; : >"$work/$lane.prepared"; } &
	done
	wait
	echo "# vm: every lane's dfuse.ko built after $(($(date +%s) - start)) s"
) &

# run_job LANE TEST: one test in its VM, its TAP in $work/LANE/TEST.out
run_job() {
	local lane=$1 t=$2 ko=$top/build/vm/$1/dfuse.ko
	if [ "$t" = detectors ]; then
		"$top/tests/vm/run-detectors.sh" "$lane" "$ko"
	else
		VM_PREPARED=1 "$top/tests/vm/run-tests.sh" "$lane" "$ko" "$t"
	fi >"$work/$lane/$t.out" 2>&1
	rm -f "$work/running.$lane.$t"
}
# next_job: the line of the pending job to start: the longest whose test
# is not running on its lane already (the two halves of the 6.1 sanitizer
# kernel's fuzz took 350 s side by side, ~250 s each beside other tests),
# else the longest (a core never idles for it)
next_job() {
	local n=0 lane t
	while read -r _ lane t; do
		n=$((n + 1))
		if [ -z "$(find "$work" -maxdepth 1 \( -name "running.$lane.${t%%@*}" \
			-o -name "running.$lane.${t%%@*}@*" \))" ]; then
			echo "$n"
			return
		fi
	done <"$work/pending"
	echo 1
}
: >"$work/pending"
while :; do
	for f in "$work"/*.jobs; do
		[ -e "$f" ] || continue
		cat "$f" >>"$work/pending"
		mv "$f" "$f.taken"
	done
	sort -k1,1nr -s -o "$work/pending" "$work/pending"
	running=$(find "$work" -maxdepth 1 -name 'running.*' | wc -l)
	if [ -s "$work/pending" ] && [ "$running" -lt "${VM_JOBS:-2}" ]; then
		n=$(next_job)
		read -r _ lane t < <(sed -n "${n}p" "$work/pending")
		sed -i "${n}d" "$work/pending"
		: >"$work/running.$lane.$t"
		run_job "$lane" "$t" &
		continue
	fi
	prepared=$(find "$work" -maxdepth 1 -name '*.prepared' | wc -l)
	[ ! -s "$work/pending" ] && [ "$running" = 0 ] && [ "$prepared" = $# ] &&
		[ -z "$(find "$work" -maxdepth 1 -name '*.jobs')" ] && break
	sleep 1
done
wait

# each lane's TAP in its own order: build, detectors, tests longest first
for lane in "$@"; do
	tap=$results/vm-$lane.tap
	{
		cat "$work/$lane.head"
		if [ -f "$work/$lane.order" ]; then
			# a job the pool lost is a failure, not a silence
			while read -r t; do
				cat "$work/$lane/$t.out" 2>/dev/null ||
					echo "not ok - vm[$lane]: $t ran in the pool"
			done <"$work/$lane.order"
			secs=$(sed -n 's/^# .*: \([0-9.]*\) s$/\1/p' "$work/$lane"/*.out | awk '{ s += $1 } END { printf "%.0f", s }')
			echo "# vm[$lane]: $secs s of VM time"
		fi
	} | tee "$tap"
	grep -q '^not ok' "$tap" && status=1
done
echo "# vm: every lane in $(($(date +%s) - start)) s"
exit $status
