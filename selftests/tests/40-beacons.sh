#!/bin/bash
# timeout: 240
# LAN beacons (docs/beacons.md).  Nodes a, b (send) and c (accept) share a
# beacon key on one bridge, d (send) has another: with no "peer add",
# a, b and c find each other and pass TCP over their key-derived
# addresses, d is ignored (bad_mac) and finds nobody.  A node that goes
# away expires from the others; beacon off drops auto-peers; a manual
# peer is never touched.  On a fresh node f: no beacon key (no_key),
# malformed frames, the cap against 100 forged beacons from 100
# addresses, and the per-source rate limit.  Timers run 20x fast.
. "$KN_ROOT/selftests/lib.sh"

DIV=20
KN_MODPARAMS="debug_timer_div=$DIV" kn_load
check_eq "$(cat /sys/module/keynet/parameters/debug_timer_div)" $DIV "module parameter"

# Milliseconds, from bash's own clock (no process: they start slowly under TCG).
now_ms() { local us=${EPOCHREALTIME/./}; echo $(( us / 1000 )); }
# All beacon counters of a node at once, as $s_sent, $s_bad_mac, ...
bstats() {
	eval "$(keynet -n "$1" -j -s link show dev kn0 |
		jq -r '.[0].beacon.stats | to_entries[] | "s_\(.key)=\(.value)"')"
}
# The base64 keys of a node's auto-peers (or manual ones: $2 = false), sorted.
peers_of() {
	keynet -n "$1" -j peer show dev kn0 |
		jq -r "[.[] | select(.auto == ${2:-true}) | .public_key] | sort | join(\" \")"
}
sorted() { printf '%s\n' "$@" | sort | paste -sd' ' -; }
# For wait_for, which runs its command again and again: evaluated each time.
peers_are() { [ "$(peers_of "$1")" = "$2" ]; }
stat_ge() { [ "$(bstat "$1" "$2")" -ge "$3" ]; }

# --- the LAN: a bridge in "lan", eth0 of every node on it -----------------
# (Batched: every process start is slow under TCG.)
lan_bridge a b c d f x
lan_hosts a b c d f x
for k in k1 k2 k3; do keynet genpsk >/tmp/$k; done
declare -A PUB ADDR
for n in a b c d f; do
	keynet genkey >/tmp/$n.key
	PUB[$n]=$(keynet pubkey </tmp/$n.key)
	ADDR[$n]=$(keynet addr "${PUB[$n]}")
	keynet -n $n link set dev kn0 private-key /tmp/$n.key || fail "key of $n"
	ip -n $n link set kn0 up || fail "kn0 up in $n"
done
ip -n a -6 addr show dev kn0 | grep -q "${ADDR[a]}" || fail "a has no derived address on kn0"

info "[${SECONDS}s] set up"
# --- tool: settings, refusals -----------------------------------------------
expect_fail 2 "invalid beacon mode 'on': expected 'off', 'accept' or 'send'" \
	keynet -n a link set dev kn0 beacon on
expect_fail 2 "invalid beacon port '0'" keynet -n a link set dev kn0 beacon-port 0
expect_fail 1 "unknown interface 'nosuch'" keynet -n a link set dev kn0 beacon-dev nosuch
expect_fail 1 "a keynet device cannot carry beacons" \
	keynet -n a link set dev kn0 beacon-dev kn0
expect_fail 2 "invalid beacon-max-peers '5000'" \
	keynet -n a link set dev kn0 beacon-max-peers 5000
expect_fail 2 "invalid beacon-stamp-window '86401'" \
	keynet -n a link set dev kn0 beacon-stamp-window 86401
check_eq "$(keynet -n a -j link show dev kn0 | jq -c '.[0].beacon')" \
	'{"mode":"off","port":27178,"devs":[],"has_key":false,"max_peers":64,"stamp_window":300}' "default beacon settings"

info "[${SECONDS}s] tool checked"
# --- discovery ----------------------------------------------------------------
# b's events, to see auto_peer_added and auto_peer_expired, each line
# prefixed with the time (ms) it arrived.
(sh -c 'echo $$ >/tmp/monitor.pid; exec keynet -n b -j monitor' 2>&1 |
	while read -r l; do echo "$(now_ms) $l"; done) >/tmp/events.b &
monitor=$!
keynet -n c link set dev kn0 beacon accept beacon-dev eth0 beacon-key /tmp/k1 || fail "beacon on c"
keynet -n d link set dev kn0 beacon send beacon-dev eth0 beacon-key /tmp/k2 || fail "beacon on d"
# From two nodes starting beacons to the first packet between them: a
# pings b every 50 ms from before either starts (-D: reply timestamps;
# no -w: with a deadline ping stops at the first "unreachable").
ns a sh -c 'echo $$ >/tmp/ping.pid; exec stdbuf -oL ping -6 -D -n -i 0.05 -c 800 "$0"' \
	"${ADDR[b]}" >/tmp/ping.ab 2>&1 &
