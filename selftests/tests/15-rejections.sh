#!/bin/bash
# timeout: 180
# scope: once (handshake rejection logic of the module's own protocol code; the socket paths run on every kernel in 11 and 61)
# Hostile and broken underlay packets are dropped and counted by reason:
# a replayed data packet, a tampered one (wrong key/tag), garbage, short
# and truncated messages, a handshake from an unknown key, a low-order
# ephemeral key, and a low-order peer key refused at configuration.
. "$KN_ROOT/selftests/lib.sh"

kn_pair v4
ns a ping -c 2 -i 0.2 -W 3 192.168.241.2 >/dev/null || fail "tunnel did not come up"

# Capture one data message a sends to b (UDP to port 10002 on lo).
ns wire python3 - >/tmp/captured.hex <<'PY' &
import socket, struct
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
s.bind(("lo", 0))
s.settimeout(20)
open("/tmp/sniffer.ready", "w").close()
while True:
    pkt = s.recv(65535)
    ihl = (pkt[0] & 15) * 4
    if pkt[9] != 17:
        continue
    sport, dport, ulen = struct.unpack("!HHH", pkt[ihl:ihl + 6])
    payload = pkt[ihl + 8:ihl + ulen]
    if dport == 10002 and payload[:4] == b"\x04\0\0\0" and len(payload) > 32:
        print(payload.hex())
        break
PY
sniffer=$!
wait_for 20 test -e /tmp/sniffer.ready || fail "sniffer did not start"
ns a ping -c 3 -i 0.3 -W 2 192.168.241.2 >/dev/null
wait $sniffer
[ -s /tmp/captured.hex ] || fail "no data packet captured"

before() { for r in "$@"; do eval "b_$r=$(drops b kn1 $r)"; done; }
# rose REASON N: the counter rose by N or more since before().
rose() {
	local was
	eval "was=\$b_$1"
	[ $(( $(drops b kn1 "$1") - was )) -ge "$2" ]
}
expect_up() {	# expect_up REASON N: the counter rose by N (once it has, by no more)
	local now
	wait_for 5 rose "$1" "$2"
	now=$(drops b kn1 "$1")
	eval "local was=\$b_$1"
	check_eq "$((now - was))" "$2" "drop counter $1"
}

send() {	# send HEX...: each as one datagram to b's port from port 40000
	ns wire python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 40000))
for h in sys.argv[1:]:
    s.sendto(bytes.fromhex(h), ("127.0.0.1", 10002))
' "$@"
}

pkt=$(cat /tmp/captured.hex)
before replay bad_mac too_short bad_type low_order unknown_peer
send "$pkt"
expect_up replay 1
# Flip one bit of the ciphertext: the tag no longer verifies.
last=$(( ${#pkt} - 2 ))
flipped=${pkt:0:$last}$(printf '%02x' $(( 0x${pkt:$last:2} ^ 1 )))
send "$flipped"
expect_up bad_mac 1
send 0400 010000 04000000aabbccdd0011223344556677 \
	01000000$(printf '00%.0s' $(seq 1 100))
expect_up too_short 4
send 77000000deadbeef 04010000$(printf 'ff%.0s' $(seq 1 40))
expect_up bad_type 2

# A handshake initiation with a low-order ephemeral key and a valid mac1.
ns wire python3 - "$KB" <<'PY'
import base64, hashlib, socket, sys
pub = base64.b64decode(sys.argv[1])
msg = bytearray(148)
msg[0] = 1
msg[4:8] = (1234).to_bytes(4, "little")
msg[8:40] = bytes(32)                   # the identity point: order 1
mac1_key = hashlib.blake2s(b"mac1----" + pub).digest()
msg[116:132] = hashlib.blake2s(bytes(msg[:116]), digest_size=16, key=mac1_key).digest()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes(msg), ("127.0.0.1", 10002))
PY
expect_up low_order 1

# A handshake from a key b does not know: a third device c knows b.
ns wire ip link add kn2 type keynet
keynet genkey >/tmp/kn-c.key
keynet -n wire link set dev kn2 private-key /tmp/kn-c.key listen-port 10003
keynet -n wire peer add dev kn2 "$KB" endpoint 127.0.0.1:10002 route 10.99.0.0/16
ns wire ip link set kn2 up
ns wire ip addr add 10.99.0.2/16 dev kn2
ns wire ping -c 1 -W 1 10.99.0.1 >/dev/null 2>&1
wait_for 5 rose unknown_peer 1 || fail "unknown peer's handshake not counted"

# A low-order public key is refused as a peer.
expect_fail 1 "low-order" keynet -n b peer add dev kn1 \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
expect_fail 1 "low-order" keynet -n b peer add dev kn1 \
	"4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA="

# A destination routed to no peer: counted, and the sender is told with
# an ICMP / ICMPv6 Destination Unreachable.
# (The device's own IPv6 multicast, router solicitations and MLD reports,
# has no route either and is counted too: at least, not exactly.)
before_nr=$(drops a kn0 no_route)
out=$(ns a ping -c 1 -W 2 192.168.241.99 2>&1) && fail "ping to an unrouted IPv4 address succeeded"
check_match "$out" "Destination Host Unreachable" "ICMP destination unreachable for no route"
after_v4=$(drops a kn0 no_route)
[ "$after_v4" -ge $((before_nr + 1)) ] || fail "no_route drops (IPv4): $before_nr -> $after_v4"
out=$(ns a ping -6 -c 1 -W 2 fd00::99 2>&1) && fail "ping to an unrouted IPv6 address succeeded"
check_match "$out" "Destination unreachable" "ICMPv6 destination unreachable for no route"
[ "$(drops a kn0 no_route)" -ge $((after_v4 + 1)) ] || fail "no_route drops (IPv6)"

# The tunnel still works after all that.
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel broken after rejections"
exit 0
