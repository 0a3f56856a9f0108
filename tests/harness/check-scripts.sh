#!/bin/bash
# Static check of the VM test scripts that the shell cannot make itself:
# a `sh -c` whose command calls (in command position) a function of the test shell runs it in a
# child that does not have it; the function is "not found" and the check
# cannot fail. (A "$(fn ...)" in double quotes is expanded by the test
# shell before sh runs, and is fine.) Prints TAP.
# usage: check-scripts.sh SCRIPT...     (default: tests/vm/t/*.sh)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -gt 0 ] || set -- "$top"/tests/vm/t/*.sh
funcs_of() { sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)()[[:space:]]*{.*/\1/p' "$@"; }
lib_funcs=$(funcs_of "$top/tests/vm/lib.sh")
status=0
for f in "$@"; do
	names=$(printf '%s\n' $lib_funcs $(funcs_of "$f") | sort -u | paste -sd'|')
	# the command of each sh -c, with the parent's "$(...)" removed
	bad=$(grep -n 'sh -c ' "$f" | sed 's/sh -c /\x01/' | while IFS= read -r l; do
		cmd=${l#*$'\x01'}
		case $cmd in \"*) cmd=$(printf '%s' "$cmd" | sed 's/\$([^)]*)//g') ;; esac
		printf '%s\n' "$cmd" | grep -qE "(^[\"']?|[|;&!({]|\\\$\\()[[:space:]]*($names)([[:space:]]|[;|&)\"']|$)" &&
			printf '%s\n' "${l%%:*}: ${l#*:}" | tr '\001' ' '
	done)
	name=${f#"$top"/}
	if [ -z "$bad" ]; then
		echo "ok - scripts: $name: no sh -c calls a function of the test shell"
	else
		echo "not ok - scripts: $name: no sh -c calls a function of the test shell"
		echo "$bad" | sed 's/^/#   line /'
		status=1
	fi
done
exit $status
