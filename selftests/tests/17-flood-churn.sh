#!/bin/bash
# timeout: 180
# scope: once (flood and churn logic of the module's own queues; the kernel's workqueue and NAPI paths run on every kernel in 64-66)
# Under a flood of handshake initiations the device answers with cookie
# replies instead of doing Curve25519 work; adding and removing other peers at run time does not disturb an
# established tunnel's traffic.
. "$KN_ROOT/selftests/lib.sh"

kn_pair v4
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel did not come up"
rl_before=$(drops b kn1 rate_limited)

# 4000 initiations with a valid mac1 for b's key from 400 source
# addresses (127.1.0.0/16 is local too), 10 each, queued while the
# handshake worker is held (testing-only debug_hs_hold: how fast a flood
# must be to outrun the worker depends on the kernel - a sanitizer kernel
# slows the generator as much as the worker).  Released, the worker finds
# the queue long (>= 512), so the device is under load: every one of the
# first 3,488 gets a cookie reply instead of Curve25519 work, and the
# rest too while the load lasts (a second after the queue drained).
HS_HOLD=/sys/module/keynet/parameters/debug_hs_hold
[ -w $HS_HOLD ] || fail "no debug_hs_hold parameter"
trap 'echo 0 >$HS_HOLD' EXIT
echo 1 >$HS_HOLD
bm0=$(drops b kn1 bad_mac)
replies=$(ns wire python3 - "$KB" "$HS_HOLD" <<'PY'
import base64, hashlib, os, socket, sys, time
pub = base64.b64decode(sys.argv[1])
mac1_key = hashlib.blake2s(b"mac1----" + pub).digest()
socks = []
for i in range(400):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.1.%d.%d" % (i // 250, i % 250 + 1), 41000))
    s.setblocking(False)
    socks.append(s)
for n in range(4000):
    msg = bytearray(os.urandom(148))
    msg[0:4] = b"\x01\0\0\0"
    msg[116:132] = hashlib.blake2s(bytes(msg[:116]), digest_size=16, key=mac1_key).digest()
    msg[132:148] = bytes(16)
    socks[n % 400].sendto(bytes(msg), ("127.0.0.1", 10002))
open(sys.argv[2], "w").write("0\n")	# release the worker
cookies = 0
deadline = time.time() + 60
last = time.time()
while time.time() < deadline and time.time() - last < 3:
    for s in socks:
        try:
            while True:
                d = s.recv(2048)
                if len(d) == 64 and d[0] == 3:
                    cookies += 1
                    last = time.time()
        except BlockingIOError:
            pass
    time.sleep(0.05)
print(cookies)
PY
)
rl=$(( $(drops b kn1 rate_limited) - rl_before ))
bm=$(( $(drops b kn1 bad_mac) - bm0 ))
info "flood: $replies cookie replies received, $rl initiations rate-limited, $bm cost a Curve25519 (bad_mac)"
[ "$replies" -ge 3488 ] ||
	fail "$replies cookie replies for 4000 initiations under load (b's drops: $(keynet -n b -j link show dev kn1 | jq -c '.[0].drops'))"
[ "$rl" -ge "$replies" ] || fail "$rl counted rate-limited, fewer than the $replies cookie replies"
[ "$bm" -le 512 ] || fail "$bm of 4000 initiations cost a Curve25519 under load"
# The established session is untouched and a new handshake still works.
ns a ping -c 3 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel broken by the flood"

# Peer churn on a while b pings a: no reply lost.
ns b ping -c 60 -i 0.1 -W 1 192.168.241.1 >/tmp/ping.out 2>&1 &
pinger=$!
for round in 1 2 3; do
	keys=()
	for i in $(seq 1 30); do
		k=$(keynet genkey | keynet pubkey)
		keys+=("$k")
		keynet -n a peer add dev kn0 "$k" endpoint 127.0.0.1:$((20000 + i)) \
			route 10.$round.$i.0/24 || fail "churn: peer add"
	done
	for k in "${keys[@]}"; do
		keynet -n a peer del dev kn0 "$k" || fail "churn: peer del"
	done
done
wait $pinger
received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/ping.out)
info "churn: 180 peers added and removed; ping $received of 60"
check_eq "$received" 60 "replies during peer churn"
check_eq "$(keynet -n a -j link show dev kn0 | jq '.[0].peer_count')" 1 "peers left after churn"
exit 0
