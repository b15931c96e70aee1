# The two commands a newcomer needs: `make run` (a working portal with demo data) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test bench install lint format messages check-deploy ci clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is needed (Django 5.2 runs on Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	HOST=$(HOST) PORT=$(PORT) VENV=$(VENV) ./scripts/run.sh

test: install
	./scripts/test.sh

# The scale benchmark of issue 12 (bench/README.md); not part of `make test`. PostgreSQL only, at
# DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432). 10k records; MILLION=1 adds 1M;
# more options in BENCH_ARGS (e.g. BENCH_ARGS="--reuse --hundred-k").
bench: install
	$(BIN)/python -m bench $(if $(MILLION),--million) $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l fa --no-location --ignore='.venv/*' --ignore='static/*' --ignore='tests/*'
	$(BIN)/python manage.py compilemessages -l fa --ignore='.venv/*'

check-deploy: install
	DJANGO_SETTINGS_MODULE=greenjobs.settings.production \
	SECRET_KEY=$${SECRET_KEY:-check-deploy-throwaway-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-portal.example.ir} \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/greenjobs} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	PORTAL_BASE_URL=$${PORTAL_BASE_URL:-https://portal.example.ir} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles var/test-private .pytest_cache .ruff_cache *.egg-info
