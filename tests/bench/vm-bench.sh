# The benchmark, inside one VM booted with QEMU -icount (virtual time is
# deterministic and idle time costs nothing): every host (dfu-util 0.11,
# dd / cat on /dev/dfuse0.0, dfuse flash with and without verify, dfuse
# read) in every scenario on every profile and size of TEST_ARG
# ("PROFILE,...:SIZE,..."), each result checked byte-exact in the
# emulator's memory. One line per run:
#   R profile size host scenario seconds ok|BAD requests-by-type... cpu_ms=N
# cpu_ms: the VM's busy CPU time during the run (/proc/stat) less the
# emulator's own (its /proc/PID/stat): what the host tool and the kernel
# spent. Scenario new-jitter: busy times jittered +-20% (seed printed).
# Images come from the host (tests/bench/bench.sh): /data/bench/SIZE.{new,old,chg,sec}.
. /tests/lib.sh
insmod /lib/modules/dfuse.ko
arg=${TEST_ARG:-f407:16384}
profiles=$(echo "${arg%%:*}" | tr , ' ')
sizes=$(echo "${arg#*:}" | tr , ' ')
d=/data/bench
dir=/tmp/emu/b0
now() { mono-time; }	# virtual time under -icount

# board_dev PORT: board PORT's USB device in sysfs, placed as dfuse-emu
# places it (tests/emu/usbip.c): controller PORT / P, hub port PORT % P + 1
board_dev() {
	local nports hcs per
	nports=$(cat /sys/devices/platform/vhci_hcd.0/nports)
	hcs=$(ls -d /sys/devices/platform/vhci_hcd.* | wc -l)
	per=$((nports / 2 / hcs))
	ls -d "/sys/devices/platform/vhci_hcd.$(($1 / per))"/usb*/*-$(($1 % per + 1)) 2>/dev/null | head -1
}

board_bound() {
	local dev
	dev=$(board_dev "$1")
	[ -n "$dev" ] && [ -e "$dev/${dev##*/}:1.0/driver" ]
}
board_gone() { [ -z "$(board_dev "$1")" ]; }

# preload FILE|blank: the flash content before the run (the whole span)
start_board() {
	local prof=$1 pre=$2 port=${3:-0} dir=/tmp/emu/b$3
	rm -rf "$dir"
	mkdir -p "$dir"
	span=$(cat $d/$prof.span)
	if [ "$pre" = blank ]; then
		head -c "$span" /dev/zero | tr '\0' '\377' >"$dir/alt0.bin"
	else
		{ cat "$pre"; head -c "$span" /dev/zero | tr '\0' '\377'; } | head -c "$span" >"$dir/alt0.bin"
	fi
	dfuse-emu --state "$dir" --port "$port" --profile "$prof" --time-scale "${scale:-1}" \
		--jitter "${jitter:-0}" --jitter-seed "$((T_SEED + port))" 2>"$dir/stderr" &
	echo $! >"$dir/pid"
	wait_for 20 grep -qx 1 "$dir/attached" || { cat "$dir/stderr"; return 1; }
	wait_for 20 board_bound "$port"
	wait_for 20 sh -c "ls /dev/dfuse*.0 >/dev/null"
	sleep 0.2
}

stop_board() {
	local dir=/tmp/emu/b${1:-0}
	kill "$(cat "$dir/pid")" 2>/dev/null
	wait "$(cat "$dir/pid")" 2>/dev/null
	wait_for 20 board_gone "${1:-0}"
}

counts() {
	local f=/tmp/emu/b${1:-0}/counts
	echo "dnload=$(sed -n 's/^DNLOAD //p' $f) upload=$(sed -n 's/^UPLOAD //p' $f) getstatus=$(sed -n 's/^GETSTATUS //p' $f) other=$(($(sed -n 's/^CLRSTATUS //p' $f) + $(sed -n 's/^ABORT //p' $f))) busy_ms=$(sed -n 's/^BUSY_MS //p' $f) erases=$(sed -n 's/^ERASES //p' $f) early=$(sed -n 's/^EARLY_POLLS //p' $f)"
}

# busy CPU ticks of the VM, and of one process
vm_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
pid_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
tick_ms=$((1000 / $(getconf CLK_TCK 2>/dev/null || echo 100)))

