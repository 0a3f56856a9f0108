#!/bin/bash
# Build (once, cached) the sanitizer kernel of the VM matrix from Debian's
# linux-source-6.1: tinyconfig, what the test VM needs built in (serial
# console, initramfs, devtmpfs, USB core, USB/IP vhci-hcd, AF_UNIX,
# generic netlink, modules), and the kernel's own judges: KASAN,
# lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP, kmemleak, UBSAN,
# DEBUG_LIST, DEBUG_OBJECTS, refcount checks and the hung-task detector.
# Prints the same key=value lines as vm-kernel.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache="${DFUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dfuse}"
src=$("$top/scripts/linux-source.sh")
frag=$top/tests/vm/debug.config
# the config fragment is part of the cache key: change it, rebuild
key=$(cat "$frag" "$0" | sha1sum | cut -c1-12)
out=$cache/debug-kernel-$key

# the build dir points at its source tree by path: a moved cache is stale
if [ -f "$out/.ready" ] && [ "$(readlink -f "$out/source")" != "$(readlink -f "$src")" ]; then
	rm -f "$out/.ready"
fi
if [ ! -f "$out/.ready" ]; then
	echo "dfuse: building the sanitizer kernel in $out (~5 min, once)" >&2
	rm -rf "$cache"/debug-kernel-*
	mkdir -p "$out"
	make -s -C "$src" O="$out" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" >/dev/null
	make -s -C "$src" O="$out" olddefconfig >/dev/null
	# every option of the fragment must have survived olddefconfig
	missing=$(grep '^CONFIG_' "$frag" | while read -r line; do
		grep -qx "$line" "$out/.config" || echo "$line"
	done)
	if [ -n "$missing" ]; then
		echo "dfuse: the sanitizer kernel's config lost: $missing" >&2
		exit 1
	fi
	make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules_prepare >"$out/build.log" 2>&1 ||
		{ tail -30 "$out/build.log" >&2; exit 1; }
	mkdir -p "$out/vm-modules"
	: >"$out/vm-modules/order"	# USB and vhci-hcd are built in
	touch "$out/.ready"
fi
echo "name=debug"
echo "release=$(cat "$out/include/config/kernel.release")-debug"
echo "vmlinuz=$out/arch/x86/boot/bzImage"
echo "moddir=$out/vm-modules"
echo "kdir=$out"
echo "debug=1"
