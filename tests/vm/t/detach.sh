# Runtime detach (DFU 1.1 FE/01/01 in an application): the driver binds a
# DfuSe application's runtime interface, `dfuse flash --detach` restarts it
# in its bootloader, flashes and leaves in one command; `dfuse detach`
# alone; the application's interface has no board attributes; with
# dfuse.runtime=N the application is left to dfu-util -e.
. /tests/lib.sh
plan 21
insmod /lib/modules/dfuse.ko
dir=$(emu_dir app)
mkdir -p "$dir"
dfuse-emu --state "$dir" --profile f407 --time-scale 0 --start-in app --leave-to app 2>"$dir/stderr" &
echo $! >"$dir/pid"
check "application: enumerates (0483:5740)" wait_for 10 grep -qx app "$dir/attached"
intf=$(usb_dev 0483:5740):1.0
check "application: the driver binds its DfuSe runtime interface" wait_for 10 test -e "$intf/driver"
check "application: it offers dfu_runtime/detach" test -e "$intf/dfu_runtime/detach"
check "application: no board attributes there" test ! -e "$intf/dfu/state"
check "application: no /dev/dfuse node" sh -c '! ls /dev/dfuse* 2>/dev/null'

dfuse flash /data/rand64k.bin --address 0x08000000 --detach --leave >/tmp/flash.out 2>&1
is "$?" 0 "flash --detach: one command exits 0"
sed 's/^/# /' /tmp/flash.out | tail -5
check "flash --detach: the application got DFU_DETACH" grep -q "^DETACH" "$dir/requests.log"
check "flash --detach: the bootloader's memory holds the image" sh -c "head -c 65536 $dir/alt0.bin | cmp -s - /data/rand64k.bin"
check "flash --detach: it left DFU mode" grep -q "DETACHED reason=leave" "$dir/requests.log"
check "flash --detach: the application is back" wait_for 10 usb_present 0483:5740
check "flash --detach: the log names the detach" sh -c "dmesg | grep -q 'detached: the bootloader should enumerate'"
emu_stop app
wait_for 10 usb_gone 0483:5740

# dfuse detach alone, then the board is there for anything
rm -rf "$dir"
mkdir -p "$dir"
dfuse-emu --state "$dir" --profile f407 --time-scale 0 --start-in app 2>"$dir/stderr" &
echo $! >"$dir/pid"
wait_for 10 grep -qx app "$dir/attached"
wait_for 10 sh -c "test -e $(usb_dev 0483:5740 2>/dev/null):1.0/dfu_runtime/detach"
dfuse detach >/tmp/detach.out 2>&1
is "$?" 0 "detach: exits 0"
check "detach: says which board the bootloader is" grep -q "detached: the bootloader is dfuse[0-9]" /tmp/detach.out
check "detach: the board is listed" sh -c "dfuse list | grep -q 0483:df11"
dfuse detach >/tmp/detach2.out 2>&1
is "$?" 69 "detach: with no application left: EX_UNAVAILABLE"
check "detach: and says so" grep -q "no application with a DfuSe runtime interface" /tmp/detach2.out
emu_stop app
wait_for 10 usb_gone 0483:df11

# runtime=N: the application's interface stays free, dfu-util -e claims
# it and detaches it; its bootloader is dfuse's as any board
echo N >/sys/module/dfuse/parameters/runtime
rm -rf "$dir"
mkdir -p "$dir"
dfuse-emu --state "$dir" --profile f407 --time-scale 0 --start-in app 2>"$dir/stderr" &
echo $! >"$dir/pid"
wait_for 10 grep -qx app "$dir/attached"
intf=$(usb_dev 0483:5740):1.0
check "runtime=N: the application's interface is left unbound" sh -c \
	"test -e $intf && ! test -e $intf/driver && dmesg | grep -q 'DfuSe application left to userspace tools (dfuse.runtime=N)'"
/usr/bin/dfu-util -d 0483:5740 -e >/tmp/du-e.out 2>&1
is "$?" 0 "runtime=N: dfu-util -e detaches the application"
sed 's/^/# /' /tmp/du-e.out | tail -4
check "runtime=N: the application got DFU_DETACH from dfu-util" grep -q "^DETACH" "$dir/requests.log"
check "runtime=N: its bootloader is bound by dfuse" wait_for 10 test -e /dev/dfuse0.0
echo Y >/sys/module/dfuse/parameters/runtime
check "runtime=Y again: read back" grep -qx Y /sys/module/dfuse/parameters/runtime
emu_stop app
done_testing
