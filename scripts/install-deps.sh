#!/bin/sh
# Install every Debian package dfuse needs to build, test and demo.
# Idempotent: does nothing (and needs no root) when all are present.
set -eu

PACKAGES="make gcc pkg-config python3 cpio kmod busybox-static
linux-image-amd64 linux-headers-amd64 linux-source-6.1
qemu-system-x86 libnl-3-dev libnl-genl-3-dev zlib1g-dev dfu-util usbutils sparse jq
bc flex bison libelf-dev libssl-dev xz-utils zstd groff-base dwarves dkms gcc-multilib
openssl bsdextrautils gnuplot-nox systemd udev clang python3-yaml python3-jsonschema python3-docutils
libsystemd-dev mmdebstrap e2fsprogs qemu-utils debhelper dh-dkms lintian fakeroot"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "dfuse: installing missing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "dfuse: packages installed"
