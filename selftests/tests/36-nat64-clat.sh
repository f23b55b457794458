#!/bin/bash
# timeout: 240
# scope: once (CLAT configuration; the Jool PLAT is built for the default kernel only)
# CLAT (464XLAT, RFC 6877; issue 22 item 7): an IPv6-only host h whose
# IPv4 applications reach an IPv4-only server s through a keynet CLAT
# (one static map 192.0.0.1 <-> h's CLAT address, clat on, the IPv4
# default route into the device), an IPv6-only transit router t, and a
# PLAT p (keynet's own NAT64 with a MASQUERADEd pool; then, if
# bench/build-jool.sh built them, Jool NAT64 and Jool SIIT: an EAM of the
# CLAT address to 192.0.2.64, stateless end to end).  ICMP echo, UDP, TCP (bytes compared),
# a UDP datagram without DF larger than every MTU (fragmented, reassembled
# at s, echoed and compared), an ICMP error back to the application (port
# unreachable as ECONNREFUSED), a crypto-key route keeping precedence
# over the CLAT, clat off dropping the same ping (counted), counters.
#
#   h: kncl 192.0.0.1, h0 2001:db8:a::2 --- t --- 2001:db8:b::2 p0 (p)
#   p: kn0 (prefix 64:ff9b:1::/96, pool 100.100.0.0/16) --- 198.51.100.1 ps
#   s: 198.51.100.2 (s0)
# The prefix is RFC 8215's local-use 64:ff9b:1::/96: network-specific,
# so the documentation addresses of s are translated with strict-wkp on.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

PFX=64:ff9b:1::
CLAT6=2001:db8:c1a7::64
SRV=198.51.100.2
JOOL_DIR=$KN_ROOT/build/jool
JOOL=$JOOL_DIR/tools/usr/bin/jool
JOOL_SIIT=$JOOL_DIR/tools/usr/bin/jool_siit
jool_loaded=0
trap 'kill_tree $N64_SERVER_PID $N64_UDP_PID
	[ "$jool_loaded" = 1 ] && { ns p "$JOOL" instance remove plat
		ns p "$JOOL_SIIT" instance remove plat
		rmmod jool_siit jool jool_common; } >/dev/null 2>&1' EXIT

kn_load
netns_add h t p s
ip link add h0 netns h type veth peer name th netns t || fail "veth h"
ip link add p0 netns p type veth peer name tp netns t || fail "veth p"
ip link add s0 netns s type veth peer name ps netns p || fail "veth s"
ns h ip addr add 2001:db8:a::2/64 dev h0 nodad
ns h ip link set h0 up
ns h ip -6 route add default via 2001:db8:a::1
ns t ip addr add 2001:db8:a::1/64 dev th nodad
ns t ip addr add 2001:db8:b::1/64 dev tp nodad
ns t ip link set th up
ns t ip link set tp up
ns t ip -6 route add 2001:db8:c1a7::/64 via 2001:db8:a::2 || fail "t: route to the CLAT /64"
ns t ip -6 route add ${PFX}/96 via 2001:db8:b::2 || fail "t: route to the PLAT"
ns p ip addr add 2001:db8:b::2/64 dev p0 nodad
ns p ip link set p0 up
ns p ip -6 route add default via 2001:db8:b::1
ns p ip addr add 198.51.100.1/24 dev ps
ns p ip link set ps up
ns s ip addr add $SRV/24 dev s0
ns s ip link set s0 up
# h forwards IPv6: replies to its CLAT address are routed into kncl.
ns h sysctl -qw net.ipv6.conf.all.forwarding=1
ns t sysctl -qw net.ipv6.conf.all.forwarding=1
ns p sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# The PLAT: keynet NAT64, the pool MASQUERADEd to p's address.
plat_keynet() {
	ns p ip link add kn0 type keynet || fail "create kn0 in p"
	ns p ip link set kn0 up || fail "kn0 up"
	keynet -n p nat64 set dev kn0 prefix ${PFX}/96 ipv4-addr 100.100.0.1 || fail "p: nat64 set"
	keynet -n p pool add 100.100.0.0/16 dev kn0 || fail "p: pool add"
	ns p ip -6 route add ${PFX}/96 dev kn0 || fail "p: route prefix"
	ns p ip route add 100.100.0.0/16 dev kn0 || fail "p: route pool"
	ns p nft -f - <<-NFT || fail "p: nft"
	table ip plat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "ps" ip saddr 100.100.0.0/16 masquerade
		}
	}
	NFT
}

