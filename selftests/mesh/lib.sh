# SPDX-License-Identifier: GPL-2.0
# The mesh of tests 82-86 (issue 20, mesh mode): N nodes, each a network
# namespace with one keynet device kn0, peers configured with keys and
# endpoints only, and a stock routing daemon (BIRD's Babel or OSPF, or babeld) that
# learns every overlay route.  Sourced after selftests/lib.sh.
#
#   underlay  namespace "ul" is a router (the Internet): node i is
#             10.99.i.2/24 on its ul0, the router 10.99.i.1, and the
#             node's default route points there with metric 1000 (an ISP
#             default route: a default learned from the mesh, metric 32,
#             covers every peer's endpoint: the loop guard's case).
#             Peers' endpoints are 10.99.j.2:27177 (cjdns' port in the
#             seed).  One underlay link i<->j is cut with nftables in i's
#             namespace (mesh_link_cut).
#   overlay   kn0, mesh on (MESH_MODE=off: not), the key-derived fc and
#             fe80 addresses that the tool adds; keepalive 1 s.
#   "LAN"     dummy0 holds the node's ULA prefix ::1/64 and 10.255.0.i/32,
#             the addresses every other node must reach.
#   IPv4      BIRD 2.0.12's Babel has no RFC 9229 (v4-via-v6; 'extended
#             next hop' came later), so it announces IPv4 routes with the
#             interface's IPv4 address as next hop: kn0 gets 10.254.0.i/24
#             and each node maps a neighbour's 10.254.0.j/32 to that
#             neighbour in its crypto-key table (the one route per peer,
#             like an ARP entry; keynet resolves an IPv4 gateway through
#             that table).  babeld 1.12 sends IPv4 routes with IPv6 next
#             hops when kn0 has no IPv4 address (v4-via-v6): no IPv4 on
#             kn0 and no route at all in the crypto-key table.
#
# Globals, indexed 1..N: MESH_NAMES (namespace names, default n1..nN; set
# before mesh_up), MESH_ULA (prefixes "fdxx:...::", default
# fdd7:5938:e2e6:10i::), and after mesh_up: KEY (public keys), FC
# (key-derived addresses), LL (key-derived link-local addresses), V4
# (10.255.0.i), NH4 (10.254.0.i, BIRD), UL (underlay addresses).
#
# Knobs: MESH_TOPO (full: every node peers with every other; ring: with
# its two neighbours), MESH_HELLO_MS (Babel hello interval, default 1000)
# and MESH_UPDATE_MS (default 4 x hello), MESH_MODE (on|off), MESH_RXCOST
# (indexed like the nodes: the Babel rxcost of the node's kn0, default 96,
# the cost of every link into that node), MESH_KEEPALIVE (the peers'
# keepalive, default 1 s; "off" for none).
#
# Paths must be symmetric: keynet accepts a packet relayed by neighbour P
# only if its own route back to the source goes via P (the reverse-path
# check), so where two paths cost the same and the two ends pick
# different ones, the replies are dropped (mesh-rpf), as with Linux's
# strict rp_filter.  Tests that have such ties give nodes different
# rxcosts, so that every pair has one best path (the same both ways).

MESH_DIR=/tmp/mesh
MESH_PORT=27177
MESH_TOPO=${MESH_TOPO:-full}
MESH_MODE=${MESH_MODE:-on}
MESH_HELLO_MS=${MESH_HELLO_MS:-1000}
MESH_KEEPALIVE=${MESH_KEEPALIVE:-1}
MESH_N=0
MESH_DAEMON=none
MESH_BG=()		# background jobs (pingers) that mesh_down ends
declare -ga KEY FC LL V4 NH4 UL
declare -gA OUTAGE_PID
[ "${#MESH_NAMES[@]}" -gt 0 ] || declare -ga MESH_NAMES
[ "${#MESH_ULA[@]}" -gt 0 ] || declare -ga MESH_ULA
[ "${#MESH_RXCOST[@]}" -gt 0 ] || declare -ga MESH_RXCOST

# mesh_seed_nodes: the first seed's meshnet (tests 82 and 83, the mesh
# bench case): home, vps2, vps3 and n4 with their ULA /64s; n4's links
# cost more (rxcost 256), so the only relay for home<->vps3 is vps2, as
# in the seed ("directly or via vps2"), and paths are symmetric.
mesh_seed_nodes() {
	MESH_NAMES=([1]=home [2]=vps2 [3]=vps3 [4]=n4)
	MESH_ULA=([1]=fdd7:5938:e2e6:1:: [2]=fdd7:5938:e2e6:9660:: [3]=fdd7:5938:e2e6:6c8d:: [4]=fdd7:5938:e2e6:4::)
	MESH_RXCOST=([4]=256)
}

# A failing step ends the test through mesh_down (the EXIT trap), which
# prints the state of every node and then the reason again, last, where
# the runner's tail of the log shows it.
fail() {
	MESH_FAILED="$*"
	echo "FAIL: $*" >&2
	exit 1
}

now_ms() { date +%s%3N; }
# ms_s MS: milliseconds as seconds with one decimal.
ms_s() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# mesh_idx NAME-or-INDEX: the node's index.
mesh_idx() {
	local i
	case $1 in [0-9]*) echo "$1"; return 0 ;; esac
	for ((i = 1; i <= MESH_N; i++)); do
		[ "${MESH_NAMES[i]}" = "$1" ] && { echo "$i"; return 0; }
	done
	fail "no mesh node '$1'"
}
mesh_name() { echo "${MESH_NAMES[$(mesh_idx "$1")]}"; }

