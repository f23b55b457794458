#!/bin/bash
# timeout: 180
# NAT64 end to end (the seed-003 set-up): an IPv6-only client pings and
# talks TCP to an IPv4 server through prefix::a.b.c.d, via the dynamic
# pool MASQUERADEd by nftables; a static map reached from the IPv4 side;
# hairpinning; Time Exceeded, loop guard; MSS clamping; counters; bulk
# TCP both ways through the GSO path (TSO super-packets, GRO-built ones,
# Fragmentation Needed for segments that grow over the MTU), the bytes
# compared by SHA-256.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

nat64_topo
trap 'kill_tree $N64_SERVER_PID $N64_UDP_PID $XFER_PID' EXIT

# A bulk TCP server on port 8081: "put N" then N bytes is answered with
# the bytes' SHA-256; "get N" with the SHA-256 of N random bytes, then the
# bytes.  Each transfer is one way, so its data takes one direction.
n64_xfer_server() {
	wait_for 10 tcp_free "$1" 8081 || fail "TCP port 8081 in $1 still taken"
	ns "$1" python3 - "$2" <<-'PY' &
	import hashlib, os, socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	s = socket.socket(fam, socket.SOCK_STREAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.bind((sys.argv[1], 8081))
	s.listen(8)
	s.settimeout(60)
	while True:
	    try:
	        c, _ = s.accept()
	    except socket.timeout:
	        break
	    f = c.makefile("rb")
	    op, n = f.readline().split()
	    n = int(n)
	    if op == b"put":
	        h = hashlib.sha256()
	        while n:
	            d = f.read1(min(n, 1 << 16))
	            if not d:
	                break
	            h.update(d)
	            n -= len(d)
	        c.sendall(h.hexdigest().encode() + b"\n")
	    else:
	        d = os.urandom(n)
	        c.sendall(hashlib.sha256(d).hexdigest().encode() + b"\n" + d)
	    c.close()
	PY
	XFER_PID=$!
	wait_for 10 tcp_listening "$1" 8081 || fail "bulk server in $1 not listening"
}

# n64_xfer NS ADDR put|get BYTES: one transfer, the SHA-256 compared.
n64_xfer() {
	ns "$1" python3 - "$2" "$3" "$4" <<-'PY'
	import hashlib, os, socket, sys
	addr, op, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
	fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
	c = socket.create_connection((addr, 8081), timeout=30)
	f = c.makefile("rb")
	if op == "put":
	    d = os.urandom(n)
	    c.sendall(b"put %d\n" % n + d)
	    want, got = hashlib.sha256(d).hexdigest(), f.readline().decode().strip()
	else:
	    c.sendall(b"get %d\n" % n)
	    want = f.readline().decode().strip()
	    h = hashlib.sha256()
	    left = n
	    while left:
	        d = f.read1(min(left, 1 << 16))
	        if not d:
	            break
	        h.update(d)
	        left -= len(d)
	    got = h.hexdigest()
	if want != got:
	    sys.exit("%s %d bytes: SHA-256 %s, want %s" % (op, n, got, want))
	PY
}

# n64_feature NS DEV tso|gro on|off: the legacy ethtool ioctl (no ethtool
# binary needed); veth builds GRO super-packets only with GRO on (NAPI).
n64_feature() {
	ns "$1" python3 - "$2" "$3" "$4" <<-'PY' || fail "$3 $4 on $2"
	import array, fcntl, socket, struct, sys
	cmd = {"tso": 0x1f, "gro": 0x2c}[sys.argv[2]]
	val = array.array("B", struct.pack("II", cmd, sys.argv[3] == "on"))
	ifr = struct.pack("16sQ16x", sys.argv[1].encode(), val.buffer_info()[0])
	fcntl.ioctl(socket.socket(), 0x8946, ifr)	# SIOCETHTOOL
	PY
}

# n64_gso_xfer WHAT NS ADDR put|get BYTES: a transfer that must have gone
# (at least partly) through the GSO path: the gso counter grew.
n64_gso_xfer() {
	local what=$1 g0 g1
	shift
	g0=$(n64_stat gso)
	n64_xfer "$@" || fail "bulk TCP $what"
	g1=$(n64_stat gso)
	[ "$g1" -gt "$g0" ] || fail "bulk TCP $what: no super-packet translated whole (gso $g0 -> $g1)"
	info "bulk TCP $what ok, $((g1 - g0)) super-packets translated whole"
}

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
kill_tree $N64_SERVER_PID
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

# The translator's ICMP errors are rate-limited (module parameters
# nat64_icmp_rate, default 1,000/s, and nat64_icmp_burst, 50, per CPU).
# At 20/s, so that the test does not depend on how fast the guest is: 500
# expiring packets at once get at most the bursts plus the rate over the
# time they took, and every one is counted either way.
P=/sys/module/keynet/parameters
check_eq "$(cat $P/nat64_icmp_rate) $(cat $P/nat64_icmp_burst)" "1000 50" "ICMP limit defaults"
echo 20 >$P/nat64_icmp_rate
h0=$(n64_stat hop_limit) s0=$(n64_stat icmp6_sent) r0=$(n64_stat icmp_ratelimited)
t0=$(date +%s%N)
ns c python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 2)
for _ in range(500):
    s.sendto(b"x" * 32, (sys.argv[1], 9))
