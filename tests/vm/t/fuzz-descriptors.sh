# Seeded, reproducible random descriptor sets (dfuse-emu --fuzz SEED,
# tests/emu/fuzz.c), four boards at a time on four ports, each judged by
# the generator's own verdict: bound with exactly the segments it built,
# refused with the one log line of the defect's class, or (plain DFU of
# another vendor) left alone; the kernel log stays clean (run-tests.sh). Seeds FIRST-LAST from TEST_ARG (default
# 1-100): on the sanitizer kernel a set takes ~4 s, so run-matrix.sh
# gives each VM 75 of them.
# vm-timeout: 1500
. /tests/lib.sh
plan 3
insmod /lib/modules/dfuse.ko
range=${TEST_ARG:-1-100}
first=${range%-*} last=${range#*-}
count=$((last - first + 1))
workers=4
diag "descriptor fuzz: seeds $first..$last, $workers boards at a time"
# the whole kernel log, not the ring buffer (which wraps over 300 boards)
cat /dev/kmsg >/tmp/kmsg.log &
kmsg=$!

# worker PORT: seeds PORT+1, PORT+1+workers, ...; a result line per seed
worker() {
	local port=$1 seed dir intf n lines base
	dir=/tmp/emu/fz$port
	intf=/sys/bus/usb/devices/1-$((port + 1)):1.0
	lines() { echo $(($(grep -c "dfuse 1-$((port + 1)):1.0: " /tmp/kmsg.log) - base)); }
	# an STM32 with plain DFU (the MP15 ROM, U-Boot) is left alone with
	# this line at each probe; nothing else may be said
	plain() { echo $(($(grep -c "dfuse 1-$((port + 1)):1.0: DFU 1.[01]0, not DfuSe: left to userspace tools" /tmp/kmsg.log) - pbase)); }
	node() { ls -d "$intf"/dfuse/dfuse*."$1" 2>/dev/null | head -1; }
	seed=$((first + port))
	while [ $seed -le $last ]; do
		rm -rf $dir
		mkdir -p $dir
		base=$(grep -c "dfuse 1-$((port + 1)):1.0: " /tmp/kmsg.log)
		pbase=$(grep -c "dfuse 1-$((port + 1)):1.0: DFU 1.[01]0, not DfuSe: left to userspace tools" /tmp/kmsg.log)
		dfuse-emu --state $dir --port $port --time-scale 0 --fuzz $seed 2>$dir/stderr &
		echo $! >$dir/pid
		# (30 s: a bound for a stalled attach, not a timing check)
		if ! wait_for 30 grep -qx 1 $dir/attached; then
			echo "bad $seed the board did not enumerate: $(cat $dir/stderr)"
		else
			expect=$(cat $dir/fuzz-expect)
			if [ "$expect" = ignore ]; then
				# no event to wait for: a probe of our own waits
				# (the device lock) for the kernel's first one
				wait_for 10 test -e $intf
				echo "1-$((port + 1)):1.0" >/sys/bus/usb/drivers_probe
			else
				n=0
				while [ $n -lt 60 ] && ! test -e $intf/driver && [ "$(lines)" -eq 0 ]; do
					sleep 0.05
					n=$((n + 1))
				done
				sleep 0.1	# a second line would come now
			fi
			if test -e $intf/driver; then
				n=0
				while [ -n "$(node $n)" ] && cmp -s "$(node $n)/segments" $dir/alt$n.segments; do
					n=$((n + 1))
				done
				if [ "$expect" != bind ]; then
					echo "bad $seed bound, but the generator says: $expect"
				elif [ -z "$(node $n)" ] && test ! -e $dir/alt$n.segments; then
					echo "bound $seed"
				else
					echo "bad $seed bound, but alt $n's segments are not the ones built"
				fi
			else
				case "$expect" in
				bind) echo "bad $seed not bound ($(lines) log lines: $(grep "dfuse 1-$((port + 1)):1.0: " /tmp/kmsg.log | tail -1 | cut -d: -f3-))" ;;
				ignore) if [ "$(lines)" -eq "$(plain)" ]; then echo "ignored $seed"; else
					echo "bad $seed left alone, but with $(lines) log lines"; fi ;;
				refuse*)
					class=${expect#refuse } why=${class#* } class=${class%% *}
					if [ "$(lines)" -eq 1 ] && grep "dfuse 1-$((port + 1)):1.0: " /tmp/kmsg.log | tail -1 | grep -Eq "$why"; then
						echo "refused $seed $class"
					else
						echo "bad $seed not bound with $(lines) log lines, not one /$why/"
					fi ;;
				esac
			fi
		fi
		kill "$(cat $dir/pid)" 2>/dev/null
		wait "$(cat $dir/pid)" 2>/dev/null
		wait_for 10 sh -c "! test -e $intf"
		seed=$((seed + workers))
	done
}

p=0
while [ $p -lt $workers ]; do
	worker $p >/tmp/fuzz-$p.out 2>&1 &
	p=$((p + 1))
done
# wait for the four workers (not for the kmsg reader)
for pid in $(jobs -p); do [ "$pid" = "$kmsg" ] || wait "$pid"; done
kill $kmsg
cat /tmp/fuzz-*.out >/tmp/fuzz.out
bound=$(grep -c '^bound ' /tmp/fuzz.out)
refused=$(grep -c '^refused ' /tmp/fuzz.out)
ignored=$(grep -c '^ignored ' /tmp/fuzz.out)
grep '^bad ' /tmp/fuzz.out | while read -r _ seed why; do
	echo "# seed $seed: $why (reproduce: dfuse-emu --fuzz $seed)"
done
is "$(grep -c '^bad ' /tmp/fuzz.out)" 0 "descriptor fuzz: no board mishandled"
is "$((bound + refused + ignored))" "$count" "descriptor fuzz: seeds $first-$last, $count sets: $bound bound with their maps, $refused refused with their class's line ($(sed -n 's/^refused [0-9]* //p' /tmp/fuzz.out | sort | uniq -c | tr -s ' ' | tr '\n' ',')), $ignored left to dfu-util"
check "descriptor fuzz: both outcomes were exercised" test "$bound" -gt 0 -a "$refused" -gt 0
done_testing
