# dfu-util 0.11, the host most build systems and board farms run, on the
# field ROM profiles where the field records what it does: the emulator
# must show the field's symptoms (docs/devices.md; dfuse's answer to each
# is in field-roms-old and field-roms-new). No dfuse.ko here.
. /tests/lib.sh
plan 15
reqlog() { echo "$(emu_dir "$1")/requests.log"; }
mem_is() { head -c "$(wc -c <"$2")" "$(emu_dir "$1")/alt0.bin" | cmp -s - "$2"; }
gone() { wait_for 10 usb_gone 0483:df11; }

# F407 (2012 log): the first GETSTATUS says dfuERROR/errFIRMWARE, cleared
emu_start f407 --profile f407-2012
dfu-util -v -v -a 0 -s 0x08000000 -D /data/rand2k.bin >/tmp/f407.out 2>&1
is "$?" 0 "f407-2012: dfu-util -D exits 0"
check "f407-2012: as in the 2012 log: dfuERROR, status 10, cleared" sh -c \
	"grep -q 'DFU state(10) = dfuERROR, status(10)' /tmp/f407.out && grep -q '^Clearing status' /tmp/f407.out"
emu_stop f407
gone

# G0B1 with Klipper's command line: the flash succeeds, the ROM resets
# without answering the GETSTATUS after the leave, dfu-util exits 74
emu_start g0b1 --profile g0b1
dfu-util -d ,0483:df11 -R -a 0 -s 0x8000000:leave -D /data/rand2k.bin >/tmp/g0b1.out 2>&1
is "$?" 74 "g0b1: Klipper's dfu-util line exits 74 (EX_IOERR)"
check "g0b1: with the field's error" grep -q "Error during download get_status" /tmp/g0b1.out
check "g0b1: although the flash holds the image" mem_is g0b1 /data/rand2k.bin
emu_stop g0b1
gone

# H750: the same leave error (NuttX weact-stm32h750 doc)
emu_start h750 --profile h750
dfu-util -a 0 -s 0x08000000:leave -D /data/rand2k.bin >/tmp/h750.out 2>&1
is "$?" 74 "h750: dfu-util -s ADDR:leave exits 74"
check "h750: Error during download get_status" grep -q "Error during download get_status" /tmp/h750.out
emu_stop h750
gone

# U5A9: SET_ADDRESS answered with dfuDNLOAD-IDLE at once; 0.11 wants
# dfuDNBUSY first (fixed after 0.11 by be49612)
emu_start u5a9 --profile u5a9
dfu-util -a 0 -s 0x08000000 -D /data/rand2k.bin >/tmp/u5a9.out 2>&1
is "$?" 76 "u5a9: dfu-util 0.11 exits 76 (EX_PROTOCOL)"
check "u5a9: Wrong state after command SET_ADDRESS" grep -q 'Wrong state after command "SET_ADDRESS" download' /tmp/u5a9.out
emu_stop u5a9
gone

# H743 Rev.V: an erase beyond 1 MiB stays dfuDNBUSY; dfu-util polls it
# for ever (dfu-buddy #3: "hangs"). Real timing: 1 s asked per poll.
emu_start h743 --profile h743 --time-scale 1
timeout 8 dfu-util -a 0 -s 0x08100000 -D /data/rand2k.bin >/tmp/h743.out 2>&1
st=$?
check "h743: dfu-util still polling the wedged erase after 8 s (killed: $st)" test "$st" -eq 124 -o "$st" -eq 143
check "h743: the ROM wedged" grep -q "^WEDGED" "$(reqlog h743)"
emu_stop h743
gone

# C071: dfu-util sends SET_ADDRESS before the leave when given an address
emu_start c071 --profile c071
dfu-util -a 0 -s 0x08000000:leave -D /data/rand2k.bin >/tmp/c071.out 2>&1
check "c071: no leave without SET_ADDRESS" sh -c "! grep -q '^FAULT leave without' $(reqlog c071)"
check "c071: the ROM reset (unanswered, as its generation does)" grep -q "^LEAVE jump=0x08000000 unanswered" "$(reqlog c071)"
emu_stop c071
gone

# F42x: the map string's bLength says 166 bytes, 112 come; dfu-util
# patches the length (as its comment says of the F427 ROM) and, like
# dfuse, sees the first MiB
emu_start f42x --profile f42x
dfu-util -l >/tmp/f42x.list 2>&1
check "f42x: dfu-util patches the length: was 166, received 112" grep -q "Patching string descriptor 4 length (was 166, received 112)" /tmp/f42x.list
check "f42x: and lists the first MiB's map" grep -q 'alt=0, name="@Internal Flash  /0x08000000/04\*016Kg,01\*064Kg,07\*128Kg",' /tmp/f42x.list
emu_stop f42x
gone
done_testing
