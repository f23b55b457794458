# SPDX-License-Identifier: GPL-2.0
# Helpers for keynet's VM selftests (sourced by guest-init and each test).
# A test is a bash script in selftests/tests/ that exits 0 (pass),
# 4 (skip, after printing "SKIP: reason") or anything else (fail).  A line
# "# timeout: N" sets its timeout in seconds (default 120).

export PATH="$KN_ROOT/tool:$PATH"
KN_KO=${KN_KO:-$KN_ROOT/keynet.ko}

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 4; }
info() { echo "# $*"; }

# check_eq GOT WANT WHAT
check_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

# check_match TEXT REGEX WHAT
check_match() {
	echo "$1" | grep -qE -- "$2" || fail "$3: '$1' does not match /$2/"
}

# Run a command that must fail, with its exit status and message checked:
# expect_fail STATUS REGEX CMD...
expect_fail() {
	local want=$1 re=$2 out rc
	shift 2
	out=$("$@" 2>&1) && fail "'$*' succeeded, expected exit $want"
	rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, want $want (output: $out)"
	echo "$out" | grep -qE -- "$re" || fail "'$*' said '$out', want /$re/"
}

# Load keynet.ko with its dependencies (insmod does not resolve them).
kn_load() {
	local dep
	[ -d /sys/module/keynet ] && return 0
	for dep in $(modinfo -F depends "$KN_KO" | tr ',' ' '); do
		modprobe "$dep" || fail "cannot load dependency $dep"
	done
	insmod "$KN_KO" || fail "insmod $KN_KO failed"
}

kn_unload() {
	[ -d /sys/module/keynet ] || return 0
	rmmod keynet || fail "rmmod keynet failed (refcount $(cat /sys/module/keynet/refcnt))"
}

# Network namespaces: netns_add NAME...; run in one with: in NAME CMD...
netns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || fail "cannot create netns $ns"
		ip -n "$ns" link set lo up
	done
}

ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# wait_for TIMEOUT_SECONDS CMD...: poll until CMD succeeds.
wait_for() {
	local deadline=$(( $(date +%s) + $1 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.2
	done
}
