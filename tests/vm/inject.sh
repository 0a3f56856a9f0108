# Shared by the fault tests (driver-inject.sh, driver-unplug.sh): a board
# holding old bytes, a write of the image by dd, by the write ioctl or
# with the bytes flushed at close(), and the memory checked against the
# one kernel log line of the failed write.
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

# write_with HOW: the image at 0x08000000 by dd, by the ioctl, or
# gathered and written at close() (busybox dd does not report close())
write_with() {
	case $1 in
	dd) dd if=$img of=/dev/dfuse0.0 bs=4k conv=fsync 2>&1 | grep -v records ;;
	ioctl) dfuse flash $img --address 0x08000000 --no-verify --progress=none \
		--device /dev/dfuse0.0 2>&1 ;;
	close) write-exit close $img 65536 2>&1 ;;
	esac
}

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

# met: the loop over entries ($how) meets its next fault here. The stock
# kernels meet every fault through every entry; the sanitizer kernel by
# turns (each entry sets turn=0 and parity 0 or 1), so that every fault
# and every entry still meets KASAN, lockdep and kmemleak.
met() {
	turn=$((turn + 1))
	! sanitizer_kernel || [ $((turn % 2)) = "$parity" ]
}
