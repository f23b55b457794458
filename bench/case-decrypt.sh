# SPDX-License-Identifier: GPL-2.0
# Case "decrypt" (issue 23): decrypt-bound, ONE peer.  Everything a
# receiver gets comes from one peer; with one decryption context per peer
# (keynet's parallel_crypto=0: the peer's rx_work, one CPU at a time) the
# peer's rate is bounded by one core, with the decryption spread over CPUs
# (parallel_crypto=1, and WireGuard's per-CPU decryption workers) it is
# not.
#
# Topology: namespace wire (the underlay: loopback) and b.  The receiver's
# device (keynet's kn1 or WireGuard's wgb) is made in wire, so its UDP
# socket listens there on 127.0.0.1:10002, and moved to b: 192.168.241.2/24,
# MTU 1420, one peer: the generator's key, routed / allowed
# 192.168.241.1/32, no endpoint (learnt from the handshake).  An nftables
# rule in b's prerouting hook (priority -300, before conntrack) drops
# everything arriving on the device, i.e. right after decryption: the
# device has done its whole receive path (decrypt, replay window, source
# check, hand-off to the stack) and the stack nothing more.
#
# Generator: selftests/tools/knblast in wire, a userspace WireGuard
# initiator (kmod/noise.c built in userspace): handshake, a keepalive that
# confirms the session, then COUNT data messages encrypted in advance,
# sent with sendmmsg() spread over DC_SEND seconds (faster if it cannot
# keep up, it just sends).  Counted: the device's rx_packets (decrypted
# packets handed to the stack), read by knblast itself (-c, from b's
# sysfs) once the receiver's queues filled (0.5 s) and when the last
# message left, so neither the queues filling nor draining is in the
# window.  Inner packets: IPv4/UDP 192.168.241.1 -> .2 port 9, with 64-byte
# payloads (92-byte packets: the per-packet cost) and 1392-byte ones
# (1420 bytes, the MTU: the per-byte cost).
#
# Variants (each round, in this order, on a fresh device): keynet with
# parallel_crypto=1, kn-serial (parallel_crypto=0), wireguard; as in the
# crypt case (bench/case-crypt.sh: crypt_mode; without the parameter,
# keynet's default data path and no kn-serial, noted).
report_row "dec64 kn-serial pps decrypt_64B_UDP_one_peer"
report_row "dec64 wireguard pps decrypt_64B_UDP_one_peer"
report_row "dec64 wireguard pps decrypt_64B_UDP_one_peer kn-serial"
report_row "dec1420 kn-serial Mbit/s decrypt_1420B_packets_one_peer"
report_row "dec1420 wireguard Mbit/s decrypt_1420B_packets_one_peer"
report_row "dec1420 wireguard Mbit/s decrypt_1420B_packets_one_peer kn-serial"

DC_DIR=/tmp/kn-bench-decrypt
# Messages made in advance per measurement (64-byte payloads: 128-byte
# datagrams, 51 MB; 1392-byte: 1452-byte datagrams, 160 MB of the guest's
# 1 GiB), and the seconds to spread them over: offered 100,000 and
# 27,500 packets/s, above what a 2-vCPU TCG guest decrypts (a row whose
# decrypted rate comes near the offered one is noted as generator-bound).
DC_N64=400000
DC_N1420=110000
if [ "${KN_QUICK:-0}" = 1 ]; then DC_SEND=3; else DC_SEND=4; fi