# mesh_adjacent I J: I and J are peers (MESH_TOPO).
mesh_adjacent() {
	local i=$1 j=$2
	[ "$i" != "$j" ] || return 1
	case $MESH_TOPO in
	full) return 0 ;;
	ring) [ $(((i - j + MESH_N) % MESH_N)) = 1 ] || [ $(((j - i + MESH_N) % MESH_N)) = 1 ] ;;
	*) fail "MESH_TOPO '$MESH_TOPO'" ;;
	esac
}

# mesh_ll ADDR...: the key-derived link-local addresses of these
# key-derived addresses: fe80::/64 and the address's low 64 bits
# (kmod/addr_derive.c, kn_addr_linklocal()).
mesh_ll() {
	python3 -c 'import ipaddress, sys
for a in sys.argv[1:]:
    print(ipaddress.IPv6Address((0xfe80 << 112) | (int(ipaddress.IPv6Address(a)) & (2**64 - 1))))' "$@"
}

# mesh_vars N: the globals above, without touching the system (the
# config check on the build host uses this too).
mesh_vars() {
	local i
	MESH_N=$1
	for ((i = 1; i <= MESH_N; i++)); do
		[ -n "${MESH_NAMES[i]:-}" ] || MESH_NAMES[i]=n$i
		[ -n "${MESH_RXCOST[i]:-}" ] || MESH_RXCOST[i]=96
		[ -n "${MESH_ULA[i]:-}" ] || MESH_ULA[i]=$(printf 'fdd7:5938:e2e6:%x::' $((0x100 + i)))
		V4[i]=10.255.0.$i
		NH4[i]=10.254.0.$i
		UL[i]=10.99.$i.2
	done
}

# --- daemon configurations ----------------------------------------------

# BIRD 2.0.12: Babel on kn0, the dummy's prefixes announced (protocol
# direct), learned routes exported to the kernel (proto bird).  Options
# used, all accepted by 2.0.12's parser (selftests/mesh/check-configs runs
# 'bird -p' on every generated file): interface type wired (2.0.12 knows
# wired and wireless only), rxcost, hello interval, update interval.  Babel in
# BIRD does no split horizon, which a multipoint link needs.  Two static
# default routes, disabled: mesh_default_on enables them on one node.
mesh_bird_conf() {
	local i=$1 d=$MESH_DIR/${MESH_NAMES[$1]}
	local update=${MESH_UPDATE_MS:-$((4 * MESH_HELLO_MS))}
	cat <<-EOF
	# BIRD configuration of mesh node ${MESH_NAMES[i]} (selftests/mesh/lib.sh)
	log "$d/bird.log" all;
	router id ${V4[i]};
	protocol device { scan time 10; }
	protocol direct { ipv4; ipv6; interface "dummy0"; }
	protocol kernel k6 { ipv6 { import none; export where source = RTS_BABEL; }; }
	protocol kernel k4 { ipv4 { import none; export where source = RTS_BABEL; }; }
	protocol static default6 { disabled; ipv6; route ::/0 blackhole; }
	protocol static default4 { disabled; ipv4; route 0.0.0.0/0 blackhole; }
	protocol babel mesh {
	    interface "kn0" {
	        type wired;
	        rxcost ${MESH_RXCOST[i]};
	        hello interval $MESH_HELLO_MS ms;
	        update interval $update ms;
	    };
	    ipv6 { import all; export all; };
	    ipv4 { import all; export all; };
	}
	EOF
}

# BIRD 2.0.12's OSPF (MESH_DAEMON=ospf): OSPFv3 for IPv6 and OSPFv2 for
# IPv4 on kn0, dummy0 a stub interface of each (its ULA /64 and IPv4 /32
# announced).  kn0 is a point-to-multipoint link: OSPF's broadcast type
# assumes every router on a link hears every other (a designated router
# floods for all), which a mesh with one cut underlay link breaks, while
# ptmp treats each neighbour as its own point-to-point adjacency.  BIRD
# sends a ptmp interface's hellos by unicast to the listed neighbours, so
# the list is the peers' key-derived link-local addresses (OSPFv3) and
# their kn0 IPv4 addresses (OSPFv2): both known from the keys and the
# node numbering, no address is learned.  Cost: 10 per hop (100 out of a
# node whose rxcost is >= 256, n4 in the seed), so every pair has one best
# path, the same both ways.  Hello 1 s, dead after 2 hellos (the shortest
# BIRD accepts: hello is in whole seconds).  Only the dummies' prefixes go
# to the kernel (proto bird): the ptmp host routes OSPF also carries (each
# router's own kn0 addresses) are left to keynet's own routes.
mesh_ospf_conf() {
	local i=$1 d=$MESH_DIR/${MESH_NAMES[$1]} j cost=10 n6="" n4=""
	[ "${MESH_RXCOST[i]}" -ge 256 ] && cost=100
	for ((j = 1; j <= MESH_N; j++)); do
		mesh_adjacent "$i" "$j" || continue
		n6="$n6 ${LL[j]:-fe80::$j};"
		n4="$n4 ${NH4[j]};"
	done
	cat <<-EOF
	# BIRD (OSPF) configuration of mesh node ${MESH_NAMES[i]} (selftests/mesh/lib.sh)
	log "$d/bird.log" all;
	router id ${V4[i]};
	protocol device { scan time 10; }
	protocol kernel k6 { ipv6 { import none; export where source = RTS_OSPF && net ~ [ fd00::/8{64,128} ]; }; }
	protocol kernel k4 { ipv4 { import none; export where source = RTS_OSPF && net ~ [ 10.255.0.0/16{32,32} ]; }; }
	protocol ospf v3 ospf6 {
	    ecmp no;
	    ipv6 { import all; export none; };
	    area 0 {
	        interface "dummy0" { stub yes; };
	        interface "kn0" {
	            type ptmp; cost $cost; hello 1; dead count 2; retransmit 2;
	            neighbors {$n6 };
	        };
	    };
	}
	protocol ospf v2 ospf4 {
	    ecmp no;
	    ipv4 { import all; export none; };
	    area 0 {
	        interface "dummy0" { stub yes; };
	        interface "kn0" {
	            type ptmp; cost $cost; hello 1; dead count 2; retransmit 2;
	            neighbors {$n4 };
	        };
	    };
	}
	EOF
}

