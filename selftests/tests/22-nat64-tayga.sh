#!/bin/bash
# timeout: 300
# scope: once (differential of the translation core, which has no kernel-version code)
# Differential test against TAYGA: the same IPv6 and IPv4 packets go into
# a keynet device and into TAYGA's TUN device (same prefix, ipv4-addr,
# pool and maps); the outputs are compared field by field by
# selftests/nat64/diff_tayga.py.  Differences must all be of the classes
# listed in docs/nat64.md.  Round 1: single-address maps, the default
# udp-zero-csum compute.  Round 2 (the packets of the first and last
# mapped host): keynet's maps replaced by one RFC 7757 prefix map
# 100.101.5.0/29 <-> 2001:db8:1::/125 while TAYGA keeps its single maps,
# and udp-zero-csum drop, which is what Debian's TAYGA 0.9.2 does: the
# differences must be round 1's less the zero-checksum class.  Round 3
# (the zero-checksum packets): udp-zero-csum forward, the zero checksum
# passed on both ways (TAYGA 0.9.2 has no such mode: checked against the
# RFC 6935/6936 expectation, not against TAYGA).  (Packets per second:
# make bench, case nat64.)
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
diff_run() { # ROUND REGEX: the classes of this round in /tmp/n64-cls-ROUND
	ns d python3 "$KN_ROOT/selftests/nat64/diff_tayga.py" kn0 nat64 --known "$known" \
		--only "$2" --classes "/tmp/n64-cls-$1" --json "/tmp/n64-$1.json" \
		>"/tmp/n64-diff-$1.txt" || fail "diff_tayga.py round $1 failed"
	sed "s/^/# round $1: /" "/tmp/n64-diff-$1.txt"
}
# Round 1's classes, on the packets rounds 2 and 3 send.
pick=' [hm][04]( s[0-9])?$'
diff_run 1 "$pick"

# Round 2: one prefix map instead of the single maps, zero checksums dropped.
printf 'map 100.101.5.0/29 2001:db8:1::/125\n' |
	keynet -n d map replace dev kn0 - || fail "map replace with the prefix map"
n=$(keynet -n d -j map show dev kn0 | jq '[.[] | select(.type == "static")] | length')
[ "$n" = 1 ] || fail "expected one static map after the replace, got $n"
keynet -n d nat64 set dev kn0 udp-zero-csum drop || fail "udp-zero-csum drop"
diff_run 2 "$pick"
want=$(grep -v '^4to6 udp0 | count$' /tmp/n64-cls-1)
[ "$(cat /tmp/n64-cls-2)" = "$want" ] ||
	fail "prefix map + drop: classes differ from the single maps' less udp0:
$(diff <(echo "$want") /tmp/n64-cls-2)"
grep -q '^4to6 udp0' /tmp/n64-cls-2 && fail "udp-zero-csum drop differs from TAYGA 0.9.2"

# Round 3: zero checksums forwarded, both ways.
keynet -n d nat64 set dev kn0 udp-zero-csum forward || fail "udp-zero-csum forward"
diff_run 3 'udp0'
python3 - /tmp/n64-3.json <<'PY' || fail "udp-zero-csum forward"
import json, sys
recs = json.load(open(sys.argv[1]))
assert len(recs) >= 20, "only %d zero-checksum probes" % len(recs)
for r in recs:
    k = r["keynet"]
    assert len(k) == 1, "%s: keynet sent %d packets" % (r["name"], len(k))
    want_ver = 6 if r["name"].startswith("4to6") else 4
    assert k[0]["ver"] == want_ver, "%s: version %s" % (r["name"], k[0]["ver"])
    assert k[0].get("l4.csum_zero"), "%s: checksum not zero: %s" % (r["name"], k[0])
    assert k[0]["l4.payload"], r["name"]
print("# round 3: %d zero-checksum datagrams forwarded with checksum 0" % len(recs))
PY
exit 0
