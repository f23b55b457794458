/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * keynet: the generic netlink interface between the keynet module and its
 * userspace tool.  This is the one copy of the UAPI; the module and the
 * tool both include it.
 *
 * Conventions:
 *  - The family is netns-aware: a request acts on the devices of the
 *    network namespace of the requesting socket.  Every command needs
 *    CAP_NET_ADMIN in that namespace's user namespace.
 *  - One flat attribute space (enum keynet_attr) is shared by all
 *    commands.  A device is named by KEYNET_A_IFINDEX or KEYNET_A_IFNAME.
 *  - Dumps send one message per object (device, peer, route, mapping).
 *  - Enumerations below are append-only: values never change meaning.
 */
#ifndef _UAPI_LINUX_KEYNET_H
#define _UAPI_LINUX_KEYNET_H

#include <linux/types.h>

#define KEYNET_GENL_NAME	"keynet"
/* Version of the generic netlink family (CTRL_ATTR_VERSION). */
#define KEYNET_GENL_VERSION	1
/*
 * Version of this header's contract.  The module reports it in
 * KEYNET_CMD_GET_INFO; the tool refuses to talk to a module whose
 * version differs, rather than misinterpret attributes.
 */
#define KEYNET_UAPI_VERSION	1

/* The link kind for "ip link add NAME type keynet". */
#define KEYNET_LINK_KIND	"keynet"

/* Length of a Curve25519 key in bytes. */
#define KEYNET_KEY_LEN		32
/* Default UDP listen port of a new device. */
#define KEYNET_DEFAULT_PORT	27177

/**
 * enum keynet_cmd - commands of the keynet family
 * @KEYNET_CMD_UNSPEC: unused
 * @KEYNET_CMD_GET_INFO: reply with the module's identity:
 *	%KEYNET_A_VERSION and %KEYNET_A_UAPI_VERSION.  Needs no device.
 * @KEYNET_CMD_LINK_GET: with %KEYNET_A_IFINDEX or %KEYNET_A_IFNAME, one
 *	device; as a dump, every keynet device of the namespace, one message
 *	each.  Each reply carries %KEYNET_A_IFINDEX, %KEYNET_A_IFNAME,
 *	%KEYNET_A_LISTEN_PORT and, once a private key is set,
 *	%KEYNET_A_PUBLIC_KEY.
 * @__KEYNET_CMD_MAX: number of commands
 * @KEYNET_CMD_MAX: highest command number
 */
enum keynet_cmd {
	KEYNET_CMD_UNSPEC,
	KEYNET_CMD_GET_INFO,
	KEYNET_CMD_LINK_GET,

	__KEYNET_CMD_MAX
};

#define KEYNET_CMD_MAX (__KEYNET_CMD_MAX - 1)

/**
 * enum keynet_attr - attributes of the keynet family
 * @KEYNET_A_UNSPEC: unused
 * @KEYNET_A_VERSION: NUL-terminated string, the module's version, e.g.
 *	"0.1.0".
 * @KEYNET_A_UAPI_VERSION: u32, %KEYNET_UAPI_VERSION of the module.
 * @KEYNET_A_IFINDEX: u32, interface index of a keynet device.
 * @KEYNET_A_IFNAME: NUL-terminated string of at most IFNAMSIZ - 1
 *	characters, interface name of a keynet device.
 * @KEYNET_A_LISTEN_PORT: u16 (host order), UDP port the device listens on;
 *	0 in a request means a random port.
 * @KEYNET_A_PUBLIC_KEY: binary, %KEYNET_KEY_LEN bytes, a Curve25519
 *	public key.
 * @KEYNET_A_PAD: padding for 64-bit attributes
 * @__KEYNET_A_MAX: number of attributes
 * @KEYNET_A_MAX: highest attribute number
 */
enum keynet_attr {
	KEYNET_A_UNSPEC,
	KEYNET_A_VERSION,
	KEYNET_A_UAPI_VERSION,
	KEYNET_A_IFINDEX,
	KEYNET_A_IFNAME,
	KEYNET_A_LISTEN_PORT,
	KEYNET_A_PUBLIC_KEY,
	KEYNET_A_PAD,

	__KEYNET_A_MAX
};

#define KEYNET_A_MAX (__KEYNET_A_MAX - 1)

#endif /* _UAPI_LINUX_KEYNET_H */
