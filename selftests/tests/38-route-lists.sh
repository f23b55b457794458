#!/bin/bash
# timeout: 420
# scope: every kernel (a refused list's extended ack is a compat.h path: from 6.2 its message gives the entry's position)
# Route lists (issue 23): ROUTE_NEW carrying many routes (KEYNET_A_ROUTES),
# all or nothing.  Through the tool: "route add" of several prefixes lands
# them all (IPv4 and IPv6, the metric given), the one-route form and an
# old tool's raw one-route request still work, the fallback of a module
# without lists (KEYNET_DEBUG_NO_ROUTE_LISTS) too.  Raw lists
# (selftests/tools/kngen.py rlist): a list with one bad entry (host bits,
# a length too long, an unknown peer, no prefix, the wrong entry type)
# leaves no route of it and takes back the metric changes it made, the
# order of equal metrics included, and the error names the entry (the
# extended ack's bad attribute lies inside it; from 6.2 the message
# starts with "route N: ").  Big loads: "conf apply" of 100,000 routes
# (a few dozen lists) counted by a dump, the dump applied back as a no-op,
# and knbulk's lists of 100,000 routes against its one request per route.
. "$KN_ROOT/selftests/lib.sh"

t=$(mktemp -d)
cd "$t" || fail "cd $t"
kn_load
ip link add kn0 type keynet || fail "ip link add kn0 type keynet"
for i in 1 2 3 4; do
	keynet genkey >"p$i.key" || fail "genkey $i"
	eval "P$i=\$(keynet pubkey <p\$i.key)"
done
keynet peer add dev kn0 "$P1" || fail "peer add P1"
keynet peer add dev kn0 "$P2" || fail "peer add P2"
kngen() { python3 "$KN_ROOT/selftests/tools/kngen.py" "$@"; }

# routes [ARGS]: "PREFIX METRIC" of kn0's routes (not the automatic /128s),
# sorted (by jq: bytewise, whatever the locale), one per line.
routes() {
	keynet -j route show dev kn0 "$@" |
		jq -r '[.[] | select(.auto != true) | "\(.prefix) \(.metric)"] | sort | .[]'
}
# count: kn0's routes but the automatic ones.
count() { keynet route show dev "${1:-kn0}" | grep -vc ' auto$'; }

# ---- the tool: several prefixes in one list ---------------------------------
keynet route add 10.1.0.0/24 10.1.1.0/24 10.1.2.0/24 fd01::/64 fd01:1::/64 10.1.3.7 \
	dev kn0 peer "$P1" metric 5 || fail "route add of six prefixes"
check_eq "$(routes peer "$P1" | tr '\n' ' ')" \
	"10.1.0.0/24 5 10.1.1.0/24 5 10.1.2.0/24 5 10.1.3.7/32 5 fd01:1::/64 5 fd01::/64 5 " \
	"the six routes of one route add"
# Again with another metric: the same routes, the metric changed.
keynet route add 10.1.1.0/24 10.1.2.0/24 dev kn0 peer "$P1" metric 6 || fail "route add again"
check_eq "$(routes peer "$P1" | grep -c ' 6$')" 2 "a list changes the metrics of existing routes"
# The one-route form, and an old tool's raw one-route request.
keynet route add 10.9.0.0/16 dev kn0 peer "$P2" metric 3 || fail "one-route route add"
kngen routes kn0 "$P2" 3 7 || fail "raw one-route ROUTE_NEW"
check_eq "$(routes peer "$P2" | tr '\n' ' ')" \
	"10.1.0.0/32 7 10.1.0.1/32 7 10.1.0.2/32 7 10.9.0.0/16 3 " "one-route requests"
# A list for a peer the device does not have: nothing, the route named.
expect_fail 1 "^keynet: the kernel refused the route '10.70.0.0/24' \\(1 of 2\\): no such peer" \
	keynet route add 10.70.0.0/24 10.71.0.0/24 dev kn0 peer "$P4"
# The path of a module without lists: one request per route.
out=$(KEYNET_DEBUG=1 KEYNET_DEBUG_NO_ROUTE_LISTS=1 \
	keynet route add 10.2.0.0/24 10.2.1.0/24 10.2.2.0/24 dev kn0 peer "$P2" 2>&1) ||
	fail "route add one by one: $out"
check_match "$out" "no route lists .*one request per route" "the fallback says so"
check_eq "$(routes peer "$P2" | grep -c '^10\.2\.')" 3 "routes added one by one"
# peer add ... route: lists too.
keynet peer add dev kn0 "$P3" route 10.3.0.0/24 route fd03::/64 || fail "peer add with routes"
check_eq "$(routes peer "$P3" | tr '\n' ' ')" "10.3.0.0/24 0 fd03::/64 0 " "peer add routes"

# ---- raw lists: all or nothing, the entry named -----------------------------
before=$(routes)
# Kernels from 6.2 format extack messages: the entry's position comes first.
kv=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
# rlist_refused WANT_ERRNO WANT_ENTRY REASON ARGS...: the list is refused
# with that errno, the extended ack's bad attribute lies in that entry (0:
# outside the list), its message gives the reason (after "route N: " from
# 6.2, for an entry), and kn0's routes are as before.
rlist_refused() {
	local errno=$1 entry=$2 why=$3 out pos=""
	shift 3
	[ "$kv" -ge 6002 ] && [ "$entry" != 0 ] && pos="route $entry: "
	out=$(kngen rlist "$@") || fail "kngen rlist $*: $out"
	check_match "$out" "^ERR $errno entry $entry: $pos$why\$" "error of rlist $*"
	check_eq "$(routes)" "$before" "no change by the refused list $*"
}
rlist_refused 22 3 "host bits set beyond the prefix length" \
	kn0 "$P1" 10.50.0.0/24 10.50.1.0/24 10.50.2.1/24 10.50.3.0/24
