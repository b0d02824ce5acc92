# cockpit-ai-workstation. `make` builds dist/; see README.md for the rest.
PACKAGE_NAME := ai-workstation
PREFIX ?= /usr/local
DESTDIR ?=
PORT ?= 9090
SCENARIO ?= healthy
USER_COCKPIT_DIR := $(HOME)/.local/share/cockpit

TS_NODE := node -r ts-node/register

.PHONY: all build watch deps demo check lint typecheck unit browser bench pot update-po \
	install devel-install devel-uninstall clean

all: build

# npm writes node_modules/.package-lock.json last, so an interrupted install is redone
NODE_MODULES := node_modules/.package-lock.json

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: $(NODE_MODULES)
	npx webpack --mode production

watch: $(NODE_MODULES)
	npx webpack --mode development --watch

# system packages: a real Cockpit and Chromium (apt-get or dnf)
deps:
	./build/install-deps.sh

demo: deps build
	node test/cockpit/serve.mjs --scenario $(SCENARIO) --port $(PORT) --egress-world

# everything: build, lint, type-check, unit and browser tests; ends with "N passed, N failed"
check: deps $(NODE_MODULES)
	node test/run-checks.mjs

lint: $(NODE_MODULES)
	npx eslint --max-warnings 0 .

typecheck: $(NODE_MODULES)
	npx tsc --noEmit -p tsconfig.json

unit: $(NODE_MODULES)
	npx jest --config jest.config.js

browser: deps build
	npx jest --config test/browser/jest.config.js --runInBand

bench: deps build
	node test/bench/run-bench.mjs

pot: $(NODE_MODULES)
	$(TS_NODE) build/extract-pot.ts

update-po: pot
	$(TS_NODE) build/update-po.ts

install: build
	mkdir -p $(DESTDIR)$(PREFIX)/share/cockpit/$(PACKAGE_NAME)
	cp -r dist/. $(DESTDIR)$(PREFIX)/share/cockpit/$(PACKAGE_NAME)/

devel-install: build
	mkdir -p $(USER_COCKPIT_DIR)
	ln -sfn $(CURDIR)/dist $(USER_COCKPIT_DIR)/$(PACKAGE_NAME)

devel-uninstall:
	rm -f $(USER_COCKPIT_DIR)/$(PACKAGE_NAME)

clean:
	rm -rf dist
