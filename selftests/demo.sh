#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's demo, run inside the VM: two nodes, each in its own network
# namespace with a keynet device, over a veth underlay.
. "$KN_ROOT/selftests/lib.sh"
set -e

say() { echo; echo "=== $*"; }

say "loading keynet ($(cat "$KN_ROOT/VERSION")) into Debian kernel $(uname -r)"
kn_load
keynet version

say "two nodes, alice and bob, on a veth underlay"
netns_add alice bob
ip link add veth-a netns alice type veth peer name veth-b netns bob
ns alice ip addr add 192.0.2.1/24 dev veth-a
ns bob ip addr add 192.0.2.2/24 dev veth-b
ns alice ip link set veth-a up
ns bob ip link set veth-b up
ns alice ip link add kn0 type keynet
ns bob ip link add kn0 type keynet
ns alice ip link set kn0 up
ns bob ip link set kn0 up
echo "alice:"; keynet -n alice link show
echo "bob:"; keynet -n bob link show
echo "alice (JSON):"; keynet -n alice -j -p link show

say "encrypted tunnel between alice and bob: not yet implemented (issue 4)"
say "key-derived addresses and crypto-key routing: not yet implemented (issue 5)"
say "NAT64 (IPv6-only client reaching IPv4 over the tunnel): not yet implemented (issue 6)"
