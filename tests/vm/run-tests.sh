#!/bin/bash
# Run VM test scripts (tests/vm/t/*.sh), each in a fresh VM or a few in
# one (NAME+NAME: a shared boot), on one kernel of the matrix. Prints
# flat TAP: "ok - RELEASE NAME: DESC". Besides the
# script's own checks, a test fails when
#  - its plan (declared first, "1..N") is missing or not met, or the
#    script did not reach done_testing, or exited non-zero;
#  - the VM timed out or QEMU failed;
#  - the kernel logged any report (tests/vm/kernel-alarms) after init
#    started, on the console or still in dmesg at the end;
#  - the teardown failed: a module of ours did not unload, kmemleak found
#    an object, or the kernel is tainted by anything but our out-of-tree,
#    unsigned module.
# Only a kernel that crashed or reported before init started (the test's
# first line) is booted again, once; each such rerun is said in a
# "# rerun:" line, which summarize.sh counts.
# usage: run-tests.sh [--prepare] LANE DFUSE_KO [NAME...]
# VM_TAG (env) is added to the label and the log directory, e.g. "+dkms".
# A scheduler that runs one lane's tests in many calls (run-matrix.sh)
# makes the lane's image once with --prepare (which runs no test), then
# calls with VM_PREPARED=1 and the same DFUSE_SEED.
set -uo pipefail
prepare_only=0
[ "${1:-}" = --prepare ] && { prepare_only=1; shift; }
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
alarms=$top/tests/vm/kernel-alarms
INIT_MARK='dfuse-vm: init started'
# taint bits that are expected: O (out-of-tree module), E (unsigned module),
# N (a KUnit test module ran: kunit.sh)
TAINT_OK=$((4096 | 8192 | 262144))

# the seed of every test's random data in this run, printed to repeat it
export DFUSE_SEED=${DFUSE_SEED:-$(date +%s)}
# one image for every test of this run (the test is on the command line)
export VM_INITRD=$top/build/vm/$lane/initramfs-tests$VM_TAG.cpio
if [ "${VM_PREPARED:-0}" != 1 ]; then
	echo "# $release$VM_TAG: seed $DFUSE_SEED (DFUSE_SEED=$DFUSE_SEED repeats this run's data)"
	"$top/tests/vm/mkinitramfs.sh" "$moddir" "$ko" "$VM_INITRD" || exit 1
fi
[ "$prepare_only" = 0 ] || exit 0

# booted_to_init LOG: init's first line is in the console log
booted_to_init() { grep -q "$INIT_MARK" "$1"; }

