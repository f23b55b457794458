#!/bin/bash
# timeout: 90
# NAT64 end to end (the seed-003 set-up): an IPv6-only client pings and
# talks TCP to an IPv4 server through prefix::a.b.c.d, via the dynamic
# pool MASQUERADEd by nftables; a static map reached from the IPv4 side;
# hairpinning; Time Exceeded, loop guard; MSS clamping; counters.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

nat64_topo
trap 'kill $N64_SERVER_PID $N64_UDP_PID 2>/dev/null' EXIT

# Ping through the dynamic pool, and the mapping that made it.
ns c ping -6 -c 3 -i 0.2 -W 2 $N64_SERVER >/dev/null || fail "ping6 $N64_SERVER"
j=$(keynet -n r -j map show dev kn0)
check_eq "$(echo "$j" | jq length)" 1 "one mapping after the ping"
check_eq "$(echo "$j" | jq -r '.[0].ipv6')" 2001:db8:1::2 "mapped IPv6"
check_eq "$(echo "$j" | jq -r '.[0].type')" dynamic "mapping type"
pool4=$(echo "$j" | jq -r '.[0].ipv4')
check_match "$pool4" '^100\.100\.' "pool address"
[ "$pool4" != 100.100.0.1 ] && [ "$pool4" != 100.100.0.0 ] ||
	fail "allocated a reserved address $pool4"
[ "$(n64_stat xlat_6to4)" -ge 3 ] || fail "xlat_6to4 $(n64_stat xlat_6to4)"
[ "$(n64_stat xlat_4to6)" -ge 3 ] || fail "xlat_4to6 $(n64_stat xlat_4to6)"

# TCP, 200 kB each way, MASQUERADEd to 198.51.100.1, MSS clamped.
n64_tcp_server s
out=$(n64_tcp_get c $N64_SERVER 200000) || fail "TCP through NAT64"
check_match "$out" '^peer 198\.51\.100\.1 ' "server sees the masqueraded address"
mss=$(echo "$out" | awk '{print $4}')
[ "$mss" -le 1360 ] || fail "MSS not clamped: $mss"
info "TCP ok: $out"

# Static map, reached from the IPv4 side (no MASQUERADE for it).
ns c ip addr add 2001:db8:1::5/64 dev c0 nodad
keynet -n r map add 100.100.5.5 2001:db8:1::5 dev kn0 || fail "map add"
ns s ip route add 100.100.0.0/16 via 198.51.100.1
ns s ping -c 3 -i 0.2 -W 2 100.100.5.5 >/dev/null || fail "ping 4->6 static map"
kill $N64_SERVER_PID 2>/dev/null
n64_tcp_server c ::
out=$(n64_tcp_get s 100.100.5.5 5000) || fail "TCP 4->6 via static map"
check_match "$out" "^peer ${N64_PREFIX}c633:6402 " "client sees the server in the prefix"
j=$(keynet -n r -j map show dev kn0)
check_eq "$(echo "$j" | jq -r '[.[] | select(.type=="static")][0].ipv4')" 100.100.5.5 \
	"static map listed"

# Hairpin: the client's second address reaches its first one through
# the first one's pool address.
ns c ping -6 -c 2 -i 0.2 -W 2 -I 2001:db8:1::5 ${N64_PREFIX}$pool4 >/dev/null ||
	fail "hairpin ping to ${N64_PREFIX}$pool4"

# TTL / hop limit: Time Exceeded from the translator's own address.
out=$(ns c ping -6 -c 1 -t 2 -W 2 $N64_SERVER 2>&1)
check_match "$out" "From ${N64_PREFIX}6464:1 .*Time exceeded" "Time Exceeded"
[ "$(n64_stat hop_limit)" -ge 1 ] || fail "hop_limit counter"
[ "$(n64_stat icmp6_sent)" -ge 1 ] || fail "icmp6_sent counter"
out=$(ns s ping -c 1 -t 2 -W 2 100.100.5.5 2>&1)
check_match "$out" "From 100.100.0.1.*Time to live exceeded" "Time Exceeded (v4)"

# Loop guard: an unmapped pool address is refused with an unreachable.
out=$(ns c ping -6 -c 1 -W 2 ${N64_PREFIX}100.100.9.9 2>&1)
check_match "$out" "Destination unreachable" "loop guard unreachable"
[ "$(n64_stat loop)" -ge 1 ] || fail "loop counter"
# Echo to the translator's own address is answered.
ns c ping -6 -c 1 -W 2 ${N64_PREFIX}100.100.0.1 >/dev/null || fail "ping translator"

# Fragments both ways: 3000-byte UDP datagrams (fragmented ICMP is not
# translatable, RFC 7915), re-fragmented to 1280 bytes going 4->6.
n64_udp_echo s 0.0.0.0
n64_udp_ping c $N64_SERVER 3000 || fail "UDP 3000 bytes 6->4->6"
n64_udp_ping c $N64_SERVER 100 || fail "UDP 100 bytes"
kill $N64_UDP_PID 2>/dev/null
n64_udp_echo c ::
n64_udp_ping s 100.100.5.5 3000 || fail "UDP 3000 bytes 4->6->4"
kill $N64_UDP_PID 2>/dev/null
[ "$(n64_stat fragments)" -ge 1 ] || fail "fragments counter"

# No packet went to the tunnel path.
check_eq "$(drops r kn0 no_route)" 0 "tunnel drops"
keynet -n r -s nat64 show dev kn0 | sed 's/^/# /'
exit 0
