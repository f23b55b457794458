#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Configure the hub and the spokes of bench/case-peers.sh in one process.

    peers-nl.py keynet|wireguard HUBNS HUB SPOKENS SPOKE N PORT

HUB (in the network namespace HUBNS, a name of ip-netns(8)) and
SPOKE1..SPOKEN (in SPOKENS) are existing devices of the implementation,
their UDP sockets wherever they were created.  Each gets a fresh random private key; the hub
listens on PORT, spoke i on PORT+i; spoke i has the hub as its one peer
(endpoint 127.0.0.1:PORT, route 10.77.0.1/32) and the hub has spoke i as
a peer (endpoint 127.0.1.i:PORT+i, route 10.77.0.(i+1)/32).  No
preshared keys, no keepalive, no key-derived routes.

Why not keynet(8) and wg(8): 130 tool start-ups cost more than a minute
under a loaded qemu TCG; this talks generic netlink directly, the same
requests the tools send (keynet: LINK_SET, PEER_NEW, ROUTE_NEW and
LINK_GET for the public key; WireGuard: SET_DEVICE and GET_DEVICE).
"""
import ctypes
import os
import socket
import struct
import sys

NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

# include/uapi/linux/keynet.h
KN_CMD_LINK_GET, KN_CMD_LINK_SET, KN_CMD_PEER_NEW, KN_CMD_ROUTE_NEW = 2, 3, 5, 9
KN_A_IFNAME, KN_A_LISTEN_PORT, KN_A_PUBLIC_KEY, KN_A_PRIVATE_KEY = 4, 5, 6, 9
KN_A_PEER_PUBLIC_KEY, KN_A_ENDPOINT = 13, 15
KN_A_PREFIX, KN_A_PREFIX_LEN, KN_A_LINK_FLAGS = 25, 26, 44
KN_LINK_F_NO_AUTO_ADDR, KN_LINK_F_NO_PEER_ROUTES = 1, 2

# include/uapi/linux/wireguard.h
WG_CMD_GET_DEVICE, WG_CMD_SET_DEVICE = 0, 1
WGDEVICE_A_IFNAME, WGDEVICE_A_PRIVATE_KEY, WGDEVICE_A_PUBLIC_KEY = 2, 3, 4
WGDEVICE_A_LISTEN_PORT, WGDEVICE_A_PEERS = 6, 8
WGPEER_A_PUBLIC_KEY, WGPEER_A_ENDPOINT, WGPEER_A_ALLOWEDIPS = 1, 4, 9
WGALLOWEDIP_A_FAMILY, WGALLOWEDIP_A_IPADDR, WGALLOWEDIP_A_CIDR_MASK = 1, 2, 3


class NlError(Exception):
    pass


def attr(kind, data):
    hdr = struct.pack("=HH", 4 + len(data), kind)
    return hdr + data + b"\0" * (-len(data) % 4)


def a_u8(kind, v):
    return attr(kind, struct.pack("=B", v))


def a_u16(kind, v):
    return attr(kind, struct.pack("=H", v))


def a_u32(kind, v):
    return attr(kind, struct.pack("=I", v))


def a_str(kind, s):
    return attr(kind, s.encode() + b"\0")


def a_nest(kind, parts):
    return attr(kind | NLA_F_NESTED, b"".join(parts))


def parse_attrs(buf):
    out = {}
    while len(buf) >= 4:
        length, kind = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        out[kind & 0x3FFF] = buf[4:length]
        buf = buf[(length + 3) & ~3:]
    return out


def sockaddr4(addr, port):
    return struct.pack("=H", socket.AF_INET) + struct.pack("!H", port) + \
        socket.inet_aton(addr) + b"\0" * 8


class Genl:
    def __init__(self, name):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.sock.bind((0, 0))
        for opt in (NETLINK_CAP_ACK, NETLINK_EXT_ACK):
            try:
                self.sock.setsockopt(SOL_NETLINK, opt, 1)
            except OSError:
                pass
        self.seq = 0
        self.family, self.version = GENL_ID_CTRL, 1
        try:
            reply = self.request(CTRL_CMD_GETFAMILY,
                                 [a_str(CTRL_ATTR_FAMILY_NAME, name)])
        except NlError:
            reply = None
        if not reply or CTRL_ATTR_FAMILY_ID not in reply[0]:
            raise NlError("no generic netlink family '%s'" % name)
        self.family = struct.unpack("=H", reply[0][CTRL_ATTR_FAMILY_ID][:2])[0]

    def request(self, cmd, attrs, dump=False):
        """Send one request; the attribute sets of the replies."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, self.version, 0) + b"".join(attrs)
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
        self.sock.send(struct.pack("=IHHII", 16 + len(body), self.family,
                                   flags, self.seq, 0) + body)
        replies = []
        while True:
            buf = self.sock.recv(1 << 20)
            while len(buf) >= 16:
                length, kind, mflags, seq, _ = struct.unpack_from("=IHHII", buf)
                msg, buf = buf[16:length], buf[(length + 3) & ~3:]
                if seq != self.seq:
                    continue
                if kind == NLMSG_DONE:
                    return replies
                if kind == NLMSG_ERROR:
                    err = struct.unpack_from("=i", msg)[0]
                    if err == 0:
                        return replies
                    text = ""
                    if mflags & NLM_F_ACK_TLVS:
                        olen = struct.unpack_from("=I", msg, 4)[0]
                        skip = 4 + (16 if mflags & 0x100 else olen)
                        tlv = parse_attrs(msg[skip:])
                        text = tlv.get(1, b"").rstrip(b"\0").decode(errors="replace")
                    raise NlError("%s (%s)" % (os.strerror(-err), text or "no message"))
                replies.append(parse_attrs(msg[4:]))


