# SPDX-License-Identifier: GPL-2.0
"""knnl: the raw generic netlink pieces the Python test tools share
(the guest has no pyroute2): attribute packing and parsing, the
controller's family lookup, and the keynet numbers read from the UAPI
header.
"""
import os
import struct

GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR = 1, 4, 0x300, 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3


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


def uapi():
    """keynet's command and attribute numbers by name (KEYNET_CMD_*,
    KEYNET_A_*), from the UAPI header's enums, and its family NAME and
    VERSION.  The header is $KN_ROOT/include/uapi/linux/keynet.h."""
    path = os.path.join(os.environ.get("KN_ROOT", "."), "include", "uapi",
                        "linux", "keynet.h")
    with open(path) as f:
        text = f.read()
    vals = {}
    for prefix in ("KEYNET_CMD_", "KEYNET_A_"):
        start = text.index("\t" + prefix + "UNSPEC")
        n = 0
        for line in text[start:].splitlines():
            line = line.strip().rstrip(",")
            if not line.startswith(prefix) or line.startswith("__"):
                break
            vals[line.split()[0]] = n
            n += 1
    m = [l for l in text.splitlines() if "define KEYNET_GENL_VERSION" in l]
    vals["VERSION"] = int(m[0].split()[-1], 0)
    m = [l for l in text.splitlines() if "define KEYNET_GENL_NAME" in l]
    vals["NAME"] = m[0].split('"')[1]
    return vals
