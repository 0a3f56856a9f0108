# Every fault the emulator can inject, met by the driver: a short and a
# babbling GETSTATUS, a STALL and an error status in the middle of a
# write, a spontaneous dfuERROR, errERASE, errPROG, a short poll and an
# unplug while programming. For each, through dd and through the write
# ioctl (dfuse flash): the exact errno, one kernel log line naming where it
# failed and the device state, memory as that line says (the bytes it
# counts hold the image; a range it names blank is blank; every byte it
# does not name keeps its old value), and a fresh board written next.
# vm-timeout: 1500
. /tests/lib.sh
plan 83
insmod /lib/modules/dfuse.ko
img=/data/rand64k.bin		# 64 KiB: the f401's first four 16 KiB pages
old=/tmp/old.bin		# what the flash held: every page differs
seeded inject-old 262144 >$old
log_line() { dmesg | grep 'dfuse0.0: write of '; }

# start NAME [emulator options]: a board holding $old; true once bound
start() {
	local name=$1
	shift
	mkdir -p "$(emu_dir "$name")"
	rm -f "$(emu_dir "$name")/requests.log"
	cp $old "$(emu_dir "$name")/alt0.bin"
	emu_start "$name" --profile f401 "$@" && wait_for 10 test -c /dev/dfuse0.0
}
stop() {
	emu_stop "$1"
	wait_for 10 usb_gone 0483:df11 && ! test -e /dev/dfuse0.0
}

# write_with HOW: the image at 0x08000000 by dd or by the ioctl
write_with() {
	case $1 in
	dd) dd if=$img of=/dev/dfuse0.0 bs=4k conv=fsync 2>&1 | grep -v records ;;
	ioctl) dfuse flash $img --address 0x08000000 --no-verify --progress=none \
		--device /dev/dfuse0.0 2>&1 ;;
	esac
}

