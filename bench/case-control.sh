# SPDX-License-Identifier: GPL-2.0
# Case "control": the control plane and scale, keynet vs the kernel's
# WireGuard, each measurement on a new device with its private key set
# (WireGuard computes a new peer's static-static Curve25519 when the peer
# is added, keynet on the peer's first handshake).
#  - peers/s adding 10,000 and 100,000 peers: keynet through netlink with
#    selftests/tools/knbulk (one PEER_NEW per peer, 64 in flight, each
#    acknowledged), WireGuard with one `wg addconf` of the same keys;
#  - routes/s adding 1,000,000 IPv4 /32 routes (scattered over 10.0.0.0/8,
#    round-robin over 1,000 existing peers): knbulk's ROUTE_NEW route lists
#    (each peer's 1,000 routes in one request, KEYNET_A_ROUTES, 64 in
#    flight) vs the same prefixes as AllowedIPs in one `wg addconf`;
#  - kernel memory per idle peer and per route: the growth of the slab
#    objects in use (/proc/slabinfo active objects x object size) plus
#    per-cpu and vmalloc memory (/proc/meminfo), divided by the count;
#  - handshakes/s completed under an initiation flood: 256 peers configured
#    on the device send valid initiations (selftests/tools/hsflood.py,
#    made in advance), at most 768 unanswered, i.e. past the 512 queued at
#    which both start answering with cookies; the generator answers the
#    cookies with mac2 as a real initiator does; counted: handshake
#    responses received per second.
# Rounds: 3 of 10,000 peers and of the flood (4 s each), one of the big
# adds.  QUICK=1: 10,000 peers (one round; the memory per peer is taken
# from it) and 100,000 routes, one flood round of 2 s.
if [ "${KN_QUICK:-0}" = 1 ]; then
	CTL_BIG=0 CTL_ROUTES=100000 CTL_FLOOD=2 CTL_MSGS=4000 CTL_ROUNDS=1
	CTL_ROUTES_TXT=100,000
else
	CTL_BIG=100000 CTL_ROUTES=1000000 CTL_FLOOD=4 CTL_MSGS=8000 CTL_ROUNDS=3
	CTL_ROUTES_TXT=1,000,000
fi
[ -z "${KN_ROUNDS:-}" ] || [ "$KN_ROUNDS" -ge "$CTL_ROUNDS" ] || CTL_ROUNDS=$KN_ROUNDS
CTL_ROUTE_PEERS=1000
CTL_FLOOD_PEERS=256

report_row "ctl_peers10k wireguard peers/s add_10,000_peers"
[ "$CTL_BIG" = 0 ] || report_row "ctl_peers100k wireguard peers/s add_100,000_peers"
report_row "ctl_routes wireguard routes/s add_${CTL_ROUTES_TXT}_IPv4_/32_routes"
report_row "ctl_mem_peer wireguard bytes kernel_memory_per_idle_peer_(lower_is_better)"
report_row "ctl_mem_route wireguard bytes kernel_memory_per_route_(lower_is_better)"
report_row "ctl_hs wireguard handshakes/s handshakes_completed_under_an_initiation_flood"
[ "$CTL_BIG" = 0 ] ||
	report_row "ctl_del wireguard s delete_the_device_of_1,000_peers_and_${CTL_ROUTES_TXT}_routes_(lower_is_better)"

CTL_DIR=/tmp/kn-ctl

# Kernel memory in use, bytes: live slab objects, per-cpu, vmalloc.
ctl_kmem() {
	awk 'FNR == NR { if (FNR > 2) s += $2 * $4; next }
	     /^Percpu:/ { p = $2 } /^VmallocUsed:/ { v = $2 }
	     END { printf "%d\n", s + (p + v) * 1024 }' /proc/slabinfo /proc/meminfo
}

# Wait for freed memory to settle (namespace cleanup and RCU callbacks run
# after "ip netns delete" returns): two readings 0.3 s apart within 256 kB,
# for at most 2 s.
ctl_settle() {
	local a b _
	a=$(ctl_kmem)
	for _ in $(seq 7); do
		sleep 0.3
		b=$(ctl_kmem)
		[ $(( a > b ? a - b : b - a )) -lt 262144 ] && return 0
		a=$b
	done
}

# The device under test: $CTL_DEV in namespace $CTL_NS ("" = the initial
# one).  keynet's devices live in a fresh namespace "ctl" and are deleted
# after each measurement (timed).  WireGuard's are made in the initial
# namespace (with a random listen port) and kept until the VM stops:
# deleting a WireGuard device costs about 20 ms per peer under TCG (per
# peer a NAPI removal, i.e. a grace period, and workqueue flushes; 10,000
# peers: 199 s measured, keynet 0.7-2 s),
# more than this whole case may take.  Only the device of the route
# measurement (1,000 peers) is deleted, timed, in the full run.
CTL_NS=ctl CTL_DEV=d0 CTL_WGN=0
dut() {
	if [ -n "$CTL_NS" ]; then ns "$CTL_NS" "$@"; else "$@"; fi
}

