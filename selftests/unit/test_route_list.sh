#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of the tool's route lists (tool/route_list.c and the list
# encoder of tool/codec.c): selftests/unit/route_list_harness.c links them
# against a stand-in netlink transport that reads each request as the
# module would (see there), built with AddressSanitizer and UBSan.  Run by
# selftests/unit/run; needs libnl-genl-3's headers.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${KN_UNIT_OUT:-$top/build/unit}
mkdir -p "$out"
nl=$(pkg-config --cflags --libs libnl-genl-3.0) || { echo "not ok: no libnl-genl-3.0"; exit 1; }
# shellcheck disable=SC2086
${CC:-cc} -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-unused-function \
	-D_GNU_SOURCE -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -I"$top/tool" -I"$top/include/uapi" -I"$here" \
	-o "$out/route_list_harness" "$here/route_list_harness.c" \
	"$top/tool/route_list.c" "$top/tool/codec.c" $nl || exit 1
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$out/route_list_harness"
