#!/bin/bash
# timeout: 480
# scope: once (queue bounds are the module's own counters; the NAPI and workqueue paths run on every kernel in 11 and 71)
# Packets waiting for a session are bounded per peer (1,024) and per
# device (16,384 each way, KN_DEV_QUEUE_MAX): 20 peers that never answer
# a handshake are offered 1,100 packets each, so the per-peer bounds alone
# would let 20,480 wait.  Exactly the excess over the device bound is
# dropped (nomem), and the bound is given back when the queues are
# purged: removing the peers and offering the same again drops the same.
#
# Receive: decrypted packets waiting for NAPI (each peer's rx_done, at
# most 1,024) count in the device's receive bound too.  With the
# testing-only debug_rx_hold parameter NAPI delivers nothing, so 20
# senders' 1,100 packets each pile up: at most 16,384 may be held, where
# the per-peer bounds alone would hold 20,480.  Released, every held
# packet reaches the receiving socket, and the bound is given back: a
# second round holds as many again.
. "$KN_ROOT/selftests/lib.sh"

NPEERS=20 PER=1100 DEV_MAX=16384
kn_load
netns_add q
ns q ip link add kn0 type keynet || fail "create kn0"
keynet genkey >/tmp/q.key || fail genkey
keynet -n q link set dev kn0 private-key /tmp/q.key listen-port 10066 || fail "link set"
ns q ip addr add 10.66.255.1/16 dev kn0
ns q ip link set kn0 up || fail "kn0 up"

add_peers() {
	local i
	for i in $(seq 1 $NPEERS); do
		# Endpoints nobody listens on: handshakes go unanswered, so
		# every packet stays queued.
		keynet -n q peer add dev kn0 "$(keynet genkey | keynet pubkey)" \
			endpoint "127.0.0.1:$((20000 + i))" route "10.66.$i.0/24" ||
			fail "peer add $i"
	done
}

offer() {	# one socket per peer, its send buffer big enough for all
	ns q python3 - "$NPEERS" "$PER" <<'PY'
import socket, sys
n, per = int(sys.argv[1]), int(sys.argv[2])
SO_SNDBUFFORCE = 32
sent = 0
for i in range(1, n + 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 64 << 20)
    s.setblocking(False)
    for _ in range(per):
        s.sendto(b"q" * 100, ("10.66.%d.1" % i, 9))
        sent += 1
print(sent)
PY
}

round() {	# round N: offer, check the drops, purge by removing the peers
	local d0 sent d
	add_peers
	d0=$(drops q kn0 nomem)
	sent=$(offer) || fail "round $1: offering packets failed"
	check_eq "$sent" $((NPEERS * PER)) "round $1: packets offered"
	d=$(( $(drops q kn0 nomem) - d0 ))
	info "round $1: $sent offered to $NPEERS peers without a session, $d dropped (nomem), $((sent - d)) queued"
	check_eq "$d" $((sent - DEV_MAX)) "round $1: drops = offered - device bound"
	keynet -n q -j peer show dev kn0 | jq -r '.[].public_key' | while read -r k; do
		keynet -n q peer del dev kn0 "$k" || exit 1
	done || fail "round $1: peer del"
}

round 1
round 2
# Down and up purges the queues too.
add_peers
offer >/dev/null
ns q ip link set kn0 down && ns q ip link set kn0 up || fail "down/up"
d0=$(drops q kn0 nomem)
ns q python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(100):
    s.sendto(b"q" * 100, ("10.66.1.1", 9))
'
check_eq "$(( $(drops q kn0 nomem) - d0 ))" 0 "queues empty after down/up"
ns q ip link del kn0 || fail "delete kn0"

# --- the receive bound, rx_done included ---
HOLD=/sys/module/keynet/parameters/debug_rx_hold
[ -w $HOLD ] || fail "no debug_rx_hold parameter"
netns_add rw rr
keynet genkey >/tmp/r0.key || fail genkey
KR=$(keynet pubkey </tmp/r0.key)
ns rw ip link add r0 type keynet || fail "create r0"
keynet -n rw link set dev r0 private-key /tmp/r0.key listen-port 10067 || fail "r0 key"
# Sender s$i: overlay source 10.68.$i.1, sends to 10.67.$i.1 (one of r0's
# addresses) through its only peer, r0.
for i in $(seq 1 $NPEERS); do echo "link add s$i type keynet"; done |
	ns rw ip -batch - || fail "create the senders"
