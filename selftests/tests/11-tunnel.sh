#!/bin/bash
# timeout: 180
# Two keynet devices, their sockets in an underlay-only namespace, moved to
# two other namespaces: ping and TCP both ways over IPv4 and IPv6 underlay.
. "$KN_ROOT/selftests/lib.sh"

for fam in v4 v6; do
	info "underlay $fam"
	kn_pair $fam
	ns a ping -c 3 -i 0.2 -W 2 192.168.241.2 >/dev/null || fail "$fam: ping a->b"
	ns b ping -c 3 -i 0.2 -W 2 192.168.241.1 >/dev/null || fail "$fam: ping b->a"
	ns a ping -6 -c 3 -i 0.2 -W 2 fd00::2 >/dev/null || fail "$fam: ping6 a->b"
	ns b ping -6 -c 3 -i 0.2 -W 2 fd00::1 >/dev/null || fail "$fam: ping6 b->a"
	# The device MTU (1420 by default) is enforced with the right value.
	out=$(ns a ping -M do -s 1400 -c 1 -W 1 192.168.241.2 2>&1) &&
		fail "$fam: a 1428-byte DF packet passed a 1420 MTU"
	check_match "$out" "mtu ?= ?1420" "$fam: the sender learns MTU 1420"
	# Bytes are compared: a 1 MB payload through TCP over the tunnel.
	head -c 1000000 /dev/urandom >/tmp/payload
	ns b sh -c 'nc -l -p 7000 >/tmp/got &'
	wait_for 10 tcp_listening b 7000 || fail "$fam: nc not listening in b"
	ns a nc -q 1 192.168.241.2 7000 </tmp/payload || fail "$fam: nc"
	wait_for 10 cmp -s /tmp/payload /tmp/got || fail "$fam: payload differs"
	m=$(tcp_mbps a 192.168.241.2 2 b) || fail "$fam: iperf3 a->b"
	info "$fam: TCP a->b $m Mbit/s"
	m=$(tcp_mbps b fd00::1 2 a) || fail "$fam: iperf3 b->a over IPv6"
	info "$fam: TCP6 b->a $m Mbit/s"

	# Counters: both sides saw traffic, handshake recorded, no bad drops.
	# The 1 MB payload went a->b: b received and a sent at least that
	# (whatever iperf3 added on a slow kernel).
	j=$(keynet -n a -j peer show dev kn0)
	jb=$(keynet -n b -j peer show dev kn1)
	[ "$(echo "$jb" | jq '.[0].rx_bytes')" -gt 1000000 ] || fail "$fam: rx_bytes on b $jb"
	[ "$(echo "$j" | jq '.[0].tx_bytes')" -gt 1000000 ] || fail "$fam: tx_bytes on a $j"
	[ "$(echo "$j" | jq '.[0].rx_bytes')" -gt 0 ] || fail "$fam: rx_bytes on a $j"
	[ "$(echo "$j" | jq '.[0].tx_packets')" -gt 10 ] || fail "$fam: tx_packets $j"
	[ "$(echo "$j" | jq '.[0].latest_handshake')" -gt 0 ] || fail "$fam: no handshake time"
	[ "$(echo "$j" | jq -r '.[0].has_session')" = true ] || fail "$fam: no session"
	for r in bad_mac replay unknown_peer bad_source; do
		check_eq "$(drops a kn0 $r)" 0 "$fam: drops $r on a"
		check_eq "$(drops b kn1 $r)" 0 "$fam: drops $r on b"
	done
	# (the next round's namespaces are new: nothing to wait for)
	ip -all netns delete
done
exit 0
