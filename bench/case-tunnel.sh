# SPDX-License-Identifier: GPL-2.0
# Case "tunnel": keynet vs the kernel's WireGuard, loopback underlay in one
# namespace (kn_pair), MTU 1420 on both: iperf3 TCP 1 and 4 streams, UDP
# 1400-byte datagrams at full speed (received Mbit/s), ping RTT.
report_row "tcp1 wireguard Mbit/s tunnel_TCP_1_stream"
report_row "tcp4 wireguard Mbit/s tunnel_TCP_4_streams"
report_row "udp1400 wireguard Mbit/s tunnel_UDP_1400B_received"
report_row "ping wireguard ms tunnel_ping_RTT_(lower_is_better)"

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

run_tunnel() {
	local r
	modprobe wireguard || { note "no wireguard module: tunnel cases skipped"; return 0; }
	for r in $(seq "$ROUNDS"); do
		info "tunnel round $r/$ROUNDS (t=${SECONDS}s)"
		kn_pair v4
		ns a ip link set kn0 mtu $MTU
		ns b ip link set kn1 mtu $MTU
		tunnel_round keynet
		reset_net
		wg_pair $MTU
		tunnel_round wireguard
		reset_net
	done
}
