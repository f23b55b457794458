#!/bin/bash
# timeout: 150
# scope: once (translation rules of the kernel-independent core)
# NAT64 conformance rules (issue 22 items 3-6), in the kernel: the
# settings udp-zero-csum forward and offlink-mtu (tool, JSON, conf dump,
# refusals); martian IPv6 sources and destinations (link-local source,
# non-zero u octet) counted as martian6, with ICMPv6 1/1 from the
# translator's own address for a destination; the local-use prefix
# 64:ff9b:1::/64 not restricted by strict-wkp while the WKP is; IPv4
# protocol 43 refused with ICMPv4 3/13 (counter proto); UDP zero checksum
# forwarded as zero; 4->6 fragmentation at offlink-mtu.  Crafted packets
# are written into the translator devices with AF_PACKET (as the TAYGA
# benchmark does) and the results read on c0 in c with AF_PACKET.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

nat64_topo
T=$(mktemp -d)
trap 'kill_tree $CAP_PID; rm -rf "$T"' EXIT

# n64_stat_of DEV NAME: a counter of translator DEV in r.
n64_stat_of() {
	keynet -n r -j -s nat64 show dev "$1" | jq -r ".[0].stats.$2"
}

# inject DEV KIND...: write crafted packets into DEV in r.
inject() {
	ns r python3 - "$@" <<-'PY' || fail "inject $*"
	import socket, struct, sys
	def csum(b):
	    if len(b) % 2:
	        b += b"\0"
	    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
	    while s >> 16:
	        s = (s & 0xffff) + (s >> 16)
	    return ~s & 0xffff
	def a6(s):
	    return socket.inet_pton(socket.AF_INET6, s)
	def a4(s):
	    return socket.inet_aton(s)
	def udp6(src, dst, pay, zero=False):
	    u = struct.pack("!HHHH", 4000, 9999, 8 + len(pay), 0) + pay
	    if not zero:
	        ph = src + dst + struct.pack("!IxxxB", len(u), 17)
	        u = u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]
	    return struct.pack("!IHBB", 0x60000000, len(u), 17, 64) + src + dst + u
	def ip4(src, dst, proto, body, df=False):
	    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0x1234,
	                    0x4000 if df else 0, 64, proto, 0, src, dst)
	    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
	    return h + body
	def udp4(src, dst, pay, zero=False, df=False):
	    u = struct.pack("!HHHH", 4000, 9999, 8 + len(pay), 0) + pay
	    if not zero:
	        ph = src + dst + struct.pack("!xBH", 17, len(u))
	        u = u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]
	    return ip4(src, dst, 17, u, df)
	dev, kinds = sys.argv[1], sys.argv[2:]
	C = a6("2001:db8:1::2")
	S4, M4 = a4("198.51.100.2"), a4("203.0.113.7")
	pkts = {
	    "ll_src": (0x86DD, udp6(a6("fe80::1"), a6("2a04:5b80:300:4::c633:6402"), b"ll")),
	    "u_dst": (0x86DD, udp6(C, a6("64:ff9b:1:0:1c6:3364:200:0"), b"u")),
	    "u_ok": (0x86DD, udp6(C, a6("64:ff9b:1:0:c6:3364:200:0"), b"ok")),
	    "lu_priv": (0x86DD, udp6(C, a6("64:ff9b:1:0:0a:0908:0700:0"), b"lu")),
	    "wkp_priv": (0x86DD, udp6(C, a6("64:ff9b::10.9.8.7"), b"wkp")),
	    "proto43": (0x0800, ip4(S4, M4, 43, b"\0" * 16)),
	    "udp_ok4": (0x0800, udp4(S4, M4, b"ok4")),
	    "udp0_4": (0x0800, udp4(S4, M4, b"zero", zero=True)),
	    "big4": (0x0800, udp4(S4, M4, b"b" * 1372)),
	}
	for k in kinds:
	    proto, p = pkts[k]
	    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(proto))
	    s.sendto(p, (dev, proto))
	    s.close()
	PY
}

