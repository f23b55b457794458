#!/bin/bash
# timeout: 150
# scope: once (the tool's NAT64 commands; the translator runs on every kernel in 20, 27 and 33)
# keynet nat64 / map / pool: settings, errors (kernel reasons, usage),
# JSON, idle expiry of dynamic mappings, pool full, save/restore (the
# temporary file of save is made afresh: a symlink in its way is not followed).
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"

nat64_topo

# Settings and JSON.
j=$(keynet -n r -j nat64 show) || fail "nat64 show"
check_eq "$(echo "$j" | jq -r '.[0].prefix')" "${N64_PREFIX}/96" "prefix"
check_eq "$(echo "$j" | jq -r '.[0].ipv4_addr')" 100.100.0.1 "ipv4_addr"
check_eq "$(echo "$j" | jq -r '.[0].mss_clamp')" on "mss_clamp default"
check_eq "$(echo "$j" | jq -r '.[0].strict_wkp')" true "strict_wkp default"
check_eq "$(echo "$j" | jq -r '.[0].pool_timeout')" 7200 "pool_timeout default"
check_eq "$(echo "$j" | jq -r '.[0].pool_size')" 65536 "pool_size"
check_eq "$(echo "$j" | jq -r '.[0].udp_zero_csum')" compute "udp_zero_csum default"
check_eq "$(echo "$j" | jq -r '.[0].clat')" false "clat default"
keynet -n r nat64 set dev kn0 clat on || fail "clat on"
check_eq "$(keynet -n r -j nat64 show | jq -r '.[0].clat')" true "clat on"
check_match "$(keynet -n r nat64 show)" "strict-wkp on clat on$" "clat in the text output"
keynet -n r nat64 set dev kn0 clat off || fail "clat off"
check_eq "$(keynet -n r -j nat64 show | jq -r '.[0].clat')" false "clat off"
expect_fail 2 "expected 'on' or 'off'" keynet -n r nat64 set dev kn0 clat maybe
keynet -n r nat64 set dev kn0 udp-zero-csum drop || fail "udp-zero-csum drop"
check_eq "$(keynet -n r -j nat64 show | jq -r '.[0].udp_zero_csum')" drop "udp_zero_csum drop"
keynet -n r nat64 set dev kn0 udp-zero-csum compute || fail "udp-zero-csum compute"
expect_fail 2 "expected 'compute', 'drop' or 'forward'" keynet -n r nat64 set dev kn0 udp-zero-csum maybe
keynet -n r nat64 set dev kn0 mss-clamp 1200 strict-wkp off pool-timeout 2 ||
	fail "nat64 set (change)"
j=$(keynet -n r -j nat64 show dev kn0)
check_eq "$(echo "$j" | jq -r '.[0].mss_clamp')" 1200 "mss_clamp"
check_eq "$(echo "$j" | jq -r '.[0].strict_wkp')" false "strict_wkp"
check_eq "$(echo "$j" | jq -r '.[0].prefix')" "${N64_PREFIX}/96" "prefix kept"
check_eq "$(keynet -n r -j pool show | jq -r '.[0].prefix')" 100.100.0.0/16 "pool show"
check_match "$(keynet -n r nat64 show)" "^kn0: prefix ${N64_PREFIX}/96 ipv4-addr 100.100.0.1" \
	"text output"

