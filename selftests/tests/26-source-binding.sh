#!/bin/bash
# timeout: 120
# scope: once (the source check of the crypto-key table; its receive path runs on every kernel in 11 and 61)
# Source binding: a decrypted packet is accepted only if the longest
# prefix containing its source is routed to the peer that sent it.  On a,
# the hub h is routed fc00::/8, the site prefix fdd7:5938:e2e6::/48 and
# 0.0.0.0/0 (an exit peer); b (a key only) has its own derived /128 and
# its LAN fdd7:5938:e2e6:6c8d::/64, c (a key only) 192.0.2.0/24.  h sends
# from b's and c's addresses: dropped as bad-source; from addresses only
# h's prefixes cover: delivered.  A failover group on b's /128 lets h send
# from it; "transit on" for h lets it send from every source its prefixes
# cover, and "transit off" takes that back.
. "$KN_ROOT/selftests/lib.sh"

kn_load
netns_add wire a h
for n in a h; do ns wire ip link add kn$n type keynet || fail "create kn$n"; done
for n in a h b c d; do keynet genkey >/tmp/sb-$n.key || fail genkey; done
KA=$(keynet pubkey </tmp/sb-a.key); KH=$(keynet pubkey </tmp/sb-h.key)
KB=$(keynet pubkey </tmp/sb-b.key); KC=$(keynet pubkey </tmp/sb-c.key)
KD=$(keynet pubkey </tmp/sb-d.key)
AA=$(keynet addr "$KA"); AB=$(keynet addr "$KB"); AD=$(keynet addr "$KD")
keynet -n wire link set dev kna private-key /tmp/sb-a.key listen 127.0.0.1:10001 ||
	fail "link set kna"
keynet -n wire link set dev knh private-key /tmp/sb-h.key listen 127.0.0.1:10002 ||
	fail "link set knh"
keynet -n wire peer add dev kna "$KH" endpoint 127.0.0.1:10002 \
	route fc00::/8 fdd7:5938:e2e6::/48 0.0.0.0/0 || fail "peer h on a"
keynet -n wire peer add dev kna "$KB" route fdd7:5938:e2e6:6c8d::/64 || fail "peer b on a"
keynet -n wire peer add dev kna "$KC" route 192.0.2.0/24 || fail "peer c on a"
keynet -n wire peer add dev knh "$KA" endpoint 127.0.0.1:10001 route 10.9.0.1/32 ||
	fail "peer a on h"
# b's derived /128 is routed to b automatically, inside h's fc00::/8.
check_eq "$(keynet -n wire -j route show dev kna peer "$KB" | jq -r '.[] | select(.auto) | .prefix')" \
	"$AB/128" "b's automatic route on a"
for n in a h; do
	ns wire ip link set kn$n netns $n
	ns $n ip link set kn$n up
done
ns a ip addr add "$AA/128" dev kna nodad 2>/dev/null
ns a ip addr add 10.9.0.1/32 dev kna
ns a ip -6 route add fc00::/8 dev kna 2>/dev/null
ns a ip -6 route add fdd7:5938:e2e6::/48 dev kna
ns a ip route add default dev kna
ns h ip -6 route add "$AA/128" dev knh
ns h ip route add 10.9.0.1/32 dev knh
# The sources h sends from: b's address and LAN, c's /24 (not h's), and
# addresses only h's own prefixes contain.
SB6=$AB SBL=fdd7:5938:e2e6:6c8d::80 SC4=192.0.2.7
SH6=$AD SHL=fdd7:5938:e2e6:1::1 SH4=198.51.100.7
for s in $SB6 $SBL $SH6 $SHL; do ns h ip addr add "$s/128" dev knh nodad || fail "addr $s"; done
for s in $SC4 $SH4; do ns h ip addr add "$s/32" dev knh || fail "addr $s"; done

