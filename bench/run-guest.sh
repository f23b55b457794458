#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# keynet benchmark, guest side (run by selftests/vm/guest-init when the VM
# is booted with `selftests/run --bench`).  Every case runs keynet and its
# peer implementation alternately in the same VM (A B A B ...), each in
# freshly built namespaces, and reports medians over the rounds.  The cases
# are bench/case-NAME.sh (what each measures is at its top; the framework
# is bench/common.sh); KN_BENCH_CASES="tunnel,nat64" runs a subset, in the
# order given, default all of them in the order below.
# Output: "# " lines (table included), then the JSON between the lines
# KN-BENCH-JSON-BEGIN and KN-BENCH-JSON-END (the host runner extracts it
# into bench/last.json).  KN_QUICK=1: one round of each case, 3 s
# measurements (a smoke run under 5 minutes; its ratios are one-shot).
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/nat64/lib.sh"
set -u

if [ "${KN_QUICK:-0}" = 1 ]; then
	ROUNDS=${KN_ROUNDS:-1} DUR=3 PINGS=10
else
	ROUNDS=${KN_ROUNDS:-5} DUR=8 PINGS=30
fi
MTU=1420
res=/tmp/kn-bench
rm -rf "$res"
mkdir -p "$res"
. "$KN_ROOT/bench/common.sh"
# The cases in their default order (which is also the report's order),
# then any other bench/case-*.sh.
all_cases="tunnel peers nat64 pipeline control"
for kn_c in $all_cases; do
	[ -f "$KN_ROOT/bench/case-$kn_c.sh" ] && . "$KN_ROOT/bench/case-$kn_c.sh"
done
for kn_f in "$KN_ROOT"/bench/case-*.sh; do
	kn_c=${kn_f##*/case-}; kn_c=${kn_c%.sh}
	case " $all_cases " in *" $kn_c "*) ;; *) . "$kn_f"; all_cases="$all_cases $kn_c" ;; esac
done

start=$(date +%s)
info "bench: $ROUNDS rounds, ${DUR}s per measurement, $(nproc) cpus, $(uname -r)"
info "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
# (kn_ names: the cases' own loops must not clobber ours.)
kn_have=""
for kn_c in $all_cases; do
	declare -F "run_$kn_c" >/dev/null && kn_have="$kn_have $kn_c"
done
kn_parts=${KN_BENCH_CASES:-$kn_have}
for kn_c in ${kn_parts//,/ }; do
	if declare -F "run_$kn_c" >/dev/null; then
		kn_t0=$SECONDS
		"run_$kn_c"
		info "case $kn_c: $((SECONDS - kn_t0))s"
	else
		note "unknown case $kn_c"
	fi
done
info "bench: measured in $(( $(date +%s) - start ))s"
report
