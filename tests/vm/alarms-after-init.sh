#!/bin/sh
# The kernel reports (tests/vm/kernel-alarms) that a VM's console log
# shows after init's first line ("dfuse-vm: init started", written by
# tests/vm/init): printed with their context; exit 0 when there are any.
# usage: alarms-after-init.sh CONSOLE_LOG
dir=$(dirname "$0")
sed -n '/dfuse-vm: init started/,$p' "$1" 2>/dev/null |
	grep -E -A15 -f "$dir/kernel-alarms" | head -60 | grep .
