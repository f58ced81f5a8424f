# kneecoach — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
COVERAGE_FLOOR := 90

.PHONY: run test lint typecheck unit bench system-test-deps pose-assets clean

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
test: $(STAMP) pose-assets system-test-deps lint typecheck unit

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

# Every test once, in two runs, each with three workers on the two cores: much of the tests'
# time is spent waiting (on a browser's or a terminal player's timers, on a server's answer);
# with two workers the browser run kept 0.9 of the 2 cores busy (measured on one machine:
# 539 s with two workers, 452 s with three; the coverage run 681 s and 518 s). The two runs
# side by side (five workers) were slower still: the browser run alone took 940 s of them.
# First the tests on SQLite outside the browser, with the tests' fixed clock moved 400 days
# ahead and line coverage of src/ (the floor only ever goes up): a test that depends on the
# day it runs meets a 'today' more than a year from the machine's. Then, on the tests' own
# day and without coverage (it would slow them by half and add no line), the browser tests
# and the PostgreSQL twins of the SQLite tests.
unit: $(STAMP)
	$(TEST_ENV) KNEECOACH_TEST_DAYS_AHEAD=400 $(BIN)/pytest -n 3 --dist worksteal --durations=15 \
		-m "not browser and not postgres" --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR)
	$(TEST_ENV) $(BIN)/pytest -n 3 --dist worksteal --durations=15 -m "browser or postgres" \
		-p no:cacheprovider

## bench: start-up and other benchmarks, as ratios against named peers
bench: $(STAMP) pose-assets
	@scripts/ensure-debian-packages wrk
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
