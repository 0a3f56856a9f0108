# Every ioctl, good and bad input (tests/vm/bin/ioctl-test.c), on F401.
. /tests/lib.sh
plan 148
insmod /lib/modules/dfuse.ko

run_c() { run_helper "" "$@"; }

emu_start basic --profile f401
wait_for 10 test -e /dev/dfuse0.0
run_c ioctl-test basic "$(emu_dir basic)"
emu_stop basic
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# The same as a 32-bit program: every struct through the compat path
emu_start basic32 --profile f401
wait_for 10 test -e /dev/dfuse0.0
run_c ioctl-test32 basic "$(emu_dir basic32)"
emu_stop basic32
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# the ROM's mass erase takes 800 ms before it resets (time scale 0.1)
emu_start rdp --profile f401 --rdp --time-scale 0.1
wait_for 10 test -e /dev/dfuse0.0
run_c ioctl-test rdp "$(emu_dir rdp)"
check "UNPROTECT: the part reset (re-enumerated)" \
	wait_for 10 grep -q "DETACHED reason=reset" "$(emu_dir rdp)/requests.log"
check "and the flash was mass-erased" grep -q MASS_ERASED "$(emu_dir rdp)/requests.log"
emu_stop rdp
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

emu_start leave --profile f401
wait_for 10 test -e /dev/dfuse0.0
run_c ioctl-test leave "$(emu_dir leave)"
check "LEAVE: the board left DFU mode" grep -q "DETACHED reason=leave" "$(emu_dir leave)/requests.log"
check "LEAVE: after pointing at the jump address" \
	grep -q "cmd=SETADDR addr=0x08000000" "$(emu_dir leave)/requests.log"
emu_stop leave
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# A handled signal, sent when sector 0 is erased, stops a WRITE ioctl
# between pages (real F4 timing)
mkdir -p "$(emu_dir sig)"
seeded sig-old 1048576 >"$(emu_dir sig)/alt0.bin"
emu_start sig --profile f407 --time-scale 1
wait_for 10 test -e /dev/dfuse0.0
run_c ioctl-test signal "$(emu_dir sig)"
is "$(cat /sys/bus/usb/devices/1-1:1.0/dfu/state)" dfuIDLE "WRITE signal: the board is left in dfuIDLE"
check "WRITE signal: the log says where the signal stopped it" \
	sh -c "dmesg | grep -q 'write of 1048576 bytes at 0x08000000 stopped by a signal after'"
emu_stop sig
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# A handled signal while erased sectors wait to be programmed
# (kernel-review D1): [old][blank][old] in three 16 KiB sectors
mkdir -p "$(emu_dir torn)"
seeded torn-old 1048576 >"$(emu_dir torn)/alt0.bin"
dd if=/dev/zero bs=16384 count=1 2>/dev/null | tr '\000' '\377' |
	dd of="$(emu_dir torn)/alt0.bin" bs=16384 seek=1 conv=notrunc 2>/dev/null
emu_start torn --profile f407 --time-scale 1
wait_for 10 test -e /dev/dfuse0.0
run_c ioctl-test torn "$(emu_dir torn)"
check "torn: the program phase came after both erases" sh -c \
	"grep -n 'ERASED addr=0x08008000' $(emu_dir torn)/requests.log | cut -d: -f1 | head -1 >/tmp/e2 &&
	 grep -n '^PROGRAM addr=0x08000000' $(emu_dir torn)/requests.log | cut -d: -f1 | head -1 >/tmp/p0 &&
	 test \$(cat /tmp/e2) -lt \$(cat /tmp/p0)"
emu_stop torn
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# An unplug part-way through a READ is ENODEV, not EINTR (kernel-review
# W4): the 60th request lies in the second 64 KiB chunk (each is a
# SET_ADDRESS, its GETSTATUS and 32 UPLOADs of 2 KiB)
mkdir -p "$(emu_dir unplug)"
seeded unplug-mem 1048576 >"$(emu_dir unplug)/alt0.bin"
emu_start unplug --profile f401 --disconnect-nth 60
wait_for 10 test -e /dev/dfuse0.0
run_c ioctl-test unplug "$(emu_dir unplug)"
emu_stop unplug
done_testing
