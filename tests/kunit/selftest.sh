#!/bin/bash
# The KUnit table really comes from the vector file: break one expected
# line and the matching case must fail, then restore the real table.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/0x08010000 1x65536 rew; 0x08020000 1x131072 rew$/0x08010000 1x65536 rew; 0x08020000 1x131072 re/' \
	"$top/tests/kunit/memmaps.txt" >"$tmp/memmaps.txt"
if cmp -s "$tmp/memmaps.txt" "$top/tests/kunit/memmaps.txt"; then
	echo "not ok - kunit-selftest: could break a line of memmaps.txt"
	exit 1
fi
out=$(VECTORS="$tmp/memmaps.txt" "$top/tests/kunit/run.sh")
if grep -q '^not ok - kunit: memmaps.txt:9 ' <<<"$out"; then
	echo "ok - kunit-selftest: breaking memmaps.txt line 9 fails its case"
else
	echo "not ok - kunit-selftest: breaking memmaps.txt line 9 fails its case"
fi
failures=$(echo "$out" | grep -c '^not ok')
if [ "$failures" -eq 1 ]; then
	echo "ok - kunit-selftest: and only that case"
else
	echo "not ok - kunit-selftest: and only that case ($failures failed)"
fi
