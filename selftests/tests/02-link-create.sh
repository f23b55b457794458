#!/bin/bash
# ip link add ... type keynet creates a device that comes up, and the tool
# shows it with the right ifindex and name, as text and as JSON.
. "$KN_ROOT/selftests/lib.sh"

kn_load
ip link add kn0 type keynet || fail "ip link add kn0 type keynet"
ip link set kn0 up || fail "ip link set kn0 up"
ip -o link show kn0 | grep -q 'UP' || fail "kn0 is not up: $(ip -o link show kn0)"
check_eq "$(cat /sys/class/net/kn0/mtu)" 1420 "default MTU"
check_eq "$(cat /sys/class/net/kn0/type)" 65534 "link type (ARPHRD_NONE)"
ifindex=$(cat /sys/class/net/kn0/ifindex)

out=$(keynet link show) || fail "keynet link show"
check_eq "$out" "$ifindex: kn0: listen-port 27177 public-key (none)" "text output"
out=$(keynet link show dev kn0) || fail "keynet link show dev kn0"
check_eq "$out" "$ifindex: kn0: listen-port 27177 public-key (none)" "text output for one device"
# iproute2-style abbreviations
check_eq "$(keynet l s)" "$out" "'keynet l s'"
check_eq "$(keynet link)" "$out" "'keynet link' (show is the default)"

j=$(keynet -j link show) || fail "keynet -j link show"
echo "$j" | jq -e . >/dev/null || fail "not JSON: $j"
check_eq "$(echo "$j" | jq length)" 1 "number of devices in JSON"
check_eq "$(echo "$j" | jq -r '.[0].ifindex')" "$ifindex" "JSON ifindex"
check_eq "$(echo "$j" | jq -r '.[0].ifname')" kn0 "JSON ifname"
check_eq "$(echo "$j" | jq -r '.[0].listen_port')" 27177 "JSON listen_port"
check_eq "$(echo "$j" | jq -r '.[0].public_key')" null "JSON public_key"
j=$(keynet -j -p link show dev kn0) || fail "keynet -j -p link show dev kn0"
check_eq "$(echo "$j" | jq -r '.[0].ifname')" kn0 "pretty JSON ifname"

# A second device shows up too, in creation order.
ip link add kn1 type keynet || fail "ip link add kn1"
check_eq "$(keynet -j link show | jq -r '[.[].ifname] | join(",")')" "kn0,kn1" "two devices"

# Errors: the kernel's reason, one line, exit 1.
expect_fail 1 "^keynet: .*no device with this name" keynet link show dev nosuch
expect_fail 1 "^keynet: .*not a keynet device" keynet link show dev lo
check_eq "$(keynet link show dev nosuch 2>&1 | wc -l)" 1 "error is one line"

ip link del kn1 || fail "ip link del kn1"
ip link del kn0 || fail "ip link del kn0"
check_eq "$(keynet -j link show)" "[]" "no devices left"
exit 0
