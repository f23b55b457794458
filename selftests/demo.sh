#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's demo, run inside the VM: two nodes talking through keynet,
# with NAT64.  "home" is an IPv6-only node; "router" has an IPv4 uplink to
# a server and translates with NAT64 on the same keynet device that
# carries the tunnel (the second seed's set-up, with keynet alone).
. "$KN_ROOT/selftests/lib.sh"

say() { echo; echo "=== $*"; }
run() { echo "\$ $*"; "$@"; }
P=2a04:5b80:300:4::

say "loading keynet $(cat "$KN_ROOT/VERSION") into Debian kernel $(uname -r)"
kn_load
keynet version

say "two nodes, home and router, over an underlay namespace; keys and peers"
netns_add wire home router server
ns wire ip link add kn0 type keynet
ns wire ip link add kn1 type keynet
keynet genkey >/tmp/home.key
keynet genkey >/tmp/router.key
KH=$(keynet pubkey </tmp/home.key)
KR=$(keynet pubkey </tmp/router.key)
run keynet -n wire link set dev kn0 private-key /tmp/home.key listen-port 10001
run keynet -n wire link set dev kn1 private-key /tmp/router.key listen-port 10002
run keynet -n wire peer add dev kn0 "$KR" endpoint 127.0.0.1:10002 name router route ${P}/96
run keynet -n wire peer add dev kn1 "$KH" endpoint 127.0.0.1:10001 name home
ns wire ip link set kn0 netns home
ns wire ip link set kn1 netns router
ns home ip link set kn0 up
ns router ip link set kn1 up
AH=$(keynet addr "$KH")
AR=$(keynet addr "$KR")
ns home ip addr replace "$AH/8" dev kn0 nodad
ns router ip addr replace "$AR/8" dev kn1 nodad
ns home ip -6 route add ${P}/96 dev kn0 src "$AH"
echo "home's key-derived address:   $AH"
echo "router's key-derived address: $AR"

say "ping across the encrypted tunnel, key-derived address to key-derived address"
run ns home ping -6 -c 3 -i 0.3 "$AR"

say "the router translates ${P}/96 <-> IPv4 with a pool, MASQUERADEd to its uplink"
ip link add up0 netns router type veth peer name eth0 netns server
ns router ip addr add 198.51.100.1/24 dev up0
ns router ip link set up0 up
ns server ip addr add 198.51.100.2/24 dev eth0
ns server ip link set eth0 up
ns router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
run keynet -n router nat64 set dev kn1 prefix ${P}/96 ipv4-addr 100.100.0.1 mss-clamp on
run keynet -n router pool add 100.100.0.0/16 dev kn1
ns router ip -6 route add ${P}/96 dev kn1
ns router ip route add 100.100.0.0/16 dev kn1
ns router nft -f - <<'NFT'
table ip nat64 {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "up0" ip saddr 100.100.0.0/16 masquerade
	}
}
NFT

say "the IPv6-only home node reaches the IPv4 server 198.51.100.2 as ${P}198.51.100.2"
run ns home ping -6 -c 3 -i 0.3 "${P}198.51.100.2"
ns server sh -c 'echo "hello from the IPv4 server" | nc -l -p 8080 -q 1 &'
sleep 0.5
echo "\$ nc ${P}198.51.100.2 8080   (from home)"
ns home nc -N -w 3 "${P}198.51.100.2" 8080 </dev/null

say "state"
run keynet -n home peer show
run keynet -n router -s nat64 show
run keynet -n router map show
run keynet -n home -s link show
[ "$(keynet -n home -j peer show dev kn0 | jq '.[0].rx_bytes')" -gt 0 ]
