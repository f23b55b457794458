#!/bin/bash
# timeout: 90
# Only a namespace's administrators hear its events: joining the events
# multicast group takes CAP_NET_ADMIN in the user namespace that owns the
# network namespace.  An unprivileged user (setpriv to nobody) and root of
# a fresh user namespace (unshare -Ur, no capability over the network
# namespace) are refused with EPERM; root joins and receives the
# HANDSHAKE event of a new session.  (Events carry peer keys, endpoints
# and NAT64 mappings.)
. "$KN_ROOT/selftests/lib.sh"

kn_pair v4

# selftests/tools/knjoin.py: a raw generic netlink client that joins the
# events group and waits for one event ("EPERM", exit 3, when refused).
# The unprivileged user runs a copy in a world-readable directory: the
# checkout may sit under a home directory it cannot enter (/root on a fresh
# machine), and a refusal must come from the kernel, not from the file mode.
tools=$(mktemp -d /tmp/knjoin.XXXXXX)
cp "$KN_ROOT/selftests/tools/knjoin.py" "$KN_ROOT/selftests/tools/knnl.py" "$tools/"
chmod 755 "$tools" && chmod 644 "$tools"/*.py
knjoin=$tools/knjoin.py

out=$(ns a setpriv --reuid=65534 --regid=65534 --clear-groups python3 "$knjoin" 1 2>&1)
check_eq "$out" EPERM "an unprivileged user joining the events group"
out=$(ns a unshare -Ur python3 "$knjoin" 1 2>&1)
check_eq "$out" EPERM "root of a new user namespace joining the events group"

ns a python3 "$knjoin" 30 >/tmp/knjoin.out 2>&1 &
pid=$!
wait_for 10 grep -qx joined /tmp/knjoin.out || fail "root could not join: $(cat /tmp/knjoin.out)"
ns a ping -c 2 -i 0.2 -W 3 192.168.241.2 >/dev/null || fail "tunnel did not come up"
wait "$pid" || fail "root heard no event: $(cat /tmp/knjoin.out)"
check_eq "$(tail -n 1 /tmp/knjoin.out)" event "root's subscription"
exit 0