# Errors: kernel reasons (exit 1) and usage (exit 2).
expect_fail 1 "RFC 6052" keynet -n r nat64 set dev kn0 prefix 2001:db8::/33
expect_fail 1 "overlaps" keynet -n r pool add 100.100.7.0/24 dev kn0
expect_fail 1 "no such range" keynet -n r pool del 10.0.0.0/24 dev kn0
expect_fail 1 "inside the NAT64 prefix" keynet -n r map add 100.100.5.5 ${N64_PREFIX}1.2.3.4 dev kn0
expect_fail 1 "own IPv4 address" keynet -n r map add 100.100.0.1 2001:db8:1::9 dev kn0
expect_fail 1 "no such mapping" keynet -n r map del 100.100.5.99 dev kn0
expect_fail 1 "not a keynet device" keynet -n r nat64 show dev rc
expect_fail 2 "invalid MSS" keynet -n r nat64 set dev kn0 mss-clamp 10
expect_fail 2 "invalid pool range" keynet -n r pool add 10.0.0.0/8 dev kn0
expect_fail 2 "missing device" keynet -n r map add 100.100.5.5 2001:db8:1::5
expect_fail 2 "unknown command" keynet -n r nat64 frobnicate
keynet -n r map add 100.100.5.5 2001:db8:1::5 dev kn0 || fail "map add"
expect_fail 1 "overlaps" keynet -n r map add 100.100.5.5 2001:db8:1::6 dev kn0
keynet -n r map del 2001:db8:1::5 dev kn0 || fail "map del by IPv6"
ip link add kn9 type keynet
expect_fail 1 "NAT64 is off" keynet nat64 show dev kn9
expect_fail 1 "a prefix is needed" keynet nat64 set dev kn9 ipv4-addr 10.0.0.1
expect_fail 1 "nat64 set' first" keynet map add 100.100.5.5 2001:db8:1::5 dev kn9
ip link del kn9

# Idle expiry (pool-timeout 2 s).
ns c ping -6 -c 1 -W 2 $N64_SERVER >/dev/null || fail "ping"
dyn() { keynet -n r -j map show | jq '[.[] | select(.type=="dynamic")] | length'; }
check_eq "$(dyn)" 1 "dynamic mapping made"
no_maps() { [ "$(keynet -n r -j map show | jq length)" = 0 ]; }
wait_for 8 no_maps ||
	fail "dynamic mapping did not expire: $(keynet -n r map show)"

# Mass expiry: 20,000 mappings (about 20 per hash bucket, so the expiry
# worker takes some buckets in several batches) from as many IPv6
# sources, made with a long timeout, then all expired by one pass after
# it is cut to 2 s, each reported by a map_expired event unless the
# listener's buffer overran (then it says so).  The backlog is raised so
# that a slow (debug) guest queues the burst instead of dropping it.  The
# sources share one /64, so the per-/64 limit is lifted.
keynet -n r nat64 set dev kn0 pool-timeout 600 pool-per-64 0 ||
	fail "pool-timeout 600"
backlog=$(sysctl -n net.core.netdev_max_backlog)
sysctl -qw net.core.netdev_max_backlog=100000
ns c python3 - "$N64_SERVER" <<'PY' || fail "mass mapping sender"
import socket, struct, sys
IPV6_FREEBIND, IPV6_PKTINFO = 78, 50
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, IPV6_FREEBIND, 1)
s.setsockopt(socket.SOL_SOCKET, 32, 16 << 20)  # SO_SNDBUFFORCE
for i in range(20000):
    src = socket.inet_pton(socket.AF_INET6, "2001:db8:1:0:ffff::%x:%x" % (i >> 16, i & 0xffff))
    s.sendmsg([b"m"], [(socket.IPPROTO_IPV6, IPV6_PKTINFO, src + struct.pack("=I", 0))],
               0, (sys.argv[1], 9))
PY
all_made() { [ "$(keynet -n r -j nat64 show dev kn0 | jq .[0].pool_used)" -ge 20000 ]; }
wait_for 60 all_made
sysctl -qw net.core.netdev_max_backlog="$backlog"
made=$(dyn)
check_eq "$made" 20000 "dynamic mappings made"
keynet -n r monitor -j >/tmp/mon21.json 2>/dev/null &
mon=$!
wait_for 5 in_poll $mon || fail "monitor did not start"
keynet -n r nat64 set dev kn0 pool-timeout 2 || fail "pool-timeout 2"
wait_for 30 no_maps ||
	fail "$(keynet -n r -j map show | jq length) mappings left after mass expiry"
# The monitor read them all: one event per mapping, or an overrun said
# and nothing left queued (the last batch's events follow the last unlink).
drained() {
	[ "$(grep -c '"map_expired"' /tmp/mon21.json)" -ge "$made" ] ||
		{ grep -q '"overrun"' /tmp/mon21.json && in_poll $mon; }
}
wait_for 10 drained
kill $mon; wait $mon 2>/dev/null
exp=$(grep -c '"map_expired"' /tmp/mon21.json)
info "mass expiry: $made mappings made, all expired; $exp map_expired events"
if grep -q '"overrun"' /tmp/mon21.json; then
	[ "$exp" -ge 1 ] || fail "no map_expired event"
