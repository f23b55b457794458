#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of 'keynet import tayga' (tool/import_tayga.c), which reads a
# tayga.conf and prints a keynet.conf without touching the kernel: every
# TAYGA 0.9.6 directive's outcome (imported into which keynet.conf line,
# ignored with which note, refused with which message, line number and
# exit status), the whole-file rules (no prefix, overlapping maps, the
# map-file), and that a refused import prints nothing on stdout.  The
# fixture selftests/fixtures/tayga-0.9.6.conf uses every directive; its
# import must be selftests/fixtures/tayga-0.9.6.keynet.conf and pass
# 'keynet conf check'.  Run by selftests/unit/run (builds tool/keynet
# first when needed); KN_TOOL=PATH tests another build instead, such as
# one with AddressSanitizer.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fx=$top/selftests/fixtures
K=${KN_TOOL:-$top/tool/keynet}
if [ -z "${KN_TOOL:-}" ]; then
	make -s -C "$top" tool >/dev/null || { echo "not ok: make tool failed"; exit 1; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0
F=$tmp/tg.conf

bad() { echo "not ok: $*"; fails=$((fails + 1)); }

# imp BODY [ARG...]: F holds BODY; the import's stdout in $out, stderr in
# $err, exit status in $rc.
imp() {
	printf '%s\n' "$1" >"$F"
	shift
	"$K" import tayga "$F" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# ok BODY WANT-LINE...: imported (exit 0, nothing on stderr), each
# WANT-LINE a line of the output, which 'keynet conf check' accepts.
ok() {
	local body=$1 l
	shift
	imp "$body"
	checks=$((checks + 1))
	if [ "$rc" != 0 ] || [ -n "$err" ]; then
		bad "'$body': exit $rc, stderr: $err"
		return
	fi
	for l in "$@"; do
		grep -qxF -- "$l" "$tmp/out" || bad "'$body': no line '$l' in: $out"
	done
	"$K" conf check "$tmp/out" >/dev/null 2>&1 || bad "'$body': the output does not check"
}

# note BODY LINE OPTION WHY: imported with OPTION (on LINE) left out:
# exit 0, that one note on stderr, the option as a comment in the output.
note() {
	local body=$1 line=$2 opt=$3 why=$4
	imp "$body"
	checks=$((checks + 1))
	if [ "$rc" != 0 ]; then
		bad "'$body': exit $rc, stderr: $err"
		return
	fi
	[ "$err" = "keynet: $F line $line: note: option '$opt' ignored: $why" ] ||
		bad "'$body': stderr is [$err]"
	grep -q "^# $opt.* (line $line): $why\$" "$tmp/out" || bad "'$body': no comment for $opt in: $out"
	"$K" conf check "$tmp/out" >/dev/null 2>&1 || bad "'$body': the output does not check"
}

# no BODY RC MESSAGE: refused with exit RC, MESSAGE (after "keynet: ",
# with FILE for the file's name) a line of stderr, nothing on stdout.
no() {
	local body=$1 want=$2 msg=${3//FILE/$F}
	imp "$body"
	checks=$((checks + 1))
	[ "$rc" = "$want" ] || bad "'$body': exit $rc, not $want (stderr: $err)"
	[ -z "$out" ] || bad "'$body': a refused import printed: $out"
	grep -qxF -- "keynet: $msg" "$tmp/err" || bad "'$body': no line [keynet: $msg] in stderr: $err"
}

P="prefix 2001:db8:64::/96"	# line 1 of most cases: the line tested is line 2

# ---- the fixture with every directive ----------------------------------------
mkdir -p "$tmp/data"
sed "s|^data-dir /var/lib/tayga\$|data-dir $tmp/data|" "$fx/tayga-0.9.6.conf" >"$tmp/data/tayga.conf"
cp "$fx/tayga-static.map" "$tmp/data/static.map"
"$K" import tayga "$tmp/data/tayga.conf" >"$tmp/full.conf" 2>"$tmp/full.err"
rc=$?
checks=$((checks + 1))
[ "$rc" = 0 ] || bad "import of tayga-0.9.6.conf: exit $rc: $(cat "$tmp/full.err")"
sed "s|@DIR@|$tmp/data|g; s|@VERSION@|$(cat "$top/VERSION")|" "$fx/tayga-0.9.6.keynet.conf" >"$tmp/want.conf"
diff -u "$tmp/want.conf" "$tmp/full.conf" >"$tmp/diff" || bad "the import of tayga-0.9.6.conf differs: $(cat "$tmp/diff")"
"$K" conf check "$tmp/full.conf" >/dev/null 2>&1 || bad "the import of tayga-0.9.6.conf does not check"
W="keynet: $tmp/data/tayga.conf line"
cat >"$tmp/want.err" <<EOF
$W 11: note: option 'data-dir' ignored: keynet keeps the dynamic pool's mappings in the kernel; keep them across a reboot with 'keynet nat64 save FILE' and 'keynet nat64 restore FILE'
$W 15: note: option 'strict-frag-hdr' ignored: TAYGA 0.9.6 ignores it too; keynet adds an IPv6 fragment header only when it fragments (RFC 7915)
$W 17: note: option 'log' ignored: keynet logs no packets: it counts them by drop reason ('keynet -s nat64 show') and reports pool mappings as events ('keynet monitor')
$W 19: note: option 'workers' ignored: keynet translates in the kernel, on the CPU that handles the packet: there are no worker threads
$W 20: note: option 'tun-up' ignored: 'keynet conf apply' brings the device up itself
$W 14: note: option 'map-file': its 2 maps are imported as [Map]s; TAYGA re-read the file on SIGHUP, keynet does not: after a change, import again and 'keynet conf apply' (one atomic swap of the maps)
EOF
diff -u "$tmp/want.err" "$tmp/full.err" >"$tmp/diff" || bad "the notes of tayga-0.9.6.conf differ: $(cat "$tmp/diff")"
# Every directive of the fixture is one the importer knows.
for d in tun-device ipv4-addr ipv6-addr prefix wkpf-strict map dynamic-pool data-dir map-file \
	strict-frag-hdr udp-cksum-mode log offlink-mtu tun-up tun-ip tun-route workers; do
	grep -q "^$d " "$fx/tayga-0.9.6.conf" || bad "tayga-0.9.6.conf does not use $d"
done
# From standard input, and with dev NAME, the same maps and settings.
(cd "$tmp/data" && "$K" import tayga - dev kn9 <tayga.conf >"$tmp/stdin.conf" 2>/dev/null) ||
	bad "import from stdin failed"
grep -qx "Name = kn9" "$tmp/stdin.conf" || bad "dev kn9 is not the Name"
grep -qx "# TAYGA's TUN device was 'nat64'; the device is named by 'dev kn9'" "$tmp/stdin.conf" ||
	bad "no comment on the TUN device's name with dev"
[ "$(grep -v '^#\|^Name' "$tmp/stdin.conf")" = "$(grep -v '^#\|^Name' "$tmp/full.conf")" ] ||
	bad "the import from stdin with dev differs beyond the name"

# The seed's tayga.conf (the VM test 25 applies its import).
"$K" import tayga "$fx/tayga.conf" >"$tmp/seed.conf" 2>/dev/null || bad "import of tayga.conf"
for l in "Name = nat64-ygg" "Table = main" "Prefix = 2a04:5b80:300:4::/96" "IPv4Address = 100.100.0.1" \
	"UDPZeroChecksum = drop" "Range = 100.100.0.0/16"; do
	grep -qxF "$l" "$tmp/seed.conf" || bad "seed import: no line '$l'"
done

# ---- imported ------------------------------------------------------------------
ok "tun-device nat64
$P" "Name = nat64"
ok "$P
ipv4-addr 192.168.255.1" "IPv4Address = 192.168.255.1"
ok "$P
ipv6-addr 2001:DB8:1::0002" "IPv6Address = 2001:db8:1::2"
ok "prefix 64:ff9b::/96" "Prefix = 64:ff9b::/96"
ok "prefix 64:ff9b:1::/48" "Prefix = 64:ff9b:1::/48"
ok "prefix 2001:db8:100::/40" "Prefix = 2001:db8:100::/40"
ok "$P
wkpf-strict no" "StrictWKP = no"
ok "$P
wkpf-strict yes" "StrictWKP = yes"
ok "$P
WKPF-Strict OFF" "StrictWKP = no"
ok "$P
wkpf-strict 1" "StrictWKP = yes"
# TAYGA's default for a zero UDP checksum is drop; keynet's is compute.
ok "$P" "UDPZeroChecksum = drop"
ok "$P
udp-cksum-mode drop" "UDPZeroChecksum = drop"
ok "$P
udp-cksum-mode calc" "UDPZeroChecksum = compute"
ok "$P
udp-cksum-mode fwd" "UDPZeroChecksum = forward"
ok "$P
offlink-mtu 1280" "OfflinkMTU = 1280"
ok "$P
offlink-mtu 65535" "OfflinkMTU = 65535"
ok "$P
dynamic-pool 10.64.0.0/16" "[Pool]" "Range = 10.64.0.0/16"
ok "$P
dynamic-pool 10.64.0.0/31" "Range = 10.64.0.0/31"
ok "$P
map 192.168.5.42 2001:db8:1:4444::1" "[Map]" "IPv4 = 192.168.5.42" "IPv6 = 2001:db8:1:4444::1"
ok "$P
map 192.168.6.0/24 2001:db8:1:5555::/120" "IPv4 = 192.168.6.0/24" "IPv6 = 2001:db8:1:5555::/120"
ok "$P
map 10.0.0.0/8 2001:db8:a::/104
map 172.16.0.0/12 2001:db8:b::/108" "IPv4 = 10.0.0.0/8" "IPv6 = 2001:db8:b::/108"
ok "$P
tun-ip 192.0.0.1/29
tun-ip 2001:db8:1::1" "Address = 192.0.0.1/29" "Address = 2001:db8:1::1/128"
ok "$P
tun-route 192.168.255.0/24
tun-route 2001:db8:64::/96" "HostRoute = 192.168.255.0/24" "HostRoute = 2001:db8:64::/96"
# TAYGA's comments: a word that starts with '#' ends the line.
ok "# a comment
   $P   # the prefix

ipv4-addr	192.168.255.1 #" "Prefix = 2001:db8:64::/96" "IPv4Address = 192.168.255.1"

# ---- ignored, with a note --------------------------------------------------------
mkdir -p "$tmp/d"
note "$P
data-dir $tmp/d" 2 data-dir \
	"keynet keeps the dynamic pool's mappings in the kernel; keep them across a reboot with 'keynet nat64 save FILE' and 'keynet nat64 restore FILE'"
note "$P
strict-frag-hdr off" 2 strict-frag-hdr \
	"TAYGA 0.9.6 ignores it too; keynet adds an IPv6 fragment header only when it fragments (RFC 7915)"
note "$P
strict-frag-hdr on" 2 strict-frag-hdr \
	"TAYGA 0.9.6 ignores it too (0.9.2 gave every packet without DF a fragment header); keynet adds one only when it fragments (RFC 7915)"
note "$P
log drop reject icmp self dyn" 2 log \
	"keynet logs no packets: it counts them by drop reason ('keynet -s nat64 show') and reports pool mappings as events ('keynet monitor')"
note "$P
log" 2 log \
	"keynet logs no packets: it counts them by drop reason ('keynet -s nat64 show') and reports pool mappings as events ('keynet monitor')"
note "$P
workers 0" 2 workers "keynet translates in the kernel, on the CPU that handles the packet: there are no worker threads"
note "$P
tun-up yes" 2 tun-up "'keynet conf apply' brings the device up itself"
note "$P
tun-up no" 2 tun-up "'keynet conf apply' brings the device up itself (TAYGA left that to the administrator)"

# ---- the map-file ----------------------------------------------------------------
printf 'map 192.168.7.9 2001:db8:1:6666::9\n# c\n\nMAP 10.20.0.0/16 2001:db8:2::/112\n' >"$tmp/d/m.map"
imp "$P
map-file $tmp/d/m.map"
checks=$((checks + 1))
[ "$rc" = 0 ] && [ "$err" = "keynet: $F line 2: note: option 'map-file': its 2 maps are imported as [Map]s; TAYGA re-read the file on SIGHUP, keynet does not: after a change, import again and 'keynet conf apply' (one atomic swap of the maps)" ] ||
	bad "map-file: exit $rc, stderr: $err"
[ "$(grep -A2 '^\[Map\]' "$tmp/out" | grep -v '^\[Map\]\|^--')" = "IPv4 = 192.168.7.9
IPv6 = 2001:db8:1:6666::9
IPv4 = 10.20.0.0/16
IPv6 = 2001:db8:2::/112" ] || bad "map-file: not its two maps: $out"
grep -qxF "# The maps of TAYGA's map-file $tmp/d/m.map:" "$tmp/out" || bad "map-file: no comment naming it"
no "$P
map-file m.map" 2 "FILE line 2: invalid map-file 'm.map': a relative path needs data-dir (TAYGA's \$STATE_DIRECTORY is not read here): give the absolute path"
no "$P
map-file nothing.map
data-dir $tmp/d" 1 "FILE line 2: cannot open map-file '$tmp/d/nothing.map': No such file or directory"
no "$P
map-file /dev/null" 2 "FILE line 2: invalid map-file '/dev/null': expected a regular file of at most 16 MiB"
printf 'map 192.168.7.9 2001:db8:1:6666::9\nprefix 64:ff9b::/96\n' >"$tmp/d/bad.map"
no "$P
map-file $tmp/d/bad.map" 2 "$tmp/d/bad.map line 2: a map-file holds 'map' lines only"
printf 'map 192.168.7.9 2001:db8:1:6666::9\n' >"$tmp/d/dup.map"
no "$P
map 192.168.7.0/24 2001:db8:7::/120
map-file $tmp/d/dup.map" 2 \
	"$tmp/d/dup.map line 1: map '192.168.7.9 2001:db8:1:6666::9' overlaps the map on line 2 (192.168.7.0/24 2001:db8:7::/120): their IPv4 prefixes overlap (one address would have two translations)"

# ---- refused: keynet cannot do it ------------------------------------------------
no "$P
dynamic-pool 10.0.0.0/12" 2 \
	"FILE line 2: option 'dynamic-pool' is not supported by keynet: 10.0.0.0/12 holds 1048576 addresses; keynet's pool holds at most 65536 (a /16)"
no "prefix 2001:db8:0:0:ff00::/96" 2 \
	"FILE line 1: option 'prefix' is not supported by keynet: 2001:db8:0:0:ff00::/96 has bits 64-71 set; keynet keeps them zero (RFC 6052 section 2.2's u octet)"
no "tun-device nat64
ipv4-addr 192.168.255.1
map 192.168.5.42 2001:db8:1:4444::1" 2 \
	"FILE: no 'prefix': keynet's translator needs an RFC 6052 prefix; a TAYGA configuration of 'map' lines alone has no keynet equivalent"
# More static maps than a keynet device holds: refused at the first one over.
{
	echo "$P"
	for ((i = 0; i <= 4096; i++)); do
		printf 'map 10.%d.%d.1 2001:db8:5::%x\n' $((i / 256)) $((i % 256)) "$i"
	done
} >"$tmp/many.conf"
imp "$(cat "$tmp/many.conf")"
checks=$((checks + 1))
[ "$rc" = 2 ] && [ -z "$out" ] && [ "$err" = "keynet: $F line 4098: option 'map' is not supported by keynet beyond 4096 maps: a keynet device holds at most 4096 static maps" ] ||
	bad "4097 maps: exit $rc, stderr: $err"
imp "$(head -n 4097 "$tmp/many.conf")"
checks=$((checks + 1))
[ "$rc" = 0 ] && [ "$(grep -c '^\[Map\]' "$tmp/out")" = 4096 ] || bad "4096 maps: exit $rc, stderr: $err"

# ---- refused: invalid values, as TAYGA refuses them -------------------------------
no "prefx 64:ff9b::/96" 2 "FILE line 1: unknown option 'prefx': not a TAYGA 0.9.6 directive"
no "$P
strict-frag-header on" 2 "FILE line 2: unknown option 'strict-frag-header': not a TAYGA 0.9.6 directive"
no "$P
map 192.168.5.42" 2 "FILE line 2: option 'map' takes 2 values, not 1"
no "prefix" 2 "FILE line 1: option 'prefix' takes 1 value, not 0"
no "$P
tun-device a b" 2 "FILE line 2: option 'tun-device' takes 1 value, not 2"
no "$P
log drop drop drop drop drop drop drop drop drop drop" 2 "FILE line 2: too many words: TAYGA takes at most 10 on a line"
no "$P
ipv4-addr 192.168.255.1
ipv4-addr 192.168.255.2" 2 "FILE line 3: option 'ipv4-addr' given again (first on line 2): TAYGA takes it once"
no "$P
$P" 2 "FILE line 2: option 'prefix' given again (first on line 1): TAYGA takes it once"
no "$P
tun-device abcdefghijklmnop" 2 "FILE line 2: invalid tun-device 'abcdefghijklmnop': expected a device name of 1-15 characters"
no "$P
tun-device a/b" 2 "FILE line 2: invalid tun-device 'a/b': expected printable characters, no '/', ':' or '#'"
no "$P
ipv4-addr 1.2.3" 2 "FILE line 2: invalid ipv4-addr '1.2.3': expected an IPv4 address (a dotted quad)"
no "$P
ipv4-addr 127.0.0.1" 2 "FILE line 2: invalid ipv4-addr '127.0.0.1': an address keynet never translates (0/8, 127/8, 224/4, 240/4)"
no "$P
ipv6-addr 2001:db8::g" 2 "FILE line 2: invalid ipv6-addr '2001:db8::g': expected an IPv6 address"
no "prefix 2001:db8::/80" 2 "FILE line 1: invalid prefix '2001:db8::/80': RFC 6052 allows the lengths 32, 40, 48, 56, 64 and 96"
no "prefix 2001:db8::" 2 "FILE line 1: invalid prefix '2001:db8::': expected IPV6/LEN"
no "prefix 2001:db8::1/96" 2 "FILE line 1: invalid prefix '2001:db8::1/96': host bits set beyond the prefix length"
no "prefix 10.0.0.0/8" 2 "FILE line 1: invalid prefix '10.0.0.0/8': expected an IPv6 prefix"
no "prefix ff0e::/96" 2 "FILE line 1: invalid prefix 'ff0e::/96': a reserved, link-local or multicast prefix"
no "$P
wkpf-strict maybe" 2 "FILE line 2: invalid wkpf-strict 'maybe': expected yes or no (on, off, true, false, 1, 0)"
no "$P
udp-cksum-mode zero" 2 "FILE line 2: invalid udp-cksum-mode 'zero': expected drop, calc or fwd"
no "$P
offlink-mtu 1279" 2 "FILE line 2: invalid offlink-mtu '1279': expected an MTU of 1280-65535"
no "$P
offlink-mtu 65536" 2 "FILE line 2: invalid offlink-mtu '65536': expected an MTU of 1280-65535"
no "$P
offlink-mtu 0x600" 2 "FILE line 2: invalid offlink-mtu '0x600': expected an MTU of 1280-65535"
no "$P
dynamic-pool 10.0.0.0/32" 2 "FILE line 2: invalid dynamic-pool '10.0.0.0/32': TAYGA takes /31 or shorter"
no "$P
dynamic-pool 10.0.0.1/24" 2 "FILE line 2: invalid dynamic-pool '10.0.0.1/24': host bits set beyond the prefix length"
no "$P
dynamic-pool 127.0.0.0/24" 2 "FILE line 2: invalid dynamic-pool '127.0.0.0/24': holds addresses keynet never translates (0/8, 127/8, 224/4, 240/4)"
no "$P
map 192.168.5.0/24 2001:db8:1::/112" 2 "FILE line 2: invalid map '192.168.5.0/24 2001:db8:1::/112': the IPv6 prefix must be 96 bits longer than the IPv4 one (equal suffixes, RFC 7757)"
no "$P
map 192.168.5.1 192.168.5.2" 2 "FILE line 2: invalid map '192.168.5.1 192.168.5.2': the second address must be IPv6"
no "$P
map 224.0.0.1 2001:db8::1" 2 "FILE line 2: invalid map '224.0.0.1 2001:db8::1': holds IPv4 addresses that are never translated (0/8, 127/8, 224/4, 240/4)"
no "$P
map 192.168.5.0/24 2001:db8:1::/120
map 192.168.5.7 2001:db8:9::7" 2 \
	"FILE line 3: map '192.168.5.7 2001:db8:9::7' overlaps the map on line 2 (192.168.5.0/24 2001:db8:1::/120): their IPv4 prefixes overlap (one address would have two translations)"
no "$P
ipv4-addr 192.168.255.1
map 192.168.255.0/24 2001:db8:1::/120" 2 \
	"FILE line 3: invalid map '192.168.255.0/24 2001:db8:1::/120': holds ipv4-addr (line 2), the translator's own address"
no "$P
map 192.168.5.1 2001:db8:64::1" 2 \
	"FILE line 2: invalid map '192.168.5.1 2001:db8:64::1': inside the NAT64 prefix (line 1), where it would loop"
no "$P
data-dir var/lib/tayga" 2 "FILE line 2: invalid data-dir 'var/lib/tayga': expected an absolute path"
no "$P
log everything" 2 "FILE line 2: invalid log 'everything': expected drop, reject, icmp, self or dyn"
no "$P
workers many" 2 "FILE line 2: invalid workers 'many': expected a number of threads"
no "$P
tun-up maybe" 2 "FILE line 2: invalid tun-up 'maybe': expected yes or no"
no "$P
tun-ip 300.1.1.1/24" 2 "FILE line 2: invalid tun-ip '300.1.1.1/24': expected an IPv4 or IPv6 address with an optional /LEN"
no "$P
tun-route 10.0.0.1/8" 2 "FILE line 2: invalid tun-route '10.0.0.1/8': host bits set beyond the prefix length"
no "$P
tun-route 10.0.0.0/8
tun-route 10.0.0.0/8" 2 "FILE line 3: invalid tun-route '10.0.0.0/8': already given on line 2"
# Every bad line is named, as TAYGA names them, and still nothing printed.
no "$P
ipv4-addr 1.2.3
offlink-mtu 9" 2 "FILE line 3: invalid offlink-mtu '9': expected an MTU of 1280-65535"
grep -qxF "keynet: $F line 2: invalid ipv4-addr '1.2.3': expected an IPv4 address (a dotted quad)" "$tmp/err" ||
	bad "two bad lines: the first is not named: $err"
no "" 2 "FILE: no 'prefix': keynet's translator needs an RFC 6052 prefix; a TAYGA configuration of 'map' lines alone has no keynet equivalent"
checks=$((checks + 1))
"$K" import tayga "$tmp/none.conf" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && [ ! -s "$tmp/out" ] &&
	[ "$(cat "$tmp/err")" = "keynet: cannot open '$tmp/none.conf': No such file or directory" ] ||
	bad "a missing file: exit $rc, stderr: $(cat "$tmp/err")"

echo "import tayga: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
