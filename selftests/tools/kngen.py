#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kngen: a raw generic netlink client of the keynet family
(selftests/tests/23-monitor.sh) that adds peers and routes fast and
checks the flags and KEYNET_A_GENERATION of every message of a dump.

Usage:
  kngen.py add DEV N DELAY           N random peers, DELAY s apart
  kngen.py routes DEV KEY N METRIC   10.1.0.0/32, 10.1.0.1/32 ... to KEY
  kngen.py dump CMD[:DEV[:KEYATTR]]...
      one dump each (CMD without KEYNET_CMD_, e.g. PEER_GET:kn0), a JSON
      summary line each: {"n": messages, "intr": NLM_F_DUMP_INTR seen,
      "gens": the generations, "nogen": messages without one, "dups":
      messages repeating a KEYATTR value}
  kngen.py race DEV PID              peer dumps (summaries once they hold
                                     more than 1,000 peers) while PID runs
  kngen.py mapnew DEV V4 V6          one MAP_NEW as the tool would send it
                                     (without the tool's own checks); prints
                                     the kernel's error code (0: added)
"""
import base64
import ipaddress
import json
import os
import socket
import struct
import sys
import time

from knnl import (NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST,
                  NLMSG_DONE, NLMSG_ERROR, attr, attrs, genl_family, uapi)

K = uapi()


class NL:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        self.s.bind((0, 0))
        self.seq = 1
        found = genl_family(self.s, K["NAME"], self.seq)
        if not found:
            sys.exit("kngen: no family %s" % K["NAME"])
        self.fam = found[0]

    def send(self, cmd, flags, payload):
        self.seq += 1
        msg = struct.pack("BBH", K[cmd], K["VERSION"], 0) + payload
        self.s.send(struct.pack("IHHII", 16 + len(msg), self.fam, flags,
                                self.seq, 0) + msg)

    def recv(self):
        """(type, flags, attrs) of every reply until DONE, or (type,
        flags, errno) of an ack or error, which ends it."""
        while True:
            buf, i = self.s.recv(1 << 20), 0
            while i + 16 <= len(buf):
                n, typ, flags, _, _ = struct.unpack_from("IHHII", buf, i)
                body = buf[i + 16:i + n]
                i += (n + 3) & ~3
                if typ == NLMSG_ERROR:
                    yield (typ, flags, struct.unpack_from("i", body)[0])
                    return
                yield (typ, flags, attrs(body[4:]) if typ != NLMSG_DONE else None)
                if typ == NLMSG_DONE:
                    return

    def do(self, cmd, payload):
        """The request's error code (0: done)."""
        self.send(cmd, NLM_F_REQUEST | NLM_F_ACK, payload)
        for typ, _, a in self.recv():
            if typ == NLMSG_ERROR:
                return a
        return 0

    def dump(self, cmd, payload=b""):
        """The dump's messages (attribute dicts) and whether any carried
        NLM_F_DUMP_INTR."""
        self.send(cmd, NLM_F_REQUEST | NLM_F_DUMP, payload)
        msgs, intr = [], False
        for typ, flags, a in self.recv():
            if typ == NLMSG_ERROR:
                sys.exit("kngen: dump error %d" % a)
            intr |= bool(flags & NLM_F_DUMP_INTR)
            if typ != NLMSG_DONE:
                msgs.append(a)
        return msgs, intr


def dev(name):
    return attr(K["KEYNET_A_IFNAME"], name.encode() + b"\0")


def gen(a):
    g = a.get(K["KEYNET_A_GENERATION"])
    return struct.unpack("I", g)[0] if g else None


def summary(msgs, intr, key=None):
    keys = [m[K[key]] for m in msgs] if key else []
    return {"n": len(msgs), "intr": intr,
            "gens": sorted({gen(m) for m in msgs}, key=str),
            "nogen": sum(gen(m) is None for m in msgs),
            "dups": len(keys) - len(set(keys))}


def main():
    nl, mode = NL(), sys.argv[1]
    if mode == "add":
        for _ in range(int(sys.argv[3])):
            err = nl.do("KEYNET_CMD_PEER_NEW", dev(sys.argv[2]) +
                        attr(K["KEYNET_A_PEER_PUBLIC_KEY"], os.urandom(32)))
            if err:
                sys.exit("kngen: peer add: error %d" % err)
            time.sleep(float(sys.argv[4]))
    elif mode == "dump":
        for spec in sys.argv[2:]:
            cmd, d, key = (spec.split(":") + ["", ""])[:3]
            msgs, intr = nl.dump("KEYNET_CMD_" + cmd, dev(d) if d else b"")
            print(json.dumps(summary(msgs, intr, key or None)))
    elif mode == "routes":
        key = base64.b64decode(sys.argv[3])
        base = ipaddress.ip_address("10.1.0.0").packed[:2]
        for i in range(int(sys.argv[4])):
            err = nl.do("KEYNET_CMD_ROUTE_NEW", dev(sys.argv[2]) +
                        attr(K["KEYNET_A_PEER_PUBLIC_KEY"], key) +
                        attr(K["KEYNET_A_PREFIX"], base + struct.pack(">H", i)) +
                        attr(K["KEYNET_A_PREFIX_LEN"], b"\x20") +
                        attr(K["KEYNET_A_METRIC"], struct.pack("I", int(sys.argv[5]))))
            if err:
                sys.exit("kngen: route add: error %d" % err)
    elif mode == "mapnew":
        print(nl.do("KEYNET_CMD_MAP_NEW", dev(sys.argv[2]) +
                    attr(K["KEYNET_A_NAT64_V4"], ipaddress.ip_address(sys.argv[3]).packed) +
                    attr(K["KEYNET_A_NAT64_V6"], ipaddress.ip_address(sys.argv[4]).packed)))
    elif mode == "race":
        pid, started, t0 = int(sys.argv[3]), False, time.time()
        while time.time() - t0 < 60:
            msgs, intr = nl.dump("KEYNET_CMD_PEER_GET", dev(sys.argv[2]))
            started |= len(msgs) > 1000
            if started:
                print(json.dumps(summary(msgs, intr, "KEYNET_A_PEER_PUBLIC_KEY")))
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
    else:
        sys.exit(__doc__)


main()
