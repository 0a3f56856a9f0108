# dfuse's KUnit suites, built in the kernel's own tree with the driver
# (debug7: the upstream series in the 7.x tree, tests/vm/intree.config),
# run as their module loads, under the sanitizer kernel's judges. Each
# case is a check; every suite must report every case it declares, none
# skipped. (On 6.1 the same suites run on UML: tests/kunit/run.sh.)
. /tests/lib.sh
kunit=/sys/kernel/debug/kunit
# the module's suites; one added to the module and not here fails below
suites="dfuse_engine dfuse_engine_poll dfuse_memmap dfuse_plan dfuse_quirks"

insmod /lib/modules/dfuse_kunit.ko 2>/tmp/insmod.err
loaded=$?
# "    ok N case" (a parameterised case's own results are one level deeper)
for s in $suites; do
	[ -r "$kunit/$s/results" ] || continue
	sed -n "s/^    \(not ok\|ok\) [0-9]* \(.*\)/\1 $s \2/p" "$kunit/$s/results" |
		sed 's/^not ok /not_ok /'
done >/tmp/cases
plan $((4 + $(wc -l </tmp/cases)))

is "$loaded" 0 "dfuse_kunit.ko loads; its suites run as it loads"
sed 's/^/#   /' /tmp/insmod.err
is "$(ls "$kunit" 2>/dev/null | grep '^dfuse' | sort | tr '\n' ' ')" "$suites " \
	"the module's suites are $suites"
# each suite's plan ("1..N" before its first case) is met
short=
for s in $suites; do
	declared=$(sed -n 's/^    1\.\.\([0-9]*\)$/\1/p' "$kunit/$s/results" 2>/dev/null | head -1)
	ran=$(grep -c " $s " /tmp/cases)
	[ -n "$declared" ] && [ "$declared" = "$ran" ] || short="$short $s($ran of ${declared:-?})"
done
is "$short" "" "every suite reports every case it declares"
while read -r res suite name; do
	case $name in
	*"# SKIP"*) nok "kunit: $suite: ${name%% # SKIP*} (skipped: every case must run)" ;;
	*) if [ "$res" = ok ]; then ok "kunit: $suite: $name"; else nok "kunit: $suite: $name"; fi ;;
	esac
done </tmp/cases
# what a failed case said
grep -h -A3 'FAILED at' "$kunit"/dfuse*/results 2>/dev/null | head -20 | sed 's/^ */# /'
check "dfuse_kunit unloads" rmmod dfuse_kunit
done_testing
