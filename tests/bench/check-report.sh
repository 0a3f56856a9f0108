#!/bin/bash
# TAP checks of a report.sh output: docs/benchmarks.md must render, so every
# table is one header line, a separator and rows with the header's column
# count, and the targets table names each target with a verdict.
# With --met (make bench) every target must also be met.
# usage: check-report.sh [--met] BENCHMARKS_MD
set -uo pipefail
met=0
if [ "$1" = --met ]; then met=1; shift; fi
md=$1
if [ ! -s "$md" ]; then
	echo "not ok - bench report: $md was written"
	exit 0
fi

bad=$(awk '
	# cells in a table line: the pipes less the leading one
	function cells(l) { return gsub(/\|/, "|", l) - 1 }
	/^\|/ {
		if (!/\|$/) { print FILENAME ":" FNR ": table line does not end in |"; n = 0; next }
		if (n == 0) { want = cells($0); n = 1; next }
		if (n == 1 && $0 !~ /^\|( *---+ *\|)+$/) print FILENAME ":" FNR ": no separator after the header"
		if (cells($0) != want) print FILENAME ":" FNR ": " cells($0) " cells, the header has " want
		n++; next
	}
	n == 1 { print FILENAME ":" FNR - 1 ": a header with no rows" }
	{ n = 0 }
	/^ *\| *[a-z]/ { print FILENAME ":" FNR ": table line starts with a space" }' "$md")
if [ -z "$bad" ]; then
	echo "ok - bench report: every table in $(basename "$md") is well formed"
else
	echo "not ok - bench report: every table in $(basename "$md") is well formed"
	echo "$bad" | sed 's/^/# /'
fi

# The targets: one row each, with met, missed or n/a
targets=$(awk '/^## Targets/ { t = 1; next } /^## / { t = 0 }
	t && /^\| / && !/^\| target / && !/^\| --- /' "$md")
rows=$(printf '%s\n' "$targets" | grep -c . || true)
judged=$(printf '%s\n' "$targets" | grep -cE '\| (met|missed|n/a) \|$' || true)
if [ "$rows" -ge 10 ] && [ "$rows" = "$judged" ]; then
	echo "ok - bench report: $rows targets, each met, missed or n/a"
else
	echo "not ok - bench report: $rows targets, each met, missed or n/a ($judged judged)"
fi
unmet=$(printf '%s\n' "$targets" | grep -vE '\| met \|$' | grep . || true)
if [ $met = 1 ] && [ -z "$unmet" ]; then
	echo "ok - bench: every target met ($rows)"
elif [ $met = 1 ]; then
	echo "not ok - bench: every target met"
	printf '%s\n' "$unmet" | sed 's/^/# /'
fi
