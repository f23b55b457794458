#!/bin/bash
# timeout: 240
# scope: once (the importers)
# Migration: keynet import cjdns of a cjdroute.conf as "cjdroute --genconf"
# writes it (selftests/fixtures/cjdroute.conf, a real key pair) applied:
# the device's address is the file's ipv6, the peers and the ipTunnel
# route are there; a key that does not match the address is refused.
# keynet import tayga of the second seed's tayga.conf applied: the
# translator answers through the imported prefix and pool (every TAYGA
# directive's outcome is unit-tested, selftests/unit/test_import_tayga.sh).
# keynet export wg: a stock WireGuard interface set up from the export
# (wg-quick strip, wg setconf) handshakes with the keynet node and pings it.
. "$KN_ROOT/selftests/lib.sh"

t=$(mktemp -d)
cd "$t" || fail "cd $t"
umask 077
fx=$KN_ROOT/selftests/fixtures
kn_load

# ---- cjdns -------------------------------------------------------------------
keynet import cjdns "$fx/cjdroute.conf" dev kn0 >cj.conf 2>cj.err || fail "import cjdns: $(cat cj.err)"
[ -s cj.err ] && fail "import cjdns warned: $(cat cj.err)"
keynet conf check cj.conf || fail "the imported file does not check"
# The output holds the private key: into a file others may read, the same
# warning as conf dump's (none above, under umask 077).
(umask 022 && keynet import cjdns "$fx/cjdroute.conf" dev kn0 >cj644.conf 2>cj644.err) ||
	fail "import cjdns under umask 022: $(cat cj644.err)"
check_eq "$(cat cj644.err)" \
	"keynet: warning: writing secret keys to a file accessible by group or others (set umask 077)" \
	"import cjdns into a group/world-readable file"
cmp -s cj.conf cj644.conf || fail "the import differs by umask"
rm cj644.conf
want=$(sed -n 's/^ *"ipv6": "\(.*\)",$/\1/p' "$fx/cjdroute.conf")
wantk=$(sed -n 's/^ *"publicKey": "\(.*\)",$/\1/p' "$fx/cjdroute.conf" | head -n 1)
[ -n "$want" ] && [ -n "$wantk" ] || fail "no ipv6 or publicKey in the fixture"
netns_add cj
out=$(keynet -n cj conf apply cj.conf) || fail "apply of the cjdns import: $out"
check_eq "$out" "kn0: created, link changed, 2 peers added, 1 route added, up, 1 address added" \
	"apply summary"
check_eq "$(keynet -n cj -j link show dev kn0 | jq -r '.[0].address')" "$want" \
	"the device's address is cjdroute.conf's ipv6"
check_match "$(ns cj ip -6 addr show dev kn0)" "inet6 $want/8 " "the address is on the device"
check_eq "$(keynet -n cj -j link show dev kn0 | jq -r '.[0].public_key' | keynet addr full)" \
	"$(echo "$want" | python3 -c 'import ipaddress,sys; print(ipaddress.ip_address(sys.stdin.read().strip()).exploded)')" \
	"keynet addr of the device's key"
check_eq "$(grep '^PrivateKey' cj.conf | sed 's/^PrivateKey = //' | keynet pubkey --cjdns)" "$wantk" \
	"the imported private key is cjdns' key pair"
check_eq "$(keynet -n cj -j link show dev kn0 | jq -r '.[0].listen_port')" 27177 "UDP port"
pj() { keynet -n cj -j peer show dev kn0 | jq -r --arg n "$1" ".[] | select(.name == \$n) | .$2"; }
check_eq "$(pj vps3 endpoint)" 149.255.108.141:27177 "vps3's endpoint"
check_eq "$(pj vps2 endpoint)" 192.0.2.2:27177 "vps2's endpoint"
k3=$(pj vps3 public_key)
check_eq "$(keynet addr full "$k3")" "$(keynet addr full zyfh8ppgy50nnzqjfrn6buz9bjkm8r2dzs4srz1vj2km9u57qw30.k)" \
	"vps3's key, converted from .k"
check_eq "$(keynet -n cj -j route show dev kn0 | jq -r '.[] | select(.auto != true) | .prefix + " " + .peer')" \
	"fdd7:5938:e2e6:6c8d::/64 $k3" "ipTunnel allowedConnections as a route to vps3"
