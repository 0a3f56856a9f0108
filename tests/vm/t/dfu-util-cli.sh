# dfu-util's command lines through dfuse (`dfuse dfu-util`, or dfuse run
# as dfu-util): the exact lines of Zephyr, Klipper, labgrid and LAVA
# (docs/dfu-util.md) exit 0, write the image and print what each engine
# parses; on a ROM that resets without answering after the leave, exit 0
# where dfu-util 0.11 exits 74; `-l` and `-U` equal dfu-util 0.11's on the
# same boards; a released board goes to the real dfu-util; bad arguments
# get dfu-util's message and 64, and nothing reaches the board.
. /tests/lib.sh
plan 43
mkdir -p /tmp/du
ln -sf "$(command -v dfuse)" /tmp/du/dfu-util
DU=/tmp/du/dfu-util
mem_is() { head -c "$(wc -c <"$2")" "$(emu_dir "$1")/alt0.bin" | cmp -s - "$2"; }
left() { grep -q "DETACHED reason=leave" "$(emu_dir "$1")/requests.log"; }
gone() { wait_for 10 sh -c '! test -e /dev/dfuse0.0'; }
seeded fw 20000 >/tmp/fw.bin
seeded fw2 30000 >/tmp/fw2.bin
dfuse pack -o /tmp/fw.dfu --vid 0x0483 --pid 0xdf11 0x08000000:/tmp/fw2.bin >/dev/null

# dfu-util 0.11 itself first (no dfuse.ko): its uploads, and its exit on
# a ROM that resets without answering after the leave
mkdir -p "$(emu_dir up)"
seeded up-mem 524288 >"$(emu_dir up)/alt0.bin"
emu_start up --profile f401
dfu-util -a 0 -s 0x08000000:8192 -U /tmp/real-len.bin >/dev/null 2>&1
is "$?" 0 "dfu-util 0.11: -U with :LENGTH"
dfu-util -a 0 -s 0x08004000 -U /tmp/real-seg.bin >/dev/null 2>&1
is "$?" 0 "dfu-util 0.11: -U to the end of the segment"
dfu-util -a 0 -U /tmp/real-def.bin >/dev/null 2>&1
is "$?" 0 "dfu-util 0.11: -U without an address"
emu_stop up
wait_for 10 usb_gone 0483:df11
emu_start g0real --profile g0b1
dfu-util -d ,0483:df11 -R -a 0 -s 0x8000000:leave -D /tmp/fw.bin >/tmp/g0real.out 2>&1
is "$?" 74 "g0b1: Klipper's line through dfu-util 0.11 exits 74"
emu_stop g0real
wait_for 10 usb_gone 0483:df11

insmod /lib/modules/dfuse.ko

# -U through dfuse: the same files
emu_start up --profile f401
wait_for 10 test -e /dev/dfuse0.0
$DU -a 0 -s 0x08000000:8192 -U /tmp/du-len.bin >/dev/null 2>&1
is "$?" 0 "-U with :LENGTH exits 0"
check "-U with :LENGTH: the file dfu-util 0.11 wrote" cmp -s /tmp/du-len.bin /tmp/real-len.bin
$DU -a 0 -s 0x08004000 -U /tmp/du-seg.bin >/dev/null 2>&1
check "-U to the end of the segment: the file dfu-util 0.11 wrote" cmp -s /tmp/du-seg.bin /tmp/real-seg.bin
$DU -a 0 -U /tmp/du-def.bin >/dev/null 2>&1
check "-U without an address: the file dfu-util 0.11 wrote (0x4000 bytes)" cmp -s /tmp/du-def.bin /tmp/real-def.bin
$DU -a 0 -U /tmp/du-def.bin >/dev/null 2>&1
is "$?" 73 "-U onto an existing file: 73, nothing overwritten"

# -l: dfu-util 0.11's lines, on three profiles (device numbers masked)
emu_stop up
gone
for p in f401 f407-2012 g0b1 l452; do
	emu_start "l-$p" --profile $p
	wait_for 10 test -e /dev/dfuse0.0
	dfu-util -l 2>/dev/null | grep '^Found' | sed 's/devnum=[0-9]*/devnum=N/' >/tmp/real-$p.l
	$DU -l 2>/dev/null | grep '^Found' | sed 's/devnum=[0-9]*/devnum=N/' >/tmp/du-$p.l
	if [ -s /tmp/real-$p.l ] && cmp -s /tmp/real-$p.l /tmp/du-$p.l; then
		ok "$p: -l prints dfu-util 0.11's lines"
	else
		nok "$p: -l prints dfu-util 0.11's lines"
		diff /tmp/real-$p.l /tmp/du-$p.l | sed 's/^/#   /'
	fi
	emu_stop "l-$p"
	gone
done

# Zephyr (west flash -r dfu-util): the probe, then the flash
emu_start zephyr --profile f401
wait_for 10 test -e /dev/dfuse0.0
$DU -d,0483:df11 -l >/tmp/zephyr.l 2>&1
check "zephyr: -d,0483:df11 -l shows ', alt=0,'" grep -q ', alt=0,' /tmp/zephyr.l
$DU -d,0483:df11 -s 0x08000000:leave -a 0 -D /tmp/fw.bin >/tmp/zephyr.out 2>&1
is "$?" 0 "zephyr: the flash line exits 0"
check "zephyr: memory holds the image" mem_is zephyr /tmp/fw.bin
check "zephyr: the board left DFU mode" wait_for 10 left zephyr
emu_stop zephyr
gone

