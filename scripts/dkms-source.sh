#!/bin/sh
# Put the module's source where DKMS wants it: DIR/{dkms.conf,kernel,include}.
# usage: dkms-source.sh DIR [VERSION]   (VERSION replaces dkms.conf's)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
rm -rf "$dir"
mkdir -p "$dir/kernel" "$dir/include/uapi/linux"
for f in "$top"/kernel/*.c "$top"/kernel/*.h "$top"/kernel/Kbuild; do
	case $f in *.mod.c | *_kunit.c | *vectors.h) continue ;; esac
	cp "$f" "$dir/kernel/"
done
cp "$top/include/uapi/linux/dfuse.h" "$dir/include/uapi/linux/"
if [ -n "${2:-}" ]; then
	sed "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$2\"/" "$top/dkms.conf" >"$dir/dkms.conf"
else
	cp "$top/dkms.conf" "$dir/dkms.conf"
fi
