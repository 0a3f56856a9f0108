#!/bin/bash
# make mutants: apply each mutation of mutants.txt to a clean copy of the
# tree, build dfuse.ko for LANE and run the tests that should catch it.
# A mutant is killed when any of those checks fails; one that survives
# fails the run. Prints a line per mutant and the table docs/testing.md
# keeps. usage: run.sh [LANE]     (default 6.1)
# MUTANTS (env): only these numbers, e.g. MUTANTS="03 12"
set -uo pipefail
lane=${1:-6.1}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/mutants
rm -rf "$work"
mkdir -p "$work"
# the mutants, one per file: NAME, FILE, FROM, TO, TESTS
python3 - "$top/tests/mutants/mutants.txt" "$work" <<'PY'
import sys
blocks, cur = [], {}
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("#"):
        continue
    if not line.strip():
        if cur: blocks.append(cur); cur = {}
        continue
    key, _, val = line.partition(": ")
    cur[key] = val
if cur: blocks.append(cur)
for i, b in enumerate(blocks, 1):
    with open(f"{sys.argv[2]}/{i:02d}.m", "w") as f:
        for k in ("name", "file", "from", "to", "tests"):
            f.write(b[k] + "\n")
PY
killed=0 survived=0 broken=0
table=$work/table.md
printf '| # | mutant | file | caught by | result |\n| --- | --- | --- | --- | --- |\n' >"$table"
for m in "$work"/*.m; do
	{ read -r name; read -r file; read -r from; read -r to; read -r tests; } <"$m"
	n=$(basename "$m" .m)
	case " ${MUTANTS:-$n} " in *" $n "*) ;; *) continue ;; esac
	tree=$work/$n
	mkdir -p "$tree"
	# a clean copy: the committed sources, the built tools and test data
	git -C "$top" archive HEAD | tar -x -C "$tree"
	mkdir -p "$tree/build/vm"
	cp -a "$top/build/vm/bin" "$top/build/vm/data" "$tree/build/vm/"
	cp -a "$top/user/dfuse" "$tree/user/"
	cp -a "$top/tests/emu/dfuse-emu" "$top/tests/emu/dfu-raw" "$tree/tests/emu/"
	if ! python3 - "$tree/$file" "$from" "$to" <<'PY'
import sys
path, old, new = sys.argv[1:]
s = open(path).read()
if s.count(old) != 1:
    sys.exit(f"'{old}' occurs {s.count(old)} times in {path}")
open(path, "w").write(s.replace(old, new))
PY
	then
		result="not applied"
	elif ! "$tree/tests/vm/build-module.sh" "$lane" >"$tree/build.out" 2>&1; then
		result="does not build"
	else
		# shellcheck disable=SC2086
		out=$(VM_JOBS=2 "$tree/tests/vm/run-tests.sh" "$lane" "$tree/build/vm/$lane/dfuse.ko" $tests 2>&1)
		first=$(echo "$out" | grep -m1 '^not ok' | sed 's/^not ok - [^ ]* //')
		if [ -n "$first" ]; then result="killed"; else result="survived"; fi
	fi
	case $result in
	killed) killed=$((killed + 1)); echo "ok - mutant $n killed: $name (by: $first)" ;;
	survived) survived=$((survived + 1)); echo "not ok - mutant $n survived: $name ($file; $tests)" ;;
	*) broken=$((broken + 1)); echo "not ok - mutant $n $result: $name ($file)"; tail -5 "$tree/build.out" 2>/dev/null | sed 's/^/# /' ;;
	esac
	printf '| %s | %s | `%s` | %s | %s |\n' "$n" "$name" "$file" "${first:-$tests}" "$result" >>"$table"
	rm -rf "$tree/build/vm/logs" "$tree/build/vm/$lane/initramfs"*
done
echo "# mutants: $killed killed, $survived survived, $broken not run"
echo "# table: $table"
[ $survived -eq 0 ] && [ $broken -eq 0 ]
