#!/bin/bash
# timeout: 900
# scope: once (peer churn under traffic: the module's tables and teardown, which 70 and 71 run on every kernel)
# Peer churn under traffic: 10,000 peers added and removed on a device
# while another peer of it carries a steady UDP stream (one datagram per
# millisecond).  The longest gap between arrivals during the churn is
# compared with the same measurement without churn: the data path takes
# no configuration lock, so churn must not stall it.
. "$KN_ROOT/selftests/lib.sh"

peers=10000
cc -O2 -I "$KN_ROOT/include" -o /tmp/nlfuzz "$KN_ROOT/selftests/fuzz/nlfuzz.c" &&
cc -O2 -o /tmp/gapmeter "$KN_ROOT/selftests/tools/gapmeter.c" || fail "build helpers"

kn_pair v4
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel did not come up"
ifa=$(ns a cat /sys/class/net/kn0/ifindex)

# measure SECONDS [CMD...]: gapmeter over the tunnel while CMD runs.
measure() {
	local secs=$1 rpid
	shift
	ns b /tmp/gapmeter recv 7777 $((secs + 5)) >/tmp/gap.out &
	rpid=$!
	wait_for 10 udp_bound b 7777 || fail "gapmeter recv not bound in b"
	ns a /tmp/gapmeter send 192.168.241.2 7777 "$secs" 1000 &
	"$@"
	wait
	cat /tmp/gap.out
}

base=$(measure 5 true)
info "no churn:   $base"
t0=$(date +%s)
churn=$(measure 20 ns a /tmp/nlfuzz -c "$peers" "$ifa" | tee /tmp/churn.out)
info "with churn: $(echo "$churn" | grep gapmeter)"
grep -q "churn round 1: $peers peers added and removed" /tmp/churn.out ||
	fail "churn did not complete: $(cat /tmp/churn.out)"
info "$(grep 'churn round' /tmp/churn.out)"

gap() { echo "$1" | sed -n 's/.*max gap \([0-9.]*\) ms.*/\1/p' | cut -d. -f1; }
bg=$(gap "$base") cg=$(gap "$churn")
[ -n "$bg" ] && [ -n "$cg" ] || fail "no measurement"
check_eq "$(keynet -n a -j link show dev kn0 | jq '.[0].peer_count')" 1 "peers left after churn"
# TCG on a shared host stalls whole vCPUs for tens of milliseconds on its
# own, so the bound is relative: at most 3x the quiet run's worst gap,
# plus 50 ms.
[ "$cg" -le $((3 * bg + 50)) ] || fail "data path stalled ${cg} ms under churn (quiet: ${bg} ms)"
ns a ping -c 2 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "tunnel after churn"
exit 0
