#!/bin/sh
# Count TAP results of every layer (build/results/*.tap) into one line:
# "N passed, N failed, K rerun" (a rerun: a VM booted again because its
# kernel did not reach init; run-tests.sh says each one in a "# rerun:"
# line).
# usage: summarize.sh DIR LAYER...    each LAYER must have produced results
dir=$1
shift
passed=$(cat "$dir"/*.tap 2>/dev/null | grep -c '^ok ')
failed=$(cat "$dir"/*.tap 2>/dev/null | grep -c '^not ok ')
reruns=$(cat "$dir"/*.tap 2>/dev/null | grep -c '^# rerun: ')
for f in "$@"; do
	if [ ! -s "$dir/$f.tap" ]; then
		echo "not ok - $f: produced no results"
		failed=$((failed + 1))
	fi
done
cat "$dir"/*.tap 2>/dev/null | grep '^# rerun: '
cat "$dir"/*.tap 2>/dev/null | grep '^not ok ' | sed 's/^/FAILED: /'
echo "$passed passed, $failed failed, $reruns rerun"
[ "$failed" -eq 0 ]
