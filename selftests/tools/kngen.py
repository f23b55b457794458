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
  kngen.py rlist [--del] [--prefix P] [--metric M] DEV KEY|- ENTRY...
      one ROUTE_NEW (ROUTE_DEL with --del) carrying a route list
      (KEYNET_A_ROUTES) for the peer KEY (- : none), without the tool's
      checks: each ENTRY is PREFIX/LEN (host bits as given) with
      ",metric=M" and ",peer=KEY" of its own, or "wrongtype" (a valid
      prefix in an entry of type KEYNET_A_PREFIX) or "noprefix"; --prefix
      also puts a one-route prefix.  Prints "0", or "ERR ERRNO entry N:
      MESSAGE": N is the entry (from 1) holding the extended ack's bad
      attribute, 0 outside the list, - without one
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


SOL_NETLINK, NETLINK_EXT_ACK, NETLINK_CAP_ACK = 270, 11, 10
NLM_F_ACK_TLVS, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 0x200, 1, 2


def do_ext(nl, cmd, payload):
    """One request with extended acks: (errno, message, bad offset|None)."""
    nl.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    nl.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    nl.send(cmd, NLM_F_REQUEST | NLM_F_ACK, payload)
    while True:
        buf = nl.s.recv(1 << 20)
        n, typ, flags, _, _ = struct.unpack_from("IHHII", buf, 0)
        if typ != NLMSG_ERROR:
            continue
        err = struct.unpack_from("i", buf, 16)[0]
        msg, off = "", None
        if flags & NLM_F_ACK_TLVS:
            # error, then the request's header (capped: no payload)
            tlv = attrs(buf[16 + 4 + 16:n])
            if NLMSGERR_ATTR_MSG in tlv:
                msg = tlv[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
            if NLMSGERR_ATTR_OFFS in tlv:
                off = struct.unpack("I", tlv[NLMSGERR_ATTR_OFFS])[0]
        return err, msg, off


def prefix_attrs(text):
    """KEYNET_A_PREFIX and _PREFIX_LEN of ADDR/LEN as given: host bits and
    lengths beyond the address (10.0.0.0/33) are kept, for the kernel to
    refuse."""
    addr, _, plen = text.partition("/")
    a = ipaddress.ip_address(addr)
    plen = int(plen) if plen else a.max_prefixlen
    return (attr(K["KEYNET_A_PREFIX"], a.packed) +
            attr(K["KEYNET_A_PREFIX_LEN"], bytes([plen])))


def route_entry(spec):
    """One entry of a route list: its type and its attributes."""
    if spec == "noprefix":
        return K["KEYNET_A_ROUTES"], attr(K["KEYNET_A_METRIC"], struct.pack("I", 1))
    etype = K["KEYNET_A_ROUTES"]
    if spec == "wrongtype":
        etype, spec = K["KEYNET_A_PREFIX"], "10.99.0.0/16"
    parts = spec.split(",")
    body = prefix_attrs(parts[0])
    for p in parts[1:]:
        k, v = p.split("=", 1)
        if k == "metric":
            body += attr(K["KEYNET_A_METRIC"], struct.pack("I", int(v)))
        elif k == "peer":
            body += attr(K["KEYNET_A_PEER_PUBLIC_KEY"], base64.b64decode(v))
        else:
            sys.exit("kngen: unknown entry option %s" % k)
    return etype, body


def rlist(nl, args):
    cmd, head = "KEYNET_CMD_ROUTE_NEW", b""
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--del":
            cmd = "KEYNET_CMD_ROUTE_DEL"
        elif opt == "--prefix":
            head += prefix_attrs(args.pop(0))
        elif opt == "--metric":
            head += attr(K["KEYNET_A_METRIC"], struct.pack("I", int(args.pop(0))))
        else:
            sys.exit(__doc__)
    head = dev(args[0]) + head
    if args[1] != "-":
        head += attr(K["KEYNET_A_PEER_PUBLIC_KEY"], base64.b64decode(args[1]))
    # Offsets as the kernel counts them: from the netlink header (16 +
    # 4 of genetlink), past the list's own header.
    entries, offs, at = b"", [], 16 + 4 + len(head) + 4
    for spec in args[2:]:
        etype, body = route_entry(spec)
        e = attr(etype | 0x8000, body)
        offs.append(at)
        at += len(e)
        entries += e
    err, msg, off = do_ext(nl, cmd, head + attr(K["KEYNET_A_ROUTES"] | 0x8000, entries))
    if not err:
        print(0)
        return
    if off is None:
        where = "-"
    else:
        where = sum(1 for o in offs if o <= off) if offs and off >= offs[0] else 0
        if where and off >= at:
            where = 0
    print("ERR %d entry %s: %s" % (-err, where, msg))


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
    elif mode == "rlist":
        rlist(nl, sys.argv[2:])
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
