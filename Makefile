# Watchdeck: `make up` runs it, `make test` proves it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
WEB_DEPS := web/node_modules/.installed
WEB_BUILT := web/dist/index.html
WEB_SOURCES := $(shell find web/src web/public web/index.html web/vite.config.ts web/tsconfig*.json -type f 2>/dev/null)

.PHONY: up test install web lint format bench soak chromium nginx wrk e2e-scale openapi sbom clean

up: install web
	$(BIN)/watchdeck up --demo

test: install web chromium nginx lint
	$(BIN)/pytest
	cd web && npm test

install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml agents/pyproject.toml $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]" -e "agents[checks]"
	touch $@

web: $(WEB_BUILT)

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

$(WEB_BUILT): $(WEB_DEPS) $(WEB_SOURCES)
	cd web && npm run build

# Browser tests drive Debian's chromium. Install it when this machine lets us;
# otherwise say so, and the browser tests skip with the same reason.
chromium:
	@if command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "chromium: no apt-get on this machine; browser tests will be skipped"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "chromium: not root and no sudo; browser tests will be skipped"; exit 0; fi; \
	echo "chromium: installing Debian's package for the browser tests"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
		|| echo "chromium: apt-get install failed; browser tests will be skipped"

# The scale-out tests run Debian's nginx in front of two api processes. Install it like
# chromium above; without it those tests skip, saying so.
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "nginx: no apt-get on this machine; the scale-out tests will be skipped"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "nginx: not root and no sudo; the scale-out tests will be skipped"; exit 0; fi; \
	echo "nginx: installing Debian's nginx-light for the scale-out tests"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light >/dev/null \
		|| DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null \
		|| echo "nginx: apt-get install failed; the scale-out tests will be skipped"

# bench/statuspage.py loads the status page with Debian's wrk, from a process of its own.
# Installed like nginx above; without it that bench falls back to a Python load client.
wrk:
	@if command -v wrk >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "wrk: no apt-get on this machine; bench/statuspage.py will use its Python client"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "wrk: not root and no sudo; bench/statuspage.py will use its Python client"; exit 0; fi; \
	echo "wrk: installing Debian's package for bench/statuspage.py"; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null \
		|| echo "wrk: apt-get install failed; bench/statuspage.py will use its Python client"

# nginx in front of two api processes and two workers: events, no duplicate checks, failover.
e2e-scale: install nginx
	$(BIN)/pytest tests/deploy

lint: install $(WEB_DEPS)
	$(BIN)/ruff check backend tests bench
	$(BIN)/ruff format --check backend tests bench
	$(BIN)/lint-imports --no-cache
	cd agents && ../$(BIN)/ruff check . && ../$(BIN)/ruff format --check .
	cd web && npm run lint

format: install
	$(BIN)/ruff check --fix backend tests bench
	$(BIN)/ruff format backend tests bench
	cd agents && ../$(BIN)/ruff check --fix . && ../$(BIN)/ruff format .

# CycloneDX SBOMs of what ships: the backend (with the agent it runs for the demo) as pip
# brings it in, in a venv of its own so the dev tools stay out, and the web build's runtime
# packages.
SBOM_DIR ?= build/sbom
SBOM_OUT = $(abspath $(SBOM_DIR))

sbom: install $(WEB_DEPS)
	rm -rf $(SBOM_OUT)/venv
	$(PYTHON) -m venv $(SBOM_OUT)/venv
	$(SBOM_OUT)/venv/bin/pip install --quiet . ./agents
	$(BIN)/cyclonedx-py environment --pyproject pyproject.toml --output-reproducible \
		-o $(SBOM_OUT)/backend.cdx.json $(SBOM_OUT)/venv
	cd web && npx cyclonedx-npm --omit dev --output-reproducible \
		--output-file $(SBOM_OUT)/web.cdx.json
	rm -rf $(SBOM_OUT)/venv
	@echo "SBOMs: $(SBOM_OUT)/backend.cdx.json $(SBOM_OUT)/web.cdx.json"

# The server's schema, snapshotted for the web client, and the client's API types generated from it.
openapi: install $(WEB_DEPS)
	$(BIN)/watchdeck openapi -o web/src/api/openapi.json
	cd web && npm run openapi

# Each workload script in bench/; what they share is in bench/support/, which the glob skips.
bench: install nginx wrk
	@for script in bench/*.py; do \
		[ "$$script" = bench/soak.py ] && continue; \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

# An hour under load (bench/soak.py), after the long fault variants. Not part of `make test`.
soak: install
	$(BIN)/pytest -m soak tests/faults
	$(BIN)/python bench/soak.py --csv test-artifacts/soak.csv

clean:
	rm -rf $(VENV) web/node_modules web/dist test-artifacts
