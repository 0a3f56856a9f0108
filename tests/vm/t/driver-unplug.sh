# An unplug at each step of a write, met by the driver: during the
# compare read and the erase, through dd, the write ioctl (dfuse flash) and
# the flush at close(); during programming at close() (dd and the ioctl:
# driver-inject.sh); during a mass erase; during the leave, where the
# board going is the request's success (newer ROMs reset without
# answering). Each: the exact errno, one kernel log line naming where it
# failed, memory as that line says, and a fresh board next. On the
# sanitizer kernel dd and close() meet the unplug in the compare, the
# ioctl the one in the erase.
. /tests/lib.sh
if sanitizer_kernel; then plan 30; else plan 45; fi
insmod /lib/modules/dfuse.ko
. /tests/inject.sh

for how in dd ioctl close; do
	turn=0 parity=1
	[ $how = ioctl ] && parity=0
	err="No such device"
	[ $how = close ] && err="close: No such device"
	met && fault compare-$how $how "$err" \
		'failed after 0 bytes: -19 \(OK\) at 0x08000000 in [^;]*$' --disconnect-in read
	met && fault erase-$how $how "$err" \
		'failed after 0 bytes: -19 \(OK\) at 0x08000000 in [^;]*; 0x08000000-0x08003fff failed to erase and may be partly erased$' \
		--disconnect-in erase
done
fault program-close close "close: No such device" \
	'failed after 0 bytes: -19 \(OK\) at 0x08000000 in [^;]*; 0x08000000-0x08003fff may be partly programmed; 0x08004000-0x0800ffff was erased and is left blank$' \
	--disconnect-in write

# a mass erase: the flash may be anything; said once, and the next board
# is erased whole
start mass --disconnect-in erase
dmesg -c >/dev/null
dfuse erase --mass --yes --device /dev/dfuse0.0 >/tmp/mass.out 2>&1
st=$?
diag "mass erase: $(tr '\n' ' ' </tmp/mass.out)(exit $st)"
check "mass erase, unplugged: the tool fails" test $st -ne 0
check "and says No such device" grep -q "No such device" /tmp/mass.out
is "$(dmesg | grep -c 'dfuse0.0: mass erase failed: -19 (OK) in [^;]*; the flash may be partly erased$')" 1 \
	"one kernel line: the mass erase failed, the flash may be partly erased"
stop mass
start mass-next
dfuse erase --mass --yes --device /dev/dfuse0.0 >/dev/null 2>&1
is "$?" 0 "the next mass erase, on a fresh board: exit 0"
check "and the flash is blank" sh -c "test -z \"\$(tr -d '\\377' <$(emu_dir mass-next)/alt0.bin | head -c 1)\""
stop mass-next

# the leave: the board resets without answering the GETSTATUS after it
start leave --disconnect-in manifest
dmesg -c >/dev/null
dfuse leave --device /dev/dfuse0.0 >/tmp/leave.out 2>&1
is "$?" 0 "leave, the board gone before answering: exit 0"
check "the tool says it left" grep -q "dfuse0 left DFU mode" /tmp/leave.out
check "the board got the leave request" grep -q "^DNLOAD block=2 len=0 leave" "$(emu_dir leave)/requests.log"
is "$(dmesg | grep -c 'dfuse0.*\(failed\|error\)')" 0 "and the kernel logs no failure"
wait_for 10 usb_gone 0483:df11
start leave-next
dfuse leave --device /dev/dfuse0.0 >/dev/null 2>&1
is "$?" 0 "the next leave, on a fresh board: exit 0"
stop leave-next
done_testing
