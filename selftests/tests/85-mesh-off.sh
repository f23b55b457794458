#!/bin/bash
# timeout: 120
# Mesh mode off (the default) keeps today's behaviour (issue 20): two
# nodes of the mesh topology (selftests/mesh/lib.sh) without mesh mode
# and without a routing daemon, no keepalives.  Asserts:
# - kn0 has no multicast flag and no link-local address;
# - link-local multicast sent on kn0 (a ping to ff02::1, a UDP datagram
#   to Babel's ff02::1:6 port 6696) goes to no peer: the peer's counters
#   do not move on either side, and each packet is counted as no-route;
# - a route with a gateway (IPv6 via fe80::1, IPv4 via an address that is
#   no peer's) still goes by crypto-key routing: LAN-to-LAN pings work;
# - turned on, the same routes' packets are dropped as no-nexthop (their
#   gateways belong to no peer); turned off again, they are delivered.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/mesh/lib.sh"

MESH_MODE=off
MESH_KEEPALIVE=off
mesh_up 2 none

flags=$(ip -n n1 -j link show dev kn0 | jq -r '.[0].flags | join(",")')
case ",$flags," in *,MULTICAST,*) fail "kn0 has MULTICAST with mesh off ($flags)" ;; esac
# The kernel's own link-local address (as before mesh mode existed), not
# the key-derived one, and no addrgenmode change.
ip -n n1 -6 -o addr show dev kn0 scope link | grep -q "${LL[1]}/" &&
	fail "kn0 has its key-derived link-local ${LL[1]} with mesh off"
ip -n n1 -d link show dev kn0 | grep -q "addrgenmode none" &&
	fail "kn0's addrgenmode is none with mesh off"

# Link-local multicast goes nowhere.
tx0=$(mesh_pstat n1 n2 tx_packets)
rx0=$(mesh_pstat n2 n1 rx_packets)
nr0=$(mesh_drops n1 no_route)
ns n1 ping -6 -n -c 2 -i 0.3 -W 1 ff02::1%kn0 >/dev/null 2>&1
ns n1 python3 -c 'import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.sendto(b"\x2a\x02\x00\x00", ("ff02::1:6", 6696, 0, socket.if_nametoindex("kn0")))' ||
	fail "cannot send to ff02::1:6 on kn0"
nr=$(( $(mesh_drops n1 no_route) - nr0 ))
check_eq "$(mesh_pstat n1 n2 tx_packets)" "$tx0" "n1's tx packets to n2 after link-local multicast"
check_eq "$(mesh_pstat n2 n1 rx_packets)" "$rx0" "n2's rx packets from n1 after link-local multicast"
[ "$nr" -ge 3 ] || fail "no-route drops for 3 link-local multicast packets: $nr"
info "mesh off: 3 link-local multicast packets, $nr no-route drops, none sent to the peer"

# Routes with gateways still go by the crypto-key table.
keynet -n n1 route add "${MESH_ULA[2]}/64" dev kn0 peer "${KEY[2]}" || fail "crypto-key route on n1"
keynet -n n1 route add "${V4[2]}/32" dev kn0 peer "${KEY[2]}" || fail "crypto-key route on n1 (IPv4)"
keynet -n n2 route add "${MESH_ULA[1]}/64" dev kn0 peer "${KEY[1]}" || fail "crypto-key route on n2"
keynet -n n2 route add "${V4[1]}/32" dev kn0 peer "${KEY[1]}" || fail "crypto-key route on n2 (IPv4)"
ip -n n1 -6 route add "${MESH_ULA[2]}/64" via fe80::1 dev kn0 || fail "route via fe80::1 on n1"
ip -n n1 -4 route add "${V4[2]}/32" via 10.254.0.99 dev kn0 onlink || fail "route via 10.254.0.99 on n1"
ip -n n2 -6 route add "${MESH_ULA[1]}/64" dev kn0 || fail "route on n2"
ip -n n2 -4 route add "${V4[1]}/32" dev kn0 || fail "route on n2 (IPv4)"
lan6() { ns n1 ping -6 -n -c 2 -i 0.3 -W 2 -I "${MESH_ULA[1]}1" "${MESH_ULA[2]}1" >/dev/null 2>&1; }
lan4() { ns n1 ping -4 -n -c 2 -i 0.3 -W 2 -I "${V4[1]}" "${V4[2]}" >/dev/null 2>&1; }
lan6 || fail "mesh off: a route via fe80::1 does not go by the crypto-key table"
lan4 || fail "mesh off: a route via 10.254.0.99 does not go by the crypto-key table"
check_eq "$(mesh_drops n1 no_nexthop)" 0 "no-nexthop drops with mesh off"

# Mesh on: those gateways are no peer's addresses.
keynet -n n1 link set dev kn0 mesh on || fail "mesh on"
nn0=$(mesh_drops n1 no_nexthop)
lan6 && fail "mesh on: a route via fe80::1 (no peer's) still delivered"
lan4 && fail "mesh on: a route via 10.254.0.99 (no peer's) still delivered"
nn=$(( $(mesh_drops n1 no_nexthop) - nn0 ))
[ "$nn" -ge 4 ] || fail "no-nexthop drops with mesh on: $nn, want >= 4"
keynet -n n1 link set dev kn0 mesh off || fail "mesh off"
lan6 || fail "mesh off again: a route via fe80::1 does not go by the crypto-key table"
lan4 || fail "mesh off again: a route via 10.254.0.99 does not go by the crypto-key table"
info "mesh on: $nn no-nexthop drops for routes via fe80::1 and 10.254.0.99; off again: delivered"
exit 0
