#!/bin/bash
# timeout: 300
# scope: once (the configuration file format and conf apply)
# keynet conf: check without the module; apply creating a device with
# 1,000 peers and their routes, dump, and apply of the dump as a no-op
# (kernel state identical); idempotent apply; a change to one peer leaves
# another peer's session alone (two real nodes); a file with one bad line
# of each class changes nothing and says exactly what is wrong (exit 2);
# a kernel refusal midway takes a device it created back (exit 1);
# addresses, host routes, MTU; NAT64, pool and maps round trip.
. "$KN_ROOT/selftests/lib.sh"

t=$(mktemp -d)
cd "$t" || fail "cd $t"
umask 077

# A dump without its header line (it names the tool version only).
dump() { keynet ${1:+-n "$1"} conf dump dev "$2" | grep -v '^# keynet conf dump'; }

# ---- conf check needs no module -------------------------------------------
[ -d /sys/module/keynet ] && fail "the module is loaded before the test"
keynet genkey >a.key && keynet genkey >b.key || fail genkey
P1=$(keynet pubkey <a.key); P2=$(keynet pubkey <b.key)
cat >small.conf <<EOF
# a small device
[Link]
Name = kn9
PrivateKeyFile = a.key
ListenPort = 10009
Address = 10.9.0.1/24

[Peer]
PublicKey = $P2
Endpoint = 127.0.0.1:10010
Name = bee
Route = 10.9.1.0/24
EOF
keynet conf check small.conf || fail "conf check without the module"
expect_fail 2 "^keynet: small2.conf:3: unknown key 'Nmae': expected one of Name, " \
	sh -c "sed 's/^Name = kn9/Nmae = kn9/' small.conf >small2.conf; keynet conf check small2.conf"
expect_fail 1 "cannot create kn9: .*the keynet module is not loaded" keynet conf apply small.conf
ip link show kn9 >/dev/null 2>&1 && fail "kn9 exists after a failed apply"

kn_load

