#!/bin/bash
# timeout: 900
# Hostile packets: selftests/fuzz/pktfuzz.c sends 1,000,000 random,
# truncated and mutated WireGuard-shaped datagrams at a listen port, and
# 1,000,000 mutated IPv4/IPv6 packets (TCP, UDP, ICMP, ICMP errors with
# inner packets, fragments, options, extension headers) into the NAT64
# path.  No oops or WARN (the runner checks the log), and the counters
# account for every packet: each one that reached the module is in
# exactly one drop or translation counter.
. "$KN_ROOT/selftests/lib.sh"

count=${KN_PKTFUZZ_COUNT:-1000000}
cc -O2 -o /tmp/pktfuzz "$KN_ROOT/selftests/fuzz/pktfuzz.c" || fail "cannot build pktfuzz"

kn_load
netns_add r
ns r ip link add kn0 type keynet || fail "create kn0"
keynet genkey >/tmp/r.key
keynet -n r link set dev kn0 private-key /tmp/r.key listen-port 10001 || fail "link set"
keynet -n r peer add dev kn0 "$(keynet genkey | keynet pubkey)" \
	endpoint 127.0.0.1:10002 route 10.9.0.0/16 || fail "peer add"
ns r ip link set kn0 up
keynet -n r nat64 set dev kn0 prefix 64:ff9b::/96 ipv4-addr 192.0.2.1 || fail "nat64 set"
keynet -n r pool add 198.51.100.0/24 dev kn0 || fail "pool add"
keynet -n r map add 203.0.113.5 2001:db8::5 dev kn0 || fail "map add"
ns r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# No route may lead back into kn0, or the stack's own ICMP errors about
# fuzzed packets (to their random, e.g. link-local, sources) would come
# back through it and be counted twice.
ns r ip -6 route flush dev kn0 table main 2>/dev/null
ns r ip -6 route show dev kn0 table main | grep -q . && fail "kn0 still has IPv6 routes"

# sum_drops: every drop counter of kn0; sum_n64: every translator counter
# that classifies an input packet (not the side counts of what it sent).
sum_drops() { keynet -n r -j -s link show dev kn0 | jq '[.[0].drops[]] | add'; }
sum_n64() {
	keynet -n r -j -s nat64 show dev kn0 |
		jq '[.[0].stats | to_entries[] |
		     select(.key | test("^(icmp4_sent|icmp6_sent|icmp_ratelimited|fragments|gso)$") | not) |
		     .value] | add'
}
# softnet_drops: packets the backlog queues dropped before any protocol.
softnet_drops() {
	local s=0 d
	while read -r _ d _; do s=$((s + 16#$d)); done </proc/net/softnet_stat
	echo $s
}

# 1. The listen port.
d0=$(sum_drops) b0=$(softnet_drops)
t0=$(date +%s)
out=$(ns r /tmp/pktfuzz udp 127.0.0.1 10001 "$count" "${KN_SEED:-1}") || fail "pktfuzz udp: $out"
udp_out="$out in $(( $(date +%s) - t0 )) s"
sent=$(echo "$out" | awk '{ print $2 }')
# The module handles handshake messages in a worker: wait for it.
all_counted() { [ $(( $(sum_drops) - d0 + $(softnet_drops) - b0 )) -ge "$sent" ]; }
wait_for 60 all_counted
d1=$(sum_drops) b1=$(softnet_drops)
keynet -n r -s link show dev kn0 | sed 's/^/# /'
udp_res="udp: $sent sent, $((d1 - d0)) counted as drops, $((b1 - b0)) dropped by the backlog"
check_eq $((d1 - d0 + b1 - b0)) "$sent" "udp packets accounted for"

# 2. The NAT64 path (and, for what it does not claim, the tunnel path).
d0=$(sum_drops) n0=$(sum_n64)
t0=$(date +%s)
out=$(ns r /tmp/pktfuzz ip kn0 64:ff9b:: 203.0.113.5 "$count" "${KN_SEED:-1}") ||
	fail "pktfuzz ip: $out"
ip_out="$out in $(( $(date +%s) - t0 )) s"
sent=$(echo "$out" | awk '{ print $2 }')
d1=$(sum_drops) n1=$(sum_n64)
keynet -n r -s nat64 show dev kn0 | sed 's/^/# /'
info "$udp_out"
info "$udp_res"
info "$ip_out"
info "ip: $sent sent, $((n1 - n0)) classified by the translator, $((d1 - d0)) dropped by the tunnel path"
check_eq $((n1 - n0 + d1 - d0)) "$sent" "ip packets accounted for"

# Still working: the translator and the device answer.
keynet -n r nat64 show dev kn0 >/dev/null || fail "nat64 show after fuzzing"
ns r ip link del kn0 || fail "delete kn0"
exit 0
