# SPDX-License-Identifier: GPL-2.0
# Case "pipeline" (issue 8, case 4: seed 003's path): an IPv6-only client
# reaches an IPv4 server on the far side of an encrypted overlay, through
# a router that translates (NAT64) and tunnels.  keynet alone (one keynet
# device on the router translates AND tunnels, as in selftests test 33,
# where the tunnel comes before the translator) vs TAYGA + WireGuard
# (TAYGA's TUN device translates, the IPv4 result is routed into a wg
# device).
#
#   c (IPv6 only) 2001:db8:1::2 --veth-- 2001:db8:1::1 r --overlay-- f
#   r: prefix 2a04:5b80:300:4::/96, ipv4-addr 100.100.0.1, dynamic pool
#      100.100.0.0/16 (TAYGA's model); 198.51.100.0/24 routed into the
#      tunnel to f; the pool is not masqueraded: f routes 100.100.0.0/16
#      back through the tunnel (the peer's routes / allowed-ips)
#   f: the far end of the overlay, the IPv4 server 198.51.100.2 (on lo)
#   underlay: both tunnel sockets in namespace wire over loopback
# Namespaces plk{c,r,f} (keynet) and plw{c,r,f} (TAYGA + WireGuard) are
# built once and measured alternately, round after round.  Same MTU on
# both: tunnel devices 1420, translator 1420 (keynet's device is both;
# TAYGA's TUN gets 1420); keynet clamps the MSS of translated SYNs itself
# (mss-clamp on, the default), TAYGA's router gets the usual nftables
# rule (maxseg set rt mtu) instead.
#
# Rows: iperf3 TCP 1 stream c -> prefix::198.51.100.2 (Mbit/s received),
# and the median ping RTT through the whole path.
report_row "pl_tcp tayga+wg Mbit/s pipeline_NAT64+tunnel_TCP_1_stream"
report_row "pl_ping tayga+wg ms pipeline_ping_RTT_(lower_is_better)"

PL_DIR=/tmp/kn-bench-pipeline
PL_SERVER=${N64_PREFIX}198.51.100.2
PL_TAYGA_PID=""

# The three namespaces C R F, the client and its veth to the router.
pl_client() {
	netns_add "$1" "$2" "$3" || return 1
	ip link add c0 netns "$1" type veth peer name rc netns "$2" || return 1
	printf '%s\n' "address add 2001:db8:1::2/64 dev c0 nodad" "link set c0 up" \
		"route add default via 2001:db8:1::1" | ip -n "$1" -batch - || return 1
	printf '%s\n' "address add 2001:db8:1::1/64 dev rc nodad" "link set rc up" |
		ip -n "$2" -batch -
}

# Both tunnel devices are created from wire straight into their
# namespaces: their UDP sockets stay in wire, nothing is moved.
pl_keynet() {
	local kr kf
	pl_client plkc plkr plkf || { note "pipeline keynet: client set-up failed"; return 1; }
	keynet genkey >"$PL_DIR/r.key" && keynet genkey >"$PL_DIR/f.key" &&
		kr=$(keynet pubkey <"$PL_DIR/r.key") && kf=$(keynet pubkey <"$PL_DIR/f.key") ||
		{ note "pipeline keynet: keys failed"; return 1; }
	{ printf '%s\n' "link add knr netns plkr type keynet" \
		"link add knf netns plkf type keynet" | ip -n wire -batch - &&
		keynet -n plkr link set dev knr private-key "$PL_DIR/r.key" listen-port 21001 &&
		keynet -n plkf link set dev knf private-key "$PL_DIR/f.key" listen-port 21002 &&
		keynet -n plkr peer add dev knr "$kf" endpoint 127.0.0.1:21002 \
			route 198.51.100.0/24 &&
		keynet -n plkf peer add dev knf "$kr" endpoint 127.0.0.1:21001 \
			route 100.100.0.0/16; } ||
		{ note "pipeline keynet: tunnel set-up failed"; return 1; }
	# The router's device translates too.
	{ keynet -n plkr nat64 set dev knr prefix "${N64_PREFIX}/96" ipv4-addr 100.100.0.1 &&
		keynet -n plkr pool add 100.100.0.0/16 dev knr; } ||
		{ note "pipeline keynet: nat64 set-up failed"; return 1; }
	printf '%s\n' "link set knr mtu $MTU up" "route add ${N64_PREFIX}/96 dev knr" \
		"route add 100.100.0.0/16 dev knr" "route add 198.51.100.0/24 dev knr" |
		ip -n plkr -batch - || { note "pipeline keynet: router routes failed"; return 1; }
	printf '%s\n' "link set knf mtu $MTU up" "address add 198.51.100.2/32 dev lo" \
		"route add 100.100.0.0/16 dev knf" |
		ip -n plkf -batch - || { note "pipeline keynet: far side failed"; return 1; }
	ns plkr sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 ||
		{ note "pipeline keynet: forwarding failed"; return 1; }
	pl_server keynet plkf
}