# ctl_dev IMPL [PORT]: a new device, key set, up.
ctl_dev() {
	if [ "$1" = keynet ]; then
		CTL_NS=ctl CTL_DEV=d0
		netns_add ctl
		ns ctl ip link add d0 type keynet || fail "create keynet d0"
		keynet -n ctl link set dev d0 private-key "$CTL_DIR/dut.key" \
			listen-port "${2:-30000}" || fail "keynet link set"
	else
		CTL_WGN=$((CTL_WGN + 1))
		CTL_NS="" CTL_DEV=ctlwg$CTL_WGN
		ip link add "$CTL_DEV" type wireguard || fail "create wireguard $CTL_DEV"
		wg set "$CTL_DEV" private-key "$CTL_DIR/dut.key" ${2:+listen-port "$2"} ||
			fail "wg set"
	fi
	dut ip link set "$CTL_DEV" up || fail "$CTL_DEV up"
}

# ctl_done IMPL WHAT [DELETE]: after a measurement: keynet's device is
# deleted (timed), WireGuard's kept, or with DELETE deleted and timed too;
# prints the seconds a deletion took.
ctl_done() {
	local t s=""
	if [ "$1" = keynet ] || [ -n "${3:-}" ]; then
		t=$(ctl_now)
		dut ip link del "$CTL_DEV"
		s=$(echo "scale=2; ($(ctl_now) - $t) / 1000000000" | bc | sed 's/^\./0./')
		info "control: deleting $2 took $s s" >&2
	fi
	[ "$1" = keynet ] && reset_net
	echo "$s"
}

ctl_ifindex() { dut cat "/sys/class/net/$CTL_DEV/ifindex"; }
ctl_now() { date +%s%N; }
# ctl_rate N START_NS: N per second since START_NS.
ctl_rate() { echo "scale=1; $1 * 1000000000 / ($(ctl_now) - $2)" | bc; }
# ctl_per N BYTES: bytes per object.
ctl_per() { echo "$2 / $1" | bc; }

# ctl_peers IMPL N [MEMCASE]: time adding N peers (and their memory).
ctl_peers() {
	local impl=$1 n=$2 memcase=${3:-} m0 t out rate=""
	ctl_dev "$impl"
	[ "$impl" = wireguard ] && "$CTL_DIR/knbulk" -s "$n" wgconf "$n" 0 >"$CTL_DIR/wg.conf"
	ctl_settle
	m0=$(ctl_kmem)
	t=$(ctl_now)
	if [ "$impl" = keynet ]; then
		if out=$(dut "$CTL_DIR/knbulk" -s "$n" peers "$(ctl_ifindex)" "$n"); then
			rate=$(echo "$out" | awk -v n="$n" '/ peers in / { printf "%.1f\n", n / $5 }')
		else
			note "control: keynet $n peers: $out"
		fi
	elif wg addconf "$CTL_DEV" "$CTL_DIR/wg.conf"; then
		rate=$(ctl_rate "$n" "$t")
	else
		note "control: wg addconf of $n peers failed"
	fi
	if [ -n "$rate" ]; then
		info "control: $impl added $n peers at $rate/s"
		rec "ctl_peers$((n / 1000))k" "$impl" "$rate"
		if [ -n "$memcase" ]; then
			ctl_settle
			rec ctl_mem_peer "$impl" "$(ctl_per "$n" $(( $(ctl_kmem) - m0 )))"
		fi
	fi
	rm -f "$CTL_DIR/wg.conf"
	ctl_done "$impl" "the $impl device with $n peers" >/dev/null
}

# ctl_routes IMPL: time adding CTL_ROUTES routes to CTL_ROUTE_PEERS peers.
ctl_routes() {
	local impl=$1 m0 t out rate="" del delete=""
	ctl_dev "$impl"
	if [ "$impl" = keynet ]; then
		dut "$CTL_DIR/knbulk" -s 7 peers "$(ctl_ifindex)" $CTL_ROUTE_PEERS >/dev/null ||
			fail "knbulk peers"
	else
		"$CTL_DIR/knbulk" -s 7 wgconf $CTL_ROUTE_PEERS 0 >"$CTL_DIR/wg.conf"
		wg addconf "$CTL_DEV" "$CTL_DIR/wg.conf" || fail "wg addconf peers"
		"$CTL_DIR/knbulk" -s 7 wgconf $CTL_ROUTE_PEERS "$CTL_ROUTES" >"$CTL_DIR/wg.conf"
	fi
	ctl_settle
	m0=$(ctl_kmem)
	t=$(ctl_now)
	if [ "$impl" = keynet ]; then
		if out=$(dut "$CTL_DIR/knbulk" -s 7 -e routes "$(ctl_ifindex)" $CTL_ROUTE_PEERS \
			"$CTL_ROUTES"); then
			rate=$(echo "$out" | awk -v n="$CTL_ROUTES" '/ routes in / { printf "%.1f\n", n / $5 }')
		else
			note "control: keynet routes: $out"
		fi
	elif wg addconf "$CTL_DEV" "$CTL_DIR/wg.conf"; then
		rate=$(ctl_rate "$CTL_ROUTES" "$t")
	else
		note "control: wg addconf of $CTL_ROUTES allowed-ips failed"
	fi
	rm -f "$CTL_DIR/wg.conf"
	if [ -n "$rate" ]; then
		info "control: $impl added $CTL_ROUTES routes at $rate/s"
		rec ctl_routes "$impl" "$rate"
		ctl_settle
		rec ctl_mem_route "$impl" "$(ctl_per "$CTL_ROUTES" $(( $(ctl_kmem) - m0 )))"
	fi
	[ "$CTL_BIG" = 0 ] || delete=delete
	del=$(ctl_done "$impl" "the $impl device with $CTL_ROUTE_PEERS peers and $CTL_ROUTES routes" \
		"$delete")
	[ -z "$rate" ] || [ "$CTL_BIG" = 0 ] || rec ctl_del "$impl" "$del"
}

