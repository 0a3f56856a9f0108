# Bootloaders from the field: the L43x quirk given as the module parameter
# (no rebuild), and the ROM without it; the H7 wedge; a 20 s mass erase
# that completes; the F4 ROM's poll model with the early polls it allows.
# vm-timeout: 400
. /tests/lib.sh
plan 37
mem() { echo "/tmp/emu/$1/alt0.bin"; }

# flash PROFILE SIZE LOGLINE: dd then dfuse flash of SIZE random bytes
flash() {
	local prof=$1 size=$2 want=$3 rc
	shift 3
	seeded $prof.a "$size" >/tmp/$prof.a.bin
	seeded $prof.b "$size" >/tmp/$prof.b.bin
	emu_start "$prof" --profile "$prof" "$@" || { nok "$prof: enumerates"; return; }
	wait_for 10 test -e /dev/dfuse0.0
	check "$prof: the log says: $want" sh -c "dmesg | grep -q \"$want\""
	dd if=/tmp/$prof.a.bin of=/dev/dfuse0.0 bs=4k conv=fsync 2>/tmp/$prof.dd
	is "$?" 0 "$prof: dd of $size bytes exits 0"
	check "$prof: dd: memory holds it" sh -c "head -c $size $(mem $prof) | cmp -s - /tmp/$prof.a.bin"
	[ "$prof" = l43x ] && check "l43x: dfuse list -v shows the quirk" \
		sh -c "dfuse list -v | grep -q '^  quirks: transfer-size=1024$'"
	dfuse flash /tmp/$prof.b.bin --alt 0 --address 0x08000000 >/tmp/$prof.flash 2>&1
	rc=$?
	is "$rc" 0 "$prof: dfuse flash exits 0"
	if [ "$rc" != 0 ]; then
		sed "s/^/# flash: /" /tmp/$prof.flash
		dmesg | tail -n 15 | sed "s/^/# dmesg: /"
		tail -n 15 /tmp/emu/$prof/requests.log | sed "s/^/# emu: /"
	fi
	check "$prof: dfuse flash: memory holds it" sh -c "head -c $size $(mem $prof) | cmp -s - /tmp/$prof.b.bin"
	emu_stop "$prof"
	wait_for 10 sh -c '! test -e /dev/dfuse0.0'
}

insmod /lib/modules/dfuse.ko
# (g0b1, c5 and at32 as such: field-roms-old, field-roms-new)
is "$(cat /sys/module/dfuse/parameters/quirks)" "" "quirks: none given"
# L43x: its descriptor says 2048; the ROM stalls blocks above 1024
echo "0483:df11:2201 transfer-size=1024" >/sys/module/dfuse/parameters/quirks
is "$?" 0 "quirks: an entry is taken without a rebuild"
flash l43x 65536 "quirk: transfer size 1024, not the 2048 its descriptor says"
check "l43x: no block above 1024 reached the ROM" sh -c "! grep -q FAULT /tmp/emu/l43x/requests.log"
echo "0483:df11 colour=blue" >/sys/module/dfuse/parameters/quirks 2>/dev/null
check "quirks: a malformed entry is refused" test $? -ne 0
check "quirks: with its reason in the log" sh -c "dmesg | grep -q 'quirks \"0483:df11 colour=blue\" refused: unknown key'"
is "$(cat /sys/module/dfuse/parameters/quirks)" "0483:df11:2201 transfer-size=1024" "quirks: the previous entries stay"
echo "" >/sys/module/dfuse/parameters/quirks
# a file of entries, one a line (cat quirks.txt >): every line is taken
printf '0483:df11:2201 transfer-size=1024\n0483:df11:0200 busy=clear-twice\n' >/tmp/quirks.txt
cat /tmp/quirks.txt >/sys/module/dfuse/parameters/quirks
is "$(cat /sys/module/dfuse/parameters/quirks)" "0483:df11:2201 transfer-size=1024;0483:df11:0200 busy=clear-twice" \
	"quirks: a file of entries, one a line, is taken whole"
