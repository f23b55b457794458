#!/bin/bash
# timeout: 180
# scope: once (the tool's commands; the netlink policies run on every kernel in 60-netlink-fuzz)
# The tool's tunnel configuration commands round-trip through the kernel:
# keys and link set, peers (add / set / del / show), routes (add / del /
# show / flush), all-or-nothing "peer add ... route", drop counters, and
# the usage errors (message and exit status) of the same commands.
. "$KN_ROOT/selftests/lib.sh"

kn_load
ip link add kn0 type keynet || fail "ip link add kn0 type keynet"
umask 077
t=$(mktemp -d)

# lj FIELD / pj KEY FIELD (lib.sh): link and peer fields of kn0.
# route show -j of kn0: the prefixes, sorted, space-separated, without
# the peers' automatic key-derived /128s (30-addressing tests those)
routes() {
	keynet -j route show dev kn0 "$@" |
		jq -r '[.[] | select(.auto != true) | .prefix] | sort | join(" ")'
}

# --- keys and link set
keynet genkey >"$t/dev.key" || fail "genkey"
pub=$(keynet pubkey <"$t/dev.key") || fail "pubkey"
check_eq "$(wg pubkey <"$t/dev.key")" "$pub" "wg and keynet agree on the public key"
keynet link set dev kn0 private-key "$t/dev.key" || fail "link set private-key"
check_eq "$(lj public_key)" "$pub" "public key after link set"
keynet link set dev kn0 private-key /dev/null || fail "link set private-key /dev/null"
check_eq "$(lj public_key)" null "public key after removing the private key"
keynet link set dev kn0 private-key - <"$t/dev.key" || fail "link set private-key -"
check_eq "$(lj public_key)" "$pub" "public key set from stdin"

keynet link set dev kn0 listen-port 12345 fwmark 0x2a || fail "link set listen-port fwmark"
check_eq "$(lj listen_port)" 12345 "listen_port"
check_eq "$(lj fwmark)" 42 "fwmark"
ifindex=$(cat /sys/class/net/kn0/ifindex)
check_eq "$(keynet link show dev kn0)" \
	"$ifindex: kn0: listen-port 12345 public-key $pub fwmark 0x2a address $(keynet addr "$pub")" \
	"text output"
# The socket (and so a random port) exists only while the device is up.
ip link set lo up
ip link set kn0 up || fail "ip link set kn0 up"
keynet link set dev kn0 listen-port 0 || fail "link set listen-port 0"
port=$(lj listen_port)
# As wg: a random port reads back as the port the socket got.
[ "$port" -gt 0 ] || fail "listen-port 0 reads back as $port, not the bound port"
keynet link set dev kn0 listen 127.0.0.1:12346 || fail "link set listen 127.0.0.1:12346"
check_eq "$(lj listen_addr)" 127.0.0.1 "listen_addr"
check_eq "$(lj listen_port)" 12346 "listen_port after listen"
check_match "$(keynet link show dev kn0)" " listen 127.0.0.1:12346 " "text output of listen"
# The same port on every address: our own socket is moved over.
keynet link set dev kn0 listen any fwmark off ||
	fail "link set listen any fwmark off (same port)"
check_eq "$(lj listen_addr)" null "listen_addr after 'listen any'"
check_eq "$(lj fwmark)" 0 "fwmark off"
check_eq "$(lj listen_port)" 12346 "listen_port kept with 'listen any'"
keynet link set dev kn0 listen-port 12347 || fail "link set listen-port 12347"
check_eq "$(lj listen_port)" 12347 "listen_port 12347"
keynet link set dev kn0 listen '[::1]:12348' || fail "link set listen [::1]:12348"
check_eq "$(lj listen_addr)" ::1 "IPv6 listen_addr"
check_match "$(keynet link show dev kn0)" " listen \[::1\]:12348" "text output of IPv6 listen"
keynet link set dev kn0 listen any listen-port 12349 || fail "link set listen any (2)"

# --- peers
for i in 1 2 3 4; do
	keynet genkey >"$t/p$i.key" || fail "genkey $i"
	eval "P$i=\$(keynet pubkey <\"\$t/p\$i.key\")"
done
keynet genpsk >"$t/psk" || fail "genpsk"
keynet peer add dev kn0 "$P1" endpoint 192.0.2.1:51820 psk "$t/psk" keepalive 25 \
	name alpha route 10.1.0.0/16 route fd01::/64 || fail "peer add P1"
keynet peer add dev kn0 "$P2" endpoint '[2001:db8::2]:51821' name beta \
	route 10.2.0.0/16 10.3.0.1 || fail "peer add P2"
