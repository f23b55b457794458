#!/bin/bash
# timeout: 180
# scope: once (the tool's mesh commands; the kernel side runs on every kernel in 81 and 85)
# Mesh mode in the tool (issue 20), with the kernel's part of it that the
# tool shows: on two devices that are each other's peers (kn_pair),
# "link set mesh on" turns the MESH link flag on (link show text and
# JSON), gives the device its key-derived link-local address fe80::IID/64
# (IID = bytes 8..15 of SHA-512(SHA-512(key)), computed here by python,
# not by the tool), and the kernel sets MULTICAST and routes the peer's
# link-local /128 to it (auto); peer show prints each peer's link-local
# address; link-local to link-local ping crosses the tunnel; conf dump
# has "Mesh = on" and applying it changes nothing; "mesh off" takes the
# address, the route and MULTICAST away again.  On a third device: a new
# key replaces the link-local address, removing the key removes it,
# auto-address off leaves it alone, the addressing prefix does not
# change it, and conf apply adds, replaces and removes it.  Usage errors.
. "$KN_ROOT/selftests/lib.sh"

t=$(mktemp -d)

# The link-local address of base64 public key $1, computed independently.
pyll() {
	python3 - "$1" <<'EOF'
import base64, hashlib, ipaddress, sys
h = hashlib.sha512(hashlib.sha512(base64.b64decode(sys.argv[1])).digest()).digest()
print(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + h[8:16]))
EOF
}
# v6 addresses (ADDR/LEN, one a line, every scope) of device $2 in namespace $1
addrs6() {
	ip -n "$1" -6 -j addr show dev "$2" |
		jq -r '.[].addr_info[]? | select(.local) | "\(.local)/\(.prefixlen)"'
}
has_addr() { addrs6 "$1" "$2" | grep -qxF -- "$3"; }
# MULTICAST among the flags of device $2 in namespace $1: true or false
multicast() { ip -n "$1" -j link show dev "$2" | jq -r 'any(.[0].flags[]; . == "MULTICAST")'; }
# "PEER AUTO" of the crypto-key route PREFIX ($3) of device $2 in namespace $1
rroute() {
	keynet -n "$1" -j route show dev "$2" |
		jq -r --arg p "$3" '.[] | select(.prefix == $p) | "\(.peer) \(.auto)"'
}

kn_pair v4
# Moving the devices into a and b lost their key-derived addresses: put
# them back, so that applying a dump below is a no-op.
keynet -n a link set dev kn0 auto-address on || fail "auto-address on (a)"
keynet -n b link set dev kn1 auto-address on || fail "auto-address on (b)"
LLA=$(pyll "$KA")
LLB=$(pyll "$KB")
check_match "$LLA" '^fe80::' "python's link-local address of a"
[ "$LLA" != "$LLB" ] || fail "a and b have the same link-local address $LLA"

# --- off (the default): nothing of mesh mode, but peers' link-locals shown
check_eq "$(KN_NS=a lj mesh)" false "mesh off by default (JSON)"
check_eq "$(KN_NS=a lj link_local)" "$LLA" "link show JSON link_local (mesh off)"
out=$(keynet -n a link show dev kn0)
echo "$out" | grep -qE ' mesh | link-local ' && fail "link show text with mesh off: $out"
has_addr a kn0 "$LLA/64" && fail "link-local address on kn0 with mesh off"
check_eq "$(multicast a kn0)" false "no MULTICAST with mesh off"
check_eq "$(rroute a kn0 "$LLB/128")" "" "no link-local route with mesh off"
check_eq "$(KN_NS=a pj "$KB" link_local)" "$LLB" "peer show JSON link_local (mesh off)"
keynet -n a peer show dev kn0 | grep -qxF "  link-local: $LLB" ||
	fail "peer show text lacks the link-local address: $(keynet -n a peer show dev kn0)"
keynet -n a conf dump dev kn0 >"$t/off.conf" || fail "conf dump (mesh off)"
grep -q '^Mesh' "$t/off.conf" && fail "conf dump with mesh off has a Mesh line"

# --- usage errors: exit 2, one line, nothing changed
expect_fail 2 "invalid value 'maybe': expected 'on' or 'off'" \
	keynet -n a link set dev kn0 mesh maybe
check_eq "$(keynet -n a link set dev kn0 mesh maybe 2>&1 | wc -l)" 1 "usage error is one line"
expect_fail 2 "missing argument after 'mesh'" keynet -n a link set dev kn0 mesh
check_eq "$(KN_NS=a lj mesh)" false "mesh still off after the usage errors"
printf '[Link]\nName = kn0\nMesh = maybe\n' >"$t/bad.conf"
expect_fail 2 "bad.conf:3: invalid value 'maybe'" keynet conf check "$t/bad.conf"

