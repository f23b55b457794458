#!/bin/bash
# timeout: 900
# Cycles of insmod / create / configure / traffic / destroy / rmmod:
# every cycle must work, and the unreclaimable slab must come back to
# where it was after the first (warm-up) cycle.  The suite runs 10 (about
# 3 s each on an idle 2-CPU TCG guest); the hardening run sets
# kn.cycles=100 on the kernel command line (selftests/run --cycles 100).
. "$KN_ROOT/selftests/lib.sh"

cycles=$(sed -n 's/.*kn\.cycles=\([0-9]*\).*/\1/p' /proc/cmdline)
cycles=${cycles:-10}

netns_add wire a b
keynet genkey >/tmp/c-a.key
keynet genkey >/tmp/c-b.key
KA=$(keynet pubkey </tmp/c-a.key)
KB=$(keynet pubkey </tmp/c-b.key)

cycle() {
	kn_load
	ns wire ip link add kn0 type keynet || fail "cycle $1: create kn0"
	ns wire ip link add kn1 type keynet || fail "cycle $1: create kn1"
	keynet -n wire link set dev kn0 private-key /tmp/c-a.key listen-port 10001 &&
	keynet -n wire link set dev kn1 private-key /tmp/c-b.key listen-port 10002 &&
	keynet -n wire peer add dev kn0 "$KB" endpoint 127.0.0.1:10002 route 192.168.241.2/32 &&
	keynet -n wire peer add dev kn1 "$KA" endpoint 127.0.0.1:10001 route 192.168.241.1/32 ||
		fail "cycle $1: configure"
	ns wire ip link set kn0 netns a
	ns wire ip link set kn1 netns b
	ns a ip addr add 192.168.241.1/24 dev kn0
	ns b ip addr add 192.168.241.2/24 dev kn1
	ns a ip link set kn0 up
	ns b ip link set kn1 up
	ns a ping -c 1 -W 3 192.168.241.2 >/dev/null || fail "cycle $1: no traffic"
	ns a ip link del kn0 || fail "cycle $1: delete kn0"
	ns b ip link del kn1 || fail "cycle $1: delete kn1"
	kn_unload
}

t0=$(date +%s)
cycle 0
slab_shrink
slab0=$(slab_kb)
for i in $(seq 1 "$cycles"); do cycle "$i"; done
slab_settle "$slab0" 256
info "$cycles cycles in $(( $(date +%s) - t0 )) s; unreclaimable slab $slab0 kB -> $SLAB kB (delta $((SLAB - slab0)) kB)"
slab_bound "$slab0" 256 "over $cycles cycles"
exit 0
