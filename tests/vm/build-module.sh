#!/bin/bash
# Build dfuse.ko for one kernel of the VM matrix from a copy of kernel/
# (so that `make` for the host is left alone). Writes build/vm/LANE/:
# kernel.env (what scripts/vm-kernel.sh printed), dfuse.ko, build.log.
# A kernel with the driver in its tree (kernel.env's intree=, debug7) builds
# it there, with its KUnit suites (dfuse_kunit.ko).
# Fails when the compile has any warning in our sources (W=1).
# usage: build-module.sh LANE
set -euo pipefail
lane=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/vm/$lane
mkdir -p "$out"
"$top/scripts/vm-kernel.sh" "$lane" >"$out/kernel.env.new"
mv "$out/kernel.env.new" "$out/kernel.env"
# shellcheck disable=SC1091
. "$out/kernel.env"

rm -f "$out/dfuse.ko" "$out/dfuse_kunit.ko"
if [ -n "${intree:-}" ]; then
	# in the kernel's tree (debug7): debug-kernel.sh has just put the
	# upstream series' files there; the driver and its KUnit suites are
	# modules of that kernel's config. From clean, so that every warning
	# is seen every time; modpost's warnings count too.
	exec 7>"$kdir/intree.lock"
	flock 7
	rm -rf "$kdir/drivers/usb/class/dfuse"
	if ! make -C "$kdir" -j"$(nproc)" W=1 modules >"$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		exit 1
	fi
	if grep -E '(^|/)(drivers/usb/class/dfuse/|include/uapi/linux/dfuse\.h)[^ ]*: (warning|error):|WARNING: modpost: .*dfuse' \
		"$out/build.log" >&2; then
		echo "dfuse.ko in the tree of $release: the W=1 build has warnings" >&2
		exit 1
	fi
	cp "$kdir/drivers/usb/class/dfuse/dfuse.ko" "$kdir/drivers/usb/class/dfuse/dfuse_kunit.ko" "$out/"
	exec 7>&-
else
	mkdir -p "$out/kernel" "$out/include/uapi/linux"
	for f in "$top"/kernel/*.[ch] "$top"/kernel/Kbuild "$top"/include/uapi/linux/dfuse.h; do
		case $f in */include/*) d=$out/include/uapi/linux ;; *) d=$out/kernel ;; esac
		case $f in *.mod.c) continue ;; esac
		cmp -s "$f" "$d/$(basename "$f")" || cp "$f" "$d/"
	done
	# from clean, so that every warning is seen every time
	make -C "$kdir" M="$out/kernel" clean >/dev/null 2>&1 || true
	if ! make -C "$kdir" M="$out/kernel" -j"$(nproc)" W=1 modules >"$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		exit 1
	fi
	if grep -E "^$out/(kernel|include)/.*(warning|error):" "$out/build.log" >&2; then
		echo "dfuse.ko for $release: the W=1 compile has warnings" >&2
		exit 1
	fi
	cp "$out/kernel/dfuse.ko" "$out/dfuse.ko"
fi

# the deliberate-fault module beside it: the sanitizer kernel's detector
# self-test, and the harness self-test on every kernel
mkdir -p "$out/faults"
cp "$top"/tests/vm/faults/* "$out/faults/"
make -C "$kdir" M="$out/faults" modules >"$out/faults/build.log" 2>&1 ||
	{ cat "$out/faults/build.log" >&2; exit 1; }
cp "$out/faults/dfuse_faults.ko" "$out/"
