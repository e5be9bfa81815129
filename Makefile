# Two commands do all set-up on a fresh machine with Python >= 3.11: `make demo`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint format schemas install clean bench

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[embedded,dev]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/dixian demo

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schemas: $(STAMP)
	$(BIN)/dixian schemas write schemas

clean:
	rm -rf $(VENV) .dixian .pytest_cache

# The benchmark (not part of the tests): BENCH_SIZE=small|medium|large (default large).
BENCH_SIZE ?= large
bench: $(STAMP)
	BENCH_SIZE=$(BENCH_SIZE) $(BIN)/python -m services.devtools.bench.run