# Echo requests that reached a's stack, counted per source: an anonymous
# counter per rule, found by the rule's comment (named counter objects
# need nft_objref, which the debug kernel does not build).
{
	echo "table inet sb {"
	echo "chain in {"
	echo "type filter hook input priority 0;"
	for s in SB6 SBL SH6 SHL; do
		echo "ip6 saddr ${!s} icmpv6 type echo-request counter comment \"$s\""
	done
	for s in SC4 SH4; do
		echo "ip saddr ${!s} icmp type echo-request counter comment \"$s\""
	done
	echo "}"
	echo "}"
} | ns a nft -f - || fail "nft counters on a"
got() {
	ns a nft list chain inet sb in |
		awk -v c="\"$1\"" '$NF == c { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
# send SRC-NAME: two echo requests from that source to a's address.
send() {
	local s=$1 dst=$AA
	case $s in SC4 | SH4) dst=10.9.0.1 ;; esac
	ns h ping -c 2 -i 0.3 -W 1 -I "${!s}" "$dst" >/dev/null 2>&1
}
delivered() { [ "$(got "$1")" -ge "$2" ]; }
# dropped BEFORE N: N more bad-source drops than BEFORE (polled, then exact).
bad_at_least() { [ "$(drops a kna bad_source)" -ge "$1" ]; }
dropped() {
	wait_for 5 bad_at_least $(($1 + $2))
	check_eq "$(( $(drops a kna bad_source) - $1 ))" "$2" "$3"
}

# Sources only h's prefixes contain: delivered, and the replies come back.
for s in SH6 SHL SH4; do
	send $s || fail "ping from $s (${!s}) over h's own prefix"
	check_eq "$(got $s)" 2 "echo requests from $s delivered"
done
check_eq "$(drops a kna bad_source)" 0 "no bad-source drop for h's own sources"

# b's address and LAN, c's /24: h's covering prefix does not admit them.
for s in SB6 SBL SC4; do
	before=$(drops a kna bad_source)
	send $s && fail "a reply to h from $s (${!s})"
	dropped "$before" 2 "bad-source drops for $s"
	check_eq "$(got $s)" 0 "echo requests from $s delivered"
done
rx_h() { keynet -n a -j peer show dev kna | jq -r ".[] | select(.public_key == \"$KH\") | .rx_packets"; }
rx=$(rx_h)
check_eq "$rx" 6 "packets a counts as received from h (its own sources only)"

# A failover group: b's /128 also routed to h (metric 10) lets h send from it.
keynet -n a route add "$AB/128" dev kna peer "$KH" metric 10 || fail "route add b's /128 via h"
send SB6
wait_for 5 delivered SB6 2 || fail "b's address through the failover group: $(got SB6) delivered"
keynet -n a route del "$AB/128" dev kna peer "$KH" || fail "route del"
before=$(drops a kna bad_source)
send SB6
dropped "$before" 2 "bad-source again without the group"

# transit on: every source one of h's prefixes contains is accepted.
keynet -n a peer set dev kna "$KH" transit on || fail "peer set transit on"
check_eq "$(keynet -n a -j peer show dev kna | jq -r ".[] | select(.public_key == \"$KH\") | .transit")" \
	true "h's transit"
before=$(drops a kna bad_source)
n0=$(got SB6)
for s in SB6 SBL SC4; do send $s; done
wait_for 5 delivered SB6 $((n0 + 2)) || fail "transit: from b's address: $(got SB6)"
wait_for 5 delivered SBL 2 || fail "transit: from b's LAN: $(got SBL)"
wait_for 5 delivered SC4 2 || fail "transit: from c's /24 (inside 0.0.0.0/0): $(got SC4)"
check_eq "$(drops a kna bad_source)" "$before" "no bad-source drop with transit on"
# transit off: the longest-prefix rule again.
keynet -n a peer set dev kna "$KH" transit off || fail "peer set transit off"
n0=$(got SB6)
send SB6
dropped "$before" 2 "bad-source again after transit off"
check_eq "$(got SB6)" "$n0" "nothing from b's address after transit off"
exit 0
