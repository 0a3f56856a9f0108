#!/bin/bash
# Build the VM's initramfs: busybox, the kernel's USB/IP modules (MODDIR,
# loaded in the order of MODDIR/order), dfuse.ko, the tool, the emulator,
# dfu-util, lsusb and the test scripts.
# usage: mkinitramfs.sh MODDIR DFUSE_KO OUT.cpio
set -euo pipefail
moddir=$1 ko=$2 out=$3
top=$(cd "$(dirname "$0")/../.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules,usr/bin,tests,data}
cp /bin/busybox "$root/bin/busybox"
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true

cp "$moddir/order" "$root/lib/modules/"
# (none on the sanitizer kernel: USB and vhci-hcd are built in)
for m in $(cat "$moddir/order"); do cp "$moddir/$m" "$root/lib/modules/"; done
cp "$ko" "$root/lib/modules/dfuse.ko"
# the deliberate-fault module (detector and harness self-tests), built
# beside dfuse.ko
faults=$(dirname "$ko")/dfuse_faults.ko
[ -f "$faults" ] && cp "$faults" "$root/lib/modules/"
# the KUnit suites, where the driver is built in the kernel's tree (kunit.sh)
kunit=$(dirname "$ko")/dfuse_kunit.ko
[ -f "$kunit" ] && cp "$kunit" "$root/lib/modules/"

# Dynamic programs with the libraries they load.
copy_prog() {
	local p=$1 lib
	cp "$p" "$root/usr/bin/"
	for lib in $(ldd "$p" 2>/dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_prog "$top/user/dfuse"
copy_prog "$top/tests/emu/dfuse-emu"
copy_prog "$top/tests/emu/dfu-raw"
copy_prog /usr/bin/dfu-util
copy_prog /usr/bin/lsusb
copy_prog /usr/bin/usbreset
copy_prog /usr/bin/jq
for p in "$top"/build/vm/bin/*; do
	[ -x "$p" ] && copy_prog "$p"
done
# systemd-udevd (udevadm is both), the lab's udev rules for the VM's
# /usr/bin/dfuse, its autoflash unit, and the users and groups they name
copy_prog /usr/bin/udevadm
for lib in /usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-*.so; do
	[ -f "$lib" ] && mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"
done
mkdir -p "$root/lib/systemd" "$root/etc/udev/rules.d" "$root/etc/systemd/system" "$root/run"
ln -sf /usr/bin/udevadm "$root/lib/systemd/systemd-udevd"
sed 's|@BINDIR@|/usr/bin|g' "$top/user/lab/70-dfuse.rules.in" >"$root/etc/udev/rules.d/70-dfuse.rules"
sed 's|@BINDIR@|/usr/bin|g' "$top/user/lab/dfuse-autoflash@.service.in" >"$root/etc/systemd/system/dfuse-autoflash@.service"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nplugdev:x:46:\n' >"$root/etc/group"
[ -d "$root/lib/x86_64-linux-gnu" ] && ln -s lib "$root/lib64" 2>/dev/null || true
mkdir -p "$root/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

cp "$top"/tests/vm/init "$root/init"
cp "$top"/tests/vm/kernel-alarms "$root/tests/"
cp "$top"/tests/vm/lib.sh "$top"/tests/vm/inject.sh "$top"/tests/vm/t/*.sh "$top"/tests/vm/demo.sh \
	"$top"/tests/vm/debug/*.sh "$top"/tests/vm/selftest/*.sh "$root/tests/"
cp "$top"/tests/bench/vm-bench.sh "$root/tests/bench.sh"
cp -r "$top"/tests/vm/expected "$root/tests/" 2>/dev/null || true
[ -d "$top/build/vm/data" ] && cp -r "$top"/build/vm/data/. "$root/data/"
chmod +x "$root/init"

# written aside and renamed: a QEMU started from the previous image keeps
# reading a whole file (VMs run in parallel)
(cd "$root" && find . | cpio -o -H newc --quiet) >"$out.$$"
mv -f "$out.$$" "$out"