rlist_refused 22 4 "prefix length too long" \
	kn0 "$P1" 10.50.0.0/24 fd50::/64 10.50.1.0/24,peer="$P2" 10.50.2.0/33
rlist_refused 2 2 "no such peer" \
	kn0 "$P1" 10.50.0.0/24 10.50.1.0/24,peer="$P4" 10.50.2.0/24
rlist_refused 22 2 "a prefix and its length are required" kn0 "$P1" 10.50.0.0/24 noprefix
rlist_refused 22 3 "expected a route entry" kn0 "$P1" 10.50.0.0/24 10.50.1.0/24 wrongtype
rlist_refused 22 1 "neither the entry nor the request names a peer" kn0 - 10.50.0.0/24
# Metric changes of the list are taken back; so is the order of equal
# metrics: P2 joins P1's 10.1.0.0/24 at metric 5 (behind P1), then a list
# moves P1 (to 9, then back to 5: behind P2) and adds a route before its
# bad entry.  Taken back, P1 is first again.
keynet route add 10.1.0.0/24 dev kn0 peer "$P2" metric 5 || fail "route add of a tie"
order() { keynet route show dev kn0 | awk '$1 == "10.1.0.0/24" { print $3 }' | tr '\n' ' '; }
check_eq "$(order)" "$P1 $P2 " "the older of two equal metrics first"
before=$(routes)
rlist_refused 22 4 "host bits set beyond the prefix length" \
	kn0 "$P1" 10.1.0.0/24,metric=9 10.51.0.0/24 10.1.0.0/24,metric=5 10.52.0.1/8
check_eq "$(order)" "$P1 $P2 " "the order of equal metrics after the list was taken back"
# Kept, the same moves leave P1 behind P2 (as one-route requests would).
check_eq "$(kngen rlist kn0 "$P1" 10.1.0.0/24,metric=9 10.51.0.0/24 10.1.0.0/24,metric=5)" 0 \
	"the same list without its bad entry"
check_eq "$(order)" "$P2 $P1 " "a kept list's moves"
check_match "$(routes)" "10.51.0.0/24 0" "the kept list's new route"
# A list with the request's metric, and entries of their own peer.
check_eq "$(kngen rlist --metric 4 kn0 "$P1" 10.53.0.0/24 10.53.1.0/24,peer="$P3",metric=8)" 0 \
	"a list with a default metric"
check_match "$(routes peer "$P1")" "10.53.0.0/24 4" "the request's metric"
check_match "$(routes peer "$P3")" "10.53.1.0/24 8" "an entry's own peer and metric"
# Not with a prefix, not in ROUTE_DEL.
before=$(routes)
rlist_refused 22 0 "a prefix and a route list in one request" \
	--prefix 10.54.0.0/24 kn0 "$P1" 10.55.0.0/24
rlist_refused 95 0 "only route-new takes a route list" --del kn0 "$P1" 10.1.0.0/24
check_eq "$(kngen rlist kn0 "$P1")" 0 "an empty list"
check_eq "$(routes)" "$before" "an empty list changes nothing"

# ---- 100,000 routes: conf apply, dump, apply of the dump ---------------------
python3 - >big.conf <<'EOF'
import base64, os
print("[Link]\nName = kn1\nListenPort = 20001\n")
for p in range(10):
    print("[Peer]\nPublicKey = %s" % base64.b64encode(os.urandom(32)).decode())
    for i in range(p, 100000, 10):
        print("Route = 10.%d.%d.%d" % (100 + (i >> 16), (i >> 8) & 255, i & 255))
    print()
EOF
start=$(date +%s%N)
out=$(keynet conf apply big.conf) || fail "apply of 100,000 routes: $out"
info "conf apply of 10 peers and 100,000 routes: $(( ($(date +%s%N) - start) / 1000000 )) ms"
check_eq "$out" "kn1: created, link changed, 10 peers added, 100000 routes added, up" \
	"summary of the big apply"
check_eq "$(count kn1)" 100000 "routes of kn1 in a dump"
keynet conf dump dev kn1 >dump.conf || fail "conf dump kn1"
check_eq "$(grep -c '^Route = ' dump.conf)" 100000 "routes in the dump"
check_eq "$(keynet conf apply dump.conf)" "kn1: up to date" "the dump applied back"
ip link del kn1

# ---- knbulk: lists against one request per route -----------------------------
cc -O2 -I "$KN_ROOT/include" -o knbulk "$KN_ROOT/selftests/tools/knbulk.c" || fail "build knbulk"
for how in lists one; do
	ip link add kn2 type keynet || fail "ip link add kn2"
	out=$(./knbulk -s 5 $([ $how = one ] && echo -1) routes "$(cat /sys/class/net/kn2/ifindex)" \
		100 100000 2>&1) || fail "knbulk ($how): $out"
	info "knbulk ($how): $(echo "$out" | tr '\n' ' ')"
	check_eq "$(count kn2)" 100000 "routes of knbulk ($how)"
	ip link del kn2
done
ip link del kn0
