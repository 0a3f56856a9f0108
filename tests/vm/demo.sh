# What dfuse does with a board, step by step (runs inside the demo VM).
. /tests/lib.sh
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; sh -c "$*"; }

echo "dfuse demo: an emulated STM32F401 bootloader on the VM's real USB stack"
run "insmod /lib/modules/dfuse.ko"
say "dfuse-emu --profile f401 &   # the emulated board is plugged in"
emu_start demo --profile f401 --time-scale 0.01 >/dev/null
wait_for 10 test -e /sys/class/dfuse/dfuse0.3
run "dmesg | grep -i dfuse"
run "ls -l /dev/dfuse*"
run "dfuse list"
run "cat /sys/bus/usb/devices/*/*:1.0/dfu/transfer_size"
emu_stop demo
