#!/bin/bash
# timeout: 60
# The beacon namespace rule (docs/security.md): a device created in "h"
# and moved into a container (a network namespace owned by a new user
# namespace, as "unshare -U -r -n" makes) keeps its beacon sockets in
# "h".  The container's root may set the beacon key, the cap and the
# stamp window, and repeat the current mode, but changing the mode, port
# or interfaces (what binds ports and picks interfaces in "h") fails with
# EPERM and says why; root of the initial user namespace may change them.
. "$KN_ROOT/selftests/lib.sh"

kn_load
command -v unshare >/dev/null && command -v nsenter >/dev/null || skip "no unshare/nsenter"

netns_add h
ip -n h link add eth0 type dummy || fail "eth0 in h"
ip -n h link set eth0 up || fail "eth0 up"
ip -n h link add kn0 type keynet || fail "kn0 in h"
keynet genpsk >/tmp/k1
keynet -n h link set dev kn0 beacon accept beacon-port 27300 beacon-key /tmp/k1 ||
	fail "beacons in h"

unshare -U -r -n sleep 300 &
ctr=$!
own_userns() { [ "$(readlink /proc/"$ctr"/ns/user)" != "$(readlink /proc/self/ns/user)" ]; }
wait_for 5 own_userns || fail "the container has no user namespace of its own"
ip -n h link set kn0 netns "$ctr" || fail "cannot move kn0 into the container"
# The container's root: CAP_NET_ADMIN in its own user namespace only.
in_ctr() { nsenter -t "$ctr" -U -n "$@"; }
# Root of the initial user namespace, in the container's network namespace.
as_host() { nsenter -t "$ctr" -n "$@"; }
in_ctr ip link set kn0 up || fail "kn0 up in the container"
bj() { as_host keynet -j link show dev kn0 | jq -r ".[0].beacon | $1"; }

rule="needs CAP_NET_ADMIN there"
expect_fail 1 "$rule" in_ctr keynet link set dev kn0 beacon send
expect_fail 1 "$rule" in_ctr keynet link set dev kn0 beacon off
expect_fail 1 "$rule" in_ctr keynet link set dev kn0 beacon-port 27301
expect_fail 1 "$rule" in_ctr keynet link set dev kn0 beacon-max-peers 9 beacon-port 27301
check_eq "$(bj '[.mode, .port, .max_peers] | map(tostring) | join(" ")')" \
	"accept 27300 64" "the beacon settings after the refusals"
# What only concerns the container's device: allowed.
in_ctr keynet link set dev kn0 beacon-key /tmp/k1 beacon-max-peers 9 beacon-stamp-window 60 ||
	fail "key, cap and window from the container"
in_ctr keynet link set dev kn0 beacon accept beacon-port 27300 ||
	fail "repeating the current mode and port from the container"
check_eq "$(bj '[.mode, .port, .max_peers, .stamp_window] | map(tostring) | join(" ")')" \
	"accept 27300 9 60" "the settings the container may change"
# The beacon socket is still bound in h, on the same port.
ns h ss -uln | grep -q ':27300 ' || fail "no beacon socket on port 27300 in h: $(ns h ss -uln)"
# The owner of h's user namespace may change them.
as_host keynet link set dev kn0 beacon-port 27302 || fail "port change by the host's root"
wait_for 5 udp_bound h 27302 || fail "no socket on 27302 in h"
as_host keynet link set dev kn0 beacon off || fail "beacon off by the host's root"
check_eq "$(bj .mode)" off "mode after the host's change"
kill "$ctr"
wait "$ctr" 2>/dev/null
exit 0
