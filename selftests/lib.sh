# SPDX-License-Identifier: GPL-2.0
# Helpers for keynet's VM selftests (sourced by guest-init and each test).
# A test is a bash script in selftests/tests/ that exits 0 (pass),
# 4 (skip, after printing "SKIP: reason") or anything else (fail).  A line
# "# timeout: N" sets its timeout in seconds (default 120).

export PATH="$KN_ROOT/tool:$PATH"
KN_KO=${KN_KO:-$KN_ROOT/keynet.ko}
umask 077

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 4; }
info() { echo "# $*"; }

# check_eq GOT WANT WHAT
check_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

# check_match TEXT REGEX WHAT
check_match() {
	echo "$1" | grep -qE -- "$2" || fail "$3: '$1' does not match /$2/"
}

# Run a command that must fail, with its exit status and message checked:
# expect_fail STATUS REGEX CMD...
expect_fail() {
	local want=$1 re=$2 out rc
	shift 2
	out=$("$@" 2>&1) && fail "'$*' succeeded, expected exit $want"
	rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, want $want (output: $out)"
	echo "$out" | grep -qE -- "$re" || fail "'$*' said '$out', want /$re/"
}

# Load keynet.ko with its dependencies (insmod does not resolve them).
kn_load() {
	local dep
	[ -d /sys/module/keynet ] && return 0
	for dep in $(modinfo -F depends "$KN_KO" | tr ',' ' '); do
		modprobe "$dep" || fail "cannot load dependency $dep"
	done
	# shellcheck disable=SC2086
	insmod "$KN_KO" ${KN_MODPARAMS:-} || fail "insmod $KN_KO failed"
}

kn_unload() {
	[ -d /sys/module/keynet ] || return 0
	rmmod keynet || fail "rmmod keynet failed (refcount $(cat /sys/module/keynet/refcnt))"
}

# Network namespaces: netns_add NAME...; run in one with: in NAME CMD...
netns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || fail "cannot create netns $ns"
		ip -n "$ns" link set lo up
	done
}

# A LAN for the beacon tests: namespaces lan and NODE..., a bridge br0 in
# lan and a veth per node, eth0 inside the node (one batch: every process
# start is slow under TCG).
lan_bridge() {
	local n
	netns_add lan "$@"
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for n in "$@"; do
			echo "link add p$n type veth peer name eth0 netns $n"
			echo "link set p$n master br0 up"
		done
	} | ip -n lan -batch - || fail "cannot build the LAN"
}

# lan_hosts NODE...: after lan_bridge, NODE number i gets 10.7.0.i/24 on
# its eth0, link-local addresses usable at once (no DAD) and a kn0,
# except the node x (the LAN's outsider: raw sockets only).
lan_hosts() {
	local n i=0
	for n in "$@"; do
		i=$((i + 1))
		ns "$n" sysctl -qw net.ipv6.conf.eth0.accept_dad=0 || fail "DAD off in $n"
		printf 'addr add 10.7.0.%s/24 dev eth0\nlink set eth0 up\n%s' $i \
			"$([ "$n" = x ] || echo 'link add kn0 type keynet')" |
			ip -n "$n" -batch - || fail "eth0 and kn0 in $n"
	done
}

