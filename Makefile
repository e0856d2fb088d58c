# The two commands a newcomer runs on a fresh machine (see README):
#   make run    set everything up, then run the main job on the bundled corpus
#   make test   set everything up, then run the tests (what CI runs: .ci/run)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint eval fuzz slow clean

$(BIN)/planx: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/planx

run: setup
	$(BIN)/planx ingest corpus --out out
	$(BIN)/planx query out "SELECT title, school_level, n_sections, n_measures, n_schedule FROM plans ORDER BY file, part"

test: setup
	$(BIN)/ruff check extractor scripts tests
	$(BIN)/pytest -q -m "not slow"

eval: setup
	$(BIN)/planx eval --gold gold/test

# The long checks, outside the fast suite: 10,000 property cases, the 20 MB line, 100,000 lines.
fuzz: setup
	HYPOTHESIS_PROFILE=thorough $(BIN)/pytest -q tests/test_properties.py
slow: setup
	$(BIN)/pytest -q -m slow -s

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
