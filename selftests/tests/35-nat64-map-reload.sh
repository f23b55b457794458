#!/bin/bash
# timeout: 240
# scope: once (map replace; its RCU swap also runs in 63-cycles and 70-peer-lifetimes)
# Replacing the whole static map set atomically (issue 22 item 2): while
# UDP flows both ways through a map that every set keeps (203.0.113.0/24
# <-> 2001:db8:6::/120), the set is replaced 100 times with
# 'keynet map replace', alternating between two sets that differ in
# other maps (one removed, one added, one changed from a /24 to a /25).
# Not one datagram of either flow may be lost; after each replace the
# maps are exactly the file's; a removed map stops at once (its address
# is refused right after the replace); the kept map keeps its age; a
# replace with an error changes nothing; an empty file removes every map.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

nat64_topo
T=$(mktemp -d)
pids=()
trap 'kill_tree ${pids[*]}; rm -rf "$T"' EXIT

ns c ip addr add 2001:db8:6::8/128 dev c0 nodad preferred_lft 0
ns r ip -6 route add 2001:db8:6::/120 via 2001:db8:1::2 || fail "route to c's mapped address"
ns r ip route add 203.0.113.0/24 dev kn0 || fail "route the kept map into kn0"
ns r ip route add 198.18.0.0/16 dev kn0 || fail "route the other maps into kn0"
ns s ip route add 203.0.113.0/24 via 198.51.100.1 || fail "route in s"
ns s ip route add 198.18.0.0/16 via 198.51.100.1 || fail "route in s"
# Hosts behind the other maps: 198.18.1.5, 198.18.2.5 and 198.18.3.200.
for a in 2001:db8:11::5 2001:db8:12::5 2001:db8:13::c8; do
	ns c ip addr add $a/128 dev c0 nodad preferred_lft 0
	ns r ip -6 route add $a/128 via 2001:db8:1::2 || fail "route to $a"
done

cat >"$T/a.map" <<EOF
# set A
map 203.0.113.0/24 2001:db8:6::/120
198.18.1.0/24 2001:db8:11::/120
198.18.3.0/24 2001:db8:13::/120
EOF
cat >"$T/b.map" <<EOF
# set B: 198.18.1.0/24 gone, 198.18.2.0/24 new, 198.18.3.0/24 now a /25
203.0.113.0/24 2001:db8:6::/120
198.18.2.0/24 2001:db8:12::/120
198.18.3.0/25 2001:db8:13::/121
EOF
maps() {
	keynet -n r -j map show dev kn0 |
		jq -r '[.[] | select(.type == "static") | .ipv4 + "=" + .ipv6] | sort | join(" ")'
}
A="198.18.1.0/24=2001:db8:11::/120 198.18.3.0/24=2001:db8:13::/120 203.0.113.0/24=2001:db8:6::/120"
B="198.18.2.0/24=2001:db8:12::/120 198.18.3.0/25=2001:db8:13::/121 203.0.113.0/24=2001:db8:6::/120"

keynet -n r map replace dev kn0 "$T/a.map" || fail "map replace with set A"
check_eq "$(maps)" "$A" "set A in place"
ns s ping -c 1 -W 2 198.18.1.5 >/dev/null || fail "A's 198.18.1.0/24 translates"
ns s ping -c 1 -W 2 198.18.3.200 >/dev/null || fail "A's 198.18.3.0/24 translates"
keynet -n r map replace dev kn0 - <"$T/b.map" || fail "map replace with set B from stdin"
check_eq "$(maps)" "$B" "set B in place"
# Removed maps stop at once; added ones work at once.
ns s ping -c 1 -W 1 198.18.1.5 >/dev/null 2>&1 && fail "198.18.1.5 still translated after its map went"
ns s ping -c 1 -W 2 198.18.2.5 >/dev/null || fail "B's 198.18.2.0/24 translates"
ns s ping -c 1 -W 1 198.18.3.200 >/dev/null 2>&1 && fail "198.18.3.200 outside the /25 still translated"

# ---- a refused replace changes nothing ----------------------------------------
printf '203.0.113.0/24 2001:db8:6::/120\n198.18.2.0/25 2001:db8:6::80/121\n' >"$T/bad.map"
expect_fail 2 "bad.map:2: map '198.18.2.0/25 2001:db8:6::80/121' and line 1, .*IPv6 prefixes overlap" \
	keynet -n r map replace dev kn0 "$T/bad.map"
