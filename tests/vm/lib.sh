# TAP helpers and emulator control for the in-VM test scripts (busybox sh).
# A script declares its plan first (`plan N`, printed as TAP's leading
# "1..N") and ends with done_testing; the host fails it when the number of
# results is not N, when "# done" is missing, or when it exits non-zero.
T_N=0
T_FAILED=0
T_PLAN=

# stdout is the serial line: every line leaves at once (a crash loses none)
plan() { T_PLAN=$1; echo "1..$1"; echo "# seed $T_SEED"; }
ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
nok() { T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $*"; }
diag() { echo "# $*"; }

# check DESC CMD...: passes when CMD succeeds (CMD runs in this shell, so
# it may be one of these functions; a 'sh -c' child would not have them)
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}

# is GOT EXPECTED DESC
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		nok "$3"
		printf '%s\n' "got:" "$1" "expected:" "$2" | sed 's/^/#   /'
	fi
}

# the script reached its end: said to the host, which counts the results
# against the plan (a script without one fails there)
# The run's seed (dfuse.seed= on the kernel command line, printed by the
# host); seeded NAME BYTES: reproducible random data for this run
T_SEED=$(sed -n 's/.*dfuse\.seed=\([^ ]*\).*/\1/p' /proc/cmdline)
T_SEED=${T_SEED:-0}
seeded() { seeded-bytes "$T_SEED:$1" "$2"; }

done_testing() {
	[ -n "$T_PLAN" ] || echo "# no plan was declared"
	[ -n "$T_PLAN" ] && [ "$T_PLAN" != "$T_N" ] &&
		echo "# planned $T_PLAN checks, ran $T_N"
	echo "# done: $T_N checks, $T_FAILED failed"
}

# wait_for SECONDS CMD...: poll CMD every 50 ms
wait_for() {
	local limit=$(($1 * 20)) i=0
	shift
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge $limit ] && return 1
		sleep 0.05
	done
	return 0
}

# emu_start NAME [dfuse-emu options]: state in /tmp/emu/NAME
emu_start() {
	local dir=/tmp/emu/$1
	shift
	mkdir -p "$dir"
	dfuse-emu --state "$dir" --time-scale 0 "$@" 2>"$dir/stderr" &
	echo $! >"$dir/pid"
	wait_for 10 grep -qx 1 "$dir/attached" || { cat "$dir/stderr"; return 1; }
}

emu_stop() {
	local dir=/tmp/emu/$1
	kill "$(cat "$dir/pid")" 2>/dev/null
	wait "$(cat "$dir/pid")" 2>/dev/null
	return 0
}

emu_dir() { echo "/tmp/emu/$1"; }

# count of logged requests whose line starts with WORD
emu_count() { grep -c "^$2" "/tmp/emu/$1/requests.log"; }

# The USB device directory of the first device with VID:PID, if any
usb_dev() {
	local d
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/idVendor" ] || continue
		if [ "$(cat "$d/idVendor"):$(cat "$d/idProduct")" = "$1" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# for wait_for/check, which run a command in this shell (a 'sh -c' would
# not see these functions)
usb_present() { usb_dev "$1" >/dev/null; }
usb_gone() { ! usb_dev "$1" >/dev/null; }

# judge_helper PREFIX PROG STATUS FILE: a C test program's TAP (in FILE),
# renumbered into ours with PREFIX before each description, then one check
# that PROG exited 0 (STATUS) and met its own plan: a helper that crashes
# after some lines, or stops before its plan, fails here. Helpers flush
# each line (setvbuf), so a crash loses none.
judge_helper() {
	local prefix=$1 prog=$2 st=$3 line planned=none seen=0
	while read -r line; do
		case "$line" in
		"ok "*) ok "$prefix${line#ok * - }"; seen=$((seen + 1)) ;;
		"not ok "*) nok "$prefix${line#not ok * - }"; seen=$((seen + 1)) ;;
		"1.."*) planned=${line#1..} ;;
		"#"*) echo "$line" ;;
		esac
	done <"$4"
	if [ "$st" = 0 ] && [ "$planned" = "$seen" ]; then
		ok "$prefix$prog exits 0 and meets its plan ($seen)"
	else
		nok "$prefix$prog exits 0 and meets its plan (exit $st, plan $planned, ran $seen)"
	fi
}