pinger=$!
# The monitor has joined the events group; ping has started.
started() { in_poll "$(cat /tmp/monitor.pid 2>/dev/null)" && [ -s /tmp/ping.ab ]; }
wait_for 10 started || fail "monitor or ping did not start"
t0=$(now_ms)
keynet -n a link set dev kn0 beacon send beacon-dev eth0 beacon-key /tmp/k1 || fail "beacon on a"
keynet -n b link set dev kn0 beacon send beacon-dev eth0 beacon-key /tmp/k1 || fail "beacon on b"
t1=$(now_ms)
wait_for 30 grep -q "bytes from" /tmp/ping.ab || fail "a never reached b over beacons"
kill "$(cat /tmp/ping.pid)"
wait $pinger
t2=$(sed -n 's/^\[\([0-9]*\)\.\([0-9]\{3\}\).*bytes from.*/\1\2/p' /tmp/ping.ab | head -n 1)
info "first packet a<->b $(( t2 - t0 )) ms after a's 'beacon send' began; the commands on a and b took $(( t1 - t0 )) ms (timers /$DIV scale only the first announce's 0-250 ms jitter here)"
check_match "$(keynet -n a link show dev kn0)" \
	"beacon send port 27178 dev eth0 key set max-peers 64" "link show beacon line"

want_a=$(sorted "${PUB[b]}" "${PUB[c]}")
want_b=$(sorted "${PUB[a]}" "${PUB[c]}")
want_c=$(sorted "${PUB[a]}" "${PUB[b]}")
wait_for 20 peers_are a "$want_a" || fail "a's auto-peers: '$(peers_of a)', want '$want_a'"
wait_for 20 peers_are b "$want_b" || fail "b's auto-peers: '$(peers_of b)', want '$want_b'"
wait_for 20 peers_are c "$want_c" || fail "c's auto-peers: '$(peers_of c)', want '$want_c'"
for n in a b c; do
	check_eq "$(keynet -n $n -j peer show dev kn0 |
		jq -r '"\([.[] | select(.auto | not)] | length) \([.[] | select(.has_psk)] | length)"')" \
		"0 2" "manual peers, peers with the derived PSK on $n"
done
check_match "$(keynet -n a peer show dev kn0)" "auto: yes" "peer show marks auto-peers"

# TCP between each pair over the key-derived addresses (auto /128 routes).
head -c 100000 /dev/urandom >/tmp/payload
tcp_pair() {
	local from=$1 to=$2 try
	rm -f /tmp/rx
	ns $to timeout 30 nc -6 -l 5000 >/tmp/rx 2>/dev/null &
	local srv=$!
	for try in $(seq 50); do
		ns $from timeout 30 nc -N "${ADDR[$to]}" 5000 </tmp/payload 2>/dev/null && break
		sleep 0.1	# pacing of the retries
	done
	wait $srv
	cmp -s /tmp/payload /tmp/rx || fail "TCP $from -> $to over ${ADDR[$to]}: data differs"
}
tcp_pair a b; tcp_pair b c; tcp_pair c a
info "[${SECONDS}s] TCP a->b, b->c, c->a: 100000 bytes each, identical"

# d (another beacon key) is ignored and counted; it finds nobody.
wait_for 10 stat_ge d bad_mac 1 || fail "d counted no bad_mac"
check_eq "$(keynet -n d -j peer show dev kn0 | jq length)" 0 "d's peers"
for n in a b c; do
	bstats $n
	[ "$s_bad_mac" -gt 0 ] || fail "$n counted none of d's beacons as bad_mac"
	[ "$s_sent" -ge 2 ] || fail "$n sent no beacons (or, c, replies)"
	[ $n != a ] || check_eq "$s_peers_added" 2 "a's peers_added"
done

info "[${SECONDS}s] d checked"
# --- a manual peer stays manual; a silent auto-peer expires -----------------
# "peer add" of an auto-peer makes it the operator's.
keynet -n c peer add dev kn0 "${PUB[a]}" || fail "peer add of a on c"
check_eq "$(peers_of c false)" "${PUB[a]}" "c's manual peers"
t1=$(now_ms)
ip -n a link del kn0 || fail "cannot delete a's kn0"
wait_for 30 peers_are b "${PUB[c]}" || {
	keynet -n b -j -s link show dev kn0 | jq -c '.[0].beacon' >&2
	keynet -n b -j peer show dev kn0 | jq -c '.[] | [.public_key[0:8], .auto, .latest_handshake, .alive, .endpoint]' >&2
	tail -n 20 /tmp/events.b >&2
	fail "a did not expire from b: b's auto-peers '$(peers_of b)', want c's '${PUB[c]}'"
}
t_exp=$(sed -n "s/^\([0-9]*\) .*\"event\":\"auto_peer_expired\".*\"peer\":\"${PUB[a]//\//\\/}\".*/\1/p" \
	/tmp/events.b | head -n 1)