# The CLAT: the 4 commands of docs/nat64.md (and the address for h's
# IPv4 applications, and the route of the CLAT address into kncl).
ns h ip link add kncl type keynet || fail "create kncl"
ns h ip link set kncl mtu 1400 up || fail "kncl up"
ns h ip addr add 192.0.0.1/32 dev kncl || fail "192.0.0.1 on kncl"
keynet -n h nat64 set dev kncl prefix ${PFX}/96 ipv4-addr 192.0.0.2 clat on ||
	fail "nat64 set clat on"
keynet -n h map add 192.0.0.1 $CLAT6 dev kncl || fail "map add"
ns h ip route add default dev kncl || fail "IPv4 default route into kncl"
ns h ip -6 route add $CLAT6/128 dev kncl || fail "CLAT address into kncl"
check_eq "$(keynet -n h -j nat64 show dev kncl | jq -r '.[0].clat')" true "clat on"

cstat() { keynet -n h -j -s nat64 show dev kncl | jq -r ".[0].stats.$1"; }

# clat_round NAME [SRC]: the traffic checks against the current PLAT; SRC
# is the IPv4 source s sees (default the PLAT's masquerade address).
clat_round() {
	local x4 x6 fr out
	x4=$(cstat xlat_4to6)
	x6=$(cstat xlat_6to4)
	ns h ping -c 3 -i 0.2 -W 2 $SRV >/dev/null || fail "$1: ping from h's IPv4 to s"
	[ "$(cstat xlat_4to6)" -ge $((x4 + 3)) ] || fail "$1: xlat_4to6 $(cstat xlat_4to6) < $x4 + 3"
	[ "$(cstat xlat_6to4)" -ge $((x6 + 3)) ] || fail "$1: xlat_6to4 $(cstat xlat_6to4) < $x6 + 3"

	# UDP, one small datagram there and back.
	n64_udp_echo s 0.0.0.0
	n64_udp_ping h $SRV 100 || fail "$1: UDP echo through the CLAT"
	# Fragments: 3000 bytes without DF (IP_PMTUDISC_DONT) over a 1400
	# MTU: IPv4 fragments, each re-fragmented to 1280 as IPv6 by the
	# CLAT (counter fragments), reassembled at s, echoed back in
	# fragments, reassembled at h, compared.
	fr=$(cstat fragments)
	ns h python3 - $SRV <<-'PY' || fail "$1: a fragmented UDP datagram through the CLAT"
	import os, socket, sys
	c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	c.setsockopt(socket.IPPROTO_IP, 10, 0)	# IP_MTU_DISCOVER: IP_PMTUDISC_DONT
	c.settimeout(2)
	d = os.urandom(3000)
	for _ in range(3):
	    c.sendto(d, (sys.argv[1], 9090))
	    try:
	        r = c.recv(65536)
	    except socket.timeout:
	        continue
	    assert r == d, "payload differs"
	    sys.exit(0)
	sys.exit("no reply")
	PY
	[ "$(cstat fragments)" -gt "$fr" ] || fail "$1: no IPv6 fragments counted on kncl"
	kill_tree $N64_UDP_PID

	# TCP: 300 kB of random bytes there and back, compared.
	n64_tcp_server s 0.0.0.0
	out=$(ns h python3 - $SRV <<-'PY'
	import os, socket, sys
	c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	c.settimeout(20)
	c.connect((sys.argv[1], 8080))
	d = os.urandom(300000)
	c.sendall(d)
	c.shutdown(socket.SHUT_WR)
	buf = b""
	while True:
	    r = c.recv(65536)
	    if not r:
	        break
	    buf += r
	line, _, rest = buf.partition(b"\n")
	assert rest == d, "TCP bytes differ (%d of %d back)" % (len(rest), len(d))
	print(line.decode())
	PY
	) || fail "$1: TCP through the CLAT"
	check_match "$out" "^peer ${2:-198.51.100.1} mss [0-9]+ len 300000$" "$1: TCP seen by s"
	kill_tree $N64_SERVER_PID

	# An ICMP error back to the application: s's port unreachable,
	# translated by the PLAT and the CLAT (its inner packet too).
	ns h python3 - $SRV <<-'PY' || fail "$1: port unreachable not seen as ECONNREFUSED"
	import socket, sys
	u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	u.connect((sys.argv[1], 9999))
	u.settimeout(1)
	for _ in range(5):
	    u.send(b"probe")
	    try:
	        u.recv(100)
	    except ConnectionRefusedError:
	        sys.exit(0)
	    except socket.timeout:
	        pass
	sys.exit("no port unreachable")
	PY
}

plat_keynet
clat_round keynet-plat
info "keynet PLAT: ping, UDP, 300 kB TCP (bytes compared), 3,000-byte datagram without DF, port unreachable: ok"
[ "$(keynet -n p -j nat64 show dev kn0 | jq -r '.[0].pool_used')" -ge 1 ] ||
	fail "the PLAT mapped no CLAT address"