# run_helper PREFIX PROG ARGS...: run PROG, then judge_helper
run_helper() {
	local prefix=$1 st
	shift
	"$@" >/tmp/helper.tap
	st=$?
	judge_helper "$prefix" "$1" $st /tmp/helper.tap
}

# The sanitizer kernel is ~3-10x slower under TCG: some tests run fewer
# rounds there or share their faults among entries (docs/testing.md).
# The sanitizer kernels' release has no mark of its own (their uname -r is
# the source's, 6.1.192), but only they have kmemleak (init mounts debugfs).
sanitizer_kernel() { [ -e /sys/kernel/debug/kmemleak ]; }

# rom_cycle PROFILE SIZE [EMU OPTIONS]: a board of a field ROM profile,
# as a user meets it: dd of SIZE seeded bytes at the start of alt 0, cat
# reads them back, `dfuse flash --leave` of other bytes; the memory holds
# each, and the board leaves DFU mode. The emulator stays up (its log in
# $(emu_dir PROFILE)); the caller checks the profile's quirk and stops it.
rom_cycle() {
	local p=$1 size=$2 mem rc
	shift 2
	mem=$(emu_dir "$p")/alt0.bin
	seeded "$p.a" "$size" >"/tmp/$p.a.bin"
	seeded "$p.b" "$size" >"/tmp/$p.b.bin"
	emu_start "$p" --profile "$p" "$@" || { nok "$p: enumerates"; return 1; }
	check "$p: bound, /dev/dfuse0.0 appears" wait_for 10 test -e /dev/dfuse0.0
	cat /sys/bus/usb/devices/1-1/serial >"/tmp/$p.serial" 2>/dev/null
	dd if="/tmp/$p.a.bin" of=/dev/dfuse0.0 bs=64k conv=fsync 2>"/tmp/$p.dd"
	rc=$?
	is "$rc" 0 "$p: dd of $size bytes exits 0"
	[ "$rc" = 0 ] || { sed "s/^/# dd: /" "/tmp/$p.dd"; dmesg | tail -n 8 | sed "s/^/# dmesg: /"; }
	check "$p: dd: memory holds it" sh -c "head -c $size $mem | cmp -s - /tmp/$p.a.bin"
	head -c "$size" /dev/dfuse0.0 >"/tmp/$p.cat"
	is "$?" 0 "$p: cat of the node exits 0"
	check "$p: cat reads back what dd wrote" cmp -s "/tmp/$p.cat" "/tmp/$p.a.bin"
	# (the leave is the point: at most 16 KiB of other bytes)
	[ "$size" -gt 16384 ] && head -c 16384 "/tmp/$p.b.bin" >"/tmp/$p.b16" &&
		mv "/tmp/$p.b16" "/tmp/$p.b.bin" && size=16384
	dfuse flash "/tmp/$p.b.bin" --alt 0 --address 0x08000000 --leave >"/tmp/$p.flash" 2>&1
	rc=$?
	is "$rc" 0 "$p: dfuse flash --leave exits 0"
	[ "$rc" = 0 ] || { sed "s/^/# flash: /" "/tmp/$p.flash"; tail -n 12 "$(emu_dir "$p")/requests.log" | sed "s/^/# emu: /"; }
	check "$p: dfuse flash: memory holds it" sh -c "head -c $size $mem | cmp -s - /tmp/$p.b.bin"
	check "$p: the board left DFU mode" wait_for 10 grep -q "DETACHED reason=leave" "$(emu_dir "$p")/requests.log"
	wait_for 10 sh -c '! test -e /dev/dfuse0.0'
	return 0
}
