#!/bin/bash
# timeout: 420
# scope: once (event contents; the group's permissions run on every kernel in 68-events-perm)
# The events group and `keynet monitor`: a handshake and roaming seen by
# monitors in both namespaces (JSON Lines and text), NAT64 dynamic
# mappings made and expired, route failover to a relay and back (the
# three-node mesh of 19-failover), usage errors and SIGINT/SIGTERM; then
# dump generations: every message of a dump carries KEYNET_A_GENERATION,
# one value per uninterrupted dump, NLM_F_DUMP_INTR when the set changes
# mid-dump, and the tool restarts such a dump instead of printing a mix.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

pids=()
trap 'kill_tree ${pids[*]} $N64_SERVER_PID' EXIT

# mon NS FILE ARGS...: start a monitor in the background (pid in $mpid).
mon() {
	local n=$1 f=$2
	shift 2
	keynet -n "$n" monitor "$@" >"$f" 2>"$f.err" &
	mpid=$!
	pids+=("$mpid")
	wait_for 5 in_poll "$mpid" || fail "monitor in $n did not start: $(cat "$f.err")"
}

# ev FILE FILTER: some JSON line of FILE matches the jq FILTER.
ev() {
	jq -e -s "map(select($2)) | length > 0" "$1" >/dev/null 2>&1
}

# stop PID SIGNAL FILE: the monitor exits 0 on the signal; FILE, if JSON,
# is valid JSON Lines.
stop() {
	local rc
	kill -"$2" "$1"
	wait "$1"
	rc=$?
	check_eq "$rc" 0 "monitor exit status after SIG$2"
	[ -n "${3:-}" ] || return 0
	jq -e -s 'all(type == "object")' "$3" >/dev/null ||
		fail "$3 is not JSON objects: $(head -c 600 "$3")"
	check_eq "$(jq -c . "$3" | wc -l)" "$(wc -l <"$3")" "one JSON object per line in $3"
}

# selftests/tools/kngen.py: a raw generic netlink client (no libnl,
# selftests/tools/knnl.py) that adds peers and routes fast and checks the
# flags and KEYNET_A_GENERATION of every message of a dump.
kngen=$KN_ROOT/selftests/tools/kngen.py
gen() { ns "$1" python3 "$kngen" "${@:2}"; }

# ---- usage ------------------------------------------------------------
expect_fail 2 "^keynet: unknown argument 'bogus': expected dev, -j or help" \
	keynet monitor bogus
expect_fail 2 "^keynet: missing argument after 'dev': a device name" keynet monitor dev
keynet monitor help | grep -q "^Usage: keynet monitor \[dev DEV\] \[-j\]" ||
	fail "keynet monitor help"
keynet help | grep -q "keynet monitor" || fail "keynet help lists monitor"

# ---- handshake and roaming (two nodes) --------------------------------
kn_pair v4
expect_fail 1 "^keynet: the kernel refused: .*" keynet -n a monitor dev nosuch
mon a /tmp/mon-a.json -j
pa=$mpid
mon b /tmp/mon-b.txt dev kn1
pb=$mpid
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel did not come up"
wait_for 5 ev /tmp/mon-a.json ".event == \"handshake\" and .peer == \"$KB\" and
	.dev == \"kn0\" and .endpoint == \"127.0.0.1:10002\" and
	.ifindex == $(ns a cat /sys/class/net/kn0/ifindex)" ||
	fail "no handshake event on a: $(cat /tmp/mon-a.json)"
wait_for 5 grep -qx "kn1: handshake peer $KA endpoint 127.0.0.1:10001" /tmp/mon-b.txt ||
	fail "no handshake line on b: $(cat /tmp/mon-b.txt)"
wait_for 5 ev /tmp/mon-a.json ".event == \"peer_alive\" and .peer == \"$KB\"" ||
	fail "no peer_alive event on a: $(cat /tmp/mon-a.json)"
ev /tmp/mon-a.json '.event == "endpoint" or .event == "peer_lost"' &&
	fail "endpoint or peer_lost event without cause: $(cat /tmp/mon-a.json)"

