# The node's file operations from a 64-bit and a 32-bit program
# (tests/vm/bin/node-io.c): lseek with SEEK_END/DATA/HOLE over a map with
# a hole, reads at huge offsets, a write across two segments, into the
# hole and past the end.
. /tests/lib.sh
plan 64
insmod /lib/modules/dfuse.ko
MAP='alt0=@X /0x08000000/2*16Kg/0x08008000/1*16Kg/0x08010000/2*16Ka'

for prog in node-io node-io32; do
	emu_start "$prog" --profile f401 --set "$MAP"
	check "$prog: the node appears" wait_for 10 test -c /dev/dfuse0.0
	run_helper "" "$prog" "$(emu_dir "$prog")" "$T_SEED"
	emu_stop "$prog"
	wait_for 10 sh -c '! test -e /dev/dfuse0.0'
done
done_testing
