# Probe refuses a board whose descriptors are missing or malformed, with
# one clear log line from the driver, and leaves nothing behind.
. /tests/lib.sh
plan 65

insmod /lib/modules/dfuse.ko

# refuse NAME EXPECTED-LOG-TEXT [dfuse-emu options]
refuse() {
	local name=$1 text=$2
	shift 2
	dmesg -c >/dev/null
	emu_start "$name" "$@" || { nok "$name: emulator attaches"; return; }
	if wait_for 10 sh -c "dmesg | grep -q 'dfuse 1-1:1.0: .*$text'"; then
		ok "$name: refused with \"$text\""
	else
		nok "$name: refused with \"$text\""
		dmesg | tail -5 | sed 's/^/#   /'
	fi
	is "$(dmesg | grep -c 'dfuse 1-1:1.0: ')" 1 "$name: exactly one driver log line"
	check "$name: no device node, no class entry" \
		sh -c '! ls /sys/class/dfuse/ /dev/ | grep -q "dfuse[0-9]"'
	check "$name: interface left unbound" \
		sh -c '! test -e /sys/bus/usb/devices/1-1:1.0/driver'
	emu_stop "$name"
	wait_for 10 sh -c '! test -e /sys/bus/usb/devices/1-1'
}

refuse nofunc "no DFU functional descriptor" --no-functional
refuse xfer0 "wTransferSize 0 unsupported" --set transfer_size=0
refuse xfer65535 "wTransferSize 65535 unsupported" --set transfer_size=65535
# below bMaxPacketSize0 (64): no real DFU block is that small
refuse xfer32 "wTransferSize 32 unsupported (64..4096)" --set transfer_size=32
# a map that would have the kernel buffer a 4 GiB page: refused, no WARN
refuse hugepage 'alt 0: memory map .* refused: 4293918720-byte pages at 0x00000000, above 1048576' \
	--set 'alt0=@X /0x00000000/1*4095Mg'
# 17 alternate settings: refused before anything is allocated for them
refuse seventeen "17 alternate settings: at most 16 are supported" \
	--set 'alt16=@X /0x20000000/1*1Ka'
refuse zeroseg 'memory map "@X /0x08000000/0\*1Kg" refused: zero-sized segment' \
	--set 'alt0=@X /0x08000000/0*1Kg'
refuse overflow 'alt 1: memory map .* refused: segment ends past 4 GiB' \
	--set 'alt1=@X /0xFFFFF000/2*4Kg'
refuse noname "alt 2: no iInterface string" --no-iinterface 2
# one interface of two kinds: what SET_INTERFACE makes current would
# change what disconnect frees (kernel-review C1); whichever alt 0 is
refuse kinds1 "alt 1 is fe/01/01, alt 0 fe/01/02: one interface cannot be both DFU mode and runtime" \
	--runtime-alt 1
refuse kinds0 "alt 1 is fe/01/02, alt 0 fe/01/01: one interface cannot be both DFU mode and runtime" \
	--runtime-alt 0
refuse garbage "refused: does not start with" --set 'alt3=Internal Flash'
# 126 UTF-16 units at most: the emulator cuts this map mid-segment
refuse enormous "alt 0: memory map .* refused: expected a type letter" \
	--set 'alt0=@FF/0x0/1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka,1*1Ka'

# Plain DFU 1.1 from another vendor is dfu-util's: not claimed, no log line
dmesg -c >/dev/null
emu_start plain --set vid=0x1d50 --set pid=0x6017 --set dfu_version=0x0110
check "plain DFU 1.1 (1d50:6017): enumerates" wait_for 10 usb_present 1d50:6017
# a probe has happened once this returns: drivers_probe binds
# synchronously (and waits for one in progress), no guessed sleep
wait_for 10 test -e /sys/bus/usb/devices/1-1:1.0
echo 1-1:1.0 >/sys/bus/usb/drivers_probe 2>/dev/null
check "plain DFU 1.1: interface left unbound, no node" sh -c \
	"! test -e /sys/bus/usb/devices/1-1:1.0/driver && ! test -e /dev/dfuse0.0"
is "$(dmesg | grep -c 'dfuse 1-1:1.0: ')" 0 "plain DFU 1.1: dfuse says nothing"
emu_stop plain
wait_for 10 usb_gone 1d50:6017

# The same descriptors with DFU version 1.1a: another vendor's DfuSe loader
emu_start at32 --set vid=0x2e3c --set pid=0xdf11
check "DfuSe 1.1a from another vendor (2e3c:df11, AT32) binds" wait_for 10 test -e /dev/dfuse0.0
emu_stop at32
wait_for 10 usb_gone 2e3c:df11

# Strings from the device are escaped in the log and in sysfs: a map
# with a terminal escape sequence in it
refuse escaped 'memory map "@X\\e\[2J /0x08000000/0\*1Kg" refused' \
	--set "alt0=$(printf '@X\033[2J /0x08000000/0*1Kg')"
emu_start escname --serial "$(printf 'E\033[31mX')" --set "alt0=$(printf '@Int\033[2Jernal Flash /0x08000000/4*16Kg')"
wait_for 10 test -e /dev/dfuse0.0
is "$(cat /sys/class/dfuse/dfuse0.0/name)" 'Int\e[2Jernal Flash' "a name with an escape: sysfs shows it escaped"
dfuse list >/tmp/esc-list 2>&1
is "$(grep -c "$(printf '\033')" /tmp/esc-list)" 0 "a name and a serial with escapes: dfuse list prints no control byte"
check "a name with an escape: dfuse list shows it as \\x1b" grep -qF 'Int\x1b[2Jernal Flash' /tmp/esc-list
check "a serial with an escape: dfuse list shows it as \\x1b" grep -qF 'serial E\x1b[31mX' /tmp/esc-list
emu_stop escname
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# A good board afterwards still binds: nothing was left locked or leaked.
emu_start good --profile f401
check "a good board binds after the refusals" wait_for 10 test -e /sys/class/dfuse/dfuse0.0
emu_stop good
done_testing