# b moves to another underlay address while it pings a (13-roaming).
ns b ping -c 20 -i 0.1 -W 1 192.168.241.1 >/dev/null 2>&1 &
pinger=$!
sleep 0.5	# pacing: the roam comes mid-stream
keynet -n b link set dev kn1 listen 127.0.0.2:10012 || fail "rebind kn1"
wait $pinger
wait_for 5 ev /tmp/mon-a.json ".event == \"endpoint\" and .peer == \"$KB\" and
	.endpoint == \"127.0.0.2:10012\"" ||
	fail "no endpoint event after roaming: $(cat /tmp/mon-a.json)"
stop "$pa" INT /tmp/mon-a.json
stop "$pb" TERM
info "pair: $(wc -l </tmp/mon-a.json) events on a, $(wc -l </tmp/mon-b.txt) lines on b (${SECONDS}s)"

# ---- NAT64 dynamic mappings -------------------------------------------
nat64_topo
keynet -n r nat64 set dev kn0 pool-timeout 1 || fail "pool-timeout"
mon r /tmp/mon-r.json dev kn0 -j
pr=$mpid
mon r /tmp/mon-r.txt
prt=$mpid
ns c ping -6 -c 2 -i 0.2 -W 2 $N64_SERVER >/dev/null || fail "ping6 $N64_SERVER"
wait_for 5 ev /tmp/mon-r.json '.event == "map_new" and .ipv6 == "2001:db8:1::2" and
	(.ipv4 | startswith("100.100."))' ||
	fail "no map_new event: $(cat /tmp/mon-r.json)"
v4=$(jq -r -s 'map(select(.event == "map_new"))[0].ipv4' /tmp/mon-r.json)
grep -qx "kn0: map new $v4 <-> 2001:db8:1::2" /tmp/mon-r.txt ||
	fail "no map new line: $(cat /tmp/mon-r.txt)"
# Idle for the 1 s timeout: the pool's timer expires it.
wait_for 10 ev /tmp/mon-r.json ".event == \"map_expired\" and .ipv4 == \"$v4\" and
	.ipv6 == \"2001:db8:1::2\"" ||
	fail "no map_expired event: $(cat /tmp/mon-r.json)"
check_eq "$(keynet -n r -j map show dev kn0 | jq length)" 0 "mapping gone"
# 'dev kn0' filters: a mapping made by a second translator in r (r's own
# packets to its prefix) is seen by the other monitor only.
ns r ip link add kn1 type keynet && keynet -n r link set dev kn1 listen-port 27199 &&
	ns r ip link set kn1 up || fail "kn1 in r"
keynet -n r nat64 set dev kn1 prefix 64:ff9b:1::/96 ipv4-addr 100.101.0.1 &&
	keynet -n r pool add 100.101.0.0/16 dev kn1 || fail "kn1's translator"
ns r ip -6 route add 64:ff9b:1::/96 dev kn1 || fail "route to kn1"
ns r ping -6 -c 1 -W 1 64:ff9b:1::198.51.100.2 >/dev/null 2>&1
wait_for 5 grep -q "^kn1: map new 100\.101\." /tmp/mon-r.txt ||
	fail "no map new on kn1: $(cat /tmp/mon-r.txt)"
ev /tmp/mon-r.json '.dev != "kn0"' && fail "dev kn0 monitor saw kn1: $(cat /tmp/mon-r.json)"
stop "$pr" INT /tmp/mon-r.json
stop "$prt" INT
kill_tree $N64_SERVER_PID
info "nat64 done (${SECONDS}s)"

