# Talka — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export FLASK_APP := app:create_app

.PHONY: run test install translations compile-translations serve clean bench bench-initiatives bench-dashboard

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

compile-translations: install
	$(VENV)/bin/pybabel compile -d translations -D messages

## Set everything up and serve on http://127.0.0.1:5000
run: install compile-translations
	$(VENV)/bin/flask db upgrade
	$(VENV)/bin/flask seed-demo --if-empty
	$(VENV)/bin/flask run --host 127.0.0.1 --port 5000

## Install with dev extras and run the whole suite (SQLite, then PostgreSQL if TEST_DATABASE_URL is set)
test: install compile-translations
	env -u TEST_DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "=== the same suite on PostgreSQL: $$TEST_DATABASE_URL ==="; \
	  $(PY) -m pytest -m "not browser" --ignore=tests/tallying $(PYTEST_ARGS); \
	else echo "TEST_DATABASE_URL is not set: the PostgreSQL run was skipped (.ci/run sets it)."; fi

## Extract messages, update the catalogs, fill English, compile
translations: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 --add-comments=Translators: \
	  --sort-by-file --project=Talka --copyright-holder="Talka contributors" -o translations/messages.pot .
	$(VENV)/bin/pybabel update --ignore-obsolete -i translations/messages.pot -d translations -D messages --no-fuzzy-matching
	$(PY) scripts/i18n_fill_english.py translations/en/LC_MESSAGES/messages.po
	$(VENV)/bin/pybabel compile -d translations -D messages

bench: install compile-translations
	$(PY) benchmarks/tallying.py

## Signing and list benchmarks on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL)
bench-initiatives: install compile-translations
	$(PY) benchmarks/signing.py
	$(PY) benchmarks/initiatives_list.py
## Time the pilot comparison on 100,000 residents and 1,000,000 signatures (SQLite; add ARGS="--database-url … --reset")
bench-dashboard: install compile-translations
	$(PY) benchmarks/dashboard.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
