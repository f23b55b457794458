# SPDX-License-Identifier: GPL-2.0
# Case "peers" (issue 8, case 2): one tunnel device with 64 peers, each
# peer carrying its own TCP flow, keynet vs the kernel's WireGuard.
#
# Topology (per implementation, both built once and measured alternately):
#   namespace wire       the underlay: every device's UDP socket, loopback
#   namespace pkh / pwh  the hub: ONE device (kh / wh), 10.77.0.1/16, 64
#                        peers, peer i routed 10.77.0.(i+1)/32, endpoint
#                        127.0.1.i (a distinct underlay address per spoke,
#                        so per-source handshake rate limits do not slow
#                        the 64 handshakes down to 20/s)
#   namespace pks / pws  the 64 spokes: 64 devices (ks1.. / ws1..), each
#                        with its own key, one peer (the hub) and the
#                        address 10.77.0.(i+1)/32; a policy rule per spoke
#                        sends what leaves from its address back through
#                        its own device
# MTU 1420 everywhere, no preshared keys, fresh random keys.  The devices
# are created from wire directly into their namespaces; keys, ports,
# peers and routes are set over generic netlink by bench/peers-nl.py (one
# process per implementation instead of 130 tool start-ups).
#
# Traffic: ONE iperf3 client in the hub, -P 64, to 10.77.1.1:5201; an
# nftables DNAT rule in the hub's output hook (numgen inc mod 64) sends
# each new connection to the next spoke, so the 64 data streams go to 64
# different peers (the control connection shares one spoke with a data
# stream) and one iperf3 server in the spokes' namespace receives them
# all.  Why so: 64 iperf3 client/server pairs cost ~1 GiB and 128 process
# start-ups under TCG; pktgen-style UDP floods fill keynet's per-peer queues
# (1024 packets x 64 peers) and take seconds to drain between rounds,
# whereas TCP is self-clocked, needs two processes and measures what a hub
# carries for 64 busy peers.  The hub encrypts the data for 64 peers and
# decrypts their ACKs; the spokes do the reverse.  conntrack runs in the
# hub's namespace for both implementations alike.
#
# Row: sum of the 64 streams' received Mbit/s (iperf3 sum_received).  The
# slowest and fastest stream of each measurement are printed as info lines
# (fairness between peers).
report_row "peers64 wireguard Mbit/s tunnel_64_peers_TCP_sum"

PK_DIR=/tmp/kn-bench-peers
PK_N=64

# IMPL's hub and 64 spokes (link type TYPE), created from wire into their
# namespaces in one `ip -batch` (so their UDP sockets stay in wire and
# nothing has to be moved); keys, ports, peers and routes set by
# bench/peers-nl.py in one process (130 keynet/wg start-ups took 80 s on
# a loaded host); then addresses, the spokes' policy routes, the DNAT
# rule and the iperf3 server.
# peers_build IMPL TYPE HUBDEV SPOKEPREFIX PORT HUBNS SPOKENS
peers_build() {
	local impl=$1 type=$2 hub=$3 sp=$4 port=$5 hns=$6 sns=$7 i
	netns_add "$hns" "$sns"
	{
		echo "link add $hub netns $hns type $type"
		for i in $(seq $PK_N); do echo "link add $sp$i netns $sns type $type"; done
	} | ip -n wire -batch - || { note "peers $impl: creating devices failed"; return 1; }
	python3 "$KN_ROOT/bench/peers-nl.py" "$impl" "$hns" "$hub" "$sns" "$sp" $PK_N "$port" ||
		{ note "peers $impl: configuration failed"; return 1; }
	printf '%s\n' "address add 10.77.0.1/16 dev $hub" "link set $hub mtu $MTU up" |
		ip -n "$hns" -batch - || { note "peers $impl: hub address failed"; return 1; }
	for i in $(seq $PK_N); do
		echo "address add 10.77.0.$((i + 1))/32 dev $sp$i"
		echo "link set $sp$i mtu $MTU up"
		echo "rule add from 10.77.0.$((i + 1)) lookup $((100 + i)) pref $((100 + i))"
		echo "route add default dev $sp$i table $((100 + i))"
	done | ip -n "$sns" -batch - || { note "peers $impl: spoke addresses failed"; return 1; }
	{
		echo "table ip peers {"
		echo "	chain out {"
		echo "		type nat hook output priority -100;"
		printf '\t\tip daddr 10.77.1.1 tcp dport 5201 dnat to numgen inc mod %d map { ' $PK_N
		for i in $(seq 0 $((PK_N - 1))); do
			[ "$i" = 0 ] || printf ', '
			printf '%d : 10.77.0.%d' "$i" $((i + 2))
		done
		echo " }"
		echo "	}"
		echo "}"
	} >"$PK_DIR/dnat-$impl.nft"
	ns "$hns" nft -f "$PK_DIR/dnat-$impl.nft" || { note "peers $impl: DNAT rule failed"; return 1; }
	ns "$sns" iperf3 -s -D -p 5201 -I "$PK_DIR/iperf3-$impl.pid" >/dev/null 2>&1 ||
		{ note "peers $impl: iperf3 server failed"; return 1; }
}