# babeld 1.12 (babeld(8)): kn0 as a wired interface without split
# horizon (a multipoint link: a route learned from one neighbour must be
# announced to the others), its rxcost, hello and update intervals in
# seconds,
# v4-via-v6 on (kn0 has no IPv4 address: IPv4 routes get IPv6 next hops);
# redistribute only the dummy's ULA /64 (a kernel route, proto kernel)
# and the node's IPv4 /32 (a local address), nothing else.  No metric
# smoothing (smoothing-half-life 0): with the default 4 s half-life a
# route that comes back after a link was cut starts from infinity and
# takes ~35 s to win again (measured), longer than any test waits.  The
# daemon
# changes no sysctl (skip-kernel-setup; mesh_up sets forwarding, rp_filter
# and redirects itself) and picks a random router-id (no MAC on kn0).
mesh_babeld_conf() {
	local i=$1 d=$MESH_DIR/${MESH_NAMES[$1]}
	local hello update
	hello=$(awk -v m="$MESH_HELLO_MS" 'BEGIN { printf "%g", m / 1000 }')
	update=$(awk -v m="${MESH_UPDATE_MS:-$((4 * MESH_HELLO_MS))}" 'BEGIN { printf "%g", m / 1000 }')
	cat <<-EOF
	# babeld configuration of mesh node ${MESH_NAMES[i]} (selftests/mesh/lib.sh)
	random-id true
	skip-kernel-setup true
	smoothing-half-life 0
	local-path $d/babeld.sock
	interface kn0 type wired split-horizon false rxcost ${MESH_RXCOST[i]} hello-interval $hello update-interval $update v4-via-v6 true
	redistribute local ip ${V4[i]}/32 allow
	redistribute ip ${MESH_ULA[i]}/64 eq 64 allow
	redistribute local deny
	redistribute deny
	EOF
}

# --- building the mesh ----------------------------------------------------

# mesh_up N DAEMON: N nodes (MESH_TOPO), DAEMON bird, babeld or none;
# returns with every peer's session up and the daemons started
# (MESH_T0: their start, in ms).  Installs mesh_down as the EXIT trap.
mesh_up() {
	local n=$1 i
	MESH_DAEMON=$2
	case $MESH_DAEMON in
	bird | ospf) command -v bird >/dev/null || skip "BIRD is not installed (make deps)" ;;
	babeld) command -v babeld >/dev/null || skip "babeld is not installed (make deps)" ;;
	none) ;;
	*) fail "mesh_up: daemon '$MESH_DAEMON'" ;;
	esac
	mesh_vars "$n"
	trap mesh_down EXIT
	trap 'exit 143' TERM
	kn_load
	rm -rf "$MESH_DIR"
	netns_add ul
	ns ul sysctl -qw net.ipv4.ip_forward=1 || fail "forwarding in ul"
	for ((i = 1; i <= n; i++)); do
		mesh_node_base "$i"
		mesh_node_kn "$i"
	done
	mesh_lls
	mesh_peers_add
	wait_for 40 mesh_sessions_up || fail "not every peer has a session after 40 s"
	MESH_T0=$(now_ms)
	for ((i = 1; i <= n; i++)); do
		mesh_daemon_start "$i"
	done
}

# mesh_node_base I: node I's namespace, sysctls, underlay link and dummy0.
mesh_node_base() {
	local i=$1 name=${MESH_NAMES[$1]}
	mkdir -p "$MESH_DIR/$name"
	netns_add "$name"
	# Before any device exists, so that kn0 and dummy0 inherit them: a
	# router (forwarding), no IPv4 redirects when relaying back out of
	# kn0, no rp_filter (keynet checks sources itself), no DAD.
	ns "$name" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 ||
		fail "sysctls in $name"
	printf '%s\n' "link add h$i type veth peer name ul0 netns $name" \
		"addr add 10.99.$i.1/24 dev h$i" "link set h$i up" |
		ip -n ul -batch - || fail "underlay link of $name"
	printf '%s\n' "addr add ${UL[i]}/24 dev ul0" "link set ul0 up" \
		"route add default via 10.99.$i.1 metric 1000" \
		"link add dummy0 type dummy" \
		"addr add ${MESH_ULA[i]}1/64 dev dummy0 nodad" \
		"addr add ${V4[i]}/32 dev dummy0" "link set dummy0 up" |
		ip -n "$name" -batch - || fail "devices of $name"
}

