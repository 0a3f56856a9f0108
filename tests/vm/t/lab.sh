# Lab machines (issue 10) with Debian's real systemd-udevd: node modes and
# group, by-path and by-serial links (two boards with one serial), udev
# properties; autoflash by the unit's own command line (no systemd in the
# VM: the command is taken from dfuse-autoflash@.service and run as
# systemd would run it); release to dfu-util and bind back; boards left to
# userspace from the start.
# vm-timeout: 300
. /tests/lib.sh
plan 47
mkdir -p /run/udev
/lib/systemd/systemd-udevd --daemon 2>/tmp/udevd.err
check "udevd: Debian's systemd-udevd runs" wait_for 5 test -S /run/udev/control
insmod /lib/modules/dfuse.ko
settle() { udevadm settle -t 10; }

# start NAME PORT SERIAL [options]: a board on vhci port PORT
start() {
	local name=$1 port=$2 serial=$3 dir=/tmp/emu/$1
	shift 3
	mkdir -p "$dir"
	dfuse-emu --state "$dir" --port "$port" --serial "$serial" --time-scale 0 "$@" 2>"$dir/stderr" &
	echo $! >"$dir/pid"
	wait_for 10 grep -qx 1 "$dir/attached"
}

# A board is announced complete: when udev hears of a node, every node of
# the board is in /dev and the board is listed (an autoflash unit started
# by the first node's uevent must find it)
uevent-watch 4 sh -c 'if dfuse list | grep -q "^${DEVNAME%.*}  "; then echo "listed $DEVNAME"; fi' >/tmp/uevents &
wait_for 5 grep -q ready /tmp/uevents
start a 0 LAB-SHARED --profile f407
wait_for 10 test -e /dev/dfuse0.0
check "publish: four add uevents for the four nodes" wait_for 10 sh -c '[ "$(grep -c "^add dfuse0" /tmp/uevents)" = 4 ]'
check "publish: at each uevent, the board's four nodes are in /dev" sh -c '! grep "^add " /tmp/uevents | grep -qv " nodes=4$"'
check "publish: at each uevent, dfuse list shows the board" wait_for 5 sh -c '[ "$(grep -c "^listed dfuse0" /tmp/uevents)" = 4 ]'
settle
is "$(stat -c '%A %U %G' /dev/dfuse0.0)" "crw-rw---- root plugdev" "udev: /dev/dfuse0.0 is crw-rw---- root plugdev"
check "udev: by-path link to alt 0" test "$(readlink -f /dev/dfuse/by-path/1-1/0)" = /dev/dfuse0.0
check "udev: by-path link to alt 2" test "$(readlink -f /dev/dfuse/by-path/1-1/2)" = /dev/dfuse0.2
check "udev: by-serial link with a filesystem-safe alt name" \
	test "$(readlink -f /dev/dfuse/by-serial/lab-shared/internal-flash)" = /dev/dfuse0.0
check "udev: properties for other rules (ID, serial, alt name)" sh -c \
	"udevadm info /dev/dfuse0.1 | grep -q 'E: DFUSE_ID=0483:df11' && udevadm info /dev/dfuse0.1 | grep -q 'E: DFUSE_ALT_NAME=option-bytes'"
# a second board with the same serial: its own by-path, no fight over by-serial
start b 1 LAB-SHARED --profile f401
wait_for 10 test -e /dev/dfuse1.0
settle
check "udev: the second board with that serial has its by-path link" \
	test "$(readlink -f /dev/dfuse/by-path/1-2/0)" = /dev/dfuse1.0
check "udev: the by-serial link still names the first board" \
	test "$(readlink -f /dev/dfuse/by-serial/lab-shared/internal-flash)" = /dev/dfuse0.0
emu_stop a
wait_for 10 sh -c '! test -e /dev/dfuse0.0'
settle
check "udev: unplugging removes its links" test ! -e /dev/dfuse/by-path/1-1/0
check "udev: the other board's links stay" test -e /dev/dfuse/by-path/1-2/0