check_match "$(cat cj.conf)" "not a\$" "a note on cjdns passwords"
grep -q "^# 'keynet genpsk' on one side" cj.conf || fail "no note on how to agree on a preshared key"
check_eq "$(keynet -n cj conf apply cj.conf)" "kn0: up to date" "apply of the import again"

# A privateKey that does not give the file's ipv6 (and publicKey) is refused.
sed 's/"privateKey": "403a41fd80ed0ed9/"privateKey": "403a41fd80ed0ed8/' "$fx/cjdroute.conf" >bad-cj.conf
expect_fail 1 "^keynet: warning: bad-cj.conf:15: the address keynet derives from privateKey, fc[0-9a-f:]+, is not the file's ipv6 '$want': the key and the address do not belong together\$" \
	keynet import cjdns bad-cj.conf
[ -z "$(keynet import cjdns bad-cj.conf 2>/dev/null)" ] || fail "a refused import printed a configuration"
sed 's/"ipv6": "fcd2:1635/"ipv6": "fcd2:1634/' "$fx/cjdroute.conf" >bad-cj2.conf
expect_fail 1 "is not the file's ipv6 'fcd2:1634:" keynet import cjdns bad-cj2.conf
printf '{ "privateKey": "xyz", }\n' >bad-cj3.conf
expect_fail 2 "^keynet: bad-cj3.conf:1: invalid privateKey: expected 64 hex digits\$" \
	keynet import cjdns bad-cj3.conf
printf '{ "privateKey": "ab" /* no end\n' >bad-cj4.conf
expect_fail 2 "^keynet: bad-cj4.conf:1: invalid cjdroute.conf: a comment that never ends\$" \
	keynet import cjdns bad-cj4.conf

# ---- TAYGA ---------------------------------------------------------------------
keynet import tayga "$fx/tayga.conf" >tg.conf 2>tg.err || fail "import tayga: $(cat tg.err)"
check_eq "$(cat tg.err)" \
	"keynet: $fx/tayga.conf line 6: note: option 'data-dir' ignored: keynet keeps the dynamic pool's mappings in the kernel; keep them across a reboot with 'keynet nat64 save FILE' and 'keynet nat64 restore FILE'" \
	"TAYGA import notes"
netns_add tg
out=$(keynet -n tg conf apply tg.conf) || fail "apply of the TAYGA import: $out"
check_eq "$out" "nat64-ygg: created, nat64 on, 1 pool range added, up, 2 host routes added" \
	"apply summary"
check_eq "$(keynet -n tg -j nat64 show dev nat64-ygg | jq -r '.[0] | [.prefix, .ipv4_addr, .mss_clamp, (.strict_wkp | tostring), (.pool_timeout | tostring)] | join(" ")')" \
	"2a04:5b80:300:4::/96 100.100.0.1 on true 7200" "nat64 show matches tayga.conf"
# No udp-cksum-mode in tayga.conf: TAYGA's default, drop, not keynet's compute.
check_eq "$(keynet -n tg -j nat64 show dev nat64-ygg | jq -r '.[0].udp_zero_csum')" drop \
	"TAYGA's zero-checksum default imported"
check_eq "$(keynet -n tg -j pool show dev nat64-ygg | jq -r '.[].prefix')" 100.100.0.0/16 "pool"
check_match "$(ns tg ip -6 route show 2a04:5b80:300:4::/96)" "dev nat64-ygg proto static" "prefix route"
check_match "$(ns tg ip route show 100.100.0.0/16)" "dev nat64-ygg proto static" "pool route"
# The translator answers its own address (ipv4-addr in the prefix); an
# IPv4 host (10.0.0.1, CRXN's side, here on lo) answers through the pool:
# the IPv6 source gets a dynamic mapping, the reply comes back through the
# pool's route.
ns tg ip addr add 2001:db8:99::1/128 dev lo
ns tg ip addr add 10.0.0.1/32 dev lo
ns tg ping -6 -c 2 -i 0.3 -W 2 -I 2001:db8:99::1 2a04:5b80:300:4::6464:1 >/dev/null ||
	fail "ping the translator through the imported prefix"
ns tg ping -6 -c 2 -i 0.3 -W 2 -I 2001:db8:99::1 2a04:5b80:300:4::a00:1 >/dev/null ||
	fail "ping 10.0.0.1 through the translator"
