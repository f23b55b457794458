#!/bin/bash
# timeout: 600
# scope: once (the tool's dump retry)
# Interrupted dumps: a device with 2,000 peers while another process
# adds and removes peers in bursts.  "conf dump" and "peer show" read
# the peers in many dump parts; a change between two parts makes the
# kernel flag the later ones NLM_F_DUMP_INTR, and the tool must then
# start the read over (KEYNET_DEBUG=1 says so on stderr) instead of
# printing a mix of two states or failing with a libnl error.  Every run
# either prints a consistent set (all 2,000 configured peers, at most
# the burst's extra ones, no key twice) or, when the set kept changing
# through every retry, fails with the one "try again" line.  The retry
# must have run at least once for each command, and each must have
# succeeded at least once under churn.
. "$KN_ROOT/selftests/lib.sh"

peers=2000
burst=25
t=$(mktemp -d)
cd "$t" || fail "cd $t"

cc -O2 -I "$KN_ROOT/include" -o nlfuzz "$KN_ROOT/selftests/fuzz/nlfuzz.c" || fail "build nlfuzz"
kn_load
netns_add d
python3 - "$peers" >big.conf <<'EOF'
import base64, os, sys
print("[Link]\nName = kn0\nListenPort = 20000\n")
for i in range(int(sys.argv[1])):
    print("[Peer]\nPublicKey = %s\nEndpoint = 10.%d.%d.1:27177\n" %
          (base64.b64encode(os.urandom(32)).decode(), 100 + i // 250, i % 250))
EOF
sed -n 's/^PublicKey = //p' big.conf | sort >want.keys
out=$(keynet -n d conf apply big.conf) || fail "apply of $peers peers: $out"
ifindex=$(ns d cat /sys/class/net/kn0/ifindex)

# Bursts of $burst peers added and removed, with a pause of three read
# times after each (a conf dump's, at least 0.3 s): many reads are
# interrupted, few are through all their retries.
t0=$(date +%s%N)
keynet -n d conf dump dev kn0 >/dev/null || fail "conf dump before the churn"
pause=$(printf '%.2f' "$(echo "d = 3 * ($(date +%s%N) - $t0) / 10^9; if (d < 0.3) d = 0.3; d" |
	bc -l)")
info "a conf dump of $peers peers: pause ${pause}s between bursts"
# A TERM waits for the burst under way, which removes what it added.
(
	trap 'exit 0' TERM
	while :; do
		ns d "$t/nlfuzz" -c "$burst" -r 1 "$ifindex" >/dev/null || exit 1
		sleep "$pause"
	done
) &
churn=$!
trap 'kill $churn 2>/dev/null' EXIT

# check_keys FILE WHAT: the keys of one read are consistent.
check_keys() {
	local n u
	n=$(wc -l <"$1")
	u=$(sort -u "$1" | wc -l)
	[ "$n" = "$u" ] || fail "$2: $((n - u)) keys twice among $n"
	[ "$n" -ge "$peers" ] && [ "$n" -le $((peers + burst)) ] ||
		fail "$2: $n peers, want $peers to $((peers + burst))"
	[ -z "$(sort "$1" | comm -23 want.keys -)" ] ||
		fail "$2: configured peers missing from the output"
}

# run WHAT CMD...: one read under churn; sets ok/intr for the caller.
run() {
	local what=$1 rc rest
	shift
	KEYNET_DEBUG=1 "$@" >out 2>err
	rc=$?
	intr=0
	ok=0
	grep -q "dump interrupted by a concurrent change, restarting" err && intr=1
	if [ "$rc" != 0 ]; then
		rest=$(grep -v "dump interrupted" err)
		[ "$intr" = 1 ] && [ "$(echo "$rest" | wc -l)" = 1 ] &&
			echo "$rest" | grep -qE "kept changing.*try again" ||
			fail "$what failed: $(cat err)"
		return 0
	fi
	ok=1
	# The only stderr lines of a successful read are the debug ones.
	[ -z "$(grep -v "dump interrupted" err)" ] || fail "$what said: $(cat err)"
}

dump_ok=0 dump_intr=0 show_ok=0 show_intr=0 i=0
deadline=$(( $(date +%s) + 400 ))
while [ "$dump_intr" = 0 ] || [ "$show_intr" = 0 ] || [ "$dump_ok" = 0 ] || [ "$show_ok" = 0 ]; do
	[ "$(date +%s)" -lt "$deadline" ] ||
		fail "after $i rounds: conf dump ok $dump_ok interrupted $dump_intr, peer show ok $show_ok interrupted $show_intr"
	kill -0 "$churn" 2>/dev/null || fail "the churn stopped"
	i=$((i + 1))

	run "conf dump" keynet -n d conf dump dev kn0
	if [ "$ok" = 1 ]; then
		sed -n 's/^PublicKey = //p' out >got.keys
		check_keys got.keys "conf dump (round $i)"
		dump_ok=$((dump_ok + 1))
	fi
	dump_intr=$((dump_intr + intr))

	run "peer show" keynet -n d -j peer show dev kn0
	if [ "$ok" = 1 ]; then
		jq -r '.[].public_key' out >got.keys || fail "peer show: not JSON: $(head -c 300 out)"
		check_keys got.keys "peer show (round $i)"
		show_ok=$((show_ok + 1))
	fi
	show_intr=$((show_intr + intr))
done
info "$i rounds: conf dump ok $dump_ok, retried $dump_intr; peer show ok $show_ok, retried $show_intr"

kill "$churn"
wait "$churn" 2>/dev/null
trap - EXIT
# Quiet again: one read, no retry, exactly the configured peers.
run "conf dump" keynet -n d conf dump dev kn0
[ "$ok" = 1 ] && [ "$intr" = 0 ] || fail "conf dump after the churn: $(cat err)"
sed -n 's/^PublicKey = //p' out | sort >got.keys
cmp -s want.keys got.keys || fail "the peers after the churn are not the configured ones"
exit 0
