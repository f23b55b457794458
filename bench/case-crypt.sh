# SPDX-License-Identifier: GPL-2.0
# Case "crypt" (issue 23): encrypt-bound, ONE peer.  Everything a sender
# puts into its tunnel device goes to one peer; with one encryption
# context per peer (keynet's parallel_crypto=0: the peer's tx_work, one
# CPU at a time) the peer's rate is bounded by one core, with the
# encryption spread over CPUs (parallel_crypto=1, and WireGuard's per-CPU
# encryption workers) it is not.
#
# Topology: kn_pair / wg_pair (selftests/lib.sh), MTU 1420: the sender's
# device in namespace a, the receiver's in b, both UDP sockets in wire
# (127.0.0.1:10001 -> :10002).  Once the handshake is done, an nftables
# rule in wire's prerouting hook (priority -300) drops every data message
# (first payload byte 4) sent to port 10002: the encrypted datagrams leave
# the sender's device and cross the underlay, and the receiver never
# decrypts anything, so only the sender's encryption is measured.
# Handshakes still pass.
#
# Generator: selftests/tools/udpblast in a, one thread (and two, a third
# measurement), sendmmsg() of UDP datagrams to 192.168.241.2:9 through
# the device for DUR + 1 seconds; counted: the underlay's datagrams, i.e.
# the growth of wire's lo tx_packets (only the tunnel's traffic uses it),
# from 1 s after the start (the peer's queue full) to the end, read by
# udpblast itself (-c).  Sizes: 64-byte UDP payloads (92-byte inner
# packets: the per-packet cost) and 1392-byte ones (1420-byte inner
# packets, the MTU: the per-byte cost; no fragments).
#
# Variants, each round in this order, each on freshly made devices:
#   keynet     parallel_crypto=1 (/sys/module/keynet/parameters/
#              parallel_crypto; if the module has no such parameter, its
#              default data path, noted, and kn-serial is not measured)
#   kn-serial  parallel_crypto=0
#   wireguard  the kernel's WireGuard
# The parameter is written before the devices are made (a read-only
# parameter is set by reloading the module with it) and restored at the end.
report_row "enc64 kn-serial pps encrypt_64B_UDP_one_peer"
report_row "enc64 wireguard pps encrypt_64B_UDP_one_peer"
report_row "enc64 wireguard pps encrypt_64B_UDP_one_peer kn-serial"
report_row "enc1420 kn-serial Mbit/s encrypt_1420B_packets_one_peer"
report_row "enc1420 wireguard Mbit/s encrypt_1420B_packets_one_peer"
report_row "enc1420 wireguard Mbit/s encrypt_1420B_packets_one_peer kn-serial"
report_row "enc64x2 kn-serial pps encrypt_64B_UDP_one_peer_2_sender_threads"
report_row "enc64x2 wireguard pps encrypt_64B_UDP_one_peer_2_sender_threads"
report_row "enc64x2 wireguard pps encrypt_64B_UDP_one_peer_2_sender_threads kn-serial"

CR_DIR=/tmp/kn-bench-crypt
CR_PARAM=/sys/module/keynet/parameters/parallel_crypto

# crypt_param_get: the parameter as 1 or 0 (empty without it).
crypt_param_get() {
	[ -e "$CR_PARAM" ] || return 0
	case $(cat "$CR_PARAM") in
	Y | y | 1) echo 1 ;;
	*) echo 0 ;;
	esac
}

# crypt_mode 1|0: keynet's parallel_crypto, before any device is made;
# reloads the module when the parameter cannot be written (0444).
crypt_mode() {
	[ -e "$CR_PARAM" ] || return 1
	[ "$(crypt_param_get)" = "$1" ] && return 0
	if ! { echo "$1" >"$CR_PARAM"; } 2>/dev/null || [ "$(crypt_param_get)" != "$1" ]; then
		reset_net
		rmmod keynet || { sleep 1; rmmod keynet; } ||
			{ note "crypt: cannot reload keynet for parallel_crypto=$1"; return 1; }
		KN_MODPARAMS="${KN_MODPARAMS:-} parallel_crypto=$1" kn_load
	fi
	[ "$(crypt_param_get)" = "$1" ] ||
		{ note "crypt: parallel_crypto stays $(crypt_param_get), not $1"; return 1; }
}

