#!/bin/bash
# Build (once, cached) a sanitizer kernel of the VM matrix: lane "debug" from
# Debian's linux-source-6.1, lane "debug7" from the 7 lane's linux-source-7.x
# (a pristine copy: that tree is configured in place). Tinyconfig, what the test VM needs built in (serial
# console, initramfs, devtmpfs, USB core, USB/IP vhci-hcd, AF_UNIX,
# generic netlink, modules), and the kernel's own judges: KASAN,
# lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP, kmemleak, UBSAN,
# DEBUG_LIST, DEBUG_OBJECTS, refcount checks and the hung-task detector.
# debug7 also has dfuse's upstream series in its tree (tests/vm/intree.config):
# build-module.sh builds the driver and its KUnit suites there, in-tree;
# and fault injection (tests/vm/debug7.config).
# Prints the same key=value lines as vm-kernel.sh.
# usage: debug-kernel.sh debug|debug7 [SRC]   (SRC: the configured 7.x tree)
set -euo pipefail
lane=${1:-debug}
top=$(cd "$(dirname "$0")/.." && pwd)
cache="${DFUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dfuse}"
frag=$top/tests/vm/debug.config
frags=("$frag")
mkdir -p "$cache"
# one build of a lane at a time (make check's background build and a lane)
exec 9>"$cache/$lane-kernel.lock"
flock 9
case $lane in
debug) src=$("$top/scripts/linux-source.sh") ;;
debug7)
	configured=${2:?debug-kernel.sh debug7 needs the 7.x source tree}
	src=$cache/debug7-source-$(basename "$configured")
	if [ ! -f "$src/.pristine" ]; then
		echo "dfuse: a pristine copy of $configured in $src (hard links)" >&2
		rm -rf "$src"
		cp -al "$configured" "$src"
		make -s -C "$src" mrproper >/dev/null
		touch "$src/.pristine"
	fi
	frags+=("$top/tests/vm/intree.config" "$top/tests/vm/debug7.config")
	# the series' files, as they are now (the kernel's config needs its
	# Kconfig; build-module.sh rebuilds the driver from them)
	"$top/scripts/series-into-tree.sh" "$configured" "$src"
	;;
*) echo "debug-kernel.sh: no sanitizer lane '$lane'" >&2; exit 2 ;;
esac
# build_kernel SRC OUT: configure and build; OUT/.ready when done
build_kernel() {
	local src=$1 out=$2 missing
	make -s -C "$src" O="$out" tinyconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${frags[@]}" >/dev/null
	make -s -C "$src" O="$out" olddefconfig >/dev/null
	# every option of the fragment that this kernel has must have
	# survived olddefconfig (7.x has no PROC_SYSCTL option, say)
	find "$src" -name 'Kconfig*' -exec sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config \([A-Z0-9_]*\).*/CONFIG_\2/p' {} + |
		sort -u >"$out/symbols"
	missing=$(cat "${frags[@]}" | grep '^CONFIG_' | while read -r line; do
		grep -qx "${line%%=*}" "$out/symbols" || continue
		grep -qx "$line" "$out/.config" || echo "$line"
	done)
	if [ -n "$missing" ]; then
		echo "dfuse: the sanitizer kernel's config lost: $missing" >&2
		return 1
	fi
	# modules (dfuse's, in debug7) for Module.symvers: 7.x's modpost
	# fails an out-of-tree module whose kernel symbols it cannot resolve
	make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules_prepare modules >"$out/build.log" 2>&1 ||
		{ tail -30 "$out/build.log" >&2; return 1; }
	mkdir -p "$out/vm-modules"
	: >"$out/vm-modules/order"	# USB and vhci-hcd are built in
	touch "$out/.ready"
}

# the cache key: the config fragment, the source and the recipe
key=$( (cat "${frags[@]}"; echo "$src"; declare -f build_kernel) | sha1sum | cut -c1-12)
out=$cache/$lane-kernel-$key

# the build dir points at its source tree by path: a moved cache is stale
if [ -f "$out/.ready" ] && [ "$(readlink -f "$out/source")" != "$(readlink -f "$src")" ]; then
	rm -f "$out/.ready"
fi
if [ ! -f "$out/.ready" ]; then
	echo "dfuse: building the sanitizer kernel in $out (~16 min on 2 cores, once)" >&2
	rm -rf "$cache/$lane"-kernel-*
	mkdir -p "$out"
	build_kernel "$src" "$out"
fi
echo "name=$lane"
echo "release=$(cat "$out/include/config/kernel.release")-debug"
echo "vmlinuz=$out/arch/x86/boot/bzImage"
echo "moddir=$out/vm-modules"
echo "kdir=$out"
echo "debug=1"
# debug7: the driver is built in this tree (build-module.sh)
[ ${#frags[@]} = 1 ] || echo "intree=$src"
# kmemleak's two scans at each test's end take longer with more memory
# (18.6 s at 1024 MiB, 12.8 s at 512 on 6.1); the tests need less than 512
echo "mem=512"
