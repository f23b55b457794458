#!/bin/bash
# Devices in two namespaces are independent: each namespace's family
# requests see only their own devices, and deleting one leaves the other.
. "$KN_ROOT/selftests/lib.sh"

kn_load
netns_add a b
ns a ip link add kn0 type keynet || fail "add kn0 in a"
ns b ip link add kn0 type keynet || fail "add kn0 in b"
ns b ip link add knb type keynet || fail "add knb in b"

check_eq "$(keynet -n a -j link show | jq -r '[.[].ifname] | join(",")')" kn0 "devices in a"
check_eq "$(keynet -n b -j link show | jq -r '[.[].ifname] | join(",")')" kn0,knb "devices in b"
check_eq "$(ns b keynet -j link show | jq -r '[.[].ifname] | join(",")')" kn0,knb "devices ns b via ip netns exec"
check_eq "$(keynet -j link show)" "[]" "no devices in the initial namespace"
expect_fail 1 "no device with this name" keynet link show dev knb

ns a ip link del kn0 || fail "del kn0 in a"
check_eq "$(keynet -n a -j link show)" "[]" "a is empty"
check_eq "$(keynet -n b -j link show | jq length)" 2 "b still has both"

# Moving a device to another namespace moves its visibility too.
ns b ip link set knb netns a || fail "move knb to a"
check_eq "$(keynet -n a -j link show | jq -r '.[0].ifname')" knb "knb now in a"
check_eq "$(keynet -n b -j link show | jq -r '[.[].ifname] | join(",")')" kn0 "b keeps kn0"

# Deleting a namespace deletes its devices.  What is left of b cannot be
# listed, so a device is made visible from here: knu is created here and
# moved into b, and its underlay socket stays here (the namespace it was
# created in) until the device is deleted.  b's teardown runs in a
# workqueue, after 'ip netns del' returns: the socket is polled for.
ip link add knu type keynet || fail "add knu"
keynet link set dev knu listen-port 10333 || fail "knu listen-port"
ip link set knu netns b || fail "move knu to b"
ns b ip link set knu up || fail "knu up in b"
knu_bound() { [ -n "$(ss -Hlun 'sport = :10333')" ]; }
knu_gone() { ! knu_bound; }
knu_bound || fail "knu (in b) has no socket on port 10333 here"
check_eq "$(keynet -j link show)" "[]" "knu is not listed here"
ip netns del b
wait_for 10 knu_gone ||
	fail "b's devices outlived b: knu's socket is still bound 10 s after 'ip netns del b'"
check_eq "$(keynet -n a -j link show | jq length)" 1 "a unaffected by b's deletion"
exit 0
