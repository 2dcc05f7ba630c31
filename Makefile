# Two commands on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test bench lint serve seed-city clean

install: $(VENV)/.installed node_modules/axe-core/axe.min.js
	@bash scripts/system-packages.sh

# axe-core: the accessibility checker the browser tests inject into pages (not shipped).
node_modules/axe-core/axe.min.js:
	@bash scripts/system-packages.sh
	npm install --no-save --no-package-lock --no-audit --no-fund axe-core@4

$(VENV)/.installed: pyproject.toml
	@bash scripts/system-packages.sh
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

run: install
	$(FLASK) db upgrade
	$(FLASK) seed demo --scale district
	@$(FLASK) seed logins
	@# gunicorn in the foreground and the job worker beside it; both stop together (scripts/serve.py)
	FLASK_DEMO=$${FLASK_DEMO:-true} $(PY) scripts/serve.py --bind $(HOST):$(PORT) --limit-request-line 8190 \
	  --workers 2 --threads 4 --access-logfile - --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss' \
	  'wsgi:create_app()'

test: install
	@bash scripts/test.sh

bench: install
	$(PY) -m bench

lint: install
	$(PY) -m ruff check .
	$(PY) -m mypy

clean:
	rm -rf $(VENV) instance/*.db
