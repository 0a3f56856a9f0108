# Harness self-test (must fail): a VM that hangs after its plan is met.
# run-tests.sh must fail it ("the VM ends by itself").
# vm-timeout: 30
. /tests/lib.sh
plan 1
ok "the only check"
sleep 100000
done_testing
