#!/bin/sh
# Files made by dfu-util's own tools, for the image unit tests.
set -eu
out=$1
mkdir -p "$out"
cd "$out"
[ -f a.bin ] || head -c 3000 /dev/urandom >a.bin
[ -f b.bin ] || head -c 5000 /dev/urandom >b.bin
[ -f pack.dfu ] || dfuse-pack -b 0x08004000:a.bin -b 0x08020000:b.bin -D 0x0483:0xdf11 pack.dfu >/dev/null
if [ ! -f suffixed.dfu ]; then
	cp a.bin suffixed.dfu
	dfu-suffix -v 0483 -p df11 -a suffixed.dfu >/dev/null
fi
