#!/bin/sh
# The lab files as make install puts them: the autoflash unit passes
# systemd-analyze verify (for an instance, with the installed binary), the
# udev rules name that binary, uninstall removes every file.
# usage: test_lab.sh    (from the top of the tree, user/dfuse built)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
n=0
t() {
	n=$((n + 1))
	if "$@" >/dev/null 2>"$dest/err"; then echo "ok $n - $desc"; else
		echo "not ok $n - $desc"; sed 's/^/# /' "$dest/err"; fi
}
desc="lab: make install DESTDIR= puts in every file"
t make -s -C "$top" install DESTDIR="$dest/root" BINDIR="$top/user"
unit=$dest/root/etc/systemd/system/dfuse-autoflash@.service
cp "$unit" "$dest/dfuse-autoflash@1-1.4.service" 2>/dev/null
desc="lab: dfuse-autoflash@.service passes systemd-analyze verify"
t systemd-analyze verify --man=no "$dest/dfuse-autoflash@1-1.4.service"
desc="lab: the unit runs dfuse autoflash for its instance's USB path"
t grep -qx "ExecStart=$top/user/dfuse autoflash --path %i --progress=none" "$unit"
desc="lab: the unit is sandboxed (systemd-analyze security: exposure under 7.0) and has a start timeout"
t sh -c "grep -qx 'TimeoutStartSec=10min' $unit && systemd-analyze security --offline=true $dest/dfuse-autoflash@1-1.4.service 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p' | awk '{ exit !(\$1 < 7.0) }'"
desc="lab: the udev rules call the installed binary"
t grep -q "IMPORT{program}=\"$top/user/dfuse udev-env %S%p\"" "$dest/root/etc/udev/rules.d/70-dfuse.rules"
desc="lab: a unit whose binary is missing fails the check (the check can fail)"
sed "s|$top/user/dfuse|/nonexistent/dfuse|" "$unit" >"$dest/dfuse-autoflash@1-2.service"
t sh -c "! systemd-analyze verify --man=no $dest/dfuse-autoflash@1-2.service"
desc="lab: bash completion installed, completes commands and options"
t bash -c ". $dest/root/usr/local/share/bash-completion/completions/dfuse &&
	COMP_WORDS=(dfuse fl); COMP_CWORD=1; _dfuse; [ \"\${COMPREPLY[*]}\" = flash ] &&
	COMP_WORDS=(dfuse flash --no-v); COMP_CWORD=2; _dfuse; [ \"\${COMPREPLY[*]}\" = --no-verify ] &&
	COMP_WORDS=(dfuse help unp); COMP_CWORD=2; _dfuse; [ \"\${COMPREPLY[*]}\" = 'unprotect unpack' ]"
desc="lab: bash completion completes values after '=' as bash splits them, and --format's names"
t bash -c ". $dest/root/usr/local/share/bash-completion/completions/dfuse &&
	COMP_WORDS=(dfuse flash --progress = ''); COMP_CWORD=4; _dfuse; [ \"\${COMPREPLY[*]}\" = 'bar lines none' ] &&
	COMP_WORDS=(dfuse flash --progress = l); COMP_CWORD=4; _dfuse; [ \"\${COMPREPLY[*]}\" = lines ] &&
	COMP_WORDS=(dfuse flash --progress =); COMP_CWORD=3; _dfuse; [ \"\${COMPREPLY[*]}\" = 'bar lines none' ] &&
	COMP_WORDS=(dfuse info --format ih); COMP_CWORD=3; _dfuse; [ \"\${COMPREPLY[*]}\" = ihex ]"
desc="lab: bash completion of --pro gives --progress= with no space after it"
t bash -c ". $dest/root/usr/local/share/bash-completion/completions/dfuse &&
	compopt() { said=\"\$*\"; } &&
	COMP_WORDS=(dfuse flash --pro); COMP_CWORD=2; _dfuse; [ \"\${COMPREPLY[*]}\" = --progress= ] && [ \"\$said\" = '-o nospace' ]"
desc="lab: dfu-util's command line installed as dfu-util off the default PATH"
t sh -c "test \"\$(readlink -f $dest/root/usr/local/lib/dfuse/dfu-util)\" = $dest/root$top/user/dfuse && $dest/root/usr/local/lib/dfuse/dfu-util -V | grep -q \"dfu-util 0.11's command line\""
# udev-env on a node in a scratch sysfs: the device's strings become
# link names, and no string makes "." or "..", or a hidden name
udev_env() { # SERIAL ALTNAME: the udev-env output for such a board
	rm -rf "$dest/sys" && mkdir -p "$dest/sys/usb/1-1/1-1:1.0" "$dest/sys/node" &&
	printf '%s\n' "$1" >"$dest/sys/usb/1-1/serial" &&
	echo 0483 >"$dest/sys/usb/1-1/idVendor" && echo df11 >"$dest/sys/usb/1-1/idProduct" &&
	printf '%s\n' "$2" >"$dest/sys/node/name" && echo 0 >"$dest/sys/node/alt_setting" &&
	ln -s "$dest/sys/usb/1-1/1-1:1.0" "$dest/sys/node/device" &&
	"$top/user/dfuse" udev-env "$dest/sys/node"
}
env_has() { # SERIAL ALTNAME LINE...: udev-env prints each LINE
	udev_env "$1" "$2" >"$dest/env" || return 1
	shift 2
	for line; do grep -qx -- "$line" "$dest/env" || { echo "no $line in:"; cat "$dest/env"; return 1; } >&2; done
}
desc="lab: udev-env names the board's serial and alt for links"
t env_has 339C35543236 'Internal Flash' DFUSE_SERIAL=339c35543236 DFUSE_ALT_NAME=internal-flash DFUSE_USB_PATH=1-1
desc="lab: a serial or alt name of '..' or '.' makes no '..' or '.' link, none is hidden"
t env_has .. . DFUSE_SERIAL=__ DFUSE_ALT_NAME=_
desc="lab: a serial with a leading dot makes no hidden link"
t env_has .hidden x DFUSE_SERIAL=_hidden
desc="lab: make uninstall takes every file out"
t sh -c "make -s -C $top uninstall DESTDIR=$dest/root BINDIR=$top/user && test -z \"\$(find $dest/root -type f -o -type l)\""
echo "1..$n"
