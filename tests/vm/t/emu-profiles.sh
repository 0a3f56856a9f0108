# Profiles: gd32vf103 (a bootloader whose map is wrong, corrected by the
# driver's quirk table), a profile described in a file without recompiling,
# request counts, and re-appearing as an application after leaving.
. /tests/lib.sh
plan 31

# GD32VF103 enumerates as 28e9:0189 with its (wrong) map
emu_start gd --profile gd32vf103
dfu-util -l >/tmp/gd.list 2>&1
check "gd32vf103: dfu-util lists 28e9:0189 with the map it reports" \
	grep -q '\[28e9:0189\].*name="@Internal Flash  /0x08000000/512\*002Kg"' /tmp/gd.list
emu_stop gd
wait_for 10 usb_gone 28e9:0189
# dfu-util 0.11 against the models of this session's quirks: it gets
# through the GD32 leave (it ignores the stalled GETSTATUS after it), and
# fails on an L4 whose erase polls are stalled with the error users report
# from the field (dfuse retries them: field-profiles)
emu_start gdl --profile gd32vf103
dfu-util -a 0 -s 0x08000000:leave -D /data/rand2k.bin >/tmp/gdl.out 2>&1
is "$?" 0 "gd32vf103: dfu-util 0.11 -s ADDR:leave exits 0"
check "gd32vf103: the ROM left on the DNLOAD for dfu-util too" grep -q "^LEAVE on the DNLOAD" /tmp/emu/gdl/requests.log
emu_stop gdl
wait_for 10 usb_gone 28e9:0189
mkdir -p /tmp/emu/l4du
seeded l4du-old 524288 >/tmp/emu/l4du/alt0.bin
emu_start l4du --profile l4 --set erase_poll_stalls=2
dfu-util -a 0 -s 0x08000000 -D /data/rand64k.bin >/tmp/l4du.out 2>&1
st=$?
check "l4 erase polls stalled: dfu-util 0.11 fails (exit $st)" test "$st" -ne 0
check "l4 erase polls stalled: with the field's error" grep -q 'Error during special command "ERASE_PAGE" get_status' /tmp/l4du.out
emu_stop l4du
wait_for 10 usb_gone 0483:df11

insmod /lib/modules/dfuse.ko
mkdir -p /tmp/emu/gdq
seeded gdq-old 131072 >/tmp/emu/gdq/alt0.bin
emu_start gdq --profile gd32vf103
wait_for 10 test -e /dev/dfuse0.0
is "$(cat /sys/class/dfuse/dfuse0.0/segments)" "0x08000000 128x1024 rew" "gd32vf103: the driver uses the corrected map (128 x 1 KiB)"
check "gd32vf103: and says why in the log" sh -c "dmesg | grep -q 'alt 0: map .* is known to be wrong'"
dd if=/data/rand64k.bin of=/dev/dfuse0.0 bs=4k 2>/dev/null
is "$?" 0 "gd32vf103: 64 KiB over old content writes"
check "gd32vf103: memory holds it" sh -c "head -c 65536 /tmp/emu/gdq/alt0.bin | cmp -s - /data/rand64k.bin"
check "gd32vf103: erased in 1 KiB pages" grep -q "ERASED addr=0x08000400 size=1024" /tmp/emu/gdq/requests.log
emu_stop gdq
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
# a GD32VF103C8: 64 KiB, read from its serial's part letter
emu_start gd8 --profile gd32vf103 --serial 3C8J
wait_for 10 test -e /dev/dfuse0.0
is "$(cat /sys/class/dfuse/dfuse0.0/segments)" "0x08000000 64x1024 rew" "gd32vf103: the serial's part letter 8 gives 64 x 1 KiB"
dd if=/data/rand64k.bin of=/dev/dfuse0.0 bs=4k conv=fsync 2>/dev/null
is "$?" 0 "gd32vf103 C8: 64 KiB writes"
check "gd32vf103 C8: memory holds it" sh -c "head -c 65536 /tmp/emu/gd8/alt0.bin | cmp -s - /data/rand64k.bin"
# GD32: the ROM leaves on the zero-length DNLOAD and STALLs the GETSTATUS
# an STM32 needs after it; the built-in quirk sends none
is "$(cat /sys/bus/usb/devices/1-1:1.0/dfu/quirks)" "layout=gd32-serial leave=no-status" "gd32vf103: the built-in quirks apply"
dfuse flash /data/rand2k.bin --alt 0 --address 0x08000000 --leave >/tmp/gd8.flash 2>&1
is "$?" 0 "gd32vf103: dfuse flash --leave exits 0"
check "gd32vf103: memory holds it" sh -c "head -c 2048 /tmp/emu/gd8/alt0.bin | cmp -s - /data/rand2k.bin"
check "gd32vf103: it left on the DNLOAD" grep -q "^LEAVE on the DNLOAD" /tmp/emu/gd8/requests.log
check "gd32vf103: no request after the leave" sh -c "! grep -q '^STALL request' /tmp/emu/gd8/requests.log"
check "gd32vf103: the board is gone" wait_for 10 sh -c '! test -e /dev/dfuse0.0'
emu_stop gd8
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
# the same ROM behaviour without the quirk: the leave is reported failed
# (the test can fail), then with the entry as a module parameter
emu_start gdraw --profile f401 --set leave_on_dnload=1
wait_for 10 test -e /dev/dfuse0.0
dfuse leave >/tmp/gdraw.out 2>&1
check "leave on the DNLOAD, no quirk: dfuse leave fails" test $? -ne 0
check "leave on the DNLOAD, no quirk: says the pointer and the protocol error" \
	grep -q 'leave at 0x08000000 failed: Protocol error' /tmp/gdraw.out
