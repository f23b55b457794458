#!/bin/bash
# timeout: 180
# scope: once (mass expiry batching of the module's own lists; the RCU paths run on every kernel in 63 and 70)
# Many auto-peers leave at once (kmod/beacon.c kn_beacon_expire()): f
# takes N auto-peers from forged beacons (x holds the beacon key) and
# "beacon off" removes them in one request; then it takes N again and
# they all expire.  Both remove the peers in batches with one grace
# period each under RTNL, not one per peer: a kprobe counts the calls of
# synchronize_net() (one "beacon off": at most 3, the peers' batch and
# closing the sockets; the expiry: at most one per tick that removed
# peers, far below N).  Wall times are printed, not asserted: in TCG an
# expedited grace period is short, and host load is the larger noise.
# Timers run 5x fast (expiry after 36 s: a slow VM fills in time).
. "$KN_ROOT/selftests/lib.sh"

DIV=5 N=200
KN_MODPARAMS="debug_timer_div=$DIV" kn_load

stat_ge() { [ "$(bstat f "$1")" -ge "$2" ]; }
npeers() { keynet -n f -j peer show dev kn0 | jq length; }
now_us() { echo "${EPOCHREALTIME/./}"; }
tr=/sys/kernel/tracing
[ -e $tr/kprobe_events ] || mount -t tracefs nodev $tr 2>/dev/null
echo 'p:kn_gp synchronize_net' >$tr/kprobe_events 2>/dev/null &&
	echo 1 >$tr/events/kprobes/kn_gp/enable || skip "no kprobe events"
gp_reset() { echo >$tr/trace; }
gp_count() { grep -c ' kn_gp:' $tr/trace; }

lan_bridge f x
printf 'addr add 10.7.0.1/24 dev eth0\nlink set eth0 up\nlink add kn0 type keynet\n' |
	ip -n f -batch - || fail "f"
{
	echo "addr add 10.7.0.2/24 dev eth0"
	echo "link set eth0 up"
	for i in $(seq 100 199); do echo "addr add 10.7.0.$i/24 dev eth0"; done
} | ip -n x -batch - || fail "x"
keynet genpsk >/tmp/k1
keynet genkey >/tmp/f.key
keynet -n f link set dev kn0 private-key /tmp/f.key || fail "key of f"
ip -n f link set kn0 up || fail "kn0 up"

# COUNT fresh keys from 100 addresses, in rounds of 100 (the queue holds 256).
cat >/tmp/forge.py <<'EOF'
import base64, hashlib, hmac, os, socket, struct, sys, time
bk = base64.b64decode(open(sys.argv[1]).read().strip())
mk = hmac.new(bk, b"keynet beacon mac v1", hashlib.blake2s).digest()
first, count = int(sys.argv[2]), int(sys.argv[3])
socks = []
for i in range(100):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.7.0.%d" % (100 + i), 0))
    socks.append(s)
for i in range(first, first + count):
    body = struct.pack(">4sBBH32sQ", b"KNB1", 1, 0, 27177, os.urandom(32), time.time_ns())
    socks[i % 100].sendto(body + hashlib.blake2s(body, key=mk, digest_size=16).digest(),
                          ("10.7.0.1", 27178))
EOF
fill() {
	local base=$1 k
	for k in $(seq 0 100 $(( N - 1 ))); do
		ns x python3 /tmp/forge.py /tmp/k1 $k 100 || fail "forge"
		wait_for 60 stat_ge peers_added $(( base + k + 100 )) ||
			fail "f added $(bstat f peers_added) peers, want $(( base + k + 100 ))"
	done
}

keynet -n f link set dev kn0 beacon accept beacon-key /tmp/k1 beacon-max-peers 4096 ||
	fail "beacon on f"
fill 0
check_eq "$(bstat f peers_expired)" 0 "expired while filling (too slow a VM?)"
check_eq "$(npeers)" $N "f's auto-peers"
# A request under the same locks that removes nobody, then beacon off.
t0=$(now_us)
keynet -n f link set dev kn0 beacon-max-peers 4095 || fail "max-peers"
t1=$(now_us)
gp_reset
keynet -n f link set dev kn0 beacon off || fail "beacon off"
t2=$(now_us)
gps=$(gp_count)
check_eq "$(npeers)" 0 "f's peers after beacon off"
base=$(( (t1 - t0) / 1000 )) off=$(( (t2 - t1) / 1000 ))
info "beacon off removed $N auto-peers in $off ms with $gps synchronize_net(); a request removing none took $base ms"
[ "$gps" -le 3 ] || fail "beacon off waited for $gps grace periods to remove $N peers"

keynet -n f link set dev kn0 beacon accept || fail "beacon accept again"
fill $N
gp_reset
info "[${SECONDS}s] f has $(npeers) auto-peers again; they expire $(( 180 / DIV )) s after their beacon"
wait_for 90 stat_ge peers_expired $N || fail "only $(bstat f peers_expired) of $N expired"
check_eq "$(npeers)" 0 "f's peers after expiry"
check_eq "$(bstat f peers_expired)" $N "f's peers_expired"
gps=$(gp_count)
info "[${SECONDS}s] all $N expired, with $gps synchronize_net()"
[ "$gps" -le 20 ] || fail "the expiry of $N peers waited for $gps grace periods"
echo 0 >$tr/events/kprobes/kn_gp/enable
echo >$tr/kprobe_events
exit 0
