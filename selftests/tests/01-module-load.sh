#!/bin/bash
# The module loads, registers its link type and genetlink family, reports
# its version, and unloads cleanly.
. "$KN_ROOT/selftests/lib.sh"

kn_load
[ -d /sys/module/keynet ] || fail "module not loaded"
# Which file was loaded ('make check-dkms' matches the sha256).
info "loaded $KN_KO sha256 $(sha256sum <"$KN_KO" | cut -d' ' -f1) srcversion $(cat /sys/module/keynet/srcversion)"
want=$(cat "$KN_ROOT/VERSION")
uapi=$(sed -n 's/^#define KEYNET_UAPI_VERSION[[:space:]]*//p' "$KN_ROOT/include/uapi/linux/keynet.h")
check_eq "$(cat /sys/module/keynet/version)" "$want" "module version"
check_eq "$(cat /sys/module/keynet/refcnt)" 0 "refcount after load"
dmesg | grep -q "keynet $want loaded" || fail "no load message in the kernel log"

out=$(keynet version) || fail "keynet version failed: $out"
check_match "$out" "^keynet tool $want \(uapi $uapi\)" "tool line"
check_match "$out" "keynet module $want \(uapi $uapi\)" "module line"
j=$(keynet -j version) || fail "keynet -j version failed"
check_eq "$(echo "$j" | jq -r .module_version)" "$want" "json module_version"
check_eq "$(echo "$j" | jq -r .module_uapi)" "$uapi" "json module_uapi"

kn_unload
[ -d /sys/module/keynet ] && fail "module still present after rmmod"
exit 0
