# SPDX-License-Identifier: EUPL-1.2
# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR ?= demo-output

.PHONY: run test install system lint typecheck importlint pytest demo clean bench translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The NL Design System CSS (served by the app itself: gemeente servers have no internet) and
# axe-core for the accessibility tests, from the npm registry at the versions of package-lock.json.
VENDOR := ontzorgen/web/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed-$(shell cat package.json package-lock.json | sha1sum | cut -c1-12)

$(VENDOR_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht-components.css
	cp node_modules/@utrecht/design-tokens/dist/index.css $(VENDOR)/utrecht-tokens.css
	touch $(VENDOR_STAMP)

# From Debian: Chromium for the browser tests, Pango for WeasyPrint's PDFs, and fonts for
# Arabic, Persian and Ethiopic script (Tigrinya). Installed only when missing.
DEBIAN_PACKAGES := chromium fonts-noto-core fonts-sil-abyssinica fonts-dejavu-core \
	libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
system:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing from Debian:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
		$$sudo apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

install: $(STAMP) $(VENDOR_STAMP) system

# After changing a page's text: extract the strings and update every language's catalog.
translations: install
	$(BIN)/pybabel extract --no-location --sort-output --project=ontzorgen -F babel.cfg \
		-o ontzorgen/web/locale/messages.pot ontzorgen/web
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -N \
		-i ontzorgen/web/locale/messages.pot -d ontzorgen/web/locale

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
	rm -rf $(VENV) node_modules $(VENDOR) .mypy_cache .ruff_cache .pytest_cache
