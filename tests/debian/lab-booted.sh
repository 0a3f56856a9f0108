#!/bin/bash
# The booted Debian 12 lane, inside the VM: systemd is PID 1, udev and
# journald run, nothing of dfuse is installed. The two packages go in with
# apt (DKMS builds the module for this kernel), boards are plugged on
# vhci-hcd, and everything a lab machine relies on is checked there:
# nodes, group and links; plug-in flashing started by systemd, two boards
# at once and a replug; the journal's fields; a plugdev user who is not
# root; dfu-util after dfuse release; apt purge.
# TAP on stdout (the second serial port); lib.sh's helpers.
lane=/srv/lane
export PATH=$lane/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
. $lane/lib.sh
echo "<4>dfuse-vm: init started" >/dev/kmsg
# the README's blocks marked runnable, each run as a user would type it
blocks=$(awk -v dir=/tmp/readme-blocks '
	/^<!-- runnable/ { want = NR + 1; next }
	NR == want && /^```sh$/ { n++; start = NR; f = dir "/" n; print "# README.md line " start > f; inblock = 1; next }
	inblock && /^```$/ { inblock = 0; close(f); next }
	inblock { print > f }
	END { print n + 0 }' "$(mkdir -p /tmp/readme-blocks && echo $lane/README.md)")
plan $((42 + blocks))
ver=$(cat $lane/VERSION)
rel=$(uname -r)
# wait_for (lib.sh) counts 50 ms polls, which a slow command stretches:
# here the limit is in seconds of the clock
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

is "$(cat /proc/1/comm)" systemd "system: systemd is PID 1"
check "system: udevd and journald run" systemctl is-active -q systemd-udevd.service systemd-journald.service

# --- install, as an admin would
cp $lane/deb/*.deb /tmp/
apt-get install -y /tmp/dfuse-dkms_"$ver"_all.deb /tmp/dfuse_"$ver"_*.deb >/tmp/apt.log 2>&1
st=$?
is "$st" 0 "apt: installs dfuse-dkms and dfuse $ver"
[ "$st" = 0 ] || tail -20 /tmp/apt.log | sed 's/^/# apt: /'
check "dkms: built and installed dfuse/$ver for $rel" \
	sh -c "dkms status dfuse/$ver -k $rel 2>&1 | grep -c installed >/dev/null"
is "$(modinfo -F version dfuse 2>&1)" "$ver" "dkms: the module's MODULE_VERSION is the package's"
check "dkms: the module is DKMS's, under updates/dkms" \
	sh -c "modinfo -n dfuse | grep -q '^/lib/modules/$rel/updates/dkms/dfuse.ko'"

# --- boards: udev loads the module for the first one (its modalias)
modprobe vhci-hcd
start() {
	local name=$1 port=$2 serial=$3 dir=/tmp/emu/$1
	shift 3
	mkdir -p "$dir"
	dfuse-emu --state "$dir" --port "$port" --serial "$serial" "$@" 2>>"$dir/stderr" &
	echo $! >"$dir/pid"
	wait_for 10 grep -qsx 1 "$dir/attached"
}
mkdir -p /etc/dfuse /srv/firmware
seeded fw-a 65536 >/srv/firmware/board-a.bin
seeded fw-b 32768 >/srv/firmware/board-b.bin
cat >/etc/dfuse/autoflash.conf <<'CONF'
# the lab's boards; a comment after an entry must not disable it
serial=LAB-A   /srv/firmware/board-a.bin@0x08000000   verify   # bench 1
path=1-2       /srv/firmware/board-b.bin@0x08000000
CONF
# the f407 and f401 models' own flash times (not time-scale 0): two
# flashes take long enough to overlap
start a 0 LAB-A --profile f407
start b 1 LAB-B --profile f401
check "udev: loads dfuse for the plugged boards" wait_for 20 test -e /dev/dfuse1.0
udevadm settle -t 20
check "version: dfuse --version shows the tool's and the module's, no warning" \
	sh -c "dfuse --version 2>/tmp/ver.err | tr '\n' ' ' | grep -qx 'dfuse $ver module $ver ' && ! test -s /tmp/ver.err"
is "$(stat -c '%A %U %G' /dev/dfuse0.0)" "crw-rw---- root plugdev" "udev: /dev/dfuse0.0 is crw-rw---- root plugdev"
check "udev: by-path link" test "$(readlink -f /dev/dfuse/by-path/1-1/0)" = /dev/dfuse0.0
check "udev: by-serial link" test -e /dev/dfuse/by-serial/lab-a/internal-flash

# --- plug-in flashing, started by systemd from udev's SYSTEMD_WANTS
unit_done() { # UNIT: ran once and ended
	[ "$(systemctl show -P ActiveState "$1")" = inactive ] &&
		[ "$(systemctl show -P ExecMainExitTimestampMonotonic "$1")" != 0 ]
}
check "autoflash: systemd started and ended dfuse-autoflash@1-1" wait_for 60 unit_done dfuse-autoflash@1-1.service
check "autoflash: and dfuse-autoflash@1-2" wait_for 60 unit_done dfuse-autoflash@1-2.service
is "$(systemctl show -P Result dfuse-autoflash@1-1.service)" success "autoflash: 1-1 succeeded"
is "$(systemctl show -P Result dfuse-autoflash@1-2.service)" success "autoflash: 1-2 succeeded"
check "autoflash: board a holds its image" sh -c "head -c 65536 /tmp/emu/a/alt0.bin | cmp -s - /srv/firmware/board-a.bin"
check "autoflash: board b holds its image" sh -c "head -c 32768 /tmp/emu/b/alt0.bin | cmp -s - /srv/firmware/board-b.bin"
# the two ran at once: each started before the other ended
s1=$(systemctl show -P ExecMainStartTimestampMonotonic dfuse-autoflash@1-1.service)
e1=$(systemctl show -P ExecMainExitTimestampMonotonic dfuse-autoflash@1-1.service)
s2=$(systemctl show -P ExecMainStartTimestampMonotonic dfuse-autoflash@1-2.service)
e2=$(systemctl show -P ExecMainExitTimestampMonotonic dfuse-autoflash@1-2.service)
check "autoflash: the two boards were flashed at once" test "$s1" -lt "$e2" -a "$s2" -lt "$e1"
journalctl --sync
jfield() { # UNIT RESULT FIELD: FIELD of UNIT's journal entry with DFUSE_RESULT=RESULT
	journalctl -q -u "$1" DFUSE_RESULT="$2" -o export | sed -n "s/^$3=//p" | tail -1
}
is "$(jfield dfuse-autoflash@1-1.service flashed DFUSE_SERIAL)" LAB-A "journal: the flashed entry names the serial"
is "$(jfield dfuse-autoflash@1-1.service flashed DFUSE_USB_PATH)" 1-1 "journal: and the USB path"
is "$(jfield dfuse-autoflash@1-1.service flashed DFUSE_IMAGE)" /srv/firmware/board-a.bin "journal: and the image"
is "$(jfield dfuse-autoflash@1-1.service flashed DFUSE_IMAGE_SHA256)" \
	"$(sha256sum /srv/firmware/board-a.bin | cut -d' ' -f1)" "journal: and the image's SHA-256"
is "$(jfield dfuse-autoflash@1-2.service flashed MESSAGE)" "autoflash 1-2: flashed /srv/firmware/board-b.bin" \
	"journal: the message of board b's result"
journalctl -q -u 'dfuse-autoflash@*' -o cat | sed 's/^/# journal: /'

# a replug of board a: its unit runs again, finds the image there, writes nothing
programmed() { grep -c '^PROGRAM\|^ERASED' /tmp/emu/a/requests.log; }
n0=$(programmed)
emu_stop a
wait_for 10 sh -c '! test -e /sys/bus/usb/devices/1-1'
start a 0 LAB-A --profile f407 --time-scale 0
check "replug: systemd ran the unit again" wait_for 60 sh -c \
	"journalctl -q -u dfuse-autoflash@1-1.service DFUSE_RESULT=unchanged | grep -q 'already holds'"
is "$(programmed)" "$n0" "replug: nothing was erased or programmed"

# --- a user in plugdev, not root
useradd -m -G plugdev lab
wait_for 10 test -e /dev/dfuse0.0
udevadm settle -t 20
node=$(readlink -f /dev/dfuse/by-path/1-1/0)
seeded user-dd 16384 >/tmp/user.bin
chmod 644 /tmp/user.bin
runuser -u lab -- dd if=/tmp/user.bin of="$node" bs=4096 status=none
is "$?" 0 "user: dd to $node as a plugdev user"
check "user: the board holds dd's bytes" sh -c "head -c 16384 /tmp/emu/a/alt0.bin | cmp -s - /tmp/user.bin"
runuser -u lab -- sh -c "head -c 16384 $node" >/tmp/user-read.bin
check "user: cat reads them back" cmp -s /tmp/user-read.bin /tmp/user.bin
runuser -u lab -- dfuse flash --path 1-1 --address 0x08000000 --progress=none /srv/firmware/board-a.bin >/tmp/uflash.out 2>&1
is "$?" 0 "user: dfuse flash as a plugdev user"
# the README's runnable blocks, as that user, with only board a plugged
emu_stop b
wait_for 10 sh -c '! test -e /dev/dfuse1.0'
mkdir -p /home/lab/readme
seeded readme-app 16384 >/home/lab/readme/app.bin
seeded readme-dfu 8192 >/tmp/readme-dfu.bin
dfuse pack -o /home/lab/readme/firmware.dfu 0x08000000:/tmp/readme-dfu.bin >/dev/null
chown -R lab /home/lab/readme
for i in $(seq 1 "$blocks"); do
	runuser -u lab -- bash -euo pipefail -c "cd /home/lab/readme && . /tmp/readme-blocks/$i" >/tmp/readme-$i.out 2>&1
	st=$?
	is "$st" 0 "readme: the runnable block at $(sed -n '1s/^# //p' /tmp/readme-blocks/$i) runs as a plugdev user"
	[ "$st" = 0 ] || sed 's/^/# readme: /' /tmp/readme-$i.out | tail -20
done
check "readme: the board holds the last image the blocks wrote (app.bin by dd)" \
	sh -c "head -c 16384 /tmp/emu/a/alt0.bin | cmp -s - /home/lab/readme/app.bin"
# Debian 12's labgrid (0.4.1): docs/dfu-util.md's environment, as it is
# written there, flashes board a through its node, run by the plugdev user
mkdir -p /home/lab/lg
awk '/^<!-- labgrid-0.4.1-env -->/ { want = NR + 1; next }
	NR == want && /^```yaml$/ { on = 1; next }
	on && /^```$/ { exit } on' $lane/dfu-util.md >/home/lab/lg/env.yaml
seeded labgrid-app 16384 >/srv/firmware/app.bin
chmod 644 /srv/firmware/app.bin
chown -R lab /home/lab/lg
check "labgrid: the documented environment is in docs/dfu-util.md" grep -q FlashScriptDriver /home/lab/lg/env.yaml
runuser -u lab -- python3 - >/tmp/labgrid.out 2>&1 <<'PY'
from importlib.metadata import version
from labgrid import Environment
print("labgrid", version("labgrid"))
target = Environment("/home/lab/lg/env.yaml").get_target("main")
target.get_driver("FlashScriptDriver").flash()
PY
st=$?
is "$st" 0 "labgrid: 0.4.1's FlashScriptDriver runs dfuse flash on board a"
[ "$st" = 0 ] || sed 's/^/# labgrid: /' /tmp/labgrid.out | tail -20
check "labgrid: the board holds the image" sh -c "head -c 16384 /tmp/emu/a/alt0.bin | cmp -s - /srv/firmware/app.bin"
runuser -u lab -- dfuse release --path 1-1 >/tmp/urel.out 2>&1
check "user: release needs root, and says so with the sudo command" \
	sh -c "grep -q 'sudo dfuse release --path 1-1' /tmp/urel.out"
dfuse release --path 1-1 >/tmp/rel.out 2>&1
is "$?" 0 "release: root releases board a"
udevadm settle -t 20
runuser -u lab -- dfu-util -p 1-1 -a 0 -s 0x08000000:4096 -U /tmp/du-up.bin >/tmp/du.out 2>&1
st=$?
is "$st" 0 "release: dfu-util reads the released board as the plugdev user"
[ "$st" = 0 ] || sed 's/^/# dfu-util: /' /tmp/du.out
check "release: dfu-util's bytes are the board's" sh -c "head -c 4096 /tmp/emu/a/alt0.bin | cmp -s - /tmp/du-up.bin"
emu_stop a
wait_for 10 sh -c '! ls /dev/dfuse* >/dev/null 2>&1'

# --- purge: no module, no file
dpkg -L dfuse dfuse-dkms 2>/dev/null | sort -u >/tmp/files
apt-get purge -y dfuse dfuse-dkms >/tmp/purge.log 2>&1
is "$?" 0 "purge: apt purges both packages"
check "purge: no dfuse module for $rel" sh -c "! modinfo -n dfuse >/dev/null 2>&1 && ! find /lib/modules -name 'dfuse.ko*' | grep -q ."
check "purge: DKMS forgets dfuse" sh -c "! test -e /var/lib/dkms/dfuse && ! ls -d /usr/src/dfuse-* >/dev/null 2>&1"
left=$(while read -r f; do [ -f "$f" ] || [ -L "$f" ] && echo "$f"; done </tmp/files)
is "$left" "" "purge: none of the packages' files is left"
check "purge: dpkg knows neither package" sh -c "! dpkg -s dfuse >/dev/null 2>&1 && ! dpkg -s dfuse-dkms >/dev/null 2>&1"
modprobe -r dfuse 2>/dev/null
done_testing
