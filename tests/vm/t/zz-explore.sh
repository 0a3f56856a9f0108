. /tests/lib.sh
plan 1
insmod /lib/modules/dfuse.ko
emu_start ob --profile f401
wait_for 10 test -c /dev/dfuse0.1
cat /dev/dfuse0.1 | od -An -tx1
{ printf '\125\252'; tail -c +3 "$(emu_dir ob)/alt1.bin"; } >/tmp/ob-new.bin
dmesg -c >/dev/null
dd if=/tmp/ob-new.bin of=/dev/dfuse0.1 bs=16 2>&1; echo "dd: $?"
sleep 2
dmesg
ls /dev/dfuse*
od -An -tx1 "$(emu_dir ob)/alt1.bin"
tail -20 "$(emu_dir ob)/requests.log"
ok "x"
done_testing
