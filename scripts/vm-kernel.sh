#!/bin/bash
# Prepare one kernel of the VM test matrix and print what the harness needs:
#   release=<uname -r>  vmlinuz=<file>  moddir=<dir of the kernel's .ko>
#   kdir=<tree to build dfuse.ko against>  name=<lane as shown in output>
#
# usage: vm-kernel.sh LANE      LANE is one of:
#   6.1    Debian 12's stock kernel (what linux-image-amd64 depends on)
#   6.12   the newest 6.12.*+deb12 from bookworm-security
#   7      the newest 7.x of sid and trixie-backports
#   debug  6.1 source, tinyconfig + USB/IP + KASAN, lockdep, kmemleak, UBSAN
#   debug7 the same on the 7 lane's 7.x source
#
# Only the 6.1 lane's kernel is the system's own. The other kernels are
# never installed: 6.12's image, headers and kbuild come from
# bookworm-security with apt-get download, trixie's and sid's with a private
# apt state, and all are unpacked under the cache. Everything lands in
# $DFUSE_CACHE (default ~/.cache/dfuse), reused when present, never needed.
set -euo pipefail
lane=${1:?usage: vm-kernel.sh 6.1|6.12|7|debug|debug7}
top=$(cd "$(dirname "$0")/.." && pwd)
cache="${DFUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dfuse}"
mkdir -p "$cache/kernels"
# one preparation at a time: two checkouts share this cache
exec 8>"$cache/vm-kernel.lock"
flock 8
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { echo "dfuse: $*" >&2; }

# Unpack the modules the VM needs (vhci-hcd and what it depends on),
# decompressed, into DIR, from a tree that has modules.dep.
# usage: vm_modules MODROOT RELEASE DIR
vm_modules() {
	local modroot=$1 rel=$2 dir=$3 m f
	local dep=$modroot/lib/modules/$rel/modules.dep
	# packages ship no modules.dep: depmod makes it at install time
	[ -f "$dep" ] || depmod -b "$modroot" "$rel" 2>/dev/null
	[ -f "$dep" ] || { log "no $dep"; return 1; }
	rm -rf "$dir.new"
	mkdir -p "$dir.new"
	# modules.dep: "path: dep dep"; load order is deps (reversed) then it
	m=$(grep -E '/vhci-hcd\.ko(\.xz|\.zst|\.gz)?:' "$dep") ||
		{ log "vhci-hcd is not a module of $rel"; return 1; }
	: >"$dir.new/order"
	for f in $(echo "${m#*:}" | tr ' ' '\n' | tac) "${m%%:*}"; do
		local src=$modroot/lib/modules/$rel/$f base
		base=$(basename "$f")
		case $f in
		*.xz) xz -dc "$src" >"$dir.new/${base%.xz}" ;;
		*.zst) zstd -qdc "$src" >"$dir.new/${base%.zst}" ;;
		*.gz) gzip -dc "$src" >"$dir.new/${base%.gz}" ;;
		*) cp "$src" "$dir.new/$base" ;;
		esac
		base=${base%.xz}
		base=${base%.zst}
		echo "${base%.gz}" >>"$dir.new/order"
	done
	rm -rf "$dir"
	mv "$dir.new" "$dir"
}

# Newest package name matching REGEX in the given apt configuration.
newest_pkg() {
	local re=$1
	shift
	apt-cache "$@" search --names-only "$re" 2>/dev/null | cut -d' ' -f1 |
		sort -V | tail -1
}

