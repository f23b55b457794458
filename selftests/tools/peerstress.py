#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""peerstress: delete and re-add one peer of a keynet device over and over
while traffic flows through it (selftests/tests/70-peer-lifetimes.sh).

Usage: peerstress.py IFINDEX PEER_KEY ENDPOINT PREFIX/LEN ITERATIONS EVERY
  PEER_KEY in base64 (as `keynet pubkey` prints it), ENDPOINT an IPv4
  address:port, PREFIX/LEN the peer's IPv4 route.

Each iteration deletes the peer (with its sessions, queues, timers and
works) and adds it again with a persistent keepalive of 1 s, so the
traffic that keeps coming starts a new handshake.  Every EVERY-th
iteration then waits until the new peer object has both received and sent
data packets (its counters, read with PEER_GET), so the next deletion hits
a peer with a live session, busy workers and armed timers; the others
delete it again after 0-4 ms, while its handshake is in flight.  A waiting
iteration that sees no traffic within 10 s fails the run.

Raw generic netlink (the guest has no pyroute2, and compiling a C helper
costs half a minute under TCG).  Prints "peerstress: N iterations, ...".
"""
import base64
import errno
import os
import random
import socket
import struct
import sys
import time

from knnl import NLM_F_ACK, NLM_F_REQUEST, NLMSG_ERROR, attr, attrs, genl_family, uapi

NETLINK_GENERIC = 16


K = uapi()


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.bind((0, 0))
        self.s.settimeout(5)
        self.seq = 0

    def request(self, mtype, cmd, version, payload):
        """Returns (errno, [attribute dicts of the replies])."""
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        self.s.send(struct.pack("IHHII", 16 + len(body), mtype,
                                NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body)
        replies = []
        while True:
            data = self.s.recv(65536)
            off = 0
            while off + 16 <= len(data):
                mlen, t, _, seq, _ = struct.unpack_from("IHHII", data, off)
                if seq == self.seq:
                    if t == NLMSG_ERROR:
                        return -struct.unpack_from("i", data, off + 16)[0], replies
                    replies.append(attrs(data[off + 20:off + mlen]))
                off += (mlen + 3) & ~3


def main():
    if len(sys.argv) != 7:
        sys.exit("usage: peerstress.py IFINDEX PEER_KEY ENDPOINT PREFIX/LEN ITERATIONS EVERY")
    ifindex = int(sys.argv[1])
    key = base64.b64decode(sys.argv[2])
    host, port = sys.argv[3].rsplit(":", 1)
    pfx, plen = sys.argv[4].split("/")
    iters, every = int(sys.argv[5]), int(sys.argv[6])
    ep = struct.pack("=H", socket.AF_INET) + struct.pack("!H", int(port)) + \
        socket.inet_aton(host) + b"\0" * 8

    nl = Genl()
    found = genl_family(nl.s, K["NAME"])
    if not found:
        sys.exit("peerstress: the keynet family is not registered")
    fam = found[0]

    def req(cmd, *extra):
        payload = attr(K["KEYNET_A_IFINDEX"], struct.pack("I", ifindex)) + \
            attr(K["KEYNET_A_PEER_PUBLIC_KEY"], key) + b"".join(extra)
        return nl.request(fam, K["KEYNET_CMD_" + cmd], K["VERSION"], payload)

    busy = rx_sum = tx_sum = 0
    t0 = time.monotonic()
    for i in range(iters):
        err, _ = req("PEER_DEL")
        if err and not (i == 0 and err == errno.ENOENT):
            sys.exit("peerstress: iteration %d: PEER_DEL: %s" % (i, os.strerror(err)))
        err, _ = req("PEER_NEW", attr(K["KEYNET_A_ENDPOINT"], ep),
                     attr(K["KEYNET_A_KEEPALIVE"], struct.pack("H", 1)))
        if not err:
            err, _ = req("ROUTE_NEW",
                         attr(K["KEYNET_A_PREFIX"], socket.inet_aton(pfx)),
                         attr(K["KEYNET_A_PREFIX_LEN"], bytes([int(plen)])))
        if err:
            sys.exit("peerstress: iteration %d: adding the peer: %s" % (i, os.strerror(err)))
        if i % every:
            time.sleep(random.random() * 0.004)
            continue
        # Wait for data both ways through this peer object.
        deadline = time.monotonic() + 10
        rx = tx = 0
        while not (rx and tx):
            if time.monotonic() > deadline:
                sys.exit("peerstress: iteration %d: no traffic within 10 s (rx %d, tx %d packets)" % (i, rx, tx))
            time.sleep(0.002)
            err, rep = req("PEER_GET")
            if err or not rep:
                sys.exit("peerstress: iteration %d: PEER_GET: %s" % (i, os.strerror(err)))
            rx = struct.unpack("Q", rep[0][K["KEYNET_A_RX_PACKETS"]])[0]
            tx = struct.unpack("Q", rep[0][K["KEYNET_A_TX_PACKETS"]])[0]
        busy += 1
        rx_sum += rx
        tx_sum += tx
    print("peerstress: %d iterations, %d with traffic (%d packets received, "
          "%d sent before their deletion) in %.1f s"
          % (iters, busy, rx_sum, tx_sum, time.monotonic() - t0))


main()
