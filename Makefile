# The commands README.md names. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_FLAGS ?=

.PHONY: lab reset doctor check-live test notebooks bench lint clean help check-dates slides release site chat

# Model status follows shutdown dates: tests and stored outputs see the day the table was checked.
COURSE_TODAY ?= $(shell cat data/models_checked.txt)
export COURSE_TODAY

help:
	@echo "make lab        open your own copy of the course (my-notebooks/) in JupyterLab (installs on first run)"
	@echo "make reset LESSON=7.05  put the original of one lesson back in my-notebooks/ (yours is backed up)"
	@echo "make doctor     diagnose the set-up: Python, packages, keys, models, port"
	@echo "make check-live BUDGET=2.00  (instructors, real keys) price, then run every notebook against the real APIs"
	@echo "make test       run everything CI runs: unit, protocol, notebooks (nbval)"
	@echo "make notebooks  re-execute every notebook in place (stored outputs come from here)"
	@echo "make bench      performance figures quoted in README.md (QUICK=1: smoke run; README=1: write them in)"
	@echo "make check-dates  models in data/models.csv that shut down within 60 days of today"
	@echo "make slides     static reveal.js slides of every lesson in build/slides/ (works offline)"
	@echo "make release    the student version, solutions removed (nbgrader) in build/release/"
	@echo "make site       a static website of the course with stored outputs in build/site/"
	@echo "make chat       serve the capstone chat API on 127.0.0.1:8000 (CHAT_FLAGS='--port 8001 --workers 2')"

# Install (or update) when pyproject.toml or constraints.txt change. scripts/course.py does the
# work, so `python scripts/course.py install` (no make, e.g. on Windows) is the same step.
$(STAMP): pyproject.toml constraints.txt scripts/setup_jupyterlab.py scripts/course.py
	@$(PYTHON) scripts/course.py install

# JupyterLab on my-notebooks/, a git-ignored copy of notebooks/ (course_lib/workspace.py).
lab: $(STAMP)
	$(BIN)/python -m course_lib.workspace lab

reset: $(STAMP)
	@test -n "$(LESSON)" || { echo "usage: make reset LESSON=7.05"; exit 2; }
	$(BIN)/python -m course_lib.workspace reset $(LESSON)

doctor: $(STAMP)
	COURSE_TODAY= $(BIN)/python -m course_lib.doctor

BUDGET ?= 1.00
check-live: $(STAMP)
	COURSE_TODAY= $(BIN)/python scripts/check_live.py --budget $(BUDGET)

test: $(STAMP)
	COURSE_OFFLINE=1 $(BIN)/python -m pytest -n auto --dist loadfile \
		--nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg \
		--nbval-cell-timeout=60 $(PYTEST_FLAGS)

notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py
	$(BIN)/python scripts/build_index.py

# The capstone service. Add a user first: .venv/bin/python -m course_lib.chat_api add-user NAME
CHAT_FLAGS ?=
chat: $(STAMP)
	$(BIN)/python -m course_lib.chat_api $(CHAT_FLAGS)

# The LiteLLM proxy that bench_gateway.py compares with runs from its own venv (bench/setup_gateway.py);
# `make test` and CI never install it. QUICK=1: a smoke run (few requests, one round; not for README).
# README=1: write the tables into README.md's Performance section (on an idle machine only).
BENCH_STAMP := .venv-bench/.installed
$(BENCH_STAMP): pyproject.toml bench/constraints.txt bench/setup_gateway.py $(STAMP)
	$(BIN)/python bench/setup_gateway.py
	@touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/run_all.py $(if $(filter-out 0,$(QUICK)),--quick,) $(if $(filter-out 0,$(README)),--readme,)

lint: $(STAMP)
	$(BIN)/ruff check course_lib tests scripts bench

check-dates: $(STAMP)
	COURSE_TODAY= $(BIN)/python scripts/check_dates.py

slides: $(STAMP)
	$(BIN)/python scripts/build_slides.py

release: $(STAMP)
	$(BIN)/python scripts/build_release.py

site: $(STAMP)
	$(BIN)/python scripts/build_site.py

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .hypothesis build .artifacts
