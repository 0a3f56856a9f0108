# The newer ST ROM generation (G0/G4/H7/U5/C0/C5) and ST's plain-DFU
# devices, one board per profile (tests/emu/profiles_field.c, each with
# its source): dd, cat and `dfuse flash --leave` (rom_cycle), then the
# profile's own quirk and dfuse's answer to it. Every profile on every
# lane, the sanitizer kernels included.
# vm-timeout: 600
. /tests/lib.sh
plan 91
reqlog() { echo "$(emu_dir "$1")/requests.log"; }
stop() { emu_stop "$1"; wait_for 10 sh -c '! test -e /dev/dfuse0.0'; }

insmod /lib/modules/dfuse.ko

# G0B1: resets at the GETSTATUS after the leave without answering it
# (dfu-util exits 74 there: emu-dfu-util); three alts, one flash
rom_cycle g0b1 4096
check "g0b1: the ROM went without answering the leave's GETSTATUS" grep -q "^LEAVE jump=0x08000000 unanswered" "$(reqlog g0b1)"
check "g0b1: dfuse flash --leave says the board left DFU mode" grep -q "^dfuse0 left DFU mode" /tmp/g0b1.flash
stop g0b1
rom_cycle g474 4096
check "g474: the OTP alt with a size without multiplier is a node" sh -c "dmesg | grep -q 'DfuSe bootloader, 3 alternate settings'"
stop g474
rom_cycle h750 4096
stop h750
rom_cycle h743 4096
stop h743
rom_cycle h7a3 16384
stop h7a3
rom_cycle u575 16384
stop u575
rom_cycle c5 4096
stop c5
# H723: a read-back moves the ROM's pointer; the leave must set it again
rom_cycle h723 4096
check "h723: the read-back moved the pointer" grep -q "^POINTER moved" "$(reqlog h723)"
check "h723: the leave still jumps to 0x08000000" grep -q "^LEAVE jump=0x08000000" "$(reqlog h723)"
stop h723
# U5A9: SET_ADDRESS goes to dfuDNLOAD-IDLE with no dfuDNBUSY
rom_cycle u5a9 16384
check "u5a9: SET_ADDRESS answered without dfuDNBUSY" sh -c \
	"grep -A1 'cmd=SETADDR' $(reqlog u5a9) | grep -q 'GETSTATUS status=0 state=5'"
stop u5a9
# C071: a leave not right after a SET_ADDRESS ends in dfuERROR
rom_cycle c071 4096
check "c071: the leave came right after a SET_ADDRESS" sh -c "! grep -q '^FAULT leave without SET_ADDRESS' $(reqlog c071)"
stop c071

# Plain DFU on ST's IDs (the STM32MP15 ROM, U-Boot's gadget): not DfuSe,
# left to dfu-util with one line, no node
n=0
for p in mp15-rom u-boot; do
	n=$((n + 1))
	emu_start $p --profile $p || nok "$p: enumerates"
	check "$p: one line says it is left to userspace" wait_for 10 sh -c \
		"test \$(dmesg | grep -c 'DFU 1.10, not DfuSe: left to userspace tools') = $n"
	check "$p: no node, the interface unbound" sh -c \
		"! test -e /dev/dfuse0.0 && ! test -e /sys/bus/usb/devices/1-1:1.0/driver"
	emu_stop $p
	wait_for 10 usb_gone 0483:df11
done
done_testing
