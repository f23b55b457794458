#!/bin/bash
# timeout: 180
# scope: once (beacon flood limits of the module's own buckets; the beacon sockets run on every kernel in 40 and 44)
# A flood of forged beacons (no beacon key) from spoofed sources does not
# keep two real nodes from meeting (docs/security.md, "Beacons").  x
# sends raw Ethernet frames (a packet socket) as fast as it can: beacons
# with random keys and MACs, from a's and b's own IPv4 and IPv6 addresses
# (to exhaust any limiter keyed on the source) and from random ones, to
# the IPv4 broadcast and ff02::1.  Under that flood a and b turn beacons
# on and must reach each other over their key-derived addresses within
# 20 s; the flood must have been seen (bad_mac) and rejected before the
# queue (no rate_limited).  Timers run 20x fast.
. "$KN_ROOT/selftests/lib.sh"

DIV=20
KN_MODPARAMS="debug_timer_div=$DIV" kn_load

has_peer() { keynet -n "$1" -j peer show dev kn0 | jq -e ".[] | select(.public_key == \"$2\")"; }

lan_bridge a b x
lan_hosts a b x
keynet genpsk >/tmp/k1
declare -A PUB ADDR LL
link_local() { ip -n "$1" -6 addr show dev eth0 scope link | grep -q inet6; }
for n in a b; do
	keynet genkey >/tmp/$n.key
	PUB[$n]=$(keynet pubkey </tmp/$n.key)
	ADDR[$n]=$(keynet addr "${PUB[$n]}")
	keynet -n $n link set dev kn0 private-key /tmp/$n.key || fail "key of $n"
	ip -n $n link set kn0 up || fail "kn0 up in $n"
	wait_for 10 link_local $n || fail "no link-local address on $n"
	LL[$n]=$(ip -n $n -6 addr show dev eth0 scope link | sed -n 's/.*inet6 \([^/]*\).*/\1/p')
done

cat >/tmp/flood.py <<'EOF'
import os, random, socket, struct, sys, time
secs, srcs4, srcs6 = float(sys.argv[1]), sys.argv[2].split(","), sys.argv[3].split(",")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
mac = s.getsockname()[4]
def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff
def beacon():      # the layout of a beacon, a random key, a wrong MAC
    return struct.pack(">4sBBH", b"KNB1", 1, 0, 27177) + os.urandom(56)
def v4(src):
    udp = struct.pack("!HHHH", 27178, 27178, 72, 0) + beacon()
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 92, 0, 0, 64, 17, 0,
                     socket.inet_aton(src), b"\xff\xff\xff\xff")
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\xff" * 6 + mac + b"\x08\x00" + ip + udp
def v6(src):
    s6, d6 = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, "ff02::1")
    body = beacon()
    udp = struct.pack("!HHHH", 27178, 27178, 72, 0) + body
    c = csum(s6 + d6 + struct.pack("!IxxxB", 72, 17) + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!IHBB", 0x60000000, 72, 17, 255) + s6 + d6
    return b"\x33\x33\x00\x00\x00\x01" + mac + b"\x86\xdd" + ip + udp
pkts = []
for i in range(512):
    if i % 4 == 3:     # a random source
        pkts.append(v4("10.7.%d.%d" % (random.randrange(1, 250), random.randrange(1, 250)))
                    if i % 8 == 3 else v6("fe80::%x:%x" % (random.randrange(65536), random.randrange(65536))))
    elif i % 2:
        pkts.append(v4(srcs4[i % len(srcs4)]))
    else:
        pkts.append(v6(srcs6[i % len(srcs6)]))
n, end = 0, time.time() + secs
while time.time() < end:
    for p in pkts:
        s.send(p)
    n += len(pkts)
print(n)
EOF
# Accept (no announces, so they cannot meet yet): the sockets are open.
for n in a b; do
	keynet -n $n link set dev kn0 beacon accept beacon-dev eth0 beacon-key /tmp/k1 ||
		fail "beacon accept on $n"
done
ns x python3 /tmp/flood.py 60 10.7.0.1,10.7.0.2 "${LL[a]},${LL[b]}" >/tmp/flood.out 2>&1 &
flooder=$!
# The flood reaches both (counted either way, before the beacons start).
wait_for 20 stat_sum_ge a bad_mac rate_limited 1000 || fail "the flood does not reach a: $(cat /tmp/flood.out)"
wait_for 20 stat_sum_ge b bad_mac rate_limited 1000 || fail "the flood does not reach b"
rl0=$(( $(bstat a rate_limited) + $(bstat b rate_limited) ))
bm0=$(bstat b bad_mac)
t0=$(date +%s%N)
keynet -n a link set dev kn0 beacon send || fail "beacon send on a"
keynet -n b link set dev kn0 beacon send || fail "beacon send on b"
ok=0
if wait_for 20 has_peer a "${PUB[b]}" && wait_for 10 has_peer b "${PUB[a]}" &&
	wait_for 10 ns a ping -6 -c 1 -W 1 "${ADDR[b]}"; then
	ok=1
fi
t1=$(date +%s%N)
kill_tree "$flooder"
wait "$flooder"
keynet -n a -s link show dev kn0 | sed -n 's/^ *\(beacon\)/# a: \1/p'
keynet -n b -s link show dev kn0 | sed -n 's/^ *\(beacon\)/# b: \1/p'
[ $ok = 1 ] || fail "a and b did not meet under the flood within 20 s"
info "a and b met and pinged $(( (t1 - t0) / 1000000 )) ms after beacons started, under the flood"
bm=$(( $(bstat b bad_mac) - bm0 ))
[ $bm -ge 1000 ] || fail "b counted only $bm forged frames while they met"
info "b rejected $bm forged frames (bad_mac) while they met"
rl=$(( $(bstat a rate_limited) + $(bstat b rate_limited) - rl0 ))
[ $rl -le 10 ] || fail "$rl frames rate-limited during the flood: forged frames reached the limiter"
exit 0