def enter_netns(name):
    """Move this process into the network namespace NAME of ip-netns(8)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def open_both(family, hubns, spokens):
    """Generic netlink sockets in the spokes' and in the hub's namespace."""
    enter_netns(spokens)
    spoke_nl = Genl(family)
    enter_netns(hubns)
    return Genl(family), spoke_nl


def new_key():
    k = bytearray(os.urandom(32))
    k[0] &= 248
    k[31] = (k[31] & 127) | 64
    return bytes(k)


def setup_keynet(hubns, hub, spokens, spoke, n, port):
    hub_nl, spoke_nl = open_both("keynet", hubns, spokens)
    flags = KN_LINK_F_NO_AUTO_ADDR | KN_LINK_F_NO_PEER_ROUTES

    def link(nl, dev, p):
        nl.request(KN_CMD_LINK_SET, [a_str(KN_A_IFNAME, dev),
                                     attr(KN_A_PRIVATE_KEY, new_key()),
                                     a_u16(KN_A_LISTEN_PORT, p),
                                     a_u32(KN_A_LINK_FLAGS, flags)])
        return nl.request(KN_CMD_LINK_GET, [a_str(KN_A_IFNAME, dev)])[0][KN_A_PUBLIC_KEY]

    def peer(nl, dev, key, ep, prefix):
        nl.request(KN_CMD_PEER_NEW, [a_str(KN_A_IFNAME, dev),
                                     attr(KN_A_PEER_PUBLIC_KEY, key),
                                     attr(KN_A_ENDPOINT, sockaddr4(*ep))])
        nl.request(KN_CMD_ROUTE_NEW, [a_str(KN_A_IFNAME, dev),
                                      attr(KN_A_PEER_PUBLIC_KEY, key),
                                      attr(KN_A_PREFIX, socket.inet_aton(prefix)),
                                      a_u8(KN_A_PREFIX_LEN, 32)])

    hubkey = link(hub_nl, hub, port)
    for i in range(1, n + 1):
        key = link(spoke_nl, "%s%d" % (spoke, i), port + i)
        peer(spoke_nl, "%s%d" % (spoke, i), hubkey, ("127.0.0.1", port), "10.77.0.1")
        peer(hub_nl, hub, key, ("127.0.1.%d" % i, port + i), "10.77.0.%d" % (i + 1))


def setup_wireguard(hubns, hub, spokens, spoke, n, port):
    hub_nl, spoke_nl = open_both("wireguard", hubns, spokens)

    def wg_peer(key, ep, prefix):
        allowed = a_nest(0, [a_u16(WGALLOWEDIP_A_FAMILY, socket.AF_INET),
                             attr(WGALLOWEDIP_A_IPADDR, socket.inet_aton(prefix)),
                             a_u8(WGALLOWEDIP_A_CIDR_MASK, 32)])
        return [attr(WGPEER_A_PUBLIC_KEY, key),
                attr(WGPEER_A_ENDPOINT, sockaddr4(*ep)),
                a_nest(WGPEER_A_ALLOWEDIPS, [allowed])]

    def link(nl, dev, p, peers):
        parts = [a_str(WGDEVICE_A_IFNAME, dev),
                 attr(WGDEVICE_A_PRIVATE_KEY, new_key()),
                 a_u16(WGDEVICE_A_LISTEN_PORT, p)]
        if peers:
            parts.append(a_nest(WGDEVICE_A_PEERS,
                                [a_nest(j, pe) for j, pe in enumerate(peers)]))
        nl.request(WG_CMD_SET_DEVICE, parts)
        got = nl.request(WG_CMD_GET_DEVICE, [a_str(WGDEVICE_A_IFNAME, dev)], dump=True)
        return got[0][WGDEVICE_A_PUBLIC_KEY]

    hubkey = link(hub_nl, hub, port, [])
    hub_peers = []
    for i in range(1, n + 1):
        key = link(spoke_nl, "%s%d" % (spoke, i), port + i,
                   [wg_peer(hubkey, ("127.0.0.1", port), "10.77.0.1")])
        hub_peers.append(wg_peer(key, ("127.0.1.%d" % i, port + i),
                                 "10.77.0.%d" % (i + 1)))
    # All 64 of the hub's peers in one message (~6 KiB), as wg set does.
    hub_nl.request(WG_CMD_SET_DEVICE, [a_str(WGDEVICE_A_IFNAME, hub),
                                   a_nest(WGDEVICE_A_PEERS,
                                          [a_nest(j, pe) for j, pe in enumerate(hub_peers)])])


def main():
    if len(sys.argv) != 8 or sys.argv[1] not in ("keynet", "wireguard"):
        sys.stderr.write(__doc__)
        return 2
    impl, hubns, hub, spokens, spoke, n, port = sys.argv[1:8]
    try:
        (setup_keynet if impl == "keynet" else setup_wireguard)(
            hubns, hub, spokens, spoke, int(n), int(port))
    except (NlError, OSError, KeyError, IndexError) as e:
        sys.stderr.write("peers-nl: %s: %s\n" % (impl, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