pl_tayga_wg() {
	local kr kf conf=$PL_DIR/tayga.conf
	pl_client plwc plwr plwf || { note "pipeline tayga+wg: client set-up failed"; return 1; }
	wg genkey >"$PL_DIR/wr.key" && wg genkey >"$PL_DIR/wf.key" &&
		kr=$(wg pubkey <"$PL_DIR/wr.key") && kf=$(wg pubkey <"$PL_DIR/wf.key") ||
		{ note "pipeline tayga+wg: keys failed"; return 1; }
	printf '%s\n' "link add wgr netns plwr type wireguard" \
		"link add wgf netns plwf type wireguard" | ip -n wire -batch - ||
		{ note "pipeline tayga+wg: creating wg devices failed"; return 1; }
	mkdir -p "$PL_DIR/tayga"
	printf '%s\n' "tun-device nat64" "ipv4-addr 100.100.0.1" "prefix ${N64_PREFIX}/96" \
		"dynamic-pool 100.100.0.0/16" "data-dir $PL_DIR/tayga" >"$conf"
	modprobe tun 2>/dev/null
	[ -e /dev/net/tun ] || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }
	# One shell in the router: forwarding, its wg side, TAYGA's TUN, the
	# MSS clamp.
	ns plwr sh -e -c "
		sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
		wg set wgr private-key $PL_DIR/wr.key listen-port 31001 \
			peer $kf endpoint 127.0.0.1:31002 allowed-ips 198.51.100.0/24
		tayga -c $conf --mktun >/dev/null 2>&1
		nft -f - <<-NFT
		table inet mss {
			chain clamp {
				type filter hook forward priority mangle;
				tcp flags syn tcp option maxseg size set rt mtu
			}
		}
		NFT" || { note "pipeline tayga+wg: router set-up failed"; return 1; }
	printf '%s\n' "link set nat64 mtu $MTU up" "route add ${N64_PREFIX}/96 dev nat64" \
		"route add 100.100.0.0/16 dev nat64" "link set wgr mtu $MTU up" \
		"route add 198.51.100.0/24 dev wgr" |
		ip -n plwr -batch - || { note "pipeline tayga+wg: router routes failed"; return 1; }
	ns plwf wg set wgf private-key "$PL_DIR/wf.key" listen-port 31002 \
		peer "$kr" endpoint 127.0.0.1:31001 allowed-ips 100.100.0.0/16 ||
		{ note "pipeline tayga+wg: far wg failed"; return 1; }
	printf '%s\n' "link set wgf mtu $MTU up" "address add 198.51.100.2/32 dev lo" \
		"route add 100.100.0.0/16 dev wgf" |
		ip -n plwf -batch - || { note "pipeline tayga+wg: far side failed"; return 1; }
	ns plwr tayga -c "$conf" --nodetach >"$PL_DIR/tayga.log" 2>&1 &
	PL_TAYGA_PID=$!
	pl_server tayga+wg plwf
}

# The iperf3 server on the far side, for all rounds.
pl_server() {
	ns "$2" iperf3 -s -D -p 5201 -I "$PL_DIR/iperf3-$1.pid" >/dev/null 2>&1 ||
		{ note "pipeline $1: iperf3 server failed"; return 1; }
}

# The whole path works (and the pool mapping and the session exist
# before the first measurement).
pl_check() {
	wait_for 15 ns "$2" ping -6 -c 1 -W 1 "$PL_SERVER" ||
		{ note "pipeline $1: no ping through NAT64 + tunnel"; return 1; }
}

pl_round() {
	local impl=$1 cns=$2 j v
	j=$(ns "$cns" timeout $((DUR + 20)) iperf3 -c "$PL_SERVER" -p 5201 -t "$DUR" -i 0 -J \
		2>/dev/null) && v=$(echo "$j" | iperf_mbps)
	rec pl_tcp "$impl" "${v:-}"
	v=$(ns "$cns" ping -6 -c "$PINGS" -i 0.05 -W 2 "$PL_SERVER" |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | median)
	rec pl_ping "$impl" "${v:-}"
}

pl_down() {
	local f
	[ -n "$PL_TAYGA_PID" ] && { kill "$PL_TAYGA_PID" 2>/dev/null; wait "$PL_TAYGA_PID" 2>/dev/null; }
	PL_TAYGA_PID=""
	for f in "$PL_DIR"/iperf3-*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	reset_net
}

run_pipeline() {
	local r kn=0 tw=0 t0=$SECONDS
	reset_net
	rm -rf "$PL_DIR"
	mkdir -p "$PL_DIR"
	netns_add wire
	kn_load
	pl_keynet && pl_check keynet plkc && kn=1
	info "  pipeline: keynet set up (t=${SECONDS}s, $((SECONDS - t0))s)"
	t0=$SECONDS
	if ! command -v tayga >/dev/null; then
		note "pipeline: tayga not installed: peer side skipped"
	elif ! modprobe wireguard || ! command -v wg >/dev/null; then
		note "pipeline: no wireguard module or wg tool: peer side skipped"
	else
		pl_tayga_wg && pl_check tayga+wg plwc && tw=1
	fi
	info "  pipeline: tayga+wg set up (t=${SECONDS}s, $((SECONDS - t0))s)"
	for r in $(seq "$ROUNDS"); do
		info "pipeline round $r/$ROUNDS (t=${SECONDS}s)"
		[ $kn = 1 ] && pl_round keynet plkc
		[ $tw = 1 ] && pl_round tayga+wg plwc
	done
	pl_down
}