check_match "$(keynet -n tg -j map show dev nat64-ygg | jq -r '.[] | .ipv4 + " " + .ipv6 + " " + .type')" \
	"^100\\.100\\.[0-9.]+ 2001:db8:99::1 dynamic\$" "dynamic mapping from the pool"

# ---- export wg: a stock WireGuard client of a keynet node ----------------------
if ! modprobe wireguard 2>/dev/null || ! command -v wg-quick >/dev/null; then
	info "no wireguard module or wg-quick: export wg not tested against WireGuard"
	exit 0
fi
netns_add wire a b
ns wire ip link add kn0 type keynet || fail "create kn0"
ns wire ip link add wg0 type wireguard || fail "create wg0"
keynet genkey >kn.key; wg genkey >wg.key
KN=$(keynet pubkey <kn.key); KW=$(wg pubkey <wg.key)
keynet -n wire link set dev kn0 private-key kn.key listen-port 10001 || fail "link set"
keynet -n wire peer add dev kn0 "$KW" keepalive 25 || fail "peer add (no endpoint)"
keynet genpsk >psk; keynet -n wire peer set dev kn0 "$KW" psk psk || fail "peer set psk"
keynet -n wire export wg dev kn0 peer "$KW" endpoint 127.0.0.1 >wg0.conf || fail "export wg"
check_match "$(grep '^Endpoint' wg0.conf)" "^Endpoint = 127.0.0.1:10001\$" "exported endpoint"
check_eq "$(sed -n 's/^Address = //p' wg0.conf)" "$(keynet addr "$KW")/128" "exported address"
check_eq "$(sed -n 's/^PresharedKey = //p' wg0.conf)" "$(cat psk)" "exported preshared key"
check_eq "$(sed -n 's/^PersistentKeepalive = //p' wg0.conf)" 25 "exported keepalive"
check_match "$(sed -n 's/^AllowedIPs = //p' wg0.conf)" "^$(keynet addr "$KN")/128, fc00::/8\$" \
	"exported AllowedIPs"
grep -q transit wg0.conf && fail "a transit note without transit: $(cat wg0.conf)"
# transit has no wg-quick equivalent: said in a comment, the rest unchanged.
keynet -n wire peer set dev kn0 "$KW" transit on || fail "peer set transit on"
keynet -n wire export wg dev kn0 peer "$KW" endpoint 127.0.0.1 >wg0t.conf || fail "export wg (transit)"
check_eq "$(grep -c '^# kn0 has transit on for this peer' wg0t.conf)" 1 "transit note in the export"
check_eq "$(grep -v '^#' wg0t.conf)" "$(grep -v '^#' wg0.conf)" "the export apart from comments with transit"
keynet -n wire peer set dev kn0 "$KW" transit off || fail "peer set transit off"
KX=$(keynet genkey | keynet pubkey)
expect_fail 1 "^keynet: no peer '$(printf '%s' "$KX" | sed 's/[+/.]/\\&/g')' on kn0\$" \
	keynet -n wire export wg dev kn0 peer "$KX"
wg-quick strip "$t/wg0.conf" >wg0.stripped || fail "wg-quick strip of the export"
ns wire wg setconf wg0 wg0.stripped || fail "wg setconf of the export"
ns wire wg set wg0 private-key wg.key listen-port 10002 || fail "wg set private-key"
ns wire ip link set kn0 netns a
ns wire ip link set wg0 netns b
ns a ip link set kn0 up
# As wg-quick would: the Address, up, a route per AllowedIPs.
ns b ip addr add "$(keynet addr "$KW")/128" dev wg0 nodad
ns b ip link set wg0 up
ns b ip -6 route add fc00::/8 dev wg0
ns a ip addr add "$(keynet addr "$KN")/8" dev kn0 nodad
ns b ping -6 -c 3 -i 0.3 -W 3 "$(keynet addr "$KN")" >/dev/null ||
	ns b ping -6 -c 2 -W 3 "$(keynet addr "$KN")" >/dev/null ||
	fail "the WireGuard client pings the keynet node"
[ "$(ns b wg show wg0 latest-handshakes | awk '{print $2}')" -gt 0 ] || fail "wg saw no handshake"
[ "$(keynet -n a -j peer show dev kn0 | jq '.[0].latest_handshake')" -gt 0 ] ||
	fail "keynet saw no handshake"
check_eq "$(keynet -n a -j peer show dev kn0 | jq -r '.[0].endpoint')" 127.0.0.1:10002 \
	"keynet learned the client's endpoint"
exit 0
