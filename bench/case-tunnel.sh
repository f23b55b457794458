# SPDX-License-Identifier: GPL-2.0
# Case "tunnel": keynet vs the kernel's WireGuard, loopback underlay in one
# namespace (kn_pair), MTU 1420 on both: iperf3 TCP 1 and 4 streams, UDP
# 1400-byte datagrams at full speed (received Mbit/s), ping RTT.
# Mixed pair (issue 23): keynet in a and a stock WireGuard device in b
# (mix_pair: test 12's interop set-up at MTU 1420), TCP 1 stream both ways
# (a -> b: keynet encrypts, WireGuard decrypts; b -> a with iperf3 -R: the
# reverse), each against the WireGuard pair's TCP 1 stream of the same
# round (ratio mixed / WireGuard-WireGuard).  Each round builds keynet's
# pair, the mixed pair and WireGuard's pair afresh, in that order.
report_row "tcp1 wireguard Mbit/s tunnel_TCP_1_stream"
report_row "tcp4 wireguard Mbit/s tunnel_TCP_4_streams"
report_row "udp1400 wireguard Mbit/s tunnel_UDP_1400B_received"
report_row "ping wireguard ms tunnel_ping_RTT_(lower_is_better)"
report_row "tcp1 wireguard Mbit/s tunnel_TCP_keynet_to_wireguard_(mixed_pair) kn2wg"
report_row "tcp1 wireguard Mbit/s tunnel_TCP_wireguard_to_keynet_(mixed_pair) wg2kn"

tunnel_round() {
	local impl=$1 j v
	ns a ping -c 2 -W 3 192.168.241.2 >/dev/null || { note "$impl tunnel down"; return 0; }
	j=$(iperf_ab "$DUR") && v=$(echo "$j" | iperf_mbps)
	rec tcp1 "$impl" "${v:-}"; v=""
	j=$(iperf_ab "$DUR" -P 4) && v=$(echo "$j" | iperf_mbps)
	rec tcp4 "$impl" "${v:-}"; v=""
	j=$(iperf_ab "$DUR" -u -b 0 -l 1400) &&
		v=$(echo "$j" | iperf_mbps)
	rec udp1400 "$impl" "${v:-}"; v=""
	v=$(ns a ping -c "$PINGS" -i 0.05 -W 2 192.168.241.2 |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | median)
	rec ping "$impl" "${v:-}"
}

# keynet's kn0 in a, WireGuard's wg0 in b, both made in wire (their UDP
# sockets stay there: 127.0.0.1:10001 and :10002), overlay 192.168.241.1
# and .2, MTU 1420: kn_pair's and wg_pair's conventions.  Fails (1) with a
# note instead of ending the run.
mix_pair() {
	local ka kb
	kn_load
	netns_add wire a b
	ns wire ip link add kn0 type keynet || { note "mixed pair: kn0"; return 1; }
	ns wire ip link add wg0 type wireguard || { note "mixed pair: wg0"; return 1; }
	if ! { keynet genkey >/tmp/kn-mix.key && wg genkey >/tmp/wg-mix.key; }; then
		note "mixed pair: keys"
		return 1
	fi
	ka=$(keynet pubkey </tmp/kn-mix.key)
	kb=$(wg pubkey </tmp/wg-mix.key)
	if ! { keynet -n wire link set dev kn0 private-key /tmp/kn-mix.key listen-port 10001 &&
		keynet -n wire peer add dev kn0 "$kb" endpoint 127.0.0.1:10002 \
			route 192.168.241.2/32 &&
		ns wire wg set wg0 private-key /tmp/wg-mix.key listen-port 10002 \
			peer "$ka" endpoint 127.0.0.1:10001 allowed-ips 192.168.241.1/32; }; then
		note "mixed pair: configuration"
		return 1
	fi
	if ! { ns wire ip link set kn0 netns a && ns wire ip link set wg0 netns b &&
		ns a ip addr add 192.168.241.1/24 dev kn0 &&
		ns b ip addr add 192.168.241.2/24 dev wg0 &&
		ns a ip link set kn0 mtu "$MTU" up && ns b ip link set wg0 mtu "$MTU" up; }; then
		note "mixed pair: addresses"
		return 1
	fi
}

# TCP 1 stream both ways through the mixed pair (keynet starts the
# handshake: the first ping goes a -> b).
mix_round() {
	local j v=""
	ns a ping -c 2 -W 3 192.168.241.2 >/dev/null || { note "mixed pair tunnel down"; return 0; }
	j=$(iperf_ab "$DUR") && v=$(echo "$j" | iperf_mbps)
	rec tcp1 kn2wg "${v:-}"; v=""
	j=$(iperf_ab "$DUR" -R) && v=$(echo "$j" | iperf_mbps)
	rec tcp1 wg2kn "${v:-}"
}

run_tunnel() {
	local r
	modprobe wireguard || { note "no wireguard module: tunnel cases skipped"; return 0; }
	for r in $(seq "$ROUNDS"); do
		info "tunnel round $r/$ROUNDS (t=${SECONDS}s)"
		kn_pair v4
		ns a ip link set kn0 mtu "$MTU"
		ns b ip link set kn1 mtu "$MTU"
		tunnel_round keynet
		reset_net
		if mix_pair; then
			mix_round
		else
			rec tcp1 kn2wg ""; rec tcp1 wg2kn ""
		fi
		reset_net
		wg_pair "$MTU"
		tunnel_round wireguard
		reset_net
	done
}
