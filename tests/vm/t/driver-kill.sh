# A writer that ends with bytes still gathered: a normal exit writes them,
# as close() does; a writer killed between writes has them dropped (no
# signal can stop a flush at exit), and the log says so; killed inside
# close(), the write stops at a page boundary after programming what it
# had erased (tests/vm/bin/write-exit.c).
. /tests/lib.sh
plan 17
insmod /lib/modules/dfuse.ko
mem() { echo "$(emu_dir "$1")/alt0.bin"; }

# board NAME PROFILE SIZE [options]: a board holding seeded old bytes
board() {
	local name=$1 profile=$2 size=$3
	shift 3
	mkdir -p "$(emu_dir "$name")"
	seeded "$name-old" "$size" >"$(mem "$name")"
	cp "$(mem "$name")" "/tmp/$name.before"
	emu_start "$name" --profile "$profile" "$@"
	wait_for 10 test -c /dev/dfuse0.0
}
unplug() {
	emu_stop "$1"
	wait_for 10 sh -c '! test -e /dev/dfuse0.0'
}
# holds NAME IMAGE N: the first N bytes of the board are IMAGE's
holds() {
	head -c "$3" "$2" >/tmp/h1
	head -c "$3" "$(mem "$1")" >/tmp/h2
	cmp -s /tmp/h1 /tmp/h2
}
# kept NAME N: every byte from N on is the board's old byte
kept() {
	tail -c +$(($2 + 1)) "/tmp/$1.before" >/tmp/h1
	tail -c +$(($2 + 1)) "$(mem "$1")" >/tmp/h2
	cmp -s /tmp/h1 /tmp/h2
}

board exit f401 262144
write-exit exit /data/rand64k.bin 65536 >/tmp/exit.out
is "$?" 0 "a normal exit with 64 KiB gathered: the writer exits 0"
check "the exit wrote them" holds exit /data/rand64k.bin 65536
check "and every byte after them kept its value" kept exit 65536
unplug exit

board killed f401 262144
dmesg -c >/dev/null
write-exit killed /data/rand64k.bin 65536 >/tmp/killed.out
is "$?" 137 "a writer killed with 64 KiB gathered: killed by SIGKILL"
check "the kernel says the bytes were not written, and why" sh -c \
	"dmesg | grep -q 'dfuse0.0: 65536 bytes at 0x08000000 not written: the writer was killed by signal 9$'"
check "and the board holds its old bytes" kept killed 0
is "$(grep -c 'cmd=ERASE\|^DNLOAD block=[1-9]' "$(emu_dir killed)/requests.log")" 0 \
	"and nothing was erased or programmed"
unplug killed

# killed in close(): 512 KiB at real F4 timing, SIGKILL once the first
# erase is under way
board inclose f407 1048576 --time-scale 1
head -c 524288 /data/rand1m.bin >/tmp/half.bin
dmesg -c >/dev/null
write-exit close /tmp/half.bin 524288 >/tmp/inclose.out &
pid=$!
check "in close: the flush starts erasing" wait_for 20 grep -q 'cmd=ERASE' "$(emu_dir inclose)/requests.log"
check "the writer was in close()" grep -q '^closing$' /tmp/inclose.out
kill -KILL $pid
wait $pid
is "$?" 137 "in close: killed by SIGKILL"
check "close never returned" sh -c "! grep -q '^close:' /tmp/inclose.out"
k=$(dmesg | sed -n 's/.*dfuse0.0: write of 524288 bytes at 0x08000000 stopped by a fatal signal after \([0-9]*\) bytes.*/\1/p')
check "the kernel says where the fatal signal stopped it" test -n "$k"
k=${k:-0}
diag "in close: $k bytes written"
check "some but not all ($k)" test "$k" -gt 0 -a "$k" -lt 524288
check "whole pages (the first four are 16 KiB)" test $((k % 16384)) -eq 0
check "the $k bytes hold the image" holds inclose /tmp/half.bin "$k"
check "every byte after them kept its value" kept inclose "$k"
is "$(cat /sys/bus/usb/devices/1-1:1.0/dfu/state)" dfuIDLE "the board is left in dfuIDLE"
unplug inclose
done_testing
