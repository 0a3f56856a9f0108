#!/bin/bash
# A booted Debian 12 for the lab lane: a root filesystem made from Debian's
# archive by mmdebstrap, with systemd as PID 1, udev, journald, DKMS and the
# stock kernel with its headers (DKMS builds dfuse.ko inside the VM, as on a
# lab machine), what the dfuse packages depend on, so that apt installs
# them there with no network, and Debian's labgrid, as a lab runs it (in
# a second apt run: a dependency's adduser fails before the base system is
# configured).
# Neither dfuse package is in it: the lane installs them.
#
# usage: mkrootfs.sh      prints dir=<cache dir> with rootfs.img, vmlinuz,
#                         initrd.img, release; made once per version of this
#                         script into $DFUSE_CACHE/debian-12 (never needed:
#                         remade when missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="${DFUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dfuse}"
key=$(cat "$0" "$here/lane-unit.service" "$here/lane-boot.sh" | sha256sum | cut -c1-12)
out=$cache/debian-12/$key
if [ -f "$out/.ready" ]; then
	echo "dir=$out"
	exit 0
fi
mkdir -p "$cache/debian-12"
exec 8>"$cache/debian-12.lock"
flock 8
[ -f "$out/.ready" ] && { echo "dir=$out"; exit 0; }
# an interrupted mmdebstrap leaves /proc, /sys and /dev/* bound in its tree:
# unbind them, and never let rm cross into another file system
for m in $(findmnt -rn -o TARGET | grep "^$cache/debian-12/" | sort -r); do
	umount -l "$m"
done
rm -rf --one-file-system "$cache"/debian-12/*/ "$out"
mkdir -p "$out"
tree=$out/tree

# the system (a lab machine's), then what the two packages depend on
packages=(systemd-sysv udev dbus kmod initramfs-tools linux-image-amd64
	linux-headers-amd64 dkms make gcc libc6-dev openssl
	libnl-3-200 libnl-genl-3-200 libelf1 zlib1g dfu-util usbutils procps)
echo "dfuse: making a Debian 12 root filesystem in $out (mmdebstrap, a few minutes, once)" >&2
mmdebstrap --variant=minbase --mode=root \
	--include="$(IFS=,; echo "${packages[*]}")" \
	--customize-hook='echo dfuse-lab >"$1/etc/hostname"' \
	--customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-labgrid' \
	--customize-hook="copy-in $here/lane-unit.service /etc/systemd/system" \
	--customize-hook="copy-in $here/lane-boot.sh /usr/local/sbin" \
	--customize-hook='mv "$1/etc/systemd/system/lane-unit.service" "$1/etc/systemd/system/dfuse-lane.service"' \
	--customize-hook='chroot "$1" systemctl enable dfuse-lane.service' \
	--customize-hook='chroot "$1" systemctl mask serial-getty@ttyS0.service getty@tty1.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer' \
	--customize-hook='printf "/dev/vda / ext4 rw,errors=remount-ro 0 1\n" >"$1/etc/fstab"' \
	bookworm "$tree" \
	"deb http://deb.debian.org/debian bookworm main" \
	"deb http://deb.debian.org/debian bookworm-updates main" \
	"deb http://deb.debian.org/debian-security bookworm-security main" >&2
release=$(ls "$tree/lib/modules")
cp "$tree/boot/vmlinuz-$release" "$out/vmlinuz"
cp "$tree/boot/initrd.img-$release" "$out/initrd.img"
echo "$release" >"$out/release"
mke2fs -q -t ext4 -L dfuse-lab -d "$tree" "$out/rootfs.img" 4G
rm -rf "$tree"
touch "$out/.ready"
echo "dir=$out"
