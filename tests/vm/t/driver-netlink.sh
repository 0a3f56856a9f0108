# The generic netlink family through libnl-3 (the dfuse tool): the dump
# lists boards, alt settings, maps and nodes; events follow a dd and an
# unplug.
. /tests/lib.sh
plan 15
insmod /lib/modules/dfuse.ko

dfuse monitor >/tmp/events 2>/tmp/monitor.err &
mon=$!
check "monitor subscribes" wait_for 10 grep -q "monitoring" /tmp/monitor.err

# old random content: every page must be erased
mkdir -p /tmp/emu/nl
seeded nl-old 262144 >/tmp/emu/nl/alt0.bin
emu_start nl --profile f401 --serial 0123456789AB
wait_for 10 test -e /dev/dfuse0.3
dfuse list >/tmp/list
check "list: the board with its serial and USB path" grep -q "^dfuse0  0483:df11  serial 0123456789AB  usb 1-1$" /tmp/list
check "list: alt 0 node, name, base and size" grep -q '^  /dev/dfuse0.0  alt 0  "Internal Flash"  0x08000000  262144 bytes$' /tmp/list
check "list: alt 0 segments" grep -q '^      0x08020000 1x131072 rew$' /tmp/list
check "list: option bytes" grep -q '^  /dev/dfuse0.1  alt 1  "Option Bytes"  0x1fffc000  16 bytes$' /tmp/list
dfuse list --json >/tmp/list.json
is "$(jq -r '.[0].alts[2].name' /tmp/list.json)" "OTP Memory" "list --json parses; alt 2 is OTP Memory"
is "$(jq -r '.[0].alts[0].segments[0]' /tmp/list.json)" "0x08000000 4x16384 rew" "list --json: segments"
is "$(jq -r '.[0].serial + " " + .[0].alts[3].node' /tmp/list.json)" "0123456789AB /dev/dfuse0.3" "list --json: serial and node"

check "added event for the board" wait_for 5 grep -q "^dfuse0 added serial=0123456789AB usb=1-1" /tmp/events
dd if=/data/rand256k.bin of=/dev/dfuse0.0 bs=64k 2>/dev/null
check "progress events during the dd" grep -q "^dfuse0 progress program alt=0 [0-9]*/262144$" /tmp/events
check "program finished ok" grep -q "^dfuse0 finished program alt=0 262144/262144 ok$" /tmp/events
check "erase started" grep -q "^dfuse0 started erase alt=0 0/" /tmp/events
check "erase finished ok before program started" sh -c \
	"grep -E '^dfuse0 (started|finished) (erase|program)' /tmp/events | head -3 | tr '\n' '|' | grep -qx 'dfuse0 started erase alt=0 0/262144|dfuse0 finished erase alt=0 262144/262144 ok|dfuse0 started program alt=0 0/262144|'"
emu_stop nl
check "removal event on unplug" wait_for 10 grep -q "^dfuse0 removed serial=0123456789AB" /tmp/events
kill $mon
diag "$(grep -c progress /tmp/events) progress events"

# An error event carries the device's status and text
emu_start rdp --profile f401 --rdp --serial RDP000000001
wait_for 10 test -e /dev/dfuse0.0
dfuse monitor --count 3 >/tmp/events2 2>/tmp/monitor2.err &
wait_for 10 grep -q "monitoring" /tmp/monitor2.err
cat /dev/dfuse0.0 >/dev/null 2>&1
check "error event: errVENDOR with the device's text" wait_for 5 \
	grep -q "^dfuse0 error read alt=0 at 0x08000000: Permission denied (DFU status 11, state 10): read protection is active" /tmp/events2
emu_stop rdp
done_testing
