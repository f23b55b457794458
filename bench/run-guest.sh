#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# keynet benchmark, guest side (run by selftests/vm/guest-init when the VM
# is booted with `selftests/run --bench`).  Every case runs keynet and its
# peer implementation alternately in the same VM (A B A B ...), each in
# freshly built namespaces, and reports medians over the rounds:
#   tunnel: keynet vs the kernel's WireGuard, loopback underlay in one
#           namespace (kn_pair), MTU 1420 on both: iperf3 TCP 1 and 4
#           streams, UDP 1400-byte datagrams at full speed (received
#           Mbit/s), ping RTT (median of the round's replies, in ms);
#   nat64:  keynet vs TAYGA (and Jool when bench/build-jool.sh built it
#           for this kernel), c -- r -- s topology of selftests/nat64:
#           64-byte IPv6/UDP packets from the kernel's pktgen on c's veth,
#           counted as IPv4 packets arriving on s (translated pps), and
#           iperf3 TCP 1 stream from c to prefix::198.51.100.2.
# Output: "# " lines (table included), then the JSON between the lines
# KN-BENCH-JSON-BEGIN and KN-BENCH-JSON-END (the host runner extracts it
# into bench/last.json).  KN_QUICK=1: 3 rounds, shorter durations.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"
set -u

if [ "${KN_QUICK:-0}" = 1 ]; then
	ROUNDS=${KN_ROUNDS:-3} DUR=3 PINGS=10
else
	ROUNDS=${KN_ROUNDS:-5} DUR=8 PINGS=30
fi
MTU=1420
res=/tmp/kn-bench
rm -rf "$res"
mkdir -p "$res"
notes=()
note() { notes+=("$*"); info "note: $*"; }

# rec CASE IMPL VALUE: one measurement (empty or failed ones are noted).
rec() {
	if [ -z "$3" ] || [ "$3" = null ]; then
		note "$1 $2: no result in one round"
		return 0
	fi
	echo "$3" >>"$res/$1.$2"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

reset_net() {
	ip -all netns delete 2>/dev/null
	sleep 0.3
}

# --- tunnel: keynet vs WireGuard -------------------------------------------
wg_pair() {
	netns_add wire a b
	for d in wga wgb; do ns wire ip link add $d type wireguard || fail "wg $d"; done
	wg genkey >/tmp/wa.key; wg genkey >/tmp/wb.key
	ns wire wg set wga private-key /tmp/wa.key listen-port 10001 \
		peer "$(wg pubkey </tmp/wb.key)" endpoint 127.0.0.1:10002 \
		allowed-ips 192.168.241.2/32
	ns wire wg set wgb private-key /tmp/wb.key listen-port 10002 \
		peer "$(wg pubkey </tmp/wa.key)" endpoint 127.0.0.1:10001 \
		allowed-ips 192.168.241.1/32
	ns wire ip link set wga netns a; ns wire ip link set wgb netns b
	ns a ip addr add 192.168.241.1/24 dev wga
	ns b ip addr add 192.168.241.2/24 dev wgb
	ns a ip link set wga mtu $MTU up; ns b ip link set wgb mtu $MTU up
}

# iperf3 from a to b, JSON out; extra iperf3 arguments after the duration.
iperf_ab() {
	local dur=$1 out
	shift
	ns b iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
	wait_for 5 iperf_listening b || return 1
	out=$(ns a timeout $((dur + 20)) iperf3 -c 192.168.241.2 -p 5201 -t "$dur" -J "$@" \
		2>/dev/null) || { pkill_ns b; return 1; }
	echo "$out"
}

iperf_listening() { [ -n "$(ns "$1" ss -Hltn 'sport = :5201')" ]; }

# Stop a leftover iperf3 server of a namespace (by pid, from ss).
pkill_ns() {
	local p
	for p in $(ns "$1" ss -Hltnp 'sport = :5201' | grep -o 'pid=[0-9]*' | cut -d= -f2); do
		kill "$p" 2>/dev/null
	done
	sleep 0.2
}

tunnel_round() {
	local impl=$1 j v
	ns a ping -c 2 -W 3 192.168.241.2 >/dev/null || { note "$impl tunnel down"; return 0; }
	j=$(iperf_ab "$DUR") && v=$(echo "$j" | jq '.end.sum_received.bits_per_second / 1e6 | . * 10 | floor / 10')
	rec tcp1 "$impl" "${v:-}"; v=""
	j=$(iperf_ab "$DUR" -P 4) && v=$(echo "$j" | jq '.end.sum_received.bits_per_second / 1e6 | . * 10 | floor / 10')
	rec tcp4 "$impl" "${v:-}"; v=""
	j=$(iperf_ab "$DUR" -u -b 0 -l 1400) &&
		v=$(echo "$j" | jq '.end.sum_received.bits_per_second / 1e6 | . * 10 | floor / 10')
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
		wg_pair
		tunnel_round wireguard
		reset_net
	done
}

# --- NAT64: keynet vs TAYGA (vs Jool) ---------------------------------------
JOOL_DIR=$KN_ROOT/build/jool
JOOL=$JOOL_DIR/tools/usr/bin/jool
jool_ok=0

# The translator-independent part: veths, addresses, MASQUERADE of the
# pool, a sink in s for the pps stream (dropped before conntrack).
n64_base() {
	netns_add c r s
	ip link add c0 netns c type veth peer name rc netns r || fail "veth c"
	ip link add s0 netns s type veth peer name rs netns r || fail "veth s"
	ns c ip addr add 2001:db8:1::2/64 dev c0 nodad
	ns c ip link set c0 up
	ns c ip -6 route add default via 2001:db8:1::1
	ns r ip addr add 2001:db8:1::1/64 dev rc nodad
	ns r ip link set rc up
	ns r ip addr add 198.51.100.1/24 dev rs
	ns r ip link set rs up
	ns s ip addr add 198.51.100.2/24 dev s0
	ns s ip link set s0 up
	ns r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	ns s nft -f - <<-NFT || fail "nft sink"
	table inet sink {
		chain pre {
			type filter hook prerouting priority -300;
			udp dport 9 drop
		}
	}
	NFT
}

n64_masq() {
	ns r nft -f - <<-NFT || fail "nft masquerade"
	table ip nat64 {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "rs" ip saddr 100.100.0.0/16 masquerade
		}
	}
	NFT
}

