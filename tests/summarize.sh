#!/bin/sh
# Count TAP results of every layer (build/results/*.tap) into one line.
# usage: summarize.sh DIR LAYER...    each LAYER must have produced results
dir=$1
shift
passed=$(cat "$dir"/*.tap 2>/dev/null | grep -c '^ok ')
failed=$(cat "$dir"/*.tap 2>/dev/null | grep -c '^not ok ')
for f in "$@"; do
	if [ ! -s "$dir/$f.tap" ]; then
		echo "not ok - $f: produced no results"
		failed=$((failed + 1))
	fi
done
cat "$dir"/*.tap 2>/dev/null | grep '^not ok ' | sed 's/^/FAILED: /'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
