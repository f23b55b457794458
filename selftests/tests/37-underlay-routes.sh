#!/bin/bash
# timeout: 120
# The peers' cached underlay routes (issue 23) follow every change of
# what the route to the endpoint depends on.  a's sockets live in
# namespace wire, b's in far; wire reaches far over two veth pairs, path 1
# (w1-f1) and path 2 (w2-f2), and b's underlay address 10.9.0.2 /
# fd09::2 is routed over path 1.  Counted in wire's output hook: a's
# tunnel packets per path.  A more specific route over path 2 (IPv4 rt_genid,
# IPv6 fib6 serial numbers), then a fwmark whose rule sends them back over
# path 1 (the module's own flush: the FIB does not change), must each move
# the very next packets.  Roaming (13) and the loop guard (31) are tested
# elsewhere.
. "$KN_ROOT/selftests/lib.sh"

kn_load
netns_add wire far a b
ns far sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 ||
	fail "rp_filter off in far"
{
	echo "link add w1 type veth peer name f1 netns far"
	echo "link add w2 type veth peer name f2 netns far"
	echo "link set w1 up"
	echo "link set w2 up"
	echo "addr add 10.1.0.1/24 dev w1"
	echo "addr add 10.2.0.1/24 dev w2"
	echo "addr add fd01::1/64 dev w1 nodad"
	echo "addr add fd02::1/64 dev w2 nodad"
	echo "addr add 10.9.0.1/32 dev lo"
	echo "addr add fd09::1/128 dev lo nodad"
} | ip -n wire -batch - || fail "wire's side"
{
	echo "link set f1 up"
	echo "link set f2 up"
	echo "addr add 10.1.0.2/24 dev f1"
	echo "addr add 10.2.0.2/24 dev f2"
	echo "addr add fd01::2/64 dev f1 nodad"
	echo "addr add fd02::2/64 dev f2 nodad"
	echo "addr add 10.9.0.2/32 dev lo"
	echo "addr add fd09::2/128 dev lo nodad"
	echo "route add 10.9.0.1/32 via 10.1.0.1"
	echo "route add fd09::1/128 via fd01::1"
} | ip -n far -batch - || fail "far's side"
ns wire ip route add 10.9.0.0/24 via 10.1.0.2 src 10.9.0.1 || fail "route v4 over path 1"
ns wire ip -6 route add fd09::/64 via fd01::2 src fd09::1 || fail "route v6 over path 1"

ns wire ip link add kn0 type keynet || fail "create kn0"
ns far ip link add kn1 type keynet || fail "create kn1"
keynet genkey >/tmp/ur-a.key || fail genkey
keynet genkey >/tmp/ur-b.key || fail genkey
KA=$(keynet pubkey </tmp/ur-a.key)
KB=$(keynet pubkey </tmp/ur-b.key)
keynet -n wire link set dev kn0 private-key /tmp/ur-a.key listen-port 10001 || fail "link set kn0"
keynet -n far link set dev kn1 private-key /tmp/ur-b.key listen-port 10002 || fail "link set kn1"
keynet -n wire peer add dev kn0 "$KB" endpoint 10.9.0.2:10002 route 192.168.241.2/32 ||
	fail "peer b on kn0"
keynet -n far peer add dev kn1 "$KA" endpoint 10.9.0.1:10001 route 192.168.241.1/32 ||
	fail "peer a on kn1"
ns wire ip link set kn0 netns a || fail "move kn0"
ns far ip link set kn1 netns b || fail "move kn1"
ns a ip addr add 192.168.241.1/24 dev kn0
ns b ip addr add 192.168.241.2/24 dev kn1
ns a ip link set kn0 up || fail "kn0 up"
ns b ip link set kn1 up || fail "kn1 up"

{
	echo "table inet ur {"
	echo "chain out {"
	echo "type filter hook output priority 0;"
	for f in ipv4 ipv6; do
		for p in w1 w2; do
			echo "meta nfproto $f udp dport 10002 oifname \"$p\" counter comment \"$p$f\""
		done
	done
	echo "}"
	echo "}"
} | ns wire nft -f - || fail "nft counters in wire"
# got PATH FAMILY: a's tunnel packets that left wire by PATH.
got() {
	ns wire nft list chain inet ur out |
		awk -v c="\"$1$2\"" '$NF == c { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
# moved FAMILY TO FROM WHAT: after a settling pause, 5 pings a->b leave
# by path TO, and none by path FROM.
moved() {
	local n_to n_from
	sleep 0.3	# a packet already past its lookup leaves before the counts
	n_to=$(got "$2" "$1") n_from=$(got "$3" "$1")
	ns a ping -c 5 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "$4: ping a->b"
	[ "$(got "$2" "$1")" -ge $((n_to + 5)) ] ||
		fail "$4: $(( $(got "$2" "$1") - n_to )) packets by $2, want >= 5"
	check_eq "$(got "$3" "$1")" "$n_from" "$4: packets by $3"
}

# IPv4 underlay.
ns a ping -c 3 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "v4: tunnel up"
[ "$(got w1 ipv4)" -ge 3 ] || fail "v4: $(got w1 ipv4) packets by path 1, want >= 3"
check_eq "$(got w2 ipv4)" 0 "v4: packets by path 2 before any change"
ns wire ip route add 10.9.0.2/32 via 10.2.0.2 src 10.9.0.1 || fail "v4: /32 over path 2"
moved ipv4 w2 w1 "v4: a more specific route"
# fwmark: a rule for the mark sends the tunnel back over path 1; the rule
# and its table come first (a FIB change of its own), then the mark.
ns wire ip route add 10.9.0.2/32 via 10.1.0.2 src 10.9.0.1 table 100 || fail "v4: table 100"
ns wire ip rule add fwmark 0x77 lookup 100 || fail "v4: rule"
moved ipv4 w2 w1 "v4: a rule for a mark not set yet"
keynet -n a link set dev kn0 fwmark 0x77 || fail "fwmark 0x77"
moved ipv4 w1 w2 "v4: the fwmark set"
keynet -n a link set dev kn0 fwmark off || fail "fwmark off"
moved ipv4 w2 w1 "v4: the fwmark cleared"

# IPv6 underlay: the endpoints change by configuration (the cache resets).
keynet -n a peer set dev kn0 "$KB" endpoint "[fd09::2]:10002" || fail "v6 endpoint on a"
keynet -n b peer set dev kn1 "$KA" endpoint "[fd09::1]:10001" || fail "v6 endpoint on b"
ns a ping -c 3 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "v6: tunnel up"
[ "$(got w1 ipv6)" -ge 3 ] || fail "v6: $(got w1 ipv6) packets by path 1, want >= 3"
check_eq "$(got w2 ipv6)" 0 "v6: packets by path 2 before any change"
ns wire ip -6 route add fd09::2/128 via fd02::2 src fd09::1 || fail "v6: /128 over path 2"
moved ipv6 w2 w1 "v6: a more specific route"
ns wire ip -6 route del fd09::2/128 || fail "v6: del /128"
moved ipv6 w1 w2 "v6: the more specific route deleted"
check_eq "$(keynet -n a -j peer show dev kn0 | jq -r '.[0].endpoint')" "[fd09::2]:10002" \
	"a's endpoint for b"
for r in loop underlay; do
	check_eq "$(drops a kn0 $r)" 0 "drops $r on a"
done
exit 0
