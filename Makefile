# sg-provisioner — the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= globalbank-prod-c001-us-west-2
BIN = .build/debug/sg-provisioner
# The stripped release binary `make release` leaves (the unstripped one stays in .build/release
# for bench/profile.sh, which needs its symbols).
DIST = .build/dist
IMAGE ?= sg-provisioner:latest

.PHONY: all build deps test-deps test test-aws demo local-aws install release image completions clean bench fuzz test-asan docs

all: build

# What building needs; test-only tools come with `make test` alone.
deps:
	@bash scripts/ensure-deps.sh build

test-deps:
	@bash scripts/ensure-deps.sh test

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation linked statically: the binary runs on hosts without a Swift
# toolchain, and start-up loads fewer shared objects (measured in bench/RESULTS.md). The copy in
# $(DIST) is stripped of symbols and debug information; shell completions are generated from it.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product sg-provisioner
	@mkdir -p $(DIST)/completions
	strip --strip-all -o $(DIST)/sg-provisioner .build/release/sg-provisioner
	@$(MAKE) --no-print-directory completions
	@echo "release: .build/release/sg-provisioner $$(stat -c %s .build/release/sg-provisioner) bytes," \
		"stripped $(DIST)/sg-provisioner $$(stat -c %s $(DIST)/sg-provisioner) bytes"

completions:
	$(DIST)/sg-provisioner --generate-completion-script bash > $(DIST)/completions/sg-provisioner.bash
	$(DIST)/sg-provisioner --generate-completion-script zsh > $(DIST)/completions/_sg-provisioner
	$(DIST)/sg-provisioner --generate-completion-script fish > $(DIST)/completions/sg-provisioner.fish

# The OCI image sg-provisioner:latest from the stripped release binary, without a daemon
# (buildah; docker when a daemon answers). Nothing is pulled: see scripts/build-image.sh.
image: release
	@bash scripts/ensure-deps.sh image
	IMAGE=$(IMAGE) bash scripts/build-image.sh $(DIST)/sg-provisioner

# Installs what is missing, builds the release binary and the image, starts the local AWS
# (scripts/local-aws) on loopback, runs every test (the image's too), stops it.
test: test-deps
	bash scripts/run-tests.sh

# The deployment lifecycle against a REAL AWS account; refuses without SG_TEST_AWS=1 (see the script).
test-aws: test-deps
	bash scripts/run-aws-tests.sh

# A local AWS to try deploys and drift without an account (README "Try it without an AWS account"):
# moto with the project's patches in the foreground on 127.0.0.1:$(LOCAL_AWS_PORT), with the VPCs of
# configs/ created. Ctrl-C stops it.
LOCAL_AWS_PORT ?= 4566
local-aws:
	@bash scripts/ensure-deps.sh local-aws
	scripts/local-aws $(LOCAL_AWS_PORT)

# Validates and compiles the bundled example deployment into reports/.
demo: build
	@echo "== validate-prov-template ($(CONFIG))"
	@$(BIN) -con $(CONFIG) -act validate-prov-template --no-color; echo "(exit $$?)"
	@echo "== create-prov-template ($(CONFIG))"
	@$(BIN) -con $(CONFIG) -act create-prov-template --no-color
	@echo "== reports/"
	@ls -1 reports/ | grep -v '^\.gitkeep$$' | sed 's|^|  reports/|'

# docs/DIAGNOSTICS.md from the diagnostics catalog (Sources/SGDiagnostics/Catalog); the catalog
# test fails while the committed file differs.
docs:
	$(SWIFT) build --build-tests
	RECORD_GOLDENS=1 $(SWIFT) test --skip-build --disable-xctest --filter DiagnosticCatalogTests

# Speed and memory against the libyaml floor, cfn-lint, checkov and cfripper (not part of make test).
bench: deps
	bash bench/run.sh

# The stripped binary and the bash, zsh and fish completions.
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $(DIST)/sg-provisioner $(DESTDIR)$(PREFIX)/bin/sg-provisioner
	install -m 0644 $(DIST)/completions/sg-provisioner.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sg-provisioner
	install -m 0644 $(DIST)/completions/_sg-provisioner $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sg-provisioner
	install -m 0644 $(DIST)/completions/sg-provisioner.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/sg-provisioner.fish

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
test-asan: test-deps
	SG_PROVISIONER_BINARY=$(CURDIR)/.build-asan/debug/sg-provisioner \
		LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt:print_suppressions=0 \
		bash scripts/run-tests.sh --sanitize=address --scratch-path .build-asan -Xswiftc -use-ld=lld
