#!/bin/bash
# Run one TAP-printing test program on the host and judge it whole: its
# lines are passed on, then one more line says whether it exited 0 and
# printed exactly the results its plan ("1..N") announced. A program that
# crashes after 50 "ok" lines, or whose output a crash cut short, fails.
# usage: tap-run.sh NAME CMD [ARG...]
set -u
name=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out" 2>"$out.err" </dev/null
st=$?
cat "$out"
planned=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$out" | head -1)
results=$(grep -cE '^(ok|not ok)( |$)' "$out")
if [ "$st" -eq 0 ] && [ -n "$planned" ] && [ "$planned" -eq "$results" ]; then
	echo "ok - $name: exits 0 and meets its plan ($results)"
else
	echo "not ok - $name: exits 0 and meets its plan (exit $st, plan ${planned:-none}, ran $results)"
	tail -20 "$out.err" | sed 's/^/# stderr: /'
fi
rm -f "$out.err"
exit "$st"
