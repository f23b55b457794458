#!/bin/bash
# timeout: 300
# Tunnel throughput, keynet and the kernel's WireGuard in the same run,
# alternating (A B A B A B), same topology and MTU: iperf3 TCP, 1 stream,
# 3 s each.  Prints the medians and the ratio; asserts only that both
# carried traffic (the benchmark proper is `make bench`).
. "$KN_ROOT/selftests/lib.sh"

modprobe wireguard || skip "no wireguard module"

wg_pair() {
	netns_add wire a b
	for d in wga wgb; do ns wire ip link add $d type wireguard; done
	wg genkey >/tmp/wa.key; wg genkey >/tmp/wb.key
	ns wire wg set wga private-key /tmp/wa.key listen-port 10001 \
		peer "$(wg pubkey </tmp/wb.key)" endpoint 127.0.0.1:10002 \
		allowed-ips 192.168.241.2/32
	ns wire wg set wgb private-key /tmp/wb.key listen-port 10002 \
		peer "$(wg pubkey </tmp/wa.key)" endpoint 127.0.0.1:10001 \
		allowed-ips 192.168.241.1/32
	ns wire ip link set wga netns a; ns wire ip link set wgb netns b
	ns a ip addr add 192.168.241.1/24 dev wga
	ns b ip addr add 192.168.241.2/24 dev wgb
	ns a ip link set wga up; ns b ip link set wgb up
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

kn=() wgr=()
for round in 1 2 3; do
	kn_pair v4
	ns a ping -c 1 -W 3 192.168.241.2 >/dev/null || fail "keynet tunnel down"
	kn+=("$(tcp_mbps a 192.168.241.2 3 b)") || fail "keynet iperf3"
	ip -all netns delete; sleep 0.3
	wg_pair
	ns a ping -c 1 -W 3 192.168.241.2 >/dev/null || fail "wireguard tunnel down"
	wgr+=("$(tcp_mbps a 192.168.241.2 3 b)") || fail "wireguard iperf3"
	ip -all netns delete; sleep 0.3
done
mk=$(printf '%s\n' "${kn[@]}" | median)
mw=$(printf '%s\n' "${wgr[@]}" | median)
info "TCP 1 stream, Mbit/s: keynet ${kn[*]} (median $mk), wireguard ${wgr[*]} (median $mw), ratio $(echo "scale=2; $mk / $mw" | bc)"
[ "$mk" -gt 0 ] && [ "$mw" -gt 0 ] || fail "no throughput"
exit 0
