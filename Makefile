# Psoas Guide: every chore has one target. `make` sets up, builds and serves; `make test` tests.
SHELL := /bin/bash
.DEFAULT_GOAL := serve

VENV     := .venv
PY       := $(VENV)/bin/python
MKDOCS   := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
STAMP    := $(VENV)/.installed
NPMSTAMP := node_modules/.installed
SHIM     := docs/assets/vendor/iframe-worker/shim.js
VOCAB_JS := docs/assets/javascripts/vocabulary.js
CHROMIUM := /usr/bin/chromium

.PHONY: serve build test setup browser bench check-links-online clean

## serve: set up, build into site/, then serve with live reload on http://127.0.0.1:8000
serve: build
	$(MKDOCS) serve --strict -a 127.0.0.1:8000

## build: set up and build the site into site/ (strict: any warning fails), including the offline
##        zip site/downloads/psoas-guide-offline.zip (hooks/offline_zip.py)
build: setup
	$(MKDOCS) build --strict

## test: set up (including Chromium) and run the whole test suite
test: setup browser
	$(PY) -m pytest

setup: $(STAMP) $(SHIM) $(VOCAB_JS)

# Search vocabulary for the browser, from data/ (until pipeline/generate.py writes it).
$(VOCAB_JS): data/vocabulary.yml macros/vocabulary.py macros/schema.py $(STAMP)
	$(PY) -m macros.vocabulary

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
	rm -rf site .pytest_cache

BENCH_NPM := benchmarks/node_modules/.installed
$(BENCH_NPM): benchmarks/package.json benchmarks/package-lock.json
	cd benchmarks && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## bench: measure build time, page weight and Lighthouse scores; writes benchmarks/latest.md
bench: setup browser $(BENCH_NPM)
	$(PY) benchmarks/run.py
