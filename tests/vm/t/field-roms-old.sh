# The older ST ROM generation (F0/F1/F3/F4/F7/L0/L1/L4) and the other
# vendors, one board per profile (tests/emu/profiles_field.c, each with
# its source): dd, cat and `dfuse flash --leave` (rom_cycle), then the
# profile's own quirk and dfuse's answer to it. Every profile on every
# lane, the sanitizer kernels included.
# vm-timeout: 600
. /tests/lib.sh
plan 147
reqlog() { echo "$(emu_dir "$1")/requests.log"; }
stop() { emu_stop "$1"; wait_for 10 sh -c '! test -e /dev/dfuse0.0'; }

insmod /lib/modules/dfuse.ko

# these ROMs start in dfuERROR/errFIRMWARE: one CLRSTATUS, first
started_in_error() {
	check "$1: started in dfuERROR, cleared by the first request" sh -c \
		"grep -m1 -E '^(CLRSTATUS|DNLOAD|UPLOAD)' $(reqlog "$1") | grep -q CLRSTATUS"
}

rom_cycle f407-2012 16384
started_in_error f407-2012
stop f407-2012
rom_cycle f105 4096
check "f105: the leave was answered with dfuMANIFEST" grep -q "state=7 " "$(reqlog f105)"
stop f105
for p in f401 f303; do
	rom_cycle $p 16384
	started_in_error $p
	stop $p
done
rom_cycle f042 4096
is "$(cat /tmp/f042.serial)" FFFFFFFEFFFF "f042: the serial every F042 has"
stop f042
rom_cycle l1 524288
stop l1
rom_cycle l452 4096
stop l452
# F767 in dual-bank mode: on blank flash (nothing to erase) it is an
# F7 like any other
rom_cycle f767-dual-bank 4096
stop f767-dual-bank
# F469: 104 ms asked per block whatever its length, held polls
rom_cycle f469 16384
check "f469: the leave asked 104 ms (time scale 0: 0) and said dfuMANIFEST" grep -q "state=7 poll=0" "$(reqlog f469)"
stop f469
# F42x: the map string's bLength says 166, 112 bytes come: the first MiB
rom_cycle f42x 16384
check "f42x: the map read is the 112 bytes sent (1 MiB)" sh -c \
	"dmesg | grep -q 'DfuSe bootloader, 2 alternate settings' && ! dfuse list -v 2>&1 | grep -q 0x08100000"
stop f42x
# GD32 and AT32: other vendors' ROMs
rom_cycle gd32vf103 4096
stop gd32vf103
rom_cycle at32 4096
check "at32: its option-byte map is taken, with a warning" sh -c \
	"dmesg | grep -q 'alt 1: memory map .* bends the grammar (spaces inside a region)'"
stop at32
# L0: 1536 pages, more than 1024 in one write; the whole image through dd
# and cat (L1, 2048 pages, above)
l0_size=196608
rom_cycle l0 $l0_size
# 16 pages of 128 bytes fill one 2048-byte transfer: the dd and the flash
# of 16 KiB program in transfer-size requests, not one per page (1536
# data DNLOADs then, 104 now)
dnloads=$(grep -cE '^DNLOAD block=([2-9]|[1-9][0-9]+) len=[1-9]' "$(reqlog l0)")
check "l0: programmed in transfer-size requests ($dnloads data DNLOADs)" \
	test "$dnloads" -le $(((l0_size + 2047) / 2048 + 8))
stop l0
# A group of small pages that fails: the log names the whole group as
# maybe partly programmed, and the pages erased for later groups as blank
mkdir -p "$(emu_dir l0-torn)"
seeded l0-old 196608 >"$(emu_dir l0-torn)/alt0.bin"	# the whole flash
seeded l0-new 8192 >/tmp/l0-new.bin
emu_start l0-torn --profile l0 --fail-in write
wait_for 10 test -e /dev/dfuse0.0
dd if=/tmp/l0-new.bin of=/dev/dfuse0.0 bs=8k conv=fsync 2>/tmp/l0-torn.dd
rc=$?
check "l0 torn group: dd fails" test $rc -ne 0
[ "$rc" -ne 0 ] || { sed "s/^/# dd: /" /tmp/l0-torn.dd; dmesg | tail -n 4 | sed "s/^/# dmesg: /"; tail -n 8 "$(reqlog l0-torn)" | sed "s/^/# emu: /"; }
check "l0 torn group: with an I/O error" grep -q "Input/output error" /tmp/l0-torn.dd
check "l0 torn group: the log names the group and the erased pages" sh -c \
	"dmesg | grep -q 'write of 8192 bytes at 0x08000000 failed after 0 bytes: -5 (errPROG.*; 0x08000000-0x080007ff may be partly programmed; 0x08000800-0x08001fff was erased and is left blank$'"