# Klipper, both forms; on g0b1, which resets without answering the leave
for p in f401 g0b1; do
	emu_start "k1-$p" --profile $p
	wait_for 10 test -e /dev/dfuse0.0
	dfuse dfu-util -d ,0483:df11 -R -a 0 -s 0x8000000:leave -D /tmp/fw.bin >/tmp/k1-$p.out 2>&1
	is "$?" 0 "klipper ($p): -d ,0483:df11 -R -a 0 -s 0x8000000:leave -D exits 0"
	check "klipper ($p): memory holds the image" mem_is "k1-$p" /tmp/fw.bin
	emu_stop "k1-$p"
	gone
done
emu_start k2 --profile g0b1
wait_for 10 test -e /dev/dfuse0.0
$DU -p 1-1 -R -a 0 -s 0x8000000:leave -D /tmp/fw2.bin >/tmp/k2.out 2>&1
is "$?" 0 "klipper: -p 1-1 -R -a 0 -s 0x8000000:leave -D exits 0 (g0b1)"
check "klipper -p: memory holds the image" mem_is k2 /tmp/fw2.bin
emu_stop k2
gone

# labgrid's DFUDriver: list, download (a .dfu: it passes no address)
emu_start lab --profile f401
wait_for 10 test -e /dev/dfuse0.0
$DU -p 1-1 --list >/tmp/lab.l 2>&1
is "$?" 0 "labgrid: -p 1-1 --list exits 0"
check "labgrid: the board at 1-1 listed" grep -q 'path="1-1", alt=0' /tmp/lab.l
$DU -p 1-1 --alt 0 --download /tmp/fw.dfu >/tmp/lab.out 2>&1
is "$?" 0 "labgrid: -p 1-1 --alt 0 --download FILE.dfu exits 0"
check "labgrid: memory holds the .dfu's element" mem_is lab /tmp/fw2.bin
$DU -p 1-1 --alt 0 --download /tmp/fw.bin >/tmp/lab-raw.out 2>&1
is "$?" 64 "labgrid: a raw file without an address: 64, as dfu-util"
check "labgrid: with dfu-util's words" grep -q "(for raw binary download, use the --dfuse-address option)" /tmp/lab-raw.out
$DU -p 1-1 --alt 0 --detach >/tmp/lab-det.out 2>&1
is "$?" 0 "labgrid: --detach on a board already in DFU mode exits 0"
emu_stop lab
gone
# labgrid's detach of an application with a DfuSe runtime interface
emu_start app --start-in app
$DU -p 1-1 --alt 0 --detach >/tmp/app.out 2>&1
is "$?" 0 "labgrid: --detach of the application exits 0"
check "labgrid: the bootloader came up" test -e /dev/dfuse0.0
emu_stop app
gone

# LAVA's dfu method: its argv, and the lines it checks for
emu_start lava --profile f401
wait_for 10 test -e /dev/dfuse0.0
$DU --serial 339C35543236 --device 0483:df11 --alt 0 --dfuse-address 0x08000000 --download /tmp/fw.bin --reset >/tmp/lava.out 2>&1
is "$?" 0 "lava: its command exits 0"
check "lava: memory holds the image" mem_is lava /tmp/fw.bin
check "lava: the output holds its success check" sh -c \
	"grep -A1 -x 'DFU state(2) = dfuIDLE, status(0) = No error condition is present' /tmp/lava.out | grep -qx 'Done!'"
emu_stop lava
gone

# Bad arguments: dfu-util's message, 64, nothing sent
emu_start bad --profile f401
wait_for 10 test -e /dev/dfuse0.0
before=$(grep -c '^DNLOAD\|^UPLOAD' "$(emu_dir bad)/requests.log")
$DU -a 0 -s 0x08000000:bogus -D /tmp/fw.bin >/tmp/bad1.out 2>&1
is "$?" 64 "bad modifier: 64"
check "bad modifier: dfu-util's message" grep -qx "dfu-util: Invalid dfuse modifier: bogus" /tmp/bad1.out
$DU -a 0 -s 0x08000000:mass-erase -D /tmp/fw.bin >/tmp/bad2.out 2>&1
is "$?" 64 "mass-erase without force: 64"
$DU -a 0 -D /tmp/fw.bin extra >/tmp/bad3.out 2>&1
is "$?" 64 "an extra argument: 64"
is "$(grep -c '^DNLOAD\|^UPLOAD' "$(emu_dir bad)/requests.log")" "$before" "bad arguments: no request reached the board"

# A released board goes to the real dfu-util, same arguments
dfuse release --path 1-1 >/dev/null 2>&1
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
$DU -a 0 -s 0x08000000 -D /tmp/fw2.bin >/tmp/rel.out 2>&1
is "$?" 0 "released board: the personality exits 0"
check "released board: dfu-util 0.11 did it" grep -q "^dfu-util 0.11" /tmp/rel.out
check "released board: memory holds the image" mem_is bad /tmp/fw2.bin
emu_stop bad
done_testing
