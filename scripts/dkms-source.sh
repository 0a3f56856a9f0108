#!/bin/sh
# Put the module's source where DKMS wants it: DIR/{dkms.conf,kernel,include}.
# usage: dkms-source.sh DIR [VERSION]   (VERSION replaces the file VERSION's)
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
# the package's version (VERSION, its one home) into dkms.conf and, read
# by kernel/Kbuild, into the module's MODULE_VERSION
ver=${2:-$(cat "$top/VERSION")}
echo "$ver" >"$dir/VERSION"
sed "s/#MODULE_VERSION#/$ver/" "$top/dkms.conf" >"$dir/dkms.conf"