# --- on, on both ends
keynet -n a link set dev kn0 mesh on || fail "link set dev kn0 mesh on"
keynet -n b link set dev kn1 mesh on || fail "link set dev kn1 mesh on"
check_eq "$(KN_NS=a lj mesh)" true "link show JSON mesh"
check_eq "$(KN_NS=a lj link_local)" "$LLA" "link show JSON link_local"
check_eq "$(KN_NS=b KN_DEV=kn1 lj link_local)" "$LLB" "link show JSON link_local (b)"
out=$(keynet -n a link show dev kn0)
check_match "$out" " mesh on( |$)" "link show text mesh on"
check_match "$out" " link-local $LLA( |$)" "link show text link-local"
has_addr a kn0 "$LLA/64" || fail "no $LLA/64 on kn0: $(addrs6 a kn0 | tr '\n' ' ')"
has_addr b kn1 "$LLB/64" || fail "no $LLB/64 on kn1: $(addrs6 b kn1 | tr '\n' ' ')"
ip -n a -6 addr show dev kn0 | grep -F "inet6 $LLA/64" | grep -q nodad ||
	fail "the link-local address is not nodad: $(ip -n a -6 addr show dev kn0)"
check_eq "$(multicast a kn0)" true "MULTICAST with mesh on"
check_eq "$(rroute a kn0 "$LLB/128")" "$KB true" "b's link-local /128 routed to b (auto)"
check_eq "$(rroute b kn1 "$LLA/128")" "$KA true" "a's link-local /128 routed to a (auto)"
keynet -n a route show dev kn0 | grep -qE "^$LLB/128 peer .* auto$" ||
	fail "route show text lacks b's link-local auto route: $(keynet -n a route show dev kn0)"
check_eq "$(KN_NS=a pj "$KB" link_local)" "$LLB" "peer show JSON link_local"
keynet -n a peer show dev kn0 | grep -qxF "  link-local: $LLB" ||
	fail "peer show text lacks the link-local address: $(keynet -n a peer show dev kn0)"
# The point of it all: neighbours reach each other on their link-locals.
wait_for 10 ns a ping -6 -c 1 -W 1 "$LLB%kn0" ||
	fail "no ping from $LLA to $LLB%kn0 over the tunnel"
# Setting it again changes nothing and fails nothing.
keynet -n a link set dev kn0 mesh on || fail "mesh on again"
check_eq "$(addrs6 a kn0 | grep -cxF "$LLA/64")" 1 "the link-local address once after mesh on again"

# --- conf dump has it; applying the dump changes nothing
before=$(addrs6 a kn0 | sort | tr '\n' ' ')
keynet -n a conf dump dev kn0 >"$t/on.conf" || fail "conf dump (mesh on)"
grep -qx 'Mesh = on' "$t/on.conf" || fail "conf dump lacks 'Mesh = on': $(cat "$t/on.conf")"
check_eq "$(keynet -n a conf apply "$t/on.conf")" "kn0: up to date" "apply of the mesh dump"
check_eq "$(addrs6 a kn0 | sort | tr '\n' ' ')" "$before" "addresses after applying the dump"
check_eq "$(KN_NS=a lj mesh)" true "mesh on after applying the dump"
check_eq "$(rroute a kn0 "$LLB/128")" "$KB true" "link-local route after applying the dump"

# --- off again: the address, the route and MULTICAST go
keynet -n a link set dev kn0 mesh off || fail "link set dev kn0 mesh off"
check_eq "$(KN_NS=a lj mesh)" false "link show JSON mesh after off"
has_addr a kn0 "$LLA/64" && fail "$LLA/64 left on kn0 after mesh off"
check_eq "$(rroute a kn0 "$LLB/128")" "" "b's link-local route gone with mesh off"
check_eq "$(multicast a kn0)" false "MULTICAST gone with mesh off"
out=$(keynet -n a link show dev kn0)
echo "$out" | grep -qE ' mesh | link-local ' && fail "link show text after mesh off: $out"
check_eq "$(KN_NS=a pj "$KB" link_local)" "$LLB" "peer link_local shown with mesh off again"
keynet -n a conf dump dev kn0 >"$t/off2.conf" || fail "conf dump (mesh off again)"
grep -q '^Mesh' "$t/off2.conf" && fail "conf dump after mesh off has a Mesh line"
# b kept its own.
has_addr b kn1 "$LLB/64" || fail "b lost its link-local address when a turned mesh off"

