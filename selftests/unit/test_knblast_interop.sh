#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftests/tools/knblast (the decrypt benchmark's generator, built from
# kmod/noise.c) against selftests/tools/wgresp.py, a responder written
# from the whitepaper on the Python primitives of noise_prims.py (no code
# shared with noise.c), over UDP on 127.0.0.1: the handshake, the
# keepalive and 3,000 data messages of each size must all be accepted,
# in order, and knblast's measurement window (-c, reading the responder's
# count; -N, the namespace to send from: this one, when root) must
# count some of them.  Run by selftests/unit/run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'kill $rpid 2>/dev/null; rm -rf "$tmp"' EXIT
rpid=""
fails=0

cc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$top/kmod" -I"$top/include" -o "$tmp/knblast" \
	"$top/selftests/tools/knblast.c" "$top/kmod/noise.c" "$top/kmod/cookie.c" \
	"$top/selftests/unit/crypto_user.c" -lcrypto -lsodium -lpthread || exit 1
# The initiator's key pair (libsodium clamps as knblast does).
PYTHONPATH=$top/selftests/tools python3 - "$tmp" <<'PY' || exit 1
import base64, os, sys
from noise_prims import pub
d = sys.argv[1]
k = os.urandom(32)
open(os.path.join(d, "init.key"), "w").write(base64.b64encode(k).decode() + "\n")
open(os.path.join(d, "init.pub"), "w").write(base64.b64encode(pub(k)).decode() + "\n")
PY
ns=()
[ "$(id -u)" = 0 ] && ns=(-N "/proc/$$/ns/net")

for size in 64 1392; do
	port=$((40000 + RANDOM % 20000))
	rm -f "$tmp/ready"
	printf '0\n' >"$tmp/count"
	PYTHONPATH=$top/selftests/tools python3 "$top/selftests/tools/wgresp.py" \
		"$port" "$tmp" 3000 "$tmp/count" >"$tmp/resp.json" &
	rpid=$!
	for _ in $(seq 100); do [ -e "$tmp/ready" ] && break; sleep 0.1; done
	# 3,000 messages over 1.5 s: a pace the Python responder keeps up with.
	out=$("$tmp/knblast" "${ns[@]}" -c "$tmp/count" -w 0.3 -n 3000 -t 1.5 -s "$size" \
		"$tmp/init.key" "$(cat "$tmp/resp.pub")" 127.0.0.1 "$port" | tail -n 1)
	wait "$rpid"
	rpid=""
	resp=$(cat "$tmp/resp.json")
	echo "size $size: knblast $out"
	echo "size $size: wgresp $resp"
	if ! echo "$resp" | jq -e '.handshakes == 1 and .keepalive and .data == 3000 and
		.last_counter == 3000 and .bad == null' >/dev/null; then
		echo "FAIL size $size: the responder did not accept everything"; fails=$((fails + 1))
	fi
	if ! echo "$out" | jq -e '.sent == 3000 and .errors == 0 and .counted > 0 and
		.counted <= 3000 and .window_s > 0.5' >/dev/null; then
		echo "FAIL size $size: knblast's result or window"; fails=$((fails + 1))
	fi
done
[ "$fails" = 0 ]