lane_61() {
	local rel
	rel=$(dpkg-query -W -f='${Depends}' linux-image-amd64 |
		sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
	[ -n "$rel" ] || { log "linux-image-amd64 is not installed"; exit 1; }
	local out=$cache/kernels/$rel
	[ -f "$out/modules/order" ] || vm_modules / "$rel" "$out/modules"
	emit 6.1 "$rel" "/boot/vmlinuz-$rel" "$out/modules" "/usr/src/linux-headers-$rel"
}

lane_612() {
	local pkg rel out kbuild
	pkg=$(newest_pkg '^linux-image-6\.12\.[0-9]*\+deb12-amd64-unsigned$')
	if [ -z "$pkg" ]; then	# apt's lists may never have been fetched
		$SUDO apt-get update -qq >/dev/null
		pkg=$(newest_pkg '^linux-image-6\.12\.[0-9]*\+deb12-amd64-unsigned$')
	fi
	[ -n "$pkg" ] || { log "no linux-image-6.12.*+deb12-amd64-unsigned in apt's lists (bookworm-security)"; exit 1; }
	rel=${pkg#linux-image-}
	rel=${rel%-unsigned}
	kbuild=linux-kbuild-${rel%-amd64}
	out=$cache/kernels/$rel
	if [ ! -f "$out/.headers" ]; then
		log "fetching $pkg, its headers and $kbuild (bookworm-security) into $out"
		rm -rf "$out"
		mkdir -p "$out/deb"
		(cd "$out/deb" && apt-get download -q "$pkg" "linux-headers-$rel" \
			"linux-headers-${rel%-amd64}-common" "$kbuild" \
			2>&1 >/dev/null | grep -v unsandboxed >&2 || true)
		for pkg in "$out"/deb/*.deb; do dpkg-deb -x "$pkg" "$out/root"; done
		rm -rf "$out/deb"
		# the headers include their common half by its absolute path
		sed -i "s|^include /usr/src/|include $out/root/usr/src/|" \
			"$out/root/usr/src/linux-headers-$rel/Makefile"
		[ -f "$out/root/boot/vmlinuz-$rel" ] &&
			[ -x "$out/root/usr/lib/$kbuild/scripts/basic/fixdep" ] ||
			{ log "$out: the 6.12 packages did not unpack"; exit 1; }
		touch "$out/.headers"
	fi
	[ -f "$out/modules/order" ] || vm_modules "$out/root" "$rel" "$out/modules"
	emit 6.12 "$rel" "$out/root/boot/vmlinuz-$rel" "$out/modules" \
		"$out/root/usr/src/linux-headers-$rel"
}

# A private apt for sid and trixie-backports: its own lists and archives
# under the cache, the system's sources and status untouched.
apt7() {
	local a=$cache/apt-7
	mkdir -p "$a/lists/partial" "$a/archives/partial"
	[ -f "$a/sources.list" ] || cat >"$a/sources.list" <<-EOF
		deb http://deb.debian.org/debian sid main
		deb http://deb.debian.org/debian trixie-backports main
	EOF
	APT7=(-o "Dir::Etc::sourcelist=$a/sources.list" -o Dir::Etc::sourceparts=-
	      -o "Dir::State::Lists=$a/lists" -o Dir::State::status=/dev/null
	      -o "Dir::Cache=$a" -o "Dir::Cache::archives=$a/archives")
}

lane_7() {
	local rel out pkg ver series src pver
	apt7
	out=$(ls -d "$cache"/kernels/7.*/.ready 2>/dev/null | sort -V | tail -1 || true)
	if [ -n "$out" ] && [ -z "${DFUSE_REFRESH_7:-}" ]; then
		# the newest we prepared before: no network needed
		rel=$(basename "$(dirname "$out")")
	else
		log "looking up the newest 7.x kernel in sid and trixie-backports"
		apt-get -q "${APT7[@]}" update >/dev/null
		pkg=$(newest_pkg '^linux-modules-7\.[0-9.]*\+deb[0-9]*-amd64$' "${APT7[@]}")
		[ -n "$pkg" ] || { log "no linux-modules-7.* in sid or trixie-backports"; exit 1; }
		rel=${pkg#linux-modules-}
	fi
	out=$cache/kernels/$rel
	if [ ! -f "$out/.ready" ]; then
		ver=${rel%%+*}			# 7.3.4
		series=${ver%.*}		# 7.3
		rm -rf "$out"
		mkdir -p "$out/deb"
		log "fetching Linux $rel (binary, modules, headers, linux-source-$series) into $out"
		[ -d "$cache/apt-7/lists" ] && ls "$cache"/apt-7/lists/*Packages* >/dev/null 2>&1 ||
			apt-get -q "${APT7[@]}" update >/dev/null
		# the source of exactly the modules' version (both suites carry
		# several linux-source-7.x versions)
		pver=$(apt-cache "${APT7[@]}" show "linux-modules-$rel" 2>/dev/null |
			sed -n 's/^Version: //p' | sort -V | tail -1)
		(cd "$out/deb" && apt-get -q "${APT7[@]}" download \
			"linux-binary-$rel" "linux-modules-$rel" "linux-headers-$rel" \
			"linux-source-$series=$pver" >/dev/null)
		for pkg in "$out"/deb/*.deb; do dpkg-deb -x "$pkg" "$out/root"; done
		rm -rf "$out/deb"
		# trixie's packages are merged-/usr: modules in /usr/lib/modules
		[ -e "$out/root/lib" ] || ln -s usr/lib "$out/root/lib"
		[ -e "$out/root/boot/vmlinuz-$rel" ] || {
			mkdir -p "$out/root/boot"
			ln -s "../lib/modules/$rel/vmlinuz" "$out/root/boot/vmlinuz-$rel"
		}
		vm_modules "$out/root" "$rel" "$out/modules"
		# Its kbuild binaries need a newer glibc and gcc-14: build the
		# module against the source configured like the headers.
		log "preparing linux-source-$series for modules (a few minutes, once)"
		tar -C "$out" -xf "$out"/root/usr/src/linux-source-"$series".tar.xz
		rm -f "$out"/root/usr/src/linux-source-"$series".tar.xz
		src=$out/linux-source-$series
		cp "$out/root/usr/src/linux-headers-$rel/.config" "$src/.config"
		make -s -C "$src" olddefconfig >/dev/null
		make -s -C "$src" -j"$(nproc)" modules_prepare KERNELRELEASE="$rel" >/dev/null
		cp "$out/root/usr/src/linux-headers-$rel/Module.symvers" "$src/"
		echo "$rel" >"$src/.dfuse-release"
		touch "$out/.ready"
	fi
	emit 7 "$rel" "$out/root/boot/vmlinuz-$rel" "$out/modules" \
		"$out/linux-source-$(v=${rel%%+*}; echo "${v%.*}")"
}

# The sanitizer kernels are built under their own lock (debug-kernel.sh),
# not this one: make check builds them in the background, at the lowest
# priority, while the stock lanes are prepared and run.
lane_debug() {
	exec 8>&-
	"$top/scripts/debug-kernel.sh" debug
}

# the 7.x sanitizer kernel is built from the 7 lane's source
lane_debug7() {
	local kdir
	kdir=$(lane_7 | sed -n 's/^kdir=//p')
	exec 8>&-
	"$top/scripts/debug-kernel.sh" debug7 "$kdir"
}

emit() {
	echo "name=$1"
	echo "release=$2"
	echo "vmlinuz=$3"
	echo "moddir=$4"
	echo "kdir=$5"
}

case $lane in
6.1) lane_61 ;;
6.12) lane_612 ;;
7 | 7.x) lane_7 ;;
debug) lane_debug ;;
debug7) lane_debug7 ;;
*) log "unknown kernel lane '$lane' (6.1, 6.12, 7, debug, debug7)"; exit 2 ;;
esac
