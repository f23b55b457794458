# SPDX-License-Identifier: GPL-2.0
# NAT64 topology of the VM tests (the seed-003 set-up, TAYGA's model):
#   c (IPv6-only client) 2001:db8:1::2 --- 2001:db8:1::1 r (router, kn0)
#   r 198.51.100.1 --- 198.51.100.2 s (IPv4 server)
# kn0 translates 2a04:5b80:300:4::/96 <-> IPv4 with ipv4-addr 100.100.0.1
# and the pool 100.100.0.0/16, which r MASQUERADEs to 198.51.100.1.
# Sourced after selftests/lib.sh.

N64_PREFIX=2a04:5b80:300:4::
N64_SERVER=${N64_PREFIX}198.51.100.2

nat64_topo() {
	kn_load
	nat64_links
	nat64_kn0
	nat64_masq
}

# The translator-independent part: namespaces, veths, addresses,
# forwarding (the bench puts TAYGA and Jool on the same links).
nat64_links() {
	netns_add c r s
	ip link add c0 netns c type veth peer name rc netns r || fail "veth c"
	ip link add s0 netns s type veth peer name rs netns r || fail "veth s"
	ns c ip addr add 2001:db8:1::2/64 dev c0 nodad
	ns c ip link set c0 up
	ns c ip -6 route add default via 2001:db8:1::1
	ns r ip addr add 2001:db8:1::1/64 dev rc nodad
	ns r ip link set rc up
	ns r ip addr add 198.51.100.1/24 dev rs
	ns r ip link set rs up
	ns s ip addr add 198.51.100.2/24 dev s0
	ns s ip link set s0 up
	ns r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# kn0 in r: the translator, its prefix and pool routed into it.
nat64_kn0() {
	ns r ip link add kn0 type keynet || fail "create kn0"
	ns r ip link set kn0 up || fail "kn0 up"
	keynet -n r nat64 set dev kn0 prefix ${N64_PREFIX}/96 ipv4-addr 100.100.0.1 ||
		fail "nat64 set"
	keynet -n r pool add 100.100.0.0/16 dev kn0 || fail "pool add"
	ns r ip -6 route add ${N64_PREFIX}/96 dev kn0 || fail "route prefix"
	ns r ip route add 100.100.0.0/16 dev kn0 || fail "route pool"
}

# r MASQUERADEs the pool to its address on rs.
nat64_masq() {
	ns r nft -f - <<-NFT || fail "nft"
	table ip nat64 {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "rs" ip saddr 100.100.0.0/16 masquerade
		}
	}
	NFT
}

# n64_stat NAME: one translator counter of kn0 in r.
n64_stat() {
	keynet -n r -j -s nat64 show dev kn0 | jq -r ".[0].stats.$1"
}

# A TCP server in s answering each connection with its peer address and
# TCP_MAXSEG: "peer ADDR mss N".  Port 8080; it waits for an earlier
# server to let go of it (stop one with kill_tree $N64_SERVER_PID).
n64_tcp_server() {
	wait_for 10 tcp_free "${1:-s}" 8080 || fail "TCP port 8080 in ${1:-s} still taken"
	ns "${1:-s}" python3 - "${2:-0.0.0.0}" <<-'PY' &
	import socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	s = socket.socket(fam, socket.SOCK_STREAM)
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.bind((sys.argv[1], 8080))
	s.listen(8)
	s.settimeout(30)
	for _ in range(8):
	    try:
	        c, a = s.accept()
	    except socket.timeout:
	        break
	    mss = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
	    data = b""
	    while True:
	        d = c.recv(65536)
	        if not d:
	            break
	        data += d
	    c.sendall(b"peer %s mss %d len %d\n" % (a[0].encode(), mss, len(data)) + data)
	    c.close()
	PY
	N64_SERVER_PID=$!
	wait_for 10 tcp_listening "${1:-s}" 8080 || fail "TCP server in ${1:-s} not listening"
}

# n64_tcp_get NS ADDR [BYTES]: connect, send BYTES, print the first line.
n64_tcp_get() {
	ns "$1" python3 - "$2" "${3:-10}" <<-'PY'
	import socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	c = socket.socket(fam, socket.SOCK_STREAM)
	c.settimeout(10)
	c.connect((sys.argv[1], 8080))
	n = int(sys.argv[2])
	c.sendall(b"x" * n)
	c.shutdown(socket.SHUT_WR)
	buf = b""
	while True:
	    d = c.recv(65536)
	    if not d:
	        break
	    buf += d
	line, _, rest = buf.partition(b"\n")
	assert len(rest) == n, (len(rest), n)
	print(line.decode())
	PY
}

# n64_udp_echo NS BIND: a UDP echo server on port 9090 (background),
# once an earlier one has let go of the port (kill_tree $N64_UDP_PID).
n64_udp_echo() {
	wait_for 10 udp_free "$1" 9090 || fail "UDP port 9090 in $1 still taken"
	ns "$1" python3 - "$2" <<-'PY' &
	import socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	s = socket.socket(fam, socket.SOCK_DGRAM)
	s.bind((sys.argv[1], 9090))
	s.settimeout(20)
	while True:
	    try:
	        d, a = s.recvfrom(65536)
	    except socket.timeout:
	        break
	    s.sendto(d, a)
	PY
	N64_UDP_PID=$!
	wait_for 10 udp_bound "$1" 9090 || fail "UDP server in $1 not bound"
}

# n64_udp_ping NS ADDR BYTES: one datagram there and back, compared.
n64_udp_ping() {
	ns "$1" python3 - "$2" "$3" <<-'PY'
	import os, socket, sys
	fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
	c = socket.socket(fam, socket.SOCK_DGRAM)
	c.settimeout(2)
	d = os.urandom(int(sys.argv[2]))
	for _ in range(3):
	    c.sendto(d, (sys.argv[1], 9090))
	    try:
	        r = c.recv(65536)
	    except socket.timeout:
	        continue
	    assert r == d, "payload differs"
	    sys.exit(0)
	sys.exit("no reply")
	PY
}
