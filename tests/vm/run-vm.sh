#!/bin/bash
# Boot Debian's stock kernel in QEMU (TCG) with the dfuse initramfs.
# usage: run-vm.sh KVER DFUSE_KO MODE    MODE: shell | demo | TESTNAME
# For a test, TAP goes to stdout and the kernel log to build/vm/logs/.
set -euo pipefail
kver=$1 ko=$2 mode=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/build/vm
mkdir -p "$vm/logs"
initrd=$vm/initramfs-$mode.cpio.gz
"$top/tests/vm/mkinitramfs.sh" "$kver" "$ko" "$initrd"

qemu=(qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 2 -m 1024
      -kernel "/boot/vmlinuz-$kver" -initrd "$initrd" -no-reboot
      -display none -monitor none -nic none)
append="console=ttyS0 loglevel=5 panic=-1 oops=panic dfuse.test=$mode"

case "$mode" in
shell)
	exec "${qemu[@]}" -serial mon:stdio -serial null -append "$append"
	;;
*)
	log=$vm/logs/$mode.console
	timeout=${VM_TIMEOUT:-300}
	timeout -k 5 "$timeout" "${qemu[@]}" -serial "file:$log" -serial stdio \
		-append "$append" </dev/null | tr -d "\r" || echo "# VM exit status $? (timeout ${timeout}s?)"
	;;
esac