# capture: log IPv6 packets arriving on c0 in c as "nh=N src=A ..." lines.
capture() {
	: >"$T/cap"
	ns c python3 - "$T/cap" <<-'PY' &
	import socket, struct, sys
	s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x86DD))
	s.bind(("c0", 0x86DD))
	s.settimeout(60)
	with open(sys.argv[1], "a") as f:
	    while True:
	        try:
	            d = s.recv(2000)
	        except socket.timeout:
	            break
	        nh, src = d[6], socket.inet_ntop(socket.AF_INET6, d[8:24])
	        line = "nh=%d src=%s len=%d" % (nh, src, len(d))
	        if nh == 17:
	            line += " dport=%d csum=%04x" % struct.unpack("!H2xH", d[42:48])
	        if nh == 58:
	            line += " icmp=%d/%d" % (d[40], d[41])
	        f.write(line + "\n")
	        f.flush()
	PY
	CAP_PID=$!
	sleep 1
}
cap_has() { wait_for 5 grep -q -- "$1" "$T/cap"; }
# stat_gt DEV NAME N: the counter has grown past N (re-read on each poll).
stat_gt() { [ "$(n64_stat_of "$1" "$2")" -gt "$3" ]; }

# ---- settings ----
j=$(keynet -n r -j nat64 show dev kn0) || fail "nat64 show"
check_eq "$(echo "$j" | jq -r '.[0].offlink_mtu')" 1280 "offlink_mtu default"
expect_fail 2 "1280-65535" keynet -n r nat64 set dev kn0 offlink-mtu 1279
expect_fail 2 "1280-65535" keynet -n r nat64 set dev kn0 offlink-mtu 65536
keynet -n r nat64 set dev kn0 udp-zero-csum forward offlink-mtu 1500 || fail "nat64 set"
j=$(keynet -n r -j nat64 show dev kn0)
check_eq "$(echo "$j" | jq -r '.[0].offlink_mtu')" 1500 "offlink_mtu set"
check_eq "$(echo "$j" | jq -r '.[0].udp_zero_csum')" forward "udp_zero_csum forward"
keynet -n r conf dump dev kn0 >"$T/dump" || fail "conf dump"
grep -qx "OfflinkMTU = 1500" "$T/dump" || fail "conf dump lacks OfflinkMTU"
grep -qx "UDPZeroChecksum = forward" "$T/dump" || fail "conf dump lacks UDPZeroChecksum"
keynet -n r nat64 set dev kn0 udp-zero-csum compute offlink-mtu 1280 || fail "reset"
keynet -n r conf apply "$T/dump" dev kn0 quiet || fail "conf apply of the dump"
check_eq "$(keynet -n r -j nat64 show dev kn0 | jq -r '.[0].offlink_mtu')" 1500 \
	"offlink_mtu back from the dump"
keynet -n r nat64 set dev kn0 udp-zero-csum compute offlink-mtu 1280 || fail "reset"
expect_fail 2 "not ::, ::1, fe80::/10" keynet -n r map add 203.0.113.9 fe80::9 dev kn0
check_eq "$(ns r python3 "$KN_ROOT/selftests/tools/kngen.py" mapnew kn0 203.0.113.9 fe80::9)" \
	-22 "the kernel refuses a link-local map (EINVAL)"
ns r ip link add kn1 type keynet || fail "create kn1"
# kn0 holds the default listen port in r.
keynet -n r link set dev kn1 listen-port 10129 || fail "kn1 listen-port"
ns r ip link set kn1 up || fail "kn1 up"
expect_fail 1 "link-local" keynet -n r nat64 set dev kn1 prefix fe80::/64
keynet -n r nat64 set dev kn1 prefix 64:ff9b:1::/64 ipv4-addr 100.101.0.1 ||
	fail "kn1 local-use prefix"
keynet -n r pool add 100.101.0.0/24 dev kn1 || fail "kn1 pool"
keynet -n r map add 203.0.113.7 2001:db8:1::2 dev kn0 || fail "map add"
ns r ip route add 203.0.113.7/32 dev kn0 || fail "route map"

capture

