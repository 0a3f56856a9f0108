# Every fault the emulated bootloader can inject, each triggered and
# observed from the host (dfu-raw: exact requests through usbfs; lsusb;
# dfu-util), plus several boards at once and the short-poll mode.
. /tests/lib.sh
plan 38
gone() { wait_for 10 usb_gone 0483:df11; }

# fault NAME "dfu-raw args" "expected output regex" [emu options]
fault() {
	local name=$1 args=$2 want=$3
	shift 3
	# a board that starts in dfuIDLE: the sequences below begin there
	emu_start "$name" "$@" --set start_error=0 || { nok "$name: emulator attaches"; return; }
	# shellcheck disable=SC2086
	dfu-raw $args >/tmp/$name.out 2>&1
	if grep -qE "$want" /tmp/$name.out; then
		ok "$name: host sees /$want/"
	else
		nok "$name: host sees /$want/"
		sed 's/^/#   /' /tmp/$name.out
	fi
	emu_stop "$name"
	gone
}

fault stall "status status" "^GETSTATUS error EPIPE" --stall-nth 2
fault status-error "status string 32" "^GETSTATUS len=6 status=6 state=10 poll=0 istring=32" --status-nth 1:6
check "status-error: the iString explains it" grep -q "^STRING emulated fault: injected error status" /tmp/status-error.out
fault spontaneous "status status" "status=14 state=10" --error-nth 2
fault start-error "status clrstatus status" "^GETSTATUS len=6 status=14 state=10" --start-error 14
check "start-error: CLRSTATUS brings it to dfuIDLE" grep -q "status=0 state=2" /tmp/start-error.out
fault short-status "status" "^GETSTATUS len=5 " --status-len 5
fault babble-status "status" "^GETSTATUS error" --status-len 8
fault poll-max "erase 0x08000000" "poll=16777215" --poll-timeout 0xFFFFFF
fault poll-zero "erase 0x08000000 status" "state=4 poll=0 .*|state=5 poll=0" --poll-timeout 0
fault disconnect-nth "status status status" "^GETSTATUS error (No such device|Protocol error|Connection|Cannot send after transport endpoint shutdown)" --disconnect-nth 3
check "disconnect-nth: two answers came first" test "$(grep -c 'GETSTATUS len=6' /tmp/disconnect-nth.out)" -eq 2
fault disc-erase "erase 0x08000000" "error" --disconnect-in erase
check "disc-erase: unplugged while erasing" grep -q "^ERASED" "$(emu_dir disc-erase)/requests.log"
fault disc-write "setaddr 0x08000000 dnload 2 /data/rand2k.bin" "error" --disconnect-in write
check "disc-write: unplugged while programming" grep -q "^PROGRAM" "$(emu_dir disc-write)/requests.log"
fault disc-read "setaddr 0x08000000 abort upload 2 2048 /tmp/r.bin" "UPLOAD error" --disconnect-in read
fault disc-manifest "setaddr 0x08000000 leave" "GETSTATUS error" --disconnect-in manifest
check "disc-manifest: gone without manifesting" sh -c "! grep -q 'reason=leave' $(emu_dir disc-manifest)/requests.log"

# Naive host mistakes: program without erasing, write outside the map
mkdir -p /tmp/emu/naive
head -c 262144 /data/rand256k.bin >/tmp/emu/naive/alt0.bin
fault naive "setaddr 0x08000000 dnload 2 /data/rand2k.bin" "status=6 state=10" --profile f401
check "naive: errPROG left memory unchanged" sh -c "cmp -s /tmp/emu/naive/alt0.bin /data/rand256k.bin"
fault outside "setaddr 0x20000000" "status=1 state=10" --profile f401

# Malformed descriptors, seen with lsusb -v
descr() {
	local name=$1 want=$2
	shift 2
	emu_start "$name" "$@"
	lsusb -v -d 0483:df11 >/tmp/$name.lsusb 2>/dev/null
	check "$name: lsusb -v shows /$want/" grep -qE "$want" /tmp/$name.lsusb
	emu_stop "$name"
	gone
}
descr no-func "wTotalLength +0x002d" --no-functional
check "no-func: no DFU functional descriptor" sh -c "! grep -q 'Device Firmware Upgrade' /tmp/no-func.lsusb"
descr xfer0 "wTransferSize +0 bytes" --set transfer_size=0
descr xfer65535 "wTransferSize +65535 bytes" --set transfer_size=65535
descr broken-map "iInterface +4 @X /0x08000000/0\*1Kg" --set 'alt0=@X /0x08000000/0*1Kg'
descr no-iinterface "iInterface +0 *$" --no-iinterface 1
descr enormous-map "iInterface +4 @F/0x0/(1\*1Ka,){19}1\*1Ka$" --set "alt0=@F/0x0/$(for i in $(seq 40); do printf '1*1Ka,'; done)1*1Ka"

# The emulated F407 and F107 ROMs against the only complete descriptor
# dumps of ST ROMs (dfu-util's device-logs), field for field
for p in f407-2012 f105; do
	emu_start "$p" --profile "$p"
	lsusb -v -d 0483:df11 2>/dev/null | awk -f /tests/expected/lsusb-fields.awk >/tmp/$p.fields
	if diff -u /tests/expected/$p-lsusb.fields /tmp/$p.fields | grep -v '^[-+]# \|^@@' | grep '^[-+][^-+]' >/tmp/$p.diff; then
		nok "$p: lsusb -v matches the real ROM's dump field for field"
		sed "s/^/#   /" /tmp/$p.diff | head -40
	else
		ok "$p: lsusb -v matches the real ROM's dump field for field"
	fi
	emu_stop "$p"
	gone
done

# Several boards at once, each with its own serial
emu_start b1 --port 0 --serial 111111111111
emu_start b2 --port 1 --serial 222222222222
emu_start b3 --port 2 --serial 333333333333 --profile f407
dfu-util -l >/tmp/multi 2>&1
for s in 111111111111 222222222222 333333333333; do
	check "three boards: dfu-util -l lists serial $s" grep -q "serial=\"$s\"" /tmp/multi
done
dfu-util -S 222222222222 -a 0 -s 0x08000000 -D /data/rand2k.bin >/dev/null 2>&1
check "three boards: a write by serial reaches only that board" sh -c \
	"head -c 2048 $(emu_dir b2)/alt0.bin | cmp -s - /data/rand2k.bin && ! head -c 2048 $(emu_dir b1)/alt0.bin | cmp -s - /data/rand2k.bin"
emu_stop b1; emu_stop b2; emu_stop b3
gone

# A bootloader that reports a quarter of its busy time: hosts keep polling
emu_start short --short-poll --time-scale 1
dfu-util -a 0 -s 0x08000000 -D /data/rand2k.bin >/dev/null 2>&1
is "$?" 0 "short poll: dfu-util still writes"
check "short poll: the host had to poll dfuDNBUSY again" \
	sh -c "test \$(grep -c 'GETSTATUS status=0 state=4' $(emu_dir short)/requests.log) -gt 2"
check "short poll: memory holds the data" sh -c "head -c 2048 $(emu_dir short)/alt0.bin | cmp -s - /data/rand2k.bin"
emu_stop short
done_testing
