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
	else v=$$(dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
		sed -n 's/^linux-headers-\([^ ,]*-amd64\).*/\1/p'); \
	if [ -n "$$v" ] && [ -d /usr/src/linux-headers-$$v ]; then echo /usr/src/linux-headers-$$v; \
	else ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1; fi; fi)
KDIR_VER = $(patsubst linux-headers-%,%,$(notdir $(KDIR)))

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= /usr/share/bash-completion/completions
# systemd looks for units in /usr/local/lib/systemd/system too.
UNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
# Probes of installed packages are recursive variables ('='), expanded only
# when a recipe runs: `make deps demo` installs libnl and libcrypto in the
# same invocation that then builds the tool, so nothing may be probed when
# this file is read.  The same holds for KDIR above ('?=' is recursive).
NL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS = $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)
TOOL_CFLAGS ?= -O2 -g
TOOL_CFLAGS += -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter \
	-D_GNU_SOURCE -DKN_VERSION='"$(VERSION)"' -Iinclude/uapi -Itool $(NL_CFLAGS)
ifneq ($(CI),)
TOOL_CFLAGS += -Werror
KN_WERROR := 1
endif

TOOL_SRCS := $(wildcard tool/*.c)
TOOL_HDRS := $(wildcard tool/*.h) include/uapi/linux/keynet.h

.PHONY: all module tool clean install uninstall deps check unit vmtest check-debug demo bench bench-unit fuzz \
	checkpatch sparse help

all: module tool

module:
	@test -n "$(KDIR)" || { echo "keynet: no kernel headers found; run 'make deps' or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) KN_WERROR=$(KN_WERROR) modules

tool: tool/keynet

tool/keynet: CRYPTO_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
tool/keynet: CRYPTO_LIBS = $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null)
# The tool shares these pure files with the module (kmod/pure.h).
TOOL_PURE := kmod/addr_derive.c kmod/nat64_eam.c
tool/keynet: $(TOOL_SRCS) $(TOOL_HDRS) $(TOOL_PURE) kmod/addr_derive.h kmod/nat64_eam.h kmod/pure.h VERSION
	@test -n "$(NL_LIBS)" || { echo "keynet: libnl-genl-3.0 not found by pkg-config; run 'make deps'" >&2; exit 1; }
	@test -n "$(CRYPTO_LIBS)" || { echo "keynet: libcrypto not found by pkg-config; run 'make deps'" >&2; exit 1; }
	$(CC) $(TOOL_CFLAGS) $(CRYPTO_CFLAGS) $(LDFLAGS) -o $@ $(TOOL_SRCS) $(TOOL_PURE) $(NL_LIBS) $(CRYPTO_LIBS)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -f tool/keynet
	rm -rf build

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) \
		modules_install
	$(if $(DESTDIR),,depmod -a $(KDIR_VER))
	install -D -m 0755 tool/keynet $(DESTDIR)$(SBINDIR)/keynet
	install -D -m 0644 docs/keynet.8 $(DESTDIR)$(MANDIR)/man8/keynet.8
	$(if $(wildcard docs/keynet.conf.5),install -D -m 0644 docs/keynet.conf.5 \
		$(DESTDIR)$(MANDIR)/man5/keynet.conf.5)
	install -D -m 0644 tool/completion/keynet $(DESTDIR)$(BASHCOMPDIR)/keynet
	install -D -m 0644 systemd/keynet@.service $(DESTDIR)$(UNITDIR)/keynet@.service
	$(if $(MODULES_LOAD),install -D -m 0644 systemd/keynet.modules-load.conf \
		$(DESTDIR)/etc/modules-load.d/keynet.conf)

uninstall:
	rm -f /lib/modules/$(KDIR_VER)/extra/keynet.ko*
	depmod -a $(KDIR_VER)
	rm -f $(DESTDIR)$(SBINDIR)/keynet
	rm -f $(DESTDIR)$(MANDIR)/man8/keynet.8 $(DESTDIR)$(MANDIR)/man5/keynet.conf.5
	rm -f $(DESTDIR)$(BASHCOMPDIR)/keynet
	rm -f $(DESTDIR)$(UNITDIR)/keynet@.service $(DESTDIR)/etc/modules-load.d/keynet.conf

# Every Debian package the build, the tests and the demo need, plus the
# kernel image the VM boots.  Idempotent.
DEPS_PKGS := build-essential gcc make libc6-dev linux-headers-amd64 libnl-3-dev libnl-genl-3-dev \
	pkg-config kmod procps qemu-system-x86 busybox-static iproute2 cpio xz-utils zstd \
	sparse bc python3 jq wireguard-tools iperf3 tayga nftables netcat-openbsd iputils-ping \
	python3-yaml libssl-dev libsodium-dev clang libclang-rt-14-dev linux-source-6.1 \
	dkms debhelper dh-dkms dpkg-dev lintian flex bison libelf-dev bird2 babeld

deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEPS_PKGS)
	selftests/run --fetch-only

unit:
	selftests/unit/run

# T="NAME ...": only these VM tests (vmtest, check, check-debug).
KN_T_ARGS = $(foreach t,$(T),-t $(t))
# SCOPE=kernel: leave out the "# scope: once" VM tests (selftests/run), as
# CI does on its second kernel.
KN_SCOPE_ENV = KN_SCOPE=$(or $(SCOPE),$(KN_SCOPE),all)

# Jool (best effort, always exits 0): test 36's second PLAT.
vmtest: all
	bench/build-jool.sh $(or $(KN_KVER),$(KDIR_VER))
	$(KN_SCOPE_ENV) selftests/run $(KN_T_ARGS)

# The README's test command: userspace unit tests, then the VM suite.
# KVERS="6.1 6.12 7.2": the VM suite on each of these kernels instead
# (selftests/matrix: 7.2 is built and booted from a Debian sid chroot).
check: all
	selftests/lint
	selftests/unit/run
	$(if $(KVERS),,bench/build-jool.sh $(or $(KN_KVER),$(KDIR_VER)))
	$(KN_SCOPE_ENV) $(if $(KVERS),selftests/matrix $(KVERS),selftests/run $(KN_T_ARGS))

# The whole VM suite on a KASAN/UBSAN/lockdep/kmemleak kernel built from
# Debian's linux-source (cached in build/cache/debug; the first build takes
# about 30 min on 2 cores), kmemleak scan at the end.
check-debug: all
	selftests/debug/run $(KN_T_ARGS)

demo: all
	selftests/run --demo

# Benchmarks (bench/README.md): keynet vs WireGuard / TAYGA / Jool in one
# VM run (QUICK=1: short run), and the userspace routing-table benchmark.
bench: all
	bench/build-jool.sh $(or $(KN_KVER),$(KDIR_VER))
	selftests/run --bench

# libFuzzer + ASan + UBSan harnesses, FUZZ_TIME seconds each (default 60).
fuzz:
	selftests/fuzz/run -t $(or $(FUZZ_TIME),60)

bench-unit:
	@mkdir -p build
	$(CC) -std=gnu11 -O2 -I kmod -I include -o build/bench_lpm bench/bench_lpm.c \
		kmod/lpm.c kmod/lpm_group.c kmod/lpm_walk.c kmod/lpm_env.c
	build/bench_lpm $(if $(QUICK),-q)
	$(CC) -std=gnu11 -O2 -I kmod -I include -o build/bench_eam bench/bench_eam.c kmod/nat64_eam.c
	build/bench_eam $(if $(QUICK),-q)

checkpatch:
	selftests/lint checkpatch

sparse:
	selftests/lint sparse

help:
	@echo "make            build keynet.ko (KDIR=$(KDIR)) and tool/keynet"
	@echo "make deps       install build/test dependencies (Debian, as root)"
	@echo "make demo       boot a VM and run the two-node demo"
	@echo "make bench [QUICK=1]   keynet vs WireGuard/TAYGA/Jool in a VM"
	@echo "make bench-unit routing-table micro-benchmark (userspace)"
	@echo "make fuzz       every libFuzzer harness, FUZZ_TIME=60 seconds each"
	@echo "make check      unit tests, then the VM selftests"
	@echo "make unit       userspace unit tests only"
	@echo "make vmtest T=NAME   one VM selftest by name"
	@echo "make checkpatch / make sparse   kernel code lint"
	@echo "make install / uninstall   module, tool, man pages, completion, keynet@.service"
	@echo "make check KVERS=\"6.1 6.12 7.2\"   the VM suite on each kernel (7.2: sid chroot)"
	@echo "make deps-matrix   6.12 headers (bookworm-backports), pahole, dkms, debootstrap"
	@echo "make matrix-sid    compile check against Debian sid's newest kernel"
	@echo "make dkms-install / dkms-uninstall / check-dkms   DKMS (as root)"
	@echo "make deb / check-deb   Debian packages keynet-dkms, keynet-tools (+ install test)"

print-kdir:
	@echo $(KDIR)

# --- kernel matrix and DKMS (docs/packaging.md) ---------------------------
.PHONY: deps-matrix matrix matrix-sid dkms-install dkms-uninstall check-dkms

# Extra packages for the kernel matrix: bookworm-backports' 6.12 headers
# (the suite is added to apt if missing), pahole, dkms, debootstrap.
deps-matrix:
	selftests/matrix --deps

# Build with -Werror against every installed header tree (or KVERS, e.g.
# "6.1 6.12 7.2"; 7.2 = sid's kernel, in build/sid), then the VM suite.
matrix:
	selftests/matrix $(if $(KVERS),$(KVERS))

# Compile check against Debian sid's newest headers in a chroot (build/sid);
# 'selftests/matrix sid' also runs the VM suite on sid's kernel.
matrix-sid:
	selftests/matrix --sid

DKMS_SRC = /usr/src/keynet-$(VERSION)
# The kernel DKMS builds for: the one KDIR points at (KDIR_VER).
DKMS_KVER ?= $(KDIR_VER)

# Install the module sources for DKMS and build+install for DKMS_KVER.  The
# copied dkms.conf takes its PACKAGE_VERSION from VERSION.  Idempotent.
dkms-install:
	@command -v dkms >/dev/null || { echo "keynet: dkms not installed; run 'make deps-matrix'" >&2; exit 1; }
	-dkms remove keynet/$(VERSION) --all >/dev/null 2>&1
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)/kmod $(DKMS_SRC)/include
	cp Kbuild VERSION $(DKMS_SRC)/
	cp kmod/*.[ch] $(DKMS_SRC)/kmod/
	cp -R include/. $(DKMS_SRC)/include/
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms.conf >$(DKMS_SRC)/dkms.conf
	dkms add keynet/$(VERSION)
	dkms build keynet/$(VERSION) -k $(DKMS_KVER)
	dkms install keynet/$(VERSION) -k $(DKMS_KVER)

dkms-uninstall:
	-dkms remove keynet/$(VERSION) --all
	rm -rf $(DKMS_SRC)

# DKMS end to end: install, boot DKMS_KVER with the DKMS-built module and run
# the module-load and tunnel tests, uninstall (also on failure).
check-dkms:
	selftests/matrix --dkms-regex
	$(MAKE) dkms-install
	selftests/matrix --dkms-run $(DKMS_KVER); \
	rc=$$?; $(MAKE) dkms-uninstall; exit $$rc

# Debian packages keynet-dkms and keynet-tools (debian/), built from a copy
# of the tree in build/deb (dpkg-buildpackage writes next to the source;
# 'clean' must not touch this tree); lintian must find no error.
.PHONY: deb check-deb
DEB_EXCLUDE := --exclude=./build --exclude=./.git --exclude=./tool/keynet \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude=modules.order --exclude=Module.symvers
deb:
	rm -rf build/deb
	mkdir -p build/deb/keynet-$(VERSION)
	tar -cf - $(DEB_EXCLUDE) . | tar -xf - -C build/deb/keynet-$(VERSION)
	cd build/deb/keynet-$(VERSION) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error --display-info build/deb/*.changes

# Install both packages here (root): DKMS must build keynet for every
# installed kernel it supports; then purge them.
check-deb: deb
	selftests/matrix --deb-check build/deb
