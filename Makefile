# The commands README.md names. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_FLAGS ?=

.PHONY: lab test notebooks bench lint clean help check-dates chat

# Model status follows shutdown dates: tests and stored outputs see the day the table was checked.
COURSE_TODAY ?= $(shell cat data/models_checked.txt)
export COURSE_TODAY

help:
	@echo "make lab        open the course in JupyterLab (installs on first run)"
	@echo "make test       run everything CI runs: unit, protocol, notebooks (nbval)"
	@echo "make notebooks  re-execute every notebook in place (stored outputs come from here)"
	@echo "make bench      performance figures quoted in README.md (QUICK=1: smoke run; README=1: write them in)"
	@echo "make check-dates  models in data/models.csv that shut down within 60 days of today"
	@echo "make chat       serve the capstone chat API on 127.0.0.1:8000 (CHAT_FLAGS='--port 8001 --workers 2')"

# Install (or update) when pyproject.toml or constraints.txt change.
$(STAMP): pyproject.toml constraints.txt scripts/setup_jupyterlab.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed: run `make PYTHON=python3.12 lab` or install a newer Python.")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	$(BIN)/python scripts/setup_jupyterlab.py
	@touch $(STAMP)

# As root (containers, cloud shells) JupyterLab refuses to start without --allow-root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/README.md $(ROOT_FLAG)

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

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .hypothesis
