#!/bin/bash
# timeout: 120
# scope: once (key-derived addresses in the tool)
# Key-derived addresses in the tool: "keynet addr" against an independent
# SHA-512 (python), cjdns' documented key pair, genkey --cjdns, .k and hex
# key import; then on a device: link set private-key gives the derived
# address and the prefix route, a new key replaces it, auto-address off,
# addressing changes, and (with the kernel side) peer addresses and auto
# routes.  Parts that need the kernel's addressing support skip with a
# message when the module does not report it.
. "$KN_ROOT/selftests/lib.sh"

t=$(mktemp -d)

# The address of base64 key $1 under prefix $2, computed by python.
pyaddr() {
	python3 - "$1" "$2" <<'EOF'
import base64, hashlib, ipaddress, sys
k = base64.b64decode(sys.argv[1])
net = ipaddress.IPv6Network(sys.argv[2])
h = int.from_bytes(hashlib.sha512(hashlib.sha512(k).digest()).digest()[:16], "big")
mask = ((1 << net.prefixlen) - 1) << (128 - net.prefixlen)
print(ipaddress.IPv6Address((int(net.network_address) & mask) | (h & ~mask)))
EOF
}
# First byte of H of base64 key $1, as two hex digits.
pyh0() {
	python3 -c 'import base64, hashlib, sys
print(hashlib.sha512(hashlib.sha512(base64.b64decode(sys.argv[1])).digest()).hexdigest()[:2])' "$1"
}

# --- cjdns' documented pair
CJ_PRIV=823e45d5ca85b6f89d2a7feb56d5214d0e2e3afd5456eb0af2c4ac10350ebc70
CJ_K=u2jf87mgqlxfzdnywp60z3tx6tkulvgh2nyc2jk1zc69zzt2s8u0.k
CJ_B64=$(python3 -c 'import base64; print(base64.b64encode(bytes.fromhex(
"5ac086ce7456f6f619f5bc1af047ee26472db77b82fa25600c7f99f47f161869")).decode())')
echo "$CJ_PRIV" >"$t/cj.hex"
check_eq "$(keynet pubkey <"$t/cj.hex")" "$CJ_B64" "pubkey of cjdns' hex private key"
check_eq "$(keynet pubkey --cjdns <"$t/cj.hex")" "$CJ_K" "pubkey --cjdns"
check_eq "$(keynet addr "$CJ_K")" fcff:a215:1e7b:a4e9:c00d:813:93b3:7c87 "addr of the .k key"
check_eq "$(keynet addr --full "$CJ_K")" fcff:a215:1e7b:a4e9:c00d:0813:93b3:7c87 \
	"addr --full (cjdns' spelling)"
check_eq "$(keynet addr "$CJ_B64")" fcff:a215:1e7b:a4e9:c00d:813:93b3:7c87 "addr of base64"
check_eq "$(echo "$CJ_K" | keynet addr)" fcff:a215:1e7b:a4e9:c00d:813:93b3:7c87 "addr from stdin"
check_eq "$(keynet addr --subnet "$CJ_K")" fcff:a215:1e7b:a4e9::/64 "addr --subnet"
check_eq "$(keynet -j addr "$CJ_K" | jq -r .public_key)" "$CJ_B64" ".k round trip to base64"
for p in fd12:3456:789a::/48 2001:db8:1:2::/64 fd10::/12 fc00::/8; do
	check_eq "$(keynet addr addressing "$p" "$CJ_K")" "$(pyaddr "$CJ_B64" "$p")" \
		"addr at $p"
done

# --- any key has an address (a WireGuard key, say); genkey --cjdns
wgk=$(wg genkey | wg pubkey)
check_eq "$(keynet addr "$wgk")" "$(pyaddr "$wgk" fc00::/8)" "address of a wg key"
for i in 1 2 3; do
	keynet genkey --cjdns >"$t/c$i.key" || fail "genkey --cjdns"
	pub=$(keynet pubkey <"$t/c$i.key")
	check_eq "$(wg pubkey <"$t/c$i.key")" "$pub" "wg agrees on a --cjdns key"
	check_eq "$(pyh0 "$pub")" fc "H of a genkey --cjdns key starts with fc"
	check_eq "$(keynet addr "$pub")" "$(pyaddr "$pub" fc00::/8)" "address of --cjdns key $i"
	k=$(keynet pubkey --cjdns <"$t/c$i.key")
	check_eq "$(keynet -j addr "$k" | jq -r .public_key)" "$pub" ".k round trip $i"
