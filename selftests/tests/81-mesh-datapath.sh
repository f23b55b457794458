#!/bin/bash
# timeout: 180
# Mesh mode's data path without a routing daemon (docs/mesh.md): the
# routes are installed by hand in the forms BIRD and babeld install them.
# Three nodes a, b, c, each peer of the others with keys and endpoints
# only (no crypto-key routes, no keepalive), mesh on everywhere:
#  - the device gets IFF_MULTICAST (not cleared on mesh off if the
#    administrator had set it: b) and every peer's link-local /128 is an
#    automatic route;
#  - a ping to ff02::1 reaches b and c (the first copies start the
#    handshakes; later ones are copied to each session) and is answered
#    from their key-derived link-local addresses;
#  - a -> c relayed by b along routes via the neighbours' link-local
#    addresses (IPv6) and via inet6 link-local (IPv4, v4-via-v6): works
#    (ttl shows the relay, b's counters the path), each hop accepting the
#    relayed source by the reverse-path check;
#  - a route whose gateway is no peer's: no-nexthop;
#  - c sending from a source a routes via b: mesh-rpf, nothing delivered;
#  - mesh off: the flag and the link-local routes go, the same spoof is a
#    bad-source drop.
. "$KN_ROOT/selftests/lib.sh"

kn_load
netns_add wire a b c
declare -A KEY LL
i=1
for n in a b c; do
	ns wire ip link add kn$n type keynet || fail "create kn$n"
	keynet genkey >/tmp/mesh-$n.key || fail genkey
	KEY[$n]=$(keynet pubkey </tmp/mesh-$n.key)
	# The key-derived link-local address: fe80::/64 + bits 64-127 of the
	# key-derived address.
	LL[$n]=$(python3 -c 'import ipaddress, sys
a = ipaddress.IPv6Address(sys.argv[1]).packed
print(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + a[8:]))' "$(keynet addr "${KEY[$n]}")") ||
		fail "link-local of $n"
	keynet -n wire link set dev kn$n private-key /tmp/mesh-$n.key \
		listen 127.0.0.$i:1000$i || fail "link set kn$n"
	i=$((i + 1))
done
for n in a b c; do
	i=1
	for m in a b c; do
		[ $n = $m ] || keynet -n wire peer add dev kn$n "${KEY[$m]}" \
			endpoint 127.0.0.$i:1000$i || fail "peer $m on $n"
		i=$((i + 1))
	done
	ns wire ip link set kn$n netns $n || fail "move kn$n"
	# Only the key-derived link-local address: no random one (docs/mesh.md).
	ns $n ip link set dev kn$n addrgenmode none || fail "addrgenmode $n"
	ns $n ip addr add "${LL[$n]}/64" dev kn$n nodad || fail "link-local $n"
	ns $n sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.kn$n.send_redirects=0 ||
		fail "sysctl $n"
	ns $n ip link set kn$n up || fail "kn$n up"
done
ns b ip link set dev knb multicast on || fail "multicast on knb by hand"
multicast() { ns "$1" ip -o link show dev "kn$1" | grep -q '[<,]MULTICAST[,>]'; }
multicast a && fail "kna multicast before mesh on"
for n in a b c; do
	keynet -n $n link set dev kn$n mesh on || fail "mesh on $n"
done
multicast a || fail "kna not multicast with mesh on"
llroute() {
	keynet -n "$1" -j route show dev "kn$1" peer "${KEY[$2]}" |
		jq -r --arg p "${LL[$2]}/128" '.[] | select(.prefix == $p) | .auto'
}
check_eq "$(llroute a b)" true "b's link-local /128, automatic on a"
check_eq "$(llroute a c)" true "c's link-local /128, automatic on a"
check_eq "$(llroute b a)" true "a's link-local /128, automatic on b"

# Link-local multicast: copies to every peer with a session; the first
# ones start the handshakes.
mc_answered() {
	local out
	out=$(ns a ping -6 -c 2 -i 0.3 -W 1 "ff02::1%kna" 2>&1)
	echo "$out" | grep -q "from ${LL[b]}" && echo "$out" | grep -q "from ${LL[c]}"
}
wait_for 20 mc_answered || fail "ff02::1 from a not answered by b and c"

