#!/bin/bash
# timeout: 180
# scope: once (failover logic of the crypto-key table (pure lpm code, unit-tested); the transmit path runs on every kernel in 11)
# Failover across peers (the seed's meshnet: home, vps2, vps3).  A reaches
# C directly (metric 0) or through B (metric 10), which relays with plain
# IP forwarding.  The direct underlay path is cut with nftables: traffic
# moves to B within 10 s; when the path comes back, it moves back.
. "$KN_ROOT/selftests/lib.sh"

failover_mesh
ns a ping -c 2 -i 0.3 -W 2 10.0.0.2 >/dev/null || fail "a->b"
ns a ping -c 2 -i 0.3 -W 2 10.0.0.3 >/dev/null || fail "a->c direct"
ns b ping -c 2 -i 0.3 -W 2 10.0.0.3 >/dev/null || fail "b->c"
KN_NS=a KN_DEV=kna	# what pj reads: a's kna
rxb() { pj "${KEY[b]}" rx_packets; }
calive() { pj "${KEY[c]}" alive; }
c_alive() { [ "$(calive)" = true ]; }
wait_for 10 c_alive || fail "c not alive before the cut"

# Longest run of lost replies of a ping log, in seconds (0.2 s interval).
outage() {
	sed -n 's/.*icmp_seq=\([0-9]*\) .*time=.*/\1/p' "$1" | sort -n | awk -v last="$2" '
		BEGIN { prev = 0; gap = 0 }
		{ if ($1 - prev - 1 > gap) gap = $1 - prev - 1; prev = $1 }
		END { if (last - prev > gap) gap = last - prev; printf "%.1f\n", gap * 0.2 }'
}

ns a ping -i 0.2 -c 300 -W 1 10.0.0.3 >/tmp/ping1.out 2>&1 &
pinger=$!
sleep 3	# pacing: 3 s of replies on the direct path before the cut
before=$(rxb)
# Cut the direct path a<->c in the underlay.
mesh_cut
# Failed over: c is not alive and the pings' replies come through b.
moved() { ! c_alive && [ $(( $(rxb) - before )) -gt 30 ]; }
wait_for 30 moved
via_b=$(( $(rxb) - before ))
check_eq "$(calive)" false "c not alive while cut"
# Restore the direct path: c is alive again once a handshake completes
# (the protocol retries every REKEY_TIMEOUT, 5 s), then traffic returns.
mesh_repair
t0=$(date +%s)
wait_for 30 c_alive || fail "c did not come back alive within 30 s of the repair"
recovered=$(( $(date +%s) - t0 ))
sleep 1	# pacing: the route moves back, then a 3 s window is measured
before2=$(rxb)
sleep 3	# the window measured
after2=$(( $(rxb) - before2 ))
kill_tree $pinger
wait $pinger
last=$(sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' /tmp/ping1.out | sort -n | tail -n 1)
gap=$(outage /tmp/ping1.out "$last")
info "failover: longest outage ${gap}s, $via_b packets via b during the cut"
info "failback: c alive ${recovered}s after the repair; then $after2 packets from b in 3 s (keepalives only: ~3)"
[ "$via_b" -gt 30 ] || fail "traffic did not move to b ($via_b packets)"
awk "BEGIN { exit !($gap <= 10) }" || fail "failover took ${gap}s (> 10 s)"
[ "$after2" -le 6 ] || fail "traffic did not move back to the direct path ($after2 packets via b)"
exit 0
