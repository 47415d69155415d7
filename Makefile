# `make run` and `make test` do all set-up on a fresh clone (see README.md).
SHELL := /bin/bash
# No usage reports or error reports from Rasa to the internet (see bot/settings.py).
export RASA_TELEMETRY_ENABLED := false
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Python 3.10: $(PYTHON) if given, else python3.10 on PATH if it really runs (a pyenv shim may
# not), else pyenv's own 3.10.
PYTHON ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: run test bench crossval realworld redflags install catalogs content browser services clean

run: install catalogs content  ## set up everything and start the stack with the demo clinic
	$(BIN)/carebot run

# The red-flag detector's own tests need no model: they run beside the rest, on the core that
# model training leaves idle (the whole suite must stay under 30 minutes on 2 cores); their
# output follows the rest's. With PYTEST_ARGS, one plain run of what they name.
DETECTOR_TESTS := tests/test_redflags.py tests/test_second_opinion.py tests/test_temperature.py

test: install catalogs browser services  ## the whole test suite (trains a real model once)
ifeq ($(PYTEST_ARGS),)
	@mkdir -p var; \
	$(BIN)/python -m pytest $(DETECTOR_TESTS) > var/detector-tests.log 2>&1 & detector=$$!; \
	trap 'kill $$detector 2>/dev/null' INT TERM; \
	$(BIN)/python -m pytest $(addprefix --ignore=,$(DETECTOR_TESTS)); suite=$$?; \
	wait $$detector; detector_status=$$?; cat var/detector-tests.log; \
	test $$suite -eq 0 -a $$detector_status -eq 0
else
	$(BIN)/python -m pytest $(PYTEST_ARGS)
endif

bench: install catalogs content services  ## latency, throughput, memory, training time, red-flag detector
	$(BIN)/python bench/bench.py

crossval: install content  ## 5-fold cross-validation of article selection per language (slow: 5 trainings)
	$(BIN)/python bench/crossval.py

realworld: install content  ## article selection on real families' wording (trains one NLU model)
	$(BIN)/python bench/realworld.py --train

install: $(STAMP)
$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.10 not found: install it or set PYTHON=/path/to/python3.10"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Browser tests use Debian's chromium (no browser download) and Noto CJK fonts, so that
# screenshots show Chinese; axe-core comes from npm (package-lock.json).
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

# The storage and shared-state tests start Debian's PostgreSQL and redis-server themselves, on free
# ports in temporary directories; only the programs are needed.
services:
	@{ command -v redis-server && ls /usr/lib/postgresql/*/bin/postgres; } >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server postgresql >/dev/null; }

catalogs: install  ## compile the Babel message catalogs
	$(BIN)/pybabel compile -d locales -D carebot

messages: install  ## re-extract translatable strings and update the catalogs
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k translate:2 -k _bad:2 -k N_ -k _ -k gettext -k ngettext:1,2 -o locales/carebot.pot .
	$(BIN)/pybabel update -i locales/carebot.pot -d locales -D carebot

content: install
	$(BIN)/carebot content import

clean:
	rm -rf var models .rasa

redflags: install  ## red-flag suite figures and detector time per message (seconds, no model)
	$(BIN)/python bench/redflags.py
