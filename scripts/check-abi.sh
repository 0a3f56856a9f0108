#!/bin/bash
# Every sysfs attribute and module parameter the driver creates has an
# entry in kernel/Documentation/ABI/testing, and every entry names one
# that exists; each entry has Date, KernelVersion, Contact, Description.
# Prints TAP lines; exits non-zero on any miss.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
abi=$top/kernel/Documentation/ABI/testing
status=0
code=$(cat "$top"/kernel/*.c |
	sed -n -e 's/.*DEVICE_ATTR_\(RO\|WO\|RW\)(\([a-z_]*\)).*/\2/p' \
	       -e 's/^DFUSE_DEVICE_ATTR(\([a-z_]*\),.*/\1/p' \
	       -e 's/^module_param[a-z_]*(\([a-z_]*\),.*/\1/p' |
	grep -v '^_name$' | sort -u)
documented=$(sed -n 's|^What:[[:space:]]*.*/\([a-z_]*\)$|\1|p' "$abi"/* | sort -u)
for a in $code; do
	if grep -qx "$a" <<<"$documented"; then
		echo "ok - abi: $a is documented"
	else
		echo "not ok - abi: $a is documented (no What: line ends in /$a)"
		status=1
	fi
done
for a in $documented; do
	grep -qx "$a" <<<"$code" ||
		{ echo "not ok - abi: documented $a exists in kernel/"; status=1; }
done
# each entry (a paragraph): What: lines, then the four fields
for f in "$abi"/*; do
	if awk 'BEGIN { RS = "" }
		/^What:/ && !(/\nDate:/ && /\nKernelVersion:/ && /\nContact:/ && /\nDescription:/) { bad = 1 }
		END { exit bad }' "$f"; then
		echo "ok - abi: $(basename "$f"): every entry has Date, KernelVersion, Contact, Description"
	else
		echo "not ok - abi: $(basename "$f"): an entry lacks Date, KernelVersion, Contact or Description"
		status=1
	fi
done
exit $status
