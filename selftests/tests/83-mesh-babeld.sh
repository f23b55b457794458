#!/bin/bash
# timeout: 360
# scope: once (babeld against the same kernel paths as 82)
# Mesh mode driven by babeld (issue 20): the meshnet of test 82 (home,
# vps2, vps3, n4; keys and endpoints only, no static route) with babeld
# 1.12 instead of BIRD.  kn0 has no IPv4 address, so babeld announces
# IPv4 routes with IPv6 next hops (RFC 9229, v4-via-v6) and keynet sends
# them to the peer owning that link-local next hop; the crypto-key tables
# hold the automatic routes only.  Asserts:
# - all pairs reach each other's ULA and IPv4 address within 60 s of
#   babeld's start (printed), over routes babeld installed (proto babel):
#   IPv6 via the neighbours' key-derived link-locals, IPv4 as
#   "via inet6 fe80::..." (v4-via-v6);
# - the underlay home<->vps3 is cut: traffic moves to vps2 (routes on
#   both ends, reply hop limit 63, counters), no reverse-path drop of the
#   relayed packets; outage printed, at most 5 s; restored, the direct
#   path returns.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/mesh/lib.sh"

mesh_seed_nodes
MESH_HELLO_MS=500
MESH_UPDATE_MS=2000
mesh_up 4 babeld
mesh_wait_full 60 || fail "not every node reaches every other within 60 s of babeld's start"
info "converged in $MESH_CONVERGED s (4 nodes, babeld, hello $MESH_HELLO_MS ms)"
mesh_check_routes
info "IPv4 over v4-via-v6: home $(ip -n home -4 route show "${V4[3]}/32")"

mesh_failover home vps3 5 vps2 vps2
check_eq "$MESH_RELAY" vps2 "the relay of home -> vps3"
check_eq "$MESH_RELAY_TTL" 63 "hop limit of vps3's replies via vps2"
exit 0
