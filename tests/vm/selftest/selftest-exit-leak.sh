# Harness self-test (must fail; sanitizer kernel): a module that leaks an
# object when it is unloaded. The teardown's rmmod and kmemleak scan must
# find it ("kmemleak finds nothing").
. /tests/lib.sh
plan 1
check "the leaking module loads" insmod /lib/modules/dfuse_faults.ko fault=exitleak
done_testing
