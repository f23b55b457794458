# SPDX-License-Identifier: GPL-2.0
"""knnl: the raw generic netlink pieces the Python test tools share
(the guest has no pyroute2): attribute packing and parsing, and the
controller's family lookup.
"""
import struct

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLM_F_REQUEST = 1


def attr(atype, data):
    """One netlink attribute, padded to 4 bytes."""
    return struct.pack("HH", 4 + len(data), atype) + data + b"\0" * (-len(data) % 4)


def attrs(buf):
    """The attributes of BUF by type (nested flag bits masked off)."""
    out, off = {}, 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("HH", buf, off)
        if alen < 4:
            break
        out[atype & 0x3fff] = buf[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def genl_family(sock, name, seq=1):
    """Ask the controller about family NAME on a bound NETLINK_GENERIC
    socket.  Returns (family id, {multicast group name: id}), or None when
    the family is not registered."""
    a = attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    sock.send(struct.pack("IHHII", 20 + len(a), GENL_ID_CTRL, NLM_F_REQUEST, seq, 0) +
              bytes([CTRL_CMD_GETFAMILY, 1, 0, 0]) + a)
    r = sock.recv(65536)
    if struct.unpack_from("H", r, 4)[0] != GENL_ID_CTRL:
        return None
    fam = attrs(r[20:])
    groups = {}
    for g in attrs(fam.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
        g = attrs(g)
        groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
            struct.unpack("I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
    return struct.unpack("H", fam[CTRL_ATTR_FAMILY_ID][:2])[0], groups
