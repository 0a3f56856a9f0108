# Everything at once, then the board is pulled: two readers (cat), a
# writer (dd), ioctls (dfuse status, dfuse read), a netlink dump loop
# (dfuse list) and netlink events (dfuse monitor), while the board is
# unplugged and plugged again, round after round. Every process must end
# by itself after each unplug, the module must unload, and the kernel log
# must stay clean (run-tests.sh; on the sanitizer kernel that includes
# KASAN, lockdep and kmemleak). 12 rounds on the sanitizer kernel, 6 else.
. /tests/lib.sh
plan 5
insmod /lib/modules/dfuse.ko
if [ -e /sys/kernel/debug/kmemleak ]; then rounds=12; else rounds=6; fi
diag "stress: $rounds plug/unplug rounds"
loop() { while [ ! -e /tmp/stop ]; do "$@" >/dev/null 2>&1; done; }
stuck=0 ran=0 bound=0
r=1
while [ $r -le $rounds ]; do
	rm -f /tmp/stop
	emu_start st --profile f401
	# a round whose board never binds loads nothing: counted below
	wait_for 10 test -c /dev/dfuse0.0 && bound=$((bound + 1))
	dfuse monitor >/dev/null 2>&1 &
	mon=$!
	pids=""
	loop cat /dev/dfuse0.0 & pids="$pids $!"
	loop cat /dev/dfuse0.2 & pids="$pids $!"
	# (dd would create a regular file once the node is gone)
	loop sh -c '[ -c /dev/dfuse0.0 ] && dd if=/data/rand64k.bin of=/dev/dfuse0.0 bs=4k' & pids="$pids $!"
	loop dfuse status & pids="$pids $!"
	loop dfuse read --alt 0 --address 0x08000000 --length 32768 -o /tmp/st.bin & pids="$pids $!"
	loop dfuse list & pids="$pids $!"
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
check "stress: the board was programmed meanwhile" grep -q '^PROGRAM' "$(emu_dir st)/requests.log"
check "stress: and read" grep -q '^UPLOAD' "$(emu_dir st)/requests.log"
is "$stuck" 0 "stress: after each of $rounds unplugs every reader, writer and tool ended"
check "stress: the last unplug left no node" sh -c '! ls -l /dev | grep -q "^c.* dfuse[0-9]"'
done_testing