keynet peer add dev kn0 "$P3" || fail "peer add P3"
check_eq "$(keynet -j peer show dev kn0 | jq length)" 3 "number of peers"
check_eq "$(lj peer_count)" 3 "peer_count"
check_eq "$(pj "$P1" ifname)" kn0 "P1 ifname"
check_eq "$(pj "$P1" name)" alpha "P1 name"
check_eq "$(pj "$P1" endpoint)" 192.0.2.1:51820 "P1 endpoint"
check_eq "$(pj "$P1" keepalive)" 25 "P1 keepalive"
check_eq "$(pj "$P1" has_psk)" true "P1 has_psk"
check_eq "$(pj "$P1" has_session)" false "P1 has_session"
check_eq "$(pj "$P1" latest_handshake)" 0 "P1 latest_handshake"
check_eq "$(pj "$P1" rx_bytes),$(pj "$P1" tx_bytes)" 0,0 "P1 bytes"
check_eq "$(pj "$P1" rx_packets),$(pj "$P1" tx_packets)" 0,0 "P1 packets"
check_eq "$(pj "$P2" endpoint)" "[2001:db8::2]:51821" "P2 endpoint"
check_eq "$(pj "$P2" name)" beta "P2 name"
check_eq "$(pj "$P2" keepalive)" 0 "P2 keepalive"
check_eq "$(pj "$P2" has_psk)" false "P2 has_psk"
check_eq "$(pj "$P3" endpoint)" null "P3 endpoint"
check_eq "$(pj "$P3" name)" null "P3 name"
check_eq "$(keynet -j peer show dev kn0 "$P2" | jq -r '.[].name')" beta "peer show of one peer"
check_eq "$(keynet -j peer show "$P2" | jq -r '.[].ifname')" kn0 "peer show KEY without dev"

out=$(keynet peer show dev kn0 "$P1") || fail "peer show (text)"
for want in "peer: $P1" "  name: alpha" "  preshared key: (hidden)" \
	"  endpoint: 192.0.2.1:51820" "  latest handshake: never" \
	"  transfer: 0 B received, 0 B sent" "  persistent keepalive: every 25 seconds"; do
	echo "$out" | grep -qxF -- "$want" || fail "peer show text lacks '$want': $out"
done
keynet -s peer show dev kn0 "$P1" | grep -q "^  packets: 0 received, 0 sent$" ||
	fail "peer show -s lacks packets"
keynet peer show | grep -q "^interface: kn0$" || fail "peer show of all devices lacks 'interface: kn0'"

# peer set changes only what it names
keynet peer set dev kn0 "$P1" keepalive off || fail "peer set keepalive off"
check_eq "$(pj "$P1" keepalive)" 0 "P1 keepalive after set"
check_eq "$(pj "$P1" name),$(pj "$P1" endpoint),$(pj "$P1" has_psk)" \
	alpha,192.0.2.1:51820,true "P1 untouched fields after set"
keynet peer set dev kn0 "$P1" psk /dev/null || fail "peer set psk /dev/null"
check_eq "$(pj "$P1" has_psk)" false "P1 has_psk after removing it"
keynet peer set dev kn0 "$P2" endpoint 127.0.0.1:9 name gamma || fail "peer set endpoint name"
check_eq "$(pj "$P2" endpoint),$(pj "$P2" name)" 127.0.0.1:9,gamma "P2 after set"
expect_fail 1 "^keynet: the kernel refused: .*File exists" keynet peer add dev kn0 "$P2"

# transit: off by default, set and cleared by itself, shown in text and JSON
check_eq "$(pj "$P1" transit),$(pj "$P2" transit)" false,false "transit off by default"
keynet peer set dev kn0 "$P2" transit on || fail "peer set transit on"
check_eq "$(pj "$P2" transit)" true "P2 transit after set"
check_eq "$(pj "$P2" name),$(pj "$P2" endpoint),$(pj "$P1" transit)" gamma,127.0.0.1:9,false \
	"fields untouched by transit"
keynet peer show dev kn0 "$P2" | grep -qxF "  transit: on (accepts any source its routes cover)" ||
	fail "peer show text lacks transit: $(keynet peer show dev kn0 "$P2")"
keynet peer show dev kn0 "$P1" | grep -q "transit" && fail "transit shown for a peer without it"
keynet peer set dev kn0 "$P2" keepalive 3 || fail "peer set keepalive"
check_eq "$(pj "$P2" transit)" true "transit kept by an unrelated peer set"
keynet peer set dev kn0 "$P2" transit off keepalive off || fail "peer set transit off"
check_eq "$(pj "$P2" transit)" false "P2 transit after off"
expect_fail 2 "^keynet: invalid value 'yes': expected 'on' or 'off'$" \
	keynet peer set dev kn0 "$P2" transit yes
expect_fail 2 "^keynet: missing argument after 'transit'" keynet peer set dev kn0 "$P2" transit
keynet peer add dev kn0 "$P4" transit on || fail "peer add transit on"
check_eq "$(pj "$P4" transit)" true "P4 transit from peer add"
keynet peer del dev kn0 "$P4" || fail "peer del P4"

