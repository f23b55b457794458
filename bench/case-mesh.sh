# SPDX-License-Identifier: GPL-2.0
# Case "mesh" (issue 20): the seed's meshnet of test 82 (home, vps2, vps3,
# n4; every node a neighbour of every other) routed by BIRD's Babel, keynet
# against what operators run today, alternately, each freshly built:
#
#   keynet          ONE keynet device kn0 per node, mesh on, every other
#                   node a peer by key and endpoint; the node's whole tunnel
#                   configuration is one keynet.conf (`keynet conf apply`)
#                   with its IPv4 next-hop address and, per peer, that
#                   peer's as its one route (BIRD 2.0.12 announces IPv4
#                   routes with IPv4 next hops, selftests/mesh/lib.sh);
#   wireguard+bird  ONE WireGuard interface PER NEIGHBOUR (wg-NEIGHBOUR, 3
#                   per node, 12 in all), each with its own listen port
#                   (MB_WGPORT + the neighbour's index; the neighbour's
#                   interface back listens on MB_WGPORT + ours), its one peer
#                   with AllowedIPs ::/0, 0.0.0.0/0, hand-set addresses as on
#                   dn42: the node's link-local fe80::I/64 on each of its
#                   interfaces (the namespace's addrgenmode none, so that no
#                   random link-local competes for Babel's hellos) and its
#                   IPv4 next hop 10.254.0.I/32 with the neighbour's as the
#                   peer address; the same node key on every interface.
#
# Shared by both (selftests/mesh/lib.sh, as test 82): the node namespaces,
# their sysctls, the underlay (veths to a router namespace "ul",
# 10.99.I.2), the LAN side (dummy0 with the node's ULA /64 and 10.255.0.I),
# keepalive 1 s, and the BIRD configuration of mesh_bird_conf: Babel type
# wired, hello 300 ms, update 1200 ms, rxcost 96 (n4 256: n4's links cost
# more, so vps2 is the only relay for home<->vps3); for WireGuard only its
# interface line differs (the three wg- interfaces in place of kn0).
#
# Rows (median over the rounds; ratio keynet / wireguard+bird):
#  - time to converge: from the BIRD daemons' start (every tunnel session
#    already up) until every node reached every other node's ULA and IPv4
#    address (mesh_wait_full), s;
#  - outage after a link cut: pings every 0.1 s home -> vps3, ULA to ULA
#    and IPv4 to IPv4, on the direct path; then the underlay home<->vps3 is
#    cut (nftables in home's namespace drops every UDP datagram to and from
#    vps3's underlay address: the same rule for both, whatever the ports);
#    once both ends route via vps2 and 20 more replies came, the longest
#    gap between replies (outage_stop) of the worse of the two families, s;
#  - TCP through a relay node: with the link still cut, iperf3 -t DUR from
#    home's ULA to vps3's ULA (via vps2, checked: next hops and the reply
#    hop limit 63), Mbit/s received;
#  - configuration lines per node: the non-blank, non-comment lines of
#    what the case writes and runs for a node: its set-up script (the
#    commands run in the node; keynet: `keynet conf apply`; WireGuard: the
#    addrgenmode sysctl and per interface ip link add, wg setconf,
#    2 x ip address add, ip link set up), the files those read (keynet.conf;
#    one wg setconf file per interface) and bird.conf.  The shared base
#    (namespace, sysctls, underlay, dummy0) is not counted; key generation
#    neither (one key per node for both);
#  - kernel memory per node: live slab objects (/proc/slabinfo active
#    objects x size) + Percpu + VmallocUsed (ctl_kmem of case-control.sh),
#    each reading after dropping the reclaimable caches and once it stopped
#    moving, from after the shared base was built to after convergence:
#    the tunnel devices, peers, sessions, addresses, routes and the BIRD
#    daemons; divided by the 4 nodes, kB.
# Rounds: 3 (1 with QUICK=1), or ROUNDS when given; each implementation's
# round runs in a subshell, so a failed step ends that round with a note
# (and the nodes' state on the console), not the benchmark.