# run PROFILE SIZE HOST SCENARIO PRELOAD EXPECT CMD...: one measured run
run() {
	local prof=$1 size=$2 host=$3 scen=$4 pre=$5 expect=$6 t0 t1 res=ok c0 c1 e0 e1 emu
	shift 6
	start_board "$prof" "$pre" 0 || { echo "R $prof $size $host $scen 0 BAD no-board"; return; }
	if [ "$host" = dfu-util ]; then
		# dfu-util needs the interface free: unbind dfuse
		for i in /sys/bus/usb/drivers/dfuse/1-*; do
			[ -e "$i" ] && echo "${i##*/}" >/sys/bus/usb/drivers/dfuse/unbind
		done
	fi
	emu=$(cat "$dir/pid")
	c0=$(vm_ticks) e0=$(pid_ticks "$emu")
	t0=$(now)
	"$@" >/tmp/run.out 2>&1 || res=BAD
	t1=$(now)
	c1=$(vm_ticks) e1=$(pid_ticks "$emu")
	[ "$host" = dfu-util ] || diag "$prof $size $host $scen: polling $(cat /sys/bus/usb/devices/1-1:1.0/dfu/polling 2>/dev/null)"
	case "$expect" in
	read:*) cmp -s "${expect#read:}" /tmp/readback || res=BAD ;;
	*) head -c "$size" "$dir/alt0.bin" | cmp -s - "$expect" || res=BAD ;;
	esac
	[ $res = ok ] || sed 's/^/# /' /tmp/run.out | tail -5
	stop_board 0
	echo "R $prof $size $host $scen $(awk "BEGIN{print $t1-$t0}") $res $(counts 0) cpu_ms=$(((c1 - c0 - (e1 - e0)) * tick_ms))"
}

for prof in $profiles; do
	for size in $sizes; do
		# (l4 has 512 KiB of flash)
		[ "$size" -le "$(cat $d/$prof.span)" ] || continue
		new=$d/$size.new old=$d/$size.old
		for scen in new blank same changed sectors; do
			case $scen in
			new) pre=$old ;; blank) pre=blank ;; same) pre=$new ;;
			changed) pre=$d/$size.chg ;; sectors) pre=$d/$size.sec ;;
			esac
			run "$prof" "$size" dfu-util "$scen" "$pre" "$new" \
				dfu-util -a 0 -s 0x08000000 -D "$new"
			run "$prof" "$size" dd "$scen" "$pre" "$new" \
				dd if="$new" of=/dev/dfuse0.0 bs=64k conv=fsync
			run "$prof" "$size" dfuse "$scen" "$pre" "$new" \
				dfuse flash "$new" --alt 0 --address 0x08000000
			run "$prof" "$size" dfuse-noverify "$scen" "$pre" "$new" \
				dfuse flash "$new" --alt 0 --address 0x08000000 --no-verify
		done
		run "$prof" "$size" dfu-util read "$new" "read:$new" \
			sh -c "rm -f /tmp/readback; dfu-util -a 0 -s 0x08000000:$size -U /tmp/readback"
		run "$prof" "$size" dd read "$new" "read:$new" \
			sh -c "head -c $size /dev/dfuse0.0 >/tmp/readback"
		run "$prof" "$size" dfuse read "$new" "read:$new" \
			sh -c "rm -f /tmp/readback; dfuse read --alt 0 --address 0x08000000 --length $size -o /tmp/readback"
	done
done

# The first profile and the largest size: at time scale 0 (no flash and
# no bus time: what the host, the kernel and USB/IP cost), then 4 boards
# at once against 1 with dd.
prof=${profiles%% *} size=${sizes##* }
new=$d/$size.new
scale=0
run "$prof" "$size" dfu-util scale0 "$d/$size.old" "$new" \
	dfu-util -a 0 -s 0x08000000 -D "$new"
run "$prof" "$size" dd scale0 "$d/$size.old" "$new" \
	dd if="$new" of=/dev/dfuse0.0 bs=64k conv=fsync
scale=1
# busy times jittered +-20% (datasheets: typical to maximum), new image
echo "# jitter: +-20%, seeds $T_SEED + port (DFUSE_SEED repeats them)"
jitter=20
run "$prof" "$size" dfu-util new-jitter "$d/$size.old" "$new" \
	dfu-util -a 0 -s 0x08000000 -D "$new"
run "$prof" "$size" dd new-jitter "$d/$size.old" "$new" \
	dd if="$new" of=/dev/dfuse0.0 bs=64k conv=fsync
run "$prof" "$size" dfuse new-jitter "$d/$size.old" "$new" \
	dfuse flash "$new" --alt 0 --address 0x08000000
jitter=0
for n in 1 16; do
	p=0
	while [ $p -lt $n ]; do start_board "$prof" "$d/$size.old" $p; p=$((p + 1)); done
	pids=
	t0=$(now)
	for node in /dev/dfuse*.0; do
		dd if="$new" of="$node" bs=64k conv=fsync 2>/dev/null &
		pids="$pids $!"
	done
	for pid in $pids; do wait $pid; done
	t1=$(now)
	res=ok
	p=0
	while [ $p -lt $n ]; do
		head -c "$size" /tmp/emu/b$p/alt0.bin | cmp -s - "$new" || res=BAD
		stop_board $p
		p=$((p + 1))
	done
	echo "R $prof $size dd boards-$n $(awk "BEGIN{print $t1-$t0}") $res $(counts 0)"
done
rmmod dfuse
echo "1..0"
