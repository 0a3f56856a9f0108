# The node's edges (the test audit's coverage rows): a write larger than
# the 512 KiB gather buffer, partial pages in a 128 KiB sector and across
# a sector boundary, a read at the end, two writers, rmmod with an open
# file, OTP written with other bytes, option bytes written by dd, and a
# stale file across a replug that gives the new board the same node.
. /tests/lib.sh
plan 39
insmod /lib/modules/dfuse.ko
mem() { echo "$(emu_dir "$1")/alt$2.bin"; }
# kept NAME FROM LEN: memory outside [FROM, FROM+LEN) is what /tmp/before.bin held
kept() {
	head -c "$2" /tmp/before.bin >/tmp/k1; head -c "$2" "$(mem "$1" 0)" >/tmp/k2
	cmp -s /tmp/k1 /tmp/k2 || return 1
	tail -c +$(($2 + $3 + 1)) /tmp/before.bin >/tmp/k1
	tail -c +$(($2 + $3 + 1)) "$(mem "$1" 0)" >/tmp/k2
	cmp -s /tmp/k1 /tmp/k2
}
landed() { tail -c +$(($2 + 1)) "$(mem "$1" 0)" | head -c "$3" | cmp -s - "$4"; }

mkdir -p "$(emu_dir big)"
seeded big-old 1048576 >"$(mem big 0)"
seeded big-new 1048576 >/tmp/big.bin
emu_start big --profile f407
check "f407: the node appears" wait_for 10 test -c /dev/dfuse0.0
# 1 MiB in 3000-byte writes: two gather buffers and a tail, no block aligned
dd if=/tmp/big.bin of=/dev/dfuse0.0 bs=3000 2>/dev/null
is "$?" 0 "1 MiB in 3000-byte writes: dd exits 0"
check "1 MiB in 3000-byte writes: the device holds it byte-exact" cmp -s "$(mem big 0)" /tmp/big.bin

# 1000 bytes in the middle of the 128 KiB sector at 0x08020000
cp "$(mem big 0)" /tmp/before.bin
seeded mid 1000 >/tmp/mid.bin
dd if=/tmp/mid.bin of=/dev/dfuse0.0 bs=1000 seek=$(( (0x20000 + 1000) / 1000 )) conv=notrunc 2>/dev/null
off=$(( (0x20000 + 1000) / 1000 * 1000 ))
check "a partial page in a 128 KiB sector: the bytes landed" landed big $off 1000 /tmp/mid.bin
check "and every other byte kept its value" kept big $off 1000
# 8 KiB across the 64 KiB / 128 KiB sector boundary at 0x08020000
cp "$(mem big 0)" /tmp/before.bin
seeded across 8192 >/tmp/across.bin
dd if=/tmp/across.bin of=/dev/dfuse0.0 bs=4096 seek=$(( (0x20000 - 4096) / 4096 )) conv=notrunc 2>/dev/null
check "across a sector boundary: the bytes landed" landed big $((0x20000 - 4096)) 8192 /tmp/across.bin
check "and every other byte kept its value" kept big $((0x20000 - 4096)) 8192

# a read at the end of the map: 0 bytes, and nothing asked of the board
before=$(grep -c '^UPLOAD' "$(emu_dir big)/requests.log")
n=$(dd if=/dev/dfuse0.0 bs=4096 skip=256 count=1 2>/dev/null | wc -c)
is "$n" 0 "a read at the map's end returns 0 bytes"
is "$(grep -c '^UPLOAD' "$(emu_dir big)/requests.log")" "$before" "and sends no UPLOAD"

# two writers: the second open for writing is refused while the first is
# open, and succeeds once it is closed
exec 3>/dev/dfuse0.0
dd if=/data/rand2k.bin of=/dev/dfuse0.0 bs=2048 count=1 conv=notrunc 2>/tmp/busy.err
check "a second writer: refused" grep -q "Device or resource busy" /tmp/busy.err
exec 3>&-
dd if=/data/rand2k.bin of=/dev/dfuse0.0 bs=2048 count=1 conv=notrunc 2>/dev/null
is "$?" 0 "once the first is closed, it may write"
check "and its bytes landed" sh -c "head -c 2048 $(mem big 0) | cmp -s - /data/rand2k.bin"

# rmmod with an open file: refused; after the close it unloads at once
exec 3</dev/dfuse0.0
check "rmmod with a file open: refused" sh -c "! rmmod dfuse 2>/dev/null"
exec 3<&-
emu_stop big
check "the board is gone" wait_for 10 usb_gone 0483:df11
check "after the close, rmmod succeeds the first time" rmmod dfuse
insmod /lib/modules/dfuse.ko

# OTP holds other bytes: written in place, never erased (the f401's map
# says so: not erasable), so refused
emu_start otp --profile f401
check "f401: the OTP node appears" wait_for 10 test -c /dev/dfuse0.2
dd if=/data/otp.bin of=/dev/dfuse0.2 bs=512 count=1 2>/dev/null
seeded otp-other 512 >/tmp/otp2.bin
cp "$(mem otp 2)" /tmp/otp.before
dd if=/tmp/otp2.bin of=/dev/dfuse0.2 bs=512 count=1 2>/tmp/otp.err
check "OTP with other bytes: EIO" grep -q "Input/output error" /tmp/otp.err
is "$(grep -c 'cmd=ERASE' "$(emu_dir otp)/requests.log")" 0 "and no erase was sent"
check "and the OTP still holds the first bytes" cmp -s "$(mem otp 2)" /tmp/otp.before

