#!/bin/bash
# make bench: dfuse against dfu-util 0.11 and the protocol bound, in one VM
# boot with QEMU -icount (virtual time: deterministic, idle time free).
# usage: bench.sh [--smoke] [PROFILES [SIZES]]
#   PROFILES  comma-separated emulator profiles (f407,l4,f4-rom,f4-answer,g0b1)
#   SIZES     comma-separated image sizes in bytes (262144,1048576)
#   --smoke   make check: tiny size, TAP only, docs/ left alone
# Results: build/bench/results.tsv (one row per run), build/bench/raw.txt;
# without --smoke also docs/benchmarks.md and docs/benchmarks.png, and it
# fails when a run, its check or a target of the report does.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
profiles=${1:-f407,l4,f4-rom,f4-answer,g0b1}
sizes=${2:-262144,1048576}
lane=6.1
out=$top/build/bench
[ $smoke = 1 ] && out=$top/build/bench-smoke
mkdir -p "$out"
emu=$top/tests/emu/dfuse-emu
data=$top/build/vm/data/bench
mkdir -p "$data"

# The flash each profile has on alt 0 (bytes), to preload the emulator.
span() { case $1 in l4 | g0b1) echo 524288 ;; *) echo 1048576 ;; esac; }

# Images, seeded so that two runs match: the new one, other firmware, and
# two with ~10% of the new one's bytes different:
#   chg  one run in the middle (at 1 MiB on the F4 it straddles two
#        128 KiB sectors: a quarter of the flash must be rewritten)
#   sec  the performance issue's case, 2 of the 12 F4 sectors changed at
#        1 MiB: the first 1/64 (sector 0, the vector table) and 11/128
#        from 1/8 on (inside sector 5); its bound, 3.0 s, is in the
#        issue's 2.1-3.2 s
gen() { (set +o pipefail; openssl enc -aes-128-ctr -pass "pass:$1" -nosalt -pbkdf2 </dev/zero 2>/dev/null | head -c "$2"); }
# overwrite FILE SEED OFFSET LENGTH: that range of FILE, with seeded bytes
overwrite() { gen "$2" "$4" | dd of="$1" seek="$3" oflag=seek_bytes conv=notrunc status=none; }
for s in ${sizes//,/ }; do
	gen "new$s" "$s" >"$data/$s.new"
	gen "old" 1048576 >"$data/$s.old"
	cp "$data/$s.new" "$data/$s.chg"
	overwrite "$data/$s.chg" "chg$s" $((s * 45 / 100)) $((s / 10))
	cp "$data/$s.new" "$data/$s.sec"
	overwrite "$data/$s.sec" "sec$s" 0 $((s / 64))
	overwrite "$data/$s.sec" "sec2$s" $((s / 8)) $((s * 11 / 128))
done
for p in ${profiles//,/ }; do span "$p" >"$data/$p.span"; done

. "$top/build/vm/$lane/kernel.env"
start=$(date +%s)
# the seed of the busy-time jitter (new-jitter runs)
export DFUSE_SEED=${BENCH_SEED:-1}
echo "# bench: jitter seed $DFUSE_SEED (BENCH_SEED=$DFUSE_SEED repeats it)" >&2
[ "${BENCH_REUSE:-0}" = 1 ] || VM_ICOUNT=1 VM_TIMEOUT=${BENCH_TIMEOUT:-3600} "$top/tests/vm/run-vm.sh" "$lane" \
	"$top/build/vm/$lane/dfuse.ko" "bench@$profiles:$sizes" >"$out/raw.txt" 2>&1 || true
echo "# bench: one VM boot, Linux $release, $(($(date +%s) - start)) s of real time" >&2

# bound PROFILE SIZE SCENARIO HOST: the compare-first bound (with the
# verify's reads for `dfuse flash`) and the any-host bound, in seconds
bound() {
	local prof=$1 s=$2 scen=$3 host=$4 pre out
	case $scen in
	new | new-jitter | boards-*) pre=$data/$s.old ;; blank) pre=blank ;; same) pre=$data/$s.new ;;
	changed) pre=$data/$s.chg ;; sectors) pre=$data/$s.sec ;;
	read) pre=blank ;;
	*) echo "0 0"; return ;;
	esac
	out=$("$emu" --profile "$prof" --bound "$pre:$data/$s.new:$s" | tr ' ' '\n')
	kv() { echo "$out" | sed -n "s/^$1=//p"; }
	if [ "$scen" = read ]; then
		awk -v r="$(kv read_bound_ms)" 'BEGIN { printf "%.3f %.3f\n", r / 1000, r / 1000 }'
	else
		awk -v w="$(kv write_bound_ms)" -v a="$(kv any_host_bound_ms)" -v v="$(kv verify_ms)" \
		    -v h="$host" 'BEGIN { if (h == "dfuse") w += v; printf "%.3f %.3f\n", w / 1000, a / 1000 }'
	fi
}

