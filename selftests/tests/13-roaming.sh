#!/bin/bash
# timeout: 120
# scope: once (the endpoint update is the module's own logic; the receive path that reads the sender's address runs on every kernel in 11 and 71)
# Roaming: the peer's underlay address changes mid-stream; the other side
# follows the source of the latest authenticated packet and traffic goes on.
. "$KN_ROOT/selftests/lib.sh"

kn_pair v4
ns b ping -c 2 -i 0.2 -W 2 192.168.241.1 >/dev/null || fail "tunnel did not come up"
check_eq "$(keynet -n a -j peer show dev kn0 | jq -r '.[0].endpoint')" \
	"127.0.0.1:10002" "endpoint before"

ns b ping -c 50 -i 0.1 -W 1 192.168.241.1 >/tmp/ping.out 2>&1 &
pinger=$!
sleep 1.5	# pacing: the roam comes mid-stream, after ~15 of the 50 pings
# b's device now listens on another address of the underlay.
keynet -n b link set dev kn1 listen 127.0.0.2:10012 || fail "rebind kn1"
wait $pinger
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/ping.out)
info "ping: $received of 50 replies"
[ "$received" -ge 47 ] || fail "lost $((50 - received)) of 50 pings while roaming"
check_eq "$(keynet -n a -j peer show dev kn0 | jq -r '.[0].endpoint')" \
	"127.0.0.2:10012" "endpoint after roaming"
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "a->b after roaming"
exit 0