MB_DIR=/tmp/kn-bench-mesh
MB_PEER=wireguard+bird
MB_WGPORT=27100

report_row "mesh_conv $MB_PEER s mesh_time_to_converge_(lower_is_better)"
report_row "mesh_outage $MB_PEER s mesh_outage_after_a_link_cut_(lower_is_better)"
report_row "mesh_relay $MB_PEER Mbit/s mesh_TCP_through_a_relay_node"
report_row "mesh_conf $MB_PEER lines mesh_configuration_lines_per_node_(lower_is_better)"
report_row "mesh_kmem $MB_PEER kB mesh_kernel_memory_per_node_(lower_is_better)"


# Kernel memory in use (bytes, ctl_kmem) after dropping the page cache and
# the reclaimable slabs (dentries and inodes of /proc and /sys, which grow
# with every process start), once two readings 0.5 s apart are within
# 128 kB (at most 10 s).
mb_kmem() {
	local a b _
	sync
	echo 3 >/proc/sys/vm/drop_caches
	a=$(ctl_kmem)
	b=$a
	for _ in $(seq 20); do
		sleep 0.5
		echo 3 >/proc/sys/vm/drop_caches
		b=$(ctl_kmem)
		[ $(( a > b ? a - b : b - a )) -lt 131072 ] && break
		a=$b
	done
	echo "$b"
}

# --- the two set-ups: files and set-up scripts ------------------------------

# mb_keys IMPL: a key per node (KEY[]: the public keys; keynet: FC[] too).
mb_keys() {
	local i d
	for ((i = 1; i <= MESH_N; i++)); do
		d=$MESH_DIR/${MESH_NAMES[i]}
		if [ "$1" = keynet ]; then
			keynet genkey >"$d/key" || fail "keynet genkey"
			KEY[i]=$(keynet pubkey <"$d/key")
			FC[i]=$(keynet addr "${KEY[i]}") || fail "keynet addr"
		else
			wg genkey >"$d/key" || fail "wg genkey"
			KEY[i]=$(wg pubkey <"$d/key")
		fi
	done
}

# mb_kn_files I: node I's keynet.conf and set-up script.
mb_kn_files() {
	local i=$1 j d=$MESH_DIR/${MESH_NAMES[$1]}
	{
		echo "[Link]"
		echo "Name = kn0"
		echo "PrivateKeyFile = $d/key"
		echo "ListenPort = $MESH_PORT"
		echo "Mesh = on"
		echo "Address = ${NH4[i]}/24"
		for ((j = 1; j <= MESH_N; j++)); do
			[ "$i" = "$j" ] && continue
			echo ""
			echo "[Peer]"
			echo "PublicKey = ${KEY[j]}"
			echo "Endpoint = ${UL[j]}:$MESH_PORT"
			echo "PersistentKeepalive = $MESH_KEEPALIVE"
			echo "Route = ${NH4[j]}/32"
		done
	} >"$d/keynet.conf"
	echo "keynet conf apply $d/keynet.conf" >"$d/setup.sh"
}

# mb_wg_iface_lines I J DEV CONF: the commands that make node I's
# interface DEV to node J (its wg setconf file CONF).
mb_wg_iface_lines() {
	local i=$1 j=$2 dev=$3 conf=$4
	echo "ip link add $dev type wireguard"
	echo "wg setconf $dev $conf"
	echo "ip address add ${LL[i]}/64 dev $dev"
	echo "ip address add ${NH4[i]}/32 peer ${NH4[j]}/32 dev $dev"
	echo "ip link set $dev up"
}

