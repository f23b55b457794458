#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""hsflood: handshake initiation floods at a keynet or WireGuard device.

Two kinds of flood, both from many IPv4 source addresses (127.1.X.Y, local
on loopback, one UDP socket sending with IP_PKTINFO):

  hsflood.py gen DIR DUT_PUB PEERS COUNT
      Make PEERS initiator identities and COUNT valid Noise_IKpsk2
      initiations to the responder key DUT_PUB (base64), round-robin over
      the identities with increasing timestamps (each identity reuses one
      ephemeral key: see gen()).  Writes DIR/peers (the
      identities' public keys, one base64 line each, to configure on the
      device) and DIR/msgs (the initiations, 148 bytes each, mac2 empty).
      Done once, before any measurement: the device under test then pays
      for every handshake, the generator only for sending.

  hsflood.py valid DIR ADDR PORT SECONDS [WINDOW [WARMUP]]
      Send the initiations of DIR as a closed-loop flood: at most WINDOW
      (default 1024, above the 512 at which keynet and WireGuard start
      answering with cookies) unanswered at a time.  Cookie replies are
      opened (XChaCha20-Poly1305 from libsodium) and later initiations
      from that source carry mac2, as a real initiator under load does.
      After WARMUP seconds (default 1) it counts, for SECONDS, handshake
      responses (type 2) - each one the device's Curve25519 work for one
      initiation - and prints one JSON line: {"rate": responses/s,
      "responses", "cookies", "lost" (no answer within 3 s), "sent",
      "secs" (shorter than SECONDS if the initiations ran out)}.

  hsflood.py junk ADDR PORT SECONDS DUT_PUB [SOURCES [RATE]]
      Initiations with a valid mac1 but random content (as test 17), from
      SOURCES addresses (default 400), at RATE per second (default 0: as
      fast as it can) for SECONDS.  Prints one JSON line: {"sent",
      "cookies" (cookie replies received), "secs"}.

