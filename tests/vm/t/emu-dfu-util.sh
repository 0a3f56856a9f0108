# dfu-util 0.11, an independent host, against the emulated bootloader:
# listing, download, upload, a two-element .dfu, leave, mass erase and
# unprotect, for several profiles, both address formulas and real timing.
. /tests/lib.sh
plan 55

# memory of alt 0 at OFFSET matches FILE
mem_is() { tail -c +$(($2 + 1)) "$(emu_dir "$1")/alt0.bin" | head -c "$(wc -c <"$3")" | cmp -s - "$3"; }
blank() { [ "$(od -An -v -tx1 "$1" | tr -s ' \n' '\n\n' | grep -v '^$' | sort -u)" = ff ]; }

# flash_cycle NAME OPTIONS: write, read back, .dfu, leave on one board
flash_cycle() {
	local n=$1
	shift
	emu_start "$n" "$@" || { nok "$n: emulator attaches"; return; }
	dfu-util -a 0 -s 0x08000000 -D /data/rand256k.bin >/tmp/$n.dl 2>&1
	is "$?" 0 "$n: dfu-util -D 256 KiB exits 0"
	check "$n: device memory holds the image" mem_is "$n" 0 /data/rand256k.bin
	dfu-util -a 0 -s 0x08000000:262144 -U /tmp/$n.up >/dev/null 2>&1
	check "$n: dfu-util -U reads it back byte-exact" cmp -s /tmp/$n.up /data/rand256k.bin
	dfu-util -a 0 -s 0x08000000:mass-erase:force >/dev/null 2>&1
	dd if="$(emu_dir "$n")/alt0.bin" of=/tmp/$n.fl bs=1024 count=256 2>/dev/null
	check "$n: :mass-erase leaves the flash blank" blank /tmp/$n.fl
	dfu-util -a 0 -D /data/two.dfu >/dev/null 2>&1
	is "$?" 0 "$n: dfu-util writes a two-element .dfu from dfuse-pack"
	check "$n: element 1 at 0x08004000" mem_is "$n" 16384 /data/elem-a.bin
	check "$n: element 2 at 0x08020000" mem_is "$n" 131072 /data/elem-b.bin
	dd if="$(emu_dir "$n")/alt0.bin" of=/tmp/$n.gap bs=1 skip=19384 count=2000 2>/dev/null
	check "$n: bytes between the elements stay erased" blank /tmp/$n.gap
	dfu-util -a 0 -s 0x08000000:leave >/dev/null 2>&1
	check "$n: :leave makes the board leave DFU mode" \
		wait_for 10 grep -q "DETACHED reason=leave" "$(emu_dir "$n")/requests.log"
	check "$n: and it is gone from the bus" wait_for 10 usb_gone 0483:df11
	emu_stop "$n"
}

emu_start list --profile f401
dfu-util -l >/tmp/list 2>&1
for alt in "0 @Internal Flash  /0x08000000/04\*016Kg,01\*064Kg,01\*128Kg" \
	"1 @Option Bytes  /0x1FFFC000/01\*016 e" \
	"2 @OTP Memory /0x1FFF7800/01\*512 e,01\*016 e" \
	"3 @Device Feature/0xFFFF0000/01\*004 e"; do
	check "f401: dfu-util -l lists alt ${alt%% *}" \
		grep -q "Found DFU: \[0483:df11\] ver=2200, .* alt=${alt%% *}, name=\"${alt#* }\", serial=\"339C35543236\"" /tmp/list
done
emu_stop list
wait_for 10 usb_gone 0483:df11

emu_start list7 --profile f407
dfu-util -l >/tmp/list7 2>&1
check "f407: dfu-util -l lists the 1 MiB map" \
	grep -q 'ver=2100, .* alt=0, name="@Internal Flash  /0x08000000/04\*016Kg,01\*064Kg,07\*128Kg"' /tmp/list7
emu_stop list7
wait_for 10 usb_gone 0483:df11

flash_cycle f401 --profile f401
flash_cycle f407 --profile f407
flash_cycle wlength --profile f401 --addr-formula wlength
flash_cycle l4 --profile l4 --set 'alt0=@Internal Flash  /0x08000000/256*02Kg'

# Real STM32F4 timing (time scale 1): erase and program report real poll times.
emu_start real --profile f401 --time-scale 1
dfu-util -a 0 -s 0x08000000 -D /data/rand64k.bin >/dev/null 2>&1
is "$?" 0 "real timing: dfu-util -D 64 KiB exits 0"
check "real timing: memory holds the image" mem_is real 0 /data/rand64k.bin
check "real timing: a 16 KiB erase reports 250 ms" grep -q "GETSTATUS status=0 state=4 poll=250" "$(emu_dir real)/requests.log"
emu_stop real
wait_for 10 usb_gone 0483:df11

# Read protection: uploads fail; :unprotect mass-erases and resets the part.
emu_start rdp --profile f401 --rdp
dfu-util -a 0 -s 0x08000000:2048 -U /tmp/rdp.up >/tmp/rdp.out 2>&1
sed 's/^/# /' /tmp/rdp.out | tail -3
check "rdp: upload refused while read-protected" grep -q "UPLOAD block=2 len=2048" "$(emu_dir rdp)/requests.log"
check "rdp: the host sees the error" sh -c "! dfu-util -a 0 -s 0x08000000:2048 -U /tmp/rdp.up3 >/dev/null 2>&1"
dfu-util -a 0 -s 0x08000000:unprotect:force >/dev/null 2>&1
check "rdp: :unprotect resets the device" \
	wait_for 10 grep -q "DETACHED reason=reset" "$(emu_dir rdp)/requests.log"
check "rdp: it comes back in DFU mode" wait_for 10 grep -qx 1 "$(emu_dir rdp)/attached"
wait_for 10 usb_present 0483:df11
sleep 0.5
dfu-util -a 0 -s 0x08000000:2048 -U /tmp/rdp.up2 >/dev/null 2>&1
is "$?" 0 "rdp: after unprotect, upload works"
check "rdp: and the flash was mass-erased" blank /tmp/rdp.up2
emu_stop rdp

# The baseline the driver is compared with: dfu-util's requests for 256 KiB.
wait_for 10 usb_gone 0483:df11
emu_start base --profile f401 --set start_error=0
dfu-util -a 0 -s 0x08000000 -D /data/rand256k.bin >/dev/null 2>&1
log=$(emu_dir base)/requests.log
total=$(grep -cE '^(DNLOAD|UPLOAD|GETSTATUS|CLRSTATUS|GETSTATE|ABORT) ' "$log")
diag "baseline: dfu-util 256 KiB download: $total DFU requests:" \
	"$(grep -oE '^[A-Z]+' "$log" | sort | uniq -c | tr -s ' \n' ' ')"
is "$total" "$(cat /tests/expected/dfu-util-256k-requests.txt)" \
	"baseline: dfu-util's count matches the one the driver is held to"
emu_stop base
done_testing
