#!/bin/sh
# Run each libFuzzer harness for SECONDS from its seed corpus, then every
# regression input (each once a crash or a wrong result): TAP, one line
# per harness with its time and executions; a finding fails it and names
# the input libFuzzer saved. Two harnesses at a time (each is one process:
# two fill a 2-core machine); lines in harness order.
# usage: run.sh BUILD_DIR SECONDS
build=$1 secs=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
harnesses="dfuse dfu ihex srec elf pack memmap quirks"

# one FZ: its TAP line (without a number) in $build/fuzz_FZ.tap
one() {
	fz=$1
	bin=$build/fuzz_$fz
	corpus=$build/corpus/$fz
	mkdir -p "$corpus" "$build/findings/$fz"
	cp "$top"/tests/fuzz/seeds/$fz/* "$corpus/" 2>/dev/null
	log=$build/fuzz_$fz.log
	(cd "$build/findings/$fz" && "$bin" -max_total_time="$secs" -max_len=65536 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$corpus" >"$log" 2>&1)
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	reg=$(ls "$top"/tests/fuzz/regressions/$fz/* 2>/dev/null)
	if [ $st -eq 0 ] && [ -n "$reg" ]; then
		"$bin" $reg >"$build/fuzz_$fz.regressions.log" 2>&1 || st=$?
	fi
	if [ $st -eq 0 ]; then
		echo "ok - fuzz $fz: $secs s, ${runs:-?} executions, $(echo "$reg" | grep -c .) regression inputs, no finding"
	else
		echo "not ok - fuzz $fz: a finding (exit $st); input in $build/findings/$fz"
		grep -A12 'ERROR: \|runtime error\|deadly signal' "$log" "$build/fuzz_$fz.regressions.log" 2>/dev/null | head -20 | sed 's/^/# /'
	fi >"$build/fuzz_$fz.tap"
}

set -- $harnesses
while [ $# -gt 0 ]; do
	one "$1" &
	[ $# -gt 1 ] && one "$2" &
	wait
	shift; [ $# -gt 0 ] && shift
done
n=0 bad=0
for fz in $harnesses; do
	n=$((n + 1))
	cat "$build/fuzz_$fz.tap"
	grep -q '^not ok' "$build/fuzz_$fz.tap" && bad=$((bad + 1))
done
echo "1..$n"
[ $bad -eq 0 ]
