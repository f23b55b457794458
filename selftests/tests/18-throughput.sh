#!/bin/bash
# timeout: 300
# Tunnel throughput, keynet and the kernel's WireGuard in the same run,
# alternating (A B A B A B), same topology and MTU: iperf3 TCP, 1 stream,
# 3 s each.  Prints the medians and the ratio; asserts only that both
# carried traffic (the benchmark proper is `make bench`).
. "$KN_ROOT/selftests/lib.sh"

modprobe wireguard || skip "no wireguard module"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

kn=() wgr=()
for round in 1 2 3; do
	kn_pair v4
	ns a ping -c 1 -W 3 192.168.241.2 >/dev/null || fail "keynet tunnel down"
	kn+=("$(tcp_mbps a 192.168.241.2 3 b)") || fail "keynet iperf3"
	ip -all netns delete	# each pair makes new namespaces
	wg_pair
	ns a ping -c 1 -W 3 192.168.241.2 >/dev/null || fail "wireguard tunnel down"
	wgr+=("$(tcp_mbps a 192.168.241.2 3 b)") || fail "wireguard iperf3"
	ip -all netns delete
done
mk=$(printf '%s\n' "${kn[@]}" | median)
mw=$(printf '%s\n' "${wgr[@]}" | median)
info "TCP 1 stream, Mbit/s: keynet ${kn[*]} (median $mk), wireguard ${wgr[*]} (median $mw), ratio $(echo "scale=2; $mk / $mw" | bc)"
[ "$mk" -gt 0 ] && [ "$mw" -gt 0 ] || fail "no throughput"
exit 0
