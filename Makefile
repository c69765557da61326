# motcua — `make help` lists the tasks.
PY := .venv/bin/python
export MOTCUA_DEMO ?= 1

.PHONY: help dev demo test test-pg e2e lint typecheck migrations-check messages ci
help:  ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'
dev:  ## install motcua with the test and lint tools
	python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'
demo:  ## run the demo (SQLite, demo province) on port 8000
	.venv/bin/motcua demo
test:  ## run the whole suite on SQLite
	.venv/bin/pytest
test-pg:  ## run the whole suite on the local PostgreSQL
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua .venv/bin/pytest
e2e:  ## run the browser tests only
	.venv/bin/pytest tests/e2e
lint:  ## ruff lint and format check
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
typecheck:  ## mypy --strict with django-stubs
	.venv/bin/mypy motcua tests
migrations-check:  ## fail if a model change has no migration
	$(PY) manage.py makemigrations --check --dry-run
messages:  ## extract messages and recompile the catalogues
	cd motcua && ../$(PY) ../manage.py makemessages -l en -l vi --no-obsolete && cd .. && $(PY) scripts/translate.py
ci:  ## everything CI runs
	bash .ci/run
