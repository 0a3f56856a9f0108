# Runs only on the sanitizer kernel: one deliberate fault of each kind
# (dfuse_faults.ko); the host then finds each detector's report in the
# kernel log (tests/vm/run-detectors.sh). lockdep is first: any other
# report taints the kernel and turns it off. BUG is last: oops=panic ends
# the VM.
. /tests/lib.sh
echo 1 >/proc/sys/kernel/hung_task_timeout_secs
for f in lockdep kasan ubsan atomic kmemleak refcount list hung warn; do
	echo "dfuse_faults: fault=$f" >/dev/kmsg
	check "fault=$f: committed, load refused as designed" \
		sh -c "! insmod /lib/modules/dfuse_faults.ko fault=$f 2>/dev/null"
done
sleep 6		# kmemleak ignores objects younger than 5 s
# insmod's exited stack, kept for the next task and scanned, may still
# hold the pointer (7.x): new tasks take it over (as the teardown does)
for i in $(seq 1 40); do /bin/true; done
echo scan >/sys/kernel/debug/kmemleak
echo scan >/sys/kernel/debug/kmemleak
cat /sys/kernel/debug/kmemleak >/dev/console
done_testing
echo "dfuse_faults: fault=bug" >/dev/kmsg
insmod /lib/modules/dfuse_faults.ko fault=bug
