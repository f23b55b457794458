#!/bin/bash
# timeout: 90
# scope: once (cookie replies of the module's own protocol code; the socket paths run on every kernel in 11 and 61)
# A cookie reply that answers our handshake RESPONSE is taken: an
# initiator under load (selftests/tools/hscookie.py) answers keynet's
# response with a cookie reply addressed to the response's sender index -
# by then the index of the new session, no longer a handshake index - and
# keynet's later responses to it carry mac2 under that cookie.  Without
# it, a keynet responder never completes a handshake with a loaded
# initiator, which drops every response without a valid mac2.
. "$KN_ROOT/selftests/lib.sh"

kn_load
netns_add r
ns r ip link add kn0 type keynet || fail "create kn0"
keynet genkey >/tmp/r.key && keynet genkey >/tmp/i.key || fail genkey
keynet -n r link set dev kn0 private-key /tmp/r.key listen-port 10002 || fail "link set"
keynet -n r peer add dev kn0 "$(keynet pubkey </tmp/i.key)" || fail "peer add"
ns r ip link set kn0 up || fail "kn0 up"

unk0=$(drops r kn0 unknown_peer) mac0=$(drops r kn0 bad_mac)
out=$(ns r python3 "$KN_ROOT/selftests/tools/hscookie.py" "$(cat /tmp/i.key)" \
	127.0.0.1 10002 "$(keynet pubkey </tmp/r.key)" 10) ||
	fail "keynet's responses never carried mac2 under the initiator's cookie: $out"
info "hscookie: $out"
check_eq "$(drops r kn0 unknown_peer)" "$unk0" "unknown_peer drops (the cookie reply was not matched to its peer)"
check_eq "$(drops r kn0 bad_mac)" "$mac0" "bad_mac drops"
exit 0