# a -> c relayed by b: loopback addresses, routes via link-local next hops.
ns a ip addr add 10.1.1.1/32 dev lo; ns a ip addr add fd00:a::1/128 dev lo
ns b ip addr add 10.2.2.2/32 dev lo
ns c ip addr add 10.3.3.3/32 dev lo; ns c ip addr add fd00:c::1/128 dev lo
ns a ip route add 10.3.3.3/32 via inet6 "${LL[b]}" dev kna || fail "v4-via-v6 route on a"
ns a ip route add 10.2.2.2/32 via inet6 "${LL[b]}" dev kna || fail "route to b on a"
ns a ip -6 route add fd00:c::1/128 via "${LL[b]}" dev kna || fail "v6 route on a"
ns b ip route add 10.3.3.3/32 via inet6 "${LL[c]}" dev knb || fail "route b->c"
ns b ip route add 10.1.1.1/32 via inet6 "${LL[a]}" dev knb || fail "route b->a"
ns b ip -6 route add fd00:c::1/128 via "${LL[c]}" dev knb || fail "v6 route b->c"
ns b ip -6 route add fd00:a::1/128 via "${LL[a]}" dev knb || fail "v6 route b->a"
ns c ip route add 10.1.1.1/32 via inet6 "${LL[b]}" dev knc || fail "route on c"
ns c ip -6 route add fd00:a::1/128 via "${LL[b]}" dev knc || fail "v6 route on c"
KN_NS=b KN_DEV=knb
rx_b_from_a() { pj "${KEY[a]}" rx_packets; }
before=$(rx_b_from_a)
out=$(ns a ping -c 3 -i 0.3 -W 2 -I 10.1.1.1 10.3.3.3 2>&1) || fail "a->c over b (IPv4): $out"
check_match "$out" "ttl=63" "IPv4 reply relayed once"
ns a ping -6 -c 3 -i 0.3 -W 2 -I fd00:a::1 fd00:c::1 >/dev/null 2>&1 ||
	fail "a->c over b (IPv6)"
[ $(( $(rx_b_from_a) - before )) -ge 6 ] || fail "b relayed $(( $(rx_b_from_a) - before )) packets of a's, want 6"
for n in a b c; do
	check_eq "$(drops $n kn$n mesh_rpf)" 0 "mesh-rpf drops on $n"
	check_eq "$(drops $n kn$n bad_source)" 0 "bad-source drops on $n"
done

# A gateway that is no peer's address.
ns a ip -6 route add fd00:dead::/64 via fe80::dead dev kna || fail "dead route"
ns a ip route add 10.9.9.0/24 via inet6 fe80::dead dev kna || fail "dead v4 route"
ns a ping -6 -c 1 -W 1 fd00:dead::1 >/dev/null 2>&1 && fail "ping via a dead gateway"
ns a ping -c 1 -W 1 10.9.9.1 >/dev/null 2>&1 && fail "ping via a dead v4 gateway"
check_eq "$(drops a kna no_nexthop)" 2 "no-nexthop drops on a"

# Spoofing: c sends straight to a from 10.2.2.2, which a routes via b.
ns c ip addr add 10.2.2.2/32 dev lo
ns c ip route replace 10.1.1.1/32 via inet6 "${LL[a]}" dev knc || fail "c->a direct"
ns c ping -c 2 -i 0.3 -W 1 -I 10.2.2.2 10.1.1.1 >/dev/null 2>&1 && fail "spoofed source answered"
rpf2() { [ "$(drops a kna mesh_rpf)" -ge 2 ]; }
wait_for 5 rpf2
check_eq "$(drops a kna mesh_rpf)" 2 "mesh-rpf drops of the spoofed source on a"
# Strict reverse path: even c's own 10.3.3.3 is refused when c sends it
# straight to a, since a routes it via b.
ns c ping -c 1 -W 1 -I 10.3.3.3 10.1.1.1 >/dev/null 2>&1 && fail "c from 10.3.3.3 straight to a answered"
wait_for 5 eval '[ "$(drops a kna mesh_rpf)" -ge 3 ]'

# Mesh off: no multicast flag (a's was keynet's, b's the administrator's),
# no link-local routes, and the spoof is a bad-source drop again.
keynet -n a link set dev kna mesh off || fail "mesh off a"
keynet -n b link set dev knb mesh off || fail "mesh off b"
multicast a && fail "kna still multicast after mesh off"
multicast b || fail "knb lost the multicast flag its administrator set"
check_eq "$(llroute a b)" "" "b's link-local route on a after mesh off"
ns c ping -c 2 -i 0.3 -W 1 -I 10.2.2.2 10.1.1.1 >/dev/null 2>&1 && fail "spoofed source answered, mesh off"
bad2() { [ "$(drops a kna bad_source)" -ge 2 ]; }
wait_for 5 bad2 || fail "no bad-source drop with mesh off"
check_eq "$(drops a kna mesh_rpf)" 3 "mesh-rpf drops after mesh off"
exit 0
