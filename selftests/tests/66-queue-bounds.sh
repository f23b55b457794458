#!/bin/bash
# timeout: 240
# Packets waiting for a session are bounded per peer (1,024) and per
# device (16,384 each way, KN_DEV_QUEUE_MAX): 20 peers that never answer
# a handshake are offered 1,100 packets each, so the per-peer bounds alone
# would let 20,480 wait.  Exactly the excess over the device bound is
# dropped (nomem), and the bound is given back when the queues are
# purged: removing the peers and offering the same again drops the same.
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
kn_unload
exit 0
