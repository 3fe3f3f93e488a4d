# One command per chore; the README and .ci/run use the same commands.
VENV := .venv
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-pg lint ci bench

$(VENV)/bin/python:
	python3 -m venv $(VENV)

run: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e . && $(VENV)/bin/accord serve

test: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[test]' && $(VENV)/bin/pytest

test-pg: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[test]' && ACCORD_TEST_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest

lint: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[test,lint]' && $(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

ci:
	bash .ci/run

# Timings for the README's Performance section (SQLite; add BENCH_ARGS="--database-url $(PG_URL)"
# for PostgreSQL as well). Speed is measured here, never asserted in the tests.
bench: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e . && $(VENV)/bin/python bench/pages.py $(BENCH_ARGS)
