# TAP helpers and emulator control for the in-VM test scripts (busybox sh).
T_N=0
T_FAILED=0

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
nok() { T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $*"; }
diag() { echo "# $*"; }

# check DESC CMD...: passes when CMD succeeds
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

done_testing() { echo "1..$T_N"; }

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

# relay_tap PREFIX FILE: a C test program's TAP (in FILE), renumbered into
# ours with PREFIX before each description
relay_tap() {
	local line
	while read -r line; do
		case "$line" in
		"ok "*) ok "$1${line#ok * - }" ;;
		"not ok "*) nok "$1${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$2"
}
