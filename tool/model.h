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
#define KN_CONF_NAT64_OFFLINK	1280	/* KN_NAT64_DEFAULT_OFFLINK_MTU */
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

/* A peer's counters, as PEER_GET reports them (not configuration). */
struct kn_peer_stats {
	uint64_t last_handshake;	/* ns since the epoch, 0: never */
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_packets, tx_packets;
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
	struct kn_peer_stats stats;	/* running state: counters */
};

struct kn_conf_route {
	int line;
	struct kn_prefix p;
	uint32_t metric;
	int peer;		/* index into peers[] */
	bool is_auto;		/* running state: KEYNET_ROUTE_F_AUTO */
};

/*
 * A static map (RFC 7757): the IPv4 prefix @v4/@len4 and the IPv6 prefix
 * @v6/@len6, with @len6 = 96 + @len4 once checked (a single address is
 * /32 and /128).  Whoever fills one sets both lengths.
 */
struct kn_conf_map {
	int line;
	uint8_t v4[4];
	uint8_t v6[16];
	uint8_t len4, len6;
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
	uint8_t udp0;		/* enum keynet_nat64_udp0 */
	uint32_t timeout;
	uint32_t per64;		/* dynamic mappings per /64, 0: no limit */
	uint32_t offlink_mtu;	/* MTU of off-link IPv6 destinations */
	bool clat;		/* CLAT (464XLAT): static maps are IPv4 hosts */
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
	uint32_t ifindex;	/* running state */
	uint32_t peer_count;	/* running state */
	bool has_addressing;	/* running state: the kernel reported it */
	uint32_t link_flags;	/* running state: KEYNET_A_LINK_FLAGS as sent */
	bool has_link_flags;
	bool has_beacon;	/* running state: the kernel reported beacons */
	bool has_beacon_devs;	/* running state: KEYNET_A_BEACON_IFINDEXES sent */
	uint16_t port;
	int laddr_len;		/* 0: every address */
	uint8_t laddr[16];
	uint32_t fwmark;
	uint8_t aprefix[16];
	uint8_t aplen;
	bool auto_address;
	bool peer_routes;
	bool mesh;		/* Mesh=: KEYNET_LINK_F_MESH */
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

/* A device's counters, as LINK_GET with KEYNET_F_WANT_STATS reports them. */
#define KN_LINK_EXTRA_DROPS	16

struct kn_link_stats {
	bool has_drops;
	uint64_t drops[__KEYNET_DROP_MAX];	/* by enum keynet_drop */
	int n_extra;				/* reasons newer than this tool */
	struct {
		int reason;
		uint64_t count;
	} extra[KN_LINK_EXTRA_DROPS];
	bool has_beacon;
	uint64_t beacon[__KEYNET_BEACON_STAT_MAX];	/* enum keynet_beacon_stat */
};

/* What rtnetlink says of the device itself. */
struct kn_rt_link {
	uint32_t ifindex;
	uint32_t mtu;
	bool up;
	char kind[32];
};

/*
 * codec.c: the model to and from keynet generic netlink attributes, one
 * encoder and one decoder per object.  An encoder puts the fields named
 * in its mask (what a command gives, or what a diff found changed).
 */
enum kn_link_field {
	KN_LINK_KEY		= 1U << 0,	/* priv, priv_remove */
	KN_LINK_PORT		= 1U << 1,
	KN_LINK_LISTEN_ADDR	= 1U << 2,	/* laddr, laddr_len (0: any) */
	KN_LINK_FWMARK		= 1U << 3,
	KN_LINK_ADDRESSING	= 1U << 4,	/* aprefix, aplen */
	KN_LINK_FLAGS		= 1U << 5,	/* auto_address, peer_routes, mesh */
	KN_LINK_LOCAL		= 1U << 6,	/* local[], n_local (0: clear) */
	KN_LINK_BEACON_MODE	= 1U << 7,
	KN_LINK_BEACON_PORT	= 1U << 8,
	KN_LINK_BEACON_MAX	= 1U << 9,
	KN_LINK_BEACON_WINDOW	= 1U << 10,
	KN_LINK_BEACON_DEVS	= 1U << 11,	/* beacon_ifindex[] (0: clear) */
	KN_LINK_BEACON_KEY	= 1U << 12,	/* beacon_key, beacon_key_remove */
};

enum kn_peer_field {
	KN_PEER_ENDPOINT	= 1U << 0,
	KN_PEER_PSK		= 1U << 1,	/* has_psk false: remove it */
	KN_PEER_KEEPALIVE	= 1U << 2,
	KN_PEER_NAME		= 1U << 3,
	KN_PEER_AUTO_ROUTE	= 1U << 4,
	KN_PEER_TRANSIT		= 1U << 5,
};

enum kn_nat64_field {
	KN_NAT64_PREFIX		= 1U << 0,
	KN_NAT64_V4		= 1U << 1,	/* has_v4 false: remove it */
	KN_NAT64_V6		= 1U << 2,	/* has_v6 false: remove it */
	KN_NAT64_MSS		= 1U << 3,
	KN_NAT64_STRICT_WKP	= 1U << 4,
	KN_NAT64_UDP0		= 1U << 5,
	KN_NAT64_TIMEOUT	= 1U << 6,
	KN_NAT64_PER64		= 1U << 7,
	KN_NAT64_OFFLINK	= 1U << 8,
	KN_NAT64_CLAT		= 1U << 9,
};

uint32_t kn_link_flags(const struct kn_conf *c);
int kn_enc_link(struct nl_msg *msg, const struct kn_conf *c, unsigned int fields);
void kn_dec_link(struct nlattr **a, struct kn_conf *c, struct kn_link_stats *st);
int kn_enc_peer(struct nl_msg *msg, const struct kn_conf_peer *p, unsigned int fields);
int kn_dec_peer(struct nlattr **a, struct kn_conf_peer *p);
int kn_enc_route(struct nl_msg *msg, const uint8_t key[KEYNET_KEY_LEN],
		 const struct kn_prefix *p, const uint32_t *metric);
int kn_dec_route(struct nlattr **a, uint8_t key[KEYNET_KEY_LEN], struct kn_conf_route *r);
/* The largest route list, in bytes (one attribute: a 16-bit length). */
#define KN_ENC_ROUTES_MAX	65535
struct nlattr *kn_enc_routes_start(struct nl_msg *msg);
size_t kn_enc_route_entry_size(const struct kn_prefix *p, bool own_key, bool own_metric);
int kn_enc_route_entry(struct nl_msg *msg, const uint8_t *key, const struct kn_prefix *p,
		       const uint32_t *metric);
int kn_enc_routes_end(struct nl_msg *msg, struct nlattr *list);

/*
 * route_list.c: route many prefixes with ROUTE_NEW: lists of at most
 * KN_ENC_ROUTES_MAX bytes (about 3,000 routes), each all or nothing in
 * the kernel, or one request per route with a module older than lists.
 */
struct kn_route_item {
	const uint8_t *key;		/* the peer's public key */
	const struct kn_prefix *p;
	uint32_t metric;
};

/* Where kn_routes_add() stopped. */
struct kn_routes_fail {
	int index;		/* the refused item */
	int done;		/* items before it that were added (earlier requests) */
	char why[256];		/* the kernel's reason ("" if none) */
};

bool kn_routes_lists(struct kn_nl *nl);
int kn_routes_add(struct kn_nl *nl, const char *dev, const struct kn_route_item *items, int n,
		  struct kn_routes_fail *f);
int kn_enc_nat64(struct nl_msg *msg, const struct kn_conf_nat64 *n, unsigned int fields);
int kn_dec_nat64(struct nlattr **a, struct kn_conf_nat64 *n, uint32_t *ifindex);
int kn_enc_pool(struct nl_msg *msg, const struct kn_conf_pool *r);
int kn_dec_pool(struct nlattr **a, struct kn_conf_pool *r);
int kn_enc_map(struct nl_msg *msg, const struct kn_conf_map *m, bool v4, bool v6);
int kn_enc_maps(struct nl_msg *msg, const struct kn_conf_map *maps, int n);
/* Bytes kn_enc_maps() needs for @n maps, headers included. */
#define KN_ENC_MAPS_SIZE(n)	(1024 + (size_t)(n) * 40)
int kn_dec_map(struct nlattr **a, struct kn_conf_map *m, bool *dynamic);

#endif /* KEYNET_TOOL_MODEL_H */