check_eq "$(keynet -n p -j map show dev kn0 | jq -r '.[] | select(.type == "dynamic") | .ipv6')" \
	"$CLAT6" "the PLAT saw the CLAT address as the source"

# A crypto-key route keeps precedence: 10.77.0.0/24 to a peer without an
# endpoint is the tunnel's (dropped as underlay), not translated.
keynet genkey >/tmp/clat-peer.key || fail genkey
keynet -n h peer add dev kncl "$(keynet pubkey </tmp/clat-peer.key)" route 10.77.0.0/24 ||
	fail "peer with an IPv4 route on kncl"
x4=$(cstat xlat_4to6)
u0=$(drops h kncl underlay)
ns h ping -c 1 -W 1 10.77.0.1 >/dev/null 2>&1 && fail "10.77.0.1 answered"
[ "$(drops h kncl underlay)" -gt "$u0" ] || fail "the routed destination was not the tunnel's"
check_eq "$(cstat xlat_4to6)" "$x4" "a routed destination is not translated"

# clat off: the ordinary IPv4 destination goes to the tunnel, no route.
keynet -n h nat64 set dev kncl clat off || fail "clat off"
n0=$(drops h kncl no_route)
x4=$(cstat xlat_4to6)
ns h ping -c 2 -i 0.2 -W 1 $SRV >/dev/null 2>&1 && fail "ping with clat off succeeded"
[ "$(drops h kncl no_route)" -ge $((n0 + 2)) ] ||
	fail "clat off: no_route $(drops h kncl no_route) < $n0 + 2"
check_eq "$(cstat xlat_4to6)" "$x4" "clat off translates nothing"
keynet -n h nat64 set dev kncl clat on || fail "clat on again"
ns h ping -c 1 -W 2 $SRV >/dev/null || fail "ping after clat on again"

# ---- Jool NAT64 as the PLAT ---------------------------------------------------
KVER=$(uname -r)
if [ ! -x "$JOOL" ] || [ ! -f "$JOOL_DIR/mod-$KVER/jool.ko" ]; then
	info "SKIP Jool PLAT: not built for $KVER (bench/build-jool.sh)"
	exit 0
fi
if [ ! -d /sys/module/jool ]; then
	for m in $(modinfo -F depends "$JOOL_DIR/mod-$KVER/jool_common.ko" \
		"$JOOL_DIR/mod-$KVER/jool.ko" | tr ',' ' '); do
		[ "$m" = jool_common ] || modprobe "$m" 2>/dev/null
	done
	if ! insmod "$JOOL_DIR/mod-$KVER/jool_common.ko" ||
	   ! insmod "$JOOL_DIR/mod-$KVER/jool.ko"; then
		info "SKIP Jool PLAT: the jool module did not load"
		exit 0
	fi
	jool_loaded=1
fi
ns p ip link del kn0
ns p nft delete table ip plat
ns p "$JOOL" instance add plat --netfilter --pool6 ${PFX}/96 >/dev/null ||
	fail "jool instance add"
for proto in --tcp --udp --icmp; do
	ns p "$JOOL" -i plat pool4 add $proto 198.51.100.1 1024-65535 >/dev/null ||
		fail "jool pool4 add $proto"
done
clat_round jool-plat
info "Jool NAT64 PLAT ($("$JOOL" --version 2>/dev/null | head -1)): the same round: ok"

# ---- Jool SIIT as the PLAT (stateless: an EAM for the CLAT address) ---------
if [ ! -x "$JOOL_SIIT" ] || [ ! -f "$JOOL_DIR/mod-$KVER/jool_siit.ko" ]; then
	info "SKIP Jool SIIT PLAT: not built for $KVER (bench/build-jool.sh)"
	exit 0
fi
ns p "$JOOL" instance remove plat >/dev/null || fail "jool instance remove"
[ -d /sys/module/jool_siit ] || insmod "$JOOL_DIR/mod-$KVER/jool_siit.ko" ||
	fail "the jool_siit module did not load"
ns p "$JOOL_SIIT" instance add plat --netfilter --pool6 ${PFX}/96 >/dev/null ||
	fail "jool_siit instance add"
ns p "$JOOL_SIIT" -i plat eamt add $CLAT6 192.0.2.64 >/dev/null ||
	fail "jool_siit eamt add"
# s answers 192.0.2.64 through p, whose Jool translates it before routing.
ns s ip route add 192.0.2.0/24 via 198.51.100.1 || fail "s: route to the EAM address"
clat_round jool-siit-plat 192.0.2.64
info "Jool SIIT PLAT ($("$JOOL_SIIT" --version 2>/dev/null | head -1)): the same round, s sees 192.0.2.64: ok"
exit 0
