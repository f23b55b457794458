#!/bin/bash
# timeout: 120
# scope: once (rekey timing is the module's timers and Noise state; the timer and workqueue APIs it uses run on every kernel in 70 and 71)
# Rekeying under continuous traffic with no packet loss, with the protocol
# timers scaled down 40 times (REKEY_AFTER_TIME 3 s, REJECT_AFTER_TIME
# 4.5 s) by the debug_timer_div module parameter.
. "$KN_ROOT/selftests/lib.sh"

KN_MODPARAMS="debug_timer_div=40" kn_pair v4
check_eq "$(cat /sys/module/keynet/parameters/debug_timer_div)" 40 "module parameter"
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel did not come up"

ns a ping -c 300 -i 0.05 -W 1 192.168.241.2 >/tmp/ping.out 2>&1 &
pinger=$!
seen=()
for i in $(seq 1 14); do
	seen+=("$(keynet -n a -j peer show dev kn0 | jq '.[0].latest_handshake')")
	sleep 1	# pacing: one sample a second
done
wait $pinger
distinct=$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)
info "handshake times seen: $distinct distinct over 14 s"
[ "$distinct" -ge 3 ] || fail "keys did not rotate (handshake times: ${seen[*]})"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' /tmp/ping.out)
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/ping.out)
info "ping: $received of $sent"
check_eq "$received" "$sent" "no packet lost while rekeying"
check_eq "$(drops a kn0 bad_mac)" 0 "bad_mac drops"
check_eq "$(drops b kn1 no_key)" 0 "no_key drops on b"
exit 0
