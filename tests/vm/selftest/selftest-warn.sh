# Harness self-test (must fail): a kernel WARNING in a test that never
# loads dfuse.ko. run-tests.sh must fail it ("kernel log clean").
. /tests/lib.sh
plan 1
insmod /lib/modules/dfuse_faults.ko fault=warn 2>/dev/null
ok "the WARN module was loaded"
done_testing