# --- key changes, auto-address and addressing: a third device in a
{ keynet genkey >"$t/k1.key" && keynet genkey >"$t/k2.key"; } || fail genkey
L1=$(pyll "$(keynet pubkey <"$t/k1.key")")
L2=$(pyll "$(keynet pubkey <"$t/k2.key")")
cat >"$t/m1.conf" <<EOF
[Link]
Name = kn2
PrivateKeyFile = $t/k1.key
ListenPort = 10009
Mesh = on
EOF
keynet -n a conf apply "$t/m1.conf" >/dev/null || fail "conf apply m1.conf (creates kn2)"
has_addr a kn2 "$L1/64" || fail "conf apply did not add $L1/64: $(addrs6 a kn2 | tr '\n' ' ')"
check_eq "$(KN_NS=a KN_DEV=kn2 lj mesh)" true "kn2 mesh from the file"
check_eq "$(keynet -n a conf apply "$t/m1.conf")" "kn2: up to date" "apply m1.conf again"

keynet -n a link set dev kn2 private-key "$t/k2.key" || fail "link set kn2 private-key k2"
has_addr a kn2 "$L2/64" || fail "new key's $L2/64 not added"
has_addr a kn2 "$L1/64" && fail "old key's $L1/64 left after the key change"
keynet -n a link set dev kn2 private-key /dev/null || fail "remove kn2's key"
has_addr a kn2 "$L2/64" && fail "$L2/64 left after removing the key"
check_eq "$(KN_NS=a KN_DEV=kn2 lj link_local)" null "no link_local without a key"
check_eq "$(KN_NS=a KN_DEV=kn2 lj mesh)" true "mesh stays on without a key"
keynet -n a link set dev kn2 private-key "$t/k1.key" || fail "link set kn2 private-key k1"
has_addr a kn2 "$L1/64" || fail "$L1/64 not added when the key came back"

# The link-local address does not depend on the addressing prefix.
keynet -n a peer add dev kn2 "$KB" || fail "peer add KB to kn2"
keynet -n a link set dev kn2 addressing fd12:3456:789a::/48 || fail "addressing on kn2"
check_eq "$(KN_NS=a KN_DEV=kn2 lj link_local)" "$L1" "own link_local under another prefix"
check_eq "$(KN_NS=a KN_DEV=kn2 pj "$KB" link_local)" "$LLB" "peer link_local under another prefix"
check_match "$(KN_NS=a KN_DEV=kn2 pj "$KB" address)" '^fd12:3456:789a:' "peer address under it"
has_addr a kn2 "$L1/64" || fail "$L1/64 lost by the addressing change"

# auto-address off: the tool leaves the addresses alone; on: back.
keynet -n a link set dev kn2 auto-address off || fail "auto-address off on kn2"
keynet -n a link set dev kn2 private-key "$t/k2.key" || fail "kn2 key k2 (auto-address off)"
has_addr a kn2 "$L2/64" && fail "$L2/64 added with auto-address off"
has_addr a kn2 "$L1/64" || fail "$L1/64 removed with auto-address off"
ip -n a addr del "$L1/64" dev kn2 || fail "ip addr del $L1/64"
keynet -n a link set dev kn2 auto-address on || fail "auto-address on on kn2"
has_addr a kn2 "$L2/64" || fail "$L2/64 not added by auto-address on"

# conf apply replaces it on a key change and removes it with Mesh off.
sed "s|k1.key|k2.key|; /^Mesh/d; s|^ListenPort.*|&\nAddressing = fd12:3456:789a::/48|" \
	"$t/m1.conf" >"$t/m2.conf"
printf 'Mesh = on\n' >>"$t/m2.conf"
keynet -n a link set dev kn2 private-key "$t/k1.key" || fail "kn2 key k1 again"
has_addr a kn2 "$L1/64" || fail "$L1/64 not added (k1 again)"
keynet -n a conf apply "$t/m2.conf" >/dev/null || fail "conf apply m2.conf (key k2)"
has_addr a kn2 "$L2/64" || fail "conf apply did not add the new key's $L2/64"
has_addr a kn2 "$L1/64" && fail "conf apply left the old key's $L1/64"
sed '/^Mesh/d' "$t/m2.conf" >"$t/m3.conf"
out=$(keynet -n a conf apply "$t/m3.conf") || fail "conf apply m3.conf (Mesh off)"
check_match "$out" "link changed" "apply of Mesh off changes the link"
has_addr a kn2 "$L2/64" && fail "conf apply with Mesh off left $L2/64"
check_eq "$(KN_NS=a KN_DEV=kn2 lj mesh)" false "kn2 mesh off from the file"
check_eq "$(keynet -n a conf apply "$t/m3.conf")" "kn2: up to date" "apply m3.conf again"

ip -n a link del kn2
exit 0
