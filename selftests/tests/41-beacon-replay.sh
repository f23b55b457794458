#!/bin/bash
# timeout: 180
# scope: once (beacon replay protection (pure beacon_frame code); the beacon sockets run on every kernel in 40 and 44)
# Replayed beacons (docs/beacons.md, "Stamps"): x captures one of a's
# announces off the LAN (a plain UDP socket on the beacon port sees the
# broadcast).  a goes away and expires from r; x then replays the frame
# from its own address: r remembers a's last stamp after the auto-peer
# went (replayed, no peer).  s, which never heard a, runs a 1 s stamp
# window: the same frame, seconds old, is stale there; a fresh frame
# under the same key is taken.  Timers run 20x fast.
. "$KN_ROOT/selftests/lib.sh"

DIV=20
KN_MODPARAMS="debug_timer_div=$DIV" kn_load

stat_ge() { [ "$(bstat "$1" "$2")" -ge "$3" ]; }
peers_of() {
	keynet -n "$1" -j peer show dev kn0 | jq -r '[.[] | .public_key] | sort | join(" ")'
}
peers_are() { [ "$(peers_of "$1")" = "$2" ]; }

lan_bridge a r s x
lan_hosts a r s x
keynet genpsk >/tmp/k1
declare -A PUB
for n in a r s; do
	keynet genkey >/tmp/$n.key
	PUB[$n]=$(keynet pubkey </tmp/$n.key)
	keynet -n $n link set dev kn0 private-key /tmp/$n.key || fail "key of $n"
	ip -n $n link set kn0 up || fail "kn0 up in $n"
done

cat >/tmp/beacon.py <<'EOF'
import base64, hashlib, hmac, os, socket, struct, sys, time
what = sys.argv[1]
if what == "capture":     # the first announce from SRC, as hex, to FILE
    src, out = sys.argv[2], sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 27178))
    s.settimeout(30)
    while True:
        data, (addr, port) = s.recvfrom(2048)
        if addr == src and len(data) == 64 and data[4] == 1:
            open(out + ".tmp", "w").write(data.hex())
            os.rename(out + ".tmp", out)
            break
elif what == "replay":    # FILE's frame from this node's address to DST
    data, dst = bytes.fromhex(open(sys.argv[2]).read()), sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(data, (dst, 27178))
elif what == "fresh":     # a new key's announce, stamped now, under KEY
    bk = base64.b64decode(open(sys.argv[2]).read().strip())
    mk = hmac.new(bk, b"keynet beacon mac v1", hashlib.blake2s).digest()
    body = struct.pack(">4sBBH32sQ", b"KNB1", 1, 0, 27177, os.urandom(32),
                       time.time_ns())
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(body + hashlib.blake2s(body, key=mk, digest_size=16).digest(),
             (sys.argv[3], 27178))
EOF

rm -f /tmp/captured
ns x timeout 40 python3 /tmp/beacon.py capture 10.7.0.1 /tmp/captured &
capturer=$!
# r keeps a day-long window: only its memory of a's stamp stops the replay.
keynet -n r link set dev kn0 beacon accept beacon-key /tmp/k1 beacon-stamp-window 86400 ||
	fail "beacon on r"
check_eq "$(keynet -n r -j link show dev kn0 | jq .[0].beacon.stamp_window)" 86400 "r's window"
keynet -n a link set dev kn0 beacon send beacon-dev eth0 beacon-key /tmp/k1 || fail "beacon on a"
wait_for 20 peers_are r "${PUB[a]}" || fail "r never added a: '$(peers_of r)'"
wait $capturer || fail "x captured no announce of a"
t_cap=$(date +%s%N)
info "[${SECONDS}s] a is r's auto-peer; x captured $(head -c 16 /tmp/captured)..."

ip -n a link del kn0 || fail "cannot delete a's kn0"
wait_for 30 peers_are r "" || fail "a did not expire from r: '$(peers_of r)'"
check_eq "$(bstat r peers_expired)" 1 "r's peers_expired"
r0=$(bstat r replayed)
info "[${SECONDS}s] a expired from r; x replays its announce from 10.7.0.4"

ns x python3 /tmp/beacon.py replay /tmp/captured 10.7.0.2 || fail "replay to r"
wait_for 10 stat_ge r replayed $(( r0 + 1 )) ||
	fail "r did not count the replay (replayed $(bstat r replayed), peers '$(peers_of r)')"
check_eq "$(peers_of r)" "" "r's peers after the replay"
check_eq "$(bstat r peers_added)" 1 "r's peers_added after the replay"

# s: never heard a; a 1 s window.  The capture is older than that by now.
keynet -n s link set dev kn0 beacon accept beacon-key /tmp/k1 beacon-stamp-window 1 ||
	fail "beacon on s"
age=$(( ($(date +%s%N) - t_cap) / 1000000 ))
[ $age -gt 1500 ] || fail "the capture is only $age ms old"
ns x python3 /tmp/beacon.py replay /tmp/captured 10.7.0.3 || fail "replay to s"
wait_for 10 stat_ge s stale 1 ||
	fail "s did not count the $age ms old frame stale (peers '$(peers_of s)')"
check_eq "$(peers_of s)" "" "s's peers after the stale replay"
# A frame stamped now passes the same window.
ns x python3 /tmp/beacon.py fresh /tmp/k1 10.7.0.3 || fail "fresh frame to s"
wait_for 10 stat_ge s peers_added 1 || fail "s refused a fresh frame (stale $(bstat s stale))"
check_eq "$(bstat s stale)" 1 "s's stale"
check_eq "$(keynet -n s -j peer show dev kn0 | jq '[.[] | select(.public_key == "'"${PUB[a]}"'")] | length')" \
	0 "a among s's peers"
keynet -n r -s link show dev kn0 | sed -n 's/^ *\(beacon\)/# r: \1/p'
keynet -n s -s link show dev kn0 | sed -n 's/^ *\(beacon\)/# s: \1/p'
exit 0
