#!/bin/bash
# timeout: 90
# Kernel memory a namespace admin makes keynet allocate is charged to the
# admin's memory cgroup: peers and routes added by a process in a cgroup
# v2 raise its memory.current by at least their objects' size, and stay
# charged after the process is gone (the objects live on in the kernel).
# Baseline: the same process adding one peer, so the process's own pages
# and what netlink itself costs are not counted.
. "$KN_ROOT/selftests/lib.sh"

kn_load
grep -q '^cgroup2 /sys/fs/cgroup ' /proc/mounts ||
	mount -t cgroup2 none /sys/fs/cgroup || skip "no cgroup v2"
grep -qw memory /sys/fs/cgroup/cgroup.controllers || skip "no memory controller"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control || fail "cannot enable the memory controller"
cg=/sys/fs/cgroup/kn-memcg
trap 'rmdir $cg 2>/dev/null' EXIT
mkdir "$cg" || fail "mkdir $cg"

cc -O2 -I "$KN_ROOT/include" -o /tmp/knbulk "$KN_ROOT/selftests/tools/knbulk.c" || fail "build knbulk"
netns_add m
ns m ip link add kn0 type keynet || fail "create kn0"
ifi=$(ns m cat /sys/class/net/kn0/ifindex)

# incg ARGS...: knbulk ARGS in namespace m, from a process in the cgroup
# (nsenter, not ip netns exec: that remounts /sys, cgroupfs with it).
incg() {
	# shellcheck disable=SC2016
	sh -c 'echo $$ >"$0/cgroup.procs" && exec nsenter --net=/run/netns/m /tmp/knbulk "$@"' \
		"$cg" "$@" >/dev/null || fail "knbulk $*"
}
cur() { cat "$cg/memory.current"; }

incg -s 1 peers "$ifi" 1
c0=$(cur)
incg -s 2 peers "$ifi" 4000
c1=$(cur)
incg -s 2 -e routes "$ifi" 4000 30000
c2=$(cur)
info "memory.current: $c0 after 1 peer, $c1 after 4,000 more, $c2 after 30,000 routes"
check_eq "$(keynet -n m -j peer show dev kn0 | jq length)" 4001 "peers on kn0"
# An idle peer costs about 960 bytes, a /32 route about 56 (bench
# case "control"); the bounds leave room for the per-CPU charge batches
# (up to 64 pages per CPU) that memory.current also counts.
[ $((c1 - c0)) -ge $((4000 * 512)) ] ||
	fail "4,000 peers charged $((c1 - c0)) bytes to the cgroup, want >= $((4000 * 512))"
[ $((c2 - c1)) -ge $((30000 * 32)) ] ||
	fail "30,000 routes charged $((c2 - c1)) bytes to the cgroup, want >= $((30000 * 32))"
exit 0