done

# --- usage errors (exit 2)
expect_fail 2 "invalid key" keynet addr u2jf87mgqlxfzdnywp60z3tx6tkulvgh2nyc2jk1zc69zzt2s8uz.k
expect_fail 2 "invalid key" keynet addr u2jf87mgqlxfzdnywp60z3tx6tkulvgh2nyc2jk1zc69zzt2s8ua.k
expect_fail 2 "invalid key" keynet addr u2jf87mgqlxfzdnywp60z3tx6tkulvgh2nyc2jk1zc69zzt2s8u0
expect_fail 2 "invalid addressing prefix.*8-64" keynet addr addressing fc00::/7 "$CJ_K"
expect_fail 2 "invalid addressing prefix" keynet addr addressing fc00::/65 "$CJ_K"
expect_fail 2 "invalid addressing prefix" keynet addr addressing fd00::1/64 "$CJ_K"
expect_fail 2 "invalid addressing prefix" keynet addr addressing 10.0.0.0/8 "$CJ_K"
expect_fail 2 "takes only --cjdns" keynet genkey --foo
echo 823e45d5ca85b6f89d2a7feb56d5214d0e2e3afd5456eb0af2c4ac10350ebc7 >"$t/bad.hex"
expect_fail 2 "64 hex digits" keynet pubkey <"$t/bad.hex"
expect_fail 2 "refusing a private key on the command line" \
	keynet link set dev kn0 private-key "$CJ_PRIV"

# --- on a device
kn_load
ip link add kn0 type keynet || fail "ip link add kn0 type keynet"
ip link set lo up

# Is the device's addressing reported (the kernel half of issue 5)?
kernel_addr=0
[ "$(keynet -j link show dev kn0 | jq -r '.[0].addressing')" != null ] && kernel_addr=1

# v6 addresses of kn0 as ADDR/LEN, sorted
# (ip -j leaves an empty object for each address the scope filter drops)
addrs() {
	ip -6 -j addr show dev kn0 scope global |
		jq -r '[.[].addr_info[] | select(.local) | "\(.local)/\(.prefixlen)"] | sort | join(" ")'
}
has_route() { ip -6 route show dev kn0 | grep -q "^$1 "; }

ip link set kn0 up || fail "kn0 up"
keynet link set dev kn0 private-key "$t/cj.hex" || fail "link set private-key (hex file)"
check_eq "$(keynet -j link show dev kn0 | jq -r '.[0].public_key')" "$CJ_B64" \
	"public key from a hex private key file"
check_eq "$(addrs)" fcff:a215:1e7b:a4e9:c00d:813:93b3:7c87/8 "derived address after link set"
has_route fc00::/8 || fail "no fc00::/8 route on kn0: $(ip -6 route show dev kn0)"
# Set again: nothing changes, no error.
keynet link set dev kn0 private-key "$t/cj.hex" || fail "link set the same key again"
check_eq "$(addrs)" fcff:a215:1e7b:a4e9:c00d:813:93b3:7c87/8 "address after setting it again"

# A new key replaces the address; the route stays.
keynet link set dev kn0 private-key "$t/c1.key" || fail "link set private-key c1"
a1=$(keynet addr "$(keynet pubkey <"$t/c1.key")")
check_eq "$(addrs)" "$a1/8" "address replaced by the new key's"
has_route fc00::/8 || fail "fc00::/8 route lost when the key changed"
# Removing the key removes its address (and so the prefix route).
keynet link set dev kn0 private-key /dev/null || fail "remove the key"
check_eq "$(addrs)" "" "address removed with the key"
has_route fc00::/8 && fail "fc00::/8 route left after removing the key"

# Set while the device is down: the route comes when it goes up.
ip link set kn0 down
keynet link set dev kn0 private-key "$t/c2.key" || fail "link set private-key while down"
a2=$(keynet addr "$(keynet pubkey <"$t/c2.key")")
check_eq "$(addrs)" "$a2/8" "address set while down"
ip link set kn0 up
has_route fc00::/8 || fail "fc00::/8 route missing after up"

# The address is a normal one: it can be removed by hand.
ip addr del "$a2/8" dev kn0 || fail "ip addr del of the derived address"

