#!/bin/bash
# timeout: 180
# The first seed's set-up with keynet: two sites (home and vps3), each
# with a ULA /64 behind its router, routed over the tunnel; hosts ping
# each other across the sites.  A source the peer does not own is dropped
# (replacing the seed's ip6tables rules), and the routing-loop guard
# keeps an overlay route from capturing the underlay.
. "$KN_ROOT/selftests/lib.sh"

kn_load
# homelan <-> home (router) <-- keynet over the wan veth --> vps3 <-> vps3lan
netns_add home vps3 homelan vps3lan
ns home ip link add wan type veth peer name wan netns vps3
ns home ip addr add 192.0.2.1/24 dev wan; ns vps3 ip addr add 192.0.2.2/24 dev wan
ns home ip link set wan up; ns vps3 ip link set wan up
ns home ip link add kn-home type keynet
ns vps3 ip link add kn-vps3 type keynet
keynet genkey >/tmp/home.key; keynet genkey >/tmp/vps3.key
KH=$(keynet pubkey </tmp/home.key); KV=$(keynet pubkey </tmp/vps3.key)
keynet -n home link set dev kn-home private-key /tmp/home.key listen 192.0.2.1:27177
keynet -n vps3 link set dev kn-vps3 private-key /tmp/vps3.key listen 192.0.2.2:27177
keynet -n home peer add dev kn-home "$KV" endpoint 192.0.2.2:27177 \
	route fdd7:5938:e2e6:6c8d::/64 || fail "peer vps3 on home"
keynet -n vps3 peer add dev kn-vps3 "$KH" endpoint 192.0.2.1:27177 \
	route fdd7:5938:e2e6:3::/64 || fail "peer home on vps3"
for r in home vps3; do
	ns $r ip link set kn-$r up
	ns $r sysctl -qw net.ipv6.conf.all.forwarding=1
done
# The key-derived addresses: each router has its own and routes fc00::/8.
AH=$(keynet addr "$KH"); AV=$(keynet addr "$KV")
ns home ip addr add "$AH/128" dev kn-home nodad 2>/dev/null
ns vps3 ip addr add "$AV/128" dev kn-vps3 nodad 2>/dev/null
ns home ip route add fc00::/8 dev kn-home 2>/dev/null
ns vps3 ip route add fc00::/8 dev kn-vps3 2>/dev/null
ns home ip route add fdd7:5938:e2e6:6c8d::/64 dev kn-home
ns vps3 ip route add fdd7:5938:e2e6:3::/64 dev kn-vps3
# The LANs.
ns home ip link add lan type veth peer name eth0 netns homelan
ns vps3 ip link add lan type veth peer name eth0 netns vps3lan
ns home ip addr add fdd7:5938:e2e6:3::1/64 dev lan nodad
ns vps3 ip addr add fdd7:5938:e2e6:6c8d::1/64 dev lan nodad
ns homelan ip addr add fdd7:5938:e2e6:3::3306:1/64 dev eth0 nodad
ns vps3lan ip addr add fdd7:5938:e2e6:6c8d::80/64 dev eth0 nodad
for n in home vps3; do ns $n ip link set lan up; done
for n in homelan vps3lan; do ns $n ip link set eth0 up; done
ns homelan ip -6 route add default via fdd7:5938:e2e6:3::1
ns vps3lan ip -6 route add default via fdd7:5938:e2e6:6c8d::1

ns home ping -6 -c 2 -W 3 "$AV" >/dev/null || fail "router to router over the derived addresses"
ns vps3lan ping -6 -c 3 -i 0.3 -W 3 fdd7:5938:e2e6:3::3306:1 >/dev/null ||
	fail "vps3's LAN host to home's MySQL host"
ns homelan ping -6 -c 3 -i 0.3 -W 3 fdd7:5938:e2e6:6c8d::80 >/dev/null ||
	fail "home's LAN host to vps3's LAN host"
info "sites: LAN to LAN over keynet works, derived addresses $AH and $AV"

# A source vps3 does not own (not routed to it on home) is dropped.
before=$(drops home kn-home bad_source)
ns vps3 ip addr add fdd7:5938:e2e6:9999::1/64 dev kn-vps3 nodad
ns vps3 ping -6 -c 2 -W 1 -I fdd7:5938:e2e6:9999::1 fdd7:5938:e2e6:3::3306:1 >/dev/null 2>&1 &&
	fail "a spoofed source got through"
check_eq "$(( $(drops home kn-home bad_source) - before ))" 2 "bad_source drops on home"

# Routing-loop guard: an overlay route that covers the peer's underlay
# address must not capture the tunnel's own packets.  Once home has heard
# from vps3 it keeps using the interface it heard it on...
ns home ip route add 192.0.2.2/32 dev kn-home
ns home ping -6 -c 3 -i 0.3 -W 2 "$AV" >/dev/null ||
	fail "the tunnel was captured by an overlay route"
# ...and with nothing learned yet (the peer re-added), its packets are
# dropped and counted as a loop, never sent into the overlay; as soon as
# vps3 speaks (its session is stale: it starts a new handshake after
# KEEPALIVE + REKEY_TIMEOUT), home learns the way again.
before=$(drops home kn-home loop)
keynet -n home peer del dev kn-home "$KV"
keynet -n home peer add dev kn-home "$KV" endpoint 192.0.2.2:27177 \
	route fdd7:5938:e2e6:6c8d::/64
ns home ping -6 -c 1 -W 2 "$AV" >/dev/null 2>&1
[ "$(drops home kn-home loop)" -gt "$before" ] || fail "no loop drop counted"
wait_for 30 ns vps3 ping -6 -c 1 -W 1 "$AH" || fail "vps3->home after the loop"
ns home ping -6 -c 2 -W 2 "$AV" >/dev/null || fail "home->vps3 after learning the way"
ns home ip route del 192.0.2.2/32 dev kn-home
exit 0
