#!/bin/bash
# timeout: 180
# scope: once (prefix maps of the kernel-independent core)
# RFC 7757 prefix maps (issue 22 item 1), in the kernel: a /24 <-> /120
# map carries traffic both ways with the host bits copied (ICMP echo,
# TCP, and ICMP errors whose inner packets go through the same map);
# hairpinning between two mapped hosts through the prefix (RFC 7757
# section 4: the receiver sees the sender in the prefix and answers
# through the translator); overlapping maps refused, naming the map they
# overlap; a static map over a dynamic mapping's pool address drops it
# (counter map_evicted, event map evicted) and the pool never hands that
# address out again; events of maps added and removed; map del of a
# prefix map; import tayga keeps a block map as one prefix map.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

nat64_topo
T=$(mktemp -d)
pids=()
trap 'kill_tree ${pids[*]} $N64_SERVER_PID $N64_UDP_PID; rm -rf "$T"' EXIT

# c's mapped addresses: 2001:db8:6::8 and ::9, the IPv4 world's
# 203.0.113.8 and .9 through 203.0.113.0/24 <-> 2001:db8:6::/120.
# Deprecated, so that c's own connections keep 2001:db8:1::2 (the pool's)
# as their source unless they bind one of these.
ns c ip addr add 2001:db8:6::8/128 dev c0 nodad preferred_lft 0
ns c ip addr add 2001:db8:6::9/128 dev c0 nodad preferred_lft 0
ns r ip -6 route add 2001:db8:6::/120 via 2001:db8:1::2 || fail "route to c's mapped addresses"
ns r ip route add 203.0.113.0/24 dev kn0 || fail "route the map into kn0"
ns s ip route add 203.0.113.0/24 via 198.51.100.1 || fail "route in s"
ns s ip route add 100.100.0.0/16 via 198.51.100.1 || fail "pool route in s"

keynet -n r monitor dev kn0 >"$T/mon" 2>"$T/mon.err" &
pids+=($!)
wait_for 5 in_poll "${pids[0]}" || fail "monitor did not start: $(cat "$T/mon.err")"

keynet -n r map add 203.0.113.0/24 2001:db8:6::/120 dev kn0 || fail "map add of a prefix map"
check_eq "$(keynet -n r -j map show dev kn0 | jq -r '.[] | select(.type == "static") | .ipv4 + " " + .ipv6')" \
	"203.0.113.0/24 2001:db8:6::/120" "map show lists the prefix map"
check_match "$(keynet -n r map show dev kn0)" "^203.0.113.0/24 2001:db8:6::/120 dev kn0 static" \
	"map show, text"

# ---- both ways, the host bits copied ----------------------------------------
ns s ping -c 2 -i 0.2 -W 2 203.0.113.8 >/dev/null || fail "ping 4->6 through the /24 (.8)"
ns s ping -c 2 -i 0.2 -W 2 203.0.113.9 >/dev/null || fail "ping 4->6 through the /24 (.9)"
ns s ping -c 1 -W 1 203.0.113.10 >/dev/null 2>&1 && fail "203.0.113.10 (no host behind) answered"
n64_tcp_server c ::
out=$(n64_tcp_get s 203.0.113.9) || fail "TCP 4->6 through the prefix map"
check_match "$out" "^peer ${N64_PREFIX}c633:6402 " "c sees s in the NAT64 prefix"
kill_tree $N64_SERVER_PID
n64_tcp_server s 0.0.0.0
out=$(ns c python3 - <<-PY
	import socket
	c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
	c.settimeout(10)
	c.bind(("2001:db8:6::8", 0))
	c.connect(("$N64_SERVER", 8080))
	c.sendall(b"x" * 10)
	c.shutdown(socket.SHUT_WR)
	print(c.makefile().readline().strip())
	PY
) || fail "TCP 6->4 from a mapped source"
check_match "$out" "^peer 203.0.113.8 " "s sees c's mapped source as 203.0.113.8"
kill_tree $N64_SERVER_PID

# ---- ICMP errors: the inner packets through the same map --------------------
# s's UDP to a closed port of c: c's ICMPv6 port unreachable comes back
# as ICMPv4 quoting 198.51.100.2 -> 203.0.113.8, which only a correct
# inner translation lets s's connected socket match.
ns s python3 - <<-'PY' || fail "4->6: ICMP error with the map in its inner packet"
	import socket, sys, time
	u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	u.connect(("203.0.113.8", 9999))
	u.settimeout(1)
	for _ in range(5):
	    u.send(b"probe")
	    try:
	        u.recv(100)
	    except ConnectionRefusedError:
	        sys.exit(0)
	    except socket.timeout:
	        pass
	sys.exit("no port unreachable")
	PY
ns c python3 - "$N64_SERVER" <<-'PY' || fail "6->4: ICMP error with the map in its inner packet"
	import socket, sys
	u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
	u.bind(("2001:db8:6::8", 0))
	u.connect((sys.argv[1], 9999))
	u.settimeout(1)
	for _ in range(5):
	    u.send(b"probe")
	    try:
	        u.recv(100)
	    except ConnectionRefusedError:
	        sys.exit(0)
	    except socket.timeout:
	        pass
	sys.exit("no port unreachable")
	PY

