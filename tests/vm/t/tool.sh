# The dfuse tool against the driver and the emulated F401: a two-target
# .dfu, --leave, refusals before anything is written, several boards,
# --json, and dfu-util flashing a file our pack made.
. /tests/lib.sh
plan 61
insmod /lib/modules/dfuse.ko
dfu_requests() { grep -cE '^(DNLOAD|UPLOAD) ' "$(emu_dir "$1")/requests.log"; }

emu_start one --profile f401
wait_for 10 test -e /dev/dfuse0.2
dfuse flash /data/twotarget.dfu >/tmp/flash.out 2>&1
is "$?" 0 "flash of a two-target .dfu (flash + OTP) exits 0"
check "flash: alt 0 holds element 1 at 0x08004000" sh -c "tail -c +16385 $(emu_dir one)/alt0.bin | head -c 3000 | cmp -s - /data/elem-a.bin"
check "flash: OTP (alt 2) holds element 2 at 0x1FFF7800" sh -c "head -c 512 $(emu_dir one)/alt2.bin | cmp -s - /data/otp.bin"
check "flash: verified by reading back" grep -q "verified" /tmp/flash.out
check "flash: plain progress lines without a tty" grep -q "^program: 100%" /tmp/flash.out

# wrong VID/PID and too large: refused, nothing sent
dfuse pack -o /tmp/other.dfu --vid 0x1234 --pid 0x5678 0x08000000:/data/rand2k.bin
before=$(dfu_requests one)
dfuse flash /tmp/other.dfu 2>/tmp/vidpid.err
is "$?" 65 "a .dfu for 1234:5678 is refused (exit 65)"
check "the refusal names both ids" grep -q "is for 1234:5678, dfuse0 is 0483:df11; nothing written" /tmp/vidpid.err
dfuse flash /data/big300k.bin --address 0x08000000 2>/tmp/big.err
is "$?" 65 "a 300 KiB image for a 256 KiB map is refused (exit 65)"
check "the refusal says it does not fit" grep -q "does not fit the writable memory of alt 0" /tmp/big.err
is "$(dfu_requests one)" "$before" "neither refusal sent a request to the board"

dfuse flash /data/rand64k.bin --address 0x08000000 --json >/tmp/flash.json 2>/tmp/flash.err; sed "s/^/# err: /" /tmp/flash.err
is "$(jq -r '.ok, .verified, .elements[0].size' /tmp/flash.json | tr '\n' ' ')" "true true 65536 " "flash --json parses"
dfuse read --address 0x08000000 --length 65536 -o /tmp/read.bin -q
check "read -o returns what was flashed" cmp -s /tmp/read.bin /data/rand64k.bin
dfuse status | grep -q "state dfuIDLE"
check "status: dfuIDLE" test $? -eq 0
# A HEX file whose records share a sector (three records with gaps in
# the first 16 KiB): the sector is erased once, not once per record, the
# records land and the bytes between them keep their value
mem=$(emu_dir one)/alt0.bin
cp "$mem" /tmp/before-hex.bin
mark=$(wc -l <"$(emu_dir one)/requests.log")
dfuse flash /data/gapped.hex >/tmp/gapped.out 2>&1
is "$?" 0 "a HEX file with three records in one sector: flash exits 0"
is "$(tail -n +$((mark + 1)) "$(emu_dir one)/requests.log" | grep -c '^ERASED addr=0x08000000 ')" 1 \
	"that sector is erased once, not once per record"
