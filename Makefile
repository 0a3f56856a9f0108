# dfuse: kernel driver and tool for STM32 DfuSe bootloaders.
#
#   make            kernel/dfuse.ko, user/dfuse, tests/emu/dfuse-emu
#   make check      every test (unit, KUnit, VM); ends "N passed, N failed"
#   make demo       boots a VM with an emulated board and shows dfuse at work
#   make kunit      KUnit suites on UML      make lint   checkpatch + sparse
#   make vm-shell   an interactive VM with the module, tool and emulator

SHELL := /bin/bash
# a recipe's pipeline fails when any of its programs does (a layer piped
# through tee exits with its test's status, not tee's)
.SHELLFLAGS := -o pipefail -c
TOP := $(CURDIR)
BUILD := $(TOP)/build

# Kernel headers: the running kernel's, else the newest installed ones.
KVER ?= $(shell uname -r)
ifeq ($(origin KDIR),undefined)
  ifneq ($(wildcard /lib/modules/$(KVER)/build/Makefile),)
    KDIR := /lib/modules/$(KVER)/build
  else
    KDIR := $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V))
    ifneq ($(filter-out deps,$(or $(MAKECMDGOALS),all)),)
      $(info dfuse: no headers for running kernel $(KVER); building against $(KDIR))
    endif
  endif
endif

# The VM matrix: every VM test runs on each of these kernels (which
# release each lane is, and where it comes from: scripts/vm-kernel.sh).
# Installing other headers changes none of them. demo and vm-shell boot
# VM_LANE.
VM_KERNELS ?= 6.1 6.12 7 debug debug7
VM_LANE ?= 6.1

CC ?= gcc
# the package's version, its one home: dkms.conf, the module and the tool
DFUSE_VERSION := $(shell cat $(TOP)/VERSION)
NL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS = $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
# autoflash's journal entries (libsystemd) with the image's SHA-256 (libcrypto)
JOURNAL_LIBS = $(shell pkg-config --libs libsystemd libcrypto 2>/dev/null)
IMAGE_LIBS = -lz -lelf
USER_CFLAGS = -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -I$(TOP)/include/uapi \
	-DDFUSE_TOOL_VERSION='"$(DFUSE_VERSION)"'
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