n64_keynet() {
	kn_load
	n64_base
	ns r ip link add kn0 type keynet || fail "create kn0"
	ns r ip link set kn0 up || fail "kn0 up"
	keynet -n r nat64 set dev kn0 prefix ${N64_PREFIX}/96 ipv4-addr 100.100.0.1 ||
		fail "nat64 set"
	keynet -n r pool add 100.100.0.0/16 dev kn0 || fail "pool add"
	ns r ip -6 route add ${N64_PREFIX}/96 dev kn0 || fail "route prefix"
	ns r ip route add 100.100.0.0/16 dev kn0 || fail "route pool"
	n64_masq
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
	n64_masq
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

# --- report -----------------------------------------------------------------
vals() { [ -f "$res/$1.$2" ] && tr '\n' ' ' <"$res/$1.$2"; }
med() { [ -f "$res/$1.$2" ] && median <"$res/$1.$2"; }

report() {
	local c impl peer unit what km pm ratio rows=() row
	local -a cases=(
		"tcp1 wireguard Mbit/s tunnel_TCP_1_stream"
		"tcp4 wireguard Mbit/s tunnel_TCP_4_streams"
		"udp1400 wireguard Mbit/s tunnel_UDP_1400B_received"
		"ping wireguard ms tunnel_ping_RTT_(lower_is_better)"
		"n64_pps tayga pps NAT64_64B_UDP_translated_pps"
		"n64_offered tayga pps NAT64_pktgen_offered_pps"
		"n64_tcp tayga Mbit/s NAT64_TCP_1_stream"
		"n64_pps jool pps NAT64_64B_UDP_translated_pps"
		"n64_offered jool pps NAT64_pktgen_offered_pps"
		"n64_tcp jool Mbit/s NAT64_TCP_1_stream"
	)
	info ""
	info "$(printf '%-36s %-9s %12s %12s %10s %7s' case peer keynet peer unit ratio)"
	for row in "${cases[@]}"; do
		read -r c peer unit what <<<"$row"
		km=$(med "$c" keynet)
		pm=$(med "$c" "$peer")
		[ -n "$km$pm" ] || continue
		[ -n "$pm" ] || continue
		ratio=null
		if [ -n "$km" ] && [ -n "$pm" ] && [ "$(echo "$pm > 0" | bc)" = 1 ]; then
			ratio=$(echo "scale=3; $km / $pm" | bc | sed 's/^\./0./')
		fi
		info "$(printf '%-36s %-9s %12s %12s %10s %7s' "${what//_/ }" "$peer" \
			"${km:--}" "${pm:--}" "$unit" "$ratio")"
		rows+=("$(jq -cn --arg case "$c" --arg what "${what//_/ }" --arg peer "$peer" \
			--arg unit "$unit" --arg kv "$(vals "$c" keynet)" \
			--arg pv "$(vals "$c" "$peer")" --arg km "${km:-}" --arg pm "${pm:-}" \
			--arg ratio "$ratio" '
			def nums: [splits(" +") | select(length > 0) | tonumber];
			{case: $case, what: $what, peer: $peer, unit: $unit,
			 keynet_median: ($km | if . == "" then null else tonumber end),
			 peer_median: ($pm | if . == "" then null else tonumber end),
			 ratio: ($ratio | if . == "null" then null else tonumber end),
			 keynet: ($kv | nums), peer_values: ($pv | nums)}')")
	done
	info ""
	echo "KN-BENCH-JSON-BEGIN"
	printf '%s\n' "${rows[@]}" | jq -M -c -s \
		--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg kernel "$(uname -r)" \
		--arg cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)" \
		--argjson ncpu "$(nproc)" --argjson rounds "$ROUNDS" \
		--argjson dur "$DUR" --argjson quick "${KN_QUICK:-0}" \
		--arg notes "$(printf '%s\n' "${notes[@]:-}")" '
		{date: $date, kernel: $kernel, cpu: $cpu, ncpu: $ncpu,
		 quick: ($quick == 1), rounds: $rounds, duration_s: $dur,
		 notes: [$notes | splits("\n") | select(length > 0)],
		 cases: .}'
	echo "KN-BENCH-JSON-END"
}

start=$(date +%s)
info "bench: $ROUNDS rounds, ${DUR}s per measurement, $(nproc) cpus, $(uname -r)"
info "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
parts=${KN_BENCH_CASES:-tunnel,nat64}
case ",$parts," in *,tunnel,*) run_tunnel ;; esac
case ",$parts," in *,nat64,*) run_nat64 ;; esac
info "bench: measured in $(( $(date +%s) - start ))s"
report
