#!/bin/bash
# timeout: 360
# scope: once (BIRD's OSPF against the same kernel paths as 82; 81 runs them on every kernel)
# Mesh mode driven by OSPF (issue 20: "OSPF hellos work unchanged"): the
# meshnet of test 82 (home, vps2, vps3, n4; keys and endpoints only, no
# static route) with BIRD 2.0.12's OSPFv3 (IPv6) and OSPFv2 (IPv4) on kn0
# as a point-to-multipoint link (selftests/mesh/lib.sh, mesh_ospf_conf:
# BIRD sends ptmp hellos by unicast to the neighbours listed, the peers'
# key-derived link-local and kn0 IPv4 addresses).  OSPF's own packets (IP
# protocol 89, unicast and to ff02::5/224.0.0.5) cross keynet like any
# other.  Asserts:
# - all pairs reach each other's ULA and IPv4 address within 60 s of
#   BIRD's start (printed), over routes OSPF computed (proto bird, via the
#   neighbours' key-derived link-locals; IPv4 via their kn0 addresses),
#   every node FULL with each of its three neighbours in both protocols;
# - the underlay home<->vps3 is cut: traffic moves to vps2 (routes on
#   both ends, reply hop limit 63, counters), no reverse-path drop of the
#   relayed packets; outage printed, at most 5 s (OSPF's dead interval is
#   2 s); restored, the direct path returns.
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/mesh/lib.sh"

mesh_seed_nodes
mesh_up 4 ospf
mesh_wait_full 60 || fail "not every node reaches every other within 60 s of BIRD's start"
info "converged in $MESH_CONVERGED s (4 nodes, BIRD OSPFv3 + OSPFv2, ptmp, hello 1 s)"
mesh_check_routes
for n in home vps2 vps3 n4; do
	for p in ospf6 ospf4; do
		full=$(mesh_birdc "$n" show ospf neighbors "$p" | grep -c 'Full/PtP')
		check_eq "$full" 3 "$p neighbours of $n in state Full"
	done
done

mesh_failover home vps3 5 vps2 vps2
check_eq "$MESH_RELAY" vps2 "the relay of home -> vps3"
check_eq "$MESH_RELAY_TTL" 63 "hop limit of vps3's replies via vps2"
exit 0
