# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make demo   - a program migrated 5 times between processes, then between two workers
#   make test   - installs what the tests need and runs them
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint node-deps services clean bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

node-deps: tests/node_modules/.installed

tests/node_modules/.installed: tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@

services:
	bash tests/setup/install_services.sh

demo: install
	$(BIN)/things demo

lint: install
	$(BIN)/ruff check .

# The differential corpus, test262 and the parser suites are independent runs of node and of
# the instrumenter, most of make test's time: they share the machine's cores (pytest-xdist).
# The rest (real brokers, workers, timing of heartbeats) runs one test at a time. The corpus
# runs a fixed sample of its configurations (tests/test_corpus.py, THINGS_CORPUS_SAMPLE) and
# test262 its fixed sample one test at a time beside it; the full matrix is
# `.venv/bin/python -m pytest -n 2 tests/test_corpus.py`.
PARALLEL_TESTS := tests/test_corpus.py tests/test_test262.py tests/test_early_errors.py tests/test_fuzz_parsers.py

test: install node-deps services lint
	node --test jsruntime/tests/
	THINGS_CORPUS_SAMPLE=1 THINGS_TEST262_JOBS=1 $(BIN)/python -m pytest -q -n $(shell nproc) $(PARALLEL_TESTS)
	$(BIN)/python -m pytest -q tests $(addprefix --ignore=,$(PARALLEL_TESTS))

bench: install node-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) tests/node_modules .things-cache
