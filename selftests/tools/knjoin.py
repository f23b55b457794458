#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""knjoin SECONDS: join the keynet family's events group with a raw
generic netlink socket (selftests/tests/68-events-perm.sh), then wait up
to SECONDS for one event.  Prints "joined", then "event" (exit 0) or
"no event" (exit 1); prints "EPERM" and exits 3 when the join is refused.
"""
import select
import socket
import struct
import sys
import time

from knnl import genl_family

SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 270, 1

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.bind((0, 0))
found = genl_family(s, "keynet")
if not found or "events" not in found[1]:
    sys.exit("knjoin: no keynet family")
fid, groups = found
try:
    s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["events"])
except PermissionError:
    print("EPERM", flush=True)
    sys.exit(3)
print("joined", flush=True)
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
