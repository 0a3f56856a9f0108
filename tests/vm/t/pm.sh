# Power management. USB autosuspend: an idle board is suspended, an open
# node wakes it and keeps it awake, and it keeps its number, its open
# files and its bytes through suspend and resume, also when the device is
# reset on resume (usbcore's reset-resume quirk). And an operation stopped
# between pages as the freezer stops tasks before system sleep (a signal
# that does not end the task: here a stop and a continue) goes on where it
# stopped: `dfuse flash` ends with the image written and verified.
# (vhci_hcd marks its devices syscore: system sleep itself never reaches a
# USB/IP device, so the callbacks are driven by runtime PM here.)
. /tests/lib.sh
plan 27
insmod /lib/modules/dfuse.ko
mem() { echo "$(emu_dir "$1")/alt0.bin"; }
log() { echo "$(emu_dir "$1")/requests.log"; }
status() { cat "$udev/power/runtime_status"; }
suspended() { grep -qx suspended "$udev/power/runtime_status"; }
uptime_s() { cut -d. -f1 /proc/uptime; }
# the first DFU class request logged after line $1 of board $2's log
first_request_after() {
	tail -n +"$(($1 + 1))" "$(log "$2")" |
		grep -m1 -oE '^(DNLOAD|UPLOAD|GETSTATUS|CLRSTATUS|ABORT)'
}

# board NAME: plug an F407 and let it autosuspend after 200 ms idle
board() {
	emu_start "$1" --profile f407
	check "$1: the node appears" wait_for 10 test -c /dev/dfuse0.0
	udev=$(usb_dev 0483:df11)
	echo 200 >"$udev/power/autosuspend_delay_ms"
	echo auto >"$udev/power/control"
}

for b in resume reset-resume; do
	if [ $b = reset-resume ]; then
		# the device is reset on each resume, as after a power loss
		echo 0483:df11:b >/sys/module/usbcore/parameters/quirks
		dmesg -C
	fi
	board $b
	check "$b: the idle board autosuspends" wait_for 100 suspended
	n=$(wc -l <"$(log $b)")
	exec 3</dev/dfuse0.0
	is "$(status)" active "$b: opening its node wakes it"
	sleep 1
	is "$(status)" active "$b: and it stays awake while the node is open (1 s, delay 200 ms)"
	head -c 65536 <&3 >/tmp/back.bin
	check "$b: the open file reads the device's memory" \
		sh -c "head -c 65536 $(mem $b) | cmp -s - /tmp/back.bin"
	is "$(first_request_after "$n" $b)" GETSTATUS \
		"$b: the ROM's state was forgotten at suspend: asked first"
	exec 3<&-
	check "$b: closed, it is suspended again" wait_for 100 suspended

	# a writer that pauses longer than the delay keeps the board awake:
	# what it gathered is programmed when it closes
	head -c 65536 /data/rand256k.bin >/tmp/image.bin
	{ head -c 32768 /tmp/image.bin; sleep 1; tail -c 32768 /tmp/image.bin; } |
		dd of=/dev/dfuse0.0 bs=16K iflag=fullblock 2>/dev/null
	is "$?" 0 "$b: dd with a 1 s pause in its input exits 0"
	check "$b: the 64 KiB are in the device's memory" \
		sh -c "head -c 65536 $(mem $b) | cmp -s - /tmp/image.bin"
	check "$b: still /dev/dfuse0.0, no second board" \
		sh -c 'test -c /dev/dfuse0.0 && ! ls /dev/dfuse1.* 2>/dev/null'
	check "$b: suspended once more" wait_for 100 suspended
	if [ $b = reset-resume ]; then
		check "$b: the driver was told of the reset and kept the board" \
			sh -c 'dmesg | grep -q "dfuse0: reset while suspended, still /dev/dfuse0"'
		echo >/sys/module/usbcore/parameters/quirks
	fi
	emu_stop $b
	wait_for 10 sh -c '! test -e /dev/dfuse0.0'
done

# dfuse flash stopped and continued while it programs, at real speed
emu_start stop --profile f407 --time-scale 1
check "stop: the node appears" wait_for 10 test -c /dev/dfuse0.0
dmesg -C
dfuse flash /data/rand256k.bin --address 0x08000000 >/tmp/flash.out 2>&1 &
pid=$!
end=$(($(uptime_s) + 30))
while ! grep -q '^PROGRAM' "$(log stop)" && [ "$(uptime_s)" -lt $end ]; do
	sleep 0.1
done
# a stop that lands while the tool is outside the driver (between its
# requests, or in its verify) stops nothing there: stop it again, until
# the driver says it stopped a write or the flash ends
end=$(($(uptime_s) + 60))
while [ -d /proc/$pid ] && [ "$(cut -d' ' -f3 /proc/$pid/stat)" != Z ] &&
	! dmesg | grep -q "stopped by a signal after" && [ "$(uptime_s)" -lt $end ]; do
	kill -STOP $pid
	sleep 0.5
	kill -CONT $pid
	sleep 0.3
done
wait $pid
is "$?" 0 "stop: dfuse flash stopped and continued mid-write exits 0"
check "stop: the driver had stopped the write between two pages" \
	sh -c 'dmesg | grep -q "stopped by a signal after"'
check "stop: the 256 KiB are in the device's memory" \
	sh -c "head -c 262144 $(mem stop) | cmp -s - /data/rand256k.bin"
sed 's/^/# /' /tmp/flash.out | tail -5
emu_stop stop
done_testing