# mb_wg_files I: node I's wg setconf files (one per neighbour) and set-up
# script.
mb_wg_files() {
	local i=$1 j d=$MESH_DIR/${MESH_NAMES[$1]} dev
	echo "sysctl -qw net.ipv6.conf.default.addr_gen_mode=1" >"$d/setup.sh"
	for ((j = 1; j <= MESH_N; j++)); do
		[ "$i" = "$j" ] && continue
		dev=wg-${MESH_NAMES[j]}
		{
			echo "[Interface]"
			echo "PrivateKey = $(cat "$d/key")"
			echo "ListenPort = $((MB_WGPORT + j))"
			echo "[Peer]"
			echo "PublicKey = ${KEY[j]}"
			echo "Endpoint = ${UL[j]}:$((MB_WGPORT + i))"
			echo "AllowedIPs = ::/0, 0.0.0.0/0"
			echo "PersistentKeepalive = $MESH_KEEPALIVE"
		} >"$d/$dev.conf"
		mb_wg_iface_lines "$i" "$j" "$dev" "$d/$dev.conf" >>"$d/setup.sh"
	done
}

# mb_wg_ifaces I: node I's WireGuard interfaces, as a BIRD pattern list.
mb_wg_ifaces() {
	local i=$1 j l=""
	for ((j = 1; j <= MESH_N; j++)); do
		[ "$i" = "$j" ] || l="$l${l:+, }\"wg-${MESH_NAMES[j]}\""
	done
	echo "$l"
}

# mb_bird_conf I: node I's BIRD configuration: test 82's (mesh_bird_conf),
# for WireGuard with the node's interfaces in place of kn0.
mb_bird_conf() {
	if [ "$MB_IMPL" = keynet ]; then
		mesh_bird_conf "$1"
	else
		mesh_bird_conf "$1" | sed "s/^\([[:space:]]*interface \)\"kn0\"/\1$(mb_wg_ifaces "$1")/"
	fi
}

# mb_wg_lls: every WireGuard interface carries the node's link-local
# address and no other.
mb_wg_lls() {
	local i got want j
	for ((i = 1; i <= MESH_N; i++)); do
		got=$(ip -n "${MESH_NAMES[i]}" -6 -o addr show scope link |
			awk '$2 ~ /^wg-/ { print $2, $4 }' | sort)
		want=$(for ((j = 1; j <= MESH_N; j++)); do
			[ "$i" = "$j" ] || echo "wg-${MESH_NAMES[j]} ${LL[i]}/64"; done | sort)
		[ "$got" = "$want" ] ||
			fail "link-local addresses of ${MESH_NAMES[i]}'s interfaces: $(echo "$got" | tr '\n' ' ')"
	done
}

# mb_wg_sessions_up: every WireGuard interface has a session with its peer.
mb_wg_sessions_up() {
	local i n
	for ((i = 1; i <= MESH_N; i++)); do
		n=$(ns "${MESH_NAMES[i]}" wg show all latest-handshakes | awk '$3 > 0' | wc -l)
		[ "$n" -ge $((MESH_N - 1)) ] || return 1
	done
}

# mb_setup: the tunnels of every node, from the files written here, and
# every session up.
mb_setup() {
	local i d name
	mb_keys "$MB_IMPL"
	if [ "$MB_IMPL" != keynet ]; then
		for ((i = 1; i <= MESH_N; i++)); do LL[i]=fe80::$i; done
	fi
	for ((i = 1; i <= MESH_N; i++)); do
		name=${MESH_NAMES[i]}
		d=$MESH_DIR/$name
		if [ "$MB_IMPL" = keynet ]; then mb_kn_files "$i"; else mb_wg_files "$i"; fi
		ns "$name" bash -e "$d/setup.sh" >"$d/setup.log" 2>&1 ||
			fail "set-up of $name: $(tail -n 3 "$d/setup.log" | tr '\n' ' ')"
	done
	if [ "$MB_IMPL" = keynet ]; then
		mesh_lls
		wait_for 40 mesh_sessions_up || fail "not every keynet peer has a session after 40 s"
	else
		mb_wg_lls
		wait_for 40 mb_wg_sessions_up || fail "not every WireGuard interface has a session after 40 s"
	fi
}

