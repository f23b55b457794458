/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tool's model of a keynet device: plain structures for the device,
 * its peers, routes, NAT64 translator, pool ranges and static maps, and
 * the device's addresses and host routes.  A file parsed by conf.c, the
 * running state read back (conf_read.c) and the replies of the show
 * commands are all this model; codec.c is the one translation between
 * it and the keynet generic netlink family, and conf_apply.c compares two
 * of them.
 */
#ifndef KEYNET_TOOL_MODEL_H
#define KEYNET_TOOL_MODEL_H

#include <net/if.h>

#include "keynet.h"

/* Defaults of a new device; a key left out of the file means these. */
#define KN_CONF_DEFAULT_MTU	1420	/* 1500 minus keynet's 80 bytes */
#define KN_CONF_MTU_MIN		68
#define KN_CONF_MTU_MAX		65455	/* 65535 minus the overhead */
#define KN_CONF_LOCAL_MAX	64	/* KN_LOCAL_PREFIXES_MAX */
#define KN_CONF_POOL_RANGES_MAX	8
#define KN_CONF_POOL_ADDRS_MAX	65536
#define KN_CONF_MAPS_MAX	4096	/* KN_NAT64_STATIC_MAX */
#define KN_CONF_NAT64_TIMEOUT	7200
#define KN_CONF_NAT64_PER_64	64
#define KN_CONF_MSS_MIN		88
#define KN_CONF_BEACON_DEVS_MAX	32
#define KN_CONF_BEACON_PEERS_MAX 4096
#define KN_CONF_BEACON_WINDOW_MAX 86400
/* Host routes: rtm_protocol of the routes conf apply owns ("proto static"). */
#define KN_CONF_RTPROT		4	/* RTPROT_STATIC */
#define KN_CONF_TABLE_MAIN	254
#define KN_CONF_TABLE_LOCAL	255
#define KN_CONF_V6_METRIC	1024	/* the kernel's default IPv6 metric */

/* An address on the device (Address=): host bits allowed, as "ip addr". */
struct kn_conf_addr {
	int line;
	int family;
	uint8_t addr[16];
	uint8_t plen;
};

/* A route in the host's routing table via the device (HostRoute=). */
struct kn_conf_hroute {
	int line;
	struct kn_prefix p;
	uint32_t table;
	uint32_t metric;	/* normalised: 1024 for IPv6 when not given */
	bool has_src;
	uint8_t src[16];
};

struct kn_conf_peer {
	int line;		/* of its [Peer] header */
	uint8_t key[KEYNET_KEY_LEN];
	bool has_psk;
	uint8_t psk[KEYNET_KEY_LEN];
	bool has_ep;
	char *ep_text;		/* as written: resolved by kn_conf_resolve() */
	int ep_line;
	struct sockaddr_storage ep;
	socklen_t eplen;
	bool ep_resolved;
	uint16_t keepalive;
	char name[KEYNET_PEER_NAME_LEN];
	bool no_auto_route;
	bool transit;		/* Transit=: KEYNET_A_PEER_TRANSIT */
	uint32_t flags;		/* running state: KEYNET_A_PEER_FLAGS */
	bool has_address;	/* running state: its key-derived address */
	uint8_t address[16];
};

struct kn_conf_route {
	int line;
	struct kn_prefix p;
	uint32_t metric;
	int peer;		/* index into peers[] */
	bool is_auto;		/* running state: KEYNET_ROUTE_F_AUTO */
};

struct kn_conf_map {
	int line;
	uint8_t v4[4];
	uint8_t v6[16];
};

struct kn_conf_pool {
	int line;
	struct kn_prefix p;
};

struct kn_conf_nat64 {
	bool on;
	int line;
	uint8_t prefix[16];
	uint8_t plen;
	bool has_v4, has_v6;
	uint8_t v4[4];
	uint8_t v6[16];
	uint16_t mss;		/* 0 off, KEYNET_NAT64_MSS_AUTO, or a value */
	bool strict_wkp;
	bool udp0_drop;
	uint32_t timeout;
	uint32_t per64;		/* dynamic mappings per /64, 0: no limit */
};

struct kn_conf {
	const char *path;	/* for messages: as given */
	bool has_secrets;	/* the file holds a key itself */

	/* [Link] */
	char name[IFNAMSIZ];
	int name_line;
	bool has_priv;		/* PrivateKey(File)= given; else unchanged */
	bool priv_remove;	/* PrivateKeyFile= an empty file */
	uint8_t priv[KEYNET_KEY_LEN];
	uint8_t pub[KEYNET_KEY_LEN];	/* of priv, or the device's */
	bool has_pub;
	int priv_line;
	bool has_address;	/* running state: the derived address */
	uint8_t address[16];
	uint16_t port;
	int laddr_len;		/* 0: every address */
	uint8_t laddr[16];
	uint32_t fwmark;
	uint8_t aprefix[16];
	uint8_t aplen;
	bool auto_address;
	bool peer_routes;
	int n_local;
	struct kn_prefix local[KN_CONF_LOCAL_MAX];
	uint32_t mtu;
	uint32_t table;		/* Table=: 0 off, else the table number */
	struct kn_conf_addr *addrs;
	int n_addrs;
	struct kn_conf_hroute *hroutes;
	int n_hroutes;
	/* LAN beacons (enum keynet_beacon_mode) */
	uint8_t beacon_mode;
	uint16_t beacon_port;
	uint32_t beacon_max;
	uint32_t beacon_window;		/* stamp window, seconds (0: off) */
	int n_beacon_devs;
	char beacon_devs[KN_CONF_BEACON_DEVS_MAX][IFNAMSIZ];
	int beacon_dev_line[KN_CONF_BEACON_DEVS_MAX];
	uint32_t beacon_ifindex[KN_CONF_BEACON_DEVS_MAX];	/* resolved */
	bool has_beacon_key;	/* BeaconKey(File)= given; else unchanged */
	bool beacon_key_remove;
	uint8_t beacon_key[KEYNET_KEY_LEN];
	int beacon_key_line;
	bool beacon_key_set;	/* running state: a beacon key is set */

	struct kn_conf_peer *peers;
	int n_peers;
	struct kn_conf_route *routes;
	int n_routes;

	struct kn_conf_nat64 nat64;
	struct kn_conf_pool *pools;
	int n_pools;
	struct kn_conf_map *maps;
	int n_maps;
};

/* What rtnetlink says of the device itself. */
struct kn_rt_link {
	uint32_t ifindex;
	uint32_t mtu;
	bool up;
	char kind[32];
};

#endif /* KEYNET_TOOL_MODEL_H */