# dec_pair IMPL: the receiver of IMPL in b, the drop rule in place; sets
# DC_DEV and DC_PUB (its public key).  1 with a note when a step failed.
dec_pair() {
	local impl=$1
	case $impl in
	keynet) crypt_mode 1 || [ "$DC_HAVE_PARAM" = 0 ] || return 1 ;;
	kn-serial) crypt_mode 0 || return 1 ;;
	esac
	kn_load
	netns_add wire b
	if [ "$impl" = wireguard ]; then
		DC_DEV=wgb
		wg genkey >"$DC_DIR/recv.key"
		DC_PUB=$(wg pubkey <"$DC_DIR/recv.key")
		if ! { ns wire ip link add wgb type wireguard &&
			ns wire wg set wgb private-key "$DC_DIR/recv.key" listen-port 10002 \
				peer "$DC_BLAST_PUB" allowed-ips 192.168.241.1/32; }; then
			note "decrypt $impl: device"
			return 1
		fi
	else
		DC_DEV=kn1
		keynet genkey >"$DC_DIR/recv.key"
		DC_PUB=$(keynet pubkey <"$DC_DIR/recv.key")
		if ! { ns wire ip link add kn1 type keynet &&
			keynet -n wire link set dev kn1 private-key "$DC_DIR/recv.key" \
				listen-port 10002 &&
			keynet -n wire peer add dev kn1 "$DC_BLAST_PUB" route 192.168.241.1/32; }; then
			note "decrypt $impl: device"
			return 1
		fi
	fi
	if ! { ns wire ip link set "$DC_DEV" netns b &&
		ns b ip addr add 192.168.241.2/24 dev "$DC_DEV" &&
		ns b ip link set "$DC_DEV" mtu "$MTU" up; }; then
		note "decrypt $impl: addresses"
		return 1
	fi
	sed "s/@DEV@/$DC_DEV/" "$DC_DIR/drop.nft.in" | ns b nft -f - ||
		{ note "decrypt $impl: nft drop rule"; return 1; }
}

# dec_measure IMPL CASE SIZE COUNT: decrypted packets/s into CASE (Mbit/s
# of inner packets for the 1392-byte payloads).
dec_measure() {
	local impl=$1 c=$2 size=$3 n=$4 j v="" sent
	j=$(ns b "$DC_DIR/knblast" -N /run/netns/wire \
		-c "/sys/class/net/$DC_DEV/statistics/rx_packets" -w 0.5 \
		-s "$size" -n "$n" -t "$DC_SEND" \
		"$DC_DIR/blast.key" "$DC_PUB" 127.0.0.1 10002 2>&1 | tail -n 1) || j=""
	info "  decrypt $impl ${size}B: ${j:-no result}"
	v=$(echo "$j" | jq -r '.counted_pps // empty' 2>/dev/null)
	sent=$(echo "$j" | jq -r '.pps // empty' 2>/dev/null)
	if [ -n "$v" ] && [ -n "$sent" ] && [ "$(echo "$v >= 0.95 * $sent" | bc)" = 1 ]; then
		note "decrypt $impl ${size}B: decrypted $v of $sent packets/s offered: generator-bound (raise DC_N64/DC_N1420 in bench/case-decrypt.sh)"
	fi
	rec "$c" "$impl" "$(crypt_rate "${v:-}" "$size")"
}

dec_round() {
	local impl=$1 c
	if dec_pair "$impl"; then
		dec_measure "$impl" dec64 64 "$DC_N64"
		dec_measure "$impl" dec1420 1392 "$DC_N1420"
		if [ "$impl" = wireguard ]; then
			info "  decrypt $impl: $(ns b wg show wgb transfer)"
		else
			info "  decrypt $impl drops: $(keynet -n b -j -s link show dev kn1 |
				jq -c '.[0].drops | with_entries(select(.value > 0))' 2>/dev/null)"
		fi
	else
		for c in dec64 dec1420; do rec "$c" "$impl" ""; done
	fi
	reset_net
}

run_decrypt() {
	local top=$KN_ROOT
	declare -F crypt_variants >/dev/null ||
		{ note "decrypt: bench/case-crypt.sh (crypt_variants) not loaded"; return 0; }
	rm -rf "$DC_DIR"
	mkdir -p "$DC_DIR"
	info "decrypt: building knblast"
	cc -O2 -I "$top/kmod" -I "$top/include" -o "$DC_DIR/knblast" \
		"$top/selftests/tools/knblast.c" "$top/kmod/noise.c" "$top/kmod/cookie.c" \
		"$top/selftests/unit/crypto_user.c" -lcrypto -lsodium -lpthread ||
		{ note "decrypt: cannot build knblast"; return 0; }
	keynet genkey >"$DC_DIR/blast.key"
	DC_BLAST_PUB=$(keynet pubkey <"$DC_DIR/blast.key")
	cat >"$DC_DIR/drop.nft.in" <<-'NFT'
	table inet kndecrypt {
		chain pre {
			type filter hook prerouting priority -300; policy accept;
			iifname "@DEV@" counter drop
		}
	}
	NFT
	crypt_variants decrypt dec_round DC_HAVE_PARAM
	rm -rf "$DC_DIR"
}
