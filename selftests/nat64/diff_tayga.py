#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Differential test of keynet's NAT64 against TAYGA.

The same IPv6 and IPv4 packets are written (AF_PACKET, so straight into
the device's transmit path) into a keynet device and into TAYGA's TUN
device, both configured alike; whatever each translator hands back (the
translated packet or its ICMP error, received on the same device) is
captured and compared field by field.  Addresses of the dynamic pool are
normalised (the two allocate differently).

Usage: diff_tayga.py KN_IF TUN_IF [--json FILE] [--known FILE] [--all]
                     [--only REGEX] [--classes FILE]
Prints one line per difference class and a summary; exit 0.  The caller
decides which classes are expected (docs/nat64.md lists them).
--only: send only the packets whose name matches REGEX (re.search).
--classes: write every difference class seen, one per line.
"""
import json
import os
import re
import select
import socket
import struct
import sys
import time

ETH_P_IP, ETH_P_IPV6, ETH_P_ALL = 0x0800, 0x86DD, 0x0003
PACKET_OUTGOING = 4
PREFIX = bytes.fromhex("2a045b800300000400000000")  # /96
POOL = (100 << 24 | 100 << 16, 16)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def a4(s):
    return socket.inet_pton(socket.AF_INET, s)


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def emb(v4):
    return PREFIX + a4(v4)


def ip4(src, dst, proto, payload, ttl=64, ident=0x1234, df=False, mf=False,
        off=0, tos=0, opts=b"", total=None):
    ihl = 5 + len(opts) // 4
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | (off >> 3)
    tl = total if total is not None else ihl * 4 + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, tl, ident, flags, ttl,
                    proto, 0, a4(src), a4(dst)) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload, hlim=64, tc=0, fl=0):
    return struct.pack("!IHBB16s16s", 6 << 28 | tc << 20 | fl, len(payload),
                       nh, hlim, src, dst) + payload


def ph4(src, dst, proto, length):
    return a4(src) + a4(dst) + struct.pack("!BBH", 0, proto, length)


def ph6(src, dst, nh, length):
    return src + dst + struct.pack("!IxxxB", length, nh)


def l4(proto, hdr, data, ph, csum_off, zero=False):
    seg = hdr + data
    if zero:
        return seg
    c = csum(ph + seg)
    if proto == 17 and c == 0:
        c = 0xFFFF
    return seg[:csum_off] + struct.pack("!H", c) + seg[csum_off + 2:]


def udp(sp, dp, data, ph_fn, zero=False):
    hdr = struct.pack("!HHHH", sp, dp, 8 + len(data), 0)
    return l4(17, hdr, data, ph_fn(8 + len(data)), 6, zero)


def tcp(sp, dp, flags, data, ph_fn, mss=None, seq=1000, ack=0):
    opts = struct.pack("!BBH", 2, 4, mss) if mss else b""
    off = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, off << 4, flags, 65535,
                      0, 0) + opts
    return l4(6, hdr, data, ph_fn(len(hdr) + len(data)), 16)


def icmp4(t, c, rest, data):
    m = struct.pack("!BBH", t, c, 0) + rest + data
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def icmp6(src, dst, t, c, rest, data):
    m = struct.pack("!BBH", t, c, 0) + rest + data
    return m[:2] + struct.pack("!H", csum(ph6(src, dst, 58, len(m)) + m)) + m[4:]


# ---- the packet set ----------------------------------------------------

SERVERS = ["198.51.100.%d" % i for i in (2, 3, 77)] + ["203.0.113.9"]
STATIC = [("100.101.5.%d" % i, "2001:db8:1::%x" % i) for i in range(1, 6)]
DYN6 = ["2001:db8:2::%x" % i for i in range(1, 4)]


def gen():
    pk = []  # (name, family, bytes)
    v6hosts = [h for _, h in STATIC] + DYN6
    # 6 -> 4
    for i, h in enumerate(v6hosts):
        s6 = a6(h)
        for j, srv in enumerate(SERVERS):
            d6 = emb(srv)
            p6 = lambda n, s6=s6, d6=d6: ph6(s6, d6, 17, n)
            t6 = lambda n, s6=s6, d6=d6: ph6(s6, d6, 6, n)
            pay = bytes((i * 7 + j + k) & 0xFF for k in range(8 + 24 * j))
            pk.append(("6to4 echo h%d s%d" % (i, j), 6, ip6(s6, d6, 58, icmp6(
                s6, d6, 128, 0, struct.pack("!HH", 0x100 + i, j), pay))))
            pk.append(("6to4 udp h%d s%d" % (i, j), 6, ip6(s6, d6, 17,
                       udp(4000 + i, 53 + j, pay, p6), tc=j * 8)))
            pk.append(("6to4 tcp syn h%d s%d" % (i, j), 6, ip6(s6, d6, 6,
                       tcp(40000 + i, 80 + j, 0x02, b"", t6, mss=1440))))
            pk.append(("6to4 tcp data h%d s%d" % (i, j), 6, ip6(s6, d6, 6,
                       tcp(40000 + i, 80 + j, 0x18, pay, t6, ack=5))))
        d6 = emb(SERVERS[0])
        pk.append(("6to4 udp0 h%d" % i, 6, ip6(s6, d6, 17,
                   udp(4200 + i, 53, b"zero", lambda n: ph6(s6, d6, 17, n), zero=True))))
        pk.append(("6to4 hlim1 h%d" % i, 6, ip6(s6, d6, 17,
                   udp(5000, 53, b"abcd", lambda n: ph6(s6, d6, 17, n)), hlim=1)))
        pk.append(("6to4 hlim2 h%d" % i, 6, ip6(s6, d6, 17,
                   udp(5000, 53, b"abcd", lambda n: ph6(s6, d6, 17, n)), hlim=2)))
        # Fragments: first (with UDP header) and a later one.
        body = udp(6000 + i, 53, bytes(range(200)) * 2, lambda n: ph6(s6, d6, 17, n))
        fh = lambda off, m, nh=17: struct.pack("!BBHI", nh, 0, off | m, 0xABC0 + i)
        pk.append(("6to4 frag first h%d" % i, 6, ip6(s6, d6, 44, fh(0, 1) + body[:256])))
        pk.append(("6to4 frag last h%d" % i, 6, ip6(s6, d6, 44, fh(256, 0) + body[256:])))
        # ICMPv6 errors about a packet that went 4->6 to this host.
        inner = ip6(d6, s6, 17, udp(53, 7000 + i, b"q" * 20,
                                    lambda n: ph6(d6, s6, 17, n)), hlim=60)
        for t, c, rest in ((1, 0, 0), (1, 1, 0), (1, 3, 0), (1, 4, 0), (2, 0, 1400),
                           (2, 0, 1200), (3, 0, 0), (3, 1, 0), (4, 0, 6), (4, 0, 40),
                           (4, 1, 40), (4, 2, 40)):
            pk.append(("6to4 icmperr %d/%d/%d h%d" % (t, c, rest, i), 6,
                       ip6(s6, d6, 58, icmp6(s6, d6, t, c, struct.pack("!I", rest), inner))))
    # 4 -> 6 (to static maps only: TAYGA drops unmapped pool addresses)
    for i, (m4, _) in enumerate(STATIC):
        for j, srv in enumerate(SERVERS):
            p4 = lambda n, srv=srv, m4=m4: ph4(srv, m4, 17, n)
            t4 = lambda n, srv=srv, m4=m4: ph4(srv, m4, 6, n)
            pay = bytes((i * 5 + j * 3 + k) & 0xFF for k in range(12 + 20 * j))
            pk.append(("4to6 echo m%d s%d" % (i, j), 4, ip4(srv, m4, 1, icmp4(
                8, 0, struct.pack("!HH", 0x200 + i, j), pay), tos=j * 4)))
            pk.append(("4to6 udp m%d s%d" % (i, j), 4, ip4(srv, m4, 17,
                       udp(53 + j, 4000 + i, pay, p4), df=bool(j & 1))))
            pk.append(("4to6 udp0 m%d s%d" % (i, j), 4, ip4(srv, m4, 17,
                       udp(53 + j, 4100 + i, pay, p4, zero=True))))
            pk.append(("4to6 tcp syn m%d s%d" % (i, j), 4, ip4(srv, m4, 6,
                       tcp(80 + j, 40000 + i, 0x12, b"", t4, mss=1460, ack=1001), df=True)))
        srv = SERVERS[0]
        pk.append(("4to6 ttl1 m%d" % i, 4, ip4(srv, m4, 17,
                   udp(53, 5000, b"ttl", lambda n: ph4(srv, m4, 17, n)), ttl=1)))
        big = bytes(1480 - 8)
        pk.append(("4to6 big df m%d" % i, 4, ip4(srv, m4, 17,
                   udp(53, 5001, big, lambda n: ph4(srv, m4, 17, n)), df=True)))
        pk.append(("4to6 big nodf m%d" % i, 4, ip4(srv, m4, 17,
                   udp(53, 5002, big, lambda n: ph4(srv, m4, 17, n)))))
        body = udp(53, 6000 + i, bytes(range(200)) * 2, lambda n: ph4(srv, m4, 17, n))
        pk.append(("4to6 frag first m%d" % i, 4, ip4(srv, m4, 17, body[:256], mf=True,
                                                      ident=0x4440 + i)))
        pk.append(("4to6 frag last m%d" % i, 4, ip4(srv, m4, 17, body[256:], off=256,
                                                     ident=0x4440 + i)))
        pk.append(("4to6 opts m%d" % i, 4, ip4(srv, m4, 17, udp(53, 5003, b"o",
                   lambda n: ph4(srv, m4, 17, n)), opts=b"\x01\x01\x01\x00")))
        inner = ip4(m4, srv, 17, udp(7000 + i, 53, b"q" * 20,
                                     lambda n: ph4(m4, srv, 17, n)), ttl=60)
        for t, c, rest in ((3, 0, 0), (3, 1, 0), (3, 3, 0), (3, 4, 1400), (3, 4, 0),
                           (3, 13, 0), (11, 0, 0), (11, 1, 0), (12, 0, 0x0C000000),
                           (12, 0, 0x09000000), (4, 0, 0), (5, 1, 0)):
            pk.append(("4to6 icmperr %d/%d/%x m%d" % (t, c, rest, i), 4,
                       ip4(srv, m4, 1, icmp4(t, c, struct.pack("!I", rest), inner))))
    return pk


# ---- capture and decode --------------------------------------------------

def open_if(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def drain(s):
    while True:
        try:
            s.recvfrom(65536)
        except BlockingIOError:
            return


def collect(socks, first_wait, quiet):
    """Outputs of every socket for one probe.  Stop early only once every
    socket has produced something and then stayed quiet for `quiet`
    seconds: a slower translator (TAYGA round-trips through userspace,
    and a loaded machine can delay it) must not have its output counted
    for the next probe."""
    out = {s: [] for s in socks}
    deadline = time.time() + first_wait
    while True:
        t = deadline - time.time()
        if t <= 0:
            break
        r, _, _ = select.select(socks, [], [], t)
        for s in r:
            while True:
                try:
                    d, addr = s.recvfrom(65536)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                out[s].append(d)
        if r and all(out[s] for s in socks):
            deadline = min(deadline, time.time() + quiet)
    return out


class Norm:
    """Pool addresses become P0, P1... in order of appearance, per side."""

    def __init__(self):
        self.m = {}

    def v4(self, b):
        a = struct.unpack("!I", b)[0]
        if a >> (32 - POOL[1]) == POOL[0] >> (32 - POOL[1]) and a != (POOL[0] | 1):
            return self.m.setdefault(b, "P%d" % len(self.m))
        return socket.inet_ntop(socket.AF_INET, b)

    def v6(self, b):
        if b[:12] == PREFIX:
            return "pfx::" + self.v4(b[12:])
        return socket.inet_ntop(socket.AF_INET6, b)


def dec_l4(proto, data, f, pfx, ph=None):
    if proto in (1, 58) and len(data) >= 8:
        f[pfx + "type"], f[pfx + "code"] = data[0], data[1]
        f[pfx + "rest"] = data[4:8].hex()
        if ph is not None:
            f[pfx + "csum_ok"] = csum((ph if proto == 58 else b"") + data) == 0
        f[pfx + "len"] = len(data)
        return data[8:]
    if proto == 17 and len(data) >= 8:
        sp, dp, ln, ck = struct.unpack("!HHHH", data[:8])
        f[pfx + "ports"] = (sp, dp)
        f[pfx + "ulen"] = ln
        if ph is not None:
            f[pfx + "csum_ok"] = ck != 0 and csum(ph + data) == 0
        if ck == 0:
            f[pfx + "csum_zero"] = True
        f[pfx + "payload"] = data[8:].hex()[:64]
    elif proto == 6 and len(data) >= 20:
        f[pfx + "ports"] = struct.unpack("!HH", data[:4])
        f[pfx + "tcp"] = data[4:14].hex() + data[20:data[12] >> 2].hex()
        if ph is not None:
            f[pfx + "csum_ok"] = csum(ph + data) == 0
    return None


def decode(d, norm, pfx="", depth=0):
    f = {}
    if not d:
        return {pfx + "empty": True}
    v = d[0] >> 4
    f[pfx + "ver"] = v
    if v == 4 and len(d) >= 20:
        ihl = (d[0] & 15) * 4
        tos, tl, ident, fr, ttl, proto = struct.unpack("!BHHHBB", d[1:10])
        f.update({pfx + "tos": tos, pfx + "totlen": tl, pfx + "ttl": ttl,
                  pfx + "proto": proto, pfx + "df": bool(fr & 0x4000),
                  pfx + "mf": bool(fr & 0x2000), pfx + "off": (fr & 0x1FFF) * 8,
                  pfx + "ihl": ihl, pfx + "src": norm.v4(d[12:16]),
                  pfx + "dst": norm.v4(d[16:20])})
        f[pfx + "id_zero"] = ident == 0
        if depth == 0:
            f[pfx + "hcsum_ok"] = csum(d[:ihl]) == 0
        body = d[ihl:]
        ph = None
        if depth == 0 and not (fr & 0x3FFF):
            ph = ph4(socket.inet_ntop(socket.AF_INET, d[12:16]),
                     socket.inet_ntop(socket.AF_INET, d[16:20]), proto, len(body))
        if not (fr & 0x1FFF):
            inner = dec_l4(proto, body, f, pfx + "l4.", ph)
            if inner is not None and depth == 0 and d[ihl] in (3, 11, 12):
                f.update(decode(inner, norm, pfx + "in.", 1))
    elif v == 6 and len(d) >= 40:
        w, pl, nh, hl = struct.unpack("!IHBB", d[:8])
        f.update({pfx + "tc": (w >> 20) & 0xFF, pfx + "flow": w & 0xFFFFF,
                  pfx + "plen": pl, pfx + "hlim": hl, pfx + "src": norm.v6(d[8:24]),
                  pfx + "dst": norm.v6(d[24:40])})
        body = d[40:]
        frag = None
        if nh == 44 and len(body) >= 8:
            fnh, _, fo, fid = struct.unpack("!BBHI", body[:8])
            frag = fo
            f.update({pfx + "frag.off": fo & 0xFFF8, pfx + "frag.m": fo & 1,
                      pfx + "frag.id": fid})
            nh, body = fnh, body[8:]
        f[pfx + "nh"] = nh
        ph = None
        if depth == 0 and frag is None:
            ph = ph6(d[8:24], d[24:40], nh, len(body))
        if frag is None or not (frag & 0xFFF8):
            inner = dec_l4(nh, body, f, pfx + "l4.", ph)
            if inner is not None and depth == 0 and d[40] in (1, 2, 3, 4):
                f.update(decode(inner, norm, pfx + "in.", 1))
    return f


def describe(pkts, norm):
    return [decode(p, norm) for p in pkts]


def main():
    kn_if, tun_if = sys.argv[1], sys.argv[2]
    jpath = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
    ks, ts = open_if(kn_if), open_if(tun_if)
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)
    nk, nt = Norm(), Norm()
    diffs, same, n = {}, 0, 0
    records = []
    pk = gen()
    if "--only" in sys.argv:
        only = re.compile(sys.argv[sys.argv.index("--only") + 1])
        pk = [p for p in pk if only.search(p[0])]
    for name, fam, data in pk:
        drain(ks)
        drain(ts)
        proto = ETH_P_IPV6 if fam == 6 else ETH_P_IP
        tx.sendto(data, (kn_if, proto))
        tx.sendto(data, (tun_if, proto))
        out = collect([ks, ts], 0.6, 0.15)
        k, t = describe(out[ks], nk), describe(out[ts], nt)
        n += 1
        rec = {"name": name, "keynet": k, "tayga": t, "diff": []}
        if len(k) != len(t):
            rec["diff"].append("count %d vs %d" % (len(k), len(t)))
        for i, (a, b) in enumerate(zip(k, t)):
            for key in sorted(set(a) | set(b)):
                if a.get(key) != b.get(key):
                    rec["diff"].append("%s: %s vs %s" % (key, a.get(key), b.get(key)))
        if rec["diff"]:
            cls = " ".join(w for w in name.split()
                           if not (w[0] in "hms" and w[1:].isdigit()))
            for dline in rec["diff"]:
                key = cls + " | " + dline.split(":")[0] if ":" in dline else cls + " | count"
                diffs.setdefault(key, []).append(dline)
        else:
            same += 1
        records.append(rec)
    known = set()
    if "--known" in sys.argv:
        with open(sys.argv[sys.argv.index("--known") + 1]) as f:
            known = {ln.strip() for ln in f if ln.strip() and ln[0] != "#"}
    undoc = sorted(k for k in diffs if k not in known)
    print("packets %d identical %d differing %d classes %d undocumented %d" %
          (n, same, n - same, len(diffs), len(undoc)))
    if "--all" in sys.argv:
        undoc = sorted(diffs)
    for key in undoc:
        print("DIFF %s x%d e.g. %s" % (key, len(diffs[key]), diffs[key][0]))
    if "--classes" in sys.argv:
        with open(sys.argv[sys.argv.index("--classes") + 1], "w") as f:
            f.writelines(k + "\n" for k in sorted(diffs))
    if jpath:
        with open(jpath, "w") as f:
            json.dump(records, f, indent=1, default=str)


if __name__ == "__main__":
    main()
