# SPDX-License-Identifier: GPL-2.0
# keynet benchmark: what every case shares (sourced by bench/run-guest.sh).
# A case lives in bench/case-NAME.sh: it defines run_NAME (its rounds,
# recording each measurement with rec CASE IMPL VALUE) and registers the
# rows of the report with report_row "CASE PEER UNIT what_with_underscores
# [SELF]": SELF's values of CASE against PEER's (ratio SELF / PEER); SELF
# is keynet unless given (e.g. a keynet variant, or a mixed pair, against
# WireGuard).  PEER "-" is a row without a peer (an absolute figure, no
# ratio).

notes=()
note() { notes+=("$*"); info "note: $*"; }

# rec CASE IMPL VALUE: one measurement (empty or failed ones are noted).
# (res, the results' directory, and ROUNDS/DUR are run-guest.sh's.)
# shellcheck disable=SC2154
rec() {
	if [ -z "$3" ] || [ "$3" = null ]; then
		note "$1 $2: no result in one round"
		return 0
	fi
	echo "$3" >>"$res/$1.$2"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

reset_net() {
	ip -all netns delete 2>/dev/null
	sleep 0.3
}


REPORT_ROWS=()
report_row() { REPORT_ROWS+=("$1"); }

# --- iperf3 helpers (the WireGuard pair is wg_pair of selftests/lib.sh) ---
# iperf3's JSON on stdin -> received Mbit/s, one decimal.
iperf_mbps() { jq '.end.sum_received.bits_per_second / 1e6 | . * 10 | floor / 10'; }

# iperf3 from a to b, JSON out; extra iperf3 arguments after the duration.
iperf_ab() {
	local dur=$1 out
	shift
	ns b iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
	wait_for 5 tcp_listening b 5201 || return 1
	out=$(ns a timeout $((dur + 20)) iperf3 -c 192.168.241.2 -p 5201 -t "$dur" -J "$@" \
		2>/dev/null) || { pkill_ns b; return 1; }
	echo "$out"
}

# Stop a leftover iperf3 server of a namespace (by pid, from ss).
pkill_ns() {
	local p
	for p in $(ns "$1" ss -Hltnp 'sport = :5201' | grep -o 'pid=[0-9]*' | cut -d= -f2); do
		kill "$p" 2>/dev/null
	done
	sleep 0.2
}

# --- report -----------------------------------------------------------------
vals() { [ -f "$res/$1.$2" ] && tr '\n' ' ' <"$res/$1.$2"; }
med() { [ -f "$res/$1.$2" ] && median <"$res/$1.$2"; }

report() {
	local c peer unit what self km pm ratio rows=() row
	local -a cases=("${REPORT_ROWS[@]}")
	info ""
	info "$(printf '%-44s %-9s %-9s %12s %12s %10s %7s' case self peer self peer unit ratio)"
	for row in "${cases[@]}"; do
		self=""
		read -r c peer unit what self <<<"$row"
		self=${self:-keynet}
		km=$(med "$c" "$self")
		pm=$(med "$c" "$peer")
		[ -n "$km$pm" ] || continue
		[ -n "$pm" ] || [ "$peer" = - ] || continue
		ratio=null
		if [ -n "$km" ] && [ -n "$pm" ] && [ "$(echo "$pm > 0" | bc)" = 1 ]; then
			ratio=$(echo "scale=3; $km / $pm" | bc | sed 's/^\./0./')
		fi
		info "$(printf '%-44s %-9s %-9s %12s %12s %10s %7s' "${what//_/ }" "$self" "$peer" \
			"${km:--}" "${pm:--}" "$unit" "$ratio")"
		# "keynet"/"keynet_median": the values of SELF (named so for
		# bench/chart.py and older readers of the JSON); "self" says whose.
		rows+=("$(jq -cn --arg case "$c" --arg what "${what//_/ }" --arg peer "$peer" \
			--arg self "$self" \
			--arg unit "$unit" --arg kv "$(vals "$c" "$self")" \
			--arg pv "$(vals "$c" "$peer")" --arg km "${km:-}" --arg pm "${pm:-}" \
			--arg ratio "$ratio" '
			def nums: [splits(" +") | select(length > 0) | tonumber];
			{case: $case, what: $what, self: $self, peer: $peer, unit: $unit,
			 keynet_median: ($km | if . == "" then null else tonumber end),
			 peer_median: ($pm | if . == "" then null else tonumber end),
			 ratio: ($ratio | if . == "null" then null else tonumber end),
			 keynet: ($kv | nums), peer_values: ($pv | nums)}')")
	done
	info ""
	echo "KN-BENCH-JSON-BEGIN"
	printf '%s\n' "${rows[@]}" | jq -M -c -s \
		--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg kernel "$(uname -r)" \
		--arg cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)" \
		--argjson ncpu "$(nproc)" --argjson rounds "$ROUNDS" \
		--argjson dur "$DUR" --argjson quick "${KN_QUICK:-0}" \
		--arg notes "$(printf '%s\n' "${notes[@]:-}")" '
		{date: $date, kernel: $kernel, cpu: $cpu, ncpu: $ncpu,
		 quick: ($quick == 1), rounds: $rounds, duration_s: $dur,
		 notes: [$notes | splits("\n") | select(length > 0)],
		 cases: .}'
	echo "KN-BENCH-JSON-END"
}
