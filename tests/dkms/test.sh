#!/bin/bash
# DKMS as a lab machine uses it: dkms add, build -k, install -k for each
# kernel of Debian 12's (6.1 and 6.12 headers; neither is the running
# kernel), then dkms remove must leave nothing behind. The source goes to
# /usr/src/dfuse-VERSION as `make install` puts it, under a test version so
# that a real dfuse installation on this machine is not touched.
# Prints TAP; the module built for LOAD_LANE is copied to
# build/vm/dkms-LANE.ko for a VM test to load.
# usage: test.sh LANE...      (make dkms-test: 6.1 6.12)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
ok() { n=$((n + 1)); echo "ok $n - dkms: $*"; }
nok() { n=$((n + 1)); echo "not ok $n - dkms: $*"; }
check() { local d=$1; shift; if "$@" >"$log" 2>&1; then ok "$d"; else nok "$d"; tail -20 "$log" | sed 's/^/# /'; fi; }
log=$(mktemp)
made=()		# directories the test made in /lib/modules
trap 'rm -rf "$log" "${made[@]}"' EXIT

if ! command -v dkms >/dev/null; then
	nok "dkms is installed (apt-get install dkms)"
	echo "1..$n"
	exit 1
fi
base=$(cat "$top/VERSION")
ver="$base+dkmstest"
# one DKMS test at a time on this machine: the test version is shared
cache="${DFUSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dfuse}"
mkdir -p "$cache"
exec 7>"$cache/dkms-test.lock"
flock 7
src=/usr/src/dfuse-$ver

# what make install puts in /usr/src (scripts/dkms-source.sh)
cleanup() {
	dkms remove -m dfuse -v "$ver" --all >/dev/null 2>&1
	rm -rf "$src"
}
cleanup
check "source installed in $src" "$top/scripts/dkms-source.sh" "$src" "$ver"
check "dkms add dfuse/$ver" dkms add -m dfuse -v "$ver"

for lane in "$@"; do
	kernel=$("$top/scripts/vm-kernel.sh" "$lane")
	rel=$(sed -n 's/^release=//p' <<<"$kernel")
	[ -n "$rel" ] || { nok "kernel $lane prepared"; continue; }
	# A kernel the system does not have (6.12: only unpacked in the
	# cache) is named to DKMS by its headers' directory. DKMS installs
	# only into an existing /lib/modules/REL (an installed image's), so
	# the test makes that directory and removes it when it ends.
	from=()
	if [ ! -e "/lib/modules/$rel/build" ]; then
		from=(--kernelsourcedir "$(sed -n 's/^kdir=//p' <<<"$kernel")")
		if [ ! -e "/lib/modules/$rel" ]; then
			made+=("/lib/modules/$rel")
			mkdir "/lib/modules/$rel"
		fi
	fi
	if [ "$lane" != 6.1 ]; then
		# only 6.1 is the system's own kernel: the others are never
		# installed, and apt would pull the image in with the headers
		inst=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
			"linux-image-$rel*" "linux-headers-$rel*" 2>/dev/null | grep '^ii' || true)
		if [ -z "$inst" ]; then
			ok "$rel: neither its image nor its headers are installed in the system"
		else
			nok "$rel: neither its image nor its headers are installed in the system"
			sed 's/^/# installed: /' <<<"$inst"
		fi
	fi
	check "dkms build -k $rel" dkms build -m dfuse -v "$ver" -k "$rel" "${from[@]}"
	check "dkms install -k $rel" dkms install -m dfuse -v "$ver" -k "$rel" "${from[@]}"
	ko=$(ls /lib/modules/"$rel"/updates/dkms/dfuse.ko* 2>/dev/null | head -1)
	if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$rel "; then
		ok "$rel: $ko has vermagic $rel"
	else
		nok "$rel: installed dfuse.ko for $rel (found '${ko:-none}')"
	fi
	if dkms status -m dfuse -v "$ver" -k "$rel" 2>/dev/null | grep -q 'installed'; then
		ok "$rel: dkms status says installed"
	else
		nok "$rel: dkms status says installed"
		dkms status | sed 's/^/# /'
	fi
	# the module a VM test loads (decompressed if dkms compressed it)
	mkdir -p "$top/build/vm"
	case $ko in
	*.xz) xz -dc "$ko" >"$top/build/vm/dkms-$lane.ko" ;;
	*.zst) zstd -qdc "$ko" >"$top/build/vm/dkms-$lane.ko" ;;
	*.ko) cp "$ko" "$top/build/vm/dkms-$lane.ko" ;;
	esac
done

check "dkms remove --all" dkms remove -m dfuse -v "$ver" --all
left=$( (ls -d /var/lib/dkms/dfuse/"$ver" 2>/dev/null
	find /lib/modules -name 'dfuse.ko*' -path '*/updates/dkms/*' 2>/dev/null) | head -5)
if [ -z "$left" ]; then
	ok "dkms remove leaves no module and no dkms tree behind"
else
	nok "dkms remove leaves no module and no dkms tree behind"
	echo "$left" | sed 's/^/# left: /'
fi
rm -rf "$src"
echo "1..$n"