# mb_bird_start I: BIRD in node I (as mesh_daemon_start, with mb_bird_conf).
mb_bird_start() {
	local i=$1 name=${MESH_NAMES[$1]} d=$MESH_DIR/${MESH_NAMES[$1]}
	mb_bird_conf "$i" >"$d/bird.conf"
	ns "$name" bird -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" ||
		fail "bird in $name: $(tail -n 3 "$d/bird.log" 2>/dev/null)"
	wait_for 10 test -s "$d/bird.pid" || fail "bird in $name wrote no pid file"
}

# mb_conf_lines: the configuration lines per node (see the top), with the
# breakdown of the first node on the console.
mb_conf_lines() {
	local i d f n tot=0 tun bird files
	for ((i = 1; i <= MESH_N; i++)); do
		d=$MESH_DIR/${MESH_NAMES[i]}
		n=$(cat "$d/setup.sh" "$d"/*.conf | grep -cv '^[[:space:]]*\(#.*\)\?$')
		tot=$((tot + n))
		[ "$i" = 1 ] || continue
		bird=$(grep -cv '^[[:space:]]*\(#.*\)\?$' "$d/bird.conf")
		tun=$((n - bird))
		files=setup.sh
		for f in "$d"/*.conf; do files="$files ${f##*/}"; done
		info "  mesh $MB_IMPL: ${MESH_NAMES[i]}: $n configuration lines ($tun tunnel, $bird BIRD) in $files" >&2
	done
	awk -v t="$tot" -v n="$MESH_N" 'BEGIN { printf "%g\n", t / n }'
}

# --- measurements --------------------------------------------------------------

# mb_cut A B: drop every UDP datagram between A's and B's underlay
# addresses, in A's namespace (both directions; the tunnels of both
# implementations, whatever their ports).
mb_cut() {
	local a b
	a=$(mesh_idx "$1") b=$(mesh_idx "$2")
	ns "${MESH_NAMES[a]}" nft -f - <<-EOF || fail "nft cut ${MESH_NAMES[a]}-${MESH_NAMES[b]}"
	table inet mbcut {
		chain out {
			type filter hook output priority 0;
			ip daddr ${UL[b]} meta l4proto udp drop
		}
		chain in {
			type filter hook input priority 0;
			ip saddr ${UL[b]} meta l4proto udp drop
		}
	}
	EOF
}

# mb_drops_mark / mb_drops_since: keynet's drop counters on home, vps2
# and vps3 at the cut, and what grew since (a diagnostic line: which
# drops, if any, make the outage longer than the routing daemon's
# reaction).
declare -gA MB_DROPS0
mb_drop_line() {
	keynet -n "$1" -j -s link show dev kn0 | jq -r '.[0].drops // {} | to_entries[] | "\(.key) \(.value)"'
}
mb_drops_mark() {
	local n
	for n in home vps2 vps3; do MB_DROPS0[$n]=$(mb_drop_line "$n"); done
}
mb_drops_since() {
	local n out=""
	for n in home vps2 vps3; do
		out+="$n:$(mb_drop_line "$n" | awk -v before="${MB_DROPS0[$n]}" 'BEGIN { n = split(before, l, "\n"); for (i = 1; i <= n; i++) { split(l[i], kv, " "); b[kv[1]] = kv[2] } }
			$2 - b[$1] > 0 { printf " %s=%d", $1, $2 - b[$1] }') "
	done
	echo "$out"
}

