# Everything at once, then the board is pulled: two readers (cat), a
# writer (dd), ioctls (dfuse status, dfuse read), a netlink dump loop
# (dfuse list) and netlink events (dfuse monitor), while the board is
# unplugged and plugged again, round after round. Every process must end
# by itself after each unplug, the module must unload, and the kernel log
# must stay clean (run-tests.sh; on the sanitizer kernel that includes
# KASAN, lockdep and kmemleak). 12 rounds on the sanitizer kernel, 6 else.
# Each round writes other bytes than the last, so each has flash to
# program; odd rounds pull the board once their writer is programming (a
# slow kernel may not get that far in an even round's second or so).
# vm-timeout: 600
. /tests/lib.sh
plan 5
insmod /lib/modules/dfuse.ko
if sanitizer_kernel; then rounds=12; else rounds=6; fi
diag "stress: $rounds plug/unplug rounds"
loop() { while [ ! -e /tmp/stop ]; do "$@" >/dev/null 2>&1; done; }
stuck=0 ran=0 bound=0 programming=0
log=$(emu_dir st)/requests.log
# programmed_within SECONDS N: a PROGRAM request after the log's first N
# lines, waited for by the clock (under this load, wait_for's polls take
# far longer than their 50 ms each)
uptime_s() { cut -d. -f1 /proc/uptime; }
programmed_within() {
	local end=$(($(uptime_s) + $1))
	while ! tail -n +"$(($2 + 1))" "$log" | grep -q '^PROGRAM'; do
		[ "$(uptime_s)" -lt $end ] || return 1
		sleep 0.2
	done
}
r=1
while [ $r -le $rounds ]; do
	rm -f /tmp/stop
	before=$(cat "$log" 2>/dev/null | wc -l)
	emu_start st --profile f401
	# a round whose board never binds loads nothing: counted below
	wait_for 10 test -c /dev/dfuse0.0 && bound=$((bound + 1))
	dfuse monitor >/dev/null 2>&1 &
	mon=$!
	pids=""
	loop cat /dev/dfuse0.0 & pids="$pids $!"
	loop cat /dev/dfuse0.2 & pids="$pids $!"
	# (dd would create a regular file once the node is gone)
	# (64 KiB of rand256k.bin: not the slice the round before wrote)
	loop sh -c "[ -c /dev/dfuse0.0 ] && dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=4k skip=$((r % 4 * 16)) count=16" &
	pids="$pids $!"
	loop dfuse status & pids="$pids $!"
	loop dfuse read --alt 0 --address 0x08000000 --length 32768 -o /tmp/st.bin & pids="$pids $!"
	loop dfuse list & pids="$pids $!"
	if [ $((r % 2)) = 1 ]; then
		if programmed_within 30 "$before"; then
			programming=$((programming + 1))
		else
			diag "round $r: nothing programmed in 30 s; the emulator's last requests:"
			tail -n 3 "$log" | sed 's/^/#   /'
		fi
	fi
	# unplug at a different moment each round
	sleep "0.$((r * 37 % 10))"
	sleep 0.5
	emu_stop st
	touch /tmp/stop
	# every loop must notice: the board is gone, nothing may hang on it
	alive() { for p in $pids; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
	if wait_for 10 eval '! alive'; then
		ran=$((ran + 1))
	else
		stuck=$((stuck + 1))
		diag "round $r: still running after the unplug: $(ps | grep -E 'cat|dd|dfuse' | grep -v grep)"
	fi
	kill $mon 2>/dev/null
	wait 2>/dev/null
	wait_for 10 usb_gone 0483:df11
	for f in /dev/dfuse*; do [ -c "$f" ] || rm -f "$f"; done
	r=$((r + 1))
done
is "$bound" "$rounds" "stress: the board bound in every round"
# the load was real: the board was read and written in those rounds
is "$programming" $((rounds / 2)) "stress: each odd round's board programmed flash before it was pulled"
check "stress: and read" grep -q '^UPLOAD' "$log"
is "$stuck" 0 "stress: after each of $rounds unplugs every reader, writer and tool ended"
check "stress: the last unplug left no node" sh -c '! ls -l /dev | grep -q "^c.* dfuse[0-9]"'
done_testing
