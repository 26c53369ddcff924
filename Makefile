# duluan — `make demo` and `make test` work on a fresh clone (Python 3.11, Java 17 + Maven for Elasticsearch).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DIR ?= duluan-data/demo

.PHONY: install browser demo test bench train es-up es-down es-status pg-up pg-down pg-status clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

demo: install
	$(BIN)/duluan demo --data-dir $(DEMO_DIR)

# Debian's chromium for the browser tests (Playwright drives it by executable_path; no downloaded browser).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || { echo "chromium missing: apt-get install chromium" >&2; exit 1; }

test: install browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install
	$(BIN)/python bench/run.py

train: install
	$(BIN)/duluan train

es-up:
	ops/es.sh up

es-down:
	ops/es.sh down

es-status:
	ops/es.sh status

pg-up:
	ops/pg.sh up

pg-down:
	ops/pg.sh down

pg-status:
	ops/pg.sh status

clean:
	rm -rf duluan-data .pytest_cache
