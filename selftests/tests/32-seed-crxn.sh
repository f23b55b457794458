#!/bin/bash
# timeout: 120
# scope: once (the second seed's routing, the same paths as 11 and 31)
# The second seed's overlay routing with keynet: 10.0.0.0/8 routed to one
# peer's key (the CRXN gateway), the router owning one local /32
# (yggdrasil's IPv4RemoteSubnets / IPv4LocalSubnets).  With the local
# prefix set, a packet from any other source never enters the tunnel.
. "$KN_ROOT/selftests/lib.sh"

kn_load
netns_add wire r g
ns wire ip link add knr type keynet
ns wire ip link add kng type keynet
keynet genkey >/tmp/r.key; keynet genkey >/tmp/g.key
KR=$(keynet pubkey </tmp/r.key); KG=$(keynet pubkey </tmp/g.key)
keynet -n wire link set dev knr private-key /tmp/r.key listen-port 10001
keynet -n wire link set dev kng private-key /tmp/g.key listen-port 10002
keynet -n wire peer add dev knr "$KG" endpoint 127.0.0.1:10002 route 10.0.0.0/8 ||
	fail "gateway peer"
keynet -n wire peer add dev kng "$KR" endpoint 127.0.0.1:10001 route 10.5.0.1/32 ||
	fail "router peer"
ns wire ip link set knr netns r
ns wire ip link set kng netns g
ns r ip link set knr up
ns g ip link set kng up
ns r ip addr add 10.5.0.1/32 dev lo
ns r ip route add 10.0.0.0/8 dev knr src 10.5.0.1
ns g ip addr add 10.1.2.3/32 dev lo
ns g ip route add 10.5.0.1/32 dev kng

ns r ping -c 3 -i 0.3 -W 2 10.1.2.3 >/dev/null || fail "10.5.0.1 -> 10.1.2.3 over the overlay"
ns g ping -c 2 -i 0.3 -W 2 10.5.0.1 >/dev/null || fail "10.1.2.3 -> 10.5.0.1"

# The local-source filter.
keynet -n r link set dev knr local-prefix 10.5.0.1/32 || fail "link set local-prefix"
check_eq "$(keynet -n r -j link show dev knr | jq -r '.[0].local_prefixes | join(",")')" \
	10.5.0.1/32 "local_prefixes"
ns r ip addr add 10.5.0.9/32 dev lo
before=$(drops r knr local_filter)
ns r ping -c 2 -W 1 -I 10.5.0.9 10.1.2.3 >/dev/null 2>&1 && fail "a foreign source entered the tunnel"
check_eq "$(( $(drops r knr local_filter) - before ))" 2 "local_filter drops"
ns r ping -c 2 -i 0.3 -W 2 -I 10.5.0.1 10.1.2.3 >/dev/null || fail "the local /32 still passes"
keynet -n r link set dev knr local-prefix none || fail "clear local-prefix"
ns r ping -c 1 -W 2 -I 10.5.0.9 10.1.2.3 >/dev/null 2>&1
check_eq "$(( $(drops r knr local_filter) - before ))" 2 "no local_filter drop once cleared"
exit 0