printf '203.0.113.0/24 2001:db8:6::/120\n198.18.9.0/24 2001:db8:9::/112\n' >"$T/bad2.map"
expect_fail 2 "bad2.map:2: invalid map" keynet -n r map replace dev kn0 "$T/bad2.map"
check_eq "$(maps)" "$B" "set B unchanged after refused replaces"
age0=$(keynet -n r -j map show dev kn0 | jq -r '.[] | select(.ipv4 == "203.0.113.0/24") | .age')

# ---- 100 replaces under traffic ------------------------------------------------
# Two flows through the kept map, each a sender numbering its datagrams
# until told to stop and a receiver counting the distinct numbers: s to
# 203.0.113.8 (4->6, received by c on 2001:db8:6::8), and c from
# 2001:db8:6::8 to s (6->4, seen by s as from 203.0.113.8).
recv() {	# NS BIND FILE
	ns "$1" python3 - "$2" "$3" <<-'PY' &
	import socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	s = socket.socket(fam, socket.SOCK_DGRAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
	s.bind((sys.argv[1], 9191))
	s.settimeout(5)
	seen, srcs = set(), set()
	while True:
	    try:
	        d, a = s.recvfrom(100)
	    except socket.timeout:
	        if seen:
	            break
	        continue
	    seen.add(int(d))
	    srcs.add(a[0])
	open(sys.argv[2], "w").write("%d %s\n" % (len(seen), " ".join(sorted(srcs))))
	PY
	pids+=($!)
}
send() {	# NS BIND|- DST FILE: until $T/stop exists; FILE gets the count
	ns "$1" python3 - "$2" "$3" "$4" "$T/stop" <<-'PY' &
	import os, socket, sys, time
	fam = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
	s = socket.socket(fam, socket.SOCK_DGRAM)
	if sys.argv[1] != "-":
	    s.bind((sys.argv[1], 0))
	i = 0
	while i % 50 or not os.path.exists(sys.argv[4]):
	    s.sendto(b"%d" % i, (sys.argv[2], 9191))
	    i += 1
	    time.sleep(0.002)
	open(sys.argv[3], "w").write("%d\n" % i)
	PY
	pids+=($!)
}
ns s ping -c 1 -W 2 203.0.113.8 >/dev/null || fail "warm-up 4->6"
nm0=$(n64_stat no_map_dst)
recv c 2001:db8:6::8 "$T/got6"
recv s 198.51.100.2 "$T/got4"
wait_for 10 udp_bound c 9191 || fail "receiver in c"
wait_for 10 udp_bound s 9191 || fail "receiver in s"
send s - 203.0.113.8 "$T/sent4"
send c 2001:db8:6::8 "${N64_PREFIX}198.51.100.2" "$T/sent6"
sleep 1
start=$(date +%s%N)
for i in $(seq 1 100); do
	if [ $((i % 2)) = 1 ]; then f=a; want=$A; else f=b; want=$B; fi
	keynet -n r map replace dev kn0 "$T/$f.map" || fail "replace $i"
	check_eq "$(maps)" "$want" "the maps after replace $i"
done
info "100 replaces: $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 1
touch "$T/stop"
wait_for 30 test -s "$T/sent4" || fail "sender in s did not stop"
wait_for 30 test -s "$T/sent6" || fail "sender in c did not stop"
wait_for 30 test -s "$T/got6" || fail "receiver in c did not finish"
wait_for 30 test -s "$T/got4" || fail "receiver in s did not finish"
info "datagrams sent: 4->6 $(cat "$T/sent4"), 6->4 $(cat "$T/sent6")"
check_eq "$(cat "$T/got6")" "$(cat "$T/sent4") ${N64_PREFIX}c633:6402" \
	"4->6 datagrams through the kept map: all received, from s in the prefix"
check_eq "$(cat "$T/got4")" "$(cat "$T/sent6") 203.0.113.8" \
	"6->4 datagrams through the kept map: all received, from the mapped address"
age1=$(keynet -n r -j map show dev kn0 | jq -r '.[] | select(.ipv4 == "203.0.113.0/24") | .age')
[ "$age1" -ge "$age0" ] || fail "the kept map's age went from $age0 to $age1: it was re-created"
check_eq "$(n64_stat no_map_dst)" "$nm0" "no destination went unmapped during the replaces"

# ---- an empty set removes every static map ---------------------------------------
keynet -n r map replace dev kn0 /dev/null || fail "map replace with an empty file"
check_eq "$(maps)" "" "no static map left"
ns s ping -c 1 -W 1 203.0.113.8 >/dev/null 2>&1 && fail "203.0.113.8 still translated"
exit 0