# ctl_flood IMPL ROUND: handshakes/s of a device under the valid-initiation
# flood (the generator runs in the device's namespace).
ctl_flood() {
	local impl=$1 port=$((30000 + $2)) out
	ctl_dev "$impl" $port
	if [ "$impl" = keynet ]; then
		{ printf '[Link]\nName = d0\nPrivateKeyFile = %s\nListenPort = %s\n' \
			"$CTL_DIR/dut.key" $port
		  sed 's/^/\n[Peer]\nPublicKey = /' "$CTL_DIR/hs/peers"; } >"$CTL_DIR/fl.conf"
		keynet -n ctl conf apply "$CTL_DIR/fl.conf" >/dev/null || fail "conf apply (flood)"
	else
		sed 's/^/[Peer]\nPublicKey = /' "$CTL_DIR/hs/peers" >"$CTL_DIR/fl.conf"
		wg addconf "$CTL_DEV" "$CTL_DIR/fl.conf" || fail "wg addconf (flood)"
	fi
	out=$(dut python3 "$KN_ROOT/selftests/tools/hsflood.py" valid "$CTL_DIR/hs" \
		127.0.0.1 $port "$CTL_FLOOD" 768 0.5) || out=""
	info "control: $impl flood: $out"
	[ "$impl" = keynet ] && info "control: keynet drops: $(keynet -n ctl -j -s link show dev d0 |
		jq -c '.[0].drops | with_entries(select(.value > 0))')"
	rec ctl_hs "$impl" "$(echo "$out" | jq -r '.rate // empty' 2>/dev/null)"
	ctl_done "$impl" "the $impl device of the flood" >/dev/null
}

run_control() {
	local r impls="keynet"
	kn_load
	if modprobe wireguard; then impls="keynet wireguard"
	else note "control: no wireguard module: keynet's figures only"; fi
	rm -rf "$CTL_DIR"
	mkdir -p "$CTL_DIR/hs"
	keynet genkey >"$CTL_DIR/dut.key"
	# The initiations of the flood are made while knbulk compiles (both
	# take seconds under TCG; nothing is measured meanwhile).
	info "control: making $CTL_MSGS initiations from $CTL_FLOOD_PEERS peers, building knbulk"
	python3 "$KN_ROOT/selftests/tools/hsflood.py" gen "$CTL_DIR/hs" \
		"$(keynet pubkey <"$CTL_DIR/dut.key")" $CTL_FLOOD_PEERS $CTL_MSGS &
	cc -O2 -I "$KN_ROOT/include" -o "$CTL_DIR/knbulk" "$KN_ROOT/selftests/tools/knbulk.c" ||
		{ wait; note "control: cannot build knbulk"; return 0; }
	wait $! || { note "control: hsflood gen failed"; return 0; }
	reset_net
	for r in $(seq "$CTL_ROUNDS"); do
		info "control round $r/$CTL_ROUNDS: 10,000 peers (t=${SECONDS}s)"
		for impl in $impls; do
			# The memory figure of the largest add made.
			if [ "$CTL_BIG" = 0 ] && [ "$r" = 1 ]; then ctl_peers "$impl" 10000 mem
			else ctl_peers "$impl" 10000; fi
		done
	done
	if [ "$CTL_BIG" != 0 ]; then
		info "control: $CTL_BIG peers (t=${SECONDS}s)"
		for impl in $impls; do ctl_peers "$impl" "$CTL_BIG" mem; done
	fi
	info "control: $CTL_ROUTES routes (t=${SECONDS}s)"
	for impl in $impls; do ctl_routes "$impl"; done

	for r in $(seq "$CTL_ROUNDS"); do
		info "control flood round $r/$CTL_ROUNDS (t=${SECONDS}s)"
		for impl in $impls; do ctl_flood "$impl" "$r"; done
	done
	rm -rf "$CTL_DIR"
}