The handshake is built as in selftests/unit/noise_ref.py (the reference
of the module's known-answer tests), on the same primitives
(selftests/tools/noise_prims.py).
"""
import base64
import json
import os
import select
import socket
import struct
import sys
import time

from noise_prims import (CONSTRUCTION, HASH, IDENTIFIER, KDF, LABEL_COOKIE,
                         LABEL_MAC1, MAC, AEAD, DH, XOPEN, le32, pub)

MSG_LEN = 148
PORT = 41000
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # <linux/in.h>


def source(i):
    return bytes([127, 1, i // 250, i % 250 + 1])


def tai64n(t_ns):
    return ((1 << 62) + t_ns // 10**9).to_bytes(8, "big") + \
        (t_ns % 10**9).to_bytes(4, "big")


def flood_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    s.bind(("0.0.0.0", PORT))
    s.setblocking(False)
    return s


def send_from(s, msg, src, dst):
    info = struct.pack("=i4s4s", 0, src, bytes(4))
    try:
        s.sendmsg([msg], [(socket.IPPROTO_IP, IP_PKTINFO, info)], 0, dst)
        return True
    except (BlockingIOError, ConnectionRefusedError):
        return False


def gen(d, dut_b64, peers, count):
    S_r = base64.b64decode(dut_b64)
    C0 = HASH(CONSTRUCTION)
    H0 = HASH(HASH(C0 + IDENTIFIER) + S_r)
    mac1_key = HASH(LABEL_MAC1 + S_r)
    # Per identity, the message up to its timestamp: one ephemeral key
    # serves all its initiations.  The responder keeps no memory of
    # ephemerals, so its work per initiation is the same as for fresh
    # ones, and making thousands of initiations takes seconds, not minutes,
    # under TCG.  (No real initiator may do this: the timestamp's AEAD key
    # and nonce repeat.)
    ids = []
    for _ in range(peers):
        s_i, e_i = os.urandom(32), os.urandom(32)
        S_i, E_i = pub(s_i), pub(e_i)
        H = HASH(H0 + E_i)
        C = KDF(1, C0, E_i)[0]
        C, k = KDF(2, C, DH(e_i, S_r))
        enc_s = AEAD(k, 0, S_i, H)
        H = HASH(H + enc_s)
        C, k = KDF(2, C, DH(s_i, S_r))
        ids.append((S_i, E_i + enc_s, k, H))
    with open(os.path.join(d, "peers"), "w") as f:
        for S_i, _, _, _ in ids:
            f.write(base64.b64encode(S_i).decode() + "\n")
    base = time.time_ns()
    out = bytearray()
    for j in range(count):
        _, head, k, H = ids[j % peers]
        # Strictly increasing per identity, 1 ms apart.
        enc_t = AEAD(k, 0, tai64n(base + (j // peers) * 10**6), H)
        m = le32(1) + le32(j + 1) + head + enc_t
        out += m + MAC(mac1_key, m) + bytes(16)
    with open(os.path.join(d, "msgs"), "wb") as f:
        f.write(out)
    with open(os.path.join(d, "dut"), "w") as f:
        f.write(dut_b64 + "\n")


def valid(d, addr, port, secs, window, warmup):
    dut = base64.b64decode(open(os.path.join(d, "dut")).read().strip())
    peers = sum(1 for _ in open(os.path.join(d, "peers")))
    msgs = open(os.path.join(d, "msgs"), "rb").read()
    n = len(msgs) // MSG_LEN
    cookie_key = HASH(LABEL_COOKIE + dut)
    s = flood_socket()
    dst = (addr, port)
    cookies = {}        # identity -> (cookie, time)
    outstanding = {}    # sender index -> send time
    mac1s = {}          # sender index -> mac1 (a cookie reply's AD)
    answered = set()
    j = 0
    cnt = {"responses": 0, "cookies": 0, "lost": 0, "sent": 0}
    t0 = time.monotonic()
    start = t0 + warmup
    end = start + secs
    counting = False
    swept = t0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if not counting and now >= start:
            counting = True
            cnt = dict.fromkeys(cnt, 0)
        # Stop waiting for what got no answer in 3 s (limiter, queue
        # full); a response that still comes counts.
        if outstanding and now - swept > 0.1:
            swept = now
            old = [k for k, v in outstanding.items() if now - v > 3.0]
            for k in old:
                del outstanding[k]
            cnt["lost"] += len(old)
        sent = 0
        while len(outstanding) < window and j < n and sent < 64:
            m = bytearray(msgs[j * MSG_LEN:(j + 1) * MSG_LEN])
            ident = j % peers
            c = cookies.get(ident)
            if c and now - c[1] < 110:
                m[132:148] = MAC(c[0], bytes(m[:132]))
            if not send_from(s, bytes(m), source(ident), dst):
                break
            outstanding[j + 1] = now
            mac1s[j + 1] = bytes(m[116:132])
            j += 1
            sent += 1
            cnt["sent"] += 1
        if j >= n and not outstanding:
            end = now
            break
        r, _, _ = select.select([s], [], [], 0.005 if sent == 0 else 0)
        if not r:
            continue
        while True:
            try:
                p = s.recv(256)
            except BlockingIOError:
                break
            if len(p) == 92 and p[0] == 2:
                idx = struct.unpack_from("<I", p, 8)[0]
                outstanding.pop(idx, None)
                if 0 < idx <= j and idx not in answered:
                    answered.add(idx)
                    cnt["responses"] += 1
            elif len(p) == 64 and p[0] == 3:
                idx = struct.unpack_from("<I", p, 4)[0]
                outstanding.pop(idx, None)
                if not 0 < idx <= j:
                    continue
                cnt["cookies"] += 1
                ck = XOPEN(cookie_key, p[8:32], p[32:64], mac1s[idx])
                if ck:
                    cookies[(idx - 1) % peers] = (ck, time.monotonic())
    if not counting:
        start = t0
    el = max(end - start, 1e-3)
    cnt["secs"] = round(el, 2)
    cnt["rate"] = round(cnt["responses"] / el, 1)
    print(json.dumps(cnt))


def junk(addr, port, secs, dut_b64, nsrc, rate):
    mac1_key = HASH(LABEL_MAC1 + base64.b64decode(dut_b64))
    pool = []
    for _ in range(4096):
        m = bytearray(os.urandom(MSG_LEN))
        m[0:4] = b"\x01\0\0\0"
        m[116:132] = MAC(mac1_key, bytes(m[:116]))
        m[132:148] = bytes(16)
        pool.append(bytes(m))
    s = flood_socket()
    dst = (addr, port)
    srcs = [source(i) for i in range(nsrc)]
    sent = cookies = 0
    t0 = time.monotonic()
    end = t0 + secs
    while True:
        now = time.monotonic()
        if now >= end:
            break
        burst = 64
        if rate:
            burst = min(64, int((now - t0) * rate) - sent)
            if burst <= 0:
                time.sleep(0.002)
        for _ in range(max(burst, 0)):
            if send_from(s, pool[sent % 4096], srcs[sent % nsrc], dst):
                sent += 1
        while True:
            try:
                p = s.recv(256)
            except BlockingIOError:
                break
            if len(p) == 64 and p[0] == 3:
                cookies += 1
    print(json.dumps({"sent": sent, "cookies": cookies,
                      "secs": round(time.monotonic() - t0, 2)}))


def main(a):
    if len(a) == 5 and a[0] == "gen":
        gen(a[1], a[2], int(a[3]), int(a[4]))
    elif 5 <= len(a) <= 7 and a[0] == "valid":
        valid(a[1], a[2], int(a[3]), float(a[4]),
              int(a[5]) if len(a) > 5 else 1024,
              float(a[6]) if len(a) > 6 else 1.0)
    elif 5 <= len(a) <= 7 and a[0] == "junk":
        junk(a[1], int(a[2]), float(a[3]), a[4],
             int(a[5]) if len(a) > 5 else 400,
             int(a[6]) if len(a) > 6 else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
