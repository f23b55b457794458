#!/bin/bash
# timeout: 240
# Interoperability with the kernel's own WireGuard (wireguard.ko + wg from
# wireguard-tools): a handshake, ping and TCP both ways; keynet initiates
# in the first round, WireGuard in the second.
. "$KN_ROOT/selftests/lib.sh"

modprobe wireguard || skip "no wireguard module in this kernel"
command -v wg >/dev/null || skip "wg (wireguard-tools) not installed"

setup() {
	kn_load
	netns_add wire a b
	ns wire ip link add kn0 type keynet || fail "create kn0"
	ns wire ip link add wg0 type wireguard || fail "create wg0"
	keynet genkey >/tmp/kn.key
	wg genkey >/tmp/wg.key
	KA=$(keynet pubkey </tmp/kn.key)
	KB=$(wg pubkey </tmp/wg.key)
	check_eq "$(wg pubkey </tmp/kn.key)" "$KA" "wg and keynet agree on the public key"
	keynet -n wire link set dev kn0 private-key /tmp/kn.key listen-port 10001 ||
		fail "keynet link set"
	keynet -n wire peer add dev kn0 "$KB" endpoint 127.0.0.1:10002 \
		route 192.168.241.2/32 route fd00::2/128 || fail "keynet peer add"
	ns wire wg set wg0 private-key /tmp/wg.key listen-port 10002 \
		peer "$KA" endpoint 127.0.0.1:10001 \
		allowed-ips 192.168.241.1/32,fd00::1/128 || fail "wg set"
	ns wire ip link set kn0 netns a
	ns wire ip link set wg0 netns b
	ns a ip addr add 192.168.241.1/24 dev kn0
	ns a ip addr add fd00::1/64 dev kn0 nodad
	ns b ip addr add 192.168.241.2/24 dev wg0
	ns b ip addr add fd00::2/64 dev wg0 nodad
	ns a ip link set kn0 up
	ns b ip link set wg0 up
}

check_traffic() {
	local who=$1
	ns a ping -c 3 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "$who: ping keynet->wg"
	ns b ping -c 3 -i 0.2 -W 2 192.168.241.1 >/dev/null || fail "$who: ping wg->keynet"
	ns a ping -6 -c 2 -i 0.2 -W 2 fd00::2 >/dev/null || fail "$who: ping6 keynet->wg"
	[ "$(ns b wg show wg0 latest-handshakes | awk '{print $2}')" -gt 0 ] ||
		fail "$who: wg saw no handshake"
	[ "$(keynet -n a -j peer show dev kn0 | jq '.[0].latest_handshake')" -gt 0 ] ||
		fail "$who: keynet saw no handshake"
	m=$(tcp_mbps a 192.168.241.2 2 b) || fail "$who: TCP keynet->wg"
	info "$who: TCP keynet->wg $m Mbit/s"
	m=$(tcp_mbps b 192.168.241.1 2 a) || fail "$who: TCP wg->keynet"
	info "$who: TCP wg->keynet $m Mbit/s"
	check_eq "$(drops a kn0 bad_mac)" 0 "$who: bad_mac drops"
	check_eq "$(drops a kn0 replay)" 0 "$who: replay drops"
}

info "round 1: keynet initiates"
setup
ns a ping -c 1 -W 5 192.168.241.2 >/dev/null || ns a ping -c 1 -W 5 192.168.241.2 >/dev/null ||
	fail "first ping keynet->wg"
check_traffic keynet-initiates
ip -all netns delete	# setup makes new namespaces: nothing to wait for

info "round 2: WireGuard initiates"
setup
ns b ping -c 1 -W 5 192.168.241.1 >/dev/null || ns b ping -c 1 -W 5 192.168.241.1 >/dev/null ||
	fail "first ping wg->keynet"
check_traffic wg-initiates
exit 0