# mesh_node_kn I: node I's kn0: key, port, mesh mode (the tool adds the
# key-derived fc and fe80 addresses), and with BIRD its IPv4 next hop.
mesh_node_kn() {
	local i=$1 name=${MESH_NAMES[$1]} d=$MESH_DIR/${MESH_NAMES[$1]}
	printf '%s\n' "link add kn0 type keynet" "link set kn0 up" |
		ip -n "$name" -batch - || fail "kn0 in $name"
	keynet genkey >"$d/key" || fail genkey
	KEY[i]=$(keynet pubkey <"$d/key")
	FC[i]=$(keynet addr "${KEY[i]}") || fail "keynet addr"
	# shellcheck disable=SC2046
	keynet -n "$name" link set dev kn0 private-key "$d/key" listen-port $MESH_PORT \
		$([ "$MESH_MODE" = on ] && echo mesh on) || fail "link set kn0 in $name"
	if mesh_v4_nexthops; then
		ip -n "$name" addr add "${NH4[i]}/24" dev kn0 || fail "IPv4 of kn0 in $name"
	fi
}

# mesh_lls: LL from the keys; in mesh mode every kn0 must carry its own.
mesh_lls() {
	local i=0 a lls
	# shellcheck disable=SC2046
	lls=$(mesh_ll $(for ((i = 1; i <= MESH_N; i++)); do echo "${FC[i]}"; done)) || fail "mesh_ll"
	i=0
	for a in $lls; do i=$((i + 1)); LL[i]=$a; done
	[ "$MESH_MODE" = on ] || return 0
	for ((i = 1; i <= MESH_N; i++)); do
		mesh_has_ll "$i" ||
			fail "kn0 of ${MESH_NAMES[i]} lacks its key-derived link-local ${LL[i]} (has: $(ip -n "${MESH_NAMES[i]}" -6 -o addr show dev kn0 scope link | awk '{ print $4 }'))"
	done
}

# mesh_peers_add: each node's peers (MESH_TOPO): key, endpoint, keepalive,
# a name for the diagnostics; with BIRD the neighbour's IPv4 next hop.
mesh_peers_add() {
	local i j
	for ((i = 1; i <= MESH_N; i++)); do
		for ((j = 1; j <= MESH_N; j++)); do
			mesh_adjacent "$i" "$j" || continue
			# shellcheck disable=SC2046
			keynet -n "${MESH_NAMES[i]}" peer add dev kn0 "${KEY[j]}" \
				endpoint "${UL[j]}:$MESH_PORT" keepalive "$MESH_KEEPALIVE" name "${MESH_NAMES[j]}" \
				$(mesh_v4_nexthops && echo route "${NH4[j]}/32") ||
				fail "peer ${MESH_NAMES[j]} on ${MESH_NAMES[i]}"
		done
	done
}

# mesh_has_ll I: node I's kn0 carries its key-derived link-local address.
mesh_has_ll() {
	ip -n "${MESH_NAMES[$1]}" -6 -o addr show dev kn0 scope link |
		awk '{ print $4 }' | grep -qx "${LL[$1]}/64"
}

# mesh_sessions_up: every node has a session with every peer; if not,
# ping the missing ones' key-derived addresses (routed to them by the
# automatic crypto-key routes) to start their handshakes.
mesh_sessions_up() {
	local i j name missing=0 list nosess
	for ((i = 1; i <= MESH_N; i++)); do
		name=${MESH_NAMES[i]}
		nosess=" $(keynet -n "$name" -j peer show dev kn0 |
			jq -r '.[] | select(.has_session | not) | .public_key' | tr '\n' ' ') "
		list=()
		for ((j = 1; j <= MESH_N; j++)); do
			mesh_adjacent "$i" "$j" || continue
			case $nosess in *" ${KEY[j]} "*) list+=("${FC[j]}") ;; esac
		done
		[ ${#list[@]} = 0 ] && continue
		missing=1
		# shellcheck disable=SC2016
		ns "$name" bash -c 'for a; do ping -6 -n -q -c 1 -W 1 "$a" >/dev/null 2>&1 & done; wait' \
			_ "${list[@]}"
	done
	[ "$missing" = 0 ]
}

# mesh_v4_nexthops: the daemon routes IPv4 via IPv4 next hops (BIRD's
# Babel and OSPFv2): kn0 gets NH4 and each peer NH4/32 in the crypto-key
# table; babeld uses v4-via-v6 instead.
mesh_v4_nexthops() { [ "$MESH_DAEMON" = bird ] || [ "$MESH_DAEMON" = ospf ]; }

mesh_daemon_start() {
	local i=$1 name=${MESH_NAMES[$1]} d=$MESH_DIR/${MESH_NAMES[$1]}
	case $MESH_DAEMON in
	bird | ospf)
		if [ "$MESH_DAEMON" = ospf ]; then mesh_ospf_conf "$i"; else mesh_bird_conf "$i"; fi >"$d/bird.conf"
		ns "$name" bird -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" ||
			fail "bird in $name: $(tail -n 3 "$d/bird.log" 2>/dev/null)"
		wait_for 10 test -s "$d/bird.pid" || fail "bird in $name wrote no pid file"
		;;
	babeld)
		mesh_babeld_conf "$i" >"$d/babeld.conf"
		ns "$name" babeld -D -I "$d/babeld.pid" -S "$d/babeld.state" \
			-L "$d/babeld.log" -c "$d/babeld.conf" ||
			fail "babeld in $name: $(tail -n 3 "$d/babeld.log" 2>/dev/null)"
		wait_for 10 test -s "$d/babeld.pid" || fail "babeld in $name wrote no pid file"
		;;
	esac
}

