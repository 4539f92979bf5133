# make run       — install what running needs into .venv, run the fetch daemon and serve the site on 127.0.0.1:8000
# make demo      — import DATA into the embedded SQLite, build the static site and the Hugo export
# make test      — install with the test and dev extras and what tests need (hugo, chromium, java, npm), run every test
# make test-fast — the unit and small-fixture tests (no whole-corpus, browser or many-process ones)
# make lint      — ruff (rules E F I B UP SIM) and ruff's format check; make typecheck — mypy, strict, on src/
# make bench     — the benchmarks on DATA
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= ../shared/datasets/cachenews-2025-02
DB ?= sqlite:///newsdesk.db
SITE ?= hugo-site

.PHONY: install system-deps web-checks run demo test test-fast lint typecheck bench clean check-install constraints

# What running needs, then (for tests and checks) the test and dev extras on top.
$(VENV)/.runtime: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed: $(VENV)/.runtime
	$(PY) -m pip install -q -c constraints.txt -e '.[test,dev]'
	touch $@

install: $(VENV)/.installed

# Debian's hugo (the export is checked against the real thing), chromium (browser tests),
# newsboat in tmux (a real reader app) and xmllint (the Atom schema).
system-deps:
	@missing=""; command -v hugo >/dev/null || missing="$$missing hugo"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v newsboat >/dev/null || missing="$$missing newsboat"; \
	command -v tmux >/dev/null || missing="$$missing tmux"; \
	command -v xmllint >/dev/null || missing="$$missing libxml2-utils"; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$missing; fi

run: $(VENV)/.runtime
	$(VENV)/bin/newsdesk --db $(DB) run & daemon=$$!; trap 'kill $$daemon 2>/dev/null; wait $$daemon' EXIT INT TERM; \
	$(VENV)/bin/newsdesk --db $(DB) serve --host 127.0.0.1 --port 8000 --workers 0

demo: $(VENV)/.runtime system-deps
	-$(VENV)/bin/newsdesk --db $(DB) import $(DATA)
	$(VENV)/bin/newsdesk --db $(DB) build public
	$(VENV)/bin/newsdesk --db $(DB) export hugo $(SITE)
	hugo -s $(SITE) --quiet
	@echo "static site in public/ (python3 -m http.server -d public), Hugo site in $(SITE)/public"

# The page checkers the tests run (Nu Html Checker, axe-core), pinned in tools/web-checks.
WEB_CHECKS := tools/web-checks/node_modules/.installed
$(WEB_CHECKS): tools/web-checks/package.json tools/web-checks/package-lock.json
	cd tools/web-checks && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

web-checks: $(WEB_CHECKS)

# Tests run in one process per core (pytest-xdist); the corpus tests share one worker and one import.
test: install system-deps web-checks
	$(PY) -m pytest -n auto --dist loadgroup; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$rc

test-fast: install
	$(PY) -m pytest -m "not slow" -q -n auto

LINTED := src tests benchmarks scripts
lint: install
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

typecheck: install
	$(VENV)/bin/mypy

# A fresh venv with Python's bundled pip, a plain install, one fallback extraction.
check-install:
	PYTHON=$(PYTHON) scripts/check_install.sh

# Pin what a passing install has (run after make test passes on a fresh install).
constraints: install
	{ sed -n '1,2p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v '^newsdesk'; } > constraints.new
	mv constraints.new constraints.txt

bench: install
	$(PY) benchmarks/import_corpus.py $(DATA)
	$(PY) benchmarks/search_quality.py $(DATA)
	$(PY) benchmarks/ticker_quality.py $(DATA)
	$(PY) benchmarks/cluster_quality.py $(DATA)
	$(PY) benchmarks/fetch_cycle.py
	$(PY) benchmarks/extraction.py
	$(PY) benchmarks/stream_fanout.py $(DATA)
	$(PY) benchmarks/hostile.py
	-$(VENV)/bin/newsdesk --db $(DB) import $(DATA) >/dev/null
	$(PY) benchmarks/build_site.py --db $(DB)
	$(PY) benchmarks/crosslingual.py $(DATA)
	$(PY) benchmarks/summaries.py $(DATA) --db $(DB)
	$(PY) benchmarks/story_assignment.py $(DB) $(DATA) --articles 1000 --every 13
	command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -q wrk; }
	PY=$(PY) benchmarks/serve_load.sh $(DB)

clean:
	rm -rf $(VENV) $(SITE) public newsdesk.db newsdesk.db-wal newsdesk.db-shm test-artifacts
