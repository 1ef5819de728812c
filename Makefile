# sg-provisioner — the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= globalbank-prod-c001-us-west-2
BIN = .build/debug/sg-provisioner

.PHONY: all build deps test test-aws demo local-aws install release clean bench fuzz test-asan

all: build

deps:
	@bash scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation linked statically: the binary runs on hosts without a Swift
# toolchain, and start-up loads fewer shared objects (measured in bench/RESULTS.md).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Installs what is missing, starts the local AWS (scripts/local-aws) on loopback, runs every test, stops it.
test: deps
	bash scripts/run-tests.sh

# The deployment lifecycle against a REAL AWS account; refuses without SG_TEST_AWS=1 (see the script).
test-aws: deps
	bash scripts/run-aws-tests.sh

# A local AWS to try deploys and drift without an account (README "Try it without an AWS account"):
# moto with the project's patches in the foreground on 127.0.0.1:$(LOCAL_AWS_PORT), with the VPCs of
# configs/ created. Ctrl-C stops it.
LOCAL_AWS_PORT ?= 4566
local-aws: deps
	scripts/local-aws $(LOCAL_AWS_PORT)

# Validates and compiles the bundled example deployment into reports/.
demo: build
	@echo "== validate-prov-template ($(CONFIG))"
	@$(BIN) -con $(CONFIG) -act validate-prov-template --no-color; echo "(exit $$?)"
	@echo "== create-prov-template ($(CONFIG))"
	@$(BIN) -con $(CONFIG) -act create-prov-template --no-color
	@echo "== reports/"
	@ls -1 reports/ | grep -v '^\.gitkeep$$' | sed 's|^|  reports/|'

# Speed and memory against the libyaml floor, cfn-lint, checkov and cfripper (not part of make test).
bench: deps
	bash bench/run.sh

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/sg-provisioner $(DESTDIR)$(PREFIX)/bin/sg-provisioner

clean:
	rm -rf .build
	find reports -type f ! -name .gitkeep -delete

# Fuzzes the YAML front end and the config/scenario loader with libFuzzer for FUZZ_SECONDS
# (default 180); crashes land in fuzz/artifacts/ and fail the target. See fuzz/RESULTS.md.
FUZZ_SECONDS ?= 180
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run-fuzz.sh

# Builds and runs every Swift Testing test under AddressSanitizer (separate scratch path).
# End-to-end tests run the sanitized binary too (SG_PROVISIONER_BINARY); the LeakSanitizer
# suppressions are false positives, each explained in the file.
test-asan: deps
	SG_PROVISIONER_BINARY=$(CURDIR)/.build-asan/debug/sg-provisioner \
		LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt:print_suppressions=0 \
		bash scripts/run-tests.sh --sanitize=address --scratch-path .build-asan -Xswiftc -use-ld=lld
