# kneecoach — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
COVERAGE_FLOOR := 90

.PHONY: run test lint typecheck unit unit-a-year-ahead bench system-test-deps pose-assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# The camera's pose model (MediaPipe, from the npm registry: one pinned version, its sha512
# checked) into the git-ignored src/kneecoach/web/static/pose/. Without npm or the network
# the app still runs; its camera pages then say why the camera is not offered.
POSE_STAMP := src/kneecoach/web/static/pose/VERSION

$(POSE_STAMP): src/kneecoach/web/pose_assets.py | $(STAMP)
	@$(BIN)/python -m kneecoach.web.pose_assets || echo "Continuing without the camera."

pose-assets: $(POSE_STAMP)

## run: install into .venv and start the web app at http://127.0.0.1:8000 (SQLite default)
run: $(STAMP) pose-assets
	$(BIN)/kneecoach serve

## test: install what the tests need (Python and Debian packages) and run every check
test: $(STAMP) pose-assets system-test-deps lint typecheck unit unit-a-year-ahead

system-test-deps:
	@scripts/ensure-debian-packages postgresql chromium

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# Bytecode is cached (under .venv, not beside the sources) even where the environment says
# to write none (PYTHONDONTWRITEBYTECODE): the tests start Python hundreds of times (pytest's
# workers, the kneecoach commands a person runs, worker processes), and each compiled the
# sources and rewrote the test modules' asserts again, about 2 s of a core per pytest process.
TEST_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache

# Every test, on both cores, with line coverage of src/ (the floor only ever goes up).
unit: $(STAMP)
	$(TEST_ENV) $(BIN)/pytest -n 2 --dist worksteal --durations=25 --cov --cov-report=term \
		--cov-fail-under=$(COVERAGE_FLOOR)

# The tests' fixed clock moved 400 days ahead: a test that depends on the day it runs fails
# here. The browser tests are left out (they cover pages, not dates), and so are the
# PostgreSQL twins of the SQLite tests: a date falls on the same day in either database.
# Tests marked own_dates never reach the tests' 'today' (tests/conftest.py checks that at
# collection) and are left out by the run itself; properties draw a fifth of their examples.
unit-a-year-ahead: $(STAMP)
	$(TEST_ENV) KNEECOACH_TEST_DAYS_AHEAD=400 $(BIN)/pytest -n 2 --dist worksteal -q \
		-m "not browser and not postgres" -p no:cacheprovider

## bench: start-up and other benchmarks, as ratios against named peers
bench: $(STAMP) pose-assets
	@scripts/ensure-debian-packages wrk
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