# a map with a typo fails the write, not the next probe
echo "0483:df11 map0=@Internal Flash  /0x08000000/04*016Kq" >/sys/module/dfuse/parameters/quirks 2>/dev/null
check "quirks: a map0= that is no memory map is refused at the write" test $? -ne 0
is "$(cat /sys/module/dfuse/parameters/quirks)" "0483:df11:2201 transfer-size=1024;0483:df11:0200 busy=clear-twice" \
	"quirks: and the entries before it stay"
echo "" >/sys/module/dfuse/parameters/quirks

# without the quirk the L43x fails, and says so (the test can fail)
emu_start l43x-raw --profile l43x
wait_for 10 test -e /dev/dfuse0.0
is "$(cat /sys/bus/usb/devices/1-1:1.0/dfu/quirks)" none "l43x without the entry: no quirk applies"
dd if=/tmp/l43x.a.bin of=/dev/dfuse0.0 bs=4k conv=fsync 2>/tmp/l43x-raw.err
check "l43x without the entry: dd fails" test $? -ne 0
diag "l43x without the entry: $(grep -v records /tmp/l43x-raw.err)"
check "l43x without the entry: with the ROM's refusal (a STALL: EPROTO), not any error" \
	grep -q "Protocol error" /tmp/l43x-raw.err
emu_stop l43x-raw
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# H7 Rev.V: an erase beyond 1 MiB stays dfuDNBUSY. Without the quirk the
# erase fails at its deadline; with busy=clear-twice two CLRSTATUS
# unstick it and the data lands.
seeded h7.a 65536 >/tmp/h7.a.bin
# old firmware everywhere: the sectors must be erased
mkdir -p /tmp/emu/h7raw /tmp/emu/h7
seeded h7raw-old 2097152 >/tmp/emu/h7raw/alt0.bin
cp /tmp/emu/h7raw/alt0.bin /tmp/emu/h7/alt0.bin
emu_start h7raw --profile h7
wait_for 10 test -e /dev/dfuse0.0
dd if=/tmp/h7.a.bin of=/dev/dfuse0.0 bs=64k seek=16 conv=notrunc,fsync 2>/tmp/h7raw.err
check "h7 without the quirk: the wedged erase fails" test $? -ne 0
diag "h7 without the quirk: $(grep -v records /tmp/h7raw.err)"
check "h7 without the quirk: at its deadline (ETIMEDOUT), not any error" \
	grep -q "Connection timed out" /tmp/h7raw.err