# mesh_birdc NODE CMD...: a BIRD command on NODE's control socket.
mesh_birdc() {
	local name
	name=$(mesh_name "$1")
	shift
	birdc -s "$MESH_DIR/$name/bird.ctl" "$@"
}

# mesh_default_on NODE: NODE announces ::/0 and 0.0.0.0/0 (blackholes)
# into Babel (BIRD only).
mesh_default_on() {
	mesh_birdc "$1" enable default6 >/dev/null || fail "enabling ::/0 on $1"
	mesh_birdc "$1" enable default4 >/dev/null || fail "enabling 0.0.0.0/0 on $1"
}

# mesh_down: end the pingers and the daemons (they hold the namespaces
# and so kn0 and the module), after printing the nodes' state if the test
# failed (not on a timeout's SIGTERM: the runner kills 5 s later).
mesh_down() {
	local rc=$? i p pids=()
	trap - EXIT
	[ ${#MESH_BG[@]} -gt 0 ] && kill_tree "${MESH_BG[@]}"
	if [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$rc" != 143 ]; then
		mesh_diag 2>&1 | head -n 100
		[ -n "${MESH_FAILED:-}" ] && echo "FAIL: $MESH_FAILED (the state of the nodes is above)" >&2
	fi
	for ((i = 1; i <= MESH_N; i++)); do
		for p in "$MESH_DIR/${MESH_NAMES[i]}"/{bird,babeld}.pid; do
			[ -s "$p" ] && pids+=("$(cat "$p")")
		done
	done
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null
		wait_for 10 procs_gone "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null
	fi
	for ((i = 1; i <= MESH_N; i++)); do ip netns del "${MESH_NAMES[i]}" 2>/dev/null; done
	ip netns del ul 2>/dev/null
	exit "$rc"
}

# mesh_diag: a few lines per node: peers, routes on kn0 (prefix>next hop),
# drops, the daemon's neighbours.
mesh_diag() {
	local i name d map=""
	for ((i = 1; i <= MESH_N; i++)); do
		map="$map ${LL[i]}=${MESH_NAMES[i]} ${NH4[i]}=${MESH_NAMES[i]}"
	done
	echo "# --- mesh state ($MESH_DAEMON, $MESH_N nodes) ---"
	for ((i = 1; i <= MESH_N; i++)); do
		name=${MESH_NAMES[i]}
		d=$MESH_DIR/$name
		echo "# $name: kn0 $(ip -n "$name" -br link show dev kn0 2>/dev/null | awk '{ print $2, $3 }') ll ${LL[i]}"
		keynet -n "$name" -j peer show dev kn0 2>/dev/null |
			jq -r '.[] | "#   peer \(.name // .public_key[0:8]) session=\(.has_session) alive=\(.alive) rx=\(.rx_packets) tx=\(.tx_packets)"'
		keynet -n "$name" -j -s link show dev kn0 2>/dev/null |
			jq -r '.[0].drops // {} | to_entries | map(select(.value > 0) | "\(.key)=\(.value)") | "#   drops: " + join(" ")'
		{ ip -n "$name" -6 route show dev kn0; ip -n "$name" -4 route show dev kn0; } 2>/dev/null |
			awk -v map="$map" 'BEGIN { n = split(map, m, " "); for (k = 1; k <= n; k++) { split(m[k], kv, "="); who[kv[1]] = kv[2] } }
				$1 ~ /^(fe80::|fc00::)/ || !/ via / { next }
				{ for (k = 1; k < NF; k++) if ($k == "via") { g = $(k + 1); if (g == "inet6" || g == "inet") g = $(k + 2) }
				  r = r " " $1 ">" (g in who ? who[g] : g) }
				END { print "#   routes:" r }'
		case $MESH_DAEMON in
		bird) mesh_birdc "$i" show babel neighbors 2>/dev/null | tail -n +4 | sed 's/^/#   babel /' ;;
		ospf) mesh_birdc "$i" show ospf neighbors 2>/dev/null | grep -v '^BIRD\|^$' | sed 's/^/#   ospf /' ;;
		babeld) tail -n 3 "$d/babeld.log" 2>/dev/null | sed 's/^/#   babeld: /' ;;
		esac
	done
}

# --- reachability, paths, counters ---------------------------------------