# bstat NODE NAME: beacon counter NAME of NODE's kn0.
bstat() { keynet -n "$1" -j -s link show dev kn0 | jq -r ".[0].beacon.stats.$2"; }
# stat_sum_ge NODE A B N: beacon counters A + B of NODE are at least N.
stat_sum_ge() { [ $(( $(bstat "$1" "$2") + $(bstat "$1" "$3") )) -ge "$4" ]; }

ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# wait_for TIMEOUT_SECONDS CMD...: poll until CMD succeeds.
wait_for() {
	local deadline=$(( $(date +%s) + $1 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.2
	done
}

# lj FIELD: a field of a device's `link show -j` entry; pj KEY FIELD: a
# field of its peer KEY in `peer show -j`.  The device: KN_DEV (default
# kn0) in namespace KN_NS (default: this one), e.g. KN_NS=a pj "$KB" alive.
lj() {
	keynet ${KN_NS:+-n "$KN_NS"} -j link show dev "${KN_DEV:-kn0}" | jq -r ".[0].$1"
}
pj() {
	keynet ${KN_NS:+-n "$KN_NS"} -j peer show dev "${KN_DEV:-kn0}" |
		jq -r --arg k "$1" ".[] | select(.public_key == \$k) | .$2"
}

# The tunnel topology of the tunnel tests (as WireGuard's netns test):
# namespace "wire" holds only the underlay (loopback); two keynet devices
# are created there, so their UDP sockets live there, and moved to "a" and
# "b".  Overlay: 192.168.241.1/24 + fd00::1/64 (a), .2 + fd00::2 (b).
# Usage: kn_pair [v4|v6]   (the underlay family of the endpoints)
kn_pair() {
	local fam=${1:-v4} ka kb ea eb
	kn_load
	netns_add wire a b
	ns wire ip link add kn0 type keynet || fail "create kn0 (a)"
	ns wire ip link add kn1 type keynet || fail "create kn1 (b)"
	keynet genkey >/tmp/kn-a.key && keynet genkey >/tmp/kn-b.key || fail genkey
	KA=$(keynet pubkey </tmp/kn-a.key)
	KB=$(keynet pubkey </tmp/kn-b.key)
	if [ "$fam" = v6 ]; then ea="[::1]:10001" eb="[::1]:10002"
	else ea="127.0.0.1:10001" eb="127.0.0.1:10002"; fi
	keynet -n wire link set dev kn0 private-key /tmp/kn-a.key listen-port 10001 ||
		fail "link set kn0"
	keynet -n wire link set dev kn1 private-key /tmp/kn-b.key listen-port 10002 ||
		fail "link set kn1"
	keynet -n wire peer add dev kn0 "$KB" endpoint "$eb" \
		route 192.168.241.2/32 route fd00::2/128 || fail "peer add on kn0"
	keynet -n wire peer add dev kn1 "$KA" endpoint "$ea" \
		route 192.168.241.1/32 route fd00::1/128 || fail "peer add on kn1"
	ns wire ip link set kn0 netns a || fail "move kn0"
	ns wire ip link set kn1 netns b || fail "move kn1"
	ns a ip addr add 192.168.241.1/24 dev kn0
	ns a ip addr add fd00::1/64 dev kn0 nodad
	ns b ip addr add 192.168.241.2/24 dev kn1
	ns b ip addr add fd00::2/64 dev kn1 nodad
	ns a ip link set kn0 up || fail "kn0 up"
	ns b ip link set kn1 up || fail "kn1 up"
	export KA KB
}

# The failover mesh of tests 19 and 23 (the seed's meshnet: home, vps2,
# vps3): devices kna, knb, knc made in namespace ${P}wire (their sockets
# live there, on 127.0.0.1-3:10001-10003) and moved to ${P}a, ${P}b and
# ${P}c, overlay 10.0.0.1-3/24, keepalive 1 s.  a reaches c directly
# (metric 0) or through b (metric 10), and c reaches a the same way; b
# relays with plain IP forwarding.  KEY[a..c]: the public keys.
# Usage: failover_mesh [P]   (a prefix for the namespace names)
failover_mesh() {
	local p=${1:-} n i=1
	declare -gA KEY
	kn_load
	netns_add "${p}wire" "${p}a" "${p}b" "${p}c"
	for n in a b c; do
		ns "${p}wire" ip link add kn$n type keynet || fail "create kn$n"
		keynet genkey >/tmp/kn-$p$n.key
		KEY[$n]=$(keynet pubkey </tmp/kn-$p$n.key)
		keynet -n "${p}wire" link set dev kn$n private-key /tmp/kn-$p$n.key \
			listen 127.0.0.$i:1000$i || fail "link set kn$n"
		i=$((i + 1))
	done
	mesh_peer "$p" a c 10.0.0.3/32 0
	mesh_peer "$p" a b 10.0.0.2/32 0 10.0.0.3/32 10
	mesh_peer "$p" c a 10.0.0.1/32 0
	mesh_peer "$p" c b 10.0.0.2/32 0 10.0.0.1/32 10
	mesh_peer "$p" b a 10.0.0.1/32 0
	mesh_peer "$p" b c 10.0.0.3/32 0
	i=1
	for n in a b c; do
		ns "${p}wire" ip link set kn$n netns "$p$n" || fail "move kn$n"
		ns "$p$n" ip addr add 10.0.0.$i/24 dev kn$n
		ns "$p$n" ip link set kn$n up || fail "kn$n up"
		i=$((i + 1))
	done
	ns "${p}b" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.knb.send_redirects=0
}

# mesh_peer P FROM TO [PREFIX METRIC]...: TO as a peer of FROM's device
# (failover_mesh), with these routes.
mesh_peer() {
	local p=$1 from=$2 to=$3 n
	shift 3
	n=$(( $(printf '%d' "'$to") - 96 ))	# a b c: 1 2 3
	keynet -n "${p}wire" peer add dev kn$from "${KEY[$to]}" \
		endpoint 127.0.0.$n:1000$n keepalive 1 || fail "peer $from->$to"
	while [ $# -gt 0 ]; do
		keynet -n "${p}wire" route add "$1" dev kn$from peer "${KEY[$to]}" metric "$2" ||
			fail "route $1 on $from via $to"
		shift 2
	done
}

# mesh_cut P / mesh_repair P: cut the direct underlay path a<->c of the
# failover mesh (nftables in ${P}wire), and restore it.
mesh_cut() {
	ns "${1:-}wire" nft -f - <<-'NFT' || fail "nft"
	table inet cut {
		chain out {
			type filter hook output priority 0;
			ip saddr 127.0.0.1 ip daddr 127.0.0.3 udp dport 10003 drop
			ip saddr 127.0.0.3 ip daddr 127.0.0.1 udp dport 10001 drop
		}
	}
	NFT
}
mesh_repair() { ns "${1:-}wire" nft delete table inet cut || fail "nft delete"; }

# The same topology with the kernel's WireGuard (wga in a, wgb in b, IPv4
# overlay only), for side-by-side runs.  Usage: wg_pair [MTU]
wg_pair() {
	local d
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
	ns a ip link set wga ${1:+mtu $1} up; ns b ip link set wgb ${1:+mtu $1} up
}

# tcp_listening NS PORT: something in NS listens on TCP PORT.
tcp_listening() {
	[ -n "$(ns "$1" ss -Hltn "sport = :$2")" ]
}

# udp_bound NS PORT: a UDP socket in NS is bound to PORT.
udp_bound() {
	[ -n "$(ns "$1" ss -Hlun "sport = :$2")" ]
}

# tcp_free / udp_free NS PORT: nothing in NS holds the port (a server of
# an earlier step has gone): wait_for 10 udp_free s 9090 || fail ...
tcp_free() { ! tcp_listening "$1" "$2"; }
udp_free() { ! udp_bound "$1" "$2"; }

# kill_tree PID...: end background jobs and every process they started,
# and wait until they are gone (5 s, then SIGKILL).  A background shell
# function, as in `ns NS CMD &`, runs CMD as the child of a subshell:
# `kill $!` ends only the subshell, and CMD runs on (a server keeps its
# port, a flood its CPU) into the next step or the next test.
kill_tree() {
	local p pids
	tree() {
		local c
		for c in "$@"; do
			echo "$c"
			# shellcheck disable=SC2046
			tree $(pgrep -P "$c")
		done
	}
	# (unquoted: an empty PID variable drops out)
	# shellcheck disable=SC2048,SC2086
	pids=$(tree $*)
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	kill $pids 2>/dev/null
	for p in $pids; do wait "$p" 2>/dev/null; done
	# shellcheck disable=SC2086
	wait_for 5 procs_gone $pids || kill -KILL $pids 2>/dev/null
	return 0
}

# in_poll PID: the process sleeps in poll(2) (syscall 7, or ppoll 271).
# `keynet monitor` gets there only once it joined the events group, and
# returns there once it read every queued event: the sign that it is
# ready, or has caught up, where it prints nothing.
in_poll() {
	grep -qE '^(7|271) ' "/proc/$1/syscall" 2>/dev/null
}

# nl_drops PID: messages dropped for want of room on PID's netlink
# sockets (their Drops in /proc/PID/net/netlink, the PID's namespace).
nl_drops() {
	local fd l inos=" "
	for fd in /proc/"$1"/fd/*; do
		l=$(readlink "$fd") || continue
		case $l in socket:*) l=${l#socket:[}; inos="$inos${l%]} " ;; esac
	done
	awk -v inos="$inos" 'NR > 1 && index(inos, " " $10 " ") { s += $9 }
		END { print s + 0 }' "/proc/$1/net/netlink"
}

# procs_gone PID...: none of them runs (gone, or a zombie not reaped yet).
procs_gone() {
	local p
	for p in "$@"; do
		[ -e "/proc/$p/stat" ] || continue
		[ "$(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f1)" = Z ] || return 1
	done
}

# Unreclaimable slab in kB.
slab_kb() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }

# Drop the page caches and shrink every slab cache (frees empty slabs).
slab_shrink() {
	sync; echo 3 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f"; done 2>/dev/null
}

# slab_settle BASE LIMIT: device and namespace teardown finish in
# workqueues: drop caches and shrink every slab cache until unreclaimable
# slab is within LIMIT kB of BASE, or 20 s passed.  SLAB is the last
# reading; the status says whether it got there.
slab_settle() {
	slab_near() {
		slab_shrink
		SLAB=$(slab_kb)
		[ $((SLAB - $1)) -lt "$2" ]
	}
	wait_for 20 slab_near "$1" "$2"
	slab_near "$1" "$2"
}

# The keynet debug kernel (make check-debug): the one with kmemleak.
debug_kernel() { [ -e /sys/kernel/debug/kmemleak ]; }

# slab_bound BASE LIMIT WHAT: fail unless SLAB grew by less than LIMIT kB
# over BASE.  Not on the debug kernel: KASAN's quarantine and kmemleak's
# own objects make slab totals meaningless there, and its kmemleak scan
# after the suite proves leaks object by object instead.
slab_bound() {
	if debug_kernel; then
		echo "# debug kernel: slab bound not applied (kmemleak scans at the end)"
		return 0
	fi
	[ $((SLAB - $1)) -lt "$2" ] || fail "slab grew by $((SLAB - $1)) kB $3"
}

# drops NS DEV REASON: one drop counter of a device (JSON field name).
drops() {
	keynet -n "$1" -j -s link show dev "$2" | jq -r ".[0].drops.$3"
}

# iperf3 TCP from namespace $1 to address $2 for $3 seconds (server in
# namespace $4, default b); prints Mbit/s.
tcp_mbps() {
	local out
	wait_for 10 tcp_free "${4:-b}" 5201 || return 1
	ns "${4:-b}" iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
	wait_for 10 tcp_listening "${4:-b}" 5201 || return 1
	out=$(ns "$1" iperf3 -c "$2" -p 5201 -t "$3" -J 2>/dev/null) || return 1
	echo "$out" | jq '.end.sum_received.bits_per_second / 1e6 | floor'
}