[ -n "$t_exp" ] || fail "no auto_peer_expired event for a on b"
gone=$(( t_exp - t1 ))
info "a expired from b $gone ms after it went, $(( gone * DIV / 1000 )) s at real timer speed (180 s after its last beacon or handshake, checked every 8-12 s; limit 240 s)"
[ $(( gone * DIV )) -le 240000 ] || fail "expiry took longer than 4 minutes at real speed"
check_eq "$(bstat b peers_expired)" 1 "b's peers_expired"
check_eq "$(peers_of c)" "${PUB[b]}" "c's auto-peers"
# Twice the expiry time after a went, c still has it: manual peers stay.
left=$(( t1 + 2 * 180000 / DIV - $(now_ms) ))
[ $left -le 0 ] || sleep "$(( left / 1000 )).$(printf %03d $(( left % 1000 )))"
check_eq "$(peers_of c false)" "${PUB[a]}" "c's manual peer a, 360 s (real speed) after a went"
check_eq "$(bstat c peers_expired)" 0 "c's peers_expired (a is manual there)"
kill "$(cat /tmp/monitor.pid)"
wait $monitor
grep -q "\"event\":\"auto_peer_added\".*\"peer\":\"${PUB[a]}\"" /tmp/events.b ||
	fail "no auto_peer_added event for a on b: $(cat /tmp/events.b)"
grep -q "\"event\":\"auto_peer_expired\".*\"peer\":\"${PUB[a]}\"" /tmp/events.b ||
	fail "no auto_peer_expired event for a on b: $(cat /tmp/events.b)"

# beacon off drops the auto-peers at once.
keynet -n b link set dev kn0 beacon off || fail "beacon off on b"
check_eq "$(keynet -n b -j peer show dev kn0 | jq length)" 0 "b's peers after beacon off"

info "[${SECONDS}s] expiry checked"
# --- f: no key, malformed frames, the cap, the rate limit ---------------------
# x forges beacons (python: hmac + hashlib.blake2s, as beacon_frame.h).
cat >/tmp/forge.py <<'EOF'
import base64, hashlib, hmac, os, socket, struct, sys, time
key_file, what, dst = sys.argv[1], sys.argv[2], sys.argv[3]
bk = base64.b64decode(open(key_file).read().strip())
mk = hmac.new(bk, b"keynet beacon mac v1", hashlib.blake2s).digest()
def frame(pub, magic=b"KNB1"):
    body = struct.pack(">4sBBH32sQ", magic, 1, 0, 27177, pub, time.time_ns())
    return body + hashlib.blake2s(body, key=mk, digest_size=16).digest()
def send(data, src="10.7.0.6"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.sendto(data, (dst, 27178))
    s.close()
if what == "nokey":       # one valid frame, then two malformed ones
    send(frame(os.urandom(32)))
    send(b"KNB1short!")
    send(frame(os.urandom(32), magic=b"KNB2"))
elif what == "many":      # 100 keys from 100 source addresses
    for i in range(100):
        send(frame(os.urandom(32)), "10.7.0.%d" % (101 + i))
elif what == "burst":     # 30 frames from one source
    for i in range(30):
        send(frame(os.urandom(32)))
EOF
# f accepts from any interface (no beacon-dev) but has no beacon key yet.
keynet -n f link set dev kn0 beacon accept || fail "beacon accept on f"
ns x python3 /tmp/forge.py /tmp/k3 nokey 10.7.0.5 || fail "forge nokey"
wait_for 10 stat_ge f malformed 2 || fail "f's malformed: $(bstat f malformed), want 2"
bstats f
[ "$s_no_key" -ge 1 ] || fail "f counted no no_key"
check_eq "$s_malformed" 2 "f's malformed"
dmesg | grep -q "kn0: beacon from .* seen, no beacon key set" || fail "no 'no beacon key set' log line"
check_eq "$(keynet -n f -j peer show dev kn0 | jq length)" 0 "f's peers without a beacon key"

keynet -n f link set dev kn0 beacon-key /tmp/k3 beacon-max-peers 5 || fail "key on f"
for i in $(seq 101 200); do echo "addr add 10.7.0.$i/24 dev eth0"; done |
	ns x ip -batch - || fail "addresses of x"
ns x python3 /tmp/forge.py /tmp/k3 many 10.7.0.5 || fail "forge many"
wait_for 20 stat_sum_ge f over_cap peers_added 100 ||
	fail "f took $(bstat f peers_added) and refused $(bstat f over_cap) of 100"
bstats f
check_eq "$s_peers_added" 5 "f's peers_added (cap 5)"
check_eq "$s_over_cap" 95 "f's over_cap"
check_eq "$s_rate_limited" 0 "f's rate_limited before the burst"
# The forged nodes never speak again: they may already be expiring.
e0=$s_peers_expired
n=$(keynet -n f -j peer show dev kn0 | jq '[.[] | select(.auto)] | length')
e1=$(bstat f peers_expired)
[ "$n" -le $(( 5 - e0 )) ] && [ "$n" -ge $(( 5 - e1 )) ] ||
	fail "f has $n auto-peers, want 5 minus the expired ($e0..$e1)"
ns x python3 /tmp/forge.py /tmp/k3 burst 10.7.0.5 || fail "forge burst"
wait_for 10 stat_ge f rate_limited 10 ||
	fail "f's rate_limited after 30 frames from one source: $(bstat f rate_limited)"
keynet -n f -s link show dev kn0 | sed -n 's/^ *\(beacon\)/\1/p' | sed 's/^/# f: /'
exit 0
