# dd and cat through /dev/dfuse*: byte-exact writes and reads, preserved
# neighbours, map-sized reads, refusals before any request, and the
# request budget against dfu-util's baseline.
. /tests/lib.sh
plan 43

insmod /lib/modules/dfuse.ko
mem() { echo "$(emu_dir "$1")/alt$2.bin"; }
# requests of DFU class type logged since mark()
mark() { MARK=$(wc -l <"$(emu_dir "$1")/requests.log"); }
since() { tail -n +$((MARK + 1)) "$(emu_dir "$1")/requests.log"; }
dfu_requests() { since "$1" | grep -cE '^(DNLOAD|UPLOAD|GETSTATUS|CLRSTATUS|GETSTATE|ABORT) '; }
since_has() { since "$1" | grep -q "$2"; }

for prof in f401 f407; do
	# the flash holds other firmware: every page differs from the image
	mkdir -p "$(emu_dir $prof)"
	size=$([ $prof = f401 ] && echo 256 || echo 1024)
	seeded $prof-old $((size * 1024)) >"$(mem $prof 0)"
	emu_start $prof --profile $prof
	check "$prof: the node appears" wait_for 10 test -c /dev/dfuse0.0
	cp "$(mem $prof 0)" /tmp/before.bin
	mark $prof
	dd if=/data/rand256k.bin of=/dev/dfuse0.0 2>/dev/null
	is "$?" 0 "$prof: dd of 256 KiB (bs=512) exits 0"
	n=$(dfu_requests $prof)
	head -c 262144 /dev/dfuse0.0 >/tmp/back.bin
	check "$prof: cat | head -c 256K reads it back byte-exact" cmp -s /tmp/back.bin /data/rand256k.bin
	check "$prof: the device's own memory agrees" sh -c "head -c 262144 $(mem $prof 0) | cmp -s - /data/rand256k.bin"
	if [ $prof = f407 ]; then
		# (the f401's 256 KiB flash is the image: no page is left)
		tail -c +262145 /tmp/before.bin >/tmp/t1
		tail -c +262145 "$(mem $prof 0)" >/tmp/t2
		check "$prof: the 768 KiB after the image are unchanged" cmp -s /tmp/t1 /tmp/t2
		is "$(wc -c </tmp/t2)" 786432 "$prof: and there are 768 KiB of them"
	fi
	base=$(cat /tests/expected/dfu-util-256k-requests.txt)
	diag "$prof: 256 KiB over different content: $n DFU requests (dfu-util: $base)"
	check "$prof: at most 0.55x dfu-util's requests ($n <= $((base * 55 / 100)))" test "$n" -le $((base * 55 / 100))

	mark $prof
	dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=4096 2>/dev/null
	is "$(since $prof | grep -c 'cmd=ERASE')" 0 "$prof: writing the same image again: no erase"
	is "$(since $prof | grep -c '^DNLOAD block=[1-9]')" 0 "$prof: and no program request"
	check "$prof: but it was compared (UPLOAD requests)" since_has $prof '^UPLOAD'


	# the first 16 KiB page again, its second block changed: comparing
	# stops at that block (2 of 8 read), then erase and program
	{ head -c 2048 /data/rand256k.bin; cat /data/rand2k.bin
	  tail -c +4097 /data/rand256k.bin | head -c 12288; } >/tmp/page0.bin
	mark $prof
	dd if=/tmp/page0.bin of=/dev/dfuse0.0 bs=16384 2>/dev/null
	is "$(since $prof | grep -c '^UPLOAD')" 2 "$prof: a page that differs in its second block: 2 blocks read to tell"
	check "$prof: and it holds the new page" sh -c "head -c 16384 $(mem $prof 0) | cmp -s - /tmp/page0.bin"
	dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=16384 count=1 2>/dev/null

	# 3 KiB into the middle of the second 16 KiB page (offset 0x4000 + 5000)
	cp "$(mem $prof 0)" /tmp/before.bin
	dd if=/data/elem-a.bin of=/dev/dfuse0.0 bs=512 seek=$(( (16384 + 5120) / 512 )) conv=notrunc 2>/dev/null
	check "$prof: dd seek=: the 3 KiB landed" sh -c "tail -c +$((16384 + 5120 + 1)) $(mem $prof 0) | head -c 3000 | cmp -s - /data/elem-a.bin"
	head -c $((16384 + 5120)) /tmp/before.bin >/tmp/e1; head -c $((16384 + 5120)) "$(mem $prof 0)" >/tmp/e2
	check "$prof: every byte before it kept" cmp -s /tmp/e1 /tmp/e2
	tail -c +$((16384 + 5120 + 3001)) /tmp/before.bin >/tmp/e1; tail -c +$((16384 + 5120 + 3001)) "$(mem $prof 0)" >/tmp/e2
	check "$prof: every byte after it kept" cmp -s /tmp/e1 /tmp/e2
	emu_stop $prof
	wait_for 10 sh -c '! test -e /dev/dfuse0.0'