# mesh_probe PAIRS...: ping each pair ("I:J:6" or "I:J:4": from node I's
# ULA or IPv4 address to node J's) once, in parallel per source node;
# prints the pairs that got no reply.
mesh_probe() {
	local p i j f src dst probes=()
	declare -A script
	for p in "$@"; do
		IFS=: read -r i j f <<<"$p"
		if [ "$f" = 6 ]; then src=${MESH_ULA[i]}1 dst=${MESH_ULA[j]}1
		else src=${V4[i]} dst=${V4[j]}; fi
		script[$i]+="ping -$f -n -q -c 1 -W 2 -I $src $dst >/dev/null 2>&1 || echo $p & "
	done
	for i in "${!script[@]}"; do
		ns "${MESH_NAMES[i]}" bash -c "${script[$i]} wait" &
		probes+=($!)
	done
	# (not a bare wait: the pingers of outage_start run in the background)
	[ ${#probes[@]} = 0 ] || wait "${probes[@]}"
}

# mesh_pairs: every ordered pair of nodes, both families.
mesh_pairs() {
	local i j
	for ((i = 1; i <= MESH_N; i++)); do
		for ((j = 1; j <= MESH_N; j++)); do
			[ "$i" != "$j" ] && echo "$i:$j:6 $i:$j:4"
		done
	done
}

# mesh_wait_full TIMEOUT [T0]: poll until every node reaches every other
# node's ULA and IPv4 address (each pair once), then check that all of
# them answer in one round.  MESH_CONVERGED: seconds from T0 (now_ms;
# default MESH_T0, the daemons' start) until every pair had answered.  On
# timeout it prints the pairs still failing and returns 1.
mesh_wait_full() {
	local deadline left t0=${2:-$MESH_T0}
	deadline=$(( $(now_ms) + $1 * 1000 ))
	# shellcheck disable=SC2046
	left=$(mesh_pairs)
	while :; do
		# shellcheck disable=SC2086
		left=$(mesh_probe $left)
		[ -z "$left" ] && break
		if [ "$(now_ms)" -ge "$deadline" ]; then
			# shellcheck disable=SC2086
			info "unreachable after $1 s: $(mesh_pairs_named $left)"
			return 1
		fi
		sleep 0.3
	done
	MESH_CONVERGED=$(ms_s $(( $(now_ms) - t0 )))
	while :; do
		# shellcheck disable=SC2046
		left=$(mesh_probe $(mesh_pairs))
		[ -z "$left" ] && return 0
		if [ "$(now_ms)" -ge "$deadline" ]; then
			# shellcheck disable=SC2086
			info "not all pairs at once after $1 s: $(mesh_pairs_named $left)"
			return 1
		fi
		sleep 0.3
	done
}

mesh_pairs_named() {
	local p i j f
	for p in "$@"; do
		IFS=: read -r i j f <<<"$p"
		printf '%s->%s(v%s) ' "${MESH_NAMES[i]}" "${MESH_NAMES[j]}" "$f"
	done
}

# mesh_gw NODE DST [SRC]: the gateway of NODE's route to DST (empty: none).
mesh_gw() {
	ip -n "$(mesh_name "$1")" route get "$2" ${3:+from "$3"} 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "via") {
			if ($(i + 1) == "inet6" || $(i + 1) == "inet") print $(i + 2); else print $(i + 1)
			exit } }'
}

# mesh_node_of ADDR: the node whose kn0 has this link-local or IPv4 address.
mesh_node_of() {
	local i
	for ((i = 1; i <= MESH_N; i++)); do
		if [ "$1" = "${LL[i]}" ] || [ "$1" = "${NH4[i]}" ]; then
			echo "${MESH_NAMES[i]}"
			return 0
		fi
	done
	echo "?$1"
}

# mesh_via NODE DST: the node NODE sends DST's packets to (the next hop).
mesh_via() {
	local gw
	gw=$(mesh_gw "$1" "$2")
	[ -n "$gw" ] && mesh_node_of "$gw"
}

# mesh_via_is NODE DST HOP: NODE's next hop to DST is node HOP.
mesh_via_is() { [ "$(mesh_via "$1" "$2")" = "$(mesh_name "$3")" ]; }
# mesh_via_not NODE DST HOP: NODE has a route to DST, not via HOP.
mesh_via_not() {
	local v
	v=$(mesh_via "$1" "$2")
	[ -n "$v" ] && [ "$v" != "$(mesh_name "$3")" ]
}

# mesh_ttl NODE SRC DST: the TTL (hop limit) of one echo reply.
mesh_ttl() {
	ns "$(mesh_name "$1")" ping -n -c 1 -W 2 -I "$2" "$3" 2>/dev/null |
		sed -n 's/.*ttl=\([0-9]*\).*/\1/p'
}

# mesh_pstat NODE PEER FIELD: a field of NODE's peer PEER (peer show -j).
mesh_pstat() {
	local i j
	i=$(mesh_idx "$1")
	j=$(mesh_idx "$2")
	keynet -n "${MESH_NAMES[i]}" -j peer show dev kn0 |
		jq -r --arg k "${KEY[j]}" ".[] | select(.public_key == \$k) | .$3"
}

# mesh_drops NODE REASON: a drop counter of NODE's kn0 (JSON name, e.g.
# mesh_rpf, no_nexthop, loop, no_route).
mesh_drops() { drops "$(mesh_name "$1")" kn0 "$2"; }

# mesh_check_routes: each node's routes to the other nodes' prefixes come
# from the daemon (proto bird or babel), no route on kn0 was added by
# hand (proto boot or static), and the crypto-key tables hold only the
# automatic routes (those marked auto, and the peers' link-locals however
# they are shown) and, with BIRD, the neighbours' IPv4 next hops.
mesh_check_routes() {
	local i j name proto=$MESH_DAEMON r extra
	[ "$proto" = babeld ] && proto=babel
	[ "$proto" = ospf ] && proto=bird
	for ((i = 1; i <= MESH_N; i++)); do
		name=${MESH_NAMES[i]}
		r=$( { ip -n "$name" -6 route show dev kn0 proto boot; ip -n "$name" -6 route show dev kn0 proto static
			ip -n "$name" -4 route show dev kn0 proto boot; ip -n "$name" -4 route show dev kn0 proto static; } )
		[ -z "$r" ] || fail "$name has hand-made routes on kn0: $r"
		for ((j = 1; j <= MESH_N; j++)); do
			[ "$i" = "$j" ] && continue
			r=$(ip -n "$name" -6 route show "${MESH_ULA[j]}/64")
			check_match "$r" "via fe80::[0-9a-f:]+ dev kn0 proto $proto" \
				"$name's route to ${MESH_NAMES[j]}'s ULA"
			r=$(ip -n "$name" -4 route show "${V4[j]}/32")
			if mesh_v4_nexthops; then
				check_match "$r" "via 10\.254\.0\.[0-9]+ dev kn0 proto bird" \
					"$name's route to ${MESH_NAMES[j]}'s IPv4 address"
			else
				check_match "$r" "via inet6 fe80::[0-9a-f:]+ dev kn0 proto babel" \
					"$name's route to ${MESH_NAMES[j]}'s IPv4 address (v4-via-v6)"
			fi
		done
		extra=$(keynet -n "$name" -j route show dev kn0 |
			jq -r '.[] | select(.auto | not) | .prefix' | grep -v '^10\.254\.0\.[0-9]*/32$\|^fe80:')
		[ -z "$extra" ] || fail "$name's crypto-key table has routes beyond the automatic ones: $extra"
	done
}

