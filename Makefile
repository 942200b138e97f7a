# Everything a fresh machine needs: `make run` or `make test` create .venv and install first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test check lint typecheck bench bench-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("autoreply needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## the daemon on the embedded default: SQLite in var/, log sender, sample config
	$(BIN)/autoreply run

test: $(STAMP)  ## the whole test suite (SQLite and the local PostgreSQL)
	$(BIN)/python -m pytest -n 2

check: $(STAMP)
	$(BIN)/autoreply check

lint: $(STAMP)
	$(BIN)/ruff check autoreply tests bench

typecheck: $(STAMP)
	$(BIN)/mypy autoreply

bench: $(STAMP)  ## every bench in bench/, figures into docs/BENCHMARKS.md (~15 min)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run_all.py

bench-quick: $(STAMP)  ## a smoke run of every bench (small sizes, docs untouched)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run_all.py --quick --no-write

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