# The pair of IMPL (keynet, kn-serial or wireguard), handshake done, the
# data drop in place.  1 with a note when something failed.
crypt_pair() {
	case $1 in
	keynet) crypt_mode 1 || [ "$CR_HAVE_PARAM" = 0 ] || return 1 ;;
	kn-serial) crypt_mode 0 || return 1 ;;
	esac
	case $1 in
	wireguard) wg_pair "$MTU" ;;
	*)
		kn_pair v4
		ns a ip link set kn0 mtu "$MTU"
		ns b ip link set kn1 mtu "$MTU"
		;;
	esac
	ns a ping -c 2 -W 3 192.168.241.2 >/dev/null || { note "crypt $1: tunnel down"; return 1; }
	ns wire nft -f "$CR_DIR/drop.nft" || { note "crypt $1: nft drop rule"; return 1; }
}

# crypt_measure IMPL CASE SIZE THREADS: encrypted datagrams/s into CASE
# (Mbit/s of inner packets for the 1392-byte payloads).
crypt_measure() {
	local impl=$1 c=$2 size=$3 thr=$4 j v=""
	j=$(ns wire "$CR_DIR/udpblast" -c /sys/class/net/lo/statistics/tx_packets -w 1 \
		-N /run/netns/a 192.168.241.2 9 $((DUR + 1)) "$size" "$thr" 2>&1) || j=""
	info "  crypt $impl ${size}B x$thr: ${j:-no result}"
	v=$(echo "$j" | jq -r '.counted_pps // empty' 2>/dev/null)
	rec "$c" "$impl" "$(crypt_rate "${v:-}" "$size")"
}

# crypt_rate PPS SIZE: the row's value: packets/s for the small sizes,
# Mbit/s of inner packets (SIZE + the 28 bytes of IPv4 and UDP headers)
# above 1,000 bytes; empty for an empty PPS.
crypt_rate() {
	if [ -n "$1" ] && [ "$2" -gt 1000 ]; then
		echo "scale=1; $1 * ($2 + 28) * 8 / 1000000" | bc
	else
		echo "$1"
	fi
}

crypt_round() {
	local impl=$1 c
	if crypt_pair "$impl"; then
		crypt_measure "$impl" enc64 64 1
		crypt_measure "$impl" enc1420 1392 1
		crypt_measure "$impl" enc64x2 64 2
		[ "$impl" = wireguard ] ||
			info "  crypt $impl drops: $(keynet -n a -j -s link show dev kn0 |
				jq -c '.[0].drops | with_entries(select(.value > 0))' 2>/dev/null)"
	else
		for c in enc64 enc1420 enc64x2; do rec "$c" "$impl" ""; done
	fi
	reset_net
}

run_crypt() {
	rm -rf "$CR_DIR"
	mkdir -p "$CR_DIR"
	cc -O2 -o "$CR_DIR/udpblast" "$KN_ROOT/selftests/tools/udpblast.c" -lpthread ||
		{ note "crypt: cannot build udpblast"; return 0; }
	cat >"$CR_DIR/drop.nft" <<-'NFT'
	table inet kncrypt {
		chain pre {
			type filter hook prerouting priority -300; policy accept;
			udp dport 10002 @th,64,8 4 counter drop
		}
	}
	NFT
	crypt_variants crypt crypt_round CR_HAVE_PARAM
	rm -rf "$CR_DIR"
}

# crypt_variants NAME ROUND_FN HAVEVAR: the variants of the crypt and
# decrypt cases, alternating for ROUNDS rounds, each round ROUND_FN IMPL
# for keynet (parallel_crypto=Y), kn-serial (=N; only if the module has
# the parameter) and wireguard (if its module loads).  HAVEVAR (a global)
# becomes 1 when the parameter exists, else 0; the parameter's value is
# restored afterwards.
crypt_variants() {
	local name=$1 fn=$2 r impl impls="keynet kn-serial" p0
	reset_net
	kn_load
	p0=$(crypt_param_get)
	printf -v "$3" 1
	if [ -z "$p0" ]; then
		printf -v "$3" 0
		impls=keynet
		note "$name: keynet has no parallel_crypto parameter: its rows are the module's default data path; kn-serial not measured"
	fi
	if modprobe wireguard; then impls="$impls wireguard"
	else note "$name: no wireguard module: keynet's variants only"; fi
	for r in $(seq "$ROUNDS"); do
		info "$name round $r/$ROUNDS (t=${SECONDS}s)"
		for impl in $impls; do "$fn" "$impl"; done
	done
	[ -z "$p0" ] || crypt_mode "$p0" || true
}
