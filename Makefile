# The two commands a newcomer runs on a fresh machine (see README):
#   make run    set everything up, then run the main job on the bundled corpus
#   make test   set everything up, then run the tests (what CI runs: .ci/run)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup setup-dev tools run test lint eval fuzz slow train clean

# The main job needs the core only; the tests also need the dev tools and the model
# extras (spaCy, and torch pinned to the CPU build on this machine's disk).
$(BIN)/planx: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: $(BIN)/planx
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: tools $(BIN)/planx

setup-dev: tools $(VENV)/.dev

# The .doc/.wps reader needs LibreOffice (antiword reads .doc where it is missing): Debian
# packages, installed where apt can, as .ci/run installs chromium. Without them such files
# get an error naming what to install, and their tests skip, saying so.
tools:
	@command -v soffice >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || { \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"; \
	  PKGS="libreoffice-writer-nogui antiword fonts-noto-cjk"; \
	  (DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$PKGS >/dev/null 2>&1 \
	    || (DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q >/dev/null 2>&1 \
	        && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$PKGS >/dev/null 2>&1)) \
	  || echo "LibreOffice could not be installed: .doc/.wps files will get an error naming it"; }
	@command -v soffice >/dev/null 2>&1 || command -v antiword >/dev/null 2>&1 \
	  || echo "note: no LibreOffice or antiword here (apt-get install libreoffice-writer-nogui antiword): .doc/.wps cannot be read"

run: setup
	$(BIN)/planx ingest corpus --out out
	$(BIN)/planx query out "SELECT title, school_level, n_sections, n_measures, n_schedule FROM plans ORDER BY file, part"

test: setup-dev
	$(BIN)/ruff check extractor scripts tests
	$(BIN)/pytest -q -m "not slow"

eval: setup
	$(BIN)/planx eval --gold gold/test

# The long checks, outside the fast suite: 10,000 property cases, the 20 MB line, 100,000 lines.
fuzz: setup-dev
	HYPOTHESIS_PROFILE=thorough $(BIN)/pytest -q tests/test_properties.py
slow: setup-dev
	$(BIN)/pytest -q -m slow -s

# Re-train every model in models/ from the corpus and gold/dev (about 20 minutes on 2 cores).
train: setup-dev
	$(BIN)/python scripts/train.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
