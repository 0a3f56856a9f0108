#!/bin/bash
# checkpatch.pl --strict (Debian's linux-source-6.1), W=1 and sparse on kernel/.
# Prints what they find; exits non-zero if either finds anything.
# usage: lint.sh KDIR
set -uo pipefail
kdir=$1
top=$(cd "$(dirname "$0")/.." && pwd)
src=$("$top/scripts/linux-source.sh") || exit 1
status=0

# checkpatch of the oldest and the newest kernel we build for: the newer
# one knows of deprecated APIs the older one does not.
new=$("$top/scripts/vm-kernel.sh" 7 | sed -n 's/^kdir=//p') || new=""

# CAMELCASE is off: USB descriptor fields keep the spec's names, as in
# include/uapi/linux/usb/ch9.h (checkpatch --no-tree cannot see that).
# ALLOC_WITH_SIZEOF is off: the kmalloc_obj() it asks for is 7.x only, and
# one source builds on 6.1 too.
for tree in "$src" $new; do
	echo "== $(basename "$tree") checkpatch.pl --strict kernel/"
	out=$("$tree/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,CAMELCASE,ALLOC_WITH_SIZEOF \
		-f $(ls "$top"/kernel/*.[ch] | grep -v '\.mod\.c$') "$top"/include/uapi/linux/dfuse.h 2>&1 |
		grep -v '^total: 0 errors, 0 warnings, 0 checks')
	if [ -n "$out" ]; then echo "$out"; status=1; else echo "clean"; fi
done
[ -n "$new" ] || { echo "the 7.x tree could not be prepared"; status=1; }

echo "== the netlink spec against the genetlink schema of the 7.x tree and the uapi header"
out=$("$top/scripts/check-netlink-spec.py" "$top/kernel/Documentation/netlink/specs/dfuse.yaml" \
	"$top/include/uapi/linux/dfuse.h" ${new:+"$new/Documentation/netlink/genetlink.yaml"} 2>&1)
if grep -q '^not ok\|Error\|Traceback' <<<"$out"; then echo "$out"; status=1; else echo "clean"; fi

echo "== W=1 and sparse (C=2) kernel/"
out=$(make -s -C "$kdir" M="$top/kernel" W=1 C=2 modules 2>&1 |
	grep -E "^$top/(kernel|include)/.*(warning|error)")
if [ -n "$out" ]; then echo "$out"; status=1; else echo "clean"; fi
exit $status
