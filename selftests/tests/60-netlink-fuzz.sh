#!/bin/bash
# timeout: 900
# Hostile netlink: selftests/fuzz/nlfuzz.c sends random and mutated
# messages to every command of the keynet family (wrong types and lengths,
# missing and duplicated attributes, deep nests, unknown commands, dumps),
# aimed at two configured devices.  Every message must be answered; the
# module must still work, unload with no reference left, and give back
# its memory.
. "$KN_ROOT/selftests/lib.sh"

count=${KN_NLFUZZ_COUNT:-100000}
cc -O2 -I "$KN_ROOT/include" -o /tmp/nlfuzz "$KN_ROOT/selftests/fuzz/nlfuzz.c" ||
	fail "cannot build nlfuzz"


setup_fz() {
	kn_load
	netns_add fz
	ns fz ip link add kn0 type keynet || fail "create kn0"
	ns fz ip link add kn1 type keynet || fail "create kn1"
	keynet genkey >/tmp/fz.key
	keynet -n fz link set dev kn0 private-key /tmp/fz.key listen-port 10001 ||
		fail "link set"
	for i in 1 2 3; do
		keynet -n fz peer add dev kn0 "$(keynet genkey | keynet pubkey)" \
			endpoint "127.0.0.1:2000$i" route "10.$i.0.0/16" || fail "peer add"
	done
	keynet -n fz nat64 set dev kn0 prefix 64:ff9b::/96 ipv4-addr 192.0.2.1 ||
		fail "nat64 set"
	keynet -n fz pool add 198.51.100.0/28 dev kn0 || fail "pool add"
	ns fz ip link set kn0 up
	ns fz ip link set kn1 up
}

teardown_fz() {
	ns fz ip link del kn0 || fail "delete kn0"
	ns fz ip link del kn1 || fail "delete kn1"
	ip netns del fz
	kn_unload
}

# A warm-up cycle first, so first-use allocations (caches, per-cpu
# chunks) are not counted as the fuzz run's.
slab0=$(slab_kb)
setup_fz
teardown_fz
slab_settle "$slab0" 1024
slab0=$SLAB

setup_fz
if0=$(ns fz cat /sys/class/net/kn0/ifindex)
if1=$(ns fz cat /sys/class/net/kn1/ifindex)
t0=$(date +%s)
out=$(ns fz /tmp/nlfuzz -n "$count" -s "${KN_SEED:-1}" "$if0" "$if1" 2>&1)
rc=$?
echo "$out" | grep -v ": 0 applied" | sed "s/^/# /"
[ $rc = 0 ] || fail "nlfuzz failed (exit $rc)"
info "nlfuzz: $count messages in $(( $(date +%s) - t0 )) s"
check_match "$out" "^nlfuzz: $count sent, $count answered" "every message answered"

# The family still answers sensibly, and what the fuzzer configured is
# consistent: the peer dump parses and agrees with the link's count.
n=$(keynet -n fz -j peer show dev kn0 | jq length) || fail "peer dump after fuzzing"
c=$(keynet -n fz -j link show dev kn0 | jq ".[0].peer_count") || fail "link show after fuzzing"
check_eq "$n" "$c" "peer dump vs peer count"
info "after fuzzing: kn0 has $n peers"
keynet -n fz -j route show dev kn0 | jq length >/dev/null || fail "route dump after fuzzing"

teardown_fz
slab_settle "$slab0" 256
info "unreclaimable slab: $slab0 kB before, $SLAB kB after the fuzz cycle (delta $((SLAB - slab0)) kB)"
slab_bound "$slab0" 256 "over the fuzz run"

# And the module still works from scratch.
kn_pair
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel after fuzzing"
exit 0