# The dry run: which DFU request (and GETSTATUS) is which, on a board
# without faults; every fault below is placed by it
start dry
write_with dd >/dev/null
requests=$(emu_dir dry)/requests.log
stop dry
# nth_request REGEX K: the number of the DFU request that is the Kth
# request matching REGEX
nth_request() {
	awk -v re="$1" -v k="$2" '
		/^(DNLOAD|UPLOAD|GETSTATUS|CLRSTATUS|GETSTATE|ABORT|DETACH)/ {
			n++
			if ($0 ~ re && ++seen == k) { print n; exit }
		}' "$requests"
}
third_block=$(nth_request '^DNLOAD block=[1-9]' 3)
# (--status-nth counts GETSTATUS requests only)
third_block_status=$(awk '/^GETSTATUS/ { n++ } /^DNLOAD block=[1-9]/ && ++s == 3 { found = 1 }
	found && /^GETSTATUS/ { print n; exit }' "$requests")
diag "the 3rd program block is DFU request $third_block, its first poll GETSTATUS $third_block_status"

# memory_as_logged NAME: the emulator's memory against the log line
memory_as_logged() {
	local mem line done blank torn bad="" p lo hi
	mem=$(emu_dir "$1")/alt0.bin
	line=$(log_line | tail -1)
	done=$(echo "$line" | sed -n 's/.* failed after \([0-9]*\) bytes.*/\1/p')
	blank=$(echo "$line" | sed -n 's/.*; 0x\([0-9a-f]*\)-0x\([0-9a-f]*\) was erased and is left blank.*/\1 \2/p')
	torn=$(echo "$line" | sed -n 's/.*; 0x\([0-9a-f]*\)-0x\([0-9a-f]*\) \(may be partly programmed\|failed to erase\).*/\1 \2/p')
	[ -n "$done" ] || { echo "no log line"; return 1; }
	head -c "$done" $img >/tmp/m1
	head -c "$done" "$mem" >/tmp/m2
	cmp -s /tmp/m1 /tmp/m2 || bad="$bad first-$done-bytes"
	# each 16 KiB page past them: blank, unknown, or its old bytes
	p=$((done / 16384))
	while [ $p -lt 16 ]; do
		lo=$((0x08000000 + p * 16384)) hi=$((0x08000000 + p * 16384 + 16383))
		tail -c +$((p * 16384 + 1)) "$mem" | head -c 16384 >/tmp/m2
		if [ -n "$torn" ] && [ $lo -ge $((0x${torn% *})) ] && [ $hi -le $((0x${torn#* })) ]; then
			:
		elif [ -n "$blank" ] && [ $lo -ge $((0x${blank% *})) ] && [ $hi -le $((0x${blank#* })) ]; then
			[ -z "$(tr -d '\377' </tmp/m2 | head -c 1)" ] || bad="$bad page$p-not-blank"
		else
			tail -c +$((p * 16384 + 1)) $old | head -c 16384 | cmp -s - /tmp/m2 || bad="$bad page$p-changed"
		fi
		p=$((p + 1))
	done
	[ -z "$bad" ] || { echo "#   memory: $bad"; return 1; }
}

# fault NAME HOW ERRNO-TEXT LINE-REGEX [emulator options]
fault() {
	local name=$1 how=$2 errtext=$3 want=$4 out
	shift 4
	if ! start "$name" "$@"; then
		nok "$name ($how): the board binds"
		return
	fi
	dmesg -c >/dev/null
	out=$(write_with "$how")
	diag "$name ($how): $out"
	check "$name ($how): $errtext" test -n "$(echo "$out" | grep -E "$errtext")"
	is "$(log_line | wc -l)" 1 "$name ($how): one kernel log line"
	check "$name ($how): it says /$want/" sh -c "dmesg | grep -Eq '$want'"
	log_line | sed 's/^/#   /'
	check "$name ($how): memory is as that line says" memory_as_logged "$name"
	stop "$name" >/dev/null
	rm -f /dev/dfuse0.0	# were it a file that dd made
	start "$name-next" && write_with "$how" >/dev/null
	check "$name ($how): the next write, on a fresh board, holds the image" sh -c \
		"head -c 65536 $(emu_dir "$name-next")/alt0.bin | cmp -s - $img"
	stop "$name-next"
}

for how in dd ioctl; do
	fault short-$how $how "Protocol error" \
		'failed after 0 bytes: -71 \(OK\) at 0x08000000 in unknown$' --status-len 5
	# USB/IP's host controller drops a device that babbles: the write
	# ends on the transfer's error or on the unplug, whichever is first
	fault babble-$how $how "Protocol error|No such device" \
		'failed after 0 bytes: (-71|-19) \(OK\) at 0x08000000 in unknown$' --status-len 8
	fault stall-$how $how "Protocol error" \
		'failed after 0 bytes: -71 \(OK\) at 0x08001000 in dfuDNLOAD-IDLE; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--stall-nth "$third_block"
	fault status-$how $how "Input/output error" \
		'failed after 0 bytes: -5 \(errPROG: emulated fault: injected error status\) at 0x08001000 in dfuERROR; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--status-nth "$third_block_status:6"
	fault spontaneous-$how $how "Protocol error" \
		'failed after 0 bytes: -71 \(errUNKNOWN\) at 0x08001000 in dfuERROR; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--error-nth "$third_block"
	fault erase-$how $how "Input/output error" \
		'failed after 0 bytes: -5 \(errERASE\) at 0x08000000 in dfuERROR; 0x08000000-0x08003fff failed to erase and may be partly erased$' \
		--fail-in erase
	fault prog-$how $how "Input/output error" \
		'failed after 0 bytes: -5 \(errPROG\) at 0x08000000 in dfuERROR; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--fail-in write
	fault unplug-$how $how "No such device" \
		'failed after 0 bytes: -19 \(OK\) at 0x08001000 in .*; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--disconnect-nth "$third_block"
done

# A bootloader that under-reports its busy time: the driver polls again
# and the write succeeds
start shortpoll --short-poll --time-scale 1
write_with dd >/dev/null
check "short poll: dd's write holds the image" sh -c "head -c 65536 $(emu_dir shortpoll)/alt0.bin | cmp -s - $img"
check "short poll: the driver polled dfuDNBUSY again" test "$(grep -c 'GETSTATUS status=0 state=4' "$(emu_dir shortpoll)/requests.log")" -gt 8
check "short poll: unplugged, its nodes go" stop shortpoll
done_testing