# selection as udev names boards (issue 25): by-path links and nodes as
# --device pick their alt; serials match whatever their case; wait
# honours every selector
cat /dev/dfuse1.1 >/tmp/ob-cat.bin
dfuse read --device /dev/dfuse/by-path/1-2/1 -o /tmp/ob-link.bin >/dev/null 2>&1
check "select: a by-path link as --device reads its own alt (1, option bytes)" cmp /tmp/ob-cat.bin /tmp/ob-link.bin
dfuse read --device /dev/dfuse1.1 -o /tmp/ob-node.bin >/dev/null 2>&1
check "select: --device /dev/dfuse1.1 reads alt 1, not alt 0" cmp /tmp/ob-cat.bin /tmp/ob-node.bin
dfuse status --serial lab-shared >/dev/null 2>&1
is "$?" 0 "select: --serial lab-shared (udev's lower case) finds LAB-SHARED"
dfuse wait --path 1-2 --timeout 5 >/tmp/wait.out 2>&1
is "$?:$(cat /tmp/wait.out)" "0:dfuse1 is here" "wait --path: the board at that path"
dfuse wait --path 1-9 --timeout 1 >/dev/null 2>&1
is "$?" 69 "wait --path of no board: 69 after the timeout (not any board)"
dfuse wait --id dead:beef --timeout 1 >/dev/null 2>&1
is "$?" 69 "wait --id that matches nothing: 69"
dfuse wait --device /dev/dfuse/by-path/1-2/0 --timeout 5 >/tmp/wait.out 2>&1
is "$?:$(cat /tmp/wait.out)" "0:dfuse1 is here" "wait --device with a by-path link"

# autoflash: the unit's command line for instance 1-3
mkdir -p /etc/dfuse
seeded fw-c 65536 >/tmp/fw-c.bin
seeded fw-d 32768 >/tmp/fw-d.bin
cat >/etc/dfuse/autoflash.conf <<'CONF'
# the lab's boards
serial=LAB-C   /tmp/fw-c.bin@0x08000000   verify
path=1-4       /tmp/fw-d.bin@0x08000000   leave
id=dead:beef   /tmp/none.bin@0x08000000
CONF
exec_start() { sed -n 's/^ExecStart=//p' /etc/systemd/system/dfuse-autoflash@.service | sed "s/%i/$1/g"; }
check "autoflash: the unit runs dfuse autoflash --path for its instance" \
	sh -c "line=\"\$(sed -n 's/^ExecStart=//p' /etc/systemd/system/dfuse-autoflash@.service)\"; test \"\$line\" = '/usr/bin/dfuse autoflash --path %i --progress=none'"
