#!/bin/bash
# timeout: 150
# scope: once (differential of the translation core, which has no kernel-version code)
# Differential test against TAYGA: the same IPv6 and IPv4 packets go into
# a keynet device and into TAYGA's TUN device (same prefix, ipv4-addr,
# pool and maps); the outputs are compared field by field by
# selftests/nat64/diff_tayga.py.  Differences must all be of the classes
# listed in docs/nat64.md.  (Packets per second: make bench, case nat64.)
. "$KN_ROOT/selftests/lib.sh"

command -v tayga >/dev/null || skip "tayga not installed"
kn_load
netns_add d
conf=/tmp/tayga-diff.conf
cat >$conf <<CONF
tun-device nat64
ipv4-addr 100.100.0.1
prefix 2a04:5b80:300:4::/96
dynamic-pool 100.100.0.0/16
data-dir /tmp/tayga-diff
CONF
ns d ip link add kn0 type keynet || fail "kn0"
ns d ip link set kn0 mtu 1500 up
keynet -n d nat64 set dev kn0 prefix 2a04:5b80:300:4::/96 ipv4-addr 100.100.0.1 \
	mss-clamp off || fail "nat64 set"
keynet -n d pool add 100.100.0.0/16 dev kn0 || fail "pool add"
for i in 1 2 3 4 5; do
	echo "map 100.101.5.$i 2001:db8:1::$i" >>$conf
	keynet -n d map add 100.101.5.$i 2001:db8:1::$i dev kn0 || fail "map add $i"
done
mkdir -p /tmp/tayga-diff
modprobe tun 2>/dev/null
[ -e /dev/net/tun ] || { mkdir -p /dev/net; mknod /dev/net/tun c 10 200; }
out=$(ns d tayga -c $conf --mktun 2>&1) || fail "tayga --mktun: $out"
ns d ip link set nat64 mtu 1500 up
ns d tayga -c $conf --nodetach >/tmp/tayga-diff.log 2>&1 &
tpid=$!
trap 'kill_tree $tpid' EXIT
# The tun device has a carrier once tayga has attached to it.
tayga_up() { ! ns d ip link show dev nat64 | grep -q NO-CARRIER; }
wait_for 10 tayga_up || fail "tayga did not attach to nat64: $(cat /tmp/tayga-diff.log)"
# Translated packets are captured on the devices; the stack drops them.
ns d nft -f - <<NFT || fail nft
table inet diff {
	chain pre {
		type filter hook prerouting priority -300;
		iifname { "kn0", "nat64" } drop
	}
}
NFT
known=$KN_ROOT/selftests/nat64/known-diffs.txt
ns d python3 "$KN_ROOT/selftests/nat64/diff_tayga.py" kn0 nat64 --known "$known" \
	${N64_DIFF_ALL:+--all} >/tmp/n64-diff.txt || fail "diff_tayga.py failed"
sed 's/^/# /' /tmp/n64-diff.txt
total=$(awk 'NR == 1 {print $2}' /tmp/n64-diff.txt)
undoc=$(awk 'NR == 1 {print $10}' /tmp/n64-diff.txt)
[ "$total" -ge 200 ] || fail "only $total packets compared"
# Every difference class must be documented (docs/nat64.md, known-diffs.txt).
[ "$undoc" = 0 ] || fail "$undoc undocumented difference classes (see above)"
exit 0
