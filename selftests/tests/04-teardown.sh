#!/bin/bash
# ip link del and rmmod leave nothing behind: no device, no refcount, no
# link type, no genetlink family.
. "$KN_ROOT/selftests/lib.sh"

kn_load
netns_add x
for i in 0 1 2; do ip link add kn$i type keynet || fail "add kn$i"; done
ns x ip link add kn9 type keynet || fail "add kn9 in x"
ip link set kn1 up
check_eq "$(ip -o link show type keynet | wc -l)" 3 "three devices"
for i in 0 1 2; do ip link del kn$i || fail "del kn$i"; done
check_eq "$(ip -o link show type keynet | wc -l)" 0 "devices after ip link del"
check_eq "$(cat /sys/module/keynet/refcnt)" 0 "module refcount"

# rmmod with a device still present in another namespace removes it.
kn_unload
[ -d /sys/module/keynet ] && fail "module still loaded"
check_eq "$(ns x ip -o link show type keynet 2>/dev/null | wc -l)" 0 "devices in x after rmmod"
grep -q keynet /proc/modules && fail "keynet still in /proc/modules"
# The link type and the family are gone (the module is not installed in
# /lib/modules here, so nothing autoloads it).
expect_fail 2 "nknown device type|not supported" ip link add kn0 type keynet
expect_fail 1 "not loaded" keynet link show

# Load again: a clean start.
kn_load
ip link add kn0 type keynet || fail "add after reload"
check_eq "$(keynet -j link show | jq -r '.[0].ifname')" kn0 "device after reload"
ip link del kn0
kn_unload
exit 0
