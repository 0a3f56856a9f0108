#!/bin/bash
# Run dfuse's KUnit suites in a kernel tree, as they would run upstream:
# the 6.1 series of `make upstream` (scripts/upstream-series.sh) applied
# to a copy of Debian's linux-source-6.1 (hard links, cached; the copy
# takes the series' files), then `kunit.py run --kunitconfig
# drivers/usb/class/dfuse` on UML, W=1. The parser's case table is made
# from the vector files every run. Prints flat TAP ("ok - kunit: SUITE
# CASE"), and whether the driver's sources built W=1 clean in the tree.
# Env: VECTORS="file ..." overrides the vector files (used by selftest.sh).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$("$top/scripts/linux-source.sh") || exit 1
cache=$(dirname "$src")
vectors=${VECTORS:-"$top/tests/kunit/memmaps.txt $top/tests/kunit/memmaps-extra.txt"}
tree=$cache/kunit-tree-6.1
dir=drivers/usb/class/dfuse

# one KUnit run at a time: two checkouts share the cached tree and build
exec 9>"$cache/kunit.lock"
flock 9
# what this script once put into the shared tree itself is taken out
if [ -d "$src/drivers/misc/dfuse" ]; then
	sed -i '\|drivers/misc/dfuse/Kconfig|d' "$src/drivers/misc/Kconfig"
	sed -i '/USB_DFUSE_KUNIT_TEST/d' "$src/drivers/misc/Makefile"
	rm -rf "$src/drivers/misc/dfuse" "$src/include/uapi/linux/dfuse.h"
fi
if [ ! -f "$tree/.ready" ]; then
	rm -rf "$tree"
	cp -al "$src" "$tree" && touch "$tree/.ready" || exit 1
fi
VECTORS=$vectors "$top/scripts/series-into-tree.sh" "$src" "$tree" || exit 1

log=$top/build/kunit.log
mkdir -p "$top/build"
build=$cache/kunit-build-usb
# An empty build dir: the first make tests W=1's extra warnings
# (cc-option, with -Wmissing-include-dirs already on) before it has made
# arch/x86/include/generated, so every test fails, the whole UML build
# goes without those warnings, and the next run builds everything again
# with them (kunit-selftest: 444 s on an empty cache, ~30 s after).
# Configured and archprepare'd first, the first build has them all.
if [ ! -d "$build/arch/x86/include/generated/uapi" ]; then
	(cd "$tree" && ./tools/testing/kunit/kunit.py config --build_dir="$build" \
		--kunitconfig="$dir" --make_options W=1 &&
	 make -s ARCH=um O="$build" W=1 archprepare) >"$log.prepare" 2>&1 ||
		echo "not ok - kunit: the UML build dir is configured and prepared (see $log.prepare)"
fi
(cd "$tree" && ./tools/testing/kunit/kunit.py run --build_dir="$build" \
	--kunitconfig="$dir" --make_options W=1 --jobs="$(nproc)" --timeout=300) >"$log" 2>&1
status=$?
# Leaf results: "[PASSED] name" lines that are not a suite or case banner.
sed -n 's/^\[[0-9:]*\] \[\(PASSED\|FAILED\|CRASHED\|SKIPPED\)\] \(.*\)/\1 \2/p' "$log" |
	while read -r res name; do
		case $res in
		PASSED) echo "ok - kunit: $name" ;;
		SKIPPED) echo "not ok - kunit: $name (skipped: every case must run)" ;;
		*) echo "not ok - kunit: $name" ;;
		esac
	done
# (the build log names files by their path in the tree's copy)
warnings=$(grep -E "(^|/)($dir/|include/uapi/linux/dfuse\.h)[^ ]*: (warning|error):" "$log")
if [ -z "$warnings" ] && grep -q "Testing complete" "$log"; then
	echo "ok - kunit: the driver and its suites build in drivers/usb/class/dfuse of Linux 6.1, W=1 clean"
else
	echo "not ok - kunit: the driver and its suites build in drivers/usb/class/dfuse of Linux 6.1, W=1 clean"
	echo "$warnings" | head -20 | sed 's/^/# /'
fi
grep -E 'Testing complete|FAILED|CRASHED|Error|error:' "$log" | head -20 | sed 's/^/# /'
if [ $status -ne 0 ] && ! grep -q '\[FAILED\]\|\[CRASHED\]' "$log"; then
	echo "not ok - kunit: kunit.py ran (exit $status, see build/kunit.log)"
fi
exit $status
