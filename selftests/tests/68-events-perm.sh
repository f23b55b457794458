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

# A raw generic netlink client (no libnl): resolves the keynet family's
# events group, joins it, then waits up to ARGV[1] seconds for one event.
# Prints "EPERM" and exits 3 when the join is refused.
cat >/tmp/knjoin.py <<'PY'
import errno, select, socket, struct, sys, time
def attrs(b):
    out, i = {}, 0
    while i + 4 <= len(b):
        n, t = struct.unpack_from("HH", b, i)
        if n < 4:
            break
        out[t & 0x3fff] = b[i + 4:i + n]
        i += (n + 3) & ~3
    return out
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.bind((0, 0))
name = b"keynet\0"
a = struct.pack("HH", 4 + len(name), 2) + name + b"\0" * (-len(name) % 4)
s.send(struct.pack("IHHII", 20 + len(a), 16, 1, 1, 0) + bytes([3, 1, 0, 0]) + a)
r = s.recv(65536)
if struct.unpack_from("H", r, 4)[0] != 16:
    sys.exit("knjoin: no keynet family")
fam = attrs(r[20:])
group = None
for g in attrs(fam[7]).values():
    g = attrs(g)
    if g[1].rstrip(b"\0") == b"events":
        group = struct.unpack("I", g[2])[0]
try:
    s.setsockopt(270, 1, group)     # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
except PermissionError:
    print("EPERM", flush=True)
    sys.exit(3)
print("joined", flush=True)
fid = struct.unpack("H", fam[1])[0]
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    if not select.select([s], [], [], 0.2)[0]:
        continue
    m = s.recv(65536)
    if struct.unpack_from("H", m, 4)[0] == fid:
        print("event", flush=True)
        sys.exit(0)
print("no event", flush=True)
sys.exit(1)
PY
chmod 644 /tmp/knjoin.py

out=$(ns a setpriv --reuid=65534 --regid=65534 --clear-groups python3 /tmp/knjoin.py 1 2>&1)
check_eq "$out" EPERM "an unprivileged user joining the events group"
out=$(ns a unshare -Ur python3 /tmp/knjoin.py 1 2>&1)
check_eq "$out" EPERM "root of a new user namespace joining the events group"

ns a python3 /tmp/knjoin.py 30 >/tmp/knjoin.out 2>&1 &
pid=$!
wait_for 10 grep -qx joined /tmp/knjoin.out || fail "root could not join: $(cat /tmp/knjoin.out)"
ns a ping -c 2 -i 0.2 -W 3 192.168.241.2 >/dev/null || fail "tunnel did not come up"
wait "$pid" || fail "root heard no event: $(cat /tmp/knjoin.out)"
check_eq "$(tail -n 1 /tmp/knjoin.out)" event "root's subscription"
exit 0
