# `make demo` runs tests/vm/demo.sh in a VM by hand; this runs the same
# script and checks that it shows what it claims to.
. /tests/lib.sh
plan 11
sh /tests/demo.sh >/tmp/demo.out 2>&1
tr -d '\033' </tmp/demo.out | sed 's/\[[0-9;]*m//g' >/tmp/demo.txt
check "demo: dmesg shows the board bound" grep -q "DfuSe bootloader, 4 alternate settings, transfer size 2048: /dev/dfuse0" /tmp/demo.txt
check "demo: dfuse list shows the nodes" grep -q '^  /dev/dfuse0.0  alt 0  "Internal Flash"' /tmp/demo.txt
check "demo: cat reads back what dd wrote" grep -q "^read back: identical$" /tmp/demo.txt
check "demo: request count against dfu-util's" grep -Eq "^[0-9]+; dfu-util needs [0-9]+ for the same 256 KiB$" /tmp/demo.txt
check "demo: monitor saw the program finish" grep -q "^dfuse0 finished program alt=0 262144/262144 ok$" /tmp/demo.txt
check "demo: flash shows a progress bar to 100%" grep -q "program  \[#########################\] 100% 131584/131584" /tmp/demo.txt
check "demo: flash of the two-target .dfu verified" grep -q "^flashed 131584 bytes in 2 elements to dfuse0, verified$" /tmp/demo.txt
sed -n '/dfuse flash --leave/,/dfuse list    #/p' /tmp/demo.txt >/tmp/demo-flash.txt
check "demo: --leave: the board left, exit status 0, no error" sh -c \
	"grep -q '^dfuse0 left DFU mode$' /tmp/demo-flash.txt && grep -q '^exit status 0$' /tmp/demo-flash.txt && ! grep -qi 'error\|fail' /tmp/demo-flash.txt"
check "demo: dfuse list after leaving finds no board" grep -q "^no DfuSe board found$" /tmp/demo.txt
check "demo: the board's flash holds the image" sh -c "head -c 131072 /tmp/emu/demo/alt0.bin | cmp -s - /data/rand128k.bin"
check "demo: and its OTP the second target" sh -c "head -c 512 /tmp/emu/demo/alt2.bin | cmp -s - /data/otp.bin"
done_testing
