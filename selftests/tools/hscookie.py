#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hscookie: a WireGuard initiator "under load" that answers the
responder's handshake response with a cookie reply, as the protocol has a
loaded initiator do (whitepaper section 5.4.7: any handshake message with
a valid mac1 may be answered with a cookie; here the response).

  hscookie.py PRIV ADDR PORT DUT_PUB [SECONDS]

PRIV is our private key (base64; the device under test has its public key
as a peer), DUT_PUB the device's public key.  It sends an initiation,
checks that the response carries no mac2 (no cookie yet), answers it with
a cookie reply addressed to the response's sender index, then sends fresh
initiations (every 0.2 s, for at most SECONDS, default 10) until a
response carries mac2 = MAC(cookie, response up to mac2), i.e. until the
device has taken our cookie.  Exits 0 then, 1 if no response ever did.
Prints one JSON line: {"attempts", "mac2" (true/false)}.
"""
import base64
import json
import os
import socket
import struct
import sys
import time

from noise_prims import (CONSTRUCTION, HASH, IDENTIFIER, KDF, LABEL_COOKIE,
                         LABEL_MAC1, MAC, AEAD, DH, XSEAL, le32, pub)


def tai64n(t_ns):
    return ((1 << 62) + t_ns // 10**9).to_bytes(8, "big") + \
        (t_ns % 10**9).to_bytes(4, "big")


def initiation(s_i, S_r, sender):
    S_i = pub(s_i)
    e_i = os.urandom(32)
    E_i = pub(e_i)
    C0 = HASH(CONSTRUCTION)
    H = HASH(HASH(HASH(C0 + IDENTIFIER) + S_r) + E_i)
    C = KDF(1, C0, E_i)[0]
    C, k = KDF(2, C, DH(e_i, S_r))
    enc_s = AEAD(k, 0, S_i, H)
    H = HASH(H + enc_s)
    C, k = KDF(2, C, DH(s_i, S_r))
    enc_t = AEAD(k, 0, tai64n(time.time_ns()), H)
    m = le32(1) + le32(sender) + E_i + enc_s + enc_t
    return m + MAC(HASH(LABEL_MAC1 + S_r), m) + bytes(16)


def exchange(s, dst, s_i, S_r):
    """One initiation; its response (92 bytes) or None after 3 s."""
    sender = struct.unpack("<I", os.urandom(4))[0]
    s.sendto(initiation(s_i, S_r, sender), dst)
    end = time.monotonic() + 3
    while time.monotonic() < end:
        s.settimeout(max(end - time.monotonic(), 0.01))
        try:
            p = s.recv(256)
        except socket.timeout:
            break
        if len(p) == 92 and p[0] == 2 and \
                struct.unpack_from("<I", p, 8)[0] == sender:
            return p
    return None


def main(a):
    if not 4 <= len(a) <= 5:
        sys.exit(__doc__)
    s_i = base64.b64decode(a[0])
    dst = (a[1], int(a[2]))
    S_r = base64.b64decode(a[3])
    secs = float(a[4]) if len(a) > 4 else 10.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    resp = exchange(s, dst, s_i, S_r)
    if resp is None:
        sys.exit("hscookie: no response to the first initiation")
    if resp[76:92] != bytes(16):
        sys.exit("hscookie: the first response already carries a mac2")
    # The cookie reply, as the loaded initiator sends it: to the index the
    # response came from, sealed under HASH("cookie--" || our public key)
    # with the response's mac1 as associated data.
    cookie = os.urandom(16)
    nonce = os.urandom(24)
    reply = le32(3) + resp[4:8] + nonce + \
        XSEAL(HASH(LABEL_COOKIE + pub(s_i)), nonce, cookie, resp[60:76])
    s.sendto(reply, dst)
    attempts, ok = 0, False
    end = time.monotonic() + secs
    while time.monotonic() < end and not ok:
        time.sleep(0.2)     # > the responder's 20 ms between initiations
        attempts += 1
        r = exchange(s, dst, s_i, S_r)
        ok = r is not None and r[76:92] == MAC(cookie, r[:76])
    print(json.dumps({"attempts": attempts, "mac2": ok}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