else
	check_eq "$exp" "$made" "one map_expired event per mapping"
fi

keynet -n r nat64 set dev kn0 pool-timeout 600
ns c ping -6 -c 1 -W 2 $N64_SERVER >/dev/null || fail "ping (2)"
before=$(keynet -n r -j map show | jq -r '.[0] | "\(.ipv4) \(.ipv6)"')
mkdir -m 700 /tmp/n64dir
echo precious >/tmp/n64.victim
ln -s /tmp/n64.victim /tmp/n64dir/n64.map.tmp
keynet -n r nat64 save /tmp/n64dir/n64.map dev kn0 || fail "nat64 save"
# The temporary file is a fresh one (mkstemp), not a symlink someone put
# at a predictable name: the symlink's target is untouched, the saved file
# is a regular file with the usual mode, and no temporary file is left.
check_eq "$(cat /tmp/n64.victim)" precious "the target of a symlink at FILE.tmp"
[ -f /tmp/n64dir/n64.map ] && [ ! -L /tmp/n64dir/n64.map ] || fail "the saved file is not a regular file"
check_eq "$(stat -c %a /tmp/n64dir/n64.map)" 600 "mode of the saved file under umask 077"
(umask 022 && keynet -n r nat64 save /tmp/n64dir/b.map dev kn0) || fail "nat64 save under umask 022"
check_eq "$(stat -c %a /tmp/n64dir/b.map)" 644 "mode of the saved file under umask 022"
rm /tmp/n64dir/b.map
check_eq "$(ls /tmp/n64dir | sort | tr '\n' ' ')" "n64.map n64.map.tmp " "files next to the saved one"
cp /tmp/n64dir/n64.map /tmp/n64.map
grep -q "^kn0 ${before} " /tmp/n64.map || fail "saved file: $(cat /tmp/n64.map)"
keynet -n r nat64 off dev kn0 || fail "nat64 off"
expect_fail 1 "already off" keynet -n r nat64 off dev kn0
check_eq "$(keynet -n r -j nat64 show)" "[]" "nat64 off"
keynet -n r nat64 set dev kn0 prefix ${N64_PREFIX}/96 ipv4-addr 100.100.0.1 || fail "set again"
keynet -n r pool add 100.100.0.0/16 dev kn0 || fail "pool add again"
keynet -n r nat64 restore /tmp/n64.map || fail "nat64 restore"
after=$(keynet -n r -j map show | jq -r '.[0] | "\(.ipv4) \(.ipv6)"')
check_eq "$after" "$before" "restored mapping"
ns c ping -6 -c 1 -W 2 $N64_SERVER >/dev/null || fail "ping after restore"
check_eq "$(keynet -n r -j map show | jq length)" 1 "the restored mapping is used"

# Pool full: a /30 has two usable addresses; the third host is refused.
keynet -n r pool del 100.100.0.0/16 dev kn0 || fail "pool del"
check_eq "$(keynet -n r -j map show | jq length)" 0 "pool del removes its mappings"
keynet -n r pool add 100.100.7.0/30 dev kn0 || fail "pool add /30"
for i in 11 12 13; do ns c ip addr add 2001:db8:1::$i/64 dev c0 nodad; done
ns c ping -6 -c 1 -W 2 -I 2001:db8:1::11 $N64_SERVER >/dev/null || fail "host 1"
ns c ping -6 -c 1 -W 2 -I 2001:db8:1::12 $N64_SERVER >/dev/null || fail "host 2"
out=$(ns c ping -6 -c 1 -W 2 -I 2001:db8:1::13 $N64_SERVER 2>&1)
check_match "$out" "Destination unreachable" "pool full answer"
check_eq "$(n64_stat pool_full)" 1 "pool_full counter"
check_eq "$(keynet -n r -j nat64 show | jq '.[0].pool_used')" 2 "pool_used"
exit 0
