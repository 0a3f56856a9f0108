# Harness self-test (must fail): a test that plans three checks and runs
# two. run-tests.sh must fail it ("meets its plan").
. /tests/lib.sh
plan 3
ok "the first check"
ok "the second check"
done_testing