# mb_outage: the cut home<->vps3 with pings running (see the top).
mb_outage() {
	local t n6 n4 o6 o4 l6 l4
	wait_for 30 mesh_direct home vps3 || fail "home and vps3 do not route to each other directly"
	outage_start v6 1 "${MESH_ULA[1]}1" "${MESH_ULA[3]}1"
	outage_start v4 1 "${V4[1]}" "${V4[3]}"
	{ wait_for 20 outage_has v6 10 && wait_for 10 outage_has v4 10; } ||
		fail "no replies on the direct path home -> vps3"
	[ "$MB_IMPL" = keynet ] && mb_drops_mark
	mb_cut home vps3
	t=$(now_ms)
	wait_for 60 mesh_hops home vps3 vps2 vps2 ||
		fail "home and vps3 not routed via vps2 60 s after the cut (now via $(mesh_via home "${MESH_ULA[3]}1") and $(mesh_via vps3 "${MESH_ULA[1]}1"))"
	info "  mesh $MB_IMPL: cut home-vps3, both ends via vps2 after $(ms_s $(( $(now_ms) - t ))) s"
	n6=$(outage_replies v6) n4=$(outage_replies v4)
	{ wait_for 30 outage_has v6 $((n6 + 20)) && wait_for 10 outage_has v4 $((n4 + 20)); } ||
		fail "replies via vps2 stopped"
	outage_stop v6
	o6=$OUTAGE l6=$OUTAGE_LOST
	outage_stop v4
	o4=$OUTAGE l4=$OUTAGE_LOST
	info "  mesh $MB_IMPL: longest outage IPv6 $o6 s ($l6 lost), IPv4 $o4 s ($l4 lost)"
	[ "$MB_IMPL" = keynet ] && info "  mesh keynet: drops during the cut: $(mb_drops_since)"
	rec mesh_outage "$MB_REC" "$(awk -v a="$o6" -v b="$o4" 'BEGIN { print (a > b ? a : b) }')"
}

# mb_relay_tcp: iperf3 home -> vps3 through vps2, the direct link cut.
mb_relay_tcp() {
	local j v="" ttl
	ttl=$(mesh_ttl home "${MESH_ULA[1]}1" "${MESH_ULA[3]}1")
	[ "$ttl" = 63 ] ||
		note "mesh $MB_IMPL: hop limit of vps3's reply during the cut '$ttl', want 63 (one relay)"
	ns vps3 iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
	wait_for 10 tcp_listening vps3 5201 || fail "no iperf3 server on vps3"
	j=$(ns home timeout $((DUR + 30)) iperf3 -c "${MESH_ULA[3]}1" -B "${MESH_ULA[1]}1" \
		-p 5201 -t "$DUR" -J 2>/dev/null) && v=$(echo "$j" | iperf_mbps)
	mesh_hops home vps3 vps2 vps2 ||
		note "mesh $MB_IMPL: the path home-vps3 left vps2 during the TCP measurement"
	info "  mesh $MB_IMPL: TCP home -> vps3 via vps2: ${v:-?} Mbit/s"
	rec mesh_relay "$MB_REC" "${v:-}"
}

# --- one round of one implementation (in a subshell) ---------------------------

# mb_diag: the nodes' state after a failure.
mb_diag() {
	local i name
	if [ "$MB_IMPL" = keynet ]; then
		mesh_diag
		return 0
	fi
	echo "# --- mesh state (WireGuard, BIRD) ---"
	for ((i = 1; i <= MESH_N; i++)); do
		name=${MESH_NAMES[i]}
		echo "# $name: sessions: $(ns "$name" wg show all latest-handshakes 2>/dev/null |
			awk '{ printf "%s=%s ", $1, ($3 > 0 ? "up" : "none") }')"
		echo "#   routes: $( { ip -n "$name" -6 route show proto bird; ip -n "$name" -4 route show proto bird; } 2>/dev/null |
			awk '{ for (k = 1; k < NF; k++) if ($k == "dev") printf "%s>%s ", $1, $(k + 1) }')"
		mesh_birdc "$i" show babel neighbors 2>/dev/null | tail -n +4 | sed 's/^/#   babel /'
	done
}

