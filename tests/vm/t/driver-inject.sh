# Every fault the emulator can inject, met by the driver: a short and a
# babbling GETSTATUS, a STALL and an error status in the middle of a
# write, a spontaneous dfuERROR, errERASE, errPROG, a short poll and an
# unplug while programming. For each, through dd and through the write
# ioctl (dfuse flash): the exact errno, one kernel log line naming where it
# failed and the device state, memory as that line says (the bytes it
# counts hold the image; a range it names blank is blank; every byte it
# does not name keeps its old value), and a fresh board written next.
# On the sanitizer kernel each fault is met once, through dd and through
# the ioctl by turns (each entry meets four faults under KASAN, lockdep
# and kmemleak); the stock kernels meet every fault through both.
# vm-timeout: 1500
. /tests/lib.sh
if sanitizer_kernel; then plan 43; else plan 83; fi
insmod /lib/modules/dfuse.ko
. /tests/inject.sh
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

# (sanitizer kernel: dd meets the odd faults, the ioctl the even ones)
for how in dd ioctl; do
	turn=0 parity=1
	[ $how = ioctl ] && parity=0
	met && fault short-$how $how "Protocol error" \
		'failed after 0 bytes: -71 \(OK\) at 0x08000000 in unknown$' --status-len 5
	# USB/IP's host controller drops a device that babbles: the write
	# ends on the transfer's error or on the unplug, whichever is first
	met && fault babble-$how $how "Protocol error|No such device" \
		'failed after 0 bytes: (-71|-19) \(OK\) at 0x08000000 in unknown$' --status-len 8
	met && fault stall-$how $how "Protocol error" \
		'failed after 0 bytes: -71 \(OK\) at 0x08001000 in dfuDNLOAD-IDLE; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--stall-nth "$third_block"
	met && fault status-$how $how "Input/output error" \
		'failed after 0 bytes: -5 \(errPROG: emulated fault: injected error status\) at 0x08001000 in dfuERROR; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--status-nth "$third_block_status:6"
	met && fault spontaneous-$how $how "Protocol error" \
		'failed after 0 bytes: -71 \(errUNKNOWN\) at 0x08001000 in dfuERROR; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--error-nth "$third_block"
	met && fault erase-$how $how "Input/output error" \
		'failed after 0 bytes: -5 \(errERASE\) at 0x08000000 in dfuERROR; 0x08000000-0x08003fff failed to erase and may be partly erased$' \
		--fail-in erase
	met && fault prog-$how $how "Input/output error" \
		'failed after 0 bytes: -5 \(errPROG\) at 0x08000000 in dfuERROR; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
		--fail-in write
	met && fault unplug-$how $how "No such device" \
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