' $N64_SERVER || fail "sending expiring packets"
all_expired() { [ $(( $(n64_stat hop_limit) - h0 )) -ge 500 ]; }
wait_for 10 all_expired
t1=$(date +%s%N)
h=$(( $(n64_stat hop_limit) - h0 )) sent=$(( $(n64_stat icmp6_sent) - s0 ))
lim=$(( $(n64_stat icmp_ratelimited) - r0 ))
echo 1000 >$P/nat64_icmp_rate
ncpu=$(nproc)
bound=$(( ncpu * 50 + ncpu * 20 * (t1 - t0) / 1000000000 + ncpu ))
info "ICMP rate limit: $h expired, $sent errors sent, $lim held back in $(( (t1 - t0) / 1000000 )) ms (bound $bound)"
[ "$h" -ge 400 ] || fail "only $h of 500 expiring packets reached the translator"
check_eq $((sent + lim)) "$h" "every expired packet answered or counted as rate-limited"
[ "$lim" -ge 1 ] || fail "no ICMP error was rate-limited ($sent sent for $h)"
[ "$sent" -le "$bound" ] || fail "$sent ICMP errors sent, above the limit's $bound"
sleep 0.1	# pacing: the bucket refills at 1,000/s again
out=$(ns c ping -6 -c 1 -t 2 -W 2 $N64_SERVER 2>&1)
check_match "$out" "Time exceeded" "Time Exceeded again once the bucket refilled"

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
kill_tree $N64_UDP_PID
n64_udp_echo c ::
n64_udp_ping s 100.100.5.5 3000 || fail "UDP 3000 bytes 4->6->4"
kill_tree $N64_UDP_PID
[ "$(n64_stat fragments)" -ge 1 ] || fail "fragments counter"

# Bulk TCP, 4 MB each way and direction.  The senders' veths do TSO, so
# the translator gets GSO super-packets and must translate them whole.
n64_xfer_server s 0.0.0.0
n64_gso_xfer "6->4 (IPv6 client sends)" c $N64_SERVER put 4000000
n64_gso_xfer "4->6 (IPv6 client receives)" c $N64_SERVER get 4000000
kill_tree $XFER_PID
n64_xfer_server c ::
n64_gso_xfer "4->6 (IPv4 side sends via the static map)" s 100.100.5.5 put 4000000
n64_gso_xfer "6->4 (IPv4 side receives via the static map)" s 100.100.5.5 get 4000000

# Super-packets built by GRO: c0 sends MTU-sized packets (no TSO); with
# GRO off on r's veth (the default) they reach kn0 one by one, with GRO
# on (veth then receives through NAPI) they are put together first.
n64_feature c c0 tso off
n64_feature r rc gro off
g0=$(n64_stat gso)
n64_xfer s 100.100.5.5 get 2000000 || fail "bulk TCP 6->4 without TSO"
check_eq "$(n64_stat gso)" "$g0" "gso counter without TSO and GRO"
n64_feature r rc gro on
n64_gso_xfer "6->4 from GRO" s 100.100.5.5 get 2000000
n64_feature c c0 tso on

# Segments that grow over the MTU: without the MSS clamp and with c
# advertising MSS 1380, s sends 1420-byte IPv4 segments that are 1440
# bytes in IPv6, over kn0's MTU of 1420.  The translator answers
# Fragmentation Needed (MTU 1400) as for single packets, s lowers its
# path MTU and the transfer completes, again through the GSO path.
keynet -n r nat64 set dev kn0 mss-clamp off || fail "mss-clamp off"
ns c ip -6 route change default via 2001:db8:1::1 dev c0 advmss 1380 ||
	fail "advmss"
tb0=$(n64_stat too_big)
n64_gso_xfer "4->6 over the MTU" s 100.100.5.5 put 4000000
[ "$(n64_stat too_big)" -gt "$tb0" ] || fail "no Fragmentation Needed for segments over the MTU"
check_match "$(ns s ip route get 100.100.5.5)" "mtu 1400" "s's path MTU to 100.100.5.5"
kill_tree $XFER_PID

# UDP GSO (UDP_SEGMENT) is not taken whole: the translator segments it
# and translates each datagram.
n64_udp_echo s 0.0.0.0
g0=$(n64_stat gso)
x0=$(( $(n64_stat xlat_6to4) + $(n64_stat xlat_4to6) ))
t0=$(ns r cat /sys/class/net/kn0/statistics/tx_packets)
ns c python3 - $N64_SERVER <<-'PY' || fail "UDP GSO 6->4"
	import os, socket, sys
	c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	c.setsockopt(socket.IPPROTO_UDP, 103, 1000)	# UDP_SEGMENT
	c.settimeout(2)
	d = os.urandom(4500)
	want = sorted(d[i:i + 1000] for i in range(0, len(d), 1000))
	for _ in range(3):
	    c.sendto(d, (sys.argv[1], 9090))
	    got = []
	    try:
	        while len(got) < len(want):
	            got.append(c.recv(65536))
	    except socket.timeout:
	        continue
	    assert sorted(got) == want, "datagrams differ"
	    sys.exit(0)
	sys.exit("no replies")
	PY
kill_tree $N64_UDP_PID
check_eq "$(n64_stat gso)" "$g0" "gso counter after UDP GSO"
# Each 4500-byte send went into kn0 as one packet and came out as five.
x1=$(( $(n64_stat xlat_6to4) + $(n64_stat xlat_4to6) ))
t1=$(ns r cat /sys/class/net/kn0/statistics/tx_packets)
[ $((t1 - t0)) -lt $((x1 - x0)) ] ||
	fail "UDP GSO reached kn0 segmented: $((t1 - t0)) packets in, $((x1 - x0)) translated"

# No packet went to the tunnel path.
check_eq "$(drops r kn0 no_route)" 0 "tunnel drops"
keynet -n r -s nat64 show dev kn0 | sed 's/^/# /'
exit 0