# ---- 1,000 peers: apply, dump, apply the dump ------------------------------
netns_add big
python3 - >big.conf <<'EOF'
import base64, os
print("[Link]\nName = kn0\nListenPort = 20000\n")
for i in range(1000):
    key = base64.b64encode(os.urandom(32)).decode()
    print("[Peer]\nPublicKey = %s\nEndpoint = 10.%d.%d.1:27177\nName = peer%d" %
          (key, 100 + i // 250, i % 250, i))
    print("Route = 10.%d.%d.0/24\nRoute = fd00:%x::/64 metric %d\n" %
          (i // 250, i % 250, i, i % 7))
EOF
start=$(date +%s%N)
out=$(keynet -n big conf apply big.conf) || fail "apply of 1,000 peers: $out"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
info "apply of 1,000 peers and 2,000 routes (new device): $ms ms"
check_eq "$out" "kn0: created, link changed, 1000 peers added, 2000 routes added, up" \
	"summary of the first apply"
check_eq "$(keynet -n big -j peer show dev kn0 | jq length)" 1000 "peers in the kernel"
check_eq "$(keynet -n big -j route show dev kn0 | jq '[.[] | select(.auto != true)] | length')" \
	2000 "routes in the kernel"
check_eq "$(keynet -n big -j route show dev kn0 | jq -r '.[] | select(.prefix == "fd00:3e7::/64") | .metric')" \
	"$((999 % 7))" "metric of the last peer's IPv6 route"
start=$(date +%s%N)
dump big kn0 >d1.conf || fail "conf dump"
info "dump of 1,000 peers: $(( ($(date +%s%N) - start) / 1000000 )) ms"
check_eq "$(grep -c '^\[Peer\]' d1.conf)" 1000 "peers in the dump"
start=$(date +%s%N)
out=$(keynet -n big conf apply d1.conf) || fail "apply of the dump: $out"
info "apply of the dump (no change): $(( ($(date +%s%N) - start) / 1000000 )) ms"
check_eq "$out" "kn0: up to date" "apply of the dump"
dump big kn0 >d2.conf
cmp -s d1.conf d2.conf || fail "the state changed by applying its dump: $(diff d1.conf d2.conf | head)"
out=$(keynet -n big conf apply big.conf) || fail "second apply: $out"
check_eq "$out" "kn0: up to date" "apply of the same file again"
# Drop 10 peers and one route of another, change a metric: only that.
python3 - big.conf >big2.conf <<'EOF'
import sys
text = open(sys.argv[1]).read().split("\n[Peer]\n")
head, peers = text[0], text[1:]
peers = peers[10:]
peers[0] = peers[0].replace("metric 3", "metric 9")
peers[1] = "\n".join(l for l in peers[1].split("\n") if not l.startswith("Route = 10."))
print(head + "".join("\n[Peer]\n" + p for p in peers), end="")
EOF
out=$(keynet -n big conf apply big2.conf) || fail "apply of a smaller file: $out"
check_eq "$out" "kn0: 10 peers removed, 1 route changed, 1 route removed" "summary of the change"
check_eq "$(keynet -n big -j peer show dev kn0 | jq length)" 990 "peers after removing 10"
ip netns delete big

# ---- a change to one peer does not disturb another's session --------------
kn_pair
ns a ping -c 2 -i 0.3 -W 3 192.168.241.2 >/dev/null || fail "ping over the pair"
hs() { KN_NS=a pj "$@"; }
# Past REKEY_TIMEOUT (5 s): no retransmitted initiation can still complete
# (a protocol time, nothing to poll).
sleep 5.5
hs1=$(hs "$KB" latest_handshake)
[ "$hs1" -gt 0 ] || fail "no handshake with b"
dump a kn0 >pair.conf
# Moving kn0 into "a" lost its key-derived address: AutoAddress puts it back.
out=$(keynet -n a conf apply pair.conf) || fail "apply of a's own dump"
check_eq "$out" "kn0: 1 address added" "apply of a's dump"
check_match "$(ns a ip -6 addr show dev kn0)" "inet6 $(keynet addr "$KA")/8" "a's derived address"
check_eq "$(keynet -n a conf apply pair.conf)" "kn0: up to date" "apply of a's dump again"
KN=$(keynet genkey | keynet pubkey)
printf '\n[Peer]\nPublicKey = %s\nEndpoint = 127.0.0.1:10099\nRoute = 10.99.0.0/16\n' "$KN" >>pair.conf
sleep 1.1	# a new handshake would show as a later second
out=$(keynet -n a conf apply pair.conf) || fail "apply adding a peer"
check_eq "$out" "kn0: 1 peer added, 1 route added" "summary of adding a peer"
sed -i "\\|^PublicKey = $KB\$|a PersistentKeepalive = 7" pair.conf
out=$(keynet -n a conf apply pair.conf) || fail "apply changing b's keepalive"
check_eq "$out" "kn0: 1 peer changed" "summary of changing one peer"
check_eq "$(hs "$KB" keepalive)" 7 "b's keepalive"
# Transit: applied, dumped as it was written, the dump applies as a no-op.
sed -i "\\|^PublicKey = $KB\$|a Transit = on" pair.conf
out=$(keynet -n a conf apply pair.conf) || fail "apply turning b's transit on"
check_eq "$out" "kn0: 1 peer changed" "summary of turning transit on"
check_eq "$(hs "$KB" transit)" true "b's transit after the apply"
dump a kn0 >tr.conf
check_eq "$(grep -c '^Transit = on$' tr.conf)" 1 "Transit in the dump"
check_eq "$(keynet -n a conf apply tr.conf)" "kn0: up to date" "apply of the dump with Transit"
sed -i '/^Transit = on$/d' pair.conf
out=$(keynet -n a conf apply pair.conf) || fail "apply turning b's transit off"
check_eq "$out" "kn0: 1 peer changed" "summary of turning transit off"
check_eq "$(hs "$KB" transit)" false "b's transit after removing the key"
check_eq "$(hs "$KB" latest_handshake)" "$hs1" "b's last handshake after the applies"
check_eq "$(hs "$KB" has_session)" true "b's session after the applies"
ns a ping -c 2 -i 0.3 -W 3 192.168.241.2 >/dev/null || fail "ping after the applies"
check_eq "$(hs "$KB" latest_handshake)" "$hs1" "no new handshake was needed"
ip -all netns delete

# ---- one bad line changes nothing ------------------------------------------
netns_add c
cat >good.conf <<EOF
[Link]
Name = kn9
PrivateKeyFile = $t/a.key
ListenPort = 10009
MTU = 1380
Address = 10.9.0.1/24
Address = fd09::1/64
HostRoute = 10.99.0.0/16 src 10.9.0.1
HostRoute = fd99::/48 metric 50

[Peer]
PublicKey = $P2
Endpoint = 127.0.0.1:10010
PersistentKeepalive = 0
Name = bee
Route = 10.9.1.0/24

[Route]
Prefix = 10.9.2.0/24
Peer = bee
Metric = 5
EOF
out=$(keynet -n c conf apply good.conf) || fail "apply of good.conf: $out"
check_eq "$out" "kn9: created, link changed, 1 peer added, 2 routes added, mtu 1380, up, 3 addresses added, 2 host routes added" \
	"summary of good.conf"
check_eq "$(ns c cat /sys/class/net/kn9/mtu)" 1380 "MTU"
check_match "$(ns c ip -4 addr show dev kn9)" "inet 10.9.0.1/24" "IPv4 address"
check_match "$(ns c ip -6 addr show dev kn9)" "inet6 fd09::1/64" "IPv6 address"
check_match "$(ns c ip -6 addr show dev kn9)" "inet6 $(keynet addr "$P1")/8" "derived address"
check_match "$(ns c ip route show 10.99.0.0/16)" "dev kn9 proto static scope link src 10.9.0.1" \
	"IPv4 host route"
check_match "$(ns c ip -6 route show fd99::/48)" "dev kn9 proto static metric 50" "IPv6 host route"
check_eq "$(keynet -n c conf apply good.conf)" "kn9: up to date" "apply again"
before=$(dump c kn9)
echo "$before" >k9.conf
check_eq "$(keynet -n c conf apply k9.conf)" "kn9: up to date" \
	"apply of a dump with addresses, host routes and an MTU"
# A key as a regular expression.
re() { printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|/]/\\&/g'; }
bad() {	# bad SED-SCRIPT MESSAGE
	sed "$1" good.conf >bad.conf
	expect_fail 2 "^keynet: bad.conf:$2\$" keynet -n c conf apply bad.conf
	check_eq "$(dump c kn9)" "$before" "state after a file with a bad line ($1)"
}
bad 's/^Endpoint = /Endpoint /' \
	"13: invalid line 'Endpoint 127.0.0.1:10010': expected Key = Value"
bad 's/^Endpoint = /Endpiont = /' \
	"13: unknown key 'Endpiont': expected one of PublicKey, PresharedKey, PresharedKeyFile, Endpoint, PersistentKeepalive, Name, AutoRoute, Transit or Route in \\[Peer\\]"
bad 's/^PersistentKeepalive = 0/PersistentKeepalive = 70000/' \
	"14: invalid keepalive '70000': expected seconds 0-65535 or off"
bad 's/^PersistentKeepalive = 0/Transit = relay/' \
	"14: invalid value 'relay': expected yes or no"
bad 's/^Route = 10.9.1.0\/24/Route = 10.9.1.1\/24/' \
	"16: invalid prefix '10.9.1.1/24': host bits set beyond the prefix length"
bad "s|^PublicKey = .*|PublicKey = ${P2:0:20}|" \
	"12: invalid key '$(re "${P2:0:20}")': expected a 44-character base64 public key \\(or cjdns' .k form\\)"
bad 's/^PublicKey = .*/PublicKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/' \
	"12: invalid key 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=': a low-order point, which no peer can have"
bad "s|^PublicKey = .*|PublicKey = $P1|" \
	"11: invalid key '$(re "$P1")': the device's own public key cannot be a peer"
bad "\$a [Peer]\\nPublicKey = $P2" \
	"22: duplicate peer '$(re "$P2")': already in the \\[Peer\\] on line 11"
# Duplicates are found over the whole file, Route= lines and [Route]s alike.
bad 's|^Route = 10.9.1.0/24|&\nRoute = 10.9.1.0/24 metric 7|' \
	"17: duplicate route '10.9.1.0/24': the peer on line 11 has this prefix already \\(line 16\\)"
bad 's|^Prefix = 10.9.2.0/24|Prefix = 10.9.1.0/24|' \
	"19: duplicate route '10.9.1.0/24': the peer on line 11 has this prefix already \\(line 16\\)"
bad 's/^Peer = bee/Peer = wasp/' \
	"20: unknown peer 'wasp': expected the PublicKey or Name of a \\[Peer\\] of this file"
bad 's/^\[Route\]/[Routes]/' \
	"18: unknown section 'Routes': expected \\[Link\\], \\[Peer\\], \\[Route\\], \\[NAT64\\], \\[Pool\\] or \\[Map\\]"
# A key file, not a key, where a file belongs; the same device twice.
expect_fail 2 "^keynet: no device 'x.conf': the file has no \\[Link\\] Name=: give 'dev DEV'" \
	sh -c "printf '[Peer]\nPublicKey = $P2\n' >x.conf; keynet -n c conf apply x.conf"

# Leaving things out removes them; Table= routes the peers' prefixes.
cat >less.conf <<EOF
[Link]
Name = kn9
ListenPort = 10009
Table = main
Address = 10.9.0.1/24

[Peer]
PublicKey = $P2
Endpoint = 127.0.0.1:10010
Route = 10.9.1.0/24
EOF
out=$(keynet -n c conf apply less.conf) || fail "apply of less.conf: $out"
check_eq "$out" "kn9: 1 peer changed, 1 route removed, mtu 1420, 1 address removed, 1 host route added, 2 host routes removed" \
	"summary of less.conf"
check_eq "$(keynet -n c -j peer show dev kn9 | jq -r '.[0].name')" null "the name was removed"
check_eq "$(keynet -n c -j link show dev kn9 | jq -r '.[0].public_key')" "$P1" \
	"no PrivateKey= leaves the key alone"
check_match "$(ns c ip route show 10.9.1.0/24)" "dev kn9 proto static" "Table = main"
[ -z "$(ns c ip route show 10.99.0.0/16)" ] || fail "a host route the file no longer has"
# A route someone else made through the device is not ours: left alone.
ns c ip route add 10.77.0.0/16 dev kn9
check_eq "$(keynet -n c conf apply less.conf)" "kn9: up to date" "a foreign route is not a change"
check_match "$(ns c ip route show 10.77.0.0/16)" "dev kn9" "the foreign route is still there"
# ...and never replaced: a HostRoute= to its prefix is refused.
sed '/^Address/a HostRoute = 10.77.0.0/16' less.conf >hr.conf
expect_fail 1 "^keynet: hr.conf:6: the kernel refused the host route '10.77.0.0/16': the table has a route to this prefix with this metric, not made by keynet conf: File exists\$" \
	keynet -n c conf apply hr.conf
check_match "$(ns c ip route show 10.77.0.0/16)" "dev kn9 scope link" "the foreign route is unchanged"

# ---- LAN beacons; the beacon key is never read back --------------------------
keynet genpsk >bkey
cat >bcn.conf <<EOF
[Link]
Name = kb0
ListenPort = 10012
Beacon = send
BeaconDevice = lo
BeaconPort = 27999
BeaconKeyFile = bkey
BeaconMaxPeers = 5
BeaconStampWindow = 60
EOF
out=$(keynet -n c conf apply bcn.conf) || fail "apply of bcn.conf: $out"
check_eq "$out" "kb0: created, link changed, up" "summary of bcn.conf"
bj() { keynet -n c -j link show dev kb0 | jq -r ".[0].beacon | $1"; }
check_eq "$(bj '[.mode, .port, (.devs | join(",")), .has_key, .max_peers, .stamp_window] | map(tostring) | join(" ")')" \
	"send 27999 lo true 5 60" "beacon settings"
check_eq "$(keynet -n c conf apply bcn.conf)" "kb0: up to date" "apply of bcn.conf again"
dump c kb0 >b1.conf
grep -q '^BeaconKey' b1.conf && fail "the dump shows a beacon key"
grep -qx 'BeaconStampWindow = 60' b1.conf || fail "the dump has no BeaconStampWindow = 60"
check_eq "$(keynet -n c conf apply b1.conf)" "kb0: up to date" "apply of the beacon dump"
printf '[Link]\nName = kb0\nListenPort = 10012\n' >b2.conf
check_eq "$(keynet -n c conf apply b2.conf)" "kb0: link changed" "beacons off"
check_eq "$(bj '[.mode, .port, (.devs | length), .has_key, .max_peers, .stamp_window] | map(tostring) | join(" ")')" \
	"off 27178 0 true 64 300" "beacon defaults, key kept"
printf 'BeaconKeyFile = /dev/null\n' >>b2.conf
check_eq "$(keynet -n c conf apply b2.conf)" "kb0: link changed" "beacon key removed"
check_eq "$(bj .has_key)" false "no beacon key"
sed -i 's/^BeaconDevice = lo/BeaconDevice = nosuch0/' bcn.conf
expect_fail 1 "^keynet: bcn.conf:5: no interface 'nosuch0': expected an interface for BeaconDevice\$" \
	keynet -n c conf apply bcn.conf

# ---- a kernel refusal midway: the device this apply created goes again -----
cat >refused.conf <<EOF
[Link]
Name = kn8
ListenAddress = 198.51.100.77
ListenPort = 10008
EOF
expect_fail 1 "^keynet: refused.conf: the kernel refused the MTU or up state of 'kn8': " \
	keynet -n c conf apply refused.conf
ns c ip link show kn8 >/dev/null 2>&1 && fail "kn8 is still there after the refusal"

# ---- NAT64 round trip --------------------------------------------------------
cat >nat.conf <<EOF
[Link]
Name = nat0
ListenPort = 10011

[NAT64]
Prefix = 64:ff9b:1::/96
IPv4Address = 192.0.2.1
IPv6Address = 2001:db8:64::1
MSSClamp = 1300
StrictWKP = no
UDPZeroChecksum = drop
PoolTimeout = 600
PoolPer64 = 16
OfflinkMTU = 1500
CLAT = on

[Pool]
Range = 198.18.0.0/17
Range = 203.0.113.0/24

[Map]
IPv4 = 172.16.1.0/24
IPv6 = 2001:db8:2::/120

[Map]
IPv4 = 192.0.2.10
IPv6 = 2001:db8:1::10

[Map]
IPv4 = 192.0.2.11
IPv6 = 2001:db8:1::11
EOF
out=$(keynet -n c conf apply nat.conf) || fail "apply of nat.conf: $out"
check_eq "$out" "nat0: created, link changed, nat64 on, 2 pool ranges added, 3 maps added, up" \
	"summary of nat.conf"
n=$(keynet -n c -j nat64 show dev nat0)
check_eq "$(echo "$n" | jq -r '.[0] | [.prefix, .ipv4_addr, .ipv6_addr, .mss_clamp,
	(.strict_wkp | tostring), .udp_zero_csum, (.pool_timeout | tostring),
	(.pool_per_64 | tostring), (.offlink_mtu | tostring), (.clat | tostring)] | join(" ")')" \
	"64:ff9b:1::/96 192.0.2.1 2001:db8:64::1 1300 false drop 600 16 1500 true" "nat64 show"
check_match "$(dump c nat0)" "^CLAT = yes$" "CLAT in the dump"
check_match "$(dump c nat0)" "^PoolPer64 = 16$" "PoolPer64 in the dump"
check_match "$(dump c nat0)" "^OfflinkMTU = 1500$" "OfflinkMTU in the dump"
check_match "$(dump c nat0)" "^IPv4 = 172.16.1.0/24$" "a prefix map's IPv4 side in the dump"
check_match "$(dump c nat0)" "^IPv6 = 2001:db8:2::/120$" "a prefix map's IPv6 side in the dump"
check_eq "$(keynet -n c -j pool show dev nat0 | jq -r '[.[].prefix] | sort | join(" ")')" \
	"198.18.0.0/17 203.0.113.0/24" "pool show"
check_eq "$(keynet -n c -j map show dev nat0 | jq -r '[.[] | .ipv4 + "=" + .ipv6] | sort | join(" ")')" \
	"172.16.1.0/24=2001:db8:2::/120 192.0.2.10=2001:db8:1::10 192.0.2.11=2001:db8:1::11" \
	"map show"
dump c nat0 >n1.conf
check_eq "$(keynet -n c conf apply n1.conf)" "nat0: up to date" "apply of the NAT64 dump"
check_eq "$(dump c nat0)" "$(cat n1.conf)" "NAT64 state after applying its dump"
# The last [Map] (3 lines and the blank line before them) goes.
head -n -4 nat.conf | sed -e 's/^MSSClamp = 1300/MSSClamp = on/' -e 's/^CLAT = on/CLAT = no/' \
	-e 's/^Range = 203.0.113.0\/24/Range = 203.0.113.0\/25/' >nat2.conf
mv nat2.conf nat.conf
out=$(keynet -n c conf apply nat.conf) || fail "apply of the changed nat.conf: $out"
check_eq "$out" "nat0: nat64 changed, 1 pool range added, 1 pool range removed, 1 map removed" \
	"summary of the NAT64 change"
check_eq "$(keynet -n c -j nat64 show dev nat0 | jq -r '.[0].mss_clamp')" on "MSS clamp on"
check_eq "$(keynet -n c -j nat64 show dev nat0 | jq -r '.[0].clat')" false "CLAT off again"
dump c nat0 | grep -q '^CLAT' && fail "CLAT = no is the default: not in the dump"
# A prefix map changed (a /24 becomes a /25): one map out, one in, in one step.
sed -i -e 's|^IPv4 = 172.16.1.0/24|IPv4 = 172.16.1.0/25|' -e 's|^IPv6 = 2001:db8:2::/120|IPv6 = 2001:db8:2::/121|' \
	nat.conf
check_eq "$(keynet -n c conf apply nat.conf)" "nat0: 1 map added, 1 map removed" \
	"summary of a prefix map changed"
check_eq "$(keynet -n c -j map show dev nat0 | jq -r '[.[] | .ipv4] | sort | join(" ")')" \
	"172.16.1.0/25 192.0.2.10" "maps after the change"
check_eq "$(keynet -n c conf apply nat.conf)" "nat0: up to date" "prefix maps: apply again"
# Overlapping maps: refused before anything changes, both lines named.
cp nat.conf bad.conf
printf '\n[Map]\nIPv4 = 172.16.1.64/26\nIPv6 = 2001:db8:9::/122\n' >>bad.conf
expect_fail 2 "overlapping map '172.16.1.64/26 2001:db8:9::/122': it and the \\[Map\\] on line [0-9]+, 172.16.1.0/25 2001:db8:2::/121: their IPv4 prefixes overlap" \
	keynet -n c conf apply bad.conf
sed -i '/^\[NAT64\]/,$d' nat.conf
check_eq "$(keynet -n c conf apply nat.conf)" "nat0: nat64 off" "removing [NAT64]"
keynet -n c nat64 show dev nat0 >/dev/null 2>&1 && fail "NAT64 still on"
exit 0
