# The node's file operations from a 64-bit and a 32-bit program
# (tests/vm/bin/node-io.c): lseek with SEEK_END/DATA/HOLE over a map with
# a hole, reads at huge offsets, a write across two segments, into the
# hole and past the end; offsets above 2 GiB on a map that spans 4 GiB.
. /tests/lib.sh
plan 85
insmod /lib/modules/dfuse.ko
HOLE='alt0=@X /0x08000000/2*16Kg/0x08008000/1*16Kg/0x08010000/2*16Ka'
HIGH='alt0=@X /0x00000000/1*16Kg/0xFFFF0000/1*16Kg'

# board NAME MAP: a board whose alt 0 has MAP
board() {
	emu_start "$1" --profile f401 --set "$2"
	check "$1: the node appears" wait_for 10 test -c /dev/dfuse0.0
}
unplug() {
	emu_stop "$1"
	wait_for 10 sh -c '! test -e /dev/dfuse0.0'
}
for prog in node-io node-io32; do
	board "$prog" "$HOLE"
	run_helper "" "$prog" hole "$(emu_dir "$prog")" "$T_SEED"
	unplug "$prog"
	board "$prog-high" "$HIGH"
	run_helper "" "$prog" high "$(emu_dir "$prog-high")"
	unplug "$prog-high"
done
done_testing