for r in 0:0 1:256 2:4096; do
	dd if=/data/gapped-rec.bin of=/tmp/rec bs=16 skip=${r%%:*} count=1 2>/dev/null
	dd if="$mem" of=/tmp/got bs=1 skip=${r#*:} count=16 2>/dev/null
	check "record $((${r%%:*} + 1)) is in the flash at offset ${r#*:}" cmp -s /tmp/rec /tmp/got
done
dd if="$mem" of=/tmp/gap bs=1 skip=16 count=240 2>/dev/null
dd if=/tmp/before-hex.bin of=/tmp/gap-before bs=1 skip=16 count=240 2>/dev/null
check "the bytes between two records keep their value" cmp -s /tmp/gap /tmp/gap-before
dfuse erase --address 0x08000000 --length 1 -q
check "erase: the first 16 KiB page is blank" sh -c "head -c 16384 $(emu_dir one)/alt0.bin | tr -d '\377' | wc -c | grep -qx 0"

# Option bytes: read like any memory; writing needs --option-bytes, RDP
# level 2 needs more; the board resets to load them and is verified after
dfuse read --alt option-bytes -o /tmp/ob.bin -q
check "read --alt option-bytes reads the 16 option bytes" cmp -s /tmp/ob.bin "$(emu_dir one)/alt1.bin"
{ printf '\125\252'; tail -c +3 /tmp/ob.bin; } >/tmp/ob-new.bin
{ printf '\355\314'; tail -c +3 /tmp/ob.bin; } >/tmp/ob-rdp2.bin
before=$(dfu_requests one)
dfuse flash /tmp/ob-new.bin --alt option-bytes --address 0x1FFFC000 2>/tmp/ob.err
is "$?" 64 "option bytes without --option-bytes: refused (exit 64)"
check "and the refusal says how to allow it" grep -q "add --option-bytes to allow it" /tmp/ob.err
dfuse flash /tmp/ob-rdp2.bin --alt option-bytes --address 0x1FFFC000 --option-bytes 2>/tmp/ob.err
is "$?" 64 "RDP level 2 without --i-understand-rdp2-is-permanent: refused (exit 64)"
check "and the refusal says it is permanent" grep -q "level 2, which can never be undone" /tmp/ob.err
is "$(dfu_requests one)" "$before" "neither option-byte refusal sent a request"
dfuse flash /tmp/ob-new.bin --alt option-bytes --address 0x1FFFC000 --option-bytes >/tmp/ob.out 2>&1
is "$?" 0 "option bytes with --option-bytes: exit 0"
check "the board reset to load them" grep -q "DETACHED reason=reset" "$(emu_dir one)/requests.log"
check "the tool says so and verified after the reset" sh -c "grep -q 'the board resets to load them' /tmp/ob.out && grep -q verified /tmp/ob.out"
check "the option bytes hold the new value" cmp -s /tmp/ob-new.bin "$(emu_dir one)/alt1.bin"
wait_for 10 test -e /dev/dfuse0.0

dfuse flash /data/rand2k.bin --address 0x08000000 --leave >/tmp/leave.out 2>&1
is "$?" 0 "flash --leave exits 0"
check "flash --leave prints no error" sh -c "! grep -qi 'error\|fail' /tmp/leave.out"
check "the board left DFU mode" grep -q "DETACHED reason=leave" "$(emu_dir one)/requests.log"
emu_stop one

# --verify (the default): the driver reads back what it programmed, and
# only that; a byte that programs wrong (the ROM says OK) fails the flash
emu_start vr --profile f401
wait_for 10 test -e /dev/dfuse0.0
uploads() { grep -c '^UPLOAD ' "$(emu_dir vr)/requests.log"; }
u0=$(uploads)
dfuse flash /data/rand64k.bin --address 0x08000000 -q
is "$?" 0 "verified flash of 64 KiB onto blank flash exits 0"
u1=$(uploads)
is "$((u1 - u0))" 64 "it reads 32 blocks to compare (blank) and the 32 it programmed back"
dfuse flash /data/rand64k.bin --address 0x08000000 -q
is "$(($(uploads) - u1))" 32 "again: 32 blocks compared, nothing programmed, nothing read back"
emu_stop vr
emu_start vf --profile f401 --flip-at 0x08000100
wait_for 10 test -e /dev/dfuse0.0
dfuse flash /data/rand64k.bin --address 0x08000000 2>/tmp/vf.err
is "$?" 74 "a byte that programs wrong: flash exits 74 (EX_IOERR)"
check "it says verify failed in the range" grep -q "verify failed in 0x08000000-0x0800" /tmp/vf.err
sed 's/^/# /' /tmp/vf.err
check "the kernel log names the byte" sh -c "dmesg | grep -q 'verify: 0x08000100 reads 0x.. after 0x.. was programmed'"
emu_stop vf
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# Two boards
emu_start b1 --port 0 --serial AAAAAAAAAAAA
emu_start b2 --port 1 --serial BBBBBBBBBBBB
wait_for 10 test -e /dev/dfuse1.0
dfuse list --json >/tmp/two.json
is "$(jq -r '[.[].serial] | sort | join(",")' /tmp/two.json)" "AAAAAAAAAAAA,BBBBBBBBBBBB" "list shows both boards"
dfuse flash /data/rand2k.bin --address 0x08000000 2>/tmp/two.err
is "$?" 64 "flash without a selector refuses (exit 64)"
check "and lists the candidates" sh -c "grep -q 'serial AAAAAAAAAAAA' /tmp/two.err && grep -q 'serial BBBBBBBBBBBB' /tmp/two.err"
dfuse flash /data/rand2k.bin --address 0x08000000 --serial BBBBBBBBBBBB -q
is "$?" 0 "flash --serial picks one"
check "only that board was written" sh -c "head -c 2048 $(emu_dir b2)/alt0.bin | cmp -s - /data/rand2k.bin && ! head -c 2048 $(emu_dir b1)/alt0.bin | cmp -s - /data/rand2k.bin"
emu_stop b1
emu_stop b2
wait_for 10 sh -c '! test -e /dev/dfuse1.0'

# dfu-util accepts a file our pack made
rmmod dfuse
dfuse pack -o /tmp/ours.dfu --vid 0x0483 --pid 0xdf11 0x08004000:/data/elem-a.bin 0x08020000:/data/elem-b.bin
emu_start du --profile f401
dfu-util -a 0 -D /tmp/ours.dfu >/tmp/du.out 2>&1
is "$?" 0 "dfu-util flashes our packed .dfu"
check "dfu-util wrote element 1" sh -c "tail -c +16385 $(emu_dir du)/alt0.bin | head -c 3000 | cmp -s - /data/elem-a.bin"
check "dfu-util wrote element 2" sh -c "tail -c +131073 $(emu_dir du)/alt0.bin | head -c 5000 | cmp -s - /data/elem-b.bin"
emu_stop du

# unprotect, wait, leave ADDR, --device and --path
insmod /lib/modules/dfuse.ko
dfuse wait --serial RDP000000001 --timeout 20 >/tmp/wait.out 2>&1 &
waiter=$!
sleep 0.5
emu_start rdp --profile f401 --rdp --serial RDP000000001
wait $waiter
is "$?" 0 "wait returns once the board appears"
check "wait names the board" grep -q "dfuse0 is here" /tmp/wait.out
dfuse unprotect </dev/null 2>/tmp/unp.err
is "$?" 64 "unprotect without --yes off a tty: refused (exit 64)"
check "and nothing was sent" sh -c "! grep -q cmd=UNPROTECT $(emu_dir rdp)/requests.log"
dfuse unprotect --yes >/tmp/unp.out 2>&1
is "$?" 0 "unprotect --yes exits 0"
check "and says the board comes back as a new one" grep -q "comes back unprotected as a new board" /tmp/unp.out
check "the board was sent Read Unprotect" grep -q cmd=UNPROTECT "$(emu_dir rdp)/requests.log"
check "and reset" wait_for 10 grep -q "DETACHED reason=reset" "$(emu_dir rdp)/requests.log"
wait_for 10 test -e /dev/dfuse0.0
# board 2 holds its own bytes (board 1 reads 0xFF after unprotect), so
# a read of the wrong board cannot pass
mkdir -p "$(emu_dir p2)"
seeded p2-flash 262144 >"$(emu_dir p2)/alt0.bin"
emu_start p2 --port 1 --serial CCCCCCCCCCCC
wait_for 10 test -e /dev/dfuse1.0
dfuse read --path 1-2 --address 0x08000000 --length 16 -o /tmp/p2.bin -q
head -c 16 "$(emu_dir p2)/alt0.bin" >/tmp/p2.want
check "--path 1-2 picks the board on port 2" cmp -s /tmp/p2.bin /tmp/p2.want
check "whose bytes are not board 1's" sh -c "! head -c 16 $(emu_dir rdp)/alt0.bin | cmp -s - /tmp/p2.want"
dfuse leave 0x08004000 --device /dev/dfuse1.0 -q
is "$?" 0 "leave ADDR --device /dev/dfuse1.0 exits 0"
check "that board left after pointing at 0x08004000" sh -c \
	"grep -q 'cmd=SETADDR addr=0x08004000' $(emu_dir p2)/requests.log && grep -q 'DETACHED reason=leave' $(emu_dir p2)/requests.log"
check "the other board stayed" test -e /dev/dfuse0.0
dfuse leave 0x8zz 2>/tmp/leave.err
is "$?" 64 "leave with a bad address: exit 64"
emu_stop rdp
emu_stop p2
done_testing
