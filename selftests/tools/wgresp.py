#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""wgresp: a minimal WireGuard responder for one initiator, in Python on
the project's Noise primitives (selftests/tools/noise_prims.py: hashlib
and libsodium, no code shared with kmod/noise.c).  It checks
selftests/tools/knblast from the outside (selftests/unit/
test_knblast_interop.sh): knblast's handshake, keepalive and data
messages must be what an independent implementation of the whitepaper
accepts.

  wgresp.py PORT KEYDIR COUNT [COUNTER_FILE]

Binds 127.0.0.1:PORT, makes a static key (KEYDIR/resp.pub: its public
key, base64; KEYDIR/ready once bound), answers the first valid initiation
(mac1 checked; the initiator's static key must be KEYDIR/init.pub), then
opens data messages: the keepalive (counter 0) first, then counters 1, 2,
... (gaps allowed: none expected on loopback at a paced rate) whose inner
packet must be IPv4/UDP with a valid header checksum, its length in the
header, padding zero.  COUNTER_FILE, if given, gets the number of data
packets opened so far after each (what knblast's -c reads).  Stops after
COUNT data packets or 5 s of silence and prints one JSON line:
{"handshakes", "keepalive", "data", "last_counter", "bad": the first
problem or null}.
"""
import base64
import json
import os
import socket
import sys

from noise_prims import (AEAD, AEAD_OPEN, CONSTRUCTION, DH, HASH, IDENTIFIER,
                         KDF, LABEL_MAC1, MAC, le32, pub)


def csum16(b):
    s = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def respond(m1, s_r, S_r, S_i_want):
    """The response to initiation m1, and the responder's receive key."""
    if len(m1) != 148 or m1[:4] != le32(1):
        return None, None, "initiation length or type"
    if MAC(HASH(LABEL_MAC1 + S_r), m1[:116]) != m1[116:132]:
        return None, None, "mac1"
    idx_i, E_i, enc_s, enc_t = m1[4:8], m1[8:40], m1[40:88], m1[88:116]
    C = HASH(CONSTRUCTION)
    H = HASH(HASH(C + IDENTIFIER) + S_r)
    H = HASH(H + E_i)
    C = KDF(1, C, E_i)[0]
    C, k = KDF(2, C, DH(s_r, E_i))
    S_i = AEAD_OPEN(k, 0, enc_s, H)
    if S_i != S_i_want:
        return None, None, "initiator static key"
    H = HASH(H + enc_s)
    C, k = KDF(2, C, DH(s_r, S_i))
    if AEAD_OPEN(k, 0, enc_t, H) is None:
        return None, None, "timestamp"
    H = HASH(H + enc_t)
    e_r = os.urandom(32)
    E_r = pub(e_r)
    H = HASH(H + E_r)
    C = KDF(1, C, E_r)[0]
    C = KDF(1, C, DH(e_r, E_i))[0]
    C = KDF(1, C, DH(e_r, S_i))[0]
    C, t, k = KDF(3, C, bytes(32))
    H = HASH(H + t)
    enc_n = AEAD(k, 0, b"", H)
    m2 = le32(2) + le32(0x7777) + idx_i + E_r + enc_n
    m2 += MAC(HASH(LABEL_MAC1 + S_i), m2) + bytes(16)
    t_send_i, _ = KDF(2, C, b"")
    return m2, t_send_i, None


def inner_ok(p):
    if len(p) < 28 or p[0] != 0x45 or p[9] != 17:
        return False
    tot = int.from_bytes(p[2:4], "big")
    if tot > len(p) or csum16(p[:20]) != 0xffff:
        return False
    return not any(p[tot:])


def main():
    port, d, want = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    # The counter is rewritten in place at a fixed width (never truncated),
    # so a reader holding it open never sees it empty.
    cfd = None
    if len(sys.argv) > 4:
        cfd = os.open(sys.argv[4], os.O_WRONLY | os.O_CREAT)
    s_r = os.urandom(32)
    S_r = pub(s_r)
    with open(os.path.join(d, "resp.pub"), "w") as f:
        f.write(base64.b64encode(S_r).decode() + "\n")
    with open(os.path.join(d, "init.pub")) as f:
        S_i_want = base64.b64decode(f.read().strip())
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind(("127.0.0.1", port))
    s.settimeout(5)
    open(os.path.join(d, "ready"), "w").close()
    key, hs, keepalive, data, last, bad = None, 0, False, 0, 0, None
    while data < want and not bad:
        try:
            m, src = s.recvfrom(4096)
        except socket.timeout:
            break
        if m[:4] == le32(1) and key is None:
            m2, key, bad = respond(m, s_r, S_r, S_i_want)
            if m2:
                hs += 1
                s.sendto(m2, src)
        elif m[:4] == le32(4) and key is not None:
            if m[4:8] != le32(0x7777):
                bad = "receiver index"
                break
            ctr = int.from_bytes(m[8:16], "little")
            p = AEAD_OPEN(key, ctr, m[16:], b"")
            if p is None:
                bad = "data tag (counter %d)" % ctr
            elif not keepalive:
                if ctr != 0 or p:
                    bad = "first data message is not the keepalive"
                keepalive = True
            elif ctr <= last or not inner_ok(p):
                bad = "data counter %d after %d, or bad inner packet" % (ctr, last)
            else:
                data, last = data + 1, ctr
                if cfd is not None:
                    os.pwrite(cfd, b"%20d\n" % data, 0)
        else:
            bad = "unexpected message type %d" % m[0]
    print(json.dumps({"handshakes": hs, "keepalive": keepalive, "data": data,
                      "last_counter": last, "bad": bad}))


if __name__ == "__main__":
    main()