# ---- failover to a relay and back (19-failover's mesh) -----------------
# fa reaches fc directly (metric 0) or through fb (metric 10).
failover_mesh f
alive() {	# alive PEER: fa sees it alive
	[ "$(KN_NS=fa KN_DEV=kna pj "${KEY[$1]}" alive)" = true ]
}
wait_for 20 alive c || fail "c not alive"
wait_for 20 alive b || fail "b not alive"
ns fa ping -c 2 -i 0.2 -W 2 10.0.0.3 >/dev/null || fail "fa->fc"
mon fa /tmp/mon-f.json -j
pf=$mpid
t0=$(date +%s.%N)
mesh_cut f
wait_for 20 ev /tmp/mon-f.json ".event == \"failover\" and .prefix == \"10.0.0.3/32\" and
	.peer == \"${KEY[b]}\"" ||
	fail "no failover to b: $(cat /tmp/mon-f.json)"
t1=$(date +%s.%N)
ev /tmp/mon-f.json ".event == \"peer_lost\" and .peer == \"${KEY[c]}\"" ||
	fail "no peer_lost for c: $(cat /tmp/mon-f.json)"
mesh_repair f
wait_for 40 ev /tmp/mon-f.json ".event == \"failover\" and .prefix == \"10.0.0.3/32\" and
	.peer == \"${KEY[c]}\"" ||
	fail "no failover back to c: $(cat /tmp/mon-f.json)"
t2=$(date +%s.%N)
ev /tmp/mon-f.json ".event == \"peer_alive\" and .peer == \"${KEY[c]}\"" ||
	fail "no peer_alive for c after the repair: $(cat /tmp/mon-f.json)"
# Prefixes routed to one peer only have nothing to fail over to.
ev /tmp/mon-f.json '.event == "failover" and .prefix != "10.0.0.3/32"' &&
	fail "failover event of a single-peer prefix: $(cat /tmp/mon-f.json)"
stop "$pf" TERM /tmp/mon-f.json
info "failover event $(echo "$t1 - $t0" | bc) s after the cut, back $(echo "$t2 - $t1" | bc) s after the repair"
jq -c 'select(.event != "handshake")' /tmp/mon-f.json | sed 's/^/# /'

# A burst larger than the monitor's receive buffer: 600 more prefixes
# routed to c and b fail over together while the monitor is stopped.  It
# reports the overrun and goes on.
# The monitor asks for 1 MiB, capped by net.core.rmem_max, whose default
# grew in newer kernels (7.x: 4 MiB): pin it so 1202 events overflow.
rmem_max=$(sysctl -n net.core.rmem_max)
sysctl -qw net.core.rmem_max=212992
gen fa routes kna "${KEY[c]}" 600 0 || fail "routes to c"
gen fa routes kna "${KEY[b]}" 600 10 || fail "routes to b"
mon fa /tmp/mon-o.json -j
po=$mpid
kill -STOP "$po"
mesh_cut f
lost() { ! alive "$1"; }
wait_for 20 lost c || fail "c still alive after the second cut"
# The liveness worker's failover events fill the stopped monitor's socket.
overran() { [ "$(nl_drops "$po")" -gt 0 ]; }
wait_for 20 overran || fail "the stopped monitor's socket dropped nothing"
kill -CONT "$po"
wait_for 10 grep -q "^keynet: warning: events were lost" /tmp/mon-o.json.err ||
	fail "no overrun warning: $(cat /tmp/mon-o.json.err)"
mesh_repair f
wait_for 40 ev /tmp/mon-o.json ".event == \"peer_alive\" and .peer == \"${KEY[c]}\"" ||
	fail "no event after the overrun: $(tail -n 3 /tmp/mon-o.json)"
ev /tmp/mon-o.json '.event == "overrun"' || fail "no overrun line in the JSON output"
sysctl -qw net.core.rmem_max="$rmem_max"
stop "$po" INT /tmp/mon-o.json
info "overrun: $(jq -s 'map(select(.event == "failover")) | length' /tmp/mon-o.json) of 1202 failover events read"
info "failover done (${SECONDS}s)"

# ---- dump generations ---------------------------------------------------

netns_add g
ns g ip link add kn0 type keynet || fail "create kn0 in g"
t0=$(date +%s.%N)
gen g add kn0 1000 0 || fail "adding 1000 peers"
info "1000 peers added in $(echo "$(date +%s.%N) - $t0" | bc) s"
check_eq "$(keynet -n g -j peer show dev kn0 | jq length)" 1000 "peers"

