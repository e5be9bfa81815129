# Two commands do all set-up on a fresh machine with Python >= 3.11: `make demo`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test browser lint format schemas install clean bench recall

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[embedded,dev]"
	@touch $(STAMP)

install: $(STAMP)

# The demo ends by serving the web app until Ctrl-C; SERVE=0 (or CI=true) ends after its summary.
SERVE ?= 1
demo: $(STAMP)
	DIXIAN_DEMO_SERVE=$(SERVE) $(BIN)/dixian demo

# The browser tests drive Debian's Chromium (with CJK fonts, for the Chinese pages):
# installed here when missing and running as root, else named in one line. Its Chinese
# locale (chromium-l10n: date pickers read 年/月/日) is added when it can be, not required.
BROWSER_PACKAGES := chromium fonts-noto-cjk chromium-l10n
browser:
	@if command -v chromium >/dev/null && dpkg -s fonts-noto-cjk chromium-l10n >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing $(BROWSER_PACKAGES) for the browser tests"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; } \
		|| { command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1; }; \
	elif command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1; then :; \
	else echo "the browser tests need Chromium and CJK fonts: apt-get install -y $(BROWSER_PACKAGES)"; exit 1; fi

test: $(STAMP) browser
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

# The sweep's recall and precision alone, in memory (no Kafka, no PostgreSQL): the simulated
# county through the intake's processing and the engine (services/devtools/bench/in_memory.py).
recall: $(STAMP)
	$(BIN)/python -m services.devtools.bench.in_memory $(BENCH_SIZE)