# option bytes through the node: the ROM programs them and resets to load
# them, which is the write's success; the node comes back and reads them
{ printf '\125\252'; tail -c +3 "$(mem otp 1)"; } >/tmp/ob-new.bin
dmesg -c >/dev/null
dd if=/tmp/ob-new.bin of=/dev/dfuse0.1 bs=16 conv=fsync 2>/tmp/ob.err
is "$?" 0 "option bytes by dd: exit 0 ($(tr '\n' ' ' </tmp/ob.err))"
check "the kernel says the board resets to load them" sh -c \
	"dmesg | grep -q 'dfuse0.1: option bytes written at 0x1fffc000; the board resets to load them'"
is "$(dmesg | grep -c 'dfuse0.1: write of')" 0 "and logs no failure"
check "the emulator reset to load them" grep -q "DETACHED reason=reset" "$(emu_dir otp)/requests.log"
check "the node comes back" wait_for 10 test -c /dev/dfuse0.1
check "and reads the new option bytes" sh -c "cat /dev/dfuse0.1 | cmp -s - /tmp/ob-new.bin"

# a file of the board that left, and a new board on the same node
exec 3<>/dev/dfuse0.0
emu_stop otp
wait_for 10 usb_gone 0483:df11
mkdir -p "$(emu_dir newb)"
seeded newb-old 262144 >"$(mem newb 0)"
cp "$(mem newb 0)" /tmp/newb.before
emu_start newb --profile f401
check "a new board gets dfuse0 again" wait_for 10 test -c /dev/dfuse0.0
echo x >&3 2>/tmp/stale.err
check "writing through the old board's file: No such device" grep -q "No such device" /tmp/stale.err
exec 3>&-
check "and the new board is untouched" cmp -s "$(mem newb 0)" /tmp/newb.before
emu_stop newb
wait_for 10 usb_gone 0483:df11

# a map with a hole and a read-only region: a write that reaches either
# is refused whole, before any request
emu_start hole --profile f401 --set 'alt0=@X /0x08000000/2*16Kg/0x08010000/2*16Ka'
check "a map with a hole: the node appears" wait_for 10 test -c /dev/dfuse0.0
n0=$(grep -c . "$(emu_dir hole)/requests.log")
dd if=/data/rand64k.bin of=/dev/dfuse0.0 bs=49152 count=1 2>/tmp/hole.err
check "a write from a writable region into the hole: ENXIO" grep -q "No such device or address" /tmp/hole.err
dd if=/data/rand64k.bin of=/dev/dfuse0.0 bs=16384 seek=4 count=1 2>/tmp/ro.err
check "a write into the read-only region: EROFS" grep -q "Read-only file system" /tmp/ro.err
is "$(grep -c . "$(emu_dir hole)/requests.log")" "$n0" "neither sent a request"
emu_stop hole
wait_for 10 usb_gone 0483:df11

# A USB reset (usbreset, a hub's recovery) while a write runs: the reset
# waits for it, the board stays bound at its node, an open file keeps
# working, and the next write works (review F18: without pre_reset and
# post_reset usbcore unbinds and binds it again)
dmesg -c >/dev/null
emu_start rst --profile f407 --time-scale 1
wait_for 10 test -e /dev/dfuse0.0
seeded rst-a 65536 >/tmp/rst-a.bin
seeded rst-b 16384 >/tmp/rst-b.bin
exec 3</dev/dfuse0.0
dd if=/tmp/rst-a.bin of=/dev/dfuse0.0 bs=64k conv=fsync 2>/dev/null &
writer=$!
wait_for 10 grep -q '^PROGRAM' "$(emu_dir rst)/requests.log"
usbreset 0483:df11 >/tmp/usbreset.out 2>&1
is "$?" 0 "reset: usbreset exits 0"
wait "$writer"
is "$?" 0 "reset: the write it met completes (the reset waited for it)"
check "reset: the write's bytes are in memory" sh -c "head -c 65536 $(emu_dir rst)/alt0.bin | cmp -s - /tmp/rst-a.bin"
check "reset: the board stays bound at its node (no disconnect, no new probe)" sh -c \
	"dmesg | grep -q 'dfuse0: reset, still /dev/dfuse0' && ! dmesg | grep -q 'dfuse0 disconnected' && test \$(dmesg | grep -c 'DfuSe bootloader, ') -eq 1"
check "reset: a file opened before it still reads" sh -c "head -c 16 <&3 | cmp -s - /tmp/rst-a.bin -n 16"
dd if=/tmp/rst-b.bin of=/dev/dfuse0.0 bs=16k conv=fsync 2>/dev/null
is "$?" 0 "reset: a write after it succeeds"
check "reset: and its bytes are in memory" sh -c "head -c 16384 $(emu_dir rst)/alt0.bin | cmp -s - /tmp/rst-b.bin"
exec 3<&-
emu_stop rst
wait_for 10 usb_gone 0483:df11
done_testing
