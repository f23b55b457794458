#!/bin/bash
# timeout: 300
# Peer and device lifetimes under traffic and handshakes: 1,000 deletions
# in all.  Each round makes a tunnel (as kn_pair) with pings both ways
# and persistent keepalives, so rx_work, tx_work, the handshake workers
# and the timers are all busy; then peerstress deletes and re-adds the
# peer on one side 249 times, then on the other side 249 times (every
# 8th deletion after data flowed both ways through that very peer object,
# the rest while its handshake is in flight), and finally both devices are
# deleted while the pings still run.  Timers run 10x faster
# (debug_timer_div), so keepalives, retransmits and rekeys fire too.
# Nothing may be queued to a peer after its teardown (the kernel WARNs in
# kn_peer_release() if a queue or work item is left), and nothing may
# leak: unreclaimable slab must come back after the warm-up round (on the
# debug kernel, kmemleak's scan after the run checks object by object,
# and KASAN catches work running on a freed peer).
. "$KN_ROOT/selftests/lib.sh"

ROUNDS=2 PEER_ITERS=249 EVERY=8	# 2 x (2 x 249 + 2 devices) = 1,000 deletions
stress="$KN_ROOT/selftests/tools/peerstress.py"

cleanup() {
	kill_tree $(jobs -p)
	wait 2>/dev/null
}
trap cleanup EXIT

t0=$(date +%s)
KN_MODPARAMS="debug_timer_div=10" kn_load

stat() { ns "$1" cat "/sys/class/net/$2/statistics/$3"; }
rx_moves() {	# NS DEV FROM: the device received more than FROM packets
	[ "$(stat "$1" "$2" rx_packets)" -gt "$3" ]
}

# The topology of kn_pair (wire: the underlay; a, b: the two ends), with
# the namespaces made once: only the devices come and go, so namespace
# teardown (asynchronous) does not blur the slab figures.
netns_add wire a b
keynet genkey >/tmp/kn-a.key && keynet genkey >/tmp/kn-b.key || fail genkey
KA=$(keynet pubkey </tmp/kn-a.key)
KB=$(keynet pubkey </tmp/kn-b.key)
pair() {
	ns wire ip link add kn0 type keynet && ns wire ip link add kn1 type keynet &&
	keynet -n wire link set dev kn0 private-key /tmp/kn-a.key listen-port 10001 &&
	keynet -n wire link set dev kn1 private-key /tmp/kn-b.key listen-port 10002 &&
	keynet -n wire peer add dev kn0 "$KB" endpoint 127.0.0.1:10002 \
		route 192.168.241.2/32 persistent-keepalive 1 &&
	keynet -n wire peer add dev kn1 "$KA" endpoint 127.0.0.1:10001 \
		route 192.168.241.1/32 persistent-keepalive 1 &&
	ns wire ip link set kn0 netns a && ns wire ip link set kn1 netns b &&
	ns a ip addr add 192.168.241.1/24 dev kn0 &&
	ns b ip addr add 192.168.241.2/24 dev kn1 &&
	ns a ip link set kn0 up && ns b ip link set kn1 up
}

deletions=0
round() {
	local ifa ifb r0 r1
	pair || fail "round $1: making the tunnel"
	info "round $1: tunnel made at $(( $(date +%s) - t0 )) s"
	ns a ping -c 1 -W 3 192.168.241.2 >/dev/null || fail "round $1: tunnel did not come up"
	# 200 pings a second each way (a flood would starve the guest's
	# two vCPUs under TCG and slow every step of the test down).
	ns a ping -q -i 0.005 -W 1 192.168.241.2 >/dev/null 2>&1 &
	ns b ping -q -i 0.005 -W 1 192.168.241.1 >/dev/null 2>&1 &
	ifa=$(ns a cat /sys/class/net/kn0/ifindex)
	ifb=$(ns b cat /sys/class/net/kn1/ifindex)
	ns a python3 "$stress" "$ifa" "$KB" 127.0.0.1:10002 192.168.241.2/32 $PEER_ITERS $EVERY ||
		fail "round $1: peer deletions on kn0"
	ns b python3 "$stress" "$ifb" "$KA" 127.0.0.1:10001 192.168.241.1/32 $PEER_ITERS $EVERY ||
		fail "round $1: peer deletions on kn1"
	deletions=$((deletions + 2 * PEER_ITERS))
	check_eq "$(keynet -n a -j link show dev kn0 | jq '.[0].peer_count')" 1 "round $1: peers of kn0"
	info "round $1: peers churned at $(( $(date +%s) - t0 )) s"
	# The devices go while traffic flows through both of them.
	r0=$(stat a kn0 rx_packets) r1=$(stat b kn1 rx_packets)
	wait_for 10 rx_moves a kn0 "$r0" && wait_for 10 rx_moves b kn1 "$r1" ||
		fail "round $1: no traffic before deleting the devices"
	ns a ip link del kn0 || fail "round $1: delete kn0"
	ns b ip link del kn1 || fail "round $1: delete kn1"
	deletions=$((deletions + 2))
	info "round $1: devices deleted at $(( $(date +%s) - t0 )) s"
	cleanup
	info "round $1 done at $(( $(date +%s) - t0 )) s"
}

round 1
slab_shrink
slab0=$(slab_kb)
info "slab baseline at $(( $(date +%s) - t0 )) s"
for r in $(seq 2 $ROUNDS); do round "$r"; done
check_eq "$deletions" 1000 "deletions"
slab_settle "$slab0" 256
info "$deletions deletions under traffic in $(( $(date +%s) - t0 )) s; unreclaimable slab $slab0 kB -> $SLAB kB (delta $((SLAB - slab0)) kB)"
slab_bound "$slab0" 256 "over round(s) 2-$ROUNDS"
kn_unload
exit 0