# ---- martian IPv6 addresses ----
m0=$(n64_stat martian6) x0=$(n64_stat xlat_6to4)
inject kn0 ll_src
wait_for 5 stat_gt kn0 martian6 "$m0" || fail "link-local source not counted"
check_eq $(( $(n64_stat xlat_6to4) - x0 )) 0 "link-local source not translated"
m0=$(n64_stat_of kn1 martian6) i0=$(n64_stat_of kn1 icmp6_sent)
x0=$(n64_stat_of kn1 xlat_6to4)
inject kn1 u_dst
wait_for 5 stat_gt kn1 martian6 "$m0" || fail "u octet not counted"
check_eq $(( $(n64_stat_of kn1 icmp6_sent) - i0 )) 1 "ICMPv6 for the u octet"
# from kn1's own (derived) address: 64:ff9b:1:0:64:6500:100:0
cap_has "nh=58 src=64:ff9b:1:0:64:6500:100:0 .* icmp=1/1" ||
	fail "ICMPv6 1/1 not from the translator's address"
inject kn1 u_ok
wait_for 5 stat_gt kn1 xlat_6to4 "$x0" || fail "u octet 0 not translated"

# ---- prefixes: local-use not restricted, the WKP is ----
x0=$(n64_stat_of kn1 xlat_6to4) n0=$(n64_stat_of kn1 nonglobal)
inject kn1 lu_priv
wait_for 5 stat_gt kn1 xlat_6to4 "$x0" ||
	fail "local-use prefix with a private IPv4 address not translated"
check_eq $(( $(n64_stat_of kn1 nonglobal) - n0 )) 0 "local-use: no nonglobal"
keynet -n r nat64 set dev kn1 prefix 64:ff9b::/96 strict-wkp on || fail "kn1 WKP"
n0=$(n64_stat_of kn1 nonglobal) x0=$(n64_stat_of kn1 xlat_6to4)
inject kn1 wkp_priv
wait_for 5 stat_gt kn1 nonglobal "$n0" || fail "WKP strict: not refused"
keynet -n r nat64 set dev kn1 strict-wkp off || fail "strict-wkp off"
inject kn1 wkp_priv
wait_for 5 stat_gt kn1 xlat_6to4 "$x0" || fail "WKP not strict: not translated"
# no address at all: no error is sent (never from ::)
keynet -n r nat64 set dev kn1 strict-wkp on ipv4-addr none ipv6-addr none || fail "no addresses"
i0=$(n64_stat_of kn1 icmp6_sent) n0=$(n64_stat_of kn1 nonglobal)
inject kn1 wkp_priv
wait_for 5 stat_gt kn1 nonglobal "$n0" || fail "WKP strict again"
check_eq $(( $(n64_stat_of kn1 icmp6_sent) - i0 )) 0 "no ICMPv6 error without an address"
grep -q "src=:: " "$T/cap" && fail "an ICMPv6 error from ::"

# ---- IPv4 protocol 43 ----
p0=$(n64_stat proto) i0=$(n64_stat icmp4_sent) x0=$(n64_stat xlat_4to6)
inject kn0 proto43
wait_for 5 stat_gt kn0 proto "$p0" || fail "protocol 43 not refused"
check_eq $(( $(n64_stat icmp4_sent) - i0 )) 1 "ICMPv4 3/13 for protocol 43"
grep -q "nh=43" "$T/cap" && fail "an IPv6 packet with Next Header 43 came out"
inject kn0 udp_ok4
cap_has "nh=17 .*dport=9999" || fail "UDP 4->6 not delivered"

# ---- UDP zero checksum ----
u0=$(n64_stat udp_zero_csum)
keynet -n r nat64 set dev kn0 udp-zero-csum drop || fail "udp drop"
inject kn0 udp0_4
wait_for 5 stat_gt kn0 udp_zero_csum "$u0" || fail "udp zero not dropped"
keynet -n r nat64 set dev kn0 udp-zero-csum forward || fail "udp forward"
inject kn0 udp0_4
cap_has "nh=17 .*dport=9999 csum=0000" || fail "zero checksum not forwarded as zero"

# ---- offlink-mtu ----
f0=$(n64_stat fragments)
inject kn0 big4
cap_has "nh=44 .*len=1280" || fail "no 1280-byte fragment at the default offlink-mtu"
check_eq $(( $(n64_stat fragments) - f0 )) 2 "two fragments at 1280"
keynet -n r nat64 set dev kn0 offlink-mtu 1500 || fail "offlink-mtu 1500"
f0=$(n64_stat fragments)
inject kn0 big4
cap_has "nh=17 .*len=1420" || fail "not sent whole with offlink-mtu 1500"
check_eq $(( $(n64_stat fragments) - f0 )) 0 "no fragments with offlink-mtu 1500"
echo "ok"
