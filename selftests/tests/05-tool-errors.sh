#!/bin/bash
# scope: once (the tool's own errors, no kernel code)
# The tool without the module, and its usage errors: one line each, exit 1
# for the system refusing, 2 for usage.
. "$KN_ROOT/selftests/lib.sh"

[ -d /sys/module/keynet ] && fail "module unexpectedly loaded"
out=$(keynet link show 2>&1) && fail "link show succeeded without the module"
check_eq "$?" 1 "exit status without the module"
check_eq "$(echo "$out" | wc -l)" 1 "one line"
check_match "$out" "^keynet: the keynet kernel module is not loaded" "message"
out=$(keynet version 2>&1) && fail "version succeeded without the module"
check_match "$out" "keynet tool" "version prints the tool's version"
check_match "$out" "not loaded" "version says the module is not loaded"

expect_fail 2 "^keynet: unknown object 'frobnicate': " keynet frobnicate
expect_fail 2 "^keynet: unknown option '-Q': " keynet -Q link
expect_fail 2 "^keynet: unknown command 'explode': " keynet link explode
expect_fail 2 "^keynet: missing argument after 'dev': " keynet link show dev
expect_fail 2 "^keynet: unknown argument 'foo': " keynet link show foo
expect_fail 2 "^keynet: missing argument after '-n': " keynet -n
expect_fail 1 "cannot open network namespace 'nope'" keynet -n nope link show
keynet help | grep -q "Usage: keynet" || fail "keynet help"
keynet link help | grep -q "Usage: keynet link" || fail "keynet link help"
exit 0
