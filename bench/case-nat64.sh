# SPDX-License-Identifier: GPL-2.0
# Case "nat64": keynet vs TAYGA (and Jool when bench/build-jool.sh built it
# for this kernel), c -- r -- s topology of selftests/nat64: 64-byte
# IPv6/UDP packets from the kernel's pktgen on c's veth, counted as IPv4
# packets arriving on s (translated pps), and iperf3 TCP 1 stream from c
# to prefix::198.51.100.2.
report_row "n64_pps tayga pps NAT64_64B_UDP_translated_pps"
report_row "n64_offered tayga pps NAT64_pktgen_offered_pps"
report_row "n64_tcp tayga Mbit/s NAT64_TCP_1_stream"
report_row "n64_pps jool pps NAT64_64B_UDP_translated_pps"
report_row "n64_offered jool pps NAT64_pktgen_offered_pps"
report_row "n64_tcp jool Mbit/s NAT64_TCP_1_stream"

JOOL_DIR=$KN_ROOT/build/jool
JOOL=$JOOL_DIR/tools/usr/bin/jool
jool_ok=0

# The links of selftests/nat64/lib.sh (nat64_links) and a sink in s for
# the pps stream (dropped before conntrack).
n64_base() {
	nat64_links
	ns s nft -f - <<-NFT || fail "nft sink"
	table inet sink {
		chain pre {
			type filter hook prerouting priority -300;
			udp dport 9 drop
		}
	}
	NFT
}

n64_keynet() {
	kn_load
	n64_base
	nat64_kn0
	nat64_masq
}

TAYGA_PID=""
n64_tayga() {
	local conf=/tmp/tayga-bench.conf
	n64_base
	rm -rf /tmp/tayga-bench
	mkdir -p /tmp/tayga-bench
	cat >$conf <<-CONF
	tun-device nat64
	ipv4-addr 100.100.0.1
	prefix ${N64_PREFIX}/96
	dynamic-pool 100.100.0.0/16
	data-dir /tmp/tayga-bench
	CONF
	modprobe tun 2>/dev/null
	[ -e /dev/net/tun ] || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }
	ns r tayga -c $conf --mktun >/dev/null 2>&1 || fail "tayga --mktun"
	ns r ip link set nat64 mtu 1500 up
	ns r ip -6 route add ${N64_PREFIX}/96 dev nat64
	ns r ip route add 100.100.0.0/16 dev nat64
	ns r tayga -c $conf --nodetach >/tmp/tayga-bench.log 2>&1 &
	TAYGA_PID=$!
	nat64_masq
	sleep 0.5
}

n64_jool() {
	n64_base
	ns r "$JOOL" instance add bench --netfilter --pool6 ${N64_PREFIX}/96 >/dev/null ||
		fail "jool instance add"
	for p in --tcp --udp --icmp; do
		ns r "$JOOL" -i bench pool4 add $p 198.51.100.1 1024-65535 >/dev/null ||
			fail "jool pool4 add $p"
	done
}

n64_down() {
	[ -n "$TAYGA_PID" ] && { kill "$TAYGA_PID" 2>/dev/null; wait "$TAYGA_PID" 2>/dev/null; }
	TAYGA_PID=""
	[ "$jool_ok" = 1 ] && ns r "$JOOL" instance remove bench >/dev/null 2>&1
	reset_net
}

# pktgen from c0: 64-byte IPv6/UDP packets (78-byte frames) to the
# server's prefix address, one flow, for $DUR seconds.  Prints the
# number of packets sent.
pps_round() {
	local impl=$1 mac rx0 rx1 sent t0 t1
	ns c ping -6 -c 2 -W 3 "$N64_SERVER" >/dev/null ||
		{ note "$impl: no ping through the translator"; return 0; }
	mac=$(ns r cat /sys/class/net/rc/address)
	# One shell for all the writes: each `ip netns exec` costs ~0.5 s
	# under a loaded TCG.
	ns c sh -e -c "
		cd /proc/net/pktgen
		echo rem_device_all >kpktgend_0
		echo add_device c0 >kpktgend_0
		for c in 'count 0' 'clone_skb 0' 'flag UDPCSUM' 'pkt_size 78' 'delay 0' \
			'dst6 $N64_SERVER' 'src6 2001:db8:1::2' 'dst_mac $mac' \
			'udp_src_min 1234' 'udp_src_max 1234' 'udp_dst_min 9' \
			'udp_dst_max 9'; do
			echo \"\$c\" >c0
		done" || fail "pktgen set-up"
	rx0=$(ns s cat /sys/class/net/s0/statistics/rx_packets)
	t0=$(date +%s.%N)
	ns c sh -c 'echo start >/proc/net/pktgen/pgctrl' &
	local pgpid=$!
	sleep "$DUR"
	ns c sh -c 'echo stop >/proc/net/pktgen/pgctrl'
	wait $pgpid 2>/dev/null
	t1=$(date +%s.%N)
	sleep 0.5
	rx1=$(ns s cat /sys/class/net/s0/statistics/rx_packets)
	sent=$(ns c sed -n 's/.*pkts-sofar: *\([0-9]*\).*/\1/p' /proc/net/pktgen/c0)
	ns c sh -c 'echo rem_device_all >/proc/net/pktgen/kpktgend_0'
	rec n64_pps "$impl" "$(echo "($rx1 - $rx0) / ($t1 - $t0)" | bc)"
	rec n64_offered "$impl" "$(echo "${sent:-0} / ($t1 - $t0)" | bc)"
}

n64_round() {
	local impl=$1 v t0=$SECONDS
	pps_round "$impl"
	info "  $impl: pps done (t=${SECONDS}s, $((SECONDS - t0))s)"
	v=$(tcp_mbps c "$N64_SERVER" "$DUR" s) || { v=""; pkill_ns s; }
	rec n64_tcp "$impl" "$v"
}

jool_prepare() {
	local m
	if [ ! -x "$JOOL" ] || [ ! -f "$JOOL_DIR/mod-$KN_KVER/jool.ko" ]; then
		local why="bench/build-jool.sh was not run for $KN_KVER"
		[ -f "$JOOL_DIR/failed-$KN_KVER" ] && why=$(head -n 1 "$JOOL_DIR/failed-$KN_KVER")
		note "jool: not built ($why)"
		return 0
	fi
	for m in $(modinfo -F depends "$JOOL_DIR/mod-$KN_KVER/jool_common.ko" \
		"$JOOL_DIR/mod-$KN_KVER/jool.ko" | tr ',' ' '); do
		[ "$m" = jool_common ] || modprobe "$m" 2>/dev/null
	done
	insmod "$JOOL_DIR/mod-$KN_KVER/jool_common.ko" &&
		insmod "$JOOL_DIR/mod-$KN_KVER/jool.ko" ||
		{ note "jool: insmod failed"; return 0; }
	jool_ok=1
}

run_nat64() {
	local r
	command -v tayga >/dev/null || note "tayga not installed: skipped"
	modprobe pktgen || { note "no pktgen module: pps cases skipped"; }
	jool_prepare
	for r in $(seq "$ROUNDS"); do
		info "nat64 round $r/$ROUNDS (t=${SECONDS}s)"
		n64_keynet; n64_round keynet; n64_down
		if command -v tayga >/dev/null; then
			n64_tayga; n64_round tayga; n64_down
		fi
		if [ "$jool_ok" = 1 ]; then
			n64_jool; n64_round jool; n64_down
		fi
	done
}
