# The emulated F401 bound by dfuse: sysfs facts, descriptors, unload/reload,
# unplug. Every expected value comes from docs/protocol.md's F401 dump.
. /tests/lib.sh
plan 30

check "dfuse.ko loads" insmod /lib/modules/dfuse.ko
check "emulated F401 attaches" emu_start f401 --profile f401
check "dfuse binds: /sys/class/dfuse/dfuse0.3 appears" \
	wait_for 10 test -e /sys/class/dfuse/dfuse0.3

udev=$(usb_dev 0483:df11)
intf=$udev/$(basename "$udev"):1.0
is "$(cat "$intf/dfu/alt_count")" 4 "four alternate settings"
is "$(cat "$intf/dfu/transfer_size")" 2048 "transfer size 2048"
is "$(cat "$intf/dfu/dfu_version")" 0x011a "DFU version 1.1a"
is "$(cat "$intf/dfu/dfu_attributes")" 0x0b "attributes 0x0b"
is "$(cat "$intf/dfu/detach_timeout")" 255 "detach timeout 255 ms"
is "$(cat "$intf/dfu/serial")" 339C35543236 "serial number"
# nothing asked yet: not dfuERROR, which a new board is not
is "$(cat "$intf/dfu/state")" unknown "state of a new board: unknown until asked, not dfuERROR"
is "$(readlink "$intf/driver" | sed 's,.*/,,')" dfuse "interface bound to dfuse"

c=/sys/class/dfuse
is "$(cat $c/dfuse0.0/name)" "Internal Flash" "alt 0 name"
is "$(cat $c/dfuse0.0/segments)" "0x08000000 4x16384 rew
0x08010000 1x65536 rew
0x08020000 1x131072 rew" "alt 0 segments: 4x16K, 1x64K, 1x128K, rew"
is "$(cat $c/dfuse0.0/base) $(cat $c/dfuse0.0/size)" "0x08000000 262144" "alt 0 spans 256 KiB"
is "$(cat $c/dfuse0.1/name)" "Option Bytes" "alt 1 name"
is "$(cat $c/dfuse0.1/segments)" "0x1FFFC000 1x16 rw" "alt 1 segments"
is "$(cat $c/dfuse0.2/name)" "OTP Memory" "alt 2 name"
is "$(cat $c/dfuse0.2/segments)" "0x1FFF7800 1x512 rw
0x1FFF7A00 1x16 rw" "alt 2 segments"
is "$(cat $c/dfuse0.3/name)" "Device Feature" "alt 3 name"
is "$(cat $c/dfuse0.3/segments)" "0xFFFF0000 1x4 rw" "alt 3 segments"
check "device nodes /dev/dfuse0.0 .. 0.3 exist" \
	test -c /dev/dfuse0.0 -a -c /dev/dfuse0.1 -a -c /dev/dfuse0.2 -a -c /dev/dfuse0.3

# lsusb -v as on the real part, without bus/device numbers
lsusb -v -d 0483:df11 2>/dev/null | grep -v '^Bus \|^Couldn.t open\|^Device Status\|Self Powered\|Remote Wakeup' >/tmp/lsusb.txt
if diff -u /tests/expected/f401-lsusb.txt /tmp/lsusb.txt >/tmp/lsusb.diff; then
	ok "lsusb -v matches the F401 descriptor dump"
else
	nok "lsusb -v matches the F401 descriptor dump"
	sed "s/^/#   /" /tmp/lsusb.diff | head -120
fi

check "dfuse list shows the board" sh -c 'dfuse list | grep -q "^  /dev/dfuse0.0  alt 0  .Internal Flash.  0x08000000  262144 bytes$"'

check "rmmod with the device bound" rmmod dfuse
check "class gone after rmmod" test ! -e /sys/class/dfuse
check "reload binds again" insmod /lib/modules/dfuse.ko
check "dfuse0.0 back after reload" wait_for 10 test -e /sys/class/dfuse/dfuse0.0

emu_stop f401
check "unplug removes every dfuse sysfs entry" \
	wait_for 10 sh -c '! ls -d /sys/class/dfuse/* /sys/bus/usb/devices/*/dfu 2>/dev/null | grep -q .'
check "unplug removes the device nodes" test ! -e /dev/dfuse0.0
check "unload after unplug" rmmod dfuse
done_testing