# mb_down: the EXIT trap of a round: note and show a failure, end every
# process of the round's namespaces (pingers, BIRD, iperf3) so that none
# outlives them; the caller deletes the namespaces.
mb_down() {
	local rc=$? n pids=()
	trap - EXIT
	if [ "$rc" != 0 ]; then
		note "mesh $MB_REC: ${MESH_FAILED:-exit status $rc} (round abandoned)"
		(set +u; mb_diag) 2>&1 | head -n 60
	fi
	[ ${#MESH_BG[@]} -gt 0 ] && kill_tree "${MESH_BG[@]}"
	for n in ul "${MESH_NAMES[@]}"; do
		# shellcheck disable=SC2207
		pids+=($(ip netns pids "$n" 2>/dev/null))
	done
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null
		wait_for 10 procs_gone "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null
	fi
	exit "$rc"
}

# mb_round IMPL: build, converge, measure, tear down (run in a subshell).
mb_round() {
	local i m0 m1
	MB_IMPL=$1
	MB_REC=$1
	[ "$1" = keynet ] || MB_REC=$MB_PEER
	# Notes go to a file the parent reads back (this is a subshell).
	note() { info "note: $*"; echo "$*" >>"$MB_DIR/notes"; }
	trap mb_down EXIT
	trap 'exit 143' TERM
	mb_kmem >/dev/null		# let the last round's teardown settle
	MESH_BG=()
	rm -rf "$MESH_DIR"
	mesh_vars 4
	netns_add ul
	ns ul sysctl -qw net.ipv4.ip_forward=1 || fail "forwarding in ul"
	for ((i = 1; i <= MESH_N; i++)); do mesh_node_base "$i"; done
	m0=$(mb_kmem)
	mb_setup
	MESH_T0=$(now_ms)
	for ((i = 1; i <= MESH_N; i++)); do mb_bird_start "$i"; done
	mesh_wait_full 60 || fail "not every node reaches every other within 60 s of BIRD's start"
	info "  mesh $MB_IMPL: converged in $MESH_CONVERGED s"
	rec mesh_conv "$MB_REC" "$MESH_CONVERGED"
	m1=$(mb_kmem)
	info "  mesh $MB_IMPL: kernel memory +$(( (m1 - m0) / 1024 )) kB for the 4 nodes"
	rec mesh_kmem "$MB_REC" $(( (m1 - m0) / 1024 / MESH_N ))
	rec mesh_conf "$MB_REC" "$(mb_conf_lines)"
	mb_outage
	mb_relay_tcp
}

run_mesh() {
	local r impl impls=keynet rounds l
	command -v bird >/dev/null || { note "mesh: BIRD is not installed: case skipped"; return 0; }
	# (ROUNDS: run-guest.sh's, from KN_ROUNDS when given.)
	# shellcheck disable=SC2153
	if [ -n "${KN_ROUNDS:-}" ]; then rounds=$ROUNDS
	elif [ "${KN_QUICK:-0}" = 1 ]; then rounds=1
	else rounds=3; fi
	kn_load
	if modprobe wireguard && command -v wg >/dev/null; then impls="keynet wireguard"
	else note "mesh: no wireguard module or wg tool: keynet's figures only"; fi
	# shellcheck source=selftests/mesh/lib.sh
	. "$KN_ROOT/selftests/mesh/lib.sh"
	mesh_seed_nodes		# the nodes of test 82
	MESH_DAEMON=bird
	MESH_HELLO_MS=300
	MESH_UPDATE_MS=1200
	MESH_DIR=$MB_DIR/nodes
	rm -rf "$MB_DIR"
	mkdir -p "$MB_DIR"
	reset_net
	for r in $(seq "$rounds"); do
		for impl in $impls; do
			info "mesh round $r/$rounds: $impl (t=${SECONDS}s)"
			(mb_round "$impl")
			reset_net
			if [ -s "$MB_DIR/notes" ]; then
				while IFS= read -r l; do notes+=("$l"); done <"$MB_DIR/notes"
				rm -f "$MB_DIR/notes"
			fi
		done
	done
	rm -rf "$MB_DIR"
}
