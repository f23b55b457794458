#!/bin/bash
# timeout: 120
# scope: once (NAT64 guard rules of the translation core)
# NAT64 guards (issue 18 items 5 and 8), with a network-specific prefix:
# martian IPv4 addresses (0/8, 127/8, 224/4, 240/4) are never translated:
# an IPv6 packet to prefix::255.255.255.255 and the like is answered with
# ICMPv6 1/1, delivered nowhere (not even to a socket on the translator
# host) and counted as martian; a martian source is dropped silently;
# configuration refuses them.  The per-/64 pool limit: one /64 cycling
# through sources stops at pool-per-64 mappings (ICMPv6 1/1, counted as
# pool_per_64) while another /64 still gets one; a deleted mapping gives
# its slot back.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

nat64_topo
T=$(mktemp -d)
trap 'kill_tree $LISTEN_PID $N64_UDP_PID; rm -rf "$T"' EXIT

# ---- configuration refuses martians ----
expect_fail 1 "never translated" keynet -n r pool add 224.0.0.0/16 dev kn0
expect_fail 1 "never translated" keynet -n r pool add 127.1.0.0/16 dev kn0
expect_fail 1 "never translated" keynet -n r pool add 0.0.0.0/24 dev kn0
expect_fail 1 "never translated" keynet -n r pool add 255.255.255.255/32 dev kn0
# The tool refuses such maps itself (as in a file: conf check), and the
# kernel does too when asked directly (kngen.py sends the bare request).
for a in 127.0.0.5 240.0.0.1 239.1.1.1; do
	expect_fail 2 "never translated" keynet -n r map add $a 2001:db8:1::9 dev kn0
	check_eq "$(ns r python3 "$KN_ROOT/selftests/tools/kngen.py" mapnew kn0 $a 2001:db8:1::9)" \
		-22 "the kernel refuses map $a (EINVAL)"
done
expect_fail 1 "not a unicast IPv4" keynet -n r nat64 set dev kn0 ipv4-addr 127.0.0.1
check_eq "$(keynet -n r -j pool show dev kn0 | jq length)" 1 "no pool range added"
check_eq "$(keynet -n r -j map show dev kn0 | jq length)" 0 "no map added"
check_eq "$(keynet -n r -j nat64 show dev kn0 | jq -r '.[0].ipv4_addr')" 100.100.0.1 \
	"ipv4-addr kept"

# ---- martian destinations and sources are not translated ----
# A UDP socket of the translator host r on port 7777, bound to any address
# with SO_BROADCAST: it would get a limited broadcast or an all-hosts
# multicast coming out of kn0.  Every payload received is logged.
ns r python3 - "$T/got" <<-'PY' &
	import socket, sys
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
	s.bind(("0.0.0.0", 7777))
	s.settimeout(60)
	with open(sys.argv[1], "a") as f:
	    while True:
	        try:
	            d, a = s.recvfrom(100)
	        except socket.timeout:
	            break
	        f.write("%s %s\n" % (d.decode(), a[0]))
	        f.flush()
	PY
LISTEN_PID=$!
wait_for 10 udp_bound r 7777 || fail "listener in r not bound"

m0=$(n64_stat martian) i0=$(n64_stat icmp6_sent) x0=$(n64_stat xlat_6to4)
# Each destination: connected UDP socket, one datagram; the ICMPv6 1/1
# (administratively prohibited) shows as EACCES on the socket.
out=$(ns c python3 - "$N64_PREFIX" <<-'PY'
	import errno, socket, sys
	res = []
	for a in ["255.255.255.255", "127.0.0.1", "224.0.0.1", "240.0.0.1",
	          "0.1.2.3"]:
	    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	    s.settimeout(3)
	    s.connect((sys.argv[1] + a, 7777))
	    s.send(b"martian")
	    try:
	        s.recv(100)
	        res.append(a + "=reply")
	    except OSError as e:
	        res.append(a + "=" + (errno.errorcode[e.errno] if e.errno
	                              else "timeout"))
	print(" ".join(res))
	PY
) || fail "sending to martians"
check_eq "$out" "255.255.255.255=EACCES 127.0.0.1=EACCES 224.0.0.1=EACCES 240.0.0.1=EACCES 0.1.2.3=EACCES" \
	"ICMPv6 1/1 for every martian destination"
check_eq $(( $(n64_stat martian) - m0 )) 5 "martian counter (destinations)"
[ $(( $(n64_stat icmp6_sent) - i0 )) -ge 5 ] || fail "icmp6_sent did not grow by 5"
check_eq $(( $(n64_stat xlat_6to4) - x0 )) 0 "nothing translated"
check_eq "$(keynet -n r -j map show dev kn0 | jq length)" 0 \
	"no pool address allocated for a packet to a martian"

# A martian source: c sends from prefix::127.0.0.1; dropped silently.
ns c ip -6 addr add ${N64_PREFIX}7f00:1/128 dev c0 nodad
ns c python3 - "$N64_PREFIX" <<-'PY' || fail "sending from a martian"
	import socket, sys
	s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	s.bind((sys.argv[1] + "127.0.0.1", 0))
	s.sendto(b"martian-src", (sys.argv[1] + "198.51.100.1", 7777))
	PY
