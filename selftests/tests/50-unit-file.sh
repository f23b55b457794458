#!/bin/bash
# scope: once (the systemd unit's commands)
# systemd/keynet@.service, run as systemd would run it (there is no
# systemd in the VM): its ExecStartPre/ExecStart lines, with %i replaced,
# run in namespace "a" create device knu0 from /etc/keynet/knu0.conf with
# the configured key, port, address and peer, and a tunnel to a peer set
# up by hand in "b" carries traffic; ExecReload applies an edited file;
# ExecStop deletes the device.
# timeout: 180
. "$KN_ROOT/selftests/lib.sh"

unit=$KN_ROOT/systemd/keynet@.service
inst=knu0
conf=/etc/keynet/$inst.conf

out=$(keynet conf help 2>&1)
case "$out" in
*"unknown object 'conf'"*) skip "keynet conf is not implemented yet" ;;
esac

# The unit's structure: a oneshot that stays active, after the network.
key() { sed -n "s/^$1=//p" "$unit"; }
check_eq "$(key Type)" oneshot "Type"
check_eq "$(key RemainAfterExit)" yes "RemainAfterExit"
check_match "$(key After)" "(^| )network-online\.target( |$)" "After"
check_match "$(key Wants)" "(^| )network-online\.target( |$)" "Wants"
check_eq "$(key ConditionPathExists)" "/etc/keynet/%i.conf" "ConditionPathExists"
check_match "$(key ExecStart | head -n 1)" "^keynet conf apply /etc/keynet/%i\.conf dev %i$" \
	"first ExecStart"

# Run the unit's KEY= lines (in file order) in namespace $1 as systemd
# would: %i and %I are the instance, %% a percent sign; a leading "-"
# ignores a failure; other prefixes and specifiers are not used by the
# unit (fail if they appear, so this runner stays faithful).  Commands
# are plain words: no quoting in the unit.
run_lines() {
	local nsname=$1 line cmd ignore rc
	shift
	for k in "$@"; do
		while IFS= read -r line; do
			[ -n "$line" ] || continue
			cmd=${line#*=}
			ignore=0
			[ "${cmd:0:1}" = - ] && { ignore=1; cmd=${cmd:1}; }
			case "$cmd" in [@:+!]*|*\"*|*\'*|*\\*) fail "unsupported $k line: $line" ;; esac
			cmd=${cmd//%i/$inst}
			cmd=${cmd//%I/$inst}
			cmd=${cmd//%%/%}
			case "$cmd" in *%*) fail "unknown specifier in $k line: $line" ;; esac
			# shellcheck disable=SC2086
			ns "$nsname" $cmd >"$work/cmd.out" 2>&1
			rc=$?
			info "$k: $cmd -> $rc"
			if [ "$rc" != 0 ] && [ "$ignore" = 0 ]; then
				fail "$k '$cmd' failed ($rc): $(cat "$work/cmd.out")"
			fi
		done <<<"$(grep -E "^$k=" "$unit")"
	done
}

work=$(mktemp -d)
kn_load
netns_add a b
ip link add ua netns a type veth peer name ub netns b || fail "veth"
ns a ip addr add 10.77.0.1/24 dev ua
ns b ip addr add 10.77.0.2/24 dev ub
ns a ip link set ua up
ns b ip link set ub up

keynet genkey >"$work/a.key" && keynet genkey >"$work/b.key" &&
	keynet genkey >"$work/c.key" || fail genkey
KA=$(keynet pubkey <"$work/a.key")
KB=$(keynet pubkey <"$work/b.key")
KC=$(keynet pubkey <"$work/c.key")

mkdir -p /etc/keynet
cat >"$conf" <<EOF
# written by selftests/tests/50-unit-file.sh
[Link]
PrivateKey = $(cat "$work/a.key")
ListenPort = 51820
Address = 192.168.77.1/24

[Peer]
Name = b
PublicKey = $KB
Endpoint = 10.77.0.2:51821
Route = 192.168.77.2/32
EOF
chmod 600 "$conf"

# --- start
run_lines a ExecStartPre ExecStart ExecStartPost
KN_NS=a KN_DEV=$inst	# what lj and pj read
ns a ip link show dev "$inst" >/dev/null 2>&1 || fail "no device $inst after ExecStart"
check_match "$(ns a ip -o link show dev "$inst")" "[<,]UP[,>]" "$inst is up"
check_eq "$(lj public_key)" "$KA" "public key from the file"
check_eq "$(lj listen_port)" 51820 "listen port from the file"
check_eq "$(keynet -n a -j peer show dev "$inst" | jq length)" 1 "peers after start"
check_eq "$(pj "$KB" endpoint)" 10.77.0.2:51821 "peer endpoint"
check_eq "$(pj "$KB" name)" b "peer name"
keynet -n a -j route show dev "$inst" |
	jq -e --arg k "$KB" '.[] | select(.prefix == "192.168.77.2/32" and .peer == $k)' >/dev/null ||
	fail "no route 192.168.77.2/32 to the peer: $(keynet -n a route show dev "$inst")"
ns a ip -o addr show dev "$inst" | grep -q ' 192\.168\.77\.1/24 ' ||
	fail "no address 192.168.77.1/24: $(ns a ip -o addr show dev "$inst")"

# The peer, by hand in b; traffic proves both keys.
ns b ip link add knb type keynet || fail "create knb"
keynet -n b link set dev knb private-key "$work/b.key" listen-port 51821 || fail "link set knb"
keynet -n b peer add dev knb "$KA" endpoint 10.77.0.1:51820 route 192.168.77.1/32 ||
	fail "peer add on knb"
ns b ip addr add 192.168.77.2/24 dev knb
ns b ip link set knb up
wait_for 20 ns b ping -c 1 -W 1 192.168.77.1 || fail "no ping through the unit's device"
check_eq "$(pj "$KB" has_session)" true "session with b"
hs=$(pj "$KB" latest_handshake)

# --- reload: a second peer added, b untouched
cat >>"$conf" <<EOF

[Peer]
PublicKey = $KC
Route = 192.168.77.3/32
EOF
run_lines a ExecReload
check_eq "$(keynet -n a -j peer show dev "$inst" | jq length)" 2 "peers after reload"
check_eq "$(pj "$KB" latest_handshake)" "$hs" "b's handshake kept across the reload"
ns b ping -c 1 -W 2 192.168.77.1 >/dev/null || fail "no ping after the reload"

# --- stop
run_lines a ExecStop ExecStopPost
ns a ip link show dev "$inst" >/dev/null 2>&1 && fail "$inst still exists after ExecStop"
# Stopping again (device already gone) does not fail the unit.
run_lines a ExecStop ExecStopPost

rm -f "$conf"
rmdir /etc/keynet 2>/dev/null
rm -rf "$work"
exit 0