# Quiet: one generation in every message, nothing interrupted.
gen g dump PEER_GET:kn0:KEYNET_A_PEER_PUBLIC_KEY ROUTE_GET:kn0 LINK_GET \
	>/tmp/quiet.out || fail "dumps in g"
keynet -n r map add 100.100.5.5 2001:db8:1::5 dev kn0 || fail "map add"
gen r dump MAP_GET:kn0 POOL_GET:kn0 NAT64_GET >>/tmp/quiet.out || fail "dumps in r"
check_eq "$(jq -c '[.n, .intr, (.gens | length), .nogen, .dups]' /tmp/quiet.out | tr '\n' ' ')" \
	"[1000,false,1,0,0] [1000,false,1,0,0] [1,false,1,0,0] [1,false,1,0,0] [1,false,1,0,0] [2,false,1,0,0] " \
	"peer, route, link, map, pool, nat64 dumps: size, interrupted, generations, without one, duplicates"

# Peers added during dumps: some dumps are interrupted, and every dump
# that is not carries one generation and no duplicate.
gen g add kn0 300 0.01 &
adder=$!
pids+=("$adder")
gen g race kn0 "$adder" >/tmp/race.out || fail "racing dumps"
wait $adder || fail "adder"
bad=$(jq -c 'select(.intr == false and ((.gens | length) != 1 or .dups != 0))' /tmp/race.out)
[ -z "$bad" ] || fail "uninterrupted dump with several generations or duplicates: $bad"
nintr=$(jq -s 'map(select(.intr)) | length' /tmp/race.out)
info "python: $nintr of $(wc -l </tmp/race.out) peer dumps interrupted by concurrent adds (${SECONDS}s)"
[ "$nintr" -ge 1 ] || fail "no dump was interrupted while peers were added"

# The tool: a dump interrupted by a concurrent change is restarted, so
# each output is one consistent list; it never fails for it.  A peer is
# added every 3 dump durations (a show's time minus a link show's, the
# process start; at least a quarter of a show): many shows are
# interrupted, each at most once, as the restarted dump completes
# before the next add.
start=$(keynet -n g -j peer show dev kn0 | jq length) || fail "peer show"
check_eq "$start" 1300 "peers before the tool's turn"
elapsed() {	# elapsed CMD...: run it, print its seconds
	local t
	t=$(date +%s%N)
	"$@" >/dev/null || fail "$*"
	echo "($(date +%s%N) - $t) / 10^9" | bc -l
}
showt=$(elapsed keynet -n g -j peer show dev kn0)
linkt=$(elapsed keynet -n g link show dev kn0)
period=$(echo "d = $showt - $linkt; if (d < $showt / 4) d = $showt / 4
	scale = 2; 3 * d / 1" | bc -l)
ip netns exec g python3 "$kngen" add kn0 100000 "$period" &
adder=$!
pids+=("$adder")
restarts=0 prev=$start
for i in $(seq 1 40); do
	KEYNET_DEBUG=1 keynet -n g -j peer show dev kn0 >/tmp/show.json 2>/tmp/show.err ||
		fail "peer show failed during adds: $(cat /tmp/show.err)"
	n=$(jq length /tmp/show.json)
	u=$(jq '[.[].public_key] | unique | length' /tmp/show.json)
	check_eq "$u" "$n" "distinct peers in one show"
	[ "$n" -ge "$prev" ] || fail "peer count went back from $prev to $n"
	prev=$n
	restarts=$((restarts + $(grep -c "dump interrupted" /tmp/show.err)))
	[ "$restarts" -ge 1 ] && [ "$i" -ge 5 ] && break
done
kill "$adder"
wait "$adder" 2>/dev/null
info "tool: $restarts dump restarts in $i shows while a peer was added every ${period}s, $((prev - start)) added (${SECONDS}s)"
[ "$restarts" -ge 1 ] || fail "the tool never restarted an interrupted dump"
exit 0