mem=$(emu_dir l0-torn)/alt0.bin
head -c 6144 /dev/zero | tr '\0' '\377' >/tmp/ff6k
seeded l0-old 196608 | head -c 16384 | tail -c 8192 >/tmp/l0-old.tail
check "l0 torn group: the erased pages are blank" sh -c \
	"dd if=$mem bs=2048 skip=1 count=3 2>/dev/null | cmp -s - /tmp/ff6k"
check "l0 torn group: the bytes past the write keep their old value" sh -c \
	"head -c 16384 $mem | tail -c 8192 | cmp -s - /tmp/l0-old.tail"
stop l0-torn
# ECC flash refuses to program a blank page twice: a blank group refused
# is erased and programmed again, and the write succeeds
emu_start l0-ecc --profile l0 --fail-in write
wait_for 10 test -e /dev/dfuse0.0
dd if=/tmp/l0-new.bin of=/dev/dfuse0.0 bs=8k conv=fsync 2>/dev/null
is "$?" 0 "l0 refused blank group: dd exits 0"
check "l0 refused blank group: erased, programmed again, memory holds it" sh -c \
	"grep -q '^FAULT fail-in write' $(reqlog l0-ecc) && head -c 8192 $(emu_dir l0-ecc)/alt0.bin | cmp -s - /tmp/l0-new.bin"
stop l0-ecc
rom_cycle l433 4096
check "l433: the ROM stalled an erase poll, and it was asked again" grep -q "^FAULT erase poll stalled" "$(reqlog l433)"
stop l433
# strict DFU 1.1: a poll before bwPollTimeout goes to dfuERROR. Real
# busy times (scale 1): dfuse waits what it is asked on a device it does
# not know, and its first write after the plug succeeds.
rom_cycle strict-dfu 4096 --time-scale 1
check "strict-dfu: no poll came before its bwPollTimeout" sh -c "! grep -q '^EARLY_POLL' $(reqlog strict-dfu)"
stop strict-dfu

# F767 in dual-bank mode: the ROM reports the single-bank map and erases
# the 16 KiB dual-bank sector at 0x08080000 where the map says 256 KiB,
# and its flash takes a program over old bytes without an error. The
# erased page is read back before anything is programmed on it: the
# write fails, says where, and leaves the old bytes past the sector.
mkdir -p "$(emu_dir f767)"
seeded f767-old 1048576 >"$(emu_dir f767)/alt0.bin"
cp "$(emu_dir f767)/alt0.bin" /tmp/f767.old
seeded f767.a 65536 >/tmp/f767.a
emu_start f767 --profile f767-dual-bank
wait_for 10 test -e /dev/dfuse0.0
dd if=/tmp/f767.a of=/dev/dfuse0.0 bs=64k seek=8 conv=notrunc,fsync 2>/tmp/f767.dd
check "f767-dual-bank: dd over the misreported sector fails" test $? -ne 0
check "f767-dual-bank: as an I/O error" grep -q "Input/output error" /tmp/f767.dd
check "f767-dual-bank: the log names the first byte the erase left, and why" sh -c \
	"dmesg | grep -q '0x08084000 reads 0x.. after the page at 0x08080000 was erased: the part.s sectors are not its map.s'"
check "f767-dual-bank: and the page as maybe partly erased" sh -c \
	"dmesg | grep -q 'write of 65536 bytes at 0x08080000 failed after 0 bytes.*0x08080000-0x080bffff failed to erase and may be partly erased'"
emu_stop f767
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
check "f767-dual-bank: nothing was programmed over the old bytes past the sector" \
	cmp -s "$(emu_dir f767)/alt0.bin" /tmp/f767.old 540672 540672
check "f767-dual-bank: what the ROM erased is blank" sh -c \
	"head -c 540672 $(emu_dir f767)/alt0.bin | tail -c 16384 | tr -d '\\377' | wc -c | grep -qx 0"

# The 64 KiB dual-bank sector at 0x08010000 lies under two 32 KiB pages of
# the map: a write that changes the first and leaves the second as it was
# erases both. The second is found erased and programmed again.
mkdir -p "$(emu_dir f767b)"
cp /tmp/f767.old "$(emu_dir f767b)/alt0.bin"
seeded f767.b 32768 >/tmp/f767.b
dd if=/tmp/f767.old bs=32k skip=3 count=1 2>/dev/null >>/tmp/f767.b
{ head -c 65536 /tmp/f767.old; cat /tmp/f767.b; tail -c +131073 /tmp/f767.old; } >/tmp/f767.want
emu_start f767b --profile f767-dual-bank
wait_for 10 test -e /dev/dfuse0.0
dd if=/tmp/f767.b of=/dev/dfuse0.0 bs=64k seek=1 conv=notrunc,fsync 2>/dev/null
is "$?" 0 "f767-dual-bank: a write of the first page under the 64 KiB sector exits 0"
check "f767-dual-bank: the log says the page beside it was erased too" sh -c \
	"dmesg | grep -q 'erasing next to 0x08018000 erased it too'"
emu_stop f767b
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
check "f767-dual-bank: the memory holds the write and every other byte as it was" \
	cmp -s "$(emu_dir f767b)/alt0.bin" /tmp/f767.want
done_testing
