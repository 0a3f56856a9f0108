# The generic netlink family through libnl-3 (the dfuse tool): the dump
# lists boards, alt settings, maps (nested segments) and nodes, and
# refuses any attribute, and spans datagrams for a small reader; events
# follow a dd and an
# unplug; four boards written at once; a listener that falls behind is
# told that events were lost, and goes on.
. /tests/lib.sh
plan 39
insmod /lib/modules/dfuse.ko

dfuse monitor >/tmp/events 2>/tmp/monitor.err &
mon=$!
check "monitor subscribes" wait_for 10 grep -q "monitoring" /tmp/monitor.err

# old random content: every page must be erased
mkdir -p /tmp/emu/nl
seeded nl-old 262144 >/tmp/emu/nl/alt0.bin
emu_start nl --profile f401 --serial 0123456789AB --time-scale 1
wait_for 10 test -e /dev/dfuse0.3
dfuse list >/tmp/list
check "list: the board with its serial and USB path" grep -q "^dfuse0  0483:df11  serial 0123456789AB  usb 1-1$" /tmp/list
check "list: alt 0 node, name, base and size" grep -q '^  /dev/dfuse0.0  alt 0  "Internal Flash"  0x08000000  262144 bytes$' /tmp/list
check "list: alt 0 segments" grep -q '^      0x08020000 1x131072 rew$' /tmp/list
check "list: option bytes" grep -q '^  /dev/dfuse0.1  alt 1  "Option Bytes"  0x1fffc000  16 bytes$' /tmp/list
dfuse list --json >/tmp/list.json
is "$(jq -r '.[0].alts[2].name' /tmp/list.json)" "OTP Memory" "list --json parses; alt 2 is OTP Memory"
is "$(jq -r '.[0].alts[0].segments[0]' /tmp/list.json)" "0x08000000 4x16384 rew" "list --json: segments"
is "$(jq -r '.[0].serial + " " + .[0].alts[3].node' /tmp/list.json)" "0123456789AB /dev/dfuse0.3" "list --json: serial and node"

# strict validation: the dump takes no attribute (nl-strict.c)
run_helper "" nl-strict 1

check "added event for the board" wait_for 5 grep -q "^dfuse0 added serial=0123456789AB usb=1-1" /tmp/events
dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=64k 2>/dev/null
check "progress events during the dd" grep -q "^dfuse0 progress program alt=0 [0-9]*/262144$" /tmp/events
check "program finished ok" grep -q "^dfuse0 finished program alt=0 262144/262144 ok$" /tmp/events
check "erase started" grep -q "^dfuse0 started erase alt=0 0/" /tmp/events
check "erase finished ok before program started" sh -c \
	"grep -E '^dfuse0 (started|finished) (erase|program)' /tmp/events | head -3 | tr '\n' '|' | grep -qx 'dfuse0 started erase alt=0 0/262144|dfuse0 finished erase alt=0 262144/262144 ok|dfuse0 started program alt=0 0/262144|'"
# A reader of another alt while a write erases: it waits for the board's
# lock before it says it is reading (review W5). Placed, not timed: the
# reader is seen asleep in dfuse_io_begin() while the write is busy.
prog=/sys/bus/usb/devices/1-1:1.0/dfu/progress
seeded nl-new 262144 >/tmp/nl-new.bin
dd if=/tmp/nl-new.bin of=/dev/dfuse0.0 bs=256k conv=fsync 2>/dev/null &
writer=$!
wait_for 10 grep -q "^erase 0 " $prog
head -c 16 /dev/dfuse0.1 >/tmp/nl-ob &
reader=$!
check "W5: the reader waits for the board's lock" wait_for 10 grep -qx dfuse_io_begin /proc/$reader/wchan
check "W5: the writer's operation is still the one shown" grep -qE "^(erase|program) 0 " $prog
diag "W5: the reader sleeps in $(cat /proc/$reader/wchan); progress: $(cat $prog)"
wait $writer
is "$?" 0 "W5: the write exits 0"
wait $reader
check "W5: the reader's operation starts after the write's ends" sh -c \
	"grep -E '^dfuse0 (started|finished) (program|read)' /tmp/events | tail -3 | cut -d' ' -f2-4 | tr '\n' '|' | grep -qx 'finished program alt=0|started read alt=1|finished read alt=1|'"
emu_stop nl
check "removal event on unplug" wait_for 10 grep -q "^dfuse0 removed serial=0123456789AB" /tmp/events
kill $mon
diag "$(grep -c progress /tmp/events) progress events"

# An error event carries the device's status and text
emu_start rdp --profile f401 --rdp --serial RDP000000001
wait_for 10 test -e /dev/dfuse0.0
dfuse monitor --count 3 >/tmp/events2 2>/tmp/monitor2.err &
dfuse monitor --json --count 3 >/tmp/events2.json 2>/tmp/monitor3.err &
wait_for 10 grep -q "monitoring" /tmp/monitor2.err
wait_for 10 grep -q "monitoring" /tmp/monitor3.err
cat /dev/dfuse0.0 >/dev/null 2>&1
check "error event: errVENDOR with the device's text" wait_for 5 \
	grep -q "^dfuse0 error read alt=0 at 0x08000000: Permission denied (DFU status 11, state 10): read protection is active" /tmp/events2
