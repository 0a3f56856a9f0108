# What dfuse does with a board, step by step (runs inside the demo VM).
. /tests/lib.sh
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; sh -c "$*"; }

echo "dfuse demo: an emulated STM32F401 bootloader on the VM's real USB stack"
echo "(timings at 1/10 of a real STM32F4's)"
run "insmod /lib/modules/dfuse.ko"
say "dfuse-emu --profile f401 &      # the board is plugged in"
mkdir -p /tmp/emu/demo
dd if=/dev/urandom of=/tmp/emu/demo/alt0.bin bs=1024 count=256 2>/dev/null
emu_start demo --profile f401 --time-scale 0.1 >/dev/null
wait_for 10 test -e /sys/class/dfuse/dfuse0.3
run "dmesg | grep -i dfuse | sed 's/^\[[ 0-9.]*\] //'"
run "ls -l /dev/dfuse*"
run "dfuse list"
run "cat /sys/bus/usb/devices/1-1:1.0/dfu/transfer_size"
dfuse monitor >/tmp/demo-events 2>/dev/null &
mon=$!
sleep 0.3
before=$(grep -cE '^(DNLOAD|UPLOAD|GETSTATUS|ABORT|CLRSTATUS) ' /tmp/emu/demo/requests.log)
run "time dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=64k"
after=$(grep -cE '^(DNLOAD|UPLOAD|GETSTATUS|ABORT|CLRSTATUS) ' /tmp/emu/demo/requests.log)
run "time cat /dev/dfuse0.0 > /tmp/readback.bin"
run "cmp /tmp/readback.bin /data/rand256k.bin && echo 'read back: identical'"
say "# DFU requests the board saw for that write (its request log)"
echo "$((after - before)); dfu-util needs $(cat /tests/expected/dfu-util-256k-requests.txt) for the same 256 KiB"
run "time dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=64k   # same image again: nothing to erase or write"
kill $mon
say "dfuse monitor          # what another terminal saw meanwhile (excerpt)"
grep -v progress /tmp/demo-events | head -12

say "# a two-target .dfu: internal flash and OTP, made with 'dfuse pack'"
run "dfuse info /data/demo.dfu"
run "dfuse flash --leave --progress=bar /data/demo.dfu; echo \"exit status \$?\""
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
run "dfuse list    # the board left DFU mode: nothing to list"
emu_stop demo
