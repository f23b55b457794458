#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build Jool (stateful NAT64 and SIIT) for the benchmark and test VMs,
# best effort, into build/jool/: the Debian jool-dkms source compiled
# against /usr/src/linux-headers-KVER (mod-KVER/jool_common.ko, jool.ko,
# jool_siit.ko), and the jool-tools binaries unpacked
# (tools/usr/bin/jool, jool_siit).  Nothing is
# installed.  Prints "jool: built" or "jool: not built (reason)"; always
# exits 0 (the benchmark then runs without Jool).
# Usage: bench/build-jool.sh KVER
top=$(cd "$(dirname "$0")/.." && pwd)
kver=$1
kdir=/usr/src/linux-headers-$kver
dir=$top/build/jool
mod=$dir/mod-$kver
no() { echo "jool: not built ($*)"; echo "$*" >"$dir/failed-$kver" 2>/dev/null; exit 0; }

[ -f "$mod/jool.ko" ] && [ -f "$mod/jool_siit.ko" ] && [ -x "$dir/tools/usr/bin/jool" ] &&
	{ echo "jool: built (cached)"; exit 0; }
# A failed build is not retried (rm build/jool/failed-KVER to retry).
[ -f "$dir/failed-$kver" ] && { echo "jool: not built ($(cat "$dir/failed-$kver"))"; exit 0; }
[ -d "$kdir" ] || no "no headers $kdir"
mkdir -p "$dir"
cd "$dir" || no "cannot enter $dir"
ls jool-dkms_*.deb >/dev/null 2>&1 && ls jool-tools_*.deb >/dev/null 2>&1 ||
	apt-get download jool-dkms jool-tools >dl.log 2>&1 ||
	no "apt-get download jool-dkms jool-tools failed, see $dir/dl.log"
rm -rf dkms tools "src-$kver"
dpkg-deb -x jool-dkms_*.deb dkms && dpkg-deb -x jool-tools_*.deb tools ||
	no "cannot unpack the packages"
cp -a dkms/usr/src/jool*/. "src-$kver" || no "no source in jool-dkms"
s=$dir/src-$kver/src/mod
make -C "$kdir" M="$s/common" modules >"build-$kver.log" 2>&1 &&
	make -C "$kdir" M="$s/nat64" KBUILD_EXTRA_SYMBOLS="$s/common/Module.symvers" \
		modules >>"build-$kver.log" 2>&1 &&
	make -C "$kdir" M="$s/siit" KBUILD_EXTRA_SYMBOLS="$s/common/Module.symvers" \
		modules >>"build-$kver.log" 2>&1 ||
	no "jool-dkms $(ls jool-dkms_*.deb | cut -d_ -f2) does not compile for $kver: \
$(grep -m1 -o 'error: .\{0,70\}' "build-$kver.log"); see $dir/build-$kver.log"
mkdir -p "$mod"
cp "$s/common/jool_common.ko" "$s/nat64/jool.ko" "$s/siit/jool_siit.ko" "$mod/"
ldd tools/usr/bin/jool | grep -q 'not found' && no "jool tool lacks libraries"
echo "jool: built ($(ls jool-dkms_*.deb))"
