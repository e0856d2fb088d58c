# The two commands a newcomer runs on a fresh machine (see README):
#   make run    set everything up, then run the main job on the bundled corpus
#   make test   set everything up, then run the tests (what CI runs: .ci/run)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup setup-dev run test lint eval fuzz slow train clean

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

setup: $(BIN)/planx

setup-dev: $(VENV)/.dev

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
