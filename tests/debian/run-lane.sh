#!/bin/bash
# The booted Debian 12 lane: Debian's archive made into a root filesystem
# (mkrootfs.sh, cached), booted in QEMU with systemd as PID 1; the dfuse
# packages of build/deb (make deb) installed in it with apt, and
# lab-booted.sh run there as a systemd service. Prints flat TAP:
# "ok - debian-12 lab: DESC". Besides the script's own checks, the lane
# fails when the plan is not met, the script did not reach done_testing or
# exited non-zero, the VM did not power off by itself, or the kernel logged
# a report (tests/vm/kernel-alarms) after the script started.
# usage: run-lane.sh DEBDIR
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
debs=${1:-$top/build/deb}
work=$top/build/debian-lane
t="debian-12 lab"
rm -rf "$work"
mkdir -p "$work/disk/bin" "$work/disk/deb"

if ! rootfs=$("$top/tests/debian/mkrootfs.sh" 2>"$work/mkrootfs.log"); then
	echo "not ok - $t: Debian 12 root filesystem made (mmdebstrap)"
	tail -20 "$work/mkrootfs.log" | sed "s/^/# $t: /"
	exit 1
fi
dir=${rootfs#dir=}
echo "# $t: Linux $(cat "$dir/release"), systemd from Debian 12"
ver=$(cat "$top/VERSION")
if ! ls "$debs"/dfuse_"$ver"_*.deb "$debs"/dfuse-dkms_"$ver"_all.deb >/dev/null 2>&1; then
	echo "not ok - $t: the packages of version $ver are in $debs (make deb)"
	exit 1
fi

# the lane's disk: its script, lib.sh, the packages, the emulator and helpers
cp "$top/tests/debian/lab-booted.sh" "$work/disk/run.sh"
cp "$top/tests/vm/lib.sh" "$top/VERSION" "$top/README.md" "$top/docs/dfu-util.md" "$work/disk/"
cp "$debs"/dfuse_"$ver"_*.deb "$debs"/dfuse-dkms_"$ver"_all.deb "$work/disk/deb/"
cp "$top/tests/emu/dfuse-emu" "$top/build/vm/bin/seeded-bytes" "$work/disk/bin/"
mke2fs -q -t ext4 -d "$work/disk" "$work/disk.img" 64M >/dev/null
qemu-img create -q -f qcow2 -b "$dir/rootfs.img" -F raw "$work/root.qcow2"

export DFUSE_SEED=${DFUSE_SEED:-$(date +%s)}
echo "# $t: seed $DFUSE_SEED (DFUSE_SEED=$DFUSE_SEED repeats this run's data)"
log=$work/console.log	# the kernel's and systemd's; the TAP: $work/tap.log
start=$(date +%s)
# two vCPUs on two TCG threads: DKMS's compile inside takes most of the time
out=$(timeout -k 5 "${DEBIAN_LANE_TIMEOUT:-1500}" qemu-system-x86_64 -machine q35 \
	-accel tcg,thread=multi -cpu max,la57=off -smp 2 -m 2048 \
	-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" -no-reboot \
	-display none -monitor none -nic none \
	-drive file="$work/root.qcow2",if=virtio,format=qcow2 \
	-drive file="$work/disk.img",if=virtio,format=raw \
	-serial file:"$log" -serial stdio \
	-append "root=/dev/vda rw console=ttyS0 loglevel=5 panic=-1 systemd.show_status=0 dfuse.seed=$DFUSE_SEED" \
	</dev/null 2>&1 | tee "$work/tap.log" | tr -d '\r')
st=${PIPESTATUS[0]}
echo "$out" | sed -n 's/^\(not ok\|ok\) [0-9]* - \(.*\)/\1 - '"$t"': \2/p'
echo "$out" | grep '^#' | grep -v '^# \(done\|lane\)' | sed "s/^/# $t: /" | head -200

planned=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' | head -1)
results=$(echo "$out" | grep -cE '^(ok|not ok) ')
if [ -n "$planned" ] && [ "$planned" = "$results" ]; then
	echo "ok - $t: meets its plan ($planned checks)"
else
	echo "not ok - $t: meets its plan (${results} of ${planned:-no plan} checks ran; console: $log)"
fi
if grep -q '^# done: ' <<<"$out"; then echo "ok - $t: reaches done_testing"; else echo "not ok - $t: reaches done_testing"; fi
if grep -q '^# lane: exit status 0$' <<<"$out"; then echo "ok - $t: exits 0"; else echo "not ok - $t: exits 0"; fi
case $st in
0) echo "ok - $t: the system powers off by itself" ;;
124 | 137) echo "not ok - $t: the system powers off by itself (timed out)" ;;
*) echo "not ok - $t: the system powers off by itself (QEMU exit status $st)" ;;
esac
if reports=$("$top/tests/vm/alarms-after-init.sh" "$log"); then
	echo "not ok - $t: kernel log clean"
	echo "$reports" | sed "s/^/# $t: /"
else
	echo "ok - $t: kernel log clean"
fi
echo "# $t: $(($(date +%s) - start)) s"