done

# Blank F407: writing onto erased flash sends no erase
emu_start blank --profile f407
wait_for 10 test -e /dev/dfuse0.0
mark blank
dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=64k 2>/dev/null
is "$(since blank | grep -c 'cmd=ERASE')" 0 "blank f407: no erase request"
check "blank f407: but it was programmed" since_has blank '^DNLOAD block=[1-9]'

blank_mem=$(mem blank 0)	# in this shell: mem is one of its functions
check "blank f407: image written" sh -c "head -c 262144 $blank_mem | cmp -s - /data/rand256k.bin"
emu_stop blank
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# L4 (2 KiB pages, 1 KiB transfers) over other firmware: a page is known
# to need its erase at its first block, and its second is read too, so
# that the compare reads run on from one Set Address Pointer
mkdir -p "$(emu_dir l4)"
seeded l4-old 524288 >"$(mem l4 0)"
emu_start l4 --profile l4
wait_for 10 test -e /dev/dfuse0.0
head -c 16384 /data/rand64k.bin >/tmp/l4new.bin
mark l4
dd if=/tmp/l4new.bin of=/dev/dfuse0.0 bs=16k conv=fsync 2>/dev/null
check "l4 over other firmware: image written" sh -c "head -c 16384 $(mem l4 0) | cmp -s - /tmp/l4new.bin"
is "$(since l4 | grep -c 'cmd=ERASE')" 8 "l4 over other firmware: each of its 8 pages erased"
is "$(since l4 | sed '/cmd=ERASE/,$d' | grep -c 'cmd=SETADDR') $(since l4 | grep -c '^UPLOAD')" "1 15" \
	"l4 over other firmware: the compare reads run on (one Set Address Pointer; two blocks a page, one of the last)"
emu_stop l4
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# F401 map sizes, option bytes, read-only refusals
emu_start sizes --profile f401
wait_for 10 test -e /dev/dfuse0.3
is "$(cat /dev/dfuse0.0 | wc -c)" 262144 "cat of alt 0 returns its map's 256 KiB"
is "$(cat /dev/dfuse0.1 | wc -c)" 16 "option bytes read as 16 bytes"
is "$(cat /dev/dfuse0.2 | wc -c)" 528 "OTP reads as 528 bytes"
is "$(cat /dev/dfuse0.3 | wc -c)" 4 "device feature reads as 4 bytes"
# OTP is written in place, never erased: the same bytes again send nothing
dd if=/data/otp.bin of=/dev/dfuse0.2 bs=512 count=1 2>/dev/null
check "OTP: 512 bytes written" sh -c "head -c 512 $(mem sizes 2) | cmp -s - /data/otp.bin"
mark sizes
dd if=/data/otp.bin of=/dev/dfuse0.2 bs=512 count=1 2>/dev/null
is "$(since sizes | grep -c '^PROGRAM')" 0 "OTP: the same bytes again are compared, not programmed"
out=$(dd if=/data/rand2k.bin of=/dev/dfuse0.0 bs=2048 seek=128 2>&1)
check "writing past the end: ENOSPC" sh -c "echo '$out' | grep -q 'No space left'"
emu_stop sizes
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

emu_start ro --profile f401 --set 'alt0=@Internal Flash /0x08000000/2*16Ka,2*16Kg'
wait_for 10 test -e /dev/dfuse0.0
mark ro
out=$(dd if=/data/rand2k.bin of=/dev/dfuse0.0 bs=2048 conv=notrunc 2>&1)
check "writing a read-only segment fails with EROFS" sh -c "echo '$out' | grep -q 'Read-only'"
is "$(since ro | grep -c '^[A-Z]*')" 0 "and no request reached the device"
emu_stop ro
done_testing