# --- the underlay ----------------------------------------------------------

# mesh_link_cut A B: cut the underlay between nodes A and B (nftables in
# A's namespace drops A's tunnel packets to B's endpoint and B's to A:
# both directions, the other links untouched).  mesh_link_restore A B.
# (Not named mesh_cut: selftests/lib.sh's mesh_cut is the failover mesh's.)
mesh_link_cut() {
	local a b
	a=$(mesh_idx "$1")
	b=$(mesh_idx "$2")
	ns "${MESH_NAMES[a]}" nft -f - <<-EOF || fail "nft cut ${MESH_NAMES[a]}-${MESH_NAMES[b]}"
	table inet cut_${MESH_NAMES[b]} {
		chain out {
			type filter hook output priority 0;
			ip daddr ${UL[b]} udp dport $MESH_PORT drop
		}
		chain in {
			type filter hook input priority 0;
			ip saddr ${UL[b]} udp sport $MESH_PORT drop
		}
	}
	EOF
}
mesh_link_restore() {
	ns "$(mesh_name "$1")" nft delete table inet "cut_$(mesh_name "$2")" ||
		fail "nft restore $1-$2"
}

# --- outage ----------------------------------------------------------------

# outage_start TAG NODE SRC DST: ping DST from NODE (source SRC) every
# 0.1 s in the background, with the time of each reply (ping -D).
outage_start() {
	local log=$MESH_DIR/outage-$1.log
	ns "$(mesh_name "$2")" ping -D -n -i 0.1 -W 1 -I "$3" "$4" >"$log" 2>&1 &
	OUTAGE_PID[$1]=$!
	MESH_BG+=($!)
}

# outage_replies TAG: replies so far.
outage_replies() { grep -c 'bytes from' "$MESH_DIR/outage-$1.log"; }

# outage_stop TAG: stop the pinger; OUTAGE: the longest time without a
# reply in seconds (the largest gap between two replies, or between the
# last reply and the stop, less the 0.1 s interval); OUTAGE_LOST: the
# requests that got no reply.
outage_stop() {
	local log=$MESH_DIR/outage-$1.log stop
	stop=$(date +%s.%N)
	kill_tree "${OUTAGE_PID[$1]}"
	OUTAGE_LOST=$(awk '/bytes from.*icmp_seq=/ { n++; s = $0; sub(/.*icmp_seq=/, "", s); sub(/ .*/, "", s)
		if (s + 0 > max) max = s + 0 } END { print max - n }' "$log")
	OUTAGE=$(awk -v stop="$stop" '/bytes from/ { t = substr($1, 2, length($1) - 2) + 0
		if (prev && t - prev > gap) gap = t - prev; prev = t }
		END { if (prev && stop - prev > gap) gap = stop - prev
		      gap -= 0.1; if (gap < 0 || !prev) gap = prev ? 0 : 999; printf "%.1f\n", gap }' "$log")
}

# --- the failover scenario of tests 82-84 ---------------------------------

# mesh_direct A B: A routes B's ULA and IPv4 address to B itself, and B
# routes A's to A.  mesh_rerouted A B: both have routes, through others.
mesh_direct() {
	local a b
	a=$(mesh_idx "$1") b=$(mesh_idx "$2")
	mesh_via_is "$a" "${MESH_ULA[b]}1" "$b" && mesh_via_is "$b" "${MESH_ULA[a]}1" "$a" &&
		mesh_via_is "$a" "${V4[b]}" "$b" && mesh_via_is "$b" "${V4[a]}" "$a"
}
mesh_rerouted() {
	local a b
	a=$(mesh_idx "$1") b=$(mesh_idx "$2")
	mesh_via_not "$a" "${MESH_ULA[b]}1" "$b" && mesh_via_not "$b" "${MESH_ULA[a]}1" "$a" &&
		mesh_via_not "$a" "${V4[b]}" "$b" && mesh_via_not "$b" "${V4[a]}" "$a"
}

# mesh_hops A B HOP_A HOP_B: A's next hop to B (ULA and IPv4) is HOP_A,
# B's to A is HOP_B.
mesh_hops() {
	local a b
	a=$(mesh_idx "$1") b=$(mesh_idx "$2")
	mesh_via_is "$a" "${MESH_ULA[b]}1" "$3" && mesh_via_is "$a" "${V4[b]}" "$3" &&
		mesh_via_is "$b" "${MESH_ULA[a]}1" "$4" && mesh_via_is "$b" "${V4[a]}" "$4"
}

