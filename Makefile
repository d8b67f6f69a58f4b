# PyTorch katas. Learners: `make katas`. Maintainers and CI: `make check`.
#
# Every target bootstraps .venv/ on first use (pinned torch==2.14.1 + torchvision==0.29.1, about 5.6 GB).
# To use an interpreter that already has torch >= 2.4 (a GPU runner), skip the venv:
#     make check PYTHON=python3

VENV        ?= .venv
PYTHON      ?= $(VENV)/bin/python
PYTEST      := $(PYTHON) -m pytest
JOBS        ?= auto
STAMP       := $(VENV)/.setup-stamp
BOOTSTRAP   ?= python3

ifeq ($(PYTHON),$(VENV)/bin/python)
SETUP := $(STAMP)
else
SETUP :=
endif

.PHONY: help setup katas check check-mirror check-solutions check-katas check-mutants check-harness cuda bench hints list clean

help:
	@echo "make katas            run the suite against katas/ and show your progress (red at first, by design)"
	@echo "make list             every kata, in order;  make hints KATA=tensors.reshape  its staged hints"
	@echo "make check            everything CI runs: mirror, solutions, katas, mutants, harness"
	@echo "make check-solutions  every non-cuda test passes against solutions/ (parallel)"
	@echo "make check-katas      every test fails against katas/, on the kata's own NotImplementedError"
	@echo "make check-mirror     katas/ and solutions/ match; TODOs, docstrings and katas.toml are complete"
	@echo "make check-mutants    every deliberately wrong version in mutants/ is caught by the tests"
	@echo "make check-harness    the harness's own tests"
	@echo "make cuda             the cuda-marked tests against solutions/ (GPU runners)"
	@echo "make bench            training images/s: tutorial loop vs fast path (cpu, and cuda when available)"
	@echo "make setup            create .venv/ with the pinned dependencies (every target does this first)"

setup: $(SETUP)

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(PYTHON) || $(BOOTSTRAP) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e ".[test]"
	touch $@

katas: $(SETUP)
	$(PYTEST) --impl=katas --tb=short

list: $(SETUP)
	@$(PYTHON) -m kata_harness list

hints: $(SETUP)
	@$(PYTHON) -m kata_harness hints $(KATA)

check: check-mirror check-solutions check-katas check-mutants check-harness

check-mirror: $(SETUP)
	$(PYTHON) -m kata_harness.check_mirror

check-solutions: $(SETUP)
	$(PYTEST) --impl=solutions -m "not cuda" -n $(JOBS) -p no:cacheprovider

check-katas: $(SETUP)
	$(PYTHON) -m kata_harness.check_katas -n $(JOBS)

check-mutants: $(SETUP)
	$(PYTHON) -m kata_harness.check_mutants

check-harness: $(SETUP)
	$(PYTEST) tests/harness -n $(JOBS) -p no:cacheprovider

cuda: $(SETUP)
	$(PYTEST) --impl=solutions -m cuda -p no:cacheprovider -rs

bench: $(SETUP)
	$(PYTHON) bench/benchmark.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