KERNEL_SRC = $(wildcard kernel/*.c kernel/*.h) kernel/Kbuild include/uapi/linux/dfuse.h
USER_SRC = $(wildcard user/*.c user/*.h)
EMU_SRC = $(wildcard tests/emu/*.c tests/emu/*.h) kernel/memmap.c kernel/memmap.h

.PHONY: all module user emu deps check unit kunit kunit-selftest vm-test harness-selftest \
	lint lint-test deb debian-test demo vm-shell vm-module dkms-test vm-data clean install \
	uninstall bench bench-smoke fuzz fuzz-check mutants upstream

all: module user emu

deps:
	@sh scripts/install-deps.sh

module:
	$(MAKE) -C $(KDIR) M=$(TOP)/kernel W=1 modules

user: user/dfuse
# (CPPFLAGS, CFLAGS and LDFLAGS: a distribution's, e.g. dpkg-buildflags')
user/dfuse: $(USER_SRC) include/uapi/linux/dfuse.h VERSION
	$(CC) $(CPPFLAGS) $(CFLAGS) $(USER_CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -o $@ \
		$(filter %.c,$(USER_SRC)) $(NL_LIBS) $(IMAGE_LIBS) $(JOURNAL_LIBS)

emu: tests/emu/dfuse-emu tests/emu/dfu-raw
tests/emu/dfuse-emu: $(EMU_SRC)
	$(CC) $(USER_CFLAGS) -static -o $@ $(filter-out %/dfu-raw.c,$(filter %.c,$(EMU_SRC)))
tests/emu/dfu-raw: tests/emu/dfu-raw.c
	$(CC) $(USER_CFLAGS) -static -pthread -o $@ $<

# ---- tests ----

$(BUILD)/unit/test_memmap: tests/unit/test_memmap.c kernel/memmap.c kernel/memmap.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -o $@ tests/unit/test_memmap.c kernel/memmap.c

IMAGE_SRC = user/image.c user/image_dfuse.c user/image_text.c
$(BUILD)/unit/test_image: tests/unit/test_image.c $(IMAGE_SRC) user/image.h user/image_internal.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -o $@ tests/unit/test_image.c $(IMAGE_SRC) $(IMAGE_LIBS)

# the tool itself, sanitized, for its host-side tests
$(BUILD)/unit/dfuse-san: $(USER_SRC) include/uapi/linux/dfuse.h VERSION
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) $(NL_CFLAGS) -o $@ $(filter %.c,$(USER_SRC)) $(NL_LIBS) $(IMAGE_LIBS) $(JOURNAL_LIBS)

# the uapi layout as x86-64 programs see it (run, TAP); as i386 programs
# see it, asserted at compile time (these hosts cannot run i386 programs)
$(BUILD)/unit/test_abi64: tests/unit/test_abi.c include/uapi/linux/dfuse.h
	@mkdir -p $(@D)
	$(CC) -m64 $(USER_CFLAGS) -o $@ $<

$(BUILD)/unit/test_du_args: tests/unit/test_du_args.c user/dfu_util_args.c user/dfu_util_args.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SAN_FLAGS) -o $@ tests/unit/test_du_args.c user/dfu_util_args.c

UNIT_TESTS = $(BUILD)/unit/test_abi64 $(BUILD)/unit/test_memmap $(BUILD)/unit/test_image $(BUILD)/unit/test_du_args $(BUILD)/unit/dfuse-san

# every program judged whole by tap-run.sh: its exit status and its plan
TAP_RUN = tests/harness/tap-run.sh
unit: $(UNIT_TESTS) user
	@mkdir -p $(BUILD)/results
	@tests/unit/mkfixtures.sh $(BUILD)/unit/fixtures
	@{ $(TAP_RUN) test_abi64 $(BUILD)/unit/test_abi64; \
	   if $(CC) -m32 $(USER_CFLAGS) -c -o /dev/null tests/unit/test_abi.c; then \
		echo "ok - abi(32-bit): every size, offset and no-padding assertion holds for i386"; \
	   else echo "not ok - abi(32-bit): every size, offset and no-padding assertion holds for i386"; fi; \
	   $(TAP_RUN) test_memmap $(BUILD)/unit/test_memmap tests/kunit/memmaps.txt tests/kunit/memmaps-extra.txt; \
	   $(TAP_RUN) test_image $(BUILD)/unit/test_image $(BUILD)/unit/fixtures; \
	   $(TAP_RUN) test_du_args $(BUILD)/unit/test_du_args; \
	   $(TAP_RUN) test_tool.sh tests/unit/test_tool.sh $(BUILD)/unit/dfuse-san $(BUILD)/unit/fixtures user/dfuse.1; \
	   $(TAP_RUN) test_lab.sh tests/unit/test_lab.sh; } | tee $(BUILD)/results/unit.tap

kunit:
	@mkdir -p $(BUILD)/results
	@tests/kunit/run.sh | tee $(BUILD)/results/kunit.tap

# Proves the KUnit table is generated from the vectors: a broken line must fail.
kunit-selftest:
	@mkdir -p $(BUILD)/results
	@tests/kunit/selftest.sh | tee $(BUILD)/results/kunit-selftest.tap

vm-data: user
	@tests/vm/mkdata.sh $(BUILD)/vm/data

# Test programs that run inside the VM
# (ioctl-test and node-io also as 32-bit programs: the compat path of
# every ioctl, read, write and lseek)
VM_BINS = $(patsubst tests/vm/bin/%.c,$(BUILD)/vm/bin/%,$(wildcard tests/vm/bin/*.c)) \
	$(BUILD)/vm/bin/ioctl-test32 $(BUILD)/vm/bin/node-io32
$(BUILD)/vm/bin/nl-strict: tests/vm/bin/nl-strict.c include/uapi/linux/dfuse.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(NL_CFLAGS) -static -o $@ $< $(NL_LIBS) -lpthread -lm
$(BUILD)/vm/bin/%32: tests/vm/bin/%.c include/uapi/linux/dfuse.h
	@mkdir -p $(@D)
	$(CC) -m32 $(USER_CFLAGS) -static -o $@ $<
$(BUILD)/vm/bin/%: tests/vm/bin/%.c include/uapi/linux/dfuse.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -static -pthread -o $@ $<

vm-test: user emu vm-data $(VM_BINS)
	@tests/vm/run-matrix.sh $(VM_KERNELS)

# The harness fails what it must: each injected fault (a WARN, a crashing
# program, a hang, a short plan, a leak at rmmod) fails its test
# (tests/harness/selftest.sh); with the static check of the VM scripts.
harness-selftest: user emu vm-data $(VM_BINS)
	@mkdir -p $(BUILD)/results
	@{ for l in $(VM_KERNELS); do \
		[ -s $(BUILD)/vm/$$l/dfuse.ko ] || tests/vm/build-module.sh $$l >/dev/null || \
			echo "not ok - harness: dfuse.ko for $$l builds"; done; \
	   tests/harness/selftest.sh $(VM_KERNELS); } | tee $(BUILD)/results/harness-selftest.tap

# DKMS add/build/install/remove for Debian 12's kernels, then VM tests that
# load the module DKMS built for 6.12
DKMS_KERNELS ?= 6.1 6.12
dkms-test: user emu vm-data $(VM_BINS)
	@mkdir -p $(BUILD)/results
	@{ tests/dkms/test.sh $(DKMS_KERNELS); \
	   VM_TAG=+dkms tests/vm/run-tests.sh 6.12 $(BUILD)/vm/dkms-6.12.ko probe+driver-rw; \
	 } | tee $(BUILD)/results/dkms.tap

# libFuzzer (clang) for each input format and pack's arguments, under ASan
# and UBSan: make check runs each FUZZ_SECONDS from tests/fuzz/seeds plus
# every regression input; make fuzz runs them longer.
FUZZ_SECONDS ?= 15
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$(TOP)/include/uapi
FUZZ_FORMATS = dfuse:IMAGE_DFUSE dfu:IMAGE_DFU ihex:IMAGE_IHEX srec:IMAGE_SREC elf:IMAGE_ELF
FUZZERS = $(foreach f,$(FUZZ_FORMATS),$(BUILD)/fuzz/fuzz_$(firstword $(subst :, ,$(f)))) \
	$(BUILD)/fuzz/fuzz_pack $(BUILD)/fuzz/fuzz_memmap $(BUILD)/fuzz/fuzz_quirks
# the driver's two text parsers, built for the host (quirks.c through a
# shim of the few kernel headers it includes)
$(BUILD)/fuzz/fuzz_memmap: tests/fuzz/fuzz_memmap.c kernel/memmap.c kernel/memmap.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_memmap.c kernel/memmap.c
$(BUILD)/fuzz/fuzz_quirks: tests/fuzz/fuzz_quirks.c kernel/quirks.c kernel/quirks.h $(wildcard tests/fuzz/shim/linux/*.h)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -Itests/fuzz/shim -o $@ tests/fuzz/fuzz_quirks.c kernel/quirks.c
$(BUILD)/fuzz/fuzz_pack: tests/fuzz/fuzz_pack.c user/pack_arg.c user/pack_arg.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_pack.c user/pack_arg.c
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_image.c $(IMAGE_SRC) user/image.h user/image_internal.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -DFUZZ_FORMAT=$(lastword $(subst :, ,$(filter $*:%,$(FUZZ_FORMATS)))) \
		-o $@ tests/fuzz/fuzz_image.c $(IMAGE_SRC) $(IMAGE_LIBS)

fuzz-check: $(FUZZERS)
	@mkdir -p $(BUILD)/results
	@tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) | sed 's/^\(not ok\|ok\) [0-9]* - /\1 - /' | tee $(BUILD)/results/fuzz.tap

fuzz: FUZZ_SECONDS = 600
fuzz: fuzz-check

# The Debian packages dfuse-dkms and dfuse (debian/), built from the
# tree's files into build/deb/, then lintian, which must report no error
# and no warning
deb:
	@scripts/make-deb.sh $(BUILD)/deb

# make deb as a TAP line, then the booted Debian 12 lane with those
# packages (tests/debian/run-lane.sh)
debian-test: user emu $(BUILD)/vm/bin/seeded-bytes
	@mkdir -p $(BUILD)/results
	@{ if out=$$(scripts/make-deb.sh $(BUILD)/deb 2>&1); then \
		echo "ok - deb: make deb builds dfuse-dkms and dfuse; lintian reports no error and no warning"; \
	   else echo "not ok - deb: make deb builds dfuse-dkms and dfuse; lintian reports no error and no warning"; \
		echo "$$out" | tail -30 | sed 's/^/# deb: /'; fi; \
	   tests/debian/run-lane.sh $(BUILD)/deb; } | tee $(BUILD)/results/debian.tap

# Performance against dfu-util and the protocol bound (docs/benchmarks.md):
# not part of make check, which runs it once at a tiny size (bench-smoke).
BENCH_PROFILES ?= f407,l4,f4-rom,f4-answer,g0b1
BENCH_SIZES ?= 262144,1048576
bench: user emu vm-data $(VM_BINS)
	@tests/vm/build-module.sh 6.1
	@tests/bench/bench.sh $(BENCH_PROFILES) $(BENCH_SIZES)

bench-smoke: user emu vm-data $(VM_BINS)
	@mkdir -p $(BUILD)/results
	@{ tests/vm/build-module.sh 6.1 >/dev/null && \
	   tests/bench/bench.sh --smoke f407,f4-rom 16384; } | tee $(BUILD)/results/bench.tap

# Deliberate driver mutations (tests/mutants/mutants.txt), each run against
# the tests that should catch it: fails if any survives (not in make check)
mutants: user emu vm-data $(VM_BINS)
	@tests/mutants/run.sh $(VM_LANE)

# dfuse.ko for VM_LANE's kernel, in build/vm/$(VM_LANE)/
vm-module:
	@tests/vm/build-module.sh $(VM_LANE)

# make check's layers, in order; CHECK_BESIDE runs once vm-test is done,
# beside the layers after it: the booted Debian system is one QEMU thread,
# and the others leave a core to it for much of their time
CHECK_LAYERS = unit fuzz-check lint-test kunit kunit-selftest vm-test harness-selftest bench-smoke dkms-test
CHECK_BESIDE = debian-test
check: deps
	@rm -rf $(BUILD)/results
	@mkdir -p $(BUILD)/results
	@$(MAKE) --no-print-directory all $(UNIT_TESTS)
	@# the stock kernels are downloaded and unpacked meanwhile (the
	@# unit and fuzz layers leave the network and a core idle)
	@# the sanitizer kernels are built meanwhile at the lowest priority:
	@# they take what the layers before theirs leave idle
	@( for l in $(filter-out debug debug7,$(VM_KERNELS)); do \
		scripts/vm-kernel.sh $$l >/dev/null 2>&1; done; \
	   tests/debian/mkrootfs.sh >/dev/null 2>&1 & \
	   for l in $(filter debug debug7,$(VM_KERNELS)); do \
		nice -n 19 scripts/vm-kernel.sh $$l >/dev/null 2>&1; done; wait ) & \
	run_layer() { \
		start=$$(date +%s); \
		if $(MAKE) --no-print-directory $$1; then \
			echo "ok - make $$1 exits 0" >>$(BUILD)/results/layers.tap; \
		else \
			echo "not ok - make $$1 exits 0" >>$(BUILD)/results/layers.tap; \
		fi; \
		echo "$$1 $$(( $$(date +%s) - start )) s" >>$(BUILD)/results/times; \
	}; \
	beside=; \
	for layer in $(CHECK_LAYERS); do \
		run_layer $$layer; \
		if [ $$layer = vm-test ]; then \
			for b in $(CHECK_BESIDE); do \
				run_layer $$b >$(BUILD)/results/$$b.out 2>&1; done & \
			beside=$$!; \
		fi; \
	done; \
	[ -z "$$beside" ] || wait $$beside; \
	for b in $(CHECK_BESIDE); do cat $(BUILD)/results/$$b.out; done; \
	sed 's/^/# time: /' $(BUILD)/results/times; \
		tests/summarize.sh $(BUILD)/results layers unit fuzz lint kunit kunit-selftest \
			harness-selftest dkms bench debian $(addprefix vm-,$(VM_KERNELS))

demo: deps
	@$(MAKE) --no-print-directory all vm-data vm-module >/dev/null
	@tests/vm/run-vm.sh $(VM_LANE) $(BUILD)/vm/$(VM_LANE)/dfuse.ko demo

vm-shell: user emu vm-data vm-module $(VM_BINS)
	@tests/vm/run-vm.sh $(VM_LANE) $(BUILD)/vm/$(VM_LANE)/dfuse.ko shell

# lint's W=1 and sparse build against Debian 12's stock 6.1 headers
LINT_KDIR = $(shell scripts/vm-kernel.sh 6.1 | sed -n 's/^kdir=//p')
lint:
	@tests/lint.sh $(LINT_KDIR)

# make lint as one TAP line of make check, with the findings as diagnostics
lint-test:
	@mkdir -p $(BUILD)/results
	@if tests/lint.sh $(LINT_KDIR) >$(BUILD)/results/lint.log 2>&1; then \
		echo "ok - lint: kernel/ is W=1, checkpatch --strict and sparse clean, its netlink spec valid"; \
	else \
		echo "not ok - lint: kernel/ is W=1, checkpatch --strict and sparse clean, its netlink spec valid"; \
		sed 's/^/# /' $(BUILD)/results/lint.log; \
	fi | tee $(BUILD)/results/lint.tap
	@scripts/check-abi.sh | tee -a $(BUILD)/results/lint.tap
	@scripts/check-uapi-doc.sh | tee -a $(BUILD)/results/lint.tap
	@scripts/check-upstream.sh | tee -a $(BUILD)/results/lint.tap

# the driver as patch series for the 6.1 and 7.x trees, in
# build/upstream/TREE/, each applied with git am and checkpatch'd
upstream:
	@scripts/check-upstream.sh

# Everything a lab machine needs (docs/lab.md): the tool, dfuse(1),
# the udev rules, the autoflash unit, the configuration's example, and the
# module through DKMS when dkms is there (and DESTDIR is not set).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# dfu-util's command line as "dfu-util", off the default PATH
LIBDIR ?= $(PREFIX)/lib
SYSCONFDIR ?= /etc
UDEVRULESDIR ?= $(SYSCONFDIR)/udev/rules.d
UNITDIR ?= $(SYSCONFDIR)/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
EXAMPLEDIR ?= $(SYSCONFDIR)/dfuse
LAB_FILES = $(DESTDIR)$(BINDIR)/dfuse $(DESTDIR)$(MANDIR)/man1/dfuse.1 \
	$(DESTDIR)$(LIBDIR)/dfuse/dfu-util \
	$(DESTDIR)$(BASHCOMPDIR)/dfuse \
	$(DESTDIR)$(UDEVRULESDIR)/70-dfuse.rules \
	$(DESTDIR)$(UNITDIR)/dfuse-autoflash@.service \
	$(DESTDIR)$(EXAMPLEDIR)/autoflash.conf.example

install: user/dfuse
	install -D -m 755 user/dfuse $(DESTDIR)$(BINDIR)/dfuse
	install -D -m 644 user/dfuse.1 $(DESTDIR)$(MANDIR)/man1/dfuse.1
	mkdir -p $(DESTDIR)$(LIBDIR)/dfuse
	ln -sfr $(DESTDIR)$(BINDIR)/dfuse $(DESTDIR)$(LIBDIR)/dfuse/dfu-util
	install -D -m 644 user/lab/dfuse.bash-completion $(DESTDIR)$(BASHCOMPDIR)/dfuse
	mkdir -p $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(UNITDIR)
	sed 's|@BINDIR@|$(BINDIR)|g' user/lab/70-dfuse.rules.in >$(DESTDIR)$(UDEVRULESDIR)/70-dfuse.rules
	sed 's|@BINDIR@|$(BINDIR)|g' user/lab/dfuse-autoflash@.service.in >$(DESTDIR)$(UNITDIR)/dfuse-autoflash@.service
	install -D -m 644 user/lab/autoflash.conf.example $(DESTDIR)$(EXAMPLEDIR)/autoflash.conf.example
	@# an upgrade replaces the module: other versions leave DKMS first
	@if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null; then \
		for v in $$(dkms status -m dfuse 2>/dev/null | sed -n 's|^dfuse[/, ]*\([^,: ]*\).*|\1|p' | sort -u); do \
			[ "$$v" = "$(DFUSE_VERSION)" ] || { dkms remove dfuse/$$v --all; rm -rf /usr/src/dfuse-$$v; }; \
		done; \
		scripts/dkms-source.sh /usr/src/dfuse-$(DFUSE_VERSION) && \
		{ dkms status dfuse/$(DFUSE_VERSION) | grep -q . || dkms add dfuse/$(DFUSE_VERSION); } && \
		dkms install dfuse/$(DFUSE_VERSION); \
	 else echo "dkms not used (DESTDIR set or no dkms): install the module with dkms (README, "Install")"; fi
	-@[ -n "$(DESTDIR)" ] || { udevadm control --reload 2>/dev/null; systemctl daemon-reload 2>/dev/null; true; }

uninstall:
	rm -f $(LAB_FILES)
	-rmdir $(DESTDIR)$(EXAMPLEDIR) $(DESTDIR)$(LIBDIR)/dfuse 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null && \
	    dkms status dfuse/$(DFUSE_VERSION) | grep -q .; then \
		dkms remove dfuse/$(DFUSE_VERSION) --all && rm -rf /usr/src/dfuse-$(DFUSE_VERSION); fi
	-@[ -n "$(DESTDIR)" ] || { udevadm control --reload 2>/dev/null; systemctl daemon-reload 2>/dev/null; true; }

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP)/kernel clean >/dev/null 2>&1
	rm -rf $(BUILD) user/dfuse tests/emu/dfuse-emu tests/emu/dfu-raw kernel/memmap_vectors.h
