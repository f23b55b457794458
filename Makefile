# SPDX-License-Identifier: GPL-2.0
# keynet: top-level build.  `make` builds keynet.ko and the keynet tool;
# `make help` lists the other targets.

# When invoked by kbuild (make -C KDIR M=...), the Kbuild file is used
# instead of this Makefile.

VERSION := $(shell cat VERSION)
KVER ?= $(shell uname -r)
# The running kernel's build tree, or else the newest installed Debian
# headers (this project's dev and CI machines run a kernel without
# module support).
KDIR ?= $(shell d=/lib/modules/$(KVER)/build; if [ -d $$d ]; then echo $$d; \
	else ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1; fi)
KDIR_VER = $(patsubst linux-headers-%,%,$(notdir $(KDIR)))

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)
TOOL_CFLAGS ?= -O2 -g
TOOL_CFLAGS += -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter \
	-D_GNU_SOURCE -DKN_VERSION='"$(VERSION)"' -Iinclude/uapi -Itool $(NL_CFLAGS)
ifneq ($(CI),)
TOOL_CFLAGS += -Werror
KN_WERROR := 1
endif

TOOL_SRCS := $(wildcard tool/*.c)
TOOL_HDRS := $(wildcard tool/*.h) include/uapi/linux/keynet.h

.PHONY: all module tool clean install uninstall deps check unit vmtest demo \
	checkpatch sparse help

all: module tool

module:
	@test -n "$(KDIR)" || { echo "keynet: no kernel headers found; run 'make deps' or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) KN_WERROR=$(KN_WERROR) modules

tool: tool/keynet

tool/keynet: CRYPTO_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
tool/keynet: CRYPTO_LIBS = $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null)
# The tool shares these pure files with the module (kmod/pure.h).
TOOL_PURE := kmod/kn_addr.c
tool/keynet: $(TOOL_SRCS) $(TOOL_HDRS) $(TOOL_PURE) kmod/kn_addr.h kmod/pure.h VERSION
	@test -n "$(NL_LIBS)" || { echo "keynet: libnl-genl-3.0 not found by pkg-config; run 'make deps'" >&2; exit 1; }
	@test -n "$(CRYPTO_LIBS)" || { echo "keynet: libcrypto not found by pkg-config; run 'make deps'" >&2; exit 1; }
	$(CC) $(TOOL_CFLAGS) $(CRYPTO_CFLAGS) -o $@ $(TOOL_SRCS) $(TOOL_PURE) $(NL_LIBS) $(CRYPTO_LIBS)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -f tool/keynet
	rm -rf build

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(KDIR_VER)
	install -D -m 0755 tool/keynet $(DESTDIR)$(SBINDIR)/keynet

uninstall:
	rm -f /lib/modules/$(KDIR_VER)/extra/keynet.ko*
	depmod -a $(KDIR_VER)
	rm -f $(DESTDIR)$(SBINDIR)/keynet

# Every Debian package the build, the tests and the demo need, plus the
# kernel image the VM boots.  Idempotent.
DEPS_PKGS := gcc make libc6-dev linux-headers-amd64 libnl-3-dev libnl-genl-3-dev \
	pkg-config kmod qemu-system-x86 busybox-static iproute2 cpio xz-utils zstd \
	sparse bc python3 jq wireguard-tools iperf3 tayga nftables netcat-openbsd iputils-ping \
	libssl-dev libsodium-dev clang libclang-rt-14-dev linux-source-6.1

deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEPS_PKGS)
	selftests/run --fetch-only

unit:
	selftests/unit/run

vmtest: all
	selftests/run $(if $(T),-t "$(T)")

# The README's test command: userspace unit tests, then the VM suite.
check: all
	selftests/lint
	selftests/unit/run
	selftests/run

demo: all
	selftests/run --demo

checkpatch:
	selftests/lint checkpatch

sparse:
	selftests/lint sparse

help:
	@echo "make            build keynet.ko (KDIR=$(KDIR)) and tool/keynet"
	@echo "make deps       install build/test dependencies (Debian, as root)"
	@echo "make demo       boot a VM and run the two-node demo"
	@echo "make check      unit tests, then the VM selftests"
	@echo "make unit       userspace unit tests only"
	@echo "make vmtest T=NAME   one VM selftest by name"
	@echo "make checkpatch / make sparse   kernel code lint"
	@echo "make install / uninstall"

print-kdir:
	@echo $(KDIR)
