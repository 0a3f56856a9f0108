#!/bin/bash
# Put the files of dfuse's upstream series (scripts/upstream-series.sh,
# made against ORIG's own files) into TREE, a hard-linked copy of ORIG:
# a file that differs replaces its link, so ORIG is never written through
# it. With VECTORS, the KUnit case table is made from those vector files.
# usage: series-into-tree.sh ORIG TREE
set -euo pipefail
orig=${1:?usage: series-into-tree.sh ORIG TREE}
tree=${2:?usage: series-into-tree.sh ORIG TREE}
top=$(cd "$(dirname "$0")/.." && pwd)
files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
"$top/scripts/upstream-series.sh" "$orig" "$files/series" "$files/tree" >/dev/null
if [ -n "${VECTORS:-}" ]; then
	# shellcheck disable=SC2086
	python3 "$top/tests/kunit/gen-memmap-vectors.py" $VECTORS \
		>"$files/tree/drivers/usb/class/dfuse/memmap_vectors.h"
fi
(cd "$files/tree" && find . -type f) | while read -r f; do
	cmp -s "$files/tree/$f" "$tree/$f" && continue
	mkdir -p "$(dirname "$tree/$f")"
	cp --remove-destination "$files/tree/$f" "$tree/$f"
done
