#!/bin/bash
# timeout: 240
# Parallel crypto (issue 23, kmod/crypt.c): one peer's packets are sealed
# and opened on several CPUs and put back in order before they are sent
# and delivered; parallel_crypto=N keeps each peer's crypto in its own
# work.  Asserts, on the tunnel of kn_pair:
# - order: 20,000 numbered UDP datagrams a -> b as fast as one sender
#   can, parallel crypto on: the receiver sees them in strictly rising
#   order (losses allowed, no reordering), and no replay or bad-mac drop;
# - bytes: 16 MB of random data over TCP a -> b while parallel_crypto
#   flips every 0.2 s: the receiver's copy has the same SHA-256;
# - serial mode (parallel_crypto=N): the same transfer, same checksum;
# - lifetimes: the peer on b deleted and re-added 20 times under a ping
#   flood while the parameter flips (a packet in a crypt worker when its
#   peer goes must neither be lost track of nor touch the freed peer: the
#   kernel WARNs in kn_peer_release() otherwise, and KASAN on the debug
#   kernel); the tunnel works after it.
. "$KN_ROOT/selftests/lib.sh"

param=/sys/module/keynet/parameters/parallel_crypto
flipper=""
cleanup() {
	[ -n "$flipper" ] && kill "$flipper" 2>/dev/null
	[ -w "$param" ] && echo Y >"$param"
	kill_tree $(jobs -p) 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

kn_pair v4
[ -w "$param" ] || fail "no writable $param"
check_eq "$(cat "$param")" Y "parallel_crypto's default"
ns a ping -c 3 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "no tunnel"

drops_ok() {	# NS DEV: no replay and no bad-mac drop
	local r m
	r=$(drops "$1" "$2" replay) m=$(drops "$1" "$2" bad_mac)
	check_eq "$r/$m" "0/0" "replay/bad-mac drops on $1's $2"
}

# --- order ----------------------------------------------------------------
ns b python3 - >/tmp/kn-order.out 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(("192.168.241.2", 9000))
s.settimeout(5)
last, n, bad = -1, 0, 0
try:
    while True:
        d, _ = s.recvfrom(2048)
        seq = int.from_bytes(d[:4], "big")
        if seq == 0xffffffff:
            break
        if seq <= last:
            bad += 1
        last = seq
        n += 1
except socket.timeout:
    pass
print(n, bad, last)
PY
recv=$!
sleep 1
ns a python3 - <<'PY' || fail "UDP sender"
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
pad = bytes(996)
for i in range(20000):
    try:
        s.sendto(i.to_bytes(4, "big") + pad, ("192.168.241.2", 9000))
    except OSError:
        time.sleep(0.001)
time.sleep(1)
for _ in range(3):
    s.sendto(b"\xff\xff\xff\xff", ("192.168.241.2", 9000))
PY
wait "$recv"
read -r got reordered last </tmp/kn-order.out || fail "receiver: $(cat /tmp/kn-order.out)"
info "order: $got of 20000 datagrams received, $reordered out of order (last $last)"
[ "$got" -ge 1000 ] || fail "only $got datagrams arrived"
check_eq "$reordered" 0 "datagrams received out of order with parallel crypto"
drops_ok a kn0
drops_ok b kn1

# --- bytes --------------------------------------------------------------------
head -c 16M /dev/urandom >/tmp/kn-blob
want=$(sha256sum </tmp/kn-blob | cut -d' ' -f1)
transfer() {	# LABEL: 16 MB a -> b over TCP, checksum compared
	local got
	rm -f /tmp/kn-blob.rx
	ns b nc -l -N 192.168.241.2 9001 >/tmp/kn-blob.rx &
	local srv=$!
	listening() { ns b ss -ltnH 'sport = :9001' | grep -q LISTEN; }
	wait_for 5 listening || fail "$1: no listener"
	ns a nc -N -w 10 192.168.241.2 9001 </tmp/kn-blob || fail "$1: sender"
	wait "$srv"
	got=$(sha256sum </tmp/kn-blob.rx | cut -d' ' -f1)
	check_eq "$got" "$want" "SHA-256 of what b received ($1)"
}
flip() {
	local v=N
	while :; do echo $v >"$param"; [ $v = N ] && v=Y || v=N; sleep 0.2; done
}
flip &
flipper=$!
transfer "parallel_crypto flipping"
kill "$flipper"; wait "$flipper" 2>/dev/null; flipper=""
echo N >"$param"
transfer "serial"
echo Y >"$param"
transfer "parallel"
drops_ok a kn0
drops_ok b kn1

# --- lifetimes ----------------------------------------------------------------
ns a ping -f -W 1 192.168.241.2 >/dev/null 2>&1 &
pinger=$!
flip &
flipper=$!
for i in $(seq 20); do
	keynet -n b peer del dev kn1 "$KA" || fail "peer del ($i)"
	keynet -n b peer add dev kn1 "$KA" endpoint 127.0.0.1:10001 \
		route 192.168.241.1/32 route fd00::1/128 || fail "peer add ($i)"
	sleep 0.1
done
kill "$flipper"; wait "$flipper" 2>/dev/null; flipper=""
echo Y >"$param"
kill "$pinger"; wait "$pinger" 2>/dev/null
wait_for 20 ns a ping -c 1 -W 1 192.168.241.2 || fail "tunnel dead after the peer churn"
info "lifetimes: 20 deletions under a ping flood with parallel_crypto flipping; tunnel up"
exit 0