emu_stop h7raw
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
echo "0483:df11:0200 busy=clear-twice" >/sys/module/dfuse/parameters/quirks
emu_start h7 --profile h7
wait_for 10 test -e /dev/dfuse0.0
dd if=/tmp/h7.a.bin of=/dev/dfuse0.0 bs=64k seek=16 conv=notrunc,fsync 2>/dev/null
is "$?" 0 "h7: dd beyond 1 MiB exits 0"
check "h7: memory at 1 MiB holds it" sh -c "tail -c +$((1048576 + 1)) $(mem h7) | head -c 65536 | cmp -s - /tmp/h7.a.bin"
# From the wedge to the next DNLOAD, the polls, then the CLRSTATUS: at
# time scale 0 the wedged ROM asks for no wait, so how many polls come
# before the unstick depends on the machine's speed; the CLRSTATUS count
# does not.
read -r h7_polls h7_clears <<EOF
$(awk '/^WEDGED/ { w = 1; next } w && /^DNLOAD/ { exit }
	w && /^GETSTATUS/ && !c { p++ } w && /^CLRSTATUS/ { c++ }
	END { print p + 0, c + 0 }' /tmp/emu/h7/requests.log)
EOF
is "$h7_clears" 2 "h7: the ROM wedged and got two CLRSTATUS"
diag "h7: $h7_polls polls of the wedged erase before the unstick"
check "h7: dfu/polling counts the unstick" grep -q "unstuck=1" /sys/bus/usb/devices/1-1:1.0/dfu/polling
dfuse flash /tmp/h7.a.bin --alt 0 --address 0x08120000 >/tmp/h7.flash 2>&1
is "$?" 0 "h7: dfuse flash beyond 1 MiB exits 0"
check "h7: dfuse flash: memory holds it" sh -c "tail -c +$((1179648 + 1)) $(mem h7) | head -c 65536 | cmp -s - /tmp/h7.a.bin"
emu_stop h7
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
echo "" >/sys/module/dfuse/parameters/quirks

# A mass erase of 20 s (emulated, in real time): the GETSTATUS after it
# is answered only when done, as F4 ROMs do, and the deadline allows it
emu_start mass --profile f4-rom --set mass_erase_ms=20000 --time-scale 1
wait_for 10 test -e /dev/dfuse0.0
t0=$(mono-time)
dfuse erase --mass --yes --alt 0 >/tmp/mass.out 2>&1
st=$?
t1=$(mono-time)
is "$st" 0 "mass erase of 20 s: completes"
# (not a speed limit: proof that the erase really ran that long)
check "mass erase of 20 s: waited for it ($(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s)" \
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 20) }'
check "mass erase of 20 s: the ROM erased" grep -q MASS_ERASED /tmp/emu/mass/requests.log
emu_stop mass
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# L4: some ROMs STALL a poll of a page erase and answer the next; asked
# again (three times at most; dfu-util 0.11 fails: emu-profiles), the erase
# completes
mkdir -p /tmp/emu/l4s
seeded l4s-old 524288 >/tmp/emu/l4s/alt0.bin	# old firmware: erased
emu_start l4s --profile l4 --set erase_poll_stalls=2
wait_for 10 test -e /dev/dfuse0.0
dd if=/data/rand64k.bin of=/dev/dfuse0.0 bs=64k conv=fsync 2>/tmp/l4s.dd
is "$?" 0 "l4 erase polls stalled twice: dd exits 0"
check "l4 erase polls stalled twice: memory holds it" sh -c "head -c 65536 $(mem l4s) | cmp -s - /data/rand64k.bin"
check "l4 erase polls stalled twice: the ROM stalled them" grep -q "^FAULT erase poll stalled" /tmp/emu/l4s/requests.log
check "l4 erase polls stalled twice: dfu/polling counts the retries" grep -q " erase-stalls=[1-9]" /sys/bus/usb/devices/1-1:1.0/dfu/polling
emu_stop l4s
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# The F4 ROM's poll model: 104 ms asked per block; dfuse polls early and
# the ROM holds the poll until done (the speed is make bench's business).
# Busy times four times the ROM's: a sanitizer kernel under TCG takes
# ~30 ms from one GETSTATUS to the next, longer than a real block's work,
# and a poll that arrives after the work is not early.
emu_start rom --profile f4-rom --time-scale 4
wait_for 10 test -e /dev/dfuse0.0
t0=$(mono-time)
dd if=/data/rand64k.bin of=/dev/dfuse0.0 bs=64k conv=fsync 2>/dev/null
st=$?
t1=$(mono-time)
is "$st" 0 "f4-rom: dd of 64 KiB exits 0"
check "f4-rom: memory holds it" sh -c "head -c 65536 $(mem rom) | cmp -s - /data/rand64k.bin"
diag "f4-rom: 64 KiB in $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s; polling: $(cat /sys/bus/usb/devices/1-1:1.0/dfu/polling)"
check "f4-rom: early polls held by the ROM" grep -q "EARLY_POLL held" /tmp/emu/rom/requests.log
check "f4-rom: the driver polls early, learned per kind of work" \
	grep -q "^early [1-9][0-9]* .*program/2048=" /sys/bus/usb/devices/1-1:1.0/dfu/polling
emu_stop rom
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
done_testing
