# The two commands: `make run` (set up everything and serve) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-services lint format setup messages browser bench bench-instructions bench-services fuzz clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# GNU gettext's msgfmt compiles the .po files; install it where it is missing (Debian).
messages: $(STAMP)
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	$(PY) manage.py compilemessages --ignore=.venv -v0

# The browser tests (tests/e2e/) drive Debian's Chromium (Playwright never downloads one), with Noto Sans
# Tamil for the Tamil pages' screenshots, and inject axe-core from node_modules (npm, package-lock.json).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	@test -f /usr/share/fonts/truetype/noto/NotoSansTamil-Regular.ttf \
		|| (apt-get update -qq && apt-get install -y -qq fonts-noto-core >/dev/null)
	@test -f node_modules/axe-core/axe.min.js || { \
		command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm >/dev/null); \
		npm ci --no-audit --no-fund; }

# The Tamil web font served from cms/static/fonts/: Noto Sans Tamil's Tamil-script subset, 400 and 700,
# from the npm package @fontsource/noto-sans-tamil (pinned in package-lock.json). After upgrading it,
# `make fonts` copies the files again (site.css names them; the budget test checks their size).
.PHONY: fonts
FONTSOURCE := node_modules/@fontsource/noto-sans-tamil
fonts:
	npm ci --no-audit --no-fund
	mkdir -p cms/static/fonts
	cp $(FONTSOURCE)/files/noto-sans-tamil-tamil-400-normal.woff2 cms/static/fonts/
	cp $(FONTSOURCE)/files/noto-sans-tamil-tamil-700-normal.woff2 cms/static/fonts/
	cp $(FONTSOURCE)/LICENSE cms/static/fonts/OFL.txt

setup: $(STAMP) messages
	$(PY) manage.py migrate_site -v1
	$(PY) manage.py load_demo_content
	$(PY) manage.py ensure_demo_admin

# The dev server, and beside it the worker that runs queued background tasks (webhook deliveries,
# search indexing, scheduled publishing and expiry, queued again by migrate_site in setup): Ctrl-C stops the server, and the trap then stops the worker.
run: setup
	@echo "Serving the clinic site on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Running background tasks with manage.py db_worker; Ctrl-C stops both"
	@$(PY) manage.py db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

# Production-like, on this machine: the production settings with the variables in ENV_FILE (made from
# .env.example for this machine when missing), collectstatic, migrate_site, then gunicorn and the
# task worker together (cms/serve.py); Ctrl-C stops both. Binds HOST:PORT, loopback by default.
ENV_FILE ?= .env
serve: $(STAMP) messages
	$(PY) -m cms.serve --env-file $(ENV_FILE) --bind $(HOST):$(PORT)

# The suite runs in parallel, one pytest-xdist worker per CPU (each with its own test database, media
# folder and Redis databases; see tests/conftest.py), at most six: worker N uses Redis databases 13-2N
# and 14-2N. PYTEST_WORKERS=0 runs it in a single process.
PYTEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -n $(PYTEST_WORKERS) --maxprocesses=6

test: $(STAMP) messages browser
	$(PY) manage.py makemigrations --check --dry-run --settings=cms.settings.test
	$(PYTEST)

# The suite again against the real servers (PostgreSQL, Redis) instead of SQLite and local memory.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/13
test-services: $(STAMP) messages browser
	DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) PUBLIC_CACHE_REDIS_URL=$(REDIS_TEST_URL:13=14) \
		$(PYTEST)

# Growth (300 vs 10,000 articles) and throughput of pages and API against gunicorn on 127.0.0.1 (wrk from
# Debian), on SQLite and local memory; prints two tables and the targets met. See benchmarks/README.md.
# BENCH_ARGS passes options to benchmarks/run.py (--help), e.g. BENCH_ARGS="--no-growth --rounds 5".
bench: $(STAMP) messages
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# Instructions per uncached request, counted by valgrind: the same from run to run on a noisy machine.
# Compare with a revision: make bench-instructions BENCH_ARGS="--against HEAD~3"
bench-instructions: $(STAMP) messages
	@command -v valgrind >/dev/null || (apt-get update -qq && apt-get install -y -qq valgrind >/dev/null)
	$(PY) benchmarks/instructions.py $(BENCH_ARGS)

# The same on PostgreSQL and Redis: the run creates databases named $(PG_BENCH_URL)_<articles> and drops them,
# and empties the two Redis databases (15 and 2: .env.example uses 0 and 1, the test suite 3 to 14).
PG_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/clinic_bench
REDIS_BENCH_URL ?= redis://127.0.0.1:6379/15
PUBLIC_REDIS_BENCH_URL ?= redis://127.0.0.1:6379/2
bench-services: $(STAMP) messages
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(PY) benchmarks/run.py --services --postgres $(PG_BENCH_URL) --redis $(REDIS_BENCH_URL) \
		--public-redis $(PUBLIC_REDIS_BENCH_URL) $(BENCH_ARGS)

# Property-based fuzzing of the whole API (schemathesis: every check, every phase, stateful too) against
# gunicorn on 127.0.0.1 serving a throwaway demo site, anonymously and then with an editor's token;
# prints cases run, failures and server errors. FUZZ_EXAMPLES cases per operation and phase (the
# unit test uses 12), at most FUZZ_SECONDS for both runs (about 9 minutes in all). See fuzz/run.py.
FUZZ_EXAMPLES ?= 50
FUZZ_SECONDS ?= 420
fuzz: $(STAMP) messages
	$(PY) fuzz/run.py --max-examples $(FUZZ_EXAMPLES) --max-time $(FUZZ_SECONDS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules test-artifacts
