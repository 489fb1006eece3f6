# `make demo` runs the application with demo data; `make test` runs the test suite.
# Both create the virtual environment on first use (Python >= 3.12 required).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The links in the e-mails lead to the address the demo serves (behind a proxy, or with
# HOST=0.0.0.0:8000, give the address people open: make demo SITE_URL=https://...).
SITE_URL ?= http://$(HOST)
# The demo opens every account with its password alone; `make demo SECOND_FACTOR_REQUIRED=true`
# shows the second factor as production asks for it.
SECOND_FACTOR_REQUIRED ?= false

.PHONY: demo test lint lock clean

$(BIN)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 ou plus récent est requis (trouvé : %s). Installez-le (pyenv install 3.13) ou indiquez-le : make PYTHON=python3.13 ..." % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	@touch $@

# The tasks worker runs beside the server (it sends the e-mails, printed in this terminal).
demo: $(BIN)/.installed
	$(BIN)/python manage.py migrate --no-input
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo
	@SITE_URL=$(SITE_URL) $(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_URL=$(SITE_URL) SECOND_FACTOR_REQUIRED=$(SECOND_FACTOR_REQUIRED) $(BIN)/python manage.py runserver $(HOST)

test: $(BIN)/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Refresh the pinned, hashed dependencies after a change in pyproject.toml.
lock: $(BIN)/.installed
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra dev -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles
