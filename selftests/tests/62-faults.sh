#!/bin/bash
# timeout: 600
# scope: once (fault injection drives the module's own unwinding; allocation APIs are the same on every kernel, and 70 and 71 run its lifetimes there)
# Faults under load: the module and its devices must survive being torn
# down or reconfigured while traffic flows through the tunnel and the
# NAT64 translator.  Each step checks that the kernel stayed sane (the
# runner fails the test on any oops/WARN/lockdep report) and that the
# surviving parts still work.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

cleanup() {
	kill_tree $(jobs -p)
	pkill -x iperf3
	wait 2>/dev/null
}
trap cleanup EXIT

# load_all: a tunnel (kn_pair: wire, a, b) and a translator (nat64_topo:
# c, r, s), with TCP through the tunnel and ping floods through both.
load_all() {
	kn_pair v4
	nat64_topo
	ns a ping -c 1 -W 2 192.168.241.2 >/dev/null || fail "tunnel did not come up"
	ns c ping -6 -c 1 -W 2 "$N64_SERVER" >/dev/null || fail "NAT64 did not come up"
	ns b iperf3 -s -D -p 5201 >/dev/null 2>&1
	wait_for 10 tcp_listening b 5201 || fail "iperf3 server not listening in b"
	ns a iperf3 -c 192.168.241.2 -p 5201 -t 60 >/dev/null 2>&1 &
	ns a ping -f -W 1 192.168.241.2 >/dev/null 2>&1 &
	ns c ping -6 -f -W 1 "$N64_SERVER" >/dev/null 2>&1 &
	ns c ping -6 -f -s 1400 -W 1 "$N64_SERVER" >/dev/null 2>&1 &
	sleep 2	# pacing: the load runs a while before the fault
}

drop_all() {
	cleanup
	# (the next step makes new namespaces: nothing to wait for)
	for n in a b c r s wire; do ip netns del $n 2>/dev/null; done
}

# 1. rmmod under load: the devices go with the module.
load_all
info "rmmod with traffic on 3 devices"
# Devices in other namespaces must be deleted by the module on unload.
rmmod keynet || fail "rmmod under load (refcnt $(cat /sys/module/keynet/refcnt 2>/dev/null))"
[ -d /sys/module/keynet ] && fail "module still there"
for n in a b r wire; do
	ns $n ip -o link show type keynet | grep -q . && fail "a keynet device survived rmmod in $n"
done
drop_all

# 2. ip link del during handshakes: a handshake is always in flight.
kn_pair v4
for i in $(seq 1 10); do
	ns a ping -c 1 -W 0.05 192.168.241.2 >/dev/null 2>&1 &
	sleep 0.0$((RANDOM % 9))	# a random point of the handshake
	ns b ip link del kn1 || fail "del kn1 (round $i)"
	wait
	ns wire ip link add kn1 type keynet || fail "recreate kn1"
	keynet -n wire link set dev kn1 private-key /tmp/kn-b.key listen-port 10002 || fail "kn1 key"
	keynet -n wire peer add dev kn1 "$KA" endpoint 127.0.0.1:10001 \
		route 192.168.241.1/32 || fail "kn1 peer"
	ns wire ip link set kn1 netns b
	ns b ip addr add 192.168.241.2/24 dev kn1
	ns b ip link set kn1 up
done
# The recreated side has no session and starts the handshake (a would
# keep its stale session until it hears nothing for 15 s, as WireGuard).
ns b ping -c 2 -i 0.3 -W 3 192.168.241.1 >/dev/null || fail "tunnel after handshake deletions"
info "10 deletions during handshakes survived"

# 3. The device moves between namespaces under traffic (its socket stays
# in the namespace that created it), and keeps working.
ns a ping -f -W 1 192.168.241.2 >/dev/null 2>&1 &
netns_add m
for i in 1 2 3; do
	ns a ip link set kn0 netns m || fail "move kn0 to m"
	ns m ip link set kn0 netns a || fail "move kn0 back"
	ns a ip addr add 192.168.241.1/24 dev kn0 2>/dev/null
	ns a ip link set kn0 up
done
cleanup
ns a ping -c 2 -i 0.3 -W 3 192.168.241.2 >/dev/null || fail "tunnel after moves"
info "3 namespace moves under traffic survived"

# 4. Key, port and routes changed under traffic, then restored.
ns a ping -f -W 1 192.168.241.2 >/dev/null 2>&1 &
ns a iperf3 -c 192.168.241.2 -p 5201 -t 30 >/dev/null 2>&1 &
ns b iperf3 -s -D -p 5201 >/dev/null 2>&1
keynet genkey >/tmp/kn-a2.key
for i in 1 2 3 4 5; do
	keynet -n a link set dev kn0 private-key /tmp/kn-a2.key listen-port $((20000 + i)) ||
		fail "change key and port"
	keynet -n a route flush dev kn0 peer "$KB" || fail "route flush"
	keynet -n a route add 192.168.241.2/32 dev kn0 peer "$KB" || fail "route add"
	keynet -n a link set dev kn0 private-key /tmp/kn-a.key listen-port 10001 ||
		fail "restore key and port"
done
cleanup
# Initiations sent under the intermediate keys hold the next one back for
# REKEY_TIMEOUT (5 s) plus jitter, as in WireGuard: allow a few of them.
if ! wait_for 20 ns a ping -c 1 -W 1 192.168.241.2; then
	keynet -n a -s peer show dev kn0 | sed 's/^/# a: /'
	keynet -n b -s peer show dev kn1 | sed 's/^/# b: /'
	keynet -n b -s link show dev kn1 | sed 's/^/# b: /'
	fail "tunnel after key/port/route changes"
fi
info "5 key/port/route changes under traffic survived"

# 5. The namespace holding the UDP sockets is deleted under traffic: the
# devices stay, count what they cannot send, and go away cleanly.
ns a ping -f -W 1 192.168.241.2 >/dev/null 2>&1 &
sleep 1	# pacing: traffic flows, then the namespace goes under it
ip netns del wire
sleep 2	# pacing: the flood runs on without sockets ...
u0=$(drops a kn0 underlay)
sleep 1	# ... and the counter is sampled a second apart
cleanup
info "after deleting the sockets' namespace: underlay drops $u0 -> $(drops a kn0 underlay)"
ns a ip link del kn0 || fail "del kn0 after its socket namespace went"
ns b ip link del kn1 || fail "del kn1 after its socket namespace went"
drop_all
ip netns del m 2>/dev/null
kn_unload
exit 0
