#!/bin/bash
# Run dfuse's KUnit suites on UML with kunit.py from Debian's linux-source-6.1.
# The pure sources are copied into the (cached) tree as drivers/misc/dfuse;
# the parser's case table is generated from the vector files every run.
# Prints flat TAP ("ok - kunit: SUITE CASE"); the UML build dir is cached.
# Env: VECTORS="file ..." overrides the vector files (used by selftest.sh).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$("$top/scripts/linux-source.sh") || exit 1
cache=$(dirname "$src")
dst=$src/drivers/misc/dfuse
vectors=${VECTORS:-"$top/tests/kunit/memmaps.txt $top/tests/kunit/memmaps-extra.txt"}

# one KUnit run at a time: two checkouts share the cached tree and build
exec 9>"$cache/kunit.lock"
flock 9
mkdir -p "$dst"
install_if_changed() { cmp -s "$1" "$2" || cp "$1" "$2"; }
for f in memmap.c memmap.h memmap_kunit.c plan.c plan.h plan_kunit.c engine.c engine.h engine_priv.h engine_poll.c engine_fake.c engine_fake.h engine_kunit.c engine_poll_kunit.c quirks.c quirks.h quirks_kunit.c; do
	install_if_changed "$top/kernel/$f" "$dst/$f"
done
# the driver's own Kconfig and Kbuild, as in a kernel tree (UML has no USB:
# only the tests' symbol is set); the uapi header where the tree has its own
install_if_changed "$top/include/uapi/linux/dfuse.h" "$src/include/uapi/linux/dfuse.h"
install_if_changed "$top/kernel/Kconfig" "$dst/Kconfig"
install_if_changed "$top/kernel/Kbuild" "$dst/Kbuild"
rm -f "$dst/Makefile" && rm -rf "$dst/include"
# shellcheck disable=SC2086
python3 "$top/tests/kunit/gen-memmap-vectors.py" $vectors >"$dst/memmap_vectors.h.new" || exit 1
install_if_changed "$dst/memmap_vectors.h.new" "$dst/memmap_vectors.h"
grep -q 'drivers/misc/dfuse/Kconfig' "$src/drivers/misc/Kconfig" ||
	sed -i '$i source "drivers/misc/dfuse/Kconfig"' "$src/drivers/misc/Kconfig"
sed -i '/obj-$(CONFIG_DFUSE_KUNIT_TEST)/d' "$src/drivers/misc/Makefile"
grep -q 'USB_DFUSE_KUNIT_TEST' "$src/drivers/misc/Makefile" ||
	echo 'obj-$(CONFIG_USB_DFUSE_KUNIT_TEST) += dfuse/' >>"$src/drivers/misc/Makefile"

log=$top/build/kunit.log
mkdir -p "$top/build"
(cd "$src" && ./tools/testing/kunit/kunit.py run --build_dir="$cache/kunit-build" \
	--kunitconfig="$top/kernel/.kunitconfig" --jobs="$(nproc)" --timeout=300) >"$log" 2>&1
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
grep -E 'Testing complete|FAILED|CRASHED|Error|error:' "$log" | head -20 | sed 's/^/# /'
if [ $status -ne 0 ] && ! grep -q '\[FAILED\]\|\[CRASHED\]' "$log"; then
	echo "not ok - kunit: kunit.py ran (exit $status, see build/kunit.log)"
fi
exit $status
