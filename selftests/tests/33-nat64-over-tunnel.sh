#!/bin/bash
# timeout: 150
# The whole of the second seed with keynet alone: an IPv6-only client
# node ("home", behind its own keynet device) reaches an IPv4 server
# through the tunnel to a router whose keynet device also translates
# (prefix 2a04:5b80:300:4::/96, pool 100.100.0.0/16, MASQUERADE to the
# router's IPv4 address).  Key-derived addresses carry the IPv6 side.
. "$KN_ROOT/selftests/lib.sh"

P=2a04:5b80:300:4::
kn_load
netns_add wire home rtr srv
ns wire ip link add kn-home type keynet
ns wire ip link add kn-rtr type keynet
keynet genkey >/tmp/home.key; keynet genkey >/tmp/rtr.key
KH=$(keynet pubkey </tmp/home.key); KR=$(keynet pubkey </tmp/rtr.key)
AH=$(keynet addr "$KH"); AR=$(keynet addr "$KR")
keynet -n wire link set dev kn-home private-key /tmp/home.key listen-port 10001 ||
	fail "home key"
keynet -n wire link set dev kn-rtr private-key /tmp/rtr.key listen-port 10002 ||
	fail "router key"
# home sends the NAT64 prefix to the router; the router's side of the
# tunnel routes home's derived address back automatically.
keynet -n wire peer add dev kn-home "$KR" endpoint 127.0.0.1:10002 route ${P}/96 ||
	fail "peer rtr on home"
keynet -n wire peer add dev kn-rtr "$KH" endpoint 127.0.0.1:10001 || fail "peer home on rtr"
ns wire ip link set kn-home netns home
ns wire ip link set kn-rtr netns rtr
ns home ip link set kn-home up
ns rtr ip link set kn-rtr up
ns home ip addr add "$AH/128" dev kn-home nodad 2>/dev/null || true
ns rtr ip addr add "$AR/128" dev kn-rtr nodad 2>/dev/null || true
ns home ip -6 route add ${P}/96 dev kn-home src "$AH"
ns rtr ip -6 route replace fc00::/8 dev kn-rtr

# The router: NAT64 on the same device, IPv4 uplink to the server.
ip link add up0 netns rtr type veth peer name eth0 netns srv
ns rtr ip addr add 198.51.100.1/24 dev up0; ns rtr ip link set up0 up
ns srv ip addr add 198.51.100.2/24 dev eth0; ns srv ip link set eth0 up
ns rtr sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
keynet -n rtr nat64 set dev kn-rtr prefix ${P}/96 ipv4-addr 100.100.0.1 mss-clamp on ||
	fail "nat64 set"
keynet -n rtr pool add 100.100.0.0/16 dev kn-rtr || fail "pool add"
ns rtr ip -6 route add ${P}/96 dev kn-rtr
ns rtr ip route add 100.100.0.0/16 dev kn-rtr
ns rtr nft -f - <<'NFT' || fail "nft"
table ip nat64 {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "up0" ip saddr 100.100.0.0/16 masquerade
	}
}
NFT

ns home ping -6 -c 3 -i 0.3 -W 3 "${P}198.51.100.2" >/dev/null ||
	fail "IPv6-only home -> IPv4 server through tunnel + NAT64"
head -c 300000 /dev/urandom >/tmp/payload
ns srv sh -c 'nc -l -p 8080 >/tmp/got &'
wait_for 10 tcp_listening srv 8080 || fail "nc not listening in srv"
ns home nc -N "${P}198.51.100.2" 8080 </tmp/payload || fail "TCP through tunnel + NAT64"
wait_for 10 cmp -s /tmp/payload /tmp/got || fail "payload differs after tunnel + NAT64"
m=$(keynet -n rtr -j map show dev kn-rtr | jq -r ".[] | select(.ipv6 == \"$AH\") | .ipv4")
info "home $AH mapped to $m; 300 kB byte-compared through tunnel + NAT64"
[ -n "$m" ] || fail "no dynamic mapping for home's derived address"
exit 0