# results.tsv: the runs with their bound and ratios (the last run's is kept
# as previous.tsv: the report compares the two)
[ "${BENCH_REUSE:-0}" = 1 ] || { [ -f "$out/results.tsv" ] && mv "$out/results.tsv" "$out/previous.tsv"; }
{
	printf 'profile\tsize\thost\tscenario\tseconds\tresult\tbound_s\tx_bound\tx_dfu_util\tdnload\tupload\tgetstatus\tbusy_ms\tearly_polls\tcpu_ms\tany_bound_s\tx_any\n'
	grep '^R ' "$out/raw.txt" | while read -r _ prof s host scen secs res rest; do
		read -r b any < <(bound "$prof" "$s" "$scen" "$host")
		ref=$(awk -v k="$prof $s $scen" '$1 == "R" && $2 " " $3 " " $5 == k && $4 == "dfu-util" { print $6; exit }' "$out/raw.txt")
		kv() { echo "$rest" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
		awk -v p="$prof" -v s="$s" -v h="$host" -v sc="$scen" -v t="$secs" \
		    -v r="$res" -v b="$b" -v ref="${ref:-0}" -v dn="$(kv dnload)" \
		    -v up="$(kv upload)" -v gs="$(kv getstatus)" -v bu="$(kv busy_ms)" \
		    -v ea="$(kv early)" -v cpu="$(kv cpu_ms)" -v any="$any" 'BEGIN {
			xb = (b > 0) ? sprintf("%.3f", t / b) : "-"
			xr = (ref > 0) ? sprintf("%.3f", t / ref) : "-"
			xa = (any > 0) ? sprintf("%.3f", t / any) : "-"
			printf "%s\t%s\t%s\t%s\t%.3f\t%s\t%.3f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.3f\t%s\n", p, s, h, sc, t, r, b, xb, xr, dn, up, gs, bu, ea, cpu, any, xa }'
	done
} >"$out/results.tsv"

# TAP: every run finished and was byte-exact
runs=$(grep -c '^R ' "$out/raw.txt" || true)
bad=$(awk -F'\t' 'NR > 1 && $6 != "ok"' "$out/results.tsv" | wc -l)
tap=$out/tap.txt
{
	if [ "$runs" -gt 0 ] && grep -q '^1\.\.' "$out/raw.txt"; then
		echo "ok - bench: $runs runs on $profiles at $sizes bytes, in one VM boot"
	else
		echo "not ok - bench: the VM ran every scenario (see $out/raw.txt)"
		tail -20 "$out/raw.txt" | sed 's/^/# /'
	fi
	# the bench VM is judged as a test VM is: no kernel report after init,
	# no dmesg alarm or failed unload at teardown, an end of its own
	log=$top/build/vm/logs/$lane/bench@$profiles:$sizes.console
	if [ "${BENCH_REUSE:-0}" = 1 ]; then
		:
	elif [ -s "$log" ] && ! "$top/tests/vm/alarms-after-init.sh" "$log" >/dev/null &&
	     ! grep -q '^# vm: \|^# teardown: dmesg: \|^# teardown: rmmod .*: failed' "$out/raw.txt"; then
		echo "ok - bench: the VM's kernel log is clean and it ended by itself"
	else
		echo "not ok - bench: the VM's kernel log is clean and it ended by itself (see $log)"
		"$top/tests/vm/alarms-after-init.sh" "$log" | sed 's/^/# /'
		grep '^# vm: \|^# teardown: ' "$out/raw.txt" | sed 's/^/# /'
	fi
	if [ "$bad" -eq 0 ]; then
		echo "ok - bench: every run byte-exact in the emulator's memory"
	else
		echo "not ok - bench: every run byte-exact in the emulator's memory"
		awk -F'\t' 'NR > 1 && $6 != "ok"' "$out/results.tsv" | sed 's/^/# /'
	fi
	column -t -s "$(printf '\t')" "$out/results.tsv" | sed 's/^/# /'
	# Regression guards, generous (virtual time: no host load in them):
	# dd against the compare-first bound, and each request's own cost
	# (time scale 0: host tool, kernel, USB/IP) against dfu-util's.
	p1=${profiles%%,*} s1=${sizes##*,}
	guard() {	# DESC VALUE LIMIT
		if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v != "" && v != "-" && v + 0 <= l + 0) }'; then
			echo "ok - bench guard: $1 ($2 <= $3)"
		else
			echo "not ok - bench guard: $1 (${2:-not measured} > $3)"
		fi
	}
	# (at 16 KiB on f407: 1.06 with the driver's hrtimer sleeps, 1.24
	# with jiffy sleeps instead)
	guard "dd, new image on $p1 at $s1 bytes: at most 1.15x the compare-first bound" \
		"$(awk -F'\t' -v p="$p1" -v s="$s1" '$1 == p && $2 == s && $3 == "dd" && $4 == "new" { print $8 }' "$out/results.tsv")" 1.15
	guard "time scale 0 on $p1: a request of dd's costs at most 1.2x one of dfu-util's" \
		"$(awk -F'\t' -v p="$p1" -v s="$s1" '$1 == p && $2 == s && $4 == "scale0" && $10 + $11 + $12 > 0 {
			c[$3] = $5 / ($10 + $11 + $12) } END { if (c["dfu-util"] > 0) printf "%.3f", c["dd"] / c["dfu-util"] }' "$out/results.tsv")" 1.2
	# The smoke run writes its report beside its results, so the report's
	# making is tested by make check without touching docs/.
	docs=$top/docs
	[ $smoke = 1 ] && docs=$out/docs
	if ! "$top/tests/bench/report.sh" "$out" "$docs" 2>"$out/report.err"; then
		echo "not ok - bench report: report.sh failed"
		sed 's/^/# /' "$out/report.err"
	fi
	# make bench also judges the performance issue's targets (the smoke
	# run's tiny size leaves them n/a: it only checks each is judged)
	"$top/tests/bench/check-report.sh" $([ $smoke = 1 ] || echo --met) "$docs/benchmarks.md"
} | tee "$tap"
# make bench fails on any of these (make check's bench-smoke is judged
# by its TAP lines)
[ $smoke = 1 ] || ! grep -q '^not ok' "$tap"
