# sg-provisioner — the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= globalbank-prod-c001-us-west-2
BIN = .build/debug/sg-provisioner

.PHONY: all build deps test demo install release clean bench

all: build

deps:
	@bash scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation linked statically: the binary runs on hosts without a Swift
# toolchain, and start-up loads fewer shared objects (measured in bench/RESULTS.md).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Installs what is missing, starts moto_server on loopback, runs every test, stops moto.
test: deps
	bash scripts/run-tests.sh

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
