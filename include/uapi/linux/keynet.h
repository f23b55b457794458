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
#define KEYNET_UAPI_VERSION	2

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
 *	With %KEYNET_A_FLAGS containing %KEYNET_F_WANT_SECRETS the reply also
 *	carries %KEYNET_A_PRIVATE_KEY.  With %KEYNET_A_FLAGS containing
 *	%KEYNET_F_WANT_STATS it carries %KEYNET_A_STATS.  Replies also carry
 *	%KEYNET_A_LISTEN_ADDR and %KEYNET_A_FWMARK when set,
 *	%KEYNET_A_PEER_COUNT, the addressing attributes, %KEYNET_A_LINK_FLAGS,
 *	%KEYNET_A_LOCAL_PREFIXES and the beacon settings
 *	(%KEYNET_A_BEACON_MODE, _PORT, _IFINDEXES, _MAX_PEERS,
 *	_STAMP_WINDOW; with
 *	%KEYNET_F_WANT_STATS also %KEYNET_A_BEACON_STATS).
 * @KEYNET_CMD_LINK_SET: change a device: %KEYNET_A_PRIVATE_KEY (32 bytes to
 *	set, 0 bytes to remove), %KEYNET_A_LISTEN_PORT, %KEYNET_A_LISTEN_ADDR
 *	(0 bytes to unbind), %KEYNET_A_FWMARK, the addressing attributes,
 *	%KEYNET_A_LINK_FLAGS (reply-only flags such as
 *	%KEYNET_LINK_F_HAS_BEACON_KEY are ignored), %KEYNET_A_LOCAL_PREFIXES
 *	and the beacon settings (%KEYNET_A_BEACON_MODE, _PORT, _KEY,
 *	_IFINDEXES, _MAX_PEERS, _STAMP_WINDOW).  All or nothing: on error
 *	nothing was changed.  Changing the beacon mode, port or interfaces
 *	of a device whose underlay namespace is another one also needs
 *	CAP_NET_ADMIN in the user namespace owning that namespace (EPERM).
 * @KEYNET_CMD_PEER_GET: with %KEYNET_A_PEER_PUBLIC_KEY, that peer; as a
 *	dump, every peer of the device, one message each, each carrying
 *	%KEYNET_A_IFINDEX, %KEYNET_A_PEER_PUBLIC_KEY, %KEYNET_A_ENDPOINT (if
 *	known), %KEYNET_A_KEEPALIVE, %KEYNET_A_PEER_NAME (if set),
 *	%KEYNET_A_LAST_HANDSHAKE, the byte and packet counters,
 *	%KEYNET_A_PEER_FLAGS (%KEYNET_PEER_F_HAS_PSK ...) and
 *	%KEYNET_A_PEER_TRANSIT.  The preshared key
 *	is returned only with %KEYNET_F_WANT_SECRETS.
 * @KEYNET_CMD_PEER_NEW: add a peer (%KEYNET_A_PEER_PUBLIC_KEY, optional
 *	%KEYNET_A_PRESHARED_KEY, %KEYNET_A_ENDPOINT, %KEYNET_A_KEEPALIVE,
 *	%KEYNET_A_PEER_NAME, %KEYNET_A_PEER_FLAGS, %KEYNET_A_PEER_TRANSIT).
 *	Fails with -EEXIST if it exists, except for
 *	a peer added by a beacon (%KEYNET_PEER_F_AUTO): that one becomes a
 *	manual peer, keeping its endpoint, preshared key and sessions unless
 *	the request gives new ones.
 * @KEYNET_CMD_PEER_SET: change an existing peer (same attributes; a
 *	0-byte %KEYNET_A_PRESHARED_KEY removes the key).  -ENOENT if absent.
 * @KEYNET_CMD_PEER_DEL: remove the peer %KEYNET_A_PEER_PUBLIC_KEY, its
 *	sessions and its routes.
 * @KEYNET_CMD_ROUTE_GET: dump the routes of a device (optionally only of
 *	%KEYNET_A_PEER_PUBLIC_KEY), one message per route, each carrying
 *	%KEYNET_A_IFINDEX, %KEYNET_A_PREFIX, %KEYNET_A_PREFIX_LEN,
 *	%KEYNET_A_PEER_PUBLIC_KEY and %KEYNET_A_METRIC.
 * @KEYNET_CMD_ROUTE_NEW: route %KEYNET_A_PREFIX / %KEYNET_A_PREFIX_LEN to
 *	the peer %KEYNET_A_PEER_PUBLIC_KEY with %KEYNET_A_METRIC (default 0);
 *	replaces the metric if that peer already has that prefix.  Host bits
 *	beyond the prefix length must be zero.  Or, instead of the prefix,
 *	many routes at once: the list %KEYNET_A_ROUTES, whose entries
 *	default to the request's peer and metric.  A list is all or
 *	nothing: on any error no route of it was added and no metric
 *	changed, and the extended ack names the entry (its position, from
 *	1, in the message on kernels with formatted messages, 6.2 on; the
 *	offset of the bad attribute, inside that entry, on all).  Like a
 *	single route, a list sends no %KEYNET_CMD_EVENT.  A module older
 *	than lists refuses %KEYNET_A_ROUTES as an unknown attribute
 *	(-EINVAL): send one request per route then.
 * @KEYNET_CMD_ROUTE_DEL: remove that prefix from that peer; with
 *	%KEYNET_A_FLAGS containing %KEYNET_F_FLUSH and no prefix, remove
 *	every route of the peer.  (No list: %KEYNET_A_ROUTES is refused,
 *	-EOPNOTSUPP.)
 * @KEYNET_CMD_NAT64_GET: the NAT64 translator of a device: %KEYNET_A_IFINDEX,
 *	%KEYNET_A_PREFIX (16 bytes) and %KEYNET_A_PREFIX_LEN, and when set
 *	%KEYNET_A_NAT64_IPV4_ADDR, %KEYNET_A_NAT64_IPV6_ADDR, plus
 *	%KEYNET_A_NAT64_MSS_CLAMP, %KEYNET_A_NAT64_STRICT_WKP,
 *	%KEYNET_A_NAT64_UDP_ZERO_CSUM, %KEYNET_A_NAT64_OFFLINK_MTU,
 *	%KEYNET_A_NAT64_CLAT,
 *	%KEYNET_A_NAT64_POOL_TIMEOUT, %KEYNET_A_NAT64_POOL_PER_64,
 *	%KEYNET_A_NAT64_POOL_SIZE, %KEYNET_A_NAT64_POOL_USED and, with
 *	%KEYNET_F_WANT_STATS,
 *	%KEYNET_A_NAT64_STATS.  -ENOENT when NAT64 is off on the device.
 * @KEYNET_CMD_NAT64_SET: turn the translator on or change it.  The first
 *	set needs %KEYNET_A_PREFIX (16 bytes, RFC 6052 length 32, 40, 48,
 *	56, 64 or 96 in %KEYNET_A_PREFIX_LEN); later ones change only the
 *	attributes given.  A 0-byte address attribute unsets it.  All or
 *	nothing.
 * @KEYNET_CMD_NAT64_DEL: turn the translator off and forget its maps and
 *	pool.
 * @KEYNET_CMD_MAP_GET: dump the address mappings of a device, static and
 *	dynamic, one message each with %KEYNET_A_NAT64_V4, %KEYNET_A_NAT64_V6,
 *	%KEYNET_A_NAT64_MAP_FLAGS, %KEYNET_A_NAT64_AGE and
 *	%KEYNET_A_NAT64_IDLE, static maps also with %KEYNET_A_NAT64_MAP_PLEN.
 * @KEYNET_CMD_MAP_NEW: add the mapping %KEYNET_A_NAT64_V4 <->
 *	%KEYNET_A_NAT64_V6: static (an RFC 7757 prefix map with
 *	%KEYNET_A_NAT64_MAP_PLEN), or with %KEYNET_NAT64_MAP_F_DYNAMIC in
 *	%KEYNET_A_NAT64_MAP_FLAGS a dynamic one inside the pool (restore),
 *	optionally already idle for %KEYNET_A_NAT64_IDLE seconds.  A static
 *	map whose prefixes overlap another's is refused (-EEXIST, the extack
 *	message names that map).
 * @KEYNET_CMD_MAP_DEL: remove the mapping of %KEYNET_A_NAT64_V4 (or of
 *	%KEYNET_A_NAT64_V6), static or dynamic; a static prefix map is named
 *	by its prefix (with %KEYNET_A_NAT64_MAP_PLEN), exactly.
 * @KEYNET_CMD_POOL_GET: dump the dynamic pool ranges, one message each with
 *	%KEYNET_A_PREFIX (4 bytes) and %KEYNET_A_PREFIX_LEN.
 * @KEYNET_CMD_POOL_NEW: add the IPv4 range %KEYNET_A_PREFIX /
 *	%KEYNET_A_PREFIX_LEN (16-32) to the dynamic pool.
 * @KEYNET_CMD_POOL_DEL: remove that range and its dynamic mappings.
 * @KEYNET_CMD_EVENT: notification only, sent to the %KEYNET_MCGRP_EVENTS
 *	multicast group (never a request): %KEYNET_A_EVENT says what
 *	happened, %KEYNET_A_IFINDEX and %KEYNET_A_IFNAME where, and the
 *	attributes of the object concerned follow (see &enum keynet_event).
 * @KEYNET_CMD_MAP_SET: replace every static map of a device at once with
 *	the list in %KEYNET_A_NAT64_MAPS (empty: remove them all).  The new
 *	set is checked as a whole (all or nothing) and takes effect in one
 *	step: maps in both sets keep translating without a gap, the others
 *	stop at once, and dynamic mappings holding an address of a new map
 *	are dropped (%KEYNET_EVENT_MAP_EVICTED, counter map_evicted).
 * @__KEYNET_CMD_MAX: number of commands
 * @KEYNET_CMD_MAX: highest command number
 */
