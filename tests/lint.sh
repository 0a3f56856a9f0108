#!/bin/bash
# checkpatch.pl --strict (Debian's linux-source-6.1) and sparse on kernel/.
# Prints what they find; exits non-zero if either finds anything.
# usage: lint.sh KDIR
set -uo pipefail
kdir=$1
top=$(cd "$(dirname "$0")/.." && pwd)
src=$("$top/scripts/linux-source.sh") || exit 1
status=0

echo "== checkpatch.pl --strict kernel/"
out=$("$src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$top"/kernel/*.[ch] "$top"/include/uapi/linux/dfuse.h 2>&1 |
	grep -v '^total: 0 errors, 0 warnings, 0 checks')
if [ -n "$out" ]; then echo "$out"; status=1; else echo "clean"; fi

echo "== sparse (C=2) kernel/"
out=$(make -s -C "$kdir" M="$top/kernel" C=2 CHECK="sparse -Wsparse-all -Wno-declaration-after-statement" modules 2>&1 |
	grep -v '^make\|Skipping BTF\|^  ' | grep -E 'warning|error' )
if [ -n "$out" ]; then echo "$out"; status=1; else echo "clean"; fi
exit $status
