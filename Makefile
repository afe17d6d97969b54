# Every target sets up what it needs itself; `make demo` and `make test` work on a fresh clone.

VENV := .venv
BIN := $(VENV)/bin
IK := $(BIN)/ik
STAMP := $(VENV)/.installed
DEMO_DATA_DIR := var/demo

.PHONY: install demo test lint format messages clean setup

# Setting up without touching a database: what the tests need.
setup: $(STAMP)
	$(IK) compilemessages --ignore=$(VENV)

install: setup
	$(IK) migrate --no-input

$(BIN)/python:
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The worker (`ik db_worker`) makes the large reports in the background, as in production; it
# runs next to the server and stops with it (Ctrl-C stops both).
demo: install
	rm -f $(DEMO_DATA_DIR)/internkontroll.sqlite3*
	IK_DATA_DIR=$(DEMO_DATA_DIR) $(IK) migrate --no-input
	IK_DATA_DIR=$(DEMO_DATA_DIR) $(IK) demo
	IK_DATA_DIR=$(DEMO_DATA_DIR) $(IK) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	IK_DEMO=1 IK_DATA_DIR=$(DEMO_DATA_DIR) $(IK) runserver 127.0.0.1:8000

# The tests make their own database, so `test` needs no migrated one (nor an existing
# PostgreSQL database when DATABASE_URL is set).
# pytest-xdist runs one process per core, each with its own test database; a test class or
# module stays in one process, so its shared set-up is made once.
test: setup lint
	$(BIN)/mypy internkontroll
	$(BIN)/pytest -q -n auto --dist loadscope

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	$(IK) makemessages -l sv -l en --ignore=$(VENV) --no-obsolete

clean:
	rm -rf $(VENV) $(DEMO_DATA_DIR) build .mypy_cache .ruff_cache .hypothesis *.egg-info
	find internkontroll -name '*.mo' -delete
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