# --- routes
check_eq "$(routes)" "10.1.0.0/16 10.2.0.0/16 10.3.0.1/32 fd01::/64" "routes of peer add"
check_eq "$(routes peer "$P2")" "10.2.0.0/16 10.3.0.1/32" "routes of P2"
keynet route show dev kn0 | grep -qxF "10.1.0.0/16 peer $P1 metric 0" ||
	fail "route show text: $(keynet route show dev kn0)"
keynet route add 10.9.0.0/16 dev kn0 peer "$P3" metric 7 || fail "route add"
check_eq "$(keynet -j route show dev kn0 | jq -r '.[] | select(.prefix == "10.9.0.0/16") | "\(.peer) \(.metric) \(.ifname)"')" \
	"$P3 7 kn0" "route add fields"
keynet route show | grep -qxF "10.9.0.0/16 dev kn0 peer $P3 metric 7" ||
	fail "route show of all devices: $(keynet route show)"
keynet route del 10.2.0.0/16 dev kn0 peer "$P2" || fail "route del"
check_eq "$(routes peer "$P2")" "10.3.0.1/32" "routes of P2 after del"
expect_fail 1 "no such route" keynet route del 10.2.0.0/16 dev kn0 peer "$P2"
keynet route flush dev kn0 peer "$P1" || fail "route flush"
check_eq "$(routes peer "$P1")" "" "routes of P1 after flush"
keynet peer set dev kn0 "$P1" route 10.1.0.0/16 || fail "peer set route"
check_eq "$(routes peer "$P1")" "10.1.0.0/16" "routes of P1 after peer set route"

keynet peer del dev kn0 "$P3" || fail "peer del"
check_eq "$(keynet -j peer show dev kn0 | jq -r '[.[].public_key] | sort | join(" ")')" \
	"$(printf '%s\n' "$P1" "$P2" | sort | tr '\n' ' ' | sed 's/ $//')" "peers after del"
check_eq "$(routes)" "10.1.0.0/16 10.3.0.1/32" "peer del removed its routes"
expect_fail 1 "no such peer" keynet peer del dev kn0 "$P3"

# A bad prefix anywhere in "peer add ... route" changes nothing.
expect_fail 2 "^keynet: invalid prefix '10.5.0.1/16': host bits set" \
	keynet peer add dev kn0 "$P4" route 10.4.0.0/16 route 10.5.0.1/16
check_eq "$(keynet -j peer show dev kn0 | jq length)" 2 "no peer left by a bad prefix"
check_eq "$(routes)" "10.1.0.0/16 10.3.0.1/32" "no route left by a bad prefix"

# --- usage errors: one line, exit 2, nothing sent
expect_fail 2 "^keynet: invalid key 'abc': expected a 44-character base64 public key$" \
	keynet peer add dev kn0 abc
expect_fail 2 "^keynet: refusing a private key on the command line" \
	keynet link set dev kn0 private-key "$(cat "$t/dev.key")"
expect_fail 2 "^keynet: refusing a preshared key on the command line" \
	keynet peer set dev kn0 "$P1" psk "$(cat "$t/psk")"
expect_fail 2 "^keynet: invalid prefix '10.0.0.1/8': host bits set" \
	keynet route add 10.0.0.1/8 dev kn0 peer "$P1"
expect_fail 2 "^keynet: missing device: expected 'dev DEV'$" keynet peer add "$P4"
expect_fail 2 "^keynet: missing device: expected 'dev DEV'$" \
	keynet route add 10.0.0.0/8 peer "$P1"
expect_fail 2 "^keynet: missing device: expected 'dev DEV'$" keynet link set listen-port 1
expect_fail 2 "^keynet: invalid endpoint '1.2.3.4': " keynet peer set dev kn0 "$P1" endpoint 1.2.3.4
expect_fail 2 "^keynet: invalid fwmark 'x': " keynet link set dev kn0 fwmark x
expect_fail 2 "^keynet: invalid port '65536': " keynet link set dev kn0 listen-port 65536
check_eq "$(keynet peer add dev kn0 abc 2>&1 | wc -l)" 1 "usage error is one line"
check_eq "$(keynet -j peer show dev kn0 | jq length)" 2 "usage errors changed nothing"

# --- drop counters
keynet -s link show dev kn0 | grep -qE "^    drops: too-short [0-9]+ bad-type [0-9]+ .* underlay [0-9]+ loop [0-9]+ local-filter [0-9]+ mesh-rpf [0-9]+ no-nexthop [0-9]+$" ||
	fail "link show -s: $(keynet -s link show dev kn0)"
check_eq "$(keynet -j -s link show dev kn0 | jq '.[0].drops | length')" 17 "number of drop reasons"
check_match "$(keynet -j -s link show dev kn0 | jq '.[0].drops.unknown_peer')" "^[0-9]+$" \
	"drops.unknown_peer"
check_eq "$(keynet -j link show dev kn0 | jq '.[0] | has("drops")')" false "no drops without -s"

ip link del kn0 || fail "ip link del kn0"
rm -rf "$t"
exit 0