for i in $(seq 1 $NPEERS); do
	keynet genkey >/tmp/s$i.key &&
	keynet -n rw link set dev s$i private-key /tmp/s$i.key listen-port $((10100 + i)) &&
	keynet -n rw peer add dev s$i "$KR" endpoint 127.0.0.1:10067 route 10.67.$i.1/32 &&
	keynet -n rw peer add dev r0 "$(keynet pubkey </tmp/s$i.key)" \
		endpoint 127.0.0.1:$((10100 + i)) route 10.68.$i.1/32 || fail "sender s$i"
done
for i in $(seq 1 $NPEERS); do
	echo "addr add 10.68.$i.1/32 dev s$i"
	echo "link set s$i up"
	echo "route add 10.67.$i.1/32 dev s$i src 10.68.$i.1"
done | ns rw ip -batch - || fail "sender addresses and routes"
ns rw ip link set r0 netns rr || fail "move r0"
{ for i in $(seq 1 $NPEERS); do echo "addr add 10.67.$i.1/32 dev r0"; done
  echo "link set r0 up"; } | ns rr ip -batch - || fail "r0 addresses"

held() { keynet -n rr -j peer show dev r0 | jq '[.[].rx_packets] | add'; }
send_each() {	# N: N datagrams to each sender's destination, round robin
	ns rw python3 - "$NPEERS" "$1" <<'PY'
import socket, sys
n, per = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 32, 64 << 20)	# SO_SNDBUFFORCE
for _ in range(per):
    for i in range(1, n + 1):
        s.sendto(b"r" * 100, ("10.67.%d.1" % i, 9))
PY
}
# The receiving socket counts what NAPI delivers (port 9 of r0's side).
ns rr python3 - <<'PY' &
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)	# SO_RCVBUFFORCE
s.bind(("0.0.0.0", 9))
s.settimeout(0.3)
n = idle = 0
while idle < 400:	# two minutes without a datagram: the test is over
    try:
        s.recv(2048)
        n += 1
        idle = 0
        if n % 1000:
            continue
    except socket.timeout:
        idle += 1
    open("/tmp/rr.count.new", "w").write("%d\n" % n)
    os.rename("/tmp/rr.count.new", "/tmp/rr.count")
PY
rpid=$!
delivered() { cat /tmp/rr.count 2>/dev/null || echo 0; }
wait_for 30 udp_bound rr 9 || fail "the receiving socket did not start"
# One datagram each brings up the sessions (and reaches the socket).
send_each 1
sessions_up() { [ "$(held)" -ge "$NPEERS" ]; }
wait_for 60 sessions_up || fail "sessions to r0: $(held) of $NPEERS senders got through"
# Everything offered reaches r0 and is either held or dropped (nomem).  A
# few more may be dropped: a round longer than 15 s (the debug kernel)
# makes each sender, which hears no data back, start a new handshake and
# confirm it with a keepalive, and at the full bound a keepalive is
# dropped before decryption could tell it from data.
extra() { echo $(( $(held) - h0 + $(drops rr r0 nomem) - d0 - NPEERS * PER )); }
accounted() { [ "$(extra)" -ge 0 ]; }
got() { [ "$(delivered)" -ge "$1" ]; }
want=$NPEERS
rx_round() {	# round N: hold NAPI, offer 1,100 per sender, check, release
	local h
	h0=$(held) d0=$(drops rr r0 nomem)
	echo 1 >$HOLD
	send_each $PER
	wait_for 60 accounted ||
		fail "rx round $1: held $(( $(held) - h0 )) + dropped $(( $(drops rr r0 nomem) - d0 )) < offered $((NPEERS * PER))"
	h=$(( $(held) - h0 ))
	info "rx round $1: $((NPEERS * PER)) offered to r0 by $NPEERS senders, $h held for NAPI, $(( $(drops rr r0 nomem) - d0 )) dropped (nomem), $(extra) of them not offered (keepalives)"
	[ "$(extra)" -le $((2 * NPEERS)) ] ||
		fail "rx round $1: $(extra) more dropped than offered (more than two keepalives a sender)"
	[ "$h" -le "$DEV_MAX" ] || fail "rx round $1: $h packets held, more than the device bound $DEV_MAX"
	# Not far below either: the bound, not something else, stopped them
	# (each peer may lose at most PER - 1,024 to its own bound).
	[ "$h" -ge $((DEV_MAX - NPEERS * (PER - 1024))) ] ||
		fail "rx round $1: only $h held (is the bound given back?)"
	# Clearing the parameter schedules NAPI again: all are delivered.
	echo 0 >$HOLD
	want=$((want + h))
	wait_for 60 got $want || fail "rx round $1: $(delivered) of $want delivered after release"
}
rx_round 1
rx_round 2
kill_tree $rpid
wait $rpid 2>/dev/null
ns rr ip link del r0 || fail "delete r0"
for i in $(seq 1 $NPEERS); do ns rw ip link del s$i; done
kn_unload
exit 0
