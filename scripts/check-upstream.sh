#!/bin/bash
# make upstream: the patch series for the 6.1 tree (the KUnit layer's) and
# for the 7.x tree (the 7 lane's), in build/upstream/TREE/, each checked:
# git am takes it onto the tree's own files with no whitespace error and
# gives back kernel/'s sources, kernel-doc of that tree is clean on them,
# and checkpatch.pl --strict of that tree is
# clean on every patch (CamelCase of USB descriptor fields excepted: they
# keep the USB specification's names, as include/uapi/linux/usb/ch9.h does).
# Prints TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
trees="$("$top/scripts/linux-source.sh") $("$top/scripts/vm-kernel.sh" 7 2>/dev/null | sed -n 's/^kdir=//p')"
status=0
for tree in $trees; do
	name=$(basename "$tree")
	series=$top/build/upstream/$name
	if ! err=$("$top/scripts/upstream-series.sh" "$tree" "$series" 2>&1 >/dev/null); then
		echo "not ok - upstream $name: the series is made"
		echo "$err" | sed 's/^/# /'
		status=1
		continue
	fi
	# git am onto a repository of the tree's files the series touches
	repo=$(mktemp -d)
	git -C "$repo" init -q
	for f in $(cat "$series"/*.patch | sed -n 's|^--- a/||p' | sort -u); do
		mkdir -p "$repo/$(dirname "$f")"
		cp "$tree/$f" "$repo/$f"
	done
	git -C "$repo" add -A
	git -C "$repo" -c user.name=t -c user.email=t@t commit -qm base
	if out=$(git -C "$repo" -c user.name=t -c user.email=t@t am --whitespace=error-all "$series"/*.patch 2>&1) &&
		differ=$(for f in "$top"/kernel/*.[ch]; do
			case $f in *.mod.c) continue ;; esac
			b=$(basename "$f")
			# 7.x's kmalloc_obj() is the series' only change
			sed -E 's/\bk([mz])alloc_obj\(([^,]+), /k\1alloc(sizeof(\2), /' \
				"$repo/drivers/usb/class/dfuse/$b" 2>/dev/null | cmp -s - "$f" || echo "$b"
		done) && [ -z "$differ" ]; then
		echo "ok - upstream $name: git am takes the $(ls "$series"/*.patch | wc -l) patches, and they give the driver's sources"
	else
		echo "not ok - upstream $name: git am takes the patches, and they give the driver's sources"
		echo "$out" | tail -5 | sed 's/^/# /'
		[ -n "${differ:-}" ] && echo "# differ: $differ"
		status=1
	fi
	# kernel-doc of that tree on every source the series adds
	# (6.1's has no -Wall: its warnings are all on by default)
	wall=-Wall
	"$tree/scripts/kernel-doc" -none -Wall /dev/null >/dev/null 2>&1 || wall=
	files=$(cd "$repo" && ls drivers/usb/class/dfuse/*.[ch] include/uapi/linux/dfuse.h)
	out=$(cd "$repo" && "$tree/scripts/kernel-doc" -none $wall $files 2>&1)
	if [ $? -eq 0 ] && [ -z "$out" ]; then
		echo "ok - upstream $name: kernel-doc is clean on the series' sources ($(cd "$repo" && cat $files | grep -c '^/\*\*$') kernel-doc comments)"
	else
		echo "not ok - upstream $name: kernel-doc is clean on the series' sources"
		echo "$out" | head -10 | sed 's/^/# /'
		status=1
	fi
	rm -rf "$repo"
	for p in "$series"/*.patch; do
		out=$("$tree/scripts/checkpatch.pl" --strict --no-tree --terse --show-types "$p" 2>&1 |
			grep -v -E 'CAMELCASE: Avoid CamelCase: <(b|bm|bcd|w|i|id)[A-Z][A-Za-z]*>' |
			grep -v '^total: ')
		if [ -z "$out" ]; then
			echo "ok - upstream $name: checkpatch --strict is clean on $(basename "$p")"
		else
			echo "not ok - upstream $name: checkpatch --strict is clean on $(basename "$p")"
			echo "$out" | head -10 | sed 's/^/# /'
			status=1
		fi
	done
done
exit $status