enum keynet_cmd {
	KEYNET_CMD_UNSPEC,
	KEYNET_CMD_GET_INFO,
	KEYNET_CMD_LINK_GET,
	KEYNET_CMD_LINK_SET,
	KEYNET_CMD_PEER_GET,
	KEYNET_CMD_PEER_NEW,
	KEYNET_CMD_PEER_SET,
	KEYNET_CMD_PEER_DEL,
	KEYNET_CMD_ROUTE_GET,
	KEYNET_CMD_ROUTE_NEW,
	KEYNET_CMD_ROUTE_DEL,
	KEYNET_CMD_NAT64_GET,
	KEYNET_CMD_NAT64_SET,
	KEYNET_CMD_NAT64_DEL,
	KEYNET_CMD_MAP_GET,
	KEYNET_CMD_MAP_NEW,
	KEYNET_CMD_MAP_DEL,
	KEYNET_CMD_POOL_GET,
	KEYNET_CMD_POOL_NEW,
	KEYNET_CMD_POOL_DEL,
	KEYNET_CMD_EVENT,
	KEYNET_CMD_MAP_SET,

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
 * @KEYNET_A_FLAGS: u32, request flags (&enum keynet_flags).
 * @KEYNET_A_PRIVATE_KEY: binary, %KEYNET_KEY_LEN bytes (or 0 to remove),
 *	the device's Curve25519 private key.  Returned only to requests with
 *	%KEYNET_F_WANT_SECRETS.
 * @KEYNET_A_LISTEN_ADDR: binary, 4 (IPv4) or 16 (IPv6) bytes in network
 *	order: bind the underlay socket to this local address only; 0 bytes
 *	to listen on every address again.
 * @KEYNET_A_FWMARK: u32, firewall mark of the underlay packets; 0 for none.
 * @KEYNET_A_PEER_COUNT: u32, number of peers of a device.
 * @KEYNET_A_PEER_PUBLIC_KEY: binary, %KEYNET_KEY_LEN bytes, the peer's
 *	Curve25519 public key (the peer's identity).
 * @KEYNET_A_PRESHARED_KEY: binary, %KEYNET_KEY_LEN bytes (or 0 to remove),
 *	the symmetric key mixed into the handshake with this peer.
 * @KEYNET_A_ENDPOINT: binary, a struct sockaddr_in or struct sockaddr_in6:
 *	the peer's underlay address and UDP port.
 * @KEYNET_A_KEEPALIVE: u16, persistent keepalive interval in seconds;
 *	0 disables it.
 * @KEYNET_A_PEER_NAME: NUL-terminated string of at most
 *	%KEYNET_PEER_NAME_LEN - 1 bytes, a free-text name.
 * @KEYNET_A_LAST_HANDSHAKE: u64, time of the last completed handshake in
 *	nanoseconds since the Unix epoch; 0 if none.
 * @KEYNET_A_RX_BYTES: u64, bytes received from the peer (inner packets).
 * @KEYNET_A_TX_BYTES: u64, bytes sent to the peer (inner packets).
 * @KEYNET_A_RX_PACKETS: u64, packets received from the peer.
 * @KEYNET_A_TX_PACKETS: u64, packets sent to the peer.
 * @KEYNET_A_PEER_FLAGS: u32, &enum keynet_peer_flags.
 * @KEYNET_A_STATS: nested, the device's drop counters: one u64 attribute
 *	per &enum keynet_drop reason, the reason being the attribute type.
 * @KEYNET_A_PREFIX: binary, 4 (IPv4) or 16 (IPv6) bytes in network order,
 *	the address part of a routed prefix.
 * @KEYNET_A_PREFIX_LEN: u8, the prefix length (0-32 or 0-128).
 * @KEYNET_A_METRIC: u32, route preference: among the peers routing the
 *	same prefix, the alive one with the lowest metric carries the traffic.
 * @KEYNET_A_NAT64_IPV4_ADDR: binary, 4 bytes: the translator's own IPv4
 *	address, source of its ICMPv4 errors (0 bytes: unset).
 * @KEYNET_A_NAT64_IPV6_ADDR: binary, 16 bytes: the translator's own IPv6
 *	address, source of its ICMPv6 errors (0 bytes: unset; then the
 *	prefix with the IPv4 address embedded is used).
 * @KEYNET_A_NAT64_MSS_CLAMP: u16, TCP MSS clamp: 0 off,
 *	%KEYNET_NAT64_MSS_AUTO from the device MTU, else the value.
 * @KEYNET_A_NAT64_STRICT_WKP: u8, 1: refuse non-global IPv4 addresses with
 *	the Well-Known Prefix (RFC 6052 section 3.1, the default), 0: allow.
 * @KEYNET_A_NAT64_POOL_TIMEOUT: u32, idle seconds after which a dynamic
 *	mapping expires (default 7200).
 * @KEYNET_A_NAT64_POOL_SIZE: u32, addresses in the dynamic pool.
 * @KEYNET_A_NAT64_POOL_USED: u32, dynamic mappings in use.
 * @KEYNET_A_NAT64_STATS: nested, the translator's counters: one u64 per
 *	&enum keynet_nat64_stat, the counter being the attribute type.
 * @KEYNET_A_NAT64_V4: binary, 4 bytes, the IPv4 side of a mapping.
 * @KEYNET_A_NAT64_V6: binary, 16 bytes, the IPv6 side of a mapping.
 * @KEYNET_A_NAT64_MAP_FLAGS: u32, &enum keynet_nat64_map_flags.
 * @KEYNET_A_NAT64_AGE: u32, seconds since a mapping was created.
 * @KEYNET_A_NAT64_IDLE: u32, seconds since a mapping last translated a
 *	packet (static mappings: 0).
 * @KEYNET_A_ADDR_PREFIX: binary, 16 bytes, the device's addressing
 *	prefix: a public key's address is the first %KEYNET_A_ADDR_PREFIX_LEN
 *	bits of this followed by bits LEN..127 of SHA-512(SHA-512(key)).
 *	Default fc00::/8 (cjdns' addresses).  In LINK_SET and LINK_GET.
 * @KEYNET_A_ADDR_PREFIX_LEN: u8, 8 to 64, the addressing prefix length.
 * @KEYNET_A_ADDRESS: binary, 16 bytes, a key-derived IPv6 address: the
 *	device's own in LINK_GET (once a key is set), a peer's in PEER_GET.
 * @KEYNET_A_LINK_FLAGS: u32, &enum keynet_link_flags (LINK_SET, LINK_GET).
 * @KEYNET_A_ROUTE_FLAGS: u32, &enum keynet_route_flags in ROUTE_GET.
 * @KEYNET_A_LOCAL_PREFIXES: nested list (LINK_SET, LINK_GET) of
 *	%KEYNET_A_PREFIX entries, each itself a nest of %KEYNET_A_PREFIX and
 *	%KEYNET_A_PREFIX_LEN: when the list is not empty, only packets whose
 *	source lies in one of these prefixes are sent into the tunnel
 *	(yggdrasil's IPv4LocalSubnets).  %KEYNET_F_LOCAL_CLEAR in
 *	%KEYNET_A_FLAGS clears the list (netlink libraries drop empty nests).
 * @KEYNET_A_NAT64_UDP_ZERO_CSUM: u8, &enum keynet_nat64_udp0: what the
 *	translator does with a UDP datagram whose checksum is 0 (none).
 * @KEYNET_A_GENERATION: u32, in every message of a dump: the generation of
 *	the set being dumped when the message was made.  All messages of one
 *	uninterrupted dump carry the same value; when the set changes during
 *	a dump the kernel also sets NLM_F_DUMP_INTR and the client restarts.
 * @KEYNET_A_EVENT: u32, &enum keynet_event, in %KEYNET_CMD_EVENT.
 * @KEYNET_A_BEACON_MODE: u8, &enum keynet_beacon_mode (LINK_SET, LINK_GET).
 * @KEYNET_A_BEACON_PORT: u16 (host order), UDP port beacons are sent to
 *	and received on (default %KEYNET_BEACON_DEFAULT_PORT).
 * @KEYNET_A_BEACON_KEY: binary, %KEYNET_KEY_LEN bytes (or 0 to remove),
 *	the shared secret of a LAN's beacons: it keys their MAC and gives the
 *	preshared key of the peers they add.  Never returned; LINK_GET sets
 *	%KEYNET_LINK_F_HAS_BEACON_KEY instead.
 * @KEYNET_A_BEACON_IFINDEXES: nested list of %KEYNET_A_IFINDEX (u32): the
 *	underlay interfaces beacons are sent on (mode send) and accepted from.
 *	%KEYNET_F_BEACON_DEVS_CLEAR in %KEYNET_A_FLAGS empties it.
 * @KEYNET_A_BEACON_MAX_PEERS: u32, most auto-peers the device takes from
 *	beacons (default %KEYNET_BEACON_DEFAULT_MAX_PEERS).
 * @KEYNET_A_BEACON_STATS: nested, the beacon counters: one u64 per
 *	&enum keynet_beacon_stat, the counter being the attribute type
 *	(LINK_GET with %KEYNET_F_WANT_STATS).
 * @KEYNET_A_BEACON_STAMP_WINDOW: u32, seconds: a beacon whose stamp is
 *	further than this from the receiver's wall clock is ignored and
 *	counted stale (0: not checked; default
 *	%KEYNET_BEACON_DEFAULT_STAMP_WINDOW, at most 86400).
 * @KEYNET_A_PEER_TRANSIT: u8, 1: the peer is a transit peer, relaying
 *	other nodes' packets; a decrypted packet from it is accepted when
 *	any prefix routed to it contains the source.  0 (the default):
 *	source binding, the longest prefix containing the source must be
 *	routed to it (alone or in a failover group).  PEER_NEW, PEER_SET
 *	and PEER_GET.
 * @KEYNET_A_NAT64_POOL_PER_64: u32, the most dynamic mappings the
 *	sources of one IPv6 /64 get from the pool (default 64, 0: no
 *	limit); a new source beyond it is refused like one for a full pool
 *	and counted as pool_per_64.
 * @KEYNET_A_NAT64_OFFLINK_MTU: u32, 1280 to 65535, the MTU assumed for
 *	IPv6 destinations off the link (default 1280): an IPv4 packet
 *	without DF whose translation is larger is sent as IPv6 fragments of
 *	at most this size (RFC 7915 section 4.1; TAYGA's offlink-mtu).
 * @KEYNET_A_NAT64_MAP_PLEN: u8, 0 to 32, the IPv4 prefix length of a
 *	static map (RFC 7757): %KEYNET_A_NAT64_V4 is an IPv4 prefix of this
 *	length and %KEYNET_A_NAT64_V6 an IPv6 prefix of 96 plus it (equal
 *	suffixes), neither with host bits set.  Absent: 32, a single
 *	address on each side.
 * @KEYNET_A_NAT64_MAPS: nested, in %KEYNET_CMD_MAP_SET: the static maps,
 *	each a nested %KEYNET_A_NAT64_MAPS entry holding
 *	%KEYNET_A_NAT64_V4, %KEYNET_A_NAT64_V6 and optionally
 *	%KEYNET_A_NAT64_MAP_PLEN; at most 4096.
 * @KEYNET_A_NAT64_CLAT: u8, 1: CLAT (464XLAT, RFC 6877): an IPv4 packet
 *	whose source a static map holds is translated even when its
 *	destination is no address of the translator (unless a crypto-key
 *	route of the device covers it), the destination with the RFC 6052
 *	prefix; a translated IPv6 packet to a static map's IPv4 side is
 *	delivered, not hairpinned.  0 (the default): off.  NAT64_SET and
 *	NAT64_GET.
 * @KEYNET_A_ROUTES: nested, in %KEYNET_CMD_ROUTE_NEW: routes to add, each
 *	a nested %KEYNET_A_ROUTES entry holding %KEYNET_A_PREFIX and
 *	%KEYNET_A_PREFIX_LEN and optionally %KEYNET_A_METRIC and
 *	%KEYNET_A_PEER_PUBLIC_KEY (absent: the request's).  Being one
 *	attribute, the list is at most 65,535 bytes: 3,276 IPv4 entries of
 *	20 bytes, or 2,047 IPv6 entries of 32 bytes; a metric of its own
 *	adds 8 bytes to an entry, a peer 36.  Entries are added in order; a
 *	later entry for the same peer and prefix changes the metric.
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
	KEYNET_A_FLAGS,
	KEYNET_A_PRIVATE_KEY,
	KEYNET_A_LISTEN_ADDR,
	KEYNET_A_FWMARK,
	KEYNET_A_PEER_COUNT,
	KEYNET_A_PEER_PUBLIC_KEY,
	KEYNET_A_PRESHARED_KEY,
	KEYNET_A_ENDPOINT,
	KEYNET_A_KEEPALIVE,
	KEYNET_A_PEER_NAME,
	KEYNET_A_LAST_HANDSHAKE,
	KEYNET_A_RX_BYTES,
	KEYNET_A_TX_BYTES,
	KEYNET_A_RX_PACKETS,
	KEYNET_A_TX_PACKETS,
	KEYNET_A_PEER_FLAGS,
	KEYNET_A_STATS,
	KEYNET_A_PREFIX,
	KEYNET_A_PREFIX_LEN,
	KEYNET_A_METRIC,
	KEYNET_A_NAT64_IPV4_ADDR,
	KEYNET_A_NAT64_IPV6_ADDR,
	KEYNET_A_NAT64_MSS_CLAMP,
	KEYNET_A_NAT64_STRICT_WKP,
	KEYNET_A_NAT64_POOL_TIMEOUT,
	KEYNET_A_NAT64_POOL_SIZE,
	KEYNET_A_NAT64_POOL_USED,
	KEYNET_A_NAT64_STATS,
	KEYNET_A_NAT64_V4,
	KEYNET_A_NAT64_V6,
	KEYNET_A_NAT64_MAP_FLAGS,
	KEYNET_A_NAT64_AGE,
	KEYNET_A_NAT64_IDLE,
	KEYNET_A_ADDR_PREFIX,
	KEYNET_A_ADDR_PREFIX_LEN,
	KEYNET_A_ADDRESS,
	KEYNET_A_LINK_FLAGS,
	KEYNET_A_ROUTE_FLAGS,
	KEYNET_A_LOCAL_PREFIXES,
	KEYNET_A_NAT64_UDP_ZERO_CSUM,
	KEYNET_A_GENERATION,
	KEYNET_A_EVENT,
	KEYNET_A_BEACON_MODE,
	KEYNET_A_BEACON_PORT,
	KEYNET_A_BEACON_KEY,
	KEYNET_A_BEACON_IFINDEXES,
	KEYNET_A_BEACON_MAX_PEERS,
	KEYNET_A_BEACON_STATS,
	KEYNET_A_BEACON_STAMP_WINDOW,
	KEYNET_A_PEER_TRANSIT,
	KEYNET_A_NAT64_POOL_PER_64,
	KEYNET_A_NAT64_OFFLINK_MTU,
	KEYNET_A_NAT64_MAP_PLEN,
	KEYNET_A_NAT64_MAPS,
	KEYNET_A_NAT64_CLAT,
	KEYNET_A_ROUTES,

	__KEYNET_A_MAX
};

#define KEYNET_A_MAX (__KEYNET_A_MAX - 1)

/* Longest peer name, including the terminating NUL. */
#define KEYNET_PEER_NAME_LEN	64

/**
 * enum keynet_flags - flags of %KEYNET_A_FLAGS in requests
 * @KEYNET_F_WANT_SECRETS: include private and preshared keys in replies
 * @KEYNET_F_WANT_STATS: include %KEYNET_A_STATS in link replies
 * @KEYNET_F_FLUSH: with %KEYNET_CMD_ROUTE_DEL, remove all of a peer's routes
 * @KEYNET_F_LOCAL_CLEAR: with %KEYNET_CMD_LINK_SET, remove the local-source
 *	filter (%KEYNET_A_LOCAL_PREFIXES)
 * @KEYNET_F_BEACON_DEVS_CLEAR: with %KEYNET_CMD_LINK_SET, empty the beacon
 *	interface list (%KEYNET_A_BEACON_IFINDEXES)
 */
enum keynet_flags {
	KEYNET_F_WANT_SECRETS	= 1U << 0,
	KEYNET_F_WANT_STATS	= 1U << 1,
	KEYNET_F_FLUSH		= 1U << 2,
	KEYNET_F_LOCAL_CLEAR	= 1U << 3,
	KEYNET_F_BEACON_DEVS_CLEAR = 1U << 4,
};

/**
 * enum keynet_peer_flags - flags of %KEYNET_A_PEER_FLAGS
 * @KEYNET_PEER_F_HAS_PSK: (reply) a preshared key is set
 * @KEYNET_PEER_F_HAS_SESSION: (reply) a current session (keypair) exists
 * @KEYNET_PEER_F_NO_AUTO_ROUTE: (request and reply) do not route the
 *	peer's key-derived /128 to it automatically
 * @KEYNET_PEER_F_ALIVE: (reply) a handshake completed within the last
 *	180 s and none has failed since: the peer may carry failover traffic
 * @KEYNET_PEER_F_AUTO: (reply) the peer was added by a LAN beacon and
 *	expires when it goes silent; manually added peers never have it
 */
enum keynet_peer_flags {
	KEYNET_PEER_F_HAS_PSK		= 1U << 0,
	KEYNET_PEER_F_HAS_SESSION	= 1U << 1,
	KEYNET_PEER_F_NO_AUTO_ROUTE	= 1U << 2,
	KEYNET_PEER_F_ALIVE		= 1U << 3,
	KEYNET_PEER_F_AUTO		= 1U << 4,
};

/**
 * enum keynet_link_flags - flags of %KEYNET_A_LINK_FLAGS
 * @KEYNET_LINK_F_NO_AUTO_ADDR: the tool does not give the device its
 *	derived address and the route of the addressing prefix when it sets
 *	the private key (the kernel only stores this choice)
 * @KEYNET_LINK_F_NO_PEER_ROUTES: do not route each peer's derived /128 to
 *	it automatically
 * @KEYNET_LINK_F_HAS_BEACON_KEY: (reply) a beacon key is set
 * @KEYNET_LINK_F_MESH: mesh mode (docs/mesh.md): every peer's key-derived
 *	link-local address is routed to it, packets are sent to the peer
 *	owning the route's next hop, link-local multicast is copied to every
 *	peer with a session, and a received packet's source is accepted when
 *	the FIB routes it back via the sending peer
 */
enum keynet_link_flags {
	KEYNET_LINK_F_NO_AUTO_ADDR	= 1U << 0,
	KEYNET_LINK_F_NO_PEER_ROUTES	= 1U << 1,
	KEYNET_LINK_F_HAS_BEACON_KEY	= 1U << 2,
	KEYNET_LINK_F_MESH		= 1U << 3,
};

/**
 * enum keynet_route_flags - flags of %KEYNET_A_ROUTE_FLAGS
 * @KEYNET_ROUTE_F_AUTO: the route is a peer's key-derived /128 or, in mesh
 *	mode, its key-derived link-local /128, made by the kernel
 */
enum keynet_route_flags {
	KEYNET_ROUTE_F_AUTO		= 1U << 0,
};

/* The generic netlink multicast group of &enum keynet_event messages. */
#define KEYNET_MCGRP_EVENTS	"events"

/**
 * enum keynet_event - what a %KEYNET_CMD_EVENT message reports
 * @KEYNET_EVENT_UNSPEC: unused
 * @KEYNET_EVENT_HANDSHAKE: a handshake with a peer completed
 *	(%KEYNET_A_PEER_PUBLIC_KEY, %KEYNET_A_ENDPOINT)
 * @KEYNET_EVENT_PEER_LOST: a peer stopped being alive (handshakes failed,
 *	or none completed for 180 s) (%KEYNET_A_PEER_PUBLIC_KEY)
 * @KEYNET_EVENT_ENDPOINT: a peer's endpoint changed by roaming
 *	(%KEYNET_A_PEER_PUBLIC_KEY, %KEYNET_A_ENDPOINT, the new one)
 * @KEYNET_EVENT_FAILOVER: the peer carrying a prefix changed because a
 *	peer died or came back (%KEYNET_A_PREFIX, %KEYNET_A_PREFIX_LEN and
 *	%KEYNET_A_PEER_PUBLIC_KEY of the peer now carrying it, absent when
 *	none is left)
 * @KEYNET_EVENT_MAP_NEW: the NAT64 pool made a dynamic mapping
 *	(%KEYNET_A_NAT64_V4, %KEYNET_A_NAT64_V6)
 * @KEYNET_EVENT_MAP_EXPIRED: a dynamic mapping expired (same attributes)
 * @KEYNET_EVENT_AUTO_PEER_ADDED: a beacon added a peer
 *	(%KEYNET_A_PEER_PUBLIC_KEY, %KEYNET_A_ENDPOINT)
 * @KEYNET_EVENT_AUTO_PEER_EXPIRED: an auto-peer went silent and was
 *	removed (%KEYNET_A_PEER_PUBLIC_KEY)
 * @KEYNET_EVENT_PEER_ALIVE: a peer became alive: its first handshake, or
 *	back after %KEYNET_EVENT_PEER_LOST (a handshake, or its packets
 *	arriving again after a silence, which needs no handshake)
 *	(%KEYNET_A_PEER_PUBLIC_KEY, %KEYNET_A_ENDPOINT)
 * @KEYNET_EVENT_MAP_ADDED: configuration added a static map
 *	(%KEYNET_A_NAT64_V4, %KEYNET_A_NAT64_V6, %KEYNET_A_NAT64_MAP_PLEN)
 * @KEYNET_EVENT_MAP_REMOVED: configuration removed a static map (same
 *	attributes)
 * @KEYNET_EVENT_MAP_EVICTED: a dynamic mapping was dropped because a new
 *	static map holds its IPv4 or IPv6 address (%KEYNET_A_NAT64_V4,
 *	%KEYNET_A_NAT64_V6)
 * @__KEYNET_EVENT_MAX: number of event types
 */
enum keynet_event {
	KEYNET_EVENT_UNSPEC,
	KEYNET_EVENT_HANDSHAKE,
	KEYNET_EVENT_PEER_LOST,
	KEYNET_EVENT_ENDPOINT,
	KEYNET_EVENT_FAILOVER,
	KEYNET_EVENT_MAP_NEW,
	KEYNET_EVENT_MAP_EXPIRED,
	KEYNET_EVENT_AUTO_PEER_ADDED,
	KEYNET_EVENT_AUTO_PEER_EXPIRED,
	KEYNET_EVENT_PEER_ALIVE,
	KEYNET_EVENT_MAP_ADDED,
	KEYNET_EVENT_MAP_REMOVED,
	KEYNET_EVENT_MAP_EVICTED,

	__KEYNET_EVENT_MAX
};

/**
 * enum keynet_beacon_mode - values of %KEYNET_A_BEACON_MODE
 * @KEYNET_BEACON_OFF: beacons are neither sent nor accepted (default)
 * @KEYNET_BEACON_ACCEPT: beacons from holders of the beacon key add peers
 * @KEYNET_BEACON_SEND: accept, and announce this node every 10 s
 */
enum keynet_beacon_mode {
	KEYNET_BEACON_OFF,
	KEYNET_BEACON_ACCEPT,
	KEYNET_BEACON_SEND,
};

#define KEYNET_BEACON_DEFAULT_PORT	27178
#define KEYNET_BEACON_DEFAULT_MAX_PEERS	64
#define KEYNET_BEACON_DEFAULT_STAMP_WINDOW	300

/**
 * enum keynet_beacon_stat - beacon counters, the attribute types inside
 *	%KEYNET_A_BEACON_STATS
 * @KEYNET_BEACON_STAT_UNSPEC: unused
 * @KEYNET_BEACON_STAT_SENT: beacons sent
 * @KEYNET_BEACON_STAT_RECEIVED: beacons received that verified
 * @KEYNET_BEACON_STAT_PEERS_ADDED: auto-peers added
 * @KEYNET_BEACON_STAT_PEERS_EXPIRED: auto-peers removed as silent
 * @KEYNET_BEACON_STAT_MALFORMED: malformed beacons or unknown version
 * @KEYNET_BEACON_STAT_BAD_MAC: beacons whose MAC did not verify (another
 *	beacon key)
 * @KEYNET_BEACON_STAT_NO_KEY: beacons seen while no beacon key is set
 *	(logged, not accepted)
 * @KEYNET_BEACON_STAT_OVER_CAP: valid beacons ignored because the device
 *	has %KEYNET_A_BEACON_MAX_PEERS auto-peers
 * @KEYNET_BEACON_STAT_RATE_LIMITED: valid beacons over the per-source rate
 *	limit, or dropped because the queue of valid beacons was full
 * @KEYNET_BEACON_STAT_STALE: valid beacons whose stamp is outside
 *	%KEYNET_A_BEACON_STAMP_WINDOW of the receiver's clock
 * @KEYNET_BEACON_STAT_REPLAYED: valid beacons whose stamp is not above the
 *	last one seen from the same key (a replay, or an older copy)
 * @__KEYNET_BEACON_STAT_MAX: number of counters
 */
enum keynet_beacon_stat {
	KEYNET_BEACON_STAT_UNSPEC,
	KEYNET_BEACON_STAT_SENT,
	KEYNET_BEACON_STAT_RECEIVED,
	KEYNET_BEACON_STAT_PEERS_ADDED,
	KEYNET_BEACON_STAT_PEERS_EXPIRED,
	KEYNET_BEACON_STAT_MALFORMED,
	KEYNET_BEACON_STAT_BAD_MAC,
	KEYNET_BEACON_STAT_NO_KEY,
	KEYNET_BEACON_STAT_OVER_CAP,
	KEYNET_BEACON_STAT_RATE_LIMITED,
	KEYNET_BEACON_STAT_STALE,
	KEYNET_BEACON_STAT_REPLAYED,

	__KEYNET_BEACON_STAT_MAX
};

/* Default addressing prefix: fc00::/8, as cjdns. */
#define KEYNET_DEFAULT_ADDR_PREFIX_LEN	8

/**
 * enum keynet_drop - reasons a device dropped a packet, the attribute
 *	types inside %KEYNET_A_STATS
 * @KEYNET_DROP_UNSPEC: unused
 * @KEYNET_DROP_TOO_SHORT: underlay datagram shorter than its message type
 * @KEYNET_DROP_BAD_TYPE: unknown message type or reserved bytes not zero
 * @KEYNET_DROP_BAD_MAC: handshake mac1/mac2 or data tag did not verify
 * @KEYNET_DROP_REPLAY: data counter already seen or too old; replayed
 *	handshake initiation
 * @KEYNET_DROP_UNKNOWN_PEER: handshake from, or data for, no known peer or
 *	session
 * @KEYNET_DROP_NO_ROUTE: transmit to a destination routed to no peer
 * @KEYNET_DROP_BAD_SOURCE: decrypted packet whose source is not routed to
 *	the peer it came from: the longest prefix containing it is not the
 *	peer's (for a transit peer, %KEYNET_A_PEER_TRANSIT: no prefix of the
 *	peer contains it)
 * @KEYNET_DROP_RATE_LIMITED: handshake message over the rate limit
 * @KEYNET_DROP_BAD_PACKET: decrypted payload that is not a valid IP packet
 * @KEYNET_DROP_NO_KEY: no private key, or no session and none could start
 * @KEYNET_DROP_LOW_ORDER: handshake with a low-order public key
 * @KEYNET_DROP_NOMEM: out of memory or queue full
 * @KEYNET_DROP_UNDERLAY: the underlay could not send (no route, no socket)
 * @KEYNET_DROP_LOOP: the underlay route to the peer's endpoint leads into
 *	a keynet device: sending would loop
 * @KEYNET_DROP_LOCAL_FILTER: transmit from a source outside the device's
 *	local prefixes (%KEYNET_A_LOCAL_PREFIXES)
 * @KEYNET_DROP_MESH_RPF: (mesh) decrypted packet whose source the FIB
 *	does not route back via the peer it came from and the crypto-key
 *	rule does not allow either
 * @KEYNET_DROP_NO_NEXTHOP: (mesh) transmit along a route whose gateway is
 *	no peer's address
 * @__KEYNET_DROP_MAX: number of reasons
 */
enum keynet_drop {
	KEYNET_DROP_UNSPEC,
	KEYNET_DROP_TOO_SHORT,
	KEYNET_DROP_BAD_TYPE,
	KEYNET_DROP_BAD_MAC,
	KEYNET_DROP_REPLAY,
	KEYNET_DROP_UNKNOWN_PEER,
	KEYNET_DROP_NO_ROUTE,
	KEYNET_DROP_BAD_SOURCE,
	KEYNET_DROP_RATE_LIMITED,
	KEYNET_DROP_BAD_PACKET,
	KEYNET_DROP_NO_KEY,
	KEYNET_DROP_LOW_ORDER,
	KEYNET_DROP_NOMEM,
	KEYNET_DROP_UNDERLAY,
	KEYNET_DROP_LOOP,
	KEYNET_DROP_LOCAL_FILTER,
	KEYNET_DROP_MESH_RPF,
	KEYNET_DROP_NO_NEXTHOP,

	__KEYNET_DROP_MAX
};

/* %KEYNET_A_NAT64_MSS_CLAMP: clamp to the device MTU minus 60 bytes. */
#define KEYNET_NAT64_MSS_AUTO	0xffff

/**
 * enum keynet_nat64_udp0 - values of %KEYNET_A_NAT64_UDP_ZERO_CSUM
 * @KEYNET_NAT64_UDP0_COMPUTE: IPv4 -> IPv6: compute the checksum of an
 *	unfragmented datagram (RFC 7915 section 4.5; the default), drop a
 *	fragmented one; IPv6 -> IPv4: drop.  Drops count udp_zero_csum.
 * @KEYNET_NAT64_UDP0_DROP: drop them, both ways.
 * @KEYNET_NAT64_UDP0_FORWARD: pass the zero checksum on, both ways
 *	(RFC 6935 and 6936 allow it for tunnels over IPv6; TAYGA's
 *	udp-cksum-mode fwd).
 */
enum keynet_nat64_udp0 {
	KEYNET_NAT64_UDP0_COMPUTE,
	KEYNET_NAT64_UDP0_DROP,
	KEYNET_NAT64_UDP0_FORWARD,
};

/**
 * enum keynet_nat64_map_flags - flags of %KEYNET_A_NAT64_MAP_FLAGS
 * @KEYNET_NAT64_MAP_F_DYNAMIC: a dynamic (pool) mapping, which expires
 */
enum keynet_nat64_map_flags {
	KEYNET_NAT64_MAP_F_DYNAMIC	= 1U << 0,
};

/**
 * enum keynet_nat64_stat - counters of the NAT64 translator, the attribute
 *	types inside %KEYNET_A_NAT64_STATS
 * @KEYNET_NAT64_STAT_UNSPEC: unused
 * @KEYNET_NAT64_STAT_XLAT_4TO6: IPv4 packets translated to IPv6
 * @KEYNET_NAT64_STAT_XLAT_6TO4: IPv6 packets translated to IPv4
 * @KEYNET_NAT64_STAT_ICMP4_SENT: ICMPv4 errors sent by the translator
 * @KEYNET_NAT64_STAT_ICMP6_SENT: ICMPv6 errors sent by the translator
 * @KEYNET_NAT64_STAT_FRAGMENTS: IPv6 fragments made (to 1280 bytes)
 * @KEYNET_NAT64_STAT_TRUNCATED: packet shorter than its headers
 * @KEYNET_NAT64_STAT_BAD_HDR: bad version, lengths, options or extensions
 * @KEYNET_NAT64_STAT_BAD_CSUM: bad IPv4 header or ICMP error checksum
 * @KEYNET_NAT64_STAT_HOP_LIMIT: TTL or hop limit expired
 * @KEYNET_NAT64_STAT_TOO_BIG: larger than the MTU and not fragmentable
 * @KEYNET_NAT64_STAT_SRC_ROUTE: IPv4 source route option
 * @KEYNET_NAT64_STAT_SEG_LEFT: IPv6 routing header with segments left
 * @KEYNET_NAT64_STAT_NO_MAP_SRC: source address not translatable
 * @KEYNET_NAT64_STAT_NO_MAP_DST: destination address not mapped
 * @KEYNET_NAT64_STAT_NONGLOBAL: non-global IPv4 with the Well-Known Prefix
 * @KEYNET_NAT64_STAT_LOOP: would loop back into the translator
 * @KEYNET_NAT64_STAT_PROTO: a protocol the other family cannot carry:
 *	ICMPv6 in IPv4, ICMPv4 in IPv6, an IPv6 extension header number
 *	(0, 43, 44, 60) as the IPv4 protocol or after an IPv6 Fragment
 *	header
 * @KEYNET_NAT64_STAT_ICMP_TYPE: untranslatable ICMP type, code or pointer
 * @KEYNET_NAT64_STAT_ICMP_INNER: bad or untranslatable ICMP inner packet
 * @KEYNET_NAT64_STAT_FRAG: fragmented ICMP or bad fragment header
 * @KEYNET_NAT64_STAT_UDP_ZERO_CSUM: UDP without checksum, not translated
 *	(&enum keynet_nat64_udp0)
 * @KEYNET_NAT64_STAT_NO_SPACE: translated headers too large
 * @KEYNET_NAT64_STAT_POOL_FULL: no free address in the dynamic pool
 * @KEYNET_NAT64_STAT_NOMEM: out of memory
 * @KEYNET_NAT64_STAT_LOCAL: addressed to the translator itself (echo
 *	requests are answered, the rest dropped)
 * @KEYNET_NAT64_STAT_GSO: TCP super-packets (GSO/GRO) translated whole,
 *	without segmenting; their segments also count in
 *	%KEYNET_NAT64_STAT_XLAT_4TO6 or %KEYNET_NAT64_STAT_XLAT_6TO4
 * @KEYNET_NAT64_STAT_ICMP_RATELIMITED: ICMP errors not sent because of the
 *	translator's rate limit (the packet still counts its drop reason)
 * @KEYNET_NAT64_STAT_MARTIAN: a translated IPv4 source or destination
 *	would be 0/8, 127/8, multicast (224/4) or class E and broadcast
 *	(240/4), with any prefix, map or pool address
 * @KEYNET_NAT64_STAT_POOL_PER_64: a new source refused because its /64
 *	already holds %KEYNET_A_NAT64_POOL_PER_64 dynamic mappings
 * @KEYNET_NAT64_STAT_MARTIAN6: an IPv6 source or destination that is never
 *	translated: ::, ::1, link-local fe80::/10, multicast ff00::/8, or
 *	inside the prefix with a non-zero u octet (bits 64-71)
 * @KEYNET_NAT64_STAT_MAP_EVICTED: dynamic mappings dropped because a new
 *	static map holds one of their addresses
 * @KEYNET_NAT64_STAT_HAIRPIN: IPv6 packets whose IPv4 translation was
 *	for a mapped address of this translator and were translated back
 *	to IPv6 at once (RFC 7757 section 4); they also count in
 *	%KEYNET_NAT64_STAT_XLAT_6TO4 and %KEYNET_NAT64_STAT_XLAT_4TO6
 * @__KEYNET_NAT64_STAT_MAX: number of counters
 */
enum keynet_nat64_stat {
	KEYNET_NAT64_STAT_UNSPEC,
	KEYNET_NAT64_STAT_XLAT_4TO6,
	KEYNET_NAT64_STAT_XLAT_6TO4,
	KEYNET_NAT64_STAT_ICMP4_SENT,
	KEYNET_NAT64_STAT_ICMP6_SENT,
	KEYNET_NAT64_STAT_FRAGMENTS,
	KEYNET_NAT64_STAT_TRUNCATED,
	KEYNET_NAT64_STAT_BAD_HDR,
	KEYNET_NAT64_STAT_BAD_CSUM,
	KEYNET_NAT64_STAT_HOP_LIMIT,
	KEYNET_NAT64_STAT_TOO_BIG,
	KEYNET_NAT64_STAT_SRC_ROUTE,
	KEYNET_NAT64_STAT_SEG_LEFT,
	KEYNET_NAT64_STAT_NO_MAP_SRC,
	KEYNET_NAT64_STAT_NO_MAP_DST,
	KEYNET_NAT64_STAT_NONGLOBAL,
	KEYNET_NAT64_STAT_LOOP,
	KEYNET_NAT64_STAT_PROTO,
	KEYNET_NAT64_STAT_ICMP_TYPE,
	KEYNET_NAT64_STAT_ICMP_INNER,
	KEYNET_NAT64_STAT_FRAG,
	KEYNET_NAT64_STAT_UDP_ZERO_CSUM,
	KEYNET_NAT64_STAT_NO_SPACE,
	KEYNET_NAT64_STAT_POOL_FULL,
	KEYNET_NAT64_STAT_NOMEM,
	KEYNET_NAT64_STAT_LOCAL,
	KEYNET_NAT64_STAT_GSO,
	KEYNET_NAT64_STAT_ICMP_RATELIMITED,
	KEYNET_NAT64_STAT_MARTIAN,
	KEYNET_NAT64_STAT_POOL_PER_64,
	KEYNET_NAT64_STAT_MARTIAN6,
	KEYNET_NAT64_STAT_MAP_EVICTED,
	KEYNET_NAT64_STAT_HAIRPIN,

	__KEYNET_NAT64_STAT_MAX
};

#endif /* _UAPI_LINUX_KEYNET_H */
