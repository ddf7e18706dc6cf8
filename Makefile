# The command surface. `make demo` and `make test` work on a fresh machine: they create .venv
# and install what they need on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: demo up test test-fast lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

demo: $(STAMP)  ## Run Rapport on the bundled sample workspace (embedded database)
	$(VENV)/bin/rapport demo

up: $(STAMP)  ## Database, review page and a job worker in one command (embedded database)
	$(VENV)/bin/rapport up

test: $(STAMP)  ## Run every test (real PostgreSQL, real model, real browser when present)
	$(PY) -m pytest

test-fast: $(STAMP)  ## Only the tests that need neither the model nor a browser
	$(PY) -m pytest -m "not model and not e2e"

lint: $(STAMP)  ## Ruff (lint + format check) and mypy --strict
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: $(STAMP)  ## Benchmarks (print their figures); record them in bench/RESULTS.md
	$(PY) -m bench.ingest
	$(PY) -m bench.analysis
	$(PY) -m bench.drafting
	$(PY) -m bench.sensitive
	$(PY) -m bench.answers
	$(PY) -m bench.export
	$(PY) -m bench.replies
	$(PY) -m bench.webhooks
	$(PY) -m bench.quality --data ../shared/data
	$(PY) -m bench.cycle --people 5000
	$(PY) -m bench.faults
	$(PY) -m bench.scaleout --workspaces 12 --people 200

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