# outage_has TAG N: the pinger TAG has at least N replies.
outage_has() { [ "$(outage_replies "$1")" -ge "$2" ]; }

# mesh_failover A B [MAX [HOP_A HOP_B]]: LAN-to-LAN traffic A -> B (ULA to ULA, IPv4
# /32 to /32, a ping every 0.1 s each) on the direct path; the underlay
# link A-B is cut: both sides' routes move to another node, the replies
# come through it (hop limit below 64, A's packets to that neighbour
# counted), relayed sources pass the reverse-path check (no mesh-rpf
# drop); the longest outage of each stream is printed and must not
# exceed MAX seconds (default 5; "-": only printed).  HOP_A and HOP_B:
# the next hops A and B must settle on (both families) before the window
# of relayed traffic is measured.  With MESH_RESTORE=1
# (the default) the link is restored and the direct path must return.
# MESH_RELAY: A's next hop during the cut; MESH_RELAY_TTL: the hop limit
# of B's replies then; MESH_CUT_T: the time of the cut (now_ms).
mesh_failover() {
	local a b na nb max=${3:-5} t tx0 tx rpf0 rpf n6 o6 o4 l6
	a=$(mesh_idx "$1") b=$(mesh_idx "$2")
	na=${MESH_NAMES[a]} nb=${MESH_NAMES[b]}
	local src6=${MESH_ULA[a]}1 dst6=${MESH_ULA[b]}1
	wait_for 30 mesh_direct "$a" "$b" || fail "$na and $nb do not route to each other directly"
	check_eq "$(mesh_ttl "$a" "$src6" "$dst6")" 64 "hop limit of $nb's reply on the direct path"
	outage_start v6 "$a" "$src6" "$dst6"
	outage_start v4 "$a" "${V4[a]}" "${V4[b]}"
	if ! { wait_for 20 outage_has v6 10 && wait_for 10 outage_has v4 10; }; then
		fail "no replies on the direct path $na -> $nb"
	fi
	mesh_link_cut "$a" "$b"
	t=$(now_ms)
	MESH_CUT_T=$t
	wait_for 60 mesh_rerouted "$a" "$b" ||
		fail "routes between $na and $nb still direct (or gone) 60 s after the cut"
	info "cut $na-$nb: routes moved in $(ms_s $(( $(now_ms) - t ))) s"
	if [ -n "${4:-}" ]; then
		wait_for 30 mesh_hops "$a" "$b" "$4" "$5" ||
			fail "cut $na-$nb: next hops not $4 and $5 within 30 s (now $(mesh_via "$a" "$dst6") and $(mesh_via "$b" "$src6"))"
		info "cut $na-$nb: next hops $4 and $5 after $(ms_s $(( $(now_ms) - t ))) s"
	fi
	MESH_RELAY=$(mesh_via "$a" "$dst6")
	# A steady window of relayed traffic: 20 more replies to each stream.
	n6=$(outage_replies v6)
	wait_for 30 outage_has v6 $((n6 + 5)) || fail "no replies via $MESH_RELAY after the cut"
	tx0=$(mesh_pstat "$a" "$MESH_RELAY" tx_packets)
	rpf0=$(( $(mesh_drops "$a" mesh_rpf) + $(mesh_drops "$b" mesh_rpf) ))
	n6=$(outage_replies v6)
	wait_for 30 outage_has v6 $((n6 + 20)) || fail "replies via $MESH_RELAY stopped"
	tx=$(( $(mesh_pstat "$a" "$MESH_RELAY" tx_packets) - tx0 ))
	rpf=$(( $(mesh_drops "$a" mesh_rpf) + $(mesh_drops "$b" mesh_rpf) - rpf0 ))
	l6=$(mesh_ttl "$a" "$src6" "$dst6")
	MESH_RELAY_TTL=$l6
	outage_stop v6
	o6=$OUTAGE n6=$OUTAGE_LOST
	outage_stop v4
	o4=$OUTAGE
	info "cut $na-$nb: traffic via $MESH_RELAY (reply hop limit $l6, $tx packets to $MESH_RELAY in the window)"
	info "cut $na-$nb: longest outage IPv6 ${o6} s ($n6 lost), IPv4 ${o4} s ($OUTAGE_LOST lost)"
	[ "${l6:-64}" -lt 64 ] || fail "hop limit of $nb's reply via $MESH_RELAY: '$l6', want < 64"
	[ "$tx" -ge 20 ] || fail "only $tx packets to $MESH_RELAY while 20 replies came through it"
	check_eq "$rpf" 0 "mesh-rpf drops of relayed traffic on $na and $nb"
	if [ "$max" != - ]; then
		awk -v o="$o6" -v m="$max" 'BEGIN { exit !(o <= m) }' ||
			fail "IPv6 outage ${o6} s > $max s"
		awk -v o="$o4" -v m="$max" 'BEGIN { exit !(o <= m) }' ||
			fail "IPv4 outage ${o4} s > $max s"
	fi
	[ "${MESH_RESTORE:-1}" = 1 ] || return 0
	mesh_link_restore "$a" "$b"
	t=$(now_ms)
	wait_for 90 mesh_direct "$a" "$b" ||
		fail "the direct path $na-$nb did not return within 90 s of the repair"
	info "restored $na-$nb: direct path back in $(ms_s $(( $(now_ms) - t ))) s"
	check_eq "$(mesh_ttl "$a" "$src6" "$dst6")" 64 "hop limit of $nb's reply on the direct path again"
}
