#!/bin/bash
# Boot one kernel of the matrix in QEMU (TCG) with the dfuse initramfs.
# usage: run-vm.sh LANE DFUSE_KO MODE     MODE: shell | demo | TESTNAME[@ARG]
# (ARG reaches the test as TEST_ARG, e.g. fuzz-descriptors@1-100)
# LANE's kernel is described by build/vm/LANE/kernel.env (build-module.sh).
# For a test, TAP goes to stdout and the kernel log to build/vm/logs/LANE/
# (LANE$VM_TAG/ when VM_TAG is set).
set -euo pipefail
lane=$1 ko=$2 mode=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/build/vm
# shellcheck disable=SC1091
. "$vm/$lane/kernel.env"
logdir=$vm/logs/$lane${VM_TAG:-}
mkdir -p "$logdir"
# one image per MODE with its ARG: fuzz-descriptors@1-100 and @101-200 run
# at once (one shared file was rewritten under a booting VM)
initrd=$vm/$lane/initramfs-${mode//[^A-Za-z0-9_.-]/_}${VM_TAG:-}.cpio.gz
"$top/tests/vm/mkinitramfs.sh" "$moddir" "$ko" "$initrd"

# VM_ICOUNT=1: deterministic virtual time, idle time skipped (benchmarks);
# one CPU: with -smp 2 the 6.1 kernel hangs at boot under -icount
cpus=2 icount=()
if [ "${VM_ICOUNT:-0}" = 1 ]; then
	cpus=1 icount=(-icount shift=0,sleep=off)
fi
# One TCG thread for both vCPUs: with a thread per vCPU (QEMU's default) a
# vCPU can run a stale translation of code that another vCPU has just
# patched, and the guest dies on an int3 that the kernel had already taken
# away (6.12 in CI: "Oops: int3" in sched_clock_cpu while its static key
# was switched at 1.8 s). Stock lanes take as long; the sanitizer lane,
# two VMs at a time on two cores, is faster.
qemu=(qemu-system-x86_64 -machine q35 -accel tcg,thread=single -cpu max
      -smp "$cpus" -m 1024 "${icount[@]}"
      -kernel "$vmlinuz" -initrd "$initrd" -no-reboot
      -display none -monitor none -nic none)
append="console=ttyS0 loglevel=5 panic=-1 oops=panic dfuse.test=$mode"

case "$mode" in
shell)
	exec "${qemu[@]}" -serial mon:stdio -serial null -append "$append"
	;;
*)
	log=$logdir/$mode.console
	# a test may ask for more with a "# vm-timeout: SECONDS" line
	timeout=$(sed -n 's/^# vm-timeout: \([0-9]*\)$/\1/p' "$top/tests/vm/t/${mode%%@*}.sh" 2>/dev/null || true)
	timeout=${VM_TIMEOUT:-${timeout:-300}}
	timeout -k 5 "$timeout" "${qemu[@]}" -serial "file:$log" -serial stdio \
		-append "$append" </dev/null | tr -d "\r" || echo "# VM exit status $? (timeout ${timeout}s?)"
	;;
esac
