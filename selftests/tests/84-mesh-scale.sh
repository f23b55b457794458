#!/bin/bash
# timeout: 480
# scope: once (scale of the daemon set-up; the kernel paths run on every kernel in 81 and 82)
# Mesh mode at scale (issue 20): 8 nodes in a ring, each peering with its
# two neighbours only (keys and endpoints), BIRD's Babel learning every
# route.  Prints the time until every node reaches every other (ULA and
# IPv4; must be within 120 s), then cuts the underlay n1<->n2: n1's
# traffic to n2 goes the other way round the ring (through n8 ... n3: six
# relays, reply hop limit 58), the outage is printed, and every pair must
# be reachable again (within 120 s of the cut; the time is printed).
# The nodes' links cost 96, 104, ... 152 (rxcost): on an even ring,
# opposite nodes would otherwise have two paths of equal cost, and the
# two ends may pick different ones, which keynet's reverse-path check
# refuses (see selftests/mesh/lib.sh).
. "$KN_ROOT/selftests/lib.sh"
. "$KN_ROOT/selftests/mesh/lib.sh"

N=8
MESH_TOPO=ring
for ((i = 1; i <= N; i++)); do MESH_RXCOST[i]=$((96 + 8 * (i - 1))); done
MESH_HELLO_MS=1000
mesh_up $N bird
mesh_wait_full 120 || fail "not every node reaches every other within 120 s of BIRD's start"
info "converged in $MESH_CONVERGED s ($N nodes in a ring, BIRD Babel, hello $MESH_HELLO_MS ms)"
mesh_check_routes

MESH_RESTORE=0 mesh_failover n1 n2 - n8 n3
check_eq "$MESH_RELAY" n8 "n1's next hop to n2 with the link cut"
check_eq "$MESH_RELAY_TTL" 58 "hop limit of n2's replies round the ring"
mesh_wait_full 120 "$MESH_CUT_T" || fail "not every pair reachable within 120 s of the cut"
info "every pair reachable again $MESH_CONVERGED s after the cut"
exit 0