# ---- hairpinning (RFC 7757 section 4) -----------------------------------------
# c's 2001:db8:6::8 talks to prefix::203.0.113.9 (its own ::9 as the IPv4
# world knows it): translated to IPv4 and straight back, the receiver
# sees the sender as prefix::203.0.113.8 and answers through kn0.
hp0=$(n64_stat hairpin)
n64_tcp_server c 2001:db8:6::9
out=$(ns c python3 - <<-PY
	import socket
	c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
	c.settimeout(10)
	c.bind(("2001:db8:6::8", 0))
	c.connect(("${N64_PREFIX}203.0.113.9", 8080))
	c.sendall(b"x" * 10)
	c.shutdown(socket.SHUT_WR)
	print(c.makefile().readline().strip())
	PY
) || fail "hairpinned TCP between two mapped addresses"
check_match "$out" "^peer ${N64_PREFIX}cb00:7108 " "the hairpinned sender is seen in the prefix"
kill_tree $N64_SERVER_PID
[ "$(n64_stat hairpin)" -ge $((hp0 + 2)) ] || fail "hairpin counter: $(n64_stat hairpin)"

# ---- overlaps refused, naming the other map ---------------------------------
# (6.2+ kernels name it; older ones say "overlaps a static map".)
expect_fail 1 "overlaps (map 203.0.113.0/24 2001:db8:6::/120|a static map)" \
	keynet -n r map add 203.0.113.128/25 2001:db8:8::/121 dev kn0
expect_fail 1 "overlaps (map 203.0.113.0/24 2001:db8:6::/120|a static map)" \
	keynet -n r map add 198.18.7.0/24 2001:db8:6::/120 dev kn0
expect_fail 1 "overlaps" keynet -n r map add 198.18.7.9 2001:db8:6::9 dev kn0
expect_fail 2 "96 bits longer" keynet -n r map add 198.18.7.0/24 2001:db8:8::/112 dev kn0
expect_fail 2 "host bits" keynet -n r map add 198.18.7.1/24 2001:db8:8::/120 dev kn0
expect_fail 1 "own IPv4 address" keynet -n r map add 100.100.0.0/24 2001:db8:8::/120 dev kn0
expect_fail 2 "never translated" keynet -n r map add 224.0.0.0/24 2001:db8:8::/120 dev kn0
check_eq "$(keynet -n r -j map show dev kn0 | jq '[.[] | select(.type == "static")] | length')" 1 \
	"refused maps left nothing behind"

# ---- a static map over a dynamic mapping: evicted, never handed out ----------
n64_tcp_server s 0.0.0.0
n64_tcp_get c $N64_SERVER >/dev/null || fail "TCP 6->4 from the pool"
kill_tree $N64_SERVER_PID
dyn4=$(keynet -n r -j map show dev kn0 | jq -r '.[] | select(.type == "dynamic" and .ipv6 == "2001:db8:1::2") | .ipv4')
[ -n "$dyn4" ] || fail "no dynamic mapping for c: $(keynet -n r map show dev kn0)"
ev0=$(n64_stat map_evicted)
keynet -n r map add "$dyn4" 2001:db8:7::1 dev kn0 || fail "map add over a dynamic mapping"
check_eq "$(n64_stat map_evicted)" $((ev0 + 1)) "map_evicted counter"
check_eq "$(keynet -n r -j map show dev kn0 | jq -r --arg a "$dyn4" '[.[] | select(.ipv4 == $a) | .type] | join(" ")')" \
	static "the address is the static map's now"
ns c ping -6 -c 1 -W 2 $N64_SERVER >/dev/null || fail "c after the eviction"
new4=$(keynet -n r -j map show dev kn0 | jq -r '.[] | select(.type == "dynamic" and .ipv6 == "2001:db8:1::2") | .ipv4')
[ -n "$new4" ] && [ "$new4" != "$dyn4" ] || fail "c's new pool address '$new4' (the static one was $dyn4)"
keynet -n r map del "$dyn4" dev kn0 || fail "map del of a single map"

# ---- map del of a prefix map -------------------------------------------------
expect_fail 1 "no such mapping" keynet -n r map del 203.0.113.0/25 dev kn0
expect_fail 1 "no such mapping" keynet -n r map del 203.0.113.8 dev kn0
keynet -n r map del 2001:db8:6::/120 dev kn0 || fail "map del by the IPv6 prefix"
ns s ping -c 1 -W 1 203.0.113.8 >/dev/null 2>&1 && fail "203.0.113.8 still translated after map del"

# ---- events -------------------------------------------------------------------
wait_for 5 grep -q "map removed 203.0.113.0/24 <-> 2001:db8:6::/120" "$T/mon" ||
	fail "no 'map removed' event: $(cat "$T/mon")"
grep -q "^kn0: map added 203.0.113.0/24 <-> 2001:db8:6::/120$" "$T/mon" ||
	fail "no 'map added' event: $(cat "$T/mon")"
grep -q "^kn0: map evicted $dyn4 <-> 2001:db8:1::2$" "$T/mon" ||
	fail "no 'map evicted' event: $(cat "$T/mon")"

# ---- import tayga: a block map stays one prefix map ----------------------------
cat >"$T/tayga.conf" <<EOF
tun-device nat64
ipv4-addr 192.168.255.1
prefix 2001:db8:64::/96
dynamic-pool 192.168.255.0/24
map 192.168.5.0/24 2001:db8:1:4444::/120
map 192.168.6.7 2001:db8:1:5555::7
EOF
keynet import tayga "$T/tayga.conf" >"$T/imported.conf" 2>"$T/import.err" ||
	fail "import tayga: $(cat "$T/import.err")"
grep -qx "IPv4 = 192.168.5.0/24" "$T/imported.conf" && grep -qx "IPv6 = 2001:db8:1:4444::/120" "$T/imported.conf" ||
	fail "the block map is not one [Map]: $(cat "$T/imported.conf")"
check_eq "$(grep -c '^\[Map\]' "$T/imported.conf")" 2 "two [Map] sections"
keynet conf check "$T/imported.conf" || fail "the imported file does not check"
exit 0
