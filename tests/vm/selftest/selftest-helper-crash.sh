# Harness self-test (must fail): an in-VM helper that passes one check of
# its two and dies of SIGSEGV. run_helper must fail it.
. /tests/lib.sh
plan 2
run_helper "crashing helper: " crash-after-ok
done_testing
