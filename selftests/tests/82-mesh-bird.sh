#!/bin/bash
# timeout: 420
# scope: once (BIRD against the kernel paths 81 runs on every kernel; the underlay loop guard runs on every kernel in 31)
# Mesh mode driven by BIRD's Babel (issue 20): the first seed's meshnet
# (home, vps2, vps3, and n4), one keynet device per node in mesh mode,
# every node peering with every other by key and endpoint only, no static
# route.  Asserts:
# - every node reaches every other node's ULA (IPv6) and IPv4 address
#   within 60 s of BIRD's start (the time is printed), over routes BIRD
#   installed (proto bird, via the neighbours' key-derived link-local
#   addresses; IPv4 via their kn0 addresses, which BIRD 2.0.12 uses), and
#   no route on kn0 was made by hand;
# - the underlay home<->vps3 is cut: home's LAN-to-LAN traffic to vps3
#   moves to vps2 (routes on both ends, reply hop limit 63, home's packets
#   to vps2 counted), with no reverse-path drop of the relayed packets;
#   the longest outage is printed and is at most 5 s; restored, the
#   direct path returns (time printed);
# - spoofing: vps2 sending from vps3's prefix (IPv6) and vps3's address
#   (IPv4), which home routes via vps3, is dropped and counted (mesh-rpf)
#   before home's stack sees it;
# - loop guard: n4 announces default routes; the others install them,
#   which covers every peer's endpoint, yet the tunnels keep working and
#   no packet is dropped as a loop.
# n4's links cost more (rxcost 256): the only relay for home<->vps3 is
# vps2, as in the seed ("directly or via vps2"), and paths are symmetric.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/mesh/lib.sh"

mesh_seed_nodes
MESH_HELLO_MS=300
MESH_UPDATE_MS=1200
mesh_up 4 bird
mesh_wait_full 60 || fail "not every node reaches every other within 60 s of BIRD's start"
info "converged in $MESH_CONVERGED s (4 nodes, BIRD Babel, hello $MESH_HELLO_MS ms)"
mesh_check_routes

# Failover home -> vps3 through vps2, and back.
mesh_failover home vps3 5 vps2 vps2
check_eq "$MESH_RELAY" vps2 "the relay of home -> vps3"
check_eq "$MESH_RELAY_TTL" 63 "hop limit of vps3's replies via vps2"

# Spoofing: vps2 sends from vps3's prefix and address (on its lo, which
# BIRD does not announce: protocol direct reads dummy0 only).  home
# routes both via vps3, so keynet on home drops them; an nft counter in
# home's prerouting proves that none reached home's stack.
spoof6=${MESH_ULA[3]}99
mesh_via_is home "$spoof6" vps3 || fail "home does not route vps3's prefix to vps3"
mesh_via_is home "${V4[3]}" vps3 || fail "home does not route vps3's address to vps3"
ns home nft -f - <<EOF || fail "nft on home"
table inet spoofwatch {
	chain pre {
		type filter hook prerouting priority -400;
		ip6 saddr $spoof6 counter
		ip saddr ${V4[3]} icmp type echo-request counter
	}
}
EOF
ip -n vps2 addr add "$spoof6/128" dev lo || fail "spoofed address on vps2"
ip -n vps2 addr add "${V4[3]}/32" dev lo || fail "spoofed IPv4 address on vps2"
rpf0=$(mesh_drops home mesh_rpf)
ns vps2 ping -6 -n -c 3 -i 0.3 -W 1 -I "$spoof6" "${MESH_ULA[1]}1" >/dev/null 2>&1 &&
	fail "home answered a ping from vps3's prefix sent by vps2"
rpf6=$(( $(mesh_drops home mesh_rpf) - rpf0 ))
ns vps2 ping -4 -n -c 3 -i 0.3 -W 1 -I "${V4[3]}" "${V4[1]}" >/dev/null 2>&1 &&
	fail "home answered a ping from vps3's IPv4 address sent by vps2"
rpf4=$(( $(mesh_drops home mesh_rpf) - rpf0 - rpf6 ))
seen=$(ns home nft list table inet spoofwatch | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' |
	awk '{ s += $1 } END { print s + 0 }')
info "spoofing: home dropped $rpf6 IPv6 and $rpf4 IPv4 packets as mesh-rpf, $seen reached its stack"
[ "$rpf6" -ge 3 ] || fail "mesh-rpf drops on home for the spoofed IPv6 source: $rpf6, want >= 3"
[ "$rpf4" -ge 3 ] || fail "mesh-rpf drops on home for the spoofed IPv4 source: $rpf4, want >= 3"
check_eq "$seen" 0 "spoofed packets that reached home's stack"
ip -n vps2 addr del "$spoof6/128" dev lo
ip -n vps2 addr del "${V4[3]}/32" dev lo
ns home nft delete table inet spoofwatch

# Loop guard: n4 announces ::/0 and 0.0.0.0/0.  The others install the
# default via n4 (metric 32, better than the underlay's 1000), so their
# route to every peer's endpoint now points into kn0; keynet must keep
# sending the tunnel's packets on the underlay.
declare -A loop0
for n in home vps2 vps3 n4; do loop0[$n]=$(mesh_drops $n loop); done
mesh_default_on n4
default_via_n4() {
	local n
	for n in home vps2 vps3; do
		mesh_via_is "$n" 192.0.2.1 n4 || return 1
	done
}
wait_for 30 default_via_n4 || fail "the default route from n4 was not installed everywhere"
# The default covers the endpoints: home's route to vps3's endpoint is kn0.
check_match "$(ip -n home route get "${UL[3]}")" "dev kn0" "home's route to vps3's endpoint"
rx0=$(mesh_pstat home vps3 rx_packets)
rx_grew() { [ "$(mesh_pstat home vps3 rx_packets)" -ge $((rx0 + 5)) ]; }
wait_for 20 rx_grew || fail "home hears nothing from vps3 with the default route installed"
mesh_wait_full 30 || fail "not every pair reachable with a default route via n4"
for n in home vps2 vps3 n4; do
	check_eq "$(mesh_drops $n loop)" "${loop0[$n]}" "loop drops on $n with the default route"
done
info "loop guard: default via n4 installed on home, vps2, vps3; tunnels kept, no loop drop"
exit 0