wait_for 5 grep -q '"event":"error"' /tmp/events2.json
is "$(jq -r 'select(.event == "error") | "\(.address) \(.dfu_status) \(.dfu_state) \(.error): \(.device_error)"' /tmp/events2.json 2>&1)" \
	"134217728 11 10 Permission denied: read protection is active" "monitor --json: the error event keeps the address, status, state and the device's text"
emu_stop rdp
wait_for 10 usb_gone 0483:df11

# Four boards written at once, old content on each: for every board the
# listener sees each operation started and finished, all ok, with a
# program of the whole image among them.
for b in 0 1 2 3; do
	mkdir -p /tmp/emu/ld$b
	seeded "ld$b-old" 262144 >/tmp/emu/ld$b/alt0.bin
	emu_start ld$b --profile f401 --port $b --serial LOAD0000000$b
done
check "load: four boards bound" wait_for 10 test -c /dev/dfuse3.0
# A dump longer than a small reader's 4 KiB goes in several datagrams
# (six boards: ~4.8 KB; the kernel fills ~3.7 KB of a page at a time)
for b in 4 5; do
	emu_start ld$b --profile f401 --port $b --serial LOAD0000000$b
done
wait_for 10 test -c /dev/dfuse5.0
run_helper "dump: " nl-strict 6 split
for b in 4 5; do emu_stop ld$b; done
wait_for 10 sh -c '! test -e /dev/dfuse5.0'
dfuse monitor --json >/tmp/load.json 2>/tmp/load.err &
mon=$!
wait_for 10 grep -q "monitoring" /tmp/load.err
pids=""
for b in 0 1 2 3; do
	dd if=/data/rand256k.bin of=/dev/dfuse$b.0 bs=64k 2>/dev/null &
	pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=$((failed + 1)); done
is "$failed" 0 "load: four dd at once exit 0"
# ops started and finished ok by SERIAL, as "op,op,..." in order
ops() {
	jq -rs --arg s "$1" --arg e "$2" '[.[] | select(.serial == $s and .event == $e
		and ($e == "started" or .errno == 0)) | .op] | join(",")' /tmp/load.json
}
balanced() {
	for b in 0 1 2 3; do
		[ "$(ops LOAD0000000$b started)" = "$(ops LOAD0000000$b finished)" ] || return 1
	done
}
check "load: on every board each started operation finished ok" wait_for 5 balanced
pg=0
for b in 0 1 2 3; do
	jq -e -s --arg s LOAD0000000$b 'any(.[]; .serial == $s and .event == "finished"
		and .op == "program" and .total == 262144 and .done == 262144)' /tmp/load.json >/dev/null && pg=$((pg + 1))
done
is "$pg" 4 "load: a whole program finished on each of the four boards"
check "load: nothing lost at this load" sh -c '! grep -q "\"lost\"" /tmp/load.json'
kill $mon; wait $mon 2>/dev/null

# A listener that stops reading: with its receive queue capped near the
# minimum (rmem_max; the kernel refuses values below SOCK_MIN_RCVBUF) a
# few events fill it, the kernel drops the rest and flags the socket;
# the listener says so, and goes on.
old_max=$(cat /proc/sys/net/core/rmem_max)
for v in 2048 2560 3072 3584 4096; do
	echo $v 2>/dev/null >/proc/sys/net/core/rmem_max && break
done
diag "rmem_max $(cat /proc/sys/net/core/rmem_max) while the slow listener starts"
dfuse monitor >/tmp/slow.txt 2>/tmp/slow.err &
mon=$!
wait_for 10 grep -q "monitoring" /tmp/slow.err
echo "$old_max" >/proc/sys/net/core/rmem_max
kill -STOP $mon
pids=""
for b in 0 1 2 3; do
	# two images in turn: at least eight events per board
	(dd if=/data/rand64k.bin of=/dev/dfuse$b.0 bs=64k 2>/dev/null &&
		dd if=/data/rand256k.bin of=/dev/dfuse$b.0 bs=64k 2>/dev/null) &
	pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=$((failed + 1)); done
is "$failed" 0 "slow listener: four boards written twice, every dd exits 0"
kill -CONT $mon
check "slow listener: told that events were lost" wait_for 5 \
	grep -qx "events lost: this listener fell behind and the kernel dropped some (ENOBUFS); run 'dfuse list' for the current boards" /tmp/slow.txt
# its queue read empty (Rmem 0 in /proc/net/netlink) before the unplug,
# or the removal event would find it still full
drained() {
	for ino in $(ls -l /proc/$mon/fd | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p'); do
		awk -v i="$ino" '$NF == i && $5 != 0 { bad = 1 } END { exit bad }' /proc/net/netlink || return 1
	done
}
check "slow listener: reads its queue empty" wait_for 10 drained
emu_stop ld0
check "slow listener: still listening after the loss" wait_for 10 \
	sh -c "sed -n '/^events lost/,\$p' /tmp/slow.txt | grep -q '^dfuse[0-9] removed serial=LOAD00000000'"
check "slow listener: the monitor is still running" kill -0 $mon
kill $mon; wait $mon 2>/dev/null
for b in 1 2 3; do emu_stop ld$b; done
done_testing
