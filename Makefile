# SPDX-License-Identifier: EUPL-1.2
# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR ?= demo-output

.PHONY: run test install lint typecheck importlint pytest demo clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Development: the development login (a demo user per role) and, over plain http, a session
# cookie without the Secure flag. Production settings refuse both (ontzorgen.web).
run: export ONTZORGEN_ENVIRONMENT = development
run: export ONTZORGEN_COOKIE_SECURE = false
run: install
	$(BIN)/ontzorgen db upgrade
	$(BIN)/ontzorgen demo --out $(DEMO_DIR)
	$(BIN)/ontzorgen serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

importlint: install
	$(BIN)/lint-imports

pytest: install
	$(BIN)/python -m pytest -n auto -p no:cacheprovider

test: lint typecheck importlint pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
