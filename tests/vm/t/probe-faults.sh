# dfuse's probe with each of its allocations failing in turn (failslab
# through /proc/self/fail-nth: bind-fault), while a second thread opens
# the board's first node as soon as it appears. After every failed bind:
# no node, no class entry, the interface unbound, a file opened during the
# bind failing with ENODEV (kernel-review C2: a probe that failed after its
# nodes appeared left an openable board), and a bind with no fault binds a
# board that reads its memory. KASAN, lockdep and kmemleak judge the
# failure paths. Only on debug7 (tests/vm/debug7.config; run-matrix.sh).
# vm-timeout: 900
. /tests/lib.sh
plan 10

insmod /lib/modules/dfuse.ko
fs=/sys/kernel/debug/failslab
# the code from a symbol's address to the next symbol's
sym_start() { awk -v s="$1" '$3 == s { print "0x" $1; exit }' /proc/kallsyms; }
sym_end() {
	sort /proc/kallsyms |
		awk -v s="$1" 'a && $1 != a { print "0x" $1; exit } $3 == s { a = $1 }'
}
# Only allocations made under dfuse_probe(), and none of vhci_hcd's URB
# submission: vhci drops a URB whose allocation fails and never gives it
# back, and its submitter waits in usb_kill_urb() for ever (USB/IP's, not
# a real host controller's, behaviour).
echo "$(sym_start dfuse_probe)" >$fs/require-start
echo "$(sym_end dfuse_probe)" >$fs/require-end
echo "$(sym_start vhci_urb_enqueue)" >$fs/reject-start
echo "$(sym_end vhci_urb_enqueue)" >$fs/reject-end
echo 32 >$fs/stacktrace-depth
# GFP_KERNEL allocations too (failslab leaves them alone by default); no
# stack dump per injected failure
echo N >$fs/ignore-gfp-wait
echo 0 >$fs/verbose
diag "failing under dfuse_probe $(cat $fs/require-start)-$(cat $fs/require-end), not under vhci_urb_enqueue $(cat $fs/reject-start)-$(cat $fs/reject-end)"

# a board of two alternate settings: its nodes made in turn, so that a
# failure can come with the first node there and the second not yet
emu_start board --profile f042 || exit 1
wait_for 10 test -c /dev/dfuse0.1
intf=$(basename "$(readlink -f /sys/class/dfuse/dfuse0.0/device)")
drv=/sys/bus/usb/drivers/dfuse
head -c 16 /dev/dfuse0.0 >/tmp/first16
echo "$intf" >$drv/unbind
check "the board's interface unbinds" sh -c "! test -e /sys/bus/usb/devices/$intf/driver"

nothing_left() {
	! ls /dev /sys/class/dfuse 2>/dev/null | grep -q '^dfuse[0-9]' &&
		! test -e "/sys/bus/usb/devices/$intf/driver"
}

# bound_and_reads: every node there, and the first 16 bytes of memory read
bound_and_reads() {
	test -c /dev/dfuse0.1 && head -c 16 /dev/dfuse0.0 | cmp -s - /tmp/first16
}

n=1 fails=0 absorbed=0 late=0 bad_left="" bad_read="" bad_rebind="" last=""
while [ $n -le 5000 ]; do
	r=$(bind-fault $n "$intf" /dev/dfuse0.0) || { last="bind-fault failed: $r"; break; }
	case $r in
	"injected=0 bind=0 "*)
		# fewer than n allocations: this bind had no fault
		last=$r
		break ;;
	"injected=1 bind=0 "*)
		# a failure the bind path absorbs: the board must be whole
		absorbed=$((absorbed + 1))
		bound_and_reads || bad_rebind="$bad_rebind $n(absorbed)" ;;
	"injected=1 bind=E"*)
		fails=$((fails + 1))
		nothing_left || bad_left="$bad_left $n"
		case $r in
		*" opened=1 read=ENODEV") late=$((late + 1)) ;;
		*" opened=1 "*) bad_read="$bad_read $n:${r##* }" ;;
		esac
		# nothing held or locked: a bind without a fault works
		echo "$intf" >$drv/bind 2>/dev/null
		bound_and_reads || bad_rebind="$bad_rebind $n" ;;
	*)
		last="unexpected: $n: $r"
		break ;;
	esac
	echo "$intf" >$drv/unbind 2>/dev/null
	n=$((n + 1))
done
diag "$((n - 1)) allocations failed in turn: $fails binds failed, $absorbed absorbed, $late after a file was opened"
is "$last" "injected=0 bind=0 opened=1 read=16" \
	"a bind past the last allocation binds, and its node reads during it"
check "binds failed at some allocations" test $fails -gt 0
is "$bad_left" "" "each failed bind left no node, no class entry, no binding"
check "some binds failed after a file on the board was opened (C2)" test $late -gt 0
is "$bad_read" "" "a file opened during a failed bind reads ENODEV"
is "$bad_rebind" "" "after each failed bind, a bind without a fault gives a whole board"

# the board works after all of it: written and read through the node
seeded img 16384 >/tmp/img
echo "$intf" >$drv/bind 2>/dev/null
wait_for 10 test -c /dev/dfuse0.0
dd if=/tmp/img of=/dev/dfuse0.0 bs=16384 conv=fsync 2>/dev/null
is "$?" 0 "a write after the failed binds"
board_mem=$(emu_dir board)/alt0.bin
check "the memory holds it" sh -c "head -c 16384 $board_mem | cmp -s - /tmp/img"
emu_stop board
check "the unplug removes the board" wait_for 10 sh -c '! test -e /dev/dfuse0.0'
done_testing
