#!/bin/bash
# timeout: 120
# Restart: one side deletes and recreates its device (same key and
# peers); traffic resumes within 5 s of its next packet.
. "$KN_ROOT/selftests/lib.sh"

kn_pair v4
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel did not come up"

ns b ip link del kn1 || fail "delete kn1"
ns wire ip link add kn1 type keynet || fail "recreate kn1"
keynet -n wire link set dev kn1 private-key /tmp/kn-b.key listen-port 10002 ||
	fail "configure kn1 again"
keynet -n wire peer add dev kn1 "$KA" endpoint 127.0.0.1:10001 \
	route 192.168.241.1/32 route fd00::1/128 || fail "peer add again"
ns wire ip link set kn1 netns b
ns b ip addr add 192.168.241.2/24 dev kn1
ns b ip link set kn1 up

start=$(date +%s.%N)
ns b ping -c 1 -W 5 192.168.241.1 >/dev/null || fail "no reply within 5 s after the restart"
took=$(echo "$(date +%s.%N) - $start" | bc)
info "traffic resumed after ${took}s"
ns a ping -c 3 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "a->b after the restart"
exit 0
