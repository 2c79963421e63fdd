# Psoas Guide: every chore has one target. `make` sets up, builds and serves; `make test` tests.
# Each target is one command of the project's CLI (pipeline/cli.py: `guide --help`).
SHELL := /bin/bash
.DEFAULT_GOAL := serve

VENV     := .venv
PY       := $(VENV)/bin/python
GUIDE    := NO_MKDOCS_2_WARNING=1 $(PY) -m pipeline
STAMP    := $(VENV)/.installed
NPMSTAMP := node_modules/.installed
SHIM     := docs/assets/vendor/iframe-worker/shim.js
CHROMIUM := /usr/bin/chromium

.PHONY: serve build zensical test test-fast lint setup system browser bench check-links-online clean

## serve: set up, build once into site/ (with the PDFs), then serve on http://127.0.0.1:8000 with live reload
serve: setup
	$(GUIDE) serve -a 127.0.0.1:8000

## build: set up and build site/: the site (strict), one PDF per chapter, the offline zip
build: setup
	$(GUIDE) build

## zensical: the same guide built by Zensical (the second engine) into site-zensical/
zensical: setup
	$(GUIDE) zensical

## test: set up (including Chromium) and run lint, types and the whole test suite
test: setup browser lint
	$(PY) -m pytest

## test-fast: unit, schema and fixture tests only (no site build, no browser), on every core; under 30 s
test-fast: setup
	$(PY) -m pytest -q -n auto -m "not slow and not browser"

## lint: ruff (with bugbear) and mypy
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

setup: $(STAMP) $(SHIM) system

## system: the Debian libraries WeasyPrint needs for the PDFs: Pango, and HarfBuzz's font
##         subsetter (without it WeasyPrint warns on every PDF, and a warning fails a handout)
system:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpangoft2-1.0-0 libharfbuzz-subset0; }

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(NPMSTAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The offline plugin's search shim, from the pinned npm package (no CDN at view time).
$(SHIM): $(NPMSTAMP)
	mkdir -p $(dir $@)
	cp node_modules/iframe-worker/shim/index.js $@

## browser: Debian's Chromium (Playwright drives it; it never downloads one), poppler and Java (vnu) for tests
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; }
	@command -v pdftoppm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

## check-links-online: opt-in, needs the network; checks every cited address answers
check-links-online: setup
	$(PY) -c 'from macros.data import load_data; print("\n".join(str(s.url) for s in load_data("data").sources.values()))' \
	  | $(VENV)/bin/lychee --no-progress -

clean:
	rm -rf site site.build site-zensical site-zensical.build .zensical.yml includes .pytest_cache
	@echo 'Kept: .handouts-cache/ and .engine-cache/ (rendered PDFs, compiled templates; safe to delete)'

BENCH_NPM := benchmarks/node_modules/.installed
$(BENCH_NPM): benchmarks/package.json benchmarks/package-lock.json
	cd benchmarks && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## bench: build times (engine vs plain Material, pipeline cold/warm, 1x/4x/16x pages), serve
##        edit-to-reload, page weight and Lighthouse; writes benchmarks/latest.md
bench: setup browser $(BENCH_NPM)
	$(PY) benchmarks/run.py