if [ "$kernel_addr" = 0 ]; then
	info "the module does not report addressing (KEYNET_A_ADDR_PREFIX): skipping auto-address off, addressing changes, peer addresses and auto routes"
	# .k keys on the command line work with any module.
	keynet peer add dev kn0 "$CJ_K" route 10.7.0.0/16 || fail "peer add with a .k key"
	check_eq "$(keynet -j peer show dev kn0 | jq -r '.[0].public_key')" "$CJ_B64" \
		"peer added with a .k key"
	keynet peer del dev kn0 "$CJ_K" || fail "peer del with a .k key"
	skip "kernel side of key-derived addressing not present (tool parts passed)"
fi

keynet link set dev kn0 private-key "$t/c2.key" || fail "link set c2 again"
check_eq "$(lj address)" "$a2" "link show address (kernel's)"
check_eq "$(lj addressing)" fc00::/8 "default addressing"
check_eq "$(lj auto_address),$(lj peer_routes)" true,true "default flags"
check_match "$(keynet link show dev kn0)" " address $a2( |$)" "text link show address"

# auto-address off: a new key leaves the addresses alone.
keynet link set dev kn0 auto-address off || fail "auto-address off"
check_eq "$(lj auto_address)" false "auto_address off"
check_match "$(keynet link show dev kn0)" " auto-address off" "text auto-address off"
keynet link set dev kn0 private-key "$t/c3.key" || fail "link set c3 (auto-address off)"
check_eq "$(addrs)" "$a2/8" "auto-address off keeps the old address"
ip addr del "$a2/8" dev kn0
keynet link set dev kn0 auto-address on || fail "auto-address on"
a3=$(keynet addr "$(keynet pubkey <"$t/c3.key")")
check_eq "$(addrs)" "$a3/8" "auto-address on adds the address"

# A new addressing prefix: new address and route, old ones gone.
keynet link set dev kn0 addressing fd12:3456:789a::/48 || fail "link set addressing"
b3=$(keynet addr addressing fd12:3456:789a::/48 "$(keynet pubkey <"$t/c3.key")")
check_eq "$(lj addressing)" fd12:3456:789a::/48 "addressing after set"
check_eq "$(lj address)" "$b3" "kernel's address after addressing"
check_eq "$(addrs)" "$b3/48" "address after addressing change"
has_route fd12:3456:789a::/48 || fail "no fd12:3456:789a::/48 route"
has_route fc00::/8 && fail "fc00::/8 route left after the addressing change"
check_match "$(keynet link show dev kn0)" " addressing fd12:3456:789a::/48" "text addressing"
expect_fail 2 "invalid addressing prefix" keynet link set dev kn0 addressing fc00::/65
expect_fail 2 "invalid value" keynet link set dev kn0 auto-address maybe

# Peers: their address, auto routes, auto-route off, peer-routes off.
pk=$(keynet pubkey <"$t/c1.key")
pa=$(keynet addr addressing fd12:3456:789a::/48 "$pk")
keynet peer add dev kn0 "$(keynet pubkey --cjdns <"$t/c1.key")" || fail "peer add (.k)"
check_eq "$(keynet -j peer show dev kn0 | jq -r '.[0].address')" "$pa" "peer address"
check_eq "$(keynet -j peer show dev kn0 | jq -r '.[0].alive')" false "peer not alive"
keynet peer show dev kn0 | grep -qxF "  address: $pa" || fail "peer show text address"
rj() { keynet -j route show dev kn0 | jq -r --arg p "$pa/128" '.[] | select(.prefix == $p) | .auto'; }
check_eq "$(rj)" true "auto route of the peer's address"
keynet route show dev kn0 | grep -qxF "$pa/128 peer $pk metric 0 auto" ||
	info "route show text: $(keynet route show dev kn0)"
keynet peer set dev kn0 "$pk" auto-route off || fail "peer set auto-route off"
check_eq "$(rj)" "" "no auto route with auto-route off"
check_eq "$(keynet -j peer show dev kn0 | jq -r '.[0].auto_route')" false "auto_route false"
keynet peer set dev kn0 "$pk" auto-route on || fail "peer set auto-route on"
check_eq "$(rj)" true "auto route back with auto-route on"
keynet link set dev kn0 peer-routes off || fail "peer-routes off"
check_eq "$(lj peer_routes)" false "peer_routes off"
check_eq "$(rj)" "" "no auto route with peer-routes off"
keynet link set dev kn0 peer-routes on || fail "peer-routes on"
check_eq "$(rj)" true "auto route back with peer-routes on"

ip link del kn0
exit 0