src_counted() { [ $(( $(n64_stat martian) - m0 )) -ge 6 ]; }
wait_for 5 src_counted || fail "martian source not counted ($(n64_stat martian))"
check_eq $(( $(n64_stat xlat_6to4) - x0 )) 0 "martian source not translated"
# (c would otherwise prefer it as the source for the whole prefix.)
ns c ip -6 addr del ${N64_PREFIX}7f00:1/128 dev c0

# Control: a datagram to r's own IPv4 address through the translator does
# reach the listener.  It went through the same backlog after the others,
# so once it is there, nothing else can still arrive.
ns c python3 - "$N64_PREFIX" <<-'PY' || fail "control datagram"
	import socket, sys
	s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	s.bind(("2001:db8:1::2", 0))
	s.sendto(b"control", (sys.argv[1] + "198.51.100.1", 7777))
	PY
got_control() { grep -q '^control ' "$T/got"; }
wait_for 10 got_control || fail "the control datagram did not arrive: $(cat "$T/got")"
check_eq "$(cut -d' ' -f1 "$T/got" | tr '\n' ' ')" "control " \
	"only the control datagram was delivered on the translator host"
info "martians: $(( $(n64_stat martian) - m0 )) refused, none delivered"

# ---- per-/64 limit of the dynamic pool ----
check_eq "$(keynet -n r -j nat64 show dev kn0 | jq -r '.[0].pool_per_64')" 64 \
	"pool_per_64 default"
expect_fail 2 "invalid pool-per-64" keynet -n r nat64 set dev kn0 pool-per-64 many
keynet -n r nat64 set dev kn0 pool-per-64 4 || fail "pool-per-64 4"
check_eq "$(keynet -n r -j nat64 show dev kn0 | jq -r '.[0].pool_per_64')" 4 "pool_per_64"
check_match "$(keynet -n r nat64 show dev kn0)" "pool-per-64 4," "text output"

# c's first address already holds one mapping of 2001:db8:1::/64 (the
# control above); six more sources of that /64 and one of 2001:db8:2::/64.
in64() {
	keynet -n r -j map show dev kn0 |
		jq "[.[] | select(.type == \"dynamic\" and (.ipv6 | startswith(\"$1\")))] | length"
}
check_eq "$(in64 2001:db8:1::)" 1 "mappings of 2001:db8:1::/64 before"
for i in 10 11 12 13 14 15; do
	ns c ip -6 addr add 2001:db8:1::$i/128 dev c0 nodad
done
ns c ip -6 addr add 2001:db8:2::10/128 dev c0 nodad
ns r ip -6 route add 2001:db8:2::/64 via 2001:db8:1::2 dev rc
n64_udp_echo s 0.0.0.0
# from SRC...: one datagram to the UDP echo server from each source:
# "ok" (echoed), or the error on the socket (EACCES: ICMPv6 1/1).
from() {
	ns c python3 - "$N64_SERVER" "$@" <<-'PY'
	import errno, socket, sys
	res = []
	for src in sys.argv[2:]:
	    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	    s.bind((src, 0))
	    s.settimeout(3)
	    s.connect((sys.argv[1], 9090))
	    s.send(b"hello")
	    try:
	        res.append("ok" if s.recv(100) == b"hello" else "bad")
	    except OSError as e:
	        res.append(errno.errorcode[e.errno] if e.errno else "timeout")
	print(" ".join(res))
	PY
}
p0=$(n64_stat pool_per_64) f0=$(n64_stat pool_full)
out=$(from 2001:db8:1::10 2001:db8:1::11 2001:db8:1::12 2001:db8:1::13 \
	2001:db8:1::14 2001:db8:1::15 2001:db8:2::10) || fail "sources"
check_eq "$out" "ok ok ok EACCES EACCES EACCES ok" \
	"three more sources of the /64, then refused; another /64 still served"
check_eq $(( $(n64_stat pool_per_64) - p0 )) 3 "pool_per_64 counter"
check_eq $(( $(n64_stat pool_full) - f0 )) 0 "not counted as pool_full"
check_eq "$(in64 2001:db8:1::)" 4 "mappings of 2001:db8:1::/64"
check_eq "$(in64 2001:db8:2::)" 1 "mappings of 2001:db8:2::/64"
# The /64's existing mappings keep working at the limit.
check_eq "$(from 2001:db8:1::10 2001:db8:1::2)" "ok ok" "mapped sources at the limit"

# A deleted mapping gives its slot back; limit 0 is no limit.
keynet -n r map del 2001:db8:1::10 dev kn0 || fail "map del"
check_eq "$(from 2001:db8:1::13 2001:db8:1::14)" "ok EACCES" "a freed slot is taken once"
keynet -n r nat64 set dev kn0 pool-per-64 0 || fail "pool-per-64 0"
check_eq "$(from 2001:db8:1::14 2001:db8:1::15)" "ok ok" "no limit"
check_eq "$(in64 2001:db8:1::)" 6 "mappings of 2001:db8:1::/64 without a limit"
# Lowering the limit keeps what is mapped.
keynet -n r nat64 set dev kn0 pool-per-64 2 || fail "pool-per-64 2"
check_eq "$(from 2001:db8:1::15 2001:db8:1::10)" "ok EACCES" "lowered limit"
check_eq "$(in64 2001:db8:1::)" 6 "mappings kept after lowering the limit"
keynet -n r -s nat64 show dev kn0 | sed 's/^/# /'
exit 0
