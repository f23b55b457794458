#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of the bash completion (tool/completion/keynet): source it,
# set COMP_WORDS / COMP_CWORD as bash would, call the function and check
# COMPREPLY.  "ip" and "keynet" are stubs on PATH, so no module, device or
# root is needed.  Run by selftests/unit/run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0

K1=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
K2=Bk2zGWq1jZqGm9x1w0xsn2WcE6KHRAK6aElQw0BAzWo=
mkdir -p "$tmp/bin" "$tmp/files"
cat >"$tmp/bin/ip" <<'EOF'
#!/bin/bash
# ip [-n NS] -o link show [type keynet] | ip netns list
ns=
[ "$1" = -n ] && { ns=$2; shift 2; }
case "$*" in
"netns list") echo "red (id: 0)"; echo "blue" ;;
"-o link show type keynet")
	if [ "$ns" = red ]; then echo "7: kn-red: <POINTOPOINT,NOARP> mtu 1420"
	else echo "5: kn0: <POINTOPOINT,NOARP,UP> mtu 1420"; echo "6: kn1: <POINTOPOINT,NOARP> mtu 1420"; fi ;;
"-o link show")
	echo "1: lo: <LOOPBACK,UP> mtu 65536"; echo "2: eth0@if9: <BROADCAST> mtu 1500"
	echo "5: kn0: <POINTOPOINT,NOARP,UP> mtu 1420" ;;
esac
EOF
cat >"$tmp/bin/keynet" <<EOF
#!/bin/bash
# keynet -j peer show dev kn0
[ "\$*" = "-j peer show dev kn0" ] &&
	echo '[{"ifname":"kn0","public_key":"$K1"},{"ifname":"kn0","public_key":"$K2"}]'
exit 0
EOF
chmod +x "$tmp/bin/ip" "$tmp/bin/keynet"
touch "$tmp/files/node.key" "$tmp/files/tayga.conf" "$tmp/files/with space.conf"
PATH=$tmp/bin:$PATH
# shellcheck source=tool/completion/keynet
. "$top/tool/completion/keynet"
complete -p keynet >/dev/null || { echo "not ok: 'complete -F _keynet keynet' not registered"; exit 1; }

# comp "keynet word ... CUR" EXPECTED...: the completions of the last word.
comp() {
	local line=$1 want got
	shift
	read -ra COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_keynet
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
	checks=$((checks + 1))
	if [ "$got" != "$want" ]; then
		echo "not ok: '$line' completes to [$got], expected [$want]"
		fails=$((fails + 1))
	fi
}

comp "keynet " link peer route nat64 pool map conf import export monitor \
	genkey genpsk pubkey addr version help
comp "keynet p" peer pool pubkey
comp "keynet -" -j --json -p --pretty -s --statistics -n --netns -h --help -V --Version
comp "keynet -j -p li" link
comp "keynet -n " red blue
comp "keynet link " show set help
comp "keynet link set dev " kn0 kn1
comp "keynet -n red link show dev " kn-red
comp "keynet link set dev kn0 auto-address " on off
comp "keynet link set dev kn0 mesh " on off
comp "keynet link set dev kn0 me" mesh
comp "keynet link set dev kn0 beacon " off accept send
comp "keynet link set dev kn0 beacon-dev " none lo eth0 kn0
comp "keynet link set dev kn0 beacon-m" beacon-max-peers
comp "keynet link set dev kn0 beacon-s" beacon-stamp-window
comp "keynet link set dev kn0 private-key $tmp/files/no" "$tmp/files/node.key"
comp "keynet peer " add set del show help
comp "keynet peer add dev kn0 K e" endpoint
comp "keynet peer add dev kn0 K keepalive " off
comp "keynet peer add dev kn0 K t" transit
comp "keynet peer set dev kn0 K transit " on off
comp "keynet peer del dev kn0 " dev "$K1" "$K2"
comp "keynet peer show dev kn0 B" "$K2"
comp "keynet p s dev kn0 A" "$K1"
comp "keynet route add 10.0.0.0/8 dev kn0 peer " "$K1" "$K2"
comp "keynet route add 10.0.0.0/8 dev kn0 m" metric
comp "keynet route " add del show flush help
comp "keynet nat64 " set show off save restore help
comp "keynet nat64 set dev kn0 udp-zero-csum " compute drop forward
comp "keynet nat64 set dev kn0 pool-p" pool-per-64
comp "keynet nat64 set dev kn0 pool-per-64 " ""
comp "keynet nat64 set dev kn0 mss-clamp " on off
comp "keynet nat64 set dev kn0 cl" clat
comp "keynet nat64 set dev kn0 clat " on off
comp "keynet nat64 set dev kn0 prefix " ""
comp "keynet pool " add del show help
comp "keynet map " add del replace show help
comp "keynet map replace " dev
comp "keynet map replace dev kn0 $tmp/files/ta" "$tmp/files/tayga.conf"
comp "keynet conf " apply check dump help
comp "keynet conf apply $tmp/files/ta" "$tmp/files/tayga.conf"
comp "keynet conf apply $tmp/files/w" "$tmp/files/with space.conf"
comp "keynet conf apply $tmp/files/tayga.conf " dev quiet
comp "keynet conf dump " dev
comp "keynet import " cjdns tayga help
comp "keynet import tayga $tmp/files/t" "$tmp/files/tayga.conf"
comp "keynet import cjdns $tmp/files/node.key " dev
comp "keynet export wg dev kn0 " dev peer endpoint
comp "keynet export " wg help
comp "keynet export wg dev kn0 peer " "$K1" "$K2"
comp "keynet monitor " dev -j help
comp "keynet monitor dev " kn0 kn1
comp "keynet monitor dev kn0 " -j
comp "keynet monitor -j " dev
comp "keynet genkey " --cjdns help
comp "keynet addr " addressing subnet full help

# Without jq, a peer's key is not completed (and nothing breaks).
mkdir -p "$tmp/nojq"
for c in bash ip keynet awk sort tr sed cat mapfile; do
	p=$(command -v "$c" 2>/dev/null) && [ -x "$p" ] && ln -sf "$p" "$tmp/nojq/$c"
done
ln -sf "$tmp/bin/ip" "$tmp/nojq/ip"
ln -sf "$tmp/bin/keynet" "$tmp/nojq/keynet"
PATH=$tmp/nojq comp "keynet export wg dev kn0 peer " ""

echo "completion: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