# How many of the hub's 64 peers have a session.
peers_handshaken() {
	case $1 in
	keynet) keynet -n pkh -j peer show dev kh |
		jq '[.[] | select(.latest_handshake > 0)] | length' ;;
	wireguard) ns pwh wg show wh latest-handshakes | awk '$2 > 0' | wc -l ;;
	esac
}

# One datagram to each spoke from the hub starts the 64 handshakes; wait
# until all are done, so no measurement includes them.
peers_warm() {
	local impl=$1 hns=$2 n=0 deadline=$((SECONDS + 40))
	ns "$hns" bash -c 'for i in $(seq 2 '$((PK_N + 1))'); do
		echo x >/dev/udp/10.77.0.$i/9; done' 2>/dev/null
	while :; do
		n=$(peers_handshaken "$impl")
		[ "${n:-0}" -ge $PK_N ] && break
		[ $SECONDS -ge $deadline ] &&
			{ note "peers $impl: $n of $PK_N handshakes after 40 s"; return 1; }
		sleep 1
	done
	info "  peers $impl: $PK_N handshakes done (t=${SECONDS}s)"
}

peers_round() {
	local impl=$1 hns=$2 j v="" n lo hi
	j=$(ns "$hns" timeout $((DUR + 40)) iperf3 -c 10.77.1.1 -p 5201 -P $PK_N \
		-t "$DUR" -i 0 -J 2>/dev/null) || j=""
	if [ -n "$j" ]; then
		read -r v n lo hi <<<"$(echo "$j" | jq -r '[
			(.end.sum_received.bits_per_second / 1e6 * 10 | floor / 10),
			([.end.streams[].receiver.bits_per_second / 1e6] |
				length, (min * 10 | floor / 10), (max * 10 | floor / 10))] |
			map(tostring) | join(" ")')"
		info "  peers $impl: ${v:-?} Mbit/s over ${n:-?} streams, slowest ${lo:-?}, fastest ${hi:-?}"
	fi
	rec peers64 "$impl" "${v:-}"
}

peers_down() {
	local f
	for f in "$PK_DIR"/iperf3-*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	reset_net
}

run_peers() {
	local r kn=0 wg=0 t0=$SECONDS
	reset_net
	rm -rf "$PK_DIR"
	mkdir -p "$PK_DIR"
	netns_add wire
	kn_load
	peers_build keynet keynet kh ks 20000 pkh pks && kn=1
	info "  peers: keynet set up (t=${SECONDS}s, $((SECONDS - t0))s)"
	t0=$SECONDS
	if modprobe wireguard && command -v wg >/dev/null; then
		peers_build wireguard wireguard wh ws 30000 pwh pws && wg=1
	else
		note "peers: no wireguard module or wg tool: peer side skipped"
	fi
	info "  peers: wireguard set up (t=${SECONDS}s, $((SECONDS - t0))s)"
	[ $kn = 1 ] && { peers_warm keynet pkh || kn=0; }
	[ $wg = 1 ] && { peers_warm wireguard pwh || wg=0; }
	for r in $(seq "$ROUNDS"); do
		info "peers round $r/$ROUNDS (t=${SECONDS}s)"
		[ $kn = 1 ] && peers_round keynet pkh
		[ $wg = 1 ] && peers_round wireguard pwh
	done
	peers_down
}