# judge T OUT LOG: the harness's verdicts on one test's VM
judge() {
	local t=$1 out=$2 log=$3 planned results taint st line reports
	planned=$(echo "$out" | grep -m1 -E '^(ok|not ok|1\.\.)' | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
	results=$(echo "$out" | grep -cE '^(ok|not ok) ')
	if [ -z "$planned" ]; then
		echo "not ok - $t: declares its plan first (see $log)"
		echo "$out" | grep -v '^\(ok\|not ok\|#\)' | tail -15 | sed "s/^/# $t: /"
	elif [ "$planned" != "$results" ]; then
		echo "not ok - $t: meets its plan ($results of $planned checks ran)"
	else
		echo "ok - $t: meets its plan ($planned checks)"
	fi
	if grep -q '^# done: ' <<<"$out"; then
		echo "ok - $t: reaches done_testing"
	else
		echo "not ok - $t: reaches done_testing"
		echo "$out" | grep -B3 '^# init: exit status' | sed "s/^/# $t: before init's line: /"
	fi
	st=$(echo "$out" | sed -n 's/^# init: exit status \([0-9]*\)$/\1/p')
	if [ "$st" = 0 ]; then echo "ok - $t: exits 0"; else echo "not ok - $t: exits 0 (${st:-no status})"; fi
	line=$(echo "$out" | grep -m1 '^# vm: ')
	if [ -z "$line" ]; then echo "ok - $t: the VM ends by itself"; else echo "not ok - $t: the VM ends by itself (${line#\# vm: })"; fi
	if grep -q '^# teardown: end$' <<<"$out"; then
		echo "ok - $t: teardown completes"
	else
		echo "not ok - $t: teardown completes"
	fi
	echo "$out" | sed -n 's/^# teardown: rmmod \([^:]*\): \(.*\)/\1 \2/p' | while read -r m verdict; do
		if [ "$verdict" = ok ]; then echo "ok - $t: teardown: rmmod $m"; else echo "not ok - $t: teardown: rmmod $m ($verdict)"; fi
	done
	line=$(echo "$out" | sed -n 's/^# teardown: kmemleak: \([0-9]*\) .*/\1/p')
	if [ -n "$line" ]; then
		if [ "$line" = 0 ]; then echo "ok - $t: kmemleak finds nothing"; else echo "not ok - $t: kmemleak finds nothing ($line objects)"; fi
	fi
	taint=$(echo "$out" | sed -n 's/^# teardown: tainted \([0-9]*\)$/\1/p')
	if [ -n "$taint" ] && [ $((taint & ~TAINT_OK)) = 0 ]; then
		echo "ok - $t: kernel not tainted (but by our module)"
	else
		echo "not ok - $t: kernel not tainted (but by our module): ${taint:-not read}"
	fi
	if [ ! -s "$log" ]; then
		echo "not ok - $t: VM produced a kernel log"
	elif reports=$("$top/tests/vm/alarms-after-init.sh" "$log") ||
	     grep -q '^# teardown: dmesg: ' <<<"$out"; then
		echo "not ok - $t: kernel log clean"
		[ -z "$reports" ] || echo "$reports" | sed "s/^/# $t: /"
		echo "$out" | grep '^# teardown: dmesg: ' | head -20 | sed "s/^/# $t: /"
	else
		echo "ok - $t: kernel log clean"
	fi
}

# report T OUT LOG SECS: one test's TAP, the harness's verdicts, its time
report() {
	local name=$1 out=$2 log=$3 secs=$4 t="$release$VM_TAG $1"
	echo "$out" | sed -n 's/^\(not ok\|ok\) [0-9]* - \(.*\)/\1 - '"$t"': \2/p'
	echo "$out" | grep '^#' | grep -v '^# \(done\|init\|vm-test\|teardown: \(rmmod\|tainted\|end\)\)' |
		sed "s/^/# $t: /" | head -200
	judge "$t" "$out" "$log"
	if grep -q '^# teardown: boards left' <<<"$out"; then
		echo "not ok - $t: its boards are gone before the next test of its boot"
	fi
	if grep -q '^not ok\|^# vm: ' <<<"$out"; then
		echo "# $t: reproduce: DFUSE_SEED=$DFUSE_SEED tests/vm/run-tests.sh $lane $ko $name"
	fi
	printf '# %s: %.1f s\n' "$t" "$secs"
}

# run_one NAME[+NAME...]: the tests in one VM, in turn (a shared boot:
# the console and the TAP are cut at each test's mark, and each test is
# judged on its part alone), their TAP on stdout
run_one() {
	local name=$1 start out secs log tests n i part up next
	start=$(date +%s.%N)
	log=$top/build/vm/logs/$lane$VM_TAG/$name.console
	out=$("$top/tests/vm/run-vm.sh" "$lane" "$ko" "$name" 2>&1)
	if ! booted_to_init "$log"; then
		# once, and counted: a second one fails the test below
		echo "# rerun: $release$VM_TAG $name: the kernel did not reach init (log kept: $log.boot)"
		grep -E -A10 -f "$alarms" "$log" 2>/dev/null | head -12 | sed "s/^/# $release$VM_TAG $name: boot: /"
		cp "$log" "$log.boot" 2>/dev/null
		out=$("$top/tests/vm/run-vm.sh" "$lane" "$ko" "$name" 2>&1)
	fi
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	IFS=+ read -r -a tests <<<"$name"
	n=${#tests[@]}
	if [ "$n" = 1 ]; then
		report "$name" "$out" "$log" "$secs"
		return
	fi
	up=0
	for ((i = 0; i < n; i++)); do
		# its TAP: from its mark to the next one (the first also gets
		# what came before; the last, what came after)
		part=$(echo "$out" | awk -v i="$i" -v n="$n" '
			/^# vm-test: / { k++ }
			(k == i + 1) || (i == 0 && k == 0) || (i == n - 1 && k > n) { print }')
		# its kernel log: from its mark to the next (judged whole, as
		# after init); the first test's from boot
		awk -v me="dfuse-vm: test ${tests[i]} started" -v i="$i" -v mark="$INIT_MARK" '
			i > 0 && NR == 1 { print mark " (a shared boot)" }
			index($0, "dfuse-vm: test ") { on = (index($0, me) > 0) }
			on || (i == 0 && !seen) { print }
			index($0, "dfuse-vm: test ") { seen = 1 }' "$log" \
			>"$(dirname "$log")/${tests[i]}.console"
		next=$(echo "$out" | sed -n "s/^# vm-test: ${tests[i + 1]:-none} \([0-9.]*\)$/\1/p" | head -1)
		[ -n "$next" ] || next=$secs
		report "${tests[i]}" "$part" "$(dirname "$log")/${tests[i]}.console" \
			"$(echo "$next - $up" | bc)"
		up=$next
	done
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