start c 2 LAB-C --profile f407
start d 3 LAB-D --profile f407 --leave-to none
wait_for 10 test -e /dev/dfuse1.0
settle
# two boards at once, as two unit instances would run
$(exec_start 1-3) >/tmp/af-c.out 2>&1 &
pc=$!
$(exec_start 1-4) >/tmp/af-d.out 2>&1 &
pd=$!
wait $pc
is "$?" 0 "autoflash: board c exits 0"
wait $pd
is "$?" 0 "autoflash: board d exits 0 (flashed in parallel)"
sed 's/^/# c: /' /tmp/af-c.out
sed 's/^/# d: /' /tmp/af-d.out
check "autoflash: board c holds its image" sh -c "head -c 65536 /tmp/emu/c/alt0.bin | cmp -s - /tmp/fw-c.bin"
check "autoflash: board d holds its image" sh -c "head -c 32768 /tmp/emu/d/alt0.bin | cmp -s - /tmp/fw-d.bin"
check "autoflash: the journal line says flashed" grep -q "^autoflash 1-3: flashed /tmp/fw-c.bin" /tmp/af-c.out
check "autoflash: d left DFU mode as its entry says" grep -q "DETACHED reason=leave" /tmp/emu/d/requests.log
n0=$(grep -c "^PROGRAM\|^ERASED" /tmp/emu/c/requests.log)
$(exec_start 1-3) >/tmp/af-c2.out 2>&1
is "$?" 0 "autoflash: a second plug exits 0"
check "autoflash: a second plug does not reflash, and says so" grep -q "^autoflash 1-3: already holds /tmp/fw-c.bin; not flashed again" /tmp/af-c2.out
is "$(grep -c "^PROGRAM\|^ERASED" /tmp/emu/c/requests.log)" "$n0" "autoflash: a second plug erases and programs nothing"
# a bad entry: its image is missing
emu_stop c
wait_for 10 sh -c '! test -e /sys/bus/usb/devices/1-3'
start e 2 LAB-E --set vid=0xdead --set pid=0xbeef
wait_for 10 sh -c 'ls /sys/bus/usb/devices/1-3:1.0/dfuse >/dev/null'
settle
$(exec_start 1-3) >/tmp/af-e.out 2>&1
check "autoflash: a missing image fails" test $? -ne 0
check "autoflash: one line says which and that nothing was written" grep -q "^autoflash 1-3: /tmp/none.bin (/etc/dfuse/autoflash.conf:4) cannot be used; nothing written" /tmp/af-e.out
is "$(grep -c '^DNLOAD' /tmp/emu/e/requests.log)" 0 "autoflash: a bad entry sends no DNLOAD"
echo "serial=LAB-E /tmp/fw-c.bin@0x08000000 sometimes" >>/etc/dfuse/autoflash.conf
$(exec_start 1-3) >/tmp/af-e2.out 2>&1
is "$?" 78 "autoflash: a broken configuration: EX_CONFIG"
check "autoflash: the broken line and why" grep -q "^autoflash 1-3: /etc/dfuse/autoflash.conf:5: unknown option .*; nothing written" /tmp/af-e2.out
emu_stop e
emu_stop d
emu_stop b
wait_for 10 sh -c '! ls /dev/dfuse* >/dev/null 2>&1'

# release to dfu-util and bind back
start r 0 LAB-R --profile f407
wait_for 10 test -e /dev/dfuse0.0
dfuse release --path 1-1 >/tmp/rel.out 2>&1
is "$?" 0 "release: exits 0"
check "release: the nodes are gone" wait_for 5 sh -c '! test -e /dev/dfuse0.0'
check "release: dfuse list shows the released board" sh -c "dfuse list | grep -q 'released 0483:df11 at USB path 1-1'"
dfu-util -a 0 -s 0x08000000 -D /data/rand64k.bin >/tmp/du.out 2>&1
is "$?" 0 "release: dfu-util 0.11 flashes the board"
check "release: its memory holds dfu-util's image" sh -c "head -c 65536 /tmp/emu/r/alt0.bin | cmp -s - /data/rand64k.bin"
dfuse bind --path 1-1 >/tmp/bind.out 2>&1
is "$?" 0 "bind: exits 0"
check "bind: the nodes are back" wait_for 5 test -e /dev/dfuse0.0
emu_stop r
wait_for 10 sh -c '! test -e /dev/dfuse0.0'

# boards left to userspace from the start
echo "LAB-U" >/sys/module/dfuse/parameters/userspace
start u 0 LAB-U --profile f407
sleep 1
check "userspace: a board configured for userspace is not bound" test ! -e /sys/bus/usb/devices/1-1:1.0/driver
check "userspace: the log says why" sh -c "dmesg | grep -q 'left to userspace tools (dfuse.userspace)'"
dfuse bind --path 1-1 >/tmp/bind2.out 2>&1
check "userspace: dfuse bind refuses it" test $? -ne 0
check "userspace: and it stays unbound" test ! -e /sys/bus/usb/devices/1-1:1.0/driver
dfu-util -a 0 -s 0x08000000 -D /data/rand2k.bin >/dev/null 2>&1
is "$?" 0 "userspace: dfu-util flashes it"
emu_stop u
echo "" >/sys/module/dfuse/parameters/userspace
done_testing