check "leave on the DNLOAD, no quirk: its GETSTATUS was stalled" grep -q "^STALL request 03: leaving" /tmp/emu/gdraw/requests.log
emu_stop gdraw
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
echo "0483:df11 leave=no-status" >/sys/module/dfuse/parameters/quirks
emu_start gdq2 --profile f401 --set leave_on_dnload=1
wait_for 10 test -e /dev/dfuse0.0
dfuse leave >/tmp/gdq2.out 2>&1
is "$?" 0 "leave on the DNLOAD, quirk leave=no-status: dfuse leave exits 0"
check "leave on the DNLOAD, quirk leave=no-status: no GETSTATUS after it" sh -c "! grep -q '^STALL request' /tmp/emu/gdq2/requests.log"
check "leave on the DNLOAD, quirk leave=no-status: it left" grep -q "DETACHED reason=leave" /tmp/emu/gdq2/requests.log
emu_stop gdq2
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
echo "" >/sys/module/dfuse/parameters/quirks
rmmod dfuse

# A new part described in a file
cat >/tmp/myboard.conf <<'CONF'
# an imaginary part: 8 pages of 4 KiB, 1 KiB transfers
vid=0x0483
pid=0xdf11
bcd_device=0x3000
product=MY BOOTLOADER
transfer_size=1024
alt0=@Internal Flash /0x08000000/8*04Kg
alt1=@Data /0x08080000/2*1Ka
CONF
emu_start conf --profile-file /tmp/myboard.conf
dfu-util -l >/tmp/conf.list 2>&1
check "profile file: dfu-util sees its alt 1" grep -q 'ver=3000, .*alt=1, name="@Data /0x08080000/2\*1Ka"' /tmp/conf.list
dfu-util -a 0 -s 0x08000000 -D /data/rand2k.bin >/dev/null 2>&1
is "$?" 0 "profile file: dfu-util writes to it"
emu_stop conf
check "counts: requests per type written at unplug" grep -q "^DNLOAD [1-9]" /tmp/emu/conf/counts
is "$(grep '^GETSTATUS ' /tmp/emu/conf/counts | cut -d' ' -f2)" "$(grep -c '^GETSTATUS ' /tmp/emu/conf/requests.log)" "counts agree with the request log"
wait_for 10 usb_gone 0483:df11

# Leaving DFU mode, then re-appearing as the application
emu_start app --leave-to app
dfu-util -a 0 -s 0x08000000:leave >/dev/null 2>&1
check "leave-to app: the application enumerates (0483:5740)" wait_for 10 usb_present 0483:5740
check "leave-to app: no DFU device any more" usb_gone 0483:df11
emu_stop app
done_testing
