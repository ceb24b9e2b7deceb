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
CODE       := $(wildcard src/exporter/*.py src/exporter/*/*.py src/exporter/*/*/*.py) $(INSTALLED)
# Debian packages. The cheat sheet and the book's cover are set in DejaVu
# (fonts-dejavu-core: Latin, Greek, Cyrillic, Arabic, Hebrew), with Noto for
# every script DejaVu lacks (fonts-noto-core), Chinese, Japanese and Korean
# (fonts-noto-cjk), emoji in colour on the sheet (fonts-noto-color-emoji) and
# in outline on the cover, where Pillow cannot scale colour bitmaps
# (fonts-symbola, also the sheet's last fallback). Pillow's wheels bring the Raqm
# layout that shapes Arabic on the cover, but not FriBiDi: libfribidi0. `serve`
# shows the sheet's pages as images drawn by poppler's pdftoppm (poppler-utils).
# Figures drawn from DOT need graphviz; an author's SVG is rasterised with libcairo2. The
# checks need poppler (pdffonts, pdftoppm, pdftotext), qpdf, chromium for Ace
# and for screenshots, faketime for the reproducibility tests, and calibre
# (ebook-convert) to check that the book converts for Kindle, and a Java 17
# JDK for EPUBCheck (the tests keep it running with a small program they
# launch from source, which a bare runtime cannot compile).
RUNTIME_PACKAGES := fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-symbola libfribidi0 poppler-utils graphviz libcairo2
TEST_PACKAGES    := $(RUNTIME_PACKAGES) qpdf chromium faketime calibre openjdk-17-jdk-headless
export PUPPETEER_SKIP_DOWNLOAD := 1
export PUPPETEER_EXECUTABLE_PATH ?= /usr/bin/chromium

.PHONY: all artifacts test test-setup test-fast test-unit fuzz ruff lint check bench clean distclean runtime-deps system-deps tools schema release serve messages messages-template

# Parallelism is the build's own (src/exporter/cli/main.py, `_build`): each guide's
# build runs one job per artifact in a pool of one worker per core, so make
# builds the guides one after the other (unless you ask for -j yourself).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
all: runtime-deps $(INSTALLED) build/rules.mk
	@$(MAKE) --no-print-directory artifacts

# Learners get the runtime packages only; the checkers (Anki, EPUBCheck, ...)
# come with the test extras. flock: two `make` runs at once must not install
# into the same venv together.
NEW_VENV := test -x $(PY) || $(PYTHON) -m venv $(VENV)
$(INSTALLED): pyproject.toml
	flock .venv.lock sh -c '$(NEW_VENV); \
	  $(PY) -m pip install --quiet --disable-pip-version-check -e .'
	touch $@

# The package and its test extras in one pip run (on a fresh clone, a second run
# would resolve and build everything again), which installs what $(INSTALLED) does.
$(TEST_INSTALLED): pyproject.toml
	flock .venv.lock sh -c '$(NEW_VENV); \
	  $(PY) -m pip install --quiet --disable-pip-version-check -e ".[test,bench]"'
	touch $(INSTALLED) $@

# Rules for each guide come from the exporter registry, so adding a guide or
# an exporter needs no change here.
build/rules.mk: $(SOURCES) src/exporter/build/registry.py src/exporter/cli/main.py $(INSTALLED)
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

# A live preview of one guide for its author, on http://127.0.0.1:8000/ until Ctrl-C;
# SERVE_ARGS passes --port, --host or --open. It writes nothing into dist/.
serve: runtime-deps $(INSTALLED)
	@test -n "$(GUIDE)" || { echo "usage: make serve GUIDE=<id> (the guide sources/<id>.yaml)"; exit 2; }
	$(STUDYGUIDE) serve sources/$(GUIDE).yaml $(SERVE_ARGS)

# Message catalogs: extract every fixed text from the code and the templates
# into the template (messages.pot), then merge it into each language's catalog.
# Translate the new entries (empty msgstr) in every .po, then `make schema`.
LOCALE := src/exporter/text/locale
POT ?= $(LOCALE)/messages.pot
messages-template: $(INSTALLED)
	$(VENV)/bin/pybabel --quiet extract -F babel.cfg -k N_ -k say:2 --add-comments=Translators: --no-location --sort-output \
	  --no-wrap --project=studyguide-exporter -o $(POT) .
	@# The extraction's date changes nothing a translator needs: left out, so the template changes only with its messages.
	sed -i '/^"POT-Creation-Date: /d' $(POT)

messages: messages-template
	$(VENV)/bin/pybabel --quiet update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-wrap \
	  --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

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

# The fonts: installed where we can (root with apt-get); elsewhere a warning,
# since the sheet still builds where the guide's characters have a font (the
# build's glyph check names any that has none, and the package to install).
runtime-deps:
	@missing=""; \
	for pkg in $(RUNTIME_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ] && command -v dpkg >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "warning: missing packages:$$missing; the sheet and the cover need the fonts for the scripts they cover, the preview poppler-utils for the sheet's pages (see README)"; \
	  fi; \
	fi

system-deps:
	$(call require_packages,$(TEST_PACKAGES))

$(ACE):
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent @daisy/ace-cli@$(ACE_VERSION)

tools: system-deps $(ACE)

# One pytest worker per core. Each worker takes a contiguous share of the tests
# (a module's builds and checkers stay together) and, once idle, takes over
# tests still waiting in another's share, so no core waits out the last long test.
PYTEST_WORKERS := -n $(JOBS) --dist worksteal

# What the whole suite needs: the venv (pip) and the checkers (apt, npm) set up
# side by side, since each of pip and npm keeps about one core busy.
test-setup:
	@$(MAKE) --no-print-directory -j2 $(TEST_INSTALLED) tools

# The project's own modules compiled once (pip compiles the installed packages, not an
# editable project): where PYTHONDONTWRITEBYTECODE is set, each of the suite's hundreds of
# processes would otherwise compile them again. compileall skips what is up to date.
BYTECODE := $(PY) -m compileall -q src tests

# The whole suite, with the real checkers. CI runs this.
test: test-setup ruff
	$(BYTECODE)
	$(PY) -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The inner loop: what needs no external checker, no real cheat-sheet layout
# and no fresh virtual environment (tests marked `slow` are left out).
test-fast: $(TEST_INSTALLED) ruff
	$(BYTECODE)
	$(PY) -m pytest $(PYTEST_WORKERS) -m "not slow" $(PYTEST_ARGS)

# Seconds: tests with no subprocess, no build and no external checker.
test-unit: $(TEST_INSTALLED)
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

# The code's own lint (ruff, configured in pyproject.toml); `make lint` checks the guides.
ruff: $(TEST_INSTALLED)
	$(PY) -m ruff check src tests

# The generated-guide test on many more guides than `make test` runs (one per
# dimension): GENERATED_GUIDES of them, from seed GENERATED_FIRST.
GENERATED_GUIDES ?= 200
GENERATED_FIRST ?= 0
fuzz: $(TEST_INSTALLED) tools
	GENERATED_GUIDES=$(GENERATED_GUIDES) GENERATED_FIRST=$(GENERATED_FIRST) \
	  $(PY) -m pytest $(PYTEST_WORKERS) tests/integration/test_generated.py $(PYTEST_ARGS)

check: all tools $(TEST_INSTALLED)
	$(PY) -m tests.check_dist dist

bench: $(TEST_INSTALLED)
	$(PY) -m tests.bench

clean:
	rm -rf dist build

distclean: clean
	rm -rf $(VENV) $(TOOLS)
