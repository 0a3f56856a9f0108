#!/bin/bash
# Boot one kernel of the matrix in QEMU (TCG) with the dfuse initramfs.
# usage: run-vm.sh LANE DFUSE_KO MODE     MODE: shell | demo | TESTNAME[@ARG]
# (ARG reaches the test as TEST_ARG, e.g. fuzz-descriptors@1-100)
# LANE's kernel is described by build/vm/LANE/kernel.env (build-module.sh).
# For a test, TAP goes to stdout (kept as MODE.tap) and the kernel log to
# build/vm/logs/LANE/
# (LANE$VM_TAG/ when VM_TAG is set).
set -euo pipefail
lane=$1 ko=$2 mode=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/build/vm
# shellcheck disable=SC1091
. "$vm/$lane/kernel.env"
logdir=$vm/logs/$lane${VM_TAG:-}
mkdir -p "$logdir"
# VM_INITRD (env): an image made before (run-tests.sh makes one per lane
# for all its tests: the test is chosen on the command line). Else one per
# MODE with its ARG, so that two VMs starting at once never share a file
# being rewritten.
initrd=${VM_INITRD:-}
if [ -z "$initrd" ]; then
	initrd=$vm/$lane/initramfs-${mode//[^A-Za-z0-9_.-]/_}${VM_TAG:-}.cpio
	"$top/tests/vm/mkinitramfs.sh" "$moddir" "$ko" "$initrd"
fi

# VM_ICOUNT=1: deterministic virtual time, idle time skipped (benchmarks);
# one CPU: with -smp 2 the 6.1 kernel hangs at boot under -icount
cpus=2 icount=()
if [ "${VM_ICOUNT:-0}" = 1 ]; then
	cpus=1 icount=(-icount shift=0,sleep=off)
fi
# No 5-level paging (la57=off): the sanitizer kernel once reported a KASAN
# wild-memory-access in rcu_is_watching at an address of the 5-level
# direct map while booting. One TCG thread for both vCPUs: with a thread per vCPU (QEMU's default) a
# vCPU can run a stale translation of code that another vCPU has just
# patched, and the guest dies on an int3 that the kernel had already taken
# away (6.12 in CI: "Oops: int3" in sched_clock_cpu while its static key
# was switched at 1.8 s). Stock lanes take as long; the sanitizer lane,
# two VMs at a time on two cores, is faster.
qemu=(qemu-system-x86_64 -machine q35 -accel tcg,thread=single -cpu max,la57=off
      -smp "$cpus" -m "${VM_MEM:-${mem:-1024}}" "${icount[@]}"
      -kernel "$vmlinuz" -initrd "$initrd" -no-reboot
      -display none -monitor none -nic none)
# DFUSE_SEED (env): the seed of the test's random data (lib.sh: seeded)
append="console=ttyS0 loglevel=5 panic=-1 oops=panic dfuse.test=$mode dfuse.seed=${DFUSE_SEED:-0}"

case "$mode" in
shell)
	exec "${qemu[@]}" -serial mon:stdio -serial null -append "$append"
	;;
*)
	log=$logdir/$mode.console
	rm -f "$log" "$logdir/$mode.tap"	# never judge an earlier run's logs
	# a test may ask for more with a "# vm-timeout: SECONDS" line; tests
	# that share a boot (NAME+NAME...) have the sum
	timeout=0
	for t in ${mode//+/ }; do
		script=$(ls "$top"/tests/vm/{t,selftest}/"${t%%@*}".sh 2>/dev/null | head -1 || true)
		s=$(sed -n 's/^# vm-timeout: \([0-9]*\)$/\1/p' "$script" 2>/dev/null || true)
		timeout=$((timeout + ${s:-300}))
	done
	timeout=${VM_TIMEOUT:-$timeout}
	# a VM that does not end by itself is a failure the host judges
	# (run-tests.sh): "# vm: timed out" or "# vm: exit status N"
	set +e
	timeout -k 5 "$timeout" "${qemu[@]}" -serial "file:$log" -serial stdio \
		-append "$append" </dev/null | tr -d "\r" | tee "$logdir/$mode.tap"
	st=${PIPESTATUS[0]}
	set -e
	case $st in
	0) ;;
	124 | 137) echo "# vm: timed out after ${timeout}s" ;;
	*) echo "# vm: exit status $st" ;;
	esac
	;;
esac
